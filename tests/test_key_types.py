"""One type per key, from its declaration: whatever `set`, `add`, `company add` and the imports
write for a key reads back as the key's declared type in coffeechat, in PyYAML (YAML 1.1, as
python-frontmatter) and in ruamel.yaml (YAML 1.2, as Obsidian's js-yaml reads)."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from coffeechat.model.note import COMPANY_KEYS, PERSON_KEYS, Key
from coffeechat.model.typed import parse_assignments, typed_input
from coffeechat.store import writes
from coffeechat.store.vault import open_store
from conftest import MINIMAL_CONFIG, Run, WriteNote

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 9, tzinfo=CHICAGO)
_RUAMEL = YAML(typ="safe", pure=True)  # YAML 1.2

# Text a YAML reader might take for something else, beside any generated text.
TRICKY = [
    "-0",
    "-1",
    "2",
    "1e3",
    "010",
    "000123",
    "0x1F",
    "0o17",
    "1_000",
    "yes",
    "NO",
    "on",
    "null",
    "~",
    "2026-11-23",
    "12:30",
    ".inf",
    "#tag",
    "a #b",
    "[x]",
    "{y}",
    "'q'",
    '"dq"',
    "@me",
    "*star",
    "&a",
    "! bang",
    "- dash",
    "? q",
    "a: b",
    "=SUM(1)",
    "-",
]
_TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20
    ).filter(lambda text: text.strip() and text.strip() == " ".join(text.split())),
)
_KIND_TEXT: dict[str, st.SearchStrategy[str]] = {
    "text": _TEXT,
    "list": _TEXT,
    "date": st.dates(date(2000, 1, 1), date(2090, 12, 31)).map(date.isoformat),
    # Daytime, so no time the clocks skip.
    "datetime": st.builds(
        lambda day, hour, minute: f"{day.isoformat()} {hour:02d}:{minute:02d}",
        st.dates(date(2000, 1, 1), date(2090, 12, 31)),
        st.integers(8, 20),
        st.integers(0, 59),
    ),
    "zone": st.sampled_from(["America/Chicago", "Asia/Kolkata", "Europe/Madrid", "UTC"]),
    "hours": st.sampled_from(["09:00-17:00", "Sun-Thu 9-17", "10:00-19:00"]),
    "rank": st.one_of(st.integers(1, 5).map(str), st.sampled_from(["high", "medium", "low"])),
    "cadence": st.sampled_from(["60", "30 days", "never", "1"]),
}
# What each kind is as a YAML value, in every reader.
_YAML_TYPE = {
    "text": str,
    "choice": str,
    "zone": str,
    "hours": str,
    "list": list,
    "date": date,
    "datetime": datetime,
    "rank": int,
    "cadence": str,
}


def _typed_text(key: Key) -> st.SearchStrategy[str]:
    if key.choices:
        return st.sampled_from(key.choices)
    return _KIND_TEXT[key.kind]


def _frontmatter(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[4 : text.index("\n---", 4)]


def _check(key: Key, path: Path, meant: Any) -> None:
    frontmatter = _frontmatter(path)
    for reader, read in (
        ("PyYAML 1.1", yaml.safe_load(frontmatter)),
        ("ruamel.yaml 1.2", _RUAMEL.load(frontmatter)),
    ):
        value = read[key.name]
        expected = _YAML_TYPE[key.kind]
        assert isinstance(value, expected), (reader, key.name, frontmatter)
        if expected is date:
            assert not isinstance(value, datetime), (reader, key.name, frontmatter)
        if expected is int:
            assert not isinstance(value, bool)
        if isinstance(meant, datetime):
            assert value.astimezone(CHICAGO) == meant, (reader, key.name, frontmatter)
        elif isinstance(meant, list | tuple):
            assert value == list(meant), (reader, key.name, frontmatter)
        else:
            assert value == meant, (reader, key.name, frontmatter)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_what_set_and_add_write_reads_back_as_the_declared_type(data: st.DataObject) -> None:
    key = data.draw(st.sampled_from([k for k in PERSON_KEYS if k.name != "name"]), "key")
    text = data.draw(_typed_text(key), "text")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "people").mkdir()
        (root / "coffeechat.toml").write_text(MINIMAL_CONFIG)
        note = root / "people" / "p.md"
        note.write_text("---\nname: P\n---\n")
        store = open_store(root, use_cache=False)
        # `set KEY=VALUE` (a list key takes the value as its one item).
        changes = parse_assignments([f"{key.name}={text}"], store.read_person(note), NOW, CHICAGO)
        store.edit(store.read_person(note), changes)
        meant = changes[key.name]
        _check(key, note, meant)
        assert getattr(store.read_person(note), key.field) == (tuple(meant) if key.many else meant)
        # `add` and the imports write a new note the same way.
        value = [text] if key.many else typed_input(key, text, NOW, CHICAGO)
        added = writes.add_person(root / "people", [], {"name": "Q", key.name: value}, NOW, CHICAGO)
        _check(key, added.path, meant)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_what_company_add_writes_reads_back_as_the_declared_type(data: st.DataObject) -> None:
    key = data.draw(st.sampled_from([k for k in COMPANY_KEYS if k.name != "name"]), "key")
    text = data.draw(_typed_text(key), "text")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "companies").mkdir()
        (root / "coffeechat.toml").write_text(MINIMAL_CONFIG)
        given_value = [text] if key.many else text
        added = writes.add_company(
            root / "companies", [], "Acme", {key.name: given_value}, NOW, CHICAGO
        )
        meant = [text] if key.many else typed_input(key, text, NOW, CHICAGO)
        _check(key, added.path, meant)


def test_company_add_writes_a_priority_as_the_number_it_is(run: Run, vault: Path) -> None:
    assert run("company", "add", "Lumen Pay", "--priority", "2").exit_code == 0
    assert "priority: 2\n" in (vault / "companies" / "lumen-pay.md").read_text()
    assert run("company", "add", "Chai Cloud", "--priority", "high").exit_code == 0
    assert "priority: 1\n" in (vault / "companies" / "chai-cloud.md").read_text()
    wrong = run("company", "add", "Fjord", "--priority", "urgent")
    assert (wrong.exit_code, wrong.stderr) == (
        2,
        "Error: priority: `urgent` is not a priority; write a whole number, 1 (highest) to 5, "
        "or high, medium, low\n",
    )
    assert not (vault / "companies" / "fjord.md").exists()


def test_a_text_key_writes_text_whatever_it_looks_like(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya", "name: Priya Raman\n")
    assert run("set", "priya", "team=-0", "seniority=3", "school=1e3").exit_code == 0
    assert run("add", "Ravi Shah", "--role", "-1", "--seniority", "010").exit_code == 0
    text = path.read_text()
    assert 'team: "-0"\n' in text
    assert 'seniority: "3"\n' in text
    assert 'school: "1e3"\n' in text
    ravi = (path.parent / "ravi-shah.md").read_text()
    assert 'role: "-1"\n' in ravi
    assert 'seniority: "010"\n' in ravi
