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

from coffeechat.core.controls import one_line
from coffeechat.core.errors import CoffeechatError
from coffeechat.model.names import company_key, label, name_key
from coffeechat.model.note import Person
from coffeechat.model.people import kind_from_title

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
# LinkedIn writes `07 Feb 2022`; a spreadsheet that saves the file again writes the day in its
# own way: `7-Feb-22`, `2/7/2022` or `2/7/22` (month first, as in the US locale LinkedIn
# exports in), `2022-02-07`, sometimes with a midnight time after it.
_DATE_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d-%B-%Y",
    "%d %b %y",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
)
_MIDNIGHT = re.compile(r"[ T]0?0:00(?::00)?(?:\.0+)?$")


@dataclass(frozen=True)
class Incoming:
    """One person as a source describes them, and where in the source they came from."""

    row: int
    values: dict[str, Any]
    # What the row held that could not be taken, said per row: "Connected On `someday` is
    # not a date …; connected left out".
    left_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejected:
    row: int
    reason: str


@dataclass
class Plan:
    create: list[Incoming] = field(default_factory=list)
    fill: list[tuple[Person, Incoming, dict[str, Any]]] = field(default_factory=list)
    unchanged: list[tuple[Person, Incoming]] = field(default_factory=list)
    # Someone already in the vault whose title or company the source gives differently:
    # (person, incoming, {key: new value}); changed only with --update.
    differs: list[tuple[Person, Incoming, dict[str, Any]]] = field(default_factory=list)
    skipped: list[tuple[Incoming, str]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


# Keys a later export may give differently: reported, and changed only with --update.
FOLLOWED = ("role", "company")


def normal_url(url: str) -> str:
    """LinkedIn profile URLs compare without scheme, www, query, or a trailing slash."""
    url = url.strip().lower().split("?")[0].split("#")[0].rstrip("/")
    return re.sub(r"^(https?://)?(www\.|[a-z]{2}\.)?", "", url)


# Limits on an import, which is a file from elsewhere: the file (or the export's zip), the
# Connections.csv inside a zip (checked from the zip's directory before reading, and again
# while reading), and one CSV cell (a LinkedIn cell is a name, a URL or a title).
IMPORT_BYTES = 64 << 20
CELL_CHARACTERS = 128 << 10


def _read_source(path: Path, what: str) -> bytes:
    from coffeechat.core.limits import read_regular, size_words

    data = read_regular(path, IMPORT_BYTES, what)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                i for i in archive.infolist() if i.filename.lower().endswith("connections.csv")
            ]
            if not members:
                raise CoffeechatError(
                    f"{path}: the zip holds no Connections.csv; is it LinkedIn's data export?"
                )
            member = members[0]
            too_big = CoffeechatError(
                f"{path}: {member.filename} is larger than {size_words(IMPORT_BYTES)} "
                "unzipped, the limit for an import"
            )
            if member.file_size > IMPORT_BYTES:
                raise too_big
            with archive.open(member) as file:
                content = file.read(IMPORT_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        raise CoffeechatError(f"{path}: a zip that cannot be read ({error})") from None
    if len(content) > IMPORT_BYTES:
        raise too_big
    return content


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CoffeechatError(f"{path}:{line}: not UTF-8; export the file again as UTF-8") from None


def _connected(text: str) -> date | None:
    text = _MIDNIGHT.sub("", " ".join(text.split()))
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def read_linkedin(path: Path) -> tuple[list[Incoming], list[Rejected]]:
    """Rows of Connections.csv (or the export's zip), mapped by header name, not position."""
    text = _decode(path, _read_source(path, "LinkedIn's Connections.csv (or its zip)"))
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
    # The whole file is already capped, so a cell may be as long as the file; one over
    # CELL_CHARACTERS rejects its row instead of stopping the reader.
    limit = csv.field_size_limit(max(len(text), csv.field_size_limit()))
    try:
        return _linkedin_rows(lines, header_at)
    finally:
        csv.field_size_limit(limit)


def _linkedin_rows(lines: list[str], header_at: int) -> tuple[list[Incoming], list[Rejected]]:
    reader = csv.reader(io.StringIO("".join(lines[header_at:]), newline=""))
    header = [LINKEDIN_COLUMNS.get(cell.strip().lower(), "") for cell in next(reader)]
    incoming, rejected = [], []
    for row in reader:
        number = header_at + reader.line_num
        if any(len(cell) > CELL_CHARACTERS for cell in row):
            rejected.append(
                Rejected(
                    number,
                    f"a cell longer than {CELL_CHARACTERS // 1024} KB, the limit for an "
                    "import; is this LinkedIn's Connections.csv?",
                )
            )
            continue
        cells = {key: one_line(cell) for key, cell in zip(header, row, strict=False) if key}
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
        if kind_from_title(values.get("role", "")):
            values["kind"] = kind_from_title(values["role"])
        left_out = []
        if cells.get("connected"):
            day = _connected(cells["connected"])
            if day:
                values["connected"] = day
            else:
                left_out.append(
                    f"Connected On `{cells['connected'][:40]}` is not a date coffeechat reads "
                    "(07 Feb 2022, 7-Feb-22, 2/7/2022, 2022-02-07); connected left out"
                )
        incoming.append(Incoming(number, values, tuple(left_out)))
    return incoming, rejected


_CARD_EDGE = re.compile(rb"^(BEGIN|END)\s*:\s*VCARD\s*$", re.IGNORECASE)
# Codecs that are not character sets a card could be written in.
_NOT_CHARSETS = frozenset(("idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"))


@dataclass(frozen=True)
class _Line:
    number: int  # where the property starts in the file
    text: str  # with its continuation lines joined
    ran_into: int | None = None  # a QP soft break before BEGIN/END:VCARD on this line


def _unfold(path: Path, data: bytes) -> list[_Line]:
    """vCard lines, numbered as in the file, with continuation lines joined (RFC 6350
    folding; vCard 2.1 quoted-printable soft line breaks), in one pass. The lines are joined
    as bytes and decoded after, so a fold inside a UTF-8 character (RFC 6350 3.2 allows it and
    asks readers to put the character together again) reads as that character. A soft break
    never swallows a BEGIN:VCARD or END:VCARD line; the line it would have is noted instead."""
    lines: list[_Line] = []
    parts: list[bytes] = []
    start, quoted, ran_into = 0, False, None

    def close() -> None:
        if not parts:
            return
        try:
            text = b"".join(parts).decode("utf-8")
        except UnicodeDecodeError:
            raise CoffeechatError(
                f"{path}:{start}: not UTF-8; export the file again as UTF-8"
            ) from None
        lines.append(_Line(start, text, ran_into))

    data = data.removeprefix(b"\xef\xbb\xbf")
    for number, line in enumerate(data.splitlines(), 1):
        if line[:1] in (b" ", b"\t") and parts:
            parts.append(line[1:])
            continue
        soft = quoted and parts[-1].endswith(b"=")
        if soft and not _CARD_EDGE.match(line):
            parts[-1] = parts[-1][:-1]
            parts.append(line)
            continue
        if soft:
            ran_into = number
        close()
        parts, start, ran_into = [line], number, None
        head = line.partition(b":")[0].upper()
        quoted = b"QUOTED-PRINTABLE" in head
    close()
    return lines


def _charset(params: str) -> str:
    """The CHARSET a QP value names, when Python has it as a text encoding; else UTF-8."""
    import codecs

    match = re.search(r"CHARSET=\"?([\w.:-]+)", params, re.I)
    if not match:
        return "utf-8"
    try:
        info = codecs.lookup(match.group(1))
    except LookupError:
        return "utf-8"
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return "utf-8"
    return info.name


def _unescape(value: str) -> str:
    return re.sub(r"\\([,;\\nN:])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _vcard_parts(params: str, value: str) -> list[str]:
    """A value's components (N and ORG have several, split on unescaped `;`), decoded from
    quoted-printable in its CHARSET (UTF-8 when that is unknown) and unescaped."""
    if "QUOTED-PRINTABLE" in params.upper():
        raw = quopri.decodestring(value.encode("ascii", "replace"))
        try:
            value = raw.decode(_charset(params), "replace")
        except (UnicodeError, LookupError, TypeError):
            value = raw.decode("utf-8", "replace")
    return [_unescape(part) for part in re.split(r"(?<!\\);", value)]


def _preference(params: str) -> int:
    """How strongly an EMAIL is preferred: PREF=1 (vCard 4) before PREF=2; TYPE=pref (3.0)
    or a bare PREF (2.1) counts as 1; none, last."""
    rank = 101
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if not value:
            key, value = "TYPE", key
        if key.strip().upper() == "PREF" and value.strip().isdigit():
            rank = min(rank, int(value))
        elif key.strip().upper() == "TYPE" and "PREF" in value.upper().replace('"', "").split(","):
            rank = min(rank, 1)
    return rank


def read_vcard(path: Path) -> tuple[list[Incoming], list[Rejected]]:
    """Cards of a .vcf file: name (FN, else N), email (the preferred one), organisation,
    title, a LinkedIn URL. A card that never ends is rejected with its line."""
    data = _read_source(path, "a vCard file (.vcf)")
    incoming, rejected = [], []
    card: dict[str, Any] | None = None
    start, email_rank = 0, 0
    for line in _unfold(path, data):
        head, _, value = line.text.partition(":")
        name, _, params = head.partition(";")
        name = name.split(".")[-1].strip().upper()  # item1.URL
        if line.ran_into is not None and card is not None:
            rejected.append(
                Rejected(
                    start,
                    f"the quoted-printable value on line {line.number} ends with a soft line "
                    f"break (`=`) that runs into line {line.ran_into}; remove the `=` and "
                    "import again",
                )
            )
            card = None
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if card is not None:
                rejected.append(
                    Rejected(start, f"no END:VCARD before the next card (line {line.number})")
                )
            card, start, email_rank = {}, line.number, 102
        elif name == "END" and value.strip().upper() == "VCARD":
            if card is None:
                continue
            full = card.get("fn") or card.get("n", "")
            if not full:
                rejected.append(Rejected(start, "a card with no name"))
            else:
                values = {"name": full}
                values.update({k: v for k, v in card.items() if k not in ("fn", "n") and v})
                if kind_from_title(values.get("role", "")):
                    values["kind"] = kind_from_title(values["role"])
                incoming.append(Incoming(start, values))
            card = None
        elif card is not None:
            if name not in ("FN", "N", "EMAIL", "ORG", "TITLE", "URL", "X-SOCIALPROFILE"):
                continue  # PHOTO and the rest are not decoded at all
            parts = _vcard_parts(params, value)
            whole = ";".join(parts).strip()
            whole = one_line(whole)
            if name == "FN":
                card["fn"] = whole
            elif name == "N":
                parts += ["", ""]
                card["n"] = " ".join(one_line(p) for p in (parts[1], parts[0]) if one_line(p))
            elif name == "EMAIL" and whole and _preference(params) < email_rank:
                card["email"], email_rank = whole, _preference(params)
            elif name == "ORG":
                card["company"] = one_line(parts[0])
            elif name == "TITLE":
                card["role"] = whole
            elif name in ("URL", "X-SOCIALPROFILE") and "linkedin.com" in whole.lower():
                card["linkedin"] = whole
    if card is not None:
        rejected.append(Rejected(start, "the card has no END:VCARD; is the file cut short?"))
    return incoming, rejected


def job_change(person: Person, taken: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The `## Log` line recording a new company or title (`moved: Engineer at Acme →
    Staff Engineer at Bolt`), and the old company added to `previous` when it changed."""
    from coffeechat.model.dated import MOVED

    def job(role: str, company: str) -> str:
        return " at ".join(part for part in (role, label(company)) if part) or "?"

    before = job(person.role, person.company)
    after = job(taken.get("role", person.role), taken.get("company", person.company))
    kept: dict[str, Any] = {}
    old = label(person.company)
    if "company" in taken and old and old not in person.previous:
        kept["previous"] = [*person.previous, old]
    return f"{MOVED} {before} → {after}", kept


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
        changed = {
            key: item.values[key]
            for key in FOLLOWED
            if item.values.get(key)
            and getattr(match, key)
            and " ".join(str(item.values[key]).split()) != getattr(match, key)
        }
        if changed:
            result.differs.append((match, item, changed))
        if empty:
            result.fill.append((match, item, empty))
        elif not changed:
            result.unchanged.append((match, item))
    return result
