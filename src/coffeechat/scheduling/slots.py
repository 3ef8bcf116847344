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

from coffeechat.core.errors import CoffeechatError
from coffeechat.model.config import WEEKDAYS, Config
from coffeechat.model.note import Person
from coffeechat.scheduling.ics import Interval, busy_intervals
from coffeechat.when.parse import Window
from coffeechat.when.timefmt import SHORT_WEEKDAYS

STEP = timedelta(minutes=15)
# Two offered slots on one day start at least this far apart.
SAME_DAY_GAP = timedelta(hours=2)


class NoSlots(CoffeechatError):
    """No time fits; the message says what stood in the way."""


@dataclass(frozen=True)
class Slot:
    start: datetime  # in the contact's zone
    end: datetime
    outside: str = ""  # whose normal hours it falls outside (said to them), when none fits both


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
    my_holidays: frozenset[date] = frozenset()  # public holidays where you are
    their_holidays: frozenset[date] = frozenset()  # and where they are, on their calendar


@dataclass(frozen=True)
class Offer:
    """The slots offered to one contact, what they were asked for, and the public holidays
    left out of the days looked over (day → holiday → the countries that keep it)."""

    request: SlotRequest
    slots: list[Slot]
    holidays: dict[date, dict[str, list[str]]]


def offer(
    person: Person,
    *,
    config: Config,
    their_zone: ZoneInfo,
    now: datetime,
    first_day: date | None,
    days: int,
    minutes: int,
    count: int,
    within: Window | None,
    people: list[Person],
    calendars: list[Path],
) -> Offer:
    """The slots to offer `person`, from `first_day` (default: your next available day) over
    `days` of your available days, skipping the public holidays where each of you lives (the
    country most on that clock) and every busy time (`busy_times`)."""
    from coffeechat.when.zones import zone_country

    now = now.astimezone(config.zone)
    mine, contact_hours = config_windows(config)
    first = first_day or next_working_day(now, mine)
    years = [first.year, first.year + 1]
    countries = (zone_country(config.zone.key), zone_country(their_zone.key))
    my_holidays = holidays_in(countries[0], years)
    their_holidays = holidays_in(countries[1], years)
    span = working_days(first, days, mine.days, frozenset(my_holidays))
    request = SlotRequest(
        now=now,
        first_day=first,
        days=days,
        duration=timedelta(minutes=minutes),
        count=count,
        my_zone=config.zone,
        my_hours=mine,
        their_zone=their_zone,
        their_hours=contact_window(person.work_hours, contact_hours),
        busy=tuple(busy_times(person, config, people, calendars, span)),
        within=within,
        my_holidays=frozenset(my_holidays),
        their_holidays=frozenset(their_holidays),
    )
    found = propose(request)
    skipped: dict[date, dict[str, list[str]]] = {}
    for country, holidays in zip(countries, (my_holidays, their_holidays), strict=True):
        for day, holiday in holidays.items():
            if country and first <= day <= span[-1]:
                skipped.setdefault(day, {}).setdefault(holiday, []).append(country)
    return Offer(request, found, skipped)


def busy_times(
    person: Person, config: Config, people: list[Person], calendars: list[Path], span: list[date]
) -> list[Interval]:
    """What no slot may take over the days in `span` (in your zone): the chats already in the
    vault with the buffer around them, `person`'s own chat (moving it, its time is not a new
    one to offer), and the events of the busy calendars from the day before to the day after."""
    start = datetime.combine(span[0], datetime.min.time(), config.zone) - timedelta(days=1)
    end = datetime.combine(span[-1], datetime.min.time(), config.zone) + timedelta(days=2)
    busy = [
        interval
        for interval, _ in chat_intervals(
            people, config.chat_minutes, config.buffer_minutes, person.path
        )
    ]
    if person.chat is not None:
        busy.append((person.chat, person.chat + timedelta(minutes=config.chat_minutes)))
    return busy + busy_intervals(calendars, start, end, config.zone)


def working_days(
    first: date, count: int, days: frozenset[int], skip: frozenset[date] = frozenset()
) -> list[date]:
    """The first `count` dates from `first` on whose weekday is in `days`, `skip` left out."""
    found: list[date] = []
    day = first
    while len(found) < count and days:
        if day.weekday() in days and day not in skip:
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
    for day in working_days(
        request.first_day, request.days, request.my_hours.days, request.my_holidays
    ):
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
                and mine.date() not in request.my_holidays
                and theirs.date() not in request.their_holidays
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
    """The slots to offer, or NoSlots saying why there are none. When your hours and theirs
    never meet, the least-bad times instead, each saying whose normal hours it is outside."""
    found = candidates(request)
    if found:
        return spread(found, request.count)
    if candidates(request, ignore_busy=True):
        raise NoSlots(
            f"every time that suits you both in the next {request.days} working days is busy "
            "or already past; try --days with a bigger number or --from a later day"
        )
    least_bad = _least_bad(request)
    if least_bad:
        return least_bad
    my, their = request.my_hours, request.their_hours
    raise NoSlots(
        f"your hours ({_describe(my)}, {request.my_zone.key}) and their working hours "
        f"({_describe(their)}, {request.their_zone.key}) do not overlap in the next "
        f"{request.days} working days, even stretched to {WAKING[0]:%H:%M}-{WAKING[1]:%H:%M} "
        "on both sides; set their work_hours, or widen available_hours in coffeechat.toml"
    )


