"""Only clean lines reach a message: a value written to them that reads as the user's own note
(an aside in brackets, "!!", a remark about them, a note to self) is left out of the draft,
named on stderr with its file:line and how to rephrase it, and never reaches an .eml or a
mailto: link; doctor names every such value, the `Thanks:` and `Next:` lines included."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from urllib.parse import unquote

import pytest

from coffeechat.model.written import note_like
from conftest import Run, WriteNote

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, where, who, text = line.split("\t")
            rows.append((label, where, who, text))
    return rows


def _scores(name: str) -> dict[str, float]:
    """Precision and recall of the check on a labelled file, for both answers: "clean"
    (reads as written to them) and "note"."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for label, where, who, text in _rows(name):
        said_note = bool(note_like(text, where == "person", who))
        is_note = label == "note"
        counts[("t" if said_note == is_note else "f") + ("p" if said_note else "n")] += 1
    tp, fp, fn, tn = counts["tp"], counts["fp"], counts["fn"], counts["tn"]
    return {
        "note precision": tp / (tp + fp),
        "note recall": tp / (tp + fn),
        "clean precision": tn / (tn + fn),
        "clean recall": tn / (tn + fp),
    }


def test_the_labelled_lines_hold_enough_of_each_kind() -> None:
    rows = _rows("written_to_them.tsv")
    assert len(rows) >= 150
    labels = [label for label, *_ in rows]
    assert labels.count("clean") >= 60
    assert labels.count("note") >= 60
    texts = [text for *_, text in rows]
    assert len(set(texts)) == len(texts)
    # The hard cases are there: "they" for a team, quotes, other people's names, numbers.
    assert sum(" they " in f" {t.lower()} " for label, _, _, t in rows if label == "clean") >= 5
    assert sum('"' in t for label, _, _, t in rows if label == "clean") >= 3
    assert sum(any(c.isdigit() for c in t) for label, _, _, t in rows if label == "clean") >= 10


def test_the_check_is_precise_on_the_labelled_lines() -> None:
    scores = _scores("written_to_them.tsv")
    assert min(scores.values()) >= 0.95, scores


def test_the_check_holds_on_lines_it_was_not_tuned_on() -> None:
    """written_to_them_heldout.tsv was written after the rules and never tuned on; it is
    the honest number (one clean line with a bracketed tip is taken for a note)."""
    scores = _scores("written_to_them_heldout.tsv")
    assert min(scores.values()) >= 0.9, scores


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("She gave the Coalesce talk on late-arriving data (great talk!!)", "`!!`"),
        ("They raised a Series A in October (saw it on TechCrunch)", "an aside in brackets"),
        ("He said the take-home is the real filter", "it speaks of them as `He`"),
        ("Ping him in a week if no word.", "it speaks of them as `him`"),
        ("Ben said the CTO decides on referrals.", "it names them, `Ben`"),
        ("Follow up about the referral next week.", "a note to yourself, `Follow up`"),
        ("Gave the keynote at DataEngConf?", "a doubt"),
        ("Series B, $40M, led by Accel", "a remark about them"),
    ],
)
def test_each_careless_form_is_named(text: str, why: str) -> None:
    assert note_like(text, True, "Ben Okafor").startswith(why)


@pytest.mark.parametrize(
    "text",
    [
        "Your point that they care more about on-call maturity than LeetCode was eye-opening.",
        "It was good to hear that they value testing as much as shipping.",
        "I'll reach out to her this week, as you suggested.",
        'Your line "ship small, ship often" is now on a sticky note on my monitor.',
        "Thank you for the introduction to Nadia Haddad.",
        "I'd be glad to send over my portfolio (three small Go services) if it helps.",
        "Would it help if I sent you my resume before Friday?",
    ],
)
def test_lines_written_to_them_pass(text: str) -> None:
    assert note_like(text, True, "Ben Okafor") == ""


def _careless(write_note: WriteNote, vault: Path) -> None:
    with (vault / "coffeechat.toml").open("a") as config:
        config.write('looking_for = "data engineering roles"\nemail = "sam@example.com"\n')
    write_note(
        "koala",
        "name: Koala Metrics\ninterest: I've used your dashboards since the beta.\n"
        "news: They raised a Series A in October (saw it on TechCrunch)\n",
        folder="companies",
    )
    write_note(
        "ben",
        "name: Ben Okafor\ncompany: Koala Metrics\nemail: ben@koala.example\nconnection: 2nd\n"
        "hook: Ben wrote the ingestion post, great read!!\n"
        "chat: 2026-11-18T17:00:00-06:00\n",
        body="\n## Notes\n\n### Call 2026-11-18\n\n- seemed tired, don't push\n"
        "- Thanks: He said the take-home is the real filter, practice SQL window functions.\n"
        "- Next: Ping him in a week if no word.\n\n## Log\n",
    )


