"""Regular expressions compiled on their first use: a run needs few of the patterns its
modules declare (a warm `due` on none of the sync tools' names or the date grammar's), and
compiling each one at import costs every run."""

from __future__ import annotations

import re
from typing import Any, cast

# What a pattern is used for; each is set on the instance at its first use, so later calls
# cost what a compiled pattern's do.
_USES = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class _Lazy:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(*self._source)
        for use in _USES:
            setattr(self, use, getattr(compiled, use))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
