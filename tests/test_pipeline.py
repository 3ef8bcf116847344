"""The daily driver: due, stats, companies, next, and imports (hostile files too)."""

from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path

import pytest

from conftest import Run, WriteNote, snapshot

FIXTURES = Path(__file__).parent / "fixtures"


def test_due_lists_what_to_do_most_urgent_first(run: Run, example_vault: Path) -> None:
    result = run("due", root=example_vault)
    assert result.exit_code == 0
    assert result.stdout == (
        "nudge     no reply from Divya Nair since 2026-11-10 (6 days late)\n"
        "          coffeechat draft nudge divya-nair\n"
        # Arjun's call ended with a promise for "this week": it is due from that Friday.
        "promise   Arjun Mehta: “I'll read the migration post this week, then apply for the "
        "Kotlin backend role.” (your Next: of Fri Nov 20, this week) (3 days late)\n"
        "          coffeechat log arjun-mehta \"kept: I'll read the migration post this week, "
        'then apply for the Kotlin backend role."\n'
        "slots     Liam O'Connor replied on 2026-11-21: offer times (2 days late)\n"
        "          coffeechat slots liam-oconnor\n"
        "thanks    thank Arjun Mehta for the chat Fri Nov 20 (2 days late)\n"
        "          coffeechat draft thanks arjun-mehta\n"
        "connect   send Arjun Mehta a connection request, thanking them for the chat "
        "(2 days late)\n"
        "          coffeechat draft connect arjun-mehta\n"
        # Marcus was asked about a referral on Nov 18 and has not answered: one check-in.
        "referral  check in with Marcus Webb about the referral you asked about (2026-11-18) "
        "(today)\n"
        "          coffeechat draft checkin marcus-webb\n"
        "update    tell Derek Lund how it went at Prairie Logistics (rejected) (today)\n"
        "          coffeechat draft update derek-lund\n"
        "update    tell Hannah Lindqvist how it went at Fjord Health (interviewing) (today)\n"
        "          coffeechat draft update hannah-lindqvist\n"
        "coverage  Chai Cloud has no manager yet (today)\n"
        '          coffeechat next --company "Chai Cloud"\n'
        "coverage  Wattle Labs has no recruiter yet (today)\n"
        '          coffeechat next --company "Wattle Labs"\n'
        # A thank-you never goes quiet: this late it comes last, but it stays listed.
        "thanks    thank Derek Lund for the chat Fri Sep 25 (58 days late)\n"
        "          coffeechat draft thanks derek-lund\n"
        # Karen's search there is over; she asked a favour and got it; 30 days on, a hello.
        "in-touch  keep in touch with Karen Olson: last in touch 2026-10-22 (every 30 days); "
        "moved to Mon Nov 23: Sat Nov 21 is their weekend (today)\n"
        "          coffeechat draft checkin karen-olson\n"
        "2 older items (over two weeks late): coffeechat due --all\n"
    )


def test_due_json_and_another_day(run: Run, example_vault: Path) -> None:
    items = json.loads(run("due", "--on", "2026-11-24", "--json", root=example_vault).stdout)["due"]
    assert items[0] == {
        "kind": "nudge",
        "file": "people/divya-nair.md",
        "person": "Divya Nair",
        "company": "Chai Cloud",
        "due": "2026-11-17",
        "overdue_days": 7,
        "what": "no reply from Divya Nair since 2026-11-10",
        "command": "coffeechat draft nudge divya-nair",
    }
    kinds = [item["kind"] for item in items]
    # Priya's chat is on Wednesday: on Tuesday it shows as tomorrow's chat.
    assert "chat" in kinds
    chat = next(item for item in items if item["kind"] == "chat")
    assert chat["command"] == "coffeechat prep priya-raman"
    monday = json.loads(run("due", "--json", root=example_vault).stdout)["due"]  # coverage: Mondays
    coverage = next(item for item in monday if item["kind"] == "coverage")
    assert (coverage["company"], coverage["file"]) == ("Chai Cloud", "companies/chai-cloud.md")


def test_chats_today_show_both_clocks(run: Run, write_note: WriteNote) -> None:
    write_note(
        "ada",
        "name: Ada Park\nlocation: London, England, United Kingdom\n"
        "chat: 2026-11-23T11:00:00-06:00\n",
    )
    out = run("due").stdout
    assert "chat      chat with Ada Park: Mon Nov 23, 11:00 AM CST (5:00 PM GMT for them)" in out


