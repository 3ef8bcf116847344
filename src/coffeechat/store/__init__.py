"""The only code that opens, caches or writes a file of the vault."""
