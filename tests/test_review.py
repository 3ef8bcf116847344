"""Regression tests for findings of the adversarial review (shared/reviews/adversarial-review.md)
that had none elsewhere; each names its finding. The others are tested where their subject is:

| finding | test |
|---|---|
| C1, C2 | test_concurrency.py |
| C3, H7, M7 | test_files.py (outputs not files, write failures, read-only notes); here |
| H1, H10, M3, M4, M6 | test_store.py |
| H2 | test_store.py, test_limits.py (WHEN), here (a chat near 9999, COFFEECHAT_NOW) |
| H3 | test_cache.py (a garbled row is only a miss) |
| H4, H5, H6, H9, H11, H12, M8, M9, M10, L5, L6 | test_limits.py |
| H8, L3, L4, M5, L1 (hard links), `mark --on` and `-` as a file name | here |
| M1 | test_terminal.py |
| M2 | test_files.py (stale temporary files) |
| L1 (owner) | test_files.py (replace_file as root), here (an edit as root, end to end) |
| L2 | test_invites.py (a yearly rule that holds after 2038) |

Every test here goes through the command line only, so it also runs against the reviewed
commit (c85af3a), where each fails."""

from __future__ import annotations

import os
import re
from pathlib import Path

import icalendar
import pytest

from conftest import Run, WriteNote, snapshot

PRIYA = "name: Priya Raman\ncompany: Lumen Pay\ntimezone: America/Los_Angeles\n"
WITH_EMAIL = 'name = "Sam Rivera"\ntimezone = "America/Chicago"\nemail = "sam@example.com"\n'


# --- H2: dates near year 1 or 9999 --------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["show", "priya"], ["prep", "priya"], ["draft", "thanks", "priya", "--force"], ["due"]],
    ids=lambda args: args[0],
)
@pytest.mark.parametrize("chat", ["9999-12-31 23:59:00 -12:00", "0001-01-01 00:00:00 +14:00"])
def test_h2_a_chat_near_year_1_or_9999_is_one_warning(
    run: Run, write_note: WriteNote, args: list[str], chat: str
) -> None:
    write_note("priya", PRIYA + f"chat: {chat}\n", body="\n## Notes\n\n- She said hi\n")
    result = run(*args)
    assert result.exit_code in (0, 1)
    assert "is not a usable date (years 1900-2199)" in result.stderr
    assert result.stderr.count("people/priya.md:5: chat:") == 1
    if args[0] == "draft":  # a thank-you needs a chat, and this one cannot be used
        assert result.stderr.endswith(
            "Error: no chat recorded for Priya Raman: coffeechat mark priya chat --on WHEN\n"
        )
    else:
        assert result.exit_code == 0


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-12:00"])
@pytest.mark.parametrize(
    "args", [["due"], ["slots", "priya"], ["prep", "priya"], ["mark", "priya", "replied"]]
)
def test_h2_a_clock_near_year_1_or_9999_is_refused(
    run: Run,
    write_note: WriteNote,
    monkeypatch: pytest.MonkeyPatch,
    now: str,
    args: list[str],
) -> None:
    note = write_note("priya", PRIYA + "messaged: 2026-11-01\n")
    before = note.read_bytes()
    monkeypatch.setenv("COFFEECHAT_NOW", now)
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: COFFEECHAT_NOW={now!r} is not a usable date (years 1900-2199)\n"
    )
    assert note.read_bytes() == before


