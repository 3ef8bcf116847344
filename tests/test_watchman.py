"""With a watchman server running, a warm run asks it which notes changed instead of looking at
every file; whenever its answer could be incomplete the folder is walked as before. Against a
real server, started for each test with its own socket and state in a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.model.note import Person
from coffeechat.store import cache, shown
from coffeechat.store import vault as store_module
from coffeechat.store.vault import open_store
from conftest import Run, WriteNote

pywatchman = pytest.importorskip(
    "pywatchman", reason="pywatchman is not installed (pip install 'coffeechat[watchman]')"
)
if shutil.which("watchman") is None:
    pytest.skip(
        "the watchman server is not installed (Debian: apt-get install watchman)",
        allow_module_level=True,
    )


class Server:
    """A watchman server of the test's own, which can be stopped and started again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sock = str(folder / "sock")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "watchman",
                "--foreground",
                "--no-save-state",
                f"--sockname={self.sock}",
                f"--statefile={self.folder / 'state'}",
                f"--logfile={self.folder / 'log'}",
                f"--pidfile={self.folder / 'pid'}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                pywatchman.client(sockpath=self.sock, timeout=1).query("version")
                return
            except Exception:
                time.sleep(0.05)
        self.stop()
        pytest.skip("the watchman server did not start here (see its log)")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
        with_socket = Path(self.sock)
        if with_socket.exists():
            with_socket.unlink()

    def query(self, *args: object) -> dict[str, object]:
        client = pywatchman.client(sockpath=self.sock, timeout=10)
        try:
            found: dict[str, object] = client.query(*args)
            return found
        finally:
            client.close()


