"""People and companies: the one declaration of every key a note may hold, and a person's stage.

Each key is declared once, as a field of `Person` or `Company` annotated with its `Key`: its
kind, its help text, its choices and who may read it (its audience). Everything else is
derived from that declaration: the key tables (`PERSON_KEYS`, `COMPANY_KEYS`), how values are
read and checked, what `set` and `add` accept, the index cache's row layout, doctor's typo
check, what a draft may quote, and the docs' tables.

People and companies are named tuples: a vault of 10,000 notes is rebuilt from the index cache
on every run, and a tuple is built a dozen times faster than a dataclass instance.
"""

from __future__ import annotations

import os
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from coffeechat.core.errors import Problem
from coffeechat.model.codec import EMPTY, decode_mapping
from coffeechat.model.kinds import KEY_KINDS, MERGE_RULES
from coffeechat.model.people import PERSON_KINDS

KINDS = tuple(kind.name for kind in PERSON_KINDS)
CONNECTIONS = ("1st", "2nd", "3rd", "alumni", "intro", "cold")
REFERRALS = ("asked", "agreed", "submitted", "declined")
# A contact's part in your own application at their company.
LOOP_PARTS = ("hiring-manager", "interviewer", "recruiter")
# The referral answers that mean they refer you.
REFERS_YOU = ("agreed", "submitted")
OUTCOMES = ("interview", "offer", "rejected", "withdrawn")
HIRING = ("growth", "entry", "frozen", "unknown")
COMPANY_STATUSES = ("target", "active", "paused", "done")
DATE_MILESTONES = (
    "messaged",
    "nudged",
    "replied",
    "chat",
    "thanked",
    "connected",
    "sent",
    "checked_in",
    "applied",
    "updated",
)
# The milestones that are a touch (a message either way, a call, news): keeping in touch counts
# from the latest of them, the chat's day and the body's dated lines.
TOUCHES = (
    "messaged",
    "nudged",
    "replied",
    "thanked",
    "connected",
    "sent",
    "checked_in",
    "updated",
)
# Milestone pairs where the second cannot come before the first (`mark` and `doctor` check).
MILESTONE_ORDER = (
    ("messaged", "replied"),
    ("messaged", "nudged"),
    ("replied", "chat"),
    ("chat", "thanked"),
    ("chat", "sent"),
)
STAGES = (
    "to-contact",
    "messaged",
    "nudged",
    "replied",
    "scheduled",
    "chatted",
    "thanked",
    "referred",
    "closed",
)

# Where an application stands, in the order it usually moves: `offer` is an offer received,
# `accepted` and `declined` your answer to it.
APPLICATION_STATUSES = (
    "applied",
    "interviewing",
    "offer",
    "accepted",
    "declined",
    "rejected",
    "withdrawn",
)
# Who may read a key's value. `private`: the user only; no draft ever holds it (targeting
# reasons, things in common as you noted them, tags). `them`: written to the contact, in the
# user's own words, in the second person; a draft quotes it as a sentence of its own.
# `fact`: a name, a date, a link or a choice; a draft may state it in its own words.
Audience = Literal["private", "them", "fact"]
AUDIENCES: tuple[Audience, ...] = ("private", "them", "fact")


@dataclass(frozen=True)
class Key:
    """One frontmatter key: how its value is read, and what it is for.

    `name` is filled in from the field it annotates (`key` overrides it where the key is not
    a Python name, as `in`); `option` makes it an option of `coffeechat add` (or `company
    add`), named `flag` when that reads better than the key (`--location` for `locations`).
    `audience` says who may read the value (see `Audience`); every key must say it.
    `merge` says how `coffeechat merge` joins two versions of it (a rule in
    `kinds.MERGE_RULES`); empty takes its kind's default.
    """

    kind: str  # a name in kinds.KEY_KINDS
    help: str
    choices: tuple[str, ...] = ()
    option: bool = False
    audience: Audience | Literal[""] = ""
    key: str = ""
    flag: str = ""
    merge: str = ""
    name: str = ""
    field: str = ""

    @property
    def many(self) -> bool:
        """A list: a repeatable option, and `+=`/`-=` in `set`."""
        return KEY_KINDS[self.kind].many


@dataclass(frozen=True)
class Change:
    """What a command did to one note."""

    path: Path
    changed: bool
    summary: str
    warnings: tuple[str, ...] = ()  # said on stderr: a booked chat moved, dates out of order


