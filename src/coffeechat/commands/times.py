"""Time zones and scheduling: zone, slots, schedule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from coffeechat.commands.base import (
    State,
    View,
    json_option,
    pass_state,
    person_argument,
    say,
    say_raw,
)
from coffeechat.core.errors import CoffeechatError
from coffeechat.model.note import Person
from coffeechat.output import formatters
from coffeechat.scheduling.chat import FAR_AHEAD_DAYS, book

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo


@click.command()
@click.argument("location")
@json_option
@pass_state
def zone(state: State, location: str) -> None:
    """Find the time zone for a LinkedIn-style location.

    Works offline from GeoNames data. A state or country gives a zone only when one zone
    covers most of its people ("Germany" yes, "United States" no). A name shared by several
    places picks the likeliest and lists the others. No zone: exit 1.

    \b
    Example:
      coffeechat zone "Greater Seattle Area"
      coffeechat zone Portland --json
    """
    from coffeechat.when.zones import guess_zone

    guess = guess_zone(location)
    state.show(
        View(
            shape="zone",
            record=lambda: formatters.zone_guess_record(guess),
            lines=lambda: formatters.zone_guess_lines(guess) if guess.zone else [],
        )
    )
    if guess.zone is None:
        raise CoffeechatError(
            f"no time zone for `{location}`: {guess.reason}. "
            "Set `timezone:` in the note (an IANA name such as America/Chicago)."
        )


def _their_zone(person: Person) -> ZoneInfo:
    """The contact's zone, or an error that says how to give one."""
    from zoneinfo import ZoneInfo

    from coffeechat.when.zones import contact_zone

    contact = contact_zone(person.timezone, person.location)
    if contact.zone is None:
        why = contact.guess.reason if contact.guess else "the note has no location"
        raise CoffeechatError(
            f"{formatters.display_path(person.path)}: no time zone for {person.name} ({why}); "
            f"set `timezone:`, e.g. coffeechat set {person.path.stem} timezone=America/Chicago"
        )
    return ZoneInfo(contact.zone)


@click.command()
@person_argument
@click.option(
    "--from", "from_", metavar="WHEN", help="First day to look at. Default: the next working day."
)
@click.option(
    "--days",
    default=5,
    show_default=True,
    type=click.IntRange(1, 60),
    help="How many of your available days to look over.",
)
@click.option(
    "--duration", type=click.IntRange(5, 240), help="Minutes per slot. Default: chat_minutes."
)
@click.option(
    "--count",
    default=6,
    show_default=True,
    type=click.IntRange(1, 30),
    help="How many slots to offer.",
)
@click.option(
    "--within",
    metavar="DAYS HOURS",
    help='Only these days and hours of yours, e.g. "Tue/Thu 2-4pm".',
)
@click.option(
    "--busy",
    "busy_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A calendar (.ics) whose events block slots (repeatable).",
)
@json_option
@pass_state
def slots(
    state: State,
    name: str,
    from_: str | None,
    days: int,
    duration: int | None,
    count: int,
    within: str | None,
    busy_files: tuple[Path, ...],
) -> None:
    """Offer call times in their zone, with yours beside.

    Slots fit your available days and hours (coffeechat.toml), their working hours in their
    zone (from timezone: or location:), and --within; they skip the past, chats already in
    the vault (with buffer_minutes around them) and events in busy calendars (--busy and
    busy_calendars). They are spread over different days and both halves of their day.

    \b
    Example:
      coffeechat slots priya
      coffeechat slots priya --from "next monday" --days 3 --within "afternoons"
    """
    from coffeechat.scheduling.slots import offer, outside_note
    from coffeechat.when.parse import parse_when, parse_window
    from coffeechat.when.timefmt import both_sides

    vault = state.store()
    config = vault.config
    person = state.person(name)
    their_zone = _their_zone(person)
    now = state.now().astimezone(config.zone)
    window = parse_window(within) if within else None
    first = parse_when(from_, now, config.zone).day if from_ else None
    offered = offer(
        person,
        config=config,
        their_zone=their_zone,
        now=now,
        first_day=first,
        days=days,
        minutes=duration or config.chat_minutes,
        count=count,
        within=window,
        people=state.people(),
        calendars=[vault.root / path for path in config.busy_calendars] + list(busy_files),
    )

    def notes() -> Iterator[str]:
        if any(slot.outside for slot in offered.slots):
            yield outside_note(offered.request, person.name.split()[0])
        if offered.holidays:
            yield formatters.holidays_line(offered.holidays)
        if person.chat and person.chat > now:
            when = both_sides(person.chat, config.zone, their_zone.key)
            yield f"{person.name} already has a chat on {when}; these are times to move it to."
        yield (
            f"Times in {their_zone.key} for {person.name}; record the one they pick with "
            f'coffeechat schedule {person.path.stem} "WHEN" (your time) or --their-time.'
        )

    state.show(
        View(
            shape="slots",
            record=lambda: [formatters.slot_record(slot, config.zone) for slot in offered.slots],
            lines=lambda: ["\n".join(formatters.slot_line(s, config.zone) for s in offered.slots)],
            notes=notes,
        )
    )


