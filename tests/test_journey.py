"""The journey: where each application stands, and each person's part in it, read the same way
by the stage, the sheet, the daily list, the counts and the drafts.

Each test is one situation a job-seeker meets after a call, on Monday 2026-11-23 unless it
says otherwise, in a vault built in the test: a company note keeps the application
(`application:`, `steps:`), person notes keep what each person did.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.model.journey import journey_of, read_step
from coffeechat.model.note import APPLICATION_STATUSES
from conftest import Run, WriteNote

CONFIG = (
    'name = "Sam Rivera"\nemail = "sam@example.com"\ntimezone = "America/Chicago"\n'
    'looking_for = "backend roles"\n'
)
CHAT = "chat: 2026-11-02T10:00:00-06:00\nthanked: 2026-11-03\nconnected: 2026-11-03\n"


@pytest.fixture(autouse=True)
def _settings(vault: Path) -> None:
    (vault / "coffeechat.toml").write_text(CONFIG)


def company(write_note: WriteNote, stem: str, keys: str) -> None:
    write_note(stem, keys, body="\n", folder="companies")


def items(run: Run, *args: str) -> list[tuple[str, str, str]]:
    """(kind, who, command) of each item `due` lists, but Monday's coverage gaps."""
    listed = json.loads(run("due", "--json", *args).stdout)["due"]
    return [
        (i["kind"], i["person"] or i["company"], i["command"])
        for i in listed
        if i["kind"] != "coverage"
    ]


def test_a_referrer_after_a_final_round_rejection(run: Run, write_note: WriteNote) -> None:
    company(
        write_note,
        "sarnia",
        "name: Sarnia Robotics\napplication: rejected\nsteps:\n  - 2026-11-04 applied\n"
        "  - 2026-11-12 interviewing (final round)\n  - 2026-11-20 rejected\n",
    )
    write_note(
        "lukas",
        f"name: Lukas Brenner\ncompany: Sarnia Robotics\nemail: l@x.example\n{CHAT}"
        "referral: submitted\n",
    )
    assert run("list").stdout.split("\n")[1].split()[-2] == "closed"
    sheet = run("prep", "lukas").stdout
    assert (
        "> **Closed: the application at Sarnia Robotics has ended (they said no), so this sheet "
        "has no ask.**" in sheet
    )
    assert "you have not applied yet" not in sheet
    assert "Ask about the referral" not in sheet
    assert items(run) == [
        ("update", "Lukas Brenner", "coffeechat draft update lukas"),
    ]
    update = run("draft", "update", "lukas")
    assert "Sarnia Robotics decided not to move forward with my application this time" in (
        update.stdout
    )
    assert "Thank you for your referral." in update.stdout
    applications = json.loads(run("stats", "--json").stdout)["applications"]
    assert [(s["step"], s["count"]) for s in applications] == [
        ("applied", 1),
        ("interview", 1),  # the final round was an interview, whatever came after
        ("offer", 0),
        ("accepted", 0),
    ]


def test_the_hiring_manager_of_your_own_onsite(run: Run, write_note: WriteNote) -> None:
    company(write_note, "tide", "name: Tidewater Health\napplication: interviewing\n")
    write_note(
        "deshawn",
        "name: DeShawn Price\ncompany: Tidewater Health\nkind: manager\nloop: hiring-manager\n"
        "messaged: 2026-11-18\nreplied: 2026-11-22\n",
    )
    sheet = run("prep", "deshawn").stdout
    assert (
        "> **DeShawn is the hiring manager of your own application at Tidewater Health: keep "
        "to the conversation; nothing on referrals or applying.**" in sheet
    )
    assert "Is there a place on your team" not in sheet
    assert "How would you like me to apply" not in sheet


def test_the_friend_who_introduced_you_while_you_interview_there(
    run: Run, write_note: WriteNote
) -> None:
    company(write_note, "tide", "name: Tidewater Health\napplication: interviewing\n")
    write_note("omar", "name: Omar Farouk\ncompany: Tidewater Health\nconnection: 1st\n")
    sheet = run("prep", "omar").stdout
    assert "You are interviewing there: no referral ask, and nothing on how to apply." in sheet
    assert "Would you be comfortable referring me" not in sheet


