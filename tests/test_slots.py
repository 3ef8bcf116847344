"""Slots and scheduling across zones and DST changes, as the user sees them."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.core.errors import CoffeechatError
from coffeechat.model.note import Person
from coffeechat.scheduling.chat import book, clash, log_entry
from coffeechat.scheduling.slots import SlotRequest, busy_times, propose
from coffeechat.store.vault import open_store
from coffeechat.when.parse import Window
from conftest import MINIMAL_CONFIG, Run, WriteNote

PRIYA = "name: Priya Raman\ncompany: Lumen Pay\ntimezone: America/Los_Angeles\n"

CHICAGO = ZoneInfo("America/Chicago")


def person(write_note: WriteNote, stem: str, where: str, extra: str = "") -> Path:
    key = "timezone" if "/" in where else "location"
    return write_note(stem, f"name: {stem.title()}\ncompany: Lumen Pay\n{key}: {where}\n{extra}")


def test_slots_are_spread_and_shown_in_their_zone_with_mine_beside(
    run: Run, write_note: WriteNote
) -> None:
    person(write_note, "priya", "San Francisco Bay Area")
    result = run("slots", "priya")
    assert result.exit_code == 0
    assert result.stdout == (
        "Tue Nov 24, 10:00-10:15 AM PST (12:00 PM CST for me)\n"
        "Tue Nov 24, 1:00-1:15 PM PST (3:00 PM CST for me)\n"
        "Wed Nov 25, 1:00-1:15 PM PST (3:00 PM CST for me)\n"
        "Fri Nov 27, 10:00-10:15 AM PST (12:00 PM CST for me)\n"
        "Mon Nov 30, 1:00-1:15 PM PST (3:00 PM CST for me)\n"
        "Tue Dec 1, 10:00-10:15 AM PST (12:00 PM CST for me)\n"
    )
    assert "coffeechat schedule priya" in result.stderr
    # Thursday is Thanksgiving: left out, and said so.
    assert "Left out public holidays: Thu Nov 26 (Thanksgiving Day, US)." in result.stderr


def test_holidays_in_their_country_are_left_out_too(run: Run, write_note: WriteNote) -> None:
    person(write_note, "lena", "Berlin, Germany")
    result = run("slots", "lena", "--from", "2026-12-23", "--days", "4")
    assert result.exit_code == 0
    assert "Dec 25" not in result.stdout  # Christmas in both countries
    assert "Dec 24" in result.stdout or "Dec 28" in result.stdout
    assert "Sat Dec 26" not in result.stdout
    assert "Left out public holidays: Fri Dec 25 (Christmas Day, US and DE); Sat Dec 26" in (
        result.stderr
    )


def test_slots_json(run: Run, write_note: WriteNote) -> None:
    person(write_note, "priya", "America/Los_Angeles")
    # One slot only: it goes to the Friday.
    records = json.loads(run("slots", "priya", "--json", "--count", "1").stdout)["slots"]
    assert records == [
        {
            "start": "2026-11-27T10:00:00-08:00",
            "end": "2026-11-27T10:15:00-08:00",
            "my_start": "2026-11-27T12:00:00-06:00",
            "my_end": "2026-11-27T12:15:00-06:00",
            "contact_zone": "America/Los_Angeles",
            "my_zone": "America/Chicago",
            "outside": None,
        }
    ]


def test_us_and_eu_change_clocks_on_different_weeks(run: Run, write_note: WriteNote) -> None:
    # US clocks go forward on 14 March 2027, the UK's on 28 March: five hours apart, not six.
    person(write_note, "olu", "London, England, United Kingdom")
    lines = run("slots", "olu", "--from", "2027-03-12", "--days", "2", "--count", "2").stdout
    assert lines.splitlines() == [
        "Fri Mar 12, 3:00-3:15 PM GMT (9:00 AM CST for me)",
        "Mon Mar 15, 3:00-3:15 PM GMT (10:00 AM CDT for me)",
    ]


def test_southern_hemisphere_leaves_summer_time_in_april(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    (vault / "coffeechat.toml").write_text(
        'timezone = "America/Chicago"\navailable_hours = "07:00-21:00"\n'
    )
    person(write_note, "mei", "Sydney, New South Wales, Australia")
    out = run("slots", "mei", "--from", "2027-04-01", "--days", "4", "--count", "4").stdout
    # Sydney leaves summer time on 4 April 2027: 10 AM there is 6 PM here before, 7 PM after.
    assert out.splitlines() == [
        "Fri Apr 2, 10:00-10:15 AM AEDT (Thu Apr 1, 6:00 PM CDT for me)",
        "Fri Apr 2, 12:00-12:15 PM AEDT (Thu Apr 1, 8:00 PM CDT for me)",
        "Tue Apr 6, 10:00-10:15 AM AEST (Mon Apr 5, 7:00 PM CDT for me)",
        "Wed Apr 7, 10:00-10:15 AM AEST (Tue Apr 6, 7:00 PM CDT for me)",
    ]


@pytest.mark.parametrize(
    ("my_zone", "their_zone", "mine"),
    [("Europe/London", "Asia/Kolkata", "GMT"), ("America/Chicago", "Australia/Adelaide", "CST")],
)
def test_half_hour_zones(
    run: Run, write_note: WriteNote, vault: Path, my_zone: str, their_zone: str, mine: str
) -> None:
    (vault / "coffeechat.toml").write_text(f'timezone = "{my_zone}"\n')
    person(write_note, "ravi", their_zone)
    out = run("slots", "ravi", "--count", "3").stdout
    assert len(out.splitlines()) == 3
    for line in out.splitlines():
        their, my_part = line.split(" (")
        # Their whole hours are half past for me.
        assert ":00-" in their
        assert ":30 " in my_part
        assert mine in my_part


def test_phoenix_keeps_its_clock_when_chicago_moves(run: Run, write_note: WriteNote) -> None:
    person(write_note, "ana", "Phoenix, Arizona, United States")
    before = run("slots", "ana", "--from", "2027-03-12", "--days", "1", "--count", "1").stdout
    after = run("slots", "ana", "--from", "2027-03-15", "--days", "1", "--count", "1").stdout
    assert "MST" in before
    assert "CST for me" in before
    assert "MST" in after
    assert "CDT for me" in after
    # One hour apart in winter, two in summer.
    assert "10:00-10:15 AM MST (11:00 AM CST" in before
    assert "10:00-10:15 AM MST (12:00 PM CDT" in after


def test_hours_that_never_meet_get_the_least_bad_times_and_say_so(
    run: Run, write_note: WriteNote
) -> None:
    # Chicago 8-6 and Bengaluru 9-5 never meet: your early morning is their evening.
    person(write_note, "arjun", "Bengaluru, Karnataka, India")
    result = run("slots", "arjun")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 6
    assert lines[0] == (
        "Wed Nov 25, 7:00-7:15 PM IST (7:30 AM CST for me) — early for me, after your working day"
    )
    assert all("after your working day" in line for line in lines)
    assert all(re.search(r"\((7:[0-5]\d|8:[0-5]\d) AM CST for me\)", line) for line in lines)
    assert "these are the least-bad times, outside someone's normal hours" in result.stderr
    assert "Arjun's (Mon-Fri 09:00-17:00, Asia/Kolkata)" in result.stderr
    record = json.loads(run("slots", "arjun", "--json", "--count", "1").stdout)["slots"][0]
    assert record["outside"] == "early for me, after your working day"


def test_their_own_hours_and_days_are_used(run: Run, write_note: WriteNote) -> None:
    # Working until 9 PM in Bengaluru: 9 AM in Chicago fits both, nothing to apologise for.
    person(write_note, "arjun", "Asia/Kolkata", "work_hours: 10:00-21:00\n")
    result = run("slots", "arjun")
    assert result.exit_code == 0
    assert "for me)\n" in result.stdout
    assert "—" not in result.stdout
    assert "least-bad" not in result.stderr
    # A Sunday-Thursday week in Dubai: Sunday is offered, Friday never.
    person(write_note, "omar", "Asia/Dubai", "work_hours: Sun-Thu 09:00-17:00\n")
    result = run("slots", "omar", "--days", "5")
    assert "Fri" not in result.stdout
    out = run("slots", "omar", "--days", "5", "--json").stdout
    offered = json.loads(out)["slots"]
    assert all(datetime.fromisoformat(r["start"]).weekday() in (6, 0, 1, 2, 3) for r in offered)


def test_work_hours_is_a_declared_key(run: Run, write_note: WriteNote) -> None:
    person(write_note, "arjun", "Asia/Kolkata")
    assert run("set", "arjun", "work_hours=Sun-Thu 9-17").exit_code == 0
    result = run("set", "arjun", "work_hours=whenever")
    assert result.exit_code == 2
    assert "work_hours: `whenever` is not days and hours" in result.stderr
    assert run("add", "Omar Haddad", "--work-hours", "Sun-Thu 9-17").exit_code == 0


def test_days_that_never_meet_say_so_and_exit_1(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + 'available_days = ["sat"]\n')
    person(write_note, "kenji", "Asia/Tokyo")
    result = run("slots", "kenji")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "do not overlap" in result.stderr
    assert "Asia/Tokyo" in result.stderr


def test_no_zone_says_how_to_give_one(run: Run, write_note: WriteNote) -> None:
    write_note("rem", "name: Rem\nlocation: Remote\n")
    result = run("slots", "rem")
    assert result.exit_code == 1
    assert "set `timezone:`" in result.stderr


BUSY_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:standup@test
DTSTART;TZID=America/Los_Angeles:20261123T080000
DTEND;TZID=America/Los_Angeles:20261123T160000
RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR
EXDATE;TZID=America/Los_Angeles:20261125T080000
SUMMARY:Busy all day, every weekday but Wednesday
END:VEVENT
BEGIN:VEVENT
UID:holiday@test
DTSTART;VALUE=DATE:20261125
DTEND;VALUE=DATE:20261126
TRANSP:TRANSPARENT
SUMMARY:Free all-day note
END:VEVENT
END:VCALENDAR
"""


