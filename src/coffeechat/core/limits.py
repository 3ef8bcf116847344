"""What a file or a program from outside may cost: a size cap on reading, a time cap on
running. Light: no heavy imports, so any module may use it."""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coffeechat.core.errors import CoffeechatError

# The years the tool computes with: a date outside them is a typo, and near year 1 or 9999
# it would overflow date arithmetic. A note's dates, typed dates and the clock all keep to it.
YEARS = (1900, 2199)
# A chat booked further ahead than this was probably misread: `schedule` asks for --force,
# and the inbox keeps a chat line whose open day ("Nov 22") lands that far off.
FAR_AHEAD_DAYS = 60


class OutOfTime(BaseException):
    """Raised by the watchdog inside the code it guards. A BaseException, so that no
    `except Exception` in a library on the way can swallow it."""


def size_words(limit: int) -> str:
    """`10 MB`, `128 KB`, `500 bytes`."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit:,} bytes"


class NotRegular(OSError):
    """A FIFO, a device or a socket where a file was expected: reading it could block
    forever or never end."""


def regular_bytes(path: Path | str, limit: int | None = None) -> bytes:
    """The bytes of `path`, a regular file (a link to one is fine), at most `limit` + 1 of
    them when a limit is given; NotRegular without reading for a FIFO, a device or a socket
    (which cannot even be opened).
    Opened without blocking, so a FIFO with no writer cannot hang the run, and checked on the
    open descriptor, so a swap after a check cannot fool it. A regular file (O_NONBLOCK does
    not apply to one) is read in one call when it is the size its stat gave: a vault's first
    run reads every note."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket, or a device with nothing behind it
            raise NotRegular(f"{path}: not a regular file") from None
        raise
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise NotRegular(f"{path}: not a regular file")
        most = None if limit is None else limit + 1
        asked = found.st_size + 1 if most is None else min(found.st_size + 1, most)
        chunks = [os.read(fd, asked)]
        if len(chunks[0]) == found.st_size < asked:
            return chunks[0]  # all of it: asked for more than its size, got its size
        read = len(chunks[0])
        while chunks[-1] and (most is None or read < most):  # it grew or shrank since
            chunks.append(os.read(fd, 1 << 16 if most is None else min(1 << 16, most - read)))
            read += len(chunks[-1])
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes; `what`
    names what the file should be, for the messages: "a calendar file (.ics)"."""
    try:
        data = regular_bytes(path, limit)
    except NotRegular:
        raise CoffeechatError(f"{path}: not a regular file; give {what}") from None
    except OSError as error:
        raise CoffeechatError(f"{path}: cannot be read: {error.strerror}") from None
    if len(data) > limit:
        raise CoffeechatError(f"{path}: larger than {size_words(limit)}, the limit for {what}")
    return data


@contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Raise OutOfTime in this thread when the block runs longer than `seconds`.

    A timer thread asks CPython to raise the exception in this thread at its next bytecode;
    a long operation inside C is not interrupted, which is why sizes are checked before such
    operations. Where the interpreter offers no such call (not CPython), nothing is timed."""
    import ctypes

    api = getattr(ctypes, "pythonapi", None)
    raise_in = getattr(api, "PyThreadState_SetAsyncExc", None)
    if raise_in is None:
        yield
        return
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                raise_in(target, ctypes.py_object(OutOfTime))
                state["fired"] = True

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:
                raise_in(target, None)  # clear one still pending, if any
