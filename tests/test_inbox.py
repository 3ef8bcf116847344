"""The inbox: lines written from a phone into inbox.md, filed into their notes by `inbox`."""

from __future__ import annotations

import difflib
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import NOW, Run, WriteNote

PRIYA = "name: Priya Raman\naliases: [PR]\ncompany: Lumen Pay\nmessaged: 2026-11-09\n"
BODY = "\n## Notes\n\n- Mention the idempotency post.\n\n## Log\n\n- 2026-11-09: messaged\n"


@pytest.fixture
def priya(write_note: WriteNote) -> Path:
    return write_note("priya-raman", PRIYA, BODY)


def _inbox(vault: Path, *lines: str) -> Path:
    path = vault / "inbox.md"
    path.write_text("".join(line + "\n" for line in lines))
    return path


def _changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out of a note and the lines put in."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return (
        [line[2:] for line in diff if line.startswith("- ")],
        [line[2:] for line in diff if line.startswith("+ ")],
    )


# Now is Monday 2026-11-23 09:00 in Chicago (conftest.NOW).
FORMS = [
    ("2026-11-20 @priya replied", ["replied: 2026-11-20", "- 2026-11-20: replied"]),
    (
        "2026-11-20 @priya replied — can talk Thursday",
        ["replied: 2026-11-20", "- 2026-11-20: replied — can talk Thursday"],
    ),
    (
        "2026-11-21 15:30 @priya chat — on-call is light; agreed to refer",
        [
            "chat: 2026-11-21T15:30:00-06:00",
            "- 2026-11-21: chat — on-call is light; agreed to refer",
        ],
    ),
    ("2026-11-21 @priya chat", ["chat: 2026-11-21T12:00:00-06:00", "- 2026-11-21: chat"]),
    ("@priya chat", ["chat: 2026-11-23T09:00:00-06:00", "- 2026-11-23: chat"]),
    ("yesterday @priya nudged", ["nudged: 2026-11-22", "- 2026-11-22: nudged"]),
    ("- [ ] 2026-11-20 @priya nudged", ["nudged: 2026-11-20", "- 2026-11-20: nudged"]),
    ("* @priya thanked", ["thanked: 2026-11-23", "- 2026-11-23: thanked"]),
    ("@priya connected", ["connected: 2026-11-23", "- 2026-11-23: connected"]),
    (
        "@priya sent: resume and posting",
        ["sent: 2026-11-23", "- 2026-11-23: sent — resume and posting"],
    ),
    ("@priya checked-in", ["checked_in: 2026-11-23", "- 2026-11-23: checked_in"]),
    ("@priya checked_in", ["checked_in: 2026-11-23", "- 2026-11-23: checked_in"]),
    ("@priya applied", ["applied: 2026-11-23", "- 2026-11-23: applied"]),
    ("@priya updated", ["updated: 2026-11-23", "- 2026-11-23: updated"]),
    ("@priya messaged", ["messaged: 2026-11-23", "- 2026-11-23: messaged"]),
    (
        "@priya referral agreed — will submit Friday",
        ["referral: agreed", "- 2026-11-23: referral agreed — will submit Friday"],
    ),
    ("@priya referral declined", ["referral: declined", "- 2026-11-23: referral declined"]),
    (
        "@priya thanks: Your tip on the on-call rota was a great help.",
        ["### Call 2026-11-23", "", "Thanks: Your tip on the on-call rota was a great help."],
    ),
    (
        "2026-11-21 @priya Next: I will apply for the Ledger role this week.",
        ["### Call 2026-11-21", "", "Next: I will apply for the Ledger role this week."],
    ),
    ("@priya sent me the posting", ["- 2026-11-23: sent me the posting"]),
    ("@priya — asked about the team's on-call", ["- 2026-11-23: asked about the team's on-call"]),
]


@pytest.mark.parametrize(("line", "added"), FORMS, ids=[form[0] for form in FORMS])
def test_each_line_form_files_what_it_says(
    run: Run, vault: Path, priya: Path, line: str, added: list[str]
) -> None:
    before = priya.read_text()
    inbox = _inbox(vault, line)
    result = run("inbox")
    assert result.exit_code == 0, result.output
    removed, put_in = _changes(before, priya.read_text())
    if "messaged: 2026-11-23" in added:
        assert removed == ["messaged: 2026-11-09"]
    else:
        assert removed == []
    assert [line for line in put_in if line.strip()] == [line for line in added if line.strip()]
    assert inbox.read_text() == ""