@click.command()
@person_argument
@click.argument("when", metavar="WHEN")
@click.option("--their-time", is_flag=True, help="Read WHEN in the contact's zone, not yours.")
@click.option("--duration", type=click.IntRange(5, 240), help="Minutes. Default: chat_minutes.")
@click.option(
    "--ics",
    "ics_path",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Where to write the invitation ('-' for stdout). Default: invites/NAME.ics in the vault.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Schedule even over another chat, in the past, outside their working hours or "
    f"more than {FAR_AHEAD_DAYS} days ahead.",
)
@pass_state
def schedule(
    state: State,
    name: str,
    when: str,
    their_time: bool,
    duration: int | None,
    ics_path: Path | None,
    force: bool,
) -> None:
    """Record a chat's time and write a calendar invite.

    The note gets `chat:` and a log line; the invitation is an .ics file.

    WHEN is read in your zone, or theirs with --their-time: "tomorrow 2pm", "Fri 9am",
    "Dec 4 14:30", "2026-12-04 14:30". A time the clocks skip or repeat (DST) is refused.
    Another chat within buffer_minutes, a time in the past, a time outside the contact's
    working hours (contact_hours, Monday to Friday, in their zone) or more than 60 days
    ahead refuses unless --force.

    \b
    Example:
      coffeechat schedule priya "Tue 1pm"
      coffeechat schedule priya "Dec 1 10:00" --their-time --ics ~/Desktop/priya.ics
    """
    from coffeechat.scheduling.ics import INVITE_BYTES, invitation_ics, sent_invitation
    from coffeechat.when.parse import moment_of, parse_when

    vault = state.store()
    config = vault.config
    person = state.person(name)
    their_zone = _their_zone(person)
    now = state.now()
    read_in = their_zone if their_time else config.zone
    moment = moment_of(parse_when(when, now, read_in), read_in).astimezone(config.zone)
    to_stdout = ics_path is not None and str(ics_path) == "-"
    default_target = vault.layout.invites / f"{person.stem}.ics"
    target = default_target if ics_path is None or to_stdout else ics_path
    booking = book(
        person,
        moment,
        minutes=duration or config.chat_minutes,
        their_zone=their_zone,
        config=config,
        now=now,
        everyone=state.people,
        # Who books it, in the UID of each chat: the address invitations come from, else
        # the name, else the vault (a user without either still has one).
        identity=config.email or config.name or str(vault.root.resolve()),
        sent=sent_invitation(vault.earlier_output(target, INVITE_BYTES)),
        force=force,
    )
    if booking.to_them:  # an invitation names them as its attendee
        from coffeechat.drafts.email import check_email

        check_email(person)
    data = invitation_ics(booking.invitation)
    # The invitation is written before the note and taken back if the note cannot be: a
    # failure leaves neither, and running the command again adds one log line, not two.
    with vault.together() as written:
        if not to_stdout:
            written.write_file(target, data, create_folder=target == default_target)
        change = (
            vault.edit(person, {"chat": moment})
            if booking.entry is None
            else vault.edit_and_log(person, {"chat": moment}, booking.entry, config.today(now))
        )
    # With --ics - stdout carries only the calendar, so it can be piped or redirected.
    say(f"{formatters.display_path(change.path)}: {change.summary}", err=to_stdout)
    if to_stdout:
        say_raw(data)  # bytes as they are: CRLF line ends, UTF-8
        return
    say(f"Invitation: {formatters.display_path(target)} (import it into your calendar)")
