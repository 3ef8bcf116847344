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


# A line where the user warned themselves: "don't push the referral hard", "DON'T lead with
# that", "not yet", "careful, he's on my loop".
_CAUTION = re.compile(
    r"\b(?:don'?t|don\u2019t|do not|avoid(?:ing)?|not yet|careful|never|no need to|hold off|"
    r"steer clear|stay away|watch out|sensitive|touchy|off[- ]limits|keep it (?:light|short|"
    r"brief|quick))\b",
    re.I,
)
# What a caution about an opener says not to do with it.
_LEAD = re.compile(
    r"\b(?:lead with|open with|start with|mention|bring (?:it |that |this )?up|bring up|tell|"
    r"ask about|talk about|raise)\b",
    re.I,
)
_PLAIN_WORDS = frozenset(
    [
        "about",
        "after",
        "again",
        "also",
        "because",
        "been",
        "before",
        "being",
        "both",
        "came",
        "come",
        "could",
        "does",
        "doing",
        "done",
        "from",
        "going",
        "have",
        "here",
        "into",
        "just",
        "know",
        "knows",
        "like",
        "made",
        "make",
        "many",
        "more",
        "most",
        "much",
        "next",
        "only",
        "other",
        "over",
        "really",
        "said",
        "says",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "things",
        "this",
        "those",
        "told",
        "very",
        "want",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "work",
        "works",
        "would",
        "your",
        "yours",
        "team",
    ]
)


def is_caution(text: str) -> bool:
    """Whether a line warns the user off something ("don't…", "avoid…", "not yet", "careful").
    A question to yourself whose only such words are "not yet" ("not yet time to give up?")
    wonders; it does not warn."""
    found = {match.lower() for match in _CAUTION.findall(text)}
    if found == {"not yet"} and text.rstrip().endswith("?"):
        return False
    return bool(found)


def _units(body_text: str) -> list[str]:
    """The body's lines as the user wrote them: a paragraph wrapped over several lines is
    one, a list item one, a heading none; each then split into its sentences."""
    units: list[str] = []
    joining = False
    for raw in body_text.splitlines():
        text = raw.strip().lstrip(">").strip()
        if not text or text.startswith("#"):
            joining = False
            continue
        item = bool(_BULLET.match(text))
        text = _clean(text)
        text = text[1:].strip() if text.startswith("!") else text
        if joining and not item and units:
            units[-1] = f"{units[-1]} {text}"
        else:
            units.append(text)
        joining = not item
    return [part for unit in units for part in re.split(r"(?<=[.!?])\s+", unit) if part]


def cautions(body_text: str, values: tuple[str, ...] = ()) -> list[str]:
    """The sentences where the user warned themselves, from every section of the note's body
    (call notes, `## Prep`, plain `## Notes` lines, the log) and from `values` (what they
    share, the company's `in`), once each, in the note's order."""
    found: dict[str, None] = {}
    for text in [*_units(body_text), *values]:
        if is_caution(text):
            found[text[:MAX_LINE]] = None
    return list(found)[:MAX_LINES]


def _words(text: str) -> set[str]:
    return {
        word
        for word in re.findall(r"[a-z]{4,}", text.lower())
        if word not in _PLAIN_WORDS and not _CAUTION.fullmatch(word)
    }


def warned_off(item: str, found: list[str]) -> bool:
    """Whether the notes say not to lead with `item`: it carries a caution itself, or a
    caution about mentioning something shares its words ("my mom knows his wife from
    church" and "church thing: DON'T lead with that")."""
    if is_caution(item):
        return True
    words = _words(item)
    return any(
        _LEAD.search(line) and len(words & _words(line)) >= (1 if len(words) <= 3 else 2)
        for line in found
    )


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
