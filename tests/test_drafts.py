"""Drafts: every kind on the example vault, the refusals, the templates' sandbox."""

from __future__ import annotations

import email
import email.policy
import os
from pathlib import Path

import pytest

from conftest import Run, WriteNote

GOLDEN = Path(__file__).parent / "golden"
REGEN = bool(os.environ.get("COFFEECHAT_REGEN"))

CASES = {
    "outreach": ["priya"],
    "connect": ["jonas"],
    "nudge": ["divya"],
    "thanks": ["arjun"],
    "update": ["karen"],
    "offer": ["derek", "--at", "Fjord Health"],
}


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_matches_its_reviewed_golden_file(
    run: Run, example_vault: Path, kind: str
) -> None:
    result = run("draft", kind, *CASES[kind], root=example_vault)
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / f"draft-{kind}.txt"
    if REGEN:
        path.write_text(result.stdout)
    assert result.stdout == path.read_text()
    assert result.stderr.startswith("Once sent: coffeechat ")
    assert "Once sent" not in result.stdout


def test_outreach_is_short_for_everyone_it_can_be_drafted_for(
    run: Run, example_vault: Path
) -> None:
    drafted = 0
    for note in sorted((example_vault / "people").glob("*.md")):
        result = run("draft", "outreach", note.stem, root=example_vault)
        if result.exit_code == 0:
            drafted += 1
            body = result.stdout.split("\n\n", 1)[1] if "Subject:" in result.stdout else ""
            assert len((body or result.stdout).split()) <= 120, note.stem
    assert drafted >= 10


