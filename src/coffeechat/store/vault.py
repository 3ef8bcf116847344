"""The store: the one object that finds, reads and caches notes, and knows where files go.

Commands talk to a `Store`; nothing else walks the vault or opens a note. The index cache is a
private detail of `Store.people()` and `Store.companies()`. Where files go comes from its
`Layout` (layout.py), the one place that knows the vault's folder names.

Only Markdown under the people and companies folders is read, so a vault can live inside an
existing Obsidian vault. Hidden files and folders (`.obsidian`, `.trash`, the cache, temporary
files) are skipped. A link to a note or a folder is followed only while it stays inside the
vault; the people or companies folder itself may be a link (a vault split over two disks).
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Generic, TypeVar

from coffeechat.core.errors import (
    AmbiguousName,
    ConfigError,
    NoteError,
    PersonNotFound,
    Problem,
    UsageError,
    VaultNotFound,
    WriteFailed,
    WriteRefused,
)
from coffeechat.core.limits import regular_bytes, size_words
from coffeechat.model.config import (
    CONFIG_NAME,
    SETTING_NAMES,
    Config,
    config_text,
    load_config,
    machine_zone,
)
from coffeechat.model.inbox import Entry, inbox_lines
from coffeechat.model.names import label, name_key, parse_link
from coffeechat.model.note import Change, Company, Person
from coffeechat.store import files, shown, writes
from coffeechat.store.layout import Layout
from coffeechat.store.merge import GIT, Decide, Merged
from coffeechat.store.notefile import (
    company_from,
    load_frontmatter,
    person_from,
    read_note,
    read_text,
)
from coffeechat.store.syncnames import COPY_ENDINGS, CopyName, copy_name, maybe_copy
from coffeechat.store.together import Together

Undo = Callable[[], None]
N = TypeVar("N", Person, Company)

# The most an inbox file may hold: some ten thousand lines, far more than weeks of capture.
# A bigger one is not an inbox, and filing it would take minutes and its reasons gigabytes.
INBOX_LIMIT = 1 << 20
# And at most this many lines: a reason goes beside each line left, so a pasted article would
# grow the inbox many times over and print a line for each of its lines.
INBOX_LINES = 5000


@dataclass
class Loaded(Generic[N]):
    """Every readable note of one kind, in display order, and what stopped the others."""

    notes: list[N]
    problems: list[Problem]


@dataclass
class Store:
    root: Path
    config: Config
    warnings: tuple[str, ...] = ()
    use_cache: bool = True
    layout: Layout = field(init=False)
    _people: Loaded[Person] | None = field(default=None, init=False, repr=False)
    _companies: Loaded[Company] | None = field(default=None, init=False, repr=False)
    _holidays: dict[str, dict[date, str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.layout = Layout.of(self.root, self.config)

    @property
    def people_dir(self) -> Path:
        return self.layout.people

    @property
    def companies_dir(self) -> Path:
        return self.layout.companies

    def people(self) -> Loaded[Person]:
        """Everyone, sorted by name; read once per run."""
        if self._people is None:
            self._people = self._load(self.layout.people, "person")
        return self._people

    def companies(self) -> Loaded[Company]:
        """Every company note, sorted by name; read once per run."""
        if self._companies is None:
            self._companies = self._load(self.layout.companies, "company")
        return self._companies

    def forget(self) -> None:
        """Read the notes again on the next call (after this run changed one)."""
        self._people = self._companies = None

    def _load(self, folder: Path, kind: str) -> Loaded[Any]:
        """One folder's notes. Python's cycle collector is paused meanwhile: building 10,000
        notes would otherwise trigger it dozens of times to find no cycles (notes hold none),
        and the notes are then frozen out of its later passes."""
        import gc

        from coffeechat.store import cache

        paused = gc.isenabled()
        gc.disable()
        try:
            with cache.opened(self.layout.state, self.config.timezone, self.use_cache) as index:
                return _load_folder(self, folder, kind, index)
        finally:
            if paused:
                gc.freeze()
                gc.enable()

    def holidays(self, country: str, year: int) -> dict[date, str]:
        """A country's public holidays in a year (`when.holidays`), kept in the index cache so
        a daily run need not load the package (a tenth of a second) to look one day up: the
        first call reads every country and year kept, in one query."""
        import json

        from coffeechat import __version__
        from coffeechat.store import cache
        from coffeechat.when.holidays import public_holidays

        prefix = f"holidays:{__version__}:"
        key = f"{prefix}{country}:{year}"
        if key in self._holidays:
            return self._holidays[key]
        with cache.opened(self.layout.state, self.config.timezone, self.use_cache) as index:
            if not self._holidays and index is not None:
                for stored_key, stored in index.remembered_all(prefix):
                    with contextlib.suppress(ValueError, TypeError, AttributeError):
                        days = json.loads(stored)
                        self._holidays[stored_key] = {
                            date.fromisoformat(day): str(name) for day, name in days.items()
                        }
                if key in self._holidays:
                    return self._holidays[key]
            found = public_holidays(country, year)
            self._holidays[key] = found
            if index is not None:
                index.remember(key, json.dumps({d.isoformat(): n for d, n in found.items()}))
            return found

    def person(self, query: str, everyone: Callable[[], list[Person]] | None = None) -> Person:
        """The one person `query` names: an exact file name, a path inside the people
        folder, a full name (any case, accents optional), a unique part of one, or one close
        match. Exact matches win over case-folded ones; a tie lists the candidates.
        `everyone` (default: every readable note) supplies the people to search by name.
        An Obsidian link (`[[priya-raman|Priya]]`) names the note it links to."""
        link = parse_link(query)
        query = link.target if link else query
        if not name_key(query):
            raise PersonNotFound("no name given; pass a person's name or note file name")
        by_file = self._by_file(query)
        if by_file is not None:
            return by_file
        loaded = self.people()
        people = everyone() if everyone else loaded.notes
        return self._by_name(query, people, loaded, _NameKeys(people))

    def finder(self) -> Callable[[str], Person]:
        """`person` for many names in one run (the inbox): the people folder is walked, the
        notes read and their names compared once, not once per name."""
        loaded = self.people()
        keys = _NameKeys(loaded.notes)
        # The files the load walked: the notes read, and the ones that could not be.
        base = str(self.layout.people) + os.sep
        files_seen = [p.file for p in loaded.notes] + [str(p.path) for p in loaded.problems]
        rels = [f[len(base) :] for f in files_seen if f.startswith(base) and f.endswith(".md")]
        listing = _FileIndex(rels, loaded.notes)

        def find(query: str) -> Person:
            link = parse_link(query)
            query = link.target if link else query
            if not name_key(query):
                raise PersonNotFound("no name given; pass a person's name or note file name")
            by_file = self._by_file(query, listing)
            if by_file is not None:
                return by_file
            return self._by_name(query, loaded.notes, loaded, keys)

        return find

    def _by_name(
        self, query: str, people: list[Person], loaded: Loaded[Person], keys: _NameKeys
    ) -> Person:
        """The one person `query` names among `people` by name, alias, a unique start of
        one, or one close match; see `person`."""
        wanted = name_key(query)
        spaced = " ".join(query.split())
        exact = [p for p in keys.named(wanted) if p.name == spaced]
        if not exact:
            exact = keys.named(wanted)
        if not exact:
            exact = keys.aliased(wanted)
        if not exact:
            exact = keys.starting(wanted)
        if not exact:
            by_key = {key: p for p, key in zip(keys.people, keys.names, strict=True)}
            close = difflib.get_close_matches(wanted, list(by_key), n=2, cutoff=0.88)
            if len(close) == 1:
                return by_key[close[0]]
            nearest = difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.5)
            hint = (
                f"; did you mean {', '.join(by_key[n].name for n in nearest)}?" if nearest else ""
            )
            # A note that cannot be read may be the one meant: name it, not "no match".
            served = {p.file for p in loaded.notes}
            unreadable = [
                p
                for p in loaded.problems
                if str(p.path) not in served and _may_name(p.path, wanted)
            ]
            if len(unreadable) == 1:
                raise NoteError(unreadable[0])
            if unreadable:
                raise PersonNotFound(
                    f"no readable note matches `{query}`; {len(unreadable)} that may be the "
                    "one meant cannot be read: "
                    + ", ".join(self._shown(problem.path) for problem in unreadable)
                )
            raise PersonNotFound(
                f"no person matches `{query}`{hint} (`coffeechat list` shows everyone)"
            )
        if len(exact) > 1:
            raise AmbiguousName(
                f"`{query}` matches {len(exact)} people: {_describe(exact, self.layout.people)};"
                " use more of the name, or the file name"
            )
        return exact[0]

    def company(self, query: str) -> Company:
        """The one company note `query` names: its name, an alias or a link as a person's
        `company:` would, its file name, or a unique start of a word of its name."""
        from coffeechat.model.names import company_index, company_key

        companies = self.companies().notes
        found = company_index(companies).find(query)
        if found is not None:
            return found
        wanted = company_key(query)
        matches = [
            c
            for c in companies
            if wanted
            and (
                c.stem.casefold() == query.strip().casefold()
                or any(word.startswith(wanted) for word in company_key(c.name).split())
            )
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = ", ".join(sorted(c.name for c in matches))
            raise AmbiguousName(f"`{query}` matches {len(matches)} companies: {names}")
        raise PersonNotFound(
            f"no company note matches `{query}`; `coffeechat companies` lists them, "
            "`coffeechat company add NAME` makes one"
        )

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _note_files(self) -> list[str]:
        """The people folder's note files, as paths within it."""
        found = _walk(self.layout.people, str(self.root.resolve()))
        return [item[0] for item in found if not isinstance(item, Problem)]

    def _by_file(self, query: str, listing: _FileIndex | None = None) -> Person | None:
        """The person whose note file `query` names, read without loading everyone: an exact
        name first, then one that differs only in case; two such is ambiguous. `listing`:
        the people folder's files, when walked already."""
        wanted = query.removesuffix(".md").replace(os.sep, "/")
        if not wanted or wanted.startswith(("/", ".")) or "/." in wanted:
            return None
        if listing is None:
            exact: list[str] = []
            folded: list[str] = []
            for rel in self._note_files():
                stem = rel[:-3]
                base = stem.rsplit("/", 1)[-1]
                if wanted in (stem, base):
                    exact.append(rel)
                elif wanted.casefold() in (stem.casefold(), base.casefold()):
                    folded.append(rel)
        else:
            exact, folded = listing.matches(wanted)
        found = sorted(exact or folded)
        if not found:
            return None
        if len(found) > 1:
            raise AmbiguousName(
                f"`{query}` names {len(found)} notes: "
                + ", ".join(f"{self.layout.people.name}/{rel}" for rel in found)
                + "; pass the one you mean as it is written, with its folder"
            )
        path = self.layout.people / found[0]
        known = listing.notes.get(str(path)) if listing is not None else None
        return known or self._read_person(path)

    def read_person(self, path: Path) -> Person:
        """A person note read from disk now, whatever was read before (after an edit)."""
        text, front = read_note(path)
        return _with_markers(person_from(path, front, self.config.zone, text), text.text)

    def _read_person(self, path: Path) -> Person:
        """One person note: from the people already loaded this run, else from disk (one
        small file reads faster than the index of a big vault decodes)."""
        if self._people is not None:
            file = str(path)
            for person in self._people.notes:
                if person.file == file:
                    return person
        return self.read_person(path)

    def body(self, note: Person | Company) -> str:
        """The note's Markdown after the frontmatter, as it is on disk now."""
        text, _ = read_note(note.path)
        return text.body

    def body_and_line(self, note: Person | Company) -> tuple[str, int]:
        """The note's body as `body` gives it, and the file's line it starts on (1-based), so
        a line of the body can be named as file:line."""
        text, _ = read_note(note.path)
        return text.body, text.text[: text.body_start].count("\n") + 1

    def body_as_loaded(self, note: Person | Company) -> tuple[str, int]:
        """What `body_and_line` gives, for a note whose keys were loaded this run: the file is
        read again but its frontmatter only located, not parsed (doctor reads every body, and
        the parse was a third of its time). A NoteError when the file is gone or no longer
        reads as a note, as with `body_and_line`; a frontmatter broken since the load is not
        noticed here (the next load reports it)."""
        text = read_text(note.path)
        return text.body, text.text[: text.body_start].count("\n") + 1

    # --- groups of writes that stand or fall together -----------------------------------------
    # A command that writes files beside a note and then the note opens one group:
    #     with store.together() as written:
    #         written.write_file(sheet, data)
    #         store.log(person, entry, now)
    # and a failure anywhere in the block takes back the files written so far (together.py).

    def together(self) -> Together:
        """A group of writes: side files through it, the note's edit last, all in one `with`."""
        return Together(self.stays_inside)

    # --- writes: every change to a note, and every file written beside the notes -------------
    # Each edit goes through writes.py (byte-exact, locked, atomic); the people read this
    # run are then read again on next use.

    def edit(self, person: Person, values: dict[str, Any]) -> Change:
        """Set (or, with `DELETE`, remove) keys of a person's note."""
        return self._changed(writes.set_keys(person, values))

    def edit_company(
        self, company: Company, changes_for: Callable[[Company], dict[str, Any]]
    ) -> Change:
        """Set the keys `changes_for` asks of the company's note as it is when locked."""
        return self._changed(writes.change_company(company, changes_for, self.config.zone))

    def mark(
        self,
        person: Person,
        milestone: str,
        when: str | None,
        now: datetime,
        also: dict[str, Any] | None = None,
    ) -> Change:
        """Set a milestone's date, and the keys in `also` in the same write (the template a
        first message came from, recorded as it is marked sent)."""
        return self._changed(
            writes.mark_milestone(person, milestone, when, now, self.config.zone, also)
        )

    def log(self, person: Person, text: str, now: datetime) -> Change:
        return self._changed(writes.log_line(person, text, now, self.config.zone))

    def edit_and_log(self, person: Person, values: dict[str, Any], entry: str, day: date) -> Change:
        return self._changed(writes.set_keys_and_log(person, values, entry, day))

    def record_call(
        self,
        person: Person,
        section: list[str],
        chat: datetime | None,
        *,
        referral_asked: bool = False,
        log: str = "",
    ) -> Change:
        return self._changed(
            writes.record_call(person, section, chat, referral_asked=referral_asked, log=log)
        )

    def file_entry(
        self, person: Person, entry: Entry, now: datetime, dry_run: bool = False
    ) -> Change:
        """File an inbox entry into the person's note (writes.file_entry); `dry_run` says
        what it would do and writes nothing."""
        change = writes.file_entry(person, entry, now, self.config.zone, dry_run)
        return change if dry_run else self._changed(change)

    def many_writes(self) -> AbstractContextManager[None]:
        """A block of many note writes: each folder's entries are made durable once, at the
        block's end (`files.folder_syncs_deferred`)."""
        return files.folder_syncs_deferred()

    # --- the inbox file at the vault's root ------------------------------------------------

    @property
    def inbox_path(self) -> Path:
        return self.root / self.config.inbox

    def read_inbox(self) -> bytes | None:
        """The inbox file's bytes; None when there is none. Refused (WriteFailed), before a
        line is filed: an inbox that is a link leading outside the vault (it is rewritten
        in place), one larger than INBOX_LIMIT, or one holding a NUL byte (binary data)."""
        shown = self._shown(self.inbox_path)
        try:
            target = self.inbox_path.resolve()
            if not target.is_relative_to(self.root.resolve()):
                raise WriteFailed(
                    f"{shown}: leads outside the vault (a link); make it a file in the vault"
                )
            for folder in (self.people_dir, self.companies_dir):
                if target.is_relative_to(folder.resolve()):  # each line would get a reason
                    raise WriteFailed(
                        f"{shown}: leads to a note ({self._shown(target)}); make it a file of "
                        "its own"
                    )
            raw = regular_bytes(self.inbox_path, INBOX_LIMIT)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise WriteFailed(f"{shown}: cannot be read ({error.strerror or error})") from None
        if len(raw) > INBOX_LIMIT:
            raise WriteFailed(
                f"{shown}: larger than {size_words(INBOX_LIMIT)}, more than an inbox holds; "
                "split it, or file part of it at a time"
            )
        lines = len(inbox_lines(raw.decode("utf-8", "replace")))
        if lines > INBOX_LINES:
            raise WriteFailed(
                f"{shown}: {lines:,} lines, more than an inbox holds ({INBOX_LINES:,}); "
                "split it, or file part of it at a time"
            )
        if b"\x00" in raw:
            line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
            raise WriteFailed(
                f"{shown}:{line}: holds binary data (a NUL byte); take it out and run again"
            )
        return raw

    def inbox_waiting(self) -> int:
        """How many lines of the inbox wait to be filed; 0 when it cannot be read (`inbox`
        itself says why)."""
        from coffeechat.model.inbox import waiting

        try:
            raw = self.read_inbox()
        except WriteFailed:
            return 0
        return waiting(raw.decode("utf-8", "replace")) if raw else 0

    def inbox_lock(self) -> AbstractContextManager[Path]:
        """Hold the inbox's lock, so two `coffeechat inbox` runs take turns."""
        return files.note_lock(self.inbox_path)

    def replace_inbox(self, data: bytes, original: bytes) -> None:
        """Replace the inbox with `data`, refused (WriteRefused) when it no longer holds
        `original`: a phone's sync saved a line meanwhile."""
        if data != original:
            files.replace_file(self.inbox_path.resolve(), data, original)

    def save_draft(self, person: Person, kind: str, text: str, day: date) -> Change:
        return self._changed(writes.append_draft(person, kind, text, day))

    def add_person(self, values: dict[str, Any], now: datetime) -> Change:
        return self._changed(
            writes.add_person(self.people_dir, self.people().notes, values, now, self.config.zone)
        )

    def add_company(self, name: str, values: dict[str, Any], now: datetime) -> Change:
        return self._changed(
            writes.add_company(
                self.companies_dir, self.companies().notes, name, values, now, self.config.zone
            )
        )

    def add_imported(self, values: dict[str, Any], source: str, day: date) -> Path:
        path = writes.create_imported(self.people_dir, values, source, day)
        self.forget()
        return path

    def leftovers(self) -> list[Problem]:
        """What a write left beside the notes read this run: a killed run's temporary file
        (the walk skips it, so only this shows it), or coffeechat's version after a clash with
        an editor's save."""
        # Each folder once, as text first: a Path per note costs more than the rest.
        names = {os.path.dirname(note.file) for note in self.people().notes}
        names |= {os.path.dirname(note.file) for note in self.companies().notes}
        folders = {self.people_dir, self.companies_dir} | {Path(name) for name in names}
        found = []
        for folder in sorted(folders):
            found += [
                Problem(path, None, "left by a coffeechat run stopped mid-write — delete it")
                for path in files.stale_temps(folder)
            ]
            found += [
                Problem(
                    path,
                    None,
                    "coffeechat's version from a clash with an editor's save — merge what you "
                    "need into the note, then delete it",
                )
                for path in files.conflict_copies(folder)
            ]
        return found

    # --- sync conflict copies: found, merged, put away ---------------------------------------

    def sync_copies(self) -> list[tuple[Path, CopyName]]:
        """Every sync tool's conflict copy beside a note in people/ and companies/ (which the
        walk leaves out), by path; no file is opened."""
        found: list[tuple[Path, CopyName]] = []
        real_root = str(self.root.resolve())
        for folder in (self.people_dir, self.companies_dir):
            for _ in _walk(folder, real_root, found):
                pass
        return sorted(found)

    def copies_of(self, path: Path) -> list[tuple[Path, str]]:
        """The conflict copies of the note at `path`, with the tool that made each, in name
        order (so Syncthing's and Nextcloud's, which carry the time, oldest first)."""
        names = {entry.name for entry in os.scandir(path.parent)}
        found = []
        for name in sorted(names):
            copy = copy_name(name, names)
            if copy is not None and copy.original == path.name:
                found.append((path.parent / name, copy.tool))
        return found

    def original_of(self, path: Path) -> Path:
        """The note a conflict copy at `path` is a version of; `path` itself for a note."""
        names = {entry.name for entry in os.scandir(path.parent)}
        copy = copy_name(path.name, names)
        return path.parent / copy.original if copy else path

    def marked_notes(self) -> list[Problem]:
        """Each note holding git's conflict markers (a merge that stopped half-way), at the
        first marker's line: found as each note is read, and kept with it in the cache."""
        loaded = self.people().problems + self.companies().problems
        return [problem for problem in loaded if problem.message.startswith(MARKERS)]

    def plan_merge(self, path: Path, decide: Decide) -> Merged:
        """The note at `path` merged with its conflict copies, or with the other side of the
        git conflict markers inside it; reads only. A copy or side that does not read is
        refused (NoteError, with its file and line), and nothing is merged."""
        from dataclasses import replace

        from coffeechat.model.note import COMPANY_KEY_NAMES, PERSON_KEY_NAMES
        from coffeechat.store.merge import marker_line, merge_note, sides
        from coffeechat.store.notefile import split_note

        keys = PERSON_KEY_NAMES
        if path.resolve().is_relative_to(self.companies_dir.resolve()):
            keys = COMPANY_KEY_NAMES
        try:
            raw = regular_bytes(path)
        except OSError:
            raw = b""  # read_note below says why
        if b"<<<<<<<" in raw and marker_line(raw.decode("utf-8", "replace")) is not None:
            note = split_note(path, raw)
            ours, theirs = sides(note.text)
            mine = split_note(path, note.encode(ours))
            other = split_note(path, note.encode(theirs))
            for side in (mine, other):
                try:
                    load_frontmatter(side)
                except NoteError as error:
                    raise NoteError(
                        Problem(
                            path,
                            error.problem.line,
                            f"one side of its git conflict does not read ({error.problem.message})"
                            "; fix that side by hand",
                        )
                    ) from None
            merged = merge_note(mine, [(other, GIT)], keys, self.config.zone, decide)
            merged.original = note.raw
            merged.copies = []
            merged.git = True
            merged.steps = [
                replace(
                    step,
                    what=step.what.replace("in the copy", "on their side").replace(
                        "the copy", "their side"
                    ),
                )
                for step in merged.steps
            ]
            return merged
        note, _ = read_note(path)
        copies = []
        real_root = self.root.resolve()
        for copy, tool in self.copies_of(path):
            if not copy.resolve().is_relative_to(real_root):
                raise WriteRefused(
                    f"{self._shown(copy)}: leads outside the vault (a link); move the file it "
                    "names into the vault; nothing merged"
                )
            text, _ = read_note(copy)
            copies.append((text, tool))
        return merge_note(note, copies, keys, self.config.zone, decide)

    def apply_merge(self, merged: Merged, now: datetime) -> list[Path]:
        """Write a merge's result to its note (locked, atomic, refused if the note changed
        since the merge read it) and move its copies, each unchanged since then, into
        `.coffeechat/merged/TIME/` (the walk skips it); returns where they went."""
        from datetime import UTC

        assert merged.result is not None
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        targets = [
            self.layout.merged / stamp / copy.relative_to(self.root) for copy, _, _ in merged.copies
        ]
        for target in targets:  # where the copies go stays in the vault, links or not
            folder = target.parent
            while not folder.exists() and folder != self.root:
                folder = folder.parent
            if not folder.resolve().is_relative_to(self.root.resolve()):
                raise WriteRefused(
                    f"{self._shown(folder)} leads outside the vault (a link); make it a folder "
                    "in the vault; nothing merged"
                )
        with files.note_lock(merged.note) as real:
            if merged.result != merged.original:
                files.replace_file(real, merged.result, merged.original)
            for copy, _, raw in merged.copies:
                if files.read_regular(copy) != raw:
                    raise WriteRefused(
                        f"{files.shown(copy)}: changed on disk since it was read; the note is "
                        "merged, run the command again to merge this copy too"
                    )
        moved = [
            files.move_file(copy, target)
            for (copy, _, _), target in zip(merged.copies, targets, strict=True)
        ]
        self.forget()
        return moved

    def person_files(self) -> list[str]:
        """The people's note file names without `.md` (as NAME takes them), from the walk of
        people/ alone: no note is opened (shell completion asks on every Tab)."""
        found = _walk(self.people_dir, str(self.root.resolve()))
        return [item[0].rsplit("/", 1)[-1][:-3] for item in found if not isinstance(item, Problem)]

    def check_output(self, path: Path, create_folder: bool = False) -> None:
        """Refuse, before anything is written, a path that is not a regular file's, or one in
        the vault's own output folders that leads outside the vault."""
        self.stays_inside(path)
        files.check_output(path, create_folder=create_folder)

    def write_file(self, path: Path, data: bytes, create_folder: bool = False) -> Undo:
        """Write a file the tool makes (a prep sheet, an invitation, a draft); returns how to
        take it back if a later write of the same command fails."""
        self.stays_inside(path)
        return files.write_file(path, data, create_folder=create_folder)

    def stays_inside(self, path: Path) -> None:
        """A file for one of the vault's own output folders (prep/, prep/plans/, invites/)
        stays in the vault: a folder there that is a link to somewhere else is refused before
        anything is written. A path you name outside the vault is yours to choose."""
        target = path.absolute()
        if not any(target.is_relative_to(folder.absolute()) for folder in self.layout.outputs):
            return
        folder = target.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.resolve().is_relative_to(self.root.resolve()):
            raise WriteRefused(
                f"{self._shown(path)}: {self._shown(folder)} leads outside the vault (a link); "
                "nothing written"
            )

    def _changed(self, change: Change) -> Change:
        if change.changed:
            self.forget()
        return change

    # --- what prep keeps beside the notes: saved sheets, kept plans, question banks ----------
    # The prep package chooses questions and renders sheets; it opens no file. These read
    # (and format) the files it keeps and hand it plain values.

    def saved_sheets(self, leave_out: Path | None = None) -> list[dict[str, Any]]:
        """The frontmatter of every prep sheet saved in prep/, in file name order; a sheet that
        cannot be read is skipped. `leave_out`: a sheet not to read (today's, which a second
        --save replaces)."""
        folder = self.layout.prep
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.glob("*.md")):
            if path == leave_out:
                continue
            try:
                _, front = read_note(path)
            except NoteError:
                continue
            found.append(front.values)
        return found

    @staticmethod
    def sheet_frontmatter(person: Person, day: str, question_ids: list[str]) -> str:
        """The frontmatter a saved prep sheet starts with: whom it is for, the day, and the ids
        of its questions, which `saved_sheets` reads back so a later sheet asks something new."""
        from coffeechat.model.names import wikilink
        from coffeechat.store.notefile import emit_quoted, emit_scalar

        lines = [
            "---",
            f"person: {emit_scalar(wikilink(person.stem, person.name))}",
            f"company: {emit_scalar(person.company)}" if person.company else "",
            f"date: {day}",
            # Ids are opaque hex such as 91936e20, which YAML 1.2 reads as a number: always quoted.
            "questions: [" + ", ".join(emit_quoted(id_) for id_ in question_ids) + "]",
            "---",
            "",
        ]
        return "\n".join(line for line in lines if line) + "\n"

    def earlier_output(self, path: Path, max_bytes: int) -> bytes | None:
        """The bytes of a file the tool wrote before at `path` (the last invitation of a
        chat), or None when there is none, it is not a regular file, unreadable, or larger
        than `max_bytes`: what it tells is a help, never a need."""
        try:
            data = regular_bytes(path, max_bytes)
        except OSError:
            return None
        return data if len(data) <= max_bytes else None

    def kept_plan_files(self, max_bytes: int) -> dict[str, bytes]:
        """The bytes of each chat's kept plan in prep/plans/, by file stem (the person's note
        stem), in name order. A plan larger than `max_bytes` or unreadable is left out: a plan
        is fine to lose, the next `prep` picks new questions."""
        folder = self.layout.plans
        if not folder.is_dir():
            return {}
        found = {}
        for path in sorted(folder.glob("*.json")):
            try:
                data = regular_bytes(path, max_bytes)
            except OSError:  # not a regular file, or unreadable
                continue
            if len(data) <= max_bytes:
                found[path.stem] = data
        return found

    @staticmethod
    def read_markdown(
        path: Path, frontmatter_needed: bool = True
    ) -> tuple[dict[str, Any], dict[str, int], str, int]:
        """A Markdown file with frontmatter, such as a question bank (shipped, the vault's own,
        or one `questions --lint FILE` checks; hence no Store needed): its frontmatter values,
        the line of each key, its body, and the body's first line. With `frontmatter_needed`
        false a file that has none is all body. Raises OSError, UnicodeDecodeError or
        NoteError."""
        raw = regular_bytes(path)
        if not frontmatter_needed and not raw.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
            return {}, {}, raw.decode("utf-8"), 1
        note, front = read_note(path)
        first_line = note.text[: note.body_start].count("\n") + 1
        return front.values, front.key_lines, note.body, first_line


