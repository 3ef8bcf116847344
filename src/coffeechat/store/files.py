"""Safe file writes and safe file names.

A file is never rewritten in place. The new bytes go to a temporary file in the same folder
(`.coffeechat-XXXXXXXX.tmp`: short, and skipped by the vault walk like every dot file), are
flushed and fsynced, and only then take the file's name. Around that:

- `note_lock` holds an exclusive `flock` on the note itself from the read an edit is based on
  until after the new file is in place, so two coffeechat runs take turns instead of losing one
  of the two edits.
- `replace_file` compares the file with the bytes the edit was based on before it writes the
  temporary file and again right before the swap. On Linux the swap is
  `renameat2(RENAME_EXCHANGE)`, which leaves the displaced file under the temporary name, so it
  is compared a third time: if an editor saved in between, the two are swapped back, the
  editor's text stays in place and coffeechat's version is kept beside it as a conflict copy.
  Elsewhere the displaced file is re-read through a descriptor kept open on it.
- Only regular files are replaced, never a device, FIFO, socket, folder or link, and never a
  read-only file. Every failure of the system becomes one `WriteFailed` line naming the path and
  the reason; nothing is half written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from coffeechat.core.errors import EditConflict, NoteBusy, WriteFailed, WriteRefused
from coffeechat.core.patterns import lazy
from coffeechat.model.names import fold_accents

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}
_MAX_SLUG = 80

LOCK_SECONDS = 5.0
"""How long a run waits for another run's lock on the same note before it gives up."""
STALE_SECONDS = 300
"""A temporary file of ours this old is left over from a run that was killed."""

_TEMP_PREFIX = ".coffeechat-"
_TEMP_SUFFIX = ".tmp"
_OUR_TEMP = lazy(r"\.coffeechat-[0-9a-f]{8}\.tmp")
# What versions before 0.2 named their temporary files: `.NOTE.md.` + 8 from mkstemp + `.tmp`.
_OLD_TEMP = lazy(r"\.(.+)\.[a-z0-9_]{8}\.tmp")
_CONFLICT = lazy(r".+\.conflict-\d{8}T\d{6}Z(?:-\d+)?\.md\.txt")
_NAME_MAX = 255

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2: Any = None


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


def shown(path: Path) -> str:
    """A path as the user can open it: relative to the working folder when inside it."""
    with contextlib.suppress(ValueError, OSError):
        return str(path.relative_to(Path.cwd()))
    return str(path)


def _failed(path: Path, error: OSError) -> WriteFailed:
    reason = error.strerror or str(error)
    return WriteFailed(f"{shown(path)}: cannot write ({reason}); nothing written")


@contextlib.contextmanager
def _reporting(path: Path) -> Iterator[None]:
    """Turn the system's refusal into one line naming `path` and the reason."""
    try:
        yield
    except OSError as error:
        raise _failed(path, error) from None


def _changed(path: Path) -> WriteRefused:
    return WriteRefused(
        f"{shown(path)}: changed on disk since it was read (saved in an editor?); "
        "nothing written, run the command again"
    )


# --- locking -----------------------------------------------------------------------------


@contextlib.contextmanager
def note_lock(path: Path) -> Iterator[Path]:
    """Hold an exclusive lock on the note at `path` until the block ends; yields its real path.

    The lock is a `flock` on the note file itself, so it needs no vault folder and works where
    `.coffeechat/` cannot be written. Each edit replaces the file, so a run that waited may hold
    the lock of a file that is no longer the note: it then starts again on the new one. After
    `LOCK_SECONDS` it gives up with `NoteBusy`. Editors take no lock; `replace_file` guards
    against them.
    """
    import fcntl

    real = path.resolve()
    deadline = time.monotonic() + LOCK_SECONDS
    pause = 0.001
    while True:
        try:
            fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            raise WriteRefused(f"{shown(path)}: no longer exists; nothing written") from None
        except OSError as error:
            raise WriteFailed(
                f"{shown(path)}: cannot be opened ({error.strerror}); nothing written"
            ) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise WriteRefused(f"{shown(path)}: is not a regular file; nothing written")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
            except BlockingIOError:
                locked = False
            if locked and _names(real, fd):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if time.monotonic() >= deadline:
            raise NoteBusy(
                f"{shown(path)}: another coffeechat run is changing this note and did not "
                f"finish within {LOCK_SECONDS:g} seconds; nothing written, run the command again"
            )
        time.sleep(pause)
        pause = min(pause * 2, 0.02)
    try:
        yield real
    finally:
        os.close(fd)