def test_busy_calendars_expand_recurrences_and_honour_exdate(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    person(write_note, "priya", "America/Los_Angeles")
    (vault / "busy.ics").write_text(BUSY_ICS)
    out = run("slots", "priya", "--busy", "busy.ics").stdout
    days = {line.split(",")[0] for line in out.splitlines()}
    # 8:00-16:00 Pacific blocks their whole working day except the EXDATE Wednesday.
    assert days == {"Wed Nov 25"}


def test_an_all_day_event_blocks_the_day(run: Run, write_note: WriteNote, vault: Path) -> None:
    person(write_note, "priya", "America/Los_Angeles")
    (vault / "off.ics").write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:off@t\n"
        "DTSTART;VALUE=DATE:20261124\nDTEND;VALUE=DATE:20261125\nSUMMARY:Off\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    (vault / "coffeechat.toml").write_text(
        'timezone = "America/Chicago"\nbusy_calendars = ["off.ics"]\n'
    )
    out = run("slots", "priya").stdout
    assert out
    assert "Tue Nov 24" not in out


def test_a_broken_calendar_is_named(run: Run, write_note: WriteNote, vault: Path) -> None:
    person(write_note, "priya", "America/Los_Angeles")
    (vault / "bad.ics").write_text("not a calendar")
    result = run("slots", "priya", "--busy", "bad.ics")
    assert result.exit_code == 1
    assert "bad.ics: not a calendar file" in result.stderr


