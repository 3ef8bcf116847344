"""The search as a whole: what is due today, the funnel, company coverage, who to contact next.

Everything here is derived from the notes' dates on each run; nothing is stored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from coffeechat.config import Config
from coffeechat.names import company_key, name_key, same_school
from coffeechat.note import Company, Person, stage

# A referral agreed this many days after the chat and still not submitted deserves a check-in.
REFERRAL_FOLLOW_UP_DAYS = 5
# A reply that asked for a call should get times within this many days.
SLOTS_WITHIN_DAYS = 2
# The recommended mix per target company: at least one of each.
MIX = ("engineer", "manager", "recruiter")
ACTIVE_STATUSES = ("target", "active", "")
# Most urgent first when equally late.
URGENCY = ("chat", "thanks", "nudge", "slots", "referral", "update", "coverage")


@dataclass(frozen=True)
class DueItem:
    kind: str
    due: date
    overdue_days: int
    command: str
    what: str
    person: Person | None = None
    company: str | None = None


def _item(kind: str, due: date, today: date, command: str, what: str, **who: object) -> DueItem:
    return DueItem(kind, due, max((today - due).days, 0), command, what, **who)  # type: ignore[arg-type]


def due_items(
    people: list[Person], companies: list[Company], config: Config, now: datetime
) -> list[DueItem]:
    """Everything due on or before today (in the user's zone), most urgent first."""
    from coffeechat import timefmt
    from coffeechat.zones import contact_zone

    zone = config.zone
    today = now.astimezone(zone).date()
    found: list[DueItem] = []
    for person in people:
        stem = person.stem
        closed = person.referral == "declined" or person.outcome in ("rejected", "withdrawn")
        chat_day = person.chat.astimezone(zone).date() if person.chat else None
        if person.chat and chat_day is not None:
            if person.chat <= now and not person.thanked and not closed:
                found.append(
                    _item(
                        "thanks",
                        chat_day + timedelta(days=1),
                        today,
                        f"coffeechat draft thanks {stem}",
                        f"thank {person.name} for the chat {chat_day:%a %b} {chat_day.day}",
                        person=person,
                    )
                )
            elif person.chat > now and chat_day <= today + timedelta(days=1):
                their_zone = contact_zone(person.timezone, person.location).zone
                when = timefmt.both_sides(person.chat, zone, their_zone)
                found.append(
                    _item(
                        "chat",
                        chat_day,
                        today,
                        f"coffeechat prep {stem}",
                        f"chat with {person.name}: {when}",
                        person=person,
                    )
                )
        if (
            person.messaged
            and not (person.replied or person.nudged or person.chat or closed)
            and person.messaged + timedelta(days=config.nudge_after_days) <= today
        ):
            found.append(
                _item(
                    "nudge",
                    person.messaged + timedelta(days=config.nudge_after_days),
                    today,
                    f"coffeechat draft nudge {stem}",
                    f"no reply from {person.name} since {person.messaged}",
                    person=person,
                )
            )
        if person.replied and not person.chat and not closed:
            found.append(
                _item(
                    "slots",
                    person.replied + timedelta(days=SLOTS_WITHIN_DAYS),
                    today,
                    f"coffeechat slots {stem}",
                    f"{person.name} replied on {person.replied}: offer times",
                    person=person,
                )
            )
        if person.referral == "agreed" and chat_day:
            found.append(
                _item(
                    "referral",
                    chat_day + timedelta(days=REFERRAL_FOLLOW_UP_DAYS),
                    today,
                    f"coffeechat set {stem} referral=submitted",
                    f"check in with {person.name} about the referral",
                    person=person,
                )
            )
        if person.outcome and (
            person.updated is None or (person.applied and person.updated < person.applied)
        ):
            found.append(
                _item(
                    "update",
                    person.applied or today,
                    today,
                    f"coffeechat draft update {stem}",
                    f"tell {person.name} how it went ({person.outcome})",
                    person=person,
                )
            )
    found = [item for item in found if item.due <= today or item.kind == "chat"]
    found += coverage_gaps(people, companies, now, today)
    return sorted(
        found,
        key=lambda item: (-item.overdue_days, URGENCY.index(item.kind), item.due, item.what),
    )


@dataclass(frozen=True)
class Coverage:
    company: Company | None
    name: str
    kinds: dict[str, int]
    messaged: int
    chatted: int
    referred: int
    people: int

    @property
    def gaps(self) -> list[str]:
        return [kind for kind in MIX if not self.kinds.get(kind)]


def coverage(people: list[Person], companies: list[Company], now: datetime) -> list[Coverage]:
    """Per company note: who you have there by kind, and how far each has gone."""
    by_company: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        if person.company:
            by_company[company_key(person.company)].append(person)
    rows = []
    for company in companies:
        there = by_company.get(company_key(company.name), [])
        kinds: dict[str, int] = defaultdict(int)
        for person in there:
            kinds[person.kind or "other"] += 1
        rows.append(
            Coverage(
                company,
                company.name,
                dict(kinds),
                sum(1 for p in there if p.messaged),
                sum(1 for p in there if p.chat and p.chat <= now),
                sum(1 for p in there if p.referral in ("agreed", "submitted")),
                len(there),
            )
        )
    return sorted(rows, key=lambda row: (_priority(row.company), name_key(row.name)))


def _priority(company: Company | None) -> tuple[int, str]:
    text = (company.priority if company else "").strip().lower()
    words = {"high": 1, "medium": 3, "low": 5}
    if text.isdigit():
        return int(text), ""
    return words.get(text, 9), text


def coverage_gaps(
    people: list[Person], companies: list[Company], now: datetime, today: date
) -> list[DueItem]:
    items = []
    for row in coverage(people, companies, now):
        if row.company and row.company.status in ACTIVE_STATUSES and row.gaps:
            items.append(
                DueItem(
                    "coverage",
                    today,
                    0,
                    f'coffeechat next --company "{row.name}"',
                    f"{row.name} has no {' or '.join(row.gaps)} yet",
                    company=row.name,
                )
            )
    return items


# --- the funnel ----------------------------------------------------------------------------

FUNNEL = ("collected", "messaged", "replied", "chatted", "referred", "interview", "offer")


def reached(person: Person, now: datetime) -> set[str]:
    """The funnel steps a person has reached; a later step implies the earlier ones."""
    steps = {"collected"}
    if person.outcome == "offer":
        steps |= {"offer", "interview"}
    if person.outcome == "interview":
        steps.add("interview")
    if person.referral in ("agreed", "submitted") or steps & {"interview"}:
        steps.add("referred")
    if (person.chat and person.chat <= now) or person.thanked or "referred" in steps:
        steps.add("chatted")
    if person.replied or "chatted" in steps:
        steps.add("replied")
    if person.messaged or person.nudged or "replied" in steps:
        steps.add("messaged")
    return steps


@dataclass(frozen=True)
class Rate:
    group: str
    messaged: int
    replied: int

    @property
    def rate(self) -> float | None:
        return self.replied / self.messaged if self.messaged else None


@dataclass(frozen=True)
class Stats:
    funnel: list[tuple[str, int]]
    median_days_to_reply: float | None
    by_connection: list[Rate]
    by_kind: list[Rate]
    by_company: list[Rate]
    since: date | None = None


def _rates(people: list[Person], steps_of: list[set[str]], group_of: object) -> list[Rate]:
    groups: dict[str, list[set[str]]] = defaultdict(list)
    for person, steps in zip(people, steps_of, strict=True):
        if "messaged" in steps:
            groups[group_of(person)].append(steps)  # type: ignore[operator]
    return [
        Rate(group, len(members), sum("replied" in steps for steps in members))
        for group, members in sorted(groups.items())
    ]


def _median(values: list[int]) -> float | None:
    """The median, without importing `statistics` (and its fractions and decimals) for it."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def stats(people: list[Person], now: datetime, since: date | None = None) -> Stats:
    """The funnel, reply times and reply rates; `since` keeps people first messaged then or
    later."""
    if since is not None:
        people = [p for p in people if p.messaged and p.messaged >= since]
    counts = dict.fromkeys(FUNNEL, 0)
    steps_of = [reached(person, now) for person in people]
    for steps in steps_of:
        for step in steps:
            counts[step] += 1
    days = [
        (person.replied - person.messaged).days
        for person in people
        if person.messaged and person.replied and person.replied >= person.messaged
    ]
    return Stats(
        funnel=[(step, counts[step]) for step in FUNNEL],
        median_days_to_reply=_median(days),
        by_connection=_rates(people, steps_of, lambda p: p.connection or "unknown"),
        by_kind=_rates(people, steps_of, lambda p: p.kind or "unknown"),
        by_company=_rates(people, steps_of, lambda p: p.company or "no company"),
        since=since,
    )


# --- who to contact next ---------------------------------------------------------------------

SENIOR = re.compile(r"\b(senior|sr|staff|principal|lead|head|director|vp|manager)\b", re.I)
_STOP_WORDS = {"and", "or", "the", "a", "an", "of", "for", "in", "at", "roles", "role", "jobs"}


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float
    reasons: list[str]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", name_key(text)) if w not in _STOP_WORDS}


def rank_next(
    people: list[Person], companies: list[Company], config: Config, now: datetime
) -> list[Candidate]:
    """People not yet contacted, most likely to help first; the README documents the points."""
    notes = {company_key(c.name): c for c in companies}
    contacted = {company_key(p.company) for p in people if p.company and p.messaged}
    goal = _words(config.looking_for)
    found = []
    for person in people:
        if stage(person, now) != "to-contact":
            continue
        score, reasons = 0.0, []
        key = company_key(person.company) if person.company else ""
        note = notes.get(key)
        if note and note.status in ACTIVE_STATUSES:
            score += 3
            reasons.append(f"works at {person.company}, on your list")
        elif person.company:
            score += 1
            reasons.append(f"works at {person.company}")
        points = {"1st": 3, "intro": 3, "2nd": 2, "alumni": 2}.get(person.connection, 0)
        if points:
            score += points
            reasons.append(
                {
                    "1st": "1st-degree connection",
                    "intro": "a warm introduction",
                    "2nd": "2nd-degree: ask your mutual connection for an intro",
                    "alumni": "alumni connection",
                }[person.connection]
            )
        if same_school(person, config):
            score += 2
            reasons.append(f"went to {person.school} too")
        if person.common:
            score += min(len(person.common), 2)
            reasons.append(f"in common: {person.common[0]}")
        close = goal & _words(person.role)
        if close:
            score += min(len(close), 2)
            reasons.append(f"title close to yours ({', '.join(sorted(close))})")
        if SENIOR.search(person.seniority or person.role):
            score += 1
            reasons.append("senior: a referral carries weight (replies come less often)")
        elif person.seniority or person.role:
            score += 0.5
            reasons.append("not senior: more likely to answer")
        if key and key not in contacted:
            score += 2
            reasons.append(f"no one at {person.company} contacted yet")
        found.append(Candidate(person, score, reasons))
    return sorted(found, key=lambda c: (-c.score, name_key(c.person.name)))
