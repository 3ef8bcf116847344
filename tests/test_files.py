"""Atomic writes and safe names, down to the file and end to end: a kill mid-write, a hard
link, a name near the system's limit, `-` as an output file."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coffeechat.core.errors import EditConflict, NoteBusy, WriteRefused
from coffeechat.store import files
from coffeechat.store.files import create_file, free_path, note_lock, replace_file, slugify
from conftest import MINIMAL_CONFIG, NOW, Run, WriteNote, snapshot

PRIYA = "name: Priya Raman\ncompany: Lumen Pay\ntimezone: America/Los_Angeles\n"
WITH_EMAIL = MINIMAL_CONFIG + 'email = "sam@example.com"\n'


def test_a_note_changed_on_disk_after_reading_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "priya.md"
    path.write_text("---\nname: Priya\n---\n")
    original = path.read_bytes()
    path.write_text("---\nname: Priya\n---\ntyped in the editor meanwhile\n")
    with pytest.raises(WriteRefused, match="changed on disk since it was read"):
        replace_file(path, b"new", original)
    assert path.read_text().endswith("typed in the editor meanwhile\n")
    assert [p.name for p in tmp_path.iterdir()] == ["priya.md"]


def test_replace_keeps_the_file_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "priya.md"
    path.write_text("old")
    path.chmod(0o600)
    replace_file(path, b"new", b"old")
    assert path.read_bytes() == b"new"
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    assert os.listdir(tmp_path) == ["priya.md"]


def test_create_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    create_file(path, b"first")
    with pytest.raises(WriteRefused, match="already exists"):
        create_file(path, b"second")
    assert path.read_bytes() == b"first"
    assert os.listdir(tmp_path) == ["a.md"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("José Núñez", "jose-nunez"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "person"),
        ("李小龙", "lixiaolong"),  # transliterated, not dropped
        ("Jürgen Weiß", "jurgen-weiss"),
        ("nul", "nul-person"),
        ("Liam O'Connor", "liam-o-connor"),
        ("a/b\\c:d*e?f", "a-b-c-d-e-f"),
    ],
)
def test_slugs_are_safe_file_names(name: str, slug: str) -> None:
    assert slugify(name, fallback="person") == slug


def test_a_taken_name_gets_a_number(tmp_path: Path) -> None:
    (tmp_path / "alex.md").write_text("")
    (tmp_path / "alex-2.md").write_text("")
    assert free_path(tmp_path, "alex") == tmp_path / "alex-3.md"


# --- against editors: the compare right before the swap, and what the swap displaced --------


@pytest.fixture(params=["exchange", "rename"])
def swap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with Linux's renameat2 exchange, and with the plain rename used elsewhere."""
    if request.param == "rename":
        monkeypatch.setattr(files, "_renameat2", False)
    else:
        _need_exchange()
    return str(request.param)


def _need_exchange() -> None:
    if files._renameat2_function() is False:
        pytest.skip("renameat2 is not available here")


def _editor_save(path: Path, text: bytes) -> None:
    """What an editor does: its own temporary file, renamed over the note."""
    temp = path.with_name(".editor.tmp")
    temp.write_bytes(text)
    os.replace(temp, path)


def test_replace_keeps_the_mode_either_way(tmp_path: Path, swap: str) -> None:
    path = tmp_path / "priya.md"
    path.write_text("old")
    path.chmod(0o640)
    replace_file(path, b"new", b"old")
    assert path.read_bytes() == b"new"
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert os.listdir(tmp_path) == ["priya.md"]


def test_a_save_between_the_two_compares_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    path = tmp_path / "priya.md"
    path.write_bytes(b"read by coffeechat\n")
    real_write_temp = files._write_temp

    def save_meanwhile(*args: Any) -> tuple[Path, int]:
        written = real_write_temp(*args)
        _editor_save(path, b"saved in the editor\n")
        return written

    monkeypatch.setattr(files, "_write_temp", save_meanwhile)
    with pytest.raises(WriteRefused, match="changed on disk since it was read"):
        replace_file(path, b"coffeechat's version\n", b"read by coffeechat\n")
    assert path.read_bytes() == b"saved in the editor\n"
    assert os.listdir(tmp_path) == ["priya.md"]


