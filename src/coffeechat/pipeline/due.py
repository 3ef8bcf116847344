"""The search as a whole: what is due today, the funnel, company coverage, who to contact next.

Everything here is derived from the notes' dates on each run; nothing is stored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from coffeechat.model.config import Config
from coffeechat.model.names import company_index, company_key, label, name_key, same_school
from coffeechat.model.note import Company, Person, stage

# --- the rules of the daily list ---------------------------------------------------------------

# A reply that asks for a call gets times the same day (seed 001: "be prompt").
SLOTS_WITHIN_DAYS = 0
# A week after the one nudge with no reply: move on to someone else at the company.
MOVE_ON_DAYS = 7
# The thank-you, the connection request and the referral's materials: the day after the chat.
AFTER_CHAT_DAYS = 1
# After sending what a referral needs, give them this long before checking in.
REFERRAL_CHECK_IN_DAYS = 5
# Items later than this leave the daily list for `due --all`.
QUIET_AFTER_DAYS = 14
# Coverage gaps come up once a week, on this weekday (Monday = 0): planning the week's outreach.
COVERAGE_WEEKDAY = 0
# A company with fewer people than this is small: one engineer or manager covers it.
SMALL_COMPANY = 50
# The recommended mix per target company: at least one of each.
MIX = ("engineer", "manager", "recruiter")
ACTIVE_STATUSES = ("target", "active", "")
CLOSED_OUTCOMES = ("rejected", "withdrawn")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Rule:
    """One kind of due item: when it falls due, what keeps it open, and the seed it follows."""

    kind: str
    due: str
    open_while: str
    seed: str


# Most urgent first when equally late; the README's rules table is generated from this.
RULES = (
    Rule(
        "chat",
        "its day (listed the day before too)",
        "a chat today or tomorrow: read the prep sheet",
        "001, 003: you lead the call; research them first",
    ),
    Rule(
        "slots",
        "the day of `replied`" if not SLOTS_WITHIN_DAYS else f"`replied` + {SLOTS_WITHIN_DAYS}",
        "they replied and no `chat` is set",
        '001: "make sure to be prompt in your response"',
    ),
    Rule(
        "thanks",
        "the day after the chat",
        "the chat is past and `thanked` is not set, whatever the referral or the outcome",
        '001: a thank-you the next day; 004: "Make sure to send a thank you!"',
    ),
    Rule(
        "connect",
        "the day after the chat",
        "`connection` is not 1st and `connected` is not set (`coffeechat mark NAME connected`)",
        "001: a connection request the day after, so you can reach them later",
    ),
    Rule(
        "send",
        "the day after the chat (or the reply, with no chat)",
        "`referral: agreed` and `sent` is not set: send your resume and the posting, "
        "then `coffeechat mark NAME sent`",
        "001: after a yes, send what they need",
    ),
    Rule(
        "nudge",
        "`messaged` + `nudge_after_days`",
        "no reply, no nudge and no chat yet",
        "004: one polite follow-up after about a week",
    ),
    Rule(
        "referral",
        f"`sent` + {REFERRAL_CHECK_IN_DAYS} days",
        "`referral: agreed` and not yet submitted: check in",
        "001: they need some time to find out how",
    ),
    Rule(
        "update",
        "today, each day until done: the day a status was set is not recorded",
        "their company's `application:` says where it stands (or, in older notes, their own "
        "`outcome` is set), they helped (a chat, an agreed or given referral), and `updated` is "
        "missing or before the application's `applied` date",
        "001: tell them the outcome when it is decided",
    ),
    Rule(
        "introducer",
        "the day after the chat; the update once the person they introduced has an `outcome`",
        "`introduced_by` names a person note, whose `thanked` (then `updated`) is not on or "
        "after that chat",
        "001: whoever introduced you is thanked and updated too",
    ),
    Rule(
        "move-on",
        f"`nudged` + {MOVE_ON_DAYS} days",
        "still no reply and no chat, and nobody else at their company messaged since the "
        f"nudge; never listed as late, gone after {QUIET_AFTER_DAYS} days, then nothing more",
        "001, 003: most will not answer; keep going with the next person",
    ),
    Rule(
        "coverage",
        f"every {_WEEKDAYS[COVERAGE_WEEKDAY]} (any day in `due --all` and `companies`)",
        "a target or active company misses an engineer, a manager or a recruiter; a small one "
        f"(`size` under {SMALL_COMPANY}) needs one engineer or manager, and `recruiters: no` "
        "drops the recruiter",
        "004: 1-2 engineers, 1-2 managers, 1-2 recruiters per company",
    ),
)
URGENCY = tuple(rule.kind for rule in RULES)
# Items that are notices, not tasks: they never read as late and leave after the quiet window.
NOTICES = ("move-on",)


@dataclass(frozen=True)
class DueItem:
    kind: str
    due: date
    overdue_days: int
    command: str
    what: str
    person: Person | None = None
    company: str | None = None
    # What the item is about, the same on every run while it is open: calendars key on it.
    key: str = ""
    # The day it was done, for a calendar that shows it done in place of the reminder.
    done: date | None = None
    company_note: Company | None = None

    @property
    def file(self) -> str | None:
        """The note the item is about, when there is one."""
        note = self.person or self.company_note
        return note.file if note else None


@dataclass(frozen=True)
class DueList:
    """The day's items, and how many older ones `due --all` would add."""

    items: list[DueItem]
    older: int = 0
    everything: bool = False
    # Items done in the last QUIET_AFTER_DAYS days, when asked for (`with_done`).
    done: list[DueItem] = field(default_factory=list)


