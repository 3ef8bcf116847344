"""The prep sheet: one page that makes the user ready for a coffee chat.

Who they are and what time it is for them; what you share; three must-ask questions and a few
backups, picked for their audience, spread over topics and never two from one cluster of
near-duplicates; a timed agenda with the referral ask about two thirds in; and what to do
afterwards. The sheet knows where things stand: no ask after a decline or once the referral is
asked for or agreed, a warning when the chat is past or the contact closed.

`plan_for` is the part the live call shares: the questions, the ask, its minute and the
referral block. `build_sheet` adds the rest of the page, `markdown` and `sheet_record` render
it. Saved sheets record the ids of their questions in their frontmatter, so a later sheet for
the same person or company asks something new.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from coffeechat.core.errors import UsageError
from coffeechat.model.config import Config
from coffeechat.model.names import company_key, label, name_key, parse_link, same_school, wikilink
from coffeechat.model.note import Company, Person, stage
from coffeechat.prep.plans import KeptPlan
from coffeechat.prep.questions import REFERRAL_TOPIC, Bank, Question, lint
from coffeechat.prep.research import Research
from coffeechat.store.layout import Layout
from coffeechat.when.zones import ContactZone

# The ask needs a minute or two of answer, and the referral questions after it.
LAST_MINUTES = 3
FIRST_MINUTES = 2
MUST_ASK = 3
DEFAULT_COUNT = 6  # three must-ask questions and three backups
# The topics the must-ask questions come from, in order, for each audience; the backups come
# from the other topics, in an order that changes from person to person.
MUST_TOPICS = {
    "engineer": ("role-elsewhere", "day-to-day", "challenges"),
    "manager": ("team-and-culture", "challenges", "hiring-and-referrals"),
    "recruiter": ("hiring-and-referrals", "openings", "advice"),
    "any": ("role-elsewhere", "challenges", "team-and-culture"),
}
# Titles that mean the person leads: they hire, or decide who is hired.
LEADER_TITLES = (
    (re.compile(r"\bco-?founder\b|\bfounder\b", re.I), "founder"),
    (re.compile(r"\b(cto|ceo|coo|chief [a-z]+ officer)\b", re.I), "executive"),
    (re.compile(r"\b(vp|svp|evp|vice[- ]president)\b", re.I), "VP"),
    (re.compile(r"\bhead of\b|^head\b", re.I), "head of"),
    (re.compile(r"\bdirector\b", re.I), "director"),
)


@dataclass(frozen=True)
class Picked:
    question: Question
    text: str  # placeholders filled
    must: bool
    source: str = "bank"  # bank, notes (the user's own) or company (from its note)


@dataclass(frozen=True)
class Plan:
    """What the sheet and the live call share: the same questions in the same order, the same
    ask at the same minute, the same block after it."""

    questions: list[Picked]
    minutes: int
    ask_at: int
    ask: str | None  # None: no ask on this call (settled, declined, asked already, closed)
    cues: list[str]  # beside the ask: when to skip it or go straight on
    referral_title: str
    referral: list[str]  # after the ask, or in its place
    kept: tuple[str, ...] = ()  # the ids for the chat's kept plan (all but the note's own)


@dataclass(frozen=True)
class Step:
    minute: int
    title: str
    lines: list[str] = field(default_factory=list)
    key: bool = False  # the ask: bold on the sheet


@dataclass(frozen=True)
class Sheet:
    person: Person
    who: list[str]
    warnings: list[str]
    openers: list[str]
    research: list[str]  # the note's Prep/Research section and callouts
    last_call: tuple[str, list[str]] | None  # heading and lines of the last `### Call`
    plan: Plan
    agenda: list[Step]
    after: list[str]
    chat: datetime | None  # in the user's zone
    upcoming: bool  # the chat is still ahead

    @property
    def questions(self) -> list[Picked]:
        return self.plan.questions

    @property
    def minutes(self) -> int:
        return self.plan.minutes


@dataclass(frozen=True)
class Links:
    """How the sheet points at notes: paths on stdout, Obsidian wikilinks once saved."""

    note: str
    company: str | None


def audience_of(person: Person) -> str:
    return person.kind if person.kind in ("engineer", "manager", "recruiter") else "any"


def leader_title(person: Person) -> str:
    """founder, executive, VP, head of or director, from `seniority` or else the role; "" when
    neither says so."""
    for text in (person.seniority, person.role):
        for pattern, title in LEADER_TITLES:
            if text and pattern.search(text):
                return title
    return ""


def seniority_of(person: Person) -> str:
    """What the sheet shows as their seniority: the note's, else a leader's title."""
    return person.seniority or leader_title(person)


def ask_family(person: Person) -> str:
    """Whom the referral part is for: a `recruiter` (which opening, how to apply, timeline);
    someone `hiring` (a manager, lead, founder or executive: is there a place for me, how to
    apply); else a `colleague` who could refer you."""
    if person.kind == "recruiter":
        return "recruiter"
    if person.kind == "manager" or leader_title(person):
        return "hiring"
    return "colleague"


def placeholder_values(person: Person, config: Config) -> dict[str, str]:
    return {
        "company": label(person.company),
        "role": person.role,
        "previous": person.previous[0] if person.previous else "",
        "team": person.team,
        "my_goal": config.looking_for,
    }


def ask_minute(minutes: int, ask_at: int | None, config: Config) -> int:
    """The minute of the ask: `ask_at` when given; else `ask_at_minute`, which is the minute
    for a call of `chat_minutes` and scales with other lengths (10 of 15 is 20 of 30). A
    minute given (or set for the usual length) that does not fit is refused; a scaled one is
    kept inside the call."""
    if ask_at is None and minutes != config.chat_minutes:
        share = config.ask_at_minute * minutes
        scaled = (share + config.chat_minutes // 2) // config.chat_minutes
        return min(max(scaled, FIRST_MINUTES), minutes - LAST_MINUTES)
    chosen = config.ask_at_minute if ask_at is None else ask_at
    if not FIRST_MINUTES <= chosen <= minutes - LAST_MINUTES:
        raise UsageError(
            f"the referral ask at minute {chosen} does not fit a {minutes}-minute chat: it "
            f"goes between minute {FIRST_MINUTES} and {minutes - LAST_MINUTES}, leaving time "
            "for their answer and the wrap-up"
        )
    return chosen


def choose_questions(
    person: Person,
    banks: list[Bank],
    values: dict[str, str],
    used: set[str],
    seed_text: str,
    count: int,
    taken: set[str] | None = None,
    kept: Sequence[str] = (),
    later: set[str] | None = None,
) -> list[tuple[Question, str]]:
    """`count` questions for the person's audience, placeholders filled, none flagged by the
    lint, in `used` (asked in an earlier chat with them or their company), or from a cluster
    already `taken`. The `kept` ones (the chat's plan) come first, in their order, as long as
    they still fit; then the must-ask topics of the audience; the rest go round the other
    topics, those in `later` last. The same seed gives the same ones, and a shorter list is
    the start of a longer one."""
    audience = audience_of(person)
    seed = hashlib.sha256(seed_text.encode()).hexdigest()
    rng = random.Random(seed)
    by_topic: dict[str, list[tuple[Question, str]]] = defaultdict(list)
    by_id: dict[str, tuple[Question, str]] = {}
    for bank in banks:
        if bank.topic == REFERRAL_TOPIC or bank.audience not in (audience, "any"):
            continue
        for question in bank.questions:
            text = question.fill(values)
            if text is None or lint(question.text):
                continue
            by_id.setdefault(question.id, (question, text))
            if question.id not in used:
                by_topic[bank.topic].append((question, text))
    taken = set(taken or ())
    chosen: list[tuple[Question, str]] = []
    for question_id in kept:
        if question_id in by_id and len(chosen) < count:
            question, text = by_id[question_id]
            if question.group not in taken:
                chosen.append((question, text))
                taken.add(question.group)
    for options in by_topic.values():
        rng.shuffle(options)
        # Questions written for their audience come before those for anyone.
        options.sort(key=lambda pair: pair[0].audience == "any")
    must_topics = [topic for topic in MUST_TOPICS[audience] if by_topic.get(topic)]
    others = sorted(set(by_topic) - set(must_topics))
    rng.shuffle(others)
    # Topics with questions written for their audience first: a recruiter's process, say.
    others.sort(key=lambda topic: by_topic[topic][0][0].audience == "any")
    # A topic the sheet already asks about (from the company note) goes after the others.
    others.sort(key=lambda topic: topic in (later or ()))
    topics = must_topics + others
    while len(chosen) < count and any(by_topic[topic] for topic in topics):
        for topic in topics:
            by_topic[topic] = [pair for pair in by_topic[topic] if pair[0].group not in taken]
            if by_topic[topic] and len(chosen) < count:
                question, text = by_topic[topic].pop(0)
                chosen.append((question, text))
                taken.add(question.group)
    return chosen


def _sentence_list(items: Sequence[str]) -> str:
    items = [item for item in items if item][:4]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def company_question(person: Person, company: Company | None) -> Question | None:
    """One question from what the company note records, for the person's audience: its stack
    for an engineer, its news for a manager, its hiring state for a recruiter, each falling back
    on the others. Each shares a cluster with the bank questions on the same topic, so a sheet
    never asks both."""
    if company is None:
        return None
    name = company.name or label(person.company)
    path = company.path
    found: dict[str, Question] = {}
    if company.stack:
        found["stack"] = Question(
            f"{name} works in {_sentence_list(company.stack)}: which of them shapes your day "
            "most, and what would you change?",
            "any",
            "technology",
            path,
            0,
            cluster="the team's tools",
        )
    if company.news:
        news = company.news.strip().rstrip(".")
        found["news"] = Question(
            f"From where you sit, what has changed for your team since the news ({news})?",
            "any",
            "company news",
            path,
            0,
        )
    hiring = {
        "growth": f"With {name} hiring to grow, what helps the people joining now find their feet?",
        "entry": f"What helps someone early in their career do well at {name}, from what you "
        "have seen?",
        "frozen": f"With hiring slow at {name} for now, how would you keep an eye out so that "
        "you hear when it opens again?",
    }.get(company.hiring)
    if hiring:
        cluster = "watching for openings" if company.hiring == "frozen" else "the first months"
        found["hiring"] = Question(hiring, "any", "openings", path, 0, cluster=cluster)
    order = {
        "recruiter": ("hiring", "news"),
        "manager": ("news", "hiring", "stack"),
    }.get(person.kind, ("stack", "news", "hiring"))
    return next((found[kind] for kind in order if kind in found), None)


def referral_questions(
    banks: list[Bank], values: dict[str, str], family: str, count: int
) -> list[Question]:
    """The first `count` questions, in the bank's order, of the referral-process bank for the
    family: recruiters', managers' (for anyone hiring) or the one for anyone."""
    referral = [bank for bank in banks if bank.topic == REFERRAL_TOPIC]
    audience = {"recruiter": "recruiter", "hiring": "manager"}.get(family, "any")
    if not any(bank.audience == audience for bank in referral):
        audience = "any"
    found: list[Question] = []
    for bank in referral:
        if bank.audience == audience:
            found += [q for q in bank.questions if q.fill(values) and not lint(q.text)]
    return found[:count]


def ask_wording(person: Person, config: Config) -> str:
    """What to say at the ask minute: a recruiter whether they would look out for your
    application; someone hiring whether there is a place for you; a 1st-degree or introduced
    colleague directly for a referral; anyone else more lightly."""
    company = label(person.company) or "the company"
    goal = config.looking_for
    family = ask_family(person)
    if family == "recruiter":
        return (
            f"I'd really like to be considered at {company}"
            + (f" for {goal}" if goal else "")
            + ". Would you keep an eye out for my application, or pass my name on?"
        )
    if family == "hiring":
        return (
            f"Everything you've told me makes me keen on {company}. Is there a place on your "
            f"team, or elsewhere there, for someone looking for {goal or 'work like mine'}?"
        )
    if person.connection in ("1st", "intro"):
        plan = (
            f"I'm planning to apply for {goal} at {company}."
            if goal
            else (f"I'm planning to apply to {company}.")
        )
        return (
            f"{plan} Would you be comfortable referring me, or is there someone on your team "
            "you'd rather I ask?"
        )
    return (
        f"This has made me even keener on {company}. Would it make sense for me to look for a "
        "referral, from you or from someone you think knows my kind of work better?"
    )


def _day(moment: date) -> str:
    return f"{moment.strftime('%a %b')} {moment.day}"


def _referral_part(
    person: Person, config: Config, block: list[str], now: datetime
) -> tuple[str | None, list[str], str, list[str]]:
    """The ask (or None), the cues beside it, and the title and lines of the part after it
    (or in its place), for where the referral and the application stand."""
    first = person.name.split()[0]
    family = ask_family(person)
    title = {"recruiter": "Applying there", "hiring": "How to apply"}.get(
        family, "How referrals work there"
    )
    if person.outcome in ("offer", "rejected", "withdrawn"):
        lines = {
            "offer": ["You have an offer: nothing to ask. Thank them for their part in it."],
            "rejected": [
                "The application has ended: nothing to ask. Say what you learned, and that "
                "you would like to hear if a role opens on their team later."
            ],
            "withdrawn": [
                "You withdrew the application: nothing to ask. Keep the door open for later."
            ],
        }[person.outcome]
        return None, [], "The application", lines
    if person.referral == "declined":
        company = label(person.company) or "the company"
        return (
            None,
            [],
            "The referral",
            [
                f"{first} declined to refer you: don't ask again. Ask who else at {company} would "
                "be worth talking to."
            ],
        )
    if person.outcome == "interview":
        return (
            None,
            [],
            "The interview",
            [
                "You have an interview: ask how they would prepare for it, and thank them for "
                "their part."
            ],
        )
    if person.referral == "submitted":
        if person.applied:
            line = (
                f"They submitted the referral and you applied on {_day(person.applied)}: ask "
                "whether they have heard anything, and what usually comes next."
            )
        else:
            line = (
                "They submitted the referral and you have not applied yet: ask whether to "
                "apply online now, and how."
            )
        return None, [], "The referral", [line]
    if person.referral == "agreed":
        return (
            None,
            [],
            "The referral",
            [
                "They agreed to refer you: no need to ask. Settle what is left:",
                *block,
            ],
        )
    if person.referral == "asked":
        when = f" on {_day(person.chat.astimezone(config.zone))}" if person.chat else ""
        return (
            None,
            [],
            "The referral you asked about",
            [
                f"You asked{when}: no second ask. Ask where it stands, and whether they need "
                "anything more from you; do what your notes from that call say.",
            ],
        )
    cues = [
        "If they already offered: thank them, and go straight to the next part.",
        "If the call has felt flat: don't ask. Ask who else would be worth talking to.",
    ]
    return ask_wording(person, config), cues, title, block


def plan_for(
    person: Person,
    config: Config,
    banks: list[Bank],
    used: set[str],
    now: datetime,
    *,
    minutes: int | None = None,
    ask_at: int | None = None,
    count: int = DEFAULT_COUNT,
    kept: Sequence[str] = (),
    seed: str = "",
    research: Research | None = None,
    company: Company | None = None,
) -> Plan:
    """The questions, the ask and its minute, and the referral part for a call: what `prep`
    prints and `call` shows, from one place. `minutes` and `ask_at` default to the settings
    (see `ask_minute`). `kept`: the ids of the chat's kept plan, shown first; `seed`: what
    the first choice is seeded by (the person and the day when empty). `research`: what the
    notes mark for the call (the user's own questions and a "Mention it" line become
    must-ask questions); `company`: its note, for a question from its stack or hiring."""
    minutes = minutes or config.chat_minutes
    at = ask_minute(minutes, ask_at, config)
    values = placeholder_values(person, config)
    day = now.astimezone(config.zone).date().isoformat()
    # A longer call has room for one more question about how it works.
    process = referral_questions(banks, values, ask_family(person), 4 if minutes >= 25 else 3)
    texts = [text for question in process if (text := question.fill(values))]
    ask, cues, title, lines = _referral_part(person, config, texts, now)
    taken = {question.group for question in process}
    mine = _own_questions(person, research)
    from_company = company_question(person, company)
    if from_company is not None and (
        from_company.id in used or (kept and from_company.id not in kept)
    ):
        from_company = None  # asked before (of them or a colleague), or not in the kept plan
    if from_company is not None:
        taken.add(from_company.group)
    bank = choose_questions(
        person,
        banks,
        values,
        used,
        seed or f"{person.stem}|{day}",
        count,
        taken,
        kept,
        later={from_company.topic} if from_company else set(),
    )
    must_from_bank = max(0, MUST_ASK - len(mine))
    questions = [Picked(question, text, True, "notes") for question, text in mine]
    questions += [Picked(q, text, True) for q, text in bank[:must_from_bank]]
    if from_company is not None:
        questions.append(Picked(from_company, from_company.text, False, "company"))
    questions += [Picked(q, text, False) for q, text in bank[must_from_bank:]]
    questions = questions[: max(count, len(mine))]
    return Plan(
        questions=questions,
        minutes=minutes,
        ask_at=at,
        ask=ask,
        cues=cues,
        referral_title=title,
        referral=lines,
        kept=tuple(picked.question.id for picked in questions if picked.source != "notes"),
    )


def _own_questions(person: Person, research: Research | None) -> list[tuple[Question, str]]:
    """The user's own questions from the note's Prep section, then one from a line marked
    "Mention it"."""
    if not research:
        return []
    from coffeechat.prep.research import question_from

    path = person.path
    found = [Question(text, "any", "yours", path, 0) for text in research.questions]
    for marked in research.mention:
        text = question_from(marked)
        if text:
            found.append(Question(text, "any", "yours", path, 0))
            break
    return [(question, question.text) for question in found]


def _who(
    person: Person,
    contact: ContactZone,
    chat: datetime | None,
    upcoming: bool,
    now: datetime,
    config: Config,
    links: Links,
) -> list[str]:
    from coffeechat.when import timefmt

    lines = []
    title = ", ".join(part for part in (person.role, person.team) if part)
    at = f" at {label(person.company)}" if person.company else ""
    if title or at:
        lines.append(f"**{title or 'Works'}**{at}")
    facts = [
        value
        for value in (
            person.kind,
            seniority_of(person),
            person.connection and f"{person.connection} connection",
            person.referral and f"referral {person.referral}",
        )
        if value
    ]
    if facts:
        lines.append(" · ".join(facts))
    if contact.zone:
        local = now.astimezone(ZoneInfo(contact.zone))
        where = person.location or contact.zone
        lines.append(
            f"{where}: {timefmt.clock_time(local)} {timefmt.zone_abbreviation(local)} "
            f"there now ({contact.zone})"
        )
    elif person.location:
        lines.append(f"{person.location} (time zone unknown; set `timezone:`)")
    if chat:
        which = "Chat" if upcoming else "Last chat"
        lines.append(f"{which}: {timefmt.both_sides(chat, config.zone, contact.zone)}")
    note_links = [f"Note: {links.note}"]
    if links.company:
        note_links.append(f"Company: {links.company}")
    lines.append(" · ".join(note_links))
    return lines


def warnings_for(
    person: Person,
    others: list[Person],
    chat: datetime | None,
    now: datetime,
    config: Config,
    notes: bool,
) -> list[str]:
    """What to know before anything else: the contact is closed, declined, or the chat is past.
    `others`: the people in the vault, for someone else at the company after a decline;
    `notes`: the sheet shows the last call's notes."""
    found = []
    first = person.name.split()[0]
    stem = person.path.stem
    if person.referral == "declined":
        why = " Your notes from the call below say why." if notes else ""
        found.append(f"Closed: {first} declined to refer you, so this sheet has no ask.{why}")
        company = label(person.company)
        if company:
            colleagues = [
                other
                for other in others
                if other.path != person.path
                and company_key(other.company) == company_key(person.company)
            ]
            if colleagues:
                stages = [stage(other, now) for other in colleagues]
                names = ", ".join(
                    f"{other.name} ({other.kind or 'kind unknown'}, {where})"
                    for other, where in zip(colleagues, stages, strict=True)
                )
                open_ = any(where != "closed" for where in stages)
                found.append(
                    f"Others at {company} in your vault: {names}."
                    + ("" if open_ else " None is still open: look for someone new there.")
                )
            else:
                found.append(
                    f"No one else at {company} is in your vault yet: add someone with "
                    f'`coffeechat add NAME --company "{company}"`.'
                )
    elif person.outcome in ("offer", "rejected", "withdrawn"):
        found.append(
            f"Closed: the application has ended (outcome: {person.outcome}), so this sheet has "
            "no ask."
        )
    if chat and chat <= now:
        days = (now.astimezone(config.zone).date() - chat.date()).days
        ago = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
        found.append(
            f"The chat was on {_day(chat)} ({ago}) and no new one is set: this sheet is for a "
            f"next call. Set one with `coffeechat schedule {stem} WHEN`."
        )
    return found


def last_call(body_text: str) -> tuple[str, list[str]] | None:
    """The latest `### Call …` section inside `## Notes`: its heading and its lines, list
    markers and `!` marks taken off; None when there is none."""
    from coffeechat.model.body import headings, section_lines

    bounds = section_lines(body_text, "Notes")
    if bounds is None:
        return None
    found = headings(body_text)
    calls = [
        h
        for h in found
        if h.level == 3 and bounds[0] < h.line < bounds[1] and h.title.lower().startswith("call")
    ]
    if not calls:
        return None
    start = calls[-1].line + 1
    end = min([bounds[1], *(h.line for h in found if start <= h.line < bounds[1])])
    lines = []
    for line in body_text.splitlines()[start:end]:
        text = line.strip()
        text = text[2:].strip() if text.startswith(("- ", "* ")) else text
        text = text[1:].strip() if text.startswith("!") else text
        if text:
            lines.append(text)
    return (calls[-1].title, lines) if lines else None


_MUTUAL = re.compile(r"^(?:mutual(?: connection)?|both know|we both know)\s*[:\-]?\s*(.+)$", re.I)
_INTRODUCED = re.compile(r"^introduced by\s*[:\-]?\s*(.+)$", re.I)


def _openers(
    person: Person, company: Company | None, config: Config, research: Research | None = None
) -> list[str]:
    """Things to bring up: what the notes mark to mention first, then what you share and the
    company's news. Shared items that name a person ("Mutual connection: Priya Raman",
    "Introduced by Hannah") become one line about that person, not a label pasted twice."""
    lines = [f"Mention: {text}" for text in (research.mention if research else [])]
    # The declared keys first; older notes wrote the same in `common`.
    mutual = [label(name) for name in person.mutual]
    introduced = [label(person.introduced_by)] if person.introduced_by else []
    common = []
    for item in person.common:
        if match := _MUTUAL.match(item):
            mutual.append(match.group(1).strip())
        elif match := _INTRODUCED.match(item):
            introduced.append(match.group(1).strip())
        else:
            common.append(item)
    shared_school = same_school(person, config)
    if shared_school:
        lines.append(f"You both went to {person.school}.")
    if introduced:
        lines.append(f"{_sentence_list(introduced)} introduced you: thank them by name.")
    elif person.connection == "intro":
        lines.append("Someone introduced you: thank them by name.")
    if mutual:
        lines.append(f"You both know {_sentence_list(mutual)}: say how you know them.")
    elif person.connection == "2nd":
        lines.append("You have connections in common: mention who you both know.")
    if person.connection == "1st":
        lines.append("You are connected on LinkedIn.")
    elif person.connection == "alumni" and not shared_school:
        lines.append("You are fellow alumni.")
    lines += [f"In common: {item}" for item in common]
    mine = {name_key(name) for name in config.my_companies}
    both = [name for name in person.previous if name_key(name) in mine]
    if person.company and name_key(label(person.company)) in mine:
        both.insert(0, label(person.company))
    if both:
        lines.append(f"You both know {', '.join(both)} from the inside.")
    if company:
        if company.in_:
            lines.append(f"Your way in: {company.in_}")
        if company.news:
            lines.append(f"Their news: {company.news}")
        if company.stack:
            lines.append(f"Their stack: {', '.join(company.stack)}")
        if company.hiring and company.hiring != "unknown":
            lines.append(f"Hiring: {company.hiring}")
    return lines


def agenda(plan: Plan, config: Config) -> list[Step]:
    """The call, minute by minute, with the ask (or what replaces it) at its minute."""
    intro = "Thank them for their time; say in two sentences who you are"
    if config.looking_for:
        intro += f" and that you are looking into {config.looking_for}"
    must = sum(picked.must for picked in plan.questions)
    backups = len(plan.questions) - must
    ask_these = f"Ask the {_count_word(must)} above" if must > 1 else "Ask the one above"
    if backups:
        ask_these += ", a backup when an answer runs short"
    steps = [
        Step(0, "Thanks and introductions", [intro + "."]),
        Step(
            FIRST_MINUTES,
            "Questions",
            [ask_these + "; follow what they light up about."]
            if plan.questions
            else ["Ask what you want to learn; follow whatever they light up about."],
        ),
    ]
    if plan.ask is not None:
        steps.append(
            Step(plan.ask_at, "Ask about the referral", [f"“{plan.ask}”", *plan.cues], key=True)
        )
        if plan.referral:
            steps.append(Step(plan.ask_at + 1, plan.referral_title, plan.referral))
    else:
        steps.append(Step(plan.ask_at, plan.referral_title, plan.referral))
    steps.append(
        Step(
            plan.minutes - 2,
            "Wrap up",
            [
                "Thank them, and ask who else would be worth talking to.",
                "Say you will send a note tomorrow, and keep them posted.",
            ],
        )
    )
    steps.append(Step(plan.minutes, "End on time", []))
    return steps


def _count_word(number: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[number] if number < len(words) else str(number)


def after_the_call(person: Person) -> list[str]:
    stem = person.path.stem
    lines = [f'Write down what you learned: `coffeechat log {stem} "…"` or the note itself.']
    if person.connection != "1st" and person.linkedin:
        lines.append(f"Send a connection request: {person.linkedin}")
    elif person.connection != "1st":
        lines.append("Send a LinkedIn connection request, so you can reach them later.")
    lines.append(f"Tomorrow: `coffeechat draft thanks {stem}`, send it, mark it thanked.")
    closed = person.referral == "declined" or person.outcome in ("offer", "rejected", "withdrawn")
    if not person.referral and not closed:
        lines.append(
            f"Record the ask: `coffeechat set {stem} referral=asked` (or `referral=agreed`)."
        )
    elif person.referral == "asked":
        lines.append(
            f"When they answer: `coffeechat set {stem} referral=agreed` (or `referral=declined`)."
        )
    elif person.referral == "agreed":
        lines.append("Today: send them what they need, your resume and the posting link.")
        lines.append(f"Once they have put it in: `coffeechat set {stem} referral=submitted`.")
    elif person.referral == "submitted" and not person.applied:
        lines.append(f"Apply online if they said to, then `coffeechat mark {stem} applied`.")
    if not person.outcome:
        lines.append(f"When you hear about the application: `coffeechat draft update {stem}`.")
    elif not person.updated:
        lines.append(f"Tell them how it went: `coffeechat draft update {stem}`.")
    return lines


def build_sheet(
    person: Person,
    company: Company | None,
    config: Config,
    plan: Plan,
    contact: ContactZone,
    now: datetime,
    links: Links,
    *,
    others: list[Person] | None = None,
    body_text: str = "",
    research: Research | None = None,
) -> Sheet:
    """The whole page around a plan. `others`: the vault's people (someone else at the company
    after a decline); `body_text`: the note's body (the last call's notes, once it is past)."""
    chat = person.chat.astimezone(config.zone) if person.chat else None
    upcoming = bool(chat and chat > now)
    notes = None if upcoming or chat is None else last_call(body_text)
    return Sheet(
        person=person,
        who=_who(person, contact, chat, upcoming, now, config, links),
        warnings=warnings_for(person, others or [], chat, now, config, notes is not None),
        openers=_openers(person, company, config, research),
        research=list(research.lines) if research else [],
        last_call=notes,
        plan=plan,
        agenda=agenda(plan, config),
        after=after_the_call(person),
        chat=chat,
        upcoming=upcoming,
    )


def markdown(sheet: Sheet, frontmatter: str = "") -> str:
    """The sheet as Markdown; a saved sheet starts with its frontmatter."""
    person = sheet.person
    at = f" ({label(person.company)})" if person.company else ""
    heading = f"# Coffee chat: {person.name}{at}"
    out = [heading, ""]
    for warning in sheet.warnings:
        out += [f"> **{warning}**", ""]
    out += [f"{line}  " for line in sheet.who[:-1]] + [sheet.who[-1], ""]
    if sheet.openers:
        out += ["## Openers", ""] + [f"- {line}" for line in sheet.openers] + [""]
    if sheet.research:
        out += ["## Your research", ""] + [f"- {line}" for line in sheet.research] + [""]
    if sheet.last_call:
        title, lines = sheet.last_call
        out += [f"## From your notes: {title}", ""] + [f"- {line}" for line in lines] + [""]
    if sheet.questions:
        must = [picked for picked in sheet.questions if picked.must]
        backups = [picked for picked in sheet.questions if not picked.must]
        out += ["## Questions: ask these", ""]
        out += [f"{number}. {picked.text}" for number, picked in enumerate(must, 1)]
        if backups:
            out += ["", "Backups, when an answer runs short:", ""]
            out += [
                f"{number}. {picked.text}" for number, picked in enumerate(backups, len(must) + 1)
            ]
        out.append("")
    out += [f"## The {sheet.minutes} minutes", ""]
    for step in sheet.agenda:
        when = f"{step.minute} min"
        if sheet.chat and sheet.upcoming:
            from coffeechat.when.timefmt import clock_time

            when += f" · {clock_time(sheet.chat + timedelta(minutes=step.minute))}"
        title = f"**{step.title}**" if step.key else step.title
        out.append(f"- **{when}** — {title}")
        out += [f"  - {line}" for line in step.lines]
    out += ["", "## After the call", ""] + [f"- [ ] {line}" for line in sheet.after]
    # Each entry is one line of the page: a line break inside a value (a name written over
    # two lines) becomes a space, so no value can start a heading, a list or a `---` of its own.
    page = (" ".join(line.splitlines()) if _BREAK.search(line) else line for line in out)
    return frontmatter + "\n".join(page) + "\n"


_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines splits at


def sheet_record(sheet: Sheet, root: Path) -> dict[str, Any]:
    """The sheet as plain data, the stable shape of `prep --json`."""
    person = sheet.person
    plan = sheet.plan
    return {
        "person": {
            "name": person.name,
            "file": person.path.relative_to(root).as_posix(),
            "company": label(person.company) or None,
            "role": person.role or None,
            "kind": person.kind or None,
            "seniority": seniority_of(person) or None,
            "connection": person.connection or None,
            "referral": person.referral or None,
        },
        "chat": sheet.chat.isoformat(timespec="seconds") if sheet.chat else None,
        "chat_ahead": sheet.upcoming,
        "minutes": plan.minutes,
        "warnings": sheet.warnings,
        "openers": sheet.openers,
        "research": sheet.research,
        "last_call": (
            {"title": sheet.last_call[0], "lines": sheet.last_call[1]} if sheet.last_call else None
        ),
        "questions": [
            {
                "id": picked.question.id,
                "text": picked.text,
                "must": picked.must,
                "source": picked.source,
            }
            for picked in plan.questions
        ],
        "ask": None
        if plan.ask is None
        else {"minute": plan.ask_at, "text": plan.ask, "cues": plan.cues},
        "agenda": [
            {"minute": step.minute, "title": step.title, "lines": step.lines}
            for step in sheet.agenda
        ],
        "after": sheet.after,
    }


def sheet_path(folder: Path, person: Person, day: str) -> Path:
    """Where `prep --save` keeps the day's sheet for a person: named after their note
    (`2026-11-23-liam-oconnor.md` for people/liam-oconnor.md), the one name a person has in
    file names and links everywhere."""
    return folder / f"{day}-{person.stem}.md"


def used_question_ids(folder: Path, person: Person, leave_out: Path | None = None) -> set[str]:
    """Question ids in earlier saved sheets for this person or anyone at their company
    (`leave_out`: today's sheet, which a second --save replaces)."""
    from coffeechat.core.errors import NoteError
    from coffeechat.store.notefile import read_note

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
        named = str(values.get("person", ""))
        link = parse_link(named)
        same_person = (link.target if link else named) == person.stem
        same_company = bool(person.company) and company_key(str(values.get("company", ""))) == (
            company_key(person.company)
        )
        if (same_person or same_company) and isinstance(values.get("questions"), list):
            used.update(str(item) for item in values["questions"])
    return used


def saved_frontmatter(sheet: Sheet, day: str) -> str:
    from coffeechat.store.notefile import emit_quoted, emit_scalar

    person = sheet.person
    lines = [
        "---",
        f"person: {emit_scalar(wikilink(person.stem, person.name))}",
        f"company: {emit_scalar(person.company)}" if person.company else "",
        f"date: {day}",
        # Ids are opaque hex such as 91936e20, which YAML 1.2 reads as a number: always quoted.
        "questions: ["
        + ", ".join(
            emit_quoted(picked.question.id) for picked in sheet.questions if picked.source == "bank"
        )
        + "]",
        "---",
        "",
    ]
    return "\n".join(line for line in lines if line) + "\n"


PRINT_CSS = """
@page { size: auto; margin: 9mm 14mm; }
body { font: 10pt/1.18 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: #111; max-width: 50em; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 11pt; margin: 6pt 0 2pt; border-bottom: 1px solid #ccc; }
blockquote { margin: 2pt 0; padding-left: 8pt; border-left: 3px solid #999; }
p { margin: 2pt 0; }
ul, ol { margin: 2pt 0; padding-left: 18pt; }
li { margin: 1pt 0; }
li > ul { margin: 0; }
strong { color: #000; }
@media print { a { color: inherit; text-decoration: none; } }
"""


_WIKILINK = re.compile(r"\[\[([^\[\]|#^]+)(?:[#^][^\[\]|]*)?(?:\|([^\[\]]+))?\]\]")


def html_page(markdown_text: str, title: str) -> str:
    """One self-contained printable page: no scripts, no external files."""
    import html

    from markdown_it import MarkdownIt

    # On paper a wikilink is its name: [[priya-raman|Priya Raman]] -> Priya Raman.
    markdown_text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), markdown_text)
    body = MarkdownIt("commonmark", {"html": False, "typographer": False}).render(markdown_text)
    body = body.replace("<li>[ ] ", "<li>\u2610 ")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )


