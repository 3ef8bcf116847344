"""The inbox: one line per thing that happened, written from any device, read as entries.

A line is `[DAY [HH:MM]] @NAME [WHAT] [— TEXT]`, optionally as a list item (`- `, `* `,
`- [ ] `). WHAT is a milestone (`replied`, `chat`, `thanked`…), `referral STATE`, or
`thanks:`/`next:` followed by the line to keep under the call; with no WHAT, the text is a
log line. A milestone word counts only when it is all the rest of the line or a separator
follows it (an em or en dash, ` - `, `--`, `:`, `;`, `,`): `@priya sent me the posting` is a log
line, `@priya sent — resume and posting` marks `sent`.

Values in, values out: the store reads and writes the file, `exchange.inbox` files the
entries. A line that cannot be read keeps its text and gets the reason beside it, after
`REASON_MARK`; reading a line drops an old reason first, so a fixed line files on the next run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, tzinfo

from coffeechat.core.errors import UsageError
from coffeechat.core.limits import FAR_AHEAD_DAYS
from coffeechat.core.patterns import lazy
from coffeechat.model.note import DATE_MILESTONES, REFERRALS, after_today

# What separates a line from the reason it was not filed.
REASON_MARK = " ← not filed: "
# The kinds of line a call section keeps for the drafts to quote, by the word that starts them.
CALL_LINES = {"thanks": "Thanks:", "next": "Next:"}

_BULLET = lazy(r"^(\s*(?:[-*+]\s+(?:\[[ xX]\]\s+)?)?)")
_NAME = lazy(r"@(\[\[[^\[\]]+\]\]|[^\s,;:\u2014\u2013]+)")
_SEPARATOR = lazy(r"^(?:\s*(?:\u2014|\u2013|--|-\s|:|;|,)\s*|\s*$)")
_ISO_DAY = lazy(r"^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?$")
_MILESTONES = {name.replace("_", "-"): name for name in DATE_MILESTONES} | {
    name: name for name in DATE_MILESTONES
}


@dataclass(frozen=True)
class Entry:
    """One inbox line, read: the day it happened (and the time, for a chat), who, and what."""

    day: date
    at: time | None
    name: str  # as written after `@`: a file name, a name, an alias, a start of one, a link
    milestone: str = ""  # a DATE_MILESTONES name
    referral: str = ""  # a REFERRALS value
    call_line: str = ""  # a CALL_LINES name
    text: str = ""

    @property
    def what(self) -> str:
        """The first words of the log line: the milestone or referral, else nothing."""
        if self.milestone:
            return self.milestone
        if self.referral:
            return f"referral {self.referral}"
        return ""

    def log_text(self) -> str:
        """The `## Log` line's text (after its date); "" for a call line, kept under the call."""
        if self.call_line:
            return ""
        return " — ".join(part for part in (self.what, self.text) if part)

    def call_text(self) -> str:
        """The line kept under the call: `Thanks: …` or `Next: …`."""
        return f"{CALL_LINES[self.call_line]} {self.text}" if self.call_line else ""


@dataclass(frozen=True)
class InboxLine:
    """A line of the inbox file: its number (from 1), its text without an old reason, and
    either the entry it holds, the reason it cannot be read, or neither (blank, a heading)."""

    number: int
    text: str
    entry: Entry | None = None
    reason: str = ""
    stamped: str = ""  # the text with its day written out, when it said none or a relative one


def strip_reason(line: str) -> str:
    """The line as the user wrote it, without a reason coffeechat put beside it."""
    return line.split(REASON_MARK, 1)[0].rstrip()


def with_reason(line: str, reason: str) -> str:
    """The line with `reason` beside it (one line: a reason never holds a line break)."""
    return strip_reason(line) + REASON_MARK + " ".join(reason.split())


def is_entry_like(line: str) -> bool:
    """Whether the line is meant for filing: anything but a blank line, a heading, an HTML
    comment or a horizontal rule. Used by `due` to say the inbox has lines waiting."""
    text = line.strip()
    return bool(text) and not text.startswith(("#", "<!--", "---", "***", "___"))