@dataclass
class _Context:
    today: date
    now: datetime
    config: Config
    people: list[Person]
    with_done: bool = False
    # The last day items are taken for: today, or further for a calendar export.
    last: date | None = None
    everything: bool = False
    older: int = 0
    # Company notes that record an application, by company key.
    applications: dict[str, Company] = field(default_factory=dict)
    _others: dict[str, list[tuple[date, str]]] = field(default_factory=dict)
    _names: dict[str, Person] = field(default_factory=dict)

    def skip(self, kind: str, due: date, done: date | None = None) -> bool:
        """Whether an item is left out (before its text is made: a big vault has thousands):
        done, too late for the daily list (counted), or not due yet."""
        if done:
            return not self.with_done or (self.today - done).days > QUIET_AFTER_DAYS
        if (self.today - due).days > QUIET_AFTER_DAYS:
            if kind in NOTICES:
                return True  # a notice that old has happened by itself
            if not self.everything:
                self.older += 1
                return True
        return due > (self.last or self.today) and kind != "chat"

    def item(
        self,
        kind: str,
        due: date,
        command: str,
        what: str,
        key: str,
        done: date | None = None,
        **who: object,
    ) -> DueItem:
        late = 0 if kind in NOTICES or done else max((self.today - due).days, 0)
        return DueItem(kind, due, late, command, what, key=f"{kind}/{key}", done=done, **who)  # type: ignore[arg-type]

    def messaged_at(self, company: str) -> list[tuple[date, str]]:
        """(messaged, stem) of everyone at a company; built on first use."""
        if not self._others:
            for person in self.people:
                if person.company and person.messaged:
                    found = self._others.setdefault(company_key(person.company), [])
                    found.append((person.messaged, person.stem))
            self._others.setdefault("", [])
        return self._others.get(company_key(company), [])

    def person_named(self, text: str) -> Person | None:
        """The person a link or name points to: `[[ben-carter]]`, `[[Ben Carter|Ben]]`, Ben
        Carter."""
        if not self._names:
            for person in self.people:
                self._names.setdefault(person.stem, person)
                self._names.setdefault(name_key(person.name), person)
        target = text.strip().removeprefix("[[").removesuffix("]]").split("|")[0].strip()
        target = target.rsplit("/", 1)[-1].removesuffix(".md")
        return self._names.get(target) or self._names.get(name_key(target))


def introduced_by(person: Person) -> str:
    """Who introduced them, as the note says (`introduced_by:`, a name or an Obsidian link)."""
    return person.introduced_by


