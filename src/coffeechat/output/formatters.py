"""How results look: plain text for people, stable JSON for scripts."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import unicodedata
from datetime import date, datetime, timedelta, tzinfo
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from coffeechat.core.controls import CONTROL, CONTROLS
from coffeechat.core.errors import Problem
from coffeechat.model.note import PERSON_KEYS, Person
from coffeechat.model.people import PERSON_KINDS
from coffeechat.when.timefmt import (
    both_sides,
    clock_time,
    day_and_time,
    plural,
    short_day,
    zone_abbreviation,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from coffeechat.exchange.inbox import InboxReport
    from coffeechat.pipeline.coverage import Coverage
    from coffeechat.pipeline.due import DueItem, DueList
    from coffeechat.pipeline.funnel import Group, Rate, Stats
    from coffeechat.pipeline.next import Candidate, Pair
    from coffeechat.pipeline.week import WeekStats
    from coffeechat.prep.questions import Bank
    from coffeechat.scheduling.slots import Slot
    from coffeechat.when.zones import ContactZone, ZoneGuess


def display_path(path: Path) -> str:
    """A path as the user can open it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


CELL_WIDTH = 48


def clean(text: str) -> str:
    """Text from a note as it is safe to print: controls (`controls.CONTROLS`) shown as `?`.
    Printable ASCII, most of what is printed, holds none: it is let through unsearched."""
    if text.isascii() and text.isprintable():
        return text
    return CONTROL.sub("?", text)


# coffeechat's own styles carry a mark made fresh for each run, so `for_terminal` can tell
# them from an escape sequence that came in with a note's text, which it never could guess.
_OWN = f"\ue000{os.urandom(8).hex()}"  # os.urandom, not secrets: that imports hashlib
_TERMINAL = re.compile(f"({_OWN}\x1b)|[{CONTROLS}]")


def style(text: str, **styles: Any) -> str:
    """`text`, cleaned, in a style (click.style's bold, dim, fg=…) that `for_terminal` keeps."""
    return click.style(clean(text), **styles).replace("\x1b", f"{_OWN}\x1b")


def for_terminal(text: str) -> str:
    """Human output as it is safe to print: CRLF line ends as LF, coffeechat's own styles
    (`style`) kept, and every other control or bidi character shown as `?`, wherever it
    came from. Commands print through `say`, which calls this: the one path human output
    takes to the terminal."""
    if not CONTROL.search(text):
        return text
    text = text.replace("\r\n", "\n")
    return _TERMINAL.sub(lambda match: "\x1b" if match.group(1) else "?", text)


def columns(text: str) -> int:
    """How many terminal columns `text` takes: two for a wide character (CJK, fullwidth),
    none for a combining mark, one for the rest."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def pad(text: str, width: int) -> str:
    """`text` followed by spaces to fill `width` terminal columns."""
    return text + " " * (width - columns(text))


def cell(text: str, width: int = CELL_WIDTH) -> str:
    """A table cell: clean, on one line, and cut to `width` columns with an ellipsis."""
    if text.isprintable() and (len(text) if text.isascii() else 2 * len(text)) <= width:
        return text
    text = clean(" ".join(text.split()))
    if columns(text) <= width:
        return text
    while columns(text) > width - 1:
        text = text[:-1]
    return text + "…"


def problem_line(problem: Problem) -> str:
    return clean(problem.located(display_path(problem.path)))


def _plain(value: Any) -> Any:
    """A value as JSON holds it; every time in ISO 8601 with seconds and its offset."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    # What else YAML can hold in a note's own keys: `!!binary` as its base64 text, `!!set` as
    # a sorted list, `.nan`/`.inf` and anything unusual as text, so --json never fails on one.
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode("ascii")
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=str)
    if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
        return str(value)
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def to_json(data: Any) -> str:
    """Stable JSON with the exact text: controls and bidi characters are written as `\\uXXXX`
    escapes (json already escapes the C0 ones), so it is safe on a terminal and reads back
    the same."""
    text = json.dumps(_plain(data), indent=2, ensure_ascii=False)
    return CONTROL.sub(_json_escape, text) if CONTROL.search(text) else text


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def problem_record(problem: Problem) -> dict[str, Any]:
    """A problem as `doctor --json` and `questions --lint --json` give it."""
    return {"file": display_path(problem.path), "line": problem.line, "problem": problem.message}


