"""What a read-only command printed, kept to be printed again while nothing it read changed.

`coffeechat due` on a vault that has not changed since the last `due` prints what it printed
then. So the console script (`coffeechat.__main__`) asks this module first, before click or
any note is loaded: for `list`, `due`, `stats`, `next` and `companies`, it looks up the output
kept for the same command line, working folder, environment, terminal and code, checks that
the vault is as it was, and writes the kept bytes and exit code. Anything else runs the
command, and a command that only reads (`State.keep_shown`) has its output kept for next time.

"As it was" means: the stat (mtime, ctime, size, inode) of every file under the vault's folders
(people, companies, prep, invites, templates, question banks) and of its settings and inbox,
and where each link among them leads, taken before the command read a note, is the same list
now. A file changed within two seconds of that look (a second change could hide in the same
timestamp tick) keeps nothing. The output also holds only until the next moment that could
change it on a running clock: the next midnight in your zone, or the next chat's start,
whichever is first, counted from the moment the run began (`started`), before any "now" the
command asked for; and not before that moment (a clock set back). With watchman running, "as
it was" is watchman's word that nothing under those folders changed since its clock, taken
before the look. Only the standard library is imported here: this runs before everything
else.
"""

from __future__ import annotations

import io
import marshal
import os
import stat
import sys
import time
import zlib
from array import array

# pathlib, typing and contextlib would cost a kept answer 12 ms: imported where they are used.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

FORMAT = 2
COMMANDS = frozenset({"list", "due", "stats", "next", "companies"})
CONFIG_NAME = "coffeechat.toml"  # model/config.py's; tests check the two agree
FOLDER = "shown"
LAYOUT = "layout"  # which folders and files a vault's outputs depend on
RACY_NS = 2_000_000_000  # as store/cache.py: a change this close to the look is not trusted
KEPT = 64  # outputs kept per vault; the oldest go first
# Environment variables that differ between two shells without changing any output.
VOLATILE = frozenset({"_", "PWD", "OLDPWD", "SHLVL", "TERM_SESSION_ID", "WINDOWID", "TMUX_PANE"})


def serve(args: list[str], program: str) -> int | None:
    """Write the kept output of this command line and return its exit code, or None: then
    the command runs, and `start` records what it prints."""
    global _pending, _started
    _started = time.time_ns()
    _pending = None
    _listings.clear()
    asked = _asked(args)
    if asked is None:
        return None
    root = _vault(asked)
    if root is None:
        return None
    key = _key(args, program)
    if key is None:
        return None
    folder = _folder(root)
    path = os.path.join(folder, f"{zlib.crc32(key):08x}")
    kept = _read(path)
    if kept is not None and kept[0] != key:
        kept = None
    layout = kept[1] if kept is not None else _read(os.path.join(folder, LAYOUT))
    if not _is_layout(layout):
        _pending = (root, key, path, None, None, None)
        return None
    folders, files, watchman = layout
    if kept is not None:
        _, _, until, chunks, code, stats, watched, since = kept
        in_time = until is None or since <= time.time_ns() < until
        if in_time and watched and _unchanged_since(root, watched, folders, files):
            return _written(chunks, code)
    watched = _watch_clock(root) if watchman else None
    look = Look.take(root, folders, files, keep_listings=True)
    if kept is not None and in_time and look.same_as(stats):
        return _written(chunks, code)
    _pending = (root, key, path, look, watched, layout)
    return None


def _written(chunks: list[tuple[int, bytes]], code: int) -> int:
    """Print a kept answer; its exit code, or 1 when the reader went away, as click ends."""
    try:
        _write(chunks)
    except BrokenPipeError:
        _hush()
        return 1
    return int(code)


def started() -> int:
    """When this run began, in nanoseconds since the epoch: before the look at the vault and
    any "now" the command asks for, so an answer counted to hold from then holds no longer
    than it should (a run that ends after midnight worked before it)."""
    return _started


def _watch_clock(root: str) -> tuple[str, str] | None:
    """Watchman's clock now (and what it is about), when it watches the vault: taken before
    the look, so that whatever changes after it is in the next answer."""
    from coffeechat.store import watch

    watcher = watch.watch(root, "auto")
    if watcher is None:
        return None
    try:
        clock = watcher.clock()
        return None if clock is None else (watcher.where, clock)
    finally:
        watcher.close()


