"""Text as the user wrote it, made to stand as a sentence: shared by the sheet and the drafts."""

from __future__ import annotations

import re
import unicodedata


def as_sentence(text: str) -> str:
    """A written-to-them value as a sentence of its own, as the user phrased it: one line,
    a capital first letter, a full stop when it has no end mark."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def proper_name(name: str) -> str:
    """A name as a message writes it: one typed all in lower case ("maya lopez") gets its
    capitals ("Maya Lopez"), each part after a space, hyphen or apostrophe; any other name
    is left exactly as written."""
    if name != name.lower():
        return name
    parts = re.split(r"([ \-'])", name)
    return "".join(part[:1].upper() + part[1:] for part in parts)


# What splits a profile headline into its parts: "Recruiter | Hiring Design 💼 | Dog mom".
_HEADLINE_SEPARATORS = re.compile(r"\s+[|•·]\s+|\s*\|\s*")


def plain_title(role: str) -> str:
    """A job title as a message says it: a LinkedIn-style headline keeps its first part, and
    emoji and other pictographs are dropped ("Talent Partner 🚀 | Hiring 💼" gives "Talent
    Partner"); a plain title is unchanged."""
    first = _HEADLINE_SEPARATORS.split(role, maxsplit=1)[0]
    kept = "".join(char for char in first if unicodedata.category(char) not in ("So", "Cs"))
    kept = kept.replace("\ufe0f", "").replace("\u200d", "")
    return " ".join(kept.split()).strip(" -\u2013\u2014,")
