"""A value inside a command the tool prints for the user to paste into a shell."""

from __future__ import annotations

import shlex

# What a double-quoted shell word may hold without expanding or ending early.
_UNSAFE_IN_QUOTES = set('"$`\\!\n')


def shell_word(text: str) -> str:
    """`"Chai Cloud"` as people write it, or single-quoted when double quotes would let the
    shell run something (`$(...)`, backticks) or end the word early."""
    if text and not set(text) & _UNSAFE_IN_QUOTES:
        return f'"{text}"'
    return shlex.quote(text)
