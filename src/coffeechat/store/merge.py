"""Merging a note with its sync conflict copies: key by key, then the log, then line by line.

Without the version both devices started from, a removal on one side cannot be told from an
addition on the other, so nothing here removes anything:

- **Keys.** A key only one side holds is kept. Where both hold it, the key's declared merge
  rule decides (`Key.merge`, defaulting to its kind's; `kinds.MERGE_RULES`): the same value is
  kept; `earliest`/`latest` keep the earlier or later date; `union` keeps every item of both
  lists once, the note's order first; any other difference is a conflict.
- **The log.** Every dated `## Log` line of the copy that the note lacks is added at its place
  by date (lines already in the note keep their order), so the log never conflicts.
- **The rest of the body.** A two-way line diff: lines both sides share stay, a run of lines
  only one side has is kept, and a place where both sides hold different lines is a conflict.

A conflict is never settled here: `decide` (the user, through the command) says `mine`,
`theirs` or, for body lines, `both`; a conflict it leaves undecided leaves the merge with no
result, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from coffeechat.core.errors import NoteError, Problem
from coffeechat.core.patterns import lazy
from coffeechat.model.body import section_lines
from coffeechat.model.note import Key, read_value
from coffeechat.store.notefile import (
    NoteText,
    apply_changes,
    emit_value,
    load_frontmatter,
    split_note,
)

Choice = Literal["mine", "theirs", "both"]
CHOICES: tuple[Choice, ...] = ("mine", "theirs", "both")
BODY = "body"
GIT = "git conflict markers"
_ENTRY = lazy(r"[ \t]*[-*+] (\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Conflict:
    """Two versions of one key, or of one place in the body, that the merge will not choose
    between. `line` is where the note's version is; `mine` and `theirs` are as written."""

    copy: Path
    where: str  # a key's name, or BODY
    line: int | None
    mine: tuple[str, ...]
    theirs: tuple[str, ...]

    @property
    def choices(self) -> tuple[Choice, ...]:
        return CHOICES if self.where == BODY else ("mine", "theirs")


@dataclass(frozen=True)
class Step:
    """What the merge did by itself: `where` (a key, `## Log` or BODY) and what."""

    copy: Path
    where: str
    what: str


@dataclass
class Merged:
    """A note and its copies merged: what was done, each conflict with its decision, and the
    new bytes (None while a conflict is undecided)."""

    note: Path
    original: bytes
    copies: list[tuple[Path, str, bytes]]
    steps: list[Step] = field(default_factory=list)
    conflicts: list[tuple[Conflict, Choice | None]] = field(default_factory=list)
    result: bytes | None = None
    git: bool = False  # the other side came from git's conflict markers in the note

    @property
    def undecided(self) -> list[Conflict]:
        return [conflict for conflict, choice in self.conflicts if choice is None]

    @property
    def changes(self) -> bool:
        return self.result is not None and self.result != self.original


Decide = Callable[[Conflict], Choice | None]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _typed(key: Key | None, value: Any, zone: Any) -> Any:
    if key is None:
        return value
    try:
        return read_value(key, value, zone)
    except ValueError:
        return value


def _shown(value: Any) -> tuple[str, ...]:
    if isinstance(value, dict):
        return (repr(value),)
    return (emit_value(value),)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _writable(copy: Path, line: int | None, name: str, value: Any) -> Any:
    """A value taken from a copy, refused when coffeechat cannot write it back exactly."""
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, dict | list) for item in items):
        raise NoteError(
            Problem(copy, line, f"`{name}` holds a nested mapping or list; merge it by hand")
        )
    return value


