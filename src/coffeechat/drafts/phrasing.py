"""How a draft words things: days as people say them, and the advice for a value meant for
the contact that reads as a note instead (the check itself is `coffeechat.model.written`).

Kept apart from `context` because the refusal checks in `kinds` speak the same way, and
`context` builds on `kinds`.
"""

from __future__ import annotations

from datetime import date

from coffeechat.model.written import note_like
from coffeechat.when.timefmt import WEEKDAYS


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


# A sentence to them for each written-to-them value, for the advice to rephrase one.
EXAMPLES = {
    "hook": "I enjoyed your talk on consumer lag.",
    "interest": "I have paid my rent with your app for two years.",
    "news": "Congratulations on the seed round.",
    "Thanks:": "Your tip to practise window functions was a great help.",
    "Next:": "I'll send you my resume tonight.",
}


def rephrase(key: str, why: str) -> str:
    """The advice for a value of `key` (a key name, or `Thanks:`/`Next:`) that reads as a
    note for the reason `why`."""
    example = EXAMPLES.get(key.removesuffix(" line"), EXAMPLES["hook"])
    return (
        f"`{key}` reads as a note ({why}), not as a sentence to them: rephrase it as you "
        f'would write it to them, e.g. "{example}"'
    )


def rephrase_hint(key: str, text: str, about_person: bool = True, name: str = "") -> str:
    """The advice doctor gives for a written-to-them value that reads as a note; "" when it
    reads as written to them."""
    why = note_like(text, about_person, name)
    return rephrase(key, why) if why else ""
