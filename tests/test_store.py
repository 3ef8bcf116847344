"""The store: which note a name finds, what a bad value costs, where the cache may write."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coffeechat.model.note import COMPANY_KEYS, PERSON_KEYS, Company, Person
from coffeechat.store.vault import Layout, open_store
from conftest import Run, WriteNote, snapshot

PRIYA = "name: Priya Raman\ncompany: Lumen Pay\ntimezone: America/Los_Angeles\n"


def test_an_exact_file_name_wins_over_one_that_differs_in_case(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("priya-raman", "name: Priya Raman\n")
    write_note("Priya-Raman", "name: Someone Else\n")
    result = run("mark", "priya-raman", "replied")
    assert result.exit_code == 0
    assert "replied:" in (vault / "people" / "priya-raman.md").read_text()
    assert "replied:" not in (vault / "people" / "Priya-Raman.md").read_text()


def test_two_notes_of_one_name_in_two_folders_are_ambiguous_until_the_folder_is_named(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("priya-raman", "name: Priya Raman\n")
    write_note("old/priya-raman", "name: Priya Raman (old)\n")
    before = snapshot(vault)
    result = run("mark", "priya-raman", "replied")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: `priya-raman` names 2 notes: people/old/priya-raman.md, people/priya-raman.md;"
        " pass the one you mean as it is written, with its folder\n"
    )
    assert snapshot(vault) == before
    assert run("mark", "old/priya-raman", "replied").exit_code == 0
    assert "replied:" in (vault / "people" / "old" / "priya-raman.md").read_text()


def test_a_name_shared_by_two_people_lists_both(run: Run, write_note: WriteNote) -> None:
    write_note("alex-kim", "name: Alex Kim\ncompany: Lumen Pay\n")
    write_note("alex-kim-2", "name: Alex Kim\ncompany: Wattle Labs\n")
    result = run("show", "Alex Kim")
    assert result.exit_code == 2
    assert "Alex Kim (Lumen Pay, alex-kim); Alex Kim (Wattle Labs, alex-kim-2)" in result.stderr


@pytest.mark.parametrize(
    ("line", "warning"),
    [
        ("role: " + "9" * 5000, "3: role: is 5,000 characters long; keep it under 4,000"),
        ("role: !!int abc", None),
        ("messaged: !!timestamp nonsense", "3: messaged: `nonsense` is not a date"),
        (
            "messaged: 9999-12-31",
            "3: messaged: `9999-12-31` is not a usable date (years 1900-2199)",
        ),
        ("chat: 0001-01-01 00:00:00 +14:00", "is not a usable date (years 1900-2199)"),
        ("tags: [" + ", ".join(["x"] * 201) + "]", "3: tags: has 201 items; keep it under 200"),
    ],
)
def test_one_bad_value_is_one_warning_and_the_vault_is_served(
    run: Run, write_note: WriteNote, line: str, warning: str | None
) -> None:
    write_note("odd", f"name: Odd Value\n{line}\n")
    write_note("fine", "name: Fine Person\nmessaged: 2026-11-01\n")
    for command in ("list", "due", "stats", "next", "companies"):
        result = run(command)
        assert result.exit_code == 0, command
        if warning:
            assert result.stderr.count("people/odd.md:") == 1, command
            assert warning in result.stderr, command
    report = run("doctor")
    assert report.exit_code == (1 if warning else 0)
    assert (warning or "") in report.stdout
    names = [p["name"] for p in json.loads(run("list", "--json").stdout)["people"]]
    assert names == ["Fine Person", "Odd Value"]


def test_set_refuses_a_date_the_tool_cannot_compute_with(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya", "name: Priya Raman\n")
    before = path.read_bytes()
    result = run("set", "priya", "messaged=9999-12-31")
    assert result.exit_code == 2
    assert result.stderr == "Error: messaged: `9999-12-31` is not a usable date (years 1900-2199)\n"
    assert path.read_bytes() == before


def test_set_cannot_empty_the_name(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya", "name: Priya Raman\n")
    before = path.read_bytes()
    result = run("set", "priya", "name=")
    assert result.exit_code == 2
    assert result.stderr == "Error: name: a note needs a name; give the new one, `name=Full Name`\n"
    assert path.read_bytes() == before


def test_a_cache_folder_that_is_a_link_is_never_written_through(
    run: Run, vault: Path, write_note: WriteNote, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.sqlite").write_text("precious data")
    (outside / "index.sqlite-wal").write_text("wal")
    (vault / ".coffeechat").symlink_to(outside)
    write_note("ada", "name: Ada Park\n")
    assert run("list").exit_code == 0
    assert (outside / "index.sqlite").read_text() == "precious data"
    assert (outside / "index.sqlite-wal").read_text() == "wal"
    assert list((tmp_path / "home" / ".cache" / "coffeechat").glob("*.sqlite"))


def test_a_people_folder_that_is_a_link_is_read_and_edited(
    run: Run, vault: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "synced-people"
    elsewhere.mkdir()
    (elsewhere / "ada.md").write_text("---\nname: Ada Park\n---\n")
    (vault / "people").rmdir()
    (vault / "people").symlink_to(elsewhere)
    assert "Ada Park" in run("list").stdout
    assert run("mark", "ada", "messaged").exit_code == 0
    assert "messaged:" in (elsewhere / "ada.md").read_text()


def test_every_key_is_declared_once_and_found_everywhere(run: Run) -> None:
    """The key tables, the models' fields and `add`'s options all come from one declaration."""
    assert [k.field for k in PERSON_KEYS] == list(Person._fields[1:-4])
    assert [k.field for k in COMPANY_KEYS] == list(Company._fields[1:-4])
    add_help = run("add", "--help").stdout
    for key in PERSON_KEYS:
        assert (f"--{key.flag or key.name} " in add_help) == key.option, key.name


def test_every_key_says_who_may_read_it() -> None:
    """A draft may quote only `them` keys; free text is never a `fact`-less guess."""
    for key in (*PERSON_KEYS, *COMPANY_KEYS):
        assert key.audience in ("private", "them", "fact"), key.name
    them = {key.name for key in (*PERSON_KEYS, *COMPANY_KEYS) if key.audience == "them"}
    assert them == {"hook", "interest", "news"}
    private = {key.name for key in (*PERSON_KEYS, *COMPANY_KEYS) if key.audience == "private"}
    assert {"common", "in", "tags"} <= private


def test_the_layout_is_the_one_place_that_names_folders(tmp_path: Path) -> None:
    (tmp_path / "coffeechat.toml").write_text('people_dir = "contacts"\n')
    store = open_store(tmp_path)
    assert store.layout == Layout.of(tmp_path, store.config)
    assert store.layout.people == tmp_path / "contacts"
    assert store.layout.prep == tmp_path / "prep"
    assert store.layout.state == tmp_path / ".coffeechat"


def test_set_warns_about_a_key_that_looks_like_a_typo(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya", "name: Priya Raman\n")
    result = run("set", "priya", "refferal=agreed", "met_at=GopherCon")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: `refferal` is not a key coffeechat reads; did you mean `referral`?\n"
    )
    assert "refferal: agreed\nmet_at: GopherCon\n" in path.read_text()


def test_a_group_of_writes_takes_its_files_back_when_a_later_write_fails(vault: Path) -> None:
    store = open_store(vault)
    kept = vault / "kept.txt"
    kept.write_bytes(b"before")
    made = vault / "new" / "made.txt"

    def write_then_stop() -> None:
        with store.together() as written:
            written.write_file(kept, b"after")
            written.write_file(made, b"made", create_folder=True)
            assert kept.read_bytes() == b"after"
            assert made.read_bytes() == b"made"
            raise KeyboardInterrupt  # even Ctrl-C in the note's write leaves nothing half done

    with pytest.raises(KeyboardInterrupt):
        write_then_stop()
    assert kept.read_bytes() == b"before"
    assert not (vault / "new").exists()


def test_a_group_of_writes_that_succeeds_keeps_every_file(vault: Path) -> None:
    store = open_store(vault)
    with store.together() as written:
        written.write_file(vault / "one.txt", b"one")
        written.write_file(vault / "two.txt", b"two")
    assert (vault / "one.txt").read_bytes() == b"one"
    assert (vault / "two.txt").read_bytes() == b"two"


# --- a chat near year 1 or 9999 is one warning (review H2) ---------------------------------------


@pytest.mark.parametrize(
    "args",
    [["show", "priya"], ["prep", "priya"], ["draft", "thanks", "priya", "--force"], ["due"]],
    ids=lambda args: args[0],
)
@pytest.mark.parametrize("chat", ["9999-12-31 23:59:00 -12:00", "0001-01-01 00:00:00 +14:00"])
def test_a_chat_near_year_1_or_9999_is_one_warning(
    run: Run, write_note: WriteNote, args: list[str], chat: str
) -> None:
    write_note("priya", PRIYA + f"chat: {chat}\n", body="\n## Notes\n\n- She said hi\n")
    result = run(*args)
    assert result.exit_code in (0, 1)
    assert "is not a usable date (years 1900-2199)" in result.stderr
    assert result.stderr.count("people/priya.md:5: chat:") == 1
    if args[0] == "draft":  # a thank-you needs a chat, and this one cannot be used
        assert result.stderr.endswith(
            "Error: no chat recorded for Priya Raman: coffeechat mark priya chat --on WHEN\n"
        )
    else:
        assert result.exit_code == 0


# --- a note that cannot be read is named (review L4) ---------------------------------------------


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Notes by these file names cannot be read, as for a user who lacks permission (root,
    who runs the tests in a container, reads anything)."""
    names: list[str] = []
    real_read = Path.read_bytes
    real_open = os.open

    def read_bytes(self: Path) -> bytes:
        if self.name in names:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    def os_open(path: str | os.PathLike[str], *args: object, **kwargs: object) -> int:
        if os.path.basename(os.fspath(path)) in names:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "open", os_open)
    return names


