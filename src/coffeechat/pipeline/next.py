"""`next`: who to contact next, most likely to help first, with the reasons.

`POINTS` is the scoring table (and docs/daily.md's); the title words below say what kind of work
a title is and what it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from coffeechat.model.config import Config
from coffeechat.model.journey import journey_of
from coffeechat.model.names import company_index, label, name_key, same_school
from coffeechat.model.note import Company, Person
from coffeechat.model.people import TITLE_WORDS, kind_from_words, person_kind
from coffeechat.pipeline.coverage import ACTIVE_STATUSES, location_fit, priority_rank


@dataclass(frozen=True)
class Points:
    """One line of `next`'s scoring: the points, and when they are given."""

    name: str
    points: float
    when: str


POINTS = (
    Points("on_list", 3, "works at a company on your list (status target or active)"),
    Points("elsewhere", 1, "works at another company"),
    Points("priority_top", 2, "their company's `priority` is 1 (or high)"),
    Points("priority_second", 1, "their company's `priority` is 2"),
    Points("hiring", 1, "their company's `hiring` is growth or entry"),
    Points("frozen", -2, "their company's `hiring` is frozen"),
    Points("misfit", -5, "their company does not hire where you can work (`locations`)"),
    Points("first", 3, "1st-degree connection, or introduced (`connection: intro`)"),
    Points("school", 2, "alumni connection or went to your `school` (counted once)"),
    Points("second", 2, "2nd-degree connection"),
    Points("common", 1, "each `common` item, up to 2 (not one that restates the connection)"),
    Points("same_work", 1, "the same kind of work as your `looking_for` (engineer, manager…)"),
    Points("specialty", 1, "a specialty word shared by their title or team and your `looking_for`"),
    Points(
        "senior",
        1,
        "senior (senior, staff, principal, lead, manager, director, head, VP, "
        "founder, CTO…): a referral weighs more",
    ),
    Points("not_senior", 0.5, "not senior: more likely to answer"),
    Points("untouched", 2, "nobody at their company messaged yet"),
)
P = {point.name: point.points for point in POINTS}

_SENIOR = re.compile(
    r"\b(senior|sr|staff|principal|lead|head|director|vp|vice president|manager|chief|"
    r"cto|ceo|coo|cpo|cfo|founder|co-?founder|partner|president|distinguished|fellow)\b",
    re.IGNORECASE,
)
_STOP_WORDS = {"and", "or", "the", "a", "an", "of", "for", "in", "at", "to", "with", "my"}
# Words that say which kind of work a title is, not what it is about.
# Words no title shares meaningfully: levels, generic nouns.
_GENERIC = {
    *("junior", "senior", "sr", "jr", "staff", "principal", "lead", "mid", "entry", "level"),
    *("role", "roles", "job", "jobs", "position", "positions", "work", "software", "team"),
    *("i", "ii", "iii", "iv", "co", "vice", "president", "technical", "tech", "associate"),
    *TITLE_WORDS,
}


@cache
def _title_words(text: str) -> frozenset[str]:
    return frozenset(
        word for word in re.findall(r"[a-z]+", name_key(text)) if word not in _STOP_WORDS
    )


@cache
def kind_of_work(text: str) -> str:
    """engineer, manager or recruiter, from a title or `looking_for`; "" when it says none.
    A title naming two (Engineering Manager) is the more senior kind."""
    return kind_from_words(_title_words(text))


@cache
def specialty(text: str) -> frozenset[str]:
    """What a title is about, levels and kinds of work left out: backend, payments, data."""
    return _title_words(text) - _GENERIC


@cache
def is_senior(text: str) -> bool:
    return bool(_SENIOR.search(text))


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float
    reasons: list[str]


_RESTATES_CONNECTION = ("mutual connection", "introduced by", "alumni", "1st degree", "2nd degree")


def _company_points(
    note: Company | None, person: Person, fit: bool | None
) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    company = note.name if note else label(person.company)
    if note and note.status in ACTIVE_STATUSES:
        score += P["on_list"]
        reasons.append(f"works at {company}, on your list")
    elif person.company:
        score += P["elsewhere"]
        reasons.append(f"works at {company}")
    if note is None:
        return score, reasons
    rank = priority_rank(note)[0]
    if rank == 1:
        score += P["priority_top"]
        reasons.append("a top-priority company")
    elif rank == 2:
        score += P["priority_second"]
        reasons.append("a priority-2 company")
    if note.hiring in ("growth", "entry"):
        score += P["hiring"]
        reasons.append(f"hiring ({note.hiring})")
    elif note.hiring == "frozen":
        score += P["frozen"]
        reasons.append("hiring is frozen")
    if fit is False:
        score += P["misfit"]
        where = ", ".join(note.locations) or note.remote
        reasons.append(f"{note.name} does not hire where you can work ({where})")
    return score, reasons


