"""Plain frontmatter is read without PyYAML (store/plainyaml.py) and must read exactly as
PyYAML reads it: the same keys, values and their types, key lines and duplicate keys, or the
same error. The reader may decline anything (PyYAML then reads it); it may never differ."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.core.errors import NoteError
from coffeechat.store.notefile import load_frontmatter, split_note, yaml_frontmatter
from coffeechat.store.plainyaml import read_plain

PATH = Path("people/someone.md")
SUITE = json.loads((Path(__file__).parent / "data" / "yaml-test-suite.json").read_text())
EXAMPLE = Path(__file__).parent.parent / "vault_example"


def by_pyyaml(yaml_text: str) -> str:
    """What PyYAML reads from a frontmatter block, or the error it names, as text."""
    note = split_note(PATH, f"---\n{yaml_text}---\n".encode())
    try:
        front = yaml_frontmatter(note)
    except NoteError as error:
        return f"error {error}"
    return repr((front.values, front.key_lines, front.duplicates))


def agrees(yaml_text: str) -> bool:
    """Whether the plain reader declines the block or reads it as PyYAML does."""
    plain = read_plain(yaml_text)
    if plain is None:
        return True
    values, key_lines, duplicates = plain
    return repr((values, key_lines, tuple(duplicates))) == by_pyyaml(yaml_text)


@pytest.mark.parametrize("case", sorted(SUITE["documents"]))
def test_every_suite_document_reads_as_pyyaml_reads_it(case: str) -> None:
    text = SUITE["documents"][case]
    text = text if text.endswith("\n") else text + "\n"
    indented = "".join(f"  {line}" for line in text.splitlines(keepends=True))
    for block in (text, f"name: Suite Case\n{text}", f"name: Suite Case\nsuite:\n{indented}"):
        if "\n---" not in f"\n{block}" and "\n..." not in f"\n{block}":
            assert agrees(block), block


def test_the_example_vaults_notes_are_read_without_pyyaml() -> None:
    """The reader takes the notes coffeechat writes and people usually write; else a big
    vault's first run would cost twice as much."""
    notes = sorted((EXAMPLE / "people").glob("*.md")) + sorted((EXAMPLE / "companies").glob("*.md"))
    assert notes
    for path in notes:
        note = split_note(path, path.read_bytes())
        assert read_plain(note.yaml_text) is not None, path
        front = load_frontmatter(note)
        assert repr(front) == repr(yaml_frontmatter(note))


def test_a_typical_note_reads_the_same_both_ways() -> None:
    block = (
        'name: "Priya Raman"  # met at GopherCon\n'
        "company: '[[lumen-pay|Lumen Pay]]'\n"
        "role: Staff Engineer, Platform\n"
        "linkedin: https://www.linkedin.com/in/priya\n"
        "tags: [kafka, onboarding]\n"
        "common:\n"
        "  - Chicago\n"
        "  # a comment between items\n"
        "  - bootcamp\n"
        "previous:\n"
        "- Acme\n"
        "messaged: 2026-10-15\n"
        "replied: 2026-02-30\n"
        "chat: 2026-11-20T15:00:00-06:00\n"
        "keep_in_touch: 30\n"
        "referral:\n"
        "school: ~\n"
        "tags: [again]\n"
    )
    plain = read_plain(block)
    assert plain is not None
    values, key_lines, duplicates = plain
    assert values["replied"] == "2026-02-30"  # an impossible date stays text
    assert values["common"] == ["Chicago", "bootcamp"]
    assert duplicates == ["tags"]
    assert key_lines["tags"] == 19
    assert agrees(block)


def test_brackets_the_loader_refuses_as_too_deep_are_refused_the_same_way() -> None:
    """The note loader refuses more than 32 brackets still open, counted before parsing,
    in quotes or not (`[[Acme` left unclosed on many keys): the note is an error either way,
    never read by one reader and refused by the other."""
    opened = "[" * 33
    for block in (
        f'company: "{opened}"\n',
        f"company: Acme{opened}\n",
        "".join(f"k{number}: x[\n" for number in range(33)),
        f"tags: [{', '.join([repr('[[[[[')] * 8)}]\n",
        f"a: '{'{' * 20}'\nb: x{'[' * 13}\n",
    ):
        assert by_pyyaml(block) == "error values nested more than 32 deep"
        assert agrees(block), block
    balanced = "".join(f"link{number}: '[[Person {number}]]'\n" for number in range(40))
    assert read_plain(balanced) is not None  # wiki-links, closed: still read without PyYAML
    assert agrees(balanced)


