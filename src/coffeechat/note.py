"""People and companies: the keys a note may hold, how each is read, and a person's stage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from coffeechat.errors import NoteError, Problem
from coffeechat.notefile import Frontmatter

KINDS = ("engineer", "manager", "recruiter", "other")
CONNECTIONS = ("1st", "2nd", "3rd", "alumni", "intro", "cold")
REFERRALS = ("asked", "agreed", "submitted", "declined")
OUTCOMES = ("interview", "offer", "rejected", "withdrawn")
HIRING = ("growth", "entry", "frozen", "unknown")
COMPANY_STATUSES = ("target", "active", "paused", "done")
DATE_MILESTONES = ("messaged", "nudged", "replied", "chat", "thanked", "applied", "updated")
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


@dataclass(frozen=True)
class Key:
    """One frontmatter key: its name, how its value is read, and what it is for."""

    name: str
    kind: str  # text | list | date | datetime | choice | zone
    help: str
    choices: tuple[str, ...] = ()


PERSON_KEYS = (
    Key("name", "text", "Their full name (required)."),
    Key("company", "text", "Where they work now; links to companies/<company>.md."),
    Key("role", "text", "Their job title."),
    Key("team", "text", "Their team or area, e.g. Payments API; used in questions."),
    Key("kind", "choice", "What they do, which picks the questions.", KINDS),
    Key("seniority", "text", "junior, mid, senior, staff, lead, director…"),
    Key("location", "text", "Where they are, as their profile writes it."),
    Key("timezone", "zone", "IANA zone such as America/Chicago; else inferred from location."),
    Key("email", "text", "Their email address."),
    Key("linkedin", "text", "Their LinkedIn profile URL."),
    Key("connection", "choice", "How you are connected.", CONNECTIONS),
    Key("connected", "date", "When you connected on LinkedIn."),
    Key("school", "text", "Their school, when you share it or it matters."),
    Key("common", "list", "What you share: city, bootcamp, interests…"),
    Key("previous", "list", "Their earlier companies or roles."),
    Key("tags", "list", "Your own tags."),
    Key("messaged", "date", "When you first messaged them."),
    Key("nudged", "date", "When you followed up."),
    Key("replied", "date", "When they replied."),
    Key("chat", "datetime", "The call: date and time with UTC offset."),
    Key("thanked", "date", "When you sent the thank-you."),
    Key("referral", "choice", "Where the referral stands.", REFERRALS),
    Key("applied", "date", "When you applied."),
    Key("outcome", "choice", "How the application ended.", OUTCOMES),
    Key("updated", "date", "When you last told them how it went."),
)

COMPANY_KEYS = (
    Key("name", "text", "The company's name (required)."),
    Key("website", "text", "Its website."),
    Key("locations", "list", "Offices or hiring locations."),
    Key("remote", "text", "Whether it hires remotely: yes, no, hybrid…"),
    Key("stack", "list", "Languages and tools it uses."),
    Key("hiring", "choice", "Its hiring state.", HIRING),
    Key("in", "text", "Your way in: why this company."),
    Key("news", "text", "A recent milestone of theirs worth mentioning in a first message."),
    Key("status", "choice", "Where it stands on your list.", COMPANY_STATUSES),
    Key("priority", "text", "Your priority for it, e.g. 1-5 or high/low."),
)

PERSON_KEY_NAMES = {key.name: key for key in PERSON_KEYS}
COMPANY_KEY_NAMES = {key.name: key for key in COMPANY_KEYS}


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int | float | date):
        return str(value).strip()
    raise ValueError("should be text, not a list or mapping")


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_as_text(item) for item in value if item is not None]
    return [_as_text(value)]


def _as_date(value: Any, zone: tzinfo) -> date:
    if isinstance(value, datetime):
        return value.astimezone(zone).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"`{value}` is not a date; write it as YYYY-MM-DD")


def _as_datetime(value: Any, zone: tzinfo) -> datetime:
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        raise ValueError(f"`{value}` is not a date and time; write it as 2026-11-25 15:00 -05:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _as_zone(value: Any) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = _as_text(value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"`{name}` is not a known IANA time zone{_nearest_zones(name)}") from None
    return name


def _nearest_zones(name: str) -> str:
    """`; did you mean Europe/Berlin?`, from the zone names closest to a mistyped one."""
    import difflib
    from zoneinfo import available_timezones

    zones = {zone.casefold(): zone for zone in available_timezones()}
    close = difflib.get_close_matches(name.casefold().replace(" ", "_"), list(zones), n=1)
    if not close:
        return ", e.g. Europe/Berlin"
    return f"; did you mean {zones[close[0]]}?"


def read_value(key: Key, value: Any, zone: tzinfo) -> Any:
    """The typed value for `key`, or ValueError saying what is wrong with it."""
    readers: dict[str, Callable[[Any], Any]] = {
        "text": _as_text,
        "list": _as_list,
        "date": lambda v: _as_date(v, zone),
        "datetime": lambda v: _as_datetime(v, zone),
        "zone": _as_zone,
    }
    if key.kind == "choice":
        text = _as_text(value).lower()
        if text not in key.choices:
            raise ValueError(f"`{value}` is not one of {', '.join(key.choices)}")
        return text
    return readers[key.kind](value)


@dataclass(frozen=True)
class Person:
    path: Path
    name: str
    company: str = ""
    role: str = ""
    team: str = ""
    kind: str = ""
    seniority: str = ""
    location: str = ""
    timezone: str = ""
    email: str = ""
    linkedin: str = ""
    connection: str = ""
    connected: date | None = None
    school: str = ""
    common: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    messaged: date | None = None
    nudged: date | None = None
    replied: date | None = None
    chat: datetime | None = None
    thanked: date | None = None
    referral: str = ""
    applied: date | None = None
    outcome: str = ""
    updated: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    key_lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Company:
    path: Path
    name: str
    website: str = ""
    locations: list[str] = field(default_factory=list)
    remote: str = ""
    stack: list[str] = field(default_factory=list)
    hiring: str = ""
    in_: str = ""
    news: str = ""
    status: str = ""
    priority: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    key_lines: dict[str, int] = field(default_factory=dict)


def _typed_values(
    path: Path, front: Frontmatter, keys: dict[str, Key], zone: tzinfo
) -> tuple[dict[str, Any], dict[str, Any], list[Problem]]:
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    problems = [
        Problem(path, front.key_lines[key], f"key `{key}` appears twice; the last one is used")
        for key in front.duplicates
    ]
    for name, value in front.values.items():
        key = keys.get(name)
        if key is None:
            extra[str(name)] = value
            continue
        if value is None or value == "" or value == []:
            continue
        try:
            known[name] = read_value(key, value, zone)
        except ValueError as error:
            problems.append(Problem(path, front.key_lines[name], f"{name}: {error}"))
    if not known.get("name"):
        line = front.key_lines.get("name", 2)
        bad = [p for p in problems if p.message.startswith("name:")]
        message = bad[0].message if bad else "no `name:`; add `name: Their Name` to the frontmatter"
        raise NoteError(Problem(path, line, message))
    return known, extra, problems


def person_from(path: Path, front: Frontmatter, zone: tzinfo) -> Person:
    known, extra, problems = _typed_values(path, front, PERSON_KEY_NAMES, zone)
    return Person(
        path=path, extra=extra, problems=tuple(problems), key_lines=front.key_lines, **known
    )


def company_from(path: Path, front: Frontmatter, zone: tzinfo) -> Company:
    known, extra, problems = _typed_values(path, front, COMPANY_KEY_NAMES, zone)
    if "in" in known:
        known["in_"] = known.pop("in")
    return Company(
        path=path, extra=extra, problems=tuple(problems), key_lines=front.key_lines, **known
    )


def stage(person: Person, now: datetime) -> str:
    """Where the person stands, derived from their dates; never stored."""
    if person.referral == "declined" or person.outcome in ("offer", "rejected", "withdrawn"):
        return "closed"
    if person.referral in ("agreed", "submitted"):
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
