"""`coffeechat inbox`: file each line of the inbox into its note, and keep what cannot be.

The run, so that stopping it anywhere files no line twice and loses none:

1. Under the inbox's lock, read it. A line with no day, or a relative one (`yesterday`),
   gets the day written out first, in one atomic write of the inbox: a run stopped now and
   started again tomorrow still files it on the right day.
2. Each line is filed into its note through the store's locked, checked write, which
   writes nothing when the note holds the line's log line (or `Thanks:`/`Next:` line)
   already: a line filed by a run stopped before step 3 is not filed again. The lines of
   one note are filed in order; several notes are written at once, since each write waits
   on the disk.
3. One atomic write of the inbox takes the filed lines out and puts each reason beside a
   line that stays. Lines a phone's sync added meanwhile are kept: the lines are matched by
   their text, not their place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coffeechat.core.errors import CoffeechatError, NoteError, WriteRefused
from coffeechat.model.inbox import InboxLine, inbox_lines, read_line, strip_reason, with_reason
from coffeechat.model.note import Person
from coffeechat.store.vault import Store

# How many times the last write is tried again when a sync saved the inbox in between.
_RETRIES = 5
# Notes filed at once: each write waits on the disk (fsync), and waits overlap.
_WORKERS = 8


@dataclass(frozen=True)
class Filed:
    line: InboxLine
    path: Path
    summary: str
    already: bool  # the note held the line already (a stopped run filed it)
    warnings: tuple[str, ...] = ()  # a booked chat moved, dates out of order


@dataclass(frozen=True)
class Left:
    line: InboxLine
    reason: str
    at: int = 0  # its line in the inbox as the run leaves it (0: as read)

    @property
    def number(self) -> int:
        return self.at or self.line.number


@dataclass
class InboxReport:
    path: Path
    filed: list[Filed] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)
    dry_run: bool = False


def _lines(text: str) -> list[str]:
    return inbox_lines(text)


def file_inbox(store: Store, now: datetime, dry_run: bool = False) -> InboxReport:
    """File every line of the vault's inbox it can; `dry_run` writes nothing."""
    report = InboxReport(store.inbox_path, dry_run=dry_run)
    if store.read_inbox() is None:
        return report
    with store.inbox_lock():
        raw = store.read_inbox()
        if raw is None:
            return report
        text = _decode(store, raw)
        zone = store.config.zone
        read = [read_line(n, line, now, zone) for n, line in enumerate(_lines(text), 1)]
        if not dry_run and any(line.stamped for line in read):
            stamped = "".join(
                _ending_like(line.stamped, original) if line.stamped else original
                for line, original in zip(read, _lines(text), strict=True)
            )
            bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
            new = (bom + stamped).encode("utf-8")
            store.replace_inbox(new, raw)
            raw, text = new, stamped
            read = [read_line(n, line, now, zone) for n, line in enumerate(_lines(text), 1)]
        entries = [line for line in read if line.entry is not None or line.reason]
        if not entries:
            return report
        find = store.finder()
        outcomes: dict[int, Filed | Left] = {}
        # Lines for one note are filed in order, by one worker; notes apart, at once.
        groups: dict[str, list[tuple[InboxLine, Person]]] = {}
        for line in entries:
            if line.entry is None:
                outcomes[line.number] = Left(line, line.reason)
                continue
            try:
                person = find(line.entry.name)
            except NoteError as error:
                shown = _shown(store, error.problem.path)
                outcomes[line.number] = Left(line, error.problem.located(shown))
                continue
            except CoffeechatError as error:
                outcomes[line.number] = Left(line, str(error))
                continue
            groups.setdefault(person.file, []).append((line, person))

        def file_group(items: list[tuple[InboxLine, Person]]) -> list[Filed | Left]:
            return [_file_one(store, line, person, now, dry_run) for line, person in items]

        from concurrent.futures import ThreadPoolExecutor

        with store.many_writes(), ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            for done in pool.map(file_group, groups.values()):
                outcomes.update((item.line.number, item) for item in done)
        for _, outcome in sorted(outcomes.items()):
            if isinstance(outcome, Filed):
                report.filed.append(outcome)
            else:
                report.left.append(outcome)
        if not dry_run:
            _take_out(store, report, raw)
    return report


def _file_one(
    store: Store, line: InboxLine, person: Person, now: datetime, dry_run: bool
) -> Filed | Left:
    assert line.entry is not None
    try:
        change = store.file_entry(person, line.entry, now, dry_run)
    except NoteError as error:
        return Left(line, error.problem.located(_shown(store, error.problem.path)))
    except CoffeechatError as error:
        return Left(line, str(error))
    already = change.summary == "already filed"
    return Filed(line, change.path, change.summary, already, change.warnings)


def _decode(store: Store, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WriteRefused(
            f"{_shown(store, store.inbox_path)}: not valid UTF-8; save it as UTF-8"
        ) from None


def _ending_like(text: str, original: str) -> str:
    """`text` with the line ending `original` had."""
    body = original.rstrip("\r\n")
    return text + original[len(body) :]


def _take_out(store: Store, report: InboxReport, raw: bytes) -> None:
    """Take the filed lines out of the inbox and put each reason beside its line, matching
    lines by text so a line a sync added meanwhile stays as it is."""
    for _ in range(_RETRIES):
        current = raw if _ == 0 else store.read_inbox()
        if current is None:
            return
        text = _decode(store, current)
        gone = Counter(strip_reason(item.line.text) for item in report.filed)
        reasons = {strip_reason(item.line.text): item.reason for item in report.left}
        kept: list[str] = []
        at: dict[str, list[int]] = {}
        for line in _lines(text):
            body = line.rstrip("\r\n")
            key = strip_reason(body)
            if gone[key] > 0:
                gone[key] -= 1
                continue
            if key in reasons:
                line = with_reason(body, reasons[key]) + line[len(body) :]
                at.setdefault(key, []).append(len(kept) + 1)
            kept.append(line)
        new = "".join(kept)
        if not new.strip():
            new = ""
        bom = "\ufeff" if current.startswith(b"\xef\xbb\xbf") else ""
        try:
            store.replace_inbox((bom + new).encode("utf-8"), current)
        except WriteRefused:
            continue
        placed = []
        for item in report.left:
            numbers = at.get(strip_reason(item.line.text), [])
            placed.append(Left(item.line, item.reason, numbers.pop(0) if numbers else 0))
        report.left = placed
        return
    raise WriteRefused(
        f"{_shown(store, store.inbox_path)}: kept changing while coffeechat took the filed "
        "lines out; run `coffeechat inbox` again (it files no line twice)"
    )


def _shown(store: Store, path: Path) -> str:
    try:
        return path.relative_to(store.root).as_posix()
    except ValueError:
        return str(path)