def test_slots_keep_clear_of_chats_already_scheduled(run: Run, write_note: WriteNote) -> None:
    person(write_note, "other", "America/Chicago", "chat: 2026-11-24T12:00:00-06:00\n")
    person(write_note, "priya", "America/Los_Angeles")
    out = run("slots", "priya", "--count", "10").stdout
    assert "Tue Nov 24, 10:00" not in out  # 12:00 CST is taken
    assert "9:30-9:45 AM PST" not in out
    assert "10:30-10:45 AM PST" not in out


@settings(max_examples=40, deadline=None)
@given(
    their=st.sampled_from(
        [
            "America/Los_Angeles",
            "Europe/Berlin",
            "Asia/Kolkata",
            "Australia/Sydney",
            "America/Phoenix",
        ]
    ),
    day=st.dates(min_value=datetime(2026, 1, 1).date(), max_value=datetime(2028, 12, 31).date()),
    minutes=st.sampled_from([15, 30, 45]),
)
def test_every_slot_fits_both_days_and_is_in_the_future(their: str, day, minutes: int) -> None:
    now = datetime.combine(day, datetime.min.time(), CHICAGO) + timedelta(hours=7)
    weekdays = frozenset(range(5))
    from datetime import time

    request = SlotRequest(
        now=now,
        first_day=day,
        days=5,
        duration=timedelta(minutes=minutes),
        count=6,
        my_zone=CHICAGO,
        my_hours=Window(weekdays, time(7), time(22)),
        their_zone=ZoneInfo(their),
        their_hours=Window(weekdays, time(9), time(17)),
    )
    found = propose(request)
    assert found
    for slot in found:
        assert slot.start > now
        assert slot.end - slot.start == timedelta(minutes=minutes)
        assert slot.start.weekday() < 5
        if slot.outside:
            # 7 AM-10 PM Chicago never meets 9-5 in India: outside their day, said so.
            assert their == "Asia/Kolkata"
            assert "your working day" in slot.outside, slot
            assert time(7) <= slot.start.time()
            assert slot.end.time() <= time(21)
        else:
            assert time(9) <= slot.start.time()
            assert slot.end.time() <= time(17)
        assert slot.end.date() == slot.start.date()
        mine = slot.start.astimezone(CHICAGO)
        assert mine.weekday() < 5
        assert time(7) <= mine.time() < time(22)


