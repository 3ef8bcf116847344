"""Text from notes and imports reaches the terminal only through `say`, which shows every
control and bidi character as `?` (review M1). JSON keeps the exact text; the invitation on
stdout is valid iCalendar with no controls in its TEXT values.

Every test here runs as on a terminal (`color=True`: click strips nothing), with a note whose
values hold an OSC title change, an OSC 8 hyperlink, BEL, a screen-clearing CSI, a colour
that is not coffeechat's, an 8-bit CSI (C1) and a right-to-left override."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import icalendar
import pytest

from conftest import Run, WriteNote

NAME = "Priya\x1b]0;owned\x07\x1b[2J\x9b35m\u202eRaman"
COMPANY = "Lumen\x1b]8;;http://evil.example\x07Pay\x1b]8;;\x07"
ROLE = "Engineer\x1b[35m"
# What the terminal shows instead: each control a `?`, the rest as written.
NAME_SHOWN = "Priya?]0;owned??[2J?35m?Raman"
COMPANY_SHOWN = "Lumen?]8;;http://evil.example?Pay?]8;;?"
HOSTILE = (
    'name: "Priya\\e]0;owned\\a\\e[2J\\x9b35m\\u202eRaman"\n'
    'company: "Lumen\\e]8;;http://evil.example\\aPay\\e]8;;\\a"\n'
    'role: "Engineer\\e[35m"\n'
    "timezone: America/Los_Angeles\n"
    "email: priya@lumen.example\n"
    "messaged: 2026-11-01\n"
    'common: ["Both \\e]0;x\\a at UIC"]\n'
    'hook: "I enjoyed your talk \\e]0;x\\a on Go."\n'
)
BODY = "\n## Notes\n\nSaid \x1b]0;pwned\x07 hello \x1b[2J\n\n## Log\n"
CONFIG = (
    'name = "Sam Rivera"\ntimezone = "America/Chicago"\nemail = "sam@example.com"\n'
    'looking_for = "backend roles"\n'
)
# coffeechat's own styles: bold, dim, one of the colours it uses, a reset.
OWN_STYLE = re.compile(r"\x1b\[(?:[0-2]|22|3[1-46]|39)m")


def assert_safe(text: str) -> None:
    """Nothing in `text` drives a terminal but coffeechat's own styles."""
    rest = OWN_STYLE.sub("", text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", rest), rest


@pytest.fixture
def hostile(vault: Path, write_note: WriteNote) -> Path:
    (vault / "coffeechat.toml").write_text(CONFIG)
    return write_note("priya", HOSTILE, body=BODY)


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["prep", "priya"], f"# Coffee chat: {NAME_SHOWN} ({COMPANY_SHOWN})\n"),
        (["draft", "outreach", "priya", "--force"], "Hi Priya?]0;owned??[2J?35m?Raman,\n"),
        (["draft", "nudge", "priya"], f"your work at {COMPANY_SHOWN};"),
        (["draft", "connect", "priya"], "Hi Priya?]0;owned??[2J?35m?Raman,"),
        (["slots", "priya"], f"Times in America/Los_Angeles for {NAME_SHOWN}; record"),
        (["show", "priya"], "Said ?]0;pwned? hello ?[2J\n"),
        (["list"], "Priya?]0;owned??[2J?35m?Raman"),
        (["due", "--all"], "Priya?]0;owned??[2J?35m?Raman"),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, list) else "",
)
def test_note_text_reaches_the_terminal_cleaned(run: Run, args: list[str], shown: str) -> None:
    result = run(*args, color=True)
    assert result.exit_code == 0, result.output
    assert shown in result.output
    assert_safe(result.output)


def test_schedule_messages_are_cleaned_and_the_invitation_has_no_controls(
    run: Run, hostile: Path
) -> None:
    result = run("schedule", "priya", "Fri 3pm", "--ics", "-", color=True)
    assert result.exit_code == 0, result.output
    assert_safe(result.stderr)
    calendar = result.stdout_bytes.decode()
    assert not re.search("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]", calendar)
    (event,) = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    assert str(event["SUMMARY"]) == ("Coffee chat: Sam Rivera and Priya]0;owned[2J35mRaman")
    assert event["ATTENDEE"].params["CN"] == "Priya]0;owned[2J35mRaman"
    saved = run("schedule", "priya", "Fri 4pm", "--force")
    assert_safe(saved.output)
    assert b"\x1b" not in (hostile.parent.parent / "invites" / "priya.ics").read_bytes()


