"""Relationships that outlast the search: keeping in touch on a cadence derived from the notes,
promises with a day, and the give-back record.

Each rule is pinned the day before it falls due, the day, and the day after, with
COFFEECHAT_NOW at 09:00 Chicago time.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.core.errors import UsageError
from coffeechat.model.config import Config
from coffeechat.model.dated import read_body
from coffeechat.model.note import Person
from coffeechat.pipeline.due import KEEP, due_items
from coffeechat.when.parse import promise_day
from conftest import MINIMAL_CONFIG, Run, WriteNote


def listed(run: Run, monkeypatch: pytest.MonkeyPatch, day: str, *args: str) -> list[tuple]:
    monkeypatch.setenv("COFFEECHAT_NOW", f"{day}T09:00:00-06:00")
    result = run("due", "--json", *args)
    assert result.exit_code == 0, result.output
    return [
        (item["kind"], item["person"] or item["company"])
        for item in json.loads(result.stdout)["due"]
        if item["kind"] != "coverage"
    ]


def log_body(*lines: str) -> str:
    return "\n## Notes\n\n## Log\n\n" + "".join(f"- {line}\n" for line in lines)


# A chat long done and thanked, the connection made: nothing of the search is left open.
SETTLED = (
    "messaged: 2026-05-01\nreplied: 2026-05-02\nchat: 2026-05-10T10:00:00-05:00\n"
    "thanked: 2026-05-11\nconnection: 1st\n"
)


def test_the_cadence_counts_from_the_last_log_line(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note("ada", f"name: Ada Park\n{SETTLED}", log_body("2026-08-01: coffee, talked Go"))
    # 90 days (the default) after Aug 1 is Oct 30.
    days = ["2026-10-29", "2026-10-30", "2026-10-31"]
    assert [listed(run, monkeypatch, day) for day in days] == [
        [],
        [(KEEP, "Ada Park")],
        [(KEEP, "Ada Park")],
    ]
    item = json.loads(run("due", "--json").stdout)["due"][0]
    assert item["command"] == "coffeechat draft checkin ada"
    assert "last in touch 2026-08-01 (every 90 days)" in item["what"]


def test_logging_anything_resets_it_and_no_next_contact_key_is_written(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch, vault: Path
) -> None:
    path = write_note("ada", f"name: Ada Park\n{SETTLED}", log_body("2026-08-01: coffee"))
    assert listed(run, monkeypatch, "2026-11-02") == [(KEEP, "Ada Park")]
    front = path.read_text().split("---")[1]
    assert run("log", "ada", "sent a note about her talk").exit_code == 0
    assert path.read_text().split("---")[1] == front  # only the log line was added
    assert listed(run, monkeypatch, "2026-11-02") == []
    assert listed(run, monkeypatch, "2027-01-30") == []  # 89 days later
    assert listed(run, monkeypatch, "2027-01-31") == []  # 90: a Sunday, it waits a day
    assert listed(run, monkeypatch, "2027-02-01") == [(KEEP, "Ada Park")]


@pytest.mark.parametrize(
    ("by", "own", "kind", "tags", "due_after"),
    [
        ('["recruiter 30"]', "", "recruiter", "[]", 30),  # by kind
        ('["recruiter 30", "mentor 13"]', "", "recruiter", "[mentor]", 13),  # a tag beats kind
        ('["recruiter 30"]', "45", "recruiter", "[]", 45),  # the note's own beats both
        ('["family never"]', "", "engineer", "[family]", None),  # a tag says never
        ("[]", "never", "engineer", "[]", None),  # the note says never
    ],
)
def test_a_kind_a_tag_or_the_note_sets_the_cadence(
    run: Run,
    write_note: WriteNote,
    monkeypatch: pytest.MonkeyPatch,
    vault: Path,
    by: str,
    own: str,
    kind: str,
    tags: str,
    due_after: int | None,
) -> None:
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + f"keep_in_touch_by = {by}\n")
    own_line = f"keep_in_touch: {own}\n" if own else ""
    write_note(
        "ada",
        f"name: Ada Park\nkind: {kind}\ntags: {tags}\n{own_line}{SETTLED}",
        log_body("2026-08-01: coffee"),
    )
    start = date(2026, 8, 1)
    for offset in (due_after or 400) - 1, (due_after or 400):
        day = (start + timedelta(days=offset)).isoformat()
        expected = [(KEEP, "Ada Park")] if due_after and offset == due_after else []
        assert listed(run, monkeypatch, day) == expected, day


def test_a_few_a_day_the_longest_waiting_first(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch, vault: Path
) -> None:
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + "keep_in_touch_per_day = 2\n")
    for number, day in enumerate(["2026-07-05", "2026-07-01", "2026-07-03", "2026-07-04"]):
        write_note(f"p{number}", f"name: Person {number}\n{SETTLED}", log_body(f"{day}: coffee"))
    assert listed(run, monkeypatch, "2026-11-02") == [(KEEP, "Person 1"), (KEEP, "Person 2")]
    assert "2 more people to keep in touch with" in run("due").stdout
    assert len(listed(run, monkeypatch, "2026-11-02", "--all")) == 4


def test_the_search_comes_first_and_an_open_item_holds_keeping_in_touch(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note("ada", f"name: Ada Park\n{SETTLED}", log_body("2026-07-01: coffee"))
    # Ben's referral check-in is open: he is not kept in touch with, however long ago.
    write_note(
        "ben",
        "name: Ben Okafor\nmessaged: 2026-05-01\nreplied: 2026-05-02\n"
        "chat: 2026-05-10T10:00:00-05:00\nthanked: 2026-05-11\nconnection: 1st\n"
        "referral: agreed\nsent: 2026-05-11\n",
    )
    # Cy never answered: there is nothing to keep up.
    write_note("cy", "name: Cy Lee\nmessaged: 2026-05-01\nnudged: 2026-05-08\n")
    assert listed(run, monkeypatch, "2026-11-02", "--all") == [
        ("referral", "Ben Okafor"),
        (KEEP, "Ada Park"),
    ]


def test_the_reason_to_write_is_your_news_or_theirs(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note(
        "lumen", 'name: Lumen Pay\nnews: "Congratulations on the Series B."\n', folder="companies"
    )
    write_note("ada", f"name: Ada Park\ncompany: Lumen Pay\n{SETTLED}", log_body("2026-07-01: hi"))
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-02T09:00:00-06:00")
    (item,) = [i for i in json.loads(run("due", "--json").stdout)["due"] if i["kind"] == KEEP]
    assert item["what"].endswith("Lumen Pay's news (`news:` in its note)")
    draft = run("draft", "checkin", "ada", "--channel", "linkedin").stdout
    assert "Congratulations on the Series B." in draft
    assert "referral" not in draft
    assert "?" not in draft.split("Best")[0]


# --- promises with a day ------------------------------------------------------------------------

WRITTEN = date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize(
    ("words", "day"),
    [
        ("ping him in a week if no word", "2026-11-27"),
        ("check in again in 3 days", "2026-11-23"),
        ("follow up in two weeks", "2026-12-04"),
        ("write again in a month", "2026-12-20"),
        ("I'll check back in January about the Q1 role", "2027-01-01"),
        ("circle back mid-January", "2027-01-15"),
        ("after the holidays", "2027-01-04"),
        ("send the deck on the 15th", "2026-12-15"),
        ("Q1", "2027-01-01"),
        ("next week", "2026-11-23"),
        ("by the end of the week", "2026-11-20"),
        ("next month", "2026-12-01"),
        ("end of the month", "2026-11-30"),
        ("call on Tuesday", "2026-11-24"),
        ("tomorrow", "2026-11-21"),
        ("Dec 4", "2026-12-04"),
        ("4th of December", "2026-12-04"),
        ("next quarter", "2027-01-01"),
        ("on 2027-02-03", "2027-02-03"),
    ],
)
def test_a_promise_falls_due_on_the_day_it_names(words: str, day: str) -> None:
    found = promise_day(words, WRITTEN)
    assert found is not None
    assert found.day.isoformat() == day


@pytest.mark.parametrize(
    "words",
    [
        "soon",
        "in a few weeks",
        "in the spring",  # hemispheres differ
        "after the holidays" + "",  # written in June below: which holidays?
        "in November",  # written in November: this one or next year's?
        "Q4",  # written during Q4
    ],
)
def test_a_time_that_could_mean_two_days_is_refused(words: str) -> None:
    written = date(2026, 6, 10) if "holidays" in words else WRITTEN
    with pytest.raises(UsageError):
        promise_day(words, written)


def test_a_line_without_a_time_stays_as_it_is() -> None:
    assert promise_day("I'll apply online first, as you suggested", WRITTEN) is None
    assert promise_day("prep for the 2nd round", WRITTEN) is None


def test_a_next_line_becomes_an_item_on_its_day_until_something_is_logged(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note(
        "ada",
        "name: Ada Park\nmessaged: 2026-11-01\nreplied: 2026-11-02\n"
        "chat: 2026-11-20T10:00:00-06:00\nthanked: 2026-11-20\nconnection: 1st\n",
        "\n## Notes\n\n### Call 2026-11-20\n\n- Team is hiring in Q1.\n\n"
        "Next: I'll check back in January about the Q1 role.\n\n## Log\n\n"
        "- 2026-11-20: call done\n- 2026-11-21: Next: ping Ben in a week if no word\n",
    )
    assert listed(run, monkeypatch, "2026-11-27") == []
    assert listed(run, monkeypatch, "2026-11-28") == [("promise", "Ada Park")]
    item = json.loads(run("due", "--json").stdout)["due"][0]
    assert "“ping Ben in a week if no word”" in item["what"]
    assert item["command"] == 'coffeechat log ada "kept: ping Ben in a week if no word"'
    assert listed(run, monkeypatch, "2026-12-31") == []  # the week's promise: 14 days quiet
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-12-31T09:00:00-06:00")
    assert run("log", "ada", "pinged Ben").exit_code == 0
    assert listed(run, monkeypatch, "2026-12-31") == []
    assert listed(run, monkeypatch, "2027-01-01") == [("promise", "Ada Park")]
    assert run("log", "ada", "wrote about the Q1 role").exit_code == 0
    assert listed(run, monkeypatch, "2027-01-01") == []


def test_doctor_lists_a_next_line_it_cannot_place(run: Run, write_note: WriteNote) -> None:
    write_note(
        "ada",
        "name: Ada Park\n",
        "\n## Notes\n\n## Log\n\n- 2026-11-20: Next: catch up with her soon\n",
    )
    out = run("doctor").output
    assert "ada.md:9" in out
    assert "“soon” names no day" in out


# --- the property ---------------------------------------------------------------------------------

MILESTONES = ("messaged", "replied", "thanked", "checked_in", "updated")
START = date(2025, 1, 1)


@st.composite
def people(draw: st.DrawFn) -> list[Person]:
    found = []
    for number in range(draw(st.integers(1, 5))):
        values: dict[str, object] = {}
        for name in draw(st.lists(st.sampled_from(MILESTONES), unique=True, max_size=4)):
            values[name] = START + timedelta(days=draw(st.integers(0, 500)))
        if draw(st.booleans()):
            day = START + timedelta(days=draw(st.integers(0, 500)))
            values["chat"] = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
        logs = [
            START + timedelta(days=draw(st.integers(0, 500)))
            for _ in range(draw(st.integers(0, 2)))
        ]
        body = log_body(*(f"{day}: coffee" for day in logs))
        found.append(
            Person(
                file=f"/v/people/p{number}.md",
                name=f"Person {number}",
                connection=draw(st.sampled_from(["1st", "2nd"])),
                referral=draw(st.sampled_from(["", "", "asked", "agreed"])),
                raw_body=read_body(body),
                **values,  # type: ignore[arg-type]
            )
        )
    return found


CONFIG = Config(timezone="America/Chicago", keep_in_touch_days=60, keep_in_touch_per_day=100)


@settings(max_examples=60, deadline=None)
@given(people(), st.integers(200, 900), st.booleans())
def test_any_dated_touch_removes_the_item_and_an_open_item_holds_it(
    crowd: list[Person], offset: int, everything: bool
) -> None:
    now = datetime(2025, 1, 1, 15, tzinfo=UTC) + timedelta(days=offset)
    listed = due_items(crowd, [], CONFIG, now, everything=everything).items
    kept = {item.person.file for item in listed if item.kind == KEEP and item.person}
    # Open job-search items, late ones included (`due --all`): none of theirs is kept in touch.
    every = due_items(crowd, [], CONFIG, now, everything=True).items
    searching = {item.person.file for item in every if item.kind != KEEP and item.person}
    assert not kept & searching
    today = CONFIG.today(now)
    for person in crowd:
        if person.file not in kept:
            continue
        touched = [
            person._replace(raw_body=read_body(log_body(f"{today}: said hello"))),
            person._replace(checked_in=today),
        ]
        for after in touched:
            others = [after if p.file == person.file else p for p in crowd]
            again = due_items(others, [], CONFIG, now, everything=everything).items
            assert not [
                i for i in again if i.kind == KEEP and i.person and i.person.file == person.file
            ]


# --- give back --------------------------------------------------------------------------------


def test_stats_counts_help_received_given_and_asked(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note(
        "ada",
        f"name: Ada Park\n{SETTLED}referral: submitted\n",
        log_body(
            "2026-06-01: asked: an intro to someone on the data team",
            "2026-06-03: gave: introduced her to Cy",
            "2026-06-20: Gave: reviewed her conference talk",
        ),
    )
    write_note("ben", "name: Ben Okafor\n", log_body("2026-06-05: gave: answered his Go question"))
    record = json.loads(run("stats", "--json").stdout)
    assert record["give_and_take"] == [
        {"person": "Ada Park", "received": ["chatted", "referred"], "gave": 2, "asked": 1},
        {"person": "Ben Okafor", "received": [], "gave": 1, "asked": 0},
    ]
    assert record["give_and_take_total"] == {"received": 2, "gave": 3, "asked": 1}
    assert "In total" in run("stats").stdout


def test_after_your_offer_each_helper_gets_one_offer_of_help_back(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note(
        "acme",
        "name: Acme\napplication: accepted\nsteps: [2026-11-02 accepted]\n",
        folder="companies",
    )
    write_note("ada", f"name: Ada Park\ncompany: Acme\n{SETTLED}updated: 2026-11-02\n")
    write_note("cy", "name: Cy Lee\nmessaged: 2026-05-01\n")  # never helped
    # 30 days after the offer was accepted on Nov 2.
    days = ["2026-12-01", "2026-12-02", "2026-12-03"]
    assert [listed(run, monkeypatch, day) for day in days] == [
        [],
        [("give-back", "Ada Park")],
        [("give-back", "Ada Park")],
    ]
    draft = run("draft", "checkin", "ada", "--channel", "linkedin").stdout
    assert "If I can ever return the favour" in draft
    assert "taking the time to talk with me" in draft
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-12-03T09:00:00-06:00")
    assert (
        run("log", "ada", "gave: offered to review her team's interview questions").exit_code == 0
    )
    assert listed(run, monkeypatch, "2026-12-03") == []


def test_help_back_waits_for_the_news_and_its_draft_is_made_for_a_referrer_with_nothing_dated(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A referral agreed at the company whose offer you accepted, nothing else dated: first the
    news (`draft offer`), and the offer of help back 30 days after it went out, drafted."""
    write_note(
        "acme",
        "name: Acme\napplication: accepted\nsteps: [2026-10-01 accepted]\n",
        folder="companies",
    )
    write_note("kim", "name: Kim Lee\ncompany: Acme\nreferral: agreed\n")
    assert listed(run, monkeypatch, "2026-11-02") == [("accepted", "Kim Lee")]
    assert run("mark", "kim", "updated", "--on", "2026-11-02").exit_code == 0
    days = ["2026-12-01", "2026-12-02", "2026-12-03"]
    assert [listed(run, monkeypatch, day) for day in days] == [
        [],
        [("give-back", "Kim Lee")],
        [("give-back", "Kim Lee")],
    ]
    drafted = run("draft", "checkin", "kim")
    assert drafted.exit_code == 0, drafted.stderr
    assert "Thank you again for offering to refer me." in drafted.stdout


