"""Message drafts: draft."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coffeechat import formatters
from coffeechat.commands.base import (
    State,
    not_stdout,
    pass_state,
    person_argument,
    say,
)
from coffeechat.errors import UsageError

if TYPE_CHECKING:
    pass


@click.command()
@click.argument(
    "kind", type=click.Choice(["outreach", "connect", "nudge", "thanks", "update", "offer"])
)
@person_argument
@click.option(
    "--channel",
    type=click.Choice(["email", "linkedin"]),
    help="Default: email when the note has one, else linkedin (connect: always linkedin).",
)
@click.option(
    "--at",
    "offer_at",
    metavar="COMPANY",
    help="offer: where you accepted (default: their company when outcome is offer).",
)
@click.option(
    "--force", is_flag=True, help="Draft even when it looks too early or there are no call notes."
)
@click.option("--save", is_flag=True, help="Also add it to the note under ## Drafts.")
@click.option(
    "--eml",
    "eml_path",
    type=click.Path(path_type=Path),
    callback=not_stdout,
    metavar="FILE",
    help="Also write it as an .eml file to open in a mail app (From: your email setting).",
)
@click.option(
    "--mailto",
    is_flag=True,
    help="Print a mailto: link (address, subject, body) instead of the draft.",
)
@pass_state
def draft(
    state: State,
    kind: str,
    name: str,
    channel: str | None,
    offer_at: str | None,
    force: bool,
    save: bool,
    eml_path: Path | None,
    mailto: bool,
) -> None:
    """Draft a message to someone, ready to paste.

    KIND is one of outreach, connect, nudge, thanks, update, offer.

    \b
      outreach  the first message: who you are, what you share, a 15-minute ask
      connect   a LinkedIn connection note with one personal detail (fits the limit)
      nudge     the one polite follow-up, due nudge_after_days after `messaged`
      thanks    the thank-you after the chat, quoting what they said in your call notes
      update    how the application went (`outcome:`)
      offer     you accepted an offer, and thanks

    The draft goes to stdout; the command to record it once sent goes to stderr. Templates
    live in templates/ in the vault when you want your own words (see the README).

    \b
    Example:
      coffeechat draft outreach priya
      coffeechat draft thanks arjun --save --eml ~/Desktop/arjun.eml
      xdg-open "$(coffeechat draft thanks arjun --mailto)"
    """
    from coffeechat import drafts
    from coffeechat.names import company_of

    vault = state.store()
    person = state.person(name)
    now = state.now()
    if channel is None:
        channel = "email" if person.email and kind != "connect" else "linkedin"
    if eml_path and channel != "email":
        raise UsageError("--eml is for email drafts; use --channel email")
    if mailto and channel != "email":
        raise UsageError("--mailto is for email drafts; use --channel email")
    if (eml_path or mailto) and person.email:
        drafts.check_eml(person)
    companies = state.companies()
    request = drafts.Request(
        kind,
        person,
        company_of(person, companies),
        vault.config,
        now,
        channel,
        vault.body(person),
        offer_at,
        force,
    )
    message = drafts.make_draft(request, drafts.template_path(kind, vault.root))
    if mailto:
        from coffeechat.mailto import mailto_link

        say(mailto_link(message.to_email, message.subject, message.body))
    else:
        say(message.text, nl=False)  # the .eml and --save keep the exact text
    if kind == "outreach" and drafts.word_count(message.body) > drafts.WORD_LIMIT:
        say(
            f"Note: {drafts.word_count(message.body)} words; short messages get more replies.",
            err=True,
        )
    # The .eml is written before the note and taken back if the note cannot be changed.
    sender = (vault.config.name, vault.config.email)
    undo = vault.write_file(eml_path, drafts.eml_bytes(message, now, sender)) if eml_path else None
    if save:
        day = now.astimezone(vault.config.zone).date()
        try:
            change = vault.save_draft(person, kind, message.text, day)
        except BaseException:
            if undo:
                undo()
            raise
        say(f"{formatters.display_path(change.path)}: {change.summary}", err=True)
    if eml_path:
        say(f"Wrote {formatters.display_path(eml_path)} (open it in your mail app)", err=True)
    record = drafts.RECORDS[kind].format(stem=person.path.stem)
    say(f"Once sent: coffeechat {record}", err=True)