def _unchanged_since(root: str, watched: Any, folders: list[str], files: list[str]) -> bool:
    """Whether watchman is sure nothing under the folders, nor the files, changed since the
    clock kept with the output (a hidden file is nothing: the index's own writes)."""
    from coffeechat.store import watch

    watcher = watch.watch(root, "auto")
    if watcher is None:
        return False
    try:
        if watcher.where != watched[0]:
            return False
        told = watcher.since(watched[1])
    finally:
        watcher.close()
    if told is None:
        return False
    tops = set(folders)
    if "." in folders:
        folders = [""]
    named = set(files)
    for change in told[1]:
        rel = change.rel
        if rel[:1] == "." or "/." in rel:
            continue
        if change.exists and rel in tops:
            # A folder's own time moves when a file in it comes or goes (an editor's hidden
            # swap file, say): watchman names that file too, and the look, like the store,
            # does not look at the folder itself.
            continue
        if rel in named or any(
            rel == folder or rel.startswith(f"{folder}/") or not folder for folder in folders
        ):
            return False
    return True


def recording() -> bool:
    """Whether this run's output is being recorded, and may be kept if the command offers it."""
    return _recording is not None


def offer(
    root: str, folders: list[str], files: list[str], until: int | None, watchman: bool
) -> None:
    """Called by a command that only reads (`State.keep_shown`): its output may be kept, for
    as long as the files under `folders` and the `files` (all within `root`) are as they were
    when this run began and, when `until` is given (nanoseconds since the epoch), until then.
    The first run on a vault only learns which files those are."""
    import contextlib

    if _recording is None or _pending is None:
        return
    pending_root, _, path, look, _, used = _pending
    try:
        if not os.path.samefile(root, pending_root):
            return
    except OSError:
        return
    layout = (folders, files, watchman)
    if look is None or used != layout:
        _keep(os.path.join(os.path.dirname(path), LAYOUT), marshal.dumps(layout))
        with contextlib.suppress(OSError):  # its folders are no longer the vault's
            os.unlink(path)
        return
    _recording.offered = (look, until)


def _is_layout(layout: Any) -> bool:
    """Whether `layout` is (folders, files, whether watchman may be asked)."""
    return (
        type(layout) is tuple
        and len(layout) == 3
        and all(type(names) is list and all(type(n) is str for n in names) for names in layout[:2])
        and type(layout[2]) is bool
    )


class Look:
    """The stat of every file the command's output depends on, as one array and one text."""

    def __init__(self, folders: list[str], files: list[str], names: str, stats: array) -> None:
        self.folders, self.files, self.names, self.stats = folders, files, names, stats
        self.taken = time.time_ns()

    @classmethod
    def take(
        cls, root: str, folders: list[str], files: list[str], keep_listings: bool = False
    ) -> Look:
        taken = time.time_ns()
        names: list[str] = []
        stats = array("q")
        for name in files:
            path = os.path.join(root, name)
            try:
                st = os.stat(path)
            except OSError:
                names.append(f"-{name}")
                continue
            names.append(name)
            stats.extend((st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))
            if os.path.islink(path):
                names.append(_target(path))
        for folder in folders:
            _walk(os.path.join(root, folder), names, stats, keep_listings)
        look = cls(folders, files, "\0".join(names), stats)
        look.taken = taken
        return look

    def same_as(self, kept: Any) -> bool:
        return bool(kept) and kept[0] == self.names and kept[1] == self.stats.tobytes()

    def trusted(self) -> bool:
        """No file changed so close to the look that a second change could hide from it."""
        newest = max(self.stats[0::4], default=0), max(self.stats[1::4], default=0)
        return max(newest) < self.taken - RACY_NS

    def kept(self) -> tuple[str, bytes]:
        return self.names, self.stats.tobytes()


