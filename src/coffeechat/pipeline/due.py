"""`due`: what is due today, most urgent first, each item with the command that does it.

A rule of the daily list is one entry of `RULES`: the row docs/daily.md shows (when it falls due,
what keeps it open, the seed it follows) and the function that finds its items. The table's
order is the urgency order. Everything is derived from the notes' dates on each run; nothing is
stored.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from operator import attrgetter
from typing import Any

from coffeechat.core.shell import shell_word
from coffeechat.model.config import Config
from coffeechat.model.journey import Application, Journey, journey_of
from coffeechat.model.names import company_key, label, name_key
from coffeechat.model.note import Company, Person
from coffeechat.model.size import SMALL_COMPANY
from coffeechat.pipeline.coverage import ACTIVE_STATUSES, coverage
from coffeechat.when.timefmt import WEEKDAYS, short_day

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
# An offer with a `decide_by` comes up this many days before it.
DECIDE_AHEAD_DAYS = 2
# Messages are moved off a contact's weekend and holidays for days from this far back.
SEASON_LOOKBACK_DAYS = 10
# At most this many days in a row are looked over for their next working day.
SEASON_MOST_DAYS = 14
# After an accepted offer, the offer of help back to those who helped: once you have settled.
GIVE_BACK_AFTER_DAYS = 30
# The keep-in-touch rule's kind: its items never make anyone busy (`DueContext.busy`).
KEEP = "in-touch"
# Coverage gaps come up once a week, on this weekday (Monday = 0): planning the week's outreach.
COVERAGE_WEEKDAY = 0
# The day after: a big vault adds it to thousands of chat days.
_NEXT_DAY = timedelta(days=AFTER_CHAT_DAYS)


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
    # Keep-in-touch items over the day's `keep_in_touch_per_day`, for the days after.
    kept_back: int = 0


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
    # The kinds of the rules that are notices (`Rule.notice`), and of those never dropped
    # from the daily list however late (`Rule.persistent`).
    notices: frozenset[str] = frozenset()
    persistent: frozenset[str] = frozenset()
    older: int = 0
    kept_back: int = 0
    # Every application and everyone's part in it.
    journey: Journey = field(init=False)
    # The person whose items are being found, and everyone with an item open (listed, late or
    # not due yet) of a rule other than keeping in touch: those are not kept in touch with.
    current: Person | None = None
    busy: set[str] = field(default_factory=set)
    # A country's public holidays in a year (the store keeps them; else worked out here).
    holidays: Callable[[str, int], dict[date, str]] | None = None
    seasons: dict[tuple[date, frozenset[int], str | None], tuple[date, str]] = field(
        default_factory=dict
    )
    _others: dict[str, list[tuple[date, str]]] = field(default_factory=dict)
    _names: dict[str, Person] = field(default_factory=dict)
    # Items due before this day are more than QUIET_AFTER_DAYS late; done before it, too old
    # to show done: one comparison of days per item instead of a difference.
    quiet_before: date = field(init=False)
    # What moves to a working day (`_in_season`): from this day to `last`.
    season_from: date = field(init=False)
    # The user's zone and the nudge's wait, read from the settings once.
    zone: tzinfo = field(init=False)
    nudge_after: timedelta = field(init=False)

    def __post_init__(self) -> None:
        self.zone = self.config.zone
        self.nudge_after = timedelta(days=self.config.nudge_after_days)
        self.journey = journey_of(self.people, self.companies, self.now, self.zone)
        self.quiet_before = self.today - timedelta(days=QUIET_AFTER_DAYS)
        self.season_from = self.today - timedelta(days=SEASON_LOOKBACK_DAYS)

    def skip(self, kind: str, due: date, done: date | None = None) -> bool:
        """Whether an item is left out (before its text is made: a big vault has thousands):
        done, too late for the daily list (counted), or not due yet."""
        if done:
            return not self.with_done or done < self.quiet_before
        late = due < self.quiet_before
        if late and kind in self.notices:
            return True  # a notice that old has happened by itself
        if self.current is not None:
            self.busy.add(self.current.file)
        if late and not self.everything and kind not in self.persistent:
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
        if person is not None and not done and kind != KEEP:
            self.busy.add(person.file)
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
    # Listed however late, until done: a thank-you owed never goes quiet.
    persistent: bool = False
    # Only for notes whose body holds more than its last day (a promise, a give-back record,
    # a move): a big vault's other notes are not asked.
    body: bool = False
    # Whether it can have an item for someone you have not been in touch with at all (no
    # message, reply, chat or referral, and nobody they introduced): a big vault is mostly
    # such people, and only these rules look at them.
    untouched: bool = False
    # The facts its items start from: asked only of people whose note sets one of them (a key
    # of the note, or INTRODUCED: they introduced you to someone), not of everyone touched. A
    # big vault is mostly people messaged and no more, whom only `nudge` and `move-on` ask.
    needs: tuple[str, ...] = ()


# A fact a rule may need (`Rule.needs`) that is no key of the note: someone's `introduced_by`
# names them.
INTRODUCED = "introduced"
# The keys that say you have been in touch with someone (with a body holding more than its last
# day, or someone they introduced you to): the rules not `untouched` ask only such people.
TOUCH = frozenset({"messaged", "replied", "chat", "referral"})


# --- what the rules have in common ---------------------------------------------------------


def _chat_day(person: Person, ctx: DueContext) -> date | None:
    """The day of their chat in the user's zone, once it has happened; None before it."""
    return ctx.journey.chat_day(person)


