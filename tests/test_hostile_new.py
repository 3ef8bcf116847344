"""Hostile and careless input to the newest commands (inbox, merge, mcp, keep in touch): each
is refused in one line naming the file, with nothing written and no traceback."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coffeechat.store.merge import _place
from conftest import Run, WriteNote

PRIYA = "name: Priya Raman\ncompany: Lumen Pay\nmessaged: 2026-11-09\n"
BODY = "\n## Notes\n\n## Log\n\n- 2026-11-09: messaged\n"


@pytest.fixture
def priya(write_note: WriteNote) -> Path:
    return write_note("priya-raman", PRIYA, BODY)


def test_an_inbox_that_links_outside_the_vault_is_refused_and_the_target_untouched(
    run: Run, vault: Path, priya: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (vault / "inbox.md").symlink_to(victim)
    note = priya.read_bytes()

    result = run("inbox")

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: inbox.md: leads outside the vault (a link); make it a file in the vault"
    )
    assert victim.read_text() == "root:x:0:0:root:/root:/bin/bash\n"
    assert priya.read_bytes() == note


def test_an_inbox_linked_to_a_file_inside_the_vault_still_files(
    run: Run, vault: Path, priya: Path
) -> None:
    (vault / "Capture").mkdir()
    (vault / "Capture" / "phone.md").write_text("2026-11-20 @priya replied\n")
    (vault / "inbox.md").symlink_to(vault / "Capture" / "phone.md")

    assert run("inbox").exit_code == 0
    assert "replied: 2026-11-20" in priya.read_text()
    assert (vault / "inbox.md").is_symlink()
    assert (vault / "Capture" / "phone.md").read_text() == ""


def test_a_nul_byte_in_the_inbox_is_refused_before_any_note_is_written(
    run: Run, vault: Path, priya: Path
) -> None:
    inbox = vault / "inbox.md"
    inbox.write_bytes(b"2026-11-20 @priya replied\n2026-11-20 @priya thanked\x00\n")
    note = priya.read_bytes()

    result = run("inbox")

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: inbox.md:2: holds binary data (a NUL byte); take it out and run again"
    )
    assert priya.read_bytes() == note
    assert inbox.read_bytes() == b"2026-11-20 @priya replied\n2026-11-20 @priya thanked\x00\n"


def test_an_inbox_over_a_megabyte_is_refused_unread(run: Run, vault: Path, priya: Path) -> None:
    inbox = vault / "inbox.md"
    inbox.write_bytes(b"no name on this line\n" * 60_000)
    before = inbox.read_bytes()

    result = run("inbox")

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: inbox.md: larger than 1 MB, more than an inbox holds; "
        "split it, or file part of it at a time"
    )
    assert inbox.read_bytes() == before
    assert run("due").exit_code == 0


def test_an_inbox_of_more_lines_than_an_inbox_holds_is_refused_unread(
    run: Run, vault: Path, priya: Path
) -> None:
    inbox = vault / "inbox.md"
    inbox.write_bytes(b"x\n" * 5_001)

    result = run("inbox")

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: inbox.md: 5,001 lines, more than an inbox holds (5,000); "
        "split it, or file part of it at a time"
    )
    assert inbox.read_bytes() == b"x\n" * 5_001


def test_an_inbox_of_as_many_lines_as_it_holds_is_read(run: Run, vault: Path, priya: Path) -> None:
    (vault / "inbox.md").write_bytes(b"\n" * 4_999 + b"2026-11-20 @priya replied\n")

    assert run("inbox").exit_code == 0
    assert "replied: 2026-11-20" in priya.read_text()


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_lines_counted_as_the_inbox_reads_them_whatever_ends_them(
    run: Run, vault: Path, priya: Path, end: str
) -> None:
    (vault / "inbox.md").write_text("x" + end * 5_001, newline="")

    result = run("inbox")

    assert result.exit_code == 1
    assert "more than an inbox holds (5,000)" in result.stderr


SYNCTHING = "priya-raman.sync-conflict-20261201-101500-ABCDEF7.md"


def test_a_conflict_copy_linking_outside_the_vault_is_not_read_into_the_note(
    run: Run, vault: Path, priya: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(f"---\n{PRIYA}role: from a file outside the vault\n---\n")
    (vault / "people" / SYNCTHING).symlink_to(outside)
    note = priya.read_bytes()

    result = run("merge", "priya", "--take", "theirs")

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: people/{SYNCTHING}: leads outside the vault (a link); "
        "move the file it names into the vault; nothing merged"
    )
    assert priya.read_bytes() == note
    assert (vault / "people" / SYNCTHING).is_symlink()


def test_a_copy_whose_name_is_taken_in_merged_is_reported_where_it_went(
    run: Run, vault: Path, priya: Path
) -> None:
    copy = vault / "people" / SYNCTHING
    for role in ("One", "Two"):
        copy.write_text(f"---\n{PRIYA}role: {role}\n---\n{BODY}")
        result = run("merge", "priya", "--take", "theirs", "--json")
        assert result.exit_code == 0

    moved = json.loads(result.stdout)["notes"][0]["moved"]
    assert moved == [
        ".coffeechat/merged/20261123T150000Z/people/"
        "priya-raman.sync-conflict-20261201-101500-ABCDEF7-2.md"
    ]
    assert "role: Two" in (vault / moved[0]).read_text()


@pytest.mark.parametrize(
    "args",
    [
        ["log", "priya", "on-call\x00rota"],
        ["call", "priya", "--record", "--note", "on-call\x00rota"],
    ],
    ids=["log", "call"],
)
def test_a_nul_byte_from_an_assistant_never_reaches_a_note(
    run: Run, priya: Path, args: list[str]
) -> None:
    # A shell cannot pass a NUL; an MCP client's JSON can, and the tools run these commands.
    # (`set` writes it YAML-escaped, "\x00", which reads back.)
    note = priya.read_bytes()

    result = run(*args)

    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: people/priya-raman.md: the text holds a NUL byte, which would make the note "
        "unreadable; take it out; nothing written"
    )
    assert priya.read_bytes() == note
    assert run("show", "priya").exit_code == 0


def test_a_lone_surrogate_from_an_assistant_is_refused_in_one_line(run: Run, priya: Path) -> None:
    note = priya.read_bytes()

    result = run("log", "priya", "broken \ud800 text")

    assert result.exit_code == 1
    assert "cannot be written as UTF-8" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert priya.read_bytes() == note


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ('inbox = "inbox\\u0000.md"', "`inbox` should be a Markdown file name"),
        ('inbox = "in\\nbox.md"', "`inbox` should be a Markdown file name"),
        ('people_dir = "peo\\u0000ple"', "`people_dir` should be a folder name"),
        ('companies_dir = "c\\u001b[2Jx"', "`companies_dir` should be a folder name"),
    ],
)
@pytest.mark.parametrize("command", ["doctor", "due", "inbox"])
def test_a_file_or_folder_setting_with_a_control_character_is_refused_with_its_line(
    run: Run, vault: Path, priya: Path, setting: str, says: str, command: str
) -> None:
    config = vault / "coffeechat.toml"
    config.write_text(config.read_text() + setting + "\n")
    line = len(config.read_text().splitlines())

    result = run(command)

    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {config}:{line}: {says}")
    assert len(result.stderr.splitlines()) == 1
    assert "control character" in result.stderr


def test_intros_over_many_people_are_every_pair_that_shares_something(
    run: Run, write_note: WriteNote
) -> None:
    # Only people sharing a fact are compared; the result is still every such pair, in order.
    schools, tags, companies = ["Rice", "MIT", ""], ["go", "rust", "python", ""], ["A", "B", ""]
    people = []
    for n in range(120):
        school, tag, company = schools[n % 3], tags[n % 4], companies[n % 5 % 3]
        mutual = f"mutual: [Person {n + 4:03d}]\n" if n % 7 == 0 else ""
        write_note(
            f"person-{n:03d}",
            f"name: Person {n:03d}\nreplied: 2026-11-01\n"
            + (f"school: {school}\n" if school else "")
            + (f"tags: [{tag}]\n" if tag else "")
            + (f"company: {company}\n" if company else "")
            + mutual,
        )
        people.append((f"Person {n:03d}", school, tag, company, n + 4 if n % 7 == 0 else None))

    result = run("next", "--intros", "--json", "--count", "1000")
    assert result.exit_code == 0, result.stderr

    expected = []
    for i, (name, school, tag, company, points) in enumerate(people):
        for j in range(i + 1, len(people)):
            other, school2, tag2, company2, points2 = people[j]
            if company and company == company2:
                continue
            if points == j or points2 == i:
                continue
            shared = []
            if school and school == school2:
                shared.append(f"both studied at {school}")
            if company and company == company2:
                shared.append(f"both worked at {company}")
            if tag and tag == tag2:
                shared.append(f"both tagged {tag}")
            if shared:
                expected.append(([name, other], shared))
    expected.sort(key=lambda pair: -len(pair[1]))
    got = [(pair["people"], pair["shared"]) for pair in json.loads(result.stdout)["pairs"]]
    assert len(expected) > 1000
    assert got == expected[:1000]


@pytest.mark.parametrize("line", ["- 9999-12-31: gave: a far typo", "### Call 9999-12-31"])
@pytest.mark.parametrize("command", ["due", "stats", "doctor"])
def test_a_log_line_or_call_dated_in_year_9999_is_not_a_touch_and_no_traceback(
    run: Run, write_note: WriteNote, line: str, command: str
) -> None:
    body = "\n## Notes\n\n## Log\n\n- 2026-06-01: coffee\n" + line + "\n"
    if line.startswith("###"):
        body = f"\n## Notes\n\n{line}\n\n- Next: ping in a week\n\n## Log\n\n- 2026-06-01: coffee\n"
    write_note("old-friend", "name: Old Friend\nkeep_in_touch: 30\n", body)

    result = run(*([command, "--all"] if command == "due" else [command]))

    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    if command == "due":
        assert "Old Friend" in result.stdout  # kept in touch from June, the last real touch


def _place_one_by_one(blocks: list[Any], new: list[Any]) -> list[Any]:
    """The rule for where a copy's log lines go, applied literally, one block at a time."""
    blocks = list(blocks)
    for day, lines in new:
        dated = [i for i, (d, _) in enumerate(blocks) if d is not None]
        filled = [i for i, (_, ls) in enumerate(blocks) if "".join(ls).strip()]
        if day is None:
            at = filled[-1] + 1 if filled else 0
        else:
            later = [i for i in dated if (blocks[i][0] or "") > day]
            at = later[0] if later else (dated or filled or [-1])[-1] + 1
        blocks.insert(at, (day, lines))
    return blocks


