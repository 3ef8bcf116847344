"""The README and docs/ match the code, their links lead somewhere, and every command teaches."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from coffeechat.cli import COMMANDS, cli
from conftest import REPO

README = REPO / "README.md"
DOCS_PAGES = sorted((REPO / "docs").glob("*.md"))
PAGES = [README, *DOCS_PAGES]
# A Markdown link or image: [text](target) with no space in the target.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest"


def _outside_fences(text: str) -> str:
    """The text outside fenced code blocks, where headings and links live."""
    return re.sub(r"^(```|~~~).*?^\1[^\n]*$", "", text, flags=re.M | re.S)


def _anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces as
    hyphens, a repeated one numbered."""
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *$", _outside_fences(page.read_text()), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        unique, count = slug, 1
        while unique in anchors:
            unique, count = f"{slug}-{count}", count + 1
        anchors.add(unique)
    return anchors


def _relative_links(page: Path) -> list[str]:
    prose = re.sub(r"`[^`\n]*`", "", _outside_fences(page.read_text()))
    return [target for target in LINK.findall(prose) if not re.match(r"[a-z][a-z0-9+.-]*:", target)]


def test_every_generated_block_is_current() -> None:
    files = [str(page.relative_to(REPO)) for page in PAGES]
    completed = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", *files],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, f"run `cog -r {' '.join(files)}`: " + completed.stderr


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in _relative_links(page):
        path_part, _, anchor = target.partition("#")
        linked = (page.parent / path_part).resolve() if path_part else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: no heading with that anchor")
    assert broken == []


def test_the_readme_is_a_front_page() -> None:
    assert len(README.read_text().splitlines()) <= 250


def test_the_readme_links_every_docs_page() -> None:
    linked = {(REPO / target.partition("#")[0]).resolve() for target in _relative_links(README)}
    assert [page.name for page in DOCS_PAGES if page not in linked] == []


def test_the_readme_starts_with_the_two_set_up_commands() -> None:
    first_block = README.read_text().split("```")[1].splitlines()
    assert first_block[0] == "sh"
    assert "coffeechat --vault vault_example" in first_block[1]
    assert first_block[2] == TEST_COMMAND
    assert TEST_COMMAND in (REPO / ".ci" / "run").read_text()


def _first_command() -> str:
    """The README's first command as it runs once coffeechat is installed: the part from the
    command that runs coffeechat on, with the venv's coffeechat replaced by this one."""
    line = next(
        line
        for line in README.read_text().splitlines()
        if "coffeechat --vault vault_example" in line
    )
    parts = line.split(" && ")
    runs = next(i for i, part in enumerate(parts) if "coffeechat --vault" in part)
    coffeechat = str(Path(sys.executable).parent / "coffeechat")
    return " && ".join(parts[runs:]).replace(".venv/bin/coffeechat", coffeechat)


@pytest.mark.parametrize(
    "now",
    [
        "2025-12-06T12:00:00+00:00",
        "2026-12-06T12:00:00+00:00",
        "2027-12-06T12:00:00+00:00",
        "2028-12-06T12:00:00+00:00",
        None,
    ],
    ids=lambda now: now[:4] if now else "unset",
)
def test_the_first_command_shows_an_upcoming_chat_whatever_the_date(
    now: str | None, tmp_path: Path
) -> None:
    # On a copy: prep keeps the chat's questions in prep/plans/ of the vault.
    ignored = shutil.ignore_patterns(".coffeechat", "prep", "invites")
    shutil.copytree(REPO / "vault_example", tmp_path / "vault_example", ignore=ignored)
    env = {key: value for key, value in os.environ.items() if not key.startswith("COFFEECHAT_")}
    if now is not None:
        env["COFFEECHAT_NOW"] = now
    completed = subprocess.run(
        ["bash", "-c", _first_command()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    sheet = completed.stdout.splitlines()
    assert sheet[0] == "# Coffee chat: Priya Raman (Lumen Pay)"
    when = [line for line in sheet if line.startswith(("Chat:", "Last chat:", "> "))]
    assert when == ["Chat: Wed Nov 25, 3:00 PM CST (1:00 PM PST for them)  "]
    assert "- **10 min · 3:10 PM** — **Ask about the referral**" in sheet


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.help
    assert "Example:" in command.help
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"{name} {parameter.name} has no help"