def test_email_drafts_need_an_email_and_the_users_name(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\n")
    result = run("draft", "outreach", "kim", "--channel", "email")
    assert result.exit_code == 1
    assert "no email for Kim Lee: coffeechat set kim email=ADDRESS" in result.stderr
    (vault / "coffeechat.toml").write_text('timezone = "America/Chicago"\n')
    result = run("draft", "outreach", "kim")
    assert result.exit_code == 1
    assert 'add `name = "Your Name"` to coffeechat.toml' in result.stderr
    assert result.stdout == ""


def test_a_connection_note_over_linkedins_limit_is_refused(run: Run, write_note: WriteNote) -> None:
    long = "a very long shared history " * 8
    write_note("kim", f"name: Kim Lee\ncompany: Acme\ncommon: [{long.strip()}]\n")
    result = run("draft", "connect", "kim")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "over LinkedIn's 200 (free account)" in result.stderr


def test_a_connection_note_needs_something_personal(run: Run, write_note: WriteNote) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\n")
    result = run("draft", "connect", "kim")
    assert result.exit_code == 1
    assert "nothing personal to mention to Kim Lee" in result.stderr


@pytest.mark.parametrize(
    ("frontmatter", "reason"),
    [
        ("", "has not been messaged yet"),
        ("messaged: 2026-11-20\n", "too early: messaged on Friday (3 days ago)"),
        ("messaged: 2026-11-01\nreplied: 2026-11-02\n", "replied on 2026-11-02"),
        ("messaged: 2026-11-01\nnudged: 2026-11-09\n", "already nudged on 2026-11-09"),
    ],
)
def test_a_nudge_is_refused_with_the_reason(
    run: Run, write_note: WriteNote, frontmatter: str, reason: str
) -> None:
    write_note("kim", f"name: Kim Lee\ncompany: Acme\n{frontmatter}")
    result = run("draft", "nudge", "kim")
    assert result.exit_code == 1
    assert reason in result.stderr
    if "too early" in reason:
        assert run("draft", "nudge", "kim", "--force").exit_code == 0


def test_thanks_quotes_the_marked_line_and_refuses_without_notes(
    run: Run, write_note: WriteNote
) -> None:
    write_note(
        "kim",
        "name: Kim Lee\ncompany: Acme\nchat: 2026-11-22T10:00:00-06:00\n",
        body="\n## Notes\n\n### Call 2026-11-22\n\n- Small team\n- ! Loves Rust\n\n## Log\n",
    )
    result = run("draft", "thanks", "kim")
    assert "talk with me yesterday. One thing you said has stayed with me: Loves Rust." in (
        result.stdout
    )
    write_note("lee", "name: Lee Park\ncompany: Acme\nchat: 2026-11-22T10:00:00-06:00\n")
    refused = run("draft", "thanks", "lee")
    assert refused.exit_code == 1
    assert "no call notes for Lee Park" in refused.stderr
    forced = run("draft", "thanks", "lee", "--force")
    assert forced.exit_code == 0
    assert "stayed with me" not in forced.stdout


def test_update_needs_an_outcome(run: Run, write_note: WriteNote) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\n")
    result = run("draft", "update", "kim")
    assert result.exit_code == 1
    assert "no outcome yet: coffeechat set kim outcome=interview" in result.stderr


def test_save_adds_a_drafts_section_and_changes_nothing_else(run: Run, example_vault: Path) -> None:
    note = example_vault / "people" / "arjun-mehta.md"
    before = note.read_text()
    result = run("draft", "thanks", "arjun", "--save", root=example_vault)
    after = note.read_text()
    assert after.startswith(before.rstrip("\n"))
    added = after[len(before.rstrip("\n")) :]
    assert added.startswith("\n\n## Drafts\n\n### Draft (thanks) 2026-11-23\n\nSubject: Thank")
    assert "saved the thanks draft under ## Drafts" in result.stderr


def test_eml_reads_back_unchanged(run: Run, example_vault: Path, tmp_path: Path) -> None:
    path = tmp_path / "arjun.eml"
    result = run("draft", "thanks", "arjun", "--eml", str(path), root=example_vault)
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "Arjun Mehta <arjun.mehta@chaicloud.example>"
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == "Thank you for the chat on Friday"
    assert message["Date"] == "Mon, 23 Nov 2026 09:00:00 -0600"
    body = message.get_body().get_content()  # type: ignore[union-attr]
    assert "Subject:" + " " + message["Subject"] + "\n\n" + body == result.stdout


def vault_template(vault: Path, kind: str, text: str) -> None:
    (vault / "templates").mkdir(exist_ok=True)
    (vault / "templates" / f"{kind}.txt").write_text(text)


def test_a_vault_template_replaces_the_shipped_one(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-01\n")
    vault_template(vault, "nudge", "Hey {{ them.first_name }}, bumping this! {{ me.first_name }}\n")
    assert run("draft", "nudge", "kim").stdout == "Hey Kim, bumping this! Sam\n"


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ("Hi {{ them.nickname }}\n", "templates/nudge.txt:1: 'dict object' has no attribute"),
        ("Hi\n{{ me.__class__.__mro__ }}\n", "templates/nudge.txt:2: not allowed in a template"),
        ("Hi\n\n{% if %}\n", "templates/nudge.txt:3: Expected an expression"),
        ('{% include "/etc/passwd" %}\n', "templates cannot include other files"),
        ("Hi [name], thanks\n", "the draft still holds `[name]`"),
        ("Hi {{ them.role or None }}\n", "the draft still holds `None`"),
    ],
)
def test_bad_templates_fail_with_file_and_line(
    run: Run, vault: Path, write_note: WriteNote, template: str, error: str
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-01\n")
    vault_template(vault, "nudge", template)
    result = run("draft", "nudge", "kim")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert error in result.stderr


def test_doctor_renders_the_vaults_templates(run: Run, vault: Path) -> None:
    vault_template(vault, "thanks", "Hi {{ them.first_name }}\n{{ oops }}\n")
    vault_template(vault, "nudge", "Hi {{ them.first_name }}\n")
    result = run("doctor")
    assert result.exit_code == 1
    assert (
        result.stdout == "templates/thanks.txt:2: 'oops' is undefined; the variables are "
        "listed in the README (Drafts)\n"
    )


def test_eml_is_for_email_drafts(run: Run, example_vault: Path, tmp_path: Path) -> None:
    result = run(
        "draft",
        "thanks",
        "arjun",
        "--channel",
        "linkedin",
        "--eml",
        str(tmp_path / "a.eml"),
        root=example_vault,
    )
    assert result.exit_code == 2
    assert "--eml is for email drafts" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "a.eml").exists()