# --- introductions ----------------------------------------------------------------------------


def test_intros_pair_people_who_share_something_in_a_stable_order(
    run: Run, write_note: WriteNote
) -> None:
    known = "replied: 2026-10-01\n"
    write_note("ada", f"name: Ada Park\ncompany: Acme\nschool: UIC\nprevious: [Braintree]\n{known}")
    write_note(
        "ben", f"name: Ben Okafor\ncompany: Bolt\nschool: UIC\nprevious: [Braintree]\n{known}"
    )
    write_note("cy", f"name: Cy Lee\ncompany: Corto\ncommon: [climbing]\n{known}")
    write_note(
        "dee", f"name: Dee Ray\ncompany: Dune\ncommon: [Climbing]\nmutual: [Cy Lee]\n{known}"
    )
    write_note("eve", f"name: Eve Moss\ncompany: Evo\nschool: UIC\n{known}")
    write_note("fay", "name: Fay Lund\ncompany: Fin\nschool: UIC\n")  # not yet in touch
    write_note("gus", f"name: Gus Hart\ncompany: Acme\nschool: UIC\n{known}")  # Ada's colleague
    first = run("next", "--intros").stdout
    assert first.splitlines() == [
        "Ada Park + Ben Okafor: both studied at UIC; both worked at Braintree",
        "Ada Park + Eve Moss: both studied at UIC",
        "Ben Okafor + Eve Moss: both studied at UIC",
        "Ben Okafor + Gus Hart: both studied at UIC",
        "Eve Moss + Gus Hart: both studied at UIC",
    ]  # Cy and Dee share climbing but are linked by `mutual`
    assert run("next", "--intros").stdout == first
    record = json.loads(run("next", "--intros", "--json", "--count", "1").stdout)["pairs"]
    assert record == [
        {
            "people": ["Ada Park", "Ben Okafor"],
            "files": ["people/ada.md", "people/ben.md"],
            "shared": ["both studied at UIC", "both worked at Braintree"],
        }
    ]


