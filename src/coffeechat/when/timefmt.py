"""How times read: `Wed Nov 25, 3:00 PM CST (1:00 PM PST for them)`.

Plain functions over aware datetimes, shared by the domain (prep sheets, the due list) and the
formatters; nothing here knows about the terminal.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

# The days of the week, Monday first as `date.weekday()` counts them; short forms are their
# first three letters (`Mon`; `mon` in settings and typed times).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHORT_WEEKDAYS = tuple(day[:3] for day in WEEKDAYS)


def clock_time(moment: datetime) -> str:
    """`9:05 AM`: how people read a time."""
    return moment.strftime("%I:%M %p").lstrip("0")


def day_and_time(moment: datetime, zone_name: bool = True, today: date | None = None) -> str:
    """`Tue Dec 1, 10:00 AM PST`: the day, the time and the zone's abbreviation on that day;
    with `today`, the year too when it is another one (`Tue Dec 9, 2025, 12:00 PM CST`)."""
    text = f"{short_day(moment.date(), today)}, {clock_time(moment)}"
    return f"{text} {zone_abbreviation(moment)}" if zone_name else text


def zone_abbreviation(moment: datetime) -> str:
    """PST, CET, IST; `UTC+5:45` where the zone has no letters for itself."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    hours, rest = divmod(minutes, 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def both_sides(
    moment: datetime, my_zone: tzinfo, their_zone: str | None, today: date | None = None
) -> str:
    """`Wed Nov 25, 3:00 PM CST (1:00 PM PST for them)`: a time as both people read it; with
    `today`, the year too when it is another one."""
    mine = day_and_time(moment.astimezone(my_zone), today=today)
    if their_zone is None:
        return mine
    theirs = moment.astimezone(ZoneInfo(their_zone))
    if theirs.utcoffset() == moment.astimezone(my_zone).utcoffset():
        return f"{mine} (same for them)"
    same_day = theirs.date() == moment.astimezone(my_zone).date()
    their_text = (
        f"{clock_time(theirs)} {zone_abbreviation(theirs)}"
        if same_day
        else day_and_time(theirs, today=today)
    )
    return f"{mine} ({their_text} for them)"


def plural(count: int, noun: str) -> str:
    """`1 day`, `3 days`, `1 older item`: a count with its noun agreeing."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def short_day(day: date, today: date | None = None) -> str:
    """`Thu Nov 26`; with `today`, the year too when it is another one (`Tue Dec 9, 2025`),
    so a date a year off never passes for this year's."""
    return _short_day(day, today is not None and day.year != today.year)


@functools.lru_cache(maxsize=1024)
def _short_day(day: date, with_year: bool) -> str:
    # A big vault's due list names the same few days thousands of times.
    text = f"{day.strftime('%a %b')} {day.day}"
    return f"{text}, {day.year}" if with_year else text
