"""The only code that knows terminals, colour and --json."""
