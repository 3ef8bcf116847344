"""Availability slots: times both people can talk, offered in the contact's own zone.

Candidates start every 15 minutes inside the user's available days and hours (their zone),
the contact's working days and hours (theirs), and any `--within` window; never in the past,
never over a busy time. From those, a few are chosen spread wide: different days first, both
halves of the contact's day, a Friday when the range has one, and whole hours where possible.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from coffeechat.calendar import Interval
from coffeechat.config import WEEKDAYS, Config
from coffeechat.errors import CoffeechatError
from coffeechat.note import Person
from coffeechat.when import Window

STEP = timedelta(minutes=15)
# Two offered slots on one day start at least this far apart.
SAME_DAY_GAP = timedelta(hours=2)
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class NoSlots(CoffeechatError):
    """No time fits; the message says what stood in the way."""


@dataclass(frozen=True)
class Slot:
    start: datetime  # in the contact's zone
    end: datetime


@dataclass(frozen=True)
class SlotRequest:
    now: datetime
    first_day: date  # in the user's zone
    days: int  # how many of the user's available days to look over
    duration: timedelta
    count: int
    my_zone: ZoneInfo
    my_hours: Window
    their_zone: ZoneInfo
    their_hours: Window
    busy: tuple[Interval, ...] = ()
    within: Window | None = None


def working_days(first: date, count: int, days: frozenset[int]) -> list[date]:
    """The first `count` dates from `first` on whose weekday is in `days`."""
    found: list[date] = []
    day = first
    while len(found) < count and days:
        if day.weekday() in days:
            found.append(day)
        day += timedelta(days=1)
    return found


def _wall_clock(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """`day` at `at` in `zone`, or None when the clocks skip that time (a DST gap)."""
    moment = datetime.combine(day, at, zone)
    back = moment.astimezone(UTC).astimezone(zone)
    return moment if back.replace(tzinfo=None) == moment.replace(tzinfo=None) else None


def _overlaps(start: datetime, end: datetime, busy: tuple[Interval, ...]) -> bool:
    return any(start < busy_end and busy_start < end for busy_start, busy_end in busy)


def candidates(request: SlotRequest, ignore_busy: bool = False) -> list[Slot]:
    """Every start (15-minute steps) that fits both people's hours, the window, and the
    calendar, over the requested days."""
    found = []
    for day in working_days(request.first_day, request.days, request.my_hours.days):
        steps = int(timedelta(days=1) / STEP)
        for step in range(steps):
            at = (datetime.min + step * STEP).time()
            mine = _wall_clock(day, at, request.my_zone)
            if mine is None:
                continue
            start = mine.astimezone(UTC)
            end = start + request.duration
            my_end = end.astimezone(request.my_zone)
            theirs, their_end = (
                start.astimezone(request.their_zone),
                end.astimezone(request.their_zone),
            )
            fits = (
                start > request.now
                and request.my_hours.holds(mine, my_end)
                and request.their_hours.holds(theirs, their_end)
                and (request.within is None or request.within.holds(mine, my_end))
                and (ignore_busy or not _overlaps(start, end, request.busy))
            )
            if fits:
                found.append(Slot(theirs, their_end))
    return found


def _pick_days(days: list[date], count: int) -> list[date]:
    """Which days get a slot first: all of them when they fit, else spread evenly, with a
    Friday kept in."""
    if len(days) <= count:
        return days
    picked = [days[round(i * (len(days) - 1) / max(count - 1, 1))] for i in range(count)]
    fridays = [day for day in days if day.weekday() == 4]
    if fridays and not any(day.weekday() == 4 for day in picked):
        nearest = min(range(count), key=lambda i: abs((picked[i] - fridays[0]).days))
        picked[nearest] = fridays[0]
    return sorted(set(picked))


def _best_in(options: list[Slot]) -> Slot:
    """The middle whole-hour start, else the middle one: easy to read, away from the edges."""
    whole = [slot for slot in options if slot.start.minute == 0] or options
    return whole[(len(whole) - 1) // 2]


def spread(found: list[Slot], count: int) -> list[Slot]:
    """`count` slots over as many days as possible, alternating morning and afternoon;
    slots on one day two hours apart, closer only when the overlap is too short for that."""
    chosen = _spread(found, count, SAME_DAY_GAP)
    if len(chosen) < count and found:
        chosen = _spread(found, count, 2 * (found[0].end - found[0].start))
    return chosen


def _spread(found: list[Slot], count: int, gap: timedelta) -> list[Slot]:
    by_day: dict[date, list[Slot]] = defaultdict(list)
    for slot in found:
        by_day[slot.start.date()].append(slot)
    chosen: list[Slot] = []
    halves: Counter[bool] = Counter()
    order = _pick_days(sorted(by_day), count)
    rest = [day for day in sorted(by_day) if day not in order]
    while len(chosen) < count:
        added = False
        for day in [*order, *rest]:
            if len(chosen) == count:
                break
            free = [
                slot
                for slot in by_day[day]
                if all(abs(slot.start - taken.start) >= gap for taken in chosen)
            ]
            if not free:
                continue
            want_afternoon = halves[True] < halves[False]
            same_half = [slot for slot in free if (slot.start.hour >= 12) == want_afternoon]
            slot = _best_in(same_half or free)
            chosen.append(slot)
            halves[slot.start.hour >= 12] += 1
            added = True
        if not added:
            break
    return sorted(chosen, key=lambda slot: slot.start)


def propose(request: SlotRequest) -> list[Slot]:
    """The slots to offer, or NoSlots saying why there are none."""
    found = candidates(request)
    if found:
        return spread(found, request.count)
    if candidates(request, ignore_busy=True):
        raise NoSlots(
            f"every time that suits you both in the next {request.days} working days is busy "
            "or already past; try --days with a bigger number or --from a later day"
        )
    my, their = request.my_hours, request.their_hours
    raise NoSlots(
        f"your hours ({_describe(my)}, {request.my_zone.key}) and their working hours "
        f"({_describe(their)}, {request.their_zone.key}) do not overlap in the next "
        f"{request.days} working days; widen available_hours or contact_hours in "
        "coffeechat.toml"
    )


def _describe(window: Window) -> str:
    numbers = sorted(window.days)
    days = [WEEKDAY_NAMES[day] for day in numbers]
    contiguous = len(days) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1))
    day_text = f"{days[0]}-{days[-1]}" if contiguous else "/".join(days)
    return f"{day_text} {window.start:%H:%M}-{window.end:%H:%M}"


def chat_intervals(
    people: list[Person], minutes: int, buffer: int, leave_out: Path | None = None
) -> list[tuple[Interval, Person]]:
    """The chats already in the vault, each widened by the buffer on both sides."""
    pad, length = timedelta(minutes=buffer), timedelta(minutes=minutes)
    return [
        ((person.chat - pad, person.chat + length + pad), person)
        for person in people
        if person.chat is not None and person.path != leave_out
    ]


def config_windows(config: Config) -> tuple[Window, Window]:
    """The user's available days and hours, and a contact's working hours (Mon-Fri)."""
    return (
        Window(
            frozenset(WEEKDAYS.index(day) for day in config.available_days),
            *_hours(config.available_hours),
        ),
        Window(frozenset(range(5)), *_hours(config.contact_hours)),
    )


def _hours(text: str) -> tuple[time, time]:
    start, end = text.split("-")
    return time.fromisoformat(start), (time(0) if end == "24:00" else time.fromisoformat(end))


def next_working_day(now: datetime, window: Window) -> date:
    """The first of the user's available days after today, in their zone."""
    day = now.date() + timedelta(days=1)
    while window.days and day.weekday() not in window.days:
        day += timedelta(days=1)
    return day
