"""A vault synced between a laptop and a phone: the conflict copies sync tools leave, found by
`doctor` with their note, left out of the people, and merged back by `coffeechat merge`."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.model.note import PERSON_KEY_NAMES
from coffeechat.store.files import slugify
from coffeechat.store.merge import merge_note, sides
from coffeechat.store.notefile import split_note
from coffeechat.store.syncnames import PATTERNS, copy_name
from conftest import Run, WriteNote, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "merge"
MERGED = ".coffeechat/merged/20261123T150000Z/people"
SYNCTHING = "priya-raman.sync-conflict-20261201-101500-ABCDEF7.md"

# One copy of `priya-raman.md` as each sync tool names it, with the tool doctor names.
COPIES = {
    SYNCTHING: "Syncthing",
    "priya-raman (Conflicted copy ThinkPad-T14-G5 202612011129).md": "Obsidian Sync",
    "priya-raman.sync-conflict-20261201-101500.md": "Obsidian Sync (as its help once described)",
    "priya-raman (Sam's MacBook's conflicted copy 2026-12-01).md": "Dropbox",
    "priya-raman (Sam\u2019s iPhone\u2019s conflicted copy 2026-12-01 (1)).md": "Dropbox",
    "priya-raman (Case Conflict).md": "Dropbox",
    "priya-raman (conflicted copy 2026-12-01 101500).md": "Nextcloud or ownCloud",
    "priya-raman_conflict-20261201-101500.md": "Nextcloud or ownCloud (older clients)",
    "priya-raman [Conflict].md": "Google Drive",
    "priya-raman [Conflict 2].md": "Google Drive",
    "priya-raman (1).md": "Google Drive or OneDrive (a numbered duplicate)",
    "priya-raman 2.md": "iCloud",
    "priya-raman 13.md": "iCloud",
    "priya-raman-DESKTOP-1A2B3C4.md": "OneDrive",
    "priya-raman-LAPTOP7.md": "OneDrive",
}


@pytest.fixture
def priya(vault: Path) -> Path:
    """The laptop's note, as the merge fixtures have it."""
    path = vault / "people" / "priya-raman.md"
    shutil.copy(FIXTURES / "priya-raman.md", path)
    return path


def _copy(vault: Path, name: str = SYNCTHING) -> Path:
    """The phone's version of Priya's note, under the name a sync tool gave it."""
    path = vault / "people" / name
    shutil.copy(FIXTURES / "priya-raman.copy.md", path)
    return path


def test_every_pattern_has_a_case_here() -> None:
    assert {entry.tool for entry in PATTERNS} == set(COPIES.values())


@pytest.mark.parametrize(("name", "tool"), COPIES.items())
def test_doctor_names_each_sync_tools_copy_with_its_note_and_list_counts_the_person_once(
    run: Run, vault: Path, priya: Path, name: str, tool: str
) -> None:
    _copy(vault, name)
    doctor = run("doctor")
    assert doctor.exit_code == 1
    assert (
        f"people/{name}: a conflict copy of priya-raman.md ({tool}) — merge the two with "
        "`coffeechat merge priya-raman`\n"
    ) in doctor.stdout
    assert "same name and company" not in doctor.stdout
    listed = json.loads(run("list", "--json").stdout)["people"]
    assert [person["file"] for person in listed] == ["people/priya-raman.md"]


@pytest.mark.parametrize(
    "name",
    [
        "priya-raman-2.md",  # coffeechat's own name for a namesake
        "priya-raman-jr.md",
        "priya-raman-Desktop.md",  # lower-case letters: not a Windows computer name
        "priya-raman-1234.md",  # digits only
        "priya-raman-ABCDEFGHIJKLMNOP.md",  # 16 characters: longer than a computer name
        "priya-raman 1.md",  # iCloud starts at 2
        "priya-ramanDESKTOP.md",
    ],
)
def test_an_ordinary_hyphenated_or_numbered_name_is_a_note(name: str) -> None:
    assert copy_name(name, {"priya-raman.md", name}) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30), st.integers(min_value=2, max_value=99))
