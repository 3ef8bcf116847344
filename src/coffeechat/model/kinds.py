"""The kinds of value a key may hold, each one entry carrying all its code.

A kind says how a value written in a note is read and checked (`read`), how a value typed on
the command line becomes one (`typed`), how the index cache keeps a column of them (`store`,
`restore`, `stored_types`), whether it is a list (`many`: a repeatable option, `+=`/`-=`),
whether a number typed for it is written as a number (`numbers`), how `merge` joins two
versions of it by default (`merge`, a name in `MERGE_RULES`), and what the docs call it
(`label`). Adding a kind is one `KeyKind` entry in `KEY_KINDS`; every
reader, writer, option, cache column and table is derived from it.

Every writer (`set`, `add`, `company add`, the imports) goes through `typed` and `read`, so a
key holds one type in every note: a text key text (quoted where a YAML reader would see
anything else), a number key a number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from itertools import chain
from typing import Any

from coffeechat.core.limits import YEARS

# How `coffeechat merge` joins a key's two versions (a note and its sync conflict copy). A kind
# gives its keys a default; a key whose meaning says more (a first or a last time) declares
# its own. Each rule: its name, then what the docs say it does.
MERGE_RULES = {
    "same": "both versions must hold the same value; a difference is a conflict you decide",
    "earliest": "the earlier date: the key records when something first happened",
    "latest": "the later date: the key records when something last happened",
    "union": "every item of both versions once, the note's order first",
}

# Values the tool can compute with: a text longer than this is a paste gone wrong.
MAX_TEXT = 4000
MAX_ITEMS = 200


def _identity(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class KeyKind:
    """One kind of value. `read(value, zone, choices)` returns the typed value or raises
    ValueError saying what is wrong; `typed(text, now, zone, past)` turns what a person typed
    into a value `read` accepts (`past`: it records what happened); `store` makes a value
    JSON-ready for the cache and `restore` turns a stored column back (None: stored as text,
    kept as it is)."""

    name: str
    label: str
    read: Callable[[Any, tzinfo, tuple[str, ...]], Any]
    typed: Callable[[str, datetime, tzinfo, bool], Any] = lambda text, now, zone, past: text
    many: bool = False
    numbers: bool = False
    merge: str = "same"
    store: Callable[[Any], Any] = _identity
    restore: Callable[[list[Any]], list[Any]] | None = None
    stored_types: frozenset[type] = frozenset({str})

    @property
    def stored_as_text(self) -> bool:
        """Kept in the cache's one NUL-joined text column (faster than JSON to split)."""
        return self.restore is None and self.stored_types == {str}


# --- reading what a note holds -------------------------------------------------------------------


def as_text(value: Any, zone: tzinfo | None = None, choices: tuple[str, ...] = ()) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int | float | date):
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise ValueError(f"is {len(text):,} characters long; keep it under {MAX_TEXT:,}")
        return text
    raise ValueError("should be text, not a list or mapping")


def _as_choice(value: Any, zone: tzinfo, choices: tuple[str, ...]) -> str:
    text = as_text(value).lower()
    if text not in choices:
        raise ValueError(f"`{value}` is not one of {', '.join(choices)}")
    return text


