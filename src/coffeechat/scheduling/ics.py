"""Calendar files: busy times read from .ics (recurrences expanded), invitations written.

icalendar and recurring-ical-events are imported inside the functions: only `slots` and
`schedule` pay for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from coffeechat.core import controls
from coffeechat.core.errors import CoffeechatError

Interval = tuple[datetime, datetime]


def _instant(value: date | datetime, zone: tzinfo) -> datetime:
    """An .ics value as an aware instant: a date is its midnight, a floating time is `zone`'s."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), zone)
    return value if value.tzinfo else value.replace(tzinfo=zone)


# Limits on a busy calendar, which may be anyone's export: its size, how many times one event
# may repeat from its start to the end of the days asked for (the rule is worked out from its
# start), how many times within those days, and how long expanding them all may take.
CALENDAR_BYTES = 10 << 20
REPEATS = 100_000
REPEATS_IN_RANGE = 10_000
EXPAND_SECONDS = 5.0
_PERIODS = {
    "SECONDLY": (1, "second"),
    "MINUTELY": (60, "minute"),
    "HOURLY": (3600, "hour"),
    "DAILY": (86400, "day"),
    "WEEKLY": (7 * 86400, "week"),
    "MONTHLY": (28 * 86400, "month"),
    "YEARLY": (365 * 86400, "year"),
}
# A BY part whose unit is shorter than the rule's period adds instances within each period
# (BYHOUR in a daily rule); one as long or longer only filters them.
_UNITS = {
    "BYSECOND": 1,
    "BYMINUTE": 60,
    "BYHOUR": 3600,
    "BYDAY": 86400,
    "BYMONTHDAY": 86400,
    "BYYEARDAY": 86400,
    "BYWEEKNO": 7 * 86400,
    "BYMONTH": 28 * 86400,
}


def _event_name(event: Any) -> str:
    summary = " ".join(str(event.get("SUMMARY", "")).split())[:60]
    uid = str(event.get("UID", ""))[:80]
    return f'"{summary}" (UID {uid})' if summary else f"UID {uid}"


def _check_repeats(path: Path, event: Any, start: datetime, end: datetime, zone: tzinfo) -> None:
    """Refuse, naming the event, a rule that would repeat too often to expand: counted from
    the rule's start (which is where expanding begins) and within [start, end)."""
    rules = event.get("RRULE")
    if rules is None or "DTSTART" not in event:
        return
    first = _instant(event.decoded("DTSTART"), zone)
    for rule in rules if isinstance(rules, list) else [rules]:
        frequency = str((rule.get("FREQ") or [""])[0]).upper()
        if frequency not in _PERIODS:
            continue
        seconds, unit = _PERIODS[frequency]
        interval = max(int((rule.get("INTERVAL") or [1])[0]), 1)
        step = seconds * interval
        per_step = 1
        for part, size in _UNITS.items():
            if size < seconds and rule.get(part):
                per_step *= len(rule[part])
        last = end
        if rule.get("UNTIL"):
            last = min(end, _instant(rule["UNTIL"][0], zone))
        repeats = max((last - first).total_seconds(), 0) / step * per_step
        if rule.get("COUNT"):
            repeats = min(repeats, int(rule["COUNT"][0]))
        every = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"
        if repeats > REPEATS:
            raise CoffeechatError(
                f"{path}: event {_event_name(event)} repeats {every} from {first:%Y-%m-%d}: "
                f"over {REPEATS:,} times up to the days asked for, the limit for a busy "
                "calendar; give the rule an end (UNTIL) or leave the event out"
            )
        within = max((last - max(first, start)).total_seconds(), 0) / step * per_step
        if within > REPEATS_IN_RANGE:
            raise CoffeechatError(
                f"{path}: event {_event_name(event)} repeats {every}: over "
                f"{REPEATS_IN_RANGE:,} times in the days asked for, the limit for a busy calendar"
            )