def test_an_offer_received_is_not_an_offer_accepted(run: Run, write_note: WriteNote) -> None:
    company(
        write_note,
        "cobalt",
        "name: Cobalt Ledger\napplication: offer\nsteps:\n  - 2026-11-20 offer\n"
        "decide_by: 2026-12-01\n",
    )
    write_note(
        "arvind",
        "name: Arvind Krishnan\ncompany: Cobalt Ledger\nemail: a@x.example\n"
        "chat: 2026-11-05T10:00:00-06:00\nthanked: 2026-11-06\nconnected: 2026-11-06\n"
        "referral: submitted\n",
    )
    refused = run("draft", "offer", "arvind")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: you have an offer from Cobalt Ledger but have not accepted it: `coffeechat "
        'company step "Cobalt Ledger" accepted` once you do; `coffeechat draft update arvind` '
        "tells them about the offer\n"
    )
    update = run("draft", "update", "arvind").stdout
    assert "Cobalt Ledger has made me an offer" in update
    assert "accepted" not in update
    sheet = run("prep", "arvind").stdout
    assert "You have an offer from them (answer by Tue Dec 1): nothing to ask." in sheet
    assert items(run) == [("update", "Arvind Krishnan", "coffeechat draft update arvind")]


def test_the_offer_comes_up_before_its_answer_is_due(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    company(
        write_note,
        "cobalt",
        "name: Cobalt Ledger\napplication: offer\nsteps:\n  - 2026-11-20 offer\n"
        "decide_by: 2026-11-26\n",
    )
    assert ("decide", "Cobalt Ledger") not in [item[:2] for item in items(run)]
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-24T09:00:00-06:00")
    assert items(run) == [
        ("decide", "Cobalt Ledger", 'coffeechat company step "Cobalt Ledger" accepted')
    ]


@pytest.mark.parametrize(
    ("steps", "elsewhere", "asked"),
    [
        ("  - 2026-11-20 offer\n", "", True),
        ("  - 2026-11-20 offer\n  - 2026-11-23 declined\n", "", False),  # answered: no
        ("  - 2026-11-20 offer\n  - 2026-11-23 accepted\n", "", False),  # answered: yes
        ("  - 2026-11-20 offer\n", "accepted", False),  # another offer taken
        ("  - 2026-11-20 offer\n", "offer", True),  # two offers: each waits for its answer
    ],
)
def test_an_offer_is_asked_about_only_while_it_waits_for_your_answer(
    run: Run,
    write_note: WriteNote,
    monkeypatch: pytest.MonkeyPatch,
    steps: str,
    elsewhere: str,
    asked: bool,
) -> None:
    """`decide_by` stays in the note once you answer; the question goes."""
    company(write_note, "cobalt", f"name: Cobalt Ledger\nsteps:\n{steps}decide_by: 2026-11-26\n")
    if elsewhere:
        company(write_note, "tide", f"name: Tidewater Health\napplication: {elsewhere}\n")
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-24T09:00:00-06:00")
    assert (("decide", "Cobalt Ledger") in [item[:2] for item in items(run)]) is asked


def test_a_chat_after_the_interview_invitation_is_not_credited(
    run: Run, write_note: WriteNote
) -> None:
    company(
        write_note,
        "tide",
        "name: Tidewater Health\napplication: interviewing\nsteps:\n  - 2026-11-07 applied\n"
        "  - 2026-11-12 interviewing\n",
    )
    write_note(
        "wes",
        "name: Wes Calloway\ncompany: Tidewater Health\nemail: w@x.example\n"
        "chat: 2026-11-18T10:00:00-06:00\nthanked: 2026-11-19\nconnected: 2026-11-19\n",
    )
    assert items(run) == []
    refused = run("draft", "update", "wes")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: Wes Calloway helped after Tidewater Health's application reached interviewing "
        "(2026-11-12): it is not theirs to be thanked for; --force to draft it anyway\n"
    )


def test_an_interim_update_does_not_silence_the_final_one(run: Run, write_note: WriteNote) -> None:
    steps = "steps:\n  - 2026-11-04 applied\n  - 2026-11-10 interviewing\n"
    company(write_note, "tide", f"name: Tidewater Health\napplication: interviewing\n{steps}")
    nadia = f"name: Nadia Haddad\ncompany: Tidewater Health\n{CHAT}referral: submitted\n"
    write_note("nadia", nadia + "updated: 2026-11-11\n")
    assert items(run) == []  # told of the interview
    company(
        write_note,
        "tide",
        f"name: Tidewater Health\napplication: rejected\n{steps}  - 2026-11-20 rejected\n",
    )
    assert items(run) == [("update", "Nadia Haddad", "coffeechat draft update nadia")]


