"""Messages: which kinds exist, what a template may see, rendering, email."""
