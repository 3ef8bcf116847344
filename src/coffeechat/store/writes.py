"""Changing notes: adding a person, setting keys, logging a line, marking a milestone.

Each change locks the note (`files.note_lock`, so two coffeechat runs take turns), reads its
bytes once, builds the new bytes, and writes them atomically only if the file still holds what
was read (`files.replace_file`, which also catches an editor's save). A change that would alter
nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from coffeechat.core.controls import one_line
from coffeechat.core.errors import NoteError, UsageError, WriteRefused
from coffeechat.model import body
from coffeechat.model.inbox import CALL_LINES, Entry, chat_moment
from coffeechat.model.names import company_key, name_key
from coffeechat.model.note import (
    COMPANY_KEYS,
    DATE_MILESTONES,
    PERSON_KEY_NAMES,
    PERSON_KEYS,
    Change,
    Company,
    Person,
    after_today,
    chat_moved,
    first_date_replaced,
    order_warnings,
    read_value,
)
from coffeechat.model.typed import DELETE, typed_input
from coffeechat.store.files import (
    create_file,
    free_path,
    note_lock,
    replace_file,
    shown,
    slugify,
)
from coffeechat.store.notefile import (
    Frontmatter,
    NoteText,
    apply_changes,
    company_from,
    emit_scalar,
    emit_value,
    line_comment,
    load_frontmatter,
    person_from,
    read_note,
    split_note,
)

NEW_NOTE_BODY = "## Notes\n\n## Log\n"
NEW_COMPANY_STATUS = "target"


def _write_if_changed(note: NoteText, new: bytes, summary: str) -> Change:
    if new == note.raw:
        return Change(note.path, False, "nothing to change")
    replace_file(note.path.resolve(), new, note.raw)
    return Change(note.path, True, summary)


def set_keys(person: Person | Company, changes: dict[str, Any]) -> Change:
    with note_lock(person.path):
        note, _ = read_note(person.path)
        new = apply_changes(note, changes)
        shown = "; ".join(
            f"removed {key}" if value is DELETE else f"{key}: {emit_value(value)}"
            for key, value in changes.items()
        )
        return _write_if_changed(note, new, shown)


# Adding to a note's body parses it as Markdown to find the section; past this size that takes
# seconds and grows without bound, so the body of a larger note is not edited (its keys are).
BODY_EDIT_BYTES = 1 << 20


def _editable_body(note: NoteText) -> str:
    """The note's body, when it is small enough to add to; else WriteRefused saying why."""
    size = len(note.body.encode("utf-8", "surrogatepass"))
    if size > BODY_EDIT_BYTES:
        raise WriteRefused(
            f"{shown(note.path)}: its body is {size / (1 << 20):.1f} MB; coffeechat adds to the "
            "body of notes up to 1 MB — move old log lines or notes to another file; nothing "
            "written"
        )
    return note.body


def change_company(
    company: Company, changes_for: Callable[[Company], dict[str, Any]], zone: tzinfo
) -> Change:
    """Set the keys `changes_for` asks of the company note as it is now, read under its lock:
    a list it adds to (a step) is read then, so two runs at once lose nothing."""
    with note_lock(company.path):
        note, front = read_note(company.path)
        current = company_from(company.path, front, zone)
        changes = changes_for(current)
        new = apply_changes(note, changes)
        shown = "; ".join(f"{key}: {emit_value(value)}" for key, value in changes.items())
        return _write_if_changed(note, new, shown)


def mark_milestone(
    person: Person,
    milestone: str,
    when: str | None,
    now: datetime,
    zone: tzinfo,
    also: dict[str, Any] | None = None,
) -> Change:
    """Set a milestone's date (the chat's date and time), today or now by default, checked
    as `set` and reading the note check it (a usable year, for one); and the keys in `also`
    in the same write."""
    if milestone not in DATE_MILESTONES:
        raise UsageError(
            f"`{milestone}` is not a milestone; use one of {', '.join(DATE_MILESTONES)}"
        )
    key = PERSON_KEY_NAMES[milestone]
    default = "now" if key.kind == "datetime" else "today"
    value = typed_input(key, when or default, now, zone, past=True)
    if when and milestone != "chat" and value > now.astimezone(zone).date():
        raise UsageError(after_today(value))
    changes = {milestone: value, **(also or {})}
    with note_lock(person.path):
        note, front = read_note(person.path)
        before = person_from(person.path, front, zone)
        new = apply_changes(note, changes)
        shown_changes = "; ".join(f"{k}: {emit_value(v)}" for k, v in changes.items())
        change = _write_if_changed(note, new, shown_changes)
    after = person_from(person.path, load_frontmatter(split_note(person.path, new)), zone)
    said = _moved(note, front, before, after, now, zone) + order_warnings(after, milestone)
    if not when:  # today's date over a first one: likely the same event marked again
        said += first_date_replaced(before, after, milestone)
    return replace(change, warnings=tuple(said))


