"""What every layer needs: errors, limits, the control characters we clean."""
