"""Message drafts: outreach, intro request, connection note, nudge, thank-you, update, offer.

Each kind is declared once in `KINDS` (its template, the checks that refuse it, the command
that records it once sent, its default channel and its limits); the command's choices and the
README's table come from there. Each is a Jinja2 template shipped in `templates/`; a file of
the same name in the vault's `templates/` folder replaces it. Templates are the user's text,
so they render in Jinja2's sandbox (no attribute tricks, no includes, no file access), every
undefined name is an error with the template's `file:line`, and a draft with a leftover `{{`,
`[name]` or `None` is refused rather than printed.

What a draft may say is decided by each key's audience (`coffeechat.model.note.Audience`): the
template sees the user's settings, facts (names, company, role, school, the posting) and the
text of keys written to them (`hook`, the company's `interest` and `news`), plus the
`Thanks:` and `Next:` lines of the last call. Private keys and the rest of the note's body
never reach it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from coffeechat.core.errors import CoffeechatError, NoteError, Problem
from coffeechat.model.config import Config
from coffeechat.model.names import label
from coffeechat.model.note import COMPANY_KEYS, PERSON_KEYS, Company, Key, Person
from coffeechat.when.timefmt import plural

SHIPPED = Path(__file__).parent.parent / "templates"
CONNECT_LIMITS = {"free": 200, "premium": 300}
_LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\[[A-Za-z_][A-Za-z_ ]*\]|\bNone\b|\bundefined\b")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The lines of a `### Call` section a thank-you may quote: written to them, in the user's words.
CALL_LINES = {"thanks": "Thanks:", "next": "Next:"}
# How a written-to-them value gives itself away as a note about the person instead.
_NOTE_LIKE = (
    (re.compile(r"\b(she|he|her|hers|him|his|they|their|theirs)\b", re.IGNORECASE), "`{}`"),
    (re.compile(r"\([^)]*\)"), "an aside in brackets"),
    (re.compile(r"\b(mention|bring up|ask about) (it|this|that)\W*$", re.IGNORECASE), "`{}`"),
)


class TemplateError(NoteError):
    """A template that cannot be rendered: the file, the line, what to fix."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(Problem(path, line, message))


@dataclass(frozen=True)
class Draft:
    kind: str
    channel: str
    subject: str
    body: str
    to_name: str
    to_email: str
    record: str = ""  # the command that records it once sent, without `coffeechat `
    warnings: tuple[str, ...] = ()  # what to look at before sending

    @property
    def text(self) -> str:
        """The draft as printed and saved: the subject first when there is one."""
        return (f"Subject: {self.subject}\n\n" if self.subject else "") + self.body


def template_path(kind: str, folder: Path | None) -> Path:
    """The vault's own template for `kind` (in `folder`, the layout's templates) if it has
    one, else the shipped one."""
    if folder is not None:
        mine = folder / f"{kind}.txt"
        if mine.is_file():
            return mine
    return SHIPPED / f"{kind}.txt"


def _read_template(path: Path) -> str:
    from coffeechat.drafts.sandbox import TEMPLATE_BYTES

    try:
        if not path.is_file():
            raise TemplateError(path, None, "not a regular file; a template is a text file")
        with path.open("rb") as file:
            data = file.read(TEMPLATE_BYTES + 1)
        if len(data) > TEMPLATE_BYTES:
            raise TemplateError(
                path, None, f"longer than {TEMPLATE_BYTES:,} bytes, the limit for a template"
            )
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(path, None, f"cannot be read ({error}); save it as UTF-8") from None


