"""The index cache, private to the store: what each note said the last time it was read, so a
run on a big vault does not parse 10,000 YAML blocks again.

The Markdown files are the only truth. A note's cached values are used only while its file's
size, mtime, ctime and inode are what they were, and only if the file was last changed well
before it was read (so an edit in the same clock tick as the read is never missed, on any file
system's timestamp resolution). Values that are not of the types their keys declare make the
whole folder a miss, never an error. A cache that is corrupt, from another version, or locked
by another process is rebuilt or skipped without a word (`COFFEECHAT_DEBUG=1` says why).

One SQLite row per folder holds a snapshot: the notes in display order, stored by column (one
JSON list per key, dates as day numbers), beside a manifest of each file's stat. A warm run
compares every file's stat with the manifest, decodes the columns in one call and builds the
notes as tuples; key lines and unknown keys stay as text until something asks for them.

A note read again after an edit is stored on its own, as a one-note snapshot in the `changes`
table, so an edit costs one row and the folder's snapshot stays on its fast path. When the
changes (and files gone since) pass a twentieth of the folder, the snapshot is written anew
and the changes dropped. Every row carries a checksum of its values: a row edited in place,
by a tool or a disk, is a miss like any other.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import zlib
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from coffeechat import __version__
from coffeechat.core.errors import Problem
from coffeechat.model.codec import encode_mapping
from coffeechat.model.kinds import KEY_KINDS
from coffeechat.model.names import name_key
from coffeechat.model.note import COMPANY_KEYS, PERSON_KEYS, Company, Key, Person

FORMAT = 8  # 6: git conflict markers among a note's problems; 7: each note's dated body
# lines kept; 8: a changed note as its own row, every row with its checksum
FILE_NAME = "index.sqlite"
# A file changed this close to the moment it was read might change again unseen within one
# timestamp tick (FAT has 2-second times); such a note is not trusted, and is read again.
RACY_NS = 2_000_000_000
SEPARATOR = "\0"  # cannot occur in a file name, nor in JSON text
# Changes kept beside a folder's snapshot before it is written anew: at least this many, or a
# twentieth of the folder.
CHANGES_KEPT = 32


def _debug(message: str, *args: object) -> None:
    if os.environ.get("COFFEECHAT_DEBUG"):
        import logging

        logging.getLogger("coffeechat.store.cache").warning(message, *args)


def _fingerprint(zone: str) -> str:
    """Changes whenever cached values could mean something else: format, version, keys, zone."""
    shape = [FORMAT, __version__, zone]
    shape += [(k.name, k.field, k.kind, k.choices) for k in (*PERSON_KEYS, *COMPANY_KEYS)]
    return f"{zlib.crc32(repr(shape).encode()):08x}"


@dataclass(frozen=True)
class _Model:
    """How one kind of note (person or company) is stored by column: the text keys as one
    NUL-separated text (splitting it is several times faster than decoding JSON), the others
    (lists, dates) as one JSON list per key."""

    model: type[Person] | type[Company]
    keys: tuple[Key, ...]

    @property
    def text_keys(self) -> tuple[Key, ...]:
        return tuple(key for key in self.keys if KEY_KINDS[key.kind].stored_as_text)

    @property
    def other_keys(self) -> tuple[Key, ...]:
        return tuple(key for key in self.keys if not KEY_KINDS[key.kind].stored_as_text)

    def columns(self, notes: list[Any]) -> tuple[str | None, list[list[Any]]]:
        """The notes' text values joined, and one JSON-ready list per other key. A text
        value holding NUL (it can, in quotes) leaves the text keys among the JSON lists."""
        if not notes:
            return "", [[] for _ in self.other_keys]
        by_field = dict(zip(self.model._fields, zip(*notes, strict=True), strict=True))
        texts = [value for key in self.text_keys for value in by_field[key.field]]
        together = SEPARATOR.join(texts)
        joined = together if together.count(SEPARATOR) == len(texts) - 1 else None
        out = []
        for key in self.keys if joined is None else self.other_keys:
            values: Any = by_field[key.field]
            kind = KEY_KINDS[key.kind]
            if kind.stored_as_text:
                out.append(list(values))
                continue
            store = kind.store
            out.append([None if value is None else store(value) for value in values])
        return joined, out

    def notes(
        self,
        files: list[str],
        values: list[str] | None,
        columns: Any,
        extras: list[str],
        lines: list[str],
        bodies: list[str],
    ) -> list[Any]:
        """The notes the columns describe (`values`: the text keys' values, key after key);
        TypeError or ValueError when they do not fit. Both lists are emptied as they are
        used, so a big vault never holds a column twice."""
        count = len(files)
        stored = list(self.keys if values is None else self.other_keys)
        if type(columns) is not list or len(columns) != len(stored):
            raise TypeError("not one column per key")
        typed: dict[str, Any] = {}
        if values is not None:
            if len(values) != count * len(self.text_keys):
                raise ValueError("text values of the wrong number")
            for index, key in enumerate(self.text_keys):
                typed[key.field] = values[index * count : (index + 1) * count]
            values.clear()
        for at, key in enumerate(stored):
            column, columns[at] = columns[at], None
            kind = KEY_KINDS[key.kind]
            if type(column) is not list or len(column) != count:
                raise TypeError(f"{key.name}: not a column of {count}")
            if not set(map(type, column)) <= kind.stored_types:
                raise TypeError(f"{key.name}: a value of the wrong type")
            typed[key.field] = kind.restore(column) if kind.restore else column
        if "" in typed["name"]:
            raise ValueError("a note without a name")
        if len(extras) != count or len(lines) != count or len(bodies) != count:
            raise ValueError("side columns of the wrong length")
        problems = [()] * count
        ordered = [typed[key.field] for key in self.keys]
        rows = zip(files, *ordered, extras, problems, lines, bodies, strict=True)
        return list(map(partial(tuple.__new__, self.model), rows))


MODELS = {"person": _Model(Person, PERSON_KEYS), "company": _Model(Company, COMPANY_KEYS)}


# --- the snapshot of one folder -----------------------------------------------------------------


class Entry(NamedTuple):
    """One file as the index records it, in the order notes are shown: readable ones by name,
    then the ones that cannot be read; with its stat, and what it said (a note, or the problem
    that stops it being read)."""

    broken: bool
    sortkey: str
    stem: str
    rel: str
    stat: tuple[int, int, int, int]  # mtime_ns (-1: read again next time), ctime_ns, size, inode
    note: Any = None
    problem: Problem | None = None


def fresh_entry(rel: str, stat: tuple[int, int, int, int], read_at: int, found: Any) -> Entry:
    """The entry for a file read just now: `found` is its note or the problem reading it.
    A file changed so close to its reading that a second change could hide in the same
    timestamp tick is stored with an mtime of -1, so it never matches and is read again."""
    mtime, ctime, size, inode = stat
    if mtime >= read_at - RACY_NS:
        mtime = -1
    stem = rel.rsplit("/", 1)[-1][:-3]
    if isinstance(found, Problem):
        return Entry(True, "", stem, rel, (mtime, ctime, size, inode), None, found)
    return Entry(False, name_key(found.name), stem, rel, (mtime, ctime, size, inode), found)


class Snapshot:
    """What the index holds for a folder: a manifest of files and stats, and, decoded only on
    demand, the notes they held."""

    def __init__(self, kind: str, base: str, row: tuple[Any, ...] | None) -> None:
        self.kind, self.base = kind, base
        self.rels: list[str] = []
        self.stats: Sequence[int] = ()
        self.readable = 0
        self.sortkeys: list[str] = []
        self.checksum: int | None = None  # of the stored row, when it is whole
        self._row = row
        if row is None:
            return
        if _checksum(row[:-1]) != row[-1]:
            _debug("cache row for %s does not match its checksum; reading its notes", base)
            self._row = None
            return
        try:
            rels = row[0].split(SEPARATOR) if row[0] else []
            stats = array("q")
            stats.frombytes(row[1])
            readable = row[2]
            if (
                len(stats) != 4 * len(rels)
                or type(readable) is not int
                or not 0 <= readable <= len(rels)
            ):
                raise ValueError("manifest does not add up")
        except (ValueError, TypeError, AttributeError) as error:
            _debug("cache manifest unreadable (%s)", error)
            return
        self.rels, self.stats, self.readable = rels, stats, readable
        self.checksum = row[-1]

    def positions(self) -> dict[str, int]:
        """Where each file is in the manifest: its stat is `stat_at` that place."""
        return dict(zip(self.rels, range(len(self.rels)), strict=True))

    def unchanged(self, position: int, stat: os.stat_result) -> bool:
        """Whether a file's stat is still what it was when read: then so is the file. A file
        changed so close to its reading that a second change could hide in the same
        timestamp tick was stored with an mtime of -1, so it never matches."""
        stats, at = self.stats, 4 * position
        return (
            stats[at] == stat.st_mtime_ns
            and stats[at + 1] == stat.st_ctime_ns
            and stats[at + 2] == stat.st_size
            and stats[at + 3] == stat.st_ino
        )

    def stat_at(self, position: int) -> tuple[int, int, int, int]:
        stats, at = self.stats, 4 * position
        return (stats[at], stats[at + 1], stats[at + 2], stats[at + 3])

    def decode(self) -> tuple[list[Any], list[Problem]] | None:
        """The readable notes in display order (each with its problems) and the problems of
        the unreadable files, in manifest order; None when the stored values cannot be
        understood (every note is then read again). Decodes once: the stored text is let go
        as it is read, so a big vault does not hold it beside the notes it became."""
        if self._row is None:
            return None
        row, self._row = list(self._row), None
        try:
            count = self.readable
            files = [self.base + rel for rel in self.rels[:count]]
            sortkeys = row[3].split(SEPARATOR) if count else []
            if len(sortkeys) != count:
                raise ValueError("sort keys of the wrong length")
            self.sortkeys = sortkeys
            extras = _unpool(row[6], row[7], count)
            lines = _unpool(row[8], row[9], count)
            bodies = _unpool(row[11], row[12], count)
            texts, row[4] = row[4], None
            values = None if texts is None else texts.split(SEPARATOR) if count else []
            del texts
            columns, row[5] = json.loads(row[5]), None
            notes = MODELS[self.kind].notes(files, values, columns, extras, lines, bodies)
            found = json.loads(row[10])
            if type(found) is not dict:
                raise TypeError("problems")
            unreadable: list[Problem] = []
            for position_text, listed in found.items():
                position = int(position_text)
                if position < count:
                    path = Path(notes[position].file)
                    problems = tuple(Problem(path, _line(n), _text(m)) for n, m in listed)
                    notes[position] = notes[position]._replace(problems=problems)
                else:
                    ((line, message),) = listed
                    path = Path(self.base + self.rels[position])
                    unreadable.append(Problem(path, _line(line), _text(message)))
            if len(unreadable) != len(self.rels) - count:
                raise ValueError("an unreadable file without its problem")
            return notes, unreadable
        except (ValueError, TypeError, OverflowError, KeyError, IndexError) as error:
            _debug("cache values unreadable (%s); reading every note", error)
            return None

    def kept(
        self, positions: list[int], notes: list[Any], unreadable: list[Problem]
    ) -> list[Entry]:
        """The entries of the files at `positions`, unchanged since they were stored."""
        out = []
        stats, readable = self.stats, self.readable
        for position in positions:
            at = 4 * position
            stat = (stats[at], stats[at + 1], stats[at + 2], stats[at + 3])
            rel = self.rels[position]
            stem = rel.rsplit("/", 1)[-1][:-3]
            if position < readable:
                out.append(Entry(False, self.sortkeys[position], stem, rel, stat, notes[position]))
            else:
                problem = unreadable[position - readable]
                out.append(Entry(True, "", stem, rel, stat, None, problem))
        return out


def _line(value: Any) -> int | None:
    if value is not None and type(value) is not int:
        raise TypeError("a line that is not a number")
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("a message that is not text")
    return value


def _checksum(values: Sequence[Any]) -> int:
    """A check of a row's stored values (CRC-32 of each in turn): about 3 ms for 10,000
    notes, against a row changed behind the cache's back."""
    check = 0
    for value in values:
        if type(value) is str:
            value = value.encode("utf-8", "surrogatepass")
        elif type(value) is not bytes:
            value = repr(value).encode()
        check = zlib.crc32(value, check)
    return check


def _snapshot_row(kind: str, entries: list[Entry]) -> tuple[Any, ...]:
    """The stored form of a folder (its values, then their checksum); `entries` in display
    order (readable ones first)."""
    stat_values: list[int] = []
    problems: dict[str, list[list[Any]]] = {}
    notes = []
    for position, (_, _, _, _, stat, note, problem) in enumerate(entries):
        stat_values += stat
        if note is not None:
            notes.append(note)
        found = note.problems if note is not None else (problem,)
        if found:
            problems[str(position)] = [[p.line, p.message] for p in found if p is not None]
    stats = array("q", stat_values)
    texts, columns = MODELS[kind].columns(notes)
    row = (
        SEPARATOR.join(entry.rel for entry in entries),
        stats.tobytes(),
        len(notes),
        SEPARATOR.join(entry.sortkey for entry in entries[: len(notes)]),
        texts,
        json.dumps(columns, ensure_ascii=False, separators=(",", ":")),
        *_pool([encode_mapping(note.raw_extra) for note in notes]),
        *_pool(_key_lines([note.raw_lines for note in notes])),
        json.dumps(problems, ensure_ascii=False, separators=(",", ":")),
        *_pool([note.raw_body for note in notes]),
    )
    return (*row, _checksum(row))


def _key_lines(found: list[Any]) -> list[str]:
    """Each note's key lines as stored text, each distinct layout encoded once (most notes
    of a vault hold the same keys on the same lines). Key lines are numbers, so two layouts
    with equal items encode alike."""
    encoded: dict[tuple[tuple[str, int], ...], str] = {}
    texts = []
    for lines in found:
        if type(lines) is str:
            texts.append(lines)
            continue
        layout = tuple(lines.items())
        text = encoded.get(layout)
        if text is None:
            text = encoded[layout] = encode_mapping(lines)
        texts.append(text)
    return texts


def _pool(texts: list[str]) -> tuple[str, bytes]:
    """Texts stored once each, and which one every note has: most notes lay out their keys
    alike, so 10,000 key-line maps are a few hundred distinct texts."""
    distinct: dict[str, int] = {}
    at = array("I", [distinct.setdefault(text, len(distinct)) for text in texts])
    return SEPARATOR.join(distinct), at.tobytes()


def _unpool(pool: str, at: bytes, count: int) -> list[str]:
    distinct = pool.split(SEPARATOR)
    index = array("I")
    index.frombytes(at)
    if len(index) != count:
        raise ValueError("a pool index of the wrong length")
    return list(map(distinct.__getitem__, index))


# --- the database -------------------------------------------------------------------------------


def default_location(folder: Path) -> Path | None:
    """The vault's own cache folder (`folder`) when it can be written, else the user's cache
    folder. A `.coffeechat` that is a link is not followed: a shared vault must not make the
    cache write, or delete, files elsewhere."""
    if not folder.is_symlink():
        with contextlib.suppress(OSError):
            folder.mkdir(exist_ok=True)
            if folder.is_dir() and not folder.is_symlink() and os.access(folder, os.W_OK):
                return folder / FILE_NAME
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coffeechat"
    with contextlib.suppress(OSError):
        base.mkdir(parents=True, exist_ok=True)
        digest = f"{zlib.crc32(str(folder.parent.resolve()).encode()):08x}"
        return base / f"{digest}.sqlite"
    return None


_COLUMNS = (
    "rels, stats, readable, sortkeys, texts, columns, extras, extras_at, lines, lines_at, "
    "problems, bodies, bodies_at, checksum"
)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    f"CREATE TABLE snapshots (folder TEXT PRIMARY KEY, {_COLUMNS})",
    f"CREATE TABLE changes (folder TEXT, rel TEXT, {_COLUMNS}, PRIMARY KEY (folder, rel))",
)
_PLACES = ",".join("?" * (_COLUMNS.count(",") + 1))
_CLOCK = "watchman-clock:"


