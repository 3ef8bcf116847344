"""A frontmatter list as the user meant it: a flow list (`common: [a, b]`) splits at every
comma, so `[Rockies hiking club (ask about that, lol)]` reads as two items; `rejoined` puts
such halves back together, and `split_items` names them for doctor."""

from __future__ import annotations

import itertools
import re

# An item that cannot stand alone: a bare interjection, or the rest of a clause.
_FILLER = re.compile(r"^(?:lol|lmao|haha+|ha|jk|ok|okay|etc\.?|\.\.\.|…|\?+|!+)\W*$", re.I)
_CONTINUES = re.compile(r"^(?:and|but|or|so|then|which|who|because|though|although)\b")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))


def _open(text: str) -> int:
    """How many brackets `text` leaves open (negative: closes more than it opens)."""
    return sum(text.count(left) - text.count(right) for left, right in _PAIRS)


def _belongs_before(item: str, before: str) -> bool:
    """Whether `item` is the rest of the item before it, cut off by a comma."""
    return (
        _open(before) > 0
        or _open(item) < 0
        or bool(_FILLER.match(item.strip()))
        or bool(_CONTINUES.match(item.strip()))
    )


def split_items(items: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each pair of neighbouring items that reads as one item split at a comma."""
    return [
        (before, item)
        for before, item in itertools.pairwise(items)
        if _belongs_before(item, before)
    ]


def rejoined(items: tuple[str, ...]) -> tuple[str, ...]:
    """The items as the user meant them: a half split off at a comma joined back on."""
    joined: list[str] = []
    for item in items:
        if joined and _belongs_before(item, joined[-1]):
            joined[-1] = f"{joined[-1]}, {item}"
        else:
            joined.append(item)
    return tuple(joined)
