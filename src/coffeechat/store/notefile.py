"""A note file on disk: split into frontmatter and body, read safely, edited byte-exactly.

Reading follows YAML 1.2's core rules for booleans and nulls rather than PyYAML's 1.1 ones, and
narrower ones for numbers (decimal integers without leading zeros; floats with a dot), so `NO`,
`yes`, `000123`, `1e3` and `12:30` stay text, while `2026-11-23` is still a date (docs/notes.md
says exactly what is read how). Aliases and tags that build objects
are refused: nothing in a note is ever executed or expanded.

Editing never re-dumps the YAML. It finds the target key's value by its position in the parsed
block, splices a new value into exactly those characters, and then re-reads the result to prove
that only that key changed. Anything it cannot do that way it refuses.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coffeechat.core.errors import NoteError, Problem, WriteRefused
from coffeechat.core.limits import NotRegular, regular_bytes
from coffeechat.core.patterns import lazy
from coffeechat.model.codec import EMPTY
from coffeechat.model.kinds import KEY_KINDS, MAX_TEXT, as_text
from coffeechat.model.note import (
    COMPANY_KEY_NAMES,
    PERSON_KEY_NAMES,
    Company,
    Key,
    Person,
)
from coffeechat.model.typed import DELETE
from coffeechat.store.files import shown
from coffeechat.store.plainyaml import MAX_NESTING, RESOLVERS, read_plain, too_deep

if TYPE_CHECKING:
    import yaml

MAX_FRONTMATTER_CHARS = 256 * 1024
FIRST_YAML_LINE = 2  # the line after the opening `---`
_FENCE = lazy(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_KEY = lazy(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_BOM = "\ufeff"


@functools.cache
def _note_loader() -> type[yaml.CSafeLoader]:
    """PyYAML's fast safe loader with YAML 1.2 core scalars plus dates.

    Built on first use, so commands that read no note (`--help`) never import PyYAML.
    """
    import yaml

    class NoteLoader(yaml.CSafeLoader):
        yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012

    for tag, pattern, first in RESOLVERS:
        NoteLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))

    def lenient_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        """An impossible date such as 2026-02-30 stays text, so the rest still loads."""
        try:
            return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
        except ValueError:
            return node.value

    NoteLoader.add_constructor("tag:yaml.org,2002:timestamp", lenient_timestamp)
    return NoteLoader


@dataclass(frozen=True)
class NoteText:
    """A note's text with the frontmatter located, so edits can leave the rest untouched."""

    file: str  # the note's path as text: a Path per note costs a big vault's first run
    raw: bytes
    text: str
    bom: bool
    newline: str
    yaml_start: int
    yaml_end: int

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def yaml_text(self) -> str:
        return self.text[self.yaml_start : self.yaml_end]

    @property
    def body(self) -> str:
        """Everything after the closing fence line."""
        return self.text[self.body_start :]

    @property
    def body_start(self) -> int:
        """Where the body starts in `text`: after the closing fence line."""
        match = _FENCE.search(self.text, self.yaml_end)
        assert match is not None
        end = match.end()
        if self.text.startswith("\n", end):
            end += 1
        return end

    def encode(self, text: str) -> bytes:
        """The note's bytes for `text`: refused (WriteRefused) when they could not be read
        back, which a value from a program (an assistant's JSON) can cause and a shell cannot:
        a NUL byte (a note holding one is binary data) or a lone surrogate (not UTF-8)."""
        from coffeechat.store.files import shown

        try:
            data = ((_BOM if self.bom else "") + text).encode("utf-8")
        except UnicodeEncodeError:
            raise WriteRefused(
                f"{shown(self.path)}: the text cannot be written as UTF-8 (it holds a lone "
                "surrogate, U+D800 to U+DFFF); take it out; nothing written"
            ) from None
        if b"\x00" in data:
            raise WriteRefused(
                f"{shown(self.path)}: the text holds a NUL byte, which would make the note "
                "unreadable; take it out; nothing written"
            )
        return data


@dataclass(frozen=True)
class Frontmatter:
    """The top-level keys of a note, in file order, with the line each key is on."""

    values: dict[str, Any]
    key_lines: dict[str, int]
    duplicates: tuple[str, ...]