_DAYS = st.sampled_from([None, "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"])
_BLOCK = st.tuples(_DAYS, st.sampled_from(["x", " ", "y"])).map(
    lambda pair: (pair[0], [f"- {pair[0]}: {pair[1]}\n" if pair[0] else f"{pair[1]}\n"])
)


@given(st.lists(_BLOCK, max_size=12), st.lists(_BLOCK, max_size=12))
def test_a_copys_log_lines_go_where_the_rule_puts_them_one_by_one(
    note: list[Any], copy: list[Any]
) -> None:
    new = [block for block in copy if "".join(block[1]).strip()]  # blank ones are skipped
    assert _place(note, new) == _place_one_by_one(note, new)


def test_a_copy_adding_thousands_of_log_lines_merges_them_all_in_date_order(
    run: Run, vault: Path, priya: Path
) -> None:
    lines = [f"- 2026-{1 + n % 12:02d}-{1 + n % 28:02d}: line {n}\n" for n in range(5_000)]
    (vault / "people" / SYNCTHING).write_text(priya.read_text() + "".join(lines))

    result = run("merge", "priya")

    assert result.exit_code == 0, result.stderr
    assert "## Log: added 5000 entries from the copy" in result.stdout
    logged = [line for line in priya.read_text().splitlines(keepends=True) if ": line " in line]
    assert logged == sorted(lines, key=lambda line: line[2:12])