def merge_keys(
    note: NoteText,
    copy: NoteText,
    keys: Mapping[str, Key],
    zone: Any,
    decide: Decide,
    merged: Merged,
) -> bytes:
    """The note's bytes with the copy's keys merged in (the body untouched)."""
    mine = load_frontmatter(note)
    theirs = load_frontmatter(copy)
    changes: dict[str, Any] = {}
    for name, their_value in theirs.values.items():
        if _empty(their_value):
            continue
        line = theirs.key_lines.get(name)
        my_value = mine.values.get(name)
        if _empty(my_value):
            changes[name] = _writable(copy.path, line, name, their_value)
            merged.steps.append(
                Step(copy.path, name, f"{emit_value(their_value)}, only in the copy")
            )
            continue
        key = keys.get(name)
        rule = key.merge if key else "same"
        ours, others = _typed(key, my_value, zone), _typed(key, their_value, zone)
        if ours == others:
            continue
        if rule == "union":
            items = _as_list(my_value)
            seen = {str(item) for item in items}
            added = [item for item in _as_list(their_value) if str(item) not in seen]
            if added:
                changes[name] = _writable(copy.path, line, name, items + added)
                merged.steps.append(
                    Step(copy.path, name, "added " + emit_value(added) + " from the copy")
                )
            continue
        if rule in ("earliest", "latest") and isinstance(ours, date) and isinstance(others, date):
            later = others > ours
            take = later if rule == "latest" else not later
            which = "later" if rule == "latest" else "earlier"
            if take:
                changes[name] = their_value
                merged.steps.append(
                    Step(copy.path, name, f"{emit_value(their_value)}, the copy's {which} date")
                )
            else:
                merged.steps.append(
                    Step(copy.path, name, f"kept {emit_value(my_value)}, the {which} date")
                )
            continue
        conflict = Conflict(
            copy.path, name, mine.key_lines.get(name), _shown(my_value), _shown(their_value)
        )
        choice = decide(conflict)
        merged.conflicts.append((conflict, choice))
        if choice == "theirs":
            changes[name] = _writable(copy.path, line, name, their_value)
    return apply_changes(note, changes) if changes else note.raw


def _lines(text: str, newline: str | None = None) -> list[str]:
    """`text` split after each `\n` only (a form feed or a line separator inside a line stays
    in it); with `newline`, each line's ending becomes that one."""
    lines = [part + "\n" for part in text.split("\n")]
    last = lines.pop()[:-1]
    if last:
        lines.append(last)
    if newline is None:
        return lines
    return [line.rstrip("\r\n") + newline for line in lines]


def _ended(lines: list[str], newline: str) -> list[str]:
    """Every line but the last ends with a line break (one added where a line that ended the
    text now has lines after it)."""
    return [
        line if line.endswith("\n") or index == len(lines) - 1 else line + newline
        for index, line in enumerate(lines)
    ]


def _blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """A log section's lines as blocks: a dated entry with the indented lines under it, or
    any other single line (date None)."""
    blocks: list[tuple[str | None, list[str]]] = []
    for line in lines:
        entry = _ENTRY.match(line)
        if entry:
            blocks.append((entry.group(1), [line]))
        elif line.strip() and line[:1] in " \t" and blocks and blocks[-1][0] is not None:
            blocks[-1][1].append(line)
        else:
            blocks.append((None, [line]))
    return blocks


def _text(block: list[str]) -> str:
    return "\n".join(line.rstrip() for line in block)


Block = tuple[str | None, list[str]]


