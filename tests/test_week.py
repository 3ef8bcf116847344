"""The week (`stats --week`, the weekly cap in `next` and `draft outreach`) and what gets
replies (`mark --template`, `stats --by KEY`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run, WriteNote

SUNDAY_LATE = "2026-11-22T23:59:00-06:00"  # Chicago: the last minute of the week of Nov 16
MONDAY_START = "2026-11-23T00:00:00-06:00"  # the first minute of the week of Nov 23
MONDAY_UTC_SUNDAY_HERE = "2026-11-23T03:00:00+00:00"  # Monday in UTC, Sunday 21:00 here


@pytest.fixture
def weeks(vault: Path, write_note: WriteNote) -> Path:
    """Weeks of Nov 9 and Nov 16 each meet a goal of 2 first messages and 1 chat; nothing
    happened the week of Nov 2; the week of Nov 23 has begun."""
    config = vault / "coffeechat.toml"
    config.write_text(
        config.read_text()
        + 'looking_for = "backend roles"\nweek_messages_goal = 2\nweek_chats_goal = 1\n'
    )
    write_note(
        "p1",
        "name: Ana One\nmessaged: 2026-11-09\nreplied: 2026-11-10\n"
        "chat: 2026-11-12T10:00:00-06:00\n",
    )
    write_note("p2", "name: Bo Two\nmessaged: 2026-11-11\nnudged: 2026-11-23\n")
    write_note(
        "p3",
        "name: Chidi Three\nmessaged: 2026-11-16\nchat: 2026-11-20T10:00:00-06:00\n"
        "referral: agreed\nsent: 2026-11-23\n",
    )
    write_note("p4", "name: Divya Four\nmessaged: 2026-11-22\n")
    write_note("p5", "name: Elif Five\nmessaged: 2026-11-23\n")
    write_note("p6", "name: Felix Six\nconnection: 1st\ncompany: Lumen Pay\n")
    return vault


def _counts(messages: int, nudges: int, replies: int, chats: int, referrals: int) -> dict:
    return {
        "messages": messages,
        "nudges": nudges,
        "replies": replies,
        "chats": chats,
        "referrals": referrals,
    }


@pytest.mark.parametrize(
    ("now", "week", "counts", "met", "streak"),
    [
        (SUNDAY_LATE, "2026-11-16", _counts(2, 0, 0, 1, 0), True, 2),
        (MONDAY_UTC_SUNDAY_HERE, "2026-11-16", _counts(2, 0, 0, 1, 0), True, 2),
        (MONDAY_START, "2026-11-23", _counts(1, 1, 0, 0, 1), False, 2),
        ("2026-11-15T12:00:00-06:00", "2026-11-09", _counts(2, 0, 1, 1, 0), True, 1),
        ("2026-11-08T12:00:00-06:00", "2026-11-02", _counts(0, 0, 0, 0, 0), False, 0),
    ],
    ids=["sunday-late", "monday-in-utc", "monday", "week-of-nov-9", "before-anything"],
)
def test_the_week_counts_what_happened_since_monday_in_your_zone(
    run: Run,
    weeks: Path,
    monkeypatch: pytest.MonkeyPatch,
    now: str,
    week: str,
    counts: dict,
    met: bool,
    streak: int,
) -> None:
    monkeypatch.setenv("COFFEECHAT_NOW", now)
    record = json.loads(run("stats", "--week", "--json").stdout)
    assert (record["week"], record["counts"], record["met"], record["streak"]) == (
        week,
        counts,
        met,
        streak,
    )
    assert record["goals"] == {"messages": 2, "chats": 1}
    assert record["cap"] is None
    assert [w["week"] for w in record["weeks"]][-1] == week
    assert len(record["weeks"]) == 4


def test_the_week_as_a_table(run: Run, weeks: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COFFEECHAT_NOW", MONDAY_START)
    result = run("stats", "--week")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "week of             messages  nudges  replies  chats  referrals  goal",
        "Nov 2               0         0       0        0      0          missed",
        "Nov 9               2         0       1        1      0          met",
        "Nov 16              2         0       0        1      0          met",
        "Nov 23 (this week)  1         1       0        0      1          not yet",
        "",
        "Goal: 2 messages, 1 chat a week.",
        "Streak: 2 weeks in a row met it; this week needs 1 message and 1 chat more.",
    ]


def test_no_goal_and_a_cap(run: Run, weeks: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = weeks / "coffeechat.toml"
    text = config.read_text().replace("week_messages_goal = 2", "week_messages_goal = 0")
    config.write_text(
        text.replace("week_chats_goal = 1", "week_chats_goal = 0") + "week_messages_cap = 2\n"
    )
    monkeypatch.setenv("COFFEECHAT_NOW", SUNDAY_LATE)
    result = run("stats", "--week")
    assert result.stdout.splitlines()[-2:] == [
        "No weekly goal set (week_messages_goal, week_chats_goal).",
        "Cap: 2 of 2 first messages this week; reached, nobody new until Monday Nov 23.",
    ]
    record = json.loads(run("stats", "--week", "--json").stdout)
    assert (record["goals"], record["met"], record["streak"]) == ({}, None, 0)
    assert record["cap"] == {"first_messages": 2, "reached": True}


@pytest.mark.parametrize(
    ("now", "reached"),
    [(SUNDAY_LATE, True), (MONDAY_START, False)],
    ids=["two-sent-cap-reached", "one-sent-monday"],
)
def test_the_cap_holds_next_and_warns_on_outreach_until_monday(
    run: Run, weeks: Path, monkeypatch: pytest.MonkeyPatch, now: str, reached: bool
) -> None:
    config = weeks / "coffeechat.toml"
    config.write_text(config.read_text() + "week_messages_cap = 2\n")
    monkeypatch.setenv("COFFEECHAT_NOW", now)
    listed = run("next")
    drafted = run("draft", "outreach", "p6")
    assert drafted.exit_code == 0
    capped = (
        "2 first messages this week, your cap (week_messages_cap = 2): nobody more until "
        "Monday Nov 23"
    )
    if reached:
        assert listed.stdout == ""
        assert listed.stderr == f"{capped}; --ignore-cap lists them anyway.\n"
        assert f"Note: {capped}; this one can wait.\n" in drafted.stderr
        assert "Felix Six" in run("next", "--ignore-cap").stdout
    else:
        assert "Felix Six" in listed.stdout
        assert "cap" not in drafted.stderr


# --- what gets replies -------------------------------------------------------------------


def test_the_template_is_recorded_when_the_message_is_marked_sent_only(
    run: Run, weeks: Path
) -> None:
    note = weeks / "people" / "p6.md"
    before = note.read_bytes()
    drafted = run("draft", "outreach", "p6")
    assert drafted.stderr.endswith("Once sent: coffeechat mark p6 messaged --template outreach\n")
    assert note.read_bytes() == before  # a draft is not a message sent
    (weeks / "templates").mkdir()
    (weeks / "templates" / "outreach.txt").write_text("Hi {{ them.first_name }}, shall we talk?\n")
    assert run("draft", "outreach", "p6").stderr.endswith(
        'Once sent: coffeechat mark p6 messaged --template "outreach (yours)"\n'
    )
    result = run("mark", "p6", "messaged", "--template", "outreach (yours)")
    assert result.exit_code == 0
    assert "\nmessaged: 2026-11-23\ntemplate: outreach (yours)\n---\n" in note.read_text()
    wrong = run("mark", "p6", "replied", "--template", "outreach")
    assert wrong.exit_code == 2
    assert wrong.stderr == (
        "Error: --template records where a first message came from: use it with `messaged`\n"
    )


def test_replies_by_template_and_by_a_key_of_your_own(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    for n in range(12):
        replied = "replied: 2026-11-12\n" if n % 3 == 0 else ""
        write_note(
            f"a{n}",
            f"name: Shipped Person{n}\nmessaged: 2026-11-10\n{replied}"
            f"template: outreach\nvariant: short\n",
        )
    for n in range(3):
        write_note(
            f"b{n}",
            f"name: Own Person{n}\nmessaged: 2026-11-10\nreplied: 2026-11-11\n"
            "template: outreach (yours)\nvariant: long\n",
        )
    write_note("c0", "name: Untracked Person\nmessaged: 2026-11-10\n")
    write_note("d0", "name: Never Messaged\ntemplate: outreach\n")
    result = run("stats", "--by", "template")
    assert result.stdout.splitlines() == [
        "template          sent  replied  rate",
        "outreach          12    4        33%",
        "outreach (yours)  3     3        100%  too few to tell (under 10 sent)",
        "(not set)         1     0        0%    too few to tell (under 10 sent)",
    ]
    record = json.loads(run("stats", "--by", "variant", "--json").stdout)
    assert record == {
        "version": 1,
        "by": "variant",
        "since": None,
        "small_sample": 10,
        "groups": [
            {"group": "short", "sent": 12, "replied": 4, "rate": 4 / 12, "too_few": False},
            {"group": "long", "sent": 3, "replied": 3, "rate": 1.0, "too_few": True},
            {"group": "(not set)", "sent": 1, "replied": 0, "rate": 0.0, "too_few": True},
        ],
    }
    since = json.loads(run("stats", "--by", "template", "--since", "2026-11-11", "--json").stdout)
    assert since["groups"] == []
    assert run("stats", "--by", "template", "--since", "2026-11-11").stdout == (
        "Replies by template: nobody messaged yet.\n"
    )
    both = run("stats", "--week", "--by", "template")
    assert (both.exit_code, both.stderr) == (
        2,
        "Error: --week shows this week alone; leave out --by and --since\n",
    )


def test_a_variant_is_a_template_of_your_own_named_for_its_kind(run: Run, weeks: Path) -> None:
    (weeks / "templates").mkdir()
    short = weeks / "templates" / "outreach-short.txt"
    short.write_text("Hi {{ them.first_name }}, fifteen minutes this week?\n")
    drafted = run("draft", "outreach", "p6", "--variant", "short")
    assert drafted.exit_code == 0
    assert drafted.stdout == "Hi Felix, fifteen minutes this week?\n"
    assert drafted.stderr.endswith(
        "Once sent: coffeechat mark p6 messaged --template outreach-short\n"
    )
    missing = run("draft", "outreach", "p6", "--variant", "long")
    assert (missing.exit_code, missing.stderr) == (
        2,
        "Error: no template `templates/outreach-long.txt` in the vault; the variants there: "
        "short; write one to try other words for the outreach\n",
    )
    assert run("draft", "outreach", "p6", "--variant", "../x").exit_code == 2
    assert "outreach-short.txt" not in run("doctor").output
