"""Imports repair what the RFCs and spreadsheets leave for readers to repair: a vCard line
folded inside a UTF-8 character, a LinkedIn date a spreadsheet saved again, a line break or
control character inside a name or title."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def test_a_vcard_4_line_folded_inside_a_utf8_character_imports_the_right_name(
    run: Run, vault: Path
) -> None:
    name = "Misaki Tanaka 田中美咲".encode()
    # RFC 6350 3.2 folds at 75 octets and allows the fold inside a multi-octet character:
    # here between the second and third byte of 美 (E7 BE 8E).
    cut = name.index("美".encode()) + 2
    card = (
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:" + name[:cut] + b"\r\n " + name[cut:] + b"\r\n"
        b"EMAIL;PREF=1:misaki@sony.example\r\nORG:\xe3\x82\xbd\xe3\x83\x8b\r\n \xe3\x83\xbc\r\n"
        b"END:VCARD\r\n"
    )
    (vault / "folded.vcf").write_bytes(card)
    result = run("import", "vcard", "folded.vcf")
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout
        == "created   Misaki Tanaka 田中美咲  people/misaki-tanaka-tianzhongmeixiao.md\n"
    )
    note = (vault / "people" / "misaki-tanaka-tianzhongmeixiao.md").read_text()
    assert "name: Misaki Tanaka 田中美咲\n" in note
    assert "company: ソニー\n" in note  # folded between two whole characters, as before


def test_a_vcard_that_is_not_utf8_still_names_its_line(run: Run, vault: Path) -> None:
    (vault / "latin1.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:J\xfcrgen\r\nEND:VCARD\r\n"
    )
    result = run("import", "vcard", "latin1.vcf")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: latin1.vcf:3: not UTF-8; export the file again as UTF-8\n"


@pytest.mark.parametrize(
    "written",
    [
        "07 Feb 2022",
        "7-Feb-22",
        "07-Feb-2022",
        "2/7/2022",
        "2/7/22",
        "2022-02-07",
        "2/7/2022 0:00",
        "2022-02-07 00:00:00",
        "Feb 7, 2022",
    ],
)
def test_linkedin_dates_as_spreadsheets_save_them_are_read(
    run: Run, vault: Path, written: str
) -> None:
    (vault / "c.csv").write_text(HEADER + f'Ana,Silva,,,Acme,Engineer,"{written}"\n')
    result = run("import", "linkedin", "c.csv")
    assert result.exit_code == 0
    assert "connected: 2022-02-07\n" in (vault / "people" / "ana-silva.md").read_text()
    assert "left out" not in result.stderr


def test_a_date_no_one_can_read_is_named_with_its_row(run: Run, vault: Path) -> None:
    (vault / "c.csv").write_text(
        HEADER + "Ana,Silva,,,Acme,Engineer,someday\nBo,Chen,,,Acme,Engineer,31/31/2022\n"
    )
    result = run("import", "linkedin", "c.csv")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[:2] == [
        "c.csv:2: Ana Silva: Connected On `someday` is not a date coffeechat reads "
        "(07 Feb 2022, 7-Feb-22, 2/7/2022, 2022-02-07); connected left out",
        "c.csv:3: Bo Chen: Connected On `31/31/2022` is not a date coffeechat reads "
        "(07 Feb 2022, 7-Feb-22, 2/7/2022, 2022-02-07); connected left out",
    ]
    assert "connected:" not in (vault / "people" / "ana-silva.md").read_text()


def test_line_breaks_and_controls_in_imported_names_and_titles_become_spaces(
    run: Run, vault: Path
) -> None:
    (vault / "c.csv").write_text(
        HEADER + '"Li\n070","line1\r\nline2",,,"Acme\x0bInc",'
        '"Staff\tEngineer\u2028Payments\x1fAPI",01 Jan 2025\n',
        newline="",
    )
    assert run("import", "linkedin", "c.csv").exit_code == 0
    (note,) = (vault / "people").glob("*.md")
    front = note.read_text().split("---")[1]
    assert "name: Li 070 line1 line2\n" in front
    assert "company: Acme Inc\n" in front
    assert "role: Staff Engineer Payments API\n" in front
    # `add` keeps a name and a title on one line the same way; other characters, as an
    # escape, stay as typed in the note (and are cleaned when printed).
    assert run("add", "Ann\nLee", "--role", "Data\x1b[31m\nEngineer").exit_code == 0
    added = (vault / "people" / "ann-lee.md").read_text()
    assert "name: Ann Lee\n" in added
    assert 'role: "Data\\x1b[31m Engineer"\n' in added
    (vault / "a.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\\nChen\r\nTITLE:Lead\\n\tEngineer\r\nEND:VCARD\r\n"
    )
    assert run("import", "vcard", "a.vcf").exit_code == 0
    card = (vault / "people" / "bo-chen.md").read_text()
    assert "name: Bo Chen\n" in card
    assert "role: Lead Engineer\n" in card
