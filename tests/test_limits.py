"""Hostile input that is a program or a size: templates, question-bank placeholders, busy
calendars, imports, `.eml` headers, settings and WHEN. Past a limit: one line naming the file
and the limit, exit 1; never a hang, a traceback or the machine's memory.

The resource tests run coffeechat as its own process with 300 MB of address space and a 5 s
timeout, so a regression shows as a failure here rather than as a stuck test run. The processes
fork from one warm server (tests/fork_server.py) rather than start Python each time; the size
and time bombs among them are marked `slow` (CI runs them)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import Run, WriteNote
from fork_server import ForkServer

MEMORY = 300 << 20
SECONDS = 5.0

Limited = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def fork_server() -> Iterator[ForkServer]:
    """One warm process that forks a fresh coffeechat for each limited run."""
    server = ForkServer()
    yield server
    server.close()


@pytest.fixture
def limited(fork_server: ForkServer) -> Limited:
    """`coffeechat ARGS…` in `cwd`, its own process, in under 5 s and 300 MB of address space."""

    def invoke(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        run = fork_server.run(list(args), cwd=cwd, memory=MEMORY, seconds=SECONDS)
        assert run.seconds < SECONDS
        assert "Traceback" not in run.stderr, run.stderr[-2000:]
        return subprocess.CompletedProcess(args, run.returncode, run.stdout, run.stderr)

    return invoke


@dataclass(frozen=True)
class Bounded:
    """What `limited` gave, named as click's Result names it."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def bounded(vault: Path, limited: Limited) -> Callable[..., Bounded]:
    """Like the `run` fixture, but in its own process under the limits of `limited`."""

    def invoke(*args: str, root: Path | None = None) -> Bounded:
        completed = limited(*args, cwd=root or vault)
        return Bounded(completed.returncode, completed.stdout, completed.stderr)

    return invoke


# --- templates ---------------------------------------------------------------------------


def vault_template(vault: Path, kind: str, text: str) -> None:
    (vault / "templates").mkdir(exist_ok=True)
    (vault / "templates" / f"{kind}.txt").write_text(text)


SIZE = "makes a text or list of more than 100,000 characters, the limit for a template"
LOOP = "still running after 1 second, the limit for a template; look for a loop that runs too long"
TEMPLATE_BOMBS = {
    "nested-loops": (
        "Hi\n{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        f"2: {LOOP}",
    ),
    "string-times": ('Hi\n\n{{ ("x" * 3000000000)|length }}\n', f"3: {SIZE}"),
    "list-times": ("Hi\n{{ [1] * 3000000000 }}\n", f"2: {SIZE}"),
    "power": (
        "Hi\n{{ 10 ** (10 ** 7) }}\n",
        "2: makes a number of more than 100 digits, the limit for a template",
    ),
    "center-filter": ('Hi\n{{ "x"|center(1000000000) }}\n', f"2: {SIZE}"),
    "ljust-method": ('Hi\n{{ "x".ljust(1000000000) }}\n', f"2: {SIZE}"),
    "format-width": ('Hi\n{{ "{:>999999999}".format(1) }}\n', f"2: {SIZE}"),
    "printf-width": ('Hi\n{{ "%999999999d" % 1 }}\n', f"2: {SIZE}"),
    "doubling-concat": (
        'Hi\n{% set ns = namespace(s="xx") %}{% for i in range(60) %}'
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}\n",
        f"2: {SIZE}",
    ),
    "doubling-macro": (
        "Hi\n{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(60) }}\n",
        f"2: {LOOP}",
    ),
    "join-of-many": ('Hi\n{{ (["x" * 100000] * 100000)|join }}\n', f"2: {SIZE}"),
    "replace-growth": ('Hi\n{{ ("x" * 90000).replace("x", "y" * 90000) }}\n', f"2: {SIZE}"),
    "output-loop": ('Hi\n{% for a in range(100000) %}{{ "x" * 1000 }}{% endfor %}\n', f"2: {SIZE}"),
    # What the output's own join builds: a captured block, a filter block, a call block.
    "set-block": (
        'Hi\n{% set ns = namespace(s="x" * 60000) %}{% for i in range(40) %}{% set b %}'
        "{{ ns.s }}{{ ns.s }}{% endset %}{% set ns.s = b %}{% endfor %}\n",
        f"2: {SIZE}",
    ),
    "filter-block": (
        'Hi\n{% filter upper %}{% for i in range(100000) %}{{ "x" * 1000 }}{% endfor %}'
        "{% endfilter %}\n",
        f"2: {SIZE}",
    ),
    "call-block": (
        "Hi\n{% macro twice() %}{{ caller() }}{{ caller() }}{% endmacro %}"
        '{% call twice() %}{{ "x" * 60000 }}{% endcall %}\n',
        f"2: {SIZE}",
    ),
    "tojson-indent": ("Hi\n{{ [[1, 2], [3]]|tojson(indent=50000000) }}\n", f"2: {SIZE}"),
    "power-101-digits": (
        "Hi\n{{ 10 ** 100 }}\n",
        "2: makes a number of more than 100 digits, the limit for a template",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(TEMPLATE_BOMBS))
