"""Booking one chat: whether a time can be taken, and the log line and invitation it makes.

`schedule` refuses, unless forced, a time in the past, one more than `FAR_AHEAD_DAYS` ahead
(more likely a misread date than a plan), one outside the contact's working hours in their
zone, and one that runs into another chat or the buffer kept free around it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from coffeechat.core.errors import CoffeechatError
from coffeechat.core.limits import FAR_AHEAD_DAYS
from coffeechat.model.config import Config
from coffeechat.model.names import label
from coffeechat.model.note import Person
from coffeechat.when.timefmt import both_sides, day_and_time

if TYPE_CHECKING:
    from coffeechat.scheduling.ics import Interval, Invitation, Sent


@dataclass(frozen=True)
class Booking:
    moment: datetime  # in the user's zone
    minutes: int
    entry: str | None  # the note's log line; None when the note already holds this time
    invitation: Invitation

    @property
    def to_them(self) -> bool:
        """Whether the invitation goes to the contact (both addresses known), not only to
        the user's own calendar."""
        return bool(self.invitation.organizer_email and self.invitation.attendee_email)


def book(
    person: Person,
    moment: datetime,
    *,
    minutes: int,
    their_zone: ZoneInfo,
    config: Config,
    now: datetime,
    everyone: Callable[[], list[Person]],
    identity: str,
    sent: Sent | None = None,
    force: bool = False,
) -> Booking:
    """The booking of a chat with `person` at `moment` (in the user's zone), or the error
    that says why the time will not do. The vault's people (`everyone`) are read only once
    the time itself has passed the checks, and then always, forced or not. `identity` and
    `sent` (the chat's last invitation, if any) give the invitation its UID and SEQUENCE
    (`invitation_for`)."""
    if not force:
        check_time(moment, minutes, person=person, their_zone=their_zone, config=config, now=now)
    from coffeechat.scheduling.slots import chat_intervals

    taken = chat_intervals(everyone(), config.chat_minutes, config.buffer_minutes, person.path)
    for interval, other in taken:
        if clash(moment, minutes, interval, config.buffer_minutes) and not force:
            assert other.chat is not None  # chat_intervals holds only people with a chat
            raise CoffeechatError(
                f"clashes with the chat with {other.name} at "
                f"{day_and_time(other.chat.astimezone(config.zone))}"
                f" ({config.buffer_minutes} minutes kept free around it); pick another time "
                "or --force"
            )
    return Booking(
        moment=moment,
        minutes=minutes,
        entry=log_entry(person, moment, now=now, config=config, their_zone=their_zone),
        invitation=invitation_for(
            person,
            moment,
            minutes=minutes,
            now=now,
            config=config,
            their_zone=their_zone,
            identity=identity,
            sent=sent,
        ),
    )


def check_time(
    moment: datetime,
    minutes: int,
    *,
    person: Person,
    their_zone: ZoneInfo,
    config: Config,
    now: datetime,
) -> None:
    """Refuse a time the contact would not take: in the past, outside their working hours
    in their zone, or so far ahead that the date was probably misread."""
    if moment <= now:
        raise CoffeechatError(
            f"{day_and_time(moment.astimezone(config.zone))} is in the past; give a later time "
            "(or --force to record it anyway)"
        )
    if moment - now > timedelta(days=FAR_AHEAD_DAYS):
        raise CoffeechatError(
            f"{day_and_time(moment.astimezone(config.zone))} is "
            f"{(moment - now).days} days away; check the date (or --force to book it anyway)"
        )
    from coffeechat.scheduling.slots import config_windows

    _, hours = config_windows(config)
    start = moment.astimezone(their_zone)
    if not hours.holds(start, start + timedelta(minutes=minutes)):
        raise CoffeechatError(
            f"that is {day_and_time(start)} for {person.name}, outside their working hours "
            f"({config.contact_hours}, Monday to Friday); pick a time from "
            f"`coffeechat slots {person.stem}` (or --force to book it anyway)"
        )


def clash(moment: datetime, minutes: int, taken: Interval, buffer_minutes: int) -> bool:
    """Whether a chat of `minutes` from `moment` runs into `taken`, a chat already in the
    vault widened by the buffer on both sides (`chat_intervals`). The new chat's end is
    widened by the buffer as well, so before another chat twice the buffer is kept free."""
    start, end = taken
    return moment < end and start < moment + timedelta(minutes=minutes + buffer_minutes)


def log_entry(
    person: Person, moment: datetime, *, now: datetime, config: Config, their_zone: ZoneInfo
) -> str | None:
    """The note's log line: scheduled, or moved from an upcoming time; None for the time the
    note already holds (running the command again adds no second line)."""
    if person.chat == moment:
        return None
    both = both_sides(moment, config.zone, their_zone.key)
    if person.chat and person.chat > now:
        before = both_sides(person.chat, config.zone, their_zone.key)
        return f"moved the chat from {before} to {both}"
    return f"scheduled the chat for {both}"


def invitation_for(
    person: Person,
    moment: datetime,
    *,
    minutes: int,
    now: datetime,
    config: Config,
    their_zone: ZoneInfo,
    identity: str,
    sent: Sent | None = None,
) -> Invitation:
    """The chat's calendar event. With both addresses it is an invitation they receive: it
    names you both and carries none of your own tooling; without, it is for your calendar
    alone.

    The same chat is the upcoming `chat:` of the note: moving it keeps the UID of its last
    invitation (`sent`, when that invitation is for the time the note holds) with a SEQUENCE
    one higher, so calendars replace the event; the same time again keeps both. Without that
    invitation the UID is made again from the time the note holds (the first booking's, unless
    the chat was moved before) with SEQUENCE 1. A chat booked when none is upcoming is a new
    chat: a new UID from its time, SEQUENCE 0."""
    summary = f"Coffee chat with {person.name}" + (
        f" ({label(person.company)})" if person.company else ""
    )
    description = (
        f"Prepare: coffeechat prep {person.stem}\nAfterwards: coffeechat draft thanks {person.stem}"
    )
    if person.email and config.email:
        summary = f"Coffee chat: {config.name or 'me'} and {person.name}"
        when = both_sides(moment, config.zone, their_zone.key)
        description = f"A {minutes}-minute chat, {when}."
    from coffeechat.scheduling.ics import Invitation, chat_uid

    upcoming = person.chat if person.chat and person.chat > now else None
    if upcoming is None:
        uid, sequence = chat_uid(person.stem, moment, identity), 0
    elif sent is not None and sent.start == upcoming:
        uid, sequence = sent.uid, sent.sequence + (upcoming != moment)
    else:  # moved, its last invitation not at hand: the UID it was first sent with
        uid, sequence = chat_uid(person.stem, upcoming, identity), int(upcoming != moment)
    return Invitation(
        uid=uid,
        start=moment,
        minutes=minutes,
        summary=summary,
        description=description,
        stamp=now,
        sequence=sequence,
        attendee_email=person.email,
        attendee_name=person.name,
        organizer_email=config.email,
        organizer_name=config.name,
    )