def person_values(person: Person) -> dict[str, Any]:
    """The person's known keys that have a value, in the documented order."""
    values = {key.name: getattr(person, key.field) for key in PERSON_KEYS}
    return {name: value for name, value in values.items() if value not in ("", None, ())}


def person_record(
    person: Person, root: Path, stage: str, contact: ContactZone | None = None
) -> dict[str, Any]:
    """Everything known about a person as plain values: the stable `--json` shape.
    `show` adds their zone; `list` leaves it out rather than look up every location."""
    record: dict[str, Any] = {
        "file": person.path.relative_to(root).as_posix(),
        "stage": stage,
        **person_values(person),
        "extra": dict(person.extra),
    }
    if contact:
        record.update(zone=contact.zone, zone_source=contact.source or None)
    return _plain(record)


def _narrow(text: str) -> bool:
    """Whether every character of `text` takes one terminal column."""
    return all(columns(char) == 1 for char in set(text) if not char.isascii())


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to line up on a terminal, by display width (a CJK name is twice as
    wide as its length)."""
    found: list[tuple[int, Sequence[str]]] = []  # (width, cells): to pad by length, or padded
    for column in zip(headers, *rows, strict=True):
        together = "".join(column)
        widest = max(map(len, column))
        if together.isprintable() and (
            (together.isascii() and widest <= CELL_WIDTH)
            or (widest <= CELL_WIDTH // 2 and _narrow(together))
        ):
            # The usual column: every cell already clean and short enough for `cell` to keep
            # as it is, and one terminal column per character; checked once for the column.
            found.append((widest, column))
            continue
        column = (column[0], *(cell(value) for value in column[1:]))
        widths = [columns(value) for value in column]
        widest = max(widths)
        found.append(
            (0, [value + " " * (widest - n) for value, n in zip(column, widths, strict=True)])
        )
    if all(widest for widest, _ in found):
        # Every column the usual one (a big vault's `list`): each line padded in one step.
        line = "  ".join(f"%-{widest}s" for widest, _ in found)
        return [(line % tuple(values)).rstrip() for values in (headers, *rows)]
    padded = [[value.ljust(widest) for value in column] for widest, column in found]
    return ["  ".join(line).rstrip() for line in zip(*padded, strict=True)]


# The days of a person's milestones but the chat (a time: its own day is taken).
_MILESTONE_DAYS = attrgetter("messaged", "nudged", "replied", "thanked", "applied", "updated")


def _latest(person: Person) -> str:
    """The day of the person's latest milestone."""
    chat = person.chat
    latest = max(filter(None, _MILESTONE_DAYS(person)), default=None)
    if chat is not None and (latest is None or chat.date() > latest):
        latest = chat.date()
    return latest.isoformat() if latest is not None else ""


STAGE_COLOURS = {
    "messaged": "yellow",
    "nudged": "yellow",
    "replied": "cyan",
    "scheduled": "cyan",
    "chatted": "blue",
    "thanked": "blue",
    "referred": "green",
}


def styled_stage(name: str, width: int = 0) -> str:
    """The stage padded to `width`, coloured (click drops the colour off a terminal)."""
    colour = STAGE_COLOURS.get(name)
    padded = name.ljust(width)
    return style(padded, fg=colour) if colour else style(padded, dim=True)


def people_table(people: list[Person], stages: list[str]) -> list[str]:
    """One line per person, with their stage (coloured on a terminal)."""
    from coffeechat.model.names import label

    labels = {company: label(company) for company in {p.company for p in people}}
    rows = [
        [p.name, labels[p.company], p.role, s, _latest(p)]
        for p, s in zip(people, stages, strict=True)
    ]
    lines = table(["NAME", "COMPANY", "ROLE", "STAGE", "LATEST"], rows)
    if not colour_on():
        return lines
    stage_column = lines[0].index("STAGE")
    width = max(len(s) for s in [*stages, "STAGE"])
    styled = {name: styled_stage(name, width) for name in set(stages)}
    coloured = [lines[0]]
    for line, name, row in zip(lines[1:], stages, rows, strict=True):
        # The stage starts `stage_column` columns in; wide characters before it take two.
        start = stage_column - sum(columns(cell(text)) - len(cell(text)) for text in row[:3])
        rest = line[start + width :]
        shown = styled[name] if rest else styled_stage(name)
        coloured.append(line[:start] + shown + rest)
    return coloured