def busy_intervals(
    paths: list[Path], start: datetime, end: datetime, zone: tzinfo
) -> list[Interval]:
    """Every busy stretch between `start` and `end` in the calendars: recurring events
    expanded (RRULE, RDATE, EXDATE, moved instances), each event in its own TZID, all-day
    events blocking their whole days in `zone`; free (TRANSPARENT) and cancelled ones skipped.
    Each file must be a regular file under CALENDAR_BYTES, and its rules within the limits
    above."""
    import icalendar
    import recurring_ical_events

    from coffeechat.core.limits import OutOfTime, read_regular, watchdog

    found: list[Interval] = []
    for path in paths:
        data = read_regular(path, CALENDAR_BYTES, "a calendar file (.ics)")
        try:
            # Reading a busy calendar can cost as much as expanding it: one limit for both.
            with watchdog(EXPAND_SECONDS):
                calendar = icalendar.Calendar.from_ical(data)
                for event in calendar.walk("VEVENT"):
                    _check_repeats(path, event, start, end, zone)
                events = recurring_ical_events.of(calendar).between(start, end)
        except OutOfTime:
            raise CoffeechatError(
                f"{path}: reading and expanding its events took over {EXPAND_SECONDS:g} "
                "seconds, the limit for a busy calendar; export a shorter range of dates"
            ) from None
        except CoffeechatError:
            raise
        except Exception as error:  # icalendar raises ValueError, KeyError and others
            raise CoffeechatError(
                f"{path}: not a calendar file coffeechat can read ({error}); "
                "export it again as .ics"
            ) from None
        if len(events) > REPEATS_IN_RANGE:
            raise CoffeechatError(
                f"{path}: over {REPEATS_IN_RANGE:,} events in the days asked for, the limit "
                "for a busy calendar"
            )
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


# The last invitation of a chat is read back for its UID and SEQUENCE; one larger than this
# is not one coffeechat wrote.
INVITE_BYTES = 1 << 20


@dataclass(frozen=True)
class Sent:
    """What an invitation written before says about its chat: whom it was with, when, and the
    version of it calendars hold."""

    uid: str
    start: datetime
    sequence: int


def sent_invitation(data: bytes | None) -> Sent | None:
    """The UID, start and SEQUENCE of the one event in an invitation coffeechat wrote, or None
    for anything else (no file, not a calendar, another shape)."""
    if not data:
        return None
    import icalendar

    try:
        events = icalendar.Calendar.from_ical(data).walk("VEVENT")
        if len(events) != 1:
            return None
        (event,) = events
        start = event.decoded("DTSTART")
        if not isinstance(start, datetime) or start.tzinfo is None:
            return None
        return Sent(str(event["UID"]), start, int(event.get("SEQUENCE", 0)))
    except Exception:  # icalendar raises ValueError, KeyError and others
        return None


def chat_uid(stem: str, first: datetime, identity: str) -> str:
    """`priya-raman-20261127T2100Z-3f9a1c0b2d4e@coffeechat`: the person, the time the chat was
    first booked (UTC), and a digest of who books it (their address, else their name, else
    their vault), so no other chat and no other user's chat can have the same UID."""
    import hashlib

    digest = hashlib.sha256(identity.strip().casefold().encode("utf-8")).hexdigest()[:12]
    return f"{stem}-{first.astimezone(UTC):%Y%m%dT%H%MZ}-{digest}@coffeechat"


@dataclass(frozen=True)
class Invitation:
    uid: str
    start: datetime  # aware, in the zone the event is written in
    minutes: int
    summary: str
    description: str
    stamp: datetime
    sequence: int = 0  # RFC 5545 3.8.7.4: 0 when first sent, one more on every change
    attendee_email: str = ""
    attendee_name: str = ""
    organizer_email: str = ""  # the user's own address (the `email` setting)
    organizer_name: str = ""


def _repeated(moment: datetime) -> bool:
    """Whether `moment`'s wall-clock time happens twice in its zone (the clocks go back)."""
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()