def test_a_save_in_the_last_instant_stays_and_ours_becomes_a_conflict_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "priya.md"
    path.write_bytes(b"read by coffeechat\n")
    path.chmod(0o640)
    real_exchange = files._exchange
    calls = []

    def save_first(first: Path, second: Path) -> bool:
        calls.append(second)
        if len(calls) == 1:  # after the last compare, before the swap
            _editor_save(path, b"saved in the editor\n")
        return real_exchange(first, second)

    monkeypatch.setattr(files, "_exchange", save_first)
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-24T10:15:00-06:00")
    _need_exchange()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(EditConflict) as raised:
        replace_file(path, b"coffeechat's version\n", b"read by coffeechat\n")
    copy = tmp_path / "priya.conflict-20261124T161500Z.md.txt"
    yours = tmp_path / "priya.conflict-20261124T161500Z-2.md.txt"
    assert str(raised.value) == (
        "priya.md: saved in an editor while coffeechat was writing it; your text is kept and "
        "coffeechat's version is in priya.conflict-20261124T161500Z.md.txt (merge what you "
        "need, then delete the copies; your save as it was then is also in "
        "priya.conflict-20261124T161500Z-2.md.txt)"
    )
    assert raised.value.conflict_copy == copy
    assert path.read_bytes() == b"saved in the editor\n"
    assert copy.read_bytes() == b"coffeechat's version\n"
    # An editor that re-read the note in the instant our version was in place could save on
    # top of it; the text it would replace is kept too.
    assert yours.read_bytes() == b"saved in the editor\n"
    assert oct(copy.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(os.listdir(tmp_path)) == sorted([copy.name, yours.name, "priya.md"])
    assert set(files.conflict_copies(tmp_path)) == {copy, yours}


def test_a_second_save_while_ours_was_in_place_keeps_both_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "priya.md"
    path.write_bytes(b"read\n")
    real_exchange = files._exchange
    calls = []

    def save_before_each(first: Path, second: Path) -> bool:
        calls.append(second)
        if len(calls) <= 2:
            _editor_save(path, b"editor save %d\n" % len(calls))
        return real_exchange(first, second)

    monkeypatch.setattr(files, "_exchange", save_before_each)
    _need_exchange()
    with pytest.raises(EditConflict, match="your save as it was then is also in"):
        replace_file(path, b"ours\n", b"read\n")
    assert path.read_bytes() == b"editor save 2\n"
    copies = {p.read_bytes() for p in files.conflict_copies(tmp_path)}
    assert copies == {b"ours\n", b"editor save 1\n"}
    assert len(os.listdir(tmp_path)) == 3


def test_without_exchange_an_in_place_save_after_the_compare_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_renameat2", False)
    path = tmp_path / "priya.md"
    path.write_bytes(b"read\n")
    real_replace = os.replace

    def write_in_place_first(source: Any, target: Any) -> None:
        if Path(target) == path:
            with open(path, "r+b") as handle:  # an editor that saves into the file itself
                handle.write(b"typed")
        monkeypatch.setattr(os, "replace", real_replace)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", write_in_place_first)
    with pytest.raises(EditConflict, match="your text is kept"):
        replace_file(path, b"ours\n", b"read\n")
    assert path.read_bytes() == b"typed"
    assert {p.read_bytes() for p in files.conflict_copies(tmp_path)} == {b"ours\n", b"typed"}


def test_conflict_copy_names_fit_a_long_note_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-24T10:15:00-06:00")
    name = files.conflict_name(Path("people") / ("é" * 120 + ".md"), number=12)
    assert len(os.fsencode(name.name)) <= 255
    assert name.name.endswith(".conflict-20261124T161500Z-12.md.txt")
    assert name.name.startswith("é" * 10)


# --- between coffeechat runs: the lock -------------------------------------------------------


def test_a_second_lock_on_the_same_note_waits_then_gives_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "LOCK_SECONDS", 0.05)
    path = tmp_path / "priya.md"
    path.write_text("x")
    with note_lock(path), pytest.raises(NoteBusy, match="another coffeechat run"), note_lock(path):
        pass
    with note_lock(path) as real:
        assert real == path.resolve()


