"""`due`: what is due today, most urgent first, each item with the command that does it.

Everything here is derived from the notes' dates on each run; nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from coffeechat.model.config import Config
from coffeechat.model.names import company_key, label, name_key
from coffeechat.model.note import Company, Person
from coffeechat.pipeline.coverage import ACTIVE_STATUSES, SMALL_COMPANY, coverage
from coffeechat.pipeline.funnel import CLOSED_OUTCOMES, refers_you

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
    helped = chat_past or refers_you(person)
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
