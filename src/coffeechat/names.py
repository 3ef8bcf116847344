"""How names compare: people and schools ignoring case, accents and spacing; companies also
ignoring a legal suffix; and which company note a person's `company:` names."""

from __future__ import annotations

import functools
import re

from coffeechat.config import Config
from coffeechat.files import fold_accents
from coffeechat.note import Company, Person


def name_key(text: str) -> str:
    """Names compare ignoring case, accents and extra spaces."""
    return " ".join(fold_accents(text).casefold().split())


def same_school(person: Person, config: Config) -> bool:
    """Whether the person went to the user's school (`school` in coffeechat.toml)."""
    return bool(person.school and config.school) and (
        name_key(person.school) == name_key(config.school)
    )


_LEGAL_SUFFIX = re.compile(
    r"[,.]?\s+(inc|incorporated|llc|ltd|limited|gmbh|ag|plc|corp|corporation|co|sa|bv|pty)\.?$"
)


@functools.lru_cache(maxsize=8192)
def company_key(name: str) -> str:
    """Company names compare like names, and without a legal suffix: "Stripe, Inc." = "Stripe"."""
    key = name_key(name)
    while (shorter := _LEGAL_SUFFIX.sub("", key)) != key:
        key = shorter
    return key


def company_of(person: Person, companies: list[Company]) -> Company | None:
    """The company note a person links to by name, when exactly one matches."""
    if not person.company:
        return None
    wanted = company_key(person.company)
    matches = [c for c in companies if company_key(c.name) == wanted]
    return matches[0] if len(matches) == 1 else None
