"""The frontmatter most notes have, read without PyYAML: `key: value` lines, lists in brackets
or as `- item` lines, quoted text without escapes, comments.

A cold run reads every note, and PyYAML spends most of its time per note in Python (resolving
and constructing each value), not in its C parser. This reader takes only a small, exactly
known part of YAML and answers None for anything else, which then goes to PyYAML
(notefile.load_frontmatter): a nested mapping, a block scalar (`|`, `>`), a value over two
lines, an escape, an anchor, a tag, a tab, a carriage return, a character YAML would refuse or
treat as a line break, a key that is not a plain name. What it does read, it reads as the note
loader does: the same implicit types in the same order (YAML 1.2 core booleans and nulls,
decimal integers, dates and times, an impossible date kept as its text), the same key lines,
the same duplicate keys. tests/test_plainyaml.py holds it to that on the YAML test suite's
documents and on generated frontmatter.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from coffeechat.core.patterns import lazy

# The note loader's implicit types: (tag, pattern, the first characters it applies to), in
# the order PyYAML tries them. notefile builds its loader from this same table.
RESOLVERS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    (
        "tag:yaml.org,2002:timestamp",
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}"
        r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
        r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$",
        "0123456789",
    ),
]

_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] | None = None

# PyYAML's SafeConstructor.timestamp_regexp, which builds a date or time once resolved.
_TIMESTAMP = lazy(
    r"""^(?P<year>[0-9][0-9][0-9][0-9])
    -(?P<month>[0-9][0-9]?)
    -(?P<day>[0-9][0-9]?)
    (?:(?:[Tt]|[ \t]+)
    (?P<hour>[0-9][0-9]?)
    :(?P<minute>[0-9][0-9])
    :(?P<second>[0-9][0-9])
    (?:\.(?P<fraction>[0-9]*))?
    (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)
    (?::(?P<tz_minute>[0-9][0-9]))?))?)?$""",
    re.X,
)
_KEY_LINE = lazy(r"([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +(.*))?$")
_ITEM_LINE = lazy(r"( *)-(?: +(.*))?$")
# What a plain value may not start with (an indicator: `- x`, `? x`, `: x`, a flow
# collection, a comment, an anchor, an alias, a tag, a block scalar, a quote, a directive,
# the reserved `@` and backquote), here even where YAML would allow it (`-5`).
_NOT_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
# What a list item in brackets may not hold, here: quotes, nesting, keys (and ` #`, a comment).
_NOT_IN_FLOW = frozenset("[]{}\"':?")


MAX_NESTING = 32


def too_deep(text: str) -> int | None:
    """Where `text` first has more than MAX_NESTING brackets (`[`, `{`) open, counted on the
    raw text, quoted or not, or None. The note loader refuses such a block before its C parser
    sees it (very deep nesting crashes it), so this reader declines it too."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None  # too few brackets to nest that deep
    depth = 0
    for offset, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return offset
        elif char in "]}" and depth:
            depth -= 1
    return None


class Unread(Exception):
    """Not the plain frontmatter this reader takes: PyYAML reads it."""


_EMPTY = object()  # `key:` with nothing after it: null, or a block list below
# What each `key: value` line said, for the run: many notes share lines (`kind: engineer`,
# a date, a company). A line's meaning does not depend on the lines around it, and its value
# is immutable, but for a list (copied for each note).
_LINES: dict[str, tuple[str, Any]] = {}


def read_plain(text: str) -> tuple[dict[str, Any], dict[str, int], list[str]] | None:
    """The keys and values of a frontmatter block (between the fences), the line in the file
    of each key (the block starts on line 2) and the keys written twice; None when it is
    not plain enough for this reader."""
    try:
        return _read(text)
    except Unread:
        return None


def _read(text: str) -> tuple[dict[str, Any], dict[str, int], list[str]]:
    if "\t" in text or "\r" in text:
        raise Unread
    lines = text.split("\n")
    if not "".join(lines).isprintable():
        raise Unread  # control characters, NEL and the Unicode line breaks, a BOM
    if too_deep(text) is not None:
        raise Unread  # an error for the note loader, even inside quotes
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    duplicates: list[str] = []
    count = len(lines)
    number = 0
    while number < count:
        line = lines[number]
        read = _LINES.get(line)
        if read is None:
            found = _KEY_LINE.match(line)
            if found is None:
                # A blank or comment line; anything else (an indented line: a value that
                # goes on, or a nested one; a list item not under an empty key) is not
                # read here.
                stripped = line.lstrip(" ")
                if stripped and stripped[0] != "#":
                    raise Unread
                number += 1
                continue
            key, rest = found.groups()
            read = (key, _block_value(rest) if rest else _EMPTY)
            if len(_LINES) >= 8192:
                _LINES.clear()
            _LINES[line] = read
        key, value = read
        at = number
        number += 1
        if value is _EMPTY:
            value, number = _below(lines, number)
        elif type(value) is list:
            value = list(value)  # each note its own list
        if key in values:
            duplicates.append(key)
            del values[key]
        values[key] = value
        key_lines[key] = at + 2
    return values, key_lines, duplicates


