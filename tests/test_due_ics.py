"""`due --ics`: the due list as all-day events, read back by icalendar and imported into khal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import icalendar
import pytest

from conftest import MINIMAL_CONFIG, Run, WriteNote, ical_js, needs_ical_js

ARJUN = "name: Arjun Mehta\nconnection: 2nd\nchat: 2026-11-20T09:00:00-06:00\n"


@pytest.fixture
def pipeline_vault(write_note: WriteNote) -> None:
    write_note("arjun", ARJUN)  # thanks and a connection request, due 11-21
    write_note("divya", "name: Divya Nair\nmessaged: 2026-11-20\n")  # a nudge due 11-27
    write_note("liam", "name: Liam Hart\nmessaged: 2026-11-13\nreplied: 2026-11-23\n")
    write_note("priya", "name: Priya Raman\nconnection: 1st\nchat: 2026-11-25T15:00:00-06:00\n")


def _export(run: Run, monkeypatch: pytest.MonkeyPatch, day: str, target: Path) -> Run:
    monkeypatch.setenv("COFFEECHAT_NOW", f"{day}T09:00:00-06:00")
    result = run("due", "--ics", str(target))
    assert result.exit_code == 0, result.output
    return result  # type: ignore[return-value]


def _calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _events(path: Path) -> dict[str, tuple[date, str, str]]:
    calendar = _calendar(path)
    return {
        str(event["UID"]): (
            event.decoded("DTSTART"),
            str(event["SUMMARY"]),
            str(event["DESCRIPTION"]).split("\n")[0],
        )
        for event in calendar.walk("VEVENT")
    }


@pytest.mark.usefixtures("pipeline_vault")
def test_the_export_is_valid_icalendar_with_stable_uids(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "due.ics"
    result = _export(run, monkeypatch, "2026-11-23", target)
    assert result.stdout == ""
    assert result.stderr == f"{target}: 5 due, 0 done lately\n"
    calendar = _calendar(target)
    assert str(calendar["X-WR-CALNAME"]) == "coffeechat due"
    for event in calendar.walk("VEVENT"):
        assert isinstance(event.decoded("DTSTART"), date)  # all-day
        assert (event.decoded("DTEND") - event.decoded("DTSTART")).days == 1
        assert str(event["TRANSP"]) == "TRANSPARENT"
    assert set(_events(target)) == {
        "thanks-arjun-2026-11-20@coffeechat",
        "connect-arjun-2026-11-20@coffeechat",
        "slots-liam-2026-11-23@coffeechat",
        "chat-priya-2026-11-25T15-00-00-06-00@coffeechat",
        "nudge-divya-2026-11-20@coffeechat",
    }
    events = _events(target)
    # Late items on the day of the export, with how late they are; what falls due in the
    # next two weeks on its own day; the command to run in the description.
    assert events["thanks-arjun-2026-11-20@coffeechat"] == (
        date(2026, 11, 23),
        "thank Arjun Mehta for the chat Fri Nov 20 (2 days late)",
        "Run: coffeechat draft thanks arjun",
    )
    assert events["nudge-divya-2026-11-20@coffeechat"] == (
        date(2026, 11, 27),
        "no reply from Divya Nair since 2026-11-20",
        "Run: coffeechat draft nudge divya",
    )
    assert events["chat-priya-2026-11-25T15-00-00-06-00@coffeechat"][0] == date(2026, 11, 25)
    # Stdout carries only the calendar.
    assert run("due", "--ics", "-").stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.usefixtures("pipeline_vault")
def test_a_second_export_updates_in_place(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_note: WriteNote
) -> None:
    first, second = tmp_path / "first.ics", tmp_path / "second.ics"
    _export(run, monkeypatch, "2026-11-23", first)
    write_note("arjun", ARJUN + "thanked: 2026-11-23\n")
    _export(run, monkeypatch, "2026-11-24", second)
    before, after = _events(first), _events(second)
    assert set(after) == set(before)  # the same UIDs: nothing added, nothing doubled
    assert after["thanks-arjun-2026-11-20@coffeechat"] == (
        date(2026, 11, 23),
        "✓ thank Arjun Mehta for the chat Fri Nov 20",
        "Done on 2026-11-23.",
    )
    assert after["connect-arjun-2026-11-20@coffeechat"][:2] == (
        date(2026, 11, 24),
        "send Arjun Mehta a connection request, thanking them for the chat (3 days late)",
    )
    sequences = [
        {str(e["UID"]): int(e["SEQUENCE"]) for e in _calendar(path).walk("VEVENT")}
        for path in (first, second)
    ]
    assert all(sequences[1][uid] > sequences[0][uid] for uid in sequences[0])


def _khal() -> str | None:
    beside = Path(sys.executable).with_name("khal")
    return str(beside) if beside.exists() else shutil.which("khal")


@pytest.mark.slow
@pytest.mark.skipif(_khal() is None, reason="khal is not installed")
@pytest.mark.usefixtures("pipeline_vault")
def test_khal_shows_the_items_on_their_days_and_replaces_them(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_note: WriteNote
) -> None:
    (tmp_path / "khal-calendar").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[due]]\npath = {tmp_path / 'khal-calendar'}\n"
        "[locale]\nlocal_timezone = America/Chicago\ndefault_timezone = America/Chicago\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "khal-data")}
    khal = [_khal() or "khal", "-c", str(config)]

    def imported(path: Path) -> list[str]:
        subprocess.run([*khal, "import", "--batch", "-a", "due", str(path)], env=env, check=True)
        listed = subprocess.run(
            [*khal, "list", "--format", "{start-date} {title}", "2026-11-20", "14d"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return sorted(line for line in listed.stdout.splitlines() if line[:4] == "2026")

    first = tmp_path / "first.ics"
    _export(run, monkeypatch, "2026-11-23", first)
    assert imported(first) == [
        "2026-11-23 Liam Hart replied on 2026-11-23: offer times",
        "2026-11-23 send Arjun Mehta a connection request, thanking them for the chat "
        "(2 days late)",
        "2026-11-23 thank Arjun Mehta for the chat Fri Nov 20 (2 days late)",
        "2026-11-25 chat with Priya Raman: Wed Nov 25, 3:00 PM CST",
        "2026-11-27 no reply from Divya Nair since 2026-11-20",
    ]
    write_note("arjun", ARJUN + "thanked: 2026-11-23\n")
    second = tmp_path / "second.ics"
    _export(run, monkeypatch, "2026-11-24", second)
    assert imported(second) == [
        "2026-11-23 ✓ thank Arjun Mehta for the chat Fri Nov 20",
        "2026-11-24 Liam Hart replied on 2026-11-23: offer times (1 day late)",
        "2026-11-24 send Arjun Mehta a connection request, thanking them for the chat "
        "(3 days late)",
        "2026-11-25 chat with Priya Raman: Wed Nov 25, 3:00 PM CST",
        "2026-11-27 no reply from Divya Nair since 2026-11-20",
    ]


@pytest.mark.usefixtures("pipeline_vault")
def test_with_your_address_it_is_published_by_you_and_without_it_a_plain_calendar(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, vault: Path
) -> None:
    plain = tmp_path / "plain.ics"
    _export(run, monkeypatch, "2026-11-23", plain)
    assert b"METHOD" not in plain.read_bytes()
    assert b"ORGANIZER" not in plain.read_bytes()
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + 'email = "sam@example.com"\n')
    published = tmp_path / "published.ics"
    _export(run, monkeypatch, "2026-11-23", published)
    calendar = _calendar(published)
    assert str(calendar["METHOD"]) == "PUBLISH"
    # RFC 5546 3.2.1: each published event names its organizer.
    organizers = {str(event["ORGANIZER"]) for event in calendar.walk("VEVENT")}
    assert organizers == {"mailto:sam@example.com"}
    assert b'ORGANIZER;CN="Sam Rivera":mailto:sam@example.com\r\n' in published.read_bytes()


@pytest.mark.usefixtures("pipeline_vault")
def test_a_second_export_in_the_same_minute_is_still_newer(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "due.ics"
    sequences = []
    for _ in range(3):
        _export(run, monkeypatch, "2026-11-23", target)
        sequences.append({int(e["SEQUENCE"]) for e in _calendar(target).walk("VEVENT")})
    # 2026-11-23 15:00 UTC is minute 29,924,100 since 1970; then one more each export.
    assert sequences == [{29924100}, {29924101}, {29924102}]


@needs_ical_js
@pytest.mark.usefixtures("pipeline_vault")
def test_ical_js_reads_every_item_on_its_day(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, vault: Path
) -> None:
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + 'email = "sam@example.com"\n')
    target = tmp_path / "due.ics"
    _export(run, monkeypatch, "2026-11-23", target)
    (read,) = ical_js(target)
    assert read["method"] == "PUBLISH"
    events = read["events"]
    assert isinstance(events, list)
    assert sorted((event["start"], event["uid"], event["organizer"]) for event in events) == [
        ("2026-11-23", "connect-arjun-2026-11-20@coffeechat", "mailto:sam@example.com"),
        ("2026-11-23", "slots-liam-2026-11-23@coffeechat", "mailto:sam@example.com"),
        ("2026-11-23", "thanks-arjun-2026-11-20@coffeechat", "mailto:sam@example.com"),
        ("2026-11-25", "chat-priya-2026-11-25T15-00-00-06-00@coffeechat", "mailto:sam@example.com"),
        ("2026-11-27", "nudge-divya-2026-11-20@coffeechat", "mailto:sam@example.com"),
    ]