def test_no_name_coffeechat_writes_is_taken_for_a_copy(first: str, second: str, n: int) -> None:
    """Every note name coffeechat makes (`add`, imports, a namesake's `-2`) stays a note,
    whatever else is beside it."""
    names = {slugify(first), slugify(second), f"{slugify(first)}-{slugify(second)}"}
    names |= {f"{slugify(first)}-{n}"}
    files = {f"{name}.md" for name in names}
    for name in files:
        assert copy_name(name, files) is None


def test_a_copy_pattern_without_its_note_beside_it_is_an_ordinary_note(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("ravi-DESKTOP-1A2B3C4", "name: Ravi Shah\n")  # no ravi.md
    write_note("team-API", "name: Team API\n")
    write_note("kim.sync-conflict-20261201-101500-ABCDEF7", "name: Kim Ng\n")
    assert copy_name("ravi-DESKTOP-1A2B3C4.md", {"ravi-DESKTOP-1A2B3C4.md"}) is None
    listed = json.loads(run("list", "--json").stdout)["people"]
    assert sorted(person["name"] for person in listed) == ["Kim Ng", "Ravi Shah", "Team API"]
    assert run("doctor").stdout == (
        "people/kim.sync-conflict-20261201-101500-ABCDEF7.md: named like a conflict copy of "
        "kim.md (Syncthing), which is not there — rename it to kim.md if it is that note; if "
        "it copies another note, rename it to that note's name followed by "
        "`.sync-conflict-20261201-101500-ABCDEF7.md`, then `coffeechat merge NAME`\n"
    )


def test_a_copy_under_another_notes_name_gets_advice_that_works(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    li = "name: Li Wei\nlinkedin: https://www.linkedin.com/in/liwei\n"
    write_note("li-wei", li)
    copy = "x.sync-conflict-20261201-101500-ABCDEF7"
    write_note(copy, li + "role: Staff Engineer\n")
    said = run("doctor").stdout.splitlines()
    assert (
        f"people/{copy}.md: same LinkedIn URL as li-wei.md — a sync conflict copy? rename it to "
        "li-wei.sync-conflict-20261201-101500-ABCDEF7.md, then `coffeechat merge li-wei`"
    ) in said
    assert run("merge", "x").stderr == (
        "Error: no note matches `x`, neither a person nor a company; `coffeechat list` and "
        "`coffeechat companies` list them\n"
    )
    # Followed as said: the rename, then the merge.
    (vault / "people" / f"{copy}.md").rename(
        vault / "people" / "li-wei.sync-conflict-20261201-101500-ABCDEF7.md"
    )
    assert run("merge", "li-wei").exit_code == 0
    assert "role: Staff Engineer\n" in (vault / "people" / "li-wei.md").read_text()
    assert run("doctor").stdout == "No problems in 1 notes.\n"


def test_a_copy_of_a_copy_is_named_with_the_note() -> None:
    names = {"priya.md", "priya 2.md", "priya 2 2.md"}
    found = copy_name("priya 2 2.md", names)
    assert found is not None
    assert (found.original, found.tool) == ("priya.md", "iCloud")


def test_naming_the_copy_merges_its_note(run: Run, vault: Path, priya: Path) -> None:
    _copy(vault, "priya-raman 2.md")
    result = run("merge", "priya-raman 2", "--take", "theirs", "--take", "body=both")
    assert result.exit_code == 0, result.output
    assert priya.read_bytes() == (FIXTURES / "priya-raman.merged.md").read_bytes()


def test_merge_joins_keys_log_and_body_and_puts_the_copy_away(
    run: Run, vault: Path, priya: Path
) -> None:
    copy = _copy(vault)
    result = run("merge", "priya", "--take", "role=theirs", "--take", "body=both")
    assert result.exit_code == 0, result.output
    assert priya.read_bytes() == (FIXTURES / "priya-raman.merged.md").read_bytes()
    assert not copy.exists()
    assert (vault / MERGED / SYNCTHING).read_bytes() == (
        FIXTURES / "priya-raman.copy.md"
    ).read_bytes()
    assert result.stdout == (
        f"people/priya-raman.md ← people/{SYNCTHING} (Syncthing)\n"
        "  messaged: 2026-11-09, the copy's earlier date\n"
        "  nudged: 2026-11-20, the copy's later date\n"
        "  replied: 2026-11-21, only in the copy\n"
        "  tags: added [remote] from the copy\n"
        "  ## Log: added 2 entries from the copy\n"
        "  conflict in `role` (line 6): took theirs\n"
        "    note: Staff Engineer\n"
        "    copy: Senior Engineer\n"
        "  conflict in the body (line 15): took both\n"
        "    note: - ask about the platform team\n"
        "    copy: - the team is six people\n"
        "    copy: - ask about the Payments API team\n"
        "people/priya-raman.md: merged\n"
        f"  moved the copy to {MERGED}/{SYNCTHING}\n"
    )
    again = run("merge", "priya")
    assert (again.exit_code, again.stdout) == (
        0,
        "Nothing to merge in people/priya-raman.md: no sync conflict copies, no git conflict "
        "markers.\n",
    )
    assert run("merge", "--all").stdout == (
        "Nothing to merge: no sync conflict copies, no git conflict markers.\n"
    )


def test_an_undecided_conflict_writes_nothing_and_lists_every_conflict(
    run: Run, vault: Path, priya: Path
) -> None:
    _copy(vault)
    before = snapshot(vault)
    result = run("merge", "priya", "--take", "body=mine")
    assert result.exit_code == 1
    assert "  conflict in `role` (line 6): to decide\n" in result.stdout
    assert "  conflict in the body (line 15): took mine\n" in result.stdout
    assert result.stderr == (
        "Error: people/priya-raman.md: 1 conflict to decide; pass --take mine|theirs (or "
        "KEY=mine|theirs, body=both), or --ask; nothing written\n"
    )
    assert snapshot(vault) == before


def test_dry_run_prints_the_plan_and_writes_nothing(run: Run, vault: Path, priya: Path) -> None:
    _copy(vault)
    before = snapshot(vault)
    result = run("merge", "priya", "--dry-run", "--take", "theirs", "--take", "body=both")
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "    copy: - ask about the Payments API team\nDry run: nothing written.\n"
    )
    assert snapshot(vault) == before
    records = json.loads(run("merge", "priya", "--dry-run", "--json").stdout)["notes"]
    assert records[0]["written"] is False
    assert [(c["where"], c["choice"]) for c in records[0]["conflicts"]] == [
        ("role", None),
        ("body", None),
    ]
    assert snapshot(vault) == before


def test_ask_shows_each_conflict_and_takes_the_answer(run: Run, vault: Path, priya: Path) -> None:
    _copy(vault)
    result = run("merge", "priya", "--ask", input="t\nb\n")
    assert result.exit_code == 0, result.output
    assert "    copy: Senior Engineer\nKeep mine, theirs? [m/t]: " in result.stderr
    assert priya.read_bytes() == (FIXTURES / "priya-raman.merged.md").read_bytes()


def test_a_copy_with_a_yaml_error_is_never_merged(run: Run, vault: Path, priya: Path) -> None:
    copy = vault / "people" / SYNCTHING
    copy.write_text("---\nname: Priya Raman\nrole: [Senior\n---\n")
    before = snapshot(vault)
    result = run("merge", "priya", "--take", "theirs")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: people/{SYNCTHING}:4: YAML error: ")
    assert result.stderr.endswith("; nothing merged\n")
    assert snapshot(vault) == before


def test_git_markers_are_found_and_merged_in_place(run: Run, vault: Path) -> None:
    path = vault / "people" / "kim-ng.md"
    shutil.copy(FIXTURES / "kim-ng.git.md", path)
    assert (
        "people/kim-ng.md:4: git conflict markers (<<<<<<< … >>>>>>>) — merge them with "
        "`coffeechat merge kim-ng`\n"
    ) in run("doctor").stdout
    result = run("merge", "kim", "--take", "theirs", "--take", "body=both")
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == (FIXTURES / "kim-ng.merged.md").read_bytes()
    assert "git conflict markers" not in run("doctor").stdout


def test_merge_all_takes_every_note_and_keeps_windows_line_endings(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    note = vault / "people" / "ravi.md"
    note.write_bytes(b"---\r\nname: Ravi\r\n---\r\n\r\n## Log\r\n\r\n- 2026-11-20: met\r\n")
    (vault / "people" / "ravi 2.md").write_bytes(
        b"---\nname: Ravi\nreplied: 2026-11-18\n---\n\n## Log\n\n- 2026-11-18: replied\n"
    )
    result = run("merge", "--all")
    assert result.exit_code == 0, result.output
    assert note.read_bytes() == (
        b"---\r\nname: Ravi\r\nreplied: 2026-11-18\r\n---\r\n\r\n## Log\r\n\r\n"
        b"- 2026-11-18: replied\r\n- 2026-11-20: met\r\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Error: name one note, or pass --all (not both)\n"),
        (("priya", "--all"), "Error: name one note, or pass --all (not both)\n"),
    ],
)
def test_merge_needs_one_note_or_all(
    run: Run, priya: Path, args: tuple[str, ...], message: str
) -> None:
    result = run("merge", *args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_a_take_for_a_key_with_no_conflict_is_named(run: Run, vault: Path, priya: Path) -> None:
    _copy(vault)
    result = run("merge", "priya", "--dry-run", "--take", "theirs", "--take", "rol=mine")
    assert result.stderr == "Warning: --take rol=…: no conflict in `rol`; it was not used\n"


def test_a_take_that_is_not_a_side_is_refused(run: Run, priya: Path) -> None:
    result = run("merge", "priya", "--take", "role=both")
    assert result.exit_code == 2
    assert "`role=both`: take mine or theirs" in result.stderr


# --- properties: what a merge keeps ----------------------------------------------------------

ZONE = ZoneInfo("America/Chicago")
_days = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
_words = st.text(alphabet="abcdefgh ;:.,", min_size=1, max_size=20).map(str.strip).filter(bool)
_entries = st.lists(st.tuples(_days, _words), max_size=6)
# Lines of notes: any text for a note compared with itself; for two notes, text that holds no
# Markdown heading, list item or code fence (which would move where `## Log` is).
_any_lines = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
        max_size=15,
    ),
    max_size=5,
)
_plain_lines = st.lists(st.text(alphabet="abcxyz 0123.,;:!?éü", max_size=15), max_size=5)


