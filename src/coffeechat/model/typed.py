"""What a person types on the command line for a key: `KEY=VALUE` and its value, read as the
key's kind with the same checks as reading a note."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any

from coffeechat.core.errors import UsageError
from coffeechat.core.patterns import lazy
from coffeechat.model.kinds import KEY_KINDS
from coffeechat.model.note import PERSON_KEY_NAMES, Key, Person, read_value

# A key to remove, in a set of changes (`KEY=` on the command line).
DELETE = object()
_ASSIGNMENT = lazy(r"^([A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)\s*(\+=|-=|=)(.*)$", re.DOTALL)
# A whole number as a person types one: `-0` is not one (its sign would be lost).
_NUMBER = lazy(r"^(?:0|-?[1-9][0-9]{0,15})$")


def typed_input(key: Key | None, text: str, now: datetime, zone: tzinfo, past: bool = False) -> Any:
    """A value typed on the command line, as the type its key declares (a text key keeps
    `-1` as text, a number key writes `2` as a number); `past`: it records something that
    happened, so a day the text leaves open is the latest, not the next. A key no note
    declares has no type to follow: a whole number is written as the number it is."""
    if key is None:
        return int(text) if _NUMBER.match(text) else text
    kind = KEY_KINDS[key.kind]
    if kind.numbers and _NUMBER.match(text):
        text = str(int(text))  # `02` is 2, as a person means it
    try:
        value = kind.typed(text, now, zone, past)
        return read_value(key, value, zone)  # the same checks as reading the note
    except ValueError as error:
        raise UsageError(f"{key.name}: {error}") from None


def parse_assignments(
    assignments: list[str], person: Person, now: datetime, zone: tzinfo
) -> dict[str, Any]:
    """`KEY=VALUE` sets, `KEY=` removes, `KEY+=VALUE`/`KEY-=VALUE` add to or take from a list."""
    changes: dict[str, Any] = {}
    lists: dict[str, list[str]] = {}
    for assignment in assignments:
        match = _ASSIGNMENT.match(assignment.strip())
        if not match:
            raise UsageError(f"`{assignment}` is not KEY=VALUE (or KEY+=VALUE, KEY-=VALUE, KEY=)")
        name, operator, text = match.group(1), match.group(2), match.group(3).strip()
        key = PERSON_KEY_NAMES.get(name)
        if "\n" in text:
            raise UsageError(f"{name}: a value must be one line")
        if operator == "=":
            if not text and name == "name":
                raise UsageError("name: a note needs a name; give the new one, `name=Full Name`")
            if not text:
                changes[name] = DELETE
            elif key is not None and key.many:
                changes[name] = [text]
            else:
                changes[name] = typed_input(key, text, now, zone)
            continue
        if key is None or not key.many:
            lists_keys = ", ".join(k.name for k in PERSON_KEY_NAMES.values() if k.many)
            raise UsageError(f"`{name}{operator}` works on list keys only: {lists_keys}")
        current = lists.setdefault(name, list(getattr(person, name)))
        if operator == "+=" and text not in current:
            current.append(text)
        elif operator == "-=":
            if text not in current:
                raise UsageError(f"{name}: `{text}` is not in the list ({', '.join(current)})")
            current.remove(text)
        changes[name] = list(current) if current else DELETE
    return changes
