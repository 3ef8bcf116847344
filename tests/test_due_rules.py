"""The daily list's rules, each pinned the day before it falls due, the day, and the day after.

Every case builds its own vault and runs `coffeechat due --json` with COFFEECHAT_NOW at 09:00
(Chicago) on each day; changing a rule in pipeline/due.py fails one of these.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.model.config import Config
from coffeechat.model.dated import read_body
from coffeechat.model.note import Company, Person
from coffeechat.pipeline import due
from conftest import Run, WriteNote

Seen = list[tuple[str, str, int]]


class DueOn(Protocol):
    def __call__(self, day: str, *args: str, at: str = "09:00") -> Seen: ...


@pytest.fixture
def due_on(run: Run, monkeypatch: pytest.MonkeyPatch) -> DueOn:
    """`due_on("2026-11-24", "--all")`: (kind, who, days late) of each item that day."""

    def listed(day: str, *args: str, at: str = "09:00") -> Seen:
        monkeypatch.setenv("COFFEECHAT_NOW", f"{day}T{at}:00-06:00")
        result = run("due", "--json", *args)
        assert result.exit_code == 0, result.output
        return [
            (item["kind"], item["person"] or item["company"], item["overdue_days"])
            for item in json.loads(result.stdout)["due"]
        ]

    return listed


def _days(due_on: DueOn, days: list[str], *args: str, at: str = "09:00") -> list[Seen]:
    return [due_on(day, *args, at=at) for day in days]


def test_a_reply_gets_times_the_day_it_comes(due_on: DueOn, write_note: WriteNote) -> None:
    write_note("liam", "name: Liam Hart\nmessaged: 2026-11-13\nreplied: 2026-11-24\n")
    assert _days(due_on, ["2026-11-23", "2026-11-24", "2026-11-25"]) == [
        [],  # no reply yet on the 23rd (and the 20th's message is not yet a week old)
        [("slots", "Liam Hart", 0)],
        [("slots", "Liam Hart", 1)],
    ]


def test_one_nudge_a_week_after_the_message(due_on: DueOn, write_note: WriteNote) -> None:
    write_note("divya", "name: Divya Nair\nmessaged: 2026-11-10\n")
    assert _days(due_on, ["2026-11-16", "2026-11-17", "2026-11-18"]) == [
        [],
        [("nudge", "Divya Nair", 0)],
        [("nudge", "Divya Nair", 1)],
    ]


def test_nudge_after_days_moves_the_nudge(
    due_on: DueOn, write_note: WriteNote, vault: Path
) -> None:
    with (vault / "coffeechat.toml").open("a") as config:
        config.write("nudge_after_days = 5\n")
    write_note("divya", "name: Divya Nair\nmessaged: 2026-11-11\n")
    assert _days(due_on, ["2026-11-15", "2026-11-16"]) == [[], [("nudge", "Divya Nair", 0)]]


def test_a_week_of_silence_after_the_nudge_says_move_on_once(
    due_on: DueOn, write_note: WriteNote
) -> None:
    write_note(
        "jonas",
        "name: Jonas Becker\ncompany: Fjord Health\nmessaged: 2026-11-02\nnudged: 2026-11-10\n",
    )
    assert _days(due_on, ["2026-11-16", "2026-11-17", "2026-11-18"]) == [
        [],
        [("move-on", "Jonas Becker", 0)],
        [("move-on", "Jonas Becker", 0)],  # a notice: never "late"
    ]
    # Two weeks on, it has happened by itself: gone, from --all too, and nothing follows.
    assert due_on("2026-12-01") == [("move-on", "Jonas Becker", 0)]
    assert _days(due_on, ["2026-12-02", "2027-02-01"], "--all") == [[], []]


def test_move_on_goes_once_someone_else_there_is_messaged(
    due_on: DueOn, run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note(
        "jonas",
        "name: Jonas Becker\ncompany: Fjord Health\nmessaged: 2026-11-02\nnudged: 2026-11-10\n",
    )
    write_note("chloe", "name: Chloé Martin\ncompany: Fjord Health\n")
    today = due_on("2026-11-17")
    assert today == [("move-on", "Jonas Becker", 0)]
    assert run("due").stdout.splitlines()[1] == '          coffeechat next --company "Fjord Health"'
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-17T09:00:00-06:00")
    run("mark", "chloe", "messaged")
    assert due_on("2026-11-18") == []


@pytest.mark.parametrize(
    "closing",
    ["referral: declined\n", "outcome: rejected\nupdated: 2026-11-21\n", "outcome: withdrawn\n"],
)
def test_thanks_after_every_chat_whatever_the_outcome(
    due_on: DueOn, write_note: WriteNote, closing: str
) -> None:
    write_note(
        "derek",
        "name: Derek Lund\nconnection: 1st\nchat: 2026-11-20T14:00:00-06:00\n" + closing,
    )
    seen = _days(due_on, ["2026-11-20", "2026-11-21", "2026-11-22"], at="18:00")
    thanks = [[item for item in day if item[0] == "thanks"] for day in seen]
    assert thanks == [[], [("thanks", "Derek Lund", 0)], [("thanks", "Derek Lund", 1)]]


def test_thanks_stops_once_thanked(due_on: DueOn, write_note: WriteNote) -> None:
    write_note(
        "derek",
        "name: Derek Lund\nconnection: 1st\nchat: 2026-11-20T14:00:00-06:00\nthanked: 2026-11-21\n",
    )
    assert due_on("2026-11-22") == []


def test_a_connection_request_the_day_after_a_chat_unless_1st_degree(
    due_on: DueOn, write_note: WriteNote
) -> None:
    chat = "chat: 2026-11-20T14:00:00-06:00\nthanked: 2026-11-20\n"
    write_note("arjun", f"name: Arjun Mehta\nconnection: 2nd\n{chat}")
    write_note("marcus", f"name: Marcus Webb\nconnection: 1st\n{chat}")
    assert _days(due_on, ["2026-11-20", "2026-11-21", "2026-11-22"], at="18:00") == [
        [],
        [("connect", "Arjun Mehta", 0)],
        [("connect", "Arjun Mehta", 1)],
    ]
    write_note("arjun", f"name: Arjun Mehta\nconnection: 2nd\n{chat}connected: 2026-11-21\n")
    assert due_on("2026-11-22") == []


def test_an_agreed_referral_first_sends_then_checks_in(
    due_on: DueOn, write_note: WriteNote
) -> None:
    known = "name: Olivia Chen\nconnection: 1st\nchat: 2026-11-17T12:00:00-06:00\n"
    known += "thanked: 2026-11-18\nreferral: agreed\n"
    write_note("olivia", known)
    assert _days(due_on, ["2026-11-17", "2026-11-18", "2026-11-19"], at="18:00") == [
        [],
        [("send", "Olivia Chen", 0)],
        [("send", "Olivia Chen", 1)],
    ]
    # No check-in before anything was sent: five days after the chat there is still "send".
    assert due_on("2026-11-22") == [("send", "Olivia Chen", 4)]
    write_note("olivia", known + "sent: 2026-11-19\n")
    assert _days(due_on, ["2026-11-23", "2026-11-24", "2026-11-25"]) == [
        [],
        [("referral", "Olivia Chen", 0)],
        [("referral", "Olivia Chen", 1)],
    ]


def test_an_update_is_due_today_not_late(due_on: DueOn, write_note: WriteNote) -> None:
    write_note(
        "maya",
        "name: Maya Okafor\nconnection: 1st\nchat: 2026-11-25T10:00:00-06:00\n"
        "thanked: 2026-11-26\napplied: 2026-12-01\noutcome: interview\n",
    )
    assert _days(due_on, ["2026-12-03", "2026-12-04"]) == [
        [("update", "Maya Okafor", 0)],
        [("update", "Maya Okafor", 0)],
    ]


def test_the_introducer_is_thanked_and_told(due_on: DueOn, write_note: WriteNote) -> None:
    write_note("hannah", "name: Hannah Lindqvist\nconnection: 1st\n")
    chloe = (
        'name: Chloé Martin\nconnection: 1st\nintroduced_by: "[[Hannah Lindqvist]]"\n'
        "chat: 2026-11-20T10:00:00-06:00\nthanked: 2026-11-21\n"
    )
    write_note("chloe", chloe)
    assert _days(due_on, ["2026-11-20", "2026-11-21", "2026-11-22"], at="18:00") == [
        [],
        [("introducer", "Hannah Lindqvist", 0)],
        [("introducer", "Hannah Lindqvist", 1)],
    ]
    write_note("hannah", "name: Hannah Lindqvist\nconnection: 1st\nthanked: 2026-11-22\n")
    assert due_on("2026-11-23") == []
    write_note("chloe", chloe + "applied: 2026-11-24\noutcome: interview\nupdated: 2026-12-01\n")
    # The application of the person she introduced moved on: she is told, as everyone who
    # helped it is (the update rule, with `--at` when it is another company's).
    assert due_on("2026-12-02") == [("update", "Hannah Lindqvist", 0)]
    # A name that is no note of the vault: nothing to remind about (and nothing breaks).
    write_note("chloe", chloe.replace("[[Hannah Lindqvist]]", "Somebody Else"))
    assert due_on("2026-11-22") == []


def test_items_over_two_weeks_late_leave_the_daily_list(
    due_on: DueOn, run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note("divya", "name: Divya Nair\nmessaged: 2026-11-02\n")  # a nudge due 11-09
    assert _days(due_on, ["2026-11-23", "2026-11-24"]) == [[("nudge", "Divya Nair", 14)], []]
    assert due_on("2026-11-29", "--all") == [("nudge", "Divya Nair", 20)]
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-29T09:00:00-06:00")
    assert run("due").stdout == (
        "Nothing due today.\n1 older item (over two weeks late): coffeechat due --all\n"
    )


def test_coverage_comes_up_on_mondays(due_on: DueOn, write_note: WriteNote) -> None:
    write_note("quill", "name: Quill Analytics\nstatus: target\n", folder="companies")
    assert _days(due_on, ["2026-11-22", "2026-11-23", "2026-11-24"]) == [
        [],
        [("coverage", "Quill Analytics", 0)],
        [],
    ]
    assert due_on("2026-11-24", "--all") == [("coverage", "Quill Analytics", 0)]


@pytest.mark.parametrize(
    ("keys", "gap"),
    [
        ("", "Tiny Ledger has no recruiter yet"),
        ("size: 8\n", None),
        ("size: 11-50\n", None),
        ("size: 49\n", None),
        ("size: 50\n", "Tiny Ledger has no recruiter yet"),
        ("recruiters: no\n", None),
    ],
)
def test_a_small_company_or_one_without_recruiters_is_covered_sooner(
    run: Run, write_note: WriteNote, keys: str, gap: str | None
) -> None:
    write_note("tiny-ledger", f"name: Tiny Ledger\nstatus: target\n{keys}", folder="companies")
    write_note("tomas", "name: Tomás Ortega\ncompany: Tiny Ledger\nkind: manager\n")
    write_note("ana", "name: Ana Ruiz\ncompany: Tiny Ledger\nkind: engineer\n")
    out = run("due").stdout  # NOW is a Monday
    assert (gap in out) if gap else out == "Nothing due today.\n"


def test_a_small_company_still_wants_someone_who_builds_or_leads(
    run: Run, write_note: WriteNote
) -> None:
    write_note("tiny-ledger", "name: Tiny Ledger\nstatus: target\nsize: 8\n", folder="companies")
    write_note("sam", "name: Sam Doe\ncompany: Tiny Ledger\nkind: recruiter\n")
    assert "Tiny Ledger has no engineer or manager yet" in run("due").stdout
    assert run("companies").stdout.splitlines()[1].endswith("no engineer or manager")


def test_a_chat_is_listed_the_day_before_and_its_day(due_on: DueOn, write_note: WriteNote) -> None:
    write_note("priya", "name: Priya Raman\nconnection: 1st\nchat: 2026-11-25T15:00:00-06:00\n")
    assert _days(due_on, ["2026-11-23", "2026-11-24", "2026-11-25"]) == [
        [],
        [("chat", "Priya Raman", 0)],
        [("chat", "Priya Raman", 0)],
    ]


def test_a_chat_shows_today_and_tomorrow_as_words(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note(
        "priya", "name: Priya Raman\ntimezone: America/Chicago\nchat: 2026-11-25T15:00:00-06:00\n"
    )
    lines = []
    for day in ("2026-11-23", "2026-11-24", "2026-11-25"):
        monkeypatch.setenv("COFFEECHAT_NOW", f"{day}T09:00:00-06:00")
        lines.append(run("due").stdout.splitlines()[0])
    assert lines == [
        "Nothing due today.",
        "chat      chat with Priya Raman: Wed Nov 25, 3:00 PM CST (same for them) (tomorrow)",
        "chat      chat with Priya Raman: Wed Nov 25, 3:00 PM CST (same for them) (today)",
    ]


def test_an_application_status_asks_for_an_update_to_everyone_who_helped(
    due_on: DueOn, write_note: WriteNote
) -> None:
    write_note(
        "fjord",
        "name: Fjord Health\napplication: interviewing\napplied: 2026-11-20\n",
        folder="companies",
    )
    chat = "chat: 2026-11-10T10:00:00-06:00\n"
    write_note("hannah", f"name: Hannah Lee\ncompany: Fjord Health\n{chat}thanked: 2026-11-11\n")
    write_note(
        "told",
        f"name: Told Already\ncompany: Fjord Health\n{chat}thanked: 2026-11-11\n"
        "updated: 2026-11-21\n",
    )
    write_note(
        "stale",
        f"name: Told Before\ncompany: Fjord Health\n{chat}thanked: 2026-11-11\n"
        "updated: 2026-11-19\n",
    )
    write_note("never", "name: Never Met\ncompany: Fjord Health\nmessaged: 2026-11-20\n")
    updates = [item for item in due_on("2026-11-24") if item[0] == "update"]
    assert updates == [("update", "Hannah Lee", 0), ("update", "Told Before", 0)]


def test_a_new_rule_is_one_entry_of_the_table(
    due_on: DueOn, run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule is its table entry: planted after `slots`, it is listed, ranked there."""

    def items(person: Person, ctx: due.DueContext) -> Iterator[due.DueItem]:
        if person.stem == "divya":
            yield ctx.item(
                "planted",
                ctx.today,
                f"coffeechat show {person.stem}",
                f"ask {person.name} about the planted rule",
                person.stem,
                person=person,
            )

    planted = due.Rule("planted", "today", "a note named divya", "none: a test", items)
    after = [rule.kind for rule in due.RULES].index("slots") + 1
    monkeypatch.setattr(due, "RULES", (*due.RULES[:after], planted, *due.RULES[after:]))
    write_note("divya", "name: Divya Nair\nmessaged: 2026-11-17\n")  # a nudge due 11-24
    write_note("liam", "name: Liam Hart\nmessaged: 2026-11-13\nreplied: 2026-11-24\n")
    assert due_on("2026-11-24") == [
        ("slots", "Liam Hart", 0),
        ("planted", "Divya Nair", 0),
        ("nudge", "Divya Nair", 0),
    ]
    assert run("due").stdout.splitlines()[2:4] == [
        "planted   ask Divya Nair about the planted rule (today)",
        "          coffeechat show divya",
    ]