class Person(NamedTuple):
    file: str  # the note's path, as text: a Path per note costs more than the rest of a row
    name: Annotated[str, Key("text", "Their full name (required).", audience="fact")] = ""
    aliases: Annotated[
        tuple[str, ...],
        Key(
            "list",
            "Other names for the note, as Obsidian links to it; `add` writes the name.",
            audience="fact",
        ),
    ] = ()
    company: Annotated[
        str,
        Key(
            "text",
            'Where they work now: its name or a link, "[[lumen-pay|Lumen Pay]]".',
            option=True,
            audience="fact",
        ),
    ] = ""
    role: Annotated[str, Key("text", "Their job title.", option=True, audience="fact")] = ""
    team: Annotated[
        str,
        Key("text", "Their team or area, e.g. Payments API; used in questions.", audience="fact"),
    ] = ""
    kind: Annotated[
        str,
        Key("choice", "What they do, which picks the questions.", KINDS, True, audience="fact"),
    ] = ""
    seniority: Annotated[
        str,
        Key("text", "junior, mid, senior, staff, lead, director…", option=True, audience="fact"),
    ] = ""
    location: Annotated[
        str,
        Key("text", "Where they are, as their profile writes it.", option=True, audience="fact"),
    ] = ""
    timezone: Annotated[
        str,
        Key(
            "zone",
            "IANA zone such as America/Chicago; else inferred from location.",
            option=True,
            audience="fact",
        ),
    ] = ""
    work_hours: Annotated[
        str,
        Key(
            "hours",
            "Their working days and hours in their zone, e.g. 10:00-19:00 or Sun-Thu 9-17; "
            "slots uses them. Default: Mon-Fri and contact_hours.",
            option=True,
            flag="work-hours",
            audience="fact",
        ),
    ] = ""
    email: Annotated[str, Key("text", "Their email address.", option=True, audience="fact")] = ""
    linkedin: Annotated[
        str, Key("text", "Their LinkedIn profile URL.", option=True, audience="fact")
    ] = ""
    connection: Annotated[
        str, Key("choice", "How you are connected.", CONNECTIONS, True, audience="fact")
    ] = ""
    connected: Annotated[
        date | None,
        Key(
            "date",
            "When you connected on LinkedIn (or sent the request).",
            audience="fact",
            merge="earliest",
        ),
    ] = None
    mutual: Annotated[
        tuple[str, ...],
        Key(
            "list",
            "Who could introduce you: names of person notes ([[links]] too); "
            "`draft intro` asks the first.",
            option=True,
            audience="fact",
        ),
    ] = ()
    introduced_by: Annotated[
        str,
        Key(
            "text",
            "Who introduced you: a person note's name or [[link]]; outreach opens with them.",
            option=True,
            flag="introduced-by",
            audience="fact",
        ),
    ] = ""
    school: Annotated[
        str,
        Key("text", "Their school, when you share it or it matters.", option=True, audience="fact"),
    ] = ""
    hook: Annotated[
        str,
        Key(
            "text",
            "A sentence to them, as you would write it, on their work or what you share: "
            '"I enjoyed your GopherCon talk on consumer lag." Drafts quote it.',
            option=True,
            audience="them",
        ),
    ] = ""
    common: Annotated[
        tuple[str, ...],
        Key(
            "list",
            "What you share, in your own shorthand (city, bootcamp…); never quoted.",
            option=True,
            audience="private",
        ),
    ] = ()
    previous: Annotated[
        tuple[str, ...],
        Key("list", "Their earlier companies or roles.", option=True, audience="fact"),
    ] = ()
    tags: Annotated[
        tuple[str, ...], Key("list", "Your own tags.", option=True, audience="private")
    ] = ()
    keep_in_touch: Annotated[
        str,
        Key(
            "cadence",
            "How often to be in touch, in days, or never; else the settings' "
            "`keep_in_touch_by` (their kind or a tag) or `keep_in_touch_days`.",
            option=True,
            flag="keep-in-touch",
            audience="private",
        ),
    ] = ""
    messaged: Annotated[
        date | None, Key("date", "When you first messaged them.", audience="fact", merge="earliest")
    ] = None
    nudged: Annotated[
        date | None, Key("date", "When you followed up.", audience="fact", merge="latest")
    ] = None
    replied: Annotated[
        date | None, Key("date", "When they replied.", audience="fact", merge="earliest")
    ] = None
    template: Annotated[
        str,
        Key(
            "text",
            "The draft template your first message came from; `mark NAME messaged --template` "
            "records it once sent, and `stats --by template` compares replies.",
            audience="private",
        ),
    ] = ""
    chat: Annotated[
        datetime | None,
        Key("datetime", "The call: date and time with UTC offset.", audience="fact"),
    ] = None
    thanked: Annotated[
        date | None, Key("date", "When you sent the thank-you.", audience="fact", merge="earliest")
    ] = None
    referral: Annotated[
        str, Key("choice", "Where the referral stands.", REFERRALS, audience="fact")
    ] = ""
    loop: Annotated[
        str,
        Key(
            "choice",
            "Their part in your own application at their company, when they have one: the "
            "sheet then asks nothing about referrals or applying.",
            LOOP_PARTS,
            audience="private",
        ),
    ] = ""
    checked_in: Annotated[
        date | None,
        Key(
            "date",
            "When you last checked in with them: on the referral, or to keep in touch.",
            audience="fact",
            merge="latest",
        ),
    ] = None
    sent: Annotated[
        date | None,
        Key(
            "date",
            "When you sent what an agreed referral needs: your resume and the posting.",
            audience="fact",
            merge="earliest",
        ),
    ] = None
    applied: Annotated[
        date | None, Key("date", "When you applied.", audience="fact", merge="earliest")
    ] = None
    outcome: Annotated[
        str,
        Key(
            "choice",
            "How the application ended (the company's `application:` wins).",
            OUTCOMES,
            audience="fact",
        ),
    ] = ""
    updated: Annotated[
        date | None,
        Key("date", "When you last told them how it went.", audience="fact", merge="latest"),
    ] = None
    raw_extra: Mapping[str, Any] | str = EMPTY
    problems: tuple[Problem, ...] = ()
    raw_lines: Mapping[str, int] | str = EMPTY
    # What the body's dated lines say (model/dated.py), as its stored text.
    raw_body: str = ""

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def touched(self) -> date | None:
        """The day of the last touch of any sort: a milestone (a chat once it has taken
        place: it is a datetime, compared by its day), a `## Log` line, a call's heading."""
        from coffeechat.model.dated import touched_day

        days = [touched_day(self.raw_body)]
        days += [getattr(self, name) for name in TOUCHES]
        if self.chat is not None:
            days.append(self.chat.date())
        return max((day for day in days if day is not None), default=None)

    @property
    def title(self) -> str:
        """Their role and team as one title: "Engineering Manager, Data Platform", the team
        left out when the role names it already."""
        if self.team and self.team.casefold() not in self.role.casefold():
            return ", ".join(part for part in (self.role, self.team) if part)
        return self.role

    @property
    def refers_you(self) -> bool:
        """They agreed to refer you, or have."""
        return self.referral in REFERS_YOU

    @property
    def extra(self) -> Mapping[str, Any]:
        """Keys coffeechat does not know, as the note has them."""
        return _mapping(self.raw_extra)

    @property
    def key_lines(self) -> Mapping[str, int]:
        """The line of each key in the note's file."""
        return _mapping(self.raw_lines)

    @property
    def stem(self) -> str:
        """The note's file name without `.md`: what commands take to name this person."""
        return _stem(self.file)


