"""Message drafts: draft."""

from __future__ import annotations

import os
from pathlib import Path

import click

from coffeechat.commands.base import (
    State,
    cap_reached,
    not_stdout,
    pass_state,
    person_argument,
    say,
)
from coffeechat.core.errors import UsageError
from coffeechat.core.shell import shell_word
from coffeechat.drafts.kinds import KINDS
from coffeechat.output import formatters

_WIDEST = max(map(len, KINDS))
_HELP = "\n".join(
    [
        "Draft a message to someone, ready to paste.",
        "",
        f"KIND is one of {', '.join(KINDS)}.",
        "",
        "\b",
        *(f"  {kind.name:<{_WIDEST}} {kind.says}" for kind in KINDS.values()),
        "",
        "A draft holds your settings, facts from the notes (names, company, role, school, "
        "the posting) and what you wrote to them: `hook:`, the company's `interest:` and "
        "`news:`, and the `Thanks:` and `Next:` lines of the last `### Call`. Nothing else "
        "from a note, and no private key, ever reaches it; and of those, a line that reads as "
        'a note to yourself ("(great talk!!)", "Ping him in a week") is left out and named on '
        "stderr, with how to rephrase it.",
        "",
        "The draft goes to stdout; notes to look at and the command to record it once sent go "
        "to stderr. Templates live in templates/ in the vault when you want your own words "
        "(see docs/drafts.md).",
        "",
        "\b",
        "Example:",
        "  coffeechat draft outreach priya",
        "  coffeechat draft intro aisha",
        "  coffeechat draft thanks arjun --save --eml ~/Desktop/arjun.eml",
        '  xdg-open "$(coffeechat draft thanks arjun --mailto)"',
    ]
)


def _variant_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import re

    if value is not None and not re.fullmatch(r"[a-z0-9][a-z0-9_]*", value):
        raise click.BadParameter(
            "a variant is a lowercase word (letters, digits, _), as in "
            "templates/outreach-short.txt",
            ctx=ctx,
            param=param,
        )
    return value


@click.command(help=_HELP)
@click.argument("kind", type=click.Choice(list(KINDS)))
@person_argument
@click.option(
    "--channel",
    type=click.Choice(["email", "linkedin"]),
    help="Default: email when the reader's note has one, else linkedin (connect: always linkedin).",
)
@click.option(
    "--at",
    "offer_at",
    metavar="COMPANY",
    help="update, offer, hold: the company whose application it is about (default: theirs; "
    "for offer, where you accepted).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Draft even when it looks too early, or when you thanked them already; and "
    "replace the file --eml names when it exists.",
)
@click.option(
    "--variant",
    metavar="NAME",
    callback=_variant_name,
    help="Use the vault's templates/KIND-NAME.txt, another wording to compare "
    "(`stats --by template`).",
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
    variant: str | None,
    save: bool,
    eml_path: Path | None,
    mailto: bool,
) -> None:
    from coffeechat.drafts.email import check_eml, eml_bytes, mailto_link
    from coffeechat.drafts.kinds import default_channel, recipient
    from coffeechat.drafts.make import make_draft
    from coffeechat.drafts.render import template_path
    from coffeechat.drafts.request import Request, close_out
    from coffeechat.model.names import company_of

    vault = state.store()
    person = state.person(name)
    now = state.now()
    companies = state.companies()
    people = state.people()
    body, body_line = vault.body_and_line(person)
    request = Request(
        kind,
        person,
        company_of(person, companies),
        vault.config,
        now,
        channel or "email",
        body,
        offer_at,
        force,
        tuple(people),
        tuple(companies),
        body_line,
    )
    reader = recipient(request)
    if channel is None:
        from dataclasses import replace

        request = replace(request, channel=default_channel(kind, reader))
    if eml_path and request.channel != "email":
        raise UsageError("--eml is for email drafts; use --channel email")
    if eml_path and os.path.lexists(eml_path) and not force:
        from coffeechat.core.errors import WriteRefused

        raise WriteRefused(
            f"{formatters.display_path(eml_path)} exists; name a new file for --eml, or pass "
            "--force to replace it; nothing written"
        )
    if mailto and request.channel != "email":
        raise UsageError("--mailto is for email drafts; use --channel email")
    if (eml_path or mailto) and reader.email:
        check_eml(reader)
    message = make_draft(request, template_path(kind, vault.layout.templates, variant or ""))
    if mailto:
        say(mailto_link(message.to_email, message.subject, message.body))
    else:
        say(message.text, nl=False)  # the .eml and --save keep the exact text
    # The .eml is written before the note and taken back if the note cannot be changed.
    sender = (vault.config.name, vault.config.email)
    undo = vault.write_file(eml_path, eml_bytes(message, now, sender)) if eml_path else None
    if save:
        day = vault.config.today(now)
        try:
            change = vault.save_draft(person, kind, message.text, day)
        except BaseException:
            if undo:
                undo()
            raise
        say(f"{formatters.display_path(change.path)}: {change.summary}", err=True)
    if eml_path:
        say(f"Wrote {formatters.display_path(eml_path)} (open it in your mail app)", err=True)
    if kind == "offer":
        tell, hold = close_out(request)
        at = f" --at {shell_word(offer_at)}" if offer_at else ""
        if tell:
            say("Tell everyone who helped:", err=True)
            for other in tell:
                say(f"  coffeechat draft offer {other.stem}{at}", err=True)
        if hold:
            say("Ask them to hold a referral that is not in yet:", err=True)
            for other in hold:
                say(f"  coffeechat draft hold {other.stem}{at}", err=True)
    for item in message.left_out:
        where = formatters.display_path(item.path) + (f":{item.line}" if item.line else "")
        say(f"Note: {where}: {item.advice}.", err=True)
    for warning in message.warnings:
        say(f"Note: {warning}.", err=True)
    if KINDS[kind].first:
        capped = cap_reached(state, people)
        if capped:
            say(f"Note: {capped}; this one can wait.", err=True)
    say(f"Once sent: coffeechat {message.record}", err=True)
