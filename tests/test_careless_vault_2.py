"""A third vault, typed in a hurry (tests/fixtures/careless_vault_2): a name in lower case, a
recruiter's headline full of emoji, a mentor with no company, someone met at a meetup, a friend
from an earlier search kept in touch with, gave:/asked: log lines, a `Next:` promise with a
day, half-sentences and asides. Over a few weeks of its story every message the due list asks
for is drafted and clean; each flaw a coach found reading its drafts is pinned by its line."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from coffeechat.core.text import plain_title, proper_name
from conftest import Run
from test_careless_vault import _note_lines, _story

HURRIED = Path(__file__).parent / "fixtures" / "careless_vault_2"
MINNEAPOLIS = "-06:00"


@pytest.fixture
def hurried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "hurried"
    shutil.copytree(HURRIED, root, ignore=shutil.ignore_patterns(".coffeechat", "prep"))
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-11-23T09:00:00{MINNEAPOLIS}")
    return root


def test_every_draft_the_hurried_vault_asks_for_is_made_and_clean(
    run: Run, hurried: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(_note_lines(hurried)) >= 8  # careless enough to test this
    seen = _story(run, hurried, monkeypatch, MINNEAPOLIS)
    kinds = {shlex.split(command)[2] for command in seen}
    assert kinds >= {"thanks", "connect", "nudge", "checkin", "introducer", "update"}
    assert kinds >= {"offer", "hold"}


def test_a_name_typed_in_lower_case_is_written_with_its_capitals(run: Run, hurried: Path) -> None:
    outreach = run("draft", "outreach", "maya-lopez", root=hurried).stdout
    assert "\nHi Maya,\n" in outreach
    intro = run("draft", "intro", "maya-lopez", root=hurried).stdout
    assert intro.startswith("Subject: Could you introduce me to Maya Lopez?\n")
    assert "I noticed you work with Maya Lopez, frontend engineer." in intro
    assert proper_name("maya lopez") == "Maya Lopez"
    assert proper_name("liam o'connor-byrne") == "Liam O'Connor-Byrne"
    assert proper_name("DeShawn Price") == "DeShawn Price"  # written with care: kept


def test_a_profile_headline_gives_only_the_title(run: Run, hurried: Path) -> None:
    intro = run("draft", "intro", "devika-patel", root=hurried).stdout
    assert (
        "I noticed you work with Devika Patel, Talent Acquisition Partner. Would you be "
        "comfortable introducing us?"
    ) in intro
    assert plain_title("Talent Acquisition Partner 🚀 | Hiring 💼 | Dog mom 🐶") == (
        "Talent Acquisition Partner"
    )
    assert plain_title("Staff Engineer • Payments") == "Staff Engineer"
    assert plain_title("Engineering Manager, Claims Platform") == (
        "Engineering Manager, Claims Platform"
    )


def test_someone_with_no_company_is_not_asked_about_your_company(run: Run, hurried: Path) -> None:
    checkin = run("draft", "checkin", "jenna-kowalski", root=hurried).stdout
    assert "\nI hope you're well.\n\nNo need to reply; I just wanted to say hello.\n" in checkin
    forced = run("draft", "outreach", "jenna-kowalski", "--force", root=hurried).stdout
    assert forced.startswith("Subject: 20 minutes about your work?\n")
    assert "Would you have 20 minutes in the next week or two to tell me about your work?\n" in (
        forced
    )
    assert "your company" not in checkin + forced


def test_no_first_message_or_introduction_to_someone_you_already_talked_with(
    run: Run, hurried: Path
) -> None:
    outreach = run("draft", "outreach", "jenna-kowalski", root=hurried)
    assert outreach.exit_code == 1
    assert outreach.stderr == (
        "Error: your chat with Jenna Kowalski took place (2026-11-10): no first message now; "
        "coffeechat draft checkin jenna-kowalski to write to them, or --force\n"
    )
    outreach = run("draft", "outreach", "sam-whitfield", "--channel", "email", root=hurried)
    assert "Error: you messaged Sam Whitfield on 2026-11-18 already" in outreach.stderr
    intro = run("draft", "intro", "amara-okeke", root=hurried)  # not yet messaged: asked
    assert intro.exit_code == 0
    run("set", "amara-okeke", "replied=2026-11-22", root=hurried)
    intro = run("draft", "intro", "amara-okeke", root=hurried)
    assert intro.stderr == (
        "Error: Amara Okeke replied on 2026-11-22: no introduction now; "
        "coffeechat slots amara-okeke to offer times, or --force\n"
    )


def test_an_update_on_a_process_still_running_promises_more_news(run: Run, hurried: Path) -> None:
    luis = run("draft", "update", "luis-herrera", root=hurried).stdout
    assert (
        "Good news: Northwind Maps has invited me to interview for the Frontend Engineer II "
        "role. Thank you for your referral. Your help got me this far.\n\n"
        "I'll keep you posted on how it goes.\n\nBest,\n"
    ) in luis


def test_a_withdrawal_goes_only_to_who_had_a_part_in_it(run: Run, hurried: Path) -> None:
    maya = run("draft", "withdraw", "maya-lopez", root=hurried)  # never messaged
    assert maya.exit_code == 1
    assert maya.stderr == (  # to the user, the name as they typed it
        "Error: maya lopez has had no part in your application (no reply, chat, referral or "
        "introduction): tell those who did; --force to draft it anyway\n"
    )
    tom = run("draft", "withdraw", "tom-becker", root=hurried).stdout  # runs your loop
    assert (
        "I wanted to let you know that I've decided to withdraw my application at Northwind "
        "Maps. Thank you for taking the time to talk with me; I hope our paths cross again.\n"
    ) in tom


def test_an_accepted_offer_at_their_own_company_is_not_said_twice(
    run: Run, hurried: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-12-02T09:00:00{MINNEAPOLIS}")
    run("company", "step", "Northwind Maps", "accepted", "--on", "2026-11-30", root=hurried)
    luis = run("draft", "checkin", "luis-herrera", root=hurried).stdout
    assert (
        "\nI hope you're well. Some news from me: I've accepted an offer at Northwind Maps, so "
        "we'll be colleagues soon.\n"
    ) in luis


def test_an_offered_referral_is_thanked_as_an_offer_until_the_resume_goes(
    run: Run, hurried: Path
) -> None:
    carla = run("draft", "update", "carla-nguyen", root=hurried).stdout
    assert "role. Thank you for offering to refer me.\n" in carla  # it got nothing in yet
    run("mark", "carla-nguyen", "sent", root=hurried)
    carla = run("draft", "update", "carla-nguyen", root=hurried).stdout
    assert "role. Thank you for your referral. Your help got me this far.\n" in carla


def test_no_follow_up_for_a_chat_once_an_offer_is_accepted(
    run: Run, hurried: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-11-30T09:00:00{MINNEAPOLIS}")
    assert run("draft", "nudge", "greta-holm", root=hurried).exit_code == 0  # 10 days, no reply
    run("company", "step", "Northwind Maps", "accepted", root=hurried)
    greta = run("draft", "nudge", "greta-holm", root=hurried)
    assert greta.stderr == (
        "Error: you accepted the offer at Northwind Maps: no follow-up asking for a chat; "
        "--force to draft one anyway\n"
    )


def test_no_note_to_keep_in_touch_before_the_first_chat(
    run: Run, hurried: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("mark", "sam-whitfield", "chat", "--on", "2026-11-25T12:00", root=hurried)
    sam = run("draft", "checkin", "sam-whitfield", root=hurried)
    assert sam.stderr == (
        "Error: your chat with Sam Whitfield is on 2026-11-25 12:00: nothing to keep up "
        "before it; coffeechat prep sam-whitfield\n"
    )
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-11-26T09:00:00{MINNEAPOLIS}")
    assert run("draft", "checkin", "sam-whitfield", root=hurried).exit_code == 0


def test_a_sheet_for_someone_with_no_company_asks_advice_not_a_referral(
    run: Run, hurried: Path
) -> None:
    jenna = run("prep", "jenna-kowalski", root=hurried).stdout
    assert (
        "- **10 min** — Their advice\n  - Jenna has no company in your note, so there is no "
        "referral to ask for. Ask how they would go about a search for frontend engineering "
        "roles.\n"
    ) in jenna
    assert "referral=asked" not in jenna
    assert "draft update" not in jenna
    questions = [line for line in jenna.splitlines() if line[:2] in {f"{n}." for n in "123456"}]
    assert len(questions) == 6
    assert (
        "3. If you were starting my search for frontend engineering roles today, what would you "
        "do first?"
    ) in questions
    for words in ("here", "your team", "your own team", "the company", "hiring"):
        assert not any(f" {words} " in f" {q.rstrip('?')} " for q in questions), words


def test_an_introducer_thanked_after_the_search_is_promised_no_more_news(
    run: Run, hurried: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ben = run("draft", "introducer", "ben-ortiz", root=hurried).stdout
    assert "making the connection, and I'll let you know how things go.\n" in ben
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-12-02T09:00:00{MINNEAPOLIS}")
    run("company", "step", "Northwind Maps", "accepted", "--on", "2026-11-30", root=hurried)
    ben = run("draft", "introducer", "ben-ortiz", root=hurried).stdout
    assert (
        "I'm sorry to be so slow with this note. Thank you for introducing me to Carla Nguyen. "
        "I really appreciate you making the connection.\n"
    ) in ben


def test_a_promise_they_made_is_checked_for_not_kept(run: Run, hurried: Path) -> None:
    lines = run("due", "--all", root=hurried).stdout.splitlines()
    tom = lines.index(
        "promise   Tom Becker: “Tom said he'd send the loop schedule early next week” (your "
        "Next: of Tue Nov 17, next week): their word, so check it came, and ask if not (today)"
    )
    assert lines[tom + 1].strip() == (
        'coffeechat log tom-becker "came: Tom said he\'d send the loop schedule early next week"'
    )
    carla = lines.index(
        "promise   Carla Nguyen: “I'll send you my portfolio link by Friday.” (your Next: of "
        "Thu Nov 19, Friday) (3 days late)"
    )
    assert "kept: I'll send you" in lines[carla + 1]


@pytest.mark.parametrize(
    ("words", "theirs"),
    [
        ("Tom said he'd send the loop schedule early next week", True),
        ("He'll ask Hana in a week whether they do referrals", True),
        ("she will intro me to the EM on Friday", True),
        ("They promised an answer by the 15th", True),
        ("ping her in 2 weeks re: contract gig", False),
        ("I'll send you my portfolio link by Friday.", False),
        ("Check back in Feb about spring hiring", False),
        ("Thomas Hale's team starts hiring in Q1", False),  # another person, not a promise
    ],
)
def test_whose_promise_a_next_line_is(words: str, theirs: bool) -> None:
    from coffeechat.pipeline.due import _their_promise

    assert _their_promise(words, "Tom Becker") is theirs


def test_no_check_in_on_a_referral_before_your_resume_went(run: Run, hurried: Path) -> None:
    carla = run("draft", "checkin", "carla-nguyen", root=hurried)
    assert carla.stderr == (
        "Error: Carla Nguyen offered to refer you and is waiting for your resume and the "
        "posting: coffeechat draft send carla-nguyen first; --force to check in anyway\n"
    )
    run("mark", "carla-nguyen", "sent", root=hurried)
    carla = run("draft", "checkin", "carla-nguyen", root=hurried).stdout
    assert "I wanted to check in on the referral at Northwind Maps; no rush at all." in carla


def test_a_question_to_yourself_is_not_a_caution(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Grace's note: "no reply to either. not yet time to give up?" wonders; it warns of
    nothing, so her sheet's "Careful" block keeps only the real caution."""
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-23T09:00:00-07:00")
    root = tmp_path / "careless"
    careless = Path(__file__).parent / "fixtures" / "careless_vault"
    shutil.copytree(careless, root, ignore=shutil.ignore_patterns(".coffeechat", "prep"))
    grace = run("prep", "grace-kim", root=root).stdout
    careful = grace.partition("## Careful: your own notes\n\n")[2].partition("\n\n")[0]
    assert careful.splitlines() == [
        "- Onsite on Dec 3, don't tell Grace about the other loops yet."
    ]
    from coffeechat.prep.research import is_caution

    assert is_caution("not yet, wait until the onsite is done")
    assert is_caution("Don't ask about the layoffs?")


def test_a_small_studio_is_not_asked_how_its_teams_are_split(run: Run, hurried: Path) -> None:
    """Cinder Studio has 12 people (`size: 12`): its founder's sheet asks nothing on how
    the teams around hers work; a 2000-person bank's manager may still be asked it."""
    from coffeechat.model.size import is_small

    assert is_small("12")
    assert is_small("11-50")
    assert not is_small("2,000")
    rachel = run("prep", "rachel-kim", root=hurried).stdout
    questions = [line for line in rachel.splitlines() if line[:2] in {f"{n}." for n in "123456"}]
    assert len(questions) == 6
    assert "4. Which mistakes do new people make that you would warn them about?" in questions
    assert not any(("team" in q and "yours" in q) or "across teams" in q for q in questions)