class Company(NamedTuple):
    file: str
    name: Annotated[str, Key("text", "The company's name (required).", audience="fact")] = ""
    aliases: Annotated[
        tuple[str, ...],
        Key("list", "Other names for the note, as Obsidian links to it.", audience="fact"),
    ] = ()
    website: Annotated[str, Key("text", "Its website.", option=True, audience="fact")] = ""
    locations: Annotated[
        tuple[str, ...],
        Key("list", "Offices or hiring locations.", option=True, flag="location", audience="fact"),
    ] = ()
    remote: Annotated[
        str,
        Key("text", "Whether it hires remotely: yes, no, hybrid…", option=True, audience="fact"),
    ] = ""
    stack: Annotated[
        tuple[str, ...],
        Key("list", "Languages and tools it uses.", option=True, audience="fact"),
    ] = ()
    hiring: Annotated[str, Key("choice", "Its hiring state.", HIRING, True, audience="fact")] = ""
    in_: Annotated[
        str,
        Key(
            "text",
            "Your way in: why it is on your list, for you only; never quoted.",
            option=True,
            key="in",
            audience="private",
        ),
    ] = ""
    interest: Annotated[
        str,
        Key(
            "text",
            "Why you are keen on it, as a sentence to someone who works there: "
            '"I have paid my rent with your app for two years." Drafts quote it.',
            option=True,
            audience="them",
        ),
    ] = ""
    news: Annotated[
        str,
        Key(
            "text",
            "A recent milestone of theirs, as a sentence to someone who works there: "
            '"Congratulations on the seed round." Drafts quote it.',
            option=True,
            audience="them",
        ),
    ] = ""
    status: Annotated[
        str,
        Key("choice", "Where it stands on your list.", COMPANY_STATUSES, True, audience="private"),
    ] = ""
    priority: Annotated[
        int | None,
        Key(
            "rank",
            "Your priority for it: 1 (highest) to 5; high, medium, low read as 1, 3, 5.",
            option=True,
            audience="private",
        ),
    ] = None
    position: Annotated[
        str,
        Key(
            "text",
            "The job you apply for there, as the posting names it.",
            option=True,
            audience="fact",
        ),
    ] = ""
    posting: Annotated[
        str, Key("text", "The posting's link; outreach cites it.", option=True, audience="fact")
    ] = ""
    requisition: Annotated[
        str,
        Key("text", "The posting's requisition or job id.", option=True, audience="fact"),
    ] = ""
    applied: Annotated[
        date | None,
        Key("date", "When you applied for the position.", audience="fact", merge="earliest"),
    ] = None
    application: Annotated[
        str,
        Key(
            "choice",
            "Where your application stands now (`coffeechat company step` sets it); an offer "
            "received is `offer`, your answer `accepted` or `declined`.",
            APPLICATION_STATUSES,
            audience="fact",
        ),
    ] = ""
    steps: Annotated[
        tuple[str, ...],
        Key(
            "list",
            "The application's history, one dated line a step: `2026-11-18 interviewing "
            "(phone screen)`; `coffeechat company step` adds them.",
            audience="fact",
        ),
    ] = ()
    decide_by: Annotated[
        date | None,
        Key("date", "The day you must answer its offer by.", audience="fact"),
    ] = None
    size: Annotated[
        str,
        Key(
            "text",
            "How many people work there, e.g. 8 or 51-200; under 50 is small: one engineer or "
            "manager covers it.",
            option=True,
            audience="fact",
        ),
    ] = ""
    recruiters: Annotated[
        str,
        Key(
            "choice",
            "Whether it has recruiters; no takes them out of its coverage.",
            ("yes", "no"),
            True,
            audience="fact",
        ),
    ] = ""
    raw_extra: Mapping[str, Any] | str = EMPTY
    problems: tuple[Problem, ...] = ()
    raw_lines: Mapping[str, int] | str = EMPTY
    raw_body: str = ""  # as a person's; a company note's body is not read for it

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def extra(self) -> Mapping[str, Any]:
        return _mapping(self.raw_extra)

    @property
    def key_lines(self) -> Mapping[str, int]:
        return _mapping(self.raw_lines)

    @property
    def stem(self) -> str:
        """The note's file name without `.md`, as links name it."""
        return _stem(self.file)


