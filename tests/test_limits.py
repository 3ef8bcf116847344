"""Hostile input that is a program or a size: templates, question-bank placeholders, busy
calendars, imports, `.eml` headers, settings and WHEN. Past a limit: one line naming the file
and the limit, exit 1; never a hang, a traceback or the machine's memory.

The resource tests run coffeechat in a subprocess with 300 MB of address space and a 5 s
timeout, so a regression shows as a failure here rather than as a stuck test run."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Run, WriteNote

MEMORY = 300 << 20
SECONDS = 5.0


def limited(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`coffeechat ARGS…` in `cwd`, in under 5 s and 300 MB of address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    start = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "coffeechat", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=SECONDS,
        check=False,
    )
    assert time.monotonic() - start < SECONDS
    assert "Traceback" not in completed.stderr, completed.stderr[-2000:]
    return completed


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
}


@pytest.mark.parametrize("case", list(TEMPLATE_BOMBS))
def test_a_template_runs_under_a_time_and_size_limit(
    vault: Path, write_note: WriteNote, case: str
) -> None:
    template, error = TEMPLATE_BOMBS[case]
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-01\n")
    vault_template(vault, "nudge", template)
    completed = limited("draft", "nudge", "kim", cwd=vault)
    assert (completed.returncode, completed.stdout) == (1, "")
    assert completed.stderr == f"Error: templates/nudge.txt:{error}\n"


def test_doctor_does_not_hang_on_a_template(vault: Path) -> None:
    vault_template(vault, "thanks", TEMPLATE_BOMBS["nested-loops"][0])
    vault_template(vault, "update", TEMPLATE_BOMBS["power"][0])
    completed = limited("doctor", cwd=vault)
    assert completed.returncode == 1
    assert completed.stdout == (
        f"templates/thanks.txt:2: {LOOP}\n\n"
        "templates/update.txt:2: makes a number of more than 100 digits, the limit for a "
        "template\n"
    )


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
    run: Run, vault: Path, write_note: WriteNote, template: str, line: int, tag: str
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nmessaged: 2026-11-01\n")
    vault_template(vault, "nudge", template)
    result = run("draft", "nudge", "kim")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: templates/nudge.txt:{line}: templates cannot include other files, nor "
        f"themselves (`{{% {tag} %}}`); copy the text in\n"
    )


def test_a_template_that_is_not_a_regular_file_is_named(
    run: Run, vault: Path, write_note: WriteNote
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
    result = run("draft", "nudge", "kim")
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
    run: Run, example_vault: Path
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
    from coffeechat.questions import Question

    def fill(text: str) -> str | None:
        return Question(text, "any", "t", Path("b.md"), 1).fill({"company": "Acme", "role": ""})

    assert fill("Why {company}? {{literal}}") == "Why Acme? {literal}"
    assert fill("{company:>400000000}") is None
    assert fill("{company!r}") is None
    assert fill("{role} at {company}") is None  # no value for role
