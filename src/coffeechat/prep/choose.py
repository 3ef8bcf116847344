"""Choosing what to ask: the questions for a call, the referral ask and its minute.

Three must-ask questions and a few backups, picked for the person's audience, spread over topics
and never two from one cluster of near-duplicates, never one asked in an earlier chat with them
or anyone at their company; the ask fits where the referral and the application stand, about two
thirds into the call.

`plan_for_person` is the package's front door: `prep` and `call` both ask it for the chat's
plan, so the sheet and the live call show the same questions and the same ask at the same minute.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coffeechat.core.errors import NoteError, UsageError
from coffeechat.core.text import as_sentence
from coffeechat.model.config import Config
from coffeechat.model.journey import Journey, journey_of
from coffeechat.model.names import company_key, company_of, label
from coffeechat.model.note import Company, Person
from coffeechat.model.people import person_kind
from coffeechat.model.size import is_small
from coffeechat.prep.plans import (
    MAX_BYTES,
    KeptPlan,
    plan_bytes,
    plan_path,
    plans_from,
    sheet_path,
    used_question_ids,
)
from coffeechat.prep.questions import REFERRAL_TOPIC, Bank, Question, lint
from coffeechat.prep.research import Research, company_lessons, read_research

if TYPE_CHECKING:
    from coffeechat.store.vault import Store

# The ask needs a minute or two of answer, and the referral questions after it.
LAST_MINUTES = 3
FIRST_MINUTES = 2
MUST_ASK = 3
DEFAULT_COUNT = 6  # three must-ask questions and three backups
# The topics the must-ask questions come from, in order, for each audience; the backups come
# from the other topics, in an order that changes from person to person.
# The topics a sheet asks first, by question-bank audience.
# A question about applying, or about openings to apply for: not asked while an application
# there is under way, nor of someone who is part of it.
ABOUT_APPLYING = re.compile(
    r"\bappl(?:y|ying|ication)\b|careers page|\bpost(?:ing|ed)\b|\bopen(?:ings)?\b", re.I
)
# Titles that mean the person leads: they hire, or decide who is hired.
LEADER_TITLES = (
    (re.compile(r"\bco-?founder\b|\bfounder\b", re.I), "founder"),
    (re.compile(r"\b(cto|ceo|coo|chief [a-z]+ officer)\b", re.I), "executive"),
    (re.compile(r"\b(vp|svp|evp|vice[- ]president)\b", re.I), "VP"),
    (re.compile(r"\bhead of\b|^head\b", re.I), "head of"),
    (re.compile(r"\bdirector\b", re.I), "director"),
)
# Words that take a workplace for granted: not asked of someone with no company in the note
# (a freelancer, a mentor between jobs).
ABOUT_A_WORKPLACE = re.compile(
    r"\b(here|your (own )?team|teams? around yours|the company|your company|formal reviews?|"
    r"hir(e|es|ed|ing))\b",
    re.IGNORECASE,
)
# Questions on how many teams there are and how work passes between them: not asked at a
# small company (`model.size.is_small`), where there are hardly any.
ABOUT_MANY_TEAMS = re.compile(
    r"teams? around yours|across teams|between teams|into teams|outside your own team|"
    r"other teams",
    re.IGNORECASE,
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


def audience_of(person: Person) -> str:
    return person_kind(person.kind).bank


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
    family = person_kind(person.kind).ask
    return "hiring" if family == "colleague" and leader_title(person) else family


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
    applying_done: bool = False,
    small: bool = False,
) -> list[tuple[Question, str]]:
    """`count` questions for the person's audience, placeholders filled, none flagged by the
    lint, in `used` (asked in an earlier chat with them or their company), or from a cluster
    already `taken`. The `kept` ones (the chat's plan) come first, in their order, as long as
    they still fit; then the must-ask topics of the audience; the rest go round the other
    topics, those in `later` last. The same seed gives the same ones, and a shorter list is
    the start of a longer one. `applying_done`: an application there is under way (or they
    are part of it), so no question about applying or openings is asked. Someone with no
    company in the note is asked nothing that takes a workplace for granted; at a `small`
    company, nothing on how its many teams work together."""
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
            if applying_done and ABOUT_APPLYING.search(question.text):
                continue
            if not label(person.company) and ABOUT_A_WORKPLACE.search(text):
                continue
            if small and ABOUT_MANY_TEAMS.search(text):
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
    must_ask = person_kind(person.kind).must_ask
    must_topics = [topic for topic in must_ask if by_topic.get(topic)]
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


def sentence_list(items: Sequence[str]) -> str:
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
        asked = (
            "which of them shapes your day most, and what would you change?"
            if len(company.stack) > 1
            else "how does it shape your day, and what would you change?"
        )
        found["stack"] = Question(
            f"{name} works in {sentence_list(company.stack)}: {asked}",
            "any",
            "technology",
            path,
            0,
            cluster="the team's tools",
        )
    from coffeechat.model.written import note_like

    if company.news and not note_like(company.news, about_person=False):
        news = as_sentence(company.news)  # your own words to them, as a sentence of its own
        found["news"] = Question(
            f"{news} From where you sit, what has changed for your team since then?",
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


def short_day(moment: date) -> str:
    return f"{moment.strftime('%a %b')} {moment.day}"


def _referral_part(
    person: Person, config: Config, block: list[str], now: datetime, journey: Journey
) -> tuple[str | None, list[str], str, list[str]]:
    """The ask (or None), the cues beside it, and the title and lines of the part after it
    (or in its place), for where the referral and the application at their company stand."""
    first = person.name.split()[0]
    family = ask_family(person)
    title = {"recruiter": "Applying there", "hiring": "How to apply"}.get(
        family, "How referrals work there"
    )
    application = journey.application(person)
    status = application.status if application else ""
    applied = application.applied if application else None
    accepted = journey.accepted
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
    if accepted is not None and status != "accepted":
        return (
            None,
            [],
            "The application",
            [
                f"You accepted an offer at {accepted.company}: nothing to ask. Tell them, thank "
                "them for their time, and keep in touch."
            ],
        )
    if status in ("accepted", "declined", "rejected", "withdrawn"):
        lines = {
            "accepted": [
                "You accepted their offer: nothing to ask. Thank them for their part in it, "
                "and say you look forward to working together."
            ],
            "declined": [
                "You turned their offer down: nothing to ask. Thank them for their part, and "
                "keep the door open."
            ],
            "rejected": [
                "The application has ended: nothing to ask. Say what you learned, and that "
                "you would like to hear if a role opens on their team later."
            ],
            "withdrawn": [
                "You withdrew the application: nothing to ask. Keep the door open for later."
            ],
        }[status]
        return None, [], "The application", lines
    if person.loop:
        return (
            None,
            [],
            "Your own application",
            [
                f"{first} is the {person.loop.replace('-', ' ')} of your own application: ask "
                "nothing about referrals or applying. Keep to their work and the team."
            ],
        )
    if not label(person.company):
        goal = config.looking_for or "work like yours"
        return (
            None,
            [],
            "Their advice",
            [
                f"{first} has no company in your note, so there is no referral to ask for. "
                f"Ask how they would go about a search for {goal}."
            ],
        )
    if status == "offer":
        by = (
            f" (answer by {short_day(application.decide_by)})"
            if application and application.decide_by
            else ""
        )
        return (
            None,
            [],
            "The offer",
            [
                f"You have an offer from them{by}: nothing to ask. Ask what they would want to "
                "know before deciding, and thank them for their part."
            ],
        )
    if status == "interviewing":
        return (
            None,
            [],
            "The interview",
            [
                "You are interviewing there: no referral ask, and nothing on how to apply. Ask "
                "what the coming round rewards and what the team looks for, and thank them "
                "for their part."
            ],
        )
    if person.referral == "submitted":
        if applied:
            line = (
                f"They submitted the referral and you applied on {short_day(applied)}: ask "
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
        when = f" on {short_day(person.chat.astimezone(config.zone))}" if person.chat else ""
        return (
            None,
            [],
            "The referral you asked about",
            [
                f"You asked{when}: no second ask. Ask where it stands, and whether they need "
                "anything more from you; do what your notes from that call say.",
            ],
        )
    if status == "applied":
        on = f" on {short_day(applied)}" if applied else ""
        return (
            None,
            [],
            "Your application",
            [
                f"You applied{on}: no referral ask, and nothing on how to apply. Ask how their "
                "team reads applications, and what they would look for in someone joining it."
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
    journey: Journey | None = None,
) -> Plan:
    """The questions, the ask and its minute, and the referral part for a call: what `prep`
    prints and `call` shows, from one place. `minutes` and `ask_at` default to the settings
    (see `ask_minute`). `kept`: the ids of the chat's kept plan, shown first; `seed`: what
    the first choice is seeded by (the person and the day when empty). `research`: what the
    notes mark for the call (the user's own questions and a "Mention it" line become
    must-ask questions); `company`: its note, for a question from its stack or hiring;
    `journey`: where the applications stand (by default, from this person and company alone)."""
    minutes = minutes or config.chat_minutes
    at = ask_minute(minutes, ask_at, config)
    values = placeholder_values(person, config)
    day = config.today(now).isoformat()
    # A longer call has room for one more question about how it works.
    process = referral_questions(banks, values, ask_family(person), 4 if minutes >= 25 else 3)
    texts = [text for question in process if (text := question.fill(values))]
    if journey is None:
        journey = journey_of([person], [company] if company else [], now, config.zone)
    ask, cues, title, lines = _referral_part(person, config, texts, now, journey)
    taken = {question.group for question in process}
    mine = _own_questions(person, research)
    from_company = company_question(person, company)
    if from_company is not None and (
        from_company.id in used or (kept and from_company.id not in kept)
    ):
        from_company = None  # asked before (of them or a colleague), or not in the kept plan
    if from_company is not None:
        taken.add(from_company.group)
    application = journey.application(person)
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
        applying_done=bool(person.loop or (application and application.live)),
        small=company is not None and is_small(company.size),
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


@dataclass(frozen=True)
class ChatPlan:
    """The plan for a person's next chat, what it was made from (the sheet shows those too),
    and the kept plan to write."""

    plan: Plan
    kept: KeptPlan
    changed: bool  # write the kept plan: it is new or different, and the contact is not closed
    new: bool  # the questions were chosen now (no plan yet, the last chat is over, reshuffled)
    company: Company | None  # their company's note
    body_text: str  # their note's body ("" when it cannot be read)
    research: Research  # what the body marks for the call


def plan_for_person(
    store: Store,
    person: Person,
    now: datetime,
    *,
    banks: list[Bank],
    companies: list[Company],
    journey: Journey | None = None,
    minutes: int | None = None,
    ask_at: int | None = None,
    count: int = DEFAULT_COUNT,
    reshuffle: bool = False,
) -> ChatPlan:
    """The chat's plan, kept across days: the questions of the person's kept plan while its
    chat is ahead; new ones (never asked in an earlier chat with them or anyone at their
    company) when there is none, the chat has happened since, or `reshuffle`. A closed contact
    has no next chat, so no plan is kept for them. `companies`: the company notes, to find
    theirs; `banks`: the question banks (their problems are the caller's to report)."""
    config = store.config
    company = company_of(person, companies)
    journey = journey or journey_of([person], companies, now, config.zone)
    try:
        body_text = store.body(person)
    except NoteError:
        body_text = ""  # the person was read from it a moment ago, so that is rare
    research = read_research(body_text)
    plans = plans_from(store.kept_plan_files(MAX_BYTES))
    current = plans.get(person.stem)
    earlier: tuple[str, ...] = current.earlier if current else ()
    kept: tuple[str, ...] = current.questions if current else ()
    made = current.made if current else None
    if current and current.used_up(person, now):
        earlier, kept, made = (*earlier, *(q for q in kept if q not in earlier)), (), None
    today = sheet_path(store.layout.prep, person, config.today(now).isoformat())
    used = used_question_ids(store.saved_sheets(leave_out=today), person) - set(kept)
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
        journey=journey,
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
    changed = updated != current and journey.stage(person) != "closed"
    return ChatPlan(plan, updated, changed, new, company, body_text, research)


def keep_plan(store: Store, chat_plan: ChatPlan) -> Path | None:
    """Write the chat's kept plan when it changed; where it went, or None when nothing was
    written. Raises CoffeechatError when it cannot be written."""
    if not chat_plan.changed:
        return None
    path = plan_path(store.layout.plans, chat_plan.kept.person)
    store.write_file(path, plan_bytes(chat_plan.kept), create_folder=True)
    return path


def lessons_at(store: Store, person: Person, people: list[Person]) -> list[tuple[str, str]]:
    """What the calls with anyone at their company taught about it (`Company:` lines in a
    `### Call` section), with whose note says it; theirs included. Only the notes of people
    at that company with a chat are read."""
    if not person.company:
        return []
    there = company_key(person.company)
    found = []
    for other in people:
        if other.chat is None or company_key(other.company) != there:
            continue
        try:
            body_text = store.body(other)
        except NoteError:
            continue  # named where it is read elsewhere; a lesson less is no error
        found += [(other.name, line) for line in company_lessons(body_text)]
    return found