def test_a_rule_about_people_not_yet_contacted_says_so(
    due_on: DueOn, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most of a big vault is people not yet contacted; only rules declared `untouched` look
    at them, so one about them must say it does."""

    def items(person: Person, ctx: due.DueContext) -> Iterator[due.DueItem]:
        yield ctx.item(
            "planted", ctx.today, "coffeechat next", f"write to {person.name}", "x", person=person
        )

    write_note("mei", "name: Mei Tanaka\n")
    for untouched, expected in ((False, []), (True, [("planted", "Mei Tanaka", 0)])):
        planted = due.Rule("planted", "today", "anyone", "none: a test", items, untouched=untouched)
        monkeypatch.setattr(due, "RULES", (planted, *due.RULES))
        assert due_on("2026-11-24") == expected


def test_due_json_names_the_persons_company(run: Run, example_vault: Path) -> None:
    items = json.loads(run("due", "--json", root=example_vault).stdout)["due"]
    about = {(item["kind"], item["person"]): item["company"] for item in items}
    assert about[("promise", "Arjun Mehta")] == "Chai Cloud"
    assert about[("referral", "Marcus Webb")] == "Lumen Pay"
    assert about[("coverage", None)] in ("Chai Cloud", "Wattle Labs")


def test_due_json_company_is_the_label_or_null(run: Run, write_note: WriteNote) -> None:
    write_note("liam", "name: Liam Hart\nmessaged: 2026-11-13\nreplied: 2026-11-23\n")
    linked = "name: Ana Silva\ncompany: '[[lumen-pay|Lumen Pay]]'\nmessaged: 2026-11-13\n"
    write_note("ana", linked + "replied: 2026-11-23\n")
    items = json.loads(run("due", "--json").stdout)["due"]
    assert sorted((item["person"], item["company"]) for item in items) == [
        ("Ana Silva", "Lumen Pay"),
        ("Liam Hart", None),
    ]


def test_a_day_in_another_year_shows_its_year(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A date a year off must never pass for this year's: Dec 30 seen on Jan 4 says 2026."""
    chat = "chat: 2026-12-30T15:00:00-06:00\ntimezone: America/Chicago\n"
    write_note("ben", "name: Ben Cho\nmessaged: 2026-12-01\nreplied: 2026-12-02\n" + chat)
    monkeypatch.setenv("COFFEECHAT_NOW", "2027-01-04T09:00:00-06:00")
    lines = run("due").stdout.splitlines()
    assert "thanks    thank Ben Cho for the chat Wed Dec 30, 2026 (4 days late)" in lines
    shown = run("show", "ben").stdout.splitlines()
    assert "  chat        Wed Dec 30, 2026, 3:00 PM CST (same for them)" in shown
    # The same chat seen in its own year keeps the short form.
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-12-31T09:00:00-06:00")
    assert "thanks    thank Ben Cho for the chat Wed Dec 30 (today)" in run("due").stdout
    assert "  chat        Wed Dec 30, 3:00 PM CST (same for them)" in run("show", "ben").stdout


def test_a_rule_is_asked_only_about_people_with_a_fact_it_needs(
    due_on: DueOn, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big vault is mostly people messaged and no more: a rule that starts from a chat (or
    from someone having introduced you) declares it, and is asked of nobody else."""

    def items(person: Person, ctx: due.DueContext) -> Iterator[due.DueItem]:
        yield ctx.item(
            "planted", ctx.today, "coffeechat next", f"ask {person.name}", "x", person=person
        )

    write_note("divya", "name: Divya Nair\nmessaged: 2026-11-23\n")
    write_note("liam", "name: Liam Hart\nmessaged: 2026-11-13\nchat: 2026-11-30T10:00:00-06:00\n")
    write_note("ana", "name: Ana Silva\nmessaged: 2026-11-23\nintroduced_by: Liam Hart\n")
    for needs, expected in (
        ((), ["Ana Silva", "Divya Nair", "Liam Hart"]),
        (("chat",), ["Liam Hart"]),
        (("chat", due.INTRODUCED), ["Liam Hart"]),
        (("nudged",), []),
    ):
        planted = due.Rule("planted", "today", "anyone", "none: a test", items, needs=needs)
        monkeypatch.setattr(due, "RULES", (planted,))
        assert sorted(who for _, who, _ in due_on("2026-11-24")) == expected
    # Liam introduced Ana, and Divya introduces Mei: both have someone they introduced.
    write_note("mei", "name: Mei Tanaka\nintroduced_by: Divya Nair\n")
    planted = due.Rule("planted", "today", "anyone", "none: a test", items, needs=(due.INTRODUCED,))
    monkeypatch.setattr(due, "RULES", (planted,))
    assert sorted(who for _, who, _ in due_on("2026-11-24")) == ["Divya Nair", "Liam Hart"]


def test_a_message_due_on_their_weekend_moves_only_within_ten_days_back(
    due_on: DueOn, write_note: WriteNote
) -> None:
    """The nudge falls due on Saturday Nov 14: moved to Monday while that Saturday is at most
    `SEASON_LOOKBACK_DAYS` back (8 days late, from the Monday), left on the Saturday after."""
    write_note("divya", "name: Divya Nair\nmessaged: 2026-11-07\n")
    assert _days(due_on, ["2026-11-23", "2026-11-24", "2026-11-25"], "--all") == [
        [("nudge", "Divya Nair", 7)],
        [("nudge", "Divya Nair", 8)],
        [("nudge", "Divya Nair", 11)],
    ]


def test_an_item_done_two_weeks_ago_is_still_shown_done_and_not_a_day_later() -> None:
    """What a calendar shows done (`with_done`): done at most QUIET_AFTER_DAYS ago."""
    now = datetime.fromisoformat("2026-11-24T09:00:00-06:00")
    ctx = due.DueContext(
        date(2026, 11, 24), now, Config(timezone="America/Chicago"), [], [], date(2026, 11, 24)
    )
    ctx.with_done = True
    oldest = ctx.today - timedelta(days=due.QUIET_AFTER_DAYS)
    days = (oldest - timedelta(days=1), oldest, oldest + timedelta(days=1))
    shown = [not ctx.skip("thanks", date(2026, 11, 1), done) for done in days]
    assert shown == [False, True, True]


# --- asking each rule only about the people it can concern changes nothing ------------------

_DAY0 = date(2026, 10, 1)


@st.composite
def _vaults(draw: st.DrawFn) -> tuple[list[Person], list[Company]]:
    """A few people at one or two companies, with any mix of the dated facts the rules start
    from, introductions between them, and an application at one company."""
    days = st.integers(0, 60).map(lambda n: _DAY0 + timedelta(days=n))
    people = []
    count = draw(st.integers(1, 6))
    for number in range(count):
        values: dict[str, object] = {
            key: draw(days)
            for key in draw(
                st.lists(
                    st.sampled_from(
                        [
                            "messaged",
                            "nudged",
                            "replied",
                            "thanked",
                            "connected",
                            "sent",
                            "checked_in",
                            "updated",
                            "applied",
                        ]
                    ),
                    unique=True,
                    max_size=5,
                )
            )
        }
        if draw(st.booleans()):
            day = draw(days)
            values["chat"] = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
        if draw(st.booleans()):
            values["introduced_by"] = f"Person {draw(st.integers(0, count - 1))}"
        log = draw(st.sampled_from(["", "- 2026-11-02: Next: send the deck in a week\n"]))
        people.append(
            Person(
                file=f"/v/people/p{number}.md",
                name=f"Person {number}",
                company=draw(st.sampled_from(["Lumen Pay", "Lumen Pay", "Fjord Health", ""])),
                connection=draw(st.sampled_from(["", "1st", "2nd"])),
                referral=draw(
                    st.sampled_from(["", "", "asked", "agreed", "submitted", "declined"])
                ),
                raw_body=read_body("\n## Log\n\n" + log) if log else "",
                **values,  # type: ignore[arg-type]
            )
        )
    step = draw(st.sampled_from(["applied", "interviewing", "offer", "rejected", "accepted"]))
    lumen = Company(
        file="/v/companies/lumen-pay.md",
        name="Lumen Pay",
        status="target",
        application=step,
        steps=(f"{draw(days)} {step}",),
    )
    return people, [lumen]


@settings(max_examples=200, deadline=None)
@given(vault=_vaults(), today=st.integers(0, 80), everything=st.booleans())
def test_asking_only_the_people_a_rule_needs_lists_what_asking_everyone_lists(
    vault: tuple[list[Person], list[Company]], today: int, everything: bool
) -> None:
    people, companies = vault
    config = Config(timezone="America/Chicago")
    day = _DAY0 + timedelta(days=today)
    now = datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("America/Chicago"))
    found = due.due_items(people, companies, config, now, everything=everything, with_done=True)
    everyone = tuple(replace(rule, needs=()) for rule in due.RULES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(due, "RULES", everyone)
        asked = due.due_items(people, companies, config, now, everything=everything, with_done=True)
    assert found == asked


def test_a_promise_in_the_log_of_someone_never_messaged_falls_due_on_its_day(
    write_note: WriteNote, due_on: DueOn
) -> None:
    """Met at a meetup, never messaged: the note holds only the log line of what you said
    you would do. The promise alone makes them someone you are in touch with."""
    write_note(
        "mia-lund",
        "name: Mia Lund\ncompany: Figma\n",
        "\n## Log\n\n- 2026-11-10: met at the design meetup\n"
        "- 2026-11-10: Next: send her the talk in a week\n",
    )
    assert due_on("2026-11-16") == []
    assert due_on("2026-11-17") == [("promise", "Mia Lund", 0)]
    assert due_on("2026-11-18") == [("promise", "Mia Lund", 1)]


def test_a_thank_you_over_two_weeks_late_steps_back_behind_what_is_fresh(
    due_on: DueOn, write_note: WriteNote
) -> None:
    """The most late comes first, until a thank-you is over two weeks late: it stays listed,
    after the rest. With --all, a connection request that late is listed, still by how late
    it is: only what stays on the daily list steps back."""
    write_note("sam", "name: Sam Ortiz\nchat: 2026-11-09T15:00:00-06:00\n")
    write_note("divya", "name: Divya Nair\nmessaged: 2026-11-14\n")
    days = ["2026-11-23", "2026-11-24", "2026-11-25"]
    sam = [("thanks", "Sam Ortiz"), ("connect", "Sam Ortiz")]
    assert _days(due_on, days) == [
        [(*sam[0], 13), (*sam[1], 13), ("nudge", "Divya Nair", 0)],
        [(*sam[0], 14), (*sam[1], 14), ("nudge", "Divya Nair", 1)],
        [("nudge", "Divya Nair", 2), (*sam[0], 15)],  # the request, too late, is counted
    ]
    assert _days(due_on, days[2:], "--all") == [
        [(*sam[1], 15), ("nudge", "Divya Nair", 2), (*sam[0], 15)]
    ]


def test_the_daily_list_carries_nothing_done_only_a_calendar_does() -> None:
    """Thanked yesterday: the thank-you is gone from the daily list, and only a calendar
    export (`with_done`) keeps it, shown done."""
    now = datetime.fromisoformat("2026-11-24T09:00:00-06:00")
    sam = Person(
        name="Sam Ortiz",
        file="people/sam.md",
        chat=datetime.fromisoformat("2026-11-20T15:00:00-06:00"),
        thanked=date(2026, 11, 23),
    )
    config = Config(timezone="America/Chicago")
    daily = due.due_items([sam], [], config, now)
    calendar = due.due_items([sam], [], config, now, with_done=True)
    assert [item.kind for item in daily.items + daily.done] == ["connect"]
    assert [(item.kind, item.done) for item in calendar.done] == [("thanks", date(2026, 11, 23))]