def test_a_call_line_goes_under_the_last_call_when_it_has_none(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    body = (
        "\n## Notes\n\n### Call 2026-11-20\n\n- on-call is light\n\n"
        "Thanks: Your advice on the take-home.\n\n## Log\n"
    )
    note = write_note("arjun-mehta", "name: Arjun Mehta\n", body)
    _inbox(vault, "@arjun next: I will send the migration post on Friday.")
    assert run("inbox").exit_code == 0
    assert note.read_text().endswith(
        "### Call 2026-11-20\n\n- on-call is light\n\nThanks: Your advice on the take-home.\n"
        "\nNext: I will send the migration post on Friday.\n\n## Log\n"
    )
    # A second Thanks: line starts a call section of its own: the drafts quote the last call.
    _inbox(vault, "@arjun thanks: Your notes on the system design round.")
    assert run("inbox").exit_code == 0
    assert "### Call 2026-11-23\n\nThanks: Your notes on the system design round.\n" in (
        note.read_text()
    )


@pytest.mark.parametrize(
    "name", ["priya-raman", "Priya", "pr", "[[Priya Raman]]", "[[priya-raman|Priya]]"]
)
def test_names_resolve_by_file_name_alias_or_unique_start(
    run: Run, vault: Path, priya: Path, name: str
) -> None:
    _inbox(vault, f"2026-11-20 @{name} replied")
    assert run("inbox").exit_code == 0
    assert "replied: 2026-11-20" in priya.read_text()


def test_lines_it_cannot_place_stay_with_the_reason_and_exit_3(
    run: Run, vault: Path, priya: Path, write_note: WriteNote
) -> None:
    write_note("priya-shah", "name: Priya Shah\n")
    inbox = _inbox(
        vault,
        "# From my phone",
        "",
        "2026-11-20 @priya replied",
        "2026-11-20 @priya-raman replied",
        "@zed replied",
        "2026-13-45 @priya-raman replied",
        "2026-11-30 @priya-raman replied",
        "called priya about the team",
        "@priya-raman referral maybe",
        "@priya-raman thanks:",
    )
    result = run("inbox")
    assert result.exit_code == 3
    assert inbox.read_text() == (
        "# From my phone\n"
        "\n"
        "2026-11-20 @priya replied ← not filed: `priya` matches 2 people: Priya Raman (Lumen "
        "Pay, priya-raman); Priya Shah (no company, priya-shah); use more of the name, or the "
        "file name\n"
        "2026-11-23 @zed replied ← not filed: no person matches `zed` (`coffeechat list` "
        "shows everyone)\n"
        "2026-13-45 @priya-raman replied ← not filed: the day: cannot read `2026-13-45`: no "
        'such day or time; try "tomorrow 2pm", "Fri 9am", "next Tuesday 10:30", "Dec 4 '
        '14:30", "in 3 days 11am", "2026-12-04 14:30"\n'
        "2026-11-30 @priya-raman replied ← not filed: 2026-11-30 is after today; file it once "
        "it has happened\n"
        "called priya about the team ← not filed: no @name: start with who it is about, e.g. "
        "@priya\n"
        "@priya-raman referral maybe ← not filed: `referral` takes one of asked, agreed, "
        "submitted, declined\n"
        "@priya-raman thanks: ← not filed: nothing after `Thanks:`; write the line to keep, "
        "to them\n"
    )
    assert "people/priya-raman.md: replied: 2026-11-20" in result.stdout
    assert result.stderr.splitlines()[0].startswith("inbox.md:3: `priya` matches 2 people")
    assert result.stderr.splitlines()[-1] == (
        "Filed 1 line; 7 lines left in inbox.md, reasons beside them."
    )
    # Fixed in place, reason and all: the next run reads the line without the old reason.
    inbox.write_text(inbox.read_text().replace("@zed", "@pr"))
    again = run("inbox")
    assert again.exit_code == 3
    assert "@pr replied" not in inbox.read_text()
    assert "- 2026-11-23: replied" in priya.read_text()
    assert inbox.read_text().count("← not filed:") == 6


def test_a_second_run_files_nothing_twice(run: Run, vault: Path, priya: Path) -> None:
    lines = (
        "2026-11-20 @priya replied — can talk Thursday",
        "2026-11-21 @priya thanks: Your tip on the on-call rota was a great help.",
        "2026-11-21 @priya chat",
    )
    inbox = _inbox(vault, *lines)
    assert run("inbox").exit_code == 0
    filed = priya.read_bytes()
    # As if a run had filed them and stopped before taking them out of the inbox:
    inbox.write_text("".join(line + "\n" for line in lines))
    result = run("inbox", "--json")
    assert result.exit_code == 0
    assert [item["already_filed"] for item in json.loads(result.stdout)["filed"]] == [True] * 3
    assert priya.read_bytes() == filed
    assert inbox.read_text() == ""


def test_dry_run_writes_nothing_and_json_says_what_each_line_would_do(
    run: Run, vault: Path, priya: Path
) -> None:
    inbox = _inbox(vault, "@priya replied", "@nobody chat")
    before_note, before_inbox = priya.read_bytes(), inbox.read_bytes()
    result = run("inbox", "--dry-run", "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout) == {
        "version": 1,
        "inbox": "inbox.md",
        "dry_run": True,
        "filed": [
            {
                "line": 1,
                "text": "@priya replied",
                "file": "people/priya-raman.md",
                "did": "replied: 2026-11-23; logged 2026-11-23: replied",
                "already_filed": False,
                "warnings": [],
            }
        ],
        "left": [
            {
                "line": 2,
                "text": "@nobody chat",
                "reason": "no person matches `nobody` (`coffeechat list` shows everyone)",
            }
        ],
    }
    assert priya.read_bytes() == before_note
    assert inbox.read_bytes() == before_inbox


def test_no_inbox_or_an_empty_one_files_nothing(run: Run, vault: Path, priya: Path) -> None:
    result = run("inbox")
    assert (result.exit_code, result.stderr) == (0, "Nothing to file in inbox.md.\n")
    _inbox(vault, "# Inbox", "")
    assert run("inbox").stderr == "Nothing to file in inbox.md.\n"


def test_the_inbox_file_name_is_a_setting(run: Run, vault: Path, priya: Path) -> None:
    config = vault / "coffeechat.toml"
    original = config.read_text()
    config.write_text(original + 'inbox = "Capture.md"\n')
    (vault / "Capture.md").write_text("2026-11-20 @priya replied\n")
    assert run("inbox").exit_code == 0
    assert (vault / "Capture.md").read_text() == ""
    config.write_text(original + 'inbox = "notes/in.md"\n')
    assert "should be a Markdown file name at the vault's root" in run("inbox").stderr


def test_due_mentions_an_inbox_with_lines_waiting(run: Run, vault: Path, priya: Path) -> None:
    assert "inbox" not in run("due").stderr
    _inbox(vault, "# Inbox", "", "@priya replied", "@nobody chat")
    assert run("due").stderr == "inbox.md: 2 lines to file: coffeechat inbox\n"


# --- stopped half-way, and at the same time as `log` ---------------------------------------

RUN = r"""
import sys
from coffeechat.cli import cli
cli(sys.argv[1:])
"""


def _bulk_vault(vault: Path, people: int, lines: int) -> list[str]:
    for n in range(people):
        (vault / "people" / f"p{n}.md").write_text(
            f"---\nname: Person Number{n}\n---\n\n## Notes\n\n## Log\n"
        )
    entries = [f"2026-11-2{n % 3} @p{n % people} line {n}" for n in range(lines)]
    _inbox(vault, *entries)
    return entries


def _logged(vault: Path) -> list[str]:
    found = []
    for note in (vault / "people").glob("*.md"):
        found += re.findall(r"^- 2026-11-2\d: (line \d+)$", note.read_text(), re.MULTILINE)
    return found


def _coffeechat(vault: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", RUN, "--vault", str(vault), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COFFEECHAT_NOW": NOW},
    )