def test_a_note_that_cannot_be_read_is_named_not_no_person_matches(
    run: Run, vault: Path, write_note: WriteNote, unreadable: list[str]
) -> None:
    write_note("ravi-shah", "name: Ravi Shah\n").chmod(0)
    write_note("ravi-kumar", "name: Ravi Kumar\n").chmod(0)
    write_note("priya", PRIYA)
    before = snapshot(vault)
    unreadable += ["ravi-shah.md", "ravi-kumar.md"]
    for query in ("Ravi Shah", "shah", "ravi-shah", "ravi sh"):
        result = run("--no-cache", "mark", query, "replied")
        assert (result.exit_code, result.stdout) == (1, ""), query
        assert result.stderr.splitlines()[-1] == (
            "Error: people/ravi-shah.md: cannot be read: Permission denied"
        ), query
    result = run("--no-cache", "mark", "ravi", "replied")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[-1] == (
        "Error: no readable note matches `ravi`; 2 that may be the one meant cannot be read: "
        "people/ravi-kumar.md, people/ravi-shah.md"
    )
    unknown = run("--no-cache", "mark", "zed", "replied")
    assert unknown.stderr.splitlines()[-1].startswith("Error: no person matches `zed`")
    unreadable.clear()
    assert snapshot(vault) == before


# --- doctor reads each body once, after the load -------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "still_read"),
    [
        (b"", False),
        (b"\xff\xfeU\x00T\x00F\x00", False),
        (None, False),
        # Only the body is read again: the keys are the ones loaded, and the next load
        # reports the frontmatter.
        (b"---\nname: [Priya\n---\n\n## Notes\n", True),
    ],
    ids=["emptied", "utf-16", "removed", "frontmatter"],
)
def test_a_note_that_breaks_after_doctor_loaded_it_is_no_traceback(
    vault: Path, write_note: WriteNote, broken: bytes | None, still_read: bool
) -> None:
    from datetime import datetime

    from coffeechat.doctor import diagnose

    path = write_note("priya", PRIYA + "chat: 2026-11-20 10:00 -08:00\n", body="\n## Notes\n")
    now = datetime.fromisoformat("2026-11-23T09:00:00-06:00")
    past_chat = "the chat is past but `## Notes` is empty"
    assert any(past_chat in p.message for p in diagnose(open_store(vault), now).problems)

    store = open_store(vault)
    store.people()
    if broken is None:
        path.unlink()
    else:
        path.write_bytes(broken)
    problems = diagnose(store, now).problems
    assert any(past_chat in p.message for p in problems) == still_read