def _stem(file: str) -> str:
    """A note file's name without `.md` (os.path.basename's answer, without its call)."""
    if os.altsep:
        return os.path.basename(file)[:-3]
    return file[file.rfind(os.sep) + 1 : -3]


def near_key(name: str, known: Iterable[str]) -> str | None:
    """The declared key an unknown one is most likely a typo of (`refferal` → `referral`)."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.8)
    return close[0] if close else None


def _mapping(raw: Mapping[str, Any] | str) -> Mapping[str, Any]:
    """A mapping the index cache kept as JSON text: most runs never look at a note's key
    lines or unknown keys, and decoding 10,000 small dicts would cost more than the rest."""
    if isinstance(raw, str):
        return decode_mapping(raw)
    return raw


def _declared_keys(model: type) -> tuple[Key, ...]:
    """The `Key` annotations of a model's fields, each told its field and key name."""
    from dataclasses import replace

    hints = typing.get_type_hints(model, include_extras=True)
    keys = []
    for field_name in model._fields:  # type: ignore[attr-defined]
        for meta in getattr(hints[field_name], "__metadata__", ()):
            if isinstance(meta, Key):
                name = meta.key or field_name
                if meta.audience not in AUDIENCES:
                    raise TypeError(f"key `{name}` says no audience: one of {AUDIENCES}")
                if meta.kind not in KEY_KINDS:
                    raise TypeError(
                        f"key `{name}` has kind `{meta.kind}`: one of {list(KEY_KINDS)}"
                    )
                merge = meta.merge or KEY_KINDS[meta.kind].merge
                if merge not in MERGE_RULES:
                    raise TypeError(f"key `{name}` merges by `{merge}`: one of {list(MERGE_RULES)}")
                keys.append(replace(meta, name=name, field=field_name, merge=merge))
    return tuple(keys)