def test_a_run_killed_half_way_files_no_line_twice_and_loses_none(vault: Path) -> None:
    entries = _bulk_vault(vault, 10, 90)
    filed_but_waiting = 0
    for _ in range(3):
        before = len(_logged(vault))
        process = _coffeechat(vault, "inbox")
        # Stopped (SIGKILL: no clean-up) once it has filed a few more lines.
        while process.poll() is None and len(_logged(vault)) < before + 10:
            time.sleep(0.03)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
        logged = _logged(vault)
        assert len(logged) == len(set(logged))  # never twice
        inbox = (vault / "inbox.md").read_text()
        waiting = set(re.findall(r"(line \d+)$", inbox, re.MULTILINE))
        # Never lost: each line is in a note or still in the inbox.
        assert [e for e in entries if e.split(" ", 2)[2] not in {*logged, *waiting}] == []
        filed_but_waiting += len(waiting & set(logged))
    # Stopped between filing lines and taking them out: the next run must see they are filed.
    assert filed_but_waiting > 0
    final = _coffeechat(vault, "inbox")
    _, err = final.communicate(timeout=60)
    assert final.returncode == 0, err
    assert sorted(_logged(vault)) == sorted(f"line {n}" for n in range(90))
    assert (vault / "inbox.md").read_text() == ""


