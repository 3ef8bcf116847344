"""Limits at their edges: N-1, N and N+1 of each limit in core/limits.py, as a user meets it
(a file of exactly the limit is read, one byte more is refused), and the clock's guard."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coffeechat.core import limits
from coffeechat.core.errors import CoffeechatError
from conftest import Run, WriteNote


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (0, "0 bytes"),
        (1023, "1,023 bytes"),
        (1024, "1 KB"),
        (1025, "1,025 bytes"),
        (128 << 10, "128 KB"),
        ((1 << 20) - 1, "1,048,575 bytes"),
        (1 << 20, "1 MB"),
        ((1 << 20) + 1024, "1025 KB"),
        (10 << 20, "10 MB"),
        (1 << 30, "1 GB"),
    ],
)
def test_a_limit_is_said_in_the_largest_whole_unit(size: int, words: str) -> None:
    assert limits.size_words(size) == words


@pytest.mark.parametrize(("size", "read"), [(99, True), (100, True), (101, False)])
def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_refused(
    tmp_path: Path, size: int, read: bool
) -> None:
    path = tmp_path / "busy.ics"
    path.write_bytes(b"x" * size)
    if read:
        assert limits.read_regular(path, 100, "a calendar file (.ics)") == b"x" * size
    else:
        with pytest.raises(CoffeechatError) as refused:
            limits.read_regular(path, 100, "a calendar file (.ics)")
        assert str(refused.value) == (
            f"{path}: larger than 100 bytes, the limit for a calendar file (.ics)"
        )


@pytest.mark.parametrize("size", [99, 100, 101, 5000])
def test_a_bounded_read_takes_at_most_one_byte_past_the_limit(tmp_path: Path, size: int) -> None:
    """One byte past the limit tells a file that grew after it was checked from one that fits."""
    path = tmp_path / "note.md"
    path.write_bytes(b"y" * size)
    assert limits.regular_bytes(path, 100) == b"y" * min(size, 101)
    assert limits.regular_bytes(path) == b"y" * size


def test_a_fifo_or_device_is_named_and_never_read(tmp_path: Path) -> None:
    fifo = tmp_path / "x.ics"
    os.mkfifo(fifo)
    with pytest.raises(limits.NotRegular):
        limits.regular_bytes(fifo, 10)  # with no writer, reading would wait for ever
    with pytest.raises(CoffeechatError) as refused:
        limits.read_regular(Path("/dev/zero"), 10, "a calendar file (.ics)")
    assert str(refused.value) == ("/dev/zero: not a regular file; give a calendar file (.ics)")
    with pytest.raises(CoffeechatError) as refused:
        limits.read_regular(tmp_path / "missing.ics", 10, "a calendar file (.ics)")
    assert (
        str(refused.value)
        == f"{tmp_path / 'missing.ics'}: cannot be read: No such file or directory"
    )


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.ics").write_bytes(b"abc")
    (tmp_path / "link.ics").symlink_to(tmp_path / "real.ics")
    assert limits.regular_bytes(tmp_path / "link.ics", 3) == b"abc"


def test_the_watchdog_stops_a_loop_at_its_limit_and_not_before() -> None:
    start = time.monotonic()

    def spin() -> None:
        with limits.watchdog(0.2):
            while True:
                pass

    with pytest.raises(limits.OutOfTime):
        spin()
    assert 0.2 <= time.monotonic() - start < 5
    with limits.watchdog(5):
        total = sum(range(1000))  # quick work is never interrupted
    assert total == 499500
    time.sleep(0.05)  # and nothing is left pending to fire later


def test_a_watchdog_timer_that_fires_as_the_block_ends_raises_nothing_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The timer may fire just as the guarded block finishes: it must then do nothing, or
    the exception would land in whatever code runs next."""
    fired: list[Callable[[], None]] = []

    class Late:
        def __init__(self, seconds: float, function: Callable[[], None]) -> None:
            fired.append(function)
            self.daemon = True

        def start(self) -> None:
            pass

        def cancel(self) -> None:
            pass

    monkeypatch.setattr(limits.threading, "Timer", Late)
    with limits.watchdog(0.01):
        pass
    fired[0]()  # the timer's thread, running just after the block
    total = 0
    for number in range(10_000):  # bytecodes where a stray exception would land
        total += number
    assert total == 49_995_000


