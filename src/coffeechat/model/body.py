"""A note's Markdown body: finding its sections and adding lines to them.

Headings are found with a real CommonMark parser, so a `## Log` inside a code block is not a
section. Lines are added after the section's last non-blank line; every other line of the body
stays as it was, including its line endings and a missing final newline.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    line: int  # 0-based line in the body


@functools.cache
def _block_parser() -> MarkdownIt:
    """A CommonMark parser of blocks alone: headings and where they are need no inline
    parsing (a heading's text is its raw content), which is half the time of a note."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").disable("inline")


def headings(body: str) -> list[Heading]:
    """The body's headings, in order, each on its line of `body.splitlines()` (how every
    reader and editor of sections cuts a body). A plain body (`_plain_headings`) is read line
    by line; any other goes through the CommonMark parser, which finds the same on a plain
    one."""
    found = _plain_headings(body)
    if found is None:
        found = parsed_headings(body)
    if found and _other_breaks(body):
        found = _renumbered(body, found)
    return found


# What ends a line for `str.splitlines` but not for CommonMark, which ends lines at `\n` and
# `\r` alone: a vertical tab, a form feed, the file, group and record separators, NEL, and the
# Unicode line and paragraph separators (pasted text can hold them).
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _other_breaks(body: str) -> bool:
    """Whether `body` holds one of _OTHER_BREAKS (a character at a time: a tenth of the time
    of the pattern's search, on a big vault's every body)."""
    return (
        "\x0c" in body
        or "\x0b" in body
        or "\x1c" in body
        or "\x1d" in body
        or "\x1e" in body
        or (not body.isascii() and ("\u2028" in body or "\x85" in body or "\u2029" in body))
    )


def _renumbered(body: str, found: list[Heading]) -> list[Heading]:
    """`found` (lines counted as CommonMark counts them) on the lines of `body.splitlines()`."""
    before = 0
    starts = []  # for each CommonMark line, how many more lines splitlines() has before it
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        starts.append(before)
        before += len(_OTHER_BREAKS.findall(line))
    return [Heading(h.level, h.title, h.line + starts[h.line]) for h in found]


def parsed_headings(body: str) -> list[Heading]:
    """The headings as the CommonMark parser finds them."""
    tokens = _block_parser().parse(body)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            title = tokens[index + 1].content.strip()
            found.append(Heading(int(token.tag[1]), title, token.map[0]))
    return found


# What makes a body other than plain, where a heading could be anything but a line that starts
# with `#`: a code fence, an HTML block, a setext underline (`===`, `---`), a `#` that a line
# indents or opens a list item or a quote with (`  ## x`, `- # x`, `> # x`), and a list that
# may be ten lists deep: the parser reads nothing more of a body inside a tenth list in a list
# (its guard against deep nesting), so no heading after it. A tenth list's marker is 18 columns
# in at least (a marker and a space for each list around it): 19 characters of indents and
# markers, or 5 when one of them is a tab (up to 4 columns).
_FENCES = ("```", "~~~")
_NOT_PLAIN = re.compile(
    r"[ \t>*+\d.)-]*<|[ \t>]*(?:=+|-+|(?:-[ \t]*){3,})[ \t]*$|[ \t>*+\d.)-]+#{1,6}(?:[ \t]|$)"
    r"|[ \t>*+\d.)-]{19}|(?=[ \t>*+\d.)-]*\t)[ \t>*+\d.)-]{5}"
)
# The first characters of the lines that may hold one of those.
_MAY_NOT_BE_PLAIN = frozenset(" \t>*+-0123456789<=")


def _plain_headings(body: str) -> list[Heading] | None:
    """The headings of a plain body (most notes: paragraphs, lists, `## Notes`, `## Log`) without
    the parser, None for any other. On a plain body the parser's headings are exactly its lines
    opening with one to six `#` then a space, a tab or the line's end (the tests hold the two
    together on every kind of line)."""
    if "\r" in body or "\0" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    if any(fence in body for fence in _FENCES):
        return None
    found = []
    for number, line in enumerate(body.split("\n")):
        first = line[:1]
        if first in _MAY_NOT_BE_PLAIN and _NOT_PLAIN.match(line):
            return None
        if first != "#":
            continue
        level = len(line) - len(line.lstrip("#"))
        rest = line[level:]
        if level > 6 or (rest and rest[0] not in " \t"):
            continue
        # A closing run of `#` goes when a space or tab comes before it: `## Notes ##`.
        rest = rest.rstrip(" \t")
        bare = rest.rstrip("#")
        if len(bare) < len(rest) and bare[-1:] in (" ", "\t"):
            rest = bare
        found.append(Heading(level, rest.strip(), number))
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


# A `## Log` entry: a list item at the start of a line that begins with its day.
_DATED_ENTRY = re.compile(r"^[-*+]\s+(\d{4}-\d{2}-\d{2})\b")


def add_log_line(body: str, line: str, newline: str) -> str:
    """`body` with the dated `line` (`- 2026-11-20: replied`) in `## Log` at its place by
    date: before the first entry dated after it, else at the end (where `merge` puts a
    copy's entries too); the section is made when missing."""
    day = _DATED_ENTRY.match(line)
    bounds = section_lines(body, "Log")
    if day and bounds:
        lines = body.splitlines(keepends=True)
        for number in range(bounds[0] + 1, min(bounds[1], len(lines))):
            entry = _DATED_ENTRY.match(lines[number])
            if entry and entry.group(1) > day.group(1):
                return "".join(lines[:number]) + line + newline + "".join(lines[number:])
    return append_to_section(body, "Log", line, newline)


def call_sections(body: str) -> list[tuple[Heading, int]]:
    """Every `### Call …` section, wherever it is in the body (under `## Notes`, where the
    README puts it, or under `## Prep`, where people also write it): its heading and the line
    it ends before (the next heading of any level, or the end). A body without `###` and
    `call` has none, and is not parsed: most bodies, on `doctor`'s every note."""
    if "###" not in body or "call" not in body.lower():
        return []
    found = headings(body)
    total = len(body.splitlines())
    sections = []
    for heading in found:
        if heading.level == 3 and heading.title.lower().startswith("call"):
            end = next((h.line for h in found if h.line > heading.line), total)
            sections.append((heading, end))
    return sections


def has_line(body: str, line: str) -> bool:
    """Whether a line of `body` is `line`, as a bullet or plain, spaces aside."""

    def bare(text: str) -> str:
        text = text.strip()
        return " ".join((text[2:] if text.startswith(("- ", "* ")) else text).split())

    wanted = bare(line)
    return any(bare(text) == wanted for text in body.splitlines())


def add_call_line(body: str, line: str, mark: str, day: str, newline: str) -> str:
    """`body` with `line` (`Thanks: …` or `Next: …`) in the last `### Call` section inside
    `## Notes`, where the drafts read it, when that section has no line starting `mark`
    yet; else in a new `### Call DAY` section at the end of `## Notes` (made if missing)."""
    notes = section_lines(body, "Notes")
    if notes is not None:
        found = headings(body)
        calls = [
            h
            for h in found
            if h.level == 3 and notes[0] < h.line < notes[1] and h.title.lower().startswith("call")
        ]
        if calls:
            start = calls[-1].line
            end = min([notes[1], *(h.line for h in found if start < h.line < notes[1])])
            lines = body.splitlines(keepends=True)
            section = lines[start + 1 : end]
            taken = any(
                text.strip().removeprefix("- ").removeprefix("* ").lower().startswith(mark.lower())
                for text in section
            )
            if not taken:
                last = start
                for number in range(start + 1, min(end, len(lines))):
                    if lines[number].strip():
                        last = number
                before, after = lines[: last + 1], lines[last + 1 :]
                insert = newline + line + newline
                if before and not before[-1].endswith(("\n", "\r")):
                    before[-1] += newline
                    insert = insert.removesuffix(newline) if not after else insert
                return "".join(before) + insert + "".join(after)
    block = f"### Call {day}{newline}{newline}{line}"
    return append_to_section(body, "Notes", block, newline, separate=True)
