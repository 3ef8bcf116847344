"""The commands, one module per group of them; `coffeechat.cli` puts them in order."""