@pytest.mark.parametrize(
    ("updated", "owed"),
    [("2026-11-09", True), ("2026-11-10", False), ("2026-11-11", False)],
)
def test_told_on_the_day_of_the_interview_is_told(
    run: Run, write_note: WriteNote, updated: str, owed: bool
) -> None:
    """The day before the interview, the news was not yet yours to tell; on its day it was."""
    steps = "steps:\n  - 2026-11-04 applied\n  - 2026-11-10 interviewing\n"
    company(write_note, "tide", f"name: Tidewater Health\napplication: interviewing\n{steps}")
    nadia = f"name: Nadia Haddad\ncompany: Tidewater Health\n{CHAT}updated: {updated}\n"
    write_note("nadia", nadia)
    assert (items(run) == [("update", "Nadia Haddad", "coffeechat draft update nadia")]) is owed


@pytest.mark.parametrize(
    ("chat", "owed"),
    [("2026-11-09", True), ("2026-11-10", True), ("2026-11-11", False)],
)
def test_a_chat_on_the_day_of_the_interview_helped_it(
    run: Run, write_note: WriteNote, chat: str, owed: bool
) -> None:
    """A coffee chat the morning of the interview counts as help before it; the day after
    does not."""
    steps = "steps:\n  - 2026-11-04 applied\n  - 2026-11-10 interviewing\n"
    company(write_note, "tide", f"name: Tidewater Health\napplication: interviewing\n{steps}")
    write_note(
        "nadia",
        f"name: Nadia Haddad\ncompany: Tidewater Health\nchat: {chat}T08:00:00-06:00\n"
        f"thanked: {chat}\nconnected: {chat}\n",
    )
    update = ("update", "Nadia Haddad", "coffeechat draft update nadia")
    assert (update in items(run)) is owed


def test_the_introducer_hears_how_the_application_went(run: Run, write_note: WriteNote) -> None:
    company(
        write_note,
        "tide",
        "name: Tidewater Health\napplication: interviewing\nsteps:\n  - 2026-11-20 interviewing\n",
    )
    write_note(
        "omar",
        "name: Omar Farouk\ncompany: Chai Cloud\nconnection: 1st\n"
        "thanked: 2026-11-04\nemail: o@x.example\n",
    )
    write_note(
        "nadia",
        f'name: Nadia Haddad\ncompany: Tidewater Health\nintroduced_by: "[[omar]]"\n'
        f"messaged: 2026-11-01\n{CHAT}updated: 2026-11-21\n",
    )
    assert items(run) == [
        ("update", "Omar Farouk", 'coffeechat draft update omar --at "Tidewater Health"')
    ]
    thanks = run("draft", "introducer", "omar").stdout
    assert "Thank you for introducing me to Nadia Haddad." in thanks
    update = run("draft", "update", "omar", "--at", "Tidewater Health").stdout
    assert "Good news: Tidewater Health has invited me to interview." in update
    assert "Thank you for your introduction to Nadia Haddad." in update


def test_a_thank_you_owed_never_goes_quiet(run: Run, write_note: WriteNote) -> None:
    write_note("fernanda", "name: Fernanda Costa\nchat: 2026-10-20T10:00:00-06:00\n")
    assert ("thanks", "Fernanda Costa", "coffeechat draft thanks fernanda") in items(run)