def test_log_on_the_same_note_while_the_inbox_files_loses_nothing(vault: Path) -> None:
    (vault / "people" / "priya-raman.md").write_text(
        "---\nname: Priya Raman\n---\n\n## Notes\n\n## Log\n"
    )
    _inbox(vault, *(f"2026-11-2{n % 3} @priya-raman line {n}" for n in range(60)))
    filing = _coffeechat(vault, "inbox")
    logs = [_coffeechat(vault, "log", "priya-raman", f"by hand {n}") for n in range(4)]
    for process in (filing, *logs):
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    text = (vault / "people" / "priya-raman.md").read_text()
    assert sorted(_logged(vault)) == sorted(f"line {n}" for n in range(60))
    for n in range(4):
        assert text.count(f": by hand {n}\n") == 1


def test_a_line_synced_in_while_filing_stays(
    run: Run, vault: Path, priya: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coffeechat.store.vault import Store

    inbox = _inbox(vault, "2026-11-20 @priya replied", "@nobody chat")
    file_entry = Store.file_entry

    def file_while_the_phone_writes(self: Store, *args: object, **kwargs: object) -> object:
        with inbox.open("a") as handle:  # the phone's sync appends a line meanwhile
            handle.write("2026-11-22 @priya nudged\n")
        return file_entry(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "file_entry", file_while_the_phone_writes)
    result = run("inbox")
    assert result.exit_code == 3
    assert inbox.read_text() == (
        "2026-11-23 @nobody chat ← not filed: no person matches `nobody` (`coffeechat list` "
        "shows everyone)\n"
        "2026-11-22 @priya nudged\n"
    )
    assert "replied: 2026-11-20" in priya.read_text()


LINE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40
)


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 11, 23)),
    what=st.sampled_from(["", "replied", "chat", "referral agreed", "thanks:", "next:"]),
    text=LINE_TEXT,
    reason=LINE_TEXT,
)
def test_reading_a_line_ignores_an_old_reason_and_a_written_out_day_reads_the_same(
    day: date, what: str, text: str, reason: str
) -> None:
    from coffeechat.model.inbox import read_line, with_reason

    zone = ZoneInfo("America/Chicago")
    now = datetime.fromisoformat(NOW)
    line = f"{day.isoformat()} @priya {what} — {text}".rstrip()
    read = read_line(1, line, now, zone)
    assert read_line(1, with_reason(line, reason), now, zone) == read
    assert read.stamped == ""  # a written-out day is never written again
    undated = read_line(1, f"@priya {what} — {text}".rstrip(), now, zone)
    if undated.entry is not None:
        again = read_line(1, undated.stamped, now, zone)
        assert again.entry == undated.entry
        assert again.stamped == ""


def test_windows_line_ends_and_a_byte_order_mark_are_kept(
    run: Run, vault: Path, priya: Path
) -> None:
    inbox = vault / "inbox.md"
    inbox.write_bytes(b"\xef\xbb\xbf# Inbox\r\n@priya replied\r\n@nobody chat\r\n")
    assert run("inbox").exit_code == 3
    assert inbox.read_bytes() == (
        b"\xef\xbb\xbf# Inbox\r\n2026-11-23 @nobody chat \xe2\x86\x90 not filed: no person "
        b"matches `nobody` (`coffeechat list` shows everyone)\r\n"
    )
    assert "replied: 2026-11-23" in priya.read_text()


# A chat is booked ahead: its open day is the coming one, as `schedule` reads WHEN; a day
# before it (Sunday Nov 22, last Friday Nov 20) is what the other milestones still mean.
BOOKED = [
    ("Dec 9 @priya chat", "chat: 2026-12-09T12:00:00-06:00"),
    ("Nov 30 15:00 @priya chat", "chat: 2026-11-30T15:00:00-06:00"),
    ("Wed 15:00 @priya chat", "chat: 2026-11-25T15:00:00-06:00"),
    ("Jan 22 @priya chat", "chat: 2027-01-22T12:00:00-06:00"),  # 60 days ahead
    ("Fri @priya replied", "replied: 2026-11-20"),
    ("Nov 20 @priya replied", "replied: 2026-11-20"),
]


@pytest.mark.parametrize(("line", "key"), BOOKED, ids=[line for line, _ in BOOKED])
def test_a_chat_lines_open_day_is_the_coming_one(
    run: Run, vault: Path, priya: Path, line: str, key: str
) -> None:
    _inbox(vault, line)
    result = run("inbox")
    assert result.exit_code == 0, result.output
    assert key in priya.read_text().splitlines()
    assert result.stdout.startswith(f"people/priya-raman.md: {key};")


