"""The names sync tools give the second version of a note when two devices changed it at once.

Each tool is one entry of `PATTERNS`: its name, the pattern of a copy's file name (without
`.md`) whose `original` group is the note's own name, and an example. A file is a conflict copy
only when its name fits a pattern **and** the original note is beside it in the same folder;
the vault walk then leaves it out (it is a second version of a note, not a second person), and
`doctor` and `merge` name it with its original. A name that fits a pattern with no original
beside it is an ordinary note (perhaps the only version left), which `doctor` points out.

OneDrive's pattern (`NAME-DEVICE.md`) looks like an ordinary hyphenated name, so it asks for
more: the part after the last hyphens must read as a Windows computer name — 1 to 15 capital
letters, digits and hyphens with at least one letter (`DESKTOP-1A2B3C4`, `LAPTOP7`). coffeechat
writes every file name in lower case, so none of its own names can fit.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from coffeechat.core.patterns import lazy


@dataclass(frozen=True)
class Pattern:
    tool: str
    pattern: re.Pattern[str]
    example: str


PATTERNS = (
    Pattern(
        "Syncthing",
        lazy(r"(?P<original>.+)\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}"),
        "priya.sync-conflict-20261201-101500-ABCDEF7.md",
    ),
    Pattern(
        "Obsidian Sync",
        lazy(r"(?P<original>.+) \(Conflicted copy .+ \d{12}\)"),
        "priya (Conflicted copy Pixel-8 202612011015).md",
    ),
    Pattern(
        "Obsidian Sync (as its help once described)",
        lazy(r"(?P<original>.+)\.sync-conflict-\d{8}-\d{6}"),
        "priya.sync-conflict-20261201-101500.md",
    ),
    Pattern(
        "Dropbox",
        lazy(
            r"(?P<original>.+) \((?:.+['\u2019]s )?conflicted copy \d{4}-\d{2}-\d{2}(?: \(\d+\))?\)"
        ),
        "priya (Sam's MacBook's conflicted copy 2026-12-01).md",
    ),
    Pattern(
        "Dropbox",
        lazy(r"(?P<original>.+) \((?:Case|Selective Sync) Conflict(?: \d+)?\)"),
        "priya (Case Conflict).md",
    ),
    Pattern(
        "Nextcloud or ownCloud",
        lazy(r"(?P<original>.+) \(conflicted copy (?:.+ )?\d{4}-\d{2}-\d{2} \d{6}\)"),
        "priya (conflicted copy 2026-12-01 101500).md",
    ),
    Pattern(
        "Nextcloud or ownCloud (older clients)",
        lazy(r"(?P<original>.+)_conflict-\d{8}-\d{6}"),
        "priya_conflict-20261201-101500.md",
    ),
    Pattern(
        "Google Drive",
        lazy(r"(?P<original>.+) \[Conflict(?: \d+)?\]"),
        "priya [Conflict].md",
    ),
    Pattern(
        "Google Drive or OneDrive (a numbered duplicate)",
        lazy(r"(?P<original>.+) \([1-9]\d*\)"),
        "priya (1).md",
    ),
    Pattern(
        "iCloud",
        lazy(r"(?P<original>.+) (?:[2-9]|[1-9]\d+)"),
        "priya 2.md",
    ),
    Pattern(
        "OneDrive",
        lazy(r"(?P<original>.+?)-(?P<device>[A-Z0-9][A-Z0-9-]{0,14})"),
        "priya-DESKTOP-1A2B3C4.md",
    ),
)
# The last character of every copy's name before `.md`: the walk's first, inline test.
COPY_ENDINGS = frozenset(")]0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Where a copy's name goes on from its note's: the note's name always ends at one of these.
_SEPARATORS = " ._-"
_DEVICE = lazy(r"[A-Z0-9][A-Z0-9-]{0,14}")


@dataclass(frozen=True)
class CopyName:
    """A conflict copy's file name, its original note's file name, and the tool."""

    name: str
    original: str
    tool: str


def maybe_copy(name: str) -> bool:
    """A quick test of a `.md` file's name before the patterns, on every file of every walk:
    every pattern ends in `)`, `]`, a digit or a capital, and needs what a name coffeechat
    writes (lower case, hyphens) lacks."""
    return name[-4:-3] in COPY_ENDINGS and (
        not name.islower() or " " in name or "_conflict-" in name or ".sync-conflict-" in name
    )


def _goes_on_from_a_sibling(stem: str, suffix: str, siblings: Container[str]) -> bool:
    """Whether a note beside it is named by the start of `stem` up to a separator (a copy's
    note always is): one cheap test that spares most names the patterns."""
    for separator in _SEPARATORS:
        at = stem.find(separator)
        while at > 0:
            if stem[:at] + suffix in siblings:
                return True
            at = stem.find(separator, at + 1)
    return False


def _device_like(suffix: str) -> bool:
    return bool(_DEVICE.fullmatch(suffix)) and any("A" <= c <= "Z" for c in suffix)


def _fits(stem: str) -> list[tuple[str, str]]:
    """Every (original stem, tool) a name fits, the most specific pattern first; OneDrive's
    split points from the longest original to the shortest."""
    found = []
    for entry in PATTERNS:
        if entry.tool == "OneDrive":
            parts = stem.split("-")
            for cut in range(len(parts) - 1, 0, -1):
                suffix = "-".join(parts[cut:])
                if _device_like(suffix):
                    found.append(("-".join(parts[:cut]), entry.tool))
            continue
        match = entry.pattern.fullmatch(stem)
        if match:
            found.append((match.group("original"), entry.tool))
    return found


def copy_name(name: str, siblings: Container[str]) -> CopyName | None:
    """The conflict copy `name` is, given the file names beside it; None for a note. A copy
    of a copy (`priya 2 2.md`) is named with the note at the end of the chain."""
    if name[-3:].lower() != ".md" or not maybe_copy(name):
        return None
    stem, suffix = name[:-3], name[-3:]
    if not _goes_on_from_a_sibling(stem, suffix, siblings):
        return None
    for original, tool in _fits(stem):
        candidate = original + suffix
        if candidate in siblings:
            further = copy_name(candidate, siblings)
            return CopyName(name, further.original if further else candidate, tool)
    return None


def looks_like_copy(name: str) -> CopyName | None:
    """The original a name says it is a copy of, whether or not that note exists; OneDrive's
    and the numbered patterns are left out (without their original they are ordinary
    names)."""
    if name[-3:].lower() != ".md" or not maybe_copy(name):
        return None
    stem, suffix = name[:-3], name[-3:]
    for original, tool in _fits(stem):
        if tool in ("OneDrive", "iCloud") or tool.endswith("(a numbered duplicate)"):
            continue
        return CopyName(name, original + suffix, tool)
    return None