def _place(blocks: list[Block], new: list[Block]) -> list[Block]:
    """The note's log blocks with the copy's `new` ones put in, one after another: a dated
    one just before the first dated block that is later, else just after the last dated
    block; an undated one just after the last block that is not blank.

    Done without rescanning the list for each block, which took minutes for a copy adding
    thousands of lines. The first dated block later than a day is always one of the note's
    dated blocks later than all before it (a running maximum), or one placed before it; so
    a block goes into the group just before that note block (kept in date order), or, when
    no note block is later, into the tail after the note's last dated block, whose placed
    dated blocks form one run in date order, before any undated ones placed there."""
    from bisect import bisect_right, insort

    dated = [i for i, (day, _) in enumerate(blocks) if day is not None]
    last = dated[-1] if dated else -1
    records: list[tuple[str, int]] = []  # (day, index) of the running maxima
    for i in dated:
        day = blocks[i][0]
        assert day is not None
        if not records or day > records[-1][0]:
            records.append((day, i))
    record_days = [day for day, _ in records]
    before: dict[int, list[tuple[str, int, Block]]] = {}  # note block -> dated blocks put before
    tail = blocks[last + 1 :]
    filled = max((i for i, (_, ls) in enumerate(tail) if "".join(ls).strip()), default=-1)
    run_start, run_days = -1, list[str]()
    for order, block in enumerate(new):
        day = block[0]
        if day is not None:
            at = bisect_right(record_days, day)
            if at < len(records):
                insort(before.setdefault(records[at][1], []), (day, order, block))
                continue
            k = bisect_right(run_days, day)
            if not run_days:
                run_start = 0 if last >= 0 else filled + 1
            place = run_start + k
            run_days.insert(k, day)
        else:
            place = filled + 1
        tail.insert(place, block)
        filled = place if place > filled else filled + 1
    placed: list[Block] = []
    for i, block in enumerate(blocks[: last + 1]):
        placed += [item for _, _, item in before.get(i, [])]
        placed.append(block)
    return placed + tail


def _merge_log(
    mine: list[str], theirs: list[str], copy: Path, merged: Merged
) -> tuple[list[str], list[str]]:
    """Both bodies with the same `## Log`: the note's, plus every entry of the copy's that it
    lacks, each at its place by date; returns the two bodies' lines."""
    bounds_mine = section_lines("".join(mine), "Log")
    bounds_theirs = section_lines("".join(theirs), "Log")
    if bounds_mine is None or bounds_theirs is None:
        return mine, theirs
    m0, m1 = bounds_mine
    t0, t1 = bounds_theirs
    blocks = _blocks(mine[m0 + 1 : m1])
    have = {_text(lines) for _, lines in blocks}
    new: list[Block] = []
    for day, lines in _blocks(theirs[t0 + 1 : t1]):
        if not "".join(lines).strip() or _text(lines) in have:
            continue
        have.add(_text(lines))
        new.append((day, lines))
    added = len(new)
    blocks = _place(blocks, new)
    if not added:
        return mine, theirs[:t0] + _ended(mine[m0:m1], "\n") + theirs[t1:]
    merged.steps.append(
        Step(copy, "## Log", f"added {added} entr{'ies' if added > 1 else 'y'} from the copy")
    )
    log = mine[m0 : m0 + 1] + [line for _, lines in blocks for line in lines]
    newline = "\r\n" if mine[m0].endswith("\r\n") else "\n"
    if m1 < len(mine):
        log = _ended(log, newline)
    return _ended(mine[:m0] + log, newline) + mine[m1:], theirs[:t0] + log + theirs[t1:]


def merge_body(
    note: NoteText, copy: NoteText, decide: Decide, merged: Merged, first_line: int
) -> str:
    """The note's body with the copy's merged in; `first_line` is the body's line in the file."""
    from difflib import SequenceMatcher

    newline = note.newline
    mine = _lines(note.body)
    theirs = _lines(copy.body, newline)
    mine, theirs = _merge_log(mine, theirs, copy.path, merged)
    out: list[str] = []
    matcher = SequenceMatcher(
        None,
        [line.rstrip("\r\n") for line in mine],
        [line.rstrip("\r\n") for line in theirs],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "delete"):
            out += mine[i1:i2]
        elif tag == "insert":
            out += theirs[j1:j2]
            count = j2 - j1
            merged.steps.append(
                Step(
                    copy.path,
                    BODY,
                    f"added {count} line{'s' if count > 1 else ''} from the copy "
                    f"after line {first_line + i1 - 1}",
                )
            )
        else:
            conflict = Conflict(
                copy.path,
                BODY,
                first_line + i1,
                tuple(line.rstrip("\r\n") for line in mine[i1:i2]),
                tuple(line.rstrip("\r\n") for line in theirs[j1:j2]),
            )
            choice = decide(conflict)
            merged.conflicts.append((conflict, choice))
            if choice == "theirs":
                out += theirs[j1:j2]
            elif choice == "both":
                out += _ended(mine[i1:i2], newline) + theirs[j1:j2]
            else:
                out += mine[i1:i2]
    return "".join(_ended(out, newline))


