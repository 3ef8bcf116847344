"""Arbitrary bytes and text: the parser returns a note or the project's own error, and the
editor changes exactly the target key or refuses."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.core.errors import NoteError, WriteRefused
from coffeechat.store.notefile import apply_changes, load_frontmatter, person_from, split_note

PATH = Path("people/fuzz.md")
ZONE = ZoneInfo("America/Chicago")

yaml_ish = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "name: A",
                "key: value",
                "- item",
                "  - nested",
                "x: [a, b",
                "y: {a: 1}",
                "z: &a 1",
                "w: *a",
                "'q': \"r\"",
                "---",
                "...",
                "? k",
                ": v",
                "|",
                ">-",
                "  text",
                "t: !!str 1",
                "u: !!python/name:os.system",
                "# c",
                "",
                "\t",
                "%YAML 1.2",
                "d: 2026-13-45",
                "e: 2026-02-30 10:00:00",
                "chat: 2026-11-25 15:00",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(lines=yaml_ish, newline=st.sampled_from(["\n", "\r\n", "\r"]), bom=st.booleans())
def test_the_parser_returns_a_note_or_its_own_error(
    lines: list[str], newline: str, bom: bool
) -> None:
    text = ("\ufeff" if bom else "") + newline.join(["---", *lines, "---", "body"])
    problem = None
    try:
        front = load_frontmatter(split_note(PATH, text.encode("utf-8", "surrogatepass")))
        person_from(PATH, front, ZONE)
    except NoteError as error:
        problem = error.problem
    if problem is not None:
        assert problem.path == PATH
        assert problem.message


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_never_escape_as_another_exception(raw: bytes) -> None:
    with contextlib.suppress(NoteError):
        load_frontmatter(split_note(PATH, b"---\n" + raw))


# Frontmatter a user or another tool writes: keys in every YAML style coffeechat meets,
# comments and blank lines, with now and then a line from `yaml_ish` that may break it. Most
# notes parse, so most examples reach the edit; the editor test counts the edits it checked
# and fails below these floors, so it cannot pass having checked little.
_texts = st.text(alphabet="abcdefgh xyz-", min_size=1, max_size=10).map(str.strip).filter(bool)
_entry = st.one_of(
    _texts.map(lambda t: ("{key}: " + t,)),
    _texts.map(lambda t: ("{key}: '" + t + "'",)),
    _texts.map(lambda t: ('{key}: "' + t + '"',)),
    st.lists(_texts, min_size=1, max_size=3).map(lambda ts: ("{key}: [" + ", ".join(ts) + "]",)),
    st.lists(_texts, min_size=1, max_size=3).map(lambda ts: ("{key}:", *(f"  - {t}" for t in ts))),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)).map(
        lambda d: (f"{{key}}: {d}",)
    ),
    _texts.map(lambda t: ("{key}: " + t + "  # " + t,)),
)
_extra = st.sampled_from(["# a comment", "", "  # indented comment"])


@st.composite
def frontmatter(draw: st.DrawFn) -> list[str]:
    keys = draw(
        st.lists(
            st.sampled_from(["name", "role", "company", "messaged", "common", "notes", "x_y"]),
            unique=True,
            max_size=5,
        )
    )
    lines: list[str] = []
    for key in keys:
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(_extra))
        lines += [line.replace("{key}", key) for line in draw(_entry)]
    if draw(st.integers(0, 9)) == 0:  # now and then, a line that may break it
        lines.insert(draw(st.integers(0, len(lines))), draw(yaml_ish.filter(bool))[0])
    return lines


EDITOR_EXAMPLES = 300
EDITS_AT_LEAST = 240  # a run checks 279, 258 of them in a note that had keys
EDITS_OF_A_NOTE_WITH_KEYS_AT_LEAST = 200


def test_the_editor_changes_exactly_the_target_key_or_refuses() -> None:
    had_keys: list[bool] = []  # one per edit checked: did the note hold keys before?

    # The same examples on every run: the floors below count them, and a random draw could
    # fall short of them by chance.
    @settings(max_examples=EDITOR_EXAMPLES, deadline=None, derandomize=True, database=None)
    @given(
        lines=frontmatter(),
        key=st.sampled_from(["name", "role", "messaged", "common", "new_key"]),
        value=st.one_of(
            st.text(max_size=15),
            st.dates(min_value=date(2000, 1, 1)),
            st.lists(st.text(max_size=5), min_size=1, max_size=3),
        ),
    )
    def edit(lines: list[str], key: str, value: object) -> None:
        raw = "\n".join(["---", *lines, "---", "body"]).encode("utf-8", "surrogatepass")
        try:
            note = split_note(PATH, raw)
            before = load_frontmatter(note).values
        except NoteError:
            return
        try:
            out = apply_changes(note, {key: value})
        except (WriteRefused, NoteError):
            return
        after = load_frontmatter(split_note(PATH, out)).values
        assert after == {**before, key: value}
        assert list(after) == list({**before, key: value})
        assert split_note(PATH, out).body == note.body
        had_keys.append(bool(before))

    edit()
    assert len(had_keys) >= EDITS_AT_LEAST
    assert sum(had_keys) >= EDITS_OF_A_NOTE_WITH_KEYS_AT_LEAST
