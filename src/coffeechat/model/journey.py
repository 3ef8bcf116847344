"""The journey: each company's application as a dated history, and each person's part in it.

Derived on every run from the dated facts in the notes, never stored twice. A company note
keeps the application (`application:` where it stands now, `applied:`, and `steps:`, one
dated line per step, `2026-11-18 interviewing (phone screen)`); a person note keeps what they
did (`replied`, `chat`, `referral` and `sent`, `introduced_by` on the people they introduced).
Every consumer (the stage in `list`, `prep`, `due`, `stats`, `next`, the drafts) asks this
module, so "helped this application" means the same everywhere: helped before the step it is
credited for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import Any

from coffeechat.core.errors import NoteError, Problem, UsageError
from coffeechat.core.limits import YEARS
from coffeechat.core.patterns import lazy
from coffeechat.model.kinds import MAX_ITEMS
from coffeechat.model.names import NoteIndex, company_index, label
from coffeechat.model.note import APPLICATION_STATUSES, Company, Person, stage

# Still in process: the company has not decided, or you have not answered its offer.
LIVE = ("applied", "interviewing", "offer")
# Over without a job there.
OVER = ("rejected", "withdrawn", "declined")
# Where an application stands once nothing more is asked of the people there.
_CLOSING = (*OVER, "accepted")
# The steps the people who helped are told about (`applied` is no news; `accepted` goes out as
# the offer's thank-you).
TOLD = ("interviewing", "offer", "declined", "rejected", "withdrawn")
# A person's own `outcome:` from before applications lived in the company note.
_LEGACY = {
    "interview": "interviewing",
    "offer": "offer",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
}
_STEP = lazy(r"^(\d{4}-\d{2}-\d{2})\s*:?\s+([A-Za-z-]+)\s*[:,;\u2014\u2013-]?\s*(.*)$")


@dataclass(frozen=True)
class Step:
    """One step of an application: its day (None when the note does not say), its status,
    and what the user wrote beside it."""

    day: date | None
    status: str
    note: str = ""


def read_step(line: str) -> Step | None:
    """`2026-11-18 interviewing (phone screen)` as a Step; None when it is not one."""
    match = _STEP.match(line.strip())
    if not match or match.group(2).lower() not in APPLICATION_STATUSES:
        return None
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        return None
    return Step(day, match.group(2).lower(), match.group(3).strip())


def step_line(step: Step) -> str:
    """How `company step` writes a step into `steps:`."""
    day = step.day.isoformat() if step.day else ""
    return " ".join(part for part in (day, step.status, step.note) if part)


# A step's note is a few words (the round, the team); a longer one is a paste gone wrong.
MAX_STEP_NOTE = 200
_STEP_KEYS = ("steps", "application", "applied", "decide_by")


def step_changes(
    company: Company,
    status: str,
    day: date,
    today: date,
    note: str = "",
    decide_by: date | None = None,
) -> dict[str, Any]:
    """The keys `company step` sets: the dated line added to `steps`, where it stands now
    (the latest step: an earlier one recorded late leaves it), the `applied` day on the first
    application, and the day to answer an offer by. Refused, with the reason, when the note's
    own steps cannot be read (they would be lost), or the step is in the future."""
    if status not in APPLICATION_STATUSES:
        raise UsageError(f"`{status}` is not a step; use one of {', '.join(APPLICATION_STATUSES)}")
    note = " ".join(note.split())
    if len(note) > MAX_STEP_NOTE:
        raise UsageError(
            f"a step's note is {len(note):,} characters; keep it under {MAX_STEP_NOTE}"
        )
    for moment, what in ((day, "--on"), (decide_by, "--decide-by")):
        if moment is not None and not YEARS[0] <= moment.year <= YEARS[1]:
            raise UsageError(f"{what} {moment} is not a usable date (years {YEARS[0]}-{YEARS[1]})")
    if day > today:
        raise UsageError(f"{day} is after today: record a step once it has happened")
    for problem in company.problems:
        if problem.message.split(":", 1)[0] in _STEP_KEYS:
            raise NoteError(
                Problem(
                    problem.path,
                    problem.line,
                    problem.message + "; fix it first, or the steps written there would be lost",
                )
            )
    if len(company.steps) >= MAX_ITEMS:
        raise UsageError(f"{company.name} has {len(company.steps)} steps, the most a list holds")
    line = step_line(Step(day, status, note))
    latest = max((s.day for s in map(read_step, company.steps) if s and s.day), default=None)
    changes: dict[str, Any] = {}
    if latest is None or day >= latest or not company.application:
        changes["application"] = status
    if line not in company.steps:
        changes["steps"] = [*company.steps, line]
    if status == "applied" and company.applied is None:
        changes["applied"] = day
    if decide_by is not None:
        changes["decide_by"] = decide_by
    return changes


@dataclass(frozen=True)
class Application:
    """One company's application: its steps, oldest first, the last one where it stands."""

    company: str
    steps: tuple[Step, ...]
    note: Company | None = None
    decide_by: date | None = None

    @property
    def status(self) -> str:
        return self.steps[-1].status if self.steps else ""

    @property
    def live(self) -> bool:
        return self.status in LIVE

    @property
    def over(self) -> bool:
        return self.status in OVER

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"

    @property
    def applied(self) -> date | None:
        return self.day_of("applied")

    @property
    def since(self) -> date | None:
        """The day it came to stand where it stands, when the notes say."""
        return self.steps[-1].day if self.steps else None

    def day_of(self, status: str) -> date | None:
        """The first day the application reached `status`."""
        return next((step.day for step in self.steps if step.status == status), None)

    def reached(self, status: str) -> bool:
        return any(step.status == status for step in self.steps)

    @property
    def interviewed(self) -> bool:
        """It got as far as an interview: a step says so, or an offer came."""
        return any(
            step.status in ("interviewing", "offer", "accepted", "declined") for step in self.steps
        )