def render(path: Path, context: dict[str, Any]) -> str:
    """`path` rendered in the sandbox with `context`, under the limits `coffeechat.drafts.sandbox`
    sets (time, size, no includes); any failure names the file and line."""
    import jinja2
    from jinja2 import nodes

    from coffeechat.drafts import sandbox

    source = _read_template(path)
    environment = sandbox.BoundedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    template = None
    try:
        tree = environment.parse(source, path.name, str(path))
        others = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
        for node in tree.find_all(others):
            raise TemplateError(
                path,
                node.lineno,
                "templates cannot include other files, nor themselves "
                f"(`{{% {type(node).__name__.lower()} %}}`); copy the text in",
            )
        code = environment.compile(tree, path.name, str(path))
        template = environment.template_class.from_code(
            environment, code, environment.make_globals(None)
        )
        chunks, length = [], 0
        with sandbox.watchdog(sandbox.SECONDS):
            output = template.generate(context)
            for chunk in output:
                length += len(chunk)
                if length > sandbox.SIZE:
                    raise TemplateError(
                        path, _yielding_line(output, template), str(sandbox.too_big())
                    )
                chunks.append(chunk)
        return "".join(chunks)
    except sandbox.OutOfTime as error:
        raise TemplateError(
            path,
            _compiled_line(error, path, template),
            f"still running after {sandbox.SECONDS:g} second, the limit for a template; "
            "look for a loop that runs too long",
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(path, error.lineno, f"{error.message}; fix the template") from None
    except TemplateError:
        raise
    except Exception as error:  # UndefinedError, SecurityError, TypeError from user text
        raise TemplateError(path, _template_line(error, path), _explain(error)) from None


def _yielding_line(output: Any, template: Any) -> int | None:
    """The template line a paused render is at: the innermost generator's line, mapped."""
    frame = None
    while output is not None and output.gi_frame is not None:
        frame, output = output.gi_frame, output.gi_yieldfrom
    if frame is None or frame.f_code.co_filename != template.filename:
        return None
    return int(template.get_corresponding_lineno(frame.f_lineno))


def _compiled_line(error: BaseException, path: Path, template: Any) -> int | None:
    """The template line a watchdog stopped, from the compiled code's line (Jinja2 maps
    the lines of errors it sees, but not of an exception that is not an Exception)."""
    import traceback

    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == str(path) and frame.lineno is not None
    ]
    if not lines or template is None:
        return None
    return int(template.get_corresponding_lineno(lines[-1]))


def _template_line(error: BaseException, path: Path) -> int | None:
    import traceback

    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == str(path)
    ]
    return lines[-1] if lines else None


def _explain(error: Exception) -> str:
    import jinja2
    from jinja2.exceptions import SecurityError

    from coffeechat.drafts.sandbox import LimitExceeded

    if isinstance(error, LimitExceeded):
        return str(error)
    if isinstance(error, jinja2.UndefinedError):
        return f"{error.message}; the variables are listed in the README (Drafts)"
    if isinstance(error, SecurityError):
        return f"not allowed in a template ({error})"
    return f"{type(error).__name__}: {error}"


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def day_words(day: date, today: date) -> str:
    """`today`, `yesterday`, `on Tuesday` within the week, else `on November 12`."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"on {_WEEKDAYS[day.weekday()]}"
    return f"on {day:%B} {day.day}"


def as_sentence(text: str) -> str:
    """A written-to-them value as a sentence of its own, as the user phrased it: one line,
    a capital first letter, a full stop when it has no end mark."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def note_like(text: str, about_person: bool = True) -> str:
    """Why a value meant for the contact reads as a note about them (she, their, an aside
    in brackets, a trailing "Mention it"), or "" when it does not. A company's values are
    not checked for pronouns: "their app" or "my mom … her therapy" is how one writes
    about a company to someone who works there."""
    for pattern, what in _NOTE_LIKE[0 if about_person else 1 :]:
        match = pattern.search(text)
        if match:
            return what.format(match.group(0).strip())
    return ""


def rephrase_hint(key: str, text: str, about_person: bool = True) -> str:
    """The advice doctor and the drafts give for a written-to-them value that reads as a note;
    "" when it reads as written to them."""
    why = note_like(text, about_person)
    if not why:
        return ""
    return (
        f"`{key}` reads as a note about them ({why}), but drafts quote it to them: rephrase it "
        'as you would write it to them, e.g. "I enjoyed your talk on consumer lag."'
    )


def call_lines(body_text: str) -> dict[str, str]:
    """The `Thanks:` and `Next:` lines of the latest `### Call` section inside `## Notes`
    (as bullets or plain lines): the only words of a note's body a draft may quote."""
    from coffeechat.model.body import headings, section_lines

    found = dict.fromkeys(CALL_LINES, "")
    bounds = section_lines(body_text, "Notes")
    if bounds is None:
        return found
    lines = body_text.splitlines()
    calls = [
        h
        for h in headings(body_text)
        if h.level == 3 and bounds[0] < h.line < bounds[1] and h.title.lower().startswith("call")
    ]
    if not calls:
        return found
    start = calls[-1].line + 1
    later = [h.line for h in headings(body_text) if start <= h.line < bounds[1]]
    for line in lines[start : min([bounds[1], *later])]:
        text = line.strip()
        text = text[2:].strip() if text.startswith(("- ", "* ")) else text
        for name, mark in CALL_LINES.items():
            if text.lower().startswith(mark.lower()) and not found[name]:
                found[name] = text[len(mark) :].strip()
    return found


