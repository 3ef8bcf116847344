"""What coffeechat writes, every YAML reader reads back as the tool meant.

The oracles: python-frontmatter (PyYAML's YAML 1.1 rules, the format the vault follows),
ruamel.yaml in its default YAML 1.2 mode, and, when node and js-yaml are installed, js-yaml as
Obsidian uses it (CORE_SCHEMA) and with its default schema (see docs/contributing.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from coffeechat.prep.questions import bank_paths, load_banks
from coffeechat.store.notefile import emit_scalar, emit_value, read_note
from conftest import Run

# Strings some reader takes for a number, bool, null or date, and syntax that means more than
# text. Each must come back as itself.
# fmt: off
TRICKY = [
    "91936e20", "923258e4", "076533e8", "308e1091", "6e961626", "54e86393", "1e3", "1E3",
    "1e+3", "-1e-3", "1.", ".5", "+.5", "-.5", "1.5e3", "1_000", "000123", "017", "0o17", "0O17",
    "0x1F", "0X1f", "0b101", "-0x1", "+12", "1:30", "12:30:00", "-1:20.5", "190:20:30.15",
    ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "~", "null", "Null", "NULL", "", " ", "true",
    "True", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "OFF", "off", "y", "Y",
    "n", "N", "<<", "=", "2026-11-23", "2026-1-5", "2026-11-23 15:00:00 -06:00",
    "2026-11-23T16:00:00-06:00", "2026-11-23t16:00:00Z", "2026-11-23 10:00", "1.2.3", "3.11",
    "- a", "-a", "?a", "? a", ":a", "a:b", "a: b", "a #b", "a#b", "#a", "&a", "*a", "!a", "|",
    ">", "%a", "@a", "`a", "'a'", '"a"', "[a]", "{a: 1}", "a, b", "a,b", "a ", " a", "\ta",
    "a\tb", "line\nbreak", "nel\x85", "ls\u2028", "bom\ufeff", "bell\x07", "é", "🙂", "...",
    "---", "Lumen Pay", "Staff Engineer", "Lead Recruiter: APAC", "[[lumen-pay|Lumen Pay]]",
]
# fmt: on

_RUAMEL = YAML(typ="safe", pure=True)  # YAML 1.2 unless a document says otherwise


def _read_all(fragment: str) -> dict[str, Any]:
    """The value of `k: FRAGMENT` as each Python reader sees it."""
    return {
        "python-frontmatter": frontmatter.loads(f"---\nk: {fragment}\n---\nbody\n")["k"],
        "ruamel.yaml 1.2": _RUAMEL.load(f"k: {fragment}\n")["k"],
    }


def _check(value: str) -> None:
    for fragment, expected in (
        (emit_scalar(value), value),
        (emit_value([value, "x"]), [value, "x"]),
    ):
        for reader, got in _read_all(fragment).items():
            assert got == expected, f"{reader} reads `k: {fragment}` as {got!r}"


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_text_reads_back_as_itself(value: str) -> None:
    _check(value)


YAMLISH = st.text(alphabet="0123456789eE.+-_:xobOXaAfF~<=yYnNtTrRuUlsS #,[]{}!&*?|>'\"%@\t")


@settings(max_examples=400, deadline=None)
@given(st.one_of(YAMLISH, st.text(), st.sampled_from(TRICKY)))
def test_generated_text_reads_back_as_itself(value: str) -> None:
    _check(value)


def test_exponent_like_text_is_quoted_and_plain_words_are_not() -> None:
    assert emit_scalar("91936e20") == '"91936e20"'
    assert emit_scalar("0o17") == '"0o17"'
    assert emit_scalar("1:30") == '"1:30"'
    assert emit_scalar("off") == '"off"'
    assert emit_scalar("Lumen Pay") == "Lumen Pay"
    assert emit_value(["payments", "go"]) == "[payments, go]"


def _shipped_question_ids() -> list[str]:
    banks, _ = load_banks(bank_paths(None))
    return [question.id for bank in banks for question in bank.questions]


def _python_readers_agree(path: Path) -> None:
    """The note's keys as coffeechat reads them are what both Python oracles read."""
    note, meant = read_note(path)
    document = path.read_text(encoding="utf-8-sig")
    yaml_text = note.yaml_text
    for reader, values in (
        ("python-frontmatter", frontmatter.loads(document).metadata),
        ("ruamel.yaml 1.2", _RUAMEL.load(yaml_text) or {}),
    ):
        for key, value in values.items():
            if isinstance(value, datetime | date) or isinstance(meant.values[key], datetime):
                # PyYAML drops the zone of an aware datetime; ruamel keeps it. Same instant.
                assert str(value)[:10] == str(meant.values[key])[:10], (path, reader, key)
            else:
                assert value == meant.values[key], f"{path.name}: {reader} reads {key}={value!r}"