def _human(value: Any) -> str:
    """A value as a person reads it: a link by its label (`[[lumen-pay|Lumen Pay]]` is Lumen
    Pay), list items joined."""
    from coffeechat.model.names import label

    if isinstance(value, datetime):
        return value.strftime("%a %Y-%m-%d %H:%M UTC%z").replace("UTC+0000", "UTC")
    value = _plain(value)
    items = value if isinstance(value, list) else [value]
    return clean(", ".join(label(str(item)) for item in items))


def zone_lines(contact: ContactZone, now: datetime) -> list[tuple[str, str]]:
    """`zone` and `their time` rows for `show`: where the zone came from, their clock now."""
    if contact.zone is None:
        if contact.guess is None:
            return [("zone", "unknown; set location: or timezone:")]
        return [("zone", f"unknown ({contact.guess.reason}); set timezone:")]
    source = "from timezone:" if contact.source == "timezone" else "from location"
    if contact.guess and contact.guess.matched:
        source += f", matched {contact.guess.matched}"
        if contact.guess.ambiguous and not contact.guess.alternatives:
            source += "; a guess for a town it does not know, set timezone: if wrong"
        elif contact.guess.ambiguous and not contact.guess.same_time:
            source += "; other places share the name, set timezone: if wrong"
    local = now.astimezone(ZoneInfo(contact.zone))
    return [
        ("zone", f"{contact.zone} ({source})"),
        ("their time", f"{day_and_time(local)} now"),
    ]


def person_lines(
    person: Person, stage: str, now: datetime, contact: ContactZone, my_zone: tzinfo
) -> list[str]:
    """`show`: the stage, the person's keys in a fixed order, their own keys, and the file."""
    shown = {"stage": stage, **person_values(person), **dict(person.extra)}
    del shown["name"]
    if person.chat:
        shown["chat"] = both_sides(
            person.chat, my_zone, contact.zone, now.astimezone(my_zone).date()
        )
    shown.update(zone_lines(contact, now))
    from coffeechat.model.dated import dated

    for day, change in dated(person.raw_body, "moved"):  # job changes an import found
        shown[f"moved {day}"] = change
    width = max((len(k) for k in shown), default=0)
    lines = [style(person.name, bold=True)]
    for key, value in shown.items():
        text = styled_stage(value) if key == "stage" else _human(value)
        lines.append(f"  {key.ljust(width)}  {text}".rstrip())
    lines.append(f"  {'file'.ljust(width)}  {display_path(person.path)}")
    return lines


def use_colour() -> bool | None:
    """None lets click decide (colour on a terminal only); NO_COLOR turns it off."""
    return False if os.environ.get("NO_COLOR") else None


def colour_on() -> bool:
    """Whether what is printed now will keep its colour: on a terminal, unless NO_COLOR.
    A long table is only styled when it will be, rather than styled and stripped again."""
    if os.environ.get("NO_COLOR"):
        return False
    from click import utils

    return not utils.should_strip_ansi(sys.stdout)


def zone_guess_record(guess: ZoneGuess) -> dict[str, Any]:
    return {
        "location": guess.location,
        "zone": guess.zone,
        "matched": guess.matched or None,
        "ambiguous": guess.ambiguous,
        "alternatives": guess.alternatives,
    }


def zone_guess_lines(guess: ZoneGuess) -> list[str]:
    """`America/Chicago  (Fargo, North Dakota, US)`, then any doubt, one line each."""
    lines = [f"{guess.zone}  ({guess.matched})"]
    if guess.ambiguous and guess.alternatives:
        tail = " (same time zone either way)" if guess.same_time else ""
        lines.append(f"Other places with that name{tail}:")
        lines.extend(f"  {alternative}" for alternative in guess.alternatives)
    elif guess.ambiguous:
        lines.append(f"A guess: {guess.reason}; set `timezone:` if it is wrong.")
    return lines


def _clock_range(start: datetime, end: datetime) -> str:
    """`10:00-10:15 AM`, or `11:45 AM-12:00 PM` across noon."""
    first, last = clock_time(start), clock_time(end)
    if first[-2:] == last[-2:]:
        return f"{first[:-3]}-{last}"
    return f"{first}-{last}"


