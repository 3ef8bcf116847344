"""The one clock: every "now" in coffeechat comes from here, so tests can fix it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from coffeechat.core.errors import UsageError
from coffeechat.core.limits import YEARS

NOW_VARIABLE = "COFFEECHAT_NOW"


def is_fixed() -> bool:
    """Whether `COFFEECHAT_NOW` fixes the clock: then "now" never moves on."""
    return bool(os.environ.get(NOW_VARIABLE))


def now() -> datetime:
    """The current instant, aware; `COFFEECHAT_NOW` (ISO 8601 with an offset) overrides it."""
    fixed = os.environ.get(NOW_VARIABLE)
    if not fixed:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise UsageError(
            f"{NOW_VARIABLE}={fixed!r} is not an ISO 8601 time with an offset; "
            "use e.g. 2026-11-23T09:00:00-05:00"
        )
    if not YEARS[0] <= moment.year <= YEARS[1]:  # the years a note's dates may have
        raise UsageError(
            f"{NOW_VARIABLE}={fixed!r} is not a usable date (years {YEARS[0]}-{YEARS[1]})"
        )
    return moment


def next_turn(now: datetime, zone: tzinfo, moments: Iterable[datetime | None]) -> datetime:
    """The next instant at which what is due, late or past can change: the next midnight in
    `zone` (every rule counts days there) or the first of `moments` (chats: one is ahead until
    it starts) still to come, whichever is first."""
    today = now.astimezone(zone).date()
    midnight = datetime.combine(today + timedelta(days=1), time(), zone)
    return min([midnight, *(m for m in moments if m is not None and m > now)])


def holds_until(
    began: datetime, zone: tzinfo, moments: Iterable[datetime | None], as_of: date | None = None
) -> datetime | None:
    """Until when an answer worked out at `began` (or later) holds: the next turn
    (`next_turn`). With `as_of`, the answer was as of that day at this time of day
    (`due --on`), and that day's clock turns too as this one moves: whichever turn is
    first. None when the clocks change on either day before then, as the two then part."""
    chats = list(moments)
    turn = next_turn(began, zone, chats).astimezone(UTC)
    if as_of is None:
        return turn
    here = began.astimezone(zone)
    there = datetime.combine(as_of, here.timetz())
    ahead = next_turn(there, zone, chats).astimezone(UTC) - there.astimezone(UTC)
    until = min(turn, here.astimezone(UTC) + ahead)  # in UTC: exact, whatever the offsets
    passed = until - here.astimezone(UTC)
    for start in (here, there):
        if (start.astimezone(UTC) + passed).astimezone(zone).utcoffset() != start.utcoffset():
            return None
    return until
