"""One plan per chat: the questions for a person's next chat, chosen once and kept.

The first `prep` (or `call`) for a person's next chat picks the questions and keeps their ids
in `prep/plans/NAME.json`; later `prep` runs and the live `call` show the same ones, in the same
order, whatever the day, until that chat has happened (or `prep --reshuffle` asks for new ones).
Then the next `prep` moves them to `earlier`, so neither this person nor anyone at their company
is asked them again, and picks a new plan.

Why a file in the vault, beside the saved sheets: the plan is a promise to the user (the
questions they studied are the ones the call shows), so it must not live in the index cache
under `.coffeechat/`, which may be deleted at any time; and it is not the note's business (a
`prep` that only prints would otherwise edit the note, and the note would fill with opaque ids).
It is JSON, so Obsidian does not list it among the notes; deleting it only means new questions.

The other half of the history is the saved sheets: each records the ids of its questions in its
frontmatter (`used_question_ids`). The store reads both kinds of file; this module takes what
it read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from coffeechat.model.names import company_key, parse_link
from coffeechat.model.note import Person

MAX_BYTES = 256 * 1024
MAX_IDS = 2000


@dataclass(frozen=True)
class KeptPlan:
    person: str  # the note's stem
    company: str
    made: datetime | None  # when the questions were chosen
    questions: tuple[str, ...]  # question ids, in the order the sheet shows them
    earlier: tuple[str, ...] = ()  # ids asked in this person's earlier chats

    def used_up(self, person: Person, now: datetime) -> bool:
        """Whether the chat these questions were for has happened since they were chosen."""
        chat = person.chat
        return bool(chat and self.made and self.made < chat <= now)


def plan_path(folder: Path, stem: str) -> Path:
    """Where the plan for the person whose note is `stem`.md is kept."""
    return folder / f"{stem}.json"


def _ids(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value[:MAX_IDS] if isinstance(item, str) and 0 < len(item) <= 64)


def plan_from(stem: str, data: bytes) -> KeptPlan | None:
    """The plan in a plan file's bytes, or None when it cannot be used (a plan is fine to
    lose: the next `prep` picks new questions)."""
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    made = None
    if isinstance(record.get("made"), str):
        try:
            made = datetime.fromisoformat(record["made"])
        except ValueError:
            made = None
    if made is not None and made.tzinfo is None:
        made = None
    return KeptPlan(
        person=str(record.get("person", stem))[:200],
        company=str(record.get("company", ""))[:200],
        made=made,
        questions=_ids(record.get("questions")),
        earlier=_ids(record.get("earlier")),
    )


def plans_from(files: dict[str, bytes]) -> dict[str, KeptPlan]:
    """Every usable kept plan, by the person's note stem, from the plan files' bytes by stem
    (`Store.kept_plan_files`)."""
    found = {}
    for stem, data in files.items():
        plan = plan_from(stem, data)
        if plan is not None:
            found[stem] = plan
    return found


def plan_bytes(plan: KeptPlan) -> bytes:
    record = {
        "about": "The questions coffeechat keeps for this person's next chat; "
        "`coffeechat prep NAME --reshuffle` picks new ones.",
        "person": plan.person,
        "company": plan.company,
        "made": plan.made.isoformat(timespec="seconds") if plan.made else None,
        "questions": list(plan.questions),
        "earlier": list(plan.earlier),
    }
    return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --- saved sheets: the history of the questions asked -----------------------------------


def sheet_path(folder: Path, person: Person, day: str) -> Path:
    """Where `prep --save` keeps the day's sheet for a person: named after their note
    (`2026-11-23-liam-oconnor.md` for people/liam-oconnor.md), the one name a person has in
    file names and links everywhere."""
    return folder / f"{day}-{person.stem}.md"


def used_question_ids(sheets: list[dict[str, Any]], person: Person) -> set[str]:
    """Question ids in earlier saved sheets (their frontmatter, `Store.saved_sheets`) for this
    person or anyone at their company."""
    used: set[str] = set()
    for values in sheets:
        named = str(values.get("person", ""))
        link = parse_link(named)
        same_person = (link.target if link else named) == person.stem
        same_company = bool(person.company) and company_key(str(values.get("company", ""))) == (
            company_key(person.company)
        )
        if (same_person or same_company) and isinstance(values.get("questions"), list):
            used.update(str(item) for item in values["questions"])
    return used
