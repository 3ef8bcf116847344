"""Safe file writes and safe file names.

Every write goes to a temporary file in the same folder, is flushed and fsynced, then renamed
over the target, so a crash leaves either the old note or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import unicodedata
from pathlib import Path

from coffeechat.errors import WriteRefused

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}
_MAX_SLUG = 80


def fold_accents(text: str) -> str:
    """`José Núñez` -> `Jose Nunez`: for file names and accent-blind name matching."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(name: str, fallback: str = "note") -> str:
    """A file stem that is safe on every OS: no separators, no `..`, no reserved names."""
    ascii_text = fold_accents(name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:_MAX_SLUG].strip("-")
    if not slug:
        slug = fallback
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-{fallback}"
    return slug


def free_path(folder: Path, stem: str, suffix: str = ".md") -> Path:
    """`folder/stem.md`, or `stem-2.md`, `stem-3.md`… when that name is taken."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _write_temp(folder: Path, name: str, data: bytes) -> str:
    import tempfile

    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_file(path: Path, data: bytes, original: bytes) -> None:
    """Atomically replace `path` with `data`, refusing if it no longer holds `original`."""
    if path.read_bytes() != original:
        raise WriteRefused(
            f"{path}: changed on disk since it was read (saved in an editor?); "
            "nothing written, run the command again"
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    temp = _write_temp(path.parent, path.name, data)
    try:
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(path.parent)


def create_file(path: Path, data: bytes) -> None:
    """Create `path` holding `data`, complete or not at all, never over an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _write_temp(path.parent, path.name, data)
    try:
        os.chmod(temp, 0o666 & ~_umask())
        os.link(temp, path)
    except FileExistsError:
        raise WriteRefused(f"{path}: already exists; nothing written") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    _sync_folder(path.parent)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_file(path: Path, data: bytes) -> None:
    """Write a file coffeechat generates (an invitation, a prep sheet): created, or replaced
    atomically when it is already there."""
    if path.exists():
        replace_file(path, data, path.read_bytes())
    else:
        create_file(path, data)