def test_a_template_runs_under_a_time_and_size_limit(
    vault: Path, write_note: WriteNote, case: str, limited: Limited
) -> None:
    template, error = TEMPLATE_BOMBS[case]
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-01\n")
    vault_template(vault, "nudge", template)
    completed = limited("draft", "nudge", "kim", cwd=vault)
    assert (completed.returncode, completed.stdout) == (1, "")
    assert completed.stderr == f"Error: templates/nudge.txt:{error}\n"


@pytest.mark.slow
def test_doctor_does_not_hang_on_a_template(vault: Path, limited: Limited) -> None:
    vault_template(vault, "thanks", TEMPLATE_BOMBS["nested-loops"][0])
    vault_template(vault, "update", TEMPLATE_BOMBS["power"][0])
    completed = limited("doctor", cwd=vault)
    assert completed.returncode == 1
    assert completed.stdout == (
        f"templates/thanks.txt:2: {LOOP}\n\n"
        "templates/update.txt:2: makes a number of more than 100 digits, the limit for a "
        "template\n"
    )


# Each block form around a body that would be 100 MB: 100,000 copies of 1,000 characters.
HUNDRED_MB = '{% for i in range(100000) %}{{ "x" * 1000 }}{% endfor %}'
BLOCK_BOMBS = {
    "set-block": f"{{% set b %}}{HUNDRED_MB}{{% endset %}}{{{{ b|length }}}}",
    "macro": f"{{% macro m() %}}{HUNDRED_MB}{{% endmacro %}}{{{{ m()|length }}}}",
    "filter-block": f"{{% filter length %}}{HUNDRED_MB}{{% endfilter %}}",
    "call-block": (
        "{% macro w() %}{{ caller()|length }}{% endmacro %}"
        f"{{% call w() %}}{HUNDRED_MB}{{% endcall %}}"
    ),
    "tojson-indent": "{{ [[1, 2], [3]]|tojson(indent=100000000) }}",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BLOCK_BOMBS))
def test_a_100_mb_block_is_refused_by_size_within_300_mb(
    vault: Path, write_note: WriteNote, case: str, fork_server: ForkServer
) -> None:
    """Refused by the size limit, so before the 1 second limit, under a 300 MB address-space
    cap; the process never held even the 100 MB body (its peak resident memory, imports
    included, stays under that)."""
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-01\n")
    vault_template(vault, "nudge", f"Hi\n{BLOCK_BOMBS[case]}\n")
    run = fork_server.run(["draft", "nudge", "kim"], cwd=vault, memory=MEMORY, seconds=SECONDS)
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == f"Error: templates/nudge.txt:2: {SIZE}\n"
    assert run.peak_bytes < 100 << 20


@pytest.mark.parametrize(
    ("template", "line", "tag"),
    [
        ('Hi\n{% include "nudge.txt" %}\n', 2, "include"),
        ('Hi\n\n{% import "nudge.txt" as me %}\n', 3, "import"),
        ('{% from "nudge.txt" import x %}\n', 1, "fromimport"),
        ('{% extends "nudge.txt" %}\n', 1, "extends"),
        ("Hi\n{% include them.name %}\n", 2, "include"),
    ],
)
def test_a_template_includes_nothing_not_even_itself(
    bounded: Callable[..., Bounded],
    vault: Path,
    write_note: WriteNote,
    template: str,
    line: int,
    tag: str,
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-01\n")
    vault_template(vault, "nudge", template)
    result = bounded("draft", "nudge", "kim")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: templates/nudge.txt:{line}: templates cannot include other files, nor "
        f"themselves (`{{% {tag} %}}`); copy the text in\n"
    )


