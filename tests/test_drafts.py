"""Drafts: every kind on the example vault, the refusals, the templates' sandbox."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, Golden, Run, WriteNote

# Every kind the tool agrees to write on the example vault, across connections: each golden
# file holds the draft, then what the command said on stderr, for review as the contact reads it.
CASES = {
    "outreach-1st-marcus": ["outreach", "marcus", "--force"],
    "outreach-alumni-priya": ["outreach", "priya", "--force"],
    "outreach-intro-chloe": ["outreach", "chloe", "--force"],
    "outreach-2nd-mutual-aisha": ["outreach", "aisha"],
    "outreach-cold-ravi": ["outreach", "ravi", "--force"],
    "outreach-3rd-mei": ["outreach", "mei"],
    "intro-2nd-aisha": ["intro", "aisha"],
    "connect-alumni-priya": ["connect", "priya"],
    "connect-intro-chloe": ["connect", "chloe"],
    "connect-2nd-mutual-aisha": ["connect", "aisha"],
    "connect-cold-ravi": ["connect", "ravi"],
    "connect-3rd-mei": ["connect", "mei"],
    "connect-after-chat-arjun": ["connect", "arjun"],
    "nudge-cold-divya": ["nudge", "divya"],
    "nudge-intro-chloe": ["nudge", "chloe", "--force"],
    "thanks-2nd-arjun": ["thanks", "arjun"],
    "thanks-cold-declined-derek": ["thanks", "derek"],
    "thanks-1st-marcus": ["thanks", "marcus", "--force"],
    "update-cold-rejected-karen": ["update", "karen"],
    "update-alumni-interviewing-hannah": ["update", "hannah"],
    "offer-cold-derek": ["offer", "derek", "--at", "Fjord Health"],
    "offer-alumni-hannah": ["offer", "hannah", "--at", "Lumen Pay"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_and_connection_matches_its_reviewed_golden_file(
    run: Run, example_vault: Path, golden: Golden, case: str
) -> None:
    if "--at" in CASES[case]:  # an offer is news once it is accepted
        at = CASES[case][CASES[case].index("--at") + 1]
        run("company", "step", at, "accepted", "--on", "2026-11-22", root=example_vault)
    result = run("draft", *CASES[case], root=example_vault)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("Once sent: coffeechat ")
    assert "Once sent" not in result.stdout
    golden(f"draft-{case}.txt", result.stdout + "--- stderr\n" + result.stderr)


def test_outreach_is_short_for_everyone_it_can_be_drafted_for(
    run: Run, example_vault: Path
) -> None:
    drafted = 0
    for note in sorted((example_vault / "people").glob("*.md")):
        result = run("draft", "outreach", note.stem, "--force", root=example_vault)
        if result.exit_code == 0:
            drafted += 1
            body = result.stdout.split("\n\n", 1)[1] if "Subject:" in result.stdout else ""
            assert len((body or result.stdout).split()) <= 120, note.stem
            assert "words; short messages" not in result.stderr
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
    long = "I enjoyed your talk on a very long shared history " * 5
    write_note("kim", f"name: Kim Lee\ncompany: Acme\nhook: {long.strip()}\n")
    result = run("draft", "connect", "kim")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "over LinkedIn's 200 (free account)" in result.stderr


LOOKING = MINIMAL_CONFIG + 'looking_for = "backend roles"\n'


def test_a_first_message_needs_something_personal(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    """Seed 004: share your in. `common:` is your shorthand and never counts."""
    (vault / "coffeechat.toml").write_text(LOOKING)
    write_note("kim", "name: Kim Lee\ncompany: Acme\ncommon: [Same bootcamp]\n")
    for kind in ("connect", "outreach"):
        result = run("draft", kind, "kim")
        assert result.exit_code == 1
        assert result.stderr.startswith(
            "Error: nothing personal to say to Kim Lee: share your in. Set a sentence to them "
            'with coffeechat set kim hook="I enjoyed your talk on …"'
        )
    write_note("kim", "name: Kim Lee\ncompany: Acme\nhook: I enjoyed your Rust talk\n")
    result = run("draft", "outreach", "kim")
    assert result.exit_code == 0
    assert " I enjoyed your Rust talk.\n" in result.stdout


def test_connect_is_refused_to_a_first_degree_contact(run: Run, example_vault: Path) -> None:
    result = run("draft", "connect", "marcus", root=example_vault)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: you are connected with Marcus Webb already (`connection: 1st`); write to them "
        "instead: coffeechat draft outreach marcus-webb\n"
    )


def test_a_second_first_message_is_refused(run: Run, example_vault: Path) -> None:
    result = run("draft", "outreach", "priya", root=example_vault)
    assert result.exit_code == 1
    assert "you messaged Priya Raman on 2026-11-09 already: coffeechat draft nudge" in (
        result.stderr
    )


def test_draft_intro_asks_the_mutual_contact_naming_both(run: Run, example_vault: Path) -> None:
    result = run("draft", "intro", "aisha", root=example_vault)
    assert result.exit_code == 0, result.stderr
    subject, body = result.stdout.split("\n\n", 1)
    assert subject == "Subject: Could you introduce me to Aisha Khan?"
    assert body.startswith("Hi Priya,\n\n")  # to the mutual contact, at her email
    # Priya works at Lumen Pay too: she is not told it is high on my list, nor where Aisha works.
    assert (
        "and I'd love to learn more about Lumen Pay from the inside. I noticed you work with "
        "Aisha Khan, Technical Recruiter." in body
    )
    assert "high on my list" not in body
    assert "how Lumen Pay hires for junior backend engineering roles" in body
    assert result.stderr == (
        'Once sent: coffeechat log aisha-khan "asked Priya Raman for an introduction"\n'
    )
    mailto = run("draft", "intro", "aisha", "--mailto", root=example_vault).stdout
    assert mailto.startswith("mailto:priya.raman@lumenpay.example?")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "ravi",
            "no mutual contact for Ravi Shah: add who could introduce you, coffeechat set "
            'ravi-shah mutual="Their Name"',
        ),
        ("chloe", "Chloé Martin was introduced already, by Hannah Lindqvist"),
        ("marcus", "you are connected with Marcus Webb already (`connection: 1st`)"),
    ],
)
def test_draft_intro_is_refused_with_the_reason(
    run: Run, example_vault: Path, name: str, reason: str
) -> None:
    result = run("draft", "intro", name, root=example_vault)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert reason in result.stderr


def test_a_mutual_without_a_note_is_named_as_written(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    (vault / "coffeechat.toml").write_text(LOOKING)
    write_note("kim", 'name: Kim Lee\ncompany: Acme\nconnection: 2nd\nmutual: ["[[Jo Park|Jo]]"]\n')
    result = run("draft", "intro", "kim")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Hi Jo,\n\n")  # no note, no email: for LinkedIn
    assert 'asked Jo Park for an introduction"' in result.stderr


def test_outreach_opens_with_the_introducer_and_cites_the_posting(
    run: Run, example_vault: Path
) -> None:
    body = run("draft", "outreach", "chloe", "--force", root=example_vault).stdout
    assert body.startswith("Subject: Hannah suggested I get in touch\n\nHi Chloé,\n\n")
    assert "\n\nHannah Lindqvist suggested I get in touch. I'm Sam Rivera" in body
    assert "(https://fjordhealth.example/jobs/graduate-backend-engineer)" in body
    marcus = run("draft", "outreach", "marcus", "--force", root=example_vault).stdout
    assert "I'm Sam Rivera" not in marcus  # 1st-degree: no self-introduction
    assert "(https://lumenpay.example/careers/backend-engineer-ledger)" in marcus
    priya = run("draft", "outreach", "priya", "--force", root=example_vault).stdout
    assert "I'm Sam Rivera, a fellow University of Illinois Chicago graduate, and" in priya


def test_a_student_says_so_once(run: Run, write_note: WriteNote, vault: Path) -> None:
    (vault / "coffeechat.toml").write_text(
        'name = "Sam Rivera"\ntimezone = "America/Chicago"\nstudent = true\n'
        'school = "UIC"\nlooking_for = "backend internships"\n'
    )
    write_note("kim", "name: Kim Lee\ncompany: Acme\nconnection: alumni\nschool: UIC\n")
    body = run("draft", "outreach", "kim").stdout
    assert "I'm Sam Rivera, a student at UIC, where you studied too, and I'm looking into" in body
    assert body.count("UIC") == 1


def test_an_intro_connection_needs_the_introducer(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nconnection: intro\n")
    (vault / "coffeechat.toml").write_text(LOOKING)
    result = run("draft", "outreach", "kim")
    assert result.exit_code == 1
    assert "who introduced you to Kim Lee? coffeechat set kim introduced_by=" in result.stderr


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


def test_thanks_quotes_only_the_thanks_and_next_lines(run: Run, write_note: WriteNote) -> None:
    write_note(
        "kim",
        "name: Kim Lee\ncompany: Acme\nchat: 2026-11-22T10:00:00-06:00\n",
        body="\n## Notes\n\n### Call 2026-11-22\n\n- Small team\n- ! Loves Rust, she said\n"
        "- Thanks: your advice on open source was a great help\n"
        "Next: I'll send you my pull request this week.\n\n## Log\n",
    )
    result = run("draft", "thanks", "kim")
    assert result.exit_code == 0
    assert (
        "talk with me yesterday. Your advice on open source was a great help.\n\n"
        "I'll send you my pull request this week.\n"
    ) in result.stdout
    assert "Rust" not in result.stdout
    assert "Small team" not in result.stdout
    write_note("lee", "name: Lee Park\ncompany: Acme\nchat: 2026-11-22T10:00:00-06:00\n")
    bare = run("draft", "thanks", "lee")
    assert bare.exit_code == 0
    assert "Thank you for taking the time to talk with me yesterday.\n\nI'll keep" in bare.stdout
    assert bare.stderr.startswith(
        "Note: no line to thank them for: add `Thanks: …` (a sentence to them) under the "
        "`### Call` section of their note to quote one.\n"
    )


def test_thanks_after_a_declined_referral_is_drafted(run: Run, example_vault: Path) -> None:
    """Seed 004: make sure to send a thank you, whatever the referral."""
    result = run("draft", "thanks", "derek", root=example_vault)
    assert result.exit_code == 0
    assert "Hearing how the on-call work really goes" in result.stdout
    assert "refer" not in result.stdout


def test_a_second_thank_you_is_refused_unless_forced(run: Run, example_vault: Path) -> None:
    result = run("draft", "thanks", "hannah", root=example_vault)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: you thanked Hannah Lindqvist on 2026-11-05 (`thanked:`); --force for another "
        "thank-you\n"
    )
    assert run("draft", "thanks", "hannah", "--force", root=example_vault).exit_code == 0


def test_thanks_after_an_agreed_referral_sends_the_resume_and_the_posting(
    run: Run, example_vault: Path
) -> None:
    assert run("set", "arjun", "referral=agreed", root=example_vault).exit_code == 0
    result = run("draft", "thanks", "arjun", root=example_vault)
    assert result.exit_code == 0
    assert (
        " And thank you for offering to refer me.\n\n"
        "Here is my resume: https://samrivera.example/resume.pdf. The posting is the Backend "
        "Engineer (Kotlin) role: https://chaicloud.example/careers/backend-engineer-kotlin "
        "(requisition CC-1142). Please tell me if you need anything else.\n"
    ) in result.stdout
    assert "also coffeechat mark arjun-mehta sent.\n" in result.stderr
    toml = example_vault / "coffeechat.toml"
    toml.write_text(toml.read_text().replace("https://samrivera.example/", "~/"))
    attached = run("draft", "thanks", "arjun", root=example_vault)
    assert "I've attached my resume. The posting is" in attached.stdout
    assert "Note: attach your resume (~/resume.pdf) before sending.\n" in attached.stderr
    assert "promises your resume" not in attached.stderr
    note = example_vault / "people" / "arjun-mehta.md"
    note.write_text(
        note.read_text().replace("Thanks: Your tip", "Next: I'll send my resume.\nThanks: Your tip")
    )
    promised = run("draft", "thanks", "arjun", root=example_vault)
    assert "your `Next:` line promises your resume, which this draft already sends" in (
        promised.stderr
    )


def test_update_reads_the_companys_application(run: Run, example_vault: Path) -> None:
    hannah = run("draft", "update", "hannah", root=example_vault)
    assert "Fjord Health has invited me to interview for the Graduate Backend Engineer role" in (
        hannah.stdout
    )
    refused = run("draft", "update", "marcus", root=example_vault)
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: no application recorded for Lumen Pay: `coffeechat company step "
        '"Lumen Pay" STATUS` records one (applied, interviewing, offer, rejected…)\n'
    )
    cold = run("draft", "update", "jonas", root=example_vault)
    assert cold.exit_code == 1
    assert "Jonas Becker has not helped with this search yet" in cold.stderr


def test_a_value_that_reads_as_a_note_is_pointed_out(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nhook: Her talk on Rust (great). Mention it\n")
    refused = run("draft", "connect", "kim")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: nothing personal to say to Kim Lee: their `hook` reads as a note (an aside in "
        "brackets, `(great)`), so no draft quotes it. Rephrase it as a sentence to them: "
        'coffeechat set kim hook="I enjoyed your talk on …"\n'
    )
    write_note(
        "acme", "name: Acme\ninterest: I use your scheduling app every week.\n", folder="companies"
    )
    result = run("draft", "connect", "kim")
    assert result.exit_code == 0
    assert result.stdout == (
        "Hi Kim,\n\nI use your scheduling app every week. I'd be glad to connect.\n\nSam\n"
    )
    assert (
        "Note: people/kim.md:4: left out of the draft: `hook` reads as a note (an aside in "
        "brackets, `(great)`), not as a sentence to them: rephrase it as you would write it to "
        'them, e.g. "I enjoyed your talk on consumer lag.", and it goes in.\n'
    ) in result.stderr
    doctor = run("doctor")
    assert "people/kim.md:4: `hook` reads as a note (an aside in brackets, `(great)`)" in (
        doctor.stdout
    )


def test_a_company_value_may_speak_of_others(run: Run, write_note: WriteNote, vault: Path) -> None:
    """Pronouns in a company's written-to-them values are about someone else, not the
    reader: no warning. An aside in brackets still is one."""
    with (vault / "coffeechat.toml").open("a") as config:
        config.write('looking_for = "backend roles"\n')
    write_note(
        "acme",
        "name: Acme\ninterest: Your scheduling app got my mom through her physical therapy\n",
        folder="companies",
    )
    write_note("kim", "name: Kim Lee\ncompany: Acme\n")
    draft = run("draft", "outreach", "kim", "--channel", "linkedin")
    assert "reads as a note" not in draft.stderr
    assert "got my mom through her physical therapy" in draft.stdout
    assert "reads as a note" not in run("doctor").stdout
    write_note("acme", "name: Acme\ninterest: Their app (I use it daily)\n", folder="companies")
    assert "`interest` reads as a note (an aside in brackets, `(I use it daily)`)" in (
        run("doctor").stdout
    )


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
        "listed in docs/drafts.md\n"
    )


def test_every_name_a_shipped_template_uses_is_declared_for_the_readme() -> None:
    import jinja2
    from jinja2 import meta, nodes

    from coffeechat.drafts.context import MINE, VARIABLES
    from coffeechat.drafts.render import SHIPPED

    environment = jinja2.Environment()
    for path in sorted(SHIPPED.glob("*.txt")):
        tree = environment.parse(path.read_text())
        assert meta.find_undeclared_variables(tree) <= {v.name for v in VARIABLES}, path.name
        mine = {
            node.attr
            for node in tree.find_all(nodes.Getattr)
            if isinstance(node.node, nodes.Name) and node.node.name == "me"
        }
        assert mine <= {setting.name for setting in MINE}, path.name


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


@pytest.mark.parametrize(
    ("kind", "about"),
    [
        ("engineer", "about working on Payments."),
        ("manager", "about the Payments team and what it looks for in new people."),
    ],
)
def test_an_intro_request_speaks_of_them_without_repeating_the_name(
    run: Run, example_vault: Path, kind: str, about: str
) -> None:
    run("set", "aisha", f"kind={kind}", "team=Payments", root=example_vault)
    draft = run("draft", "intro", "aisha", root=example_vault).stdout
    assert f"I'd like to ask Aisha for 15 minutes {about}" in draft
    assert "Aisha's" not in draft


def test_a_thanks_line_that_thanks_is_not_thanked_twice(run: Run, write_note: WriteNote) -> None:
    write_note(
        "ben",
        "name: Ben Okafor\nchat: 2026-11-20T10:00:00-06:00\n",
        body="\n## Notes\n\n### Call 2026-11-20\n\n"
        "Thanks: Thank you for the honest take on on-call.\n\n## Log\n",
    )
    text = run("draft", "thanks", "ben").stdout
    assert (
        "It was good to talk with you on Friday. Thank you for the honest take on on-call.\n"
        in text
    )
    assert text.count("Thank you") == 1


def test_doctor_points_out_call_lines_that_read_as_notes(run: Run, write_note: WriteNote) -> None:
    write_note(
        "ben",
        "name: Ben Okafor\nchat: 2026-11-20T10:00:00-06:00\n",
        body="\n## Notes\n\n### Call 2026-11-20\n\nThanks: He said the take-home is the real "
        "filter.\n\n## Log\n",
    )
    out = run("doctor").stdout
    assert "people/ben.md:10: `Thanks: line` reads as a note (it speaks of them as `He`)" in out
    write_note("ben", "name: Ben Okafor\nchat: 2026-11-20T10:00:00-06:00\nthanked: 2026-11-21\n")
    assert "Thanks: line" not in run("doctor").stdout  # the thank-you went out: nothing quotes it


def test_an_intro_through_someone_elsewhere_says_where_they_work(
    run: Run, example_vault: Path
) -> None:
    run("set", "priya", "company=Chai Cloud", root=example_vault)
    body = run("draft", "intro", "aisha", root=example_vault).stdout
    assert "and Lumen Pay is high on my list. I noticed you're connected with Aisha Khan, " in body
    assert "Technical Recruiter at Lumen Pay." in body


def test_a_note_to_keep_in_touch_for_everyone_reads_warm_and_asks_nothing(
    run: Run, example_vault: Path, golden: Golden
) -> None:
    """`draft checkin` with no referral open, for every example person: during the search,
    then once an offer is accepted (a thank-you and an offer of help back to who helped).
    One golden file, read as each of them would read it."""
    read: list[str] = []
    for moment in ("during the search", "after an offer at Fjord Health"):
        if moment.startswith("after"):
            run(
                "company",
                "step",
                "Fjord Health",
                "accepted",
                "--on",
                "2026-11-22",
                root=example_vault,
            )
        for note in sorted((example_vault / "people").glob("*.md")):
            result = run(
                "draft",
                "checkin",
                note.stem,
                "--force",
                "--channel",
                "linkedin",
                root=example_vault,
            )
            assert result.exit_code == 0, (note.stem, result.stderr)
            text = result.stdout
            read.append(f"=== {note.stem}, {moment}\n{text}")
            if "referral" in text:
                continue  # Marcus's referral is still open: that check-in is about it
            body = text.split("Best,")[0]
            assert "?" not in body, note.stem  # it asks for nothing
            assert len(body.split()) <= 90, note.stem
            assert "No need to reply" in body
            assert "None" not in text
            assert "{" not in text
    golden("draft-checkin-every-person.txt", "\n".join(read))
