"""What the user's notes mark for the call, read from a note's body.

Three plain conventions, all optional:

- A `## Prep` (or `## Research`) section: the user's own research for the call. Every line of
  it is shown on the sheet; a line ending in `?` is a question of the user's own, asked first.
- A line anywhere in `## Notes` or `## Prep` that ends in "Mention it." (or "mention this"):
  something to bring up. It leads the openers, and becomes a question when it reads as
  something they did ("Gave a talk on Kafka consumer lag at GopherCon. Mention it.").
- Obsidian callouts (`> [!tip] …`) in those sections are shown with the research.

Lines under `### Call …` headings are the notes of earlier calls and are left to the sheet's
own "From your notes" part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SECTIONS = ("prep", "research")
MAX_LINES = 12
MAX_LINE = 300
_MENTION = re.compile(r"[\s.;:!,(\u2013\u2014-]*\b(?:mention (?:it|this|that))\b[.!)]*\s*$", re.I)
_CALLOUT = re.compile(r"^>\s*\[!(\w+)\][+-]?\s*(.*)$")
_BULLET = re.compile(r"^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
# Verbs a note about someone's work starts with: "Gave a talk…", "Wrote the post…".
_DID = re.compile(
    r"^(?:[a-z]+ed|gave|wrote|built|led|ran|spoke|made|won|took|grew|shipped|drew|taught|"
    r"began|rewrote|spun|held|did|sold|got)\b"
)
_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b", re.I)


@dataclass(frozen=True)
class Research:
    lines: list[str] = field(default_factory=list)  # the Prep section and callouts
    mention: list[str] = field(default_factory=list)  # marked "Mention it", the mark taken off
    questions: list[str] = field(default_factory=list)  # the user's own, from the Prep section

    def __bool__(self) -> bool:
        return bool(self.lines or self.mention or self.questions)


def _clean(line: str) -> str:
    text = _BULLET.sub("", line.strip())
    return " ".join(text.split())[:MAX_LINE]


def _section(body_text: str, title: str) -> list[str]:
    """The lines of the level-2 section `title`, without those under `### Call` headings."""
    from coffeechat.model.body import headings, section_lines

    bounds = section_lines(body_text, title)
    if bounds is None:
        return []
    lines = body_text.splitlines()
    calls = [
        h
        for h in headings(body_text)
        if bounds[0] < h.line < bounds[1] and h.level >= 3 and h.title.lower().startswith("call")
    ]
    later = [h.line for h in headings(body_text) if bounds[0] < h.line < bounds[1] and h.level >= 3]
    skip: set[int] = set()
    for call in calls:
        end = min([bounds[1], *(line for line in later if line > call.line)])
        skip.update(range(call.line, end))
    return [
        lines[number]
        for number in range(bounds[0] + 1, min(bounds[1], len(lines)))
        if number not in skip
    ]


def read_research(body_text: str) -> Research:
    if not body_text:
        return Research()
    prep_lines: list[str] = []
    for title in SECTIONS:
        prep_lines += _section(body_text, title)
    notes_lines = _section(body_text, "notes")
    lines: list[str] = []
    mention: list[str] = []
    questions: list[str] = []
    for source, raw_lines in (("prep", prep_lines), ("notes", notes_lines)):
        in_callout = False
        for raw in raw_lines:
            stripped = raw.strip()
            callout = _CALLOUT.match(stripped)
            if callout:
                kind, text = callout.group(1), _clean(callout.group(2))
                lines.append(f"{kind.capitalize()}: {text}" if text else f"{kind.capitalize()}:")
                in_callout = True
                continue
            if in_callout and stripped.startswith(">"):
                more = _clean(stripped.lstrip("> "))
                if more:
                    lines[-1] = f"{lines[-1]} {more}"[:MAX_LINE]
                continue
            in_callout = False
            if not stripped or stripped.startswith("#"):
                continue
            text = _clean(stripped.lstrip("> "))
            if not text:
                continue
            if _MENTION.search(text):
                marked = _MENTION.sub("", text).strip()
                if marked:
                    mention.append(marked.rstrip(".") + ".")
            elif source == "prep" and text.endswith("?"):
                questions.append(text)
            elif source == "prep":
                lines.append(text)
    return Research(lines[:MAX_LINES], mention[:MAX_LINES], questions[:MAX_LINES])


def question_from(marked: str) -> str | None:
    """A question to ask about something they did, from a line the notes mark ("Gave a talk on
    X at Y." -> "I saw you gave a talk on X at Y. What led you to it, and what did it teach
    you?"); None when the line does not read as something they did."""
    text = marked.rstrip(".").strip()
    if not text or _THIRD_PERSON.search(text):
        return None
    first = text[0].lower() + text[1:]
    if not _DID.match(first):
        return None
    return f"I saw you {first}. What led you to it, and what did it teach you?"


_LESSON = re.compile(r"^company\s*:\s*(.+)$", re.I)


def company_lessons(body_text: str) -> list[str]:
    """What a call taught about the company, for every later sheet there: the lines of any
    `### Call …` section (wherever it is in the body) that start `Company:` ("Company:
    referrals go through a Greenhouse form; apply after the referral is in")."""
    from coffeechat.model.body import call_sections

    lines = body_text.splitlines()
    lessons = []
    for heading, end in call_sections(body_text):
        for line in lines[heading.line + 1 : end]:
            text = line.strip()
            text = text[2:].strip() if text.startswith(("- ", "* ")) else text
            match = _LESSON.match(text)
            if match:
                lessons.append(match.group(1).strip())
    return lessons
