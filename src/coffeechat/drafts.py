"""Message drafts: outreach, connection note, nudge, thank-you, update, offer news.

Each kind is a Jinja2 template shipped in `templates/`; a file of the same name in the vault's
`templates/` folder replaces it. Templates are the user's text, so they render in Jinja2's
sandbox (no attribute tricks, no includes, no file access), every undefined name is an error
with the template's `file:line`, and a draft with a leftover `{{`, `[name]` or `None` is
refused rather than printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from coffeechat.config import Config
from coffeechat.errors import CoffeechatError, NoteError, Problem
from coffeechat.names import label
from coffeechat.note import Company, Person
from coffeechat.timefmt import plural

KINDS = ("outreach", "connect", "nudge", "thanks", "update", "offer")
SHIPPED = Path(__file__).parent / "templates"
VAULT_FOLDER = "templates"
WORD_LIMIT = 120
CONNECT_LIMITS = {"free": 200, "premium": 300}
# What to run once the draft is sent.
RECORDS = {
    "outreach": "mark {stem} messaged",
    "connect": 'log {stem} "sent a connection request"',
    "nudge": "mark {stem} nudged",
    "thanks": "mark {stem} thanked",
    "update": "mark {stem} updated",
    "offer": "mark {stem} updated",
}
_LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\[[A-Za-z_][A-Za-z_ ]*\]|\bNone\b|\bundefined\b")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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

    @property
    def text(self) -> str:
        """The draft as printed and saved: the subject first when there is one."""
        return (f"Subject: {self.subject}\n\n" if self.subject else "") + self.body


def template_path(kind: str, vault_root: Path | None) -> Path:
    if vault_root is not None:
        mine = vault_root / VAULT_FOLDER / f"{kind}.txt"
        if mine.is_file():
            return mine
    return SHIPPED / f"{kind}.txt"


def _read_template(path: Path) -> str:
    from coffeechat.sandbox import TEMPLATE_BYTES

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
    """`path` rendered in the sandbox with `context`, under the limits `coffeechat.sandbox`
    sets (time, size, no includes); any failure names the file and line."""
    import jinja2
    from jinja2 import nodes

    from coffeechat import sandbox

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

    from coffeechat.sandbox import LimitExceeded

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


def call_highlight(body_text: str) -> str:
    """What they said, from the latest `### Call` section inside `## Notes`: a line marked
    with `!` wins, else the section's first bullet; empty when there is none."""
    from coffeechat.body import headings, section_lines

    bounds = section_lines(body_text, "Notes")
    if bounds is None:
        return ""
    lines = body_text.splitlines()
    calls = [
        h
        for h in headings(body_text)
        if h.level == 3 and bounds[0] < h.line < bounds[1] and h.title.lower().startswith("call")
    ]
    if not calls:
        return ""
    start = calls[-1].line + 1
    later = [h.line for h in headings(body_text) if start <= h.line < bounds[1]]
    section = lines[start : min([bounds[1], *later])]
    bullets = [
        line.strip()[2:].strip() for line in section if line.strip().startswith(("- ", "* "))
    ]
    marked = [text[1:].strip() for text in bullets if text.startswith("!")]
    marked += [line.strip()[1:].strip() for line in section if line.strip().startswith("!")]
    chosen = marked[0] if marked else (bullets[0] if bullets else "")
    return chosen.rstrip(".")


def shared_ground(person: Person, config: Config) -> list[str]:
    """Ready-to-say things in common: the school first, then the note's `common`."""
    from coffeechat.names import same_school

    found = []
    if same_school(person, config):
        found.append(person.school)
    found += person.common
    return found


@dataclass(frozen=True)
class Request:
    kind: str
    person: Person
    company: Company | None
    config: Config
    now: datetime
    channel: str
    body_text: str  # the person's note body, for call notes
    offer_at: str | None = None
    force: bool = False


def _refuse(message: str) -> None:
    raise CoffeechatError(message)