def _names(path: Path, fd: int) -> bool:
    """Whether `path` still names the file open as `fd`."""
    try:
        current = os.stat(path)
    except FileNotFoundError:
        raise WriteRefused(f"{shown(path)}: no longer exists; nothing written") from None
    held = os.fstat(fd)
    return (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino)


# --- reading what is there, without blocking on it -----------------------------------------


def _read_fd(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _read_regular(path: Path) -> bytes | None:
    """The bytes of the regular file at `path`; None for anything else (never blocks on a
    FIFO, never follows a link)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return _read_fd(fd)
    finally:
        os.close(fd)


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_replaceable(path: Path, info: os.stat_result) -> None:
    """Refuse anything but a writable regular file (`info` from `lstat`)."""
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise WriteRefused(
                f"{shown(path)}: is {kind}, not a file; nothing written (give the path of a file)"
            )
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(f"{shown(path)}: is not a regular file; nothing written")
    # access() says yes to root whatever the mode, so the mode bits are checked too.
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o222:
        raise WriteRefused(
            f"{shown(path)}: is read-only (mode {mode:o}); nothing written "
            "(make it writable, e.g. chmod u+w, to let coffeechat change it)"
        )
    if not os.access(path, os.W_OK):
        raise WriteRefused(
            f"{shown(path)}: you have no permission to write it (mode {mode:o}); nothing written"
        )


# --- temporary files -----------------------------------------------------------------------


# The folders whose stale temporary files this run has cleared already.
_CLEANED: set[Path] = set()
# The temporary names this run is using: mid-swap one names the note's old file, with the
# note's old mtime, so another thread's clearing must never take it for a killed run's.
_IN_FLIGHT: set[Path] = set()


def _write_temp(folder: Path, data: bytes, like: os.stat_result | None) -> tuple[Path, int]:
    """A new temporary file in `folder` holding `data`, flushed to disk, with the mode and
    owner of `like` (or the default mode for a new file); returns its path and inode. A
    killed run's temporary files are cleared from a folder on the first write there in a
    run (a run that writes hundreds of notes lists each folder once, not once a note)."""
    if folder not in _CLEANED:
        clean_stale_temps(folder)
        _CLEANED.add(folder)
    while True:
        temp = folder / f"{_TEMP_PREFIX}{os.urandom(4).hex()}{_TEMP_SUFFIX}"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        _IN_FLIGHT.add(temp)
        break
    try:
        with os.fdopen(fd, "wb") as handle:
            if like is not None:
                if (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(OSError):
                        os.fchown(fd, like.st_uid, like.st_gid)
                os.fchmod(fd, stat.S_IMODE(like.st_mode))
            handle.write(data)
            handle.flush()
            os.fsync(fd)
            inode = os.fstat(fd).st_ino
    except BaseException:
        _unlink_quietly(temp)
        raise
    return temp, inode


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _is_our_temp(folder: Path, name: str) -> bool:
    if _OUR_TEMP.fullmatch(name):
        return True
    old = _OLD_TEMP.fullmatch(name)
    return bool(old) and old is not None and (folder / old.group(1)).is_file()


def stale_temps(folder: Path) -> list[Path]:
    """Temporary files of ours in `folder` older than `STALE_SECONDS`: left by a killed run."""
    found = []
    cutoff = time.time() - STALE_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(".") or not _is_our_temp(folder, entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                found.append(Path(entry.path))
    return sorted(found)


def clean_stale_temps(folder: Path) -> None:
    """Remove what `stale_temps` finds; only files named like ours, never anything else, and
    never one this run is using."""
    for temp in stale_temps(folder):
        if temp not in _IN_FLIGHT:
            _unlink_quietly(temp)


def conflict_copies(folder: Path) -> list[Path]:
    """The conflict copies `replace_file` left in `folder`, for `doctor` to point at."""
    try:
        return sorted(Path(e.path) for e in os.scandir(folder) if _CONFLICT.fullmatch(e.name))
    except OSError:
        return []


def read_regular(path: Path) -> bytes | None:
    """The bytes of the regular file at `path` now; None when it is gone or not one."""
    with _reporting(path):
        return _read_regular(path)


def move_file(source: Path, target: Path) -> Path:
    """Move a file into one of coffeechat's own folders, never over another file: the name
    gets `-2`, `-3`… when taken. Across disks it is copied (fsynced) and then removed.
    Returns where it went."""
    with _reporting(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        number = 1
        while True:
            candidate = (
                target
                if number == 1
                else target.with_name(f"{target.stem}-{number}{target.suffix}")
            )
            try:
                os.link(source, candidate)
            except FileExistsError:
                number += 1
                continue
            except OSError as error:
                if error.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP):
                    raise
                data = _read_regular(source)
                if data is None:
                    raise
                if candidate.exists():
                    number += 1
                    continue
                _create(candidate, data)
            break
        os.unlink(source)
        _sync_folder(candidate.parent)
        _sync_folder(source.parent)
    return candidate


# While `folder_syncs_deferred` runs: the folders whose entries (a rename) wait to be synced.
_DEFERRED: set[Path] | None = None


@contextlib.contextmanager
def folder_syncs_deferred() -> Iterator[None]:
    """Sync each folder written in the block once, at its end, rather than after every
    replace: for a run that replaces hundreds of notes. Each file's data is still synced
    before its rename; what waits is making the renames durable, which the block's end
    does before anything that relies on them (the inbox losing its filed lines)."""
    global _DEFERRED
    outer, _DEFERRED = _DEFERRED, set()
    try:
        yield
    finally:
        folders, _DEFERRED = _DEFERRED, outer
        for folder in sorted(folders):
            _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    if _DEFERRED is not None:
        _DEFERRED.add(folder)
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- swapping ------------------------------------------------------------------------------


def _renameat2_function() -> Any:
    """libc's `renameat2`, loaded once; False where there is none (not Linux, old libc)."""
    global _renameat2
    if _renameat2 is None:
        _renameat2 = False
        if sys.platform.startswith("linux"):
            import ctypes

            with contextlib.suppress(OSError, AttributeError):
                function = ctypes.CDLL(None, use_errno=True).renameat2
                function.argtypes = [
                    ctypes.c_int,
                    ctypes.c_char_p,
                    ctypes.c_int,
                    ctypes.c_char_p,
                    ctypes.c_uint,
                ]
                function.restype = ctypes.c_int
                _renameat2 = function
    return _renameat2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names in one step (Linux `renameat2(RENAME_EXCHANGE)`); False where the
    system or the file system cannot."""
    function = _renameat2_function()
    if function is False:
        return False
    import ctypes

    result = function(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def conflict_name(path: Path, number: int = 1) -> Path:
    """`people/priya.md` -> `people/priya.conflict-20261123T150000Z.md.txt`: beside the note,
    visible, and not a `.md` file, so it is never read as a second note."""
    from datetime import UTC

    from coffeechat.when import clock

    stamp = clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = f".conflict-{stamp}{'' if number == 1 else f'-{number}'}.md.txt"
    stem = path.name.removesuffix(".md")
    room = _NAME_MAX - len(suffix.encode())
    if len(os.fsencode(stem)) > room:
        stem = os.fsencode(stem)[:room].decode("utf-8", "ignore")
    return path.with_name(stem + suffix)


def _keep_copy(path: Path, data: bytes, mode: int) -> Path:
    """Write `data` to a new conflict copy beside `path`, never over an existing file."""
    number = 1
    while True:
        copy = conflict_name(path, number)
        try:
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        except FileExistsError:
            number += 1
            continue
        break
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(fd)
    except BaseException:
        _unlink_quietly(copy)
        raise
    return copy


def _conflict(path: Path, data: bytes, mode: int, yours: list[Path | bytes]) -> EditConflict:
    """The error for an editor save that slipped in, once the user's text is back in place:
    coffeechat's version (`data`) is kept as a conflict copy, then each of the user's saves in
    `yours` that the swap exposed (a displaced file to rename, or bytes to copy)."""
    try:
        ours: Path | None = _keep_copy(path, data, mode)
    except OSError as error:
        ours, reason = None, error.strerror
    kept = []
    for item in yours:
        with contextlib.suppress(OSError):
            kept.append(
                _rename_copy(item, path) if isinstance(item, Path) else _keep_copy(path, item, mode)
            )
    _sync_folder(path.parent)
    also = f"; your save as it was then is also in {', '.join(map(shown, kept))}" if kept else ""
    if ours is None:
        return EditConflict(
            f"{shown(path)}: saved in an editor while coffeechat was writing it; your text is "
            f"kept, coffeechat's change is not ({reason}): run the command again{also}",
            path,
        )
    return EditConflict(
        f"{shown(path)}: saved in an editor while coffeechat was writing it; your text is kept "
        f"and coffeechat's version is in {shown(ours)} (merge what you need, then delete the "
        f"copies{also})",
        ours,
    )


def _open_regular(path: Path) -> int | None:
    """A descriptor on the regular file at `path`; None for anything else or nothing."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ELOOP, errno.ENXIO):
            return None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


def replace_file(path: Path, data: bytes, original: bytes) -> None:
    """Replace the regular file `path` with `data`, refusing if it no longer holds `original`.

    Callers editing a note hold `note_lock` around the read of `original` and this call, so
    another coffeechat run cannot slip in; an editor still can, and is caught here.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise WriteRefused(f"{shown(path)}: no longer exists; nothing written") from None
    except OSError as error:
        raise _failed(path, error) from None
    _check_replaceable(path, info)
    with _reporting(path):
        if _read_regular(path) != original:
            raise _changed(path)
        temp, ours = _write_temp(path.parent, data, info)
    mode = stat.S_IMODE(info.st_mode)
    try:
        with _reporting(path):
            fd = _open_regular(path)
            if fd is None:
                raise _changed(path)
    except BaseException:
        _unlink_quietly(temp)
        raise
    try:
        _swap_in(path, temp, ours, fd, data, original, mode)
    finally:
        os.close(fd)
        _IN_FLIGHT.discard(temp)
    _sync_folder(path.parent)


def _swap_in(
    path: Path, temp: Path, ours: int, fd: int, data: bytes, original: bytes, mode: int
) -> None:
    """Compare the note (open as `fd`) once more and swap the new file at `temp` in; then make
    sure what it displaced was exactly that file, unchanged, or put the user's text back."""
    try:
        with _reporting(path):
            compared = os.fstat(fd)
            if _read_fd(fd) != original:
                raise _changed(path)
            swapped = _exchange(temp, path)
            if not swapped:
                os.replace(temp, path)
    except BaseException:
        _unlink_quietly(temp)
        raise
    if not swapped:
        _recheck_after_rename(path, ours, fd, data, original, mode)
        return
    # `temp` now names the displaced file. Few steps until it is back if it is not ours to
    # replace: while they run, the note holds coffeechat's version.
    displaced = None
    with contextlib.suppress(OSError):  # not a regular file, or gone: not what was compared
        displaced = os.open(temp, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
        now = os.fstat(displaced)
        if (now.st_dev, now.st_ino) == (compared.st_dev, compared.st_ino):
            os.lseek(fd, 0, os.SEEK_SET)
            if _read_fd(fd) == original:  # the same file, not written into since
                os.close(displaced)
                _unlink_quietly(temp)
                return
    try:
        _swap_back(path, temp, ours, displaced, data, mode)
    finally:
        if displaced is not None:
            os.close(displaced)


def _swap_back(
    path: Path, temp: Path, ours: int, displaced: int | None, data: bytes, mode: int
) -> None:
    """An editor saved between the last compare and the swap: swap its file back in place.
    Nothing that may hold the user's text is unlinked; it is kept as a conflict copy."""
    yours: list[Path | bytes] = []
    with contextlib.suppress(OSError):
        if not _exchange(temp, path):
            raise OSError(errno.ENOTSUP, "cannot swap back")
        if os.lstat(temp).st_ino != ours:
            # It saved again while our version was in place, so that newer save came out
            # instead of ours: put the newest back in place and keep the older one too.
            _exchange(temp, path)
    with contextlib.suppress(OSError):
        if os.lstat(temp).st_ino == ours:
            _unlink_quietly(temp)
        else:
            yours.append(temp)  # given a conflict-copy name after ours
    if not yours and displaced is not None:
        # An editor that re-read the note while our version was in place may save on top of
        # that version and so replace the text just put back: keep a copy of it as well.
        with contextlib.suppress(OSError):
            os.lseek(displaced, 0, os.SEEK_SET)
            yours.append(_read_fd(displaced))
    raise _conflict(path, data, mode, yours)


def _rename_copy(temp: Path, path: Path) -> Path:
    """Give a displaced file of the user's at `temp` a visible conflict-copy name."""
    number = 1
    while True:
        copy = conflict_name(path, number)
        try:
            os.link(temp, copy)
        except FileExistsError:
            number += 1
            continue
        os.unlink(temp)
        return copy


def _recheck_after_rename(
    path: Path, ours: int, fd: int, data: bytes, original: bytes, mode: int
) -> None:
    """Without an exchange: the note was renamed over. Re-read the file it replaced through
    the descriptor opened before the rename, to catch an editor that wrote into it."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        displaced = _read_fd(fd)
    except OSError:
        return
    if displaced == original:
        return
    # Written in place after the compare: put that text back, unless the note was replaced
    # again meanwhile; keep ours, and the user's text, as copies.
    with contextlib.suppress(OSError):
        if os.lstat(path).st_ino == ours:
            put_back, _ = _write_temp(path.parent, displaced, os.fstat(fd))
            os.replace(put_back, path)
    raise _conflict(path, data, mode, [displaced])


# --- new files and files coffeechat generates -----------------------------------------------


def create_file(path: Path, data: bytes) -> None:
    """Create `path` holding `data`, complete or not at all, never over an existing file."""
    _create(path, data)


def _create(path: Path, data: bytes) -> int:
    with _reporting(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        temp, inode = _write_temp(path.parent, data, None)
    try:
        os.link(temp, path)
    except FileExistsError:
        raise WriteRefused(f"{shown(path)}: already exists; nothing written") from None
    except OSError as error:
        raise _failed(path, error) from None
    finally:
        _unlink_quietly(temp)
    _sync_folder(path.parent)
    return inode


def check_output(path: Path, create_folder: bool = False) -> None:
    """Refuse, before anything is written, an output path that is not a regular file or a free
    name in an existing folder. Looks with `lstat` only: opening a FIFO would block."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise _failed(path, error) from None
    if info is not None:
        _check_replaceable(path, info)
        return
    parent = path.parent
    try:
        folder = os.stat(parent)
    except FileNotFoundError:
        if create_folder:
            return
        raise WriteRefused(
            f"{shown(path)}: the folder {shown(parent)} does not exist; nothing written"
        ) from None
    except OSError as error:
        raise _failed(path, error) from None
    if not stat.S_ISDIR(folder.st_mode):
        raise WriteRefused(f"{shown(path)}: {shown(parent)} is not a folder; nothing written")


def write_file(path: Path, data: bytes, create_folder: bool = False) -> Callable[[], None]:
    """Write a file coffeechat generates (an invitation, a prep sheet, a draft): created, or
    replaced when a regular file is already there. Returns an undo that puts back what was
    there before (or removes the new file), for a command whose next write fails."""
    check_output(path, create_folder)
    with _reporting(path):
        previous = _read_regular(path)
    if previous is None:
        new_folders = [folder for folder in path.parents if not folder.exists()]
        try:
            inode = _create(path, data)
        except BaseException:
            _remove_empty(new_folders)
            raise

        def remove() -> None:
            with contextlib.suppress(OSError):
                if os.lstat(path).st_ino == inode:
                    os.unlink(path)
            _remove_empty(new_folders)

        return remove
    replace_file(path, data, previous)

    def restore() -> None:
        with contextlib.suppress(OSError, WriteRefused):
            replace_file(path, previous, data)

    return restore


def _remove_empty(folders: list[Path]) -> None:
    """Remove folders a failed write created (innermost first), only while they are empty."""
    with contextlib.suppress(OSError):
        for folder in folders:
            os.rmdir(folder)
