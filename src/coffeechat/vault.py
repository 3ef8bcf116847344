"""The vault: a folder with `coffeechat.toml`, person notes and company notes.

Only Markdown under the people and companies folders is read, so a vault can live inside an
existing Obsidian vault. Hidden folders (`.obsidian`, `.trash`, the cache) are skipped, and
folder links are not followed, so a link loop cannot trap a walk.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any, TypeVar, cast

from coffeechat.config import (
    CONFIG_NAME,
    SETTING_NAMES,
    Config,
    config_text,
    load_config,
    machine_zone,
)
from coffeechat.errors import (
    AmbiguousName,
    NoteError,
    PersonNotFound,
    Problem,
    UsageError,
    VaultNotFound,
)
from coffeechat.files import create_file, fold_accents, replace_file
from coffeechat.note import Company, Person, company_from, person_from
from coffeechat.notefile import Frontmatter, read_note

T = TypeVar("T", Person, Company)

CACHE_DIR = ".coffeechat"


@dataclass(frozen=True)
class Vault:
    root: Path
    config: Config
    warnings: tuple[str, ...] = ()
    use_cache: bool = True

    @property
    def people_dir(self) -> Path:
        return self.root / self.config.people_dir

    @property
    def companies_dir(self) -> Path:
        return self.root / self.config.companies_dir


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


def open_vault(root: Path, use_cache: bool = True) -> Vault:
    config, warnings = load_config(root / CONFIG_NAME)
    return Vault(root=root, config=config, warnings=tuple(warnings), use_cache=use_cache)


def note_paths(vault: Vault, folder: Path) -> Iterator[Path | Problem]:
    """Every `.md` file under `folder`, or a Problem for a link that leaves the vault."""
    for item in _note_entries(vault, folder):
        yield item if isinstance(item, Problem) else item[0]


def _note_entries(vault: Vault, folder: Path) -> Iterator[tuple[Path, os.DirEntry[str]] | Problem]:
    """`note_paths` with each file's directory entry, whose stat is cheaper than a path's."""
    if not folder.is_dir():
        return
    real_root = vault.root.resolve()
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as error:
            yield Problem(Path(current), None, f"folder cannot be read: {error.strerror}")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                pending.append(path)
                continue
            if not entry.name.lower().endswith(".md"):
                continue
            if entry.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    yield Problem(path, None, "is a broken link or a link loop; skipped")
                    continue
                if not target.is_relative_to(real_root):
                    yield Problem(path, None, "links to a file outside the vault; skipped")
                    continue
            yield path, entry


def _load_notes(
    vault: Vault,
    folder: Path,
    kind: type[T],
    build: Callable[[Path, Frontmatter, tzinfo], T],
) -> tuple[list[T], list[Problem]]:
    """Every note under `folder`: from the index cache where the file is unchanged, else
    read and parsed (and the cache updated)."""
    from coffeechat import cache

    index = None
    if vault.use_cache:
        index = cache.NoteCache(cache.default_location(vault.root), vault.config.timezone)
    name = folder.relative_to(vault.root).as_posix()
    rows = index.folder(name) if index else {}
    kept: dict[str, list[Any]] = {}
    changed = False
    notes: list[T] = []
    problems: list[Problem] = []
    start = len(str(folder)) + 1
    for found in _note_entries(vault, folder):
        if isinstance(found, Problem):
            problems.append(found)
            continue
        item, entry = found
        relative = str(item)[start:].replace(os.sep, "/")  # within `folder`
        read_at = cache.now_ns()
        try:
            stat = entry.stat()
        except OSError as error:
            problems.append(Problem(item, None, f"cannot be read: {error.strerror}"))
            continue
        row = rows.get(relative)
        cached = None
        if row is not None and cache.row_matches(row, stat):
            cached = cache.from_row(kind, item, row)
        if cached is not None and row is not None:
            kept[relative] = row
            if isinstance(cached, Problem):
                problems.append(cached)
                continue
            note = cast(T, cached)
        else:
            changed = True
            try:
                _, front = read_note(item)
                note = build(item, front, vault.config.zone)
            except NoteError as error:
                problems.append(error.problem)
                kept[relative] = cache.row_for(stat, read_at, cache.problem_payload(error.problem))
                continue
            kept[relative] = cache.row_for(stat, read_at, cache.dump_note(note))
        notes.append(note)
        problems.extend(note.problems)
    if index:
        if changed or len(kept) != len(rows):
            index.save_folder(name, kept)
        index.close()
    return notes, problems


def load_people(vault: Vault) -> tuple[list[Person], list[Problem]]:
    people, problems = _load_notes(vault, vault.people_dir, Person, person_from)
    people.sort(key=lambda person: (name_key(person.name), person.path.stem))
    return people, problems


def load_companies(vault: Vault) -> tuple[list[Company], list[Problem]]:
    companies, problems = _load_notes(vault, vault.companies_dir, Company, company_from)
    companies.sort(key=lambda company: name_key(company.name))
    return companies, problems


def name_key(text: str) -> str:
    """Names compare ignoring case, accents and extra spaces."""
    return " ".join(fold_accents(text).casefold().split())


def same_school(person: Person, config: Config) -> bool:
    """Whether the person went to the user's school (`school` in coffeechat.toml)."""
    return bool(person.school and config.school) and (
        name_key(person.school) == name_key(config.school)
    )