def _person_items(person: Person, ctx: _Context) -> Iterator[DueItem]:
    if not (person.messaged or person.chat or person.replied or person.referral or person.outcome):
        return  # not contacted yet: nothing is due (the common case in a big vault)
    stem, name, today, now = person.stem, person.name, ctx.today, ctx.now
    zone = ctx.config.zone
    closed = person.referral == "declined" or person.outcome in CLOSED_OUTCOMES
    chat_day = person.chat.astimezone(zone).date() if person.chat else None
    chat_past = person.chat is not None and person.chat <= now
    horizon = max(today + timedelta(days=1), ctx.last or today)
    if person.chat and chat_day and not chat_past and chat_day <= horizon:
        from coffeechat.when import timefmt
        from coffeechat.when.zones import contact_zone

        their_zone = contact_zone(person.timezone, person.location).zone
        when = timefmt.both_sides(person.chat, zone, their_zone)
        yield ctx.item(
            "chat",
            chat_day,
            f"coffeechat prep {stem}",
            f"chat with {name}: {when}",
            f"{stem}/{person.chat.isoformat()}",
            person=person,
        )
    if chat_past and chat_day:
        after = chat_day + timedelta(days=AFTER_CHAT_DAYS)
        if not ctx.skip("thanks", after, person.thanked):
            yield ctx.item(
                "thanks",
                after,
                f"coffeechat draft thanks {stem}",
                f"thank {name} for the chat {chat_day:%a %b} {chat_day.day}",
                f"{stem}/{chat_day}",
                done=person.thanked,
                person=person,
            )
        if person.connection != "1st" and not ctx.skip("connect", after, person.connected):
            yield ctx.item(
                "connect",
                after,
                f"coffeechat draft connect {stem}",
                f"send {name} a connection request, thanking them for the chat",
                f"{stem}/{chat_day}",
                done=person.connected,
                person=person,
            )
    if person.messaged:
        nudge_day = person.messaged + timedelta(days=ctx.config.nudge_after_days)
        silent = not (person.replied or person.chat or closed)
        if (silent or person.nudged) and not ctx.skip("nudge", nudge_day, person.nudged):
            yield _nudge(person, stem, nudge_day, ctx)
        if silent and person.nudged:
            yield from _move_on(person, ctx)
    slots_day = person.replied and person.replied + timedelta(days=SLOTS_WITHIN_DAYS)
    if slots_day and not person.chat and not closed and not ctx.skip("slots", slots_day):
        yield ctx.item(
            "slots",
            slots_day,
            f"coffeechat slots {stem}",
            f"{name} replied on {person.replied}: offer times",
            f"{stem}/{person.replied}",
            person=person,
        )
    if person.referral == "agreed":
        base = chat_day if chat_past else person.replied
        send_day = base and base + timedelta(days=AFTER_CHAT_DAYS)
        if send_day and not ctx.skip("send", send_day, person.sent):
            yield ctx.item(
                "send",
                send_day,
                f"coffeechat mark {stem} sent",
                f"send {name} what the referral needs: your resume and the posting",
                f"{stem}/{base}",
                done=person.sent,
                person=person,
            )
        check_in = person.sent and person.sent + timedelta(days=REFERRAL_CHECK_IN_DAYS)
        if check_in and not ctx.skip("referral", check_in):
            yield ctx.item(
                "referral",
                check_in,
                f"coffeechat set {stem} referral=submitted",
                f"check in with {name} about the referral (sent {person.sent})",
                f"{stem}/{person.sent}",
                person=person,
            )
    application = (
        ctx.applications.get(company_key(label(person.company))) if person.company else None
    )
    status, applied = person.outcome, person.applied
    helped = chat_past or person.referral in ("agreed", "submitted")
    if application is not None and (helped or person.outcome):
        status, applied = application.application, application.applied or applied
    if status and (person.updated is None or (applied and person.updated < applied)):
        yield ctx.item(  # due today, every day: never skipped
            "update",
            today,
            f"coffeechat draft update {stem}",
            f"tell {name} how it went ({status})",
            f"{stem}/{status}",
            person=person,
        )
    if chat_past and chat_day and person.introduced_by:
        yield from _introducer(person, chat_day, ctx)


def _nudge(person: Person, stem: str, due: date, ctx: _Context) -> DueItem:
    return ctx.item(
        "nudge",
        due,
        f"coffeechat draft nudge {stem}",
        f"no reply from {person.name} since {person.messaged}",
        f"{stem}/{person.messaged}",
        done=person.nudged,
        person=person,
    )