def test_the_usable_years_are_1900_to_2199() -> None:
    assert limits.YEARS == (1900, 2199)


# --- the due list's conditions, each the day before, the day and the day after ------------

Seen = list[tuple[str, str, int]]


@pytest.fixture
def due_on(run: Run, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Seen]:
    """`due_on("2026-11-24")`: (kind, who, days late) of each item that day at 09:00."""

    def listed(day: str) -> Seen:
        monkeypatch.setenv("COFFEECHAT_NOW", f"{day}T09:00:00-06:00")
        result = run("due", "--json")
        assert result.exit_code == 0, result.output
        return [
            (item["kind"], item["person"] or item["company"], item["overdue_days"])
            for item in json.loads(result.stdout)["due"]
        ]

    return listed


CLOSINGS = {
    "open": "",
    "declined": "referral: declined\n",
    "rejected": "outcome: rejected\n",
    "withdrawn": "outcome: withdrawn\n",
}
AROUND = ["2026-11-16", "2026-11-17", "2026-11-18"]


@pytest.mark.parametrize("closing", list(CLOSINGS))
def test_a_closed_contact_gets_no_nudge(
    due_on: Callable[[str], Seen], write_note: WriteNote, closing: str
) -> None:
    write_note("divya", f"name: Divya Nair\nmessaged: 2026-11-10\n{CLOSINGS[closing]}")
    seen = [due_on(day) for day in AROUND]
    if closing == "open":
        assert seen == [[], [("nudge", "Divya Nair", 0)], [("nudge", "Divya Nair", 1)]]
    else:
        assert seen == [[], [], []]


@pytest.mark.parametrize("closing", list(CLOSINGS))
def test_a_closed_contact_who_replied_gets_no_offer_of_times(
    due_on: Callable[[str], Seen], write_note: WriteNote, closing: str
) -> None:
    write_note(
        "liam", f"name: Liam Hart\nmessaged: 2026-11-13\nreplied: 2026-11-17\n{CLOSINGS[closing]}"
    )
    seen = [due_on(day) for day in AROUND]
    if closing == "open":
        assert seen == [[], [("slots", "Liam Hart", 0)], [("slots", "Liam Hart", 1)]]
    else:
        assert seen == [[], [], []]


@pytest.mark.parametrize("closing", list(CLOSINGS))
def test_declined_rejected_and_withdrawn_are_closed(
    run: Run, write_note: WriteNote, closing: str
) -> None:
    write_note("ana", f"name: Ana Ruiz\nmessaged: 2026-11-10\n{CLOSINGS[closing]}")
    stage = json.loads(run("list", "--json").stdout)["people"][0]["stage"]
    assert stage == ("messaged" if closing == "open" else "closed")


def test_a_reply_after_the_nudge_is_no_reason_to_move_on(
    due_on: Callable[[str], Seen], write_note: WriteNote
) -> None:
    write_note(
        "jonas",
        "name: Jonas Becker\ncompany: Fjord\nmessaged: 2026-11-02\nnudged: 2026-11-10\n"
        "replied: 2026-11-12\n",
    )
    assert [kind for day in AROUND for kind, _, _ in due_on(day)] == ["slots"] * 3


@pytest.mark.parametrize(
    ("day", "listed"), [("2026-11-16", False), ("2026-11-17", True), ("2026-11-18", True)]
)
def test_draft_nudge_and_due_agree_on_the_day(
    due_on: Callable[[str], Seen], run: Run, write_note: WriteNote, day: str, listed: bool
) -> None:
    write_note("divya", "name: Divya Nair\ncompany: Acme\nmessaged: 2026-11-10\n")
    assert bool(due_on(day)) is listed
    result = run("draft", "nudge", "divya")
    assert (result.exit_code == 0) is listed, result.output


# --- slots: the 15-minute step, both ends of the hours, the half hour of slack ------------


def _request(mine: tuple[int, int], theirs: tuple[int, int], minutes: int) -> Any:
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from coffeechat.scheduling.slots import SlotRequest
    from coffeechat.when.parse import Window

    chicago = ZoneInfo("America/Chicago")
    weekdays = frozenset(range(5))
    return SlotRequest(
        now=datetime(2026, 11, 23, 6, tzinfo=chicago),
        first_day=date(2026, 11, 23),
        days=1,
        duration=timedelta(minutes=minutes),
        count=20,
        my_zone=chicago,
        my_hours=Window(weekdays, time(mine[0]), time(mine[1])),
        their_zone=chicago,
        their_hours=Window(weekdays, time(theirs[0]), time(theirs[1])),
    )


