"""How a draft words things: days as people say them, a value as a sentence, and whether a
value meant for the contact reads as a note about them instead.

Kept apart from `context` because the refusal checks in `kinds` speak the same way, and
`context` builds on `kinds`.
"""

from __future__ import annotations

import re
from datetime import date

from coffeechat.when.timefmt import WEEKDAYS

# How a written-to-them value gives itself away as a note about the person instead.
_NOTE_LIKE = (
    (re.compile(r"\b(she|he|her|hers|him|his|they|their|theirs)\b", re.IGNORECASE), "`{}`"),
    (re.compile(r"\([^)]*\)"), "an aside in brackets"),
    (re.compile(r"\b(mention|bring up|ask about) (it|this|that)\W*$", re.IGNORECASE), "`{}`"),
)


def day_words(day: date, today: date) -> str:
    """`today`, `yesterday`, `on Tuesday` within the week, else `on November 12`."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"on {WEEKDAYS[day.weekday()]}"
    return f"on {day:%B} {day.day}"


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
