"""Checking the vault: doctor."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from coffeechat.commands.base import (
    State,
    json_option,
    pass_state,
    say,
    say_json,
)
from coffeechat.output import formatters

if TYPE_CHECKING:
    pass


@click.command()
@json_option
@pass_state
def doctor(state: State, as_json: bool) -> None:
    """Check the whole vault and say what is wrong and how to fix it.

    Reports, as `path:line: problem — fix` grouped by file: notes that cannot be read, key
    typos, values outside their set, unknown time zones and locations with none, milestones
    in an impossible order, past chats with no notes, duplicate people (sync conflict copies
    too), people and companies that do not link up, the vault's own question banks that
    fail the lint and templates that fail to render, and a broken coffeechat.toml. It only
    reads; exit 1 when it finds anything.

    \b
    Example:
      coffeechat doctor
      coffeechat doctor --json | jq '.[].file' | sort | uniq -c
    """
    from coffeechat.doctor import diagnose

    vault = state.store()
    report = diagnose(vault, state.now())
    if as_json:
        records = [
            {"file": formatters.display_path(p.path), "line": p.line, "problem": p.message}
            for p in report.problems
        ]
        say_json(records)
    else:
        previous = None
        for problem in report.problems:
            if previous is not None and problem.path != previous:
                say()
            say(formatters.problem_line(problem))
            previous = problem.path
        if not report.problems and not vault.warnings:
            say(f"No problems in {report.notes_read} notes.")
    if report.problems or vault.warnings:
        raise SystemExit(1)