@dataclass(frozen=True)
class Request:
    kind: str
    person: Person
    company: Company | None
    config: Config
    now: datetime
    channel: str
    body_text: str  # the person's note body: only its Thanks:/Next: call lines are read
    offer_at: str | None = None
    force: bool = False
    people: tuple[Person, ...] = ()  # to find who `introduced_by` and `mutual` name

    @property
    def stem(self) -> str:
        return self.person.stem

    @property
    def today(self) -> date:
        return self.now.astimezone(self.config.zone).date()


def _refuse(message: str) -> None:
    raise CoffeechatError(message)


def _named(text: str) -> str:
    """Who a value names when no note answers: a link's target (`[[Jo Park|Jo]]` is Jo Park),
    else the text."""
    from coffeechat.model.names import parse_link

    link = parse_link(text)
    return link.target.rsplit("/", 1)[-1] if link else text.strip()


def introducer(request: Request) -> Person | None:
    """The person note `introduced_by` names, or a stand-in with only the name given."""
    from coffeechat.model.names import resolve

    text = request.person.introduced_by
    if not text:
        return None
    return resolve(text, request.people) or Person(file="", name=_named(text))


def mutual_contact(request: Request) -> Person | None:
    """The first `mutual` entry, as its person note (or a stand-in with the name given)."""
    from coffeechat.model.names import resolve

    for text in request.person.mutual:
        if label(text).strip():
            return resolve(text, request.people) or Person(file="", name=_named(text))
    return None


def alumni(request: Request) -> str:
    """The school you share with them, when you do: theirs (`connection: alumni` with
    `school:`, or the same school as yours), else yours for a bare `connection: alumni`."""
    from coffeechat.model.names import same_school

    person, config = request.person, request.config
    if same_school(person, config):
        return config.school
    if person.connection == "alumni":
        return person.school or config.school
    return ""


def application_status(request: Request) -> str:
    """Where the application at their company stands: the company's `application:`, else
    the person's own `outcome:` (notes from before applications had a company)."""
    company = request.company
    if company is not None and company.application:
        return company.application
    legacy = {"interview": "interviewing"}
    return legacy.get(request.person.outcome, request.person.outcome)


def chatted(request: Request) -> bool:
    return request.person.chat is not None and request.person.chat <= request.now


def personal(request: Request) -> bool:
    """Whether a first message has something of the user's own to say: who introduced
    you, a mutual contact, a shared school, a `hook`, the company's `interest` or `news`."""
    person, company = request.person, request.company
    return bool(
        person.introduced_by
        or person.mutual
        or alumni(request)
        or person.hook
        or (company and (company.interest or company.news))
    )


def _no_personal_line(request: Request) -> None:
    name = request.person.name
    company = label(request.person.company) or "their company"
    _refuse(
        f"nothing personal to say to {name}: share your in. Set a sentence to them with "
        f'coffeechat set {request.stem} hook="I enjoyed your talk on …", or add `interest:` '
        f"(why you are keen on {company}) or `news:` to the company note"
    )


def _check_first_message(request: Request) -> None:
    person = request.person
    if person.messaged and not request.force:
        _refuse(
            f"you messaged {person.name} on {person.messaged} already: "
            f"coffeechat draft nudge {request.stem}, or --force for a new first message"
        )
    if not request.config.looking_for:
        _refuse('set `looking_for` in coffeechat.toml, e.g. looking_for = "backend roles"')
    if person.connection == "intro" and not person.introduced_by:
        _refuse(
            f"who introduced you to {person.name}? coffeechat set {request.stem} "
            'introduced_by="Their Name" (outreach opens with them)'
        )
    if person.connection not in ("1st",) and not personal(request):
        _no_personal_line(request)