def _closed(person: Person, ctx: DueContext) -> bool:
    """Nothing more to ask of them: they declined to refer you, the application at their
    company is over, or you accepted an offer."""
    return bool(ctx.journey.closed(person))


def _silent(person: Person, ctx: DueContext) -> bool:
    """No reply and no chat yet, and nothing closed: still waiting on them."""
    return not (person.replied or person.chat or _closed(person, ctx))


def _at(application: Application, person: Person) -> str:
    """` --at "Company"` when a draft is about another company's application than theirs."""
    same = label(person.company).casefold() == application.company.casefold()
    return "" if same or not application.company else f" --at {shell_word(application.company)}"


@cache
def _country(location: str, timezone: str, mine: str) -> str | None:
    """The country whose public holidays a contact keeps: their location's, else their time
    zone's, else yours."""
    from coffeechat.when.zones import country_and_region, zone_country

    found = country_and_region(location) if location else None
    if found:
        return found[0]
    return zone_country(timezone or mine)


@cache
def _weekend(work_hours: str) -> frozenset[int]:
    """The days they do not work: those their `work_hours` leave out, else Sat and Sun."""
    if not work_hours:
        return frozenset({5, 6})
    from coffeechat.core.errors import UsageError
    from coffeechat.when.parse import ALL_DAYS, parse_window

    with contextlib.suppress(UsageError):
        days = parse_window(work_hours).days
        if days != ALL_DAYS:
            return ALL_DAYS - days
    return frozenset({5, 6})


def _in_season(person: Person, day: date, ctx: DueContext) -> tuple[date, str]:
    """A message to them due on `day` moves to their next working day when it falls on their
    weekend or a public holiday of their country; with what to say of it ("" when it stays,
    or when the day it moved to is past).
    Only days near today are looked at: a move of a few days leaves an older one late."""
    if day < ctx.season_from or day > ctx.last:
        return day, ""
    weekend = _weekend(person.work_hours)
    country = _country(person.location, person.timezone, ctx.config.timezone)
    key = (day, weekend, country)
    if key not in ctx.seasons:  # a big vault asks about the same few places and days
        ctx.seasons[key] = _next_working_day(day, weekend, country, ctx)
    moved, said = ctx.seasons[key]
    # Why it waited matters until its day; once late, the day it was due is what counts.
    return moved, said if moved >= ctx.today else ""


