"""Capture from any device: inbox."""

from __future__ import annotations

import click

from coffeechat.commands.base import State, View, json_option, pass_state, say
from coffeechat.output import formatters

# The exit status when lines stay in the inbox (a name no note answers to, an unreadable day).
LINES_LEFT = 3


@click.command()
@click.option("--dry-run", is_flag=True, help="Say what each line would do; write nothing.")
@json_option
@pass_state
def inbox(state: State, dry_run: bool) -> None:
    """File the lines of inbox.md into their notes.

    Write one line per thing that happened, from any device, into inbox.md at the vault's
    root (the `inbox` setting names it): `[DAY [HH:MM]] @NAME [WHAT] [— TEXT]`. WHAT is a
    milestone (messaged, nudged, replied, chat, thanked, connected, sent, checked-in,
    applied, updated), `referral asked|agreed|submitted|declined`, or `thanks:`/`next:` and
    the line to keep under the call; with no WHAT, the text is a log line. NAME is a file
    name, a name, an alias or a unique start of one. No day means the day it is filed.

    Each line writes what it says into its note (the milestone or referral and a `## Log`
    line, or the `Thanks:`/`Next:` line under the call) and leaves the inbox. A line that
    cannot be placed stays, with the reason beside it; the exit status is then 3. Running it
    again files nothing twice, even after a run was stopped half-way. docs/inbox.md has it all.

    \b
    Lines in inbox.md:
      2026-12-06 @priya chat — on-call is light; agreed to refer
      @arjun thanked
      2026-12-06 @priya thanks: Your tip about the on-call rota was a great help.

    \b
    Example:
      coffeechat inbox --dry-run
      coffeechat inbox
    """
    from coffeechat.exchange.inbox import file_inbox

    vault = state.store()
    report = file_inbox(vault, state.now(), dry_run=dry_run)
    shown = formatters.display_path(report.path)
    state.show(
        View(
            shape="inbox",
            record=lambda: formatters.inbox_record(report, vault.root),
            lines=lambda: formatters.inbox_lines(report),
            notes=lambda: formatters.inbox_notes(report, shown),
        )
    )
    if report.left:
        if state.as_json:
            for note in formatters.inbox_notes(report, shown):
                say(note, err=True)
        raise click.exceptions.Exit(LINES_LEFT)
