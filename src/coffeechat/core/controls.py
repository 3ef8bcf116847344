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


def one_line(text: str) -> str:
    """`text` on one line, as `add` and the imports keep a name or a title: every line break,
    tab and other white-space control (CR, VT, FF, the file separators, NEL, U+2028, U+2029)
    a space, runs of spaces one. Other characters stay exactly as they are (printing cleans
    them, `strip`)."""
    return " ".join(text.split())