def _next_working_day(
    day: date, weekend: frozenset[int], country: str | None, ctx: DueContext
) -> tuple[date, str]:
    from coffeechat.when import timefmt

    holidays = ctx.holidays or _public_holidays
    moved, reasons = day, []
    for _ in range(SEASON_MOST_DAYS):
        names = holidays(country, moved.year) if country else {}
        if moved.weekday() in weekend:
            reasons.append(f"{timefmt.short_day(moved, ctx.today)} is their weekend")
        elif moved in names:
            reasons.append(f"{timefmt.short_day(moved, ctx.today)} is {names[moved]} ({country})")
        else:
            break
        moved += timedelta(days=1)
    if moved == day:
        return day, ""
    holiday = [reason for reason in reasons if "weekend" not in reason]
    return moved, f"; moved to {timefmt.short_day(moved, ctx.today)}: " + (
        holiday[0] if holiday else reasons[0]
    )


def _public_holidays(country: str, year: int) -> dict[date, str]:
    from coffeechat.when.holidays import public_holidays

    return public_holidays(country, year)


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
    when = timefmt.both_sides(person.chat, ctx.config.zone, their_zone, ctx.today)
    yield ctx.item(
        "chat",
        day,
        f"coffeechat prep {person.stem}",
        f"chat with {person.name}: {when}",
        f"{person.stem}/{person.chat.isoformat()}",
        person=person,
    )


