"""`next` scoring, location fit, the funnel's interviews, and the small slips a newcomer met."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, Run, WriteNote

CHICAGO = MINIMAL_CONFIG + 'looking_for = "junior backend engineering roles"\n'
CHICAGO += 'school = "University of Illinois Chicago"\nlocations = ["Chicago"]\n'


@pytest.fixture
def chicago(vault: Path) -> Path:
    (vault / "coffeechat.toml").write_text(CHICAGO)
    return vault


def _ranked(run: Run) -> list[tuple[str, float, list[str]]]:
    data = json.loads(run("next", "--json").stdout)["people"]
    return [(c["name"], c["score"], c["reasons"]) for c in data]


def test_a_1st_degree_contact_outranks_an_otherwise_equal_alumnus(
    run: Run, chicago: Path, write_note: WriteNote
) -> None:
    same = "company: Lumen Pay\nrole: Software Engineer\n"
    write_note("amy", f"name: Amy Alum\n{same}connection: alumni\n")
    write_note("fay", f"name: Fay First\n{same}connection: 1st\n")
    # Alumni *and* the same school: still counted once.
    write_note(
        "sal",
        f"name: Sal School\n{same}connection: alumni\nschool: University of Illinois Chicago\n",
    )
    ranked = _ranked(run)
    assert [name for name, _, _ in ranked] == ["Fay First", "Amy Alum", "Sal School"]
    scores = {name: score for name, score, _ in ranked}
    assert scores["Amy Alum"] == scores["Sal School"] < scores["Fay First"]
    assert "alumni connection; went to University of Illinois Chicago too" in ranked[2][2]


@pytest.mark.parametrize(
    ("role", "senior"),
    [
        ("Co-founder & CTO", True),
        ("Founder", True),
        ("VP Engineering", True),
        ("Head of Engineering", True),
        ("Director of Platform", True),
        ("Software Engineer II", False),
        ("Backend Engineer", False),
    ],
)
def test_founders_ctos_vps_heads_and_directors_are_senior(
    run: Run, chicago: Path, write_note: WriteNote, role: str, senior: bool
) -> None:
    write_note("tomas", f"name: Tomás Ortega\nrole: {role}\n")
    (reasons,) = [reasons for _, _, reasons in _ranked(run)]
    expected = "senior: a referral carries weight" if senior else "not senior"
    assert any(reason.startswith(expected) for reason in reasons)


def test_title_closeness_is_the_kind_of_work_and_a_specialty_not_a_shared_word(
    run: Run, chicago: Path, write_note: WriteNote
) -> None:
    write_note("mei", "name: Mei Tanaka\nrole: Head of Engineering\nkind: manager\n")
    write_note("ola", "name: Ola Berg\nrole: Staff Engineer\n")
    write_note("bo", "name: Bo Chen\nrole: Senior Backend Engineer\n")
    reasons = {name: r for name, _, r in _ranked(run)}
    assert not [r for r in reasons["Mei Tanaka"] if "title" in r or "kind of work" in r]
    assert "the kind of work you want (engineer)" in reasons["Ola Berg"]
    assert "title close to yours (backend)" in reasons["Bo Chen"]


def test_company_priority_hiring_and_location_weigh_in(
    run: Run, chicago: Path, write_note: WriteNote
) -> None:
    for stem, keys in {
        "top": "priority: 1\nhiring: growth\nlocations: [Chicago]\n",
        "low": "priority: 4\nhiring: unknown\nlocations: [Chicago]\n",
        "frozen": "priority: 4\nhiring: frozen\nlocations: [Chicago]\n",
        "chai": "priority: 1\nhiring: growth\nlocations: [Bengaluru]\nremote: hybrid\n",
    }.items():
        write_note(stem, f"name: {stem.title()} Co\nstatus: target\n{keys}", folder="companies")
        write_note(f"p-{stem}", f"name: Person {stem.title()}\ncompany: {stem.title()} Co\n")
    ranked = _ranked(run)
    assert [name for name, _, _ in ranked] == [
        "Person Top",
        "Person Low",
        "Person Chai",
        "Person Frozen",
    ]
    chai = next(reasons for name, _, reasons in ranked if name == "Person Chai")
    assert "Chai Co does not hire where you can work (Bengaluru)" in chai


def test_a_bengaluru_only_company_is_flagged_for_a_chicago_user(
    run: Run, chicago: Path, write_note: WriteNote
) -> None:
    write_note(
        "chai-cloud",
        "name: Chai Cloud\nlocations: [Bengaluru]\nremote: hybrid\nstatus: target\n",
        folder="companies",
    )
    write_note(
        "lumen",
        "name: Lumen Pay\nlocations: [San Francisco, Remote (US)]\nstatus: target\n",
        folder="companies",
    )
    write_note("fjord", "name: Fjord\nlocations: [London]\nremote: yes\n", folder="companies")
    write_note("prairie", "name: Prairie\nlocations: [Springfield, Illinois]\n", folder="companies")
    write_note("quill", "name: Quill\n", folder="companies")
    data = json.loads(run("companies", "--json").stdout)["companies"]
    assert {row["company"]: row["fits_locations"] for row in data} == {
        "Chai Cloud": False,
        "Lumen Pay": True,  # remote in the US
        "Fjord": True,  # hires remotely
        "Prairie": True,  # the same state
        "Quill": None,  # says nothing
    }
    out = run("companies").stdout
    assert out.splitlines()[0].split()[-2:] == ["FITS", "GAPS"]
    assert out.endswith(
        "FITS NO: Chai Cloud hires only where you cannot work (`locations` in "
        "coffeechat.toml); check before investing.\n"
    )


def test_without_locations_nothing_is_flagged(run: Run, write_note: WriteNote) -> None:
    write_note("chai-cloud", "name: Chai Cloud\nlocations: [Bengaluru]\n", folder="companies")
    assert json.loads(run("companies", "--json").stdout)["companies"][0]["fits_locations"] is None


def test_next_counts_and_lists_the_same_shared_items(
    run: Run, chicago: Path, write_note: WriteNote
) -> None:
    write_note(
        "sofia",
        "name: Sofía Martínez\ncommon: [Chicago Go meetup, marathon, cycling]\n",
    )
    write_note("aisha", "name: Aisha Khan\nconnection: 2nd\ncommon: [Mutual connection: Priya]\n")
    reasons = {name: (score, r) for name, score, r in _ranked(run)}
    assert "in common: Chicago Go meetup; marathon" in reasons["Sofía Martínez"][1]
    # The mutual connection is the 2nd degree already: no second point for it.
    assert not [r for r in reasons["Aisha Khan"][1] if r.startswith("in common")]


def test_stats_counts_an_interview_that_ended_in_rejection(run: Run, write_note: WriteNote) -> None:
    karen = "name: Karen Olson\nmessaged: 2026-09-15\nreplied: 2026-09-16\noutcome: rejected\n"
    write_note("karen", karen, body="\n## Log\n\n- 2026-10-18: rejected after the final round\n")
    write_note("derek", karen.replace("Karen Olson", "Derek Lund"), body="\n## Log\n\n- no\n")
    steps = json.loads(run("stats", "--json").stdout)["applications"]
    applications = {step["step"]: step["count"] for step in steps}
    assert applications == {"applied": 2, "interview": 1, "offer": 0, "accepted": 0}
    text = run("stats").stdout
    assert "  interview      1  50% of previous\n" in text
    assert "  offer          0  0% of previous\n" in text


def test_stats_prints_no_share_after_an_empty_step(run: Run, write_note: WriteNote) -> None:
    write_note("ana", "name: Ana Ruiz\nmessaged: 2026-11-01\n")
    lines = run("stats").stdout.splitlines()
    assert "  replied        0  0% of previous" in lines
    assert "  chatted        0" in lines  # not "- of previous"
    assert not [line for line in lines if "- of previous" in line]


def test_mark_warns_when_a_date_comes_before_the_step_it_follows(
    run: Run, write_note: WriteNote
) -> None:
    write_note("jenna", "name: Jenna Park\nmessaged: 2026-11-16\n")
    result = run("mark", "jenna", "replied", "--on", "2026-11-10")
    assert result.exit_code == 0
    assert result.stdout == "people/jenna.md: replied: 2026-11-10\n"
    assert result.stderr == (
        "Warning: `replied` (2026-11-10) is before `messaged` (2026-11-16); recorded as given, "
        "check both dates\n"
    )
    assert run("mark", "jenna", "replied", "--on", "2026-11-17").stderr == ""


def test_mark_nudged_on_someone_never_messaged_warns(run: Run, write_note: WriteNote) -> None:
    write_note("tom", "name: Tom Reyes\n")
    result = run("mark", "tom", "nudged")
    assert result.exit_code == 0
    assert result.stdout == "people/tom.md: nudged: 2026-11-23\n"
    assert result.stderr == (
        "Warning: `nudged` is recorded but `messaged` is not: a nudge follows a first message; "
        "record it with `coffeechat mark tom messaged --on DAY`\n"
    )
    run("mark", "tom", "messaged", "--on", "2026-11-20")
    assert run("mark", "tom", "nudged").stderr == ""


def test_marking_a_first_time_date_again_says_what_it_was(run: Run, write_note: WriteNote) -> None:
    """`replied` is when they first replied: marked again today, the first day is named with
    how to put it back; a day given on purpose is a correction, said nothing of; `nudged`
    (the latest one counts) is never warned about."""
    write_note("liam", "name: Liam Ode\nmessaged: 2026-11-16\nreplied: 2026-11-21\n")
    result = run("mark", "liam", "replied")
    assert result.stdout == "people/liam.md: replied: 2026-11-23\n"
    assert result.stderr == (
        "Warning: replied was 2026-11-21, now 2026-11-23; "
        "`coffeechat set liam replied=2026-11-21` puts the first one back\n"
    )
    assert run("mark", "liam", "replied", "--on", "2026-11-20").stderr == ""
    assert run("mark", "liam", "nudged").stderr == ""
    assert run("mark", "liam", "nudged").stderr == ""


@pytest.mark.parametrize("milestone", ["messaged", "replied", "thanked", "checked_in", "sent"])
def test_mark_refuses_a_day_after_today_for_what_happened(
    run: Run, write_note: WriteNote, milestone: str
) -> None:
    note = write_note("jose", "name: José Núñez\n")
    before = note.read_bytes()
    for when in ("tomorrow", "2026-11-24"):
        result = run("mark", "jose", milestone, "--on", when)
        assert result.exit_code != 0
        assert result.stderr == "Error: 2026-11-24 is after today; file it once it has happened\n"
        assert note.read_bytes() == before
    assert run("mark", "jose", milestone, "--on", "today").exit_code == 0


def test_mark_chat_over_a_booked_one_says_it_moved_it_and_keeps_its_comment(
    run: Run, write_note: WriteNote
) -> None:
    note = write_note(
        "priya", "name: Priya Raman\nchat: 2026-11-25T15:00:00-06:00   # 1 PM her time\n"
    )
    result = run("mark", "priya", "chat")
    assert result.exit_code == 0
    assert result.stdout == "people/priya.md: chat: 2026-11-23T09:00:00-06:00\n"
    assert result.stderr == (
        "Warning: moved the chat from Wed Nov 25, 3:00 PM CST to Mon Nov 23, 9:00 AM CST; "
        "the comment `# 1 PM her time` on `chat:` is kept: edit it if it no longer fits\n"
    )
    assert "chat: 2026-11-23T09:00:00-06:00   # 1 PM her time\n" in note.read_text()
    # The chat it replaces now is the one just marked, in the past: no booked chat moved.
    assert run("mark", "priya", "chat", "--on", "yesterday 3pm").stderr == ""
    # A chat in a future month may be marked (booked by hand): nothing refused.
    assert run("mark", "priya", "chat", "--on", "2026-12-09 15:00").exit_code == 0


def test_mark_takes_a_milestone_with_hyphens_as_the_inbox_does(
    run: Run, write_note: WriteNote
) -> None:
    note = write_note("karen", "name: Karen Olson\nmessaged: 2026-09-15\n")
    result = run("mark", "karen", "checked-in")
    assert result.exit_code == 0, result.output
    assert result.stdout == "people/karen.md: checked_in: 2026-11-23\n"
    assert "checked_in: 2026-11-23\n" in note.read_text()
    assert run("mark", "karen", "checked_in").stdout == "people/karen.md: nothing to change\n"
    wrong = run("mark", "karen", "checked-on")
    assert wrong.exit_code == 2
    assert "'checked-on' is not one of" in wrong.stderr


def test_schedule_twice_logs_once_and_a_move_says_what_it_replaced(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    note = write_note("rachel", "name: Rachel Kim\ntimezone: America/Chicago\n")
    first = run("schedule", "rachel", "Fri 9:30")
    assert first.exit_code == 0
    again = run("schedule", "rachel", "Fri 9:30")
    assert again.stdout.startswith("people/rachel.md: nothing to change\n")
    moved = run("schedule", "rachel", "Fri 10:30")
    assert moved.stdout.startswith(
        "people/rachel.md: moved the chat from Fri Nov 27, 9:30 AM CST (same for them) to "
        "Fri Nov 27, 10:30 AM CST (same for them); logged\n"
    )
    log = note.read_text().split("## Log\n", 1)[1]
    assert log.count("scheduled the chat") == 1
    assert log.count("moved the chat") == 1


def test_init_asks_only_for_what_it_was_not_given(run: Run, tmp_path: Path) -> None:
    given = run("init", str(tmp_path / "a"), "--name", "Alex", "--timezone", "America/Chicago")
    assert "set looking_for and school" in given.stderr
    assert "set your name" not in given.stderr
    bare = run("init", str(tmp_path / "b"))
    assert "set your name and timezone, then set looking_for and school" in bare.stderr


def test_doctor_needs_no_note_for_a_former_employer(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + 'my_companies = ["Groupon"]\n')
    write_note("jenna", "name: Jenna Park\ncompany: Groupon\n")
    write_note("tom", "name: Tom Lee\ncompany: Northwind\n")
    out = run("doctor").output
    assert "no company note for `Northwind`" in out
    assert "Groupon" not in out


def test_a_nudge_too_early_says_1_day(run: Run, vault: Path, write_note: WriteNote) -> None:
    with (vault / "coffeechat.toml").open("a") as config:
        config.write('looking_for = "backend roles"\n')
    write_note("maya", "name: Maya Okafor\nemail: maya@example.com\nmessaged: 2026-11-22\n")
    result = run("draft", "nudge", "maya")
    assert "(1 day ago)" in result.stderr


def test_next_suggests_only_people_not_in_touch_yet_whichever_date_says_so(
    run: Run, write_note: WriteNote
) -> None:
    """Any milestone takes someone off `next`, even one alone in the note (a `thanked` with
    nothing before it); a declined referral too; the rest are suggested."""
    write_note("ana", "name: Ana Silva\n")
    for stem, date_key in (
        ("ben", "messaged"),
        ("cai", "nudged"),
        ("dee", "replied"),
        ("eli", "thanked"),
        ("fay", "chat"),
    ):
        day = "2026-11-20T10:00:00-06:00" if date_key == "chat" else "2026-11-20"
        write_note(stem, f"name: {stem.title()} Key\n{date_key}: {day}\n")
    write_note("gus", "name: Gus Declined\nreferral: declined\n")
    assert [name for name, _, _ in _ranked(run)] == ["Ana Silva"]
