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


def uid(item: DueItem) -> str:
    """`thanks-arjun-mehta-2026-11-20@coffeechat`: the same while the item is the same."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", item.key).strip("-") + "@coffeechat"


def _summary(item: DueItem) -> str:
    if item.done:
        return f"✓ {item.what}"
    late = item.overdue_days
    return item.what + (f" ({late} day{'s' if late != 1 else ''} late)" if late else "")


def due_ics(due: DueList, today: date, now: datetime) -> bytes:
    """The items of `due` (and those it lists as done) as an iCalendar file."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//coffeechat//due list//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", NAME)
    # How often a subscribing app should fetch it again (Apple, Outlook; RFC 7986).
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    # A rising SEQUENCE on every export: a strict calendar takes the new version of an event.
    sequence = int(now.timestamp()) // 60
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
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
