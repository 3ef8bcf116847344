"""Checking the vault: doctor."""

from __future__ import annotations

from collections.abc import Iterator

import click

from coffeechat.commands.base import State, View, json_option, pass_state
from coffeechat.output import formatters


@click.command()
@json_option
@pass_state
def doctor(state: State) -> None:
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
      coffeechat doctor --json | jq '.problems[].file' | sort | uniq -c
    """
    from coffeechat.doctor import diagnose

    vault = state.store()
    report = diagnose(vault, state.now())

    def lines() -> Iterator[str]:
        previous = None
        for problem in report.problems:
            if previous is not None and problem.path != previous:
                yield ""
            yield formatters.problem_line(problem)
            previous = problem.path
        if not report.problems and not vault.warnings:
            yield f"No problems in {report.notes_read} notes."

    state.show(
        View(
            shape="doctor",
            record=lambda: [formatters.problem_record(p) for p in report.problems],
            lines=lines,
        )
    )
    if report.problems or vault.warnings:
        raise SystemExit(1)
