"""`due --ics`: the due list as a calendar to subscribe to.

One all-day VEVENT per item, not a VTODO: calendar apps (Google Calendar, Outlook, Apple
Calendar's subscriptions) and khal show events from a subscribed file and ignore its to-dos,
and a reminder nobody sees is no reminder. Each event's UID comes from what the item is about
(the rule, the person, the day it counts from), so a fresh export replaces the events of the
last one instead of adding copies: an item still open moves to the day of the export (with how
late it is), and one done since shows, ticked, on the day it was done.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from coffeechat.core import controls
from coffeechat.pipeline.due import DueItem, DueList

# The export also holds what falls due in the next two weeks, on its own day.
DAYS_AHEAD = 14
NAME = "coffeechat due"
# The last export is read back for its SEQUENCE; a file larger than this is not one.
EXPORT_BYTES = 8 << 20


def uid(item: DueItem) -> str:
    """`thanks-arjun-mehta-2026-11-20@coffeechat`: the same while the item is the same."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", item.key).strip("-") + "@coffeechat"


def _summary(item: DueItem) -> str:
    if item.done:
        return f"✓ {item.what}"
    late = item.overdue_days
    return item.what + (f" ({late} day{'s' if late != 1 else ''} late)" if late else "")


def last_sequence(data: bytes | None) -> int:
    """The highest SEQUENCE in an export written before (0 for none, or for a file that is
    not one)."""
    if not data:
        return 0
    import icalendar

    try:
        events = icalendar.Calendar.from_ical(data).walk("VEVENT")
        return max((int(event.get("SEQUENCE", 0)) for event in events), default=0)
    except Exception:  # icalendar raises ValueError, KeyError and others
        return 0


def due_ics(
    due: DueList,
    today: date,
    now: datetime,
    organizer_email: str = "",
    organizer_name: str = "",
    after_sequence: int = 0,
) -> bytes:
    """The items of `due` (and those it lists as done) as an iCalendar file.

    With the user's address (the `email` setting) it is a published calendar as RFC 5546
    3.2.1 has it: `METHOD:PUBLISH` and the user as every event's ORGANIZER. Without one it is a
    plain RFC 5545 calendar with no METHOD, which asks for no organizer; calendars subscribe
    to and import both alike. Every event's SEQUENCE is above `after_sequence` (the last
    export's, `last_sequence`) and the minutes since 1970, so each export is newer than the
    one before, even within the same minute."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//coffeechat//due list//EN")
    calendar.add("version", "2.0")
    if organizer_email:
        calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", NAME)
    # How often a subscribing app should fetch it again (Apple, Outlook; RFC 7986).
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    # A rising SEQUENCE on every export: a strict calendar takes the new version of an event.
    sequence = max(int(now.timestamp()) // 60, after_sequence + 1)
    for item in [*due.items, *due.done]:
        day = item.done or max(item.due, today)
        event = icalendar.Event()
        event.add("uid", uid(item))
        event.add("sequence", sequence)
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        # Note text, without the controls iCalendar TEXT may not hold (RFC 5545 3.3.11).
        event.add("summary", controls.strip(_summary(item)))
        event.add(
            "description",
            controls.strip(f"Done on {item.done}." if item.done else f"Run: {item.command}")
            + f"\n\nFrom `coffeechat due`, exported {today}.",
        )
        event.add("categories", ["coffeechat", item.kind])
        event.add("transp", "TRANSPARENT")  # a reminder, not time taken
        if organizer_email:
            organizer = icalendar.vCalAddress(f"mailto:{organizer_email}")
            if organizer_name:
                organizer.params["cn"] = icalendar.vText(controls.strip(organizer_name))
            event.add("organizer", organizer)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