def _note(
    name: str, entries: list[tuple[date, str]], notes: list[str], newline: str, **keys: date
) -> bytes:
    front = [f"name: {name}"] + [f"{key}: {value.isoformat()}" for key, value in keys.items()]
    log = [f"- {day.isoformat()}: {text}" for day, text in entries]
    lines = ["---", *front, "---", "", "## Notes", "", *notes, "", "## Log", "", *log]
    return (newline.join(lines) + newline).encode()


def _merge(mine: bytes, theirs: bytes, decide: str = "both") -> bytes | None:
    path = Path("people/priya.md")
    note, copy = split_note(path, mine), split_note(path, theirs)
    return merge_note(
        note,
        [(copy, "test")],
        PERSON_KEY_NAMES,
        ZONE,
        lambda conflict: "mine" if conflict.where != "body" else decide,  # type: ignore[arg-type,return-value]
    ).result


@settings(max_examples=100, deadline=None)
@given(_entries, _any_lines, st.sampled_from(["\n", "\r\n"]), _days)
def test_merging_a_note_with_a_copy_of_itself_changes_nothing(
    entries: list[tuple[date, str]], notes: list[str], newline: str, messaged: date
) -> None:
    raw = _note("Priya", entries, notes, newline, messaged=messaged)
    assert _merge(raw, raw) == raw


