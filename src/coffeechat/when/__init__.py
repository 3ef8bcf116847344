"""Time: the one clock, reading dates and times, saying them, and zones."""
