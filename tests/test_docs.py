"""The README's reference sections match the code, and every command teaches."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from coffeechat.cli import COMMANDS, cli
from conftest import REPO


def test_readme_reference_is_up_to_date() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "README.md"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, "run `cog -r README.md`: " + completed.stderr


def test_readme_starts_with_the_two_commands() -> None:
    lines = (REPO / "README.md").read_text().splitlines()
    assert "coffeechat --vault vault_example" in lines[3]
    assert lines[4].endswith(".venv/bin/pytest")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.help
    assert "Example:" in command.help
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"{name} {parameter.name} has no help"


def test_the_readme_explains_every_part() -> None:
    headings = [
        line for line in (REPO / "README.md").read_text().splitlines() if line.startswith("## ")
    ]
    for part in (
        "## Quick start",
        "## Prep sheets, questions and the call",
        "## Drafts",
        "## Every morning: due, stats, companies, next",
        "## Importing people",
        "## Time zones and scheduling",
        "## Commands",
        "## Checking the vault",
        "## Settings",
        "## Dependencies",
        "## Speed on a big vault",
    ):
        assert part in headings, part
