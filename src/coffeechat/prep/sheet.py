"""The prep sheet: one page that makes the user ready for a coffee chat.

Who they are and what time it is for them; what you share; the plan's questions (choose.py);
a timed agenda with the referral ask at its minute; and what to do afterwards. The sheet knows
where things stand: a warning when the chat is past or the contact closed, and someone else at
the company to try after a decline. `build_sheet` makes the page; render.py prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from coffeechat.core.shell import shell_word
from coffeechat.model.config import Config
from coffeechat.model.journey import Journey, journey_of
from coffeechat.model.names import company_key, label, name_key, same_school
from coffeechat.model.note import Company, Person
from coffeechat.prep.choose import (
    FIRST_MINUTES,
    Picked,
    Plan,
    seniority_of,
    sentence_list,
    short_day,
)
from coffeechat.prep.research import Research
from coffeechat.when.zones import ContactZone


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
    # The lines where the user warned themselves ("don't push the referral hard").
    cautions: list[str]
    openers: list[str]
    research: list[str]  # the note's Prep/Research section and callouts
    last_call: tuple[str, list[str]] | None  # heading and lines of the last `### Call`
    # What earlier chats taught about the company: (who said it, the line), oldest note first.
    lessons: list[tuple[str, str]]
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
    title = person.title
    at = f" at {label(person.company)}" if person.company else ""
    if title or at:
        lines.append(f"**{title or 'Works'}**{at}")
    facts = [
        value
        for value in dict.fromkeys(  # "manager · manager" once
            (
                person.kind,
                seniority_of(person),
                person.connection and f"{person.connection} connection",
                person.referral and f"referral {person.referral}",
            )
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
    journey: Journey,
) -> list[str]:
    """What to know before anything else: the contact is closed, declined, part of your own
    application, or the chat is past. `others`: the people in the vault, for someone else at
    the company after a decline; `notes`: the sheet shows the last call's notes."""
    found = []
    first = person.name.split()[0]
    stem = person.path.stem
    application = journey.application(person)
    status = application.status if application else ""
    if person.loop and status not in ("", "rejected", "withdrawn", "declined"):
        found.append(
            f"{first} is the {person.loop.replace('-', ' ')} of your own application at "
            f"{label(person.company)}: keep to the conversation; nothing on referrals or applying."
        )
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
                stages = [journey.stage(other) for other in colleagues]
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
                    f"`coffeechat add NAME --company {shell_word(company)}`."
                )
    elif status in ("rejected", "withdrawn", "declined"):
        ended = {
            "rejected": "they said no",
            "withdrawn": "you withdrew",
            "declined": "you turned down their offer",
        }
        where = application.company if application else "their company"
        found.append(
            f"Closed: the application at {where} has ended ({ended[status]}), so this sheet "
            "has no ask."
        )
    elif status == "accepted":
        found.append("Closed: you accepted their offer, so this sheet has no ask.")
    elif journey.accepted is not None:
        elsewhere = journey.accepted.company
        found.append(f"Closed: you accepted an offer at {elsewhere}, so this sheet has no ask.")
    if chat and chat <= now:
        days = (config.today(now) - chat.date()).days
        ago = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
        found.append(
            f"The chat was on {short_day(chat)} ({ago}) and no new one is set: this sheet is for a "
            f"next call. Set one with `coffeechat schedule {stem} WHEN`."
        )
    return found


def last_call(body_text: str) -> tuple[str, list[str]] | None:
    """The latest `### Call …` section, wherever it is in the body (under `## Notes`, or
    `## Prep` where people also write it): its heading and its lines, list markers and `!`
    marks taken off; None when there is none."""
    from coffeechat.model.body import call_sections

    calls = call_sections(body_text)
    if not calls:
        return None
    heading, end = calls[-1]
    lines = []
    for line in body_text.splitlines()[heading.line + 1 : end]:
        text = line.strip()
        text = text[2:].strip() if text.startswith(("- ", "* ")) else text
        text = text[1:].strip() if text.startswith("!") else text
        if text:
            lines.append(text)
    return (heading.title, lines) if lines else None


_MUTUAL = re.compile(r"^(?:mutual(?: connection)?|both know|we both know)\s*[:\-]?\s*(.+)$", re.I)
_INTRODUCED = re.compile(r"^introduced by\s*[:\-]?\s*(.+)$", re.I)


