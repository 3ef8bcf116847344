"""People as a table for spreadsheets: one row each, a column per declared key and the stage."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from coffeechat.core import controls
from coffeechat.model.note import PERSON_KEYS, Person

# A cell a spreadsheet would run as a formula (or, after a tab or CR, split oddly) starts with
# one of these: such a cell gets a leading apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
# What Excel needs to take a CSV as UTF-8 when it opens one by double-click (`--bom`).
BOM = "\ufeff"


def columns() -> list[str]:
    """`file`, every person key in the order note.py declares them, then `stage`."""
    return ["file", *(key.name for key in PERSON_KEYS), "stage"]


def safe_cell(text: str) -> str:
    """`text` as a spreadsheet will show it, never run it: `=HYPERLINK(…)` becomes
    `'=HYPERLINK(…)`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value: Any, zone: tzinfo) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # A spreadsheet cell has no zone, and LibreOffice and Excel read an ISO date-time
        # with `T` or an offset as text: the time on your clock, `2026-11-20 09:00:00`.
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)


def people_rows(
    people: list[Person], root: Path, stage_of: Callable[[Person], str], zone: tzinfo
) -> list[list[str]]:
    """The header, then one row per person, every cell spreadsheet-safe: no control
    characters (an escape sequence in a name reaches neither a terminal nor a sheet), and
    nothing a spreadsheet would run. Dates are `2026-11-20`, date-times `2026-11-20 09:00:00`
    in `zone` (the user's): the forms LibreOffice and Excel read as dates in any locale."""
    rows = [columns()]
    prefix = str(root) + os.sep
    fields = [key.field for key in PERSON_KEYS]
    for person in people:
        file = person.file
        if file.startswith(prefix):  # as every note the store reads is: no Path needed
            shown = file[len(prefix) :].replace(os.sep, "/")
        else:
            shown = person.path.relative_to(root).as_posix()
        values = [
            shown,
            *(_text(getattr(person, field), zone) for field in fields),
            stage_of(person),
        ]
        if controls.CONTROL.search("".join(values)):
            values = [controls.strip(value) for value in values]
        rows.append([safe_cell(value) for value in values])
    return rows


def people_csv(
    people: list[Person],
    root: Path,
    stage_of: Callable[[Person], str],
    zone: tzinfo,
    bom: bool = False,
) -> str:
    """RFC 4180 CSV (comma, double quotes, CRLF line ends) of `people_rows`; `bom`: starting
    with the byte-order mark Excel looks for to read UTF-8."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    csv.writer(out).writerows(people_rows(people, root, stage_of, zone))
    return out.getvalue()