def test_a_lock_on_a_note_replaced_meanwhile_moves_to_the_new_file(tmp_path: Path) -> None:
    import fcntl

    path = tmp_path / "priya.md"
    path.write_text("old")
    held = os.open(path, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    replace_file(path, b"new", b"old")  # another run's edit, done under its lock
    with note_lock(path):  # the old file is still locked, but no longer the note
        assert path.read_bytes() == b"new"
    os.close(held)


# --- what is refused --------------------------------------------------------------------------


def test_a_read_only_note_is_refused_even_for_root(tmp_path: Path) -> None:
    path = tmp_path / "priya.md"
    path.write_text("old")
    path.chmod(0o444)
    with pytest.raises(WriteRefused, match=r"is read-only \(mode 444\); nothing written"):
        replace_file(path, b"new", b"old")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["priya.md"]


def test_a_read_only_note_is_refused_by_the_command(run: Run, example_vault: Path) -> None:
    note = example_vault / "people" / "priya-raman.md"
    before = note.read_bytes()
    note.chmod(0o444)
    result = run("mark", "priya", "thanked", root=example_vault)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: people/priya-raman.md: is read-only (mode 444); nothing written (make it "
        "writable, e.g. chmod u+w, to let coffeechat change it)\n"
    )
    assert note.read_bytes() == before
    assert oct(note.stat().st_mode & 0o777) == oct(0o444)


def test_a_note_with_a_240_byte_name_can_be_edited(run: Run, vault: Path) -> None:
    note = vault / "people" / ("l" * 237 + ".md")
    note.write_text("---\nname: Long Name\n---\n\n## Log\n")
    result = run("log", "long name", "still editable")
    assert result.exit_code == 0, result.stderr
    assert note.read_text().endswith("- 2026-11-23: still editable\n")


# --- temporary files from a killed run -------------------------------------------------------


def test_stale_temporary_files_of_ours_are_cleaned_on_the_next_write(tmp_path: Path) -> None:
    old = time.time() - files.STALE_SECONDS - 60
    names = {
        ".coffeechat-0123abcd.tmp": old,  # ours, from a killed run: removed
        ".priya.md.pz9h5_1a.tmp": old,  # ours, named as before 0.2: removed
        ".coffeechat-89abcdef.tmp": time.time(),  # ours, maybe another run's right now: kept
        ".someone-else.md.pz9h5_1a.tmp": old,  # no such note: not ours, kept
        ".obsidian.tmp": old,  # not ours: kept
    }
    for name, stamp in names.items():
        (tmp_path / name).write_text("partial")
        os.utime(tmp_path / name, (stamp, stamp))
    path = tmp_path / "priya.md"
    path.write_text("old")
    assert [p.name for p in files.stale_temps(tmp_path)] == [
        ".coffeechat-0123abcd.tmp",
        ".priya.md.pz9h5_1a.tmp",
    ]
    replace_file(path, b"new", b"old")
    assert sorted(os.listdir(tmp_path)) == [
        ".coffeechat-89abcdef.tmp",
        ".obsidian.tmp",
        ".someone-else.md.pz9h5_1a.tmp",
        "priya.md",
    ]


def test_temporary_file_names_are_short() -> None:
    name = f"{files._TEMP_PREFIX}{'0' * 8}{files._TEMP_SUFFIX}"
    assert files._OUR_TEMP.fullmatch(name)
    assert len(name) <= 25


# --- output paths: only regular files are replaced ------------------------------------------

OUTPUTS = {
    "--ics": ("schedule", "priya", "2026-12-04 14:30", "--force", "--ics"),
    "--eml": ("draft", "thanks", "priya", "--save", "--force", "--eml"),
    "--html": ("prep", "priya", "--save", "--html"),
}
ANY_PATH = "nothing written (give the path of a file)"


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """Turn a hang (opening a FIFO blocks) into a failure instead of a stuck test run."""

    def hung(*_: object) -> None:
        raise TimeoutError("the command hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _bad_output(kind: str, tmp_path: Path) -> tuple[Path, str]:
    """A path of the given kind, and the error it must give."""
    if kind == "fifo":
        path = tmp_path / "out"
        os.mkfifo(path)
        return path, f"{path}: is a FIFO (named pipe), not a file; {ANY_PATH}"
    if kind == "folder":
        path = tmp_path / "out"
        path.mkdir()
        return path, f"{path}: is a folder, not a file; {ANY_PATH}"
    if kind == "device":
        return Path("/dev/null"), f"/dev/null: is a character device, not a file; {ANY_PATH}"
    if kind == "link":
        path = tmp_path / "out"
        path.symlink_to("/dev/null")
        return path, f"{path}: is a symbolic link, not a file; {ANY_PATH}"
    if kind == "missing folder":
        path = tmp_path / "nope" / "out"
        return path, f"{path}: the folder {tmp_path / 'nope'} does not exist; nothing written"
    assert kind == "file as folder"
    (tmp_path / "afile").write_text("")
    path = tmp_path / "afile" / "out"
    return path, f"{path}: cannot write (Not a directory); nothing written"


KINDS = ["fifo", "folder", "device", "link", "missing folder", "file as folder"]


@pytest.mark.usefixtures("hang_guard")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("option", sorted(OUTPUTS))
def test_an_output_path_that_is_not_a_file_is_refused_before_anything_is_written(
    run: Run, example_vault: Path, tmp_path: Path, option: str, kind: str
) -> None:
    before = snapshot(example_vault)
    (tmp_path / "outputs").mkdir()
    path, error = _bad_output(kind, tmp_path / "outputs")
    result = run(*OUTPUTS[option], str(path), root=example_vault)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {error}\n"
    assert snapshot(example_vault) == before
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.usefixtures("hang_guard")
@pytest.mark.parametrize("kind", ["fifo", "folder", "link"])
def test_a_prep_sheet_path_that_is_not_a_file_is_refused(
    run: Run, example_vault: Path, kind: str
) -> None:
    sheet = example_vault / "prep" / "2026-11-23-priya-raman.md"
    sheet.parent.mkdir()
    before = snapshot(example_vault)
    _, error = _bad_output(kind, sheet.parent)
    (sheet.parent / "out").rename(sheet)
    result = run("prep", "priya", "--save", root=example_vault)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {error.replace(str(sheet.parent / 'out'), 'prep/' + sheet.name)}\n"
    )
    assert snapshot(example_vault) == before
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# --- several files: side files first, the note last, undone on failure ----------------------


def _no_space_in(monkeypatch: pytest.MonkeyPatch, folder_name: str) -> list[bool]:
    """Make every temporary file in folders named `folder_name` fail as on a full disk, until
    the returned switch is turned off."""
    real = files._write_temp
    full = [True]

    def write_temp(folder: Path, *args: Any) -> tuple[Path, int]:
        if full[0] and folder.name == folder_name:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(folder, *args)

    monkeypatch.setattr(files, "_write_temp", write_temp)
    return full


def test_schedule_writes_neither_invite_nor_note_when_the_invite_fails(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(example_vault)
    full = _no_space_in(monkeypatch, "invites")
    result = run("schedule", "priya", "2026-12-04 14:30", "--force", root=example_vault)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: invites/priya-raman.ics: cannot write (No space left on device); nothing written\n"
    )
    assert result.stdout == ""
    assert snapshot(example_vault) == before
    assert not (example_vault / "invites").exists()
    full[0] = False
    again = run("schedule", "priya", "2026-12-04 14:30", "--force", root=example_vault)
    assert again.exit_code == 0
    note = (example_vault / "people" / "priya-raman.md").read_text()
    assert note.count("moved the chat from") == 1
    assert (example_vault / "invites" / "priya-raman.ics").is_file()


def test_schedule_takes_the_invite_back_when_the_note_cannot_be_written(
    run: Run, example_vault: Path
) -> None:
    note = example_vault / "people" / "priya-raman.md"
    note.chmod(0o444)
    before = snapshot(example_vault)
    result = run("schedule", "priya", "2026-12-04 14:30", "--force", root=example_vault)
    assert result.exit_code == 1
    assert "Error: people/priya-raman.md: is read-only" in result.stderr
    assert snapshot(example_vault) == before
    assert not (example_vault / "invites").exists()
    note.chmod(0o644)
    assert (
        run("schedule", "priya", "2026-12-04 14:30", "--force", root=example_vault).exit_code == 0
    )
    assert note.read_text().count("moved the chat from") == 1


def test_prep_save_leaves_no_sheet_and_no_log_line_when_a_write_fails(
    run: Run, example_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(example_vault)
    html = tmp_path / "pages" / "priya.html"
    html.parent.mkdir()
    full = _no_space_in(monkeypatch, "pages")
    result = run("prep", "priya", "--save", "--html", str(html), root=example_vault)
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {html}: cannot write (No space left on device); nothing written\n"
    )
    assert snapshot(example_vault) == before
    assert not (example_vault / "prep").exists()
    full[0] = False
    note = example_vault / "people" / "priya-raman.md"
    note.chmod(0o444)  # now the log line fails: the sheet and the page are taken back
    result = run("prep", "priya", "--save", "--html", str(html), root=example_vault)
    assert result.exit_code == 1
    assert snapshot(example_vault) == before
    assert not html.exists()
    note.chmod(0o644)
    for _ in range(2):
        assert (
            run("prep", "priya", "--save", "--html", str(html), root=example_vault).exit_code == 0
        )
    assert note.read_text().count("prep sheet: prep/2026-11-23-priya-raman.md") == 1
    assert html.is_file()


def test_a_draft_eml_is_taken_back_when_the_note_cannot_be_written(
    run: Run, example_vault: Path, tmp_path: Path
) -> None:
    eml = tmp_path / "priya.eml"
    eml.write_bytes(b"an older draft")
    note = example_vault / "people" / "priya-raman.md"
    note.chmod(0o444)
    before = snapshot(example_vault)
    result = run(
        "draft", "thanks", "priya", "--force", "--save", "--eml", str(eml), root=example_vault
    )
    assert result.exit_code == 1
    assert snapshot(example_vault) == before
    assert eml.read_bytes() == b"an older draft"


# --- write failures: one line, never a traceback ----------------------------------------------


def test_a_file_too_large_for_the_limit_is_one_line_and_the_note_is_intact(
    example_vault: Path,
) -> None:
    import resource

    note = example_vault / "people" / "priya-raman.md"
    note.write_bytes(note.read_bytes() + b"- 2026-11-20: words\n" * 2000)
    before = note.read_bytes()
    limit = len(before) - 100

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "coffeechat", "--no-cache", "log", "priya", "one more"],
        cwd=example_vault,
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "Error: people/priya-raman.md: cannot write (File too large); nothing written\n"
    )
    assert note.read_bytes() == before
    assert not [p for p in note.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_a_read_only_folder_is_one_line(run: Run, example_vault: Path) -> None:
    people = example_vault / "people"
    before = snapshot(example_vault)
    people.chmod(0o555)
    try:
        result = run("mark", "priya", "thanked", root=example_vault)
    finally:
        people.chmod(0o755)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: people/priya-raman.md: cannot write (Permission denied); nothing written\n"
    )
    assert snapshot(example_vault) == before


