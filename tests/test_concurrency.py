"""Two coffeechat processes on one note, and an editor saving while coffeechat writes.

Each worker is a separate Python process that runs the command line in a loop (one process
per run would spend all its time starting Python); the note lock works between processes, so
this is the race two terminals, or a cron job and a terminal, would have.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE_VAULT, NOW

NOTE = "people/priya-raman.md"

# Runs `coffeechat ARGS…` (ARGS with {i} numbered) COUNT times in this one process, once the
# start file exists, and prints one JSON line per run: its number, exit code and stderr.
WORKER = r"""
import contextlib, io, json, os, sys, time
from coffeechat.cli import cli

start, count, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
while not os.path.exists(start):
    time.sleep(0.001)
for i in range(count):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli.main([a.format(i=i) for a in args], "coffeechat", standalone_mode=False)
        except SystemExit as exit:
            code = exit.code
    print(json.dumps({"i": i, "code": code or 0, "err": err.getvalue()}), flush=True)
"""

# Every ~2 ms until the stop file exists: re-read the note, add `editor-N`, save it the way
# editors do (a temporary file of its own, then a rename over the note). Prints N at the end.
EDITOR = r"""
import os, sys, time
note, start, stop = sys.argv[1], sys.argv[2], sys.argv[3]
temp = os.path.join(os.path.dirname(note), ".editor-save.tmp")
while not os.path.exists(start):
    time.sleep(0.001)
saves = 0
while not os.path.exists(stop):
    with open(note, "rb") as handle:
        text = handle.read()
    saves += 1
    with open(temp, "wb") as handle:
        handle.write(text + b"editor-%d\n" % saves)
    os.replace(temp, note)
    time.sleep(0.002)
print(saves)
"""


@pytest.fixture
def race_vault(tmp_path: Path) -> Path:
    root = tmp_path / "race"
    shutil.copytree(EXAMPLE_VAULT, root)
    return root


def _env() -> dict[str, str]:
    return {**os.environ, "COFFEECHAT_NOW": NOW}


def _worker(start: Path, count: int, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(start), str(count), *args],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )


def _results(process: subprocess.Popen[str]) -> list[dict[str, object]]:
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    return [json.loads(line) for line in out.splitlines()]


def test_two_processes_logging_to_one_note_lose_nothing(race_vault: Path, tmp_path: Path) -> None:
    start = tmp_path / "start"
    workers = {
        tag: _worker(start, 50, "--vault", str(race_vault), "log", "priya", f"entry-{tag}-{{i}}")
        for tag in ("A", "B")
    }
    start.touch()
    results = {tag: _results(process) for tag, process in workers.items()}

    text = (race_vault / NOTE).read_text()
    for tag, runs in results.items():
        assert len(runs) == 50
        for run in runs:
            lines = re.findall(rf"^- 2026-11-23: entry-{tag}-{run['i']}$", text, re.MULTILINE)
            if run["code"] == 0:
                assert len(lines) == 1, f"{tag}-{run['i']} reported success"
            else:
                assert lines == [], f"{tag}-{run['i']} failed yet wrote: {run['err']}"
    # Waiting for the lock is the normal case: every run applies on top of the other's bytes.
    assert all(run["code"] == 0 for runs in results.values() for run in runs), results
    assert not [p.name for p in (race_vault / "people").iterdir() if p.name.startswith(".")]


def test_an_editor_saving_during_set_never_loses_a_save(race_vault: Path, tmp_path: Path) -> None:
    start, stop = tmp_path / "start", tmp_path / "stop"
    note = race_vault / NOTE
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(note), str(start), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    worker = _worker(start, 50, "--vault", str(race_vault), "set", "priya", "team=t{i}")
    start.touch()
    try:
        runs = _results(worker)
    finally:
        stop.touch()
        out, _ = editor.communicate(timeout=30)
    saves = int(out)

    people = race_vault / "people"
    copies = sorted(people.glob("*.conflict-*.md.txt"))
    kept = note.read_text() + "".join(copy.read_text() for copy in copies)
    missing = [n for n in range(1, saves + 1) if f"editor-{n}\n" not in kept]
    assert missing == [], f"{len(missing)} of {saves} editor saves lost"

    conflicts = 0
    for run in runs:
        if run["code"] == 0:
            continue
        assert run["code"] == 1, run
        error = str(run["err"])
        assert error.count("\n") == 1, error
        assert error.startswith("Error: "), error
        if "changed on disk since it was read" in error:
            continue
        assert "saved in an editor while coffeechat was writing it" in error, error
        copy = re.search(r"coffeechat's version is in (\S+) ", error)
        assert copy, error
        assert f"team: t{run['i']}\n" in (race_vault / copy.group(1)).read_text()
        conflicts += 1
    assert conflicts <= len(copies)
    assert saves > 10  # the editor did race the runs
    assert not [p.name for p in people.iterdir() if p.name.startswith(".coffeechat-")]


def test_a_run_that_cannot_get_the_lock_says_so(example_vault: Path) -> None:
    import fcntl

    note = example_vault / NOTE
    before = note.read_bytes()
    with open(note, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from coffeechat.store import files; files.LOCK_SECONDS = 0.2; "
                "from coffeechat.cli import cli; cli(sys.argv[1:])",
                "--vault",
                str(example_vault),
                "log",
                "priya",
                "waited",
            ],
            capture_output=True,
            text=True,
            env=_env(),
            timeout=30,
        )
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {note}: another coffeechat run is changing this note and did not finish "
        "within 0.2 seconds; nothing written, run the command again\n"
    )
    assert note.read_bytes() == before
