"""The dated lines of a person note's body: what the `## Log` and the calls say happened.

Read once when the note is read (and kept in the index cache with its keys), so that `due`
can count from the last touch of any sort without opening 10,000 files:

- `touched`: the day of the latest `## Log` line (`- 2026-11-12: sent slots`) or `### Call`
  heading;
- `promises`: each `Next:` line of a call, and each log line whose text starts `Next:`, with
  the day it was written on (the call's, the log line's) and its line in the file; when it
  falls due is worked out at run time (`when.parse.promise_day`), so a better grammar needs
  no re-reading;
- the give-back record: log lines whose text starts `gave:` (help you gave them) or
  `asked:` (help they asked you for), with their days;
- `moved`: log lines an import wrote on finding a new company or title (`moved: …`).

The facts are kept as one short text per note: the touched day first (ten characters, so a
big vault's `due` compares it without decoding anything), then, only when the note has any,
the rest as JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from coffeechat.core.limits import YEARS

EMPTY: Mapping[str, Any] = MappingProxyType({})
# The give-back record's markers, at the start of a log line's text.
GAVE, ASKED, MOVED = "gave:", "asked:", "moved:"
NEXT = "next:"
_LOG_LINE = re.compile(r"^\s*[-*]\s+(\d{4}-\d{2}-\d{2})\s*:?\s*(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_CALL = re.compile(r"^call\b\D*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")


def _day(text: str) -> date | None:
    """The day a line is dated, None when it is not a day or is outside the years the tool
    computes with (a `- 9999-12-31:` typo would be the last touch for ever, and overflow)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if YEARS[0] <= day.year <= YEARS[1] else None


def read_body(body: str, first_line: int = 1) -> str:
    """The facts of a note's `body` as their stored text ("" when there are none);
    `first_line` is the body's first line in the file."""
    if "#" not in body:
        return ""  # no heading: no log, no call
    touched: date | None = None
    promises: list[list[Any]] = []
    marks: dict[str, list[list[Any]]] = {}
    section, call_day, fenced = "", None, False
    touched_text = ""  # the touched day's ISO text
    # Most lines are prose outside the log and the calls: only a heading, a fence, or a line
    # of the log or a call can say anything, so the others are passed over with one test.
    fences = "```" in body or "~~~" in body
    for number, line in enumerate(body.splitlines(), start=first_line):
        if fences:
            if _FENCE.match(line):
                fenced = not fenced
                continue
            if fenced:
                continue
        heading = _HEADING.match(line) if line[:1] == "#" else None
        if heading:
            level, title = len(heading.group(1)), heading.group(2)
            if level <= 2:
                section, call_day = title.casefold(), None
            elif level == 3:
                call = _CALL.match(title)
                call_day = _day(call.group(1)) if call else None
                if call_day and (touched is None or call_day > touched):
                    touched, touched_text = call_day, call_day.isoformat()
            continue
        if section == "log":
            match = _LOG_LINE.match(line)
            if match is None:
                continue
            day_text, text = match.groups()
            text = text.strip()
            first = text[:1]
            plain = first.isascii() and first not in "nNgGaAmM"  # not `Next:`, `gave:`…
            if plain and day_text <= touched_text:
                continue  # nothing new: an ISO day's text sorts as the day does
            day = _day(day_text)
            if day is None:
                continue
            if touched is None or day > touched:
                touched, touched_text = day, day_text
            if plain:
                continue
            lowered = text.casefold()
            if lowered.startswith(NEXT):
                promises.append([day.isoformat(), text[len(NEXT) :].strip(), number])
            for mark in (GAVE, ASKED, MOVED):
                if lowered.startswith(mark):
                    marks.setdefault(mark[:-1], []).append(
                        [day.isoformat(), text[len(mark) :].strip()]
                    )
        elif call_day is not None:
            text = line.strip()
            text = text[2:].strip() if text.startswith(("- ", "* ")) else text
            if text.casefold().startswith(NEXT):
                promises.append([call_day.isoformat(), text[len(NEXT) :].strip(), number])
    rest: dict[str, Any] = dict(marks)
    if promises:
        rest["promises"] = promises
    head = touched.isoformat() if touched else ""
    if not rest:
        return head
    return (head or " " * 10) + json.dumps(rest, ensure_ascii=False, separators=(",", ":"))


def touched_day(raw: str) -> date | None:
    """The last dated line's day from the stored text."""
    return _day(raw[:10]) if raw[:1].isdigit() else None


def facts(raw: str) -> Mapping[str, Any]:
    """The promises and the give-back record from the stored text."""
    if len(raw) <= 10:
        return EMPTY
    try:
        value = json.loads(raw[10:])
    except ValueError:
        return EMPTY
    return value if isinstance(value, dict) else EMPTY


def dated(raw: str, what: str) -> list[tuple[date, str]]:
    """(day, text) of the `gave`, `asked` or `moved` lines, oldest first."""
    found = []
    for entry in facts(raw).get(what, ()):
        if isinstance(entry, list) and len(entry) == 2:
            day = _day(str(entry[0]))
            if day is not None:
                found.append((day, str(entry[1])))
    return sorted(found)


def promises(raw: str) -> list[tuple[date, str, int]]:
    """(written on, the words after `Next:`, line in the file) of each promise."""
    found = []
    for entry in facts(raw).get("promises", ()):
        if isinstance(entry, list) and len(entry) == 3:
            day = _day(str(entry[0]))
            if day is not None and isinstance(entry[2], int):
                found.append((day, str(entry[1]), entry[2]))
    return found
