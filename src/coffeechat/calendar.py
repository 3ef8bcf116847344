"""Calendar files: busy times read from .ics (recurrences expanded), invitations written.

icalendar and recurring-ical-events are imported inside the functions: only `slots` and
`schedule` pay for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from coffeechat.errors import CoffeechatError

Interval = tuple[datetime, datetime]


def _instant(value: date | datetime, zone: tzinfo) -> datetime:
    """An .ics value as an aware instant: a date is its midnight, a floating time is `zone`'s."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), zone)
    return value if value.tzinfo else value.replace(tzinfo=zone)


def busy_intervals(
    paths: list[Path], start: datetime, end: datetime, zone: tzinfo
) -> list[Interval]:
    """Every busy stretch between `start` and `end` in the calendars: recurring events
    expanded (RRULE, RDATE, EXDATE, moved instances), each event in its own TZID, all-day
    events blocking their whole days in `zone`; free (TRANSPARENT) and cancelled ones skipped."""
    import icalendar
    import recurring_ical_events

    found: list[Interval] = []
    for path in paths:
        try:
            calendar = icalendar.Calendar.from_ical(path.read_bytes())
            events = recurring_ical_events.of(calendar).between(start, end)
        except OSError as error:
            raise CoffeechatError(f"{path}: cannot be read: {error.strerror}") from None
        except Exception as error:  # icalendar raises ValueError, KeyError and others
            raise CoffeechatError(
                f"{path}: not a calendar file coffeechat can read ({error}); "
                "export it again as .ics"
            ) from None
        for event in events:
            if str(event.get("TRANSP", "")).upper() == "TRANSPARENT":
                continue
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            first = event.decoded("DTSTART")
            last = event.decoded("DTEND") if "DTEND" in event else None
            if last is None:
                length = event.decoded("DURATION") if "DURATION" in event else None
                last = first + (
                    length
                    or (timedelta(days=1) if not isinstance(first, datetime) else timedelta())
                )
            found.append((_instant(first, zone), _instant(last, zone)))
    return found


@dataclass(frozen=True)
class Invitation:
    uid: str
    start: datetime  # aware, in the zone the event is written in
    minutes: int
    summary: str
    description: str
    stamp: datetime
    attendee_email: str = ""
    attendee_name: str = ""


def invitation_ics(invite: Invitation) -> bytes:
    """An RFC 5545 calendar with one VEVENT in its TZID, the VTIMEZONE it needs, and a
    15-minute reminder."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//coffeechat//coffee chat invitation//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", invite.uid)
    # One UID per person and a rising SEQUENCE: a rescheduled chat replaces the old event.
    event.add("sequence", int(invite.stamp.timestamp()) // 60)
    event.add("dtstamp", invite.stamp.astimezone(UTC))
    event.add("dtstart", invite.start)
    event.add("dtend", invite.start + timedelta(minutes=invite.minutes))
    event.add("summary", invite.summary)
    event.add("description", invite.description)
    if invite.attendee_email:
        attendee = icalendar.vCalAddress(f"mailto:{invite.attendee_email}")
        if invite.attendee_name:
            attendee.params["cn"] = icalendar.vText(invite.attendee_name)
        event.add("attendee", attendee)
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", invite.summary)
    alarm.add("trigger", timedelta(minutes=-15))
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
