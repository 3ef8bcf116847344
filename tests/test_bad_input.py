"""A vault full of broken notes: every command survives, names each bad file, writes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import Run, snapshot

CORPUS = Path(__file__).parent / "corpus"

# What `list` says of each file; the first group cannot be read at all.
UNREADABLE = {
    "alias-bomb": "3: YAML anchors and aliases (&name, *name) are not read; write the values out",
    "binary": "4: file holds binary data (NUL bytes); it is not a text note",
    "deep-nesting": "3: values nested more than 32 deep",
    "empty": "1: empty file; a note starts with `---`, then `name: …`, then `---`",
    "invalid-utf8": "3: not valid UTF-8; save the file as UTF-8",
    "list-not-mapping": "2: frontmatter is a list, not `key: value` lines",
    "malformed-yaml": "3: YAML error: did not find expected ',' or ']'; fix the frontmatter",
    "no-closing-fence": "1: frontmatter has no closing `---` line; add one after the keys",
    "no-frontmatter": "1: no frontmatter; start the note with a `---` line, then `name: …`",
    "no-name": "2: no `name:`; add `name: Their Name` to the frontmatter",
    "python-tag": "2: name: the tag `!!python/object/apply:os.system` is not allowed; "
    "notes hold plain values only",
    "utf16": "1: file is UTF-16, not UTF-8; save it as UTF-8",
}
SERVED_WITH_A_WARNING = {
    "duplicate-key": ["3: key `name` appears twice; the last one is used"],
    "impossible-date": ["3: messaged: `2026-02-30` is not a date; write it as YYYY-MM-DD"],
    "unknown-zone": [
        "3: timezone: `Mars/Olympus_Mons` is not a known IANA time zone, e.g. Europe/Berlin"
    ],
    "wrong-type": [
        "3: company: should be text, not a list or mapping",
        "4: kind: `wizard` is not one of engineer, manager, recruiter, other",
    ],
}


@pytest.fixture
def hostile_vault(vault: Path, tmp_path: Path) -> Path:
    people = vault / "people"
    for path in CORPUS.iterdir():
        shutil.copy(path, people / path.name)
    outside = tmp_path / "outside.md"
    outside.write_text("---\nname: Outside\n---\n")
    (people / "outside-link.md").symlink_to(outside)
    (people / "loop-a.md").symlink_to(people / "loop-b.md")
    (people / "loop-b.md").symlink_to(people / "loop-a.md")
    (people / "folder.md").mkdir()
    return vault


def test_list_serves_the_good_notes_and_names_each_bad_file_once(
    run: Run, hostile_vault: Path
) -> None:
    before = snapshot(hostile_vault)
    result = run("list", "--json")
    assert result.exit_code == 0
    names = [person["name"] for person in json.loads(result.stdout)]
    assert names == ["B", "Good Person", "Impossible Date", "Unknown Zone", "Wrong Type"]
    expected = [f"people/{stem}.md:{line}" for stem, line in UNREADABLE.items()]
    for stem, lines in SERVED_WITH_A_WARNING.items():
        expected += [f"people/{stem}.md:{line}" for line in lines]
    expected += [
        "people/loop-a.md: is a broken link or a link loop; skipped",
        "people/loop-b.md: is a broken link or a link loop; skipped",
        "people/outside-link.md: links to a file outside the vault; skipped",
    ]
    assert sorted(result.stderr.splitlines()) == sorted(expected)
    assert "Traceback" not in result.output
    assert snapshot(hostile_vault) == before


@pytest.mark.parametrize("stem", sorted(UNREADABLE))
def test_commands_aimed_at_a_broken_note_fail_with_its_line_and_write_nothing(
    run: Run, hostile_vault: Path, stem: str
) -> None:
    before = snapshot(hostile_vault)
    for args in (
        ["show", stem],
        ["set", stem, "role=x"],
        ["mark", stem, "messaged"],
        ["log", stem, "hello"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr == f"Error: people/{stem}.md:{UNREADABLE[stem]}\n"
        assert result.stdout == ""
    assert snapshot(hostile_vault) == before


def test_a_note_with_one_bad_value_is_served_and_still_editable(
    run: Run, hostile_vault: Path
) -> None:
    result = run("show", "wrong-type", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["name"] == "Wrong Type"
    assert result.stderr.splitlines() == [
        f"people/wrong-type.md:{line}" for line in SERVED_WITH_A_WARNING["wrong-type"]
    ]
    path = hostile_vault / "people" / "wrong-type.md"
    run("set", "wrong-type", "kind=engineer")
    assert path.read_text() == (
        "---\nname: Wrong Type\ncompany: [Lumen Pay, Fjord Health]\nkind: engineer\n---\n"
    )


def test_nothing_in_a_note_is_executed(run: Run, hostile_vault: Path) -> None:
    Path("/tmp/pwned").unlink(missing_ok=True)
    run("list")
    run("show", "python-tag")
    assert not Path("/tmp/pwned").exists()


def test_an_unreadable_note_is_named(
    run: Run, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = vault / "people" / "locked.md"
    path.write_text("---\nname: Locked\n---\n")
    path.chmod(0)  # enough for a normal user; root reads anyway, so refuse it here too
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run("list")
    assert result.exit_code == 0
    assert result.stderr == (
        "people/locked.md: cannot be read: Permission denied\n"
        "No readable person notes; fix the files named above.\n"
    )
