"""How names compare: people and schools ignoring case, accents and spacing; companies also
ignoring a legal suffix; and which note a value names, as plain text or as an Obsidian link
(`[[lumen-pay]]`, `[[lumen-pay|Lumen Pay]]`)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Generic, NamedTuple, TypeVar

from coffeechat.model.config import Config
from coffeechat.model.note import Company, Person

N = TypeVar("N", Person, Company)


def fold_accents(text: str) -> str:
    """`José Núñez` -> `Jose Nunez`, `Łukasz` -> `Lukasz`, `Weiß` -> `Weiss`, other scripts
    transliterated (`Дмитрий` -> `Dmitrii`): for file names and accent-blind name matching.
    NFKD alone drops letters it cannot split (Ł, Ø, ß, Đ), so anyascii does the rest; only
    letters are transliterated (an emoji stays as it is and sorts after names)."""
    if text.isascii():
        return text
    from anyascii import anyascii

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        c if c.isascii() or not unicodedata.category(c).startswith("L") else anyascii(c)
        for c in decomposed
        if not unicodedata.combining(c)
    )


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


class Link(NamedTuple):
    """An Obsidian link written as a value: `[[target#heading|label]]`."""

    target: str  # the note's file name (or vault path) without `.md`
    label: str  # what Obsidian shows: the text after `|`, else the target


# `[[target]]`, `[[target|label]]`, `[[target#heading]]`, `[[folder/target.md|label]]`; an
# embed (`![[…]]`) names a note too.
_LINK = re.compile(r"!?\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")


def parse_link(text: str) -> Link | None:
    """The link when the whole value is one Obsidian link, else None (plain text)."""
    match = _LINK.fullmatch(text.strip())
    if not match or not match.group(1).strip():
        return None
    target = match.group(1).strip()
    target = target[:-3] if target.lower().endswith(".md") else target
    label = (match.group(2) or "").strip()
    return Link(target, label or target.rsplit("/", 1)[-1])


def wikilink(target: str, shown: str = "") -> str:
    """`[[target|shown]]`, or `[[target]]` when `shown` adds nothing or would break the link."""
    if not shown or shown == target or re.search(r"[\[\]|#^\n]", shown):
        return f"[[{target}]]"
    return f"[[{target}|{shown}]]"


def label(text: str) -> str:
    """A value that names a note, as a person reads it: `[[lumen-pay|Lumen Pay]]` is Lumen Pay,
    `[[lumen-pay]]` is lumen-pay, and plain text is itself."""
    link = parse_link(text)
    return link.label if link else text


class NoteIndex(Generic[N]):
    """Finds the note a value names: the one place a `company:` (or any key that names a
    person or a company) is turned into a note.

    A link (`[[lumen-pay]]`, `[[companies/lumen-pay|Lumen Pay]]`) names a file as Obsidian
    resolves it: by its file name, any case, or by its path in the vault. A link whose target
    is no file name, and plain text (`Lumen Pay`), name a note by its `name:` or one of its
    `aliases:`, compared with `key` (name_key; company_key for companies). A value that more
    than one note answers to names none.
    """

    def __init__(self, notes: Iterable[N], key: Callable[[str], str] = name_key) -> None:
        self._key: Callable[[str], str] = key
        self._by_stem: dict[str, list[N]] = {}
        self._by_name: dict[str, list[N]] = {}
        self._found: dict[str, N | None] = {}  # what `find` answered, by value
        note: N
        for note in notes:
            self._by_stem.setdefault(_stem(note).casefold(), []).append(note)
            names = {key(note.name), *(key(alias) for alias in note.aliases)}
            for name in names:
                if name:
                    self._by_name.setdefault(name, []).append(note)

    def find(self, text: str) -> N | None:
        """The note `text` names, or None when none (or several) does. Many notes name the
        same few companies: each value is looked up once."""
        try:
            return self._found[text]
        except KeyError:
            found = self._found[text] = self._find(text)
            return found

    def _find(self, text: str) -> N | None:
        if not text.strip():
            return None
        link = parse_link(text)
        if link:
            found = self._by_stem.get(link.target.rsplit("/", 1)[-1].casefold(), [])
            if "/" in link.target:
                wanted = "/" + link.target.casefold().lstrip("/")
                found = [n for n in found if _path(n).casefold().endswith(wanted)]
            if found:
                return found[0] if len(found) == 1 else None
            text = link.target
        found = self._by_name.get(self._key(text), [])
        return found[0] if len(found) == 1 else None

    def group(self, text: str) -> str:
        """What values naming the same note share: the note's file when one is named, else
        the value compared as a name (two people at a company with no note still group)."""
        note = self.find(text)
        return note.file if note else self._key(label(text))

    def shown(self, text: str) -> str:
        """The value as a person reads it: the named note's `name:`, else its label."""
        note = self.find(text)
        return note.name if note else label(text)


def _path(note: Person | Company) -> str:
    """The note's path without `.md`, with forward slashes."""
    return note.file.replace("\\", "/")[:-3]


def _stem(note: Person | Company) -> str:
    return _path(note).rsplit("/", 1)[-1]


def resolve(text: str, notes: Iterable[N], key: Callable[[str], str] = name_key) -> N | None:
    """The note among `notes` that `text` names (see NoteIndex); build a NoteIndex instead
    when looking up many values."""
    return NoteIndex(notes, key).find(text)


@functools.lru_cache(maxsize=8192)
def company_key(name: str) -> str:
    """Company names compare like names, and without a legal suffix: "Stripe, Inc." = "Stripe".
    A link compares by what it shows: `[[lumen-pay|Lumen Pay]]` = "Lumen Pay"."""
    key = name_key(label(name))
    while (shorter := _LEGAL_SUFFIX.sub("", key)) != key:
        key = shorter
    return key


def company_index(companies: Iterable[Company]) -> NoteIndex[Company]:
    return NoteIndex(companies, company_key)


def company_of(person: Person, companies: Iterable[Company]) -> Company | None:
    """The company note a person's `company:` names, when exactly one matches."""
    return company_index(companies).find(person.company) if person.company else None