class WatchClock(NamedTuple):
    """Watchman's clock when a folder's stored notes (its snapshot, checksum `snapshot`, and
    the changes beside it) were last all true: `where` names the watch, `gone` the stored
    files that were no longer there then."""

    clock: str
    where: str
    snapshot: int
    gone: frozenset[str]


class NoteIndex:
    """The stored snapshots; SQLite keeps writes atomic and serialises two processes."""

    def __init__(self, location: Path | None, zone: str) -> None:
        self.location = location
        self.fingerprint = _fingerprint(zone)
        self.db: sqlite3.Connection | None = None
        if location is not None:
            self.db = self._open(location) or self._rebuild(location)

    def _open(self, location: Path) -> sqlite3.Connection | None:
        try:
            db = sqlite3.connect(location, timeout=2.0, isolation_level=None)
            found = None
            with contextlib.suppress(sqlite3.OperationalError):
                found = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if found is None or found[0] != self.fingerprint:
                db.execute("PRAGMA journal_mode=WAL")
                with db:
                    db.execute("BEGIN IMMEDIATE")
                    for table in (
                        "folders",
                        "notes",
                        "snapshots",
                        "changes",
                    ):  # this and older formats
                        db.execute(f"DROP TABLE IF EXISTS {table}")
                    for statement in _SCHEMA:
                        db.execute(statement)
                    db.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (self.fingerprint,)
                    )
                _debug("cache %s: new or from another version, emptied", location)
            return db
        except sqlite3.Error as error:
            _debug("cache %s unusable (%s)", location, error)
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

    def snapshot(self, folder: str, kind: str, base: str) -> Snapshot:
        row = None
        if self.db is not None:
            try:
                row = self.db.execute(
                    f"SELECT {_COLUMNS} FROM snapshots WHERE folder = ?", (folder,)
                ).fetchone()
            except sqlite3.Error as error:
                _debug("cache unreadable (%s); reading every note", error)
        return Snapshot(kind, base, row)

    def changes(self, folder: str, kind: str, base: str) -> dict[str, Snapshot]:
        """The notes of a folder stored one by one since its snapshot, by file."""
        rows: list[Any] = []
        if self.db is not None:
            try:
                rows = self.db.execute(
                    f"SELECT {_COLUMNS} FROM changes WHERE folder = ?", (folder,)
                ).fetchall()
            except sqlite3.Error as error:
                _debug("cache changes unreadable (%s)", error)
        found = (Snapshot(kind, base, row) for row in rows)
        return {one.rels[0]: one for one in found if len(one.rels) == 1}

    def save(self, folder: str, kind: str, entries: list[Entry]) -> int | None:
        """Replace a folder's snapshot, and drop its changes; a busy or broken cache is left
        for next time. The new snapshot's checksum, None when it was not stored."""
        if self.db is None:
            return None
        try:
            row = _snapshot_row(kind, entries)
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.execute(
                    f"INSERT OR REPLACE INTO snapshots VALUES (?,{_PLACES})", (folder, *row)
                )
                self.db.execute("DELETE FROM changes WHERE folder = ?", (folder,))
        except (sqlite3.Error, TypeError, ValueError) as error:
            _debug("cache not updated (%s)", error)
            return None
        checksum: int = row[-1]
        return checksum

    def save_changes(self, folder: str, kind: str, entries: list[Entry]) -> bool:
        """Store notes read again, each as its own row beside the folder's snapshot; whether
        they were stored."""
        if self.db is None:
            return False
        if not entries:
            return True
        try:
            rows = [(folder, entry.rel, *_snapshot_row(kind, [entry])) for entry in entries]
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany(f"INSERT OR REPLACE INTO changes VALUES (?,?,{_PLACES})", rows)
        except (sqlite3.Error, TypeError, ValueError) as error:
            _debug("cache not updated (%s)", error)
            return False
        return True

    def clock(self, folder: str) -> WatchClock | None:
        """The watchman clock kept for a folder, with what it is about; None when none is
        kept or it cannot be read."""
        found = None
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                found = self.db.execute(
                    "SELECT value FROM meta WHERE key = ?", (_CLOCK + folder,)
                ).fetchone()
        try:
            kept = json.loads(found[0]) if found else None
            if kept is not None:
                clock = WatchClock(kept[0], kept[1], kept[2], frozenset(kept[3]))
                if not all(type(rel) is str for rel in clock.gone) or not (
                    type(clock.clock) is str
                    and type(clock.where) is str
                    and type(clock.snapshot) is int
                ):
                    raise TypeError("a kept clock of the wrong shape")
                return clock
        except (ValueError, TypeError, IndexError) as error:
            _debug("watchman clock unreadable (%s)", error)
        return None

    def keep_clock(self, folder: str, clock: WatchClock | None) -> None:
        """Keep (or, with None, forget) the watchman clock of a folder's stored notes."""
        if self.db is None:
            return
        with contextlib.suppress(sqlite3.Error), self.db:
            if clock is None:
                self.db.execute("DELETE FROM meta WHERE key = ?", (_CLOCK + folder,))
                return
            value = json.dumps([clock.clock, clock.where, clock.snapshot, sorted(clock.gone)])
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_CLOCK + folder, value))

    def remembered_all(self, prefix: str) -> list[tuple[str, str]]:
        """Every kept value whose key starts with `prefix`."""
        if self.db is None:
            return []
        try:
            rows = self.db.execute(
                "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
            ).fetchall()
        except sqlite3.Error:
            return []
        return [(k, v) for k, v in rows if isinstance(k, str) and isinstance(v, str)]

    def remember(self, key: str, value: str) -> None:
        if self.db is None:
            return
        with contextlib.suppress(sqlite3.Error), self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None


@contextlib.contextmanager
def opened(folder: Path, zone: str, use: bool) -> Iterator[NoteIndex | None]:
    """The index in the vault's cache `folder` for the length of one read, or None when it
    is not used."""
    if not use:
        yield None
        return
    index = NoteIndex(default_location(folder), zone)
    try:
        yield index
    finally:
        index.close()


def now_ns() -> int:
    return time.time_ns()