def merge_note(
    note: NoteText,
    copies: list[tuple[NoteText, str]],
    keys: Mapping[str, Key],
    zone: Any,
    decide: Decide,
) -> Merged:
    """The note merged with each copy in turn (in the order given)."""
    merged = Merged(note.path, note.raw, [(c.path, tool, c.raw) for c, tool in copies])
    current = note
    for copy, _ in copies:
        # Body lines are counted in the note as it was before this copy's keys came in.
        first_line = current.text[: current.body_start].count("\n") + 1
        with_keys = split_note(note.path, merge_keys(current, copy, keys, zone, decide, merged))
        body = merge_body(with_keys, copy, decide, merged, first_line)
        text = with_keys.text[: with_keys.body_start] + body
        current = split_note(note.path, with_keys.encode(text))
        load_frontmatter(current)
    if not merged.undecided:
        merged.result = current.raw
    return merged


# --- git's conflict markers inside a note ---------------------------------------------------

_OURS, _BASE, _THEIRS, _END = "<<<<<<<", "|||||||", "=======", ">>>>>>>"


def _marker(line: str, mark: str) -> bool:
    return line.startswith(mark) and line[len(mark) : len(mark) + 1] in ("", " ", "\r", "\n")


# A fenced code block's opening or closing line: markers inside one are text the user wrote
# (a note on how git shows a clash), not a conflict.
_FENCE = lazy(r"^\s*(```|~~~)")


def _outside_fences(lines: list[str]) -> list[bool]:
    """For each line, whether it is outside every fenced code block (a fence line is not)."""
    fenced, found = False, []
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
            found.append(False)
        else:
            found.append(not fenced)
    return found


def marker_line(text: str) -> int | None:
    """The line of the first git conflict (`<<<<<<<` … `=======` … `>>>>>>>`) in `text`,
    outside code blocks."""
    if _OURS not in text:
        return None
    state, start = 0, None
    lines = text.split("\n")
    for number, (line, outside) in enumerate(zip(lines, _outside_fences(lines), strict=True), 1):
        if not outside:
            continue
        if _marker(line, _OURS):
            state, start = 1, number
        elif state == 1 and _marker(line, _THEIRS):
            state = 2
        elif state == 2 and _marker(line, _END):
            return start
    return None


def sides(text: str) -> tuple[str, str]:
    """The two versions a text with git conflict markers holds: the lines outside every
    conflict with each conflict's first part (ours), and with its last part (theirs); a
    diff3 base part is left out of both. Markers inside a code block are lines like others."""
    ours: list[str] = []
    theirs: list[str] = []
    state = "both"
    lines = _lines(text)
    for line, outside in zip(lines, _outside_fences(lines), strict=True):
        if outside and _marker(line, _OURS) and state == "both":
            state = "ours"
        elif outside and _marker(line, _BASE) and state == "ours":
            state = "base"
        elif outside and _marker(line, _THEIRS) and state in ("ours", "base"):
            state = "theirs"
        elif outside and _marker(line, _END) and state == "theirs":
            state = "both"
        elif state == "both":
            ours.append(line)
            theirs.append(line)
        elif state == "ours":
            ours.append(line)
        elif state == "theirs":
            theirs.append(line)
    return "".join(ours), "".join(theirs)
