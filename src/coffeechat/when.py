"""Dates and times the user types on the command line, read in the user's own zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo

from coffeechat.errors import UsageError

_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_DAYS_AGO = re.compile(r"^(\d+)\s+days?\s+ago$")
DAY_EXAMPLES = "2026-11-23, today, yesterday, 3 days ago, last friday, Nov 20"
MOMENT_EXAMPLES = "2026-11-25 15:00, 2026-11-25T15:00-08:00, now"


def parse_day(text: str, now: datetime, zone: tzinfo) -> date:
    """A calendar day: ISO 8601, `today`, `yesterday`, `tomorrow`, `N days ago`, or (through
    dateparser, loaded only then) words such as `last friday`; a bare weekday is the past one,
    since milestones record what already happened."""
    cleaned = " ".join(text.lower().split())
    today = now.astimezone(zone).date()
    if cleaned in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[cleaned])
    if match := _DAYS_AGO.match(cleaned):
        return today - timedelta(days=int(match.group(1)))
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    import dateparser

    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        raise UsageError(f"cannot read `{text}` as a day; try {DAY_EXAMPLES}")
    return parsed.date()


def parse_moment(text: str, now: datetime, zone: tzinfo) -> datetime:
    """An instant: ISO 8601 (a time without an offset is in `zone`) or `now`."""
    cleaned = text.strip()
    if cleaned.lower() == "now":
        return now.astimezone(zone).replace(second=0, microsecond=0)
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise UsageError(
            f"cannot read `{text}` as a date and time; try {MOMENT_EXAMPLES}"
        ) from None
    if len(cleaned) <= 10:
        raise UsageError(f"`{text}` has no time of day; try {MOMENT_EXAMPLES}")
    return moment if moment.tzinfo else localize(moment, zone)


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
