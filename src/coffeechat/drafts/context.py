"""What a template may see: the variables, each declared once in `VARIABLES` beside the code
that fills it (docs/drafts.md's table comes from there), and what to look at before sending.

What a draft may say is decided by each key's audience (`coffeechat.model.note.Audience`): the
template sees the user's settings, facts (names, company, role, school, the posting) and the
text of keys written to them (`hook`, the company's `interest` and `news`), plus the
`Thanks:` and `Next:` lines of the last call. Private keys and the rest of the note's body
never reach it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coffeechat.core.text import as_sentence, plain_title, proper_name
from coffeechat.drafts.kinds import recipient
from coffeechat.drafts.phrasing import day_words, rephrase
from coffeechat.drafts.request import (
    Request,
    accepted_at,
    alumni,
    application_company,
    application_status,
    chatted,
    helped_with,
    introduced,
    introducer,
    moved,
    mutual_contact,
    referral_open,
)
from coffeechat.model.config import SETTING_NAMES
from coffeechat.model.names import label
from coffeechat.model.note import COMPANY_KEYS, PERSON_KEYS, Company, Key, Person
from coffeechat.model.written import note_like

# The lines of a `### Call` section a thank-you may quote: written to them, in the user's words.
CALL_LINES = {"thanks": "Thanks:", "next": "Next:"}
# A thank-you this many days or more after the chat says sorry for the delay (it is due the
# day after).
LATE_THANKS_DAYS = 7


@dataclass(frozen=True)
class Variable:
    """One name a template may use: what it holds (for docs/drafts.md), and the code that
    fills it."""

    name: str
    holds: str
    fill: Callable[[Request], Any]


def _setting(name: str, fill: Callable[[Request], Any] | None = None) -> Variable:
    """A setting as `me.NAME`, described by its own help; as it is unless `fill` says."""
    return Variable(
        name, SETTING_NAMES[name].help, fill or (lambda request: getattr(request.config, name))
    )


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _resume(request: Request) -> str:
    return request.config.resume.strip()


# The settings a template sees, as `me.NAME`: a setting reaches templates by one entry here.
MINE: tuple[Variable, ...] = (
    _setting("name"),
    Variable(
        "first_name",
        "The first word of your `name`.",
        lambda request: _first_name(request.config.name),
    ),
    _setting("school"),
    _setting("student"),
    _setting("looking_for"),
    _setting("resume", _resume),
    Variable(
        "resume_is_link",
        "Whether `resume` is a link (http:// or https://).",
        lambda request: _resume(request).startswith(("http://", "https://")),
    ),
    _setting("chat_minutes"),
)


def sayable(
    note: Person | Company, keys: tuple[Key, ...], keep_notes: bool = False
) -> dict[str, Any]:
    """The values of a note's keys that a message may hold, by key name: facts as they are,
    written-to-them text as sentences; private keys are left out, and so is written-to-them
    text that reads as a note (`phrasing.note_like`), unless `keep_notes`."""
    found: dict[str, Any] = {}
    for key in keys:
        if key.audience == "private":
            continue
        value = getattr(note, key.field)
        if key.audience == "them":
            text = str(value)
            clean = keep_notes or not note_like(text, isinstance(note, Person), note.name)
            value = as_sentence(text) if clean else ""
        found[key.name] = value
    return found


def _person_vars(person: Person | None, keep_notes: bool = False) -> dict[str, Any] | None:
    """A person as a template sees them: the keys that are not private, `first_name`, and
    `company` ("your company" when empty); None for no one. A name typed in lower case gets
    its capitals, and a profile headline for a `role` keeps only its title."""
    if not person:
        return None
    values = sayable(person, PERSON_KEYS, keep_notes)
    values["name"] = proper_name(person.name)
    values["first_name"] = _first_name(values["name"])
    values["role"] = plain_title(person.role)
    values["company"] = label(person.company) or "your company"
    return values


def _chat_day(request: Request) -> str:
    chat = request.person.chat
    if chat is None:
        return ""
    return day_words(chat.astimezone(request.config.zone).date(), request.today)


def _late(request: Request) -> bool:
    """Whether the thank-you comes LATE_THANKS_DAYS or more after what it thanks for: the
    chat, or for an introducer the chat with the person they introduced; never for a second
    thank-you (`--force`)."""
    person = request.person
    chat = person.chat
    if request.kind == "introducer":
        from coffeechat.model.names import resolve

        chats = [
            other.chat
            for other in request.people
            if other.introduced_by
            and other.chat is not None
            and other.chat <= request.now
            and (helper := resolve(other.introduced_by, request.people)) is not None
            and helper.file == person.file
        ]
        chat = max(chats, default=None)
    if chat is None or chat > request.now:
        return False
    day = chat.astimezone(request.config.zone).date()
    if person.thanked and person.thanked >= day:
        return False  # thanked already: nothing was late
    return (request.today - day).days >= LATE_THANKS_DAYS


def _messaged_day(request: Request) -> str:
    messaged = request.person.messaged
    return day_words(messaged, request.today) if messaged else ""


def _call_line(name: str) -> Callable[[Request], str]:
    def fill(request: Request) -> str:
        text = call_lines(request.body_text)[name]
        if request.keep_notes or not note_like(text, True, request.person.name):
            return as_sentence(text)
        return ""

    return fill


# Every variable a template may use, in docs/drafts.md's order: a new one is one entry here.
VARIABLES: tuple[Variable, ...] = (
    Variable("channel", "`email` or `linkedin`.", lambda request: request.channel),
    Variable(
        "me",
        "Your settings from coffeechat.toml, each as below.",
        lambda request: _filled(MINE, request),
    ),
    Variable(
        "them",
        "Who reads the message (for `intro`, the mutual contact): every key of their note that "
        "is not private, by name (`them.role`, `them.hook`…), and `them.first_name`; "
        '`them.company` is "your company" when empty.',
        lambda request: _person_vars(recipient(request), request.keep_notes),
    ),
    Variable(
        "about",
        "The person the draft is about, in the same shape (the same as `them` but for `intro`).",
        lambda request: _person_vars(request.person, request.keep_notes),
    ),
    Variable(
        "company",
        "Their company note's keys that are not private (`company.posting`, `company.interest`…).",
        lambda request: sayable(
            request.company or Company(file=""), COMPANY_KEYS, request.keep_notes
        ),
    ),
    Variable(
        "introducer",
        "The person `introduced_by` names, in the same shape as `them`, or empty.",
        lambda request: _person_vars(introducer(request), request.keep_notes),
    ),
    Variable(
        "mutual",
        "Their first `mutual` contact, in the same shape as `them`, or empty.",
        lambda request: _person_vars(mutual_contact(request), request.keep_notes),
    ),
    Variable("alumni", "The school you share, or empty.", alumni),
    Variable("chatted", "Whether the chat took place.", chatted),
    Variable(
        "status",
        "Where the application at their company (or `--at COMPANY`) stands now: applied, "
        "interviewing, offer, accepted, declined, rejected or withdrawn (or empty).",
        application_status,
    ),
    Variable(
        "helped_with",
        'What they did for you, said to them: "your introduction to Nadia Haddad", "your '
        'referral", "taking the time to talk with me"; or empty.',
        helped_with,
    ),
    Variable(
        "introduced",
        'The people they introduced you to, by name ("Nadia Haddad"); or empty.',
        introduced,
    ),
    Variable("accepted_at", "The company whose offer you accepted; or empty.", accepted_at),
    Variable(
        "moved",
        "Whether an import found them in a new job (`moved:` in their log) and you have not "
        "checked in since.",
        moved,
    ),
    Variable(
        "referral_open",
        "Whether a referral asked about or agreed is still open (`checkin` is then about it).",
        referral_open,
    ),
    Variable(
        "at_company",
        "The company of the application an update is about (`--at`, or the one whose news "
        "they are owed), else theirs; or empty.",
        application_company,
    ),
    Variable(
        "messaged_day",
        'When you messaged them: "yesterday", "on Tuesday", "on November 10"; or empty.',
        _messaged_day,
    ),
    Variable("chat_day", "The day of the chat, in the same words; or empty.", _chat_day),
    Variable(
        "late",
        f"Whether the chat (for `introducer`, the chat with whom they introduced) was "
        f"{LATE_THANKS_DAYS} or more days ago, and no thank-you since: it says sorry for the "
        "delay.",
        _late,
    ),
    Variable(
        "thanks_line",
        "The last call's `Thanks:` line, as a sentence (may be empty).",
        _call_line("thanks"),
    ),
    Variable(
        "next_step",
        "The last call's `Next:` line, as a sentence (may be empty).",
        _call_line("next"),
    ),
    Variable(
        "offer_company",
        "`--at`, else the company whose offer you accepted, else their company.",
        lambda request: request.offer_at or accepted_at(request) or label(request.person.company),
    ),
)


def _filled(variables: tuple[Variable, ...], request: Request) -> dict[str, Any]:
    return {variable.name: variable.fill(request) for variable in variables}


def context(request: Request) -> dict[str, Any]:
    """Every variable a template may use (`VARIABLES`). Only keys whose audience is not
    private, and the call's `Thanks:` and `Next:` lines, reach it."""
    return _filled(VARIABLES, request)


