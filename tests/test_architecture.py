"""The layers hold: the core never reaches up to the command line or the output module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "coffeechat"
PRESENTATION = {"cli", "formatters"}


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function, typing-only ones too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


CORE = sorted(p for p in SRC.glob("*.py") if p.stem not in PRESENTATION | {"__main__"})


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.stem)
def test_the_core_never_imports_click_or_the_output_layer(path: Path) -> None:
    imported = imports_of(path)
    assert "click" not in imported
    assert not any(name.startswith("coffeechat.commands") for name in imported)
    assert "coffeechat.formatters" not in imported


def test_only_the_store_opens_the_index_cache() -> None:
    users = {p.stem for p in SRC.rglob("*.py") if "coffeechat.cache" in imports_of(p)}
    assert users <= {"store", "note"}  # note decodes a cached mapping on first use


WRITERS = {"coffeechat.changes", "coffeechat.files", "coffeechat.notefile"}


@pytest.mark.parametrize(
    "path", sorted((SRC / "commands").glob("*.py")), ids=lambda p: f"commands.{p.stem}"
)
def test_commands_read_and_write_notes_only_through_the_store(path: Path) -> None:
    """A command never opens a note or writes a file itself: it asks the store. (It may
    still parse its arguments with changes.parse_assignments or name a Change type.)"""
    imported = imports_of(path) - {
        "coffeechat.changes.parse_assignments",
        "coffeechat.changes.Change",
    }
    reached = {name for name in imported if name.rsplit(".", 1)[0] in WRITERS}
    assert not reached