class _FileIndex:
    """The people folder's files by what names them (`_by_file`), for many look-ups, and
    the notes read from them by file."""

    def __init__(self, rels: list[str], people: list[Person]) -> None:
        self.notes = {person.file: person for person in people}
        self._exact: dict[str, list[str]] = {}
        self._folded: dict[str, list[str]] = {}
        for rel in rels:
            stem = rel[:-3]
            base = stem.rsplit("/", 1)[-1]
            for key in {stem, base}:
                self._exact.setdefault(key, []).append(rel)
            for key in {stem.casefold(), base.casefold()}:
                self._folded.setdefault(key, []).append(rel)

    def matches(self, wanted: str) -> tuple[list[str], list[str]]:
        """The files `wanted` names exactly, and those it names but for case."""
        exact = self._exact.get(wanted, [])
        folded = [rel for rel in self._folded.get(wanted.casefold(), []) if rel not in exact]
        return list(exact), folded


class _NameKeys:
    """People's names and aliases as they compare (`name_key`), worked out once for a
    search that may ask about many names."""

    def __init__(self, people: list[Person]) -> None:
        self.people = people
        self.names = [name_key(p.name) for p in people]
        self._aliases: list[tuple[str, ...]] | None = None
        self._named: dict[str, list[Person]] | None = None

    def named(self, wanted: str) -> list[Person]:
        if self._named is None:
            self._named = {}
            for person, key in zip(self.people, self.names, strict=True):
                self._named.setdefault(key, []).append(person)
        return list(self._named.get(wanted, []))

    def aliased(self, wanted: str) -> list[Person]:
        if self._aliases is None:
            self._aliases = [tuple(name_key(a) for a in p.aliases) for p in self.people]
        return [p for p, keys in zip(self.people, self._aliases, strict=True) if wanted in keys]

    def starting(self, wanted: str) -> list[Person]:
        return [
            p
            for p, key in zip(self.people, self.names, strict=True)
            if key.startswith(wanted) or any(word.startswith(wanted) for word in key.split())
        ]


