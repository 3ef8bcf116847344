"""Fixtures for the user's story: a temporary vault, a runner aimed at it, note factories."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import coffeechat.cli
from coffeechat import __main__ as entry
from coffeechat.cli import cli
from coffeechat.store import shown

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_VAULT = REPO / "vault_example"
GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = "2026-11-23T09:00:00-06:00"

MINIMAL_CONFIG = 'name = "Sam Rivera"\ntimezone = "America/Chicago"\n'

Run = Callable[..., Result]
WriteNote = Callable[..., Path]
Golden = Callable[[str, str], None]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the real $HOME, the real clock, a vault from the environment or the
    machine's watchman (tests/test_watchman.py starts its own)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # else the user's own cache is written
    monkeypatch.setenv("WATCHMAN_SOCK", str(tmp_path / "no-watchman"))
    monkeypatch.setenv("COFFEECHAT_NOW", NOW)
    monkeypatch.delenv("COFFEECHAT_VAULT", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """An empty vault with a small config."""
    root = tmp_path / "vault"
    (root / "people").mkdir(parents=True)
    (root / "companies").mkdir()
    (root / "coffeechat.toml").write_text(MINIMAL_CONFIG)
    return root


@pytest.fixture
def example_vault(tmp_path: Path) -> Path:
    """A copy of vault_example/, safe to change."""
    root = tmp_path / "example"
    # Without what running the README's first line leaves there (the cache, kept plans).
    ignored = shutil.ignore_patterns(".coffeechat", "prep", "invites")
    shutil.copytree(EXAMPLE_VAULT, root, ignore=ignored)
    return root


@pytest.fixture
def run(vault: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `coffeechat ARGS…` in the vault folder; unexpected exceptions propagate."""

    def invoke(
        *args: str, root: Path | None = None, input: str | None = None, color: bool = False
    ) -> Result:
        monkeypatch.chdir(root or vault)
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False, color=color)

    return invoke


@pytest.fixture
def write_note(vault: Path) -> WriteNote:
    """Write a person note from frontmatter lines and a body; returns its path."""

    def write(
        stem: str, frontmatter: str, body: str = "\n## Notes\n\n## Log\n", folder: str = "people"
    ) -> Path:
        path = vault / folder / f"{stem}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"---\n{frontmatter}---\n{body}".encode())
        return path

    return write


@pytest.fixture
def golden() -> Golden:
    """Compare a generated document with its reviewed copy, tests/golden/NAME.

    `COFFEECHAT_REGEN=1 pytest tests/test_prep.py tests/test_drafts.py` rewrites the copies
    first; review the diff before committing it."""
    regenerate = bool(os.environ.get("COFFEECHAT_REGEN"))

    def compare(name: str, text: str) -> None:
        path = GOLDEN / name
        if regenerate:
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8")

    return compare


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes under `root`, leaving out coffeechat's own index cache."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".coffeechat" not in p.parts
    }


def _ical_js_ready() -> bool:
    node = shutil.which("node")
    if node is None:
        return False
    import subprocess

    found = subprocess.run([node, "-e", "require.resolve('ical.js')"], capture_output=True)
    return found.returncode == 0


# ical.js, the third calendar reader (beside icalendar and khal): with node and the `ical.js`
# npm package on NODE_PATH (docs/contributing.md); the tests that use it are skipped without.
ICAL_JS = _ical_js_ready()
needs_ical_js = pytest.mark.skipif(not ICAL_JS, reason="needs node and ical.js on NODE_PATH")


def ical_js(*paths: Path) -> list[dict[str, object]]:
    """Each calendar file as ical.js reads it (tests/ical_check.js): its METHOD and events."""
    import json
    import subprocess

    result = subprocess.run(
        ["node", str(REPO / "tests" / "ical_check.js"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    read: list[dict[str, object]] = json.loads(result.stdout)
    return read


Outcome = tuple[int, bytes, bytes]


@pytest.fixture
def console(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]):
    """Run the console script in this process: (exit code, stdout, stderr), and whether click
    ran (False: the kept output was printed)."""
    monkeypatch.setattr(shown, "RACY_NS", 0)  # files written by the test are trusted at once
    real = coffeechat.cli.cli
    ran: list[bool] = []

    def counting(*args: object, **kwargs: object) -> object:
        ran.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(coffeechat.cli, "cli", counting)

    def run(*args: str) -> tuple[Outcome, bool]:
        ran.clear()
        monkeypatch.setattr(sys, "argv", ["coffeechat", *args])
        code: object = 0
        try:
            entry.main()
        except SystemExit as leaving:
            code = leaving.code or 0
        out, err = capsysbinary.readouterr()
        assert isinstance(code, int)
        return (code, out, err), bool(ran)

    return run


@pytest.fixture
def looks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One entry per look at every file a run takes from now on (`shown.Look.take`): none
    when a kept answer is printed on watchman's word, or for a command never kept."""
    looked: list[str] = []
    real = shown.Look.take

    def counting(*args: object, **kwargs: object) -> shown.Look:
        looked.append("look")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shown.Look, "take", counting)
    return looked
