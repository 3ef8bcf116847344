"""`due`: what is due today, most urgent first, each item with the command that does it.

A rule of the daily list is one entry of `RULES`: the row docs/daily.md shows (when it falls due,
what keeps it open, the seed it follows) and the function that finds its items. The table's
order is the urgency order. Everything is derived from the notes' dates on each run; nothing is
stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from coffeechat.model.config import Config
from coffeechat.model.names import company_key, label, name_key
from coffeechat.model.note import Company, Person
from coffeechat.pipeline.coverage import ACTIVE_STATUSES, SMALL_COMPANY, coverage
from coffeechat.pipeline.funnel import CLOSED_OUTCOMES
from coffeechat.when.timefmt import WEEKDAYS

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


@dataclass(frozen=True)
class DueItem:
    """One line of the daily list: what to do, from which day, and the command that does it."""

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
class DueContext:
    """What every rule looks at: the day, the notes, what the run asks for; it counts the items
    left out as too old."""

    today: date
    now: datetime
    config: Config
    people: list[Person]
    companies: list[Company]
    # The last day items are taken for: today, or further for a calendar export.
    last: date
    everything: bool = False
    with_done: bool = False
    # The kinds of the rules that are notices (`Rule.notice`).
    notices: frozenset[str] = frozenset()
    older: int = 0
    # Company notes that record an application, by company key.
    applications: dict[str, Company] = field(init=False)
    _others: dict[str, list[tuple[date, str]]] = field(default_factory=dict)
    _names: dict[str, Person] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.applications = {
            company_key(label(company.name)): company
            for company in self.companies
            if company.application
        }

    def skip(self, kind: str, due: date, done: date | None = None) -> bool:
        """Whether an item is left out (before its text is made: a big vault has thousands):
        done, too late for the daily list (counted), or not due yet."""
        if done:
            return not self.with_done or (self.today - done).days > QUIET_AFTER_DAYS
        if (self.today - due).days > QUIET_AFTER_DAYS:
            if kind in self.notices:
                return True  # a notice that old has happened by itself
            if not self.everything:
                self.older += 1
                return True
        return due > self.last

    def item(
        self,
        kind: str,
        due: date,
        command: str,
        what: str,
        key: str,
        *,
        done: date | None = None,
        person: Person | None = None,
        company: str | None = None,
        company_note: Company | None = None,
    ) -> DueItem:
        """An item of the rule `kind`; `key` says what it is about, the same on every run."""
        late = 0 if kind in self.notices or done else max((self.today - due).days, 0)
        return DueItem(
            kind,
            due,
            late,
            command,
            what,
            person=person,
            company=company,
            key=f"{kind}/{key}",
            done=done,
            company_note=company_note,
        )

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


PersonItems = Callable[[Person, DueContext], Iterator[DueItem]]
VaultItems = Callable[[DueContext], Iterator[DueItem]]


@dataclass(frozen=True)
class Rule:
    """One kind of due item: docs/daily.md's row (when it falls due, what keeps it open, the seed
    it follows) and the code that finds its items."""

    kind: str
    due: str
    open_while: str
    seed: str
    # Its items for one person; a rule about the vault as a whole gives `for_vault` instead.
    items: PersonItems | None = None
    for_vault: VaultItems | None = None
    # A notice, not a task: never late, and gone by itself after QUIET_AFTER_DAYS.
    notice: bool = False


# --- what the rules have in common ---------------------------------------------------------


def _chat_day(person: Person, ctx: DueContext) -> date | None:
    """The day of their chat in the user's zone, once it has happened; None before it."""
    if person.chat is None or person.chat > ctx.now:
        return None
    return person.chat.astimezone(ctx.config.zone).date()


def _closed(person: Person) -> bool:
    """They declined to refer you, or the application is over: nothing more to ask for."""
    return person.referral == "declined" or person.outcome in CLOSED_OUTCOMES


def _silent(person: Person) -> bool:
    """No reply and no chat yet, and nothing closed: still waiting on them."""
    return not (person.replied or person.chat or _closed(person))


# --- each rule's items ---------------------------------------------------------------------