def _may_name(path: Path, wanted: str) -> bool:
    """Whether a note's file name matches a query as a name would: `ravi`, `ravi shah` and
    `ravi-shah` all may name people/ravi-shah.md."""
    if not path.name.lower().endswith(".md"):
        return False
    words = name_key(path.name[:-3].replace("-", " ").replace("_", " "))
    wanted = wanted.replace("-", " ").replace("_", " ")
    return words.startswith(wanted) or any(word.startswith(wanted) for word in words.split())


def _describe(people: list[Person], folder: Path) -> str:
    return "; ".join(
        f"{p.name} ({label(p.company) or 'no company'}, "
        f"{Path(p.file).relative_to(folder).as_posix()[:-3]})"
        for p in people
    )


def _walk(
    folder: Path, real_root: str, copies: list[tuple[Path, CopyName]] | None = None
) -> Iterator[tuple[str, os.DirEntry[str]] | Problem]:
    """Every `.md` file under `folder` as (path within it, directory entry), without a Path
    per file: the walk of 10,000 notes is on every run's clock. Files come in the order the
    folder lists them; callers sort what they show. A sync tool's conflict copy of a note
    beside it is a second version of that note, not a note: it is left out (and added to
    `copies` when given)."""
    base = str(folder)
    if not os.path.isdir(base):
        return
    start = len(base) + 1
    pending = [base]
    while pending:
        current = pending.pop()
        entries = shown.listing(current)  # this run has looked at it already
        if entries is None:
            try:
                with os.scandir(current) as listing:
                    entries = list(listing)
            except OSError as error:
                yield Problem(Path(current), None, f"folder cannot be read: {error.strerror}")
                continue
        names = None
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
                continue
            if not name.lower().endswith(".md"):
                continue
            if name[-4] in COPY_ENDINGS and maybe_copy(name):
                names = names if names is not None else {e.name for e in entries}
                copy = copy_name(name, names)
                if copy is not None:
                    if copies is not None:
                        copies.append((Path(entry.path), copy))
                    continue
            if entry.is_symlink():
                problem = _outside(entry.path, real_root)
                if problem:
                    yield problem
                    continue
                if os.path.isdir(entry.path):
                    continue
            yield entry.path[start:], entry