def test_slots_start_every_15_minutes_from_the_opening_to_the_last_that_ends_in_time() -> None:
    from coffeechat.scheduling.slots import candidates

    starts = [f"{s.start:%H:%M}" for s in candidates(_request((9, 10), (9, 10), 15))]
    assert starts == ["09:00", "09:15", "09:30", "09:45"]
    starts = [f"{s.start:%H:%M}" for s in candidates(_request((9, 10), (9, 10), 30))]
    assert starts == ["09:00", "09:15", "09:30"]


def test_the_least_bad_times_are_within_half_an_hour_of_the_best(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """My hours 11-12, theirs 9-10: the best times are 90 minutes outside someone's hours
    (9:30 to 11:00); 9:00 and 11:30 are 120 minutes out, within the slack, and 8:45 and 11:45
    are 150 minutes out, past it."""
    from coffeechat.scheduling import slots

    monkeypatch.setattr(slots, "spread", lambda found, count: found)
    offered = slots.propose(_request((11, 12), (9, 10), 30))
    assert [f"{s.start:%H:%M}" for s in offered] == [
        "09:00", "09:15", "09:30", "09:45", "10:00", "10:15",
        "10:30", "10:45", "11:00", "11:15", "11:30",
    ]  # fmt: skip
    assert offered[0].outside == "early for me"
    assert offered[-1].outside == "after your working day"


# --- more of the due list's conditions --------------------------------------------------


def test_an_agreed_referral_without_a_chat_is_sent_the_day_after_the_reply(
    due_on: Callable[[str], Seen], write_note: WriteNote
) -> None:
    write_note(
        "ana", "name: Ana Ruiz\nmessaged: 2026-11-10\nreplied: 2026-11-16\nreferral: agreed\n"
    )
    sends = [[i for i in due_on(day) if i[0] == "send"] for day in AROUND]
    assert sends == [[], [("send", "Ana Ruiz", 0)], [("send", "Ana Ruiz", 1)]]


@pytest.mark.parametrize("closing", ["rejected", "withdrawn"])
def test_a_closed_contact_gets_no_referral_check_in(
    due_on: Callable[[str], Seen], write_note: WriteNote, closing: str
) -> None:
    """Sent on the 12th: the check-in falls on the 17th, unless the application is over."""
    open_ = "name: Ana Ruiz\nchat: 2026-11-10T10:00:00-06:00\nreferral: agreed\nsent: 2026-11-12\n"
    write_note("ana", open_)
    assert [i for i in due_on("2026-11-17") if i[0] == "referral"] == [("referral", "Ana Ruiz", 0)]
    write_note("ana", open_ + CLOSINGS[closing])
    assert [i for i in due_on("2026-11-17") if i[0] == "referral"] == []


def test_a_withdrawal_goes_to_the_recruiter_else_whoever_was_met_last() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from coffeechat.model.note import Person
    from coffeechat.pipeline.due import _best_contact

    day = datetime(2026, 11, 10, 10, tzinfo=ZoneInfo("America/Chicago"))
    early = Person(file="people/a.md", name="Al Early", loop="interviewer", chat=day)
    late = early._replace(file="people/b.md", name="Bo Late", chat=day + timedelta(days=2))
    never = early._replace(file="people/c.md", name="Cy Never", chat=None)
    referrer = Person(file="people/d.md", name="Di Ref", referral="submitted")
    recruiter = never._replace(file="people/e.md", name="Ed Rec", loop="recruiter")
    assert _best_contact([early, never, late, referrer]) == late
    assert _best_contact([never, referrer, recruiter, late]) == recruiter
    assert _best_contact([referrer]) == referrer
    assert _best_contact([Person(file="people/f.md", name="Fay Other")]) is None


def test_a_referral_asked_of_someone_who_never_answered_waits_for_the_answer(
    due_on: Callable[[str], Seen], write_note: WriteNote
) -> None:
    write_note("ana", "name: Ana Ruiz\nmessaged: 2026-11-10\nreferral: asked\nnudged: 2026-11-20\n")
    assert [i for day in AROUND for i in due_on(day) if i[0] == "referral"] == []


@pytest.mark.parametrize(
    ("checked_in", "listed"),
    [("2026-11-09", True), ("2026-11-10", False), ("2026-11-11", False)],
)
def test_a_check_in_on_the_day_of_the_ask_counts(
    due_on: Callable[[str], Seen], write_note: WriteNote, checked_in: str, listed: bool
) -> None:
    """Asked at the chat on the 10th: due on the 15th, a Sunday, so listed on Monday the
    16th; done by a check-in from the day of the ask on."""
    write_note(
        "ana",
        "name: Ana Ruiz\nchat: 2026-11-10T10:00:00-06:00\nthanked: 2026-11-10\n"
        f"referral: asked\nchecked_in: {checked_in}\nconnection: 1st\n",
    )
    found = [i for i in due_on("2026-11-16") if i[0] == "referral"]
    assert found == ([("referral", "Ana Ruiz", 0)] if listed else [])


@pytest.mark.parametrize(("at", "past"), [("13:59", False), ("14:00", True), ("14:01", True)])
def test_a_chat_is_past_from_its_very_minute(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch, at: str, past: bool
) -> None:
    """Until its minute the chat is listed; from its minute on it has happened, and the
    thank-you is what comes next (tomorrow, in the calendar of what falls due)."""
    write_note("ana", "name: Ana Ruiz\nconnection: 1st\nchat: 2026-11-20T14:00:00-06:00\n")
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-11-20T{at}:00-06:00")
    today = json.loads(run("due", "--json").stdout)["due"]
    assert [item["kind"] for item in today] == ([] if past else ["chat"])
    calendar = run("due", "--ics", "-").stdout
    assert ("SUMMARY:thank Ana Ruiz" in calendar) is past


# --- prep: which questions are asked ----------------------------------------------------


def test_a_flagged_question_is_never_asked_and_a_short_bank_runs_out_cleanly() -> None:
    from coffeechat.model.note import Person
    from coffeechat.prep.choose import choose_questions
    from coffeechat.prep.questions import Bank, Question

    path = Path("question_banks/any-mine.md")
    questions = [
        Question("Who is the CEO?", "any", "mine", path, 6),  # a web search answers it
        Question("What drew you to this team?", "any", "mine", path, 7),
        Question("What do you wish you had known sooner?", "any", "mine", path, 8),
    ]
    person = Person(file="people/ana.md", name="Ana Ruiz", kind="engineer")
    chosen = choose_questions(
        person, [Bank(path, "any", "mine", questions)], {}, set(), "seed", count=10
    )
    assert sorted(text for _, text in chosen) == [
        "What do you wish you had known sooner?",
        "What drew you to this team?",
    ]


# --- files: what counts as a temporary file left by a killed run -------------------------


@pytest.mark.parametrize(("age", "stale"), [(295, False), (299.5, False), (300.5, True)])
def test_a_temporary_file_of_ours_is_stale_after_five_minutes(
    tmp_path: Path, age: float, stale: bool
) -> None:
    from coffeechat.store import files

    temp = tmp_path / ".coffeechat-0123abcd.tmp"
    temp.write_text("partial")
    stamp = time.time() - age
    os.utime(temp, (stamp, stamp))
    assert bool(files.stale_temps(tmp_path)) is stale


# --- drafts: the length warning, what a LinkedIn message carries, the first message -------


def _nudge_template(vault: Path, text: str) -> None:
    (vault / "templates").mkdir(exist_ok=True)
    (vault / "templates" / "nudge.txt").write_text(text)


@pytest.mark.parametrize(("words", "warned"), [(89, False), (90, False), (91, True)])
def test_a_nudge_over_90_words_is_drafted_with_a_warning(
    run: Run, vault: Path, write_note: WriteNote, words: int, warned: bool
) -> None:
    write_note("kim", "name: Kim Lee\nemail: kim@acme.example\nmessaged: 2026-11-01\n")
    _nudge_template(vault, "Subject: Following up\n\n" + " ".join(["word"] * words) + "\n")
    result = run("draft", "nudge", "kim")
    assert result.exit_code == 0, result.output
    warning = f"{words} words; short messages get more replies"
    assert (warning in result.stderr) is warned


def test_a_linkedin_message_has_no_subject(run: Run, vault: Path, write_note: WriteNote) -> None:
    write_note("kim", "name: Kim Lee\nemail: kim@acme.example\nmessaged: 2026-11-01\n")
    _nudge_template(vault, "Subject: Following up\n\nHi {{ them.first_name }}, any news?\n")
    by_email = run("draft", "nudge", "kim")
    by_linkedin = run("draft", "nudge", "kim", "--channel", "linkedin")
    assert by_email.stdout == "Subject: Following up\n\nHi Kim, any news?\n"
    assert by_linkedin.stdout == "Hi Kim, any news?\n"


def test_a_none_left_in_a_draft_names_the_templates_line(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("kim", "name: Kim Lee\nemail: kim@acme.example\nmessaged: 2026-11-01\n")
    _nudge_template(vault, "Subject: Hi\n\nHi {{ them.first_name }},\n\nSee you {{ None }}.\n")
    result = run("draft", "nudge", "kim")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: templates/nudge.txt:5: the draft still holds `None`; fix the template\n"
    )


@pytest.mark.parametrize(
    ("connection", "mutual", "first"),
    [
        ("2nd", ("[[Jo Park]]",), "intro"),
        ("2nd", (), "outreach"),
        ("1st", ("[[Jo Park]]",), "outreach"),
    ],
)
def test_the_first_message_is_an_intro_request_only_with_a_mutual_contact(
    connection: str, mutual: tuple[str, ...], first: str
) -> None:
    from coffeechat.drafts.make import first_draft
    from coffeechat.model.note import Person

    person = Person(file="people/kim.md", name="Kim Lee", connection=connection, mutual=mutual)
    assert first_draft(person) == first


# --- drafts: who and what a request names ------------------------------------------------


def _draft_request(kind: str, person: Any, **given: Any) -> Any:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from coffeechat.drafts.request import Request
    from coffeechat.model.config import Config

    config = Config(name="Sam Rivera", timezone="America/Chicago", school=given.pop("school", ""))
    now = datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("America/Chicago"))
    return Request(kind, person, given.pop("company", None), config, now, "email", "", **given)


