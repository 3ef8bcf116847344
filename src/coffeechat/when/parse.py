"""Dates and times the user types on the command line, read in the user's own zone."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache

from coffeechat.core.errors import UsageError
from coffeechat.core.limits import YEARS
from coffeechat.core.patterns import lazy
from coffeechat.when.timefmt import SHORT_WEEKDAYS, WEEKDAYS

_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_DAYS_AGO = lazy(r"^(\d+)\s+days?\s+ago$")
DAY_EXAMPLES = "2026-11-23, today, yesterday, 3 days ago, last friday, Nov 20"
MOMENT_EXAMPLES = '2026-11-25 15:00, 2026-11-25T15:00-08:00, now, "tomorrow 2pm", "Fri 9am"'


def _too_far(text: str) -> UsageError:
    return UsageError(f"`{text}` is not a usable date (years {YEARS[0]}-{YEARS[1]})")


def _near(day: date, text: str) -> date:
    """`day`, when it is in the years the tool computes with (near year 1 or 9999 a zone or a
    duration would overflow); the same years a note's dates must be in."""
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise _too_far(text)
    return day


def parse_day(text: str, now: datetime, zone: tzinfo, past: bool = True) -> date:
    """A calendar day: ISO 8601, `today`, `yesterday`, `tomorrow`, `N days ago`, the day
    phrases WHEN reads ("Fri", "Dec 10", "the 4th"), or (through dateparser, loaded only
    then) words such as `last friday`. A day the text leaves open is the latest one not after
    today, since milestones record what already happened (`past=False`: the next one)."""
    cleaned = " ".join(text.lower().split())
    today = now.astimezone(zone).date()
    if cleaned in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[cleaned])
    if match := _DAYS_AGO.match(cleaned):
        try:
            return today - timedelta(days=int(match.group(1)))
        except OverflowError:
            raise _too_far(text) from None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    try:
        day = _day_phrase(cleaned, today, past)
    except ValueError:  # a day the month does not have: dateparser says so
        day = None
    if day is not None:
        return day
    import dateparser

    settings = {
        "PREFER_DATES_FROM": "past" if past else "future",
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except OverflowError:
        raise _too_far(text) from None
    if parsed is None:
        raise UsageError(f"cannot read `{text}` as a day; try {DAY_EXAMPLES}")
    return parsed.date()


def parse_moment(text: str, now: datetime, zone: tzinfo, past: bool = False) -> datetime:
    """An instant: ISO 8601 (a time without an offset is in `zone`), `now`, or a day and time
    in the WHEN grammar `schedule` reads ("tomorrow 2pm", "Fri 9am", "yesterday 4:30pm").
    `past`: what is recorded happened, so a day the text leaves open ("Fri 3pm", "Dec 10 1pm")
    is the latest one not after now, not the next one."""
    cleaned = text.strip()
    if cleaned.lower() == "now":
        return now.astimezone(zone).replace(second=0, microsecond=0)
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        try:
            when = parse_when(cleaned, now, zone, past)
        except UsageError as error:
            if str(error).startswith("cannot read"):
                raise UsageError(
                    f"cannot read `{text}` as a date and time; try {MOMENT_EXAMPLES}"
                ) from None
            raise
        return moment_of(when, zone)
    if len(cleaned) <= 10:
        raise UsageError(f"`{text}` has no time of day; try {MOMENT_EXAMPLES}")
    try:
        return moment if moment.tzinfo else localize(moment, zone)
    except OverflowError:
        raise _too_far(text) from None


def localize(naive: datetime, zone: tzinfo) -> datetime:
    """`naive` as a wall-clock time in `zone`, refusing times a DST change skips or repeats."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if back != naive:
            raise UsageError(
                f"{naive:%Y-%m-%d %H:%M} does not exist in {zone} (the clocks skip it); "
                "pick another time"
            )
        raise UsageError(
            f"{naive:%Y-%m-%d %H:%M} happens twice in {zone} (the clocks go back); "
            "add the offset, e.g. 2026-11-01T01:30-05:00"
        )
    return first


WHEN_EXAMPLES = (
    '"tomorrow 2pm", "Fri 9am", "next Tuesday 10:30", "Dec 4 14:30", "in 3 days 11am", '
    '"2026-12-04 14:30"'
)
WINDOW_EXAMPLES = '"weekdays 9-12", "Tue/Thu 2-4pm", "after 3pm", "mornings", "Mon-Wed"'

_WEEKDAYS = {
    **{name.lower(): number for number, name in enumerate(SHORT_WEEKDAYS)},
    **{name.lower(): number for number, name in enumerate(WEEKDAYS)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_CLOCK = r"(?:noon|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?)"
_TIME_AT_END = lazy(rf"^(?P<rest>.*?)\s*(?:\bat\s+)?(?P<time>{_CLOCK})$")
_IN_DAYS = lazy(r"^in\s+(\d+)\s+(day|days|week|weeks)$")
# A day of the month with no month: "the 4th", "4th", "Mon the 25th".
_ORDINAL = lazy(r"^(?:(?P<weekday>(?!the\b)[a-z]+)\s+)?(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)$")
# A time before the day: "3pm on the 4th", "14:30 tomorrow" (a bare "4" is a day, not a time).
_TIME_AT_START = lazy(
    r"^(?P<time>noon|midnight|\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?"
    r"|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.))\s+(?:on\s+|at\s+)?(?P<rest>.+)$"
)
_MONTH_DAY = lazy(
    r"^(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?$"
)
_DAY_MONTH = lazy(
    r"^(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]+)\.?(?:,?\s+(?P<year>\d{4}))?$"
)


def _clock(text: str, pm_default: bool | None = None) -> time:
    """`2pm`, `14:30`, `9:05 a.m.`, `noon` -> a time; refuses 25:00 and 13pm."""
    cleaned = text.replace(".", "").replace(" ", "")
    if cleaned == "noon":
        return time(12)
    if cleaned == "midnight":
        return time(0)
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(am|pm)?", cleaned)
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half is None and pm_default is not None and hour < 12:
        half = "pm" if pm_default else "am"
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(text)
    return time(hour, minute)


def _day_phrase(text: str, today: date, past: bool = False) -> date | None:
    """The day part of a WHEN, preferring the future (or with `past`, the latest day not after
    today); None when it is not one of ours."""
    words = text.replace(",", " ").split()
    if words and words[0] in ("on", "this", "next", "coming"):
        words = words[1:]
    cleaned = " ".join(words)
    if cleaned in ("", "today"):
        return today
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    match = _ORDINAL.match(cleaned)
    if match and match.group("weekday") in (None, *_WEEKDAYS):
        return _next_day_of_month(int(match.group("day")), match.group("weekday"), today, past)
    if match := _IN_DAYS.match(cleaned):
        count = int(match.group(1))
        return today + timedelta(days=count * (7 if match.group(2).startswith("week") else 1))
    if cleaned in _WEEKDAYS:
        if past:
            return today - timedelta(days=(today.weekday() - _WEEKDAYS[cleaned]) % 7)
        ahead = (_WEEKDAYS[cleaned] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    with contextlib.suppress(ValueError):
        return date.fromisoformat(cleaned)
    match = _MONTH_DAY.match(cleaned) or _DAY_MONTH.match(cleaned)
    if match and match.group("month") in _MONTHS:
        month, day = _MONTHS[match.group("month")], int(match.group("day"))
        if match.group("year"):
            return date(int(match.group("year")), month, day)
        candidate = date(today.year, month, day)
        if past:
            return candidate if candidate <= today else date(today.year - 1, month, day)
        return candidate if candidate >= today else date(today.year + 1, month, day)
    return None


def _next_day_of_month(number: int, weekday: str | None, today: date, past: bool = False) -> date:
    """The next day (today included) with that day of the month, or with `past` the latest
    one: "the 4th" never guesses a month further off than the nearest that has the day. "Mon
    the 25th" must be a Monday."""
    if weekday is not None and weekday not in _WEEKDAYS:
        raise ValueError(weekday)
    if not 1 <= number <= 31:
        raise ValueError(number)
    year, month = today.year, today.month
    while True:
        with contextlib.suppress(ValueError):
            day = date(year, month, number)
            if (day <= today) if past else (day >= today):
                break
        if past:
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        else:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if weekday is not None and day.weekday() != _WEEKDAYS[weekday]:
        raise UsageError(
            f"the {'last' if past else 'next'} {number}{_suffix(number)} is {day:%A %b} "
            f"{day.day}, not a "
            f'{WEEKDAYS[_WEEKDAYS[weekday]]}; give the month, e.g. "Dec {number} 3pm"'
        )
    return day


def _suffix(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


@dataclass(frozen=True)
class When:
    """What the user meant: a day, and a wall-clock time when they gave one; `instant` when
    they gave an offset too, which settles a time the clocks repeat."""

    day: date
    time: time | None
    instant: datetime | None = None


def parse_when(text: str, now: datetime, zone: tzinfo, past: bool = False) -> When:
    """Read WHEN in `zone`, preferring the future: our own grammar first, then dateparser
    for rarer phrasings, whose answer is refused if it ignored a number the user typed. A
    day outside the years the tool computes with (core.limits.YEARS) is refused."""
    try:
        when = _parse_when(text, now, zone, past)
    except OverflowError:
        raise _too_far(text) from None
    _near(when.day, text)
    return when


def _parse_when(text: str, now: datetime, zone: tzinfo, past: bool = False) -> When:
    cleaned = " ".join(text.lower().split())
    today = now.astimezone(zone).date()
    with contextlib.suppress(ValueError):
        moment = datetime.fromisoformat(cleaned.upper())
        if moment.tzinfo:
            instant = moment.astimezone(zone)
            return When(instant.date(), instant.time(), instant)
        return When(moment.date(), moment.time() if len(cleaned) > 10 else None)
    try:
        day = _day_phrase(cleaned, today, past)
        if day is not None:
            return When(day, None)
        match = _TIME_AT_END.match(cleaned)
        if match:
            at = _clock(match.group("time"))
            day = _day_phrase(match.group("rest"), today, past)
            if day is not None:
                clock_now = now.astimezone(zone).time()
                if not match.group("rest") and not past and at <= clock_now:
                    day += timedelta(days=1)
                elif not match.group("rest") and past and at > clock_now:
                    day -= timedelta(days=1)  # "3pm" before 3pm: yesterday's
                return When(day, at)
        match = _TIME_AT_START.match(cleaned)
        if match:
            day = _day_phrase(match.group("rest"), today, past)
            if day is not None:
                return When(day, _clock(match.group("time")))
    except ValueError:
        raise UsageError(
            f"cannot read `{text}`: no such day or time; try {WHEN_EXAMPLES}"
        ) from None
    return _dateparser_when(text, cleaned, now, zone, past)


def _dateparser_when(
    text: str, cleaned: str, now: datetime, zone: tzinfo, past: bool = False
) -> When:
    import dateparser

    settings = {
        "PREFER_DATES_FROM": "past" if past else "future",
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    unexplained = [
        number
        for number in re.findall(r"\d+", cleaned)
        if parsed is None or int(number) not in _numbers_in(parsed)
    ]
    if (
        parsed is None
        or unexplained
        or re.search(r"[a-z]{2,}\s*-\s*[a-z]{2,}|\d\s*-\s*\d", cleaned)
    ):
        raise UsageError(f"cannot read `{text}` as one day and time; try {WHEN_EXAMPLES}")
    # dateparser fills in what the text leaves out: a month for a bare day ("the 4th" became
    # a day months ahead), or a date that is not the weekday the text names. Refuse both.
    words = set(re.findall(r"[a-z]+", cleaned))
    if re.search(r"\d(?:st|nd|rd|th)\b", cleaned) and not words & set(_MONTHS):
        raise UsageError(f"`{text}` names a day but no month; try {WHEN_EXAMPLES}")
    named = {_WEEKDAYS[word] for word in words if word in _WEEKDAYS}
    if named and parsed.weekday() not in named:
        raise UsageError(
            f"`{text}` reads as {parsed:%A %b} {parsed.day}, another weekday; try {WHEN_EXAMPLES}"
        )
    has_time = bool(re.search(r"\d\s*(am|pm)|\d:\d|noon|midnight", cleaned))
    return When(parsed.date(), parsed.time() if has_time else None)


def _numbers_in(moment: datetime) -> set[int]:
    hour12 = moment.hour % 12 or 12
    return {moment.year, moment.month, moment.day, moment.hour, hour12, moment.minute}


def moment_of(when: When, zone: tzinfo) -> datetime:
    """The instant a WHEN with a time names in `zone`, refusing DST gaps and folds."""
    if when.instant is not None:  # `2027-11-07T01:30-05:00`: the offset says which 1:30
        return when.instant.astimezone(zone)
    if when.time is None:
        raise UsageError(f"give a time of day as well, e.g. {WHEN_EXAMPLES}")
    return localize(datetime.combine(when.day, when.time), zone)


@dataclass(frozen=True)
class Window:
    """A recurring stretch of the week: days (0 = Monday) and hours, in one zone."""

    days: frozenset[int]
    start: time
    end: time  # time(0) at the end means midnight

    def holds(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end), both in the window's zone and on one day, falls inside."""
        stop = self.end if self.end != time(0) else time.max
        same_day = end.date() == start.date() or end.time() == time(0)
        end_time = end.time() if end.time() != time(0) else time.max
        return (
            start.weekday() in self.days
            and same_day
            and self.start <= start.time()
            and end_time <= stop
        )


ALL_DAYS = frozenset(range(7))
_DAY_SETS = {"weekdays": frozenset(range(5)), "weekends": frozenset({5, 6}), "daily": ALL_DAYS}
_PARTS_OF_DAY = {
    "mornings": (time(0), time(12)),
    "morning": (time(0), time(12)),
    "afternoons": (time(12), time(17)),
    "afternoon": (time(12), time(17)),
    "evenings": (time(17), time(0)),
    "evening": (time(17), time(0)),
}


def _window_days(text: str) -> frozenset[int]:
    if text in _DAY_SETS:
        return _DAY_SETS[text]
    days: set[int] = set()
    for part in re.split(r"\s*(?:/|,|\band\b|&)\s*|\s+", text):
        if not part:
            continue
        if "-" in part:
            first, last = part.split("-", 1)
            if first not in _WEEKDAYS or last not in _WEEKDAYS:
                raise ValueError(part)
            number = _WEEKDAYS[first]
            while number != _WEEKDAYS[last]:
                days.add(number)
                number = (number + 1) % 7
            days.add(number)
        elif part in _WEEKDAYS:
            days.add(_WEEKDAYS[part])
        elif part.rstrip("s") in _WEEKDAYS:
            days.add(_WEEKDAYS[part.rstrip("s")])
        else:
            raise ValueError(part)
    return frozenset(days)


def _window_hours(text: str) -> tuple[time, time]:
    if text in _PARTS_OF_DAY:
        return _PARTS_OF_DAY[text]
    if match := re.fullmatch(rf"after\s+({_CLOCK})", text):
        return _clock(match.group(1)), time(0)
    if match := re.fullmatch(rf"before\s+({_CLOCK})", text):
        return time(0), _clock(match.group(1))
    match = re.fullmatch(rf"({_CLOCK})\s*(?:-|to)\s*({_CLOCK})", text)
    if not match:
        raise ValueError(text)
    end = _clock(match.group(2))
    half = re.search(r"(am|pm|a\.m\.|p\.m\.)$", match.group(2))
    start = _clock(match.group(1))
    if half and not re.search(r"(am|pm|a\.m\.|p\.m\.)$", match.group(1)):
        # "2-4pm" is 2 PM to 4 PM; "11-1pm" is 11 AM to 1 PM.
        same_half = _clock(match.group(1), pm_default=half.group(1).startswith("p"))
        start = same_half if same_half < end else start
    if end != time(0) and start >= end:
        raise ValueError(text)
    return start, end


def parse_window(text: str) -> Window:
    """`weekdays 9-12`, `Tue/Thu 2-4pm`, `after 3pm`, `mornings`, `Mon-Wed`: days and hours."""
    cleaned = " ".join(text.lower().replace("\u2013", "-").split())
    cleaned = re.sub(r"\s*-\s*", "-", cleaned)
    tokens = cleaned.split(" ")
    for split in range(len(tokens) + 1):
        day_text, hour_text = " ".join(tokens[:split]), " ".join(tokens[split:])
        try:
            days = _window_days(day_text) if day_text else ALL_DAYS
            start, end = _window_hours(hour_text) if hour_text else (time(0), time(0))
        except ValueError:
            continue
        if days:
            return Window(days, start, end)
    raise UsageError(f"cannot read `{text}` as days and hours; try {WINDOW_EXAMPLES}")


# --- the day a promise names ---------------------------------------------------------------------

_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "a couple of": 2,
    "a couple": 2,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(name.lower() for name in WEEKDAYS)
# Each phrase a promise may name, found anywhere in its words; the first in the line wins.
_PROMISE_PHRASES = (
    ("span", rf"\bin\s+(?P<count>\d+|{'|'.join(_COUNTS)})\s+(?P<unit>day|week|month)s?\b"),
    ("vague", r"\bin\s+a\s+(?:few|while|bit)\b(?:\s+(?:days|weeks|months))?"),
    (
        "vague",
        r"\b(?:(?<!as )soon\b(?!\s+as\b)|sometime|some\s+time|at\s+some\s+point|later\s+on"
        r"|one\s+of\s+these)\b",
    ),
    ("season", r"\b(?:in|by|this|next)\s+(?:the\s+)?(?:spring|summer|fall|autumn|winter)\b"),
    ("holidays", r"\bafter\s+(?:the\s+)?(?:holidays|new\s+year'?s?)\b"),
    ("next-week", r"\bnext\s+week\b"),
    ("this-week", r"\b(?:this|end\s+of\s+the|by\s+the\s+end\s+of\s+the)\s+week\b"),
    ("next-month", r"\bnext\s+month\b"),
    ("month-end", r"\b(?:at\s+the\s+|by\s+the\s+)?end\s+of\s+(?:the|this)\s+month\b"),
    ("next-quarter", r"\bnext\s+quarter\b"),
    ("iso", r"\b\d{4}-\d{2}-\d{2}\b"),
    ("month-day", rf"\b(?P<md_month>{_MONTH_NAMES})\.?\s+(?P<md_day>\d{{1,2}})(?:st|nd|rd|th)?\b"),
    (
        "day-month",
        rf"\b(?P<dm_day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_month>{_MONTH_NAMES})\b",
    ),
    (
        "month",
        rf"\b(?P<part>in|by|after|early|mid|late|end\s+of|start\s+of|beginning\s+of)[\s-]+"
        rf"(?P<month>{_MONTH_NAMES})\b",
    ),
    ("quarter", r"\b(?:in\s+|by\s+|early\s+)?q(?P<quarter>[1-4])\b"),
    ("ordinal", r"\b(?:on|by)\s+the\s+(?P<ordinal>\d{1,2})(?:st|nd|rd|th)\b"),
    ("tomorrow", r"\btomorrow\b"),
    ("weekday", rf"\b(?:on\s+|next\s+|this\s+)?(?P<weekday>{_WEEKDAY_NAMES})\b"),
)


@cache
def _promise_pattern() -> re.Pattern[str]:
    """Every phrase as one pattern, compiled on first use: most runs never read a promise."""
    return re.compile(
        "|".join(
            f"(?P<{name.replace('-', '_')}{index}>{pattern})"
            for index, (name, pattern) in enumerate(_PROMISE_PHRASES)
        ),
        re.IGNORECASE,
    )


# What each refused phrase should be written as instead.
PROMISE_EXAMPLES = (
    '"in a week", "in 3 days", "next week", "this week", "next month", "end of the month", '
    '"on Friday", "tomorrow", "on the 15th", "Dec 4", "in January", "mid-January", '
    '"after the holidays" (said in November or December), "Q1", "next quarter", "2027-01-12"'
)


@dataclass(frozen=True)
class PromiseDay:
    """The day a promise falls due, and the words that named it ("in a week")."""

    day: date
    phrase: str


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def promise_day(words: str, written: date) -> PromiseDay | None:
    """The day a promise written on `written` names ("ping him in a week", "check back in
    January about the role"), from the first phrase of time in its words; None when it names
    none. A phrase that could mean two days is refused (UsageError saying how to write it):
    "soon", "in a few weeks", a season (it differs by hemisphere), "after the holidays" said
    outside November and December, a month or quarter named while it is under way ("in
    January" written in January: this one, or next year's?)."""
    match = _promise_pattern().search(words)
    if match is None:
        return None
    name = match.lastgroup or ""
    kind = _PROMISE_PHRASES[int(re.sub(r"\D", "", name))][0]
    phrase = match.group(0).strip()
    found = {key: value for key, value in match.groupdict().items() if value is not None}
    try:
        day = _promise(kind, found, written, phrase)
    except (ValueError, OverflowError):
        raise UsageError(
            f"“{phrase}” is not a day; write it as one of {PROMISE_EXAMPLES}"
        ) from None
    return PromiseDay(_near(day, phrase), phrase)


def _promise(kind: str, found: dict[str, str], written: date, phrase: str) -> date:
    lowered = phrase.lower()
    if kind == "vague":
        raise UsageError(f"“{phrase}” names no day; say when, e.g. “in 2 weeks” or “on the 15th”")
    if kind == "season":
        raise UsageError(f"“{phrase}” differs by hemisphere; name a month, e.g. “in April”")
    if kind == "span":
        count_text = found["count"].lower()
        count = int(count_text) if count_text.isdigit() else _COUNTS[" ".join(count_text.split())]
        unit = found["unit"].lower()
        if unit == "month":
            start = _month_start(written.year, written.month + count)
            return start.replace(day=min(written.day, _days_in_month(start)))
        return written + timedelta(days=count * (7 if unit == "week" else 1))
    if kind == "holidays":
        if written.month not in (11, 12):
            raise UsageError(
                f"“{phrase}” written on {written}: which holidays? name the day or month, "
                "e.g. “in January”"
            )
        day = date(written.year + 1, 1, 2)
        return day + timedelta(days=-day.weekday() % 7)  # the first Monday from Jan 2
    if kind == "next-week":
        return written + timedelta(days=7 - written.weekday())
    if kind == "this-week":
        return max(written, written + timedelta(days=4 - written.weekday()))
    if kind == "next-month":
        return _month_start(written.year, written.month + 1)
    if kind == "month-end":
        return written.replace(day=_days_in_month(written))
    if kind == "next-quarter":
        return _month_start(written.year, (written.month - 1) // 3 * 3 + 4)
    if kind == "iso":
        return date.fromisoformat(phrase)
    if kind in ("month-day", "day-month"):
        prefix = "md" if kind == "month-day" else "dm"
        text = f"{found[prefix + '_month'].lower()} {found[prefix + '_day']}"
        named = _day_phrase(text, written + timedelta(days=1))
        if named is None:
            raise ValueError(text)
        return named
    if kind == "month":
        month = _MONTHS[found["month"].lower()]
        if month == written.month:
            raise UsageError(
                f"“{phrase}” written in that month: this one or next year's? give the day, "
                f"e.g. “{found['month'].capitalize()} 20”"
            )
        start = date(written.year + (month < written.month), month, 1)
        part = " ".join(found["part"].lower().split())
        if part == "mid":
            return start.replace(day=15)
        if part == "late":
            return start.replace(day=21)
        if part == "end of":
            return start.replace(day=_days_in_month(start))
        if part == "after":
            return _month_start(start.year, start.month + 1)
        return start
    if kind == "quarter":
        first = (int(found["quarter"]) - 1) * 3 + 1
        if (written.month - 1) // 3 * 3 + 1 == first:
            raise UsageError(
                f"“{phrase}” written during that quarter: this one or next year's? give a "
                "month, e.g. “in March”"
            )
        return date(written.year + (first < written.month), first, 1)
    if kind == "ordinal":
        return _next_day_of_month(int(found["ordinal"]), None, written + timedelta(days=1))
    if kind == "tomorrow":
        return written + timedelta(days=1)
    if kind == "weekday":
        weekday = _day_phrase(found["weekday"].lower(), written)
        if weekday is None:
            raise ValueError(lowered)
        return weekday
    raise ValueError(kind)


def _days_in_month(day: date) -> int:
    following = _month_start(day.year, day.month + 1)
    return (following - timedelta(days=1)).day