def _problem(path: Path | str, line: int | None, message: str) -> NoteError:
    return NoteError(Problem(Path(path), line, message))


def split_note(path: Path | str, raw: bytes) -> NoteText:
    """Decode a note and find its frontmatter block; a NoteError says what is wrong, and where."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _problem(path, 1, "file is UTF-32, not UTF-8; save it as UTF-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _problem(path, 1, "file is UTF-16, not UTF-8; save it as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise _problem(path, line, "file holds binary data (NUL bytes); it is not a text note")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise _problem(path, line, "not valid UTF-8; save the file as UTF-8") from None
    bom = decoded.startswith(_BOM)
    text = decoded[1:] if bom else decoded
    if not text or text.isspace():
        raise _problem(path, 1, "empty file; a note starts with `---`, then `name: …`, then `---`")
    first = _FENCE.match(text)
    if first is None or not text.startswith("---"):
        raise _problem(path, 1, "no frontmatter; start the note with a `---` line, then `name: …`")
    newline = "\r\n" if text[: first.end() + 1].endswith("\r\n") else "\n"
    yaml_start = first.end() + 1
    if yaml_start > len(text):
        raise _problem(path, 1, "frontmatter has no closing `---` line; add one after the keys")
    closing = _FENCE.search(text, yaml_start)
    if closing is None:
        raise _problem(path, 1, "frontmatter has no closing `---` line; add one after the keys")
    if closing.start() - yaml_start > MAX_FRONTMATTER_CHARS:
        raise _problem(path, 2, "frontmatter is larger than 256 KB; move long text into the body")
    return NoteText(
        file=os.fspath(path),
        raw=raw,
        text=text,
        bom=bom,
        newline=newline,
        yaml_start=yaml_start,
        yaml_end=closing.start(),
    )


def _check_flow_depth(note: NoteText) -> None:
    """Refuse `[[[[…` before the C parser sees it: very deep nesting crashes it."""
    offset = too_deep(note.yaml_text)
    if offset is not None:
        line = FIRST_YAML_LINE + note.yaml_text.count("\n", 0, offset)
        raise _problem(note.path, line, f"values nested more than {MAX_NESTING} deep")


def _compose(note: NoteText) -> tuple[yaml.CSafeLoader, yaml.MappingNode | None]:
    import yaml

    _check_flow_depth(note)
    loader = _note_loader()(note.yaml_text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        loader.dispose()
        mark = error.problem_mark or error.context_mark
        line = FIRST_YAML_LINE + mark.line if mark else FIRST_YAML_LINE
        reason = error.problem or error.context or "invalid YAML"
        raise _problem(note.path, line, f"YAML error: {reason}; fix the frontmatter") from None
    except yaml.reader.ReaderError as error:
        loader.dispose()
        line = FIRST_YAML_LINE + note.yaml_text.count("\n", 0, error.position)
        raise _problem(
            note.path, line, f"YAML error: {error.reason}; fix the frontmatter"
        ) from None
    if node is None:
        return loader, None
    if not isinstance(node, yaml.MappingNode):
        loader.dispose()
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "plain text"
        raise _problem(note.path, FIRST_YAML_LINE, f"frontmatter is {kind}, not `key: value` lines")
    if "*" in note.yaml_text or note.yaml_text.count("\n") >= MAX_NESTING:
        _check_graph(note, node)  # else no alias, and too few lines to nest that deep
    return loader, node


def _check_graph(note: NoteText, root: yaml.Node) -> None:
    """Refuse aliases (`*name`): they can expand a few lines into gigabytes."""
    import yaml

    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        line = FIRST_YAML_LINE + node.start_mark.line
        if id(node) in seen:
            raise _problem(
                note.path,
                line,
                "YAML anchors and aliases (&name, *name) are not read; write the values out",
            )
        seen.add(id(node))
        if depth > MAX_NESTING:
            raise _problem(note.path, line, f"values nested more than {MAX_NESTING} deep")
        if isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def load_frontmatter(note: NoteText) -> Frontmatter:
    """The note's keys and values; a NoteError for anything that is not a plain mapping.
    Plain frontmatter is read without PyYAML (plainyaml.py), with the same result."""
    plain = read_plain(note.yaml_text)
    if plain is not None:
        return Frontmatter(plain[0], plain[1], tuple(plain[2]))
    return yaml_frontmatter(note)


def yaml_frontmatter(note: NoteText) -> Frontmatter:
    """`load_frontmatter` by PyYAML, whatever the frontmatter holds."""
    import yaml

    loader, root = _compose(note)
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    duplicates: list[str] = []
    try:
        for key_node, value_node in root.value if root else []:
            line = FIRST_YAML_LINE + key_node.start_mark.line
            if not isinstance(key_node, yaml.ScalarNode):
                raise _problem(note.path, line, "a key that is a list or mapping; use a plain name")
            key = str(key_node.value)
            try:
                value = loader.construct_object(value_node, deep=True)
            except yaml.MarkedYAMLError as error:
                reason = error.problem or "value cannot be read"
                if "constructor for the tag" in reason:
                    tag = reason.rsplit("'", 2)[-2].replace("tag:yaml.org,2002:", "!!")
                    reason = f"the tag `{tag}` is not allowed; notes hold plain values only"
                raise _problem(note.path, line, f"{key}: {reason}") from None
            except (ValueError, TypeError, AttributeError, OverflowError):
                # `!!int abc`, a 5,000-digit number: kept as the text it is, for the key's
                # reader to judge, so one odd value never makes the whole note unreadable.
                if not isinstance(value_node, yaml.ScalarNode):
                    raise _problem(
                        note.path, line, f"{key}: a value that cannot be read; write it as text"
                    ) from None
                value = str(value_node.value)
            if key in values:
                duplicates.append(key)
                del values[key]
            values[key] = value
            key_lines[key] = line
    finally:
        loader.dispose()
    return Frontmatter(values, key_lines, tuple(duplicates))


def line_comment(note: NoteText, front: Frontmatter, key: str) -> str:
    """The `# …` comment after a key's value on its line, as written; "" when it has none.
    For keys whose values never hold a `#` (a date, a time)."""
    line = front.key_lines.get(key)
    if line is None:
        return ""
    lines = note.text.splitlines()
    found = re.search(r"\s(#.*)$", lines[line - 1]) if line <= len(lines) else None
    return found.group(1).rstrip() if found else ""


def read_note(path: Path | str) -> tuple[NoteText, Frontmatter]:
    note = read_text(path)
    return note, load_frontmatter(note)


def read_text(path: Path | str) -> NoteText:
    """A note's text with its frontmatter located but not parsed: for a reader that needs only
    the body (a YAML parse is most of a note's reading time)."""
    try:
        raw = regular_bytes(path)
    except IsADirectoryError:
        raise _problem(path, None, "is a folder, not a note") from None
    except NotRegular:
        raise _problem(
            path, None, "is not a regular file (a FIFO, a device or a socket); move it out"
        ) from None
    except OSError as error:
        raise _problem(path, None, f"cannot be read: {error.strerror}") from None
    return split_note(path, raw)


# --- writing values ------------------------------------------------------------------------
"""A change value that removes the key."""


# Plain text that some YAML reader takes for something other than that text: the union of
# YAML 1.2's core schema (js-yaml CORE as in Obsidian, yaml 2, ruamel.yaml), YAML 1.1's
# resolvers (PyYAML, js-yaml 3, yaml's 1.1 mode) and what those libraries add: underscores in
# numbers (ruamel takes `_` alone for one), `0o`/`0b`/`0x`, sexagesimal `1:30`, `1.2.3` (1.1's
# float pattern), `e4` (a float to yaml's 1.1 mode), yes/no/on/off/y/n, timestamps, `<<`
# (merge) and `=` (value). Text like this is always quoted.
_NOT_PLAIN_TEXT = lazy(
    r"""^(?:
      ~ | null | Null | NULL
    | y | Y | yes | Yes | YES | n | N | no | No | NO
    | true | True | TRUE | false | False | FALSE
    | on | On | ON | off | Off | OFF
    | [-+]? (?: 0b[01_]+ | 0o[0-7_]+ | 0x[0-9a-fA-F_]+ )
    | [-+]? (?: [0-9_]+ (?: \.[0-9_.]* )? | \.[0-9_.]* ) (?: [eE][-+]?[0-9]+ )?
    | [-+]? [eE][-+]?[0-9]+
    | [-+]? [0-9][0-9_]* (?: :[0-5]?[0-9] )+ (?: \.[0-9_]* )?
    | [-+]? \.(?: inf | Inf | INF ) | \.(?: nan | NaN | NAN )
    | << | =
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}
      (?: (?: [Tt] | [ \t]+ ) [0-9]{1,2}:[0-9]{2} (?: :[0-9]{2} )? (?: \.[0-9]* )?
          (?: [ \t]* (?: Z | [-+][0-9]{1,2} (?: :?[0-9]{2} )? ) )? )?
    )$""",
    re.VERBOSE,
)


def _round_trips(fragment: str, value: Any, in_flow: bool = False) -> bool:
    """Whether `fragment` reads back as `value`, here and under YAML 1.1 readers too; in a
    flow list (`[a, b]`) when `in_flow`, since `?`, `:` and `#` mean more there."""
    import yaml

    document = f"k: [{fragment}]\n" if in_flow else f"k: {fragment}\n"
    for loader in (_note_loader(), yaml.CSafeLoader):
        try:
            loaded = yaml.load(document, Loader=loader)
        except yaml.YAMLError:
            return False
        if not isinstance(loaded, dict):
            return False
        got = loaded.get("k")
        if in_flow:
            if not isinstance(got, list) or len(got) != 1:
                return False
            got = got[0]
        if type(got) is not type(value) or got != value:
            return False
    return True


def plain_is_text(text: str, in_flow: bool = False) -> bool:
    """Whether `text` can be written unquoted: every YAML 1.1 and 1.2 reader would read it
    back as this same string (not a number, bool, null or date, and no syntax in it)."""
    return bool(
        text
        and text == text.strip()
        and not any(c in text for c in "\n\t")  # some readers refuse a tab in plain text
        and not (in_flow and any(c in text for c in ",[]{}"))
        and not (text[0] in "-?:" and text[1:2] in ("", " "))  # `-`, `? x`: indicators
        and not _NOT_PLAIN_TEXT.match(text)
        and _round_trips(text, text, in_flow)
    )


def _double_quoted(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char.isprintable() and not 0xD800 <= code <= 0xDFFF and code not in (0xFEFF, 0xFFFE):
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def emit_scalar(value: Any, in_flow: bool = False) -> str:
    """YAML text for one value: text is plain only when every YAML 1.1 and 1.2 reader reads
    it back as the same text (see `plain_is_text`), else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return text if plain_is_text(text, in_flow) else _double_quoted(text)


def emit_quoted(text: str) -> str:
    """`text` double-quoted whatever it looks like: for ids, which must stay text however a
    reader's rules change."""
    return _double_quoted(text)


def emit_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(emit_scalar(item, in_flow=True) for item in value) + "]"
    return emit_scalar(value)


def _block_list(items: list[Any], indent: str, newline: str) -> str:
    return (newline + indent).join(f"- {emit_scalar(item)}" for item in items)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end == -1 else end + 1


def _value_end(yaml_text: str, node: yaml.Node) -> int:
    """Where a value ends: a block collection ends with its last item's line, not at the next
    key, so comment lines between the two stay with the next key."""
    import yaml

    if isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        last_node = last[1] if isinstance(node, yaml.MappingNode) else last
        return _line_end(yaml_text, _value_end(yaml_text, last_node) - 1)
    return int(node.end_mark.index)


def _apply_one(note: NoteText, key: str, value: Any) -> str:
    """The whole note text with one key changed; positions come from the parsed block."""
    import yaml

    loader, root = _compose(note)
    loader.dispose()
    text, base, nl = note.text, note.yaml_start, note.newline
    if root is not None and root.flow_style:
        raise WriteRefused(f"{shown(note.path)}: frontmatter is written as {{…}}; edit it by hand")
    pairs = [pair for pair in (root.value if root else []) if pair[0].value == key]
    if len(pairs) > 1:
        line = FIRST_YAML_LINE + pairs[1][0].start_mark.line
        raise WriteRefused(
            f"{shown(note.path)}:{line}: key `{key}` appears twice; remove one by hand"
        )
    if not pairs:
        if value is DELETE:
            return text
        if isinstance(value, list | tuple):
            entry = f"{key}:{nl}  {_block_list(list(value), '  ', nl)}{nl}"
        else:
            entry = f"{key}: {emit_scalar(value)}{nl}"
        at = note.yaml_end
        if at > note.yaml_start and text[at - 1] != "\n":
            entry = nl + entry
        return text[:at] + entry + text[at:]
    key_node, value_node = pairs[0]
    start = base + value_node.start_mark.index
    end = base + _value_end(note.yaml_text, value_node)
    if value is DELETE:
        first = base + _line_start(note.yaml_text, key_node.start_mark.index)
        last = end if text[end - 1 : end] == "\n" else _line_end(text, end)
        return text[:first] + text[min(last, note.yaml_end) :]
    old = text[start:end]
    trailing = old[len(old.rstrip(" \t\r\n")) :] if "\n" in old else ""
    is_block = isinstance(value_node, yaml.CollectionNode) and not value_node.flow_style
    is_block = is_block or (
        isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">")
    )
    if isinstance(value_node, yaml.SequenceNode) and is_block and isinstance(value, list | tuple):
        kept = _keep_items(note, value_node, list(value))
        if kept is not None:
            return kept
        indent = " " * value_node.start_mark.column
        return text[:start] + _block_list(list(value), indent, nl) + trailing + text[end:]
    new = emit_value(value)
    if is_block or "\n" in text[base + key_node.end_mark.index : start]:
        start = base + key_node.end_mark.index
        new = ": " + new
    elif start == end:
        new = " " + new
    return text[:start] + new + trailing + text[end:]


def _keep_items(note: NoteText, node: yaml.SequenceNode, items: list[Any]) -> str | None:
    """The whole note text with a block list changed item by item (`+=`, `-=`, `=`): the
    lines of the items that stay, in their order, are kept as they are, comments and all, and
    so are comment lines between items; a taken-out item's line goes; the rest of `items`
    follows the last item. None when an item is not one plain line (a nested list, a block
    scalar): the list is then written anew. apply_changes re-reads the result."""
    import yaml

    yaml_text, base, text = note.yaml_text, note.yaml_start, note.text
    old = node.value
    if not old or any(
        not isinstance(item, yaml.ScalarNode) or item.start_mark.line != item.end_mark.line
        for item in old
    ):
        return None
    kept: set[int] = set()
    added: list[Any] = []
    at = 0
    for item in items:
        found = next(
            (i for i in range(at, len(old)) if not added and old[i].value == str(item)), None
        )
        if found is None:
            added.append(item)
            continue
        kept.add(found)
        at = found + 1
    spans = [
        (
            base + _line_start(yaml_text, item.start_mark.index),
            base + _line_end(yaml_text, item.end_mark.index),
        )
        for item in old
    ]
    pieces = [text[: spans[0][0]]]
    for number, (first, last) in enumerate(spans):
        if number:
            pieces.append(text[spans[number - 1][1] : first])  # comment lines between items
        if number in kept:
            pieces.append(text[first:last])
    if added:
        if not text[: spans[-1][1]].endswith("\n"):
            pieces.append(note.newline)
        indent = " " * node.start_mark.column
        pieces += [f"{indent}- {emit_scalar(item)}{note.newline}" for item in added]
    pieces.append(text[spans[-1][1] :])
    return "".join(pieces)


def _as_read(value: Any) -> Any:
    """A value as it reads back: an aware time with its fixed offset. (A time in a zone's
    repeated hour never compares equal to one in another zone, by Python's rule.)"""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone(value.utcoffset() or timedelta(0)))
    return value