def test_a_referral_asked_and_unanswered_gets_one_check_in(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    ben = "name: Ben Okafor\nemail: b@x.example\nchat: 2026-11-19T10:00:00-06:00\n"
    ben += "thanked: 2026-11-20\nconnected: 2026-11-20\nreferral: asked\n"
    write_note("ben", ben)
    assert items(run) == []  # asked on the 19th: the check-in is due five days on
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-24T09:00:00-06:00")
    assert items(run) == [("referral", "Ben Okafor", "coffeechat draft checkin ben")]
    assert "about a referral" in run("draft", "checkin", "ben").stdout
    write_note("ben", ben + "checked_in: 2026-11-24\n")
    assert items(run) == []


def test_what_a_referral_needs_after_the_thank_you_went_out(
    run: Run, write_note: WriteNote
) -> None:
    write_note(
        "tyler",
        "name: Tyler Brandt\nemail: t@x.example\nchat: 2026-11-19T10:00:00-06:00\n"
        "thanked: 2026-11-20\nconnected: 2026-11-20\nreferral: agreed\n",
    )
    assert items(run)[0] == ("send", "Tyler Brandt", "coffeechat draft send tyler")
    sent = run("draft", "send", "tyler")
    assert "Thank you again for offering to refer me at your company." in sent.stdout
    # No resume set and no posting known: the draft says what to add before sending.
    assert "Note: set `resume` in coffeechat.toml (a link, or the file you attach).\n" in (
        sent.stderr
    )
    assert sent.stderr.endswith("Once sent: coffeechat mark tyler sent\n")


def test_outreach_after_a_rejection_says_so(run: Run, write_note: WriteNote) -> None:
    company(
        write_note,
        "sarnia",
        "name: Sarnia Robotics\nposition: Data Engineer\nposting: https://x.example/job\n"
        "application: rejected\ninterest: I use your telemetry tools at work.\n",
    )
    write_note("tobias", "name: Tobias Kraus\ncompany: Sarnia Robotics\nemail: t@x.example\n")
    text = run("draft", "outreach", "tobias").stdout
    assert "I've applied for the Data Engineer role" not in text
    assert (
        "I applied for the Data Engineer role at Sarnia Robotics before; it didn't work out "
        "this time, but I'd still like to understand the work there better." in text
    )


def test_an_introducer_thanked_is_not_counted_as_a_reply(run: Run, write_note: WriteNote) -> None:
    write_note("omar", "name: Omar Farouk\nconnection: 1st\nthanked: 2026-11-04\n")
    funnel = json.loads(run("stats", "--json").stdout)["funnel"]
    assert {s["step"]: s["count"] for s in funnel}["replied"] == 0


def test_an_accepted_offer_closes_every_open_thread(run: Run, write_note: WriteNote) -> None:
    company(
        write_note,
        "cobalt",
        "name: Cobalt Ledger\napplication: accepted\nsteps:\n  - 2026-11-10 offer\n"
        "  - 2026-11-20 accepted\n",
    )
    company(write_note, "tide", "name: Tidewater Health\napplication: interviewing\n")
    write_note(
        "arvind",
        f"name: Arvind Krishnan\ncompany: Cobalt Ledger\nemail: a@x.example\n{CHAT}"
        "referral: submitted\n",
    )
    write_note(
        "nadia",
        f"name: Nadia Haddad\ncompany: Tidewater Health\nemail: n@x.example\n{CHAT}"
        "referral: agreed\nsent: 2026-11-04\nchecked_in: 2026-11-10\n",
    )
    write_note("greg", "name: Greg Sorensen\ncompany: Tidewater Health\nmessaged: 2026-11-20\n")
    assert sorted(items(run)) == [
        ("accepted", "Arvind Krishnan", "coffeechat draft offer arvind"),
        ("accepted", "Nadia Haddad", "coffeechat draft hold nadia"),
        # Nadia is asked to hold her referral; nobody there has your application in hand,
        # so you withdraw on the company's own page and record it.
        ("withdraw", "Tidewater Health", 'coffeechat company step "Tidewater Health" withdrawn'),
    ]
    assert run("list", "--stage", "closed").stdout.count("\n") == 4  # header + all three
    offer = run("draft", "offer", "arvind")
    assert (
        "I've accepted an offer at Cobalt Ledger, so it looks like we'll be colleagues soon!"
        in (offer.stdout)
    )
    assert "Ask them to hold a referral that is not in yet:\n  coffeechat draft hold nadia\n" in (
        offer.stderr
    )
    hold = run("draft", "hold", "nadia").stdout
    assert "please don't go ahead with the referral at Tidewater Health" in hold
    withdraw = run("draft", "withdraw", "nadia").stdout  # if you write to her all the same
    assert "I've accepted an offer at Cobalt Ledger, so I'm withdrawing my application" in withdraw
    assert run("next").stderr == (
        "You accepted the offer at Cobalt Ledger: nobody new to contact.\n"
    )


def test_company_step_records_a_dated_step(run: Run, write_note: WriteNote, vault: Path) -> None:
    company(write_note, "tide", "name: Tidewater Health   # the Boston one\n")
    result = run("company", "step", "tide", "applied", "--on", "2026-11-07")
    assert result.stdout == (
        "companies/tide.md: application: applied; steps: [2026-11-07 applied]; "
        "applied: 2026-11-07\n"
    )
    run("company", "step", "Tidewater", "interviewing", "--note", "onsite on Dec 2")
    assert (vault / "companies" / "tide.md").read_text() == (
        "---\nname: Tidewater Health   # the Boston one\napplication: interviewing\nsteps:\n"
        "  - 2026-11-07 applied\n  - 2026-11-23 interviewing onsite on Dec 2\n"
        "applied: 2026-11-07\n---\n\n"
    )
    unknown = run("company", "step", "nowhere", "applied")
    assert (unknown.exit_code, unknown.stderr) == (
        1,
        "Error: no company note matches `nowhere`; `coffeechat companies` lists them, "
        "`coffeechat company add NAME` makes one\n",
    )


# --- properties over generated notes and clocks ---------------------------------------------------

DAYS = st.dates(min_value=date(2026, 10, 1), max_value=date(2026, 12, 31))


@st.composite
def situations(draw: st.DrawFn) -> dict[str, object]:
    statuses = draw(st.lists(st.sampled_from(APPLICATION_STATUSES), min_size=0, max_size=4))
    start = draw(DAYS)
    steps = [f"{start + timedelta(days=7 * i)} {s}" for i, s in enumerate(statuses)]
    return {
        "steps": steps,
        "referral": draw(st.sampled_from(["", "asked", "agreed", "submitted", "declined"])),
        "chat": draw(st.one_of(st.none(), DAYS)),
        "messaged": draw(st.one_of(st.none(), DAYS)),
        "replied": draw(st.one_of(st.none(), DAYS)),
        "updated": draw(st.one_of(st.none(), DAYS)),
        "today": draw(DAYS),
    }


def _write(vault: Path, case: dict[str, object]) -> None:
    steps = "".join(f"  - {line}\n" for line in case["steps"])  # type: ignore[attr-defined]
    status = case["steps"][-1].split()[1] if case["steps"] else ""  # type: ignore[index]
    (vault / "companies" / "acme.md").write_text(
        "---\nname: Acme\n" + (f"application: {status}\nsteps:\n{steps}" if steps else "") + "---\n"
    )
    keys = "name: Kim Lee\ncompany: Acme\nemail: k@x.example\n"
    for key in ("messaged", "replied", "updated"):
        if case[key]:
            keys += f"{key}: {case[key]}\n"
    if case["chat"]:
        keys += f"chat: {case['chat']}T10:00:00-06:00\n"
    if case["referral"]:
        keys += f"referral: {case['referral']}\n"
    (vault / "people" / "kim.md").write_text(f"---\n{keys}---\n\n## Notes\n\n## Log\n")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=situations())