def test_schedule_records_the_chat_logs_it_and_writes_an_invitation(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    note = person(write_note, "priya", "San Francisco Bay Area", "email: p@example.com\n")
    result = run("schedule", "priya", "Tue 1pm")
    assert result.exit_code == 0
    assert result.stdout == (
        "people/priya.md: scheduled the chat for Tue Nov 24, 1:00 PM CST "
        "(11:00 AM PST for them); logged\n"
        "Invitation: invites/priya.ics (import it into your calendar)\n"
    )
    text = note.read_text()
    assert "chat: 2026-11-24T13:00:00-06:00\n" in text
    assert text.endswith(
        "- 2026-11-23: scheduled the chat for Tue Nov 24, 1:00 PM CST (11:00 AM PST for them)\n"
    )
    calendar = icalendar.Calendar.from_ical((vault / "invites" / "priya.ics").read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 11, 24, 13, tzinfo=CHICAGO)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=15)
    assert str(event["SUMMARY"]) == "Coffee chat with Priya (Lumen Pay)"
    assert "coffeechat prep priya" in str(event["DESCRIPTION"])
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-15)


def test_schedule_in_their_time(run: Run, write_note: WriteNote) -> None:
    note = person(write_note, "mei", "Australia/Sydney")
    result = run("schedule", "mei", "Dec 2 9am", "--their-time", "--ics", "-")
    assert result.exit_code == 0
    # 9 AM AEDT on Wednesday is 4 PM CST on Tuesday.
    assert "chat: 2026-12-01T16:00:00-06:00\n" in note.read_text()
    assert "DTSTART;TZID=America/Chicago:20261201T160000" in result.stdout


def test_schedule_refuses_a_clash_unless_forced(run: Run, write_note: WriteNote) -> None:
    person(write_note, "other", "America/Chicago", "chat: 2026-11-24T13:10:00-06:00\n")
    note = person(write_note, "priya", "America/Los_Angeles")
    before = note.read_bytes()
    result = run("schedule", "priya", "Tue 1pm")
    assert result.exit_code == 1
    assert "clashes with the chat with Other at Tue Nov 24, 1:10 PM CST" in result.stderr
    assert note.read_bytes() == before
    assert run("schedule", "priya", "Tue 1pm", "--force", "--ics", "-").exit_code == 0


# --- the clash rule at its edges ------------------------------------------------------------

TEN = datetime(2026, 11, 24, 10, tzinfo=CHICAGO)


def _minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


