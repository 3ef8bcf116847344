"""Start-up stays light: heavy libraries load only in the commands that use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = [
    *("dateparser", "jinja2", "markdown_it", "icalendar", "recurring_ical_events", "rich"),
    *("ruamel", "frontmatter", "holidays"),
    # `coffeechat mcp`'s SDK and what it brings: only that command loads them.
    *("mcp", "pydantic", "anyio", "starlette", "jsonschema"),
]

PROBE = """
import json, sys
from click.testing import CliRunner
from coffeechat.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:])
print(json.dumps({"exit": result.exit_code, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("args", [["--help"], ["list"], ["show", "priya"], ["list", "--json"]])
def test_common_commands_leave_heavy_libraries_unloaded(
    args: list[str], example_vault: Path
) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, "--vault", str(example_vault), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(completed.stdout.splitlines()[-1])
    assert report["exit"] == 0
    loaded = {name.split(".")[0] for name in report["modules"]}
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)
    if args == ["--help"]:
        assert "yaml" not in loaded
        assert "coffeechat.vault" not in report["modules"]


def test_a_socket_left_by_a_stopped_watchman_costs_no_import(
    example_vault: Path, tmp_path: Path
) -> None:
    """A server that stopped leaves its socket file behind: every run would load pywatchman
    and fail to connect. The socket is tried first, without it, and the walk goes on."""
    import socket

    sock = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(sock))  # bound, never listening, then closed: a stale socket file
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, "--vault", str(example_vault), "list"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WATCHMAN_SOCK": str(sock)},
    )
    report = json.loads(completed.stdout.splitlines()[-1])
    assert report["exit"] == 0
    assert "pywatchman" not in {name.split(".")[0] for name in report["modules"]}