@pytest.mark.usefixtures("hostile")
def test_the_due_calendar_on_stdout_has_no_controls(run: Run) -> None:
    result = run("due", "--all", "--ics", "-", color=True)
    assert result.exit_code == 0
    calendar = result.stdout_bytes.decode()
    assert not re.search("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]", calendar)
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(calendar).walk("VEVENT")]
    assert any("Priya]0;owned[2J35mRaman" in summary for summary in summaries), summaries


def test_the_ambiguous_name_error_is_cleaned(run: Run, write_note: WriteNote) -> None:
    write_note("z1", 'name: "Zed\\e]0;owned\\aape"\ncompany: "Acme\\e]0;x\\a"\n')
    write_note("z2", 'name: "Zed\\e]0;owned\\aape"\ncompany: "Beta\\x9b2J"\n')
    result = run("show", "zed", color=True)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: `zed` matches 2 people: Zed?]0;owned?ape (Acme?]0;x?, z1); "
        "Zed?]0;owned?ape (Beta?2J, z2); use more of the name, or the file name\n"
    )


def test_add_prints_the_name_cleaned_and_keeps_it_exact_in_the_note(run: Run, vault: Path) -> None:
    result = run("add", "Evil\x1b]0;title\x07Red\u202eder", "--company", "X\x1b[2J", color=True)
    assert result.exit_code == 0
    assert_safe(result.output)
    assert "Evil?]0;title?Red?der" in result.output
    (path,) = (vault / "people").iterdir()
    shown = run("show", path.stem, "--json")
    assert json.loads(shown.stdout)["name"] == "Evil\x1b]0;title\x07Red\u202eder"


@pytest.mark.parametrize("source", ["linkedin", "vcard"])
def test_import_messages_are_cleaned(run: Run, vault: Path, source: str) -> None:
    if source == "linkedin":
        (vault / "in.csv").write_text(
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            "Imp\x1b]0;t\x07,Orter\u202e,,,Acme\x9b2J,Eng,01 Jan 2025\n"
        )
    else:
        (vault / "in.vcf").write_text(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imp\x1b]0;t\x07 Orter\u202e\r\nORG:Acme\x9b2J\r\n"
            "END:VCARD\r\n",
            newline="",
        )
    file = "in.csv" if source == "linkedin" else "in.vcf"
    dry = run("import", source, file, "--dry-run", color=True)
    assert dry.stdout == "created   Imp?]0;t? Orter?\n"
    for _ in range(2):  # created, then already up to date
        result = run("import", source, file, color=True)
        assert result.exit_code == 0, result.output
        assert_safe(result.output)
    (path,) = (vault / "people").iterdir()
    record = json.loads(run("show", path.stem, "--json").stdout)
    assert record["name"] == "Imp\x1b]0;t\x07 Orter\u202e"


def test_a_question_bank_is_listed_cleaned(run: Run, vault: Path) -> None:
    (vault / "question_banks").mkdir()
    (vault / "question_banks" / "any-evil.md").write_text(
        '---\naudience: any\ntopic: "ev\\e]0;t\\ail"\n---\n\n'
        "- What \x1b]8;;http://evil.example\x07surprised\x1b]8;;\x07 you most about the work?\n"
    )
    result = run("questions", color=True)
    assert result.exit_code == 0
    assert_safe(result.output)
    assert "What ?]8;;http://evil.example?surprised?]8;;? you most" in result.output


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize(
    "args",
    [["show", "priya", "--json"], ["list", "--json"], ["prep", "priya", "--json"]],
    ids=lambda args: args[0],
)
def test_json_keeps_the_exact_text_escaped(run: Run, args: list[str]) -> None:
    result = run(*args, color=True)
    assert result.exit_code == 0
    assert_safe(result.stdout)  # controls are \u escapes in the JSON text
    data = json.loads(result.stdout)
    record = data["people"][0] if "people" in data else data.get("person", data)
    assert record["name"] == NAME
    assert record["company"] == COMPANY
    assert record["role"] == ROLE


@pytest.mark.usefixtures("hostile")
def test_the_saved_files_keep_the_exact_text(run: Run, vault: Path) -> None:
    assert run("draft", "nudge", "priya", "--save").exit_code == 0
    note = (vault / "people" / "priya.md").read_text()
    assert f"your work at {COMPANY};" in note.split("## Drafts")[1]


def test_commands_print_only_through_say() -> None:
    """The one output path: no command module writes to the terminal by itself."""
    commands = Path(__file__).resolve().parent.parent / "src" / "coffeechat" / "commands"
    for path in commands.glob("*.py"):
        if path.name == "base.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("echo", "secho", "style"):
                raise AssertionError(f"{path.name}:{node.lineno}: click.{node.attr}")
            if isinstance(node, ast.Name) and node.id == "print":
                raise AssertionError(f"{path.name}:{node.lineno}: print")