def rank_next(
    people: list[Person], companies: list[Company], config: Config, now: datetime
) -> list[Candidate]:
    """People not yet contacted, most likely to help first; `POINTS` is the table (and
    docs/daily.md's)."""
    index = company_index(companies)
    # Nobody new once an offer is accepted, nor at a company whose application is over.
    journey = journey_of(people, companies, now, config.zone)
    fits: dict[str, bool | None] = {}
    contacted = {index.group(p.company) for p in people if p.company and p.messaged}
    goal_kind = kind_of_work(config.looking_for)
    goal_specialty = specialty(config.looking_for)
    found = []
    for person in people:
        if person.messaged or person.replied or person.chat or person.nudged or person.thanked:
            continue  # in touch already: past `to-contact`, which the stage would say slower
        if journey.stage(person) != "to-contact":
            continue
        key = index.group(person.company) if person.company else ""
        note = index.find(person.company) if person.company else None
        if note is not None and key not in fits:
            fits[key] = location_fit(note, config.locations)
        score, reasons = _company_points(note, person, fits.get(key))
        connection = person.connection
        if connection in ("1st", "intro"):
            score += P["first"]
            reasons.append(
                "1st-degree connection" if connection == "1st" else "a warm introduction"
            )
        elif connection == "2nd":
            score += P["second"]
            reasons.append("2nd-degree: ask your mutual connection for an intro")
        school = same_school(person, config)
        if connection == "alumni" or school:
            score += P["school"]
            went = f"went to {person.school} too"
            both = f"alumni connection; {went}" if connection == "alumni" else went
            reasons.append(both if school else "alumni connection")
        common = [
            item for item in person.common if not item.lower().startswith(_RESTATES_CONNECTION)
        ][:2]
        if common:
            score += P["common"] * len(common)
            reasons.append(f"in common: {'; '.join(common)}")
        kind = person.kind if person_kind(person.kind).title_words else kind_of_work(person.role)
        if goal_kind and kind == goal_kind:
            score += P["same_work"]
            reasons.append(f"the kind of work you want ({kind})")
        close = goal_specialty & (specialty(person.role) | specialty(person.team))
        if close:
            score += P["specialty"]
            reasons.append(f"title close to yours ({', '.join(sorted(close))})")
        if is_senior(person.seniority) or is_senior(person.role):
            score += P["senior"]
            reasons.append("senior: a referral carries weight (replies come less often)")
        elif person.seniority or person.role:
            score += P["not_senior"]
            reasons.append("not senior: more likely to answer")
        if key and key not in contacted:
            score += P["untouched"]
            reasons.append(f"no one at {index.shown(person.company)} contacted yet")
        found.append(Candidate(person, score, reasons))
    return sorted(found, key=lambda c: (-c.score, name_key(c.person.name)))


# --- people who would be glad to know each other ----------------------------------------------


@dataclass(frozen=True)
class Pair:
    """Two people you know who share something, and what they share, in the user's words."""

    first: Person
    second: Person
    shared: tuple[str, ...]


def _known(person: Person, now: datetime) -> bool:
    """Someone you could introduce: they answered, or you had a chat."""
    return bool(person.replied or (person.chat and person.chat <= now))


def _names(person: Person) -> set[str]:
    """The ways `mutual` and `introduced_by` may name someone."""
    return {name_key(person.name), person.stem.casefold()}


def _points_to(person: Person) -> set[str]:
    """The names someone's `mutual` and `introduced_by` give, each as `_names` spells it."""
    found: set[str] = set()
    for target in (*person.mutual, person.introduced_by):
        cleaned = target.strip().removeprefix("[[").removesuffix("]]").split("|")[0].strip()
        found |= {name_key(cleaned), cleaned.casefold()}
    return found


def introductions(people: list[Person], now: datetime) -> list[Pair]:
    """Pairs of people you know who share a school, a company (now or before), a `common`
    interest or a tag, and are not linked by `mutual`/`introduced_by`; most shared first,
    then by name: the same order on every run. Only the people who share a fact are paired
    (through an index of who holds each), so thousands of people cost seconds at most, not
    the minutes every pair would."""
    from coffeechat.model.names import company_key

    known = sorted((p for p in people if _known(p, now)), key=lambda p: (name_key(p.name), p.stem))

    def facts(person: Person) -> dict[str, str]:
        found: dict[str, str] = {}
        if person.school:
            found["school:" + person.school.casefold()] = f"both studied at {person.school}"
        for place in (person.company, *person.previous):
            if place and company_key(place):
                found["company:" + company_key(place)] = f"both worked at {label(place)}"
        for item in person.common:
            found["common:" + " ".join(item.casefold().split())] = f"both share “{item}”"
        for tag in person.tags:
            found["tag:" + tag.casefold()] = f"both tagged {tag}"
        return found

    each = [facts(person) for person in known]
    holders: dict[str, list[int]] = {}
    for index, found in enumerate(each):
        for key in found:
            holders.setdefault(key, []).append(index)
    companies = [company_key(person.company) for person in known]
    names = [_names(person) for person in known]
    points = [_points_to(person) for person in known]
    pairs = []
    for i, first in enumerate(known):
        for j in sorted({j for key in each[i] for j in holders[key] if j > i}):
            if first.company and companies[i] == companies[j]:
                continue  # colleagues now: they know each other
            if points[i] & names[j] or points[j] & names[i]:
                continue
            shared = [each[i][key] for key in each[i] if key in each[j]]
            pairs.append(Pair(first, known[j], tuple(shared)))
    pairs.sort(key=lambda pair: -len(pair.shared))  # stable: names break ties as listed
    return pairs