def _check_intro(request: Request) -> None:
    person = request.person
    if not request.config.looking_for:
        _refuse('set `looking_for` in coffeechat.toml, e.g. looking_for = "backend roles"')
    if person.introduced_by:
        _refuse(
            f"{person.name} was introduced already, by {label(person.introduced_by)}: "
            f"coffeechat draft outreach {request.stem}"
        )
    if person.connection == "1st":
        _refuse(
            f"you are connected with {person.name} already (`connection: 1st`): "
            f"coffeechat draft outreach {request.stem}"
        )
    if mutual_contact(request) is None:
        _refuse(
            f"no mutual contact for {person.name}: add who could introduce you, "
            f'coffeechat set {request.stem} mutual="Their Name"'
        )


def _check_connect(request: Request) -> None:
    person = request.person
    if request.channel == "email":
        _refuse("a connection note is for LinkedIn; use --channel linkedin")
    if person.connection == "1st":
        _refuse(
            f"you are connected with {person.name} already (`connection: 1st`); "
            f"write to them instead: coffeechat draft outreach {request.stem}"
        )
    if not chatted(request) and not personal(request):
        _no_personal_line(request)


def _check_nudge(request: Request) -> None:
    person, config, today = request.person, request.config, request.today
    if request.force:
        return
    if person.messaged is None:
        _refuse(f"{person.name} has not been messaged yet (no `messaged:`); draft outreach")
    elif person.replied:
        _refuse(f"{person.name} replied on {person.replied}; no nudge needed")
    elif person.nudged:
        _refuse(f"already nudged on {person.nudged}; one follow-up is enough")
    else:
        due = person.messaged + timedelta(days=config.nudge_after_days)
        if today < due:
            _refuse(
                f"too early: messaged {day_words(person.messaged, today)} "
                f"({plural((today - person.messaged).days, 'day')} ago); a nudge is due on "
                f"{due} (nudge_after_days = {config.nudge_after_days}); --force to draft it now"
            )


def _check_thanks(request: Request) -> None:
    person = request.person
    if person.chat is None:
        _refuse(
            f"no chat recorded for {person.name}: coffeechat mark {request.stem} chat --on WHEN"
        )
    elif person.chat > request.now and not request.force:
        _refuse(f"the chat is on {person.chat:%Y-%m-%d %H:%M}; thank them after it")
    elif person.thanked and not request.force:
        _refuse(
            f"you thanked {person.name} on {person.thanked} (`thanked:`); --force for "
            "another thank-you"
        )


def _check_helped(request: Request) -> None:
    """An update or an offer's news goes to people who helped, not to a cold contact."""
    person = request.person
    if request.force or helped(person, list(request.people), request.now):
        return
    _refuse(
        f"{person.name} has not helped with this search yet (no chat, referral or "
        "introduction), so there is nothing to thank them for; --force to draft it anyway"
    )


def _check_update(request: Request) -> None:
    _check_helped(request)
    if not application_status(request):
        company = label(request.person.company) or "their company"
        _refuse(
            f"no application status for {company}: set `application:` in its company note "
            "(applied, interviewing, offer, rejected or withdrawn)"
        )


def _check_offer(request: Request) -> None:
    _check_helped(request)
    if not request.offer_at and application_status(request) != "offer":
        _refuse(
            "where did you accept? --at COMPANY (or set `application: offer` in the note for "
            f"{label(request.person.company) or 'their company'})"
        )


@dataclass(frozen=True)
class DraftKind:
    """One kind of message: what it says, when it is refused, what records it once sent."""

    name: str
    says: str  # for --help and the README
    refuses: str  # for the README
    check: Callable[[Request], None]
    record: str  # the command to run once it is sent; {stem}, {to} and {to_name} filled in
    channel: str = "email"  # the default: email when the note has an address, else linkedin
    words: int = 0  # over this many words, a note says short messages get more replies
    to_mutual: bool = False  # written to their mutual contact, not to them

    @property
    def template(self) -> str:
        return f"{self.name}.txt"


