"""Kept output (store/shown.py) under the ways a user and a hostile machine run it: a vault
named by a relative path, links whose target moves, `due --on` on the running clock, a
reader that went away. Each printed answer must be what `--no-cache` prints at that moment."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coffeechat.cli
from coffeechat import __main__ as entry
from coffeechat.model.config import CONFIG_NAME
from coffeechat.store import shown

CHICAGO = ZoneInfo("America/Chicago")


def _fresh(console, *args: str) -> tuple[int, bytes, bytes]:
    return console("--no-cache", *args)[0]


def _twice_then_kept(console, *args: str) -> tuple[int, bytes, bytes]:
    """Run until the answer is kept (the first run on a vault learns its folders), then
    check the kept answer is printed without click."""
    for _ in range(2):
        outcome, _ = console(*args)
    again, ran = console(*args)
    assert not ran
    assert again == outcome
    return outcome


def test_a_vault_named_by_a_relative_path_reads_every_note(
    console,
    example_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(example_vault.parent)
    expected = _fresh(console, "--vault", example_vault.name, "due")
    assert b"cannot be read" not in expected[2]
    for _ in range(3):
        assert console("--vault", example_vault.name, "due")[0] == expected
    # The same vault named through a `..`: another spelling of the same folders.
    (example_vault / "sub").mkdir()
    spelled = f"{example_vault.name}/sub/.."
    for _ in range(3):
        assert console("--vault", spelled, "list")[0] == _fresh(console, "--vault", spelled, "list")


def _linked_away(example_vault: Path, name: str) -> tuple[Path, Path]:
    """`name` at the vault's root made a link through `lnk` to a folder inside the vault."""
    inner = example_vault / "inner"
    inner.mkdir()
    (example_vault / "lnk").symlink_to("inner")
    return inner, example_vault / "lnk" / name


def _move_outside(example_vault: Path, inner: Path, tmp_path: Path) -> None:
    """The linked folder moves out of the vault, and the link follows it: the file the note
    links to keeps its inode, size and times."""
    outside = tmp_path / "outside"
    inner.rename(outside)
    (example_vault / "lnk").unlink()
    (example_vault / "lnk").symlink_to(outside)


def test_a_linked_note_whose_folder_moved_out_of_the_vault_is_skipped_at_once(
    console,
    example_vault: Path,
    tmp_path: Path,
) -> None:
    inner, _ = _linked_away(example_vault, "priya-raman.md")
    (example_vault / "people" / "priya-raman.md").rename(inner / "priya-raman.md")
    (example_vault / "people" / "priya-raman.md").symlink_to("../lnk/priya-raman.md")
    vault = ("--vault", str(example_vault))
    assert b"Priya Raman" in _twice_then_kept(console, *vault, "list")[1]
    _move_outside(example_vault, inner, tmp_path)
    outcome, ran = console(*vault, "list")
    assert ran
    assert outcome == _fresh(console, *vault, "list")
    assert b"links to a file outside the vault" in outcome[2]


def test_an_inbox_linked_out_of_the_vault_stops_being_counted_at_once(
    console,
    example_vault: Path,
    tmp_path: Path,
) -> None:
    inner, _ = _linked_away(example_vault, "inbox.md")
    (inner / "inbox.md").write_text("@priya replied\n")
    (example_vault / "inbox.md").symlink_to("lnk/inbox.md")
    vault = ("--vault", str(example_vault))
    assert b"1 line to file" in _twice_then_kept(console, *vault, "due")[2]
    _move_outside(example_vault, inner, tmp_path)
    outcome, ran = console(*vault, "due")
    assert ran
    assert outcome == _fresh(console, *vault, "due")
    assert b"line to file" not in outcome[2]