def test_prep_sheets_write_every_question_id_quoted(run: Run, example_vault: Path) -> None:
    for stem in ("priya", "liam", "divya", "jonas", "mei"):
        assert run("prep", stem, "--save", root=example_vault).exit_code == 0
    sheets = sorted((example_vault / "prep").glob("*.md"))
    assert len(sheets) == 5
    every_id = set(_shipped_question_ids())
    for sheet in sheets:
        _, front = read_note(sheet)
        ids = front.values["questions"]
        assert ids
        assert set(ids) <= every_id
        line = next(x for x in sheet.read_text().splitlines() if x.startswith("questions:"))
        assert line == "questions: [" + ", ".join(f'"{i}"' for i in ids) + "]"
        _python_readers_agree(sheet)


def test_every_note_the_tool_writes_reads_the_same_everywhere(
    run: Run, example_vault: Path
) -> None:
    before = {p: p.read_bytes() for p in example_vault.rglob("*.md")}
    commands = [
        ("add", "Ana 1e3", "--company", "0o17", "--role", "on", "--tags", "1:30", "--tags", "no"),
        ("set", "ana", "seniority=91936e20", "location=.inf", "team=~", "school=2026-01-05"),
        ("set", "ana", "common+=yes", "common+=0x1F", "previous+=12:30", "linkedin=a: b"),
        ("set", "priya", "role=Lead Recruiter: APAC", "seniority=1_000"),
        ("mark", "ravi", "messaged"),
        ("schedule", "priya", "Fri 11am"),
        ("prep", "liam", "--save"),
        ("draft", "thanks", "arjun", "--save", "--force"),
        ("company", "add", "1e5 Labs", "--priority", "2"),
        ("log", "ana", "said 1e3 things: yes"),
    ]
    for args in commands:
        result = run(*args, root=example_vault)
        assert result.exit_code == 0, (args, result.output)
    written = [p for p in example_vault.rglob("*.md") if before.get(p) != p.read_bytes()]
    assert sorted(p.relative_to(example_vault).as_posix() for p in written) == [
        "companies/1e5-labs.md",
        "people/ana-1e3.md",
        "people/arjun-mehta.md",
        "people/liam-oconnor.md",
        "people/priya-raman.md",
        "people/ravi-shah.md",
        "prep/2026-11-23-liam-oconnor.md",
    ]
    for path in written:
        _python_readers_agree(path)
    _, ana = read_note(example_vault / "people" / "ana-1e3.md")
    assert ana.values["seniority"] == "91936e20"
    assert ana.values["tags"] == ["1:30", "no"]


# --- js-yaml, the parser inside Obsidian ------------------------------------------------------

_NODE_SCRIPT = r"""
const jsyaml = require("js-yaml");
let readers = [["js-yaml CORE", (doc) => jsyaml.load(doc, { schema: jsyaml.CORE_SCHEMA })],
               ["js-yaml DEFAULT", (doc) => jsyaml.load(doc)]];
try {
  const YAML = require("yaml");  // optional: the yaml package, in its 1.2 core and 1.1 modes
  readers.push(["yaml core", (doc) => YAML.parse(doc, { schema: "core" })],
               ["yaml 1.1", (doc) => YAML.parse(doc, { version: "1.1" })]);
} catch (error) {}
const docs = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = [];
for (const doc of docs) {
  const row = {};
  for (const [name, read] of readers) {
    try {
      const value = read(doc).k;
      row[name] = [typeof value === "object" && value !== null
        ? (Array.isArray(value) ? "array" : "object") : typeof value, value];
    } catch (error) {
      row[name] = ["error", String(error)];
    }
  }
  out.push(row);
}
process.stdout.write(JSON.stringify(out));
"""


def _node_with_js_yaml() -> bool:
    node = shutil.which("node")
    if node is None:
        return False
    probe = subprocess.run(
        [node, "-e", "require('js-yaml')"], capture_output=True, env=os.environ.copy()
    )
    return probe.returncode == 0


@pytest.mark.skipif(
    not _node_with_js_yaml(),
    reason="needs node and js-yaml on NODE_PATH (see docs/contributing.md)",
)
def test_js_yaml_reads_what_coffeechat_writes() -> None:
    import random

    chooser = random.Random(17)
    alphabet = "0123456789eE.+-_:xobOXaAfF~<=yYnN #,!&*?'\"@"
    generated = [
        "".join(chooser.choice(alphabet) for _ in range(chooser.randint(1, 8))) for _ in range(3000)
    ]
    values = TRICKY + _shipped_question_ids() + generated
    documents = [f"k: {emit_scalar(v)}\n" for v in values]
    documents += [f"k: {emit_value([v])}\n" for v in values]
    expected: list[Any] = values + [[v] for v in values]
    result = subprocess.run(
        ["node", "-e", _NODE_SCRIPT],
        input=json.dumps(documents),
        capture_output=True,
        text=True,
        check=True,
    )
    wrong = [
        (document.strip(), schema, got)
        for document, want, row in zip(documents, expected, json.loads(result.stdout), strict=True)
        for schema, got in row.items()
        if got != ["array" if isinstance(want, list) else "string", want]
    ]
    assert [w[:2] for w in wrong] == []