def test_a_chat_line_over_a_booked_chat_says_it_moved_it(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    booked = "name: Priya Raman\nmessaged: 2026-11-09\nchat: 2026-11-25T15:00:00-06:00  # 1 PM\n"
    note = write_note("priya-raman", booked)
    _inbox(vault, "Nov 30 @priya chat", "Dec 1 @priya chat")
    result = run("inbox")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "inbox.md:1: Warning: moved the chat from Wed Nov 25, 3:00 PM CST to Mon Nov 30, "
        "12:00 PM CST; the comment `# 1 PM` on `chat:` is kept: edit it if it no longer fits",
        "inbox.md:2: Warning: moved the chat from Mon Nov 30, 12:00 PM CST to Tue Dec 1, "
        "12:00 PM CST; the comment `# 1 PM` on `chat:` is kept: edit it if it no longer fits",
        "Filed 2 lines.",
    ]
    assert "chat: 2026-12-01T12:00:00-06:00  # 1 PM\n" in note.read_text()


def test_inbox_warns_on_dates_out_of_order_as_mark_does(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("rosa", "name: Rosa Diaz\nmessaged: 2026-11-23\n")
    write_note("tom", "name: Tom Reyes\n")
    _inbox(vault, "yesterday @rosa replied", "@tom nudged", "@rosa thanked")
    result = run("inbox")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "inbox.md:1: Warning: `replied` (2026-11-22) is before `messaged` (2026-11-23); "
        "recorded as given, check both dates",
        "inbox.md:2: Warning: `nudged` is recorded but `messaged` is not: a nudge follows a "
        "first message; record it with `coffeechat mark tom messaged --on DAY`",
        "Filed 3 lines.",
    ]


def test_a_first_reply_reported_again_from_the_phone_says_what_it_was(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("liam", "name: Liam Ode\nmessaged: 2026-11-16\nreplied: 2026-11-21\n")
    _inbox(vault, "@liam replied — free Thursday after 2")
    result = run("inbox")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "inbox.md:1: Warning: replied was 2026-11-21, now 2026-11-23; "
        "`coffeechat set liam replied=2026-11-21` puts the first one back",
        "Filed 1 line.",
    ]


def test_log_lines_land_in_date_order_and_thanks_under_the_chats_call(
    run: Run, vault: Path, priya: Path
) -> None:
    _inbox(
        vault,
        "@priya — asked about the on-call rota",
        "2026-11-21 15:30 @priya chat — on-call is light",
        "2026-11-20 @priya replied",
        "2026-11-22 @priya thanks: Your tip on the on-call rota was a great help.",
    )
    assert run("inbox").exit_code == 0
    notes, log = priya.read_text().split("## Log\n", 1)
    assert log.strip().splitlines() == [
        "- 2026-11-09: messaged",
        "- 2026-11-20: replied",
        "- 2026-11-21: chat — on-call is light",
        "- 2026-11-23: asked about the on-call rota",
    ]
    assert notes.endswith(
        "### Call 2026-11-21\n\nThanks: Your tip on the on-call rota was a great help.\n\n"
    )


def test_log_puts_todays_line_before_a_later_one_as_inbox_does(
    run: Run, write_note: WriteNote
) -> None:
    note = write_note(
        "ana",
        "name: Ana Silva\n",
        "\n## Log\n\n- 2026-11-20: messaged\n- 2026-11-25: scheduled the chat\n",
    )
    assert run("log", "ana", "sent my resume").exit_code == 0
    assert note.read_text().split("## Log\n", 1)[1] == (
        "\n- 2026-11-20: messaged\n- 2026-11-23: sent my resume\n- 2026-11-25: scheduled the chat\n"
    )


def test_a_chat_lines_open_day_far_ahead_stays_in_the_inbox(
    run: Run, vault: Path, priya: Path
) -> None:
    """Sunday's chat written as `Nov 22` on Monday would be next year's: kept, with why."""
    before = priya.read_bytes()
    inbox = _inbox(vault, "Nov 22 @priya chat", "Jan 23 @priya chat")
    result = run("inbox")
    assert result.exit_code == 3
    assert inbox.read_text().splitlines() == [
        "Nov 22 @priya chat ← not filed: `Nov 22` is the coming one, 2027-11-22, 364 days "
        "away; write the full date to book it, or `yesterday` or the date for a chat that "
        "happened",
        "Jan 23 @priya chat ← not filed: `Jan 23` is the coming one, 2027-01-23, 61 days "
        "away; write the full date to book it, or `yesterday` or the date for a chat that "
        "happened",
    ]
    assert priya.read_bytes() == before
    _inbox(vault, "2027-11-22 @priya chat")
    assert run("inbox").exit_code == 0
