"""Characters in text from notes and imports that are not text: the controls a terminal obeys
(ESC starts CSI and OSC sequences, OSC 8 makes a hyperlink, BEL rings, the C1 controls are
8-bit ESCs) and the bidi controls that make text read differently from how it is stored.
Tab and line feed are text. Light: any module may use it, the core included."""

from __future__ import annotations

import re

# C0 but tab and line feed, DEL, C1; the Arabic letter mark, LRM and RLM, the embeddings and
# overrides (LRE … RLO) and the isolates (LRI … PDI).
CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{CONTROLS}]")


def strip(text: str) -> str:
    """`text` without any of those characters (for formats that must not hold them)."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


# What ends or breaks a line, or is not text at all: every C0 and C1 control (tab and line
# feed too), DEL, and the Unicode line and paragraph separators.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """`text` as one line of text, as `add` and the imports keep a name or a title: every
    control character and line break a space, bidi controls gone, runs of spaces one."""
    return " ".join(_BIDI.sub("", _BREAKS.sub(" ", text)).split())