def invitation_ics(invite: Invitation) -> bytes:
    """An RFC 5545 calendar with one VEVENT in its TZID, the VTIMEZONE it needs, and a
    15-minute reminder.

    With the user's and the contact's addresses it is an invitation (RFC 5546 `METHOD:REQUEST`,
    ORGANIZER and an ATTENDEE asked to reply); with only the user's, a published event
    (`METHOD:PUBLISH`, ORGANIZER and no ATTENDEE, as RFC 5546 3.2.1 asks); with neither, a
    plain RFC 5545 calendar with no METHOD (an iTIP PUBLISH must name its organizer)."""
    import icalendar

    # TEXT and parameter values may hold no control characters (RFC 5545 3.3.11, 3.1);
    # line breaks are TEXT's own `\\n`. Bidi controls go too: the file may be printed.
    text = controls.strip
    invite = replace(
        invite,
        uid=text(invite.uid),
        summary=text(invite.summary),
        description=text(invite.description),
        attendee_name=text(invite.attendee_name),
        organizer_name=text(invite.organizer_name),
    )
    request = bool(invite.organizer_email and invite.attendee_email)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//coffeechat//coffee chat invitation//EN")
    calendar.add("version", "2.0")
    if invite.organizer_email:
        calendar.add("method", "REQUEST" if request else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", invite.uid)
    # One UID per chat and a SEQUENCE one higher on every change: a moved chat replaces the
    # old event, even in a strict calendar and within the same minute.
    event.add("sequence", invite.sequence)
    event.add("dtstamp", invite.stamp.astimezone(UTC))
    start = invite.start  # the end is counted in elapsed time, not on a clock that may jump
    end = (start.astimezone(UTC) + timedelta(minutes=invite.minutes)).astimezone(start.tzinfo)
    if any(_repeated(moment) for moment in (start, end)):
        # A local time the clocks repeat means its first occurrence (RFC 5545 3.3.5): an
        # instant in the second one, or either one in doubt, is written in UTC.
        start, end = start.astimezone(UTC), end.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", invite.summary)
    event.add("description", invite.description)
    if invite.organizer_email:
        organizer = icalendar.vCalAddress(f"mailto:{invite.organizer_email}")
        if invite.organizer_name:
            organizer.params["cn"] = icalendar.vText(invite.organizer_name)
        event.add("organizer", organizer)
    if request:
        attendee = icalendar.vCalAddress(f"mailto:{invite.attendee_email}")
        if invite.attendee_name:
            attendee.params["cn"] = icalendar.vText(invite.attendee_name)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        attendee.params["rsvp"] = icalendar.vText("TRUE")
        event.add("attendee", attendee)
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", invite.summary)
    alarm.add("trigger", timedelta(minutes=-15))
    event.add_component(alarm)
    tzid = event["DTSTART"].params.get("TZID")  # none for UTC, written as …Z
    if tzid and isinstance(invite.start.tzinfo, ZoneInfo):
        calendar.add_component(vtimezone(invite.start.tzinfo, invite.start))
    calendar.add_component(event)
    calendar.add_missing_timezones()  # only for a zone that is not a ZoneInfo
    return calendar.to_ical()


# --- VTIMEZONE ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Onset:
    """A yearly change of offset, as a POSIX TZ rule gives it: `Mmonth.week.weekday/time`."""

    month: int
    week: int  # 1-4, or 5 for the last one in the month
    weekday: int  # 0 is Sunday, as in POSIX
    seconds: int  # local time (before the change) after midnight; may be < 0 or >= 24 h
    offset_from: timedelta
    offset_to: timedelta
    name: str

    def local(self, year: int) -> datetime:
        """When it happens in `year`, as a wall-clock time before the change."""
        import calendar

        first_weekday = (self.weekday - 1) % 7  # Python counts from Monday
        if self.week == 5:
            last = calendar.monthrange(year, self.month)[1]
            day = last - (date(year, self.month, last).weekday() - first_weekday) % 7
        else:
            day = 1 + (first_weekday - date(year, self.month, 1).weekday()) % 7
            day += 7 * (self.week - 1)
        return datetime(year, self.month, day) + timedelta(seconds=self.seconds)

    def rrule(self) -> dict[str, object] | None:
        """The RFC 5545 rule that gives the same days, or None when none can."""
        days = self.seconds // 86400
        byday = _ICAL_DAYS[(self.weekday + days) % 7]
        if days == 0:
            week = -1 if self.week == 5 else self.week
            return {"FREQ": "YEARLY", "BYMONTH": self.month, "BYDAY": f"{week}{byday}"}
        # Moved to another day by a time past 24:00 (Israel: Thursday 26:00 is Friday 02:00):
        # that weekday among the seven month-days the week covers, shifted.
        shortest = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[self.month - 1]
        if self.week == 5:
            first, last = -7 + days, -1 + days
            fits = last <= -1 and first >= -shortest
        else:
            first, last = 7 * (self.week - 1) + 1 + days, 7 * self.week + days
            fits = first >= 1 and last <= shortest
        if not fits:
            return None
        monthdays = list(range(first, last + 1))
        return {"FREQ": "YEARLY", "BYMONTH": self.month, "BYDAY": byday, "BYMONTHDAY": monthdays}


_ICAL_DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
_POSIX_NAME = r"(<[^>]+>|[A-Za-z]{3,})"
_POSIX_OFFSET = r"([-+]?\d{1,3}(?::\d{2}){0,2})"
_POSIX_TZ = re.compile(
    rf"^{_POSIX_NAME}{_POSIX_OFFSET}(?:{_POSIX_NAME}{_POSIX_OFFSET}?,([^,]+),([^,]+))?$"
)
_POSIX_ONSET = re.compile(rf"^M(\d{{1,2}})\.([1-5])\.([0-6])(?:/{_POSIX_OFFSET})?$")


def _posix_seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def _posix_tz_string(zone: ZoneInfo) -> str | None:
    """The rule a zone follows from its last listed change on: the POSIX TZ string that ends
    its TZif file (RFC 8536), found where zoneinfo finds the file."""
    import zoneinfo
    from importlib import resources

    key = zone.key
    if not key:
        return None
    data = None
    for base in zoneinfo.TZPATH:
        path = Path(base, key)
        if path.is_file():
            data = path.read_bytes()
            break
    if data is None:
        try:
            package, _, name = f"tzdata.zoneinfo.{key}".replace("/", ".").rpartition(".")
            data = resources.files(package).joinpath(name).read_bytes()
        except (ImportError, OSError, ValueError):
            return None
    if not data.startswith(b"TZif") or data[4:5] < b"2" or not data.endswith(b"\n"):
        return None
    return data[:-1].rsplit(b"\n", 1)[-1].decode("ascii", "replace")


def _onsets(rule: str) -> tuple[timedelta, str, list[_Onset]] | None:
    """The standard offset and name, and the yearly changes (none in a zone without DST)."""
    match = _POSIX_TZ.match(rule)
    if not match:
        return None
    std_name, std_offset, dst_name, dst_offset, start, end = match.groups()
    standard = timedelta(seconds=-_posix_seconds(std_offset))
    if dst_name is None:
        return standard, std_name.strip("<>"), []
    daylight = (
        timedelta(seconds=-_posix_seconds(dst_offset))
        if dst_offset
        else standard + timedelta(hours=1)
    )
    onsets = []
    for text, before, after, name in (
        (start, standard, daylight, dst_name),
        (end, daylight, standard, std_name),
    ):
        parts = _POSIX_ONSET.match(text)
        if not parts:
            return None  # the Jn and n forms: no zone uses them today
        month, week, weekday = (int(part) for part in parts.group(1, 2, 3))
        seconds = _posix_seconds(parts.group(4)) if parts.group(4) else 7200
        onsets.append(_Onset(month, week, weekday, seconds, before, after, name.strip("<>")))
    return standard, std_name.strip("<>"), onsets


def _rule_holds(zone: ZoneInfo, standard: timedelta, onsets: list[_Onset], years: range) -> bool:
    """Whether the rule gives zoneinfo's offset at every change and every noon in `years`."""

    def offset(instant: datetime) -> timedelta | None:
        return instant.astimezone(zone).utcoffset()

    changes = sorted(
        ((onset.local(year) - onset.offset_from).replace(tzinfo=UTC), onset)
        for year in years
        for onset in onsets
    )
    for instant, onset in changes:
        if offset(instant - timedelta(seconds=1)) != onset.offset_from:
            return False
        if offset(instant) != onset.offset_to:
            return False
    expected = changes[0][1].offset_from if changes else standard
    day, upcoming = datetime(years.start, 1, 1, 12, tzinfo=UTC), list(changes)
    while day.year < years.stop:
        while upcoming and upcoming[0][0] <= day:
            expected = upcoming.pop(0)[1].offset_to
        if offset(day) != expected:
            return False
        day += timedelta(days=1)
    return True


def vtimezone(zone: ZoneInfo, around: datetime) -> Any:
    """A VTIMEZONE for `zone` that holds from the year before `around` on, for ever: one
    STANDARD and one DAYLIGHT component with yearly RRULEs from the zone's current rule.

    A zone whose coming changes follow no yearly rule (Morocco's Ramadan months, a zone in
    the middle of changing its rule) gets icalendar's list of dates instead, covering `around`.
    """
    import icalendar

    first_year = around.year - 1
    years = range(first_year, around.year + 2)
    rule = _posix_tz_string(zone)
    parsed = _onsets(rule) if rule else None
    rules = [onset.rrule() for onset in parsed[2]] if parsed else []
    if parsed is None or None in rules or not _rule_holds(zone, parsed[0], parsed[2], years):
        return icalendar.Timezone.from_tzinfo(
            zone,
            tzid=zone.key,
            first_date=date(first_year, 1, 1),
            last_date=date(around.year + 2, 1, 1),
        )
    standard, name, onsets = parsed
    timezone = icalendar.Timezone()
    timezone.add("tzid", zone.key)
    if not onsets:
        component = icalendar.TimezoneStandard()
        component.add("dtstart", datetime(first_year, 1, 1))
        component.add("tzoffsetfrom", standard)
        component.add("tzoffsetto", standard)
        component.add("tzname", name)
        timezone.add_component(component)
        return timezone
    for onset, rrule in zip(onsets, rules, strict=True):
        # The summer offset is DAYLIGHT, even where the law calls winter's the exception.
        summer = onset.offset_to > onset.offset_from
        part: Any = icalendar.TimezoneDaylight() if summer else icalendar.TimezoneStandard()
        part.add("dtstart", onset.local(first_year))
        part.add("rrule", rrule)
        part.add("tzoffsetfrom", onset.offset_from)
        part.add("tzoffsetto", onset.offset_to)
        part.add("tzname", onset.name)
        timezone.add_component(part)
    return timezone