def application_from(company: Company, today: date | None = None) -> Application | None:
    """The application a company note records, or None when it records none. `steps:` dates
    the history (a line dated after `today` has not happened yet); `applied:` dates the first
    step when no line does; `application:` is where it stands now, added as the last step
    when the lines end elsewhere."""
    steps = [step for step in map(read_step, company.steps) if step is not None]
    if today is not None:
        steps = [step for step in steps if step.day is None or step.day <= today]
    steps.sort(key=lambda step: step.day or date.max)
    if company.applied and not any(step.status == "applied" for step in steps):
        steps.insert(0, Step(company.applied, "applied"))
    if company.application and (not steps or steps[-1].status != company.application):
        steps.append(Step(None, company.application))
    if not steps:
        return None
    return Application(label(company.name), tuple(steps), company, company.decide_by)


def _legacy_application(person: Person) -> Application | None:
    """A person's own `applied:`/`outcome:`, for notes from before the company kept it."""
    steps = [Step(person.applied, "applied")] if person.applied else []
    if person.outcome:
        steps.append(Step(None, _LEGACY[person.outcome]))
    return Application(label(person.company), tuple(steps)) if steps else None


@dataclass(frozen=True)
class Help:
    """Something a person did for your search, and the day they did it (None: undated)."""

    what: str  # chatted, referred, introduced
    day: date | None
    detail: str = ""  # for an introduction: whom they introduced you to


