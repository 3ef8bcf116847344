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
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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


def plan_path(folder: Path, person: Person) -> Path:
    return folder / f"{person.stem}.json"


def _ids(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value[:MAX_IDS] if isinstance(item, str) and 0 < len(item) <= 64)


def read_plan(path: Path) -> KeptPlan | None:
    """The plan in `path`, or None when there is none or it cannot be used (a plan is fine to
    lose: the next `prep` picks new questions)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    made = None
    if isinstance(data.get("made"), str):
        try:
            made = datetime.fromisoformat(data["made"])
        except ValueError:
            made = None
    if made is not None and made.tzinfo is None:
        made = None
    return KeptPlan(
        person=str(data.get("person", path.stem))[:200],
        company=str(data.get("company", ""))[:200],
        made=made,
        questions=_ids(data.get("questions")),
        earlier=_ids(data.get("earlier")),
    )


def read_plans(folder: Path) -> dict[str, KeptPlan]:
    """Every kept plan in the vault's plans folder, by the person's note stem."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.glob("*.json")):
        plan = read_plan(path)
        if plan is not None:
            found[path.stem] = plan
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