@pytest.mark.parametrize(
    ("start", "buffer", "clashes"),
    [
        # No buffer: a 30-minute chat may end exactly when the other starts, or start when it
        # ends; one minute more is an overlap.
        (TEN - _minutes(30), 0, False),
        (TEN - _minutes(29), 0, True),
        (TEN + _minutes(30), 0, False),
        (TEN + _minutes(29), 0, True),
        # A 15-minute buffer is kept free after the other chat...
        (TEN + _minutes(45), 15, False),
        (TEN + _minutes(44), 15, True),
        # ...and twice over before it: the new chat's own end is widened by the buffer too.
        (TEN - _minutes(60), 15, False),
        (TEN - _minutes(59), 15, True),
    ],
)
def test_the_clash_rule_at_its_edges(start: datetime, buffer: int, clashes: bool) -> None:
    taken = (TEN - _minutes(buffer), TEN + _minutes(30 + buffer))  # as chat_intervals widens it
    assert clash(start, 30, taken, buffer) is clashes


def test_booking_a_time_right_after_the_buffer_of_another_chat(
    vault: Path, write_note: WriteNote
) -> None:
    (vault / "coffeechat.toml").write_text(
        MINIMAL_CONFIG + "chat_minutes = 30\nbuffer_minutes = 15\n"
    )
    store = open_store(vault)
    person(write_note, "other", "America/Chicago", f"chat: {TEN.isoformat()}\n")
    priya = store.read_person(person(write_note, "priya", "America/Chicago"))
    now = datetime(2026, 11, 23, 9, tzinfo=CHICAGO)

    def book_at(moment: datetime) -> None:
        book(
            priya,
            moment,
            minutes=30,
            their_zone=CHICAGO,
            config=store.config,
            now=now,
            everyone=lambda: store.people().notes,
            identity="sam@example.com",
        )

    book_at(TEN + _minutes(45))
    with pytest.raises(CoffeechatError, match="clashes with the chat with Other at Tue Nov 24"):
        book_at(TEN + _minutes(44))


def test_a_booking_logs_a_new_time_once_and_says_when_it_moved(
    vault: Path, write_note: WriteNote
) -> None:
    store = open_store(vault)
    now = datetime(2026, 11, 23, 9, tzinfo=CHICAGO)
    fresh = store.read_person(person(write_note, "priya", "America/Los_Angeles"))
    moved = store.read_person(
        person(write_note, "mei", "America/Los_Angeles", f"chat: {TEN.isoformat()}\n")
    )

    def entry(who: Person, moment: datetime) -> str | None:
        return log_entry(
            who, moment, now=now, config=store.config, their_zone=ZoneInfo(who.timezone)
        )

    assert entry(fresh, TEN) == (
        "scheduled the chat for Tue Nov 24, 10:00 AM CST (8:00 AM PST for them)"
    )
    assert entry(moved, TEN) is None  # the time the note holds: no second log line
    assert entry(moved, TEN + _minutes(60)) == (
        "moved the chat from Tue Nov 24, 10:00 AM CST (8:00 AM PST for them) "
        "to Tue Nov 24, 11:00 AM CST (9:00 AM PST for them)"
    )


def test_busy_times_hold_other_chats_with_their_buffer_and_the_contacts_own_chat(
    vault: Path, write_note: WriteNote
) -> None:
    (vault / "coffeechat.toml").write_text(
        MINIMAL_CONFIG + "chat_minutes = 30\nbuffer_minutes = 15\n"
    )
    store = open_store(vault)
    person(write_note, "other", "America/Chicago", f"chat: {TEN.isoformat()}\n")
    later = TEN + timedelta(days=1)
    priya = store.read_person(
        person(write_note, "priya", "America/Chicago", f"chat: {later.isoformat()}\n")
    )
    busy = busy_times(priya, store.config, store.people().notes, [], [TEN.date()])
    assert busy == [
        (TEN - _minutes(15), TEN + _minutes(45)),  # another chat, the buffer on both sides
        (later, later + _minutes(30)),  # hers, being moved: not a time to offer again
    ]


def test_schedule_refuses_the_past_and_dst_gaps(run: Run, write_note: WriteNote) -> None:
    note = person(write_note, "priya", "America/Los_Angeles")
    before = note.read_bytes()
    past = run("schedule", "priya", "2026-11-20 10:00")
    assert past.exit_code == 1
    assert "is in the past" in past.stderr
    gap = run("schedule", "priya", "2027-03-14 02:30")
    assert gap.exit_code == 2
    assert "does not exist in America/Chicago" in gap.stderr
    unreadable = run("schedule", "priya", "someday soon")
    assert unreadable.exit_code == 2
    assert "tomorrow 2pm" in unreadable.stderr
    assert note.read_bytes() == before


