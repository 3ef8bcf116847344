"""Atomic writes and safe names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coffeechat.errors import WriteRefused
from coffeechat.files import create_file, free_path, replace_file, slugify


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
        ("李小龙", "person"),
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