PERSON_KEYS = _declared_keys(Person)
COMPANY_KEYS = _declared_keys(Company)
PERSON_KEY_NAMES = {key.name: key for key in PERSON_KEYS}
COMPANY_KEY_NAMES = {key.name: key for key in COMPANY_KEYS}


def read_value(key: Key, value: Any, zone: tzinfo) -> Any:
    """The typed value for `key`, or ValueError saying what is wrong with it."""
    return KEY_KINDS[key.kind].read(value, zone, key.choices)


def after_today(day: date) -> str:
    """Why a milestone dated after today is refused: what is recorded has happened (a chat,
    booked ahead, is the one milestone that may be)."""
    return f"{day} is after today; file it once it has happened"


def order_warnings(person: Person, milestone: str) -> list[str]:
    """What to say once `milestone` is recorded out of order: a date before the step it
    follows (replied before messaged), or a nudge to someone never messaged. Recorded as
    given all the same: the user may know better."""
    found = []
    for earlier, later in out_of_order(person):
        if milestone in (earlier, later):
            first, second = getattr(person, earlier), getattr(person, later)
            found.append(
                f"`{later}` ({_day(second)}) is before `{earlier}` ({_day(first)}); "
                "recorded as given, check both dates"
            )
    if milestone == "nudged" and person.messaged is None:
        found.append(
            "`nudged` is recorded but `messaged` is not: a nudge follows a first message; "
            f"record it with `coffeechat mark {person.stem} messaged --on DAY`"
        )
    return found


def first_date_replaced(before: Person, after: Person, milestone: str) -> list[str]:
    """A first-time date (a key whose later copy never wins: `messaged`, `replied`…)
    recorded again with another day: said, with how to put the first one back."""
    key = PERSON_KEY_NAMES.get(milestone)
    if key is None or key.merge != "earliest":
        return []
    old, new = getattr(before, milestone), getattr(after, milestone)
    if old is None or new is None or old == new:
        return []
    return [
        f"{milestone} was {old.isoformat()}, now {new.isoformat()}; "
        f"`coffeechat set {after.stem} {milestone}={old.isoformat()}` puts the first one back"
    ]


def chat_moved(before: datetime, after: datetime, zone: tzinfo, comment: str = "") -> str:
    """What to say when a booked chat (still ahead) is replaced: from when to when, and that
    a comment on the `chat:` line stays as the user wrote it, which may no longer fit."""
    from coffeechat.when.timefmt import day_and_time

    said = (
        f"moved the chat from {day_and_time(before.astimezone(zone))} "
        f"to {day_and_time(after.astimezone(zone))}"
    )
    if comment:
        said += f"; the comment `{comment}` on `chat:` is kept: edit it if it no longer fits"
    return said


def _day(value: date | datetime) -> str:
    return str(value.date() if isinstance(value, datetime) else value)


def out_of_order(person: Person) -> list[tuple[str, str]]:
    """The (earlier, later) milestone pairs whose dates run backwards (`replied` before
    `messaged`), compared as days."""

    def day(value: date | datetime) -> date:
        return value.date() if isinstance(value, datetime) else value

    found = []
    for earlier, later in MILESTONE_ORDER:
        first, second = getattr(person, earlier), getattr(person, later)
        if first and second and day(second) < day(first):
            found.append((earlier, later))
    return found


def stage(person: Person, now: datetime) -> str:
    """Where the person stands, derived from their dates; never stored."""
    if person.referral == "declined" or person.outcome in ("offer", "rejected", "withdrawn"):
        return "closed"
    if person.refers_you:
        return "referred"
    if person.thanked:
        return "thanked"
    if person.chat:
        return "chatted" if person.chat <= now else "scheduled"
    if person.replied:
        return "replied"
    if person.nudged:
        return "nudged"
    if person.messaged:
        return "messaged"
    return "to-contact"
