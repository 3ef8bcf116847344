"""The index cache: what each note said the last time it was read, so a run on a big vault
does not parse 10,000 YAML blocks again.

The Markdown files are the only truth. A row is used only while its file's size, mtime,
ctime and inode are what they were, and only if the file was last changed well before the
row was written (so an edit in the same clock tick as the read is never missed, on any file
system's timestamp resolution). A cache that is corrupt, from another version, or locked by
another process is rebuilt or skipped without a word beyond a debug log. It lives in the
vault's `.coffeechat/` folder, or in the user's cache folder when the vault is read-only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from coffeechat import __version__
from coffeechat.errors import Problem
from coffeechat.note import COMPANY_KEYS, PERSON_KEYS, Company, Person

log = logging.getLogger("coffeechat.cache")

FORMAT = 2
FOLDER = ".coffeechat"
FILE_NAME = "index.sqlite"
# A file changed this close to the moment it was read might change again unseen within one
# timestamp tick (FAT has 2-second times); such a row is not trusted, and is read again.
RACY_NS = 2_000_000_000


def _fingerprint(zone: str) -> str:
    """Changes whenever cached rows could mean something else: format, version, keys, zone."""
    shape = [
        FORMAT,
        __version__,
        zone,
        [f.name for f in dataclasses.fields(Person)],
        [f.name for f in dataclasses.fields(Company)],
        [(k.name, k.kind, k.choices) for k in (*PERSON_KEYS, *COMPANY_KEYS)],
    ]
    return hashlib.sha256(json.dumps(shape, default=str).encode()).hexdigest()[:16]


# --- notes as JSON arrays in field order; dates as ISO text, turned back by field type -------

_TAG = "\x00t"


def _encode(value: Any) -> Any:
    """For `extra`, which may hold anything YAML reads: dates are tagged."""
    if isinstance(value, datetime):
        return {_TAG: "dt", "v": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "d", "v": value.isoformat()}
    raise TypeError(type(value).__name__)


def _decode(obj: dict[str, Any]) -> Any:
    tag = obj.get(_TAG)
    if tag == "dt":
        return datetime.fromisoformat(obj["v"])
    if tag == "d":
        return date.fromisoformat(obj["v"])
    return obj


_LAYOUTS: dict[str, tuple[tuple[str, ...], dict[int, Any]]] = {}
_SPECIAL: dict[str, tuple[int, int]] = {}


def _layout(kind: type) -> tuple[tuple[str, ...], dict[int, Any]]:
    """The fields stored (all but path), and which of them hold a date or a datetime."""
    if kind.__name__ in _LAYOUTS:
        return _LAYOUTS[kind.__name__]
    names = tuple(f.name for f in dataclasses.fields(kind) if f.name != "path")
    converters: dict[int, Any] = {}
    for index, f in enumerate(f for f in dataclasses.fields(kind) if f.name != "path"):
        if "datetime" in str(f.type):
            converters[index] = datetime.fromisoformat
        elif "date" in str(f.type):
            converters[index] = date.fromisoformat
    _LAYOUTS[kind.__name__] = (names, converters)
    _SPECIAL[kind.__name__] = (names.index("extra"), names.index("problems"))
    return names, converters


def dump_note(note: Person | Company) -> list[Any]:
    names, converters = _layout(type(note))
    values: list[Any] = []
    for index, name in enumerate(names):
        value = getattr(note, name)
        if name == "problems":
            value = [[p.line, p.message] for p in value]
        elif index in converters and value is not None:
            value = value.isoformat()
        elif name == "extra" and value:
            try:
                json.dumps(value)  # plain JSON: stored as it is
            except (TypeError, ValueError):  # dates inside: tagged, as text of its own
                value = json.dumps(value, default=_encode, ensure_ascii=False)
        values.append(value)
    return values


_EXTRA = json.JSONDecoder(object_hook=_decode)


def load_note(kind: type[Person] | type[Company], path: Path, values: list[Any]) -> Any:
    names, converters = _layout(kind)
    values = list(values)  # the row is kept and written back as it is: do not change it
    for index, convert in converters.items():
        if values[index] is not None:
            values[index] = convert(values[index])
    extra, problems = _SPECIAL[kind.__name__]
    if isinstance(values[extra], str):
        values[extra] = _EXTRA.decode(values[extra])
    found = values[problems]
    values[problems] = tuple(Problem(path, line, text) for line, text in found) if found else ()
    # The fields were checked when the row was written; skip the frozen dataclass's
    # field-by-field __init__, which costs more than the rest of reading a cached note.
    note = object.__new__(kind)
    fields = note.__dict__
    fields.update(zip(names, values, strict=True))
    fields["path"] = path
    return note


def from_row(kind: type[Person] | type[Company], path: Path, row: list[Any]) -> Any:
    """What a row says about the note at `path`: the note, the problem that stops it being
    read, or None when the row cannot be understood (the note is then read again)."""
    try:
        payload = row[5]
        if isinstance(payload, dict):
            line, message = payload["error"]
            return Problem(path, line, message)
        return load_note(kind, path, payload)
    except Exception as error:  # a row this version cannot read is only a cache miss
        log.debug("cache row for %s unreadable (%s)", path, error)
        return None


def problem_payload(problem: Problem) -> dict[str, Any]:
    return {"error": [problem.line, problem.message]}


def row_for(stat: os.stat_result, read_at_ns: int, payload: Any) -> list[Any]:
    return [stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino, read_at_ns, payload]


def row_matches(row: list[Any], stat: os.stat_result) -> bool:
    """The file is as it was when the row was written, and was not changed so close to that
    moment that a second change could hide inside one timestamp tick."""
    try:
        mtime, ctime, size, inode, read_at = row[:5]
    except ValueError:
        return False
    return (mtime, ctime, size, inode) == (
        stat.st_mtime_ns,
        stat.st_ctime_ns,
        stat.st_size,
        stat.st_ino,
    ) and mtime < read_at - RACY_NS


def default_location(root: Path) -> Path | None:
    """The vault's own cache folder when it can be written, else the user's cache folder."""
    folder = root / FOLDER
    with contextlib.suppress(OSError):
        folder.mkdir(exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder / FILE_NAME
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coffeechat"
    with contextlib.suppress(OSError):
        base.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        return base / f"{digest}.sqlite"
    return None


class NoteCache:
    """One row per folder of notes: every note's stat and what it said, as one JSON text
    read in one go. SQLite keeps writes atomic and serialises two processes."""

    def __init__(self, location: Path | None, zone: str) -> None:
        self.location = location
        self.fingerprint = _fingerprint(zone)
        self.db: sqlite3.Connection | None = None
        if location is not None:
            self.db = self._open(location) or self._rebuild(location)

    def _open(self, location: Path) -> sqlite3.Connection | None:
        try:
            db = sqlite3.connect(location, timeout=2.0, isolation_level=None)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the header
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS folders (name TEXT PRIMARY KEY, data TEXT)")
            found = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if found is None or found[0] != self.fingerprint:
                with db:
                    db.execute("BEGIN IMMEDIATE")
                    db.execute("DELETE FROM folders")
                    db.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)",
                        (self.fingerprint,),
                    )
                log.debug("cache %s: new or from another version, emptied", location)
            return db
        except sqlite3.Error as error:
            log.debug("cache %s unusable (%s)", location, error)
            return None

    def _rebuild(self, location: Path) -> sqlite3.Connection | None:
        """Start the cache afresh, unless another process holds it (then run without)."""
        with contextlib.suppress(sqlite3.Error):
            probe = sqlite3.connect(location, timeout=0.5)
            try:
                probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return None  # readable: the failure was a busy database, not a broken one
            except sqlite3.Error as error:
                if getattr(error, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                    return None
            finally:
                probe.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{location}{suffix}").unlink()
        return self._open(location)

    def folder(self, name: str) -> dict[str, list[Any]]:
        """One folder's rows by note path; empty when there are none or they are unreadable."""
        if self.db is None:
            return {}
        try:
            found = self.db.execute("SELECT data FROM folders WHERE name = ?", (name,)).fetchone()
            rows = json.loads(found[0]) if found else {}
        except (sqlite3.Error, ValueError, TypeError) as error:
            log.debug("cache unreadable (%s); reading every note", error)
            return {}
        return rows if isinstance(rows, dict) else {}

    def save_folder(self, name: str, rows: dict[str, list[Any]]) -> None:
        """Replace a folder's rows; a busy or broken cache is left for next time."""
        if self.db is None:
            return
        try:
            data = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.execute("INSERT OR REPLACE INTO folders VALUES (?, ?)", (name, data))
        except (sqlite3.Error, TypeError, ValueError) as error:
            log.debug("cache not updated (%s)", error)

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None


def now_ns() -> int:
    return time.time_ns()