def test_a_careless_line_is_left_out_and_the_draft_stays_whole(
    run: Run, write_note: WriteNote, vault: Path, tmp_path: Path
) -> None:
    _careless(write_note, vault)
    thanks = run("draft", "thanks", "ben", "--eml", str(tmp_path / "ben.eml"))
    assert thanks.exit_code == 0
    assert thanks.stdout == (
        "Subject: Thank you for the chat on Wednesday\n\nHi Ben,\n\n"
        "Thank you for taking the time to talk with me on Wednesday.\n\n"
        "I'll keep you posted on how things go.\n\nBest,\nSam Rivera\n"
    )
    assert (
        "Note: people/ben.md:15: left out of the draft: `Thanks: line` reads as a note (it "
        "speaks of them as `He`), not as a sentence to them: rephrase it as you would write it "
        'to them, e.g. "Your tip to practise window functions was a great help.", and it goes '
        "in.\n"
    ) in thanks.stderr
    assert "Note: people/ben.md:16: left out of the draft: `Next: line`" in thanks.stderr
    assert "no line to thank them for" not in thanks.stderr
    message = email.message_from_bytes(
        (tmp_path / "ben.eml").read_bytes(), policy=email.policy.default
    )
    sent = message.get_body().get_content()  # type: ignore[union-attr]
    assert "filter" not in sent
    assert "Ping" not in sent
    assert "take-home" not in sent
    mailto = unquote(run("draft", "thanks", "ben", "--mailto").stdout)
    assert "filter" not in mailto
    assert "Ping" not in mailto


def test_an_outreach_leaves_out_the_aside_and_keeps_the_clean_lines(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    _careless(write_note, vault)
    write_note(
        "jack",
        "name: Jack Nguyen\ncompany: Koala Metrics\nemail: jack@koala.example\n"
        "connection: cold\nhook: Your Melbourne meetup talk on event sourcing was a great "
        "introduction to it.\n",
    )
    outreach = run("draft", "outreach", "jack")
    assert outreach.exit_code == 0
    assert (
        "I'm Sam Rivera, and I'm looking into data engineering roles. Your Melbourne meetup "
        "talk on event sourcing was a great introduction to it.\n\nWould you have"
    ) in outreach.stdout
    assert "Series A" not in outreach.stdout
    assert "TechCrunch" not in outreach.stdout
    left_out = "Note: companies/koala.md:4: left out of the draft: `news` reads as a note (an aside"
    assert left_out in outreach.stderr


def test_doctor_names_every_careless_value_with_its_line(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    _careless(write_note, vault)
    run("mark", "ben", "thanked")
    out = run("doctor").stdout
    assert "companies/koala.md:4: `news` reads as a note (an aside in brackets" in out
    assert "people/ben.md:6: `hook` reads as a note (`!!`)" in out
    # Checked after the thank-you too: `draft thanks --force` would still quote them.
    assert "people/ben.md:16: `Thanks: line` reads as a note (it speaks of them as `He`)" in out
    assert "people/ben.md:17: `Next: line` reads as a note (it speaks of them as `him`)" in out


def test_a_call_written_under_prep_is_read(run: Run, write_note: WriteNote) -> None:
    """People write `### Call` under `## Prep` too: its `Thanks:` and `Next:` lines are
    quoted, and the sheet shows its notes, as if it were under `## Notes`."""
    write_note(
        "dale",
        "name: Dale Whitaker\nemail: dale@pine.example\nchat: 2026-11-20T10:00:00-06:00\n",
        body="\n## Prep\n\nWhat made you build in Bozeman?\n\n### Call 2026-11-20\n\n"
        "- Building in Bozeman was about the people, not the rent.\n"
        "- Thanks: Your story about choosing Bozeman over Seattle stayed with me.\n"
        "- Next: I'll check back in January about the Q1 role.\n\n## Notes\n\n## Log\n",
    )
    thanks = run("draft", "thanks", "dale")
    assert (
        "Thank you for taking the time to talk with me on Friday. Your story about choosing "
        "Bozeman over Seattle stayed with me.\n\nI'll check back in January about the Q1 role.\n"
    ) in thanks.stdout
    assert "no line to thank them for" not in thanks.stderr
    sheet = run("prep", "dale").stdout
    assert "## From your notes: Call 2026-11-20\n\n- Building in Bozeman was about the people" in (
        sheet
    )
    assert "`## Notes` is empty" not in run("doctor").stdout


@pytest.mark.parametrize(
    ("chat_day", "late"),
    [("2026-11-17", False), ("2026-11-16", True), ("2026-10-28", True)],
)
def test_a_late_thank_you_says_sorry_for_the_delay(
    run: Run, write_note: WriteNote, chat_day: str, late: bool
) -> None:
    """Due the day after the chat; from a week on (6 days: no, 7 days: yes, 26 days: yes)
    it opens by owning the delay, and still thanks once."""
    write_note(
        "fernanda",
        f"name: Fernanda Costa\nemail: f@cobalt.example\nchat: {chat_day}T10:00:00-06:00\n",
        body="\n## Notes\n\n### Call\n\n- Thanks: Thank you for walking me through how the "
        "São Paulo team works.\n\n## Log\n",
    )
    text = run("draft", "thanks", "fernanda").stdout
    sorry = "I'm sorry to be so slow with this note; it was good to talk with you on "
    assert (sorry in text) is late
    assert text.partition("Hi Fernanda")[2].count("Thank you") == 1
    if chat_day == "2026-10-28":
        assert (
            "I'm sorry to be so slow with this note; it was good to talk with you on October 28. "
            "Thank you for walking me through how the São Paulo team works.\n"
        ) in text
    write_note(
        "fernanda",
        f"name: Fernanda Costa\nemail: f@cobalt.example\nchat: {chat_day}T10:00:00-06:00\n",
    )
    plain = run("draft", "thanks", "fernanda").stdout
    owned = "I'm sorry to be so slow with this note. Thank you for taking the time"
    assert (owned in plain) is late