@pytest.mark.slow
def test_a_template_that_is_not_a_regular_file_is_named(
    vault: Path, write_note: WriteNote, limited: Limited
) -> None:
    import os

    write_note("kim", "name: Kim Lee\nmessaged: 2026-11-01\n")
    (vault / "templates").mkdir()
    os.mkfifo(vault / "templates" / "thanks.txt")
    result = limited("doctor", cwd=vault)  # reading the FIFO would wait for ever
    assert result.stdout == (
        "templates/thanks.txt: not a regular file; a template is a text file\n"
    )
    vault_template(vault, "nudge", "Hi {{ them.first_name }}\n" + "x" * 100_000)
    result = limited("draft", "nudge", "kim", cwd=vault)
    assert result.stderr == (
        "Error: templates/nudge.txt: longer than 100,000 bytes, the limit for a template\n"
    )


def test_ordinary_templates_still_render(run: Run, vault: Path, write_note: WriteNote) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-01\n")
    vault_template(
        vault,
        "nudge",
        "Hi {{ them.first_name }},\n{{ '-' * 20 }}\n{{ ('a ' ~ them.company)|upper }} "
        "{{ '%s/%d' % (them.company, 2 ** 10) }} {{ '{:>6}'.format('x') }} "
        "{{ range(3)|join(',') }} {{ [1, 2] + [3] }}\n{{ me.first_name }}\n",
    )
    result = run("draft", "nudge", "kim")
    assert result.stdout == (
        "Hi Kim,\n--------------------\nA ACME Acme/1024      x 0,1,2 [1, 2, 3]\nSam\n"
    )


NINES = "(10 ** 99 * 9 + (10 ** 99 - 1))"  # 100 nines, the longest number a template makes
DIGITS_LIMIT = "makes a number of more than 100 digits, the limit for a template"


def _nudge_prints(
    run: Run, vault: Path, write_note: WriteNote, expression: str, printed: str | None, limit: str
) -> None:
    """A nudge template of one expression prints it (`printed`), or refuses at its line with
    `limit`'s message (None)."""
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-01\n")
    vault_template(vault, "nudge", f"Hi\n{{{{ {expression} }}}}\n")
    result = run("draft", "nudge", "kim")
    if printed is None:
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"Error: templates/nudge.txt:2: {limit}\n"
    else:
        assert (result.exit_code, result.stdout) == (0, f"Hi\n{printed}\n")


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("10 ** 98 * 9 + (10 ** 98 - 1)", "9" * 99),
        (NINES, "9" * 100),
        (f"{NINES} + 1", None),
        (f"{NINES} - -1", None),
        (f"-{NINES} - 1", None),
        (f"{NINES} * 10", None),
        (f"{NINES} % (10 ** 99 * 9 + (10 ** 99 - 1)) + {NINES} * 2", None),
        (f"[{NINES}, 1]|sum", None),
        (f"({NINES}|string ~ '9')|int", None),
        ("10 ** 100", None),
        (f"{NINES} - 1", "9" * 99 + "8"),
    ],
)
def test_every_arithmetic_result_keeps_to_the_digit_limit(
    run: Run, vault: Path, write_note: WriteNote, expression: str, printed: str | None
) -> None:
    _nudge_prints(run, vault, write_note, expression, printed, DIGITS_LIMIT)


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("range(99999)|length", "99999"),
        ("range(100000)|length", "100000"),
        ("range(100001)|length", None),
        ("range(0, 10 ** 90, 10 ** 84)|length", None),
        ('("ab" * 50000)|length', "100000"),
        ('("ab" * 50000 ~ "c")|length', None),
        ('"ab" * 50001', None),
        ("([1, 2] * 50000)|length", "100000"),
        ("[1, 2] * 50001", None),
    ],
)
def test_ranges_and_repeats_keep_to_the_size_limit(
    run: Run, vault: Path, write_note: WriteNote, expression: str, printed: str | None
) -> None:
    _nudge_prints(run, vault, write_note, expression, printed, SIZE)


# --- question-bank placeholders ----------------------------------------------------------