def _move_on(person: Person, ctx: _Context) -> Iterator[DueItem]:
    nudged = person.nudged
    assert nudged is not None
    due = nudged + timedelta(days=MOVE_ON_DAYS)
    if ctx.skip("move-on", due):
        return
    if person.company and any(
        day > nudged and stem != person.stem for day, stem in ctx.messaged_at(person.company)
    ):
        return  # already moved on: someone else there was messaged since the nudge
    at = label(person.company)
    yield ctx.item(
        "move-on",
        due,
        f'coffeechat next --company "{at}"' if at else "coffeechat next",
        f"no reply from {person.name} a week after the nudge: move on"
        + (f" to someone else at {at}" if at else ""),
        f"{person.stem}/{nudged}",
        person=person,
    )


def _introducer(person: Person, chat_day: date, ctx: _Context) -> Iterator[DueItem]:
    text = introduced_by(person)
    helper = ctx.person_named(text) if text else None
    if helper is None or helper.stem == person.stem:
        return
    key = f"{helper.stem}/{person.stem}/{chat_day}"
    thank_day = chat_day + timedelta(days=AFTER_CHAT_DAYS)
    thanked = helper.thanked if helper.thanked and helper.thanked >= chat_day else None
    if not ctx.skip("introducer", thank_day, thanked):
        yield ctx.item(
            "introducer",
            thank_day,
            f"coffeechat mark {helper.stem} thanked",
            f"thank {helper.name} for the introduction to {person.name}",
            f"thanks/{key}",
            done=thanked,
            person=helper,
        )
    since = person.applied or chat_day
    if person.outcome and not (helper.updated and helper.updated >= since):
        yield ctx.item(
            "introducer",
            ctx.today,
            f"coffeechat mark {helper.stem} updated",
            f"tell {helper.name} how it went with {person.name} ({person.outcome})",
            f"update/{key}/{person.outcome}",
            person=helper,
        )


def due_items(
    people: list[Person],
    companies: list[Company],
    config: Config,
    now: datetime,
    *,
    until: date | None = None,
    everything: bool = False,
    with_done: bool = False,
) -> DueList:
    """Everything due on or before today (in the user's zone), most urgent first.

    Items more than `QUIET_AFTER_DAYS` late are only counted, unless `everything`; coverage
    gaps come on `COVERAGE_WEEKDAY` (any day with `everything`). `until` also takes items
    due up to that day (a calendar export looks ahead); `with_done` adds the items done in
    the last QUIET_AFTER_DAYS days, so a calendar can show them done.
    """
    today = now.astimezone(config.zone).date()
    last = max(until or today, today)
    ctx = _Context(today, now, config, people, with_done, last, everything)
    ctx.applications = {
        company_key(label(company.name)): company for company in companies if company.application
    }
    found = [item for person in people for item in _person_items(person, ctx)]
    coverage_day = today + timedelta(days=(COVERAGE_WEEKDAY - today.weekday()) % 7)
    if everything:
        coverage_day = today
    if coverage_day <= last:
        found += coverage_gaps(people, companies, now, coverage_day)
    kept = [item for item in found if not item.done]
    done = [item for item in found if item.done]
    kept.sort(key=lambda item: (-item.overdue_days, URGENCY.index(item.kind), item.due, item.what))
    return DueList(kept, ctx.older, everything, done)


# --- companies: coverage and location fit ----------------------------------------------------

# `remote:` values that mean it hires remotely (compared in lower case).
REMOTE_YES = ("yes", "true", "remote", "remote-first", "remote first", "fully remote", "anywhere")


def is_small(size: str) -> bool:
    """`size: 8`, `11-50`, `small` or `startup`: fewer people than SMALL_COMPANY."""
    text = size.strip().lower()
    if text in ("small", "startup", "tiny"):
        return True
    number = re.search(r"\d[\d,]*", text)
    return bool(number) and int(number.group().replace(",", "")) < SMALL_COMPANY  # type: ignore[union-attr]


def wanted_mix(company: Company | None) -> list[tuple[str, tuple[str, ...]]]:
    """What coverage asks for at a company, as (what to call a gap, the kinds that fill it)."""
    if company and is_small(company.size):
        return [("engineer or manager", ("engineer", "manager"))]
    return [
        (kind, (kind,))
        for kind in MIX
        if not (kind == "recruiter" and company and company.recruiters == "no")
    ]