def test_a_name_too_long_for_an_output_is_one_line(
    run: Run, example_vault: Path, tmp_path: Path
) -> None:
    path = tmp_path / ("x" * 300 + ".ics")
    before = snapshot(example_vault)
    result = run(
        "schedule", "priya", "2026-12-04 14:30", "--force", "--ics", str(path), root=example_vault
    )
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: cannot write (File name too long); nothing written\n"
    assert snapshot(example_vault) == before


def test_doctor_points_at_leftover_temporary_files_and_conflict_copies(
    run: Run, example_vault: Path
) -> None:
    people = example_vault / "people"
    stale = people / ".coffeechat-0123abcd.tmp"
    stale.write_text("partial")
    old = time.time() - files.STALE_SECONDS - 60
    os.utime(stale, (old, old))
    (people / ".coffeechat-89abcdef.tmp").write_text("a run writing right now")
    (people / "priya-raman.conflict-20261124T161500Z.md.txt").write_text("---\nname: Priya\n")
    before = snapshot(example_vault)
    result = run("doctor", root=example_vault)
    assert result.exit_code == 1
    assert result.stdout == (
        "people/.coffeechat-0123abcd.tmp: left by a coffeechat run stopped mid-write — "
        "delete it\n"
        "\n"
        "people/priya-raman.conflict-20261124T161500Z.md.txt: coffeechat's version from a "
        "clash with an editor's save — merge what you need into the note, then delete it\n"
    )
    assert snapshot(example_vault) == before
    assert stale.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_an_edit_as_root_keeps_the_notes_owner(tmp_path: Path, swap: str) -> None:
    path = tmp_path / "priya.md"
    path.write_text("old")
    os.chown(path, 65534, 65534)
    replace_file(path, b"new", b"old")
    assert (path.stat().st_uid, path.stat().st_gid) == (65534, 65534)


