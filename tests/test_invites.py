"""Invitations that calendars accept: read back with icalendar, vobject and ics, and imported
into khal when it is installed; no value in a note can break one or add to it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zoneinfo
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import ics
import pytest
import vobject

from coffeechat.scheduling.ics import vtimezone
from conftest import ICAL_JS, MINIMAL_CONFIG, Run, WriteNote, ical_js, needs_ical_js, snapshot

PRIYA = "name: Priya Raman\ncompany: Lumen Pay\ntimezone: America/Los_Angeles\n"

WITH_EMAIL = MINIMAL_CONFIG + 'email = "sam@example.com"\n'
CONFIRMATION = (
    "people/priya.md: scheduled the chat for Fri Nov 27, 3:00 PM CST (1:00 PM PST for them); "
    "logged\n"
)


@pytest.fixture
def priya(write_note: WriteNote) -> Path:
    return write_note(
        "priya",
        "name: Priya Raman\ncompany: Lumen Pay\nlocation: San Francisco Bay Area\n"
        "email: priya@lumen.example\n",
    )


def _lines(calendar: bytes) -> list[str]:
    """Content lines, unfolded; every line must end in CRLF."""
    text = calendar.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")


def test_schedule_ics_to_stdout_writes_only_the_calendar(
    run: Run, priya: Path, vault: Path
) -> None:
    result = run("schedule", "priya", "Fri 3pm", "--ics", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    assert result.stdout_bytes.endswith(b"END:VCALENDAR\r\n")
    assert result.stderr == CONFIRMATION
    (event,) = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(
        2026, 11, 27, 15, tzinfo=ZoneInfo("America/Chicago")
    )
    assert not (vault / "invites").exists()


def test_with_your_email_it_is_an_invitation_with_organizer_and_attendee(
    run: Run, priya: Path, vault: Path
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL)
    result = run("schedule", "priya", "Fri 3pm", "--ics", "-")
    assert result.exit_code == 0
    lines = _lines(result.stdout_bytes)
    assert "METHOD:REQUEST" in lines
    assert 'ORGANIZER;CN="Sam Rivera":mailto:sam@example.com' in lines
    assert (
        'ATTENDEE;CN="Priya Raman";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:'
        "mailto:priya@lumen.example"
    ) in lines
    parsed = vobject.readOne(result.stdout)
    parsed.validate()
    assert parsed.vevent.organizer.value == "mailto:sam@example.com"
    assert parsed.vevent.attendee.params["RSVP"] == ["TRUE"]
    (event,) = ics.Calendar(result.stdout).events
    assert event.begin.to("utc").datetime == datetime(2026, 11, 27, 21, tzinfo=UTC)
    assert [attendee.email for attendee in event.attendees] == ["priya@lumen.example"]
    assert event.organizer.email == "sam@example.com"
    # What they receive names you both and carries none of your own tooling.
    assert event.name == "Coffee chat: Sam Rivera and Priya Raman"
    assert "coffeechat" not in event.description


def test_without_your_email_it_is_published_without_attendees(
    run: Run, priya: Path, write_note: WriteNote, vault: Path
) -> None:
    lines = _lines(run("schedule", "priya", "Fri 3pm", "--ics", "-").stdout_bytes)
    # Without your address it is a plain calendar: an iTIP PUBLISH must name its organizer.
    assert not [line for line in lines if line.startswith("METHOD")]
    assert any(line.startswith("DESCRIPTION:Prepare: coffeechat prep ") for line in lines)
    assert not [line for line in lines if line.startswith(("ATTENDEE", "ORGANIZER"))]
    # Your email but none for them: still PUBLISH (REQUEST needs an attendee), with you as
    # the organizer.
    (vault / "coffeechat.toml").write_text(WITH_EMAIL)
    write_note("ravi", "name: Ravi Shah\ntimezone: Asia/Kolkata\n")
    lines = _lines(run("schedule", "ravi", "Mon 8am", "--ics", "-", "--force").stdout_bytes)
    assert "METHOD:PUBLISH" in lines
    assert 'ORGANIZER;CN="Sam Rivera":mailto:sam@example.com' in lines
    assert not [line for line in lines if line.startswith("ATTENDEE")]


def test_the_time_zone_is_a_yearly_rule_that_holds_after_2038(
    run: Run, priya: Path, vault: Path
) -> None:
    result = run("schedule", "priya", "2041-07-03 10:00", "--force", "--ics", "-")
    assert result.exit_code == 0
    lines = _lines(result.stdout_bytes)
    start = lines.index("BEGIN:VTIMEZONE")
    assert lines[start : lines.index("END:VTIMEZONE") + 1] == [
        "BEGIN:VTIMEZONE",
        "TZID:America/Chicago",
        "BEGIN:DAYLIGHT",
        "DTSTART:20400311T020000",
        "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
        "TZNAME:CDT",
        "TZOFFSETFROM:-0600",
        "TZOFFSETTO:-0500",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:20401104T020000",
        "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
        "TZNAME:CST",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0600",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    # 10:00 CDT is 15:00 UTC, read from the VTIMEZONE by each parser.
    when = datetime(2041, 7, 3, 15, tzinfo=UTC)
    calendar = icalendar.Calendar.from_ical(result.stdout)
    chicago = calendar.walk("VTIMEZONE")[0].to_tz()
    local = calendar.walk("VEVENT")[0]["DTSTART"].dt.replace(tzinfo=None)
    assert local.replace(tzinfo=chicago).astimezone(UTC) == when
    parsed = vobject.readOne(result.stdout)
    parsed.validate()
    assert parsed.vevent.dtstart.value.astimezone(UTC) == when
    # Not checked with ics 0.7: it ignores VTIMEZONE and asks dateutil, whose zone tables end
    # in 2037.


ZONES = [
    "America/Chicago",  # DST, northern
    "Australia/Sydney",  # DST, southern: the year starts in summer time
    "Asia/Kolkata",  # no DST, half-hour offset
    "Asia/Jerusalem",  # the spring change is Thursday 26:00, that is Friday 02:00
    "Europe/Dublin",  # winter time is the legal exception
    "Africa/Cairo",  # no RRULE can say "the day after the last Thursday": a list of dates
    "Africa/Casablanca",  # changes that follow Ramadan: a list of dates
]


@pytest.mark.parametrize("key", ZONES)
@pytest.mark.parametrize("year", [2026, 2045])
def test_vtimezone_gives_zoneinfos_offset_all_year(key: str, year: int) -> None:
    zone = ZoneInfo(key)
    component = vtimezone(zone, datetime(year, 6, 1, tzinfo=zone))
    text = component.to_ical().decode()
    listed = key.startswith("Africa/")
    assert ("RDATE" in text) == listed, text
    assert ("RRULE" in text) == (not listed and key != "Asia/Kolkata"), text
    tz = component.to_tz()
    instant = datetime(year, 1, 1, tzinfo=UTC)
    while instant.year == year:
        assert instant.astimezone(tz).utcoffset() == instant.astimezone(zone).utcoffset(), instant
        instant += timedelta(hours=5)


def test_vtimezone_reads_the_rule_from_the_tzdata_package_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_disk = vtimezone(ZoneInfo("America/Chicago"), datetime(2030, 1, 1)).to_ical()
    monkeypatch.setattr(zoneinfo, "TZPATH", ())
    assert vtimezone(ZoneInfo("America/Chicago"), datetime(2030, 1, 1)).to_ical() == on_disk


def _khal() -> str | None:
    beside = Path(sys.executable).with_name("khal")
    return str(beside) if beside.exists() else shutil.which("khal")


# --- one UID per chat, a SEQUENCE one higher on every change -------------------------------------

# sha256("sam@example.com")[:12]: whose chat it is, so no other user's chat shares the UID.
FRIDAY_CHAT = "priya-20261127T2100Z-cd25a6171969@coffeechat"
WEDNESDAY_CHAT = "priya-20261202T2100Z-cd25a6171969@coffeechat"


def _identity(path: Path) -> tuple[str, int, datetime]:
    (event,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    return str(event["UID"]), int(event["SEQUENCE"]), event.decoded("DTSTART")


def test_a_moved_chat_keeps_its_uid_with_a_higher_sequence_and_a_new_chat_gets_a_new_uid(
    run: Run, priya: Path, vault: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL)
    invite = vault / "invites" / "priya.ics"
    copies = []
    # All within the same minute (COFFEECHAT_NOW is fixed): each move is still a new version.
    for when, sequence in (("Fri 3pm", 0), ("Fri 4pm", 1), ("Fri 4:30pm", 2), ("Fri 4:30pm", 2)):
        assert run("schedule", "priya", when).exit_code == 0
        assert _identity(invite)[:2] == (FRIDAY_CHAT, sequence), when
        copies.append(tmp_path / f"{len(copies)}.ics")
        copies[-1].write_bytes(invite.read_bytes())
    # After that chat, the next one is another event beside it, not a replacement.
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-30T09:00:00-06:00")
    assert run("schedule", "priya", "Wed 3pm").exit_code == 0
    assert _identity(invite)[:2] == (WEDNESDAY_CHAT, 0)
    copies.append(tmp_path / "next.ics")
    copies[-1].write_bytes(invite.read_bytes())
    # Another user booking the same person at the same time: another UID.
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + 'email = "alex@example.com"\n')
    assert run("schedule", "priya", "Wed 3pm", "--ics", str(tmp_path / "alex.ics")).exit_code == 0
    assert _identity(tmp_path / "alex.ics")[0] == "priya-20261202T2100Z-6db61e6dcbcf@coffeechat"
    if not ICAL_JS:
        return
    read = [file["events"][0] for file in ical_js(*copies)]  # type: ignore[index]
    assert [(event["uid"], event["sequence"], event["start"]) for event in read] == [
        (FRIDAY_CHAT, 0, "2026-11-27T21:00:00Z"),
        (FRIDAY_CHAT, 1, "2026-11-27T22:00:00Z"),
        (FRIDAY_CHAT, 2, "2026-11-27T22:30:00Z"),
        (FRIDAY_CHAT, 2, "2026-11-27T22:30:00Z"),
        (WEDNESDAY_CHAT, 0, "2026-12-02T21:00:00Z"),
    ]


def test_a_move_written_elsewhere_keeps_the_uid_the_chat_was_booked_with(
    run: Run, priya: Path, vault: Path
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL)
    booked = run("schedule", "priya", "Fri 3pm", "--ics", "-")
    moved = run("schedule", "priya", "Fri 4pm", "--ics", "-")
    assert "UID:" + FRIDAY_CHAT in _lines(booked.stdout_bytes)
    assert [
        line for line in _lines(moved.stdout_bytes) if line.startswith(("UID", "SEQUENCE"))
    ] == ["UID:" + FRIDAY_CHAT, "SEQUENCE:1"]


@needs_ical_js
def test_ical_js_reads_the_invitation_its_organizer_and_attendee(
    run: Run, priya: Path, vault: Path
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL)
    assert run("schedule", "priya", "Fri 3pm").exit_code == 0
    (read,) = ical_js(vault / "invites" / "priya.ics")
    assert read == {
        "method": "REQUEST",
        "events": [
            {
                "uid": FRIDAY_CHAT,
                "sequence": 0,
                "start": "2026-11-27T21:00:00Z",
                "summary": "Coffee chat: Sam Rivera and Priya Raman",
                "organizer": "mailto:sam@example.com",
                "attendees": ["mailto:priya@lumen.example"],
            }
        ],
    }


@pytest.mark.slow
@pytest.mark.skipif(_khal() is None, reason="khal is not installed")
def test_khal_replaces_a_moved_chat_and_keeps_the_next_one_beside_it(
    run: Run, priya: Path, vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL)
    (tmp_path / "khal-calendar").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[chats]]\npath = {tmp_path / 'khal-calendar'}\n"
        "[locale]\nlocal_timezone = America/Chicago\ndefault_timezone = America/Chicago\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "khal-data")}
    khal = [_khal() or "khal", "-c", str(config)]
    invite = vault / "invites" / "priya.ics"

    def imported(when: str) -> list[str]:
        assert run("schedule", "priya", when).exit_code == 0
        subprocess.run(
            [*khal, "import", "--batch", "-a", "chats", str(invite)], env=env, check=True
        )
        listed = subprocess.run(
            [*khal, "list", "--format", "{start} {title}", "2026-11-23", "14d"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return [line for line in listed.stdout.splitlines() if line.startswith("2026")]

    chat = "Coffee chat: Sam Rivera and Priya Raman"
    assert imported("Fri 3pm") == [f"2026-11-27 15:00 {chat}"]
    assert imported("Fri 4pm") == [f"2026-11-27 16:00 {chat}"]
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-30T09:00:00-06:00")
    assert imported("Wed 3pm") == [f"2026-11-27 16:00 {chat}", f"2026-12-02 15:00 {chat}"]


@pytest.mark.slow
@pytest.mark.skipif(_khal() is None, reason="khal is not installed")
@pytest.mark.parametrize(
    ("when", "shown"),
    [
        # 3 PM CST on Friday is 8 AM AEDT on Saturday in Sydney.
        ("Fri 3pm", "2026-11-28 08:00-08:15 Coffee chat: Sam Rivera and Priya Raman"),
        # 10 AM CDT is 1 AM AEST (Sydney's winter) the next day.
        ("2027-07-07 10:00", "2027-07-08 01:00-01:15 Coffee chat: Sam Rivera and Priya Raman"),
    ],
)
def test_khal_imports_the_invitation_at_the_right_instant(
    run: Run, priya: Path, vault: Path, tmp_path: Path, when: str, shown: str
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL)
    invite = tmp_path / "chat.ics"
    # --force: 1 AM in Sydney is outside Priya's hours, and July is months ahead.
    assert run("schedule", "priya", when, "--ics", str(invite), "--force").exit_code == 0
    (tmp_path / "khal-calendar").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[chats]]\npath = {tmp_path / 'khal-calendar'}\n"
        "[locale]\nlocal_timezone = Australia/Sydney\ndefault_timezone = Australia/Sydney\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "khal-data")}
    khal = [_khal() or "khal", "-c", str(config)]
    subprocess.run([*khal, "import", "--batch", "-a", "chats", str(invite)], env=env, check=True)
    listed = subprocess.run(
        [*khal, "list", "--format", "{start}-{end-time} {title}", shown[:10], "1d"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert listed.stdout.splitlines()[1:] == [shown]


def test_a_time_outside_their_hours_or_months_ahead_asks_for_force(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    # The review's case: dateparser once read this as 2027-04-23, 1:30 AM for the contact.
    write_note("divya", "name: Divya Nair\ntimezone: Asia/Kolkata\n")
    note = vault / "people" / "divya.md"
    before = note.read_bytes()
    result = run("schedule", "divya", "3pm on the 4th")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: that is Sat Dec 5, 2:30 AM IST for Divya Nair, outside their working hours "
        "(09:00-17:00, Monday to Friday); pick a time from `coffeechat slots divya` "
        "(or --force to book it anyway)\n"
    )
    far = run("schedule", "divya", "Apr 23 2027 10:30pm")
    assert far.exit_code == 1
    assert far.stderr == (
        "Error: Fri Apr 23, 10:30 PM CDT is 151 days away; check the date "
        "(or --force to book it anyway)\n"
    )
    assert note.read_bytes() == before
    assert not (vault / "invites").exists()

    forced = run("schedule", "divya", "3pm on the 4th", "--force")
    assert forced.exit_code == 0
    assert "chat: 2026-12-04T15:00:00-06:00\n" in note.read_text()
    # Within their hours: 9:30 AM in Kolkata is 10 PM the evening before in Chicago.
    assert run("schedule", "divya", "Thu 9:30am", "--their-time").exit_code == 0


def test_mark_chat_reads_the_same_times_as_schedule_as_something_that_happened(
    run: Run, priya: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run("mark", "priya", "chat", "--on", "tomorrow 2pm")  # said outright: kept
    assert result.exit_code == 0
    assert result.stdout == "people/priya.md: chat: 2026-11-24T14:00:00-06:00\n"
    # A day the text leaves open is the latest one, not the next (Monday Nov 23).
    for when, recorded in (
        ("3pm on the 4th", "2026-11-04T15:00:00-06:00"),
        ("Fri 3pm", "2026-11-20T15:00:00-06:00"),
        ("Dec 10 1pm", "2025-12-10T13:00:00-06:00"),
        ("10am", "2026-11-22T10:00:00-06:00"),  # 10 AM, not yet 10 AM at 9: yesterday's
    ):
        assert run("mark", "priya", "chat", "--on", when).exit_code == 0, when
        assert f"chat: {recorded}\n" in priya.read_text(), when
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-12-14T09:00:00-06:00")
    assert run("mark", "priya", "chat", "--on", "Dec 10 1pm").exit_code == 0
    assert "chat: 2026-12-10T13:00:00-06:00\n" in priya.read_text()
    dayless = run("mark", "priya", "chat", "--on", "tomorrow")
    assert dayless.exit_code == 2
    assert dayless.stderr.startswith('Error: give a time of day as well, e.g. "tomorrow 2pm"')


# --- what would break an invitation (review H8) --------------------------------------------------


@pytest.mark.parametrize("target", ["-", "invite.ics", None])
def test_a_line_break_in_the_email_is_refused_before_anything_is_written(
    run: Run, vault: Path, write_note: WriteNote, target: str | None
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL)
    write_note(
        "priya",
        PRIYA + 'email: "p@x.example\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:INJECTED"\n',
    )
    before = snapshot(vault)
    ics = ["--ics", target] if target else []
    for _ in range(2):  # a second run is refused the same way and adds nothing either
        result = run("schedule", "priya", "Fri 3pm", *ics)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (
            "Error: people/priya.md:5: email: `p@x.example\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT"
            "\\r\\nSUMMARY:INJECTED` is not one address such as name@example.com; fix it\n"
        )
        assert snapshot(vault) == before


def test_without_your_email_the_invite_names_no_attendee_and_needs_no_address(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("priya", PRIYA + 'email: "p@x.example\\r\\nBCC: q@x.example"\n')
    result = run("schedule", "priya", "Fri 3pm", "--ics", "-")
    assert result.exit_code == 0
    assert b"ATTENDEE" not in result.stdout_bytes
    assert b"x.example" not in result.stdout_bytes


def test_an_invitation_escapes_what_would_break_it(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    (vault / "coffeechat.toml").write_text(
        'name = "Sam Rivera"\ntimezone = "America/Chicago"\nemail = "sam@example.com"\n'
    )
    write_note(
        "priya",
        'name: "Priya \\"P\\"; Raman, Jr.\\nBEGIN:VEVENT"\n'
        "timezone: America/Los_Angeles\nemail: p@x.example\n",
    )
    result = run("schedule", "priya", "Fri 3pm", "--ics", "-")
    assert result.exit_code == 0
    (event,) = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert (
        str(event["SUMMARY"]) == 'Coffee chat: Sam Rivera and Priya "P"; Raman, Jr.\nBEGIN:VEVENT'
    )
    assert event["ATTENDEE"].params["CN"] == 'Priya "P"; Raman, Jr.\nBEGIN:VEVENT'


def test_mark_says_which_day_it_chose_when_the_words_leave_it_open(
    run: Run, priya: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The newcomer's Dec 14: the chat was four days ago.
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-12-14T08:45:00-06:00")
    result = run("mark", "priya", "chat", "--on", "Dec 10 1pm")
    assert result.stdout == "people/priya.md: chat: 2026-12-10T13:00:00-06:00\n"
    assert result.stderr == (
        'Note: read "Dec 10 1pm" as Thu Dec 10, 2026, 1:00 PM, the latest one (what is marked '
        "has happened); give the full date to mean another\n"
    )
    # A day the words leave open, for a date milestone too; "the 4th" is this month's.
    for when, recorded, shown in (
        ("Fri", "2026-12-11", "Fri Dec 11, 2026"),
        ("the 4th", "2026-12-04", "Fri Dec 4, 2026"),
        ("Dec 20", "2025-12-20", "Sat Dec 20, 2025"),
    ):
        result = run("mark", "priya", "messaged", "--on", when)
        assert result.stdout == f"people/priya.md: messaged: {recorded}\n", when
        assert result.stderr.startswith(f'Note: read "{when}" as {shown}, the latest one'), when
    # Said outright: nothing to add.
    for when in ("yesterday", "2026-12-01", "Dec 10 2026", "3 days ago"):
        result = run("mark", "priya", "replied", "--on", when)
        assert "Note:" not in result.stderr, when