def read_line(number: int, raw: str, now: datetime, zone: tzinfo) -> InboxLine:
    """One line of the inbox, read; `now` and `zone` give a missing or relative day."""
    text = strip_reason(raw.rstrip("\r\n"))
    if not is_entry_like(text):
        return InboxLine(number, text)
    bullet = _BULLET.match(text)
    prefix = bullet.group(1) if bullet else ""
    body = text[len(prefix) :]
    found = _NAME.search(body)
    if found is None or (found.start() > 0 and not body[found.start() - 1].isspace()):
        return InboxLine(number, text, reason="no @name: start with who it is about, e.g. @priya")
    when_text = body[: found.start()].strip()
    name = found.group(1).rstrip(".!?")  # `@priya.` at the end of a sentence
    rest = body[found.end() :]
    today = now.astimezone(zone).date()
    try:
        entry = _what(today, None, name, rest)
    except UsageError as error:
        entry, what_error = None, error
    # A chat is booked ahead, as `schedule` reads WHEN: its open day ("Dec 9", "Wed 15:00")
    # is the coming one; anything else happened, so its open day is the latest one.
    booked = entry is not None and entry.milestone == "chat"
    try:
        day, at = _when(when_text, now, zone, today, past=not booked)
    except UsageError as error:
        return InboxLine(number, text, reason=f"the day: {error}")
    if entry is None:
        return InboxLine(number, text, reason=str(what_error))
    entry = replace(entry, day=day, at=at)
    if day > today and not booked:
        return InboxLine(number, text, reason=after_today(day))
    if booked and (day - today).days > FAR_AHEAD_DAYS and not _ISO_DAY.match(when_text):
        return InboxLine(
            number,
            text,
            reason=f"`{when_text}` is the coming one, {day}, {(day - today).days} days away; "
            "write the full date to book it, or `yesterday` or the date for a chat that "
            "happened",
        )
    stamped = ""
    if not _ISO_DAY.match(when_text):
        clock = f" {at:%H:%M}" if at else ""
        stamped = f"{prefix}{day.isoformat()}{clock} {body[found.start() :]}"
    return InboxLine(number, text, entry, stamped=stamped)


def _when(
    text: str, now: datetime, zone: tzinfo, today: date, past: bool
) -> tuple[date, time | None]:
    if not text:
        return today, None
    from coffeechat.when.parse import parse_when

    when = parse_when(text, now, zone, past=past)
    return when.day, when.time


def _what(day: date, at: time | None, name: str, rest: str) -> Entry:
    """What the line after `@NAME` says."""
    words = rest.strip()
    lowered = words.lower()
    for kind, mark in CALL_LINES.items():
        if lowered.startswith(mark.lower()):
            text = " ".join(words[len(mark) :].split())
            if not text:
                raise UsageError(f"nothing after `{mark}`; write the line to keep, to them")
            return Entry(day, at, name, call_line=kind, text=text)
    first = re.match(r"[A-Za-z_-]+", words)
    word = first.group(0).lower() if first else ""
    after = words[len(word) :]
    if word == "referral":
        state = re.match(r"\s+([A-Za-z]+)", after)
        value = state.group(1).lower() if state else ""
        if value not in REFERRALS:
            raise UsageError(f"`referral` takes one of {', '.join(REFERRALS)}")
        tail = after[state.end() :] if state else ""
        if _SEPARATOR.match(tail):
            return Entry(day, at, name, referral=value, text=_text(tail))
    elif word in _MILESTONES and _SEPARATOR.match(after):
        return Entry(day, at, name, milestone=_MILESTONES[word], text=_text(after))
    text = _text(words)
    if not text:
        raise UsageError("nothing to file: write what happened after the name")
    return Entry(day, at, name, text=text)


def _text(rest: str) -> str:
    """The free text after a separator, on one line, spaces tidied."""
    match = _SEPARATOR.match(rest)
    return " ".join(rest[match.end() if match else 0 :].split())


def chat_moment(entry: Entry, current: datetime | None, now: datetime, zone: tzinfo) -> datetime:
    """The `chat:` a chat line sets: its time when it gives one; else the note's own chat when
    it is on that day (booked with its time); else now for today, 12:00 for another day."""
    if entry.at is not None:
        from coffeechat.when.parse import localize

        return localize(datetime.combine(entry.day, entry.at), zone)
    if current is not None and current.astimezone(zone).date() == entry.day:
        return current
    local = now.astimezone(zone)
    if entry.day == local.date():
        return local.replace(second=0, microsecond=0)
    from coffeechat.when.parse import localize

    return localize(datetime.combine(entry.day, time(12)), zone)


# A line of the inbox, with its ending: only \n, \r\n and \r end one, as in any editor
# (str.splitlines also splits at U+2028, form feeds and more, which a pasted line can hold).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def inbox_lines(text: str) -> list[str]:
    """The inbox's lines, each with its line ending."""
    return _LINE.findall(text)


def waiting(text: str) -> int:
    """How many lines of an inbox wait to be filed (or were left with a reason)."""
    return sum(is_entry_like(strip_reason(line.rstrip("\r\n"))) for line in inbox_lines(text))
