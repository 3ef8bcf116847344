"""An assistant's way in: mcp."""

from __future__ import annotations

import click

from coffeechat.commands.base import State, pass_state
from coffeechat.core.errors import CoffeechatError

INSTALL = "pip install 'coffeechat[mcp]'"


@click.command()
@pass_state
@click.pass_context
def mcp(ctx: click.Context, state: State) -> None:
    """Serve the vault to an AI assistant (MCP over stdio).

    An MCP client (Claude Desktop, an editor, an agent) starts this command and talks to it
    over its stdin and stdout; it opens no network socket and sends nothing. Its tools are
    the commands: due, next, list, show, prep, slots, stats, companies and doctor read (the
    same data as their --json); log, mark, set and call --record write, through the same
    checked edits; draft returns the message as text. Notes reach the assistant whole.
    Needs the extra: pip install 'coffeechat[mcp]'. docs/mcp.md has the client set-up.

    \b
    Example:
      coffeechat --vault ~/jobsearch mcp
    """
    try:
        from coffeechat.assistant.server import serve
    except ImportError as error:
        if (error.name or "").split(".")[0] not in ("mcp", "pydantic"):
            raise
        raise CoffeechatError(
            f"`coffeechat mcp` needs the MCP SDK, an optional extra: {INSTALL}"
        ) from None
    root = state.store().root
    serve(ctx.find_root().command, root, state.use_cache)