BOMB_BANK = """---
audience: any
topic: advice
---

- What do you wish you had known before joining {company}?
- How did you personally grow at {company:>400000000} over your own years there?
- What would you tell me about {company!r} as a place to grow?
"""
PLACEHOLDER_PROBLEMS = (
    "question_banks/any-advice.md:7: placeholder `{company:>400000000}` has a format or "
    "conversion; write it as `{company}`\n"
    "question_banks/any-advice.md:8: placeholder `{company!r}` has a format or conversion; "
    "write it as `{company}`\n"
)


def test_a_placeholder_with_a_format_spec_is_reported_not_run(
    run: Run, example_vault: Path, limited: Limited
) -> None:
    (example_vault / "question_banks").mkdir()
    (example_vault / "question_banks" / "any-advice.md").write_text(BOMB_BANK)
    for bank in Path(__file__).parent.parent.glob("src/coffeechat/question_banks/*.md"):
        if bank.name != "any-advice.md":  # leave only the bomb bank to pick from
            (example_vault / "question_banks" / bank.name).write_text(
                BOMB_BANK.replace("topic: advice", f"topic: {bank.stem}")
            )
    completed = limited("prep", "priya", cwd=example_vault)
    assert completed.returncode == 0
    assert "400000000" not in completed.stdout
    assert "'Lumen Pay'" not in completed.stdout
    assert PLACEHOLDER_PROBLEMS in completed.stderr
    lint = run("questions", "--lint", root=example_vault)
    assert lint.exit_code == 1
    assert PLACEHOLDER_PROBLEMS in lint.stdout
    assert PLACEHOLDER_PROBLEMS in run("doctor", root=example_vault).stdout


def test_filling_a_question_never_runs_a_format_spec() -> None:
    from coffeechat.prep.questions import Question

    def fill(text: str) -> str | None:
        return Question(text, "any", "t", Path("b.md"), 1).fill({"company": "Acme", "role": ""})

    assert fill("Why {company}? {{literal}}") == "Why Acme? {literal}"
    assert fill("{company:>400000000}") is None
    assert fill("{company!r}") is None
    assert fill("{role} at {company}") is None  # no value for role


# --- busy calendars ----------------------------------------------------------------------


def repeating(rule: str, start: str = "20260101T000000Z", end: str = "20260101T000001Z") -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\n"
        f"DTSTART:{start}\r\nDTEND:{end}\r\nRRULE:{rule}\r\nSUMMARY:Tick\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


PRIYA = "name: Priya Raman\ntimezone: America/Los_Angeles\n"
CALENDAR_BOMBS = {
    "secondly": (
        repeating("FREQ=SECONDLY"),
        'event "Tick" (UID a@t) repeats every second from 2026-01-01: over 100,000 times up '
        "to the days asked for, the limit for a busy calendar; give the rule an end (UNTIL) "
        "or leave the event out",
    ),
    "secondly-since-1900": (
        repeating("FREQ=SECONDLY;INTERVAL=2", "19000101T000000Z", "19000101T000001Z"),
        'event "Tick" (UID a@t) repeats every 2 seconds from 1900-01-01: over 100,000 times '
        "up to the days asked for, the limit for a busy calendar; give the rule an end "
        "(UNTIL) or leave the event out",
    ),
    "minutely-this-week": (
        repeating("FREQ=MINUTELY", "20261120T000000Z", "20261120T000001Z"),
        'event "Tick" (UID a@t) repeats every minute: over 10,000 times in the days asked '
        "for, the limit for a busy calendar",
    ),
    "hourly-by-second": (
        repeating(
            "FREQ=DAILY;BYHOUR=9,10;BYMINUTE=0,1,2,3,4,5,6,7,8,9;BYSECOND=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59",
            "20261101T090000Z",
            "20261101T090001Z",
        ),
        'event "Tick" (UID a@t) repeats every day: over 10,000 times in the days asked for, '
        "the limit for a busy calendar",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CALENDAR_BOMBS))
def test_a_busy_calendar_is_expanded_within_limits(
    vault: Path, write_note: WriteNote, case: str, limited: Limited
) -> None:
    calendar, error = CALENDAR_BOMBS[case]
    write_note("priya", PRIYA)
    (vault / "busy.ics").write_text(calendar, newline="")
    completed = limited("slots", "priya", "--busy", "busy.ics", cwd=vault)
    assert (completed.returncode, completed.stdout) == (1, "")
    assert completed.stderr == f"Error: busy.ics: {error}\n"
    if case == "secondly":  # the same through the setting
        (vault / "coffeechat.toml").write_text(
            'timezone = "America/Chicago"\nbusy_calendars = ["busy.ics"]\n'
        )
        completed = limited("slots", "priya", cwd=vault)
        assert completed.stderr == f"Error: {vault / 'busy.ics'}: {error}\n"