KEYS = st.sampled_from(["name", "role", "tags", "y", "true", "a-b", "_x", "k"])
SCALARS = st.sampled_from(
    [
        "x",
        "Ada Lovelace",
        "a b  c",
        "a:b",
        "a: b",
        "a :b",
        "a:",
        "a #b",
        "a#b",
        "a # b:",
        "http://x.org/#a",
        "-x",
        "- x",
        "-5",
        "+5",
        "5",
        "05",
        "0",
        "-0",
        "1.5",
        ".5",
        "1e3",
        "0x1F",
        "1_000",
        "true",
        "True",
        "TRUE",
        "tRue",
        "yes",
        "no",
        "on",
        "null",
        "Null",
        "~",
        "~x",
        "",
        "2026-10-15",
        "2026-1-5",
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "2026-11-20T15:00:00-06:00",
        "2026-11-20 15:00:00",
        "2026-11-20t15:00:00Z",
        "2026-11-20T25:00:00",
        "2026-11-20T15:00:00+99:00",
        "2026-11-20T15:00:00.5",
        "2026-11-20 15:00:00 -5",
        "12:30",
        '"q"',
        '"a # b"',
        '"a\\"b"',
        '""',
        "'s'",
        "''",
        "'it''s'",
        "'a'b",
        '"a" b',
        '"a" #c',
        '"a"#c',
        "[a, b]",
        "[]",
        "[ ]",
        "[a,]",
        "[a,,b]",
        "[a, [b]]",
        "[a: b]",
        "[a, 'b']",
        "[1, true, ~, 2026-10-15]",
        "[a] x",
        "[a] # c",
        "[a",
        "{a: b}",
        "&a x",
        "*a",
        "!!str x",
        "!x",
        "|",
        ">",
        "%x",
        "@x",
        "`x",
        "é ü 中",
        "x\u00a0y",
        "x\u2028y",
        "x\u0085y",
        "\ufeffx",
        "x\x01",
        "a\\b",
        "?x",
        "? x",
        ": x",
        ",x",
        "x,",
        "x ",
        "x  # c",
        "#c",
        "a" * 1100,
        "9" * 1200,
    ]
)


# Values the reader takes, so that many generated blocks are read both ways.
NICE = st.sampled_from(
    [
        "x",
        "Ada Lovelace",
        "a:b",
        "a#b",
        "5",
        "0",
        "+5",
        "true",
        "False",
        "~",
        "null",
        "2026-10-15",
        "2026-02-30",
        "2026-11-20T15:00:00-06:00",
        "2026-11-20 15:00:00",
        '"q"',
        '"a # b: c"',
        "''",
        "'s'",
        "[a, b]",
        "[]",
        '["[[Priya Raman]]", x]',
        "[C#, .NET]",
        "[1, true, ~, 2026-10-15]",
        "[a] # c",
        "x  # c",
        "é ü 中",
        "a\\b",
        "a, b",
        "{x",
        "a]b",
        "x # c: d",
        "12:30",
        "05",
        "1_000",
    ]
)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    lines = []
    nice = draw(st.booleans())
    scalars = NICE if nice else SCALARS
    for _ in range(draw(st.integers(0, 6))):
        shape = draw(st.integers(0, 6 if nice else 9))
        key = draw(KEYS)
        if shape <= 4:
            space = draw(st.sampled_from([" ", "  "] if nice else [" ", "  ", ""]))
            lines.append(f"{key}:{space}{draw(scalars)}")
        elif shape <= 6:
            lines.append(f"{key}:{draw(st.sampled_from(['', ' ', ' # c']))}")
            indent = draw(st.sampled_from(["", " ", "  ", "    "]))
            for _ in range(draw(st.integers(0, 3))):
                item = draw(scalars)
                at = draw(st.sampled_from([indent] if nice else [indent, indent, "   "]))
                space = draw(st.sampled_from([" "] if nice else [" ", ""])) if item else ""
                lines.append(f"{at}-{space}{item}")
                if nice and draw(st.integers(0, 5)) == 0:
                    lines.append(draw(st.sampled_from(["", "  # c", "# c"])))
        elif shape == 7:
            lines.append(draw(st.sampled_from(["", "  ", "# c", "  # c", "  x", "x", "- x"])))
        elif shape == 8:
            lines.append(f"{draw(st.sampled_from(['  ', ' ', '']))}{draw(SCALARS)}")
        else:
            lines.append(f"{key} : {draw(SCALARS)}")
    ending = draw(st.sampled_from(["\n", "\n\n"] if nice else ["\n", "\r\n", "\t\n"]))
    return "\n".join(lines) + ending if lines else ""


@settings(max_examples=400, deadline=None)
@given(blocks())
def test_generated_frontmatter_reads_as_pyyaml_reads_it(block: str) -> None:
    if "\n---" in f"\n{block}" or "\n..." in f"\n{block}":
        return
    assert agrees(block), block
