"""Watchman, asked which notes changed, for vaults too big to stat on every run.

When a watchman server is running (its socket is found: `$WATCHMAN_SOCK`, else where Debian's
watchman keeps it) and `pywatchman` is installed (`pip install 'coffeechat[watchman]'`), the
store asks watchman for the files changed under a folder since the clock it kept with the
folder's snapshot, instead of looking at every file. Anything unexpected is not an error but
a reason to walk the folder as usual: no server, no pywatchman, a server that restarted (a
fresh instance), a recrawl warning, an unknown clock, a link, a folder come or gone, a sync
tool's copy, or any failure at all.
"""

from __future__ import annotations

import os

# Imported before every kept answer is printed (store/shown.py): pathlib, typing and
# contextlib are left to where they are used.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# Seconds to wait for the server before walking instead.
TIMEOUT = 5.0


class Change:
    """A file watchman reports changed since the clock: its path within the folder, whether
    it is still there, its type (f: file, d: folder, l: link, others) and whether it is new."""

    __slots__ = ("exists", "kind", "new", "rel")

    def __init__(self, rel: str, exists: bool, kind: str, new: bool) -> None:
        self.rel, self.exists, self.kind, self.new = rel, exists, kind, new


def _socket() -> str | None:
    """The running server's socket: `$WATCHMAN_SOCK`, else watchman's own default
    (`$TMPDIR/USER-state/sock`); None when there is none (no server is started here)."""
    found = os.environ.get("WATCHMAN_SOCK")
    if not found:
        try:
            import pwd

            user = pwd.getpwuid(os.getuid()).pw_name
        except (ImportError, KeyError, AttributeError):
            return None
        found = os.path.join(os.environ.get("TMPDIR") or "/tmp", f"{user}-state", "sock")
    import stat

    try:
        if not stat.S_ISSOCK(os.stat(found).st_mode):
            return None
    except OSError:
        return None
    # A socket left by a server that has stopped: found without loading pywatchman.
    import socket

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.connect(found)
    except OSError:
        return None
    return found


class Watch:
    """One folder watched by a running watchman."""

    def __init__(self, client: Any, root: str, relative: str | None) -> None:
        self.client, self.root, self.relative = client, root, relative

    @property
    def where(self) -> str:
        """What a kept clock is about: the watch and the folder within it."""
        return f"{self.root}\0{self.relative or ''}"

    def clock(self) -> str | None:
        """Watchman's clock now, taken before the folder is walked: whatever changes after
        it is reported by the next `since`."""
        try:
            found = self.client.query("clock", self.root, {"sync_timeout": int(TIMEOUT * 1000)})
            clock = found.get("clock")
            return clock if isinstance(clock, str) and not found.get("warning") else None
        except Exception:  # any failure of the server or the link to it: walk instead
            return None

    def since(self, clock: str) -> tuple[str, list[Change]] | None:
        """The new clock and the files changed under the folder since `clock`; None when the
        answer cannot be trusted to be complete (then the folder is walked)."""
        query: dict[str, Any] = {
            "since": clock,
            "fields": ["name", "exists", "type", "new"],
            "empty_on_fresh_instance": True,
        }
        if self.relative:
            query["relative_root"] = self.relative
        try:
            found = self.client.query("query", self.root, query)
            if found.get("is_fresh_instance") or found.get("warning"):
                return None
            now = found["clock"]
            changes = [
                Change(f["name"], bool(f["exists"]), f["type"], bool(f["new"]))
                for f in found["files"]
            ]
        except Exception:  # any failure of the server or the link to it: walk instead
            return None
        return (now, changes) if isinstance(now, str) else None

    def close(self) -> None:
        _close(self.client)


def _close(client: Any) -> None:
    import contextlib

    with contextlib.suppress(Exception):  # closing a broken link: nothing to do
        client.close()


def watch(folder: Path | str, setting: str) -> Watch | None:
    """The folder watched by the running watchman (asking it to watch the folder if it does
    not yet); None when the setting is off, or watchman or pywatchman is not there."""
    if setting == "off" or os.sep != "/":  # watchman names files with `/`, as the index does
        return None
    sock = _socket()
    if sock is None:
        return None
    try:
        import pywatchman
    except ImportError:
        return None
    client = None
    try:
        client = pywatchman.client(sockpath=sock, timeout=TIMEOUT)
        found = client.query("watch-project", os.path.realpath(folder))
        if found.get("warning"):
            raise ValueError(found["warning"])
        return Watch(client, found["watch"], found.get("relative_path"))
    except Exception:  # any failure of the server or the link to it: walk instead
        if client is not None:
            _close(client)
        return None