def _moved(
    note: NoteText, front: Frontmatter, before: Person, after: Person, now: datetime, zone: tzinfo
) -> list[str]:
    """A booked chat still ahead, replaced by another time: said, as `schedule` says it."""
    if before.chat is None or after.chat is None or before.chat <= now:
        return []
    if before.chat == after.chat:
        return []
    return [chat_moved(before.chat, after.chat, zone, line_comment(note, front, "chat"))]


def log_line(person: Person, text: str, now: datetime, zone: tzinfo) -> Change:
    """Add `- YYYY-MM-DD: text` to the note's `## Log` section, in date order."""
    line = " ".join(text.split())
    if not line:
        raise UsageError("nothing to log; pass the text to add")
    day = now.astimezone(zone).date()
    entry = f"- {day.isoformat()}: {line}"
    with note_lock(person.path):
        note, _ = read_note(person.path)
        new_body = body.add_log_line(_editable_body(note), entry, note.newline)
        new_text = note.text[: note.body_start] + new_body
        return _write_if_changed(note, note.encode(new_text), f"logged {day.isoformat()}: {line}")


def set_keys_and_log(person: Person, changes: dict[str, Any], entry: str, day: date) -> Change:
    """Set keys and add a `## Log` line in one write: `schedule` records both or neither."""
    line = f"- {day.isoformat()}: {' '.join(entry.split())}"
    with note_lock(person.path):
        original, _ = read_note(person.path)
        edited = split_note(person.path, apply_changes(original, changes))
        new_body = body.add_log_line(_editable_body(edited), line, edited.newline)
        new = edited.encode(edited.text[: edited.body_start] + new_body)
        return _write_if_changed(original, new, f"{entry}; logged")


def record_call(
    person: Person,
    section: list[str],
    chat: datetime | None,
    *,
    referral_asked: bool = False,
    log: str = "",
) -> Change:
    """Add the call's notes at the end of `## Notes`, `chat:` when the note had none,
    `referral: asked` when the ask was marked asked and the note had no `referral:` yet, and
    `log` as a `## Log` line, all in one write; the note is read now, after the call, so edits
    made meanwhile are kept."""
    with note_lock(person.path):
        original, _ = read_note(person.path)
        note = original
        changes: dict[str, Any] = {}
        if chat and chat.tzinfo:
            current = person_from(person.path, load_frontmatter(original), chat.tzinfo)
            if current.chat is None:
                changes["chat"] = chat
            if referral_asked and not current.referral:
                changes["referral"] = "asked"
        if changes:
            note = split_note(person.path, apply_changes(original, changes))
        text = note.newline.join(section)
        new_body = body.append_to_section(
            _editable_body(note), "Notes", text, note.newline, separate=True
        )
        if log and chat:
            entry = f"- {chat.date().isoformat()}: {' '.join(log.split())}"
            new_body = body.add_log_line(new_body, entry, note.newline)
        new = note.encode(note.text[: note.body_start] + new_body)
        summary = f"saved the call under {section[0]}"
        if "referral" in changes:
            summary += "; referral: asked"
        return _write_if_changed(original, new, summary)


def append_draft(person: Person, kind: str, text: str, day: date) -> Change:
    """Add a draft under `### Draft (KIND) DATE` in the note's `## Drafts` section."""
    with note_lock(person.path):
        note, _ = read_note(person.path)
        lines = [f"### Draft ({kind}) {day.isoformat()}", "", *text.rstrip("\n").splitlines()]
        block = note.newline.join(lines)
        new_body = body.append_to_section(
            _editable_body(note), "Drafts", block, note.newline, separate=True
        )
        new = note.encode(note.text[: note.body_start] + new_body)
        return _write_if_changed(note, new, f"saved the {kind} draft under ## Drafts")


def add_company(
    folder: Path,
    companies: list[Company],
    name: str,
    given: dict[str, Any],
    now: datetime,
    zone: tzinfo,
) -> Change:
    """Create a company note in `folder`, refusing a second note for a company among
    `companies`."""
    name = " ".join(name.split())
    if not name:
        raise UsageError("a company needs a name")
    same = [c for c in companies if company_key(c.name) == company_key(name)]
    if same:
        raise WriteRefused(
            f"{shown(same[0].path)}: {same[0].name} already has a note; nothing written"
        )
    # A company you add is one you target; its name is an alias, so `[[Lumen Pay]]` finds it.
    given = {"status": NEW_COMPANY_STATUS, "aliases": [name], **given}
    values: dict[str, Any] = {"name": name}
    for key in COMPANY_KEYS:
        if key.name != "name" and given.get(key.name):
            # As its key declares it: `--priority 2` is the number 2, as in a hand-made note.
            value = given[key.name]
            values[key.name] = (
                typed_input(key, value, now, zone)
                if isinstance(value, str) and not key.many
                else value
            )
    text = new_note_text(values, "\n")
    path = free_path(folder, slugify(name, fallback="company"))
    create_file(path, text.encode("utf-8"))
    return Change(path, True, f"Added {name}.")