def test_due_on_another_day_holds_only_until_that_days_chat_starts_on_the_running_clock(
    console,
    example_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`due --on tomorrow` compares tomorrow's chats with tomorrow at this time of day: a chat
    at 3 PM tomorrow changes the answer at 3 PM today."""
    monkeypatch.delenv("COFFEECHAT_NOW")
    now = datetime.now(CHICAGO).replace(microsecond=0)
    chat = now + timedelta(days=1, hours=1)
    (example_vault / "people" / "nadia-soon.md").write_text(
        f"---\nname: Nadia Soon\ncompany: Stripe\nchat: {chat.isoformat()}\n---\n"
    )
    args = ("--vault", str(example_vault), "due", "--on", "tomorrow")
    _twice_then_kept(console, *args)
    same_time_today = (chat - timedelta(days=1)).astimezone(UTC)
    moment = int(same_time_today.timestamp()) * 1_000_000_000 + 1
    monkeypatch.setattr(shown.time, "time_ns", lambda: moment)
    assert console(*args)[1], "the kept answer outlived the chat's start on the day asked"


def test_an_answer_worked_out_before_midnight_is_not_kept_past_it(
    console,
    example_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run that works its answer out at 23:59:59.9 and ends after midnight: the answer is
    the old day's, so it holds until that midnight, not the next."""
    from coffeechat.commands import base

    monkeypatch.delenv("COFFEECHAT_NOW")
    args = ("--vault", str(example_vault), "due")
    console(*args)  # the vault's folders learnt
    late = datetime.now(CHICAGO).replace(hour=23, minute=59, second=59, microsecond=900_000)
    midnight = late + timedelta(microseconds=100_000)
    moments = iter([late])
    monkeypatch.setattr(base.clock, "now", lambda: next(moments, midnight))
    started = int(late.timestamp()) * 1_000_000_000
    monkeypatch.setattr(shown.time, "time_ns", lambda: started)
    console(*args)
    assert not console(*args)[1]  # kept, and printed again before midnight
    after = int(midnight.timestamp()) * 1_000_000_000 + 1
    monkeypatch.setattr(shown.time, "time_ns", lambda: after)
    assert console(*args)[1], "the old day's answer was printed after midnight"


def test_a_reader_gone_away_ends_a_kept_answer_as_click_ends_one(
    console,
    example_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`coffeechat due | head -1`: click exits 1 without a word when the pipe closes."""
    args = ("--vault", str(example_vault), "due")
    _twice_then_kept(console, *args)
    read_end, write_end = os.pipe()
    os.close(read_end)
    gone = open(write_end, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    monkeypatch.setattr(sys, "stdout", gone)
    monkeypatch.setattr(sys, "argv", ["coffeechat", *args])
    try:
        with pytest.raises(SystemExit) as leaving:
            entry.main()
        assert leaving.value.code == 1
    finally:
        monkeypatch.undo()
        gone.close()


def test_a_reader_gone_away_during_a_recorded_run_exits_as_without_kept_output(
    example_vault: Path, tmp_path: Path
) -> None:
    """The run that records its output, to a pipe nobody reads: exit 1, nothing said,
    as `--no-cache` does."""
    script = Path(sys.executable).parent / "coffeechat"
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    env.pop("PYTHONUNBUFFERED", None)  # as users run it: stdout buffered
    outcomes = []
    for extra in ([], ["--no-cache"]):
        read_end, write_end = os.pipe()
        os.close(read_end)
        done = subprocess.run(
            [str(script), *extra, "--vault", str(example_vault), "due"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
        os.close(write_end)
        outcomes.append((done.returncode, done.stderr))
    assert outcomes[0] == outcomes[1] == (1, b"")


def test_moving_the_people_folder_in_the_settings_keeps_answers_again(
    console,
    example_vault: Path,
) -> None:
    args = ("--vault", str(example_vault), "list")
    _twice_then_kept(console, *args)
    (example_vault / "people").rename(example_vault / "folks")
    settings = example_vault / CONFIG_NAME
    moved = settings.read_text().replace('people_dir = "people"', 'people_dir = "folks"')
    settings.write_text(moved)
    assert console(*args)[1]
    assert console(*args)[0] == _fresh(console, *args)
    _twice_then_kept(console, *args)


def test_a_clock_set_back_before_the_answer_was_worked_out_runs_the_command(
    console,
    example_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A machine that booted with its clock hours ahead, then set right: what was kept in
    those hours was the answer of a moment still to come."""
    monkeypatch.delenv("COFFEECHAT_NOW")
    args = ("--vault", str(example_vault), "due")
    _twice_then_kept(console, *args)
    real = shown.time.time_ns
    monkeypatch.setattr(shown.time, "time_ns", lambda: real() - 3600 * 1_000_000_000)
    assert console(*args)[1]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start=st.datetimes(datetime(2026, 10, 29), datetime(2026, 11, 25)),
    days=st.integers(-3, 3),
    chat_after=st.timedeltas(timedelta(0), timedelta(hours=30)),
    fraction=st.floats(0, 1, exclude_max=True),
)
def test_due_on_a_day_holds_until_the_turn_kept_with_it(
    example_vault: Path, start: datetime, days: int, chat_after: timedelta, fraction: float
) -> None:
    """What a kept `due --on DAY` claims: between the run and the turn kept with it, `due
    --on DAY` prints the same thing, with a chat on that day close to this time of day."""
    from coffeechat.store.vault import open_store
    from coffeechat.when.clock import holds_until

    began = start.replace(tzinfo=CHICAGO)
    day = began.date() + timedelta(days=days)
    chat = datetime.combine(day, began.timetz()) + chat_after
    (example_vault / "people" / "nadia-soon.md").write_text(
        f"---\nname: Nadia Soon\ncompany: Stripe\nchat: {chat.isoformat()}\n---\n"
    )
    store = open_store(example_vault, use_cache=False)
    chats = [person.chat for person in store.people().notes]
    until = holds_until(began, store.config.zone, chats, day)
    if until is None:
        return
    # Short of the turn, even once rounded to the microsecond.
    later = max(began, min(began + (until - began) * fraction, until - timedelta(microseconds=1)))
    runner = CliRunner()

    def at(moment: datetime) -> tuple[int, str, str]:
        env = {"COFFEECHAT_NOW": moment.isoformat(), "COFFEECHAT_NO_CACHE": "1"}
        args = ["--vault", str(example_vault), "due", "--on", day.isoformat()]
        result = runner.invoke(coffeechat.cli.cli, args, env=env)
        return result.exit_code, result.stdout, result.stderr

    assert at(began) == at(later), (began, day, chat, later)


def test_due_on_tomorrow_the_night_the_clocks_spring_forward_is_not_printed_stale(
    console,
    example_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 00:30 on the night the clocks go forward, `due --on tomorrow` compares tomorrow
    at this time of day: tonight's lost hour brings tomorrow's 10 PM chat an hour early (at
    10 PM today, after 20.5 hours, not 21.5). The answer is not kept past that; at 10:15 PM
    it is tomorrow's chat that has begun."""
    from coffeechat.commands import base

    monkeypatch.delenv("COFFEECHAT_NOW")
    night = datetime(2027, 3, 14, 0, 30, tzinfo=CHICAGO)  # 2 AM becomes 3 AM
    tomorrow = night.date() + timedelta(days=1)
    chat = datetime(2027, 3, 15, 22, 0, tzinfo=CHICAGO)
    (example_vault / "people" / "nadia-soon.md").write_text(
        f"---\nname: Nadia Soon\ncompany: Stripe\nchat: {chat.isoformat()}\n---\n"
    )
    args = ("--vault", str(example_vault), "due", "--on", tomorrow.isoformat())

    def at(moment: datetime) -> None:
        ns = int(moment.timestamp()) * 1_000_000_000
        monkeypatch.setattr(base.clock, "now", lambda: moment)
        monkeypatch.setattr(shown.time, "time_ns", lambda: ns)

    at(night)
    before, _ = console(*args)
    console(*args)  # the vault's folders learnt on the first run; this one may keep
    evening = datetime(2027, 3, 14, 22, 15, tzinfo=CHICAGO)  # 20.75 hours later
    at(evening)
    now, ran = console(*args)
    assert ran, "the night's answer was printed after tomorrow's chat began"
    assert now == _fresh(console, *args) != before