def test_the_introducer_is_their_note_else_the_name_given() -> None:
    from coffeechat.drafts.request import introducer
    from coffeechat.model.note import Person

    jo = Person(file="people/jo-park.md", name="Jo Park", email="jo@else.example")
    kim = Person(file="people/kim.md", name="Kim Lee", introduced_by="[[Jo Park]]")
    found = introducer(_draft_request("thanks", kim, people=(kim, jo)))
    assert (found.name, found.email) == ("Jo Park", "jo@else.example")
    stranger = Person(file="people/kim.md", name="Kim Lee", introduced_by="[[Ada Stone|Ada]]")
    found = introducer(_draft_request("thanks", stranger, people=(stranger, jo)))
    assert (found.name, found.email, found.file) == ("Ada Stone", "", "")
    assert introducer(_draft_request("thanks", Person(file="people/x.md", name="X Y"))) is None


def test_a_shared_school_or_a_mutual_contact_is_something_personal() -> None:
    from coffeechat.drafts.request import alumni, personal
    from coffeechat.model.note import Person

    plain = Person(file="people/kim.md", name="Kim Lee", connection="2nd")
    assert not personal(_draft_request("outreach", plain))
    same = plain._replace(school="UIC")
    assert alumni(_draft_request("outreach", same, school="uic")) == "uic"
    assert personal(_draft_request("outreach", same, school="uic"))
    assert not personal(_draft_request("outreach", same, school="MIT"))
    assert personal(_draft_request("outreach", plain._replace(mutual=("[[Jo Park]]",))))


