"""`stats`: how far each person got (the funnel), how soon they reply, and who replies.

Also the words for how far a person got that the other pipeline commands share: a referral
given, an application closed.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from coffeechat.model.journey import Application, Journey
from coffeechat.model.names import label
from coffeechat.model.note import Person

# How far each person got.
FUNNEL = ("collected", "messaged", "replied", "chatted", "referred")
# How far each application got: an interview that ended in a rejection counts as an interview.
APPLICATION_STEPS = ("applied", "interview", "offer", "accepted")
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


def reached(person: Person, now: datetime) -> set[str]:
    """The funnel steps a person has reached; a later step implies the earlier ones. A
    thank-you alone (to an introducer, say) is not a reply."""
    steps = {"collected"}
    if person.refers_you:
        steps.add("referred")
    if (person.chat and person.chat <= now) or "referred" in steps:
        steps.add("chatted")
    if person.replied or "chatted" in steps:
        steps.add("replied")
    if person.messaged or person.nudged or "replied" in steps:
        steps.add("messaged")
    return steps


def application_steps(application: Application, told_of_interview: bool) -> set[str]:
    """How far an application got. `told_of_interview`: a note at its company tells of an
    interview ("rejected after the final round") its steps do not record."""
    steps = {"applied"}
    if application.interviewed or (application.over and told_of_interview):
        steps.add("interview")
    if any(application.reached(s) for s in ("offer", "accepted", "declined")):
        steps |= {"offer", "interview"}
    if application.accepted:
        steps.add("accepted")
    return steps


def needs_evidence(application: Application) -> bool:
    """Whether the notes' text decides if an application got to an interview: it ended
    without its steps saying how far it got."""
    return application.over and not application.interviewed


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
class GiveAndTake:
    """What one person did for your search, and what you gave them and they asked of you."""

    name: str
    received: tuple[str, ...]  # chatted, referred, introduced
    gave: int
    asked: int


@dataclass(frozen=True)
class Stats:
    funnel: list[tuple[str, int]]
    applications: list[tuple[str, int]]
    median_days_to_reply: float | None
    by_connection: list[Rate]
    by_kind: list[Rate]
    by_company: list[Rate]
    since: date | None = None
    # Everyone who helped you or whom you helped, by name: the give-back record.
    give_and_take: list[GiveAndTake] = field(default_factory=list)


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
    journey: Journey,
    since: date | None = None,
    told_of_interview: Callable[[Person], bool] = lambda person: False,
) -> Stats:
    """The people's funnel, the applications' steps, reply times and reply rates; `since`
    keeps people first messaged then or later, and applications applied for then or later;
    `told_of_interview(person)`: their note tells of an interview."""
    now = journey.now
    if since is not None:
        people = [p for p in people if p.messaged and p.messaged >= since]
    counts = dict.fromkeys(FUNNEL, 0)
    steps_of = [reached(person, now) for person in people]
    for steps in steps_of:
        for step in steps:
            counts[step] += 1
    applied = dict.fromkeys(APPLICATION_STEPS, 0)
    for application, there in journey.all_applications(people):
        if since is not None and not (application.applied and application.applied >= since):
            continue
        told = needs_evidence(application) and any(map(told_of_interview, there))
        for step in application_steps(application, told):
            applied[step] += 1
    days = [
        (person.replied - person.messaged).days
        for person in people
        if person.messaged and person.replied and person.replied >= person.messaged
    ]
    give_and_take = []
    company_label = functools.cache(label)  # a company's label once, not once per person
    for person in people:
        received = tuple(help_.what for help_ in journey.helps(person))
        given = journey.given(person)
        if received or given:
            give_and_take.append(
                GiveAndTake(
                    person.name,
                    received,
                    sum(help_.what == "gave" for help_ in given),
                    sum(help_.what == "asked" for help_ in given),
                )
            )
    return Stats(
        give_and_take=sorted(give_and_take, key=lambda row: row.name.casefold()),
        funnel=[(step, counts[step]) for step in FUNNEL],
        applications=[(step, applied[step]) for step in APPLICATION_STEPS],
        median_days_to_reply=_median(days),
        by_connection=_rates(people, steps_of, lambda p: p.connection or "unknown"),
        by_kind=_rates(people, steps_of, lambda p: p.kind or "unknown"),
        by_company=_rates(people, steps_of, lambda p: company_label(p.company) or "no company"),
        since=since,
    )


# Under this many first messages a group's reply rate means little: one reply more or less
# moves it by ten points or more. `stats --by` says so beside it.
SMALL_SAMPLE = 10
NOT_SET = "(not set)"


@dataclass(frozen=True)
class Group:
    group: str
    sent: int
    replied: int

    @property
    def rate(self) -> float | None:
        return self.replied / self.sent if self.sent else None

    @property
    def too_few(self) -> bool:
        return self.sent < SMALL_SAMPLE


def values_of(person: Person, key: str) -> list[str]:
    """The values a person's note holds for `key` (a declared key, or one of your own such
    as `variant:`), as text; a list gives each item."""
    from coffeechat.model.note import PERSON_KEY_NAMES

    declared = PERSON_KEY_NAMES.get(key)
    value = getattr(person, declared.field) if declared else person.extra.get(key)
    if value is None or value == "" or value == ():
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if str(item).strip()]
    if isinstance(value, date):
        return [value.isoformat()]
    return [label(str(value)) if key == "company" else str(value)]


def by_key(
    people: list[Person], journey: Journey, key: str, since: date | None = None
) -> list[Group]:
    """First messages sent and replied to, grouped by what each note holds for `key`
    (`template`: which draft template the first message came from), most sent first;
    `since` keeps people first messaged then or later. A person whose note has no value is
    in `NOT_SET`; a list value counts the person in each of its items' groups."""
    now = journey.now
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for person in people:
        if person.messaged is None or (since is not None and person.messaged < since):
            continue
        replied = "replied" in reached(person, now)
        for value in values_of(person, key) or [NOT_SET]:
            groups[value][0] += 1
            groups[value][1] += replied
    found = [Group(group, sent, replied) for group, (sent, replied) in groups.items()]
    return sorted(found, key=lambda g: (g.group == NOT_SET, -g.sent, g.group))