def _below(lines: list[str], number: int) -> tuple[Any, int]:
    """The value of a key with nothing after its colon: the `- item` lines below it, all at
    one indent, or null when the next line with content is the next key. A line indented
    past the items (an item that goes on, or holds more) is not read here."""
    items: list[Any] = []
    indent = -1
    count = len(lines)
    while number < count:
        line = lines[number]
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            number += 1
            continue
        item = _ITEM_LINE.match(line)
        if item is None:
            if line[0] == " ":
                raise Unread  # an indented value that is not a list item
            break
        if indent == -1:
            indent = len(item.group(1))
        elif len(item.group(1)) != indent:
            raise Unread
        rest = item.group(2)
        value = _block_value(rest) if rest else None
        if value is _EMPTY:
            value = None
        elif type(value) is list:
            raise Unread  # a list in a list
        items.append(value)
        number += 1
    return (items if indent != -1 else None), number


def _block_value(rest: str) -> Any:
    """A value written after `key: ` or `- `, up to its line's end."""
    if not rest or rest[0] == "#":
        return _EMPTY
    first = rest[0]
    if first == '"':
        end = rest.find('"', 1)
        if end == -1 or rest.find("\\", 1, end) != -1:
            raise Unread
        if end + 1 < len(rest):
            _comment_only(rest[end + 1 :])
        return rest[1:end]
    if first == "'":
        end = rest.find("'", 1)
        if end == -1 or rest[end + 1 : end + 2] == "'":
            raise Unread
        _comment_only(rest[end + 1 :])
        return rest[1:end]
    if first == "[":
        items, end = _flow_list(rest)
        _comment_only(rest[end:])
        return items
    if first in _NOT_FIRST:
        raise Unread
    cut = rest.find(" #")
    plain = (rest if cut == -1 else rest[:cut]).rstrip(" ")
    if ": " in plain or plain[-1] == ":":
        raise Unread
    return _resolved(plain)


def _comment_only(tail: str) -> None:
    """What follows a quoted value or a list on its line: nothing, or spaces and a comment."""
    if tail and tail.strip(" ") and not (tail[0] == " " and tail.lstrip(" ")[0] == "#"):
        raise Unread


def _flow_list(rest: str) -> tuple[list[Any], int]:
    """A list in brackets on one line (`[a, "b, c"]`), and where it ends in `rest`."""
    items: list[Any] = []
    at, size = 1, len(rest)
    while True:
        while at < size and rest[at] == " ":
            at += 1
        if at == size:
            raise Unread  # it goes on below
        first = rest[at]
        if first == "]" and not items:
            return items, at + 1
        if first == '"' or first == "'":
            end = rest.find(first, at + 1)
            if end == -1 or rest[end + 1 : end + 2] == first:
                raise Unread
            item = rest[at + 1 : end]
            if first == '"' and "\\" in item:
                raise Unread
            items.append(item)
            at = end + 1
        else:
            end = at
            while end < size and rest[end] not in ",]":
                end += 1
            plain = rest[at:end].rstrip(" ")
            if (
                not plain
                or first in _NOT_FIRST
                or not _NOT_IN_FLOW.isdisjoint(plain)
                or " #" in plain
            ):
                raise Unread
            items.append(_resolved(plain))
            at = end
        while at < size and rest[at] == " ":
            at += 1
        if at == size:
            raise Unread
        if rest[at] == "]":
            return items, at + 1
        if rest[at] != ",":
            raise Unread
        at += 1


def _resolved(plain: str) -> Any:
    """A plain value as the note loader types it (each value is immutable: text, a number,
    a date, a time, true, false or null, so a run reads each distinct one once)."""
    found = _SEEN.get(plain, _SEEN)
    if found is not _SEEN:
        return found
    if len(_SEEN) >= 4096:
        _SEEN.clear()
    found = _SEEN[plain] = _typed(plain)
    return found


_SEEN: dict[str, Any] = {}


def _typed(plain: str) -> Any:
    global _BY_FIRST
    if _BY_FIRST is None:
        _BY_FIRST = {}
        for tag, source, firsts in RESOLVERS:
            for first in firsts:
                _BY_FIRST.setdefault(first, []).append((tag, re.compile(source)))
    for tag, compiled in _BY_FIRST.get(plain[:1], ()):
        if compiled.match(plain):
            return _constructed(tag, plain)
    return plain


def _constructed(tag: str, plain: str) -> Any:
    kind = tag[18:]  # after "tag:yaml.org,2002:"
    if kind == "null":
        return None
    if kind == "bool":
        return plain.lower() == "true"
    if kind == "int" and len(plain) <= 1000:
        return int(plain)
    if kind == "timestamp":
        return _timestamp(plain)
    raise Unread  # a float, or an integer longer than Python converts by default


def _timestamp(plain: str) -> date | datetime | str:
    """PyYAML's construct_yaml_timestamp, and the note loader's leniency: a date or time
    that cannot be (2026-02-30, hour 25) stays the text it is."""
    match = _TIMESTAMP.match(plain)
    if match is None:
        raise Unread
    values = match.groupdict()
    try:
        year = int(values["year"])
        month = int(values["month"])
        day = int(values["day"])
        if not values["hour"]:
            return date(year, month, day)
        hour = int(values["hour"])
        minute = int(values["minute"])
        second = int(values["second"])
        fraction = 0
        tzinfo = None
        if values["fraction"]:
            digits = values["fraction"][:6]
            while len(digits) < 6:
                digits += "0"
            fraction = int(digits)
        if values["tz_sign"]:
            tz_hour = int(values["tz_hour"])
            tz_minute = int(values["tz_minute"] or 0)
            delta = timedelta(hours=tz_hour, minutes=tz_minute)
            if values["tz_sign"] == "-":
                delta = -delta
            tzinfo = timezone(delta)
        elif values["tz"]:
            tzinfo = UTC
        return datetime(year, month, day, hour, minute, second, fraction, tzinfo=tzinfo)
    except ValueError:
        return plain