_LEGAL_SUFFIX = re.compile(
    r"[,.]?\s+(inc|incorporated|llc|ltd|limited|gmbh|ag|plc|corp|corporation|co|sa|bv|pty)\.?$"
)


def company_key(name: str) -> str:
    """Company names compare like names, and without a legal suffix: "Stripe, Inc." = "Stripe"."""
    key = name_key(name)
    while (shorter := _LEGAL_SUFFIX.sub("", key)) != key:
        key = shorter
    return key


def company_of(person: Person, companies: list[Company]) -> Company | None:
    """The company note a person links to by name, when exactly one matches."""
    if not person.company:
        return None
    matches = [c for c in companies if company_key(c.name) == company_key(person.company)]
    return matches[0] if len(matches) == 1 else None


def _describe(people: list[Person]) -> str:
    return "; ".join(f"{p.name} ({p.company or 'no company'}, {p.path.stem})" for p in people)


def find_person(
    vault: Vault, query: str, everyone: Callable[[], list[Person]] | None = None
) -> Person:
    """The one person `query` names: file stem, exact name, unique prefix, or close match.
    A file name is found without reading the rest of the vault; otherwise `everyone`
    (default: load_people) supplies the people to search."""
    wanted = name_key(query)
    if not wanted:
        raise PersonNotFound("no name given; pass a person's name or note file name")
    zone = vault.config.zone
    stem = query.casefold().removesuffix(".md")
    for item in note_paths(vault, vault.people_dir):
        if isinstance(item, Path) and item.stem.casefold() == stem:
            _, front = read_note(item)
            return person_from(item, front, zone)
    people = everyone() if everyone else load_people(vault)[0]
    exact = [p for p in people if name_key(p.name) == wanted]
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
        hint = f"; did you mean {', '.join(by_key[n].name for n in nearest)}?" if nearest else ""
        raise PersonNotFound(
            f"no person matches `{query}`{hint} (`coffeechat list` shows everyone)"
        )
    if len(exact) > 1:
        raise AmbiguousName(
            f"`{query}` matches {len(exact)} people: {_describe(exact)}; "
            "use more of the name, or the file name"
        )
    return exact[0]


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
    create_file(config_path, config_text({"name": your_name, "timezone": zone}).encode())
    created.append(config_path)
    defaults = Config()
    for name in (defaults.people_dir, defaults.companies_dir):
        if not (folder / name).is_dir():
            (folder / name).mkdir()
            created.append(folder / name)
    ignore = folder / ".gitignore"
    line = f"{CACHE_DIR}/"
    if not ignore.exists():
        create_file(ignore, f"{line}\n".encode())
        created.append(ignore)
    else:
        old = ignore.read_bytes()
        if line.encode() not in old.splitlines():
            separator = b"" if not old or old.endswith(b"\n") else b"\n"
            replace_file(ignore, old + separator + f"{line}\n".encode(), old)
            created.append(ignore)
    return InitResult(folder, config_path, tuple(created))
