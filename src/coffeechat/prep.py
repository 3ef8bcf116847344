"""The prep sheet: one page that makes the user ready for a coffee chat.

Who they are and what time it is for them; what you share; questions picked for their
audience and spread over topics; a timed agenda with the referral ask at its minute; and what
to do afterwards. Saved sheets record the ids of their questions in their frontmatter, so a
later sheet for the same person or company asks something new.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from coffeechat.config import Config
from coffeechat.errors import UsageError
from coffeechat.note import Company, Person
from coffeechat.questions import REFERRAL_TOPIC, Bank, Question, lint
from coffeechat.vault import name_key, same_school
from coffeechat.zones import ContactZone

PREP_FOLDER = "prep"
# The ask needs a minute or two of answer, and the referral questions after it.
LAST_MINUTES = 3
FIRST_MINUTES = 2
REFERRAL_QUESTIONS = 3


@dataclass(frozen=True)
class Step:
    minute: int
    title: str
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sheet:
    person: Person
    who: list[str]
    openers: list[str]
    questions: list[tuple[Question, str]]
    ask: str | None  # None when the referral is already agreed
    agenda: list[Step]
    after: list[str]
    chat: datetime | None  # in the user's zone
    minutes: int


@dataclass(frozen=True)
class Links:
    """How the sheet points at notes: paths on stdout, Obsidian wikilinks once saved."""

    note: str
    company: str | None


def audience_of(person: Person) -> str:
    return person.kind if person.kind in ("engineer", "manager", "recruiter") else "any"


def placeholder_values(person: Person, config: Config) -> dict[str, str]:
    return {
        "company": person.company,
        "role": person.role,
        "previous": person.previous[0] if person.previous else "",
        "team": person.team,
        "my_goal": config.looking_for,
    }


def choose_questions(
    person: Person,
    banks: list[Bank],
    values: dict[str, str],
    used: set[str],
    day: str,
    count: int,
) -> list[tuple[Question, str]]:
    """`count` questions for the person's audience, one topic after another, placeholders
    filled, none flagged by the lint or used in an earlier saved sheet; the same person on
    the same day gets the same ones."""
    audience = audience_of(person)
    seed = hashlib.sha256(f"{person.path.stem}|{day}".encode()).hexdigest()
    rng = random.Random(seed)
    by_topic: dict[str, list[tuple[Question, str]]] = defaultdict(list)
    for bank in banks:
        if bank.topic == REFERRAL_TOPIC or bank.audience not in (audience, "any"):
            continue
        for question in bank.questions:
            text = question.fill(values)
            if text is None or question.id in used or lint(question.text):
                continue
            by_topic[bank.topic].append((question, text))
    for options in by_topic.values():
        rng.shuffle(options)
        # Questions written for their audience come before those for anyone.
        options.sort(key=lambda pair: pair[0].audience == "any")
    topics = sorted(by_topic)
    rng.shuffle(topics)
    # Topics with questions written for their audience first: a recruiter's process, say.
    topics.sort(key=lambda topic: by_topic[topic][0][0].audience == "any")
    chosen: list[tuple[Question, str]] = []
    taken: set[str] = set()  # one question per cluster of near-duplicates
    while len(chosen) < count and any(by_topic[topic] for topic in topics):
        for topic in topics:
            by_topic[topic] = [pair for pair in by_topic[topic] if pair[0].group not in taken]
            if by_topic[topic] and len(chosen) < count:
                chosen.append(by_topic[topic].pop(0))
                taken.add(chosen[-1][0].group)
    return chosen


def referral_questions(banks: list[Bank], values: dict[str, str], audience: str) -> list[str]:
    """The first few questions of the referral-process bank for the audience (the one for
    anyone when it has none), in its order."""
    found: list[str] = []
    referral = [bank for bank in banks if bank.topic == REFERRAL_TOPIC]
    audience = audience if any(bank.audience == audience for bank in referral) else "any"
    for bank in referral:
        if bank.audience == audience:
            for question in bank.questions:
                text = question.fill(values)
                if text and len(found) < REFERRAL_QUESTIONS:
                    found.append(text)
    return found


def ask_wording(person: Person, config: Config) -> str | None:
    """What to say at the ask minute: for a recruiter, the right role and the process; for a
    1st-degree or introduced contact, a direct question; for others, a lighter one."""
    if person.referral in ("agreed", "submitted"):
        return None
    company = person.company or "the company"
    goal = config.looking_for or "a role there"
    if person.kind == "recruiter":
        return (
            f"From what you have heard about me, which opening at {company} fits best, and what "
            "is the best way for me to be considered for it?"
        )
    if person.connection in ("1st", "intro"):
        return (
            f"I'd like to apply to {company} for {goal}. Would you be comfortable referring me, "
            "or is there someone on your team you'd rather I ask?"
        )
    return (
        f"This has made me even keener on {company}. Would it make sense for me to look for a "
        "referral, from you or from someone you think knows my kind of work better?"
    )


def _who(
    person: Person,
    contact: ContactZone,
    chat: datetime | None,
    now: datetime,
    config: Config,
    links: Links,
) -> list[str]:
    from coffeechat import formatters

    lines = []
    title = ", ".join(part for part in (person.role, person.team) if part)
    at = f" at {person.company}" if person.company else ""
    if title or at:
        lines.append(f"**{title or 'Works'}**{at}")
    facts = [
        value
        for value in (
            person.kind,
            person.seniority,
            person.connection and f"{person.connection} connection",
        )
        if value
    ]
    if facts:
        lines.append(" · ".join(facts))
    if contact.zone:
        local = now.astimezone(ZoneInfo(contact.zone))
        where = person.location or contact.zone
        lines.append(
            f"{where}: {formatters.clock_time(local)} {formatters.zone_abbreviation(local)} "
            f"there now ({contact.zone})"
        )
    elif person.location:
        lines.append(f"{person.location} (time zone unknown; set `timezone:`)")
    if chat:
        lines.append(f"Chat: {formatters.both_sides(chat, config.zone, contact.zone)}")
    note_links = [f"Note: {links.note}"]
    if links.company:
        note_links.append(f"Company: {links.company}")
    lines.append(" · ".join(note_links))
    return lines


def _openers(person: Person, company: Company | None, config: Config) -> list[str]:
    lines = []
    shared_school = same_school(person, config)
    if shared_school:
        lines.append(f"You both went to {person.school}.")
    if person.connection == "1st":
        lines.append("You are connected on LinkedIn.")
    elif person.connection == "intro":
        lines.append("Someone introduced you: thank them by name.")
    elif person.connection == "alumni" and not shared_school:
        lines.append("You are fellow alumni.")
    elif person.connection == "2nd":
        lines.append("You have connections in common: mention who you both know.")
    lines += [f"In common: {item}" for item in person.common]
    mine = {name_key(name) for name in config.my_companies}
    both = [name for name in person.previous if name_key(name) in mine]
    if person.company and name_key(person.company) in mine:
        both.insert(0, person.company)
    if both:
        lines.append(f"You both know {', '.join(both)} from the inside.")
    if company:
        if company.in_:
            lines.append(f"Your way in: {company.in_}")
        if company.stack:
            lines.append(f"Their stack: {', '.join(company.stack)}")
        if company.hiring and company.hiring != "unknown":
            lines.append(f"Hiring: {company.hiring}")
    return lines


def agenda(
    minutes: int, ask_at: int, ask: str | None, referral_lines: list[str], config: Config
) -> list[Step]:
    """The call, minute by minute, with the ask at `ask_at`."""
    if not FIRST_MINUTES <= ask_at <= minutes - LAST_MINUTES:
        raise UsageError(
            f"the referral ask at minute {ask_at} does not fit a {minutes}-minute chat: it "
            f"goes between minute {FIRST_MINUTES} and {minutes - LAST_MINUTES}, leaving time "
            "for their answer and the wrap-up"
        )
    intro = "Thank them for their time; say in two sentences who you are"
    if config.looking_for:
        intro += f" and that you are looking into {config.looking_for}"
    steps = [
        Step(0, "Thanks and introductions", [intro + "."]),
        Step(
            FIRST_MINUTES,
            "Questions",
            ["Ask from the list above; follow whatever they light up about."],
        ),
    ]
    if ask is None:
        steps.append(
            Step(
                ask_at,
                "The referral",
                ["They have agreed to refer you: no need to ask. Confirm the next step."],
            )
        )
    else:
        steps.append(Step(ask_at, "**Ask about the referral**", [f"“{ask}”"]))
    steps.append(Step(ask_at + 1, "How referrals work there", referral_lines))
    steps.append(
        Step(
            minutes - 2,
            "Wrap up",
            [
                "Thank them, and ask who else would be worth talking to.",
                "Say you will send a note tomorrow, and keep them posted.",
            ],
        )
    )
    steps.append(Step(minutes, "End on time", []))
    return steps


def after_the_call(person: Person) -> list[str]:
    stem = person.path.stem
    lines = [f'Write down what you learned: `coffeechat log {stem} "…"` or the note itself.']
    if person.connection != "1st" and person.linkedin:
        lines.append(f"Send a connection request: {person.linkedin}")
    elif person.connection != "1st":
        lines.append("Send a LinkedIn connection request, so you can reach them later.")
    lines.append(f"Tomorrow: `coffeechat draft thanks {stem}`, send it, mark it thanked.")
    lines.append(f"When you hear about the application: `coffeechat draft update {stem}`.")
    return lines


def build_sheet(
    person: Person,
    company: Company | None,
    config: Config,
    banks: list[Bank],
    used: set[str],
    contact: ContactZone,
    now: datetime,
    links: Links,
    minutes: int,
    ask_at: int,
    count: int,
) -> Sheet:
    values = placeholder_values(person, config)
    day = now.astimezone(config.zone).date().isoformat()
    ask = ask_wording(person, config)
    chat = person.chat.astimezone(config.zone) if person.chat else None
    return Sheet(
        person=person,
        who=_who(person, contact, chat, now, config, links),
        openers=_openers(person, company, config),
        questions=choose_questions(person, banks, values, used, day, count),
        ask=ask,
        agenda=agenda(
            minutes, ask_at, ask, referral_questions(banks, values, audience_of(person)), config
        ),
        after=after_the_call(person),
        chat=chat,
        minutes=minutes,
    )


def markdown(sheet: Sheet, frontmatter: str = "") -> str:
    """The sheet as Markdown; a saved sheet starts with its frontmatter."""
    person = sheet.person
    heading = f"# Coffee chat: {person.name}" + (f" ({person.company})" if person.company else "")
    out = [frontmatter + heading if frontmatter else heading, ""]
    out += [f"{line}  " for line in sheet.who[:-1]] + [sheet.who[-1], ""]
    if sheet.openers:
        out += ["## Openers", ""] + [f"- {line}" for line in sheet.openers] + [""]
    if sheet.questions:
        out += ["## Questions", ""]
        out += [f"{number}. {text}" for number, (_, text) in enumerate(sheet.questions, 1)]
        out.append("")
    out += [f"## The {sheet.minutes} minutes", ""]
    for step in sheet.agenda:
        when = f"{step.minute} min"
        if sheet.chat:
            from coffeechat.formatters import clock_time

            when += f" · {clock_time(sheet.chat + timedelta(minutes=step.minute))}"
        out.append(f"- **{when}** — {step.title}")
        out += [f"  - {line}" for line in step.lines]
    out += ["", "## After the call", ""] + [f"- [ ] {line}" for line in sheet.after]
    return "\n".join(out) + "\n"


def sheet_path(root: Path, person: Person, day: str) -> Path:
    """Where `prep --save` keeps the day's sheet for a person."""
    from coffeechat.files import slugify

    return root / PREP_FOLDER / f"{day}-{slugify(person.name, fallback='person')}.md"