def test_an_offer_at_another_company_is_that_companys() -> None:
    from coffeechat.drafts.request import application_company, application_status
    from coffeechat.model.note import Company, Person

    kim = Person(file="people/kim.md", name="Kim Lee", company="Acme")
    acme = Company(file="companies/acme.md", name="Acme")
    globex = Company(file="companies/globex.md", name="Globex", application="offer")
    request = _draft_request(
        "offer", kim, company=acme, offer_at="Globex", people=(kim,), companies=(acme, globex)
    )
    assert (application_company(request), application_status(request)) == ("Globex", "offer")
    own = _draft_request("offer", kim, company=acme, people=(kim,), companies=(acme, globex))
    assert (application_company(own), application_status(own)) == ("Acme", "")


def test_an_update_tells_the_news_they_are_owed_their_own_companys_first() -> None:
    """Jo at Acme introduced you to Kim at Globex: with no application at Acme, Jo's update
    is Globex's news; once Acme has news too, Acme's comes first."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from coffeechat.drafts.request import application_company
    from coffeechat.model.note import Company, Person

    chicago = ZoneInfo("America/Chicago")
    jo = Person(
        file="people/jo-park.md",
        name="Jo Park",
        company="Acme",
        messaged=date(2026, 11, 1),
        chat=datetime(2026, 11, 5, 10, tzinfo=chicago),
    )
    kim = Person(
        file="people/kim.md",
        name="Kim Lee",
        company="Globex",
        introduced_by="[[Jo Park]]",
        messaged=date(2026, 11, 8),
        chat=datetime(2026, 11, 10, 10, tzinfo=chicago),
    )
    globex = Company(
        file="companies/globex.md",
        name="Globex",
        steps=("2026-11-12 applied", "2026-11-20 interviewing"),
    )
    for acme, told in (
        (Company(file="companies/acme.md", name="Acme"), "Globex"),
        (
            Company(
                file="companies/acme.md",
                name="Acme",
                steps=("2026-11-12 applied", "2026-11-21 interviewing"),
            ),
            "Acme",
        ),
    ):
        request = _draft_request(
            "update", jo, company=acme, people=(jo, kim), companies=(acme, globex)
        )
        assert application_company(request) == told


# --- slots: their hours as written, the least-bad cost, holidays over the new year -------


def test_their_work_hours_keep_what_they_name() -> None:
    from datetime import time

    from coffeechat.scheduling.slots import contact_window
    from coffeechat.when.parse import Window

    default = Window(frozenset(range(5)), time(9), time(17))
    assert contact_window("", default) == default
    assert contact_window("10:00-16:00", default) == Window(default.days, time(10), time(16))
    late = contact_window("18:00-00:00", default)
    assert (late.start, late.end) == (time(18), time(0))
    assert contact_window("Mon-Wed", default) == Window(frozenset({0, 1, 2}), time(9), time(17))


def test_days_are_described_as_a_range_only_when_they_run_on() -> None:
    from datetime import time

    from coffeechat.scheduling.slots import _describe
    from coffeechat.when.parse import Window

    assert _describe(Window(frozenset(range(5)), time(9), time(17))) == "Mon-Fri 09:00-17:00"
    assert _describe(Window(frozenset({0, 2, 4}), time(9), time(17))) == "Mon/Wed/Fri 09:00-17:00"


def test_a_window_to_midnight_closes_at_midnight() -> None:
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from coffeechat.scheduling.slots import _outside_by
    from coffeechat.when.parse import Window

    chicago = ZoneInfo("America/Chicago")
    evening = Window(frozenset(range(7)), time(18), time(0))
    start = datetime(2026, 11, 23, 23, 30, tzinfo=chicago)
    assert _outside_by(evening, start, start + timedelta(minutes=30)) == timedelta()
    assert _outside_by(evening, start, start + timedelta(minutes=45)) == timedelta(minutes=15)
    early = datetime(2026, 11, 23, 17, 0, tzinfo=chicago)
    assert _outside_by(evening, early, early + timedelta(minutes=30)) == timedelta(hours=1)


def test_holidays_of_the_new_year_are_left_out_too(run: Run, write_note: WriteNote) -> None:
    write_note("lena", "name: Lena Vogel\ncompany: Acme\nlocation: Berlin, Germany\n")
    result = run("slots", "lena", "--from", "2026-12-30", "--days", "3")
    assert result.exit_code == 0, result.output
    assert "Jan 1" not in result.stdout
    assert "Fri Jan 1 (New Year's Day, US and DE)" in result.stderr


# --- prep: the minute of the referral ask ------------------------------------------------


@pytest.mark.parametrize(
    ("ask_at", "fits"),
    [(1, False), (2, True), (3, True), (11, True), (12, True), (13, False)],
)
def test_the_ask_goes_between_minute_2_and_3_minutes_before_the_end(
    ask_at: int, fits: bool
) -> None:
    from coffeechat.core.errors import UsageError
    from coffeechat.model.config import Config
    from coffeechat.prep.choose import ask_minute

    config = Config(name="Sam Rivera", timezone="America/Chicago")
    if fits:
        assert ask_minute(15, ask_at, config) == ask_at
    else:
        with pytest.raises(UsageError) as refused:
            ask_minute(15, ask_at, config)
        assert "goes between minute 2 and 12" in str(refused.value)


@pytest.mark.parametrize(
    ("minutes", "expected"), [(5, 2), (6, 3), (15, 10), (29, 19), (30, 20), (31, 21), (60, 40)]
)
def test_the_ask_scales_with_the_calls_length_and_stays_inside_it(
    minutes: int, expected: int
) -> None:
    from coffeechat.model.config import Config
    from coffeechat.prep.choose import ask_minute

    config = Config(name="Sam Rivera", timezone="America/Chicago")
    assert (config.chat_minutes, config.ask_at_minute) == (15, 10)
    assert ask_minute(minutes, None, config) == expected


@pytest.mark.parametrize(
    ("application", "part"),
    [
        ("offer", "The offer"),
        ("interviewing", "The interview"),
        ("", "How referrals work there"),
    ],
)
def test_the_sheet_asks_for_nothing_once_there_is_an_offer_or_an_interview(
    run: Run, vault: Path, write_note: WriteNote, application: str, part: str
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\n")
    company = f"name: Acme\napplication: {application}\n" if application else "name: Acme\n"
    write_note("acme", company, body="", folder="companies")
    sheet = run("prep", "kim").stdout
    assert f"— {part}" in sheet
    assert ("Ask about the referral" in sheet) is (application == "")


def test_a_displaced_save_is_kept_as_the_first_free_conflict_copy(tmp_path: Path) -> None:
    import re

    from coffeechat.store import files

    note = tmp_path / "priya.md"
    names = []
    for text in ("first save", "second save"):
        temp = tmp_path / ".coffeechat-0123abcd.tmp"
        temp.write_text(text)
        names.append(files._rename_copy(temp, note).name)
    assert re.fullmatch(r"priya\.conflict-\d{8}T\d{6}Z\.md\.txt", names[0])
    assert re.fullmatch(r"priya\.conflict-\d{8}T\d{6}Z(-2)?\.md\.txt", names[1])
    assert names[0] != names[1]
    assert not (tmp_path / ".coffeechat-0123abcd.tmp").exists()


@pytest.mark.parametrize(("chat_day", "before"), [(19, True), (22, False)])
def test_help_counts_for_an_update_only_before_the_step_to_tell(
    chat_day: int, before: bool
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from coffeechat.drafts.request import helped_before_step
    from coffeechat.model.note import Company, Person

    chat = datetime(2026, 11, chat_day, 10, tzinfo=ZoneInfo("America/Chicago"))
    kim = Person(file="people/kim.md", name="Kim Lee", company="Acme", chat=chat)
    acme = Company(
        file="companies/acme.md",
        name="Acme",
        steps=("2026-11-12 applied", "2026-11-20 interviewing"),
    )
    request = _draft_request("update", kim, company=acme, people=(kim,), companies=(acme,))
    assert helped_before_step(request) is before


def test_only_a_none_left_over_is_looked_for_in_the_template(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("kim", "name: Kim Lee\nemail: kim@acme.example\nmessaged: 2026-11-01\n")
    _nudge_template(vault, "Subject: Hi\n\n{# None of this prints #}\nHi [name],\n")
    result = run("draft", "nudge", "kim")
    assert result.stderr == (
        "Error: templates/nudge.txt: the draft still holds `[name]`; fix the template\n"
    )


# --- held-out mutants: whom the ask is for, a referral asked, who is untouched -------------


@pytest.mark.parametrize(
    ("kind", "role", "family"),
    [
        ("recruiter", "Head of Talent", "recruiter"),
        ("engineer", "Director of Engineering", "hiring"),
        ("engineer", "Backend Engineer", "colleague"),
    ],
)
def test_the_ask_is_for_hiring_only_when_a_colleague_leads(
    kind: str, role: str, family: str
) -> None:
    from coffeechat.model.note import Person
    from coffeechat.prep.choose import ask_family

    person = Person(file="people/kim.md", name="Kim Lee", kind=kind, role=role)
    assert ask_family(person) == family


def test_a_referral_asked_without_a_chat_is_not_asked_again(
    run: Run, write_note: WriteNote
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-10\nreferral: asked\n")
    result = run("prep", "kim")
    assert result.exit_code == 0, result.output
    assert "You asked: no second ask." in result.stdout


def test_a_nudge_with_no_first_message_recorded_is_no_reason_to_move_on(
    due_on: Callable[[str], Seen], write_note: WriteNote
) -> None:
    """Even when the note says something else about them (a referral asked)."""
    for more in ("", "referral: asked\n"):
        write_note("jonas", f"name: Jonas Becker\ncompany: Fjord\nnudged: 2026-11-10\n{more}")
        assert [i for day in AROUND for i in due_on(day) if i[0] == "move-on"] == []


def test_a_reply_alone_is_enough_to_offer_times(
    due_on: Callable[[str], Seen], write_note: WriteNote
) -> None:
    write_note("liam", "name: Liam Hart\nreplied: 2026-11-17\n")
    assert [[i for i in due_on(day) if i[0] == "slots"] for day in AROUND] == [
        [],
        [("slots", "Liam Hart", 0)],
        [("slots", "Liam Hart", 1)],
    ]


@pytest.mark.parametrize(("application", "listed"), [("applied", True), ("rejected", False)])
def test_a_company_whose_application_is_over_needs_no_more_contacts(
    run: Run, write_note: WriteNote, application: str, listed: bool
) -> None:
    write_note(
        "acme",
        f"name: Acme\nstatus: target\napplication: {application}\n",
        body="",
        folder="companies",
    )
    write_note("kim", "name: Kim Lee\ncompany: Acme\nkind: engineer\n")
    items = json.loads(run("due", "--all", "--json").stdout)["due"]
    assert any(item["kind"] == "coverage" for item in items) is listed


@pytest.mark.parametrize(("length", "kept"), [(79, 79), (80, 80), (81, 80)])
def test_a_file_name_keeps_at_most_80_characters_of_the_name(length: int, kept: int) -> None:
    from coffeechat.store.files import slugify

    assert slugify("a" * length) == "a" * kept


def test_taking_back_a_new_file_leaves_one_that_replaced_it_meanwhile(tmp_path: Path) -> None:
    from coffeechat.store.files import write_file

    path = tmp_path / "invite.ics"
    undo = write_file(path, b"ours")
    undo()
    assert not path.exists()  # ours, still there: removed
    undo = write_file(path, b"ours")
    (tmp_path / "theirs").write_bytes(b"someone else's")
    os.replace(tmp_path / "theirs", path)  # a new file at the same name
    undo()
    assert path.read_bytes() == b"someone else's"


def test_a_link_with_a_folder_names_the_person_and_help_without_an_application_counts() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from coffeechat.drafts.request import helped_before_step, introducer
    from coffeechat.model.note import Person

    kim = Person(file="people/kim.md", name="Kim Lee", introduced_by="[[people/old/Ada Stone]]")
    assert introducer(_draft_request("thanks", kim, people=(kim,))).name == "Ada Stone"
    chat = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("America/Chicago"))
    met = Person(file="people/kim.md", name="Kim Lee", company="Acme", chat=chat)
    assert helped_before_step(_draft_request("update", met, people=(met,)))


def test_days_that_never_meet_say_the_waking_hours_tried() -> None:
    from dataclasses import replace
    from datetime import time

    from coffeechat.scheduling.slots import NoSlots, _describe, propose
    from coffeechat.when.parse import Window

    assert _describe(Window(frozenset({0, 1, 2}), time(9), time(17))) == "Mon-Wed 09:00-17:00"
    assert _describe(Window(frozenset({0, 1}), time(9), time(17))) == "Mon/Tue 09:00-17:00"
    request = _request((9, 17), (9, 17), 30)
    saturdays = replace(request, days=5, my_hours=Window(frozenset({5}), time(9), time(17)))
    with pytest.raises(NoSlots) as none:
        propose(saturdays)
    assert "even stretched to 07:00-21:00 on both sides" in str(none.value)