# How far the least-bad times may stretch either person's day, and how much worse than the
# best of them a time may be and still be offered.
WAKING = (time(7), time(21))
SLACK = timedelta(minutes=30)


def _stretched(window: Window) -> Window:
    return Window(
        window.days,
        min(window.start, WAKING[0]),
        window.end if window.end == time(0) else max(window.end, WAKING[1]),
    )


def _outside_by(window: Window, start: datetime, end: datetime) -> timedelta:
    """How far [start, end) runs outside the window's hours on its day."""
    day = start.date()
    opens = datetime.combine(day, window.start, start.tzinfo)
    closes = (
        datetime.combine(day + timedelta(days=1), time(0), start.tzinfo)
        if window.end == time(0)
        else datetime.combine(day, window.end, start.tzinfo)
    )
    start, end = start.replace(fold=0), end.replace(fold=0)
    return max(opens - start, timedelta()) + max(end - closes, timedelta())


def _least_bad(request: SlotRequest) -> list[Slot]:
    """Times when neither person's day is stretched past waking hours, the ones outside
    normal hours by the least (with half an hour's slack), spread like any others."""
    from dataclasses import replace

    wide = replace(
        request,
        my_hours=_stretched(request.my_hours),
        their_hours=_stretched(request.their_hours),
    )
    scored = []
    for slot in candidates(wide):
        mine = slot.start.astimezone(request.my_zone)
        my_cost = _outside_by(request.my_hours, mine, slot.end.astimezone(request.my_zone))
        their_cost = _outside_by(request.their_hours, slot.start, slot.end)
        scored.append((my_cost + their_cost, slot, my_cost, their_cost))
    if not scored:
        return []
    best = min(cost for cost, *_ in scored)
    fair = [
        replace(slot, outside=_whose(request, slot, mine, theirs))
        for cost, slot, mine, theirs in scored
        if cost <= best + SLACK
    ]
    # Between equally bad times, your early morning and their evening come before your late
    # evening and their early morning: you are the one asking, and an evening call is easier
    # to take than one before work.
    usual = [slot for slot in fair if "late for me" not in slot.outside]
    usual = [slot for slot in usual if "before your working day" not in slot.outside]
    return spread(usual or fair, request.count)


def _whose(request: SlotRequest, slot: Slot, mine: timedelta, theirs: timedelta) -> str:
    """Said the way the slot lines are, to them: "early for me", "after your working day"."""
    parts = []
    if mine:
        early = slot.start.astimezone(request.my_zone).time() < request.my_hours.start
        parts.append("early for me" if early else "late for me")
    if theirs:
        early = slot.start.time() < request.their_hours.start
        parts.append("before your working day" if early else "after your working day")
    return ", ".join(parts)


def outside_note(request: SlotRequest, name: str) -> str:
    """What to say about least-bad times."""
    return (
        f"Your hours ({_describe(request.my_hours)}, {request.my_zone.key}) and {name}'s "
        f"({_describe(request.their_hours)}, {request.their_zone.key}) never meet, so these "
        "are the least-bad times, outside someone's normal hours: say so when you offer them, "
        "or set their work_hours if you know them."
    )


def contact_window(work_hours: str, default: Window) -> Window:
    """A contact's working days and hours: their `work_hours` (days Mon-Fri when it names
    none, hours `contact_hours` when it names none), else the default."""
    if not work_hours:
        return default
    from coffeechat.when.parse import ALL_DAYS, parse_window

    window = parse_window(work_hours)
    named_days = window.days != ALL_DAYS or any(
        word in work_hours.lower() for word in ("daily", "every day", "sat", "sun")
    )
    named_hours = not (window.start == time(0) and window.end == time(0))
    return Window(
        window.days if named_days else default.days,
        window.start if named_hours else default.start,
        window.end if named_hours else default.end,
    )


def holidays_in(country: str | None, years: list[int]) -> dict[date, str]:
    """Public holidays in a country (ISO code), from the `holidays` package, imported here
    only; {} for a country it does not know."""
    if not country:
        return {}
    import holidays

    try:
        found = holidays.country_holidays(country, years=years)
    except NotImplementedError:
        return {}
    return {day: str(name) for day, name in found.items()}


def _describe(window: Window) -> str:
    numbers = sorted(window.days)
    days = [SHORT_WEEKDAYS[day] for day in numbers]
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