def slot_line(slot: Slot, my_zone: tzinfo) -> str:
    """`Tue Dec 1, 10:00-10:15 AM PST (1:00 PM EST for me)`, ready to paste."""
    theirs = f"{day_and_time(slot.start, zone_name=False).rsplit(', ', 1)[0]}, "
    theirs += f"{_clock_range(slot.start, slot.end)} {zone_abbreviation(slot.start)}"
    mine = slot.start.astimezone(my_zone)
    outside = f" — {slot.outside}" if slot.outside else ""
    if mine.utcoffset() == slot.start.utcoffset():
        return theirs + outside
    my_text = (
        f"{clock_time(mine)} {zone_abbreviation(mine)}"
        if mine.date() == slot.start.date()
        else day_and_time(mine)
    )
    return f"{theirs} ({my_text} for me){outside}"


def holidays_line(skipped: dict[date, dict[str, list[str]]]) -> str:
    """`Left out public holidays: Fri Dec 25 (Christmas Day, US and DE).`"""
    days = []
    for day, names in sorted(skipped.items()):
        named = "; ".join(
            f"{name}, {' and '.join(dict.fromkeys(where))}" for name, where in names.items()
        )
        days.append(f"{short_day(day)} ({named})")
    return f"Left out public holidays: {'; '.join(days)}."


def slot_record(slot: Slot, my_zone: ZoneInfo) -> dict[str, str | None]:
    return {
        "start": _plain(slot.start),
        "end": _plain(slot.end),
        "my_start": _plain(slot.start.astimezone(my_zone)),
        "my_end": _plain(slot.end.astimezone(my_zone)),
        "contact_zone": str(slot.start.tzinfo),
        "my_zone": my_zone.key,
        "outside": slot.outside or None,
    }


def bank_lines(banks: list[Bank]) -> list[str]:
    """Each bank as a header (audience, topic, file) and its questions, a blank line between."""
    lines: list[str] = []
    for bank in banks:
        if lines:
            lines.append("")
        header = f"{bank.audience} · {bank.topic}"
        lines.append(f"{style(header, bold=True)}  ({display_path(bank.path)})")
        lines += [f"  {clean(question.text)}" for question in bank.questions]
    return lines


def question_records(banks: list[Bank]) -> list[dict[str, Any]]:
    return [
        {
            "id": question.id,
            "audience": question.audience,
            "topic": question.topic,
            "text": question.text,
            "file": display_path(question.path),
            "line": question.line,
        }
        for bank in banks
        for question in bank.questions
    ]


def due_record(item: DueItem, root: Path) -> dict[str, Any]:
    from coffeechat.model.names import label

    # The company the item names (an application's, coverage's), else the person's own.
    company = item.company or (label(item.person.company) if item.person else None) or None
    return {
        "kind": item.kind,
        "file": Path(item.file).relative_to(root).as_posix() if item.file else None,
        "person": item.person.name if item.person else None,
        "company": company,
        "due": item.due.isoformat(),
        "overdue_days": item.overdue_days,
        "what": item.what,
        "command": item.command,
    }


def _when(item: DueItem, today: date, keep: str) -> str:
    if item.kind == keep and item.due < today:  # a cadence is not a deadline
        return f"due since {short_day(item.due, today)}"
    if item.overdue_days:
        return _late(item.overdue_days)
    if item.kind == "chat":  # the text has the day and time already; say how soon
        return "tomorrow" if item.due == today + timedelta(days=1) else "today"
    if item.due < today:  # a notice: it is not late, it has been there since that day
        return f"since {short_day(item.due, today)}"
    return "today"


@functools.cache
def _late(days: int) -> str:
    """`3 days late`, in red: a big vault's list says the same few thousand times."""
    return style(f"{plural(days, 'day')} late", fg="red")


