"""Reading notes with YAML 1.2 meaning, and editing them without touching other bytes."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.core.errors import NoteError, WriteRefused
from coffeechat.model.typed import DELETE
from coffeechat.store.notefile import apply_changes, load_frontmatter, split_note

PATH = Path("people/x.md")


def values_of(text: str) -> dict[str, Any]:
    return load_frontmatter(split_note(PATH, text.encode())).values


def edit(text: str, **changes: Any) -> str:
    raw = text.encode("utf-8")
    note = split_note(PATH, raw)
    return apply_changes(note, changes).decode("utf-8")


def test_yaml_1_1_surprises_stay_text() -> None:
    values = values_of(
        "---\nname: Norway\ncountry: NO\nok: yes\nid: 000123\nat: 12:30\nflag: true\n"
        "n: 42\nwhen: 2026-11-23\nchat: 2026-11-25 15:00:00 -06:00\nx: 1_000\n---\n"
    )
    assert values == {
        "name": "Norway",
        "country": "NO",
        "ok": "yes",
        "id": "000123",
        "at": "12:30",
        "flag": True,
        "n": 42,
        "when": date(2026, 11, 23),
        "chat": datetime(2026, 11, 25, 15, 0, tzinfo=timezone(timedelta(hours=-6))),
        "x": "1_000",
    }


def test_an_impossible_date_stays_text_so_the_rest_still_loads() -> None:
    assert values_of("---\nname: A\nmessaged: 2026-02-30\n---\n") == {
        "name": "A",
        "messaged": "2026-02-30",
    }


@pytest.mark.parametrize(
    ("raw", "line", "message"),
    [
        (b"---\nname: [unclosed\n---\n", 3, "YAML error"),
        (b"---\nname: A\n", 1, "no closing `---`"),
        (b"name: A\n", 1, "no frontmatter"),
        (b"---\n- a\n- b\n---\n", 2, "frontmatter is a list"),
        (b"---\nname: A\nbad: \xff\n---\n", 3, "not valid UTF-8"),
        (b"---\nname: A\x00\n---\n", 2, "binary data"),
        (b"", 1, "empty file"),
        (b"\xff\xfe-\x00-\x00-\x00", 1, "UTF-16"),
        (b"---\nname: !!python/object/apply:os.system [echo hi]\n---\n", 2, "python/object"),
        (b"---\na: &x [1, 2]\nb: *x\n---\n", 2, "alias"),
        (b"---\na: " + b"[" * 100 + b"]" * 100 + b"\n---\n", 2, "nested more than 32"),
    ],
)
def test_broken_notes_are_refused_with_their_line(raw: bytes, line: int, message: str) -> None:
    with pytest.raises(NoteError) as caught:
        load_frontmatter(split_note(PATH, raw))
    assert caught.value.problem.line == line
    assert message in caught.value.problem.message


def test_an_alias_bomb_is_refused_quickly() -> None:
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    with pytest.raises(NoteError, match="alias"):
        values_of("\n".join([*lines, "---", ""]))


HAND_WRITTEN = (
    "---\n"
    "# People I met at GopherCon\n"
    "name: 'Priya Raman'   # she prefers Priya\n"
    "company:  Lumen Pay\n"
    "common:\n"
    "    - UIC\n"
    '    - "cycling"   # we both ride\n'
    "# next comes the date\n"
    "\n"
    "messaged: 2026-11-09\n"
    "chat:\n"
    "tags: [a,   b]\n"
    "bio: |\n"
    "  Two lines\n"
    "  of text\n"
    "country: NO\n"
    "---\n"
    "\n"
    "Body with --- and: yaml-looking: lines\n"
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"company": "Fjord Health"}, HAND_WRITTEN.replace("Lumen Pay", "Fjord Health")),
        (
            {"messaged": date(2026, 11, 10)},
            HAND_WRITTEN.replace("2026-11-09", "2026-11-10"),
        ),
        (
            {"chat": datetime(2026, 11, 25, 15, 0, tzinfo=timezone(timedelta(hours=-6)))},
            HAND_WRITTEN.replace("chat:\n", "chat: 2026-11-25T15:00:00-06:00\n"),
        ),
        (
            # An item added at the end: the others keep their lines, comments and all.
            {"common": ["UIC", "cycling", "Go"]},
            HAND_WRITTEN.replace(
                '    - UIC\n    - "cycling"   # we both ride\n',
                '    - UIC\n    - "cycling"   # we both ride\n    - Go\n',
            ),
        ),
        (
            {"common": ["cycling"]},
            HAND_WRITTEN.replace("    - UIC\n", ""),
        ),
        (
            # Moved: an item that stays keeps its line, one that moves is written again.
            {"common": ["cycling", "UIC"]},
            HAND_WRITTEN.replace(
                '    - UIC\n    - "cycling"   # we both ride\n',
                '    - "cycling"   # we both ride\n    - UIC\n',
            ),
        ),
        ({"tags": ["a"]}, HAND_WRITTEN.replace("[a,   b]", "[a]")),
        ({"bio": "short"}, HAND_WRITTEN.replace("|\n  Two lines\n  of text\n", "short\n")),
        (
            {"referral": "agreed"},
            HAND_WRITTEN.replace("country: NO\n", "country: NO\nreferral: agreed\n"),
        ),
        ({"chat": DELETE}, HAND_WRITTEN.replace("chat:\n", "")),
        (
            {"common": DELETE},
            HAND_WRITTEN.replace('common:\n    - UIC\n    - "cycling"   # we both ride\n', ""),
        ),
        ({"name": "Priya R."}, HAND_WRITTEN.replace("'Priya Raman'", "Priya R.")),
        ({"company": "Lumen: Pay #1"}, HAND_WRITTEN.replace("Lumen Pay", '"Lumen: Pay #1"')),
    ],
)
def test_an_edit_changes_only_its_own_bytes(changes: dict[str, Any], expected: str) -> None:
    assert edit(HAND_WRITTEN, **changes) == expected


def test_line_endings_bom_and_a_missing_final_newline_survive() -> None:
    text = "\ufeff---\r\nname: A\r\nrole: x # c\r\n---\r\nbody line\r\nlast"
    raw = text.encode("utf-8")
    out = apply_changes(split_note(PATH, raw), {"role": "y", "kind": "engineer"})
    expected = '\ufeff---\r\nname: A\r\nrole: "y" # c\r\nkind: engineer\r\n---\r\nbody line\r\nlast'
    assert out == expected.encode()


def test_edits_that_cannot_be_made_safely_are_refused() -> None:
    with pytest.raises(WriteRefused, match="appears twice"):
        edit("---\nname: A\nrole: x\nrole: y\n---\n", role="z")
    with pytest.raises(WriteRefused, match=r"written as \{…\}"):
        edit("---\n{name: A, role: x}\n---\n", role="z")
    with pytest.raises(WriteRefused, match="not a usable key"):
        edit("---\nname: A\n---\n", **{"bad key": "z"})


# --- properties ------------------------------------------------------------------------------

_words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=0,
    max_size=12,
)
_printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp")),
    max_size=12,
)
_keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@st.composite
def scalar_entry(draw: st.DrawFn, key: str) -> str:
    value = draw(_printable)
    style = draw(st.sampled_from(["plain", "single", "double", "empty", "number"]))
    comment = draw(st.sampled_from(["", "  # note", " #é"]))
    if style == "empty":
        return f"{key}:{comment}"
    if style == "number":
        return f"{key}: {draw(st.integers(-999, 99999))}{comment}"
    if style == "single":
        return f"{key}: '{value.replace(chr(39), chr(39) * 2)}'{comment}"
    if style == "plain":
        plain = draw(st.from_regex(r"[A-Za-z][A-Za-z0-9 .]{0,10}[A-Za-z0-9]", fullmatch=True))
        return f"{key}: {plain}{comment}"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}: "{escaped}"{comment}'


@st.composite
def list_entry(draw: st.DrawFn, key: str) -> str:
    items = draw(
        st.lists(st.from_regex(r"[A-Za-z][A-Za-z ]{0,6}[a-z]", fullmatch=True), max_size=3)
    )
    if draw(st.booleans()) or not items:
        return f"{key}: [{', '.join(items)}]"
    indent = draw(st.sampled_from(["", "  ", "    "]))
    return f"{key}:\n" + "\n".join(f"{indent}- {item}" for item in items)


@st.composite
def notes(draw: st.DrawFn) -> tuple[list[str], str, str, bool]:
    keys = draw(st.lists(_keys, min_size=1, max_size=6, unique=True))
    entries = []
    for key in keys:
        make = draw(st.sampled_from([scalar_entry, list_entry]))
        entries.append(draw(make(key)))
        if draw(st.booleans()):
            entries[-1] += "\n" + draw(st.sampled_from(["# a comment", "", "   # indented"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    body = draw(st.text(max_size=40)).replace("\r", "").replace("\x00", "")
    bom = draw(st.booleans())
    return entries, newline, body, bom


def _render(entries: list[str], newline: str, body: str, bom: bool) -> str:
    lines = ["---", *entries, "---"]
    text = newline.join("\n".join(lines).split("\n")) + newline + body.replace("\n", newline)
    return ("\ufeff" if bom else "") + text


_new_values = st.one_of(
    _words.map(lambda s: s.replace("\r", "")),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(-(10**6), 10**6),
    st.lists(_words.filter(lambda s: s.strip() == s and s), min_size=1, max_size=3),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=notes(), data=st.data())
def test_set_changes_only_the_target_key(
    note: tuple[list[str], str, str, bool], data: st.DataObject
) -> None:
    entries, newline, body, bom = note
    text = _render(entries, newline, body, bom)
    raw = text.encode("utf-8")
    parsed = split_note(PATH, raw)
    before = load_frontmatter(parsed).values
    keys = list(before)
    target = data.draw(st.sampled_from([*keys, "brand_new"]))
    value = data.draw(st.one_of(_new_values, st.just(DELETE)))
    try:
        out = apply_changes(parsed, {target: value}).decode("utf-8")
    except WriteRefused:
        return  # refusing is always allowed; changing something else never is
    after = load_frontmatter(split_note(PATH, out.encode()))
    expected = dict(before)
    if value is DELETE:
        expected.pop(target, None)
    else:
        expected[target] = value
    assert after.values == expected
    # Every other entry's text is still there, byte for byte, in order.
    if target in keys:
        index = keys.index(target)
        prefix = _render(entries[:index], newline, "", bom).rsplit("---", 1)[0]
        suffix_entries = entries[index + 1 :]
        suffix = newline.join("\n".join([*suffix_entries, "---"]).split("\n")) + newline
        suffix += body.replace("\n", newline)
        assert out.startswith(prefix)
        assert out.endswith(suffix)
    else:
        closing = newline + "---" + newline + body.replace("\n", newline)
        head = text[: len(text) - len(closing)]
        assert out.startswith(head) if value is not DELETE else out == text
        assert out.endswith(closing)