def test_nothing_due_says_so(run: Run) -> None:
    result = run("due")
    assert result.exit_code == 0
    assert result.stdout == "Nothing due today.\n"


def test_an_update_is_owed_once_there_is_an_outcome(run: Run, write_note: WriteNote) -> None:
    write_note(
        "kim",
        "name: Kim Lee\nconnection: 1st\nmessaged: 2026-10-01\nreplied: 2026-10-02\n"
        "chat: 2026-10-05T10:00:00-05:00\nthanked: 2026-10-06\napplied: 2026-10-10\n"
        "outcome: interview\n",
    )
    # Not "44 days late": coffeechat cannot tell when the outcome was recorded.
    assert run("due").stdout == (
        "update    tell Kim Lee how it went (interviewing) (today)\n"
        "          coffeechat draft update kim\n"
    )
    write_note(
        "kim",
        "name: Kim Lee\nconnection: 1st\nmessaged: 2026-10-01\nreplied: 2026-10-02\n"
        "chat: 2026-10-05T10:00:00-05:00\nthanked: 2026-10-06\napplied: 2026-10-10\n"
        "outcome: interview\nupdated: 2026-10-20\n",
    )
    assert run("due").stdout == "Nothing due today.\n"


def test_stats_funnel_and_rates(run: Run, example_vault: Path) -> None:
    data = json.loads(run("stats", "--json", root=example_vault).stdout)
    assert [(s["step"], s["count"]) for s in data["funnel"]] == [
        ("collected", 13),
        ("messaged", 11),
        ("replied", 7),
        ("chatted", 5),
        ("referred", 2),
    ]
    # Fjord Health is interviewing; at Prairie Logistics, Karen's log says "rejected after
    # the final round": an interview all the same.
    assert [(s["step"], s["count"]) for s in data["applications"]] == [
        ("applied", 2),
        ("interview", 2),
        ("offer", 0),
        ("accepted", 0),
    ]
    assert data["median_days_to_reply"] == 2
    by_connection = {
        r["group"]: (r["replied"], r["messaged"]) for r in data["reply_rate_by_connection"]
    }
    assert by_connection["cold"] == (3, 6)
    text = run("stats", root=example_vault).stdout
    assert "  messaged      11  85% of previous" in text
    assert "█" not in text  # no bars when not on a terminal


def test_stats_since_counts_only_later_messages(run: Run, example_vault: Path) -> None:
    data = json.loads(run("stats", "--since", "2026-11-15", "--json", root=example_vault).stdout)
    assert data["funnel"][0] == {"step": "collected", "count": 2, "from_previous": None}


def test_companies_show_coverage_and_gaps(run: Run, example_vault: Path) -> None:
    out = run("companies", root=example_vault).stdout.splitlines()
    assert out[0].split() == [
        "COMPANY",
        "PRI",
        "HIRING",
        "WHERE",
        "STACK",
        "E",
        "M",
        "R",
        "MSG/CHAT/REF",
        "FITS",
        "GAPS",
    ]
    assert out[1].startswith("Lumen Pay ")
    assert out[1].endswith("E2 M1 R1  3/1/0         yes   covered")
    assert "no manager" in out[2]
    data = json.loads(run("companies", "--json", root=example_vault).stdout)["companies"]
    assert data[1]["company"] == "Chai Cloud"
    assert data[1]["gaps"] == ["manager"]


def test_company_add_and_the_legal_suffix(run: Run, vault: Path, write_note: WriteNote) -> None:
    result = run(
        "company",
        "add",
        "Stripe, Inc.",
        "--stack",
        "Ruby",
        "--hiring",
        "growth",
        "--in",
        "I use it at work",
        "--priority",
        "1",
    )
    assert result.exit_code == 0
    note = vault / "companies" / "stripe-inc.md"
    assert note.read_text() == (
        "---\nname: Stripe, Inc.\naliases:\n  - Stripe, Inc.\nstack:\n  - Ruby\n"
        "hiring: growth\nin: I use it at work\n"
        "status: target\npriority: 1\n---\n\n"
    )
    again = run("company", "add", "stripe")
    assert again.exit_code == 1
    assert again.stderr == (
        "Error: companies/stripe-inc.md: Stripe, Inc. already has a note; nothing written\n"
    )
    write_note("kim", "name: Kim Lee\ncompany: Stripe\nkind: engineer\n")
    assert "E1 M0 R0" in run("companies").stdout