def due_lines(listed: DueList, today: date) -> list[str]:
    """`thanks    thank Arjun Mehta… (3 days late)` then the command, indented, on its own
    line; items that one command does (the thank-you that carries what a referral needs) are
    listed together above it, once; the count of older items last."""
    from coffeechat.pipeline.due import KEEP

    lines = []
    together: dict[str, list[DueItem]] = {}
    for item in listed.items:
        together.setdefault(item.command, []).append(item)
    for command, items in together.items():
        lines += [
            f"{item.kind:<9} {clean(item.what)} ({_when(item, today, KEEP)})" for item in items
        ]
        lines.append(f"          {clean(command)}")
    if not lines:
        lines.append("Nothing due today.")
    if listed.older:
        older = plural(listed.older, "older item")
        lines.append(f"{older} (over two weeks late): coffeechat due --all")
    if listed.kept_back:
        more = listed.kept_back
        lines.append(
            f"{more} more {'person' if more == 1 else 'people'} to keep in touch with "
            "(keep_in_touch_per_day): coffeechat due --all"
        )
    return lines


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def stats_record(result: Stats) -> dict[str, Any]:
    def rates(rows: list[Rate]) -> list[dict[str, Any]]:
        return [
            {"group": r.group, "messaged": r.messaged, "replied": r.replied, "rate": r.rate}
            for r in rows
        ]

    def steps(counts: list[tuple[str, int]]) -> list[dict[str, Any]]:
        found = []
        previous = None
        for step, count in counts:
            rate: float | None = (count / previous) if previous else None
            found.append({"step": step, "count": count, "from_previous": rate})
            previous = count
        return found

    return {
        "since": result.since.isoformat() if result.since else None,
        "funnel": steps(result.funnel),
        "applications": steps(result.applications),
        "median_days_to_reply": result.median_days_to_reply,
        "reply_rate_by_connection": rates(result.by_connection),
        "reply_rate_by_kind": rates(result.by_kind),
        "reply_rate_by_company": rates(result.by_company),
        "give_and_take": [
            {
                "person": row.name,
                "received": list(row.received),
                "gave": row.gave,
                "asked": row.asked,
            }
            for row in result.give_and_take
        ],
        "give_and_take_total": {
            "received": sum(len(row.received) for row in result.give_and_take),
            "gave": sum(row.gave for row in result.give_and_take),
            "asked": sum(row.asked for row in result.give_and_take),
        },
    }


def _bar(part: float, whole: float, width: int = 24) -> str:
    return "█" * round(width * part / whole) if whole else ""


def _steps_lines(title: str, steps: list[tuple[str, int]], bars: bool) -> list[str]:
    lines = [style(title, bold=True)]
    top = steps[0][1]
    previous = None
    for step, count in steps:
        rate = f"{_percent(count, previous)} of previous" if previous else ""
        bar = f"  {_bar(count, top)}" if bars else ""
        lines.append(f"  {step:<10} {count:>5}  {rate:<16}{bar}".rstrip())
        previous = count
    return lines


def stats_lines(result: Stats, bars: bool) -> list[str]:
    lines = _steps_lines("Funnel", result.funnel, bars)
    lines.append("")
    if result.applications[0][1]:
        lines += _steps_lines("Applications", result.applications, bars)
    else:
        lines += [style("Applications", bold=True), "  none recorded yet"]
    median = result.median_days_to_reply
    lines.append("")
    lines.append(
        "Median days from message to reply: "
        + (f"{median:g}" if median is not None else "no replies yet")
    )
    for title, rows in (
        ("Reply rate by connection", result.by_connection),
        ("Reply rate by kind", result.by_kind),
        ("Reply rate by company", result.by_company),
    ):
        lines += ["", style(title, bold=True)]
        if not rows:
            lines.append("  nobody messaged yet")
        width = max((columns(clean(r.group)) for r in rows), default=0)
        for r in rows:
            bar = f"  {_bar(r.replied, r.messaged, 12)}" if bars else ""
            lines.append(
                f"  {pad(clean(r.group), width)}  {r.replied:>3}/{r.messaged:<3} "
                f"{_percent(r.replied, r.messaged):>4}{bar}".rstrip()
            )
    lines += ["", style("Give and take", bold=True)]
    given = result.give_and_take
    if not given:
        lines.append('  nothing yet (`coffeechat log NAME "gave: …"` records help you give)')
    names = [clean(row.name) for row in given]
    widths = [columns(name) for name in names]  # each name measured once: thousands of rows
    width = max(widths, default=0)
    for row, name, taken in zip(given, names, widths, strict=True):
        received = ", ".join(row.received) or "-"
        lines.append(
            f"  {name}{' ' * (width - taken)}  received {len(row.received)} ({received}); "
            f"gave {row.gave}; asked {row.asked}"
        )
    if given:
        total = sum(len(row.received) for row in given)
        gave, asked = sum(row.gave for row in given), sum(row.asked for row in given)
        lines.append(f"  {pad('In total', width)}  received {total}; gave {gave}; asked {asked}")
    return lines