# --- names of output files and notes, end to end -------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["draft", "outreach", "priya", "--eml", "-"], "--eml"),
        (["prep", "priya", "--html", "-"], "--html"),
        (["prep", "priya", "--save", "--html", "-"], "--html"),
    ],
    ids=lambda value: value if isinstance(value, str) else " ".join(value[:2]),
)
def test_dash_is_never_a_file_named_dash(
    run: Run, vault: Path, write_note: WriteNote, args: list[str], option: str
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL + 'looking_for = "backend roles"\n')
    write_note("priya", PRIYA + "email: priya@lumen.example\n")
    before = snapshot(vault)
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        f"Error: Invalid value for '{option}': `-` would be a file named `-`; what the command "
        "prints goes to stdout already, so give the file a name\n"
    )
    assert not (vault / "-").exists()
    assert snapshot(vault) == before


@pytest.mark.parametrize(
    "name",
    [
        "!!python/object/apply:os.system [id]",
        "*alias",
        "&anchor x",
        "null",
        "~",
        "-",
        "#comment",
        "name: x",
        '"quoted',
        "{{ 7*7 }}",
        "{% for %}",
        "李小龙",
        "\u202eevil",
    ],
)
def test_add_keeps_any_name_exact_in_a_safe_file(run: Run, vault: Path, name: str) -> None:
    result = run("add", name)
    assert result.exit_code == 0, result.output
    path = vault / result.stdout.strip()
    assert path.parent == vault / "people"
    assert json.loads(run("show", path.stem, "--json").stdout)["name"] == name