def create_imported(folder: Path, values: dict[str, Any], source: str, day: date) -> Path:
    """A new person note from an import; the plan has already ruled out a duplicate."""
    values = {"aliases": [values["name"]], **values}  # so `[[Full Name]]` finds the note
    ordered = {key.name: values[key.name] for key in PERSON_KEYS if values.get(key.name)}
    text = new_note_text(
        ordered, f"\n{NEW_NOTE_BODY}\n- {day.isoformat()}: imported from {source}\n"
    )
    path = free_path(folder, slugify(str(values["name"]), fallback="person"))
    try:
        load_frontmatter(split_note(path, text.encode()))
    except NoteError as error:
        raise WriteRefused(f"cannot write a note for {values['name']}: {error}") from None
    create_file(path, text.encode("utf-8"))
    return path


def new_note_text(values: dict[str, Any], body_text: str) -> str:
    lines = ["---"]
    for key, value in values.items():
        if isinstance(value, list | tuple):
            lines.append(f"{key}:")
            lines += [f"  - {emit_scalar(item)}" for item in value]
        else:
            lines.append(f"{key}: {emit_scalar(value)}")
    lines += ["---", ""]
    return "\n".join(lines) + body_text


def add_person(
    folder: Path, people: list[Person], values: dict[str, Any], now: datetime, zone: tzinfo
) -> Change:
    """Create a person note in `folder` from `values`, refusing a second note for someone
    among `people`."""
    name = one_line(str(values.get("name", "")))
    if not name:
        raise UsageError("a person needs a name")
    given = {"aliases": [name], **values, "name": name}  # so `[[Full Name]]` finds the note
    # One line each, as the imports keep them: a line break or control character is a space.
    given = {
        key: one_line(value)
        if isinstance(value, str)
        else [one_line(item) if isinstance(item, str) else item for item in value]
        if isinstance(value, list | tuple)
        else value
        for key, value in given.items()
    }
    values = {}
    for key in PERSON_KEYS:
        if given.get(key.name):
            try:
                values[key.name] = read_value(key, given[key.name], zone)
            except ValueError as error:
                raise UsageError(f"--{key.name}: {error}") from None
    same = [
        p
        for p in people
        if name_key(p.name) == name_key(name)
        and company_key(p.company) == company_key(str(values.get("company", "")))
    ]
    if same:
        raise WriteRefused(
            f"{shown(same[0].path)}: {same[0].name} is already in the vault; nothing written"
        )
    day = now.astimezone(zone).date().isoformat()
    text = new_note_text(values, f"\n{NEW_NOTE_BODY}\n- {day}: added\n")
    path = free_path(folder, slugify(name, fallback="person"))
    try:
        load_frontmatter(split_note(path, text.encode()))
    except NoteError as error:
        raise WriteRefused(f"cannot write a note for {name}: {error}") from None
    create_file(path, text.encode("utf-8"))
    return Change(path, True, f"Added {name}.")


def file_entry(
    person: Person, entry: Entry, now: datetime, zone: tzinfo, dry_run: bool = False
) -> Change:
    """File one inbox entry into the person's note in one write: the milestone or referral
    it sets, its `## Log` line, or its `Thanks:`/`Next:` line under the call. An entry whose
    line the note holds already was filed before (by a run stopped before it took the line
    out of the inbox): nothing is written, and the Change says `already filed`."""
    log = entry.log_text()
    log_line_text = f"- {entry.day.isoformat()}: {log}" if log else ""
    with note_lock(person.path):
        note, front = read_note(person.path)
        text = _editable_body(note)
        if body.has_line(text, log_line_text or entry.call_text()):
            return Change(note.path, False, "already filed")
        changes: dict[str, Any] = {}
        current = person_from(person.path, front, zone)
        if entry.milestone == "chat":
            changes["chat"] = chat_moment(entry, current.chat, now, zone)
        elif entry.milestone:
            changes[entry.milestone] = entry.day
        if entry.referral:
            changes["referral"] = entry.referral
        edited = split_note(person.path, apply_changes(note, changes)) if changes else note
        new_body = edited.body
        if log_line_text:
            new_body = body.add_log_line(new_body, log_line_text, edited.newline)
        else:
            # A call line belongs to the chat: a new `### Call` is dated by the note's last
            # chat when it came on or before the line's day, else by the line's day.
            chat_day = current.chat.astimezone(zone).date() if current.chat else None
            call_day = chat_day if chat_day and chat_day <= entry.day else entry.day
            new_body = body.add_call_line(
                new_body,
                entry.call_text(),
                CALL_LINES[entry.call_line],
                call_day.isoformat(),
                edited.newline,
            )
        new = edited.encode(edited.text[: edited.body_start] + new_body)
        done = [f"{key}: {emit_value(value)}" for key, value in changes.items()]
        done.append(
            f"logged {entry.day.isoformat()}: {log}" if log else f"kept {entry.call_text()}"
        )
        summary = "; ".join(done)
        said: list[str] = []
        if entry.milestone:
            after = person_from(person.path, load_frontmatter(edited), zone)
            said = _moved(note, front, current, after, now, zone)
            said += order_warnings(after, entry.milestone)
            said += first_date_replaced(current, after, entry.milestone)
        if dry_run:
            return Change(note.path, new != note.raw, summary, tuple(said))
        return replace(_write_if_changed(note, new, summary), warnings=tuple(said))
