"""JSON with tagged dates: how the index cache keeps the mappings YAML read (a note's key lines,
its unknown keys). The model decodes them only when asked, so it shares this format."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

EMPTY: Mapping[str, Any] = MappingProxyType({})

_TAG = "\x00t"


def _tag_dates(value: Any) -> Any:
    """For unknown keys, which may hold anything YAML reads: dates are tagged."""
    if isinstance(value, datetime):
        return {_TAG: "dt", "v": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "d", "v": value.isoformat()}
    raise TypeError(type(value).__name__)


def _untag_dates(obj: dict[str, Any]) -> Any:
    tag = obj.get(_TAG)
    if tag == "dt":
        return datetime.fromisoformat(obj["v"])
    if tag == "d":
        return date.fromisoformat(obj["v"])
    return obj


def encode_mapping(value: Mapping[str, Any] | str) -> str:
    if isinstance(value, str):
        return value  # still the text it was cached as
    if not value:
        return ""
    return json.dumps(dict(value), default=_tag_dates, ensure_ascii=False, separators=(",", ":"))


def decode_mapping(text: str) -> Mapping[str, Any]:
    """A note's key lines or unknown keys from their cached text; empty if it is garbled."""
    if not text:
        return EMPTY
    try:
        value = json.loads(text, object_hook=_untag_dates)
    except (ValueError, TypeError, OverflowError):
        return EMPTY
    return value if isinstance(value, dict) else EMPTY