def coverage_record(row: Coverage, root: Path) -> dict[str, Any]:
    company = row.company
    return {
        "company": row.name,
        "file": company.path.relative_to(root).as_posix() if company else None,
        "status": company.status if company else None,
        "priority": company.priority if company else None,
        "remote": company.remote if company else None,
        "locations": company.locations if company else [],
        "stack": company.stack if company else [],
        "hiring": company.hiring if company else None,
        "in": company.in_ if company else None,
        "people": row.people,
        "by_kind": row.kinds,
        "messaged": row.messaged,
        "chatted": row.chatted,
        "referred": row.referred,
        "gaps": row.gaps,
        "fits_locations": row.fits,
    }


def coverage_lines(rows: list[Coverage]) -> list[str]:
    table_rows = []
    for row in rows:
        company = row.company
        where = ", ".join(
            part
            for part in (
                (company.remote if company else ""),
                *(company.locations[:1] if company else []),
            )
            if part
        )
        mix = " ".join(
            f"{kind.initial}{row.kinds.get(kind.name, 0)}" for kind in PERSON_KINDS if kind.covers
        )
        gaps = ", ".join(f"no {gap}" for gap in row.gaps) or "covered"
        fits = {True: "yes", False: "NO", None: ""}[row.fits]
        table_rows.append(
            [
                row.name,
                str(company.priority) if company and company.priority is not None else "",
                company.hiring if company else "",
                where,
                ", ".join(company.stack[:3]) if company else "",
                mix,
                f"{row.messaged}/{row.chatted}/{row.referred}",
                fits,
                gaps,
            ]
        )
    lines = table(
        ["COMPANY", "PRI", "HIRING", "WHERE", "STACK", "E M R", "MSG/CHAT/REF", "FITS", "GAPS"],
        table_rows,
    )
    misfits = [row.name for row in rows if row.fits is False]
    if misfits:
        lines.append("")
        lines.append(
            f"FITS NO: {', '.join(misfits)} {'hires' if len(misfits) == 1 else 'hire'} only "
            "where you cannot work (`locations` in coffeechat.toml); check before investing."
        )
    return lines


def candidate_record(candidate: Candidate, root: Path) -> dict[str, Any]:
    person = candidate.person
    return {
        "name": person.name,
        "file": person.path.relative_to(root).as_posix(),
        "company": person.company,
        "score": candidate.score,
        "reasons": candidate.reasons,
    }


def candidate_lines(candidates: list[Candidate]) -> list[str]:
    from coffeechat.drafts.make import first_draft
    from coffeechat.model.names import label

    lines = []
    for rank, candidate in enumerate(candidates, 1):
        person = candidate.person
        at = f" ({clean(label(person.company))})" if person.company else ""
        name = style(person.name, bold=True)
        lines.append(f"{rank:>2}. {name}{at}  {candidate.score:g}")
        lines.append(f"    {clean('; '.join(candidate.reasons))}")
        lines.append(f"    coffeechat draft {first_draft(person)} {person.stem}")
    return lines


def pair_line(pair: Pair) -> str:
    """`Priya Raman + Arjun Mehta: both worked at Braintree` then the command to write."""
    return f"{clean(pair.first.name)} + {clean(pair.second.name)}: {clean('; '.join(pair.shared))}"


def pair_record(pair: Pair, root: Path) -> dict[str, Any]:
    return {
        "people": [pair.first.name, pair.second.name],
        "files": [Path(p.file).relative_to(root).as_posix() for p in (pair.first, pair.second)],
        "shared": list(pair.shared),
    }


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def inbox_record(report: InboxReport, root: Path) -> dict[str, Any]:
    """`inbox --json`: what each line did, or why it stayed."""
    return {
        "inbox": _rel(report.path, root),
        "dry_run": report.dry_run,
        "filed": [
            {
                "line": item.line.number,
                "text": item.line.text,
                "file": _rel(item.path, root),
                "did": item.summary,
                "already_filed": item.already,
                "warnings": list(item.warnings),
            }
            for item in report.filed
        ],
        "left": [
            {"line": item.number, "text": item.line.text, "reason": item.reason}
            for item in report.left
        ],
    }


def inbox_lines(report: InboxReport) -> list[str]:
    """One line per line filed: the note and what changed in it."""
    lines = []
    for item in report.filed:
        what = "already filed by an earlier run" if item.already else item.summary
        lines.append(f"{display_path(item.path)}: {what}")
    return lines