# --- job changes ----------------------------------------------------------------------------

EXPORT = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Park,https://www.linkedin.com/in/ada-park,,{company},{role},14 Mar 2025\n"
)


def test_a_reimport_with_a_new_company_keeps_the_old_and_asks_for_a_congratulation(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch, vault: Path
) -> None:
    path = write_note(
        "ada",
        f"name: Ada Park\ncompany: Acme\nrole: Engineer\n"
        f"linkedin: https://www.linkedin.com/in/ada-park\n{SETTLED}",
        log_body("2026-05-10: coffee"),
    )
    export = vault / "Connections.csv"
    export.write_text(EXPORT.format(company="Bolt", role="Staff Engineer"))
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-12-01T09:00:00-06:00")
    assert "differs   Ada Park: role (Engineer → Staff Engineer), company (Acme → Bolt)" in (
        run("import", "linkedin", str(export)).output
    )
    assert listed(run, monkeypatch, "2026-12-01") == [(KEEP, "Ada Park")]  # nothing taken
    assert run("import", "linkedin", str(export), "--update").exit_code == 0
    text = path.read_text()
    assert "company: Bolt\n" in text
    assert "previous: [Acme]" in text or "previous:\n  - Acme" in text
    assert "- 2026-12-01: moved: Engineer at Acme → Staff Engineer at Bolt\n" in text
    assert listed(run, monkeypatch, "2026-12-01") == [("moved", "Ada Park")]
    assert listed(run, monkeypatch, "2026-12-02") == [("moved", "Ada Park")]
    shown = run("show", "ada").stdout
    assert "moved 2026-12-01  Engineer at Acme → Staff Engineer at Bolt" in shown
    draft = run("draft", "checkin", "ada", "--channel", "linkedin").stdout
    assert "Congratulations on the new role as Staff Engineer at Bolt!" in draft
    assert run("import", "linkedin", str(export), "--update").exit_code == 0
    assert path.read_text() == text  # again: nothing more
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-12-02T09:00:00-06:00")
    assert run("mark", "ada", "checked_in").exit_code == 0
    assert listed(run, monkeypatch, "2026-12-02") == []


