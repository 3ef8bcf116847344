"""The command line: the `coffeechat` group, with its commands in the order a user meets them.

Each command parses its arguments, calls the core, and prints what it returns; they live in
`coffeechat.commands`, one module per group, and a module is imported only when one of its
commands runs (or `--help` lists them all).
"""

from __future__ import annotations

from pathlib import Path

import click

from coffeechat import __version__
from coffeechat.commands.base import CoffeechatGroup, State

# Command name -> the module in coffeechat.commands and the function there, in menu order.
COMMANDS = {
    "init": ("people", "init"),
    "add": ("people", "add"),
    "list": ("people", "list_people"),
    "show": ("people", "show"),
    "edit": ("people", "edit"),
    "set": ("people", "set_"),
    "log": ("people", "log"),
    "mark": ("people", "mark"),
    "inbox": ("inbox", "inbox"),
    "zone": ("times", "zone"),
    "slots": ("times", "slots"),
    "schedule": ("times", "schedule"),
    "questions": ("chats", "questions"),
    "prep": ("chats", "prep"),
    "call": ("chats", "call"),
    "draft": ("drafts", "draft"),
    "due": ("pipeline", "due"),
    "stats": ("pipeline", "stats"),
    "companies": ("pipeline", "companies"),
    "company": ("pipeline", "company"),
    "next": ("pipeline", "next_"),
    "import": ("importing", "import_"),
    "export": ("exporting", "export"),
    "doctor": ("doctor", "doctor"),
    "merge": ("doctor", "merge"),
    "mcp": ("assistant", "mcp"),
}


@click.group(
    cls=CoffeechatGroup,
    commands_table=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--vault",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="COFFEECHAT_VAULT",
    help="The vault folder. Default: $COFFEECHAT_VAULT, else the nearest folder up "
    "holding coffeechat.toml.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="COFFEECHAT_NO_CACHE",
    help="Read every note afresh: no index cache, no answer kept from an earlier run.",
)
@click.version_option(__version__, prog_name="coffeechat")
@click.pass_context
def cli(ctx: click.Context, vault: Path | None, no_cache: bool) -> None:
    """Prepare coffee chats that lead to referrals, from a folder of Markdown notes.

    Each person is one note under people/ with YAML frontmatter; edit them in any editor.
    coffeechat edits only the keys it means to, and never rewrites the rest of a note.

    \b
    Start here:
      coffeechat init ~/jobsearch      make a vault
      coffeechat add "Priya Raman" --company Stripe --kind engineer
      coffeechat due                   every morning: what is due, each with its command
      coffeechat next                  who to write to next, and why
      coffeechat mark priya messaged   record what you did
      coffeechat slots priya           times to offer, in their zone
      coffeechat prep priya            the one-page sheet for the call
      coffeechat call priya            the call itself, with the referral ask on time
      coffeechat doctor                what is wrong in the vault, and how to fix it
    """
    ctx.obj = State(vault, use_cache=not no_cache)