def call_lines(body_text: str) -> dict[str, str]:
    """The `Thanks:` and `Next:` lines of the latest `### Call` section (as bullets or plain
    lines): the only words of a note's body a draft may quote."""
    return {name: text for name, (text, _) in call_line_places(body_text).items()}


def call_line_places(body_text: str) -> dict[str, tuple[str, int | None]]:
    """Each of the latest `### Call` section's `Thanks:` and `Next:` lines, with its 0-based
    line in the body (None when absent). The section is read wherever it is in the body."""
    from coffeechat.model.body import call_sections

    found: dict[str, tuple[str, int | None]] = dict.fromkeys(CALL_LINES, ("", None))
    calls = call_sections(body_text)
    if not calls:
        return found
    heading, end = calls[-1]
    lines = body_text.splitlines()
    for number in range(heading.line + 1, min(end, len(lines))):
        text = lines[number].strip()
        text = text[2:].strip() if text.startswith(("- ", "* ")) else text
        for name, mark in CALL_LINES.items():
            if text.lower().startswith(mark.lower()) and not found[name][0]:
                found[name] = (text[len(mark) :].strip(), number)
    return found


@dataclass(frozen=True)
class LeftOut:
    """A written-to-them value the draft would have quoted but left out, as it reads as a
    note: where it is (the note and its line), which key, the text, and why."""

    path: Path
    line: int | None
    key: str
    text: str
    why: str

    @property
    def advice(self) -> str:
        return f"left out of the draft: {rephrase(self.key, self.why)}, and it goes in"