@settings(max_examples=100, deadline=None)
@given(
    _entries,
    _entries,
    _plain_lines,
    _plain_lines,
    _days,
    _days,
    st.sampled_from(["mine", "theirs", "both"]),
)
def test_every_log_line_of_either_side_is_in_the_merge(
    mine_log: list[tuple[date, str]],
    their_log: list[tuple[date, str]],
    mine_notes: list[str],
    their_notes: list[str],
    first: date,
    second: date,
    decide: str,
) -> None:
    mine = _note("Priya", mine_log, mine_notes, "\n", messaged=first, nudged=first)
    theirs = _note("Priya", their_log, their_notes, "\n", messaged=second, nudged=second)
    result = _merge(mine, theirs, decide)
    assert result is not None
    lines = result.decode().split("\n")
    for day, text in mine_log + their_log:
        assert f"- {day.isoformat()}: {text}" in lines
    assert f"messaged: {min(first, second).isoformat()}" in lines
    assert f"nudged: {max(first, second).isoformat()}" in lines
    # The note's own log lines keep their order.
    own = [f"- {day.isoformat()}: {text}" for day, text in mine_log]
    assert [line for line in lines if line in set(own)] == own


def test_git_sides_keep_the_shared_lines_and_drop_a_diff3_base() -> None:
    text = "a\n<<<<<<< HEAD\nb\n||||||| base\nz\n=======\nc\n>>>>>>> other\nd"
    assert sides(text) == ("a\nb\nd", "a\nc\nd")


