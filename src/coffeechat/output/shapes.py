"""The `--json` contract: every command's output shape, declared once, with its version.

Each data command prints one JSON object whose `version` is `VERSION`; a command that lists
things puts them under one key (`{"version": 1, "people": [...]}`), a command that shows one
thing adds `version` beside its own keys. A key is removed, renamed or given another type only
with a bump of `VERSION` and a line in `HISTORY`. The same schemas make docs/json.md
(`schema_markdown`, through cog) and the output schemas of the tools `coffeechat mcp` serves,
and tests/test_json_contract.py checks each command's output against its schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coffeechat.model.note import (
    COMPANY_STATUSES,
    HIRING,
    PERSON_KEYS,
    STAGES,
    Key,
)

VERSION = 1
# What changed at each version, newest last: docs/json.md prints it.
HISTORY = (
    (
        1,
        "Every output is an object with `version`; lists moved under one key "
        '(`list --json` was `[...]`, now `{"version": 1, "people": [...]}`); `show` '
        "adds `body`, the note's text after its frontmatter.",
    ),
)

TEXT: dict[str, Any] = {"type": "string"}
MAYBE_TEXT: dict[str, Any] = {"type": ["string", "null"]}
TEXTS: dict[str, Any] = {"type": "array", "items": TEXT}
COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
DAY: dict[str, Any] = {"type": "string", "format": "date"}
MOMENT: dict[str, Any] = {"type": "string", "format": "date-time"}
FILE: dict[str, Any] = {"type": "string", "description": "The note's path inside the vault."}


def _obj(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object with exactly these keys; those in `optional` may be left out."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def _key_schema(key: Key) -> dict[str, Any]:
    """A note key's value as `--json` writes it, from the key's declared kind."""
    by_kind: dict[str, dict[str, Any]] = {
        "list": TEXTS,
        "date": DAY,
        "datetime": MOMENT,
        "choice": {"type": "string", "enum": list(key.choices)} if key.choices else TEXT,
        "text": TEXT,
    }
    schema = dict(by_kind.get(key.kind, TEXT))
    schema["description"] = key.help
    return schema


PERSON: dict[str, Any] = {
    **_obj(
        {
            "file": FILE,
            "stage": {"type": "string", "enum": list(STAGES)},
            **{key.name: _key_schema(key) for key in PERSON_KEYS},
            "extra": {
                "type": "object",
                "description": "The note's own keys that coffeechat does not read, as written.",
            },
            "zone": {**MAYBE_TEXT, "description": "Their IANA zone (show only)."},
            "zone_source": {**MAYBE_TEXT, "description": "Where the zone came from (show only)."},
        },
        optional=(*(key.name for key in PERSON_KEYS), "zone", "zone_source"),
    ),
    "description": "A person: their note's keys that have a value, the stage and the file.",
}
SHOWN = {
    **PERSON,
    "properties": {
        **PERSON["properties"],
        "body": {"type": "string", "description": "The note's text after its frontmatter."},
    },
    "required": [*PERSON["required"], "body"],
}

DUE_ITEM = _obj(
    {
        "kind": TEXT,
        "file": {"type": ["string", "null"]},
        "person": MAYBE_TEXT,
        "company": {
            **MAYBE_TEXT,
            "description": "The company the item is about: an application's or a coverage "
            "item's, else the person's own; null when the person's note names none.",
        },
        "due": DAY,
        "overdue_days": COUNT,
        "what": {**TEXT, "description": "The item in words, as `due` prints it."},
        "command": {**TEXT, "description": "The coffeechat command that does it."},
    }
)

_STEP = _obj(
    {"step": TEXT, "count": COUNT, "from_previous": {"type": ["number", "null"]}},
)
_RATE = _obj(
    {
        "group": TEXT,
        "messaged": COUNT,
        "replied": COUNT,
        "rate": {"type": ["number", "null"]},
    }
)
STATS = _obj(
    {
        "since": {"type": ["string", "null"], "format": "date"},
        "funnel": {"type": "array", "items": _STEP},
        "applications": {"type": "array", "items": _STEP},
        "median_days_to_reply": {"type": ["number", "null"]},
        "reply_rate_by_connection": {"type": "array", "items": _RATE},
        "reply_rate_by_kind": {"type": "array", "items": _RATE},
        "reply_rate_by_company": {"type": "array", "items": _RATE},
        "give_and_take": {
            "type": "array",
            "items": _obj(
                {
                    "person": TEXT,
                    "received": {**TEXTS, "description": "What they did for you, by step."},
                    "gave": {**COUNT, "description": "Favours you did them (`gave:` lines)."},
                    "asked": {**COUNT, "description": "Favours they asked (`asked:` lines)."},
                }
            ),
        },
        "give_and_take_total": _obj({"received": COUNT, "gave": COUNT, "asked": COUNT}),
    }
)

_COUNTS = {"type": "object", "additionalProperties": COUNT}
WEEK = _obj(
    {
        "week": {**DAY, "description": "This week's Monday."},
        "until": {**DAY, "description": "This week's Sunday."},
        "counts": {**_COUNTS, "description": "messages, replies, chats, referrals this week."},
        "goals": {**_COUNTS, "description": "The weekly goals the settings name."},
        "met": {"type": "boolean"},
        "streak": {**COUNT, "description": "Weeks in a row that met the goals."},
        "cap": {
            "anyOf": [
                _obj({"first_messages": COUNT, "reached": {"type": "boolean"}}),
                {"type": "null"},
            ]
        },
        "weeks": {
            "type": "array",
            "items": _obj({"week": DAY, "counts": _COUNTS, "met": {"type": "boolean"}}),
        },
    }
)

BY_KEY = _obj(
    {
        "by": {**TEXT, "description": "The key the first messages are grouped by."},
        "since": {"type": ["string", "null"], "format": "date"},
        "small_sample": {**COUNT, "description": "Fewer sent than this is too few to tell."},
        "groups": {
            "type": "array",
            "items": _obj(
                {
                    "group": TEXT,
                    "sent": COUNT,
                    "replied": COUNT,
                    "rate": {"type": ["number", "null"]},
                    "too_few": {"type": "boolean"},
                }
            ),
        },
    }
)

INBOX = _obj(
    {
        "inbox": {**TEXT, "description": "The inbox file, inside the vault."},
        "dry_run": {"type": "boolean"},
        "filed": {
            "type": "array",
            "items": _obj(
                {
                    "line": COUNT,
                    "text": TEXT,
                    "file": FILE,
                    "did": {**TEXT, "description": "What changed in the note."},
                    "already_filed": {"type": "boolean"},
                    "warnings": {
                        **TEXTS,
                        "description": "Said on stderr too: a booked chat moved, dates out "
                        "of order.",
                    },
                }
            ),
        },
        "left": {
            "type": "array",
            "items": _obj({"line": COUNT, "text": TEXT, "reason": TEXT}),
        },
    }
)

PAIR = _obj(
    {
        "people": {**TEXTS, "description": "The two people, by name."},
        "files": TEXTS,
        "shared": {**TEXTS, "description": "What they share, in words."},
    }
)

COMPANY_ROW = _obj(
    {
        "company": TEXT,
        "file": {"type": ["string", "null"]},
        "status": {"type": ["string", "null"], "enum": [*COMPANY_STATUSES, None]},
        "priority": {"type": ["integer", "null"], "description": "1 is the most wanted."},
        "remote": MAYBE_TEXT,
        "locations": TEXTS,
        "stack": TEXTS,
        "hiring": {"type": ["string", "null"], "enum": [*HIRING, "", None]},
        "in": MAYBE_TEXT,
        "people": COUNT,
        "by_kind": {"type": "object", "additionalProperties": COUNT},
        "messaged": COUNT,
        "chatted": COUNT,
        "referred": COUNT,
        "gaps": TEXTS,
        "fits_locations": {"type": ["boolean", "null"]},
    }
)

CANDIDATE = _obj(
    {"name": TEXT, "file": FILE, "company": TEXT, "score": {"type": "number"}, "reasons": TEXTS}
)

ZONE = _obj(
    {
        "location": TEXT,
        "zone": MAYBE_TEXT,
        "matched": MAYBE_TEXT,
        "ambiguous": {"type": "boolean"},
        "alternatives": TEXTS,
    }
)

SLOT = _obj(
    {
        "start": MOMENT,
        "end": MOMENT,
        "my_start": MOMENT,
        "my_end": MOMENT,
        "contact_zone": TEXT,
        "my_zone": TEXT,
        "outside": {"type": ["string", "null"], "description": "Why it is outside their hours."},
    }
)

QUESTION = _obj(
    {
        "id": TEXT,
        "audience": TEXT,
        "topic": TEXT,
        "text": TEXT,
        "file": TEXT,
        "line": COUNT,
    }
)

_LINES = _obj({"title": TEXT, "lines": TEXTS})
SHEET = _obj(
    {
        "person": _obj(
            {
                "name": TEXT,
                "file": FILE,
                "company": MAYBE_TEXT,
                "role": MAYBE_TEXT,
                "kind": MAYBE_TEXT,
                "seniority": MAYBE_TEXT,
                "connection": MAYBE_TEXT,
                "referral": MAYBE_TEXT,
            }
        ),
        "chat": {"type": ["string", "null"], "format": "date-time"},
        "chat_ahead": {"type": "boolean"},
        "minutes": COUNT,
        "warnings": TEXTS,
        "cautions": {**TEXTS, "description": "Lines where your notes warn you (don't, avoid…)."},
        "openers": TEXTS,
        "research": TEXTS,
        "last_call": {"anyOf": [_LINES, {"type": "null"}]},
        "lessons": {"type": "array", "items": _obj({"from": TEXT, "line": TEXT})},
        "questions": {
            "type": "array",
            "items": _obj(
                {"id": MAYBE_TEXT, "text": TEXT, "must": {"type": "boolean"}, "source": TEXT}
            ),
        },
        "ask": {"anyOf": [_obj({"minute": COUNT, "text": TEXT, "cues": TEXTS}), {"type": "null"}]},
        "agenda": {
            "type": "array",
            "items": _obj({"minute": COUNT, "title": TEXT, "lines": TEXTS}),
        },
        "after": TEXTS,
    }
)

PROBLEM = _obj(
    {
        "file": TEXT,
        "line": {"type": ["integer", "null"]},
        "problem": {**TEXT, "description": "What is wrong and how to fix it."},
    }
)


_LINES_OF_TEXT = {"type": "array", "items": TEXT}
MERGED = _obj(
    {
        "note": FILE,
        "copies": {"type": "array", "items": _obj({"file": TEXT, "tool": TEXT})},
        "steps": {"type": "array", "items": _obj({"copy": TEXT, "where": TEXT, "what": TEXT})},
        "conflicts": {
            "type": "array",
            "items": _obj(
                {
                    "copy": TEXT,
                    "where": {**TEXT, "description": "A key, or `body`."},
                    "line": {"type": ["integer", "null"]},
                    "mine": _LINES_OF_TEXT,
                    "theirs": _LINES_OF_TEXT,
                    "choice": MAYBE_TEXT,
                }
            ),
        },
        "changed": {"type": "boolean"},
        "written": {"type": "boolean"},
        "moved": TEXTS,
    }
)


@dataclass(frozen=True)
class Shape:
    """What one command prints with `--json`: a list of `record`s under `items`, or (with no
    `items`) one `record` with `version` beside its keys."""

    command: str
    says: str
    record: dict[str, Any]
    items: str = ""


SHAPES: dict[str, Shape] = {
    shape.command: shape
    for shape in (
        Shape("list", "Everyone, or those matching --company and --stage.", PERSON, "people"),
        Shape("show", "One person: their keys, stage, zone and the note's text.", SHOWN),
        Shape("zone", "The time zone a location names, and how sure that is.", ZONE),
        Shape("slots", "Call times to offer, in their zone and yours.", SLOT, "slots"),
        Shape("questions", "The questions in the banks that match.", QUESTION, "questions"),
        Shape(
            "questions --lint",
            "Questions a web search answers, or yes/no ones, in the banks and FILEs; exit 1 "
            "when there are any.",
            PROBLEM,
            "problems",
        ),
        Shape("prep", "The prep sheet for a chat: the kept plan's questions and ask.", SHEET),
        Shape("due", "What is due today, most urgent first.", DUE_ITEM, "due"),
        Shape("stats", "The funnel, the applications and the reply rates.", STATS),
        Shape("companies", "Each target company and who you have there.", COMPANY_ROW, "companies"),
        Shape("next", "Who to contact next, best first, with the reasons.", CANDIDATE, "people"),
        Shape(
            "stats --week", "This week's messages, replies, chats, referrals; goal and cap.", WEEK
        ),
        Shape("stats --by", "First messages grouped by a key: sent, replied, rate.", BY_KEY),
        Shape("inbox", "What each inbox line did, or why it stayed.", INBOX),
        Shape(
            "next --intros",
            "Pairs of people you know who would be glad to know each other.",
            PAIR,
            "pairs",
        ),
        Shape("doctor", "What is wrong in the vault, by file.", PROBLEM, "problems"),
        Shape(
            "merge",
            "Each note merged with its sync copies: steps, conflicts, result.",
            MERGED,
            "notes",
        ),
    )
}


def envelope(command: str, data: Any) -> dict[str, Any]:
    """What `command --json` prints for `data` (its records): the versioned object."""
    shape = SHAPES[command]
    if shape.items:
        return {"version": VERSION, shape.items: data}
    return {"version": VERSION, **data}


def output_schema(command: str) -> dict[str, Any]:
    """The JSON Schema of everything `command --json` prints."""
    shape = SHAPES[command]
    version = {"const": VERSION, "description": "The shape's version; see docs/json.md."}
    if shape.items:
        properties: dict[str, Any] = {
            "version": version,
            shape.items: {"type": "array", "items": shape.record},
        }
        required = ["version", shape.items]
    else:
        properties = {"version": version, **shape.record["properties"]}
        required = ["version", *shape.record["required"]]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"coffeechat {command} --json",
        "description": shape.says,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def schema_markdown() -> str:
    """docs/json.md's reference part: each command's shape, then the version history."""
    import json

    lines = []
    for command, shape in SHAPES.items():
        lines += [f"### `coffeechat {command} --json`", "", shape.says, ""]
        top = f'`{{"version": {VERSION}, "{shape.items}": [...]}}`' if shape.items else ""
        if top:
            lines += [f"Prints {top}; each item:", ""]
        else:
            lines += [f'Prints one object with `"version": {VERSION}` and these keys:', ""]
        lines += ["| key | type | always |", "|---|---|---|"]
        record = shape.record
        for name, schema in record["properties"].items():
            always = "yes" if name in record["required"] else ""
            lines.append(f"| `{name}` | {_type_label(schema)} | {always} |")
        lines += [
            "",
            "<details><summary>JSON Schema</summary>",
            "",
            "```json",
            json.dumps(output_schema(command), indent=2),
            "```",
            "",
            "</details>",
            "",
        ]
    lines += ["## Versions", ""]
    lines += [f"- **{number}**: {what}" for number, what in HISTORY]
    return "\n".join(lines)


def _type_label(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_type_label(part) for part in schema["anyOf"])
    kinds = schema.get("type", "any")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    label = " or ".join(kinds)
    if "format" in schema:
        label = label.replace("string", f"string ({schema['format']})")
    if "enum" in schema:
        label += ": " + ", ".join(f"`{value}`" for value in schema["enum"] if value)
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        items = schema["items"]
        label = f"array of {_type_label(items) if items.get('type') != 'object' else 'objects'}"
    return label
