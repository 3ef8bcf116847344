"""How big a company is, from its note's `size:`: a small one needs fewer contacts (coverage)
and has too few people for questions about how its teams are split (prep)."""

from __future__ import annotations

import re

# A company with fewer people than this is small: one engineer or manager covers it.
SMALL_COMPANY = 50


def is_small(size: str) -> bool:
    """`size: 8`, `11-50`, `small` or `startup`: fewer people than SMALL_COMPANY."""
    text = size.strip().lower()
    if text in ("small", "startup", "tiny"):
        return True
    number = re.search(r"\d[\d,]*", text)
    return number is not None and int(number.group().replace(",", "")) < SMALL_COMPANY
