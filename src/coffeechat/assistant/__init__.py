"""An AI assistant's way in: the vault's commands as MCP tools (`coffeechat mcp`)."""