def _slots(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    if person.replied is None or person.chat or _closed(person, ctx):
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
    day = chat_day + _NEXT_DAY
    if not ctx.skip("thanks", day, person.thanked):
        yield ctx.item(
            "thanks",
            day,
            f"coffeechat draft thanks {person.stem}",
            f"thank {person.name} for the chat {short_day(chat_day, ctx.today)}",
            f"{person.stem}/{chat_day}",
            done=person.thanked,
            person=person,
        )


def _connect(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    chat_day = _chat_day(person, ctx)
    if chat_day is None or person.connection == "1st":
        return
    day = chat_day + _NEXT_DAY
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
    if person.referral != "agreed" or _closed(person, ctx):
        return
    since = _chat_day(person, ctx) or person.replied
    if since is None:
        return
    day = since + _NEXT_DAY
    if not ctx.skip("send", day, person.sent):
        # Before the chat's thank-you goes out, it carries them; else a message of their own.
        draft = "thanks" if _chat_day(person, ctx) and not person.thanked else "send"
        yield ctx.item(
            "send",
            day,
            f"coffeechat draft {draft} {person.stem}",
            f"send {person.name} what the referral needs: your resume and the posting",
            f"{person.stem}/{since}",
            done=person.sent,
            person=person,
        )


def _nudge(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    if person.messaged is None or not (_silent(person, ctx) or person.nudged):
        return
    day = person.messaged + ctx.nudge_after
    moved = ""
    if not person.nudged:
        day, moved = _in_season(person, day, ctx)
    if not ctx.skip("nudge", day, person.nudged):
        yield ctx.item(
            "nudge",
            day,
            f"coffeechat draft nudge {person.stem}",
            f"no reply from {person.name} since {person.messaged}{moved}",
            f"{person.stem}/{person.messaged}",
            done=person.nudged,
            person=person,
        )


def _referral(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    """A referral agreed and its materials sent, or asked for and not yet answered: one warm
    check-in a few days on (seed 001: they need time to find out how)."""
    if _closed(person, ctx):
        return
    if person.referral == "agreed" and person.sent is not None:
        since, what = person.sent, f"the referral (you sent what it needs {person.sent})"
    elif person.referral == "asked":
        application = ctx.journey.application(person)
        if application and application.status in ("interviewing", "offer"):
            return  # the process there is under way: the referral asked about is moot
        asked = _chat_day(person, ctx) or person.replied
        if asked is None:
            return
        since, what = asked, f"the referral you asked about ({asked})"
    else:
        return
    day = since + timedelta(days=REFERRAL_CHECK_IN_DAYS)
    done = person.checked_in if person.checked_in and person.checked_in >= since else None
    moved = ""
    if not done:
        day, moved = _in_season(person, day, ctx)
    if not ctx.skip("referral", day, done):
        yield ctx.item(
            "referral",
            day,
            f"coffeechat draft checkin {person.stem}",
            f"check in with {person.name} about {what}{moved}",
            f"{person.stem}/{since}",
            done=done,
            person=person,
        )


def _update(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    """The news of each application they helped before its latest step, until told."""
    for application, step in ctx.journey.news_for(person):
        on = f" on {step.day}" if step.day else ""
        at = f" at {application.company}" if application.company else ""
        day, moved = _in_season(person, ctx.today, ctx)
        if day > ctx.last:
            ctx.skip("update", day)  # their weekend or a holiday: it waits, still open
            continue
        yield ctx.item(  # due today, every day: never skipped
            "update",
            day,
            f"coffeechat draft update {person.stem}{_at(application, person)}",
            f"tell {person.name} how it went{at} ({step.status}{on}){moved}",
            f"{person.stem}/{application.company}/{step.status}/{step.day or ''}",
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
            f"coffeechat draft introducer {helper.stem}",
            f"thank {helper.name} for the introduction to {person.name}",
            f"thanks/{key}",
            done=thanked,
            person=helper,
        )


def _accepted(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    """Once you accept an offer: the news and a thank-you to everyone who helped, and to a
    referrer at another company whose referral is not in yet, a word to hold it."""
    accepted = ctx.journey.accepted
    if accepted is None:
        return
    day = accepted.since or ctx.today
    if person.loop or (person.updated and person.updated >= day):
        return  # who was part of your own application knows already
    if ctx.journey.holds(person):
        yield ctx.item(
            "accepted",
            day,
            f"coffeechat draft hold {person.stem}",
            f"ask {person.name} to hold the referral: you accepted the offer at {accepted.company}",
            f"hold/{person.stem}/{accepted.company}",
            person=person,
        )
    elif ctx.journey.helps(person):
        yield ctx.item(
            "accepted",
            day,
            f"coffeechat draft offer {person.stem}",
            f"tell {person.name} you accepted the offer at {accepted.company}, and thank them",
            f"offer/{person.stem}/{accepted.company}",
            person=person,
        )


def _decisions(ctx: DueContext) -> Iterator[DueItem]:
    """An offer waiting for your answer comes up before its `decide_by`."""
    if ctx.journey.accepted is not None:
        return
    # Only a company note's application has a note to answer in: those, without the people.
    for application in ctx.journey.applications.values():
        deadline = application.decide_by
        if application.status != "offer" or deadline is None or application.note is None:
            continue
        day = deadline - timedelta(days=DECIDE_AHEAD_DAYS)
        if not ctx.skip("decide", day):
            yield ctx.item(
                "decide",
                day,
                f"coffeechat company step {shell_word(application.company)} accepted",
                f"answer {application.company}'s offer by {deadline} (accepted or declined)",
                f"{company_key(application.company)}/{deadline}",
                company=application.company,
                company_note=application.note,
            )


def _withdrawals(ctx: DueContext) -> Iterator[DueItem]:
    """Once you accept an offer, each application still in process elsewhere is withdrawn,
    through the person there who knows it best."""
    accepted = ctx.journey.accepted
    if accepted is None:
        return
    for application, there in ctx.journey.all_applications(ctx.people):
        if application is accepted or not application.live or application.note is None:
            continue
        quoted = shell_word(application.company)
        contact = _best_contact(there)
        command = (
            f"coffeechat draft withdraw {contact.stem}"
            if contact
            else f"coffeechat company step {quoted} withdrawn"
        )
        yield ctx.item(
            "withdraw",
            accepted.since or ctx.today,
            command,
            f"withdraw from {application.company}: you accepted the offer at {accepted.company}"
            + (f"; then coffeechat company step {quoted} withdrawn" if contact else ""),
            f"{company_key(application.company)}/{accepted.company}",
            person=contact,
            company=application.company,
            company_note=application.note,
        )


def _best_contact(people: list[Person]) -> Person | None:
    """Whom a withdrawal goes to: the recruiter of your application, else its hiring manager
    or an interviewer, else someone whose referral is in; else nobody (withdraw through the
    company's own page). A referrer whose referral is not in yet is asked to hold it instead,
    in one message."""
    ranked = sorted(
        (p for p in people if p.loop or p.referral == "submitted"),
        key=lambda p: (
            p.loop != "recruiter",
            not p.loop,
            -(p.chat.timestamp() if p.chat else 0),
        ),
    )
    return ranked[0] if ranked else None


def _move_on(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    nudged = person.nudged
    if person.messaged is None or nudged is None or not _silent(person, ctx):
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
        f"coffeechat next --company {shell_word(at)}" if at else "coffeechat next",
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
    if ctx.journey.accepted is not None:
        return  # the search is over
    for row in coverage(ctx.people, ctx.companies, ctx.now):
        if not (row.company and row.company.status in ACTIVE_STATUSES and row.gaps):
            continue
        application = ctx.journey.applications.get(row.company.file)
        if not (application and application.over):
            yield ctx.item(
                "coverage",
                day,
                f"coffeechat next --company {shell_word(row.name)}",
                f"{row.name} has no {' or '.join(row.gaps)} yet",
                f"{company_key(row.name)}/{day}",
                company=row.name,
                company_note=row.company,
            )


def _promises(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    """Each `Next:` line (of a call, or a log line) that names a day, on that day, in the
    user's words; kept once anything is dated on or after it (a log line, a milestone)."""
    if len(person.raw_body) <= 10:
        return  # no promises, nor a give-back record: most notes
    from coffeechat.core.errors import UsageError
    from coffeechat.model.dated import promises
    from coffeechat.when.parse import promise_day

    touched = person.touched
    for written, words, _line in promises(person.raw_body):
        try:
            found = promise_day(words, written)
        except UsageError:
            continue  # doctor lists it, with how to write it
        if found is None:
            continue
        done = touched if touched and touched >= found.day and touched > written else None
        theirs = _their_promise(words, person.name)
        if not ctx.skip("promise", found.day, done):
            yield ctx.item(
                "promise",
                found.day,
                f"coffeechat log {person.stem} "
                + shell_word(("came: " if theirs else "kept: ") + words),
                f"{person.name}: “{words}” (your Next: of {written:%a %b} {written.day}, "
                f"{found.phrase})"
                + (": their word, so check it came, and ask if not" if theirs else ""),
                f"{person.stem}/{written}/{words}",
                done=done,
                person=person,
            )


def _their_promise(words: str, name: str) -> bool:
    """Whether a `Next:` line tells what they will do, not you: it opens with them ("Tom
    said he'd send the schedule", "He'll ask Hana", "She will intro me")."""
    import re

    first = re.escape(name.split()[0]) if name.split() else "he"
    opener = rf"^(?:{first}|he|she|they)\b"
    promised = r"\b(?:will|'ll|said|says|promised|would|'d|offered|plans?)\b"
    return bool(re.match(opener, words.strip(), re.IGNORECASE)) and bool(
        re.search(promised, words, re.IGNORECASE)
    )


def _moved(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    """A re-import found a new company or title (a `moved:` log line): one congratulation,
    until you are in touch after it (`checked_in`, or anything dated later)."""
    if len(person.raw_body) <= 10:
        return
    from coffeechat.model.dated import dated

    changes = dated(person.raw_body, "moved")
    if not changes:
        return
    day, change = changes[-1]
    touched = person.touched
    done = person.checked_in if person.checked_in and person.checked_in >= day else None
    if done is None and touched is not None and touched > day:
        done = touched
    if not ctx.skip("moved", day, done):
        yield ctx.item(
            "moved",
            day,
            f"coffeechat draft checkin {person.stem}",
            f"congratulate {person.name} on the move ({change}); is the rest of the note current?",
            f"{person.stem}/{day}",
            done=done,
            person=person,
        )


def _give_back(person: Person, ctx: DueContext) -> Iterator[DueItem]:
    """Once your search is over (an offer accepted), one offer of help back to each person
    who helped, a while after the news went out."""
    accepted = ctx.journey.accepted
    if accepted is None or not ctx.journey.helps(person):
        return
    since = accepted.since or ctx.today
    if person.updated is None or person.updated < since:
        return  # the news and a thank-you first (the `accepted` item)
    day = person.updated + timedelta(days=GIVE_BACK_AFTER_DAYS)
    from coffeechat.model.dated import dated

    done = next(
        (
            d
            for d, _ in dated(person.raw_body, "gave") + dated(person.raw_body, "asked")
            if d >= since
        ),
        None,
    )
    if done is None and person.checked_in and person.checked_in >= day:
        done = person.checked_in
    moved = ""
    if done is None:
        day, moved = _in_season(person, day, ctx)
    if not ctx.skip("give-back", day, done):
        helped = ", ".join(dict.fromkeys(h.what for h in ctx.journey.helps(person)))
        yield ctx.item(
            "give-back",
            day,
            f"coffeechat draft checkin {person.stem}",
            f"offer {person.name} help back: they {helped} during your search{moved}",
            f"{person.stem}/{accepted.company}",
            done=done,
            person=person,
        )


def _keep_in_touch(ctx: DueContext) -> Iterator[DueItem]:
    """Everyone with a cadence (their note, a tag, their kind, the settings) and no item of
    another rule open, once that many days passed since the last touch of any sort; the
    longest waiting first, `keep_in_touch_per_day` of them a day (all with `everything`)."""
    config = ctx.config
    shortest = config.shortest_cadence
    # Touched since the shortest cadence began: not due whatever their own, unless their
    # note names one (a quick look at the body's stored last day: no decoding).
    recent = (ctx.last - timedelta(days=shortest)).isoformat() if shortest else "9999"
    busy = ctx.busy
    found: list[Any] = []
    for person in ctx.people:
        own = person.keep_in_touch
        if (not own and person.raw_body[:10] > recent) or person.file in busy:
            continue
        if person.messaged and not (person.replied or person.chat):
            continue  # they never answered: nothing to keep up
        if person.chat is not None and person.chat > ctx.now:
            continue
        days = config.cadence(person.kind, person.tags, own)
        last = person.touched
        if days is None or last is None:
            continue
        day = last + timedelta(days=days)
        if day <= ctx.last:
            found.append((day, person.name, person, last, days))
    found = [(*_in_season_row(row, ctx),) for row in found]
    found = [row for row in found if row[0] <= ctx.last]
    found.sort(key=lambda row: (row[0], row[1]))
    if not ctx.everything:  # a few a day: today's (and a calendar's each later day)
        listed: list[Any] = []
        per_day: dict[date, int] = {}
        for row in found:
            slot = max(row[0], ctx.today)
            if per_day.get(slot, 0) < config.keep_in_touch_per_day:
                listed.append(row)
                per_day[slot] = per_day.get(slot, 0) + 1
            elif slot == ctx.today:
                ctx.kept_back += 1
        found = listed
    for day, _, person, last, days, moved in found:
        reason = _reason_to_write(person, ctx, last)
        yield ctx.item(
            KEEP,
            day,
            f"coffeechat draft checkin {person.stem}",
            f"keep in touch with {person.name}: last in touch {last} (every {days} days)"
            + (f"; {reason}" if reason else "")
            + moved,
            f"{person.stem}/{last}",
            person=person,
        )


def _in_season_row(
    row: tuple[date, str, Person, date, int], ctx: DueContext
) -> tuple[date, str, Person, date, int, str]:
    day, moved = _in_season(row[2], row[0], ctx)
    return (day, row[1], row[2], row[3], row[4], moved)


def _reason_to_write(person: Person, ctx: DueContext, last: date) -> str:
    """Something to write about: your own news since you were last in touch, their
    company's news, a year since your chat."""
    accepted = ctx.journey.accepted
    if accepted is not None and (accepted.since is None or accepted.since >= last):
        return f"your news: you accepted the offer at {accepted.company}"
    note = ctx.journey.companies.find(person.company) if person.company else None
    if note is not None and note.news:
        return f"{label(person.company)}'s news (`news:` in its note)"
    chat = _chat_day(person, ctx)
    if chat is not None and (ctx.today - chat).days >= 365:
        years = (ctx.today - chat).days // 365
        return f"{years} year{'s' if years > 1 else ''} since your chat on {chat}"
    return ""


# --- the table ---------------------------------------------------------------------------------

# Most urgent first when equally late; docs/daily.md's rules table is generated from this.
RULES = (
    Rule(
        "chat",
        "its day (listed the day before too)",
        "a chat today or tomorrow: read the prep sheet",
        "001, 003: you lead the call; research them first",
        _chat,
        needs=("chat",),
    ),
    Rule(
        "slots",
        "the day of `replied`" if not SLOTS_WITHIN_DAYS else f"`replied` + {SLOTS_WITHIN_DAYS}",
        "they replied, no `chat` is set, and nothing is closed",
        '001: "make sure to be prompt in your response"',
        _slots,
        needs=("replied",),
    ),
    Rule(
        "thanks",
        "the day after the chat",
        "the chat is past and `thanked` is not set, whatever the referral or the outcome; "
        "listed however late",
        '001: a thank-you the next day; 004: "Make sure to send a thank you!"',
        _thanks,
        persistent=True,
        needs=("chat",),
    ),
    Rule(
        "connect",
        "the day after the chat",
        "`connection` is not 1st and `connected` is not set (`coffeechat mark NAME connected`)",
        "001: a connection request the day after, so you can reach them later",
        _connect,
        needs=("chat",),
    ),
    Rule(
        "send",
        "the day after the chat (or the reply, with no chat)",
        "`referral: agreed` and `sent` is not set: your resume and the posting go with the "
        "thank-you (`draft thanks`), or on their own once it is sent (`draft send`)",
        "001: after a yes, send what they need",
        _send,
        needs=("referral",),
    ),
    Rule(
        "nudge",
        "`messaged` + `nudge_after_days`",
        "no reply, no nudge and no chat yet, and nothing closed",
        "004: one polite follow-up after about a week",
        _nudge,
        needs=("messaged",),
    ),
    Rule(
        "referral",
        f"`sent` (agreed) or the chat (asked) + {REFERRAL_CHECK_IN_DAYS} days",
        "`referral: agreed` and what it needs sent, or `referral: asked` and no answer, and "
        "`checked_in` not on or after that: one warm check-in (`draft checkin`)",
        "001: they need some time to find out how",
        _referral,
        needs=("referral",),
    ),
    Rule(
        "update",
        "today, each day until done",
        "their company's application (or one at the company of someone they introduced you "
        "to) reached a step they have not been told of (interviewing, offer, declined, "
        "rejected, withdrawn: the latest one), they helped before that step (a chat, a "
        "referral, an introduction), and `updated` is not on or after its day",
        "001: tell them the outcome when it is decided",
        _update,
        needs=("chat", "referral", INTRODUCED),
    ),
    Rule(
        "introducer",
        "the day after the chat with the person they introduced; listed however late",
        "`introduced_by` names a person note, whose `thanked` is not on or after that chat "
        "(`draft introducer`)",
        "001: whoever introduced you is thanked too",
        _introducer,
        persistent=True,
        needs=("introduced_by",),
    ),
    Rule(
        "accepted",
        "the day you accepted an offer",
        "everyone who helped, until `updated` is on or after it: the news and a thank-you "
        "(`draft offer`); a referrer at another company whose referral is not in: a word to "
        "hold it (`draft hold`)",
        "001: tell everyone who helped once it is decided",
        _accepted,
        needs=("chat", "referral", INTRODUCED),
    ),
    Rule(
        "withdraw",
        "the day you accepted an offer",
        "another company's application is still in process: withdraw through the person "
        "there who knows it best (`draft withdraw`), then `company step NAME withdrawn`",
        "003: keep every relationship in good standing",
        for_vault=_withdrawals,
    ),
    Rule(
        "decide",
        f"{DECIDE_AHEAD_DAYS} days before an offer's `decide_by`",
        "the offer is not answered yet: `company step NAME accepted` (or `declined`)",
        "004: keep records, and answer in time",
        for_vault=_decisions,
    ),
    Rule(
        "move-on",
        f"`nudged` + {MOVE_ON_DAYS} days",
        "still no reply and no chat, and nobody else at their company messaged since the "
        f"nudge; never listed as late, gone after {QUIET_AFTER_DAYS} days, then nothing more",
        "001, 003: most will not answer; keep going with the next person",
        _move_on,
        notice=True,
        needs=("nudged",),
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
    Rule(
        "promise",
        "the day a `Next:` line names (“in a week”, “in January”, “on the 15th”, “Q1”…), "
        "counted from the call or log line it is in",
        "nothing dated on or after that day yet (a `## Log` line, a milestone): "
        "`coffeechat log NAME` once it is kept",
        "003: do what you said you would",
        _promises,
        body=True,
    ),
    Rule(
        "moved",
        "the day an import took a new company or title (`import … --update`)",
        "nothing dated after that day, nor `checked_in` on or after it: one congratulation "
        "(`draft checkin`); the old company stays in `previous` and the log",
        "003: keep every relationship in good standing",
        _moved,
        body=True,
    ),
    Rule(
        "give-back",
        f"{GIVE_BACK_AFTER_DAYS} days after you told them of the offer you accepted (`updated`)",
        "they helped (a chat, a referral, an introduction), and no `gave:` or `asked:` log line "
        "since the offer, nor `checked_in` since the item fell due (`draft checkin`)",
        "001: remember the people who helped you",
        _give_back,
        needs=("chat", "referral", INTRODUCED),
    ),
    Rule(
        KEEP,
        "the last touch of any sort + their cadence (`keep_in_touch`, `keep_in_touch_by`, "
        "`keep_in_touch_days`)",
        "no other item of theirs is open, they answered at some point (or were never messaged), "
        "and nothing is dated since; `keep_in_touch_per_day` a day, the longest waiting first, "
        "always after the search's own items (`draft checkin`)",
        '003: "As opportunities open up, they will ping you"',
        for_vault=_keep_in_touch,
        persistent=True,
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
    holidays: Callable[[str, int], dict[date, str]] | None = None,
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
    persistent = frozenset(rule.kind for rule in RULES if rule.persistent)
    last = max(until or today, today)
    ctx = DueContext(
        today, now, config, people, companies, last, everything, with_done, notices, persistent
    )
    ctx.holidays = holidays

    # Who is asked what depends on a few facts of each note: the rules for each mix of them
    # are picked once, the first time a note has that mix.
    facts = sorted({fact for rule in RULES for fact in rule.needs if fact != INTRODUCED} | TOUCH)
    facts_of = attrgetter(*facts)
    introducers = ctx.journey.introduced
    chosen: dict[tuple[bool, bool, tuple[bool, ...]], list[PersonItems]] = {}

    def rules_for(person: Person) -> list[PersonItems]:
        ctx.current = person  # whose items skip() is asked about: they are busy
        # A body that holds more than its last day: a promise, a give-back record, a move.
        key = (
            person.file in introducers,
            len(person.raw_body) > 10,
            tuple(map(bool, facts_of(person))),
        )
        found = chosen.get(key)
        if found is None:
            introduced, body, values = key
            have = {fact for fact, value in zip(facts, values, strict=True) if value}
            touched = introduced or body or not have.isdisjoint(TOUCH)
            if introduced:
                have.add(INTRODUCED)
            found = chosen[key] = [
                rule.items
                for rule in RULES
                if rule.items is not None
                and (touched or rule.untouched)
                and (body or not rule.body)
                and (not rule.needs or not have.isdisjoint(rule.needs))
            ]
        return found

    found = [
        item for person in people for items in rules_for(person) for item in items(person, ctx)
    ]
    ctx.current = None
    found += [item for rule in RULES if rule.for_vault for item in rule.for_vault(ctx)]
    urgency = {rule.kind: rank for rank, rule in enumerate(RULES)}
    kept = [item for item in found if not item.done]
    done = [item for item in found if item.done]

    # A persistent item this late stops shouting: it stays listed, after the rest.
    # Keeping in touch comes after every item of the search itself, however late.
    def order(item: DueItem) -> tuple[bool, bool, int, int, date, str]:
        quiet = item.kind in persistent and item.overdue_days > QUIET_AFTER_DAYS
        kept = item.kind == KEEP
        return (kept, quiet, -item.overdue_days, urgency[item.kind], item.due, item.what)

    kept.sort(key=order)
    return DueList(kept, ctx.older, everything, done, ctx.kept_back)