@pytest.mark.parametrize("inside", ["\u2028", "\x0c", "\x85", "\x1e"])
def test_a_line_with_a_unicode_line_separator_inside_is_one_line(
    run: Run, vault: Path, priya: Path, inside: str
) -> None:
    # Only \n, \r\n and \r end a line in a file an editor shows; the rest are within it.
    inbox = vault / "inbox.md"
    inbox.write_text(f"2026-11-20 @priya coffee{inside}at the meetup\n", newline="")

    result = run("inbox")

    assert result.exit_code == 0, result.stderr
    assert "- 2026-11-20: coffee at the meetup\n" in priya.read_text()
    assert inbox.read_text() == ""


FENCED = (
    "\n## Notes\n\nHow git shows a clash, for the talk:\n\n```\n<<<<<<< HEAD\nmine\n=======\n"
    "theirs\n>>>>>>> branch\n```\n\n## Log\n\n- 2026-11-09: messaged\n"
)


def test_conflict_markers_inside_a_code_block_are_the_users_text_not_a_conflict(
    run: Run, write_note: WriteNote
) -> None:
    path = write_note("priya-raman", PRIYA, FENCED)
    before = path.read_bytes()

    merged = run("merge", "priya")
    listed = run("list")

    assert merged.exit_code == 0
    assert "Nothing to merge" in merged.stdout
    assert path.read_bytes() == before
    assert "conflict" not in listed.stderr


