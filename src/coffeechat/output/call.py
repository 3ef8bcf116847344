"""The live call: a clock, the questions, and the referral ask at its minute.

The logic here knows nothing of the terminal: `CallView` takes keys and the time and says what
to draw, so tests drive it with a fake clock and a list of keys. `run_in_terminal` is the thin
curses loop around it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Keys, as the loop hands them over: single characters, or these names.
ENTER, BACKSPACE, ESCAPE, INTERRUPT = "enter", "backspace", "escape", "interrupt"
HELP = "[n] next  [a] asked  [t] type a note  [f] finish and save"
THANKS_PROMPT = [
    "One line to thank them for, written to them; the thank-you quotes it as it is:",
    "  e.g. Your advice to apply online first was just what I needed.",
]


@dataclass
class Item:
    text: str
    kind: str = "question"  # question | must | backup | ask | referral
    asked: bool = False


@dataclass
class CallView:
    """Everything the call screen shows, and what the keys do to it."""

    title: str
    started: datetime
    minutes: int
    ask_at: int
    items: list[Item]
    ask: str | None
    referral_questions: list[str] = field(default_factory=list)
    referral_title: str = "How referrals work there"
    current: int = 0
    notes: list[tuple[int, str]] = field(default_factory=list)
    typing: str | None = None
    asked_for_referral: bool = False  # the ask has been put on screen
    finished: bool = False
    bell: bool = False  # ring once, when the ask comes up
    ask_thanks: bool = False  # on finish, ask for the line to thank them for
    thanks: str = ""  # that line, written to them; the thank-you draft quotes it
    closing: bool = False  # the finish prompt is up

    @property
    def referral_asked(self) -> bool:
        """Whether the referral ask was marked asked."""
        return any(item.kind == "ask" and item.asked for item in self.items)

    def elapsed(self, now: datetime) -> timedelta:
        return max(now - self.started, timedelta())

    def tick(self, now: datetime) -> None:
        """At the ask minute, put the ask (then how referrals work) in front of the questions."""
        if self.asked_for_referral or self.elapsed(now) < timedelta(minutes=self.ask_at):
            return
        self.asked_for_referral = True
        inserted = [Item(text, "referral") for text in self.referral_questions]
        if self.ask:
            inserted.insert(0, Item(self.ask, "ask"))
            self.bell = True
        self.items[self.current : self.current] = inserted

    def press(self, key: str, now: datetime) -> None:
        if self.closing:
            self._close(key)
        elif self.typing is not None:
            self._type(key, now)
        elif key == "f" and self.ask_thanks:
            self.closing, self.typing = True, ""
        elif key in ("f", INTERRUPT):
            self.finished = True
        elif key in ("n", " ", "right"):
            self._advance()
        elif key == "a" and self.current < len(self.items):
            self.items[self.current].asked = True
            self._advance()
        elif key in ("t", "/"):
            self.typing = ""

    def _advance(self) -> None:
        self.current = min(self.current + 1, len(self.items))

    def _close(self, key: str) -> None:
        """The finish prompt: Enter keeps the line (if any) and finishes, Esc skips it."""
        assert self.typing is not None
        if key == ENTER:
            self.thanks = " ".join(self.typing.split())
        if key in (ENTER, ESCAPE, INTERRUPT):
            self.typing, self.finished = None, True
        elif key == BACKSPACE:
            self.typing = self.typing[:-1]
        elif len(key) == 1 and key.isprintable():
            self.typing += key

    def _type(self, key: str, now: datetime) -> None:
        assert self.typing is not None
        if key == ENTER:
            if self.typing.strip():
                minute = int(self.elapsed(now).total_seconds() // 60)
                self.notes.append((minute, " ".join(self.typing.split())))
            self.typing = None
        elif key in (ESCAPE, INTERRUPT):
            self.typing = None
        elif key == BACKSPACE:
            self.typing = self.typing[:-1]
        elif len(key) == 1 and key.isprintable():
            self.typing += key

    def screen(self, now: datetime, width: int, height: int) -> list[str]:
        """The lines to draw, cut to fit `width` x `height`."""
        elapsed = self.elapsed(now)
        total = timedelta(minutes=self.minutes)
        left = total - elapsed
        clock = f"{_mmss(elapsed)} in · " + (
            f"{_mmss(left)} left" if left >= timedelta() else f"{_mmss(-left)} over"
        )
        lines = [_two_ends(self.title, clock, width), _bar(elapsed, total, self.ask_at, width), ""]
        item = self.items[self.current] if self.current < len(self.items) else None
        if item and item.kind == "ask":
            lines += [
                ">>> ASK ABOUT THE REFERRAL NOW <<<",
                "",
                *_wrap(f"“{item.text}”", width, "  "),
                "",
                f"Then: {self.referral_title.lower()}. [a] asked  [n] later",
            ]
        elif item:
            label = {
                "referral": self.referral_title,
                "must": "Must ask",
                "backup": "Backup",
            }.get(item.kind, "Ask")
            number = f" ({self.current + 1} of {len(self.items)})"
            lines += [f"{label}{number}:", *_wrap(item.text, width, "  ")]
        else:
            lines += ["No questions left: listen, and wrap up when it feels right."]
        if left <= timedelta() and not self.finished:
            lines += ["", "Time is up. Press f to finish and save the notes, or keep going."]
        upcoming = self.items[self.current + 1 : self.current + 4]
        if upcoming:
            lines += ["", "Next:"] + [
                _cut(f"  - {next_item.text}", width) for next_item in upcoming
            ]
        asked = sum(entry.asked for entry in self.items)
        lines += ["", f"Asked {asked} · notes {len(self.notes)}"]
        if self.notes:
            minute, text = self.notes[-1]
            lines.append(_cut(f"Last note ({minute} min): {text}", width))
        if self.closing:
            lines += ["", *THANKS_PROMPT]
            footer = f"Thanks: {self.typing}_   [Enter] save and finish  [Esc] skip"
        elif self.typing is not None:
            footer = f"Note: {self.typing}_   [Enter] save  [Esc] cancel"
        else:
            footer = HELP
        body = [_cut(line, width) for line in lines][: max(height - 2, 1)]
        return [*body, *[""] * (height - 2 - len(body)), "", _cut(footer, width)][:height]


def _mmss(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _two_ends(left: str, right: str, width: int) -> str:
    room = width - len(right) - 1
    return f"{_cut(left, room):<{room}} {right}" if room > 0 else _cut(right, width)


def _wrap(text: str, width: int, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(
        text, width=max(width - 1, 20), initial_indent=indent, subsequent_indent=indent
    )


def _bar(elapsed: timedelta, total: timedelta, ask_at: int, width: int) -> str:
    """`[██████░░░░|░░░]`: how much of the call is gone; `|` is the ask minute."""
    inner = max(width - 2, 10)
    done = min(int(inner * (elapsed / total)), inner) if total else inner
    cells = ["█"] * done + ["░"] * (inner - done)
    mark = min(int(inner * ask_at * 60 / total.total_seconds()), inner - 1)
    cells[mark] = "|" if mark >= done else cells[mark]
    return "[" + "".join(cells) + "]"


def notes_section(view: CallView, day: str) -> list[str]:
    """What goes under `## Notes`: the notes typed, the `Thanks:` line (the only line a
    thank-you draft quotes), then the questions asked."""
    lines = [f"### Call {day}", ""]
    lines += [f"- {text}" for _, text in view.notes] or ["No notes typed during the call."]
    if view.thanks:
        lines += ["", f"Thanks: {view.thanks}"]
    asked = [item for item in view.items if item.asked]
    if asked:
        lines += ["", "Asked:"]
        lines += [f"- {'Referral: ' if item.kind == 'ask' else ''}{item.text}" for item in asked]
    return lines


Keys = Callable[[float], str | None]


def run(
    view: CallView,
    clock: Callable[[], datetime],
    next_key: Keys,
    draw: Callable[[list[str]], None],
    ring: Callable[[], None],
    size: Callable[[], tuple[int, int]],
) -> CallView:
    """The call loop: redraw, wait up to half a second for a key, act on it, until finished."""
    while not view.finished:
        now = clock()
        view.tick(now)
        if view.bell:
            ring()
            view.bell = False
        width, height = size()
        draw(view.screen(now, width, height))
        key = next_key(0.5)
        if key is not None:
            view.press(key, clock())
    return view


def has_terminal() -> bool:
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def run_in_terminal(view: CallView, clock: Callable[[], datetime]) -> CallView:
    """The call in a full-screen curses view; Ctrl-C finishes it like `f`."""
    import curses

    def main(screen: curses.window) -> CallView:
        curses.curs_set(0)
        screen.keypad(True)

        def next_key(timeout: float) -> str | None:
            screen.timeout(int(timeout * 1000))
            try:
                code = screen.get_wch()
            except curses.error:
                return None
            except KeyboardInterrupt:
                return INTERRUPT
            return _key_name(code)

        def draw(lines: list[str]) -> None:
            screen.erase()
            height, width = screen.getmaxyx()
            for row, line in enumerate(lines[:height]):
                attribute = curses.A_BOLD if row == 0 or line.startswith(">>>") else 0
                with contextlib.suppress(curses.error):
                    screen.addstr(row, 0, line[: width - 1], attribute)
            screen.refresh()

        def size() -> tuple[int, int]:
            # curses cannot write the bottom-right cell: leave the last column free.
            height, width = screen.getmaxyx()
            return width - 1, height

        return run(view, clock, next_key, draw, curses.beep, size)

    try:
        return curses.wrapper(main)
    except KeyboardInterrupt:
        view.finished = True
        return view


def _key_name(code: int | str) -> str:
    import curses

    names = {
        curses.KEY_ENTER: ENTER,
        curses.KEY_BACKSPACE: BACKSPACE,
        curses.KEY_RIGHT: "right",
        "\n": ENTER,
        "\r": ENTER,
        "\x7f": BACKSPACE,
        "\b": BACKSPACE,
        "\x1b": ESCAPE,
        "\x03": INTERRUPT,
    }
    return names.get(code, code if isinstance(code, str) else "")
