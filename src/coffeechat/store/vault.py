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
import difflib
import os
from collections.abc import Callable, Iterator
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
    WriteRefused,
)
from coffeechat.core.limits import regular_bytes
from coffeechat.model.config import (
    CONFIG_NAME,
    SETTING_NAMES,
    Config,
    config_text,
    load_config,
    machine_zone,
)
from coffeechat.model.names import label, name_key, parse_link
from coffeechat.model.note import Change, Company, Person
from coffeechat.store import files, writes
from coffeechat.store.layout import Layout
from coffeechat.store.notefile import company_from, person_from, read_note
from coffeechat.store.together import Together

Undo = Callable[[], None]
N = TypeVar("N", Person, Company)


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

    def person(self, query: str, everyone: Callable[[], list[Person]] | None = None) -> Person:
        """The one person `query` names: an exact file name, a path inside the people
        folder, a full name (any case, accents optional), a unique part of one, or one close
        match. Exact matches win over case-folded ones; a tie lists the candidates.
        `everyone` (default: every readable note) supplies the people to search by name.
        An Obsidian link (`[[priya-raman|Priya]]`) names the note it links to."""
        link = parse_link(query)
        query = link.target if link else query
        wanted = name_key(query)
        if not wanted:
            raise PersonNotFound("no name given; pass a person's name or note file name")
        by_file = self._by_file(query)
        if by_file is not None:
            return by_file
        loaded = self.people()
        people = everyone() if everyone else loaded.notes
        exact = [p for p in people if p.name == " ".join(query.split())]
        if not exact:
            exact = [p for p in people if name_key(p.name) == wanted]
        if not exact:
            exact = [p for p in people if any(name_key(a) == wanted for a in p.aliases)]
        if not exact:
            exact = [
                p
                for p in people
                if name_key(p.name).startswith(wanted)
                or any(word.startswith(wanted) for word in name_key(p.name).split())
            ]
        if not exact:
            by_key = {name_key(p.name): p for p in people}
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

    def _by_file(self, query: str) -> Person | None:
        """The person whose note file `query` names, read without loading everyone: an exact
        name first, then one that differs only in case; two such is ambiguous."""
        wanted = query.removesuffix(".md").replace(os.sep, "/")
        if not wanted or wanted.startswith(("/", ".")) or "/." in wanted:
            return None
        exact: list[str] = []
        folded: list[str] = []
        for item in _walk(self.layout.people, str(self.root.resolve())):
            if isinstance(item, Problem):
                continue
            rel = item[0]
            stem = rel[:-3]
            base = stem.rsplit("/", 1)[-1]
            if wanted in (stem, base):
                exact.append(rel)
            elif wanted.casefold() in (stem.casefold(), base.casefold()):
                folded.append(rel)
        found = sorted(exact or folded)
        if not found:
            return None
        if len(found) > 1:
            raise AmbiguousName(
                f"`{query}` names {len(found)} notes: "
                + ", ".join(f"{self.layout.people.name}/{rel}" for rel in found)
                + "; pass the one you mean as it is written, with its folder"
            )
        return self._read_person(self.layout.people / found[0])

    def read_person(self, path: Path) -> Person:
        """A person note read from disk now, whatever was read before (after an edit)."""
        _, front = read_note(path)
        return person_from(path, front, self.config.zone)

    def _read_person(self, path: Path) -> Person:
        """One person note: from the people already loaded this run, else from disk (one
        small file reads faster than the index of a big vault decodes)."""
        if self._people is not None:
            for person in self._people.notes:
                if person.file == str(path):
                    return person
        return self.read_person(path)

    def body(self, note: Person | Company) -> str:
        """The note's Markdown after the frontmatter, as it is on disk now."""
        text, _ = read_note(note.path)
        return text.body

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

    def mark(self, person: Person, milestone: str, when: str | None, now: datetime) -> Change:
        return self._changed(writes.mark_milestone(person, milestone, when, now, self.config.zone))

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

    def save_draft(self, person: Person, kind: str, text: str, day: date) -> Change:
        return self._changed(writes.append_draft(person, kind, text, day))

    def add_person(self, values: dict[str, Any], now: datetime) -> Change:
        return self._changed(
            writes.add_person(self.people_dir, self.people().notes, values, now, self.config.zone)
        )

    def add_company(self, name: str, values: dict[str, Any]) -> Change:
        return self._changed(
            writes.add_company(self.companies_dir, self.companies().notes, name, values)
        )

    def add_imported(self, values: dict[str, Any], source: str, day: date) -> Path:
        path = writes.create_imported(self.people_dir, values, source, day)
        self.forget()
        return path

    def leftovers(self) -> list[Problem]:
        """What a write left beside the notes read this run: a killed run's temporary file
        (the walk skips it, so only this shows it), or coffeechat's version after a clash with
        an editor's save."""
        folders = {self.people_dir, self.companies_dir}
        folders |= {note.path.parent for note in self.people().notes}
        folders |= {note.path.parent for note in self.companies().notes}
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


def _walk(folder: Path, real_root: str) -> Iterator[tuple[str, os.DirEntry[str]] | Problem]:
    """Every `.md` file under `folder` as (path within it, directory entry), without a Path
    per file: the walk of 10,000 notes is on every run's clock. Files come in the order the
    folder lists them; callers sort what they show."""
    base = str(folder)
    if not os.path.isdir(base):
        return
    start = len(base) + 1
    pending = [base]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as error:
            yield Problem(Path(current), None, f"folder cannot be read: {error.strerror}")
            continue
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
                continue
            if not name.lower().endswith(".md"):
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
    have grown to a twentieth of the folder)."""
    from coffeechat.store.cache import CHANGES_KEPT, Snapshot, fresh_entry, now_ns

    base = str(folder) + os.sep
    key = folder.relative_to(store.root).as_posix()
    snapshot = index.snapshot(key, kind, base) if index else Snapshot(kind, base, None)
    changes = index.changes(key, kind, base) if index else {}
    positions = snapshot.positions()
    same: list[int] = []  # the places in the snapshot of the files unchanged since
    changed: list[Snapshot] = []
    to_read: list[tuple[str, tuple[int, int, int, int]]] = []
    problems: list[Problem] = []
    for found in _walk(folder, str(store.root.resolve())):
        if isinstance(found, Problem):
            problems.append(found)
            continue
        rel, dirent = found
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
    decoded = snapshot.decode() if same else ([], [])
    if not to_read and not changed and len(same) == len(snapshot.rels) and decoded is not None:
        notes, unreadable = decoded
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
        path = Path(base + rel)
        read_at = now_ns()
        try:
            _, front = read_note(path)
            found_note: Any = build(path, front, zone)
        except NoteError as error:
            found_note = error.problem
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
        index.save(key, kind, entries)
        notes = [entry.note for entry in entries if entry.note is not None]
    else:
        if index is not None:
            index.save_changes(key, kind, fresh)
        notes = _merged(snapshot, decoded[0], set(gone), extra)
        broken = [at for at in range(snapshot.readable, len(snapshot.rels)) if at not in gone]
        entries = extra + snapshot.kept(broken, *decoded)
    for note in notes:
        problems.extend(note.problems)
    problems += [entry.problem for entry in entries if entry.problem is not None]
    return Loaded(notes, _in_order(problems))


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
