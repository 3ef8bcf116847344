"""The live call, driven by a fake clock and a script of keys, then saved to the note."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from coffeechat.output import call as live
from coffeechat.output.call import ENTER, CallView, Item
from conftest import Run

START = datetime.fromisoformat("2026-11-25T15:00:00-06:00")


class Script:
    """A clock and a key source: keys arrive at given seconds into the call."""

    def __init__(self, events: list[tuple[float, str]]) -> None:
        self.now = START
        self.events = list(events)
        self.screens: list[tuple[float, list[str]]] = []
        self.rings = 0

    def clock(self) -> datetime:
        return self.now

    def next_key(self, timeout: float) -> str | None:
        if self.events and START + timedelta(seconds=self.events[0][0]) <= self.now + timedelta(
            seconds=timeout
        ):
            at, key = self.events.pop(0)
            self.now = max(self.now, START + timedelta(seconds=at))
            return key
        if not self.events and self.now > START + timedelta(hours=4):
            return live.INTERRUPT  # a script that ran out of keys: end, rather than hang
        self.now += timedelta(seconds=timeout)
        return None

    def draw(self, lines: list[str]) -> None:
        self.screens.append(((self.now - START).total_seconds(), lines))

    def ring(self) -> None:
        self.rings += 1

    def screen_at(self, second: float) -> list[str]:
        return [lines for at, lines in self.screens if at <= second][-1]


def view(ask: str | None = "Would a referral make sense?") -> CallView:
    return CallView(
        title="Coffee chat with Priya Raman (Lumen Pay)",
        started=START,
        minutes=15,
        ask_at=10,
        items=[Item(f"Question {n}?") for n in range(1, 6)],
        ask=ask,
        referral_questions=["How do referrals work there?", "Who gets the resume?"],
    )


def play(events: list[tuple[float, str]], call: CallView | None = None) -> tuple[CallView, Script]:
    script = Script(events)
    result = live.run(
        call or view(), script.clock, script.next_key, script.draw, script.ring, lambda: (80, 24)
    )
    return result, script


def test_the_ask_takes_over_the_screen_at_its_minute_and_rings_once() -> None:
    _, script = play([(11 * 60, "f")])
    before = "\n".join(script.screen_at(9 * 60 + 59))
    at_ask = "\n".join(script.screen_at(10 * 60 + 1))
    assert "ASK ABOUT THE REFERRAL" not in before
    assert "Ask (1 of 5):" in before
    assert ">>> ASK ABOUT THE REFERRAL NOW <<<" in at_ask
    assert "“Would a referral make sense?”" in at_ask
    assert script.rings == 1


def test_clock_and_bar_show_time_gone_and_left() -> None:
    _, script = play([(16 * 60, "f")])
    first = script.screen_at(3 * 60)
    assert first[0].startswith("Coffee chat with Priya Raman (Lumen Pay)")
    assert first[0].endswith("03:00 in · 12:00 left")
    assert first[1].startswith("[")
    assert first[1].endswith("]")
    assert "|" in first[1]  # where the ask comes
    late = "\n".join(script.screen_at(15 * 60 + 30))
    assert "00:30 over" in late
    assert "Time is up. Press f to finish and save the notes" in late


def test_every_screen_fits_80_by_24() -> None:
    _, script = play([(5, "t"), *[(6, c) for c in "x" * 200], (7, ENTER), (16 * 60, "f")])
    for _, lines in script.screens:
        assert len(lines) == 24
        assert all(len(line) <= 80 for line in lines)


def test_keys_mark_questions_and_keep_notes() -> None:
    keys = [(30, "a"), (60, "n"), (90, "t"), *[(91, c) for c in "Loves Go!"], (92, ENTER)]
    keys += [(10 * 60 + 5, "a"), (10 * 60 + 6, "a"), (12 * 60, "f")]
    result, _ = play(keys)
    assert result.finished
    assert live.notes_section(result, "2026-11-25") == [
        "### Call 2026-11-25",
        "",
        "- Loves Go!",
        "",
        "Asked:",
        "- Question 1?",
        "- Referral: Would a referral make sense?",
        "- How do referrals work there?",
    ]


def test_finishing_asks_for_the_line_to_thank_them_for() -> None:
    call = view()
    call.ask_thanks = True
    keys = [(60, "f"), *[(61, c) for c in "Your advice on Go helped!"], (62, ENTER)]
    result, script = play(keys, call)
    prompt = "\n".join(script.screen_at(61.5))
    assert "One line to thank them for, written to them" in prompt
    assert script.screen_at(61.5)[-1].startswith("Thanks: Your advice")
    assert result.finished
    assert live.notes_section(result, "2026-11-25") == [
        "### Call 2026-11-25",
        "",
        "No notes typed during the call.",
        "",
        "Thanks: Your advice on Go helped!",
    ]
    skipped, _ = play([(60, "f"), (61, "x"), (62, live.ESCAPE)], view())
    assert skipped.finished
    assert skipped.thanks == ""


def test_escape_cancels_a_note_and_ctrl_c_finishes() -> None:
    keys = [(10, "t"), (11, "h"), (12, live.ESCAPE), (20, live.INTERRUPT)]
    result, _ = play(keys)
    assert result.finished
    assert result.notes == []


def test_with_the_referral_agreed_there_is_no_ask_and_no_bell() -> None:
    _, script = play([(11 * 60, "f")], view(ask=None))
    assert script.rings == 0
    assert "How referrals work there (1 of 7):" in "\n".join(script.screen_at(10 * 60 + 1))


def test_call_refuses_without_a_terminal(run: Run, example_vault: Path) -> None:
    result = run("call", "priya", root=example_vault)
    assert result.exit_code == 1
    assert "`call` needs a terminal" in result.stderr


def test_finishing_saves_the_call_into_the_note(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = example_vault / "people" / "ravi-shah.md"
    before = note.read_text()
    assert "\nchat:" not in before

    def scripted(call: CallView, clock: object) -> CallView:
        call.started = START
        keys = [(60, "t"), *[(61, c) for c in "Referrals go through Greenhouse"], (62, ENTER)]
        thanks = [(301, c) for c in "Your tip about Greenhouse helped."]
        return play([*keys, (120, "a"), (300, "f"), *thanks, (302, ENTER)], call)[0]

    monkeypatch.setattr(live, "has_terminal", lambda: True)
    monkeypatch.setattr(live, "run_in_terminal", scripted)
    result = run("call", "ravi", root=example_vault)
    assert result.exit_code == 0
    assert result.stdout == "people/ravi-shah.md: saved the call under ### Call 2026-11-25\n"
    after = note.read_text()
    assert "chat: 2026-11-25T15:00:00-06:00\n" in after
    assert "referral:" not in after  # the ask's minute never came
    section = after.split("## Notes", 1)[1].split("## Log", 1)[0]
    assert (
        "### Call 2026-11-25\n\n- Referrals go through Greenhouse\n\n"
        "Thanks: Your tip about Greenhouse helped.\n\nAsked:\n- "
    ) in section
    # Everything that was there before is still there, byte for byte, and one log line more.
    old_notes = before.split("## Notes", 1)[1].split("## Log", 1)[0].rstrip("\n")
    assert section.startswith(old_notes)
    assert after.split("## Log", 1)[1] == (
        before.split("## Log", 1)[1] + "- 2026-11-25: coffee chat: 1 of 6 questions asked\n"
    )


def test_marking_the_ask_records_referral_asked(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = example_vault / "people" / "priya-raman.md"

    def scripted(call: CallView, clock: object) -> CallView:
        call.started = START
        return play([(60, "a"), (120, "a"), (601, "a"), (800, "f"), (801, live.ESCAPE)], call)[0]

    monkeypatch.setattr(live, "has_terminal", lambda: True)
    monkeypatch.setattr(live, "run_in_terminal", scripted)
    result = run("call", "priya", root=example_vault)
    assert result.stdout == (
        "people/priya-raman.md: saved the call under ### Call 2026-11-25; referral: asked\n"
    )
    after = note.read_text()
    assert "\nreferral: asked\n" in after
    assert "chat: 2026-11-25T15:00:00-06:00   # 1 PM her time\n" in after  # kept as written
    assert after.endswith(
        "- 2026-11-25: coffee chat: 2 of 6 questions asked; asked about a referral\n"
    )
    assert "- Referral: This has made me even keener on Lumen Pay." in after
    # A referral already further along is left as it is.
    text = note.read_text().replace("referral: asked", "referral: agreed")
    note.write_text(text)
    assert run("call", "priya", root=example_vault).exit_code == 0
    assert "referral: agreed" in note.read_text()


def test_a_call_opened_days_before_the_booked_chat_says_when_it_is(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's tour runs `call priya` on Monday for Wednesday's chat: the screen and
    what is printed after say when the chat is, so a rehearsal is not taken for the call."""
    titles = []

    def scripted(call: CallView, clock: object) -> CallView:
        titles.append(call.title)
        return play([(1, "f"), (2, live.ESCAPE)], call)[0]

    monkeypatch.setattr(live, "has_terminal", lambda: True)
    monkeypatch.setattr(live, "run_in_terminal", scripted)
    result = run("call", "priya", root=example_vault)
    assert result.exit_code == 0
    assert titles == [
        "Coffee chat with Priya Raman (Lumen Pay); the chat is booked for Wed Nov 25, 3:00 PM CST"
    ]
    assert result.stderr.endswith(
        "Note: the chat is booked for Wed Nov 25, 3:00 PM CST; this call was recorded as of "
        "Mon Nov 23, 9:00 AM CST\n"
    )