def _openers(
    person: Person,
    company: Company | None,
    config: Config,
    research: Research | None = None,
    careful: list[str] | None = None,
) -> list[str]:
    """Things to bring up: what the notes mark to mention first, then what you share and the
    company's news. Shared items that name a person ("Mutual connection: Priya Raman",
    "Introduced by Hannah") become one line about that person, not a label pasted twice.
    Nothing the notes say not to lead with (`careful`: the sheet's cautions) is an opener."""
    from coffeechat.model.lists import rejoined
    from coffeechat.prep.research import warned_off

    careful = careful or []
    mention = research.mention if research else []
    lines = [f"Mention: {text}" for text in mention if not warned_off(text, careful)]
    # The declared keys first; older notes wrote the same in `common`.
    mutual = [label(name) for name in person.mutual]
    introduced = [label(person.introduced_by)] if person.introduced_by else []
    common = []
    for item in rejoined(person.common):
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
        lines.append(f"{sentence_list(introduced)} introduced you: thank them by name.")
    elif person.connection == "intro":
        lines.append("Someone introduced you: thank them by name.")
    if mutual:
        lines.append(f"You both know {sentence_list(mutual)}: say how you know them.")
    elif person.connection == "2nd":
        lines.append("You have connections in common: mention who you both know.")
    if person.connection == "1st":
        lines.append("You are connected on LinkedIn.")
    elif person.connection == "alumni" and not shared_school:
        lines.append("You are fellow alumni.")
    lines += [f"In common: {item}" for item in common if not warned_off(item, careful)]
    mine = {name_key(name) for name in config.my_companies}
    both = [name for name in person.previous if name_key(name) in mine]
    if person.company and name_key(label(person.company)) in mine:
        both.insert(0, label(person.company))
    if both:
        lines.append(f"You both know {', '.join(both)} from the inside.")
    if company:
        if company.in_ and not warned_off(company.in_, careful):
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


def after_the_call(person: Person, journey: Journey) -> list[str]:
    """What to do once the call is over, as far as the notes do not say it is done."""
    stem = person.path.stem
    application = journey.application(person)
    status = application.status if application else ""
    closed = bool(journey.closed(person))
    lines = [f'Write down what you learned: `coffeechat log {stem} "…"` or the note itself.']
    if person.connection != "1st" and not person.connected:
        if person.linkedin:
            lines.append(f"Send a connection request: {person.linkedin}")
        else:
            lines.append("Send a LinkedIn connection request, so you can reach them later.")
    lines.append(f"Tomorrow: `coffeechat draft thanks {stem}`, send it, mark it thanked.")
    live = status in ("offer", "interviewing", "applied")
    if not person.company:
        return lines  # no company in the note: no referral, nor an application there
    if not person.referral and not (closed or live or person.loop):
        lines.append(
            f"Record the ask: `coffeechat set {stem} referral=asked` (or `referral=agreed`)."
        )
    elif person.referral == "asked" and not closed:
        lines.append(
            f"When they answer: `coffeechat set {stem} referral=agreed` (or `referral=declined`)."
        )
    elif person.referral == "agreed" and not closed:
        if not person.sent:
            lines.append("Today: send them what they need, your resume and the posting link.")
        lines.append(f"Once they have put it in: `coffeechat set {stem} referral=submitted`.")
    elif person.referral == "submitted" and not status:
        note = journey.companies.find(person.company) if person.company else None
        record = f"company step {shell_word(note.name)} applied" if note else f"mark {stem} applied"
        lines.append(f"Apply online if they said to, then `coffeechat {record}`.")
    if person.loop or journey.accepted is not None:
        return lines  # they know how it stands, or the offer's thank-you tells them
    if not status:
        lines.append(f"When you hear about the application: `coffeechat draft update {stem}`.")
    elif journey.news_for(person):
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
    journey: Journey | None = None,
    lessons: list[tuple[str, str]] | None = None,
    company_text: str = "",
) -> Sheet:
    """The whole page around a plan. `others`: the vault's people (someone else at the company
    after a decline); `body_text`: the note's body (the last call's notes, once it is past);
    `journey`: where the applications stand (by default, from this person and company);
    `lessons`: what the calls with anyone there taught about the company; `company_text`:
    the company note's body, whose cautions the sheet carries too."""
    if journey is None:
        journey = journey_of(
            [person, *(others or [])], [company] if company else [], now, config.zone
        )
    chat = person.chat.astimezone(config.zone) if person.chat else None
    upcoming = bool(chat and chat > now)
    notes = None if upcoming or chat is None else last_call(body_text)
    from coffeechat.model.lists import rejoined
    from coffeechat.prep.research import cautions

    shared = rejoined(person.common) + ((company.in_,) if company and company.in_ else ())
    careful = list(dict.fromkeys(cautions(body_text, shared) + cautions(company_text)))
    return Sheet(
        person=person,
        who=_who(person, contact, chat, upcoming, now, config, links),
        warnings=warnings_for(person, others or [], chat, now, config, notes is not None, journey),
        cautions=careful,
        openers=_openers(person, company, config, research, careful),
        research=[line for line in (research.lines if research else []) if line not in careful],
        last_call=notes,
        lessons=lessons or [],
        plan=plan,
        agenda=agenda(plan, config),
        after=after_the_call(person, journey),
        chat=chat,
        upcoming=upcoming,
    )
