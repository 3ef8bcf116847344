"""`stats`: how far each person got (the funnel), how soon they reply, and who replies.

Also the words for how far a person got that the other pipeline commands share: a referral
given, an application closed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from coffeechat.model.names import label
from coffeechat.model.note import Person

FUNNEL = ("collected", "messaged", "replied", "chatted", "referred", "interview", "offer")
# Outcomes that close an application without saying how far it got.
CLOSED_OUTCOMES = ("rejected", "withdrawn")
# Words in a note that say an application got as far as an interview (`rejected after the
# final round`): an interview that ended in a rejection still counts as an interview.
_INTERVIEW_WORDS = re.compile(
    r"\b(interview(?:s|ed|ing)?|final round|onsite|on-site|technical round|hiring manager "
    r"round|take-home|panel)\b",
    re.IGNORECASE,
)


def says_interviewed(text: str) -> bool:
    """Whether a note's text tells of an interview (its log: "rejected after the final
    round")."""
    return bool(_INTERVIEW_WORDS.search(text))


def reached(person: Person, now: datetime, interviewed: bool = False) -> set[str]:
    """The funnel steps a person has reached; a later step implies the earlier ones.
    `interviewed`: the note tells of an interview, whatever the outcome."""
    steps = {"collected"}
    if person.outcome == "offer":
        steps |= {"offer", "interview"}
    if person.outcome == "interview" or interviewed:
        steps.add("interview")
    if person.refers_you or steps & {"interview"}:
        steps.add("referred")
    if (person.chat and person.chat <= now) or person.thanked or "referred" in steps:
        steps.add("chatted")
    if person.replied or "chatted" in steps:
        steps.add("replied")
    if person.messaged or person.nudged or "replied" in steps:
        steps.add("messaged")
    return steps


def needs_evidence(person: Person) -> bool:
    """Whether the note's text decides the person's interview step: the outcome closed the
    application without saying how far it got."""
    return person.outcome in CLOSED_OUTCOMES


def interview_evidence(body: str) -> bool:
    """Whether the note's `## Log` tells of an interview ("rejected after the final round")."""
    from coffeechat.model.body import section_lines

    bounds = section_lines(body, "Log")
    if bounds is None:
        return False
    start, end = bounds
    return says_interviewed("\n".join(body.splitlines()[start + 1 : end]))


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


def _rates(
    people: list[Person], steps_of: list[set[str]], group_of: Callable[[Person], str]
) -> list[Rate]:
    groups: dict[str, list[set[str]]] = defaultdict(list)
    for person, steps in zip(people, steps_of, strict=True):
        if "messaged" in steps:
            groups[group_of(person)].append(steps)
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


def stats(
    people: list[Person],
    now: datetime,
    since: date | None = None,
    interviewed: frozenset[str] = frozenset(),
) -> Stats:
    """The funnel, reply times and reply rates; `since` keeps people first messaged then or
    later; `interviewed` names (by file stem) people whose notes tell of an interview."""
    if since is not None:
        people = [p for p in people if p.messaged and p.messaged >= since]
    counts = dict.fromkeys(FUNNEL, 0)
    steps_of = [reached(person, now, person.stem in interviewed) for person in people]
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
        by_company=_rates(people, steps_of, lambda p: label(p.company) or "no company"),
        since=since,
    )
