"""The index cache: the notes stay the only truth, whatever happens to the cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coffeechat.core.errors import Problem
from coffeechat.model.note import Person
from coffeechat.store import cache
from coffeechat.store import vault as store_module
from coffeechat.store.vault import open_store
from conftest import Run, WriteNote

CACHE = Path(".coffeechat") / "index.sqlite"


def names(run: Run) -> list[str]:
    return [person["name"] for person in json.loads(run("list", "--json").stdout)]


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """From now on, every note read from disk (not from the cache) is added to the list."""
    parsed: list[Path] = []
    real_read_note = store_module.read_note

    def counting(path: Path):  # type: ignore[no-untyped-def]
        parsed.append(path)
        return real_read_note(path)

    monkeypatch.setattr(store_module, "read_note", counting)
    return parsed


def age(path: Path, seconds: int = 10) -> None:
    """Make a file look as if it was written a while ago (past the racy-edit window)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 1_000_000_000))


def test_a_warm_cache_parses_nothing(
    run: Run, vault: Path, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    for stem in ("ada", "bo"):
        age(write_note(stem, f"name: {stem.title()} Park\n"))
    assert names(run) == ["Ada Park", "Bo Park"]
    assert (vault / CACHE).is_file()
    parsed = count_parses(monkeypatch)
    people = open_store(vault).people().notes
    assert [p.name for p in people] == ["Ada Park", "Bo Park"]
    assert parsed == []
    assert run("show", "ada").exit_code == 0
    assert [p.name for p in parsed] == ["ada.md", "ada.md"]  # its keys and its body only
    people = open_store(vault, use_cache=False).people().notes
    assert len(parsed) == 4


def test_after_one_note_changes_the_others_stay_cached(
    run: Run, vault: Path, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = [
        write_note(stem, f"name: {stem.title()} Lee\nmessaged: 2026-11-01\n")
        for stem in ("ada", "bo", "cy")
    ]
    for note in notes:
        age(note, 60)
    assert names(run) == ["Ada Lee", "Bo Lee", "Cy Lee"]
    notes[0].write_text("---\nname: Ada Park\nmessaged: 2026-11-02\n---\n")
    age(notes[0], 30)
    assert names(run) == ["Ada Park", "Bo Lee", "Cy Lee"]  # rewrites the cache
    parsed = count_parses(monkeypatch)
    assert names(run) == ["Ada Park", "Bo Lee", "Cy Lee"]
    assert parsed == []


def test_edited_added_deleted_and_renamed_notes_are_seen(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    ada = write_note("ada", "name: Ada Park\n")
    bo = write_note("bo", "name: Bo Chen\n")
    for note in (ada, bo):
        age(note, 60)
    assert names(run) == ["Ada Park", "Bo Chen"]
    ada.write_text("---\nname: Ada Lovelace\n---\n")
    write_note("cy", "name: Cy Young\n")
    bo.rename(vault / "people" / "bo-chen.md")
    assert names(run) == ["Ada Lovelace", "Bo Chen", "Cy Young"]
    (vault / "people" / "cy.md").unlink()
    assert names(run) == ["Ada Lovelace", "Bo Chen"]


def test_a_same_size_edit_in_the_same_second_is_seen(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    note = write_note("ada", "name: Ada Park\n")
    assert names(run) == ["Ada Park"]
    stat = note.stat()
    note.write_text(note.read_text().replace("Park", "Pace"))  # same size
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert note.stat().st_size == stat.st_size
    assert names(run) == ["Ada Pace"]


def test_a_corrupt_cache_is_rebuilt_silently(run: Run, vault: Path, write_note: WriteNote) -> None:
    write_note("ada", "name: Ada Park\n")
    run("list")
    (vault / CACHE).write_bytes(b"this is not a database" * 100)
    result = run("list")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Ada Park" in result.stdout
    assert (vault / CACHE).read_bytes().startswith(b"SQLite format 3")


def test_a_cache_from_another_version_is_emptied(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    import sqlite3

    note = write_note("ada", "name: Ada Park\n")
    age(note)
    run("list")
    with sqlite3.connect(vault / CACHE) as db:
        db.execute("UPDATE meta SET value = 'other' WHERE key = 'fingerprint'")
        db.execute("UPDATE snapshots SET columns = '[1, 2, 3]'")
    assert names(run) == ["Ada Park"]


@pytest.mark.parametrize(
    "garble",
    [
        "UPDATE snapshots SET texts = 'Ada Park'",  # too few values for the text keys
        "UPDATE snapshots SET texts = NULL",  # the text keys then missing from the columns
        "UPDATE snapshots SET columns = '[[42], [\"x\"], [1], [2], [3], [4], [5], [6]]'",
        "UPDATE snapshots SET columns = replace(columns, '[[null]', '[[1]')",  # year 1
        "UPDATE snapshots SET stats = x'00'",  # a manifest that does not add up
        "UPDATE snapshots SET lines_at = x'05000000'",  # points past the pool
    ],
)
def test_a_garbled_row_is_only_a_miss(
    run: Run, vault: Path, write_note: WriteNote, garble: str
) -> None:
    import sqlite3

    note = write_note("ada", "name: Ada Park\ncommon: [chess]\n")
    age(note)
    run("list")
    with sqlite3.connect(vault / CACHE) as db:
        assert db.execute(garble + " WHERE folder = 'people'").rowcount == 1
    result = run("list", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert [(p["name"], p["common"]) for p in json.loads(result.stdout)] == [
        ("Ada Park", ["chess"])
    ]


def test_a_row_edited_in_place_with_its_note_unchanged_is_a_miss(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    """Only rows the cache wrote itself are used: a row changed by anything else is a miss,
    even with every stat of its note as recorded, and even with an unkeyed seal made anew."""
    import sqlite3

    note = write_note("ravi", "name: Ravi Shah\ncompany: Lumen Pay\n")
    age(note)
    run("list")
    with sqlite3.connect(vault / CACHE) as db:
        edit = "UPDATE snapshots SET texts = replace(texts, 'Lumen Pay', 'Evil Corp')"
        assert db.execute(edit + " WHERE folder = 'people'").rowcount == 1
    result = run("list", "--json")
    assert [(p["name"], p["company"]) for p in json.loads(result.stdout)] == [
        ("Ravi Shah", "Lumen Pay")
    ]
    with sqlite3.connect(vault / CACHE) as db:
        row = db.execute(f"SELECT folder, {cache._COLUMNS} FROM snapshots").fetchone()
        forged = (row[0], *row[1:-1])
        forged = (forged[0], *forged[1:5], forged[5].replace("Lumen Pay", "Evil Corp"), *forged[6:])
        db.execute(
            "UPDATE snapshots SET texts = ?, seal = ? WHERE folder = 'people'",
            (forged[5], cache._seal(b"", forged)),
        )
    result = run("list", "--json")
    assert [p["company"] for p in json.loads(result.stdout)] == ["Lumen Pay"]


def test_the_seal_key_is_the_users_own_and_kept_outside_the_vault(
    run: Run, vault: Path, write_note: WriteNote, tmp_path: Path
) -> None:
    write_note("ada", "name: Ada Park\n")
    run("list")
    key = tmp_path / "home" / ".cache" / "coffeechat" / "seal.key"
    assert len(key.read_bytes()) == 32
    assert key.stat().st_mode & 0o777 == 0o600
    first = key.read_bytes()
    run("list")
    assert key.read_bytes() == first
    assert not list(vault.rglob("seal.key"))


def test_deleting_the_cache_loses_nothing(run: Run, vault: Path, write_note: WriteNote) -> None:
    write_note("ada", "name: Ada Park\nmessaged: 2026-11-01\n")
    first = run("list", "--json").stdout
    (vault / CACHE).unlink()
    assert run("list", "--json").stdout == first


def test_broken_notes_are_reported_from_the_cache_too(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    bad = write_note("bad", "name: [unclosed\n")
    age(bad)
    first = run("list")
    second = run("list")
    assert first.stderr == second.stderr
    assert "people/bad.md:3: YAML error" in second.stderr


def test_no_cache_reads_every_note_and_writes_no_cache(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("ada", "name: Ada Park\n")
    assert "Ada Park" in run("--no-cache", "list").stdout
    assert not (vault / CACHE).exists()


def test_a_read_only_vault_caches_in_the_users_cache_folder(
    vault: Path, write_note: WriteNote, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coffeechat.store import cache

    write_note("ada", "name: Ada Park\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (vault / ".coffeechat").write_text("a file where the cache folder would go")
    location = cache.default_location(vault / ".coffeechat")
    assert location is not None
    assert location.parent == tmp_path / "xdg" / "coffeechat"
    people = open_store(vault).people().notes
    assert [p.name for p in people] == ["Ada Park"]
    assert location.is_file()


def test_two_processes_at_once_do_not_corrupt_it(vault: Path, write_note: WriteNote) -> None:
    for number in range(200):
        write_note(f"p{number:03d}", f"name: Person {number}\n")
    command = [sys.executable, "-m", "coffeechat", "--vault", str(vault), "list", "--json"]
    env = {**os.environ, "COFFEECHAT_NOW": "2026-11-23T09:00:00-06:00"}
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(4)
    ]
    results = [process.communicate() for process in processes]
    for out, err in results:
        assert err == b""
        assert len(json.loads(out)) == 200
    completed = subprocess.run(command, capture_output=True, env=env, check=True)
    assert len(json.loads(completed.stdout)) == 200
    assert completed.stderr == b""


texts = st.text(max_size=20)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda moment: moment.replace(tzinfo=timezone(timedelta(hours=-6)))
)
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts | days,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


@given(
    name=texts.filter(str.strip),
    company=texts,
    common=st.lists(texts, max_size=3),
    messaged=st.none() | days,
    chat=st.none() | moments,
    extra=st.dictionaries(texts, yaml_values, max_size=3),
    lines=st.dictionaries(texts, st.integers(1, 500), max_size=3),
    problem=st.none() | texts,
)
def test_a_cached_person_comes_back_equal(
    name: str,
    company: str,
    common: list[str],
    messaged: date | None,
    chat: datetime | None,
    extra: dict,
    lines: dict,
    problem: str | None,
) -> None:
    path = Path("/vault/people/someone.md")
    problems = (Problem(path, 3, problem),) if problem is not None else ()
    person = Person(
        file=str(path),
        name=name,
        company=company,
        common=tuple(common),
        messaged=messaged,
        chat=chat,
        raw_extra=extra,
        raw_lines=lines,
        problems=problems,
    )
    entry = cache.Entry(False, "key", "someone", "someone.md", (1, 2, 3, 4), person)
    row = cache._snapshot_row("person", [entry])  # as stored, text and numbers
    decoded = cache.Snapshot("person", "/vault/people/", row).decode()
    assert decoded is not None
    (back,), unreadable = decoded
    assert unreadable == []
    plain = {"raw_extra": {}, "raw_lines": {}}
    assert back._replace(**plain) == person._replace(**plain)
    assert (back.extra, back.key_lines) == (extra, lines)


def test_every_note_of_the_example_vault_is_cached(run: Run, example_vault: Path) -> None:
    import sqlite3

    assert run("list", root=example_vault).exit_code == 0
    assert run("companies", root=example_vault).exit_code == 0
    with sqlite3.connect(example_vault / CACHE) as db:
        rows = dict(db.execute("SELECT folder, rels FROM snapshots").fetchall())
    for folder in ("people", "companies"):
        notes = sorted(p.name for p in (example_vault / folder).glob("*.md"))
        assert sorted(rows[folder].split("\0")) == notes


# --- a cache that belongs to another vault -------------------------------------------------------


def test_a_cache_copied_from_another_vault_serves_this_vaults_notes(
    run: Run, tmp_path: Path, example_vault: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(example_vault, other, symlinks=True)
    assert run("list", root=example_vault).exit_code == 0  # fills the first vault's cache
    note = other / "people" / "priya-raman.md"
    stat = note.stat()
    note.write_text(note.read_text().replace("Priya Raman", "Priya Changed", 1))
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same time as before
    shutil.rmtree(other / ".coffeechat", ignore_errors=True)
    shutil.copytree(example_vault / ".coffeechat", other / ".coffeechat")
    names = [p["name"] for p in json.loads(run("list", "--json", root=other).stdout)]
    assert "Priya Changed" in names
    assert "Priya Raman" not in names