def test_next_ranks_with_reasons(run: Run, example_vault: Path) -> None:
    out = run("next", "--count", "2", root=example_vault).stdout
    assert out.splitlines()[0] == " 1. Aisha Khan (Lumen Pay)  8.5"
    assert "2nd-degree: ask your mutual connection for an intro" in out
    # 2nd-degree with a `mutual:` named: ask the mutual contact for an introduction first.
    assert "coffeechat draft intro aisha-khan" in out
    assert "coffeechat draft outreach mei-tanaka" in out
    result = run("next", "--company", "wattle labs", "--json", root=example_vault)
    data = json.loads(result.stdout)["people"]
    assert [c["name"] for c in data] == ["Mei Tanaka"]
    assert data[0]["reasons"][0] == "works at Wattle Labs, on your list"


def test_import_linkedin_creates_fills_and_is_idempotent(run: Run, example_vault: Path) -> None:
    csv_file = FIXTURES / "Connections.csv"
    before = snapshot(example_vault)
    dry = run("import", "linkedin", str(csv_file), "--dry-run", root=example_vault)
    assert dry.exit_code == 0
    assert snapshot(example_vault) == before
    assert dry.stderr.endswith(
        "2 created, 2 updated, 0 already up to date, 1 skipped, 1 rejected "
        "(dry run: nothing written)\n"
    )
    result = run("import", "linkedin", str(csv_file), root=example_vault)
    assert result.stdout.splitlines() == [
        "created   Tomás Ibarra  people/tomas-ibarra.md",
        "created   Noor Haddad  people/noor-haddad.md",
        "updated   Priya Raman: filled connected  people/priya-raman.md",
        "updated   Aisha Khan: filled email, connected  people/aisha-khan.md",
    ]
    assert "Connections.csv:7: rejected: no name in the row" in result.stderr
    assert "Connections.csv:10: skipped Noor Haddad: same person as row 9" in result.stderr
    tomas = (example_vault / "people" / "tomas-ibarra.md").read_text()
    assert "company: Rivet & Co, Inc.\nrole: Staff Engineer, Platform\n" in tomas
    assert "connection: 1st\nconnected: 2026-11-02\n" in tomas
    # Aisha's note keeps everything it had; only the empty keys were added.
    aisha_before = before["people/aisha-khan.md"].decode()
    aisha_after = (example_vault / "people" / "aisha-khan.md").read_text()
    assert (
        aisha_after.replace("email: aisha.khan@lumenpay.example\n", "").replace(
            "connected: 2026-11-01\n", ""
        )
        == aisha_before
    )
    after_first = snapshot(example_vault)
    second = run("import", "linkedin", str(csv_file), root=example_vault)
    assert second.stdout == ""
    assert snapshot(example_vault) == after_first


def test_import_from_the_zip_and_an_older_export(run: Run, vault: Path) -> None:
    assert run("import", "linkedin", str(FIXTURES / "export.zip")).stdout.count("created") == 4
    old = run("import", "linkedin", str(FIXTURES / "Connections-2019.csv"))
    assert old.stdout.splitlines()[0] == "created   Ana Silva  people/ana-silva.md"
    assert "connected: 2023-05-03" in (vault / "people" / "ana-silva.md").read_text()


def test_import_refuses_what_is_not_an_export(run: Run, vault: Path) -> None:
    (vault / "x.csv").write_text("a,b\n1,2\n")
    result = run("import", "linkedin", "x.csv")
    assert result.exit_code == 1
    assert "no header row with First Name and Last Name" in result.stderr


def test_import_vcard(run: Run, vault: Path) -> None:
    result = run("import", "vcard", str(FIXTURES / "contacts.vcf"))
    assert result.stdout.splitlines() == [
        "created   Chidi Okafor  people/chidi-okafor.md",
        "created   Jürgen Müller  people/jurgen-muller.md",
    ]
    assert "contacts.vcf:19: rejected: a card with no name" in result.stderr
    juergen = (vault / "people" / "jurgen-muller.md").read_text()
    assert "role: Engineering Lead, Data and Analytics\n" in juergen
    assert "connection:" not in juergen