def location_fit(company: Company, mine: tuple[str, ...]) -> bool | None:
    """Whether the company hires where you can work (`locations` in coffeechat.toml): it hires
    remotely (in your country, when it says which), or it has a place in your state, province
    or country-wide. None when either side says nothing the gazetteer can place."""
    from coffeechat.when.zones import country_and_region

    if not mine:
        return None
    places, remote_places = [], False
    for location in company.locations:
        place = country_and_region(location)
        if "remote" in location.lower():
            if place is None:
                return True  # remote, anywhere (or a region coffeechat cannot place)
            remote_places = True
        if place:
            places.append(place)
    if company.remote.strip().lower() in REMOTE_YES and not remote_places:
        return True
    my_places = [place for place in map(country_and_region, mine) if place]
    if not places or not my_places:
        return None
    return any(
        country == my_country and (not region or not my_region or region == my_region)
        for country, region in places
        for my_country, my_region in my_places
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
    # Whether it hires where you can work; None when unknown or `locations` is not set.
    fits: bool | None = None

    @property
    def gaps(self) -> list[str]:
        return [
            label
            for label, kinds in wanted_mix(self.company)
            if not any(self.kinds.get(kind) for kind in kinds)
        ]


def coverage(
    people: list[Person],
    companies: list[Company],
    now: datetime,
    my_locations: tuple[str, ...] = (),
) -> list[Coverage]:
    """Per company note: who you have there by kind, how far each has gone, and whether it
    hires where you can work."""
    index = company_index(companies)
    by_company: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        if person.company:
            by_company[index.group(person.company)].append(person)
    rows = []
    for company in companies:
        there = by_company.get(company.file, [])
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
                location_fit(company, my_locations),
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
    people: list[Person], companies: list[Company], now: datetime, day: date
) -> list[DueItem]:
    """A due item on `day` for each target or active company short of its mix."""
    items = []
    for row in coverage(people, companies, now):
        if row.company and row.company.status in ACTIVE_STATUSES and row.gaps:
            items.append(
                DueItem(
                    "coverage",
                    day,
                    0,
                    f'coffeechat next --company "{row.name}"',
                    f"{row.name} has no {' or '.join(row.gaps)} yet",
                    company=row.name,
                    key=f"coverage/{company_key(row.name)}/{day}",
                    company_note=row.company,
                )
            )
    return items


# --- the funnel ----------------------------------------------------------------------------

FUNNEL = ("collected", "messaged", "replied", "chatted", "referred", "interview", "offer")
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
    if person.referral in ("agreed", "submitted") or steps & {"interview"}:
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


# --- who to contact next ---------------------------------------------------------------------


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
_WORK_WORDS = {
    "engineer": {"engineer", "engineering", "developer", "programmer", "swe", "sde", "dev"},
    "manager": {"manager", "management", "head", "director", "vp", "cto", "founder", "chief"},
    "recruiter": {"recruiter", "recruiting", "recruitment", "talent", "sourcer", "hr"},
}
# Words no title shares meaningfully: levels, generic nouns.
_GENERIC = {
    *("junior", "senior", "sr", "jr", "staff", "principal", "lead", "mid", "entry", "level"),
    *("role", "roles", "job", "jobs", "position", "positions", "work", "software", "team"),
    *("i", "ii", "iii", "iv", "co", "vice", "president", "technical", "tech", "associate"),
    *(word for words in _WORK_WORDS.values() for word in words),
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
    words = _title_words(text)
    for kind in ("recruiter", "manager", "engineer"):
        if words & _WORK_WORDS[kind]:
            return kind
    return ""


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
    rank = _priority(note)[0]
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
    """People not yet contacted, most likely to help first; `POINTS` is the table (and the
    README's)."""
    index = company_index(companies)
    fits: dict[str, bool | None] = {}
    contacted = {index.group(p.company) for p in people if p.company and p.messaged}
    goal_kind = kind_of_work(config.looking_for)
    goal_specialty = specialty(config.looking_for)
    found = []
    for person in people:
        if stage(person, now) != "to-contact":
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
        kind = person.kind if person.kind in _WORK_WORDS else kind_of_work(person.role)
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