def test_a_later_date_wins_only_where_the_key_means_the_last_time() -> None:
    mine = _note("Priya", [], [], "\n", messaged=date(2026, 11, 10), checked_in=date(2026, 11, 1))
    theirs = _note("Priya", [], [], "\n", messaged=date(2026, 11, 12), checked_in=date(2026, 11, 5))
    result = _merge(mine, theirs)
    assert result is not None
    assert b"messaged: 2026-11-10\n" in result
    assert b"checked_in: 2026-11-05\n" in result
    assert _merge(theirs, mine) == result


def test_a_company_notes_copy_is_merged_too(run: Run, vault: Path, write_note: WriteNote) -> None:
    note = write_note("lumen-pay", "name: Lumen Pay\nstack: [Go]\n", folder="companies", body="")
    write_note(
        "lumen-pay (conflicted copy 2026-12-01 101500)",
        "name: Lumen Pay\nstack: [Go, Kafka]\nsteps:\n  - 2026-11-18 applied\n",
        folder="companies",
        body="",
    )
    assert (
        "companies/lumen-pay (conflicted copy 2026-12-01 101500).md: a conflict copy of "
        "lumen-pay.md (Nextcloud or ownCloud) — merge the two with `coffeechat merge --all`\n"
    ) in run("doctor").stdout
    result = run("merge", "--all")
    assert result.exit_code == 0, result.output
    assert note.read_text() == (
        "---\nname: Lumen Pay\nstack: [Go, Kafka]\nsteps:\n  - 2026-11-18 applied\n---\n"
    )


def test_a_note_saved_while_the_merge_waited_is_not_overwritten(
    run: Run, vault: Path, priya: Path
) -> None:
    from coffeechat.core.errors import WriteRefused
    from coffeechat.store.vault import open_store
    from coffeechat.when import clock

    copy = _copy(vault)
    store = open_store(vault)
    merged = store.plan_merge(priya, lambda conflict: "theirs")
    priya.write_bytes(priya.read_bytes() + b"- 2026-11-23: typed in the editor meanwhile\n")
    edited = priya.read_bytes()
    with pytest.raises(WriteRefused, match="changed on disk since it was read"):
        store.apply_merge(merged, clock.now())
    assert priya.read_bytes() == edited
    assert copy.exists()