def test_no_slot_is_offered_inside_a_dst_gap_or_twice_in_a_fold() -> None:
    every_day = frozenset(range(7))
    from datetime import time

    for day, hours in (
        (datetime(2027, 3, 14).date(), (1, 4)),
        (datetime(2027, 11, 7).date(), (0, 3)),
    ):
        request = SlotRequest(
            now=datetime(2027, 1, 1, tzinfo=CHICAGO),
            first_day=day,
            days=1,
            duration=timedelta(minutes=15),
            count=30,
            my_zone=CHICAGO,
            my_hours=Window(every_day, time(hours[0]), time(hours[1])),
            their_zone=ZoneInfo("UTC"),
            their_hours=Window(every_day, time(0), time(0)),
        )
        found = propose(request)
        mine = [slot.start.astimezone(CHICAGO) for slot in found]
        assert all(moment.replace(tzinfo=None).hour != 2 or day.month == 11 for moment in mine)
        assert len({moment.replace(tzinfo=None) for moment in mine}) == len(mine)


def test_slots_for_someone_already_scheduled_say_they_would_move_it(
    run: Run, write_note: WriteNote
) -> None:
    person(write_note, "priya", "America/Los_Angeles", "chat: 2026-11-25T15:00:00-06:00\n")
    result = run("slots", "priya", "--count", "1")
    assert result.exit_code == 0
    assert (
        "Priya already has a chat on Wed Nov 25, 3:00 PM CST (1:00 PM PST for them); "
        "these are times to move it to." in result.stderr
    )


def test_within_narrows_slots_to_the_days_and_hours_given(run: Run, write_note: WriteNote) -> None:
    person(write_note, "priya", "America/Chicago")
    out = run("slots", "priya", "--within", "Tue/Thu 2-4pm", "--count", "10").stdout
    lines = out.splitlines()
    assert lines
    for line in lines:
        assert line.startswith(("Tue", "Thu"))
        assert any(f" {hour}:" in line for hour in ("2", "3"))
        assert " PM " in line
    bad = run("slots", "priya", "--within", "whenever")
    assert bad.exit_code == 2
    assert "weekdays 9-12" in bad.stderr


def test_schedule_with_a_duration_makes_the_event_that_long(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    person(write_note, "priya", "America/Los_Angeles")
    result = run("schedule", "priya", "Tue 1pm", "--duration", "30", "--ics", "-")
    assert result.exit_code == 0
    (event,) = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)


def test_moving_a_chat_does_not_offer_its_own_time(run: Run, example_vault: Path) -> None:
    result = run("slots", "priya", root=example_vault)
    assert result.exit_code == 0
    assert "already has a chat on Wed Nov 25, 3:00 PM CST" in result.stderr
    assert "Wed Nov 25, 1:00-1:15 PM PST" not in result.stdout
    assert "Wed Nov 25, 2:00-2:15 PM PST" in result.stdout  # later that day is free


# --- a time the clocks repeat (review M5) --------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "utc", "shown"),
    [("-05:00", "20271107T063000Z", "1:30 AM CDT"), ("-06:00", "20271107T073000Z", "1:30 AM CST")],
)
def test_an_offset_settles_a_time_the_clocks_repeat(
    run: Run, write_note: WriteNote, offset: str, utc: str, shown: str
) -> None:
    note = write_note("priya", PRIYA)
    # --force: a Sunday at 1:30 AM, months ahead, which schedule otherwise refuses.
    result = run("schedule", "priya", f"2027-11-07T01:30{offset}", "--ics", "-", "--force")
    assert result.exit_code == 0, result.stderr
    assert f"scheduled the chat for Sun Nov 7, {shown}" in result.stderr
    assert f"chat: 2027-11-07T01:30:00{offset}\n" in note.read_text()
    (event,) = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert event["DTSTART"].to_ical().decode() == utc
    assert (event.decoded("DTEND") - event.decoded("DTSTART")).total_seconds() == 15 * 60
    without = run("schedule", "priya", "2027-11-07 01:30", "--force")
    assert without.exit_code == 2
    assert "happens twice in America/Chicago" in without.stderr