def _chat(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    if person.chat is None or person.chat <= ctx.now:
        return
    day = person.chat.astimezone(ctx.config.zone).date()
    if day > max(ctx.today + timedelta(days=1), ctx.last):
        return
    from coffeechat.when import timefmt
    from coffeechat.when.zones import contact_zone

    their_zone = contact_zone(person.timezone, person.location).zone
    when = timefmt.both_sides(person.chat, ctx.config.zone, their_zone)
    yield ctx.item(
        "chat",
        day,
        f"coffeechat prep {person.stem}",
        f"chat with {person.name}: {when}",
        f"{person.stem}/{person.chat.isoformat()}",
        person=person,
    )


def _slots(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    if person.replied is None or person.chat or _closed(person):
        return
    day = person.replied + timedelta(days=SLOTS_WITHIN_DAYS)
    if not ctx.skip("slots", day):
        yield ctx.item(
            "slots",
            day,
            f"coffeechat slots {person.stem}",
            f"{person.name} replied on {person.replied}: offer times",
            f"{person.stem}/{person.replied}",
            person=person,
        )


def _thanks(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    chat_day = _chat_day(person, ctx)
    if chat_day is None:
        return
    day = chat_day + timedelta(days=AFTER_CHAT_DAYS)
    if not ctx.skip("thanks", day, person.thanked):
        yield ctx.item(
            "thanks",
            day,
            f"coffeechat draft thanks {person.stem}",
            f"thank {person.name} for the chat {chat_day:%a %b} {chat_day.day}",
            f"{person.stem}/{chat_day}",
            done=person.thanked,
            person=person,
        )


def _connect(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    chat_day = _chat_day(person, ctx)
    if chat_day is None or person.connection == "1st":
        return
    day = chat_day + timedelta(days=AFTER_CHAT_DAYS)
    if not ctx.skip("connect", day, person.connected):
        yield ctx.item(
            "connect",
            day,
            f"coffeechat draft connect {person.stem}",
            f"send {person.name} a connection request, thanking them for the chat",
            f"{person.stem}/{chat_day}",
            done=person.connected,
            person=person,
        )


def _send(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    if person.referral != "agreed":
        return
    since = _chat_day(person, ctx) or person.replied
    if since is None:
        return
    day = since + timedelta(days=AFTER_CHAT_DAYS)
    if not ctx.skip("send", day, person.sent):
        yield ctx.item(
            "send",
            day,
            f"coffeechat mark {person.stem} sent",
            f"send {person.name} what the referral needs: your resume and the posting",
            f"{person.stem}/{since}",
            done=person.sent,
            person=person,
        )


def _nudge(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    if person.messaged is None or not (_silent(person) or person.nudged):
        return
    day = person.messaged + timedelta(days=ctx.config.nudge_after_days)
    if not ctx.skip("nudge", day, person.nudged):
        yield ctx.item(
            "nudge",
            day,
            f"coffeechat draft nudge {person.stem}",
            f"no reply from {person.name} since {person.messaged}",
            f"{person.stem}/{person.messaged}",
            done=person.nudged,
            person=person,
        )


def _referral(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    if person.referral != "agreed" or person.sent is None:
        return
    day = person.sent + timedelta(days=REFERRAL_CHECK_IN_DAYS)
    if not ctx.skip("referral", day):
        yield ctx.item(
            "referral",
            day,
            f"coffeechat set {person.stem} referral=submitted",
            f"check in with {person.name} about the referral (sent {person.sent})",
            f"{person.stem}/{person.sent}",
            person=person,
        )


def _update(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    helped = _chat_day(person, ctx) is not None or person.refers_you
    if not (helped or person.outcome):
        return
    status, applied = person.outcome, person.applied
    application = (
        ctx.applications.get(company_key(label(person.company))) if person.company else None
    )
    if application is not None:
        status, applied = application.application, application.applied or applied
    if status and (person.updated is None or (applied and person.updated < applied)):
        yield ctx.item(  # due today, every day: never skipped
            "update",
            ctx.today,
            f"coffeechat draft update {person.stem}",
            f"tell {person.name} how it went ({status})",
            f"{person.stem}/{status}",
            person=person,
        )


def _introducer(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    chat_day = _chat_day(person, ctx)
    if chat_day is None or not person.introduced_by:
        return
    helper = ctx.person_named(person.introduced_by)
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


def _move_on(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    nudged = person.nudged
    if person.messaged is None or nudged is None or not _silent(person):
        return
    day = nudged + timedelta(days=MOVE_ON_DAYS)
    if ctx.skip("move-on", day):
        return
    if person.company and any(
        messaged > nudged and stem != person.stem
        for messaged, stem in ctx.messaged_at(person.company)
    ):
        return  # already moved on: someone else there was messaged since the nudge
    at = label(person.company)
    yield ctx.item(
        "move-on",
        day,
        f'coffeechat next --company "{at}"' if at else "coffeechat next",
        f"no reply from {person.name} a week after the nudge: move on"
        + (f" to someone else at {at}" if at else ""),
        f"{person.stem}/{nudged}",
        person=person,
    )


def _coverage_gaps(ctx: DueContext) -> Iterator[DueItem]:
    """An item for each target or active company short of its mix, on COVERAGE_WEEKDAY (any
    day with `everything`)."""
    day = ctx.today
    if not ctx.everything:
        day += timedelta(days=(COVERAGE_WEEKDAY - ctx.today.weekday()) % 7)
    if day > ctx.last:
        return
    for row in coverage(ctx.people, ctx.companies, ctx.now):
        if row.company and row.company.status in ACTIVE_STATUSES and row.gaps:
            yield ctx.item(
                "coverage",
                day,
                f'coffeechat next --company "{row.name}"',
                f"{row.name} has no {' or '.join(row.gaps)} yet",
                f"{company_key(row.name)}/{day}",
                company=row.name,
                company_note=row.company,
            )


# --- the table ---------------------------------------------------------------------------------

# Most urgent first when equally late; docs/daily.md's rules table is generated from this.
RULES = (
    Rule(
        "chat",
        "its day (listed the day before too)",
        "a chat today or tomorrow: read the prep sheet",
        "001, 003: you lead the call; research them first",
        _chat,
    ),
    Rule(
        "slots",
        "the day of `replied`" if not SLOTS_WITHIN_DAYS else f"`replied` + {SLOTS_WITHIN_DAYS}",
        "they replied and no `chat` is set",
        '001: "make sure to be prompt in your response"',
        _slots,
    ),
    Rule(
        "thanks",
        "the day after the chat",
        "the chat is past and `thanked` is not set, whatever the referral or the outcome",
        '001: a thank-you the next day; 004: "Make sure to send a thank you!"',
        _thanks,
    ),
    Rule(
        "connect",
        "the day after the chat",
        "`connection` is not 1st and `connected` is not set (`coffeechat mark NAME connected`)",
        "001: a connection request the day after, so you can reach them later",
        _connect,
    ),
    Rule(
        "send",
        "the day after the chat (or the reply, with no chat)",
        "`referral: agreed` and `sent` is not set: send your resume and the posting, "
        "then `coffeechat mark NAME sent`",
        "001: after a yes, send what they need",
        _send,
    ),
    Rule(
        "nudge",
        "`messaged` + `nudge_after_days`",
        "no reply, no nudge and no chat yet",
        "004: one polite follow-up after about a week",
        _nudge,
    ),
    Rule(
        "referral",
        f"`sent` + {REFERRAL_CHECK_IN_DAYS} days",
        "`referral: agreed` and not yet submitted: check in",
        "001: they need some time to find out how",
        _referral,
    ),
    Rule(
        "update",
        "today, each day until done: the day a status was set is not recorded",
        "their company's `application:` says where it stands (or, in older notes, their own "
        "`outcome` is set), they helped (a chat, an agreed or given referral), and `updated` is "
        "missing or before the application's `applied` date",
        "001: tell them the outcome when it is decided",
        _update,
    ),
    Rule(
        "introducer",
        "the day after the chat; the update once the person they introduced has an `outcome`",
        "`introduced_by` names a person note, whose `thanked` (then `updated`) is not on or "
        "after that chat",
        "001: whoever introduced you is thanked and updated too",
        _introducer,
    ),
    Rule(
        "move-on",
        f"`nudged` + {MOVE_ON_DAYS} days",
        "still no reply and no chat, and nobody else at their company messaged since the "
        f"nudge; never listed as late, gone after {QUIET_AFTER_DAYS} days, then nothing more",
        "001, 003: most will not answer; keep going with the next person",
        _move_on,
        notice=True,
    ),
    Rule(
        "coverage",
        f"every {WEEKDAYS[COVERAGE_WEEKDAY]} (any day in `due --all` and `companies`)",
        "a target or active company misses an engineer, a manager or a recruiter; a small one "
        f"(`size` under {SMALL_COMPANY}) needs one engineer or manager, and `recruiters: no` "
        "drops the recruiter",
        "004: 1-2 engineers, 1-2 managers, 1-2 recruiters per company",
        for_vault=_coverage_gaps,
    ),
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
    """Everything due on or before today (in the user's zone), most urgent first: each rule of
    `RULES` for each person, then the rules about the vault as a whole.

    Items more than `QUIET_AFTER_DAYS` late are only counted, unless `everything`; coverage
    gaps come on `COVERAGE_WEEKDAY` (any day with `everything`). `until` also takes items
    due up to that day (a calendar export looks ahead); `with_done` adds the items done in
    the last QUIET_AFTER_DAYS days, so a calendar can show them done.
    """
    today = config.today(now)
    notices = frozenset(rule.kind for rule in RULES if rule.notice)
    last = max(until or today, today)
    ctx = DueContext(today, now, config, people, companies, last, everything, with_done, notices)
    for_person = [rule.items for rule in RULES if rule.items is not None]
    found = [item for person in people for items in for_person for item in items(person, ctx)]
    found += [item for rule in RULES if rule.for_vault for item in rule.for_vault(ctx)]
    urgency = {rule.kind: rank for rank, rule in enumerate(RULES)}
    kept = [item for item in found if not item.done]
    done = [item for item in found if item.done]
    kept.sort(key=lambda item: (-item.overdue_days, urgency[item.kind], item.due, item.what))
    return DueList(kept, ctx.older, everything, done)