def _as_list(value: Any, zone: tzinfo, choices: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise ValueError(f"has {len(value):,} items; keep it under {MAX_ITEMS}")
        return tuple(as_text(item) for item in value if item is not None)
    return (as_text(value),)


def _usable(day: date, value: Any) -> None:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(f"`{value}` is not a usable date (years {YEARS[0]}-{YEARS[1]})")


def _as_date(value: Any, zone: tzinfo, choices: tuple[str, ...]) -> date:
    day: date | None = None
    if isinstance(value, datetime):
        _usable(value, value)
        day = value.astimezone(zone).date() if value.tzinfo else value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise ValueError(f"`{value}` is not a date; write it as YYYY-MM-DD")
    _usable(day, value)
    return day


def _as_datetime(value: Any, zone: tzinfo, choices: tuple[str, ...]) -> datetime:
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        raise ValueError(f"`{value}` is not a date and time; write it as 2026-11-25T15:00:00-05:00")
    _usable(moment, value)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _as_zone(value: Any, zone: tzinfo, choices: tuple[str, ...]) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = as_text(value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"`{name}` is not a known IANA time zone{_nearest_zones(name)}") from None
    return name


def _nearest_zones(name: str) -> str:
    """`; did you mean Europe/Berlin?`, from the zone names closest to a mistyped one."""
    import difflib
    from zoneinfo import available_timezones

    zones = {zone.casefold(): zone for zone in available_timezones()}
    close = difflib.get_close_matches(name.casefold().replace(" ", "_"), list(zones), n=1)
    if not close:
        return ", e.g. Europe/Berlin"
    return f"; did you mean {zones[close[0]]}?"


# Words a hand-written `priority` may hold, as the numbers they stand for.
RANK_WORDS = {"high": 1, "medium": 3, "low": 5}


def _as_rank(value: Any, zone: tzinfo | None = None, choices: tuple[str, ...] = ()) -> int:
    """A priority: a whole number, 1 the highest; `high`, `medium`, `low` read as 1, 3, 5."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100:
        return value
    text = value.strip().lower() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and 0 < int(text) < 100:
        return int(text)
    if text in RANK_WORDS:
        return RANK_WORDS[text]
    raise ValueError(
        f"`{value}` is not a priority; write a whole number, 1 (highest) to 5, or high, medium, low"
    )


def _typed_rank(text: str, now: datetime, zone: tzinfo, past: bool) -> int:
    return _as_rank(text)


def _as_hours(value: Any, zone: tzinfo, choices: tuple[str, ...]) -> str:
    from coffeechat.core.errors import CoffeechatError
    from coffeechat.when.parse import parse_window

    text = as_text(value)
    try:
        parse_window(text)
    except CoffeechatError:
        raise ValueError(
            f"`{text}` is not days and hours; write it as 09:00-17:00 or Sun-Thu 9-17"
        ) from None
    return text


# --- what a person types ------------------------------------------------------------------------


def _typed_day(text: str, now: datetime, zone: tzinfo, past: bool) -> date:
    from coffeechat.when.parse import parse_day

    return parse_day(text, now, zone)


def _typed_moment(text: str, now: datetime, zone: tzinfo, past: bool) -> datetime:
    from coffeechat.when.parse import parse_moment

    return parse_moment(text, now, zone, past)


# --- a column of the index cache ----------------------------------------------------------------
# A vault's 10,000 notes hold a few hundred distinct dates: each is converted once.


def _days(column: list[Any]) -> list[date | None]:
    days: dict[Any, date | None] = {None: None}
    for value in set(column) - {None}:
        day = date.fromordinal(value)
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise ValueError("a date outside the years a note may hold")
        days[value] = day
    return list(map(days.__getitem__, column))


def _moments(column: list[Any]) -> list[datetime | None]:
    moments: dict[Any, datetime | None] = {None: None}
    for value in set(column) - {None}:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("a time without an offset")
        moments[value] = moment
    return list(map(moments.__getitem__, column))


def _lists(column: list[Any]) -> list[tuple[str, ...]]:
    if not set(map(type, chain.from_iterable(column))) <= {str}:
        raise TypeError("a list item that is not text")
    return list(map(tuple, column))


# A keep-in-touch cadence: how many days, or never ("90", "90 days", "never").
NEVER = "never"
MAX_CADENCE_DAYS = 3650


def cadence_days(text: str) -> int | None:
    """The days a cadence names (None: never); ValueError saying how to write it."""
    cleaned = " ".join(str(text).lower().split())
    if cleaned == NEVER:
        return None
    number = cleaned.removesuffix(" days").removesuffix(" day")
    if not number.isdigit() or not 1 <= int(number) <= MAX_CADENCE_DAYS:
        raise ValueError(
            f"`{text}` is not a cadence: a number of days from 1 to {MAX_CADENCE_DAYS} "
            '("90", "90 days"), or never'
        )
    return int(number)


def _as_cadence(value: Any, zone: tzinfo, choices: tuple[str, ...]) -> str:
    text = as_text(value).lower()
    cadence_days(text)
    return text


_KINDS: Sequence[KeyKind] = (
    KeyKind("text", "text", as_text),
    KeyKind(
        "rank",
        "whole number, 1 highest",
        _as_rank,
        typed=_typed_rank,
        numbers=True,
        stored_types=frozenset({int, type(None)}),
    ),
    KeyKind("choice", "choice", _as_choice),
    KeyKind(
        "list",
        "list of text",
        _as_list,
        many=True,
        merge="union",
        store=list,
        restore=_lists,
        stored_types=frozenset({list}),
    ),
    KeyKind(
        "date",
        "date (YYYY-MM-DD)",
        _as_date,
        typed=_typed_day,
        store=date.toordinal,
        restore=_days,
        stored_types=frozenset({int, type(None)}),
    ),
    KeyKind(
        "datetime",
        "date and time with offset",
        _as_datetime,
        typed=_typed_moment,
        store=datetime.isoformat,
        restore=_moments,
        stored_types=frozenset({str, type(None)}),
    ),
    KeyKind("zone", "IANA zone name", _as_zone),
    KeyKind("hours", "days and hours", _as_hours),
    KeyKind("cadence", "days, or never", _as_cadence),
)
KEY_KINDS: dict[str, KeyKind] = {kind.name: kind for kind in _KINDS}
