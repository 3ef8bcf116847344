"""Kept output (store/shown.py) under the ways a user and a hostile machine run it: a vault
named by a relative path, links whose target moves, `due --on` on the running clock, a
reader that went away. Each printed answer must be what `--no-cache` prints at that moment."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from test_shown import console  # noqa: F401 (the fixture)

CHICAGO = ZoneInfo("America/Chicago")


def _fresh(console, *args: str) -> tuple[int, bytes, bytes]:  # noqa: F811
    return console("--no-cache", *args)[0]


def _twice_then_kept(console, *args: str) -> tuple[int, bytes, bytes]:  # noqa: F811
    """Run until the answer is kept (the first run on a vault learns its folders), then
    check the kept answer is printed without click."""
    for _ in range(2):
        outcome, _ = console(*args)
    again, ran = console(*args)
    assert not ran
    assert again == outcome
    return outcome


def test_a_vault_named_by_a_relative_path_reads_every_note(
    console,  # noqa: F811
    example_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(example_vault.parent)
    expected = _fresh(console, "--vault", example_vault.name, "due")
    assert b"cannot be read" not in expected[2]
    for _ in range(3):
        assert console("--vault", example_vault.name, "due")[0] == expected
    # The same vault named through a `..`: another spelling of the same folders.
    (example_vault / "sub").mkdir()
    spelled = f"{example_vault.name}/sub/.."
    for _ in range(3):
        assert console("--vault", spelled, "list")[0] == _fresh(console, "--vault", spelled, "list")
