"""Writes that stand or fall together.

A command that writes files beside a note and then the note (a prep sheet and its log line,
an invitation and `chat:`) writes the files through a `Together` and the note last, inside
one `with` block. If anything in the block fails, even Ctrl-C, the files are taken back,
newest first: a failure leaves nothing half done, and running the command again writes
each thing once. The note's own edit needs no undo: it is the last write, and atomic.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from coffeechat.store import files


class Together:
    """The files written so far in one group, and how to take each back."""

    def __init__(self, check: Callable[[Path], None]) -> None:
        """`check` refuses a path before anything is written there (the store's own rules)."""
        self._check = check
        self._undo: list[Callable[[], None]] = []

    def __enter__(self) -> Together:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is not None:
            for step in reversed(self._undo):
                step()

    def write_file(self, path: Path, data: bytes, create_folder: bool = False) -> None:
        """Write a file the tool makes (created, or replacing a regular file), to be taken
        back if a later write of the group fails."""
        self._check(path)
        self._undo.append(files.write_file(path, data, create_folder=create_folder))
