from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coffeechat.core.errors import UsageError
from coffeechat.when.parse import WHEN_EXAMPLES, moment_of, parse_when, parse_window

CHICAGO = ZoneInfo("America/Chicago")
MONDAY_9AM = datetime.fromisoformat("2026-11-23T09:00:00-06:00")


@pytest.mark.parametrize(
    ("text", "day", "at"),
    [
        ("tomorrow 2pm", date(2026, 11, 24), time(14)),
        ("tomorrow at 10", date(2026, 11, 24), time(10)),
        ("next Tuesday", date(2026, 11, 24), None),
        ("Fri 9am", date(2026, 11, 27), time(9)),
        ("friday at noon", date(2026, 11, 27), time(12)),
        ("Dec 4 14:30", date(2026, 12, 4), time(14, 30)),
        ("4 Dec", date(2026, 12, 4), None),
        ("Dec 7th at 3 pm", date(2026, 12, 7), time(15)),
        ("in 3 days", date(2026, 11, 26), None),
        ("in 2 weeks 11am", date(2026, 12, 7), time(11)),
        ("Monday 10:30", date(2026, 11, 30), time(10, 30)),
        ("8am", date(2026, 11, 24), time(8)),  # already past today: tomorrow
        ("noon", date(2026, 11, 23), time(12)),
        ("Jan 5", date(2027, 1, 5), None),  # the future one
        ("2026-12-04 14:30", date(2026, 12, 4), time(14, 30)),
        # A day of the month with no month is the next one: never a month dateparser guesses.
        ("3pm on the 4th", date(2026, 12, 4), time(15)),
        ("on the 4th", date(2026, 12, 4), None),
        ("the 23rd at 10am", date(2026, 11, 23), time(10)),
        ("the 31st 9am", date(2026, 12, 31), time(9)),
        ("Fri the 4th 10am", date(2026, 12, 4), time(10)),
        ("2pm tomorrow", date(2026, 11, 24), time(14)),
        ("14:30 Dec 4", date(2026, 12, 4), time(14, 30)),
        ("yesterday 4pm", date(2026, 11, 22), time(16)),
    ],
)
def test_when_reads_common_phrases_preferring_the_future(
    text: str, day: date, at: time | None
) -> None:
    parsed = parse_when(text, MONDAY_9AM, CHICAGO)
    assert (parsed.day, parsed.time) == (day, at)


@pytest.mark.parametrize("text", ["Thursday 2-4pm", "tomorrow 25:00", "13pm", "blah", "Dec 45"])
def test_when_refuses_what_it_cannot_read_whole(text: str) -> None:
    with pytest.raises(UsageError, match="try"):
        parse_when(text, MONDAY_9AM, CHICAGO)


def test_a_time_the_clocks_skip_or_repeat_is_refused() -> None:
    with pytest.raises(UsageError, match="does not exist"):
        moment_of(parse_when("2027-03-14 02:30", MONDAY_9AM, CHICAGO), CHICAGO)
    with pytest.raises(UsageError, match="happens twice"):
        moment_of(parse_when("2027-11-07 01:30", MONDAY_9AM, CHICAGO), CHICAGO)


@pytest.mark.parametrize(
    ("text", "days", "start", "end"),
    [
        ("weekdays 9-12", {0, 1, 2, 3, 4}, time(9), time(12)),
        ("Tue/Thu 2-4pm", {1, 3}, time(14), time(16)),
        ("after 3pm", set(range(7)), time(15), time(0)),
        ("mornings", set(range(7)), time(0), time(12)),
        ("Mon-Wed", {0, 1, 2}, time(0), time(0)),
        ("11-1pm", set(range(7)), time(11), time(13)),
        ("tue and thu 9am-11:30am", {1, 3}, time(9), time(11, 30)),
    ],
)
def test_windows_of_days_and_hours(text: str, days: set[int], start: time, end: time) -> None:
    window = parse_window(text)
    assert (set(window.days), window.start, window.end) == (days, start, end)


def test_an_unreadable_window_lists_what_works() -> None:
    with pytest.raises(UsageError, match="Tue/Thu 2-4pm"):
        parse_window("whenever")


ZONES = ["America/Chicago", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "America/Phoenix"]


@given(
    zone=st.sampled_from(ZONES),
    naive=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)),
)
def test_a_wall_clock_time_is_kept_or_refused_never_shifted(zone: str, naive: datetime) -> None:
    naive = naive.replace(second=0, microsecond=0)
    tz = ZoneInfo(zone)
    try:
        moment = moment_of(parse_when(naive.strftime("%Y-%m-%d %H:%M"), MONDAY_9AM, tz), tz)
    except UsageError as error:
        message = str(error)
    else:
        assert moment.astimezone(tz).replace(tzinfo=None) == naive
        return
    assert "does not exist" in message or "happens twice" in message


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "Mon 25th 3pm",
            'the next 25th is Wednesday Nov 25, not a Monday; give the month, e.g. "Dec 25 3pm"',
        ),
        ("on the 32nd", "cannot read `on the 32nd`: no such day or time; try " + WHEN_EXAMPLES),
        (
            "3pm on Monday the fourth",
            "cannot read `3pm on Monday the fourth` as one day and time; try " + WHEN_EXAMPLES,
        ),
    ],
)
def test_when_refuses_a_guessed_month_or_the_wrong_weekday(text: str, error: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_when(text, MONDAY_9AM, CHICAGO)
    assert str(raised.value) == error