def check(request: Request) -> None:
    """Refuse, with the reason and what to do, a draft that would be wrong or half-filled."""
    person, config, stem = request.person, request.config, request.person.path.stem
    if not config.name.strip():
        _refuse('your name is not set: add `name = "Your Name"` to coffeechat.toml')
    if request.channel == "email" and not person.email:
        _refuse(
            f"no email for {person.name}: coffeechat set {stem} email=ADDRESS, "
            "or --channel linkedin"
        )
    if request.kind == "outreach" and not config.looking_for:
        _refuse('set `looking_for` in coffeechat.toml, e.g. looking_for = "backend roles"')
    if request.kind == "connect" and request.channel == "email":
        _refuse("a connection note is for LinkedIn; use --channel linkedin")
    today = request.now.astimezone(config.zone).date()
    if request.kind == "nudge" and not request.force:
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
                    f"{due} "
                    f"(nudge_after_days = {config.nudge_after_days}); --force to draft it now"
                )
    if request.kind == "thanks":
        if person.chat is None:
            _refuse(f"no chat recorded for {person.name}: coffeechat mark {stem} chat --on WHEN")
        elif person.chat > request.now and not request.force:
            _refuse(f"the chat is on {person.chat:%Y-%m-%d %H:%M}; thank them after it")
        elif not call_highlight(request.body_text) and not request.force:
            _refuse(
                f"no call notes for {person.name}: add a `### Call` section with what they said "
                "under `## Notes` (or use `coffeechat call`), or --force for a draft without it"
            )
    if request.kind == "update" and not person.outcome:
        _refuse(
            f"no outcome yet: coffeechat set {stem} outcome=interview (or offer, rejected, "
            "withdrawn)"
        )
    if request.kind == "offer" and not request.offer_at and person.outcome != "offer":
        at = label(person.company)
        _refuse(f"where did you accept? --at COMPANY (or set outcome=offer for {at})")


def context(request: Request) -> dict[str, Any]:
    """Every variable a template may use; the README lists them."""
    person, config = request.person, request.config
    today = request.now.astimezone(config.zone).date()
    chat_day = ""
    if person.chat is not None:
        chat_day = day_words(person.chat.astimezone(config.zone).date(), today)
    company = request.company
    return {
        "channel": request.channel,
        "me": {
            "name": config.name,
            "first_name": _first_name(config.name),
            "school": config.school,
            "student": config.student,
            "looking_for": config.looking_for,
        },
        "them": {
            "name": person.name,
            "first_name": _first_name(person.name),
            "company": label(person.company) or "your company",
            "role": person.role,
            "team": person.team,
            "kind": person.kind,
            "connection": person.connection,
        },
        "shared": shared_ground(person, config),
        "way_in": company.in_ if company else "",
        "news": company.news if company else "",
        "messaged_day": day_words(person.messaged, today) if person.messaged else "",
        "chat_day": chat_day,
        "said": call_highlight(request.body_text),
        "referral": person.referral,
        "outcome": person.outcome,
        "offer_company": request.offer_at or label(person.company),
    }


def make_draft(request: Request, template: Path) -> Draft:
    check(request)
    variables = context(request)
    if request.kind == "connect" and not (
        variables["shared"] or variables["news"] or variables["way_in"]
    ):
        _refuse(
            f"nothing personal to mention to {request.person.name}: add `common:` to their "
            "note, or `in:` or `news:` to the company note"
        )
    text = render(template, variables)
    text = re.sub(r"[ \t]+\n", "\n", text).strip() + "\n"
    text = re.sub(r"\n{3,}", "\n\n", text)
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
    draft = Draft(
        request.kind,
        request.channel,
        subject,
        body,
        request.person.name,
        request.person.email,
    )
    if request.kind == "connect":
        limit = CONNECT_LIMITS[request.config.linkedin_account]
        over = len(draft.body.strip()) - limit
        if over > 0:
            _refuse(
                f"the connection note is {len(draft.body.strip())} characters, {over} over "
                f"LinkedIn's {limit} ({request.config.linkedin_account} account); shorten "
                f"{template.name} or the note's `common:`"
            )
    return draft


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
        connection="alumni",
        school=config.school,
        common=("the same bootcamp",),
        messaged=now.date() - timedelta(days=10),
        chat=now - timedelta(days=1),
        referral="agreed",
        outcome="interview",
    )
    company = Company(file="companies/sample-co.md", name="Sample Co", in_="a friend")
    return Request(
        "outreach",
        person,
        company,
        config,
        now,
        "email",
        "## Notes\n\n### Call\n\n- a sample remark\n",
        offer_at="Sample Co",
        force=True,
    )