@dataclass
class Journey:
    """The applications and everyone's part, built once per run (`journey_of`)."""

    now: datetime
    zone: tzinfo
    # The applications by their company note's file, and how a `company:` finds that note.
    applications: dict[str, Application]
    companies: NoteIndex[Company]
    # The person notes someone says introduced them, by the introducer's file.
    introduced: dict[str, list[Person]] = field(default_factory=dict)
    # A vault of 10,000 notes asks these for every person, several times: each is found once.
    _by_company: dict[str, Application | None] = field(default_factory=dict, repr=False)
    _chat_days: dict[datetime, date | None] = field(default_factory=dict, repr=False)

    def application(self, person: Person) -> Application | None:
        """The application at their company: the company note's, else their own old keys."""
        if person.company not in self._by_company:
            note = self.companies.find(person.company) if person.company else None
            self._by_company[person.company] = self.applications.get(note.file) if note else None
        return self._by_company[person.company] or _legacy_application(person)

    def all_applications(self, people: Iterable[Person]) -> list[tuple[Application, list[Person]]]:
        """Every application, each with the people at its company: the company notes', then
        one per company from people's own old keys where no company note keeps one."""
        found: dict[str, tuple[Application, list[Person]]] = {}
        for file, application in self.applications.items():
            found[file] = (application, [])
        for person in people:
            note = self.companies.find(person.company) if person.company else None
            if note is not None and note.file in found:
                found[note.file][1].append(person)
                continue
            legacy = _legacy_application(person)
            if legacy is not None:
                key = "legacy:" + (label(person.company) or person.file).casefold()
                found.setdefault(key, (legacy, []))[1].append(person)
        return list(found.values())

    @cached_property
    def accepted(self) -> Application | None:
        """The offer you accepted, if you have."""
        return next((app for app in self.applications.values() if app.accepted), None)

    def closed(self, person: Person) -> str:
        """Why nothing more is asked of them ("" while their thread is open): they declined
        to refer you, the application there is over, or you accepted an offer."""
        if person.referral == "declined":
            return "declined"
        application = self.application(person)
        if application and application.status in _CLOSING:
            return application.status
        if self.accepted is not None:
            return "accepted elsewhere"
        return ""

    def stage(self, person: Person) -> str:
        """Where they stand (`note.stage`), `closed` once nothing more is asked of them."""
        return "closed" if self.closed(person) else stage(person, self.now)

    def holds(self, person: Person) -> bool:
        """Whether, with an offer accepted elsewhere, they are asked to hold a referral that
        is not in yet (asked about, or agreed) at a company whose application is neither the
        one accepted nor over."""
        accepted = self.accepted
        if accepted is None or person.loop:
            return False
        pending = person.referral in ("asked", "agreed")
        application = self.application(person)
        there = application is not None and (application == accepted or application.over)
        return pending and not there

    def helps(self, person: Person) -> tuple[Help, ...]:
        """What they did for you, oldest first: a chat that took place, a referral agreed or
        given (dated by what you sent them, else the chat), the people they introduced you to
        (dated by your first message to them)."""
        if not (person.chat or person.refers_you or person.file in self.introduced):
            return ()  # most people in a big vault: nothing done yet
        found = []
        chat_day = self.chat_day(person)
        if chat_day is not None:
            found.append(Help("chatted", chat_day))
        if person.refers_you:
            found.append(Help("referred", person.sent or chat_day or person.replied))
        for other in self.introduced.get(person.file, []):
            day = other.messaged or other.replied or self.chat_day(other)
            found.append(Help("introduced", day, other.name))
        return tuple(sorted(found, key=lambda help_: help_.day or date.max))

    def given(self, person: Person) -> tuple[Help, ...]:
        """The give-back record in their note's `## Log`, oldest first: help you gave them
        (`gave: reviewed his resume`) and help they asked you for (`asked: an intro to Ana`),
        each a Help with what `gave` or `asked`, its day and the user's words."""
        if len(person.raw_body) <= 10:
            return ()
        from coffeechat.model.dated import dated

        found = [
            Help(what, day, words)
            for what in ("gave", "asked")
            for day, words in dated(person.raw_body, what)
        ]
        return tuple(sorted(found, key=lambda help_: (help_.day or date.max, help_.what)))

    def news_for(self, person: Person) -> list[tuple[Application, Step]]:
        """The applications whose news they are owed, each with the step to tell: the latest
        step worth telling (an interview, an offer, a no, a withdrawal, your answer to an
        offer), when they helped that application before it and have not been told since
        (`updated` on or after the step's day; an undated step, on or after the last dated
        fact before it).
        Their own company's application, and those of the people they introduced you to. A
        run of steps with one status (a phone screen, then the onsite) is one piece of news,
        from its first day. Nobody in your own application's loop is owed it: they know."""
        if self.accepted is not None or person.loop:
            return []  # the accepted offer's news and thanks, and the close-out, tell them all
        owed = []
        for application, helps in self._helped_applications(person):
            if application.accepted:
                continue  # the offer's own thank-you tells them (`accepted` on the daily list)
            told = [i for i, s in enumerate(application.steps) if s.status in TOLD]
            if not told:
                continue
            first = told[-1]
            while (
                first > 0 and application.steps[first - 1].status == application.steps[first].status
            ):
                first -= 1
            step = application.steps[first]
            if not any(h.day is None or step.day is None or h.day <= step.day for h in helps):
                continue  # they helped after the step: it is not theirs to be told about
            # An undated step came after every dated fact: the steps before it, their help.
            known = [s.day for s in application.steps if s.day] + [h.day for h in helps if h.day]
            since = step.day or max(known, default=None)
            if person.updated and (since is None or person.updated >= since):
                continue
            owed.append((application, step))
        return owed

    def _helped_applications(self, person: Person) -> list[tuple[Application, list[Help]]]:
        found: dict[int, tuple[Application, list[Help]]] = {}
        own = self.application(person)
        if own is None and person.file not in self.introduced:
            return []  # no application of theirs to have helped: most people of a big vault
        helps = self.helps(person)
        if not helps:
            return []
        for help_ in helps:
            if help_.what == "introduced":
                other = next(
                    (p for p in self.introduced.get(person.file, []) if p.name == help_.detail),
                    None,
                )
                application = self.application(other) if other else None
            else:
                application = own
            if application is not None:
                found.setdefault(id(application), (application, []))[1].append(help_)
        return list(found.values())

    def helped_with_application(self, person: Person, application: Application) -> bool:
        """Whether they helped that application (at its company, or through someone they
        introduced you to there)."""
        return any(found == application for found, _ in self._helped_applications(person))

    def helped_before(self, person: Person, day: date | None) -> bool:
        """Whether they helped before `day` (any help at all when the day is not known)."""
        return any(
            day is None or help_.day is None or help_.day <= day for help_ in self.helps(person)
        )

    def chat_day(self, person: Person) -> date | None:
        """The day of their chat in the user's zone, once it has happened; None before it.
        Several rules and `helps` ask it of one person: each chat time is placed once."""
        chat = person.chat
        if chat is None:
            return None
        known = self._chat_days
        if chat not in known:
            known[chat] = None if chat > self.now else chat.astimezone(self.zone).date()
        return known[chat]