KINDS: dict[str, DraftKind] = {
    kind.name: kind
    for kind in (
        DraftKind(
            "outreach",
            "the first message: who you are (who introduced you, a fellow graduate, no "
            "introduction to a 1st-degree contact), the posting, your `hook` or the company's "
            "`interest` or `news`, and a short call",
            "`messaged` is set (`--force` overrides); `looking_for` is not set; "
            "`connection: intro` without `introduced_by`; a cold message with nothing personal",
            _check_first_message,
            "mark {stem} messaged",
            words=120,
        ),
        DraftKind(
            "intro",
            "to their `mutual` contact: would they introduce you, naming both and why",
            "no `mutual:`; already introduced, or 1st-degree",
            _check_intro,
            'log {stem} "asked {to_name} for an introduction"',
            words=120,
            to_mutual=True,
        ),
        DraftKind(
            "connect",
            "a LinkedIn connection note, no ask: after a chat, thanks for it; before, one "
            "personal line",
            "`connection: 1st`; nothing personal before a chat; over LinkedIn's limit",
            _check_connect,
            "mark {stem} connected",
            channel="linkedin",
        ),
        DraftKind(
            "nudge",
            "the one follow-up: one line on who you are, the ask again",
            "not yet `nudge_after_days` since `messaged`, they replied, or you already nudged "
            "(`--force` overrides)",
            _check_nudge,
            "mark {stem} nudged",
            words=90,
        ),
        DraftKind(
            "thanks",
            "thanks for the chat, your `Thanks:` line, the referral (after a yes: your resume "
            "and the posting), your `Next:` line",
            "no chat, a chat still ahead, or `thanked` set (`--force` overrides)",
            _check_thanks,
            "mark {stem} thanked",
        ),
        DraftKind(
            "update",
            "how the application at their company stands (`application:`), thanks again",
            "no `application:` (nor an old `outcome:`); they have not helped (no chat, referral "
            "or introduction; `--force` overrides)",
            _check_update,
            "mark {stem} updated",
        ),
        DraftKind(
            "offer",
            "you accepted an offer (`application: offer`, or `--at COMPANY`), thanks",
            "neither; they have not helped (`--force` overrides)",
            _check_offer,
            "mark {stem} updated",
        ),
    )
}


def check(request: Request) -> None:
    """Refuse, with the reason and what to do, a draft that would be wrong or half-filled."""
    person, config = request.person, request.config
    kind = KINDS[request.kind]
    if not config.name.strip():
        _refuse('your name is not set: add `name = "Your Name"` to coffeechat.toml')
    if request.channel == "email" and not kind.to_mutual and not person.email:
        _refuse(
            f"no email for {person.name}: coffeechat set {request.stem} email=ADDRESS, "
            "or --channel linkedin"
        )
    kind.check(request)


def recipient(request: Request) -> Person:
    """Who reads the draft: them, or for an intro request their mutual contact."""
    if KINDS[request.kind].to_mutual:
        return mutual_contact(request) or request.person
    return request.person


def default_channel(kind: str, reader: Person) -> str:
    if KINDS[kind].channel == "linkedin" or not reader.email:
        return "linkedin"
    return "email"


def sayable(note: Person | Company, keys: tuple[Key, ...]) -> dict[str, Any]:
    """The values of a note's keys that a message may hold, by key name: facts as they are,
    written-to-them text as sentences; private keys are left out."""
    found: dict[str, Any] = {}
    for key in keys:
        if key.audience == "private":
            continue
        value = getattr(note, key.field)
        if key.audience == "them":
            value = as_sentence(str(value))
        found[key.name] = value
    return found


def _person_vars(person: Person) -> dict[str, Any]:
    values = sayable(person, PERSON_KEYS)
    values["first_name"] = _first_name(person.name)
    values["company"] = label(person.company) or "your company"
    return values


def context(request: Request) -> dict[str, Any]:
    """Every variable a template may use; the README lists them. Only keys whose audience
    is not private, and the call's `Thanks:` and `Next:` lines, reach it."""
    person, config, today = request.person, request.config, request.today
    chat_day = ""
    if person.chat is not None:
        chat_day = day_words(person.chat.astimezone(config.zone).date(), today)
    reader = recipient(request)
    helper = introducer(request)
    mutual = mutual_contact(request)
    lines = call_lines(request.body_text)
    resume = config.resume.strip()
    return {
        "channel": request.channel,
        "me": {
            "name": config.name,
            "first_name": _first_name(config.name),
            "school": config.school,
            "student": config.student,
            "looking_for": config.looking_for,
            "resume": resume,
            "resume_is_link": resume.startswith(("http://", "https://")),
            "chat_minutes": config.chat_minutes,
        },
        "them": _person_vars(reader),
        "about": _person_vars(person),
        "company": sayable(request.company or Company(file=""), COMPANY_KEYS),
        "introducer": _person_vars(helper) if helper else None,
        "mutual": _person_vars(mutual) if mutual else None,
        "alumni": alumni(request),
        "chatted": chatted(request),
        "status": application_status(request),
        "messaged_day": day_words(person.messaged, today) if person.messaged else "",
        "chat_day": chat_day,
        "thanks_line": as_sentence(lines["thanks"]),
        "next_step": as_sentence(lines["next"]),
        "offer_company": request.offer_at or label(person.company),
    }