@pytest.fixture
def watchman(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    folder = tmp_path / "watchman"
    folder.mkdir()
    server = Server(folder)
    monkeypatch.setenv("WATCHMAN_SOCK", server.sock)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every folder walked from now on (the people folder once per run that looks at every
    file)."""
    walked: list[Path] = []
    real_walk = store_module._walk

    def counting(folder, *args, **kwargs):  # type: ignore[no-untyped-def]
        walked.append(folder)
        return real_walk(folder, *args, **kwargs)

    monkeypatch.setattr(store_module, "_walk", counting)
    return walked


def names(run: Run) -> list[str]:
    return [person["name"] for person in json.loads(run("list", "--json").stdout)["people"]]


def age(path: Path, seconds: int = 60) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 1_000_000_000))


def people_walks(walked: list[Path], vault: Path) -> int:
    return sum(folder == vault / "people" for folder in walked)


@pytest.fixture
def known(run: Run, vault: Path, write_note: WriteNote) -> list[Path]:
    """Ada and Bo, read once: the index holds them with watchman's clock."""
    notes = [write_note(stem, f"name: {stem.title()} Park\n") for stem in ("ada", "bo")]
    for note in notes:
        age(note)
    assert names(run) == ["Ada Park", "Bo Park"]
    return notes


def test_a_warm_run_asks_watchman_and_sees_edits_additions_and_deletions(
    watchman: Server,
    run: Run,
    vault: Path,
    write_note: WriteNote,
    known: list[Path],
    walks: list[Path],
) -> None:
    assert names(run) == ["Ada Park", "Bo Park"]
    known[0].write_text("---\nname: Ada Lovelace\n---\n")
    write_note("cy", "name: Cy Young\n")
    known[1].unlink()
    assert names(run) == ["Ada Lovelace", "Cy Young"]
    assert names(run) == ["Ada Lovelace", "Cy Young"]
    (vault / "people" / "team").mkdir()
    age(write_note("team/dee", "name: Dee Park\n"))
    assert names(run) == ["Ada Lovelace", "Cy Young", "Dee Park"]  # a new folder: walked
    write_note("team/eve", "name: Eve Park\n")
    assert names(run) == ["Ada Lovelace", "Cy Young", "Dee Park", "Eve Park"]
    assert names(run) == ["Ada Lovelace", "Cy Young", "Dee Park", "Eve Park"]
    assert people_walks(walks, vault) == 1


def test_an_edit_in_the_same_tick_as_the_reading_is_seen(
    watchman: Server, run: Run, vault: Path, known: list[Path], walks: list[Path]
) -> None:
    ada = known[0]
    ada.write_text("---\nname: Ada Lane\n---\n")  # read just after: not trusted
    assert names(run) == ["Ada Lane", "Bo Park"]
    stat = ada.stat()
    ada.write_text("---\nname: Ada Lace\n---\n")  # same size, same time
    os.utime(ada, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert names(run) == ["Ada Lace", "Bo Park"]
    assert people_walks(walks, vault) == 0


def test_a_restarted_watchman_is_a_fresh_instance_and_the_folder_is_walked(
    watchman: Server, run: Run, vault: Path, known: list[Path], walks: list[Path]
) -> None:
    watchman.stop()
    known[0].write_text("---\nname: Ada Lovelace\n---\n")  # while no server watched
    age(known[0])
    watchman.start()
    assert names(run) == ["Ada Lovelace", "Bo Park"]
    assert people_walks(walks, vault) == 1
    assert names(run) == ["Ada Lovelace", "Bo Park"]
    assert people_walks(walks, vault) == 1  # and the next run asks watchman again


def test_a_recrawl_is_a_walk(
    watchman: Server, run: Run, vault: Path, known: list[Path], walks: list[Path]
) -> None:
    watchman.query("debug-recrawl", os.path.realpath(vault / "people"))
    known[1].write_text("---\nname: Bo Chen\n---\n")
    assert names(run) == ["Ada Park", "Bo Chen"]
    assert people_walks(walks, vault) == 1


def test_a_stopped_watchman_is_a_walk(
    watchman: Server, run: Run, vault: Path, known: list[Path], walks: list[Path]
) -> None:
    watchman.stop()
    known[1].write_text("---\nname: Bo Chen\n---\n")
    assert names(run) == ["Ada Park", "Bo Chen"]
    assert names(run) == ["Ada Park", "Bo Chen"]
    assert people_walks(walks, vault) == 2


def test_a_link_among_the_changes_is_a_walk_that_reports_it(
    watchman: Server,
    run: Run,
    vault: Path,
    tmp_path: Path,
    known: list[Path],
    walks: list[Path],
) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("---\nname: Mallory Out\n---\n")
    (vault / "people" / "mallory.md").symlink_to(elsewhere)
    result = run("list")
    assert "Mallory" not in result.stdout
    assert "links to a file outside the vault" in result.stderr
    assert "links to a file outside the vault" in run("list").stderr  # every run says so
    assert people_walks(walks, vault) == 2


def test_watchman_off_walks_every_time(
    watchman: Server, run: Run, vault: Path, known: list[Path], walks: list[Path]
) -> None:
    config = vault / "coffeechat.toml"
    config.write_text(config.read_text() + 'watchman = "off"\n')
    assert names(run) == ["Ada Park", "Bo Park"]
    assert names(run) == ["Ada Park", "Bo Park"]
    assert people_walks(walks, vault) == 2


steps = st.lists(
    st.tuples(st.sampled_from(["edit", "add", "delete", "break", "touch"]), st.integers(0, 39)),
    min_size=1,
    max_size=12,
)


@given(rounds=st.lists(steps, min_size=1, max_size=4), kept=st.sampled_from([1, 3, 32]))
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_whatever_watchman_reports_the_index_serves_what_the_notes_say(
    watchman: Server, rounds: list[list[tuple[str, int]]], kept: int
) -> None:
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(cache, "CHANGES_KEPT", kept):
        root = Path(folder)
        (root / "people").mkdir()
        (root / "coffeechat.toml").write_text('name = "Sam"\ntimezone = "America/Chicago"\n')

        def note(number: int, text: str, settled: bool = True) -> None:
            path = root / "people" / f"p{number:02d}.md"
            path.write_text(text)
            if settled:
                age(path, 60 - len(text) % 7)

        for number in range(0, 40, 2):
            note(number, f"---\nname: Person {number:02d}\n---\n")
        open_store(root).people()
        for edits in rounds:
            for action, number in edits:
                path = root / "people" / f"p{number:02d}.md"
                if action == "delete":
                    path.unlink(missing_ok=True)
                elif action == "break":
                    note(number, "---\nname: [unclosed\n---\n")
                else:
                    suffix = "" if action == "add" else " Edited"
                    note(
                        number,
                        f"---\nname: Person {39 - number:02d}{suffix}\n---\n",
                        action != "touch",
                    )
            cached = open_store(root).people()
            fresh = open_store(root, use_cache=False).people()
            assert list(map(plain, cached.notes)) == list(map(plain, fresh.notes))
            assert cached.problems == fresh.problems
        watchman.query("watch-del", os.path.realpath(root / "people"))


def plain(person: Person) -> tuple[Person, object, object]:
    """A person as the user sees it (a cached one keeps its extra keys as text until asked)."""
    return person._replace(raw_extra={}, raw_lines={}), person.extra, person.key_lines


def test_a_vault_with_a_link_outside_is_walked_every_run_and_says_so(
    watchman: Server, run: Run, vault: Path, tmp_path: Path, write_note: WriteNote
) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("---\nname: Mallory Out\n---\n")
    (vault / "people" / "mallory.md").symlink_to(elsewhere)
    age(write_note("ada", "name: Ada Park\n"))
    for _ in range(3):
        result = run("list")
        assert "Ada Park" in result.stdout
        assert "Mallory" not in result.stdout
        assert "links to a file outside the vault" in result.stderr


def test_a_people_folder_that_is_a_link_is_watched_where_it_leads(
    watchman: Server, run: Run, vault: Path, tmp_path: Path, walks: list[Path]
) -> None:
    disk = vault / "disk2"  # inside the vault, as a split vault's second folder would be
    disk.mkdir()
    (vault / "people").rmdir()
    (vault / "people").symlink_to(disk, target_is_directory=True)
    note = disk / "ada.md"
    note.write_text("---\nname: Ada Park\n---\n")
    age(note)
    assert names(run) == ["Ada Park"]
    note.write_text("---\nname: Ada Lovelace\n---\n")
    (disk / "bo.md").write_text("---\nname: Bo Chen\n---\n")
    assert names(run) == ["Ada Lovelace", "Bo Chen"]
    assert people_walks(walks, vault) == 1


def test_a_kept_answer_is_printed_on_watchman_word_without_looking_at_a_file(
    watchman: Server,
    console,
    looks: list[str],
    vault: Path,
    write_note: WriteNote,
) -> None:
    note = write_note("ada", "name: Ada Park\nmessaged: 2026-11-10\n")
    for _ in range(2):  # learn which files to look at, then keep the answer
        kept, _ = console("--vault", str(vault), "due")
    assert b"Ada Park" in kept[1]
    looks.clear()  # from here on
    (vault / ".coffeechat" / "elsewhere.txt").write_text("the index's own files")
    (vault / "journal").mkdir()
    (vault / "journal" / "today.md").write_text("not a note coffeechat reads")
    assert console("--vault", str(vault), "due") == (kept, False)
    assert looks == []
    # An edit watchman reports, though size and time are as they were: the command runs.
    before = note.stat()
    note.write_text(note.read_text().replace("Ada", "Ida"))
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    fresh, ran = console("--vault", str(vault), "due")
    assert ran
    assert b"Ida Park" in fresh[1]


def test_with_watchman_stopped_a_kept_answer_is_checked_by_looking_at_every_file(
    watchman: Server, console, vault: Path, write_note: WriteNote
) -> None:
    write_note("ada", "name: Ada Park\nmessaged: 2026-11-10\n")
    for _ in range(2):
        kept, _ = console("--vault", str(vault), "due")
    watchman.stop()
    assert console("--vault", str(vault), "due") == (kept, False)
    write_note("bo", "name: Bo Park\nmessaged: 2026-11-10\n")
    fresh, ran = console("--vault", str(vault), "due")
    assert ran
    assert b"Bo Park" in fresh[1]


def test_an_editors_hidden_files_beside_the_notes_are_no_change_on_watchman_word(
    watchman: Server,
    console,
    looks: list[str],
    vault: Path,
    write_note: WriteNote,
) -> None:
    """An editor keeps a swap file beside the note it has open, and Obsidian its settings in
    a hidden folder: while they are written, no note changes, so the kept answer is printed
    without a look."""
    write_note("ada", "name: Ada Park\nmessaged: 2026-11-10\n")
    swap = vault / "people" / ".ada.md.swp"
    swap.write_text("the editor's own")
    (vault / "people" / ".obsidian").mkdir()
    settings = vault / "people" / ".obsidian" / "workspace.json"
    settings.write_text("{}")
    for _ in range(2):
        kept, _ = console("--vault", str(vault), "due")
    looks.clear()  # from here on
    swap.write_text("the editor's own, saved again")
    settings.write_text('{"open": "ada.md"}')
    assert console("--vault", str(vault), "due") == (kept, False)
    assert looks == []


def test_an_answer_kept_while_watchman_was_stopped_is_printed_once_it_runs_again(
    watchman: Server, console, vault: Path, write_note: WriteNote
) -> None:
    """Kept without watchman's clock, the answer is checked by a look, not by asking
    watchman since a clock it never gave."""
    write_note("ada", "name: Ada Park\nmessaged: 2026-11-10\n")
    console("--vault", str(vault), "due")  # the files to look at learnt, with watchman
    watchman.stop()
    kept, _ = console("--vault", str(vault), "due")
    watchman.start()
    assert console("--vault", str(vault), "due") == (kept, False)


def test_notes_at_the_vault_root_obsidians_own_files_are_no_change_on_watchman_word(
    watchman: Server, console, looks: list[str], vault: Path
) -> None:
    """The person notes sit at the vault's root (`people_dir = "."`), beside Obsidian's
    hidden settings folder, which it saves as you click around: no note changed."""
    with (vault / "coffeechat.toml").open("a") as config:
        config.write('people_dir = "."\n')
    (vault / "ada.md").write_text("---\nname: Ada Park\nmessaged: 2026-11-10\n---\n")
    (vault / ".obsidian").mkdir()
    workspace = vault / ".obsidian" / "workspace.json"
    workspace.write_text("{}")
    for _ in range(2):
        kept, _ = console("--vault", str(vault), "due")
    assert b"Ada Park" in kept[1]
    looks.clear()  # from here on
    workspace.write_text('{"open": "ada.md"}')
    assert console("--vault", str(vault), "due") == (kept, False)
    assert looks == []


def test_a_kept_answer_after_watchman_restarted_is_checked_by_a_look(
    watchman: Server,
    console,
    looks: list[str],
    vault: Path,
    write_note: WriteNote,
) -> None:
    """A restarted watchman cannot say what changed since the clock kept with the answer."""
    write_note("ada", "name: Ada Park\nmessaged: 2026-11-10\n")
    for _ in range(2):
        kept, _ = console("--vault", str(vault), "due")
    watchman.stop()
    watchman.start()
    looks.clear()  # from here on
    assert console("--vault", str(vault), "due") == (kept, False)
    assert looks == ["look"]


def test_with_watchman_off_in_the_settings_a_kept_answer_is_checked_by_a_look(
    watchman: Server,
    console,
    looks: list[str],
    vault: Path,
    write_note: WriteNote,
) -> None:
    config = vault / "coffeechat.toml"
    config.write_text(config.read_text() + 'watchman = "off"\n')
    write_note("ada", "name: Ada Park\nmessaged: 2026-11-10\n")
    for _ in range(2):
        kept, _ = console("--vault", str(vault), "due")
    looks.clear()  # from here on
    assert console("--vault", str(vault), "due") == (kept, False)
    assert looks == ["look"]


def test_on_watchman_word_an_answer_still_holds_only_until_midnight(
    watchman: Server, console, vault: Path, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing changed, says watchman; but the day did: at midnight the nudge is a day later."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from coffeechat.when.clock import next_turn

    monkeypatch.delenv("COFFEECHAT_NOW")
    write_note("ada", "name: Ada Park\nmessaged: 2026-11-10\n")
    for _ in range(2):
        kept, _ = console("--vault", str(vault), "due")
    assert console("--vault", str(vault), "due") == (kept, False)
    chicago = ZoneInfo("America/Chicago")
    midnight = next_turn(datetime.now(chicago), chicago, [])
    after = int(midnight.timestamp()) * 1_000_000_000 + 1
    monkeypatch.setattr(shown.time, "time_ns", lambda: after)
    assert console("--vault", str(vault), "due")[1], "yesterday's answer printed after midnight"


def test_on_watchman_word_a_change_to_the_settings_runs_the_command_again(
    watchman: Server, console, vault: Path, write_note: WriteNote
) -> None:
    """The settings file is no note, but the answer reads it: a shorter wait for a nudge."""
    write_note("ada", "name: Ada Park\nmessaged: 2026-11-20\n")
    for _ in range(2):
        kept, _ = console("--vault", str(vault), "due")
    assert b"Ada Park" not in kept[1]  # a week's wait: the nudge is due on the 27th
    config = vault / "coffeechat.toml"
    config.write_text(config.read_text() + "nudge_after_days = 3\n")
    fresh, ran = console("--vault", str(vault), "due")
    assert ran
    assert b"Ada Park" in fresh[1]


def test_a_swap_file_an_editor_opens_beside_the_notes_is_no_change_on_watchman_word(
    watchman: Server, console, looks: list[str], vault: Path, write_note: WriteNote
) -> None:
    """vim opens a note and writes `.ada.md.swp` beside it: the people folder's own time
    moves, and watchman names the folder as well as the swap file. No note changed; a note
    added beside it is a change."""
    write_note("ada", "name: Ada Park\nmessaged: 2026-11-10\n")
    for _ in range(2):
        kept, _ = console("--vault", str(vault), "due")
    looks.clear()  # from here on
    (vault / "people" / ".ada.md.swp").write_text("the editor's own")
    assert console("--vault", str(vault), "due") == (kept, False)
    assert looks == []
    write_note("bo", "name: Bo Park\nmessaged: 2026-11-10\n")
    fresh, ran = console("--vault", str(vault), "due")
    assert ran
    assert b"Bo Park" in fresh[1]
