"""`coffeechat --help` and `--version` are answered without click, and read exactly as click
prints them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The console script as pip writes it (`coffeechat` is the program's name), and click's own.
SCRIPT = "import sys; sys.argv[0] = 'coffeechat'; from coffeechat.__main__ import main; main()"
CLICK = "import sys; sys.argv[0] = 'coffeechat'; from coffeechat.cli import cli; cli()"


def console(args: list[str], cache: Path, script: str = SCRIPT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "80"}
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=True
    )


def click_prints(args: list[str]) -> str:
    return console(args, Path("/nonexistent"), CLICK).stdout


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_the_help_page_is_clicks_own_the_first_time_and_after(
    flag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = click_prints([flag])
    assert expected.startswith("Usage: coffeechat [OPTIONS] COMMAND [ARGS]...")
    first = console([flag], tmp_path)  # rendered by click, then kept
    assert [p.name[:5] for p in (tmp_path / "coffeechat").iterdir()] == ["help-"]
    second = console([flag], tmp_path)  # the kept page
    assert first.stdout == second.stdout == expected
    assert first.stderr == second.stderr == ""


def test_the_version_is_clicks_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert console(["--version"], tmp_path).stdout == click_prints(["--version"])


def test_a_page_kept_for_other_code_or_width_is_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coffeechat import __main__ as launch

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "80")
    wide = launch.help_file("coffeechat")
    monkeypatch.setenv("COLUMNS", "60")
    narrow = launch.help_file("coffeechat")
    assert wide is not None
    assert narrow not in (None, wide)
    assert launch.help_file("python -m coffeechat") is None  # another usage line: click's
    monkeypatch.setenv("COLUMNS", "80")
    command = Path(launch.__file__).parent / "commands" / "people.py"
    stat = command.stat()
    try:
        os.utime(command, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
        assert launch.help_file("coffeechat") != wide  # a command's help may have changed
    finally:
        os.utime(command, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_garbled_kept_page_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coffeechat import __main__ as launch

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "80")
    kept = launch.help_file("coffeechat")
    assert kept is not None
    Path(kept).parent.mkdir(parents=True)
    Path(kept).write_bytes(b"\xff\xfe not text")
    assert console(["--help"], tmp_path).stdout == click_prints(["--help"])