@dataclass(frozen=True)
class ChatPlan:
    """The plan for a person's next chat, and the kept plan to write when it changed."""

    plan: Plan
    kept: KeptPlan
    changed: bool  # the kept plan is new or different: write it
    new: bool  # the questions were chosen now (no plan yet, the last chat is over, reshuffled)


def plan_for_chat(
    layout: Layout,
    person: Person,
    config: Config,
    banks: list[Bank],
    now: datetime,
    *,
    minutes: int | None = None,
    ask_at: int | None = None,
    count: int = DEFAULT_COUNT,
    reshuffle: bool = False,
    research: Research | None = None,
    company: Company | None = None,
) -> ChatPlan:
    """The chat's plan, kept across days: the questions of the person's kept plan while its
    chat is ahead; new ones (never asked in an earlier chat with them or anyone at their
    company) when there is none, the chat has happened since, or `reshuffle`."""
    from coffeechat.prep.plans import KeptPlan, read_plans

    plans = read_plans(layout.plans)
    current = plans.get(person.stem)
    earlier: tuple[str, ...] = current.earlier if current else ()
    kept: tuple[str, ...] = current.questions if current else ()
    made = current.made if current else None
    if current and current.used_up(person, now):
        earlier, kept, made = (*earlier, *(q for q in kept if q not in earlier)), (), None
    today = sheet_path(layout.prep, person, now.astimezone(config.zone).date().isoformat())
    used = used_question_ids(layout.prep, person, leave_out=today) - set(kept)
    used.update(earlier)
    same_company = company_key(person.company) if person.company else ""
    for stem, other in plans.items():
        if stem != person.stem and same_company and company_key(other.company) == same_company:
            used.update(other.questions, other.earlier)
    seed = ""
    if reshuffle:
        used.update(kept)
        kept, made, seed = (), None, f"{person.stem}|{now.isoformat()}"
    plan = plan_for(
        person,
        config,
        banks,
        used,
        now,
        minutes=minutes,
        ask_at=ask_at,
        count=count,
        kept=kept,
        seed=seed,
        research=research,
        company=company,
    )
    # A longer list keeps the plan's ones first; a shorter one does not shorten the plan.
    ids = plan.kept + tuple(q for q in kept if q not in plan.kept)
    new = made is None or not set(kept) & set(plan.kept)
    updated = KeptPlan(
        person=person.stem,
        company=person.company,
        made=now if new else made,
        questions=ids,
        earlier=earlier,
    )
    return ChatPlan(plan, updated, updated != current, new)