def test_h2_mark_refuses_a_date_it_could_not_compute_with_as_set_does(
    run: Run, write_note: WriteNote
) -> None:
    note = write_note("priya", PRIYA)
    before = note.read_bytes()
    for args, value in (
        (["mark", "priya", "chat", "--on", "9999-12-31T23:00"], "9999-12-31 23:00:00-06:00"),
        (["set", "priya", "chat=9999-12-31T23:00"], "9999-12-31 23:00:00-06:00"),
        (["mark", "priya", "replied", "--on", "9999-12-31"], "9999-12-31"),
        (["mark", "priya", "chat", "--on", "1899-12-31T10:00-05:00"], "1899-12-31 10:00:00-05:00"),
    ):
        result = run(*args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        key = args[2] if args[0] == "mark" else "chat"
        assert result.stderr == (
            f"Error: {key}: `{value}` is not a usable date (years 1900-2199)\n"
        ), args
    assert note.read_bytes() == before
    assert run("mark", "priya", "chat", "--on", "2199-12-31T10:00").exit_code == 0


# --- H8: the invitation's attendee address ------------------------------------------------------


@pytest.mark.parametrize("target", ["-", "invite.ics", None])
def test_h8_a_line_break_in_the_email_is_refused_before_anything_is_written(
    run: Run, vault: Path, write_note: WriteNote, target: str | None
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL)
    write_note(
        "priya",
        PRIYA + 'email: "p@x.example\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:INJECTED"\n',
    )
    before = snapshot(vault)
    ics = ["--ics", target] if target else []
    for _ in range(2):  # a second run is refused the same way and adds nothing either
        result = run("schedule", "priya", "Fri 3pm", *ics)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (
            "Error: people/priya.md:5: email: `p@x.example\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT"
            "\\r\\nSUMMARY:INJECTED` is not one address such as name@example.com; fix it\n"
        )
        assert snapshot(vault) == before


def test_h8_without_your_email_the_invite_names_no_attendee_and_needs_no_address(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("priya", PRIYA + 'email: "p@x.example\\r\\nBCC: q@x.example"\n')
    result = run("schedule", "priya", "Fri 3pm", "--ics", "-")
    assert result.exit_code == 0
    assert b"ATTENDEE" not in result.stdout_bytes
    assert b"x.example" not in result.stdout_bytes


# --- M5: the README's fix for a time the clocks repeat ------------------------------------------


@pytest.mark.parametrize(
    ("offset", "utc", "shown"),
    [("-05:00", "20271107T063000Z", "1:30 AM CDT"), ("-06:00", "20271107T073000Z", "1:30 AM CST")],
)
def test_m5_an_offset_settles_a_time_the_clocks_repeat(
    run: Run, write_note: WriteNote, offset: str, utc: str, shown: str
) -> None:
    note = write_note("priya", PRIYA)
    # --force: a Sunday at 1:30 AM, months ahead, which schedule otherwise refuses.
    result = run("schedule", "priya", f"2027-11-07T01:30{offset}", "--ics", "-", "--force")
    assert result.exit_code == 0, result.stderr
    assert f"scheduled the chat for Sun Nov 7, {shown}" in result.stderr
    assert f"chat: 2027-11-07T01:30:00{offset}\n" in note.read_text()
    (event,) = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert event["DTSTART"].to_ical().decode() == utc
    assert (event.decoded("DTEND") - event.decoded("DTSTART")).total_seconds() == 15 * 60
    without = run("schedule", "priya", "2027-11-07 01:30", "--force")
    assert without.exit_code == 2
    assert "happens twice in America/Chicago" in without.stderr


# --- L3: line breaks in names in prep sheets ----------------------------------------------------


def test_l3_a_line_break_in_a_value_cannot_add_lines_to_a_sheet(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note(
        "priya",
        'name: "Priya]]\\n---\\nperson: \\"[[evil]]\\"\\n# x"\n'
        'company: "Lumen\\n## Pay"\nrole: "Engineer\\r\\n- [ ] wire money"\n'
        'common: ["UIC\\n---"]\n',
    )
    result = run("prep", "priya", "--save")
    assert result.exit_code == 0, result.stderr
    (sheet,) = (vault / "prep").glob("*.md")
    text = sheet.read_text()
    lines = text.splitlines()
    assert lines.count("---") == 2  # the saved frontmatter's own fences, nothing else
    assert lines[0] == "---"
    headings = [line for line in lines if line.startswith("#")]
    assert headings[0] == '# Coffee chat: Priya]] --- person: "[[evil]]" # x (Lumen ## Pay)'
    assert "# x" not in headings[1:]
    assert not [line for line in lines if line.startswith(("## Pay", "- [ ] wire"))]
    assert "**Engineer - [ ] wire money** at Lumen ## Pay" in text
    assert "- In common: UIC ---\n" in text
    assert result.stdout == text.split("---\n", 2)[2]  # the printed sheet is the same page


# --- L4: an unreadable note is named ------------------------------------------------------------


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Notes by these file names cannot be read, as for a user who lacks permission (root,
    who runs the tests in a container, reads anything)."""
    names: list[str] = []
    real_read = Path.read_bytes
    real_open = os.open

    def read_bytes(self: Path) -> bytes:
        if self.name in names:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    def os_open(path: str | os.PathLike[str], *args: object, **kwargs: object) -> int:
        if os.path.basename(os.fspath(path)) in names:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "open", os_open)
    return names


def test_l4_a_note_that_cannot_be_read_is_named_not_no_person_matches(
    run: Run, vault: Path, write_note: WriteNote, unreadable: list[str]
) -> None:
    write_note("ravi-shah", "name: Ravi Shah\n").chmod(0)
    write_note("ravi-kumar", "name: Ravi Kumar\n").chmod(0)
    write_note("priya", PRIYA)
    before = snapshot(vault)
    unreadable += ["ravi-shah.md", "ravi-kumar.md"]
    for query in ("Ravi Shah", "shah", "ravi-shah", "ravi sh"):
        result = run("--no-cache", "mark", query, "replied")
        assert (result.exit_code, result.stdout) == (1, ""), query
        assert result.stderr.splitlines()[-1] == (
            "Error: people/ravi-shah.md: cannot be read: Permission denied"
        ), query
    result = run("--no-cache", "mark", "ravi", "replied")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[-1] == (
        "Error: no readable note matches `ravi`; 2 that may be the one meant cannot be read: "
        "people/ravi-kumar.md, people/ravi-shah.md"
    )
    unknown = run("--no-cache", "mark", "zed", "replied")
    assert unknown.stderr.splitlines()[-1].startswith("Error: no person matches `zed`")
    unreadable.clear()
    assert snapshot(vault) == before


# --- `-` as an output file name -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["draft", "outreach", "priya", "--eml", "-"], "--eml"),
        (["prep", "priya", "--html", "-"], "--html"),
        (["prep", "priya", "--save", "--html", "-"], "--html"),
    ],
    ids=lambda value: value if isinstance(value, str) else " ".join(value[:2]),
)
def test_dash_is_never_a_file_named_dash(
    run: Run, vault: Path, write_note: WriteNote, args: list[str], option: str
) -> None:
    (vault / "coffeechat.toml").write_text(WITH_EMAIL + 'looking_for = "backend roles"\n')
    write_note("priya", PRIYA + "email: priya@lumen.example\n")
    before = snapshot(vault)
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        f"Error: Invalid value for '{option}': `-` would be a file named `-`; what the command "
        "prints goes to stdout already, so give the file a name\n"
    )
    assert not (vault / "-").exists()
    assert snapshot(vault) == before


# --- L1: replacing a note gives it a new inode (documented) -------------------------------------


def test_l1_a_hard_link_keeps_the_old_text_as_the_readme_says(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    note = write_note("priya", PRIYA)
    link = vault / "priya-link.txt"
    os.link(note, link)
    assert run("mark", "priya", "replied").exit_code == 0
    assert "replied:" in note.read_text()
    assert link.read_text() == f"---\n{PRIYA}---\n\n## Notes\n\n## Log\n"
    safety = (Path(__file__).resolve().parent.parent / "docs" / "safety.md").read_text()
    said = re.sub(r"\s+", " ", safety)
    assert "a hard link to it keeps the old text and extended attributes are not carried" in said
    assert "keeping its permissions (and, run as root, its owner)" in said


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_l1_an_edit_as_root_keeps_the_owner_and_the_mode(run: Run, write_note: WriteNote) -> None:
    note = write_note("priya", PRIYA)
    os.chown(note, 65534, 65534)
    note.chmod(0o640)
    assert run("log", "priya", "kept").exit_code == 0
    info = note.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (65534, 65534, 0o640)


# --- H7: a note whose file name is near the system's limit is still editable -------------------


def test_h7_a_note_with_a_250_byte_file_name_is_still_editable(run: Run, vault: Path) -> None:
    note = vault / "people" / ("l" * 247 + ".md")
    note.write_text("---\nname: Long Name\n---\n\n## Log\n")
    for args in (["log", "long name", "still editable"], ["mark", "long name", "replied"]):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
    assert "replied: 2026-11-23" in note.read_text()
    assert note.read_text().endswith("- 2026-11-23: still editable\n")