def apply_changes(note: NoteText, changes: Mapping[str, Any]) -> bytes:
    """The note's new bytes with `changes` applied (DELETE removes a key).

    Every byte outside the changed values stays as it was. The result is re-read and compared
    with the expected keys; any difference refuses the write.
    """
    before = load_frontmatter(note)
    if before.duplicates:
        key = before.duplicates[0]
        raise WriteRefused(
            f"{shown(note.path)}:{before.key_lines[key]}: key `{key}` appears twice; "
            "remove one by hand"
        )
    current = note
    for key, value in changes.items():
        if not _KEY.match(key):
            raise WriteRefused(f"`{key}` is not a usable key; use letters, digits, - and _")
        text = _apply_one(current, key, value)
        current = split_note(note.path, current.encode(text))
    expected = dict(before.values)
    for key, value in changes.items():
        if value is DELETE:
            expected.pop(key, None)
        else:
            expected[key] = list(value) if isinstance(value, tuple) else _as_read(value)
    try:
        after = load_frontmatter(current)
    except NoteError as error:
        raise WriteRefused(
            f"{shown(note.path)}: the edit would break the note ({error}); nothing written"
        ) from None
    if after.values != expected or list(after.values) != list(expected):
        raise WriteRefused(
            f"{shown(note.path)}: cannot change {', '.join(changes)} without touching other keys; "
            "edit it by hand"
        )
    if current.body != note.body:
        raise WriteRefused(f"{shown(note.path)}: the edit would change the body; nothing written")
    return current.encode(current.text)