def test_a_closed_contact_is_never_nudged_offered_times_or_asked(
    run: Run, vault: Path, monkeypatch: pytest.MonkeyPatch, case: dict[str, object]
) -> None:
    _write(vault, case)
    monkeypatch.setenv("COFFEECHAT_NOW", f"{case['today']}T09:00:00-06:00")
    stage = json.loads(run("show", "kim", "--json").stdout)["stage"]
    kinds = {kind for kind, _, _ in items(run, "--all")}
    if stage == "closed":
        assert not kinds & {"nudge", "slots"}
        assert "Ask about the referral" not in run("prep", "kim").stdout
    # Every item listed names a command that, run as printed, works (drafts included).
    for _, _, command in items(run, "--all"):
        words = command.split()
        if words[1] == "draft":
            result = run(*words[1:])
            assert result.exit_code == 0, (command, result.stderr)


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.tuples(DAYS, st.sampled_from(APPLICATION_STATUSES)), min_size=1, max_size=4),
    chat=DAYS,
)
def test_no_update_credits_help_that_came_after_the_step(
    steps: list[tuple[date, str]], chat: date
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from coffeechat.model.note import Company, Person

    lines = tuple(f"{day} {status}" for day, status in sorted(steps))
    acme = Company(file="/v/companies/acme.md", name="Acme", steps=lines)
    zone = ZoneInfo("America/Chicago")
    moment = datetime(chat.year, chat.month, chat.day, 10, tzinfo=zone)
    kim = Person(file="/v/people/kim.md", name="Kim Lee", company="Acme", chat=moment)
    now = datetime(2027, 1, 15, 9, tzinfo=zone)
    journey = journey_of([kim], [acme], now, zone)
    for application, step in journey.news_for(kim):
        assert step.day is None or chat <= step.day
        assert read_step(f"{step.day} {step.status}") == step.__class__(step.day, step.status)
        assert application.company == "Acme"


def test_the_example_vault_from_an_offer_to_its_close_out(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk-through of docs/journey.md, on the example vault."""
    step = run(
        "company", "step", "Fjord Health", "offer", "--decide-by", "2026-11-27", root=example_vault
    )
    assert step.exit_code == 0
    listed = run("due", root=example_vault).stdout
    assert (
        "update    tell Hannah Lindqvist how it went at Fjord Health (offer on 2026-11-23) "
        "(today)\n          coffeechat draft update hannah-lindqvist\n" in listed
    )
    assert "thinking the offer over" in run("draft", "update", "hannah", root=example_vault).stdout
    assert run("draft", "offer", "hannah", root=example_vault).exit_code == 1
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-25T09:00:00-06:00")
    assert (
        "decide    answer Fjord Health's offer by 2026-11-27"
        in run("due", root=example_vault).stdout
    )
    run("company", "step", "fjord", "accepted", root=example_vault)
    closing = [
        line
        for line in run("due", root=example_vault).stdout.splitlines()
        if line.startswith("accepted")
    ]
    assert closing == [
        "accepted  ask Marcus Webb to hold the referral: you accepted the offer at Fjord Health "
        "(today)",
        "accepted  tell Arjun Mehta you accepted the offer at Fjord Health, and thank them (today)",
        "accepted  tell Derek Lund you accepted the offer at Fjord Health, and thank them (today)",
        "accepted  tell Hannah Lindqvist you accepted the offer at Fjord Health, and thank them "
        "(today)",
        "accepted  tell Karen Olson you accepted the offer at Fjord Health, and thank them (today)",
    ]
    everyone = json.loads(run("list", "--json", root=example_vault).stdout)["people"]
    assert {person["stage"] for person in everyone} == {"closed"}


def test_your_own_hiring_manager_is_not_told_how_it_goes(run: Run, write_note: WriteNote) -> None:
    company(
        write_note,
        "orchard",
        "name: Orchard Ledger\napplication: offer\nsteps:\n  - 2026-11-05 interviewing\n"
        "  - 2026-11-20 offer\n",
    )
    write_note(
        "grace",
        f"name: Grace Liu\ncompany: Orchard Ledger\nemail: g@x.example\nloop: hiring-manager\n"
        f"{CHAT}",
    )
    assert items(run) == []
    refused = run("draft", "update", "grace")
    assert refused.stderr == (
        "Error: Grace Liu is part of your own application (`loop: hiring-manager`): they know "
        "how it stands; --force to draft it anyway\n"
    )


def test_a_second_round_is_no_new_news(run: Run, write_note: WriteNote) -> None:
    company(
        write_note,
        "orchard",
        "name: Orchard Ledger\napplication: interviewing\nsteps:\n"
        "  - 2026-11-05 interviewing (recruiter screen)\n  - 2026-11-20 interviewing (onsite)\n",
    )
    write_note(
        "tomasz",
        "name: Tomasz Zielinski\ncompany: Orchard Ledger\nchat: 2026-10-20T10:00:00-06:00\n"
        "thanked: 2026-10-21\nconnected: 2026-10-21\nreferral: submitted\nupdated: 2026-11-06\n",
    )
    write_note(  # a chat after the first invitation is not credited for the second round
        "ines",
        "name: Ines Barros\ncompany: Orchard Ledger\nchat: 2026-11-10T10:00:00-06:00\n"
        "thanked: 2026-11-11\nconnected: 2026-11-11\n",
    )
    assert items(run) == []


def test_hold_asks_nothing_of_someone_who_never_agreed(run: Run, write_note: WriteNote) -> None:
    company(write_note, "orchard", "name: Orchard Ledger\napplication: accepted\n")
    write_note(
        "sunita",
        f"name: Sunita Rao\ncompany: Bramble Health\nemail: s@x.example\n{CHAT}referral: asked\n",
    )
    text = run("draft", "hold", "sunita").stdout
    assert "so there's no need to look into a referral at Bramble Health" in text
    assert "willing to put my name forward" not in text


def test_an_introducer_elsewhere_is_not_asked_about_their_team(
    run: Run, write_note: WriteNote
) -> None:
    company(
        write_note,
        "halyard",
        "name: Halyard Freight\napplication: rejected\nsteps:\n  - 2026-11-20 rejected\n",
    )
    write_note("dana", "name: Dana Whitcomb\ncompany: Groupon\nemail: d@x.example\n")
    write_note(
        "kofi",
        f'name: Kofi Mensah\ncompany: Halyard Freight\nintroduced_by: "[[dana]]"\n'
        f"messaged: 2026-10-30\n{CHAT}updated: 2026-11-21\n",
    )
    text = run("draft", "update", "dana", "--at", "Halyard Freight").stdout
    assert "Thank you for your introduction to Kofi Mensah." in text
    assert "your team" not in text


def test_no_coverage_gaps_at_a_closed_company_or_after_an_accepted_offer(
    run: Run, write_note: WriteNote
) -> None:
    company(write_note, "halyard", "name: Halyard Freight\napplication: rejected\n")
    company(write_note, "tide", "name: Tidewater Health\nstatus: target\n")
    listed = json.loads(run("due", "--json").stdout)["due"]
    assert [i["company"] for i in listed if i["kind"] == "coverage"] == ["Tidewater Health"]
    company(write_note, "orchard", "name: Orchard Ledger\napplication: accepted\n")
    listed = json.loads(run("due", "--json").stdout)["due"]
    assert [i for i in listed if i["kind"] == "coverage"] == []


# --- company step, held against hostile input ------------------------------------------------


def test_company_step_refuses_rather_than_lose_steps_it_cannot_read(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    company(
        write_note,
        "acme",
        "name: Acme\nsteps:\n  - 2026-11-01 applied   # first one\n"
        "  - {day: 2026-11-05, status: interviewing}\n",
    )
    before = (vault / "companies" / "acme.md").read_bytes()
    result = run("company", "step", "acme", "offer", "--on", "2026-11-20")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: companies/acme.md:")
    assert "the steps written there would be lost" in result.stderr
    assert (vault / "companies" / "acme.md").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--note", "n" * 201], "a step's note is 201 characters; keep it under 200"),
        (["--on", "2026-11-24"], "2026-11-24 is after today: record a step once it has happened"),
    ],
    ids=["long-note", "future"],
)
def test_company_step_refuses_what_it_could_not_read_back(
    run: Run, write_note: WriteNote, args: list[str], message: str
) -> None:
    company(write_note, "acme", "name: Acme\n")
    result = run("company", "step", "acme", "interviewing", *args)
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")


def test_a_step_recorded_late_does_not_move_the_application_back(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    company(write_note, "delta", "name: Delta\n")
    run("company", "step", "delta", "interviewing", "--on", "2026-11-18")
    run("company", "step", "delta", "applied", "--on", "2026-11-01")
    text = (vault / "companies" / "delta.md").read_text()
    assert "application: interviewing\n" in text
    assert "  - 2026-11-01 applied\n" in text


def test_no_message_claims_an_offer_that_was_not_accepted(run: Run, write_note: WriteNote) -> None:
    company(write_note, "cobalt", "name: Cobalt Ledger\napplication: offer\n")
    write_note(
        "arvind",
        f"name: Arvind Krishnan\ncompany: Lumen Pay\nemail: a@x.example\n{CHAT}"
        "referral: agreed\nsent: 2026-11-04\n",
    )
    offer = run("draft", "offer", "arvind", "--at", "Cobalt Ledger")
    assert offer.stderr == (
        "Error: no accepted offer at Cobalt Ledger: `coffeechat company step "
        '"Cobalt Ledger" accepted` records it once you accept\n'
    )
    hold = run("draft", "hold", "arvind")
    assert hold.exit_code == 1
    assert "no accepted offer" in hold.stderr


def test_a_printed_command_never_runs_what_a_company_name_holds(
    run: Run, write_note: WriteNote
) -> None:
    name = 'Q $(touch pwned) "Co"'
    company(write_note, "q", f"name: '{name}'\napplication: offer\ndecide_by: 2026-11-24\n")
    commands = [command for _, _, command in items(run)]
    assert commands == ["coffeechat company step 'Q $(touch pwned) \"Co\"' accepted"]


def test_a_closed_contact_is_asked_for_nothing_more(run: Run, write_note: WriteNote) -> None:
    company(write_note, "rho", "name: Rho\napplication: rejected\n")
    write_note(
        "ron",
        f"name: Ron Rho\ncompany: Rho\nemail: r@x.example\n{CHAT}referral: agreed\n",
    )
    assert [kind for kind, _, _ in items(run, "--all")] == ["update"]
    assert "referral" not in run("draft", "checkin", "ron").stdout  # a note to keep in touch
    assert run("draft", "send", "ron").exit_code == 1


def test_a_sheet_asks_nothing_about_applying_while_an_application_is_under_way(
    run: Run, write_note: WriteNote
) -> None:
    from coffeechat.prep.choose import ABOUT_APPLYING

    company(write_note, "orchard", "name: Orchard Ledger\napplication: interviewing\n")
    write_note("beth", "name: Beth Aranda\ncompany: Orchard Ledger\nkind: recruiter\n")
    write_note("rafa", "name: Rafa Quintero\ncompany: Tallgrass\nkind: recruiter\n")
    sheet = json.loads(run("prep", "beth", "--json", "--count", "12").stdout)
    assert not [q["text"] for q in sheet["questions"] if ABOUT_APPLYING.search(q["text"])]
    elsewhere = json.loads(run("prep", "rafa", "--json", "--count", "12").stdout)
    assert [q["text"] for q in elsewhere["questions"] if ABOUT_APPLYING.search(q["text"])]


def test_doctor_names_steps_it_cannot_read_and_a_second_accepted_offer(
    run: Run, write_note: WriteNote
) -> None:
    company(
        write_note,
        "acme",
        "name: Acme\napplication: offer\nsteps:\n  - 2026-11-01 applied\n"
        "  - 2026-02-30 offer\n  - 2026-11-10 ghosted\n  - 2026-12-01 interviewing\n",
    )
    company(write_note, "alpha", "name: Alpha\napplication: accepted\n")
    company(write_note, "beta", "name: Beta\napplication: accepted\n")
    lines = run("doctor").stdout.splitlines()
    assert (
        "companies/acme.md:6: steps: `2026-02-30 offer` is not a step; write `YYYY-MM-DD "
        "STATUS note`, STATUS one of applied, interviewing, offer, accepted, declined, "
        "rejected, withdrawn" in lines
    )
    assert "companies/acme.md:8: steps: `2026-12-01 interviewing` is after today" in lines
    assert (
        "companies/acme.md:3: application: `offer` but the last step says `applied` — record "
        "the step with `coffeechat company step`, or fix one of them" in lines
    )
    assert any(line.startswith("companies/beta.md:3: a second accepted offer") for line in lines)


def test_a_withdrawal_thanks_only_for_what_they_did(run: Run, example_vault: Path) -> None:
    refused = run("draft", "withdraw", "jonas", root=example_vault)  # never replied
    assert refused.exit_code == 1
    assert (
        "Jonas Becker has had no part in your application (no reply, chat, referral or "
        "introduction): tell those who did; --force to draft it anyway" in refused.stderr
    )
    jonas = run("draft", "withdraw", "jonas", "--force", root=example_vault).stdout
    assert "withdraw my application at Fjord Health. I hope our paths cross again." in jonas
    assert "Thank you" not in jonas
    hannah = run("draft", "withdraw", "hannah", root=example_vault).stdout
    assert "Thank you for your introduction to Chloé Martin and your referral;" in hannah


# --- from a coach's second vault ------------------------------------------------------------------


def test_the_close_out_speaks_of_each_companys_own_application(
    run: Run, write_note: WriteNote
) -> None:
    company(write_note, "marigold", "name: Marigold\napplication: accepted\n")
    company(write_note, "halcyon", "name: Halcyon\napplication: rejected\n")
    company(write_note, "beacon", "name: Beacon\napplication: offer\n")
    write_note(  # a friend at Halcyon who introduced you to Maya at Marigold
        "rosa", f"name: Rosa Lindgren\ncompany: Halcyon\nemail: r@x.example\n{CHAT}"
    )
    write_note(
        "maya",
        f'name: Maya Chen\ncompany: Marigold\nintroduced_by: "[[rosa]]"\nmessaged: 2026-11-01\n'
        f"{CHAT}",
    )
    write_note(  # her referral at Halcyon was used, and Halcyon said no
        "priyanka",
        f"name: Priyanka Das\ncompany: Halcyon\nemail: p@x.example\n{CHAT}referral: agreed\n"
        "sent: 2026-10-17\n",
    )
    write_note("grace", f"name: Grace Oduya\ncompany: Beacon\nloop: hiring-manager\n{CHAT}")
    write_note("tomas", f"name: Tomas Reyes\ncompany: Beacon\n{CHAT}referral: submitted\n")
    withdraw = run("draft", "withdraw", "rosa")
    assert withdraw.stderr == "Error: no application in process at Halcyon to withdraw\n"
    hold = run("draft", "hold", "priyanka")
    assert hold.exit_code == 1
    assert "needs no hold" in hold.stderr
    assert ("withdraw", "Grace Oduya", "coffeechat draft withdraw grace") in items(run)
    beacon = run("draft", "withdraw", "grace", "--force").stdout
    assert "I've accepted an offer at Marigold, so I won't be taking the offer from Beacon." in (
        beacon
    )
    offer = run("draft", "offer", "maya")
    assert "grace" not in offer.stderr  # who was in your own loop is not on the list to tell
    assert run("draft", "intro", "tomas").exit_code == 1


def test_no_check_in_on_a_referral_asked_once_the_process_there_is_under_way(
    run: Run, write_note: WriteNote
) -> None:
    company(write_note, "marigold", "name: Marigold\napplication: offer\n")
    write_note(
        "owen",
        "name: Owen Mbeki\ncompany: Marigold\nchat: 2026-10-27T10:00:00-06:00\n"
        "thanked: 2026-10-28\nconnected: 2026-10-28\nreferral: asked\n",
    )
    assert [kind for kind, _, _ in items(run, "--all")] == ["update"]  # the offer's news