def _walk(base: str, names: list[str], stats: array, keep_listings: bool) -> None:
    """Every entry under `base` but hidden ones, with its stat (a folder's too, so a new one
    is seen) and, for a link, where it leads, in the order the folders list them: the same
    on every look at the same files. With `keep_listings`, each folder's listing is kept for
    the store's own walk (`listing`), which then needs neither the listing nor the stats
    again."""
    pending = [base]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError:
            names.append(f"!{current}")
            continue
        if keep_listings:
            _listings[current] = entries
        for entry in entries:
            if entry.name[0] == ".":
                continue
            try:
                st = entry.stat()
            except OSError:
                names.append(f"!{entry.path}")
                continue
            names.append(entry.path)
            stats.extend((st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))
            if entry.is_symlink():
                names.append(_target(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)


def _target(link: str) -> str:
    """Where a link leads: the store skips one that leads out of the vault, so a link whose
    path changed (a folder on its way moved out, and a link to it followed) is a change,
    though the file it leads to has the same stat."""
    return f">{os.path.realpath(link)}"


_listings: dict[str, list[os.DirEntry[str]]] = {}


def listing(folder: str) -> list[os.DirEntry[str]] | None:
    """The entries of `folder` as this run's look at the vault found them, once (a later
    walk lists the folder anew), or None. Only for the very path the look walked: each
    entry's path starts with it, and a walk that names the folder otherwise (a relative
    `--vault`, a `..` in it) cuts its paths at another length."""
    return _listings.pop(folder, None) if _listings else None


class Recording:
    """stdout and stderr written through, and kept in the order written, while the command
    runs; kept on disk at the end if the command offered its output."""

    def __init__(self) -> None:
        self.chunks: list[tuple[int, bytes]] = []
        self.offered: tuple[Look, int | None] | None = None
        self.streams = sys.stdout, sys.stderr
        sys.stdout = self._tee(sys.stdout, 1)
        sys.stderr = self._tee(sys.stderr, 2)

    def _tee(self, stream: Any, number: int) -> Any:
        return io.TextIOWrapper(
            _Tee(stream.buffer, self.chunks, number),
            encoding=stream.encoding,
            errors=stream.errors,
            line_buffering=stream.line_buffering,
            write_through=True,
        )

    def finish(self, code: int | None) -> None:
        """Put the streams back and keep the output if it was offered and can be trusted."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                code = None
        sys.stdout, sys.stderr = self.streams
        _hush()
        if self.offered is None or _pending is None or code is None:
            return
        look, until = self.offered
        if not look.trusted() or (until is not None and until <= time.time_ns()):
            return
        _, key, path, _, watched, layout = _pending
        chunks = _joined(self.chunks)
        since = None if until is None else _started  # a clock set back is another moment
        kept = (key, layout, until, chunks, code, look.kept(), watched, since)
        _keep(path, marshal.dumps(kept))


class _Tee(io.RawIOBase):
    def __init__(self, real: BinaryIO, chunks: list[tuple[int, bytes]], number: int) -> None:
        super().__init__()
        self.real, self.chunks, self.number = real, chunks, number

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        written = bytes(data)
        self.real.write(written)
        self.chunks.append((self.number, written))
        return len(written)

    def flush(self) -> None:
        self.real.flush()

    def isatty(self) -> bool:
        return self.real.isatty()

    def fileno(self) -> int:
        return self.real.fileno()


# This run's vault, key, kept file, look, watchman's clock, and the layout looked at.
_pending: tuple[str, bytes, str, Look | None, Any, Any] | None = None
_started = 0
_recording: Recording | None = None


def start() -> None:
    """Record this run's output, when `serve` found it worth keeping."""
    global _recording
    if _pending is not None:
        _recording = Recording()


def stop(code: int | None) -> None:
    """Put the streams back; keep the output when the run ended with exit code `code` (None:
    it did not end normally, and nothing is kept)."""
    global _recording
    if _recording is not None:
        recording, _recording = _recording, None
        recording.finish(code)


def _asked(args: list[str]) -> tuple[str | None] | None:
    """The `--vault` given on the command line (or None), when the command is one whose
    output may be kept; else None."""
    vault = None
    at = 0
    while at < len(args) and args[at].startswith("-"):
        option = args[at]
        if option == "--vault" and at + 1 < len(args):
            vault, at = args[at + 1], at + 2
        elif option.startswith("--vault="):
            vault, at = option[len("--vault=") :], at + 1
        else:
            return None  # --no-cache, --help, --version, or an option not known here
    if at >= len(args) or args[at] not in COMMANDS:
        return None
    if any(arg in ("--help", "-h") for arg in args[at:]):
        return None  # help text is click's to write
    return (vault,)


def _vault(asked: tuple[str | None]) -> str | None:
    """The vault's folder, found as `find_vault_root` finds it, or None."""
    environ = os.environ
    if environ.get("COFFEECHAT_NO_CACHE") or any(name.endswith("_COMPLETE") for name in environ):
        return None
    explicit = asked[0] or environ.get("COFFEECHAT_VAULT")
    if explicit:
        root: str | None = os.path.abspath(explicit)
    else:
        root = None
        folder = os.getcwd()
        while True:
            if os.path.isfile(os.path.join(folder, CONFIG_NAME)):
                root = folder
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                return None
            folder = parent
    return root


def _folder(root: str) -> str:
    """Where this vault's outputs are kept: the user's cache folder, not the vault, so that
    nothing a synced or shared vault holds is ever printed unchecked."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    vault = f"{zlib.crc32(os.path.realpath(root).encode('utf-8', 'surrogatepass')):08x}"
    return os.path.join(base, "coffeechat", FOLDER, vault)


def _key(args: list[str], program: str) -> bytes | None:
    """Everything besides the vault that the output depends on: the command line, the folder
    it runs in, the environment, the terminal, and the code (coffeechat's files, and every
    folder Python imports from, whose time changes when a package is installed)."""
    try:
        cwd = os.getcwd()
    except OSError:
        return None
    environment = sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE)
    terminal = []
    for stream in (sys.stdout, sys.stderr):
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            return None
        terminal.append(tty)
        if tty:
            try:
                terminal.append(tuple(os.get_terminal_size(stream.fileno())))
            except OSError:
                terminal.append(None)
    code = code_key()
    if code is None:
        return None
    whole = [FORMAT, program, args, cwd, environment, terminal, code]
    return repr(whole).encode("utf-8", "surrogatepass")


def code_key() -> list[Any] | None:
    """What the code that prints an answer is, for the answers and the `--help` page kept
    from it (`coffeechat.__main__`): Python's version and executable, the size and time of
    every file of coffeechat and of click, the time of every folder Python imports from
    (installing or removing a package changes it), and `/etc/localtime`. None when
    coffeechat's own files cannot be listed."""
    code: list[Any] = [sys.version, sys.executable]
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        _code_files(os.path.dirname(here), code)
    except OSError:
        return None
    click = None  # the folder `import click` takes, the first on the path
    for folder in sys.path:
        try:
            code.append((folder, os.stat(folder or ".").st_mtime_ns))
        except OSError:
            code.append((folder, None))
            continue
        if click is None and os.path.isfile(os.path.join(folder or ".", "click", "__init__.py")):
            click = os.path.join(folder or ".", "click")
    try:
        if click is not None:
            _code_files(click, code)
    except OSError:
        return None
    try:
        zone = os.stat("/etc/localtime")
        code.append((zone.st_ino, zone.st_mtime_ns, os.path.realpath("/etc/localtime")))
    except OSError:
        code.append(None)
    return code


def _code_files(folder: str, code: list[Any]) -> None:
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith((".", "__pycache__")):
            continue
        if entry.is_dir():
            _code_files(entry.path, code)
        else:
            st = entry.stat()
            code.append((entry.path, st.st_size, st.st_mtime_ns))


def _read(path: str) -> Any:
    """A kept output (key, layout, until, chunks, code, look, watchman's clock, since) or a
    layout, checked to be of that shape; None when missing or not understood."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block
    except OSError:
        return None
    try:
        with open(descriptor, "rb") as kept:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            found = marshal.load(kept)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if _is_layout(found):
        return found
    if not (
        type(found) is tuple
        and len(found) == 8
        and type(found[0]) is bytes
        and _is_layout(found[1])
        and (found[2] is None or type(found[2]) is int)
        and (found[7] is None if found[2] is None else type(found[7]) is int)
        and type(found[3]) is list
        and all(_is_chunk(chunk) for chunk in found[3])
        and type(found[4]) is int
        and type(found[5]) is tuple
        and len(found[5]) == 2
        and type(found[5][0]) is str
        and type(found[5][1]) is bytes
        and (found[6] is None or _is_watched(found[6]))
    ):
        return None
    return found


def _is_watched(watched: Any) -> bool:
    return type(watched) is tuple and len(watched) == 2 and all(type(w) is str for w in watched)


def _is_chunk(chunk: Any) -> bool:
    return (
        type(chunk) is tuple and len(chunk) == 2 and chunk[0] in (1, 2) and type(chunk[1]) is bytes
    )


def _write(chunks: list[tuple[int, bytes]]) -> None:
    streams = {1: sys.stdout, 2: sys.stderr}
    for number, data in chunks:
        stream = streams[number]
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()


def _hush() -> None:
    """The reader went away (`coffeechat due | head -1`): as click does then, the run ends
    with exit code 1 and not a word; what is still buffered for it goes nowhere, rather than
    fail again as Python exits (exit code 120 and a message)."""
    import contextlib

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass


def _joined(chunks: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    joined: list[tuple[int, bytes]] = []
    for number, data in chunks:
        if joined and joined[-1][0] == number:
            joined[-1] = (number, joined[-1][1] + data)
        else:
            joined.append((number, data))
    return joined


def _keep(path: str, data: bytes) -> None:
    """Write whole, then rename, so a reader never sees half; the oldest beyond `KEPT` go.
    A failure only loses speed."""
    import contextlib

    folder = os.path.dirname(path)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(temporary, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        with os.scandir(folder) as listing:
            files = [(entry.stat().st_mtime_ns, entry.path) for entry in listing]
        for _, old in sorted(files)[:-KEPT]:
            os.unlink(old)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