def _outside(path: str, real_root: str) -> Problem | None:
    try:
        target = os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        return Problem(Path(path), None, "is a broken link or a link loop; skipped")
    if os.path.commonpath([target, real_root]) != real_root:
        return Problem(Path(path), None, "links to a file outside the vault; skipped")
    return None


def _load_folder(store: Store, folder: Path, kind: str, index: Any) -> Loaded[Any]:
    """Every note under `folder`: from the index when no file changed, else the unchanged
    ones from the index (its snapshot, and the notes stored one by one since) and the others
    read and parsed, then stored one by one (or the snapshot written anew, when the changes
    have grown to a twentieth of the folder). Which files changed is told by watchman when it
    runs (store/watch.py), else by looking at every file."""
    from coffeechat.store import watch

    watcher = None
    if index is not None and os.path.isdir(folder):
        watcher = watch.watch(folder, store.config.watchman)
    try:
        return _load_watched(store, folder, kind, index, watcher)
    finally:
        if watcher is not None:
            watcher.close()


def _load_watched(store: Store, folder: Path, kind: str, index: Any, watcher: Any) -> Loaded[Any]:
    from coffeechat.store.cache import CHANGES_KEPT, Snapshot, WatchClock, fresh_entry, now_ns

    base = str(folder) + os.sep
    key = folder.relative_to(store.root).as_posix()
    snapshot = index.snapshot(key, kind, base) if index else Snapshot(kind, base, None)
    changes = index.changes(key, kind, base) if index else {}
    kept_clock = index.clock(key) if watcher is not None else None
    told = _by_watchman(watcher, kept_clock, base, snapshot, changes) if kept_clock else None
    clock: str | None
    if told is not None:
        clock, same, changed, to_read, problems = told
        walked, clean = False, not problems
    else:
        clock = watcher.clock() if watcher is not None else None
        same, changed, to_read, problems, clean = _by_walk(
            store, folder, base, snapshot, changes, clock is not None
        )
        walked = True
    decoded = snapshot.decode() if same else ([], [])
    if not to_read and not changed and len(same) == len(snapshot.rels) and decoded is not None:
        notes, unreadable = decoded
        if walked and watcher is not None:
            found = None
            if clean and clock is not None and snapshot.checksum is not None:
                found = WatchClock(clock, watcher.where, snapshot.checksum, frozenset(changes))
            if found is not None or kept_clock is not None:
                index.keep_clock(key, found)
        for note in notes:
            problems.extend(note.problems)
        return Loaded(notes, _in_order(problems + unreadable))
    # Something changed: keep what did not, read the rest, store what was read.
    if decoded is None:  # the stored values cannot be trusted: read those notes too
        to_read += [(snapshot.rels[at], snapshot.stat_at(at)) for at in same]
        same, decoded = [], ([], [])
    extra: list[Any] = []
    for one in changed:
        found_one = one.decode()
        if found_one is None:
            mtime, ctime, size, inode = one.stats
            to_read.append((one.rels[0], (mtime, ctime, size, inode)))
        else:
            extra += one.kept([0], *found_one)
    build = person_from if kind == "person" else company_from
    zone: tzinfo = store.config.zone
    fresh = []
    for rel, stat in to_read:
        file = base + rel  # no Path per note: 10,000 of them cost a first run 40 ms
        read_at = now_ns()
        try:
            text, front = read_note(file)
            found_note: Any = build(file, front, zone, text)
            found_note = _with_markers(found_note, text.text)
        except NoteError as error:
            found_note = _markers_problem(Path(file)) or error.problem
        fresh.append(fresh_entry(rel, stat, read_at, found_note))
    extra += fresh
    kept = set(same)
    gone = [at for at in range(len(snapshot.rels)) if at not in kept]
    # What the index would hold beside the snapshot, and what the snapshot holds in vain.
    apart = len(changes.keys() | {rel for rel, _ in to_read})
    limit = max(CHANGES_KEPT, len(snapshot.rels) // 20)
    if index is not None and (not snapshot.rels or apart > limit or len(gone) > limit):
        entries = snapshot.kept(same, *decoded)
        entries += extra
        entries.sort()
        checksum = index.save(key, kind, entries)
        notes = [entry.note for entry in entries if entry.note is not None]
        gone_then: set[str] = set()
    else:
        saved = index.save_changes(key, kind, fresh) if index is not None else False
        checksum = snapshot.checksum if saved else None
        notes = _merged(snapshot, decoded[0], set(gone), extra)
        broken = [at for at in range(snapshot.readable, len(snapshot.rels)) if at not in gone]
        entries = extra + snapshot.kept(broken, *decoded)
        there = {one.rels[0] for one in changed} | {rel for rel, _ in to_read}
        gone_then = ({snapshot.rels[at] for at in gone} | changes.keys()) - there
    if watcher is not None and (walked or fresh):
        # Watchman's clock from before the files were looked at, kept with the notes stored
        # now: the next run asks what changed since.
        if clean and clock is not None and checksum is not None:
            found = WatchClock(clock, watcher.where, checksum, frozenset(gone_then))
            index.keep_clock(key, found)
        elif walked and kept_clock is not None:
            index.keep_clock(key, None)
    for note in notes:
        problems.extend(note.problems)
    problems += [entry.problem for entry in entries if entry.problem is not None]
    return Loaded(notes, _in_order(problems))


def _by_walk(
    store: Store,
    folder: Path,
    base: str,
    snapshot: Any,
    changes: dict[str, Any],
    check: bool,
) -> tuple[list[int], list[Any], list[tuple[str, tuple[int, int, int, int]]], list[Problem], bool]:
    """Every file's stat looked at: the snapshot's places of the files unchanged since, the
    notes stored one by one that still hold, the files to read, the problems; and (when
    `check`) whether watchman could tell the next run what changes: no problem, no link and
    no name a sync tool's copy could have."""
    positions = snapshot.positions()
    same: list[int] = []  # the places in the snapshot of the files unchanged since
    changed: list[Any] = []
    to_read: list[tuple[str, tuple[int, int, int, int]]] = []
    problems: list[Problem] = []
    copies: list[tuple[Path, CopyName]] = []
    odd = False  # a link, or a name that could be a sync tool's copy
    for found in _walk(folder, str(store.root.resolve()), copies if check else None):
        if isinstance(found, Problem):
            problems.append(found)
            continue
        rel, dirent = found
        if check and (dirent.is_symlink() or maybe_copy(dirent.name)):
            odd = True
        try:
            st = dirent.stat()
        except OSError as error:
            problems.append(Problem(Path(base + rel), None, f"cannot be read: {error.strerror}"))
            continue
        at = positions.get(rel)
        if at is not None and snapshot.unchanged(at, st):
            same.append(at)
            continue
        stat = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        if rel in changes and tuple(changes[rel].stats) == stat:
            changed.append(changes[rel])
        else:
            to_read.append((rel, stat))
    clean = check and not odd and not copies and not problems
    if clean and changes:
        # A note stored on its own whose file is back to its snapshot's stat: rare enough
        # to leave to the walk.
        kept = set(same)
        clean = not any(positions.get(rel, -1) in kept for rel in changes)
    return same, changed, to_read, problems, clean


def _by_watchman(
    watcher: Any, kept: Any, base: str, snapshot: Any, changes: dict[str, Any]
) -> (
    tuple[
        str,
        list[int],
        list[Any],
        list[tuple[str, tuple[int, int, int, int]]],
        list[Problem],
    ]
    | None
):
    """What `_by_walk` finds, told by watchman: the files changed since the clock kept with
    the stored notes are looked at, and the ones stored too close to an edit to be trusted;
    the others are as they were. None when the folder must be walked instead: the clock is
    not about these stored notes, or watchman's answer may be incomplete, or a change is one
    the walk treats apart (a link, a folder come or gone, a name a sync tool's copy could
    have, anything but a file)."""
    if kept.where != watcher.where or kept.snapshot != snapshot.checksum:
        return None
    told = watcher.since(kept.clock)
    if told is None:
        return None
    clock, reported = told
    touched: dict[str, bool] = {}  # the changed notes' files, and whether each is there
    for change in reported:
        rel = change.rel
        if rel[:1] == "." or "/." in rel:
            continue  # hidden, as the walk skips them
        if change.kind == "d":
            if change.new or not change.exists:
                return None
            continue
        name = rel.rsplit("/", 1)[-1]
        if not name.lower().endswith(".md"):
            continue
        if change.kind != "f" or maybe_copy(name):
            return None
        touched[rel] = change.exists
    gone = kept.gone
    to_stat = [rel for rel, there in touched.items() if there]
    changed: list[Any] = []
    for rel, one in changes.items():
        if rel in gone or rel in touched:
            continue
        if one.stats[0] == -1:  # read too close to an edit: looked at again
            to_stat.append(rel)
        else:
            changed.append(one)
    rels, mtimes = snapshot.rels, snapshot.stats[0::4]
    skip = gone | changes.keys() | touched.keys()
    racy = [at for at, mtime in enumerate(mtimes) if mtime == -1] if -1 in mtimes else []
    positions: dict[str, int] = snapshot.positions() if skip or racy else {}
    left_out = {positions[rel] for rel in skip if rel in positions}
    to_stat += [rels[at] for at in racy if at not in left_out]  # read too close to an edit
    left_out.update(racy)
    if len(left_out) > 64:
        same = [at for at in range(len(rels)) if at not in left_out]
    else:
        same = list(range(len(rels)))
        for at in sorted(left_out, reverse=True):
            del same[at]
    to_read: list[tuple[str, tuple[int, int, int, int]]] = []
    problems: list[Problem] = []
    for rel in to_stat:
        try:
            st = os.stat(base + rel)
        except FileNotFoundError:
            continue  # gone since watchman answered: the next answer says so
        except OSError as error:
            problems.append(Problem(Path(base + rel), None, f"cannot be read: {error.strerror}"))
            continue
        place = positions.get(rel)
        if place is not None and snapshot.unchanged(place, st):
            same.append(place)
            continue
        stat = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        if rel in changes and tuple(changes[rel].stats) == stat:
            changed.append(changes[rel])
        else:
            to_read.append((rel, stat))
    return clock, same, changed, to_read, problems


def _merged(snapshot: Any, stored: list[Any], gone: set[int], extra: list[Any]) -> list[Any]:
    """The snapshot's readable notes still there, with the `extra` entries' notes put in
    their places in display order (by sort key, file name, path, as entries sort)."""
    readable = snapshot.readable
    rels, sortkeys = snapshot.rels, snapshot.sortkeys
    positions = [at for at in range(readable) if at not in gone] if gone else range(readable)

    def order(at: int) -> tuple[str, str, str]:
        rel = rels[at]
        return sortkeys[at], rel.rsplit("/", 1)[-1][:-3], rel

    notes = [stored[at] for at in positions] if gone else list(stored)
    added = sorted(entry for entry in extra if entry.note is not None)
    for entry in reversed(added):
        place = bisect.bisect_right(positions, (entry.sortkey, entry.stem, entry.rel), key=order)
        notes.insert(place, entry.note)
    return notes


MARKERS = "git conflict markers"


def _markers_problem(path: Path, text: str | None = None) -> Problem | None:
    """A note with git's conflict markers in it, at the first one's line; None without."""
    from coffeechat.store.merge import marker_line

    if text is None:
        try:
            text = regular_bytes(path).decode("utf-8", "replace")
        except OSError:
            return None
    if "<<<<<<<" not in text:
        return None
    line = marker_line(text)
    if line is None:
        return None
    return Problem(
        path,
        line,
        f"{MARKERS} (<<<<<<< … >>>>>>>) — merge them with `coffeechat merge {path.stem}`",
    )


def _with_markers(note: N, text: str) -> N:
    if "<<<<<<<" not in text:
        return note
    problem = _markers_problem(note.path, text)
    return note._replace(problems=(*note.problems, problem)) if problem else note


def _in_order(problems: list[Problem]) -> list[Problem]:
    """Problems by file and line, whatever order the folders were listed in."""
    return sorted(problems, key=lambda p: (str(p.path), p.line or 0))


# --- opening and making a vault -----------------------------------------------------------------


def find_vault_root(explicit: Path | None, start: Path) -> Path:
    """`--vault`/`COFFEECHAT_VAULT` if given, else the nearest folder up holding the config."""
    if explicit is not None:
        if not (explicit / CONFIG_NAME).is_file():
            raise VaultNotFound(
                f"{explicit}: no {CONFIG_NAME} there; "
                f"run `coffeechat init {explicit}` to make it a vault"
            )
        return explicit
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise VaultNotFound(
        f"no vault here: no {CONFIG_NAME} in {start} or above; run `coffeechat init` to make "
        "one, or pass --vault DIR"
    )


def open_store(root: Path, use_cache: bool = True) -> Store:
    path = root / CONFIG_NAME
    try:
        raw = regular_bytes(path)
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror}") from None
    config, warnings = load_config(path, raw)
    return Store(root=root, config=config, warnings=tuple(warnings), use_cache=use_cache)


