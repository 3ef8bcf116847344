"""A note's Markdown body: finding its sections and adding lines to them.

Headings are found with a real CommonMark parser, so a `## Log` inside a code block is not a
section. Lines are added after the section's last non-blank line; every other line of the body
stays as it was, including its line endings and a missing final newline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    line: int  # 0-based line in the body


@cache
def _parser() -> Any:
    """One CommonMark parser for the run (building one costs more than parsing a note), for
    the blocks only: a heading's text is its raw line, and nothing reads inline markup."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").disable("inline")


def headings(body: str) -> list[Heading]:
    tokens = _parser().parse(body)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            title = tokens[index + 1].content.strip()
            found.append(Heading(int(token.tag[1]), title, token.map[0]))
    return found


def section_lines(body: str, title: str, level: int = 2) -> tuple[int, int] | None:
    """The lines [heading, end) of the first section titled `title` (any case), or None."""
    found = headings(body)
    total = len(body.splitlines())
    for index, heading in enumerate(found):
        if heading.level == level and heading.title.casefold() == title.casefold():
            later = (h.line for h in found[index + 1 :] if h.level <= level)
            return heading.line, next(later, total)
    return None


def append_to_section(
    body: str, title: str, text: str, newline: str, level: int = 2, separate: bool = False
) -> str:
    """`body` with `text` added at the end of section `title`, creating the section if absent;
    `separate` leaves a blank line before it (a sub-heading of its own)."""
    lines = body.splitlines(keepends=True)
    bounds = section_lines(body, title, level)
    if bounds is None:
        block = f"{'#' * level} {title}{newline}{newline}{text}"
        if not body.strip():
            return body + block + newline
        ending = "" if body.endswith(("\n", "\r")) else newline
        gap = "" if body.endswith(("\n\n", "\r\n\r\n")) else newline
        return body + ending + gap + block + (newline if body.endswith(("\n", "\r")) else "")
    start, end = bounds
    last = start
    for number in range(start + 1, min(end, len(lines))):
        if lines[number].strip():
            last = number
    insert = text + newline
    if last == start or separate:
        insert = newline + insert
    before, after = lines[: last + 1], lines[last + 1 :]
    if before and not before[-1].endswith(("\n", "\r")):
        before[-1] += newline
        insert = insert.removesuffix(newline)
    return "".join(before) + insert + "".join(after)