def _quoted(request: Request, variables: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(where, key, text) for every written-to-them value the draft may quote."""
    for where, values in (
        ("their note", variables["about"]),
        ("the company note", variables["company"]),
    ):
        for key in (*PERSON_KEYS, *COMPANY_KEYS):
            if key.audience == "them" and values.get(key.name):
                yield where, key.name, values[key.name]
    for name, mark in CALL_LINES.items():
        text = variables["thanks_line" if name == "thanks" else "next_step"]
        if text:
            yield "the call notes", f"{mark[:-1]}: line", text


def _warnings(request: Request, variables: dict[str, Any], body: str) -> list[str]:
    """What the user should look at before sending: quoted values that read as notes, an
    agreed referral's missing resume or posting, a thank-you with nothing quoted."""
    found = []
    for where, key, text in _quoted(request, variables):
        hint = rephrase_hint(key, text, about_person=where != "the company note")
        if hint and text in body:
            found.append(f"{hint} ({where})")
    if request.kind == "thanks":
        if not variables["thanks_line"]:
            found.append(
                "no line to thank them for: add `Thanks: …` (a sentence to them) under the "
                "`### Call` section of their note to quote one"
            )
        if request.person.referral == "agreed":
            if not variables["me"]["resume"]:
                found.append("set `resume` in coffeechat.toml (a link, or the file you attach)")
            elif not variables["me"]["resume_is_link"]:
                found.append(f"attach your resume ({variables['me']['resume']}) before sending")
            if not variables["company"]["posting"]:
                company = label(request.person.company) or "their company"
                found.append(f"no posting for {company}: add `posting:` to its company note")
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


def make_draft(request: Request, template: Path) -> Draft:
    check(request)
    variables = context(request)
    text = render(template, variables)
    text = re.sub(r"[ \t]+\n", "\n", text).strip() + "\n"
    text = re.sub(r"(?m)^[ \t]+(?=\S)", "", text)  # a sentence left out before another
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)  # "Northwind Games, Inc.." at a sentence end
    subject, body = "", text
    first, _, rest = text.partition("\n")
    if first.startswith("Subject:"):
        subject, body = first.removeprefix("Subject:").strip(), rest.lstrip("\n")
    leftover = _LEFTOVERS.search(subject + "\n" + body)
    if leftover:
        line = (
            next(
                (
                    n
                    for n, text in enumerate(template.read_text().splitlines(), 1)
                    if "None" in text
                ),
                None,
            )
            if leftover.group(0) == "None"
            else None
        )
        raise TemplateError(
            template, line, f"the draft still holds `{leftover.group(0)}`; fix the template"
        )
    if request.channel == "linkedin":
        subject = ""
    reader = recipient(request)
    kind = KINDS[request.kind]
    draft = Draft(
        request.kind,
        request.channel,
        subject,
        body,
        reader.name,
        reader.email,
        record=kind.record.format(stem=request.stem, to_name=reader.name),
        warnings=tuple(_warnings(request, variables, body)),
    )
    if kind.words and word_count(body) > kind.words:
        draft = _with_warning(draft, f"{word_count(body)} words; short messages get more replies")
    if request.kind == "connect":
        limit = CONNECT_LIMITS[request.config.linkedin_account]
        over = len(draft.body.strip()) - limit
        if over > 0:
            _refuse(
                f"the connection note is {len(draft.body.strip())} characters, {over} over "
                f"LinkedIn's {limit} ({request.config.linkedin_account} account); shorten "
                f"{template.name} or the note's `hook:`"
            )
    return draft


def _with_warning(draft: Draft, warning: str) -> Draft:
    from dataclasses import replace

    return replace(draft, warnings=(*draft.warnings, warning))