def test_a_real_conflict_beside_a_code_block_of_markers_merges_and_keeps_the_block(
    run: Run, write_note: WriteNote
) -> None:
    clash = "<<<<<<< HEAD\nrole: Staff\n=======\nrole: Senior\n>>>>>>> phone\n"
    path = write_note("priya-raman", PRIYA + clash, FENCED)

    result = run("merge", "priya", "--take", "theirs")

    assert result.exit_code == 0, result.stderr
    text = path.read_text()
    assert "role: Senior\n" in text
    assert "role: Staff" not in text
    assert FENCED in text


def test_a_line_for_a_note_with_a_yaml_error_stays_with_the_notes_file_and_line(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("priya-raman", "name: [Priya Raman\ncompany: Lumen Pay\n")
    inbox = vault / "inbox.md"
    inbox.write_text("2026-11-20 @priya-raman replied\n")

    result = run("inbox")

    assert result.exit_code == 3
    assert "← not filed: people/priya-raman.md:3: YAML error" in inbox.read_text()
    assert "inbox.md:1: people/priya-raman.md:3: YAML error" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["show", "x" * 1_000_000], ["due", "--on", "y" * 1_000_000], ["log", "z" * 200_000, "hi"]],
    ids=["name", "day", "log"],
)
def test_a_megabyte_argument_is_quoted_short_in_the_error(
    run: Run, priya: Path, args: list[str]
) -> None:
    # An assistant's tool call can pass what no shell would; the refusal stays one short line.
    result = run(*args)

    assert result.exit_code != 0
    assert len(result.stderr) < 400
    assert result.stderr.count("\n") == 1
    assert "…`" in result.stderr


def test_merged_copies_never_move_out_of_the_vault_through_a_link(
    run: Run, vault: Path, priya: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (vault / ".coffeechat").mkdir(exist_ok=True)
    (vault / ".coffeechat" / "merged").symlink_to(outside)
    copy = vault / "people" / SYNCTHING
    copy.write_text(f"---\n{PRIYA}role: Staff\n---\n{BODY}")
    note = priya.read_bytes()

    result = run("merge", "priya")

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: .coffeechat/merged leads outside the vault (a link); "
        "make it a folder in the vault; nothing merged"
    )
    assert list(outside.iterdir()) == []
    assert copy.exists()
    assert priya.read_bytes() == note


def test_an_inbox_linked_to_a_note_is_refused_and_the_note_untouched(
    run: Run, vault: Path, priya: Path
) -> None:
    (vault / "inbox.md").symlink_to(Path("people") / "priya-raman.md")
    note = priya.read_bytes()

    result = run("inbox")

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: inbox.md: leads to a note (people/priya-raman.md); make it a file of its own"
    )
    assert priya.read_bytes() == note


def test_another_threads_cleanup_of_stale_temps_never_takes_a_note_mid_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Mid-swap the note's old file carries a temporary name, and its old mtime: the first
    # write in the folder by another of the inbox's threads cleared it as a killed run's
    # leftover, and this write reported an editor's save that never happened.
    from coffeechat.store import files

    note = tmp_path / "priya.md"
    note.write_bytes(b"old")
    old = time.time() - files.STALE_SECONDS - 60
    os.utime(note, (old, old))
    exchange = files._exchange

    def exchange_then_another_thread_cleans(first: Path, second: Path) -> bool:
        swapped = exchange(first, second)
        files.clean_stale_temps(second.parent)
        return swapped

    monkeypatch.setattr(files, "_exchange", exchange_then_another_thread_cleans)

    files.replace_file(note, b"new", b"old")

    assert note.read_bytes() == b"new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["priya.md"]