def inbox_notes(report: InboxReport, shown: str) -> list[str]:
    """On stderr: each line left in the inbox with its place and reason, then the count."""
    notes = [f"{shown}:{item.number}: {item.reason}" for item in report.left]
    notes += [
        f"{shown}:{item.line.number}: Warning: {warning}"
        for item in report.filed
        for warning in item.warnings
    ]
    filed = sum(not item.already for item in report.filed)
    verb = "Would file" if report.dry_run else "Filed"
    if not report.filed and not report.left:
        notes.append(f"Nothing to file in {shown}.")
    else:
        left = (
            f"; {plural(len(report.left), 'line')} left in {shown}, reasons beside them"
            if report.left and not report.dry_run
            else f"; {plural(len(report.left), 'line')} would stay"
            if report.left
            else ""
        )
        notes.append(f"{verb} {plural(filed, 'line')}{left}.")
    return notes


def week_record(result: WeekStats) -> dict[str, Any]:
    """`stats --week --json`."""
    this = result.this_week
    return {
        "week": this.start.isoformat(),
        "until": (this.start + timedelta(days=6)).isoformat(),
        "counts": dict(this.counts),
        "goals": dict(result.goals),
        "met": this.met,
        "streak": result.streak,
        "cap": (
            {"first_messages": result.cap, "reached": result.cap_reached} if result.cap else None
        ),
        "weeks": [
            {"week": week.start.isoformat(), "counts": dict(week.counts), "met": week.met}
            for week in result.weeks
        ],
    }


def week_lines(result: WeekStats) -> list[str]:
    """This week and the three before it, a column a fact; then the goal, streak and cap."""
    from coffeechat.model.journey import WEEK_FACTS

    this = result.this_week
    rows = []
    for week in result.weeks:
        day = f"{week.start:%b} {week.start.day}"
        if week is this:
            met = "met" if week.met else "not yet"
        else:
            met = "met" if week.met else "missed"
        rows.append(
            [f"{day}{' (this week)' if week is this else ''}"]
            + [str(week.counts[name]) for name in WEEK_FACTS]
            + ([met] if result.goals else [])
        )
    headers = ["week of", *WEEK_FACTS] + (["goal"] if result.goals else [])
    lines = table(headers, rows)
    lines.append("")
    if result.goals:
        wanted = ", ".join(
            plural(goal, name.removesuffix("s")) for name, goal in result.goals.items()
        )
        short = [
            plural(result.goals[name] - this.counts[name], name.removesuffix("s"))
            for name in result.goals
            if this.counts[name] < result.goals[name]
        ]
        lines.append(f"Goal: {wanted} a week.")
        lines.append(
            f"Streak: {plural(result.streak, 'week')} in a row met it"
            + ("." if this.met else f"; this week needs {' and '.join(short)} more.")
        )
    else:
        lines.append("No weekly goal set (week_messages_goal, week_chats_goal).")
    if result.cap:
        sent = this.counts["messages"]
        monday = this.start + timedelta(weeks=1)
        lines.append(
            f"Cap: {sent} of {plural(result.cap, 'first message')} this week"
            + (
                f"; reached, nobody new until Monday {monday:%b} {monday.day}."
                if result.cap_reached
                else "."
            )
        )
    return lines


def by_key_record(key: str, groups: list[Group], since: date | None) -> dict[str, Any]:
    """`stats --by KEY --json`."""
    from coffeechat.pipeline.funnel import SMALL_SAMPLE

    return {
        "by": key,
        "since": since.isoformat() if since else None,
        "small_sample": SMALL_SAMPLE,
        "groups": [
            {
                "group": g.group,
                "sent": g.sent,
                "replied": g.replied,
                "rate": g.rate,
                "too_few": g.too_few,
            }
            for g in groups
        ],
    }


def by_key_lines(key: str, groups: list[Group]) -> list[str]:
    from coffeechat.pipeline.funnel import SMALL_SAMPLE

    if not groups:
        return [f"Replies by {key}: nobody messaged yet."]
    rows = [
        [
            cell(g.group),
            str(g.sent),
            str(g.replied),
            _percent(g.replied, g.sent),
            f"too few to tell (under {SMALL_SAMPLE} sent)" if g.too_few else "",
        ]
        for g in groups
    ]
    return [line.rstrip() for line in table([key, "sent", "replied", "rate", ""], rows)]