def _introducers(people: list[Person]) -> set[str]:
    """The files of the people someone in `people` says introduced them."""
    from coffeechat.model.names import NoteIndex

    index = NoteIndex(people)
    found = (index.find(p.introduced_by) for p in people if p.introduced_by)
    return {helper.file for helper in found if helper is not None}


def helped(person: Person, people: list[Person], now: datetime) -> bool:
    """Whether they helped: a chat that took place, a referral agreed or given, or an
    introduction to someone in `people`."""
    return _helped(person, now, _introducers(people))


def _helped(person: Person, now: datetime, introducers: set[str]) -> bool:
    chatted = person.chat is not None and person.chat <= now
    return chatted or person.referral in ("agreed", "submitted") or person.file in introducers


def helpers(people: list[Person], now: datetime, leave_out: Person | None = None) -> list[Person]:
    """Everyone who helped, the people an offer's news goes to."""
    introducers = _introducers(people)
    return [
        person
        for person in people
        if (leave_out is None or person.file != leave_out.file)
        and _helped(person, now, introducers)
    ]


def first_draft(person: Person) -> str:
    """The draft that opens contact: an intro request for a 2nd-degree contact with a mutual
    contact named, else the outreach."""
    return "intro" if person.connection == "2nd" and person.mutual else "outreach"


def word_count(text: str) -> int:
    return len(text.split())


# One addr-spec: no spaces, controls, commas, brackets or quotes, one @, a dot in the domain.
_ADDRESS = re.compile(r'[^\s\x00-\x1f\x7f@<>(),;:"\[\]\\]+@[^\s\x00-\x1f\x7f@<>(),;:"\[\]\\]+')


def _refuse_value(person: Person, key: str, value: str, what: str) -> None:
    shown = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], value)
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    raise NoteError(
        Problem(person.path, person.key_lines.get(key), f"{key}: `{shown}` {what}; fix it")
    )


def check_eml(person: Person) -> None:
    """Refuse, naming the key, a name or email that cannot go into a `To:` header as one
    recipient: a line break or control in the name, anything but one address in `email:`."""
    if re.search(r"[\x00-\x1f\x7f]", person.name):
        _refuse_value(person, "name", person.name, "holds a line break or control character")
    check_email(person)


def check_email(person: Person) -> None:
    """Refuse, naming the key, an `email:` that is not one address (`.eml`, mailto, and the
    invitation's ATTENDEE all take exactly one)."""
    email = person.email.strip()
    if not _ADDRESS.fullmatch(email) or "." not in email.rpartition("@")[2]:
        _refuse_value(person, "email", person.email, "is not one address such as name@example.com")


def eml_bytes(draft: Draft, now: datetime, sender: tuple[str, str] = ("", "")) -> bytes:
    """An RFC 5322 message mail clients open as an unsent draft; From is `sender` (name,
    address) when the address is known."""
    from email.message import EmailMessage
    from email.utils import format_datetime, formataddr

    message = EmailMessage()
    if sender[1]:
        message["From"] = formataddr(sender)
    message["To"] = formataddr((draft.to_name, draft.to_email))
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(now)
    message["X-Unsent"] = "1"
    message.set_content(draft.body, charset="utf-8")
    return message.as_bytes()


def sample_request(config: Config, now: datetime) -> Request:
    """A person with every key filled, for `doctor` to render the vault's templates with."""
    person = Person(
        file="people/sample-person.md",
        name="Sample Person",
        company="Sample Co",
        role="Engineer",
        team="Platform",
        kind="engineer",
        email="sample@example.com",
        connection="2nd",
        mutual=("Mutual Person",),
        school=config.school,
        hook="I enjoyed your talk on sample data.",
        messaged=now.date() - timedelta(days=10),
        chat=now - timedelta(days=1),
        referral="agreed",
        outcome="interview",
    )
    company = Company(
        file="companies/sample-co.md",
        name="Sample Co",
        interest="I use your product every day.",
        news="Congratulations on the launch.",
        position="Engineer",
        posting="https://example.com/jobs/1",
        application="interviewing",
    )
    return Request(
        "outreach",
        person,
        company,
        config,
        now,
        "email",
        "## Notes\n\n### Call\n\n- Thanks: Your advice on the sample was a great help.\n",
        offer_at="Sample Co",
        force=True,
    )
