"""Question banks, the lint, and prep sheets, as the user meets them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import Result

from coffeechat.model.note import Person
from coffeechat.prep.questions import AUDIENCES, REFERRAL_TOPIC, bank_paths, lint, load_banks
from conftest import EXAMPLE_VAULT, MINIMAL_CONFIG, Golden, Run, WriteNote

DATA = Path(__file__).parent / "data"


def labelled(name: str) -> list[tuple[bool, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, question = line.split("\t")
            rows.append((label == "flag", question))
    return rows


def precision_recall(rows: list[tuple[bool, str]]) -> tuple[float, float]:
    flagged = [(should, lint(question) is not None) for should, question in rows]
    true_positives = sum(should and did for should, did in flagged)
    precision = true_positives / max(1, sum(did for _, did in flagged))
    recall = true_positives / max(1, sum(should for should, _ in flagged))
    return precision, recall


def test_the_lint_on_questions_it_was_never_tuned_on() -> None:
    rows = labelled("lint_questions_final.tsv")
    assert len(rows) >= 60
    precision, recall = precision_recall(rows)
    assert precision >= 0.9
    assert recall >= 0.9


def test_the_lint_on_the_questions_written_for_the_rewritten_banks() -> None:
    # Every question the rewrite added, and as many bad ones on the same topics, labelled
    # before the lint saw them: precision 1.00, recall 0.97 (it misses "Can you tell me the
    # headcount of your team?").
    rows = labelled("lint_questions_banks.tsv")
    assert len(rows) >= 70
    precision, recall = precision_recall(rows)
    assert precision >= 0.9
    assert recall >= 0.9


def test_the_lint_on_every_labelled_question() -> None:
    rows = [
        row
        for name in (
            "lint_questions.tsv",
            "lint_questions_heldout.tsv",
            "lint_questions_fresh.tsv",
            "lint_questions_final.tsv",
            "lint_questions_banks.tsv",
        )
        for row in labelled(name)
    ]
    assert len(rows) >= 100
    assert abs(sum(flag for flag, _ in rows) - len(rows) / 2) <= 2  # half and half
    precision, recall = precision_recall(rows)
    assert precision >= 0.9
    assert recall >= 0.9


def test_the_shipped_banks_are_big_varied_and_clean(run: Run) -> None:
    banks, problems = load_banks(bank_paths(None))
    questions = [q for bank in banks for q in bank.questions]
    assert problems == []
    assert len(questions) >= 80
    assert len({bank.topic for bank in banks} - {REFERRAL_TOPIC}) >= 7
    assert {bank.audience for bank in banks} == set(AUDIENCES)
    result = run("questions", "--lint")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{len(questions)} questions in {len(banks)} banks")


def test_lint_names_each_bad_question_by_file_and_line(run: Run, vault: Path) -> None:
    mine = vault / "mine.md"
    mine.write_text(
        "My questions\n\n- How many employees does {company} have?\n"
        "- What do you enjoy most here?\n- Is it fun?\n"
    )
    result = run("questions", "--lint", "mine.md")
    assert result.exit_code == 1
    assert result.stdout == (
        "mine.md:3: a web search answers this (a headcount or count); "
        "ask what only they can tell you\n"
        "mine.md:5: a yes/no question; ask how, what or why instead\n"
    )


def test_list_by_audience_shows_theirs_and_everyones(run: Run) -> None:
    result = run("questions", "--audience", "recruiter")
    headers = [line for line in result.stdout.splitlines() if "·" in line]
    assert headers
    assert all(line.startswith(("recruiter ·", "any ·")) for line in headers)


def test_a_vault_bank_adds_and_replaces(run: Run, vault: Path, write_note: WriteNote) -> None:
    banks = vault / "question_banks"
    banks.mkdir()
    (banks / "any-advice.md").write_text(
        "---\naudience: any\ntopic: advice\n---\n\n- What do you wish you had known sooner?\n"
    )
    (banks / "mine.md").write_text(
        "---\naudience: wizard\ntopic: magic\n---\n\n- What spell do you use most?\n"
    )
    result = run("questions", "--topic", "advice", "--json")
    records = json.loads(result.stdout)["questions"]
    assert [q["text"] for q in records if q["file"].endswith("any-advice.md")] == [
        "What do you wish you had known sooner?"
    ]
    assert any(q["file"].endswith("recruiter-advice.md") for q in records)
    assert "question_banks/mine.md:2: audience `wizard` is not one of" in result.stderr


@pytest.mark.parametrize(
    "stem",
    ["priya-raman", "aisha-khan", "hannah-lindqvist", "derek-lund", "marcus-webb", "jonas-becker"],
)
def test_prep_sheets_match_the_reviewed_golden_files(
    run: Run, example_vault: Path, golden: Golden, stem: str
) -> None:
    result = run("prep", stem, root=example_vault)
    assert result.exit_code == 0
    golden(f"prep-{stem}.md", result.stdout)


def test_prep_is_the_same_all_day_and_fills_every_placeholder(
    run: Run, example_vault: Path
) -> None:
    first = run("prep", "priya", root=example_vault).stdout
    assert first == run("prep", "priya", root=example_vault).stdout
    assert not re.search(r"[{}\[\]]\w", first.replace("[ ]", ""))
    assert "None" not in first


def test_a_question_without_a_value_for_its_placeholder_is_skipped(
    run: Run, write_note: WriteNote
) -> None:
    write_note("kim", "name: Kim Lee\nkind: engineer\n")
    sheet = run("prep", "kim", "--count", "30").stdout
    questions = sheet.split("## Questions")[1].split("## The")[0]
    assert "{" not in questions
    assert "at ." not in questions
    assert len(re.findall(r"^\d+\. ", questions, re.MULTILINE)) >= 10


def section(sheet: str, title: str) -> str:
    """The lines of one part of the sheet: a `## Title` section or an agenda step."""
    if title.startswith("## "):
        return sheet.split(title + "\n\n", 1)[1].split("\n## ", 1)[0].strip("\n")
    lines = sheet.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("- **") and title in line)
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith("  ")), len(lines)
    )
    return "\n".join(lines[start:end])


def test_a_colleague_is_asked_for_a_referral_with_cues(run: Run, example_vault: Path) -> None:
    sheet = run("prep", "priya", root=example_vault).stdout
    assert section(sheet, "Ask about the referral") == (
        "- **10 min · 3:10 PM** — **Ask about the referral**\n"
        "  - “This has made me even keener on Lumen Pay. Would it make sense for me to look for "
        "a referral, from you or from someone you think knows my kind of work better?”\n"
        "  - If they already offered: thank them, and go straight to the next part.\n"
        "  - If the call has felt flat: don't ask. Ask who else would be worth talking to."
    )
    assert section(sheet, "How referrals work there") == (
        "- **11 min · 3:11 PM** — How referrals work there\n"
        "  - How does a referral work at Lumen Pay: a form, a message to a recruiter, "
        "something else?\n"
        "  - What order works best here: applying online first, or the referral first?\n"
        "  - What could I send you that would make the referral easy: my resume, the posting, "
        "a few lines about me?"
    )


def test_a_recruiter_is_asked_about_the_opening_how_to_apply_and_when(
    run: Run, example_vault: Path
) -> None:
    sheet = run("prep", "aisha", root=example_vault).stdout
    assert "“I'd really like to be considered at Lumen Pay for junior backend engineering " in sheet
    assert section(sheet, "Applying there") == (
        "- **11 min** — Applying there\n"
        "  - Which opening would you point me towards, and why that one?\n"
        "  - What is the best way for me to apply, so that my application reaches you?\n"
        "  - What does the timeline usually look like between applying and a first conversation?"
    )
    assert "once you refer me" not in sheet


def test_a_founder_is_asked_whether_there_is_a_place_and_how_to_apply(
    run: Run, write_note: WriteNote
) -> None:
    write_note(
        "tomas",
        "name: Tomás Ortega\ncompany: Tiny Ledger\nrole: Co-founder & CTO\nkind: engineer\n",
    )
    sheet = run("prep", "tomas").stdout
    assert "**Co-founder & CTO** at Tiny Ledger  \nengineer · founder  \n" in sheet
    assert section(sheet, "Ask about the referral").splitlines()[1] == (
        "  - “Everything you've told me makes me keen on Tiny Ledger. Is there a place on your "
        "team, or elsewhere there, for someone looking for work like mine?”"
    )
    assert section(sheet, "How to apply") == (
        "- **11 min** — How to apply\n"
        "  - How would you like me to apply: through the careers page, or by sending things to "
        "you?\n"
        "  - What would you want to see from me before a first interview: code, a project, a "
        "short note?\n"
        "  - What does the timeline usually look like from here, on your side?"
    )
    assert "a form, a message to a recruiter" not in sheet


@pytest.mark.parametrize(
    ("seniority", "role", "shown"),
    [
        ("", "Founder", "founder"),
        ("", "CTO", "executive"),
        ("", "VP Engineering", "VP"),
        ("", "Head of Platform", "head of"),
        ("", "Director of Engineering", "director"),
        ("staff", "Director of Engineering", "staff"),
        ("", "Senior Engineer", ""),
    ],
)
def test_seniority_knows_founders_and_executives(seniority: str, role: str, shown: str) -> None:
    from coffeechat.prep.choose import ask_family, seniority_of

    person = Person(Path("p.md"), "P", role=role, seniority=seniority, kind="engineer")
    assert seniority_of(person) == shown
    assert ask_family(person) == ("colleague" if role == "Senior Engineer" else "hiring")


def test_declined_no_ask_why_and_who_else(run: Run, example_vault: Path) -> None:
    sheet = run("prep", "derek", root=example_vault).stdout
    assert sheet.split("**Senior Software Engineer**")[0] == (
        "# Coffee chat: Derek Lund (Prairie Logistics)\n\n"
        "> **Closed: Derek declined to refer you, so this sheet has no ask. Your notes from "
        "the call below say why.**\n\n"
        "> **Others at Prairie Logistics in your vault: Karen Olson (manager, closed). None is "
        "still open: look for someone new there.**\n\n"
        "> **The chat was on Fri Sep 25 (59 days ago) and no new one is set: this sheet is for "
        "a next call. Set one with `coffeechat schedule derek-lund WHEN`.**\n\n"
    )
    assert section(sheet, "## From your notes: Call 2026-09-25") == (
        "- Only refers people he has shipped code with; suggested Karen instead.\n"
        "- Their on-call is light: one page a month, mostly EDI feeds from carriers.\n"
        "- Thanks: Hearing how the on-call work really goes, and being pointed to Karen, "
        "helped me more than any job post could."
    )
    assert section(sheet, "The referral") == (
        "- **10 min** — The referral\n"
        "  - Derek declined to refer you: don't ask again. Ask who else at Prairie Logistics "
        "would be worth talking to."
    )
    assert "Ask about the referral" not in sheet
    assert not (example_vault / "prep").exists()  # no next chat: no questions kept for it


def test_declined_with_someone_open_at_the_company(run: Run, write_note: WriteNote) -> None:
    write_note("ann", "name: Ann Bo\ncompany: Acme\nkind: engineer\nreferral: declined\n")
    write_note("cy", "name: Cy Dee\ncompany: ACME\nkind: recruiter\nmessaged: 2026-11-20\n")
    sheet = run("prep", "ann").stdout
    assert "> **Others at Acme in your vault: Cy Dee (recruiter, messaged).**\n" in sheet
    write_note("cy", "name: Cy Dee\ncompany: Elsewhere\n")
    sheet = run("prep", "ann").stdout
    assert (
        "> **No one else at Acme is in your vault yet: add someone with `coffeechat add NAME "
        '--company "Acme"`.**\n'
    ) in sheet


def test_asked_follows_through_instead_of_asking_again(run: Run, example_vault: Path) -> None:
    sheet = run("prep", "marcus", root=example_vault).stdout
    assert "Ask about the referral" not in sheet
    assert section(sheet, "The referral you asked about") == (
        "- **10 min** — The referral you asked about\n"
        "  - You asked on Wed Nov 18: no second ask. Ask where it stands, and whether they need "
        "anything more from you; do what your notes from that call say."
    )
    assert "- Said to apply online first, then tell him so he can ping the hiring manager." in (
        section(sheet, "## From your notes: Call 2026-11-18")
    )
    assert (
        "- [ ] When they answer: `coffeechat set marcus-webb referral=agreed` "
        "(or `referral=declined`)." in sheet
    )


def test_agreed_settles_what_is_left(run: Run, write_note: WriteNote) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nkind: engineer\nreferral: agreed\n")
    sheet = run("prep", "kim").stdout
    assert "Ask about the referral" not in sheet
    assert section(sheet, "The referral") == (
        "- **10 min** — The referral\n"
        "  - They agreed to refer you: no need to ask. Settle what is left:\n"
        "  - How does a referral work at Acme: a form, a message to a recruiter, something else?\n"
        "  - What order works best here: applying online first, or the referral first?\n"
        "  - What could I send you that would make the referral easy: my resume, the posting, "
        "a few lines about me?"
    )
    assert section(sheet, "## After the call").splitlines()[3:6] == [
        "- [ ] Today: send them what they need, your resume and the posting link.",
        "- [ ] Once they have put it in: `coffeechat set kim referral=submitted`.",
        "- [ ] When you hear about the application: `coffeechat draft update kim`.",
    ]


def test_submitted_leaves_only_the_steps_that_remain(
    run: Run, example_vault: Path, write_note: WriteNote
) -> None:
    sheet = run("prep", "hannah", root=example_vault).stdout  # Fjord Health is interviewing
    assert section(sheet, "The interview") == (
        "- **10 min** — The interview\n"
        "  - You are interviewing there: no referral ask, and nothing on how to apply. Ask what "
        "the coming round rewards and what the team looks for, and thank them for their part."
    )
    assert "once you refer me" not in sheet
    write_note("kim", "name: Kim Lee\ncompany: Acme\nreferral: submitted\n")
    sheet = run("prep", "kim").stdout
    assert "they submitted the referral and you have not applied yet" in sheet.lower()
    assert "- [ ] Apply online if they said to, then `coffeechat mark kim applied`.\n" in sheet


def test_a_past_chat_says_so_at_the_top(run: Run, example_vault: Path) -> None:
    sheet = run("prep", "arjun", root=example_vault).stdout
    assert sheet.startswith(
        "# Coffee chat: Arjun Mehta (Chai Cloud)\n\n"
        "> **The chat was on Fri Nov 20 (3 days ago) and no new one is set: this sheet is for "
        "a next call. Set one with `coffeechat schedule arjun-mehta WHEN`.**\n\n"
    )
    assert "Last chat: Fri Nov 20, 9:00 AM CST (8:30 PM IST for them)" in sheet
    assert "- **10 min** — **Ask about the referral**" in sheet  # no clock times: it is past
    upcoming = run("prep", "priya", root=example_vault).stdout
    assert not upcoming.split("\n\n")[1].startswith(">")


def test_a_closed_contact_says_so(run: Run, example_vault: Path) -> None:
    sheet = run("prep", "karen", root=example_vault).stdout
    assert sheet.split("\n\n")[1] == (
        "> **Closed: the application at Prairie Logistics has ended (they said no), so this sheet "
        "has no ask.**"
    )
    assert section(sheet, "The application") == (
        "- **10 min** — The application\n"
        "  - The application has ended: nothing to ask. Say what you learned, and that you "
        "would like to hear if a role opens on their team later."
    )


def test_three_must_ask_questions_then_backups(run: Run, example_vault: Path) -> None:
    sheet = run("prep", "priya", root=example_vault).stdout
    must = section(sheet, "## Questions: ask these").split("\n\n")
    assert [line[:3] for line in must[0].splitlines()] == ["1. ", "2. ", "3. "]
    assert must[1] == "Backups, when an answer runs short:"
    assert [line[:3] for line in must[2].splitlines()] == ["4. ", "5. ", "6. "]
    assert section(sheet, "— Questions") == (
        "- **2 min · 3:02 PM** — Questions\n"
        "  - Ask the three above, a backup when an answer runs short; follow what they light "
        "up about."
    )


@pytest.mark.parametrize(
    ("minutes", "config", "ask_at"),
    [
        (15, "", 10),
        (20, "", 13),
        (30, "", 20),
        (45, "", 30),
        (5, "", 2),
        (30, "ask_at_minute = 12\n", 24),  # the setting is for a call of chat_minutes
        (30, "chat_minutes = 30\nask_at_minute = 15\n", 15),
        (15, "chat_minutes = 30\nask_at_minute = 15\n", 8),
    ],
)
def test_the_ask_minute_scales_with_the_call(
    run: Run, vault: Path, write_note: WriteNote, minutes: int, config: str, ask_at: int
) -> None:
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + config)
    write_note("kim", "name: Kim Lee\ncompany: Acme\nkind: engineer\n")
    record = json.loads(run("prep", "kim", "--minutes", str(minutes), "--json").stdout)
    assert record["ask"]["minute"] == ask_at
    assert record["minutes"] == minutes
    assert [step["minute"] for step in record["agenda"]] == [
        0,
        2,
        ask_at,
        ask_at + 1,
        minutes - 2,
        minutes,
    ]


def test_ask_at_is_taken_as_given(run: Run, example_vault: Path) -> None:
    record = json.loads(
        run(
            "prep", "priya", "--minutes", "30", "--ask-at", "12", "--json", root=example_vault
        ).stdout
    )
    assert record["ask"]["minute"] == 12


def test_prep_json_is_the_sheet_as_data(run: Run, example_vault: Path) -> None:
    result = run("prep", "priya", "--json", root=example_vault)
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert list(record) == [
        "version",
        "person",
        "chat",
        "chat_ahead",
        "minutes",
        "warnings",
        "openers",
        "research",
        "last_call",
        "lessons",
        "questions",
        "ask",
        "agenda",
        "after",
        "cautions",
    ]
    assert record["person"] == {
        "name": "Priya Raman",
        "file": "people/priya-raman.md",
        "company": "Lumen Pay",
        "role": "Senior Software Engineer, Payments API",
        "kind": "engineer",
        "seniority": "senior",
        "connection": "alumni",
        "referral": None,
    }
    assert record["chat"] == "2026-11-25T15:00:00-06:00"
    assert record["chat_ahead"] is True
    assert record["warnings"] == []
    assert record["last_call"] is None
    assert record["openers"][:2] == [
        "Mention: Wrote the idempotency post on the Lumen Pay blog.",
        "You both went to University of Illinois Chicago.",
    ]
    assert record["research"][0].startswith("Her post: retries carry a client key")
    assert [q["must"] for q in record["questions"]] == [True] * 3 + [False] * 3
    assert [q["source"] for q in record["questions"]] == [
        "notes",
        "notes",
        "bank",
        "company",
        "bank",
        "bank",
    ]
    sheet = run("prep", "priya", root=example_vault).stdout
    assert [q["text"] for q in record["questions"]] == re.findall(
        r"^\d+\. (.*)$", sheet, re.MULTILINE
    )
    assert all(re.fullmatch(r"[0-9a-f]{8}", q["id"]) for q in record["questions"])
    assert record["ask"]["minute"] == 10
    assert record["ask"]["text"].startswith("This has made me even keener on Lumen Pay.")
    assert record["after"][0].startswith("Write down what you learned")
    derek = json.loads(run("prep", "derek", "--json", root=example_vault).stdout)
    assert derek["ask"] is None
    assert derek["chat"] == "2026-09-25T14:00:00-05:00"
    assert derek["chat_ahead"] is False
    assert len(derek["warnings"]) == 3
    assert derek["last_call"]["title"] == "Call 2026-09-25"
    nobody = json.loads(run("prep", "aisha", "--json", root=example_vault).stdout)
    assert nobody["chat"] is None


def test_no_sheet_holds_two_questions_from_one_cluster() -> None:
    from datetime import datetime

    from coffeechat.prep.choose import placeholder_values, plan_for
    from coffeechat.store.vault import open_store

    banks, _ = load_banks(bank_paths(None))
    assert sum(q.cluster != "" for bank in banks for q in bank.questions) >= 30
    vault = open_store(EXAMPLE_VAULT, use_cache=False)
    people = vault.people().notes
    assert len(people) == 13
    for person in people:
        values = placeholder_values(person, vault.config)
        group = {q.fill(values): q.group for bank in banks for q in bank.questions}
        for day in ("2026-11-23", "2026-11-24", "2026-12-01", "2027-01-15"):
            now = datetime.fromisoformat(f"{day}T09:00:00-06:00")
            for minutes in (15, 30):
                plan = plan_for(person, vault.config, banks, set(), now, minutes=minutes, count=12)
                texts = [picked.text for picked in plan.questions]
                texts += [line for line in plan.referral if line in group]
                groups = [group[text] for text in texts]
                assert len(groups) == len(set(groups)), (person.name, day, minutes)


def test_saved_sheets_link_log_and_are_not_repeated(run: Run, example_vault: Path) -> None:
    note = example_vault / "people" / "priya-raman.md"
    result = run("prep", "priya", "--save", root=example_vault)
    assert result.exit_code == 0
    saved = example_vault / "prep" / "2026-11-23-priya-raman.md"
    text = saved.read_text()
    assert text.startswith(
        '---\nperson: "[[priya-raman|Priya Raman]]"\ncompany: Lumen Pay\ndate: 2026-11-23\n'
    )
    assert "Note: [[priya-raman|Priya Raman]] · Company: [[lumen-pay|Lumen Pay]]" in text
    assert note.read_text().endswith("- 2026-11-23: prep sheet: prep/2026-11-23-priya-raman.md\n")
    asked = set(re.findall(r"^\d+\. (.*)$", text, re.MULTILINE))

    # Saving again the same day replaces the sheet, same questions, no second log line.
    run("prep", "priya", "--save", root=example_vault)
    assert set(re.findall(r"^\d+\. (.*)$", saved.read_text(), re.MULTILINE)) == asked
    assert note.read_text().count("prep sheet:") == 1

    # Ravi works at Lumen Pay too: his sheet asks something new.
    ravi = run("prep", "ravi", root=example_vault).stdout
    assert asked.isdisjoint(re.findall(r"^\d+\. (.*)$", ravi, re.MULTILINE))


def ids_of(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [q["id"] for q in json.loads(result.stdout)["questions"]]


def test_one_plan_per_chat_kept_across_days_until_the_chat(
    run: Run, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Monday: the sheet is saved; the questions are kept for Wednesday's chat.
    result = run("prep", "priya", "--save", root=example_vault)
    assert "Kept these questions for the next chat with Priya Raman" in result.stderr
    kept = json.loads((example_vault / "prep" / "plans" / "priya-raman.json").read_text())
    monday = ids_of(run("prep", "priya", "--json", root=example_vault))
    # Two from her note, then the kept ones with the company's question among them.
    assert monday[2:] == kept["questions"]

    # Tuesday evening and Wednesday morning: the same questions, in the same order.
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-24T20:05:00-06:00")
    assert ids_of(run("prep", "priya", "--json", root=example_vault)) == monday
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-25T09:30:00-06:00")
    result = run("prep", "priya", "--json", root=example_vault)
    assert ids_of(result) == monday
    assert "Kept these questions" not in result.stderr

    # A new pick on request, kept from then on.
    shuffled = ids_of(run("prep", "priya", "--json", "--reshuffle", root=example_vault))
    assert set(shuffled[2:]).isdisjoint(monday[2:])
    assert ids_of(run("prep", "priya", "--json", root=example_vault)) == shuffled

    # After the chat (Wed 3 PM), the next sheet asks something new, never what was kept.
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-11-26T09:00:00-06:00")
    later = ids_of(run("prep", "priya", "--json", root=example_vault))
    assert set(later[2:]).isdisjoint(shuffled[2:])
    kept = json.loads((example_vault / "prep" / "plans" / "priya-raman.json").read_text())
    assert set(shuffled[2:]) <= set(kept["earlier"])
    # Her colleague at Lumen Pay is not asked what she was asked, nor what is kept for her.
    ravi = ids_of(run("prep", "ravi", "--json", root=example_vault))
    assert set(ravi).isdisjoint(set(kept["questions"]) | set(kept["earlier"]))


def test_a_plan_that_cannot_be_kept_is_a_warning(run: Run, example_vault: Path) -> None:
    (example_vault / "prep").mkdir()
    (example_vault / "prep" / "plans").write_text("not a folder")
    result = run("prep", "priya", root=example_vault)
    assert result.exit_code == 0
    assert "## Questions: ask these" in result.stdout
    assert "Warning: could not keep this chat's questions" in result.stderr


def test_a_damaged_plan_file_means_new_questions(run: Run, example_vault: Path) -> None:
    plans = example_vault / "prep" / "plans"
    plans.mkdir(parents=True)
    (plans / "priya-raman.json").write_text('{"questions": [1, {"x": 2}], "made": "soon"')
    assert run("prep", "priya", root=example_vault).exit_code == 0
    assert json.loads((plans / "priya-raman.json").read_text())["questions"]


def test_the_store_reads_back_what_prep_kept(run: Run, example_vault: Path) -> None:
    from coffeechat.prep.plans import MAX_BYTES, plans_from, used_question_ids
    from coffeechat.store.vault import open_store

    assert run("prep", "priya", "--save", root=example_vault).exit_code == 0
    store = open_store(example_vault, use_cache=False)
    priya = store.person("priya")
    (saved,) = store.saved_sheets()
    saved_ids = {str(item) for item in saved["questions"]}
    assert saved_ids
    assert used_question_ids([saved], priya) == saved_ids
    assert store.saved_sheets(leave_out=next((example_vault / "prep").glob("*.md"))) == []
    plans = example_vault / "prep" / "plans"
    (plans / "huge.json").write_bytes(b" " * (MAX_BYTES + 1))
    (plans / "bad.json").write_bytes(b"\xff{")
    files = store.kept_plan_files(MAX_BYTES)
    assert sorted(files) == ["bad", "priya-raman"]
    assert sorted(plans_from(files)) == ["priya-raman"]


def test_the_sheet_uses_what_the_notes_mark_for_the_call(run: Run, write_note: WriteNote) -> None:
    write_note(
        "ravi",
        "name: Ravi Shah\nkind: engineer\ncompany: Lumen Pay\nconnection: 2nd\n"
        'common: ["Mutual connection: Priya Raman"]\n',
        "\n## Notes\n\nGave a talk on Kafka consumer lag at GopherCon. Mention it.\n\n"
        "> [!tip] On-call\n> ask how the rotation works\n\n"
        "## Prep\n\n- Team of six; Go services on Kafka.\n- Why Kafka over a queue?\n\n## Log\n",
    )
    sheet = run("prep", "ravi").stdout
    openers = sheet.split("## Openers\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert openers == [
        "- Mention: Gave a talk on Kafka consumer lag at GopherCon.",
        "- You both know Priya Raman: say how you know them.",
    ]
    assert "## Your research\n\n- Team of six; Go services on Kafka.\n" in sheet
    assert "- Tip: On-call ask how the rotation works\n" in sheet
    questions = re.findall(r"^\d+\. (.*)$", sheet, re.MULTILINE)
    assert questions[:2] == [
        "Why Kafka over a queue?",
        "I saw you gave a talk on Kafka consumer lag at GopherCon. What led you to it, and "
        "what did it teach you?",
    ]
    assert "In common: Mutual connection" not in sheet


def test_the_company_note_feeds_a_question(run: Run, write_note: WriteNote) -> None:
    write_note(
        "tiny-ledger",
        "name: Tiny Ledger\nstack: [Elixir, Postgres]\nhiring: frozen\n",
        "\n",
        folder="companies",
    )
    write_note("tomas", "name: Tomás Ruiz\nkind: engineer\ncompany: Tiny Ledger\n")
    write_note("rosa", "name: Rosa Diaz\nkind: recruiter\ncompany: Tiny Ledger\n")
    assert (
        "Tiny Ledger works in Elixir and Postgres: which of them shapes your day most"
        in run("prep", "tomas").stdout
    )
    assert "With hiring slow at Tiny Ledger for now" in run("prep", "rosa").stdout
    # Every question a company note can give passes the lint the banks pass.
    from coffeechat.model.note import Company
    from coffeechat.prep.choose import company_question

    # One tool is not "them".
    engineer = Person("people/x.md", "X", company="Tiny Ledger", kind="engineer")
    one = company_question(engineer, Company("companies/t.md", "Tiny Ledger", stack=("Go",)))
    assert one is not None
    assert one.text == (
        "Tiny Ledger works in Go: how does it shape your day, and what would you change?"
    )
    for kind in ("engineer", "manager", "recruiter"):
        for values in (
            {"stack": ("Elixir", "Postgres")},
            {"stack": ("Go",)},
            {"news": "Raised a seed round in October."},
            *({"hiring": hiring} for hiring in ("growth", "entry", "frozen")),
        ):
            company = Company("companies/t.md", "Tiny Ledger", **values)  # type: ignore[arg-type]
            asked = Person("people/x.md", "X", company="Tiny Ledger", kind=kind)
            question = company_question(asked, company)
            assert question is None or lint(question.text) is None, question


def test_html_is_one_self_contained_page(run: Run, example_vault: Path, tmp_path: Path) -> None:
    page = tmp_path / "priya.html"
    result = run("prep", "priya", "--html", str(page), root=example_vault)
    assert result.exit_code == 0
    html = page.read_text()
    assert html.startswith("<!doctype html>")
    assert "<title>Coffee chat: Priya Raman</title>" in html
    assert "<script" not in html
    assert "<link" not in html
    assert "<strong>Ask about the referral</strong>" in html
    # Saved for Obsidian, the sheet links the notes; on paper it names them.
    run("prep", "priya", "--save", "--html", str(page), root=example_vault)
    assert "Note: Priya Raman · Company: Lumen Pay" in page.read_text()
    assert "[[" not in page.read_text()


def test_doctor_checks_the_vaults_own_banks(run: Run, vault: Path) -> None:
    (vault / "question_banks").mkdir()
    (vault / "question_banks" / "mine.md").write_text(
        "---\naudience: any\ntopic: company\n---\n\n- Who is the CEO?\n- What drew you here?\n"
    )
    result = run("doctor")
    assert result.exit_code == 1
    assert result.stdout == (
        "question_banks/mine.md:6: a web search answers this (who the CEO is); "
        "ask what only they can tell you\n"
    )


# --- what a note's values cannot do to a sheet (review L3) ---------------------------------------


def test_a_line_break_in_a_value_cannot_add_lines_to_a_sheet(
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


def test_html_escapes_markup_in_every_value_and_leaves_out_the_notes(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note(
        "priya",
        'name: "Priya <script>alert(1)</script> Raman"\n'
        'company: "<img src=x onerror=alert(2)> [x](javascript:alert(3))"\n'
        'role: "<iframe src=//evil.example></iframe>"\n',
        body="\n## Notes\n\n<script>alert(4)</script> secret\n\n## Log\n",
    )
    assert run("prep", "priya", "--html", "p.html").exit_code == 0
    page = (vault / "p.html").read_text()
    for markup in ("<script", "<img", "<iframe", 'href="javascript'):
        assert markup not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "secret" not in page


def test_what_earlier_chats_taught_about_a_company_is_on_every_later_sheet(
    run: Run, write_note: WriteNote
) -> None:
    write_note(
        "tyler",
        "name: Tyler Brandt\ncompany: Brightwell Foods\nchat: 2026-11-10T10:00:00-06:00\n",
        body="\n## Notes\n\n### Call 2026-11-10\n\n- On-call is light.\n"
        "- Company: referrals go through a Greenhouse form; apply after the referral is in.\n"
        "Company: the hiring manager for data is Rosa Villanueva.\n\n## Log\n",
    )
    write_note("rosa", "name: Rosa Villanueva\ncompany: brightwell foods\nkind: manager\n")
    sheet = run("prep", "rosa").stdout
    assert section(sheet, "## What earlier chats taught about brightwell foods") == (
        "- referrals go through a Greenhouse form; apply after the referral is in. "
        "(Tyler Brandt)\n"
        "- the hiring manager for data is Rosa Villanueva. (Tyler Brandt)"
    )
    assert "On-call is light" not in sheet  # only the lines marked as about the company
    record = json.loads(run("prep", "rosa", "--json").stdout)
    assert record["lessons"][0] == {
        "from": "Tyler Brandt",
        "line": "referrals go through a Greenhouse form; apply after the referral is in.",
    }
    assert "Greenhouse" not in run("draft", "connect", "tyler").stdout  # never in a message


def test_a_title_names_the_team_once_and_a_fact_once(run: Run, write_note: WriteNote) -> None:
    write_note(
        "rosa",
        "name: Rosa Villanueva\ncompany: Brightwell Foods\nrole: Engineering Manager, Data "
        "Platform\nteam: Data Platform\nkind: manager\nseniority: manager\n",
    )
    sheet = run("prep", "rosa").stdout
    assert "**Engineering Manager, Data Platform** at Brightwell Foods  \nmanager  \n" in sheet
    assert "manager · manager" not in sheet


def test_the_company_news_is_said_as_written_not_pasted_in_brackets(
    run: Run, example_vault: Path
) -> None:
    sheet = run("prep", "mei", "--count", "8", root=example_vault).stdout
    assert (
        "Congratulations on the 2.0 release of the load tester. From where you sit, what has "
        "changed for your team since then?" in sheet
    )
    assert "since the news (" not in sheet


def test_prep_help_says_plainly_where_it_keeps_the_plan(run: Run) -> None:
    shown = " ".join(run("prep", "--help").stdout.split())
    assert "Even without --save, prep writes one file into the vault: prep/plans/NAME.json" in shown