@dataclass(frozen=True)
class InitResult:
    root: Path
    config: Path
    created: tuple[Path, ...]


def init_vault(folder: Path, your_name: str, timezone: str | None) -> InitResult:
    """Make `folder` a vault; on an existing vault, change nothing."""
    config_path = folder / CONFIG_NAME
    if config_path.exists():
        return InitResult(folder, config_path, ())
    zone = timezone or machine_zone()
    reason = SETTING_NAMES["timezone"].check(zone)  # type: ignore[misc]
    if reason:
        import shlex

        from coffeechat.when.zones import guess_zone

        # A place for a zone ("Chicago"): the zone `coffeechat zone` finds for it.
        guess = guess_zone(zone)
        asked = f"`coffeechat zone {shlex.quote(zone)}`"
        one = all(other.endswith(f"({guess.zone})") for other in guess.alternatives)
        if guess.zone and (not guess.ambiguous or guess.same_time or one):
            reason = (
                f"is a place, not an IANA time zone: {asked} finds {guess.zone} "
                f"({guess.matched}); use --timezone {guess.zone}"
            )
        elif guess.zone:
            reason = f"is a place, not an IANA time zone: {asked} lists the zones it may mean"
        raise UsageError(f"--timezone `{zone}` {reason}")
    created: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    files.create_file(config_path, config_text({"name": your_name, "timezone": zone}).encode())
    created.append(config_path)
    layout = Layout.of(folder, Config())
    for path in (layout.people, layout.companies):
        if not path.is_dir():
            path.mkdir()
            created.append(path)
    ignore = folder / ".gitignore"
    line = f"{layout.state.name}/"
    if not ignore.exists():
        files.create_file(ignore, f"{line}\n".encode())
        created.append(ignore)
    else:
        old = ignore.read_bytes()
        if line.encode() not in old.splitlines():
            separator = b"" if not old or old.endswith(b"\n") else b"\n"
            files.replace_file(ignore, old + separator + f"{line}\n".encode(), old)
            created.append(ignore)
    return InitResult(folder, config_path, tuple(created))