def test_a_note_with_a_250_byte_file_name_is_still_editable(run: Run, vault: Path) -> None:
    note = vault / "people" / ("l" * 247 + ".md")
    note.write_text("---\nname: Long Name\n---\n\n## Log\n")
    for args in (["log", "long name", "still editable"], ["mark", "long name", "replied"]):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
    assert "replied: 2026-11-23" in note.read_text()
    assert note.read_text().endswith("- 2026-11-23: still editable\n")


# --- replacing a note, end to end (review L1) ----------------------------------------------------


def test_a_hard_link_keeps_the_old_text_as_the_docs_say(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    note = write_note("priya", PRIYA)
    link = vault / "priya-link.txt"
    os.link(note, link)
    assert run("mark", "priya", "replied").exit_code == 0
    assert "replied:" in note.read_text()
    assert link.read_text() == f"---\n{PRIYA}---\n\n## Notes\n\n## Log\n"
    safety = (Path(__file__).resolve().parent.parent / "docs" / "safety.md").read_text()
    said = re.sub(r"\s+", " ", safety)
    assert "a hard link to it keeps the old text and extended attributes are not carried" in said
    assert "keeping its permissions (and, run as root, its owner)" in said


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_an_edit_as_root_keeps_the_owner_and_the_mode(run: Run, write_note: WriteNote) -> None:
    note = write_note("priya", PRIYA)
    os.chown(note, 65534, 65534)
    note.chmod(0o640)
    assert run("log", "priya", "kept").exit_code == 0
    info = note.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (65534, 65534, 0o640)


def test_kill_9_mid_write_leaves_the_old_note_or_the_new(example_vault: Path) -> None:
    note = example_vault / "people" / "priya-raman.md"
    note.write_bytes(note.read_bytes() + b"- 2026-11-20: words words words\n" * 150_000)
    old = note.read_bytes()
    env = {**os.environ, "COFFEECHAT_NOW": NOW}
    for delay in (0.12, 0.25):
        process = subprocess.Popen(
            [sys.executable, "-m", "coffeechat", "--no-cache", "log", "priya", "killed"],
            cwd=example_vault,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = note.read_bytes()
        assert now == old or (now.startswith(old[: len(old) - 200]) and b"killed" in now)
        old = now


def test_the_vaults_own_output_folders_never_lead_outside_it(
    run: Run, example_vault: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (example_vault / "prep").symlink_to(elsewhere)
    (example_vault / "invites").symlink_to(elsewhere)
    before = snapshot(example_vault)
    saved = run("prep", "priya", "--save", root=example_vault)
    assert (saved.exit_code, saved.stderr.splitlines()[-1]) == (
        1,
        "Error: prep/2026-11-23-priya-raman.md: prep leads outside the vault (a link); "
        "nothing written",
    )
    booked = run("schedule", "liam", "Tue 4pm", root=example_vault)
    assert booked.stderr.splitlines()[-1] == (
        "Error: invites/liam-oconnor.ics: invites leads outside the vault (a link); nothing written"
    )
    assert list(elsewhere.iterdir()) == []
    assert snapshot(example_vault) == before