@pytest.mark.slow
def test_a_daily_rule_from_1900_is_still_expanded(
    bounded: Callable[..., Bounded], vault: Path, write_note: WriteNote
) -> None:
    write_note("priya", PRIYA)
    # 9-11 AM Pacific, every day since 1900: 46,000 repeats, within the limit.
    (vault / "busy.ics").write_text(
        repeating("FREQ=DAILY", "19000101T170000Z", "19000101T190000Z"), newline=""
    )
    out = bounded("slots", "priya", "--busy", "busy.ics").stdout
    assert out
    assert ", 10:00-10:15 AM PST" not in out
    assert ", 1:00-1:15 PM PST" in out


def test_reading_and_expanding_a_calendar_has_a_time_limit(
    run: Run, vault: Path, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coffeechat.scheduling import ics as calendar

    monkeypatch.setattr(calendar, "EXPAND_SECONDS", 0.001)
    write_note("priya", PRIYA)
    (vault / "busy.ics").write_text(
        repeating("FREQ=DAILY", "19000101T160000Z", "19000102T000000Z"), newline=""
    )
    result = run("slots", "priya", "--busy", "busy.ics")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: busy.ics: reading and expanding its events took over 0.001 seconds, the "
        "limit for a busy calendar; export a shorter range of dates\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["device", "fifo", "too-big"])
def test_busy_takes_a_regular_file_of_bounded_size(
    vault: Path, write_note: WriteNote, kind: str, limited: Limited
) -> None:
    import os

    write_note("priya", PRIYA)
    if kind == "device":
        target, error = "/dev/zero", "not a regular file; give a calendar file (.ics)"
    elif kind == "fifo":
        os.mkfifo(vault / "pipe.ics")
        target, error = "pipe.ics", "not a regular file; give a calendar file (.ics)"
    else:
        with (vault / "big.ics").open("wb") as file:
            file.truncate((10 << 20) + 1)
        target, error = "big.ics", "larger than 10 MB, the limit for a calendar file (.ics)"
    completed = limited("slots", "priya", "--busy", target, cwd=vault)
    assert (completed.returncode, completed.stdout) == (1, "")
    assert completed.stderr == f"Error: {target}: {error}\n"


def test_a_busy_calendars_setting_naming_a_folder_is_refused(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note("priya", PRIYA)
    (vault / "cal").mkdir()
    (vault / "coffeechat.toml").write_text(
        'timezone = "America/Chicago"\nbusy_calendars = ["cal"]\n'
    )
    result = run("slots", "priya")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {vault / 'cal'}: not a regular file; give a calendar file (.ics)\n"
    )


# --- imports -----------------------------------------------------------------------------

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


@pytest.mark.slow
def test_a_csv_cell_over_128_kb_rejects_its_row_only(
    bounded: Callable[..., Bounded], vault: Path
) -> None:
    (vault / "big.csv").write_text(
        HEADER
        + "Ann,Lee,,,Acme,Engineer,01 Jan 2025\n"
        + f'Big,Field,,,"{"x" * 200_000}",Eng,01 Jan 2025\n'
        + "Bo,Kim,,,Acme,Engineer,01 Jan 2025\n"
    )
    result = bounded("import", "linkedin", "big.csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "created   Ann Lee  people/ann-lee.md\ncreated   Bo Kim  people/bo-kim.md\n"
    )
    assert result.stderr == (
        "big.csv:3: rejected: a cell longer than 128 KB, the limit for an import; is this "
        "LinkedIn's Connections.csv?\n"
        "2 created, 0 updated, 0 already up to date, 0 skipped, 1 rejected\n"
    )


@pytest.mark.slow
def test_a_zip_member_is_size_checked_before_it_is_read(vault: Path, limited: Limited) -> None:
    import zipfile

    with (
        zipfile.ZipFile(vault / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("Connections.csv", "w", force_zip64=True) as member,
    ):
        member.write(HEADER.encode())
        for _ in range(65):
            member.write(b"\n" * (1 << 20))
    assert (vault / "bomb.zip").stat().st_size < 1 << 20
    completed = limited("import", "linkedin", "bomb.zip", cwd=vault)
    assert (completed.returncode, completed.stdout) == (1, "")
    assert completed.stderr == (
        "Error: bomb.zip: Connections.csv is larger than 64 MB unzipped, the limit for an import\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("source", ["linkedin", "vcard"])
def test_an_import_is_a_regular_file_of_bounded_size(
    vault: Path, source: str, limited: Limited
) -> None:
    import os

    what = (
        "LinkedIn's Connections.csv (or its zip)"
        if source == "linkedin"
        else ("a vCard file (.vcf)")
    )
    with (vault / "huge").open("wb") as file:
        file.truncate((64 << 20) + 1)
    os.mkfifo(vault / "pipe")
    for target, error in (
        ("huge", f"larger than 64 MB, the limit for {what}"),
        ("pipe", f"not a regular file; give {what}"),
    ):
        completed = limited("import", source, target, cwd=vault)
        assert (completed.returncode, completed.stdout) == (1, "")
        assert completed.stderr == f"Error: {target}: {error}\n"


def card(*lines: str) -> str:
    return "\r\n".join(("BEGIN:VCARD", "VERSION:2.1", *lines, "END:VCARD", ""))


@pytest.mark.parametrize("charset", ["bogus-enc", "rot13", "base64", "idna", "unicode_escape"])
def test_an_odd_vcard_charset_falls_back_to_utf8(run: Run, vault: Path, charset: str) -> None:
    (vault / "odd.vcf").write_text(
        card(f"FN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 =E9\\n"), newline=""
    )
    result = run("import", "vcard", "odd.vcf")
    assert result.exit_code == 0
    assert result.stdout == "created   José \ufffd  people/jose.md\n"


@pytest.mark.slow
def test_a_folded_22_mb_photo_is_read_in_one_pass(vault: Path, limited: Limited) -> None:
    line = "QUJDRE" * 12
    photo = "\r\n ".join([line] * 300_000)
    (vault / "photo.vcf").write_text(
        card("FN:Photo Person", f"PHOTO;ENCODING=BASE64;TYPE=JPEG:{photo}"), newline=""
    )
    assert (vault / "photo.vcf").stat().st_size > 22_000_000
    completed = limited("import", "vcard", "photo.vcf", "--dry-run", cwd=vault)
    assert completed.returncode == 0
    assert completed.stdout == "created   Photo Person\n"


def test_a_card_that_never_ends_is_reported_with_its_line(run: Run, vault: Path) -> None:
    (vault / "cut.vcf").write_text(
        card("FN;ENCODING=QUOTED-PRINTABLE:Soft Break=")
        + card("FN:Kept Person")
        + "BEGIN:VCARD\r\nFN:Open One\r\n"
        + card("FN:Cut Short").removesuffix("END:VCARD\r\n"),
        newline="",
    )
    result = run("import", "vcard", "cut.vcf", "--dry-run")
    assert result.stdout == "created   Kept Person\n"
    assert result.stderr == (
        "cut.vcf:1: rejected: the quoted-printable value on line 3 ends with a soft line break "
        "(`=`) that runs into line 4; remove the `=` and import again\n"
        "cut.vcf:9: rejected: no END:VCARD before the next card (line 11)\n"
        "cut.vcf:11: rejected: the card has no END:VCARD; is the file cut short?\n"
        "1 created, 0 updated, 0 already up to date, 0 skipped, 3 rejected, 1 created without "
        "a kind (dry run: nothing written)\n"
    )


def test_vcard_escaped_separators_and_the_preferred_email(run: Run, vault: Path) -> None:
    (vault / "c.vcf").write_text(
        card(
            "FN:Rita Sons",
            r"ORG:Rivet \; Sons\, Ltd.;Platform",
            "EMAIL;TYPE=work:work@rivet.example",
            "EMAIL;TYPE=INTERNET,pref:rita@rivet.example",
        )
        + card(
            "FN:Vee Four",
            "EMAIL;PREF=2:two@v.example",
            "EMAIL;PREF=1:one@v.example",
            "EMAIL:none@v.example",
        )
        + card("FN:Old Style", "EMAIL;INTERNET:a@o.example", "EMAIL;PREF;INTERNET:b@o.example"),
        newline="",
    )
    assert run("import", "vcard", "c.vcf").exit_code == 0
    rita = (vault / "people" / "rita-sons.md").read_text()
    assert "company: Rivet ; Sons, Ltd.\n" in rita
    assert "email: rita@rivet.example\n" in rita
    assert "email: one@v.example\n" in (vault / "people" / "vee-four.md").read_text()
    assert "email: b@o.example\n" in (vault / "people" / "old-style.md").read_text()


# --- .eml headers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            'email: "p@x.example>, evil@attacker.example, <q@x.example"',
            "4: email: `p@x.example>, evil@attacker.example, <q@x.example` is not one address "
            "such as name@example.com; fix it",
        ),
        (
            'email: "p@x.example\\r\\nBcc: evil@attacker.example"',
            "4: email: `p@x.example\\r\\nBcc: evil@attacker.example` is not one address such as "
            "name@example.com; fix it",
        ),
        ("email: Priya <p@x.example>", "4: email: `Priya <p@x.example>` is not one address"),
        ("email: p@x.example q@x.example", "4: email: `p@x.example q@x.example` is not one"),
        ("email: not-an-address", "4: email: `not-an-address` is not one address"),
    ],
)
def test_an_eml_gets_one_recipient_or_a_refusal(
    run: Run, write_note: WriteNote, vault: Path, line: str, error: str
) -> None:
    (vault / "coffeechat.toml").write_text(
        'name = "Sam Rivera"\ntimezone = "America/Chicago"\nlooking_for = "backend roles"\n'
    )
    write_note("priya", f"name: Priya Raman\ncompany: Acme\n{line}\n")
    result = run("draft", "outreach", "priya", "--eml", "out.eml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"Error: people/priya.md:{error}")
    assert not (vault / "out.eml").exists()
    link = run("draft", "outreach", "priya", "--mailto")
    assert (link.exit_code, link.stdout, link.stderr) == (1, "", result.stderr)


def test_an_eml_refuses_a_line_break_in_the_name(
    run: Run, write_note: WriteNote, vault: Path
) -> None:
    (vault / "coffeechat.toml").write_text(
        'name = "Sam Rivera"\ntimezone = "America/Chicago"\nlooking_for = "backend roles"\n'
    )
    write_note("priya", 'name: "Priya Raman\\r\\nBcc: evil@attacker.example"\nemail: p@x.example\n')
    result = run("draft", "outreach", "priya", "--eml", "out.eml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: people/priya.md:2: name: `Priya Raman\\r\\nBcc: evil@attacker.example` holds a "
        "line break or control character; fix it\n"
    )
    assert not (vault / "out.eml").exists()


# --- settings that passed validation and then crashed ------------------------------------

SETTING_LIMITS = {
    "buffer_minutes = 999999999999": "`buffer_minutes` should be a whole number from 0 to 1440 "
    "(at most a day)",
    "nudge_after_days = 99999999999": "`nudge_after_days` should be a whole number from 1 to "
    "365 (at most a year)",
    "available_days = []": "`available_days` is empty; list the days you can take calls, e.g. "
    '["mon", "wed"]',
    "chat_minutes = 1000000000": "`chat_minutes` should be a whole number from 1 to 240 (at "
    "most four hours)",
    "ask_at_minute = 0": "`ask_at_minute` should be a whole number from 1 to 239 (within a call "
    "of at most four hours)",
    'available_days = ["mon", 3]': "`available_days` has unknown days [3]; use mon, tue, … sun",
    "busy_calendars = [1]": '`busy_calendars` should be a list of text, e.g. ["a", "b"]',
    'my_companies = [""]': '`my_companies` should be a list of text, e.g. ["a", "b"]',
}


@pytest.mark.parametrize("setting", list(SETTING_LIMITS))
@pytest.mark.parametrize("command", [["slots", "priya"], ["due"], ["list"]])
def test_a_setting_out_of_range_is_refused_with_its_line(
    run: Run, vault: Path, write_note: WriteNote, setting: str, command: list[str]
) -> None:
    write_note("priya", PRIYA + "messaged: 2026-11-01\n")
    (vault / "coffeechat.toml").write_text(f'timezone = "America/Chicago"\n{setting}\n')
    result = run(*command)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {vault / 'coffeechat.toml'}:2: {SETTING_LIMITS[setting]}\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("setting", "command"),
    [
        ("buffer_minutes = 999999999999", ["slots", "priya"]),
        ("nudge_after_days = 99999999999", ["due"]),
        ("available_days = []", ["slots", "priya"]),
    ],
)
def test_the_settings_the_review_crashed_with_are_refused_within_limits(
    bounded: Callable[..., Bounded],
    vault: Path,
    write_note: WriteNote,
    setting: str,
    command: list[str],
) -> None:
    write_note("priya", PRIYA + "messaged: 2026-11-01\n")
    (vault / "coffeechat.toml").write_text(f'timezone = "America/Chicago"\n{setting}\n')
    result = bounded(*command)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {vault / 'coffeechat.toml'}:2: {SETTING_LIMITS[setting]}\n"