def journey_of(
    people: Iterable[Person], companies: Iterable[Company], now: datetime, zone: tzinfo
) -> Journey:
    """The journey the notes tell, as of `now`."""
    companies = list(companies)
    applications = {}
    today = now.astimezone(zone).date()
    for company in companies:
        application = application_from(company, today)
        if application is not None:
            applications[company.file] = application
    people = list(people)
    introducing = [person for person in people if person.introduced_by]
    introduced: dict[str, list[Person]] = {}
    if introducing:  # most vaults: nobody, and then no index of every name to build
        index = NoteIndex(people)
        for person in introducing:
            helper = index.find(person.introduced_by)
            if helper is not None and helper.file != person.file:
                introduced.setdefault(helper.file, []).append(person)
    return Journey(now, zone, applications, company_index(companies), introduced)


# What `stats --week` counts: each a dated fact of the notes, in this order.
WEEK_FACTS = ("messages", "nudges", "replies", "chats", "referrals")


def week_start(day: date) -> date:
    """The Monday of `day`'s week: weeks run Monday to Sunday."""
    from datetime import timedelta

    return day - timedelta(days=day.weekday())


def dated_facts(journey: Journey, people: Iterable[Person]) -> list[tuple[str, date]]:
    """Every dated fact `stats --week` counts, as (WEEK_FACTS name, day): a first message
    (`messaged`), a follow-up (`nudged`), a reply, a chat that took place and a referral
    (as `helps` dates them: what you sent them, else the chat)."""
    found = []
    for person in people:
        for name, day in (
            ("messages", person.messaged),
            ("nudges", person.nudged),
            ("replies", person.replied),
        ):
            if day is not None:
                found.append((name, day))
        for help_ in journey.helps(person):
            if help_.day is None or help_.what == "introduced":
                continue
            found.append(("chats" if help_.what == "chatted" else "referrals", help_.day))
    return found


def first_messages_in_week(people: Iterable[Person], today: date) -> int:
    """How many first messages went out this week (Monday to `today`): what the weekly cap
    counts."""
    start = week_start(today)
    return sum(1 for p in people if p.messaged is not None and start <= p.messaged <= today)