# --- messages in season -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "day", "expected"),
    [
        # Messaged Nov 19: a week on is Thanksgiving in the US, Nov 26; then Friday.
        ("Fargo, North Dakota, United States", "2026-11-26", []),
        ("Fargo, North Dakota, United States", "2026-11-27", [("nudge", "Kim Lee")]),
        # In Berlin Nov 26 is a working day.
        ("Berlin, Germany", "2026-11-26", [("nudge", "Kim Lee")]),
    ],
)
def test_a_nudge_moves_off_their_public_holiday(
    run: Run,
    write_note: WriteNote,
    monkeypatch: pytest.MonkeyPatch,
    location: str,
    day: str,
    expected: list[tuple[str, str]],
) -> None:
    write_note("kim", f"name: Kim Lee\nlocation: {location}\nmessaged: 2026-11-19\n")
    assert listed(run, monkeypatch, day) == expected
    if expected and location.startswith("Fargo"):
        (item,) = json.loads(run("due", "--json").stdout)["due"]
        assert item["what"].endswith("moved to Fri Nov 27: Thu Nov 26 is Thanksgiving Day (US)")
        # The next Monday it is late from the Friday, and why it waited is no news any more.
        monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-30T09:00:00-06:00")
        (item,) = json.loads(run("due", "--json").stdout)["due"]
        assert (item["due"], item["what"]) == (
            "2026-11-27",
            "no reply from Kim Lee since 2026-11-19",
        )


def test_a_nudge_on_their_weekend_waits_for_their_working_week(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Messaged Sun Nov 15: a week on is a Sunday; Noa works Sunday to Thursday.
    write_note("noa", "name: Noa Levi\nwork_hours: Sun-Thu 9-17\nmessaged: 2026-11-15\n")
    write_note("ben", "name: Ben Okafor\nmessaged: 2026-11-15\n")
    assert listed(run, monkeypatch, "2026-11-22") == [("nudge", "Noa Levi")]
    # By Monday Noa's is a day late; Ben's, moved off his Sunday, is due that day.
    assert listed(run, monkeypatch, "2026-11-23") == [
        ("nudge", "Noa Levi"),
        ("nudge", "Ben Okafor"),
    ]