# --- notes from their frontmatter ---------------------------------------------------------------


_READERS: list[tuple[dict[str, Key], dict[str, tuple[str, Any, tuple[str, ...]]]]] = []


def _readers(keys: dict[str, Key]) -> dict[str, tuple[str, Any, tuple[str, ...]]]:
    """Each key's field and how its value is read (`read_value`), looked up once per run."""
    for known, found in _READERS:
        if known is keys:
            return found
    found = {name: (key.field, KEY_KINDS[key.kind].read, key.choices) for name, key in keys.items()}
    _READERS.append((keys, found))
    return found


def _typed_values(
    file: Path | str, front: Frontmatter, keys: dict[str, Key], zone: tzinfo
) -> tuple[dict[str, Any], dict[str, Any], list[Problem]]:
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    problems = [
        Problem(
            Path(file), front.key_lines[key], f"key `{key}` appears twice; the last one is used"
        )
        for key in front.duplicates
    ]
    readers = _readers(keys)
    for name, value in front.values.items():
        reader = readers.get(name)
        if reader is None:
            extra[str(name)] = value
            continue
        field, read, choices = reader
        if type(value) is str:
            if not value:
                continue
            if read is as_text and len(value) <= MAX_TEXT:
                known[field] = value.strip()  # what as_text makes of text, without its call
                continue
        elif value is None or value == []:
            continue
        try:
            known[field] = read(value, zone, choices)
        except ValueError as error:
            problems.append(Problem(Path(file), front.key_lines[name], f"{name}: {error}"))
    if not known.get("name"):
        line = front.key_lines.get("name", 2)
        bad = [p for p in problems if p.message.startswith("name:")]
        message = bad[0].message if bad else "no `name:`; add `name: Their Name` to the frontmatter"
        raise NoteError(Problem(Path(file), line, message))
    return known, extra, problems


def person_from(
    path: Path | str, front: Frontmatter, zone: tzinfo, note: NoteText | None = None
) -> Person:
    """The person a note's frontmatter describes; with the `note`'s text, its body's dated
    lines too (model/dated.py)."""
    known, extra, problems = _typed_values(path, front, PERSON_KEY_NAMES, zone)
    raw_body = ""
    if note is not None:
        from coffeechat.model.dated import read_body

        start = note.body_start
        raw_body = read_body(note.text[start:], note.text.count("\n", 0, start) + 1)
    return Person(
        file=os.fspath(path),
        raw_extra=extra or EMPTY,
        problems=tuple(problems),
        raw_lines=front.key_lines,
        raw_body=raw_body,
        **known,
    )


def company_from(
    path: Path | str, front: Frontmatter, zone: tzinfo, note: NoteText | None = None
) -> Company:
    known, extra, problems = _typed_values(path, front, COMPANY_KEY_NAMES, zone)
    return Company(
        file=os.fspath(path),
        raw_extra=extra or EMPTY,
        problems=tuple(problems),
        raw_lines=front.key_lines,
        **known,
    )