def test_stats_draws_bars_for_a_terminal(example_vault: Path) -> None:
    from coffeechat.model.journey import journey_of
    from coffeechat.output import formatters
    from coffeechat.pipeline.funnel import stats
    from coffeechat.store.vault import open_store
    from coffeechat.when import clock

    store = open_store(example_vault)
    people = store.people().notes
    journey = journey_of(people, store.companies().notes, clock.now(), store.config.zone)
    result = stats(people, journey)
    with_bars = formatters.stats_lines(result, bars=True)
    plain = formatters.stats_lines(result, bars=False)
    assert with_bars[1].endswith("█" * 24)  # collected: the whole width
    assert with_bars[2].endswith("█" * round(24 * 11 / 13))  # messaged, to scale
    assert not any("█" in line for line in plain)


# --- imports of hostile files --------------------------------------------------------------------


def test_a_zip_entry_climbing_out_is_never_extracted(run: Run, vault: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(vault / "export.zip", "w") as archive:
        archive.writestr(
            "../../../escaped/Connections.csv",
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            "Zip,Person,,,Acme,Eng,01 Jan 2025\n",
        )
    run("import", "linkedin", "export.zip")
    assert not list(tmp_path.rglob("escaped"))


def test_odd_csv_cells_are_stored_as_text_or_refused_cleanly(run: Run, vault: Path) -> None:
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    (vault / "odd.csv").write_text(
        header
        + 'Nul,Cell,,,"Ac\x00me",Eng,01 Jan 2025\n'
        + 'Formula,Person,,,"=HYPERLINK(""http://evil.example"")",@SUM(A1),01 Jan 0001\n'
        + 'Multi,Line,,,"Two\nLines",+cmd,31 Dec 9999\n'
    )
    result = run("import", "linkedin", "odd.csv")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    people = {p["name"]: p for p in json.loads(run("list", "--json").stdout)["people"]}
    assert people["Formula Person"]["company"] == '=HYPERLINK("http://evil.example")'
    assert people["Formula Person"]["role"] == "@SUM(A1)"
    (vault / "latin1.csv").write_bytes(
        (header + "José,Núñez,,,Acme,Eng,01 Jan 2025\n").encode("latin-1")
    )
    latin = run("import", "linkedin", "latin1.csv")
    assert latin.exit_code == 1
    assert "not UTF-8" in latin.stderr
    (vault / "binary.csv").write_bytes(os.urandom(2000))
    assert run("import", "linkedin", "binary.csv").exit_code == 1


def test_a_flood_of_quoted_printable_soft_breaks_is_quick(run: Run, vault: Path) -> None:
    (vault / "flood.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Flood\r\nNOTE;ENCODING=QUOTED-PRINTABLE:"
        + "=\r\n" * 200_000
        + "x\r\nEND:VCARD\r\n",
        newline="",
    )
    start = time.monotonic()
    result = run("import", "vcard", "flood.vcf", "--dry-run")
    assert time.monotonic() - start < 3
    assert result.stdout == "created   Flood\n"


def test_thanking_an_introducer_does_not_count_them_as_replied_or_chatted(
    run: Run, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The newcomer's week: Aisha introduced Ben; Ben replied and chatted; `due` says to thank
    # Aisha, and the user records it with `mark aisha-rahman thanked`.
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-12-14T09:00:00-06:00")
    write_note("aisha-rahman", "name: Aisha Rahman\ncompany: Ledgerline\nmessaged: 2026-12-01\n")
    write_note(
        "ben-ode",
        "name: Ben Ode\ncompany: Ledgerline\nconnection: intro\n"
        'introduced_by: "[[aisha-rahman]]"\nmessaged: 2026-12-02\nreplied: 2026-12-03\n'
        "chat: 2026-12-10T13:00:00-06:00\n",
    )
    assert run("mark", "aisha-rahman", "thanked").exit_code == 0
    stats = json.loads(run("stats", "--json").stdout)
    assert [(step["step"], step["count"]) for step in stats["funnel"]] == [
        ("collected", 2),
        ("messaged", 2),
        ("replied", 1),
        ("chatted", 1),
        ("referred", 0),
    ]
    assert "Ledgerline    1/2    50%" in run("stats").stdout
