"""The vault commands end to end, as a user runs them: exact output and exit codes."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coffeechat.cli import cli
from coffeechat.model.note import STAGES
from coffeechat.store.vault import open_store
from conftest import Run, WriteNote, snapshot

PRIYA_IN_LA = "name: Priya Raman\ncompany: Lumen Pay\ntimezone: America/Los_Angeles\n"

PRIYA = (
    "name: Priya Raman\n"
    "company: Lumen Pay\n"
    "role: Backend Engineer   # payments team\n"
    "kind: engineer\n"
    "common: [UIC, 'cycling']\n"
    "messaged: 2026-11-09\n"
)


def test_init_makes_a_vault_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "search"
    result = runner.invoke(
        cli, ["init", str(folder), "--name", "Sam", "--timezone", "Europe/Berlin"]
    )
    assert result.exit_code == 0, result.output
    config = (folder / "coffeechat.toml").read_text()
    assert 'name = "Sam"' in config
    assert 'timezone = "Europe/Berlin"' in config
    assert "chat_minutes = 15" in config
    assert "ask_at_minute = 10" in config
    assert 'contact_hours = "09:00-17:00"' in config
    assert "nudge_after_days = 7" in config
    assert (folder / "people").is_dir()
    assert (folder / "companies").is_dir()
    assert (folder / ".gitignore").read_text() == ".coffeechat/\n"
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    again = runner.invoke(cli, ["init", str(folder), "--name", "Other"])
    assert again.exit_code == 0
    assert "already a vault; nothing changed" in again.stderr
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_init_keeps_an_existing_gitignore(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.pdf")
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--timezone", "UTC"])
    assert result.exit_code == 0
    assert (tmp_path / ".gitignore").read_text() == "*.pdf\n.coffeechat/\n"


def test_init_refuses_an_unknown_zone(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--timezone", "Mars/Olympus"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --timezone `Mars/Olympus` is not a known IANA time zone, e.g. America/New_York\n"
    )
    assert not (tmp_path / "coffeechat.toml").exists()


@pytest.mark.parametrize(
    ("place", "said"),
    [
        (
            "Chicago",
            "`coffeechat zone Chicago` finds America/Chicago (Chicago, Illinois, US); "
            "use --timezone America/Chicago",
        ),
        (
            "New York",
            "`coffeechat zone 'New York'` finds America/New_York (New York, US); "
            "use --timezone America/New_York",
        ),
        ("Springfield", "`coffeechat zone Springfield` lists the zones it may mean"),
    ],
)
def test_init_with_a_place_for_a_zone_suggests_the_zone(
    tmp_path: Path, place: str, said: str
) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--timezone", place])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --timezone `{place}` is a place, not an IANA time zone: {said}\n"
    )
    assert not (tmp_path / "coffeechat.toml").exists()


def test_no_vault_suggests_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no vault here: no coffeechat.toml in ")
    assert "run `coffeechat init`" in result.stderr
    assert result.stdout == ""


def test_vault_is_found_from_a_subfolder_and_from_the_environment(
    run: Run, vault: Path, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note("priya-raman", PRIYA)
    assert "Priya Raman" in run("list", root=vault / "people").stdout
    monkeypatch.setenv("COFFEECHAT_VAULT", str(vault))
    elsewhere = vault.parent / "elsewhere"
    elsewhere.mkdir()
    assert "Priya Raman" in run("list", root=elsewhere).stdout


def test_add_writes_a_note_from_the_template(run: Run, vault: Path) -> None:
    result = run(
        "add",
        "José Núñez",
        "--company",
        "Fjord Health",
        "--kind",
        "manager",
        "--common",
        "Both ran the Chicago marathon",
        "--common",
        "Chess",
        "--connection",
        "alumni",
    )
    assert result.exit_code == 0
    assert result.stdout == "people/jose-nunez.md\n"
    assert result.stderr == "Added José Núñez.\n"
    assert (vault / "people" / "jose-nunez.md").read_text() == (
        "---\n"
        "name: José Núñez\n"
        "aliases:\n"
        "  - José Núñez\n"
        "company: Fjord Health\n"
        "kind: manager\n"
        "connection: alumni\n"
        "common:\n"
        "  - Both ran the Chicago marathon\n"
        "  - Chess\n"
        "---\n"
        "\n"
        "## Notes\n"
        "\n"
        "## Log\n"
        "\n"
        "- 2026-11-23: added\n"
    )


def test_add_warns_at_once_when_the_hook_reads_as_a_note(run: Run, vault: Path) -> None:
    result = run("add", "Gina Ortiz", "--hook", "your talk at GopherCon (great talk!!)")
    assert result.exit_code == 0
    assert result.stdout == "people/gina-ortiz.md\n"
    assert result.stderr == (
        "Added Gina Ortiz.\n"
        "Warning: `hook` reads as a note (`!!`), not as a sentence to them: rephrase it as you "
        'would write it to them, e.g. "I enjoyed your talk on consumer lag."\n'
    )
    assert (
        "hook: your talk at GopherCon (great talk!!)\n"
        in (vault / "people" / "gina-ortiz.md").read_text()
    )
    fine = run("add", "Gina Ruiz", "--hook", "I enjoyed your talk at GopherCon.")
    assert fine.stderr == "Added Gina Ruiz.\n"


def test_add_refuses_the_same_person_twice_but_allows_a_namesake(run: Run, vault: Path) -> None:
    run("add", "Alex Kim", "--company", "Lumen Pay")
    again = run("add", "alex kim", "--company", "lumen pay")
    assert again.exit_code == 1
    assert again.stderr == (
        "Error: people/alex-kim.md: Alex Kim is already in the vault; nothing written\n"
    )
    namesake = run("add", "Alex Kim", "--company", "Wattle Labs")
    assert namesake.stdout == "people/alex-kim-2.md\n"


def test_add_makes_a_safe_file_name(run: Run, vault: Path) -> None:
    assert run("add", "../../etc/passwd").stdout == "people/etc-passwd.md\n"
    assert run("add", "CON").stdout == "people/con-person.md\n"
    assert sorted(p.name for p in (vault / "people").iterdir()) == [
        "con-person.md",
        "etc-passwd.md",
    ]


def test_list_shows_everyone_with_their_stage(run: Run, write_note: WriteNote) -> None:
    write_note("priya-raman", PRIYA)
    write_note("marcus", "name: Marcus Webb\ncompany: Lumen Pay\nchat: 2026-11-25 15:00\n")
    write_note("hannah", "name: Hannah Lindqvist\ncompany: Fjord Health\nreferral: agreed\n")
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout == (
        "NAME              COMPANY       ROLE              STAGE      LATEST\n"
        "Hannah Lindqvist  Fjord Health                    referred\n"
        "Marcus Webb       Lumen Pay                       scheduled  2026-11-25\n"
        "Priya Raman       Lumen Pay     Backend Engineer  messaged   2026-11-09\n"
    )
    assert result.stderr == ""
    assert run("list", "--stage", "scheduled").stdout.count("\n") == 2
    assert "Hannah" not in run("list", "--company", "lumen").stdout


def test_colour_only_on_a_terminal_and_never_with_no_color(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note("priya-raman", PRIYA)
    assert "\x1b[33mmessaged" in run("list", color=True).stdout
    assert "\x1b[" not in run("list").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("list", color=True).stdout
    assert "\x1b[" not in run("show", "priya", color=True).stdout


def test_list_json_is_stable(run: Run, write_note: WriteNote) -> None:
    write_note("priya-raman", PRIYA + "met_at: GopherCon\n")
    result = run("list", "--json")
    assert json.loads(result.stdout)["people"] == [
        {
            "file": "people/priya-raman.md",
            "stage": "messaged",
            "name": "Priya Raman",
            "company": "Lumen Pay",
            "role": "Backend Engineer",
            "kind": "engineer",
            "common": ["UIC", "cycling"],
            "messaged": "2026-11-09",
            "extra": {"met_at": "GopherCon"},
        }
    ]


def test_an_empty_vault_says_how_to_start(run: Run) -> None:
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "No people yet; add one with `coffeechat add NAME`.\n"


def test_show_prints_keys_then_the_body(run: Run, write_note: WriteNote) -> None:
    write_note("priya-raman", PRIYA, body="\n## Notes\n\nLikes Go.\n")
    result = run("show", "priya")
    assert result.exit_code == 0
    assert result.stdout == (
        "Priya Raman\n"
        "  stage     messaged\n"
        "  company   Lumen Pay\n"
        "  role      Backend Engineer\n"
        "  kind      engineer\n"
        "  common    UIC, cycling\n"
        "  messaged  2026-11-09\n"
        "  zone      unknown; set location: or timezone:\n"
        "  file      people/priya-raman.md\n"
        "\n"
        "## Notes\n"
        "\n"
        "Likes Go.\n"
    )


def test_names_are_found_by_file_name_accents_prefix_and_close_match(
    run: Run, write_note: WriteNote
) -> None:
    write_note("jose", "name: José Núñez\ncompany: Fjord Health\n")
    for query in ("jose", "JOSE NUNEZ", "José Núñez", "nun", "Jose Nunes"):
        result = run("show", query, "--json")
        assert result.exit_code == 0, query
        assert json.loads(result.stdout)["name"] == "José Núñez"


def test_an_ambiguous_name_lists_the_candidates(run: Run, write_note: WriteNote) -> None:
    write_note("alex-kim", "name: Alex Kim\ncompany: Lumen Pay\n")
    write_note("alex-kim-2", "name: Alex Kim\ncompany: Wattle Labs\n")
    result = run("show", "Alex Kim")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: `Alex Kim` matches 2 people: Alex Kim (Lumen Pay, alex-kim); "
        "Alex Kim (Wattle Labs, alex-kim-2); use more of the name, or the file name\n"
    )
    assert json.loads(run("show", "alex-kim-2", "--json").stdout)["company"] == "Wattle Labs"


def test_an_unknown_name_suggests_the_nearest(run: Run, write_note: WriteNote) -> None:
    write_note("priya-raman", PRIYA)
    result = run("show", "Pria Ramon")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no person matches `Pria Ramon`; did you mean Priya Raman? "
        "(`coffeechat list` shows everyone)\n"
    )


def test_set_changes_only_the_named_keys(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya-raman", PRIYA, body="\n## Notes\n\nkeep me\n")
    result = run("set", "priya", "role=Staff Engineer", "referral=agreed", "common+=Go meetup")
    assert result.exit_code == 0
    assert result.stdout == (
        "people/priya-raman.md: role: Staff Engineer; referral: agreed; "
        "common: [UIC, cycling, Go meetup]\n"
    )
    assert path.read_text() == (
        "---\n"
        "name: Priya Raman\n"
        "company: Lumen Pay\n"
        "role: Staff Engineer   # payments team\n"
        "kind: engineer\n"
        "common: [UIC, cycling, Go meetup]\n"
        "messaged: 2026-11-09\n"
        "referral: agreed\n"
        "---\n"
        "\n"
        "## Notes\n"
        "\n"
        "keep me\n"
    )


def test_set_removes_and_takes_from_lists(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya-raman", PRIYA)
    assert run("set", "priya", "role=", "common-=UIC").exit_code == 0
    assert "role" not in path.read_text()
    assert "common: [cycling]\n" in path.read_text()
    missing = run("set", "priya", "common-=chess")
    assert missing.exit_code == 2
    assert missing.stderr == "Error: common: `chess` is not in the list (cycling)\n"


def test_set_checks_values_before_writing(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya-raman", PRIYA)
    before = path.read_bytes()
    for assignment, message in [
        (
            "kind=wizard",
            "Error: kind: `wizard` is not one of engineer, manager, recruiter, other\n",
        ),
        (
            "replied=soonish",
            "Error: cannot read `soonish` as a day; try 2026-11-23, today, yesterday, "
            "3 days ago, last friday, Nov 20\n",
        ),
        (
            "timezone=Mars/Base",
            "Error: timezone: `Mars/Base` is not a known IANA time zone, e.g. Europe/Berlin\n",
        ),
        (
            "no equals sign",
            "Error: `no equals sign` is not KEY=VALUE (or KEY+=VALUE, KEY-=VALUE, KEY=)\n",
        ),
        (
            "timezone=europe/berln",
            "Error: timezone: `europe/berln` is not a known IANA time zone; "
            "did you mean Europe/Berlin?\n",
        ),
        (
            "role+=x",
            "Error: `role+=` works on list keys only: aliases, mutual, common, previous, tags\n",
        ),
    ]:
        result = run("set", "priya", assignment)
        assert result.exit_code == 2, assignment
        assert result.stderr == message
    assert path.read_bytes() == before


def test_set_that_changes_nothing_writes_nothing(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya-raman", PRIYA)
    stamp = path.stat().st_mtime_ns
    result = run("set", "priya", "kind=engineer")
    assert result.stdout == "people/priya-raman.md: nothing to change\n"
    assert path.stat().st_mtime_ns == stamp


def test_numbers_and_yes_no_stay_as_typed(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya-raman", PRIYA)
    run("set", "priya", "seniority=3", "employee_id=000123", "remote=NO", "floor=3", "team=-0")
    text = path.read_text()
    # `seniority` and `team` are text keys: text every YAML reader reads as text, `-0` signed.
    assert 'seniority: "3"\n' in text
    assert 'team: "-0"\n' in text
    # Keys no note declares follow what was typed: a whole number is a number.
    assert 'employee_id: "000123"\n' in text
    assert 'remote: "NO"\n' in text
    assert "floor: 3\n" in text
    shown = json.loads(run("show", "priya", "--json").stdout)
    assert (shown["seniority"], shown["team"]) == ("3", "-0")
    assert shown["extra"] == {"employee_id": "000123", "remote": "NO", "floor": 3}


def test_mark_sets_today_or_the_given_day(run: Run, write_note: WriteNote) -> None:
    path = write_note("priya-raman", PRIYA)
    assert run("mark", "priya", "replied").stdout == "people/priya-raman.md: replied: 2026-11-23\n"
    run("mark", "priya", "nudged", "--on", "3 days ago")
    assert "nudged: 2026-11-20\n" in path.read_text()
    run("mark", "priya", "applied", "--on", "last friday")
    assert "applied: 2026-11-20\n" in path.read_text()
    result = run("mark", "priya", "chat", "--on", "2026-11-25 13:00")
    assert result.stdout == "people/priya-raman.md: chat: 2026-11-25T13:00:00-06:00\n"
    assert json.loads(run("show", "priya", "--json").stdout)["stage"] == "scheduled"


def test_mark_refuses_a_time_the_clocks_skip(run: Run, write_note: WriteNote) -> None:
    write_note("priya-raman", PRIYA)
    result = run("mark", "priya", "chat", "--on", "2027-03-14 02:30")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: 2027-03-14 02:30 does not exist in America/Chicago (the clocks skip it); "
        "pick another time\n"
    )


def test_mark_rejects_an_unknown_milestone(run: Run, write_note: WriteNote) -> None:
    write_note("priya-raman", PRIYA)
    result = run("mark", "priya", "hired")
    assert result.exit_code == 2
    assert "'hired' is not one of" in result.stderr


def test_log_appends_under_the_log_section(run: Run, write_note: WriteNote) -> None:
    body = "\n## Notes\n\n```\n## Log\n```\n\n## Log\n\n- 2026-11-20: met\n\n## Later\n\nx\n"
    path = write_note("priya-raman", PRIYA, body=body)
    result = run("log", "priya", "sent", "my resume")
    assert result.stdout == "people/priya-raman.md: logged 2026-11-23: sent my resume\n"
    assert path.read_text().endswith(
        "\n## Notes\n\n```\n## Log\n```\n\n## Log\n\n- 2026-11-20: met\n"
        "- 2026-11-23: sent my resume\n\n## Later\n\nx\n"
    )


def test_log_creates_the_section_and_keeps_a_missing_final_newline(
    run: Run, write_note: WriteNote
) -> None:
    path = write_note("priya-raman", PRIYA, body="\nJust notes")
    run("log", "priya", "first")
    assert path.read_text().endswith("---\n\nJust notes\n\n## Log\n\n- 2026-11-23: first")


def test_edit_opens_the_editor_and_reports_a_broken_result(
    run: Run, write_note: WriteNote, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_note("priya-raman", PRIYA)
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('extra line\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    result = run("edit", "priya")
    assert result.exit_code == 0
    assert path.read_text().endswith("## Log\nextra line\n")

    editor.write_text("import sys\nopen(sys.argv[1], 'w').write('---\\nname: [oops\\n---\\n')\n")
    result = run("edit", "priya")
    assert result.stderr.startswith("people/priya-raman.md:3: YAML error: ")


def test_bad_clock_override_is_a_clear_error(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COFFEECHAT_NOW", "tomorrow")
    result = run("list")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: COFFEECHAT_NOW='tomorrow' is not an ISO 8601 time with an offset; "
        "use e.g. 2026-11-23T09:00:00-05:00\n"
    )


def test_a_broken_config_names_the_line(run: Run, vault: Path) -> None:
    (vault / "coffeechat.toml").write_text('name = "Sam"\nchat_minutes = "fifteen"\n')
    result = run("list")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {vault / 'coffeechat.toml'}:2: `chat_minutes` should be a whole number\n"
    )
    (vault / "coffeechat.toml").write_text('name = "Sam"\nchat_mintues = 20\n')
    result = run("list")
    assert result.exit_code == 0
    assert result.stderr.startswith(
        f"{vault / 'coffeechat.toml'}:2: unknown setting `chat_mintues`"
    )


def test_the_example_vault_reads_cleanly(run: Run, example_vault: Path) -> None:
    result = run("list", "--json", root=example_vault)
    assert result.exit_code == 0
    assert result.stderr == ""
    people = json.loads(result.stdout)["people"]
    assert len(people) >= 12
    stages = {person["stage"] for person in people}
    assert stages == set(STAGES)
    assert len({person["company"] for person in people}) >= 4


def test_company_notes_are_read_with_their_keys(example_vault: Path) -> None:
    _loaded = open_store(example_vault).companies()
    companies, problems = _loaded.notes, _loaded.problems
    assert problems == []
    lumen = next(c for c in companies if c.name == "Lumen Pay")
    assert lumen.stack == ("Go", "Postgres", "Kafka")
    assert lumen.hiring == "growth"
    assert lumen.in_.startswith("I have paid my rent")
    assert lumen.remote == "hybrid"
    assert len(companies) == 5


def test_notes_in_sub_folders_count_and_other_markdown_is_ignored(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("priya-raman", PRIYA, folder="people/lumen-pay")
    (vault / "Daily note.md").write_text("---\nname: Not a person\n---\n")
    write_note("ignored", "name: Obsidian config\n", folder="people/.obsidian")
    result = run("list", "--json")
    assert [p["file"] for p in json.loads(result.stdout)["people"]] == [
        "people/lumen-pay/priya-raman.md"
    ]
    assert result.stderr == ""


def test_log_keeps_windows_line_endings(run: Run, vault: Path) -> None:
    path = vault / "people" / "priya.md"
    path.write_bytes(b"---\r\nname: Priya\r\n---\r\n\r\n## Log\r\n\r\n- 2026-11-20: met\r\n")
    run("log", "priya", "thanked")
    assert path.read_bytes() == (
        b"---\r\nname: Priya\r\n---\r\n\r\n## Log\r\n\r\n- 2026-11-20: met\r\n"
        b"- 2026-11-23: thanked\r\n"
    )


def test_doctor_reports_what_reads_fine_but_is_wrong(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("lumen", "name: Lumen Pay\n", folder="companies", body="")
    write_note("ghost", "name: Ghost Corp\n", folder="companies", body="")
    write_note(
        "priya-raman",
        "name: Priya Raman\ncompnay: Lumen Pay\ncompany: Lumen Pay\n"
        "linkedin: https://linkedin.com/in/priya\nmessaged: 2026-11-10\nreplied: 2026-11-01\n"
        "chat: 2026-11-20 10:00\n",
    )
    write_note(
        "priya-raman 2",
        "name: Priya R\ncompany: Lumen Pay\nlinkedin: https://linkedin.com/in/priya/\n",
    )
    write_note("kim", "name: Kim\ncompany: Nowhere Inc\nkind: wizard\nlocation: Tennessee\n")
    before = {p: p.read_bytes() for p in vault.rglob("*.md")}
    result = run("doctor")
    assert result.exit_code == 1
    assert result.stdout == (
        "companies/ghost.md: nobody in people/ works at `Ghost Corp` — add someone or remove it\n"
        "\n"
        "people/kim.md:3: no company note for `Nowhere Inc` — add one in companies/ "
        "or fix the name\n"
        "people/kim.md:4: kind: `wizard` is not one of engineer, manager, recruiter, other\n"
        "people/kim.md:5: no time zone for location `Tennessee` (Tennessee, US spans several "
        "time zones (America/Chicago for 74% of its people)) — add `timezone:` with an IANA "
        "name such as America/Chicago\n"
        "\n"
        "people/priya-raman 2.md: a conflict copy of priya-raman.md (iCloud) — "
        "merge the two with `coffeechat merge priya-raman`\n"
        "\n"
        "people/priya-raman.md:3: unknown key `compnay` — did you mean `company`?\n"
        "people/priya-raman.md:7: `replied` is before `messaged` — check both dates\n"
        "people/priya-raman.md:8: the chat is past but `## Notes` is empty — "
        "write down what you learned\n"
    )
    assert {p: p.read_bytes() for p in vault.rglob("*.md")} == before
    records = json.loads(run("doctor", "--json").stdout)["problems"]
    assert records[0] == {
        "file": "companies/ghost.md",
        "line": None,
        "problem": "nobody in people/ works at `Ghost Corp` — add someone or remove it",
    }


def test_doctor_does_not_give_the_all_clear_over_a_config_warning(
    run: Run, example_vault: Path
) -> None:
    config = example_vault / "coffeechat.toml"
    config.write_text(config.read_text() + "chat_mintues = 20\n")
    result = run("doctor", root=example_vault)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "unknown setting `chat_mintues`" in result.stderr


def test_doctor_gives_the_all_clear(run: Run, example_vault: Path) -> None:
    result = run("doctor", root=example_vault)
    assert result.exit_code == 0
    assert result.stdout == "No problems in 18 notes.\n"


def test_a_config_with_several_wrong_values_names_each_with_its_line(run: Run, vault: Path) -> None:
    (vault / "coffeechat.toml").write_text(
        'timezone = "Mars/Base"\nchat_minutes = "long"\nlinkedin_account = "gold"\n'
    )
    result = run("doctor")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {vault / 'coffeechat.toml'}:1: `timezone` is not a known IANA time zone, "
        "e.g. America/New_York",
        f"{vault / 'coffeechat.toml'}:2: `chat_minutes` should be a whole number",
        f"{vault / 'coffeechat.toml'}:3: `linkedin_account` should be free or premium",
    ]


# --- COFFEECHAT_NOW or a date near year 1 or 9999 (review H2) ------------------------------------


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-12:00"])
@pytest.mark.parametrize(
    "args", [["due"], ["slots", "priya"], ["prep", "priya"], ["mark", "priya", "replied"]]
)
def test_a_clock_near_year_1_or_9999_is_refused(
    run: Run,
    write_note: WriteNote,
    monkeypatch: pytest.MonkeyPatch,
    now: str,
    args: list[str],
) -> None:
    note = write_note("priya", PRIYA_IN_LA + "messaged: 2026-11-01\n")
    before = note.read_bytes()
    monkeypatch.setenv("COFFEECHAT_NOW", now)
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: COFFEECHAT_NOW={now!r} is not a usable date (years 1900-2199)\n"
    )
    assert note.read_bytes() == before


def test_mark_refuses_a_date_it_could_not_compute_with_as_set_does(
    run: Run, write_note: WriteNote
) -> None:
    note = write_note("priya", PRIYA_IN_LA)
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


# --- set writes any text, and refuses what a key cannot hold -------------------------------------


@pytest.mark.parametrize(
    "value",
    ["a: b # c", "- x", "[a", "{b: c", "x\ry", "esc\x1b]0;t\x07", "*alias", "&anchor", "!!str"],
)
def test_set_writes_any_text_so_it_reads_back_as_itself(
    run: Run, write_note: WriteNote, value: str
) -> None:
    write_note("priya", PRIYA_IN_LA)
    result = run("set", "priya", f"role={value}")
    assert result.exit_code == 0, result.output
    assert json.loads(run("show", "priya", "--json").stdout)["role"] == value


@pytest.mark.parametrize(
    ("assignment", "error"),
    [
        ("kind=wizard", "kind: `wizard` is not one of"),
        ("timezone=Mars/Olympus", "timezone: `Mars/Olympus` is not a known IANA time zone"),
        ("chat=soonish", "cannot read `soonish` as a date and time"),
    ],
)
def test_set_refuses_what_the_key_cannot_hold(
    run: Run, write_note: WriteNote, assignment: str, error: str
) -> None:
    note = write_note("priya", PRIYA_IN_LA)
    before = note.read_bytes()
    result = run("set", "priya", assignment)
    assert result.exit_code == 2
    assert error in result.stderr
    assert note.read_bytes() == before


# --- odd vault paths and settings ----------------------------------------------------------------


@pytest.mark.parametrize("folder", ["with space", "é and 李", "$(id)", "`id`"])
def test_a_vault_path_with_odd_characters_works(
    run: Run, tmp_path: Path, example_vault: Path, folder: str
) -> None:
    root = tmp_path / folder / "vault"
    root.parent.mkdir()
    shutil.move(example_vault, root)
    for args in (
        ["list"],
        ["mark", "priya", "replied"],
        ["log", "priya", "hello"],
        ["schedule", "priya", "2026-12-04 14:30", "--force"],
        ["prep", "priya", "--save"],
        ["draft", "thanks", "arjun", "--force", "--eml", "a.eml"],
        ["doctor"],
    ):
        result = run("--vault", str(root), *args, root=tmp_path)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "Traceback" not in result.output
    assert (root / "invites" / "priya-raman.ics").is_file()
    assert list((root / "prep").iterdir())


@pytest.mark.parametrize(
    ("setting", "error"),
    [
        ('timezone = ""', "timezone"),
        ('timezone = "Bogus/Zone"', "timezone"),
        ('people_dir = "/etc"', "people_dir"),
        ('companies_dir = "people"', "companies_dir"),
    ],
)
def test_odd_settings_are_clean_errors(
    run: Run, vault: Path, write_note: WriteNote, setting: str, error: str
) -> None:
    write_note("priya", PRIYA_IN_LA)
    (vault / "coffeechat.toml").write_text(f"{setting}\n")
    before = snapshot(vault)
    result = run("list")
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    assert result.exit_code == 0 or error in result.stderr
    assert snapshot(vault) == before


def test_init_makes_the_vault_that_vault_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--vault", "search", "init", "--timezone", "UTC"])
    assert result.exit_code == 0
    assert (tmp_path / "search" / "coffeechat.toml").is_file()
    assert not (tmp_path / "coffeechat.toml").exists()


def test_adding_to_and_taking_from_a_list_keeps_the_comments_on_its_items(
    run: Run, write_note: WriteNote
) -> None:
    path = write_note(
        "lukasz",
        "name: Łukasz Wójcik\ncommon:\n  - Barclays   # we overlapped in 2019\n"
        "  # the meetup is monthly\n  - Go meetup  # he runs it\ntags: [fintech]\n",
    )
    assert run("set", "lukasz", "common+=UIC").exit_code == 0
    assert path.read_text().split("---")[1] == (
        "\nname: Łukasz Wójcik\ncommon:\n  - Barclays   # we overlapped in 2019\n"
        "  # the meetup is monthly\n  - Go meetup  # he runs it\n  - UIC\ntags: [fintech]\n"
    )
    assert run("set", "lukasz", "common-=Go meetup").exit_code == 0
    assert path.read_text().split("---")[1] == (
        "\nname: Łukasz Wójcik\ncommon:\n  - Barclays   # we overlapped in 2019\n"
        "  # the meetup is monthly\n  - UIC\ntags: [fintech]\n"
    )