def test_the_call_asks_the_questions_of_todays_saved_sheet(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    run("prep", "priya", "--save", root=example_vault)
    sheet = (example_vault / "prep" / "2026-11-23-priya-raman.md").read_text()
    listed = re.findall(r"^\d+\. (.*)$", sheet, re.MULTILINE)
    seen: list[str] = []

    def capture(call: CallView, clock: object) -> CallView:
        seen.extend(item.text for item in call.items)
        call.finished = True
        return call

    monkeypatch.setattr(live, "has_terminal", lambda: True)
    monkeypatch.setattr(live, "run_in_terminal", capture)
    assert run("call", "priya", root=example_vault).exit_code == 0
    assert seen == listed


def test_the_call_follows_the_sheet_must_ask_first_and_the_same_ask_minute(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    record = json.loads(
        run("prep", "priya", "--minutes", "30", "--json", root=example_vault).stdout
    )
    seen: list[CallView] = []

    def capture(call: CallView, clock: object) -> CallView:
        seen.append(call)
        call.finished = True
        return call

    monkeypatch.setattr(live, "has_terminal", lambda: True)
    monkeypatch.setattr(live, "run_in_terminal", capture)
    assert run("call", "priya", "--minutes", "30", root=example_vault).exit_code == 0
    call = seen[0]
    assert call.ask_at == record["ask"]["minute"] == 20
    assert call.ask == record["ask"]["text"]
    assert [(item.text, item.kind) for item in call.items] == [
        (q["text"], "must" if q["must"] else "backup") for q in record["questions"]
    ]
    assert call.referral_questions == record["agenda"][3]["lines"]
    call.finished, call.started = False, START
    _, script = play([(60, "n"), (120, "n"), (180, "n"), (5 * 60, "f"), (301, ENTER)], call)
    assert "Must ask (1 of 6):" in script.screen_at(30)
    assert "Must ask (3 of 6):" in script.screen_at(150)
    assert "Backup (4 of 6):" in script.screen_at(4 * 60)


def test_the_call_after_a_decline_has_no_ask_and_says_why(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[CallView] = []

    def capture(call: CallView, clock: object) -> CallView:
        seen.append(call)
        call.finished = True
        return call

    monkeypatch.setattr(live, "has_terminal", lambda: True)
    monkeypatch.setattr(live, "run_in_terminal", capture)
    assert run("call", "derek", root=example_vault).exit_code == 0
    call = seen[0]
    assert call.ask is None
    assert call.referral_title == "The referral"
    call.finished, call.started = False, START
    _, script = play([(11 * 60, "f"), (11 * 60 + 1, live.ESCAPE)], call)
    assert script.rings == 0
    screen = "\n".join(script.screen_at(10 * 60 + 1))
    assert "The referral (1 of 7):" in screen
    assert "Derek declined to refer you: don't ask again." in screen


def test_saved_on_day_one_the_call_on_day_two_asks_the_same_questions(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import re

    run("prep", "priya", "--save", root=example_vault)
    sheet = (example_vault / "prep" / "2026-11-23-priya-raman.md").read_text()
    saved_ids = re.search(r"^questions: \[(.*)\]$", sheet, re.MULTILINE).group(1)  # type: ignore[union-attr]
    saved_texts = re.findall(r"^\d+\. (.*)$", sheet, re.MULTILINE)

    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-24T19:00:00-06:00")
    record = json.loads(run("prep", "priya", "--json", root=example_vault).stdout)
    bank = [q for q in record["questions"] if q["source"] == "bank"]
    assert ", ".join(f'"{q["id"]}"' for q in bank) == saved_ids

    seen: list[str] = []

    def capture(call: CallView, clock: object) -> CallView:
        seen.extend(item.text for item in call.items)
        call.finished = True
        return call

    monkeypatch.setattr(live, "has_terminal", lambda: True)
    monkeypatch.setattr(live, "run_in_terminal", capture)
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-25T14:58:00-06:00")
    assert run("call", "priya", root=example_vault).exit_code == 0
    assert seen == saved_texts == [q["text"] for q in record["questions"]]


def test_a_call_with_a_closed_contact_keeps_no_questions_for_a_next_chat(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def scripted(call: CallView, clock: object) -> CallView:
        call.started = START
        return play([(60, "f"), (61, ENTER)], call)[0]

    monkeypatch.setattr(live, "has_terminal", lambda: True)
    monkeypatch.setattr(live, "run_in_terminal", scripted)
    assert run("call", "derek", root=example_vault).exit_code == 0  # declined: closed
    assert not (example_vault / "prep" / "plans").exists()
    assert run("call", "ravi", root=example_vault).exit_code == 0  # open: its plan is kept
    assert (example_vault / "prep" / "plans" / "ravi-shah.json").is_file()