def used_question_ids(root: Path, person: Person, leave_out: Path | None = None) -> set[str]:
    """Question ids in earlier saved sheets for this person or anyone at their company
    (`leave_out`: today's sheet, which a second --save replaces)."""
    from coffeechat.errors import NoteError
    from coffeechat.notefile import read_note

    folder = root / PREP_FOLDER
    if not folder.is_dir():
        return set()
    used: set[str] = set()
    for path in sorted(folder.glob("*.md")):
        if path == leave_out:
            continue
        try:
            _, front = read_note(path)
        except NoteError:
            continue
        values = front.values
        same_person = values.get("person") == person.path.stem
        same_company = bool(person.company) and name_key(str(values.get("company", ""))) == (
            name_key(person.company)
        )
        if (same_person or same_company) and isinstance(values.get("questions"), list):
            used.update(str(item) for item in values["questions"])
    return used


def saved_frontmatter(sheet: Sheet, day: str) -> str:
    from coffeechat.notefile import emit_scalar

    person = sheet.person
    lines = [
        "---",
        f"person: {emit_scalar(person.path.stem)}",
        f"company: {emit_scalar(person.company)}" if person.company else "",
        f"date: {day}",
        "questions: [" + ", ".join(emit_scalar(q.id) for q, _ in sheet.questions) + "]",
        "---",
        "",
    ]
    return "\n".join(line for line in lines if line) + "\n"


PRINT_CSS = """
@page { size: auto; margin: 12mm 14mm; }
body { font: 10pt/1.3 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: #111; max-width: 46em; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 11pt; margin: 8pt 0 3pt; border-bottom: 1px solid #ccc; }
p { margin: 2pt 0; }
ul, ol { margin: 2pt 0; padding-left: 18pt; }
li { margin: 1pt 0; }
li > ul { margin: 0; }
strong { color: #000; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def html_page(markdown_text: str, title: str) -> str:
    """One self-contained printable page: no scripts, no external files."""
    import html

    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False, "typographer": False}).render(markdown_text)
    body = body.replace("<li>[ ] ", "<li>\u2610 ")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )
