"""Imports fill what a message needs: a kind from the position, file names that keep every
name readable, and a changed title or company said out loud (taken with --update)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coffeechat.model.people import kind_from_title
from conftest import Run

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROWS = (
    "Łukasz,Wójcik,https://www.linkedin.com/in/lw,,Ledgerly,Senior Software Engineer,12 Nov 2026\n"
    "Søren,Østergaard,https://www.linkedin.com/in/so,,Ledgerly,Engineering Manager,12 Nov 2026\n"
    "Jürgen,Weiß,https://www.linkedin.com/in/jw,,Ledgerly,Talent Partner,12 Nov 2026\n"
    "小明,王,https://www.linkedin.com/in/wx,,Ledgerly,Product Designer,12 Nov 2026\n"
)


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("Senior Software Engineer", "engineer"),
        ("Staff Engineer, Platform", "engineer"),
        ("Engineering Manager", "manager"),
        ("Head of Engineering", "manager"),
        ("Co-founder & CTO", "manager"),
        ("Technical Recruiter", "recruiter"),
        ("Recruiting Manager", "recruiter"),
        ("Talent Partner", "recruiter"),
        ("Product Designer", ""),
        ("", ""),
    ],
)
def test_the_kind_comes_from_the_position(role: str, kind: str) -> None:
    assert kind_from_title(role) == kind


def test_import_keeps_names_readable_and_sets_the_kind(
    run: Run, vault: Path, tmp_path: Path
) -> None:
    csv_file = tmp_path / "Connections.csv"
    csv_file.write_text(HEADER + ROWS)
    result = run("import", "linkedin", str(csv_file))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "created   Łukasz Wójcik  people/lukasz-wojcik.md",
        "created   Søren Østergaard  people/soren-ostergaard.md",
        "created   Jürgen Weiß  people/jurgen-weiss.md",
        "created   小明 王  people/xiaoming-wang.md",
    ]
    assert result.stderr.endswith(
        "4 created, 0 updated, 0 already up to date, 0 skipped, 0 rejected, "
        "1 created without a kind\n"
    )
    assert "kind: engineer\n" in (vault / "people" / "lukasz-wojcik.md").read_text()
    assert "kind: manager\n" in (vault / "people" / "soren-ostergaard.md").read_text()
    assert "kind: recruiter\n" in (vault / "people" / "jurgen-weiss.md").read_text()
    assert "kind:" not in (vault / "people" / "xiaoming-wang.md").read_text()
    assert run("show", "lukasz").exit_code == 0  # found by its ASCII spelling


def test_a_changed_title_is_reported_and_taken_only_with_update(
    run: Run, vault: Path, tmp_path: Path
) -> None:
    csv_file = tmp_path / "Connections.csv"
    csv_file.write_text(HEADER + ROWS)
    run("import", "linkedin", str(csv_file))
    note = vault / "people" / "lukasz-wojcik.md"
    before = note.read_bytes()
    csv_file.write_text(HEADER + ROWS.replace("Senior Software Engineer", "Staff Engineer"))
    result = run("import", "linkedin", str(csv_file))
    assert result.stdout == (
        "differs   Łukasz Wójcik: role (Senior Software Engineer → Staff Engineer); --update "
        "to take it\n"
    )
    assert result.stderr.endswith(
        "0 created, 0 updated, 1 differ, 3 already up to date, 0 skipped, 0 rejected\n"
    )
    assert note.read_bytes() == before
    updated = run("import", "linkedin", str(csv_file), "--update")
    assert updated.stdout == "updated   Łukasz Wójcik: changed role  people/lukasz-wojcik.md\n"
    assert "role: Staff Engineer\n" in note.read_text()
    assert run("import", "linkedin", str(csv_file), "--update").stdout == ""
