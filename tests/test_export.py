"""`export csv`: everyone in a spreadsheet, safely."""

from __future__ import annotations

import csv
import io
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from coffeechat.exchange.export import columns, safe_cell
from coffeechat.model.note import PERSON_KEYS
from conftest import Run, WriteNote


def test_the_columns_come_from_the_key_declarations() -> None:
    assert columns() == ["file", *(key.name for key in PERSON_KEYS), "stage"]
    assert columns()[:4] == ["file", "name", "aliases", "company"]


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("2026-11-09", "2026-11-09"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_neutralised(text: str, cell: str) -> None:
    assert safe_cell(text) == cell


def test_one_row_per_person_with_every_key_and_the_stage(run: Run, write_note: WriteNote) -> None:
    write_note(
        "priya",
        'name: "Priya \\e]8;;http://evil.example\\aRaman"\n'
        'company: "[[lumen-pay|Lumen Pay]]"\ncommon: [cycling, "Go, Rust"]\n'
        "messaged: 2026-11-09\nchat: 2026-11-25T15:00:00-06:00\n",
    )
    write_note(
        "eve",
        "name: \"=HYPERLINK('http://evil.example','x')\"\nrole: '+1 555 0100'\n"
        "team: '-2'\nseniority: '@admin'\n"
        'tags: ["=1+1", ok]\n',
    )
    result = run("export", "csv")
    assert result.exit_code == 0
    assert result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [row["file"] for row in rows] == ["people/eve.md", "people/priya.md"]
    eve, priya = rows
    assert priya["name"] == "Priya ]8;;http://evil.exampleRaman"  # no ESC, no BEL
    assert priya["company"] == "[[lumen-pay|Lumen Pay]]"
    assert priya["common"] == "cycling; Go, Rust"
    assert priya["messaged"] == "2026-11-09"
    assert priya["chat"] == "2026-11-25 15:00:00"  # on your clock, as spreadsheets read it
    assert priya["stage"] == "scheduled"
    assert priya["role"] == priya["replied"] == ""
    # Nothing a spreadsheet would run: each such cell starts with an apostrophe.
    assert eve["name"] == "'=HYPERLINK('http://evil.example','x')"
    assert eve["role"] == "'+1 555 0100"
    assert eve["team"] == "'-2"
    assert eve["seniority"] == "'@admin"
    assert eve["tags"] == "'=1+1; ok"
    assert eve["stage"] == "to-contact"
    assert result.stdout.startswith("file,name,aliases,company,role,")
    assert result.stdout_bytes.count(b"\r\n") == 3  # header and two rows, RFC 4180 line ends


def test_output_to_a_file_and_never_onto_a_device(
    run: Run, example_vault: Path, tmp_path: Path
) -> None:
    target = tmp_path / "people.csv"
    result = run("export", "csv", "-o", str(target), root=example_vault)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"Wrote 13 people to {target}.\n"
    assert target.read_bytes() == run("export", "csv", root=example_vault).stdout_bytes
    assert len(target.read_text().splitlines()) == 14
    # A second export replaces the file.
    assert run("export", "csv", "-o", str(target), root=example_vault).exit_code == 0

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    refused = run("export", "csv", "-o", str(fifo), root=example_vault)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: {fifo}: is a FIFO (named pipe), not a file; nothing written "
        "(give the path of a file)\n"
    )


@pytest.mark.parametrize("args", [(), ("-o", "-")])
def test_stdout_by_default_or_with_a_dash(run: Run, example_vault: Path, args: tuple) -> None:
    result = run("export", "csv", *args, root=example_vault)
    assert result.exit_code == 0
    assert len(list(csv.reader(io.StringIO(result.stdout, newline="")))) == 14


# --- read back by a spreadsheet reader ----------------------------------------------------------


def _as_spreadsheet(data: bytes, tmp_path: Path) -> Any:
    """The CSV as a spreadsheet holds it: read by pyexcel-io's CSV reader, which types a
    cell as LibreOffice and Excel do for these forms (a date, a date and time), then saved
    and opened again as an .xlsx workbook with openpyxl."""
    import openpyxl
    import pyexcel_io

    source = tmp_path / "people.csv"
    source.write_bytes(data)
    (rows,) = pyexcel_io.get_data(str(source), encoding="utf-8-sig").values()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "people.xlsx")
    return openpyxl.load_workbook(tmp_path / "people.xlsx").active


def test_every_date_column_reads_back_as_dates_in_a_spreadsheet(
    run: Run, example_vault: Path, tmp_path: Path
) -> None:
    result = run("--vault", str(example_vault), "export", "csv", "--bom")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbffile,name,")  # the BOM Excel looks for
    sheet = _as_spreadsheet(result.stdout_bytes, tmp_path)
    header = [cell.value for cell in sheet[1]]
    priya = next(
        row for row in sheet.iter_rows(min_row=2) if row[0].value.endswith("priya-raman.md")
    )
    cells = dict(zip(header, priya, strict=True))
    # `chat` is a date and time, on your clock (America/Chicago in the example).
    assert cells["chat"].is_date
    assert cells["chat"].value == datetime(2026, 11, 25, 15, 0)
    assert cells["messaged"].is_date
    assert cells["messaged"].value == datetime(2026, 11, 9)
    # Every date and date-time column of every row: a date cell or empty, never text.
    date_columns = [key.name for key in PERSON_KEYS if key.kind in ("date", "datetime")]
    assert "chat" in date_columns
    filled = 0
    for row in sheet.iter_rows(min_row=2):
        for name, cell in zip(header, row, strict=True):
            if name in date_columns and cell.value is not None:
                assert cell.is_date, (name, cell.value)
                filled += 1
    assert filled > 20
    assert cells["name"].value == "Priya Raman"


def test_without_bom_the_file_starts_with_the_header(run: Run, example_vault: Path) -> None:
    result = run("--vault", str(example_vault), "export", "csv")
    assert result.stdout_bytes.startswith(b"file,name,")
