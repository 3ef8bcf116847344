"""What a template may see, and what to look at before sending.

What a draft may say is decided by each key's audience (`coffeechat.model.note.Audience`): the
template sees the user's settings, facts (names, company, role, school, the posting) and the
text of keys written to them (`hook`, the company's `interest` and `news`), plus the
`Thanks:` and `Next:` lines of the last call. Private keys and the rest of the note's body
never reach it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from coffeechat.drafts.kinds import recipient
from coffeechat.drafts.phrasing import as_sentence, day_words, rephrase_hint
from coffeechat.drafts.request import (
    Request,
    alumni,
    application_status,
    chatted,
    introducer,
    mutual_contact,
)
from coffeechat.model.names import label
from coffeechat.model.note import COMPANY_KEYS, PERSON_KEYS, Company, Key, Person

# The lines of a `### Call` section a thank-you may quote: written to them, in the user's words.
CALL_LINES = {"thanks": "Thanks:", "next": "Next:"}


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


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


def warnings_for(request: Request, variables: dict[str, Any], body: str) -> list[str]:
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
