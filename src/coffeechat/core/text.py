"""Text as the user wrote it, made to stand as a sentence: shared by the sheet and the drafts."""

from __future__ import annotations


def as_sentence(text: str) -> str:
    """A written-to-them value as a sentence of its own, as the user phrased it: one line,
    a capital first letter, a full stop when it has no end mark."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
