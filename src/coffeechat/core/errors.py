"""The one exception family the command line turns into `Error: …` and an exit code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CoffeechatError(Exception):
    """A failure the user can act on. The message says what, where and what to do."""

    exit_code = 1


class UsageError(CoffeechatError):
    """The request itself is wrong (a bad value, an ambiguous name)."""

    exit_code = 2


class VaultNotFound(CoffeechatError):
    pass


class ConfigError(CoffeechatError):
    pass


class PersonNotFound(CoffeechatError):
    pass


class AmbiguousName(UsageError):
    pass


class WriteRefused(CoffeechatError):
    """A write that would not be safe: the file changed on disk, or the edit would touch more."""


@dataclass(frozen=True)
class Problem:
    """Something wrong in one file, shown as `path:line: message`."""

    path: Path
    line: int | None
    message: str

    def located(self, display: str) -> str:
        where = display if self.line is None else f"{display}:{self.line}"
        return f"{where}: {self.message}"


class NoteError(CoffeechatError):
    """A note that cannot be read; carries the problem so callers can place it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class WriteFailed(CoffeechatError):
    """The system refused a write (permissions, a full disk, a name too long); nothing written."""


class NoteBusy(CoffeechatError):
    """Another coffeechat run held the note's lock for longer than we wait."""


class EditConflict(WriteRefused):
    """An editor saved the note while coffeechat was replacing it: the editor's text stays in
    place and coffeechat's version is kept beside it as `conflict_copy`."""

    def __init__(self, message: str, conflict_copy: Path) -> None:
        super().__init__(message)
        self.conflict_copy = conflict_copy