@pytest.mark.slow
def test_settings_at_their_limits_still_work(
    bounded: Callable[..., Bounded], vault: Path, write_note: WriteNote
) -> None:
    write_note("priya", PRIYA + "messaged: 2026-11-01\n")
    (vault / "coffeechat.toml").write_text(
        'timezone = "America/Chicago"\nbuffer_minutes = 1440\nnudge_after_days = 365\n'
        'chat_minutes = 240\nask_at_minute = 239\navailable_days = ["mon"]\n'
        'available_hours = "00:00-24:00"\n'
    )
    assert bounded("due").exit_code == 0
    assert bounded("slots", "priya").exit_code == 0


# --- WHEN near year 1 or 9999 (the years a note's dates may have, note.YEARS) ---------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["schedule", "priya", "9999-12-31 23:00"],
        ["schedule", "priya", "in 99999999 days"],
        ["schedule", "priya", "in 9999999999 days"],
        ["schedule", "priya", "12/31/9999 11pm"],
        ["schedule", "priya", "9999-12-31T23:00-12:00"],
        ["schedule", "priya", "0001-01-01 10:00"],
        ["slots", "priya", "--from", "in 99999999 days"],
        ["mark", "priya", "replied", "--on", "9999999 days ago"],
    ],
)
def test_a_date_near_year_1_or_9999_is_refused_cleanly(
    bounded: Callable[..., Bounded], vault: Path, write_note: WriteNote, args: list[str]
) -> None:
    note = write_note("priya", PRIYA + "messaged: 2026-11-01\n")
    before = note.read_bytes()
    result = bounded(*args, "--force") if args[0] == "schedule" else bounded(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: `{args[-1]}` is not a usable date (years 1900-2199)\n"
    assert note.read_bytes() == before


def test_a_date_in_the_usable_years_is_still_read(
    bounded: Callable[..., Bounded], vault: Path, write_note: WriteNote
) -> None:
    write_note("priya", PRIYA)
    result = bounded("schedule", "priya", "2125-12-01 10:00", "--force")
    assert result.exit_code == 0
    assert "scheduled the chat for Sat Dec 1, 10:00 AM CST" in result.output


def test_log_refuses_a_body_past_its_limit_quickly_and_writes_nothing(
    run: Run, write_note: WriteNote
) -> None:
    from coffeechat.store.writes import BODY_EDIT_BYTES

    line = "- 2026-01-01: a line of an old log\n"
    filler = line * (BODY_EDIT_BYTES // len(line) + 1)
    path = write_note("kim", "name: Kim Lee\n", body=f"\n## Log\n\n{filler}")
    before = path.read_bytes()
    result = run("log", "kim", "one more")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: people/kim.md: its body is 1.0 MB; coffeechat adds to ")
    assert path.read_bytes() == before
    assert run("set", "kim", "role=Engineer").exit_code == 0  # its keys are still edited


def test_reading_a_busy_calendar_counts_against_the_same_limit(
    run: Run, vault: Path, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsing alone (thousands of events, no repeats) stops at the limit too."""
    from coffeechat.scheduling import ics as calendar

    monkeypatch.setattr(calendar, "EXPAND_SECONDS", 0.001)
    write_note("priya", PRIYA)
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:e{n}@x\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:20261124T{n % 24:02d}0000Z\r\nDTEND:20261124T{n % 24:02d}3000Z\r\n"
        "END:VEVENT\r\n"
        for n in range(3000)
    )
    (vault / "busy.ics").write_text(
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{events}END:VCALENDAR\r\n",
        newline="",
    )
    result = run("slots", "priya", "--busy", "busy.ics")
    assert result.exit_code == 1
    assert "reading and expanding its events took over 0.001 seconds" in result.stderr