def written_to_them(request: Request) -> Iterator[tuple[Path, int | None, str, str, bool]]:
    """(note, line, key, text, about a person) for every written-to-them value a draft about
    this request may quote: their note's, their company's, and the last call's lines."""
    person, company = request.person, request.company
    notes: tuple[Person | Company | None, ...] = (person, company)
    for note in notes:
        if note is None:
            continue
        for key in PERSON_KEYS if isinstance(note, Person) else COMPANY_KEYS:
            text = str(getattr(note, key.field))
            if key.audience == "them" and text.strip():
                yield note.path, note.key_lines.get(key.name), key.name, text, note is person
    for name, (text, line) in call_line_places(request.body_text).items():
        if text:
            where = request.body_line + line if request.body_line and line is not None else None
            yield person.path, where, f"{CALL_LINES[name]} line", text, True


def left_out(request: Request, render: Callable[[Request], str]) -> list[LeftOut]:
    """The note-like values this draft would have quoted: `render` makes the draft's text
    for a request, and is run again keeping them only when there are any."""
    from dataclasses import replace

    found = []
    for path, line, key, text, about_person in written_to_them(request):
        name = request.person.name if about_person else ""
        why = note_like(text, about_person, name)
        if why:
            found.append(LeftOut(path, line, key, text, why))
    if not found:
        return []
    kept = render(replace(request, keep_notes=True))
    return [item for item in found if as_sentence(item.text) in kept]


def warnings_for(request: Request, variables: dict[str, Any]) -> list[str]:
    """What the user should look at before sending: an agreed referral's missing resume or
    posting, a thank-you with nothing quoted."""
    found = []
    if request.kind == "thanks" and not call_lines(request.body_text)["thanks"]:
        found.append(
            "no line to thank them for: add `Thanks: …` (a sentence to them) under the "
            "`### Call` section of their note to quote one"
        )
    carries = request.kind == "send" or (
        request.kind == "thanks" and request.person.referral == "agreed"
    )
    if carries:  # what an agreed referral needs: your resume and the posting
        if not variables["me"]["resume"]:
            found.append("set `resume` in coffeechat.toml (a link, or the file you attach)")
        elif not variables["me"]["resume_is_link"]:
            found.append(f"attach your resume ({variables['me']['resume']}) before sending")
        if not variables["company"]["posting"]:
            company = label(request.person.company) or "their company"
            found.append(f"no posting for {company}: add `posting:` to its company note")
    if carries and request.kind == "thanks":
        if variables["me"]["resume"] and "resume" in variables["next_step"].lower():
            found.append(
                "your `Next:` line promises your resume, which this draft already sends: "
                "change the line, or cut one of the two"
            )
        found.append(
            "it carries what the referral needs; once sent, also "
            f"coffeechat mark {request.stem} sent"
        )
    return found
