"""Bringing people in: LinkedIn's Connections.csv export, and vCard address-book files.

Each source becomes a list of `Incoming` people; `plan` matches them against the vault (by
LinkedIn URL, then email, then name and company) and decides, per person, to create a note,
fill keys that are empty in an existing note, or leave it; `apply` writes that plan. A second
run of the same file finds nothing to do.
"""

from __future__ import annotations

import csv
import io
import quopri
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from coffeechat.errors import CoffeechatError
from coffeechat.names import company_key, name_key
from coffeechat.note import Person

LINKEDIN_COLUMNS = {
    "first name": "first",
    "last name": "last",
    "url": "linkedin",
    "profile url": "linkedin",
    "email address": "email",
    "email": "email",
    "company": "company",
    "position": "role",
    "title": "role",
    "connected on": "connected",
}
_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d", "%b %d, %Y")


@dataclass(frozen=True)
class Incoming:
    """One person as a source describes them, and where in the source they came from."""

    row: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Rejected:
    row: int
    reason: str


@dataclass
class Plan:
    create: list[Incoming] = field(default_factory=list)
    fill: list[tuple[Person, Incoming, dict[str, Any]]] = field(default_factory=list)
    unchanged: list[tuple[Person, Incoming]] = field(default_factory=list)
    skipped: list[tuple[Incoming, str]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def normal_url(url: str) -> str:
    """LinkedIn profile URLs compare without scheme, www, query, or a trailing slash."""
    url = url.strip().lower().split("?")[0].split("#")[0].rstrip("/")
    return re.sub(r"^(https?://)?(www\.|[a-z]{2}\.)?", "", url)


def _read_source(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CoffeechatError(f"{path}: cannot be read: {error.strerror}") from None
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith("connections.csv")]
            if not names:
                raise CoffeechatError(
                    f"{path}: the zip holds no Connections.csv; is it LinkedIn's data export?"
                )
            return archive.read(names[0])
    return data


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CoffeechatError(f"{path}:{line}: not UTF-8; export the file again as UTF-8") from None


def _connected(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def read_linkedin(path: Path) -> tuple[list[Incoming], list[Rejected]]:
    """Rows of Connections.csv (or the export's zip), mapped by header name, not position."""
    text = _decode(path, _read_source(path))
    lines = text.splitlines(keepends=True)
    header_at = next(
        (
            number
            for number, line in enumerate(lines)
            if "first name" in line.lower() and "last name" in line.lower()
        ),
        None,
    )
    if header_at is None:
        raise CoffeechatError(
            f"{path}: no header row with First Name and Last Name; is it LinkedIn's "
            "Connections.csv?"
        )
    reader = csv.reader(io.StringIO("".join(lines[header_at:]), newline=""))
    header = [LINKEDIN_COLUMNS.get(cell.strip().lower(), "") for cell in next(reader)]
    incoming, rejected = [], []
    for row in reader:
        number = header_at + reader.line_num
        cells = {key: cell.strip() for key, cell in zip(header, row, strict=False) if key}
        if not any(cell.strip() for cell in row):
            continue
        name = " ".join(part for part in (cells.get("first", ""), cells.get("last", "")) if part)
        if not name:
            rejected.append(Rejected(number, "no name in the row"))
            continue
        values: dict[str, Any] = {"name": name, "connection": "1st"}
        for key in ("company", "role", "email", "linkedin"):
            if cells.get(key):
                values[key] = cells[key]
        if cells.get("connected"):
            day = _connected(cells["connected"])
            if day:
                values["connected"] = day
        incoming.append(Incoming(number, values))
    return incoming, rejected


def _unfold(text: str) -> list[tuple[int, str]]:
    """vCard lines, numbered as in the file, with continuation lines joined (RFC 6350
    folding; vCard 2.1 quoted-printable soft line breaks)."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + line[1:])
        elif lines and lines[-1][1].endswith("=") and "QUOTED-PRINTABLE" in lines[-1][1].upper():
            lines[-1] = (lines[-1][0], lines[-1][1][:-1] + line)
        else:
            lines.append((number, line))
    return lines


def _vcard_value(params: str, value: str) -> str:
    if "QUOTED-PRINTABLE" in params.upper():
        charset = re.search(r"CHARSET=([\w-]+)", params, re.I)
        raw = quopri.decodestring(value.encode("ascii", "replace"))
        value = raw.decode(charset.group(1) if charset else "utf-8", "replace")
    return re.sub(r"\\([,;\\nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def read_vcard(path: Path) -> tuple[list[Incoming], list[Rejected]]:
    """Cards of a .vcf file: name (FN, else N), email, organisation, title, a LinkedIn URL."""
    text = _decode(path, _read_source(path))
    incoming, rejected = [], []
    card: dict[str, Any] | None = None
    start = 0
    for number, line in _unfold(text):
        head, _, value = line.partition(":")
        name, _, params = head.partition(";")
        name = name.split(".")[-1].upper()  # item1.URL
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            card, start = {}, number
        elif name == "END" and card is not None:
            full = card.get("fn") or card.get("n", "")
            if not full:
                rejected.append(Rejected(start, "a card with no name"))
            else:
                values = {"name": full}
                values.update({k: v for k, v in card.items() if k not in ("fn", "n") and v})
                incoming.append(Incoming(start, values))
            card = None
        elif card is not None:
            value = _vcard_value(params, value).strip()
            if name == "FN":
                card["fn"] = " ".join(value.split())
            elif name == "N":
                parts = [*value.split(";"), "", ""]
                card["n"] = " ".join(p for p in (parts[1], parts[0]) if p.strip())
            elif name == "EMAIL" and "email" not in card:
                card["email"] = value
            elif name == "ORG":
                card["company"] = value.split(";")[0].strip()
            elif name == "TITLE":
                card["role"] = value
            elif name in ("URL", "X-SOCIALPROFILE") and "linkedin.com" in value.lower():
                card["linkedin"] = value
    return incoming, rejected


def _keys(values: dict[str, Any]) -> list[tuple[str, str]]:
    keys = []
    if values.get("linkedin"):
        keys.append(("url", normal_url(values["linkedin"])))
    if values.get("email"):
        keys.append(("email", values["email"].casefold()))
    keys.append(("name", f"{name_key(values['name'])}|{company_key(values.get('company', ''))}"))
    return keys


def plan(incoming: list[Incoming], people: list[Person]) -> Plan:
    """What an import would do: match by LinkedIn URL, then email, then name and company;
    fill only keys that are empty in the existing note."""
    index: dict[tuple[str, str], Person] = {}
    for person in people:
        values = {"name": person.name, "company": person.company}
        values.update(email=person.email, linkedin=person.linkedin)
        for key in _keys(values):
            index.setdefault(key, person)
    result = Plan()
    seen: dict[tuple[str, str], Incoming] = {}
    for item in incoming:
        keys = _keys(item.values)
        duplicate = next((seen[k] for k in keys if k in seen), None)
        if duplicate is not None:
            result.skipped.append((item, f"same person as row {duplicate.row}"))
            continue
        for key in keys:
            seen[key] = item
        match = next((index[k] for k in keys if k in index), None)
        if match is None:
            result.create.append(item)
            continue
        empty = {
            key: value
            for key, value in item.values.items()
            if key != "name" and not getattr(match, key, None)
        }
        if empty:
            result.fill.append((match, item, empty))
        else:
            result.unchanged.append((match, item))
    return result
