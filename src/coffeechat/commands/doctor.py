"""Checking the vault: doctor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from coffeechat.commands.base import State, View, complete_people, json_option, pass_state, say
from coffeechat.output import formatters

if TYPE_CHECKING:
    from coffeechat.store.merge import Choice, Conflict, Merged

GIT = "git conflict markers"


@click.command()
@json_option
@pass_state
def doctor(state: State) -> None:
    """Check the whole vault and say what is wrong and how to fix it.

    Reports, as `path:line: problem — fix` grouped by file: notes that cannot be read, key
    typos, values outside their set, unknown time zones and locations with none, milestones
    in an impossible order, past chats with no notes, duplicate people, sync tools' conflict
    copies and git's conflict markers (`coffeechat merge` joins them), people and companies
    that do not link up, the vault's own question banks that
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


_TAKE_HELP = (
    "How to settle conflicts: mine (the note's version), theirs (the copy's), or KEY=mine|"
    "theirs for one key; body=mine|theirs|both for the body's (both: the note's lines, then "
    "the copy's). Repeatable."
)


def _takes(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    takes: dict[str, str] = {}
    for value in values:
        where, _, choice = value.rpartition("=")
        allowed = ("mine", "theirs", "both") if where == "body" else ("mine", "theirs")
        if choice not in allowed:
            raise click.BadParameter(
                f"`{value}`: take {' or '.join(allowed)}"
                + ("" if where else ", or KEY=mine|theirs, or body=both"),
                ctx=ctx,
                param=param,
            )
        takes[where or "*"] = choice
    return takes


@click.command()
@click.argument("name", required=False, shell_complete=complete_people)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Merge every note that has conflict copies or git conflict markers.",
)
@click.option(
    "--take", "takes", multiple=True, metavar="[KEY=]SIDE", callback=_takes, help=_TAKE_HELP
)
@click.option(
    "--ask/--no-ask",
    default=None,
    help="Ask about each conflict as it comes (the default on a terminal).",
)
@click.option("--dry-run", is_flag=True, help="Print what the merge would do; write nothing.")
@json_option
@pass_state
def merge(
    state: State,
    name: str | None,
    everything: bool,
    takes: dict[str, str],
    ask: bool | None,
    dry_run: bool,
) -> None:
    """Merge a note's sync copies and git conflicts into it.

    Key by key: a key only one side has is kept; a date the key says is a first time
    (messaged, replied…) keeps the earlier one, a last time (nudged, checked_in…) the later;
    lists keep every item once; `## Log` gets every dated line of both, in date order. The
    rest of the body is merged line by line where only one side added lines. Anything else is
    a conflict: you decide it (--ask, or --take); nothing is guessed, and with a conflict left
    undecided nothing is written. The copies then move to .coffeechat/merged/. `doctor`
    lists the copies it recognises and which tool made them.

    \b
    Example:
      coffeechat merge priya --dry-run
      coffeechat merge priya --take role=theirs --take body=both
      coffeechat merge --all --ask
    """
    import sys

    from coffeechat.core.errors import CoffeechatError, NoteError, UsageError

    if bool(name) == everything:
        raise UsageError("name one note, or pass --all (not both)")
    vault = state.store()
    asking = ask if ask is not None else (sys.stdin.isatty() and not state.as_json)

    def decide(conflict: Conflict) -> Choice | None:
        choice = takes.get(conflict.where) or takes.get("*")
        if choice in conflict.choices:
            return choice
        if not asking:
            return None
        for line in _conflict_lines(conflict, None, vault.root):
            say(line, err=True)
        shortcuts = {option[0]: option for option in conflict.choices}
        answer = click.prompt(
            f"Keep {', '.join(conflict.choices)}? [{'/'.join(shortcuts)}]",
            type=click.Choice([*conflict.choices, *shortcuts]),
            show_choices=False,
            err=True,
        )
        return shortcuts.get(answer) or cast("Choice", answer)

    if everything:
        notes = sorted(
            {path.parent / copy.original for path, copy in vault.sync_copies()}
            | {problem.path for problem in vault.marked_notes()}
        )
    else:
        notes = [_note_named(state, str(name))]
    results: list[dict[str, Any]] = []
    failed = 0
    for path in notes:
        try:
            merged = vault.plan_merge(path, decide)
        except NoteError as error:
            failed += 1
            say(f"Error: {formatters.problem_line(error.problem)}; nothing merged", err=True)
            continue
        if not merged.copies and not merged.git:
            continue
        moved: list[Path] = []
        written = False
        if merged.result is not None and not dry_run:
            try:
                moved = vault.apply_merge(merged, state.now())
                written = True
            except CoffeechatError as error:
                failed += 1
                say(f"Error: {error}", err=True)
        elif merged.result is None and not dry_run:
            failed += 1
        results.append(_merge_record(merged, vault.root, written, moved))
        if merged.undecided and not dry_run:
            count = len(merged.undecided)
            say(
                f"Error: {formatters.display_path(path)}: {count} conflict"
                f"{'s' if count > 1 else ''} to decide; pass --take mine|theirs (or "
                "KEY=mine|theirs, body=both), or --ask; nothing written",
                err=True,
            )

    met = {conflict["where"] for record in results for conflict in record["conflicts"]}
    for where in sorted(set(takes) - met - {"*"}):
        say(f"Warning: --take {where}=…: no conflict in `{where}`; it was not used", err=True)

    def lines() -> Iterator[str]:
        if not results and not failed:
            where = "" if everything else f" in {formatters.display_path(notes[0])}"
            yield f"Nothing to merge{where}: no sync conflict copies, no git conflict markers."
        for record in results:
            yield from _merge_lines(record, dry_run)

    state.show(View(record=lambda: results, lines=lines, shape="merge"))
    if failed:
        raise SystemExit(1)


def _note_named(state: State, name: str) -> Path:
    """The note NAME names: a file in people/ or companies/ by its name (read or not: a note
    with git's markers in its frontmatter does not read), else a person, else a company."""
    from coffeechat.core.errors import NoteError, PersonNotFound

    vault = state.store()
    file = name if name.lower().endswith(".md") else f"{name}.md"
    for folder in (vault.people_dir, vault.companies_dir):
        candidate = folder / file
        if candidate.is_file() and candidate.resolve().parent == folder.resolve():
            return vault.original_of(candidate)
    try:
        return vault.person(name).path
    except NoteError as error:
        # The one note NAME may mean does not read: git's markers in it are what merge mends.
        if any(p.path == error.problem.path for p in vault.marked_notes()):
            return error.problem.path
        raise
    except PersonNotFound:
        pass
    try:
        return vault.company(name).path
    except PersonNotFound:
        raise PersonNotFound(
            f"no note matches `{name}`, neither a person nor a company; `coffeechat list` and "
            "`coffeechat companies` list them"
        ) from None


def _conflict_lines(conflict: Conflict, choice: str | None, root: Path) -> Iterator[str]:
    where = "the body" if conflict.where == "body" else f"`{conflict.where}`"
    line = f" (line {conflict.line})" if conflict.line else ""
    decided = f": took {choice}" if choice else ": to decide"
    yield f"  conflict in {where}{line}{decided}"
    for label, text in (("note", conflict.mine), ("copy", conflict.theirs)):
        if not text:
            yield f"    {label}: (nothing)"
        for item in text:
            yield f"    {label}: {item}"


def _merge_record(merged: Merged, root: Path, written: bool, moved: list[Path]) -> dict[str, Any]:
    show = formatters.display_path
    return {
        "note": show(merged.note),
        "copies": [{"file": show(path), "tool": tool} for path, tool, _ in merged.copies]
        if not merged.git
        else [{"file": show(merged.note), "tool": GIT}],
        "steps": [
            {"copy": show(step.copy), "where": step.where, "what": step.what}
            for step in merged.steps
        ],
        "conflicts": [
            {
                "copy": show(conflict.copy),
                "where": conflict.where,
                "line": conflict.line,
                "mine": list(conflict.mine),
                "theirs": list(conflict.theirs),
                "choice": choice,
            }
            for conflict, choice in merged.conflicts
        ],
        "changed": merged.changes,
        "written": written,
        "moved": [show(path) for path in moved],
    }


def _merge_lines(record: dict[str, Any], dry_run: bool) -> Iterator[str]:
    for copy in record["copies"]:
        yield f"{record['note']} ← {copy['file']} ({copy['tool']})"
        for step in record["steps"]:
            if step["copy"] == copy["file"]:
                yield f"  {step['where']}: {step['what']}"
        for conflict in record["conflicts"]:
            if conflict["copy"] == copy["file"]:
                where = "the body" if conflict["where"] == "body" else f"`{conflict['where']}`"
                line = f" (line {conflict['line']})" if conflict["line"] else ""
                decided = f": took {conflict['choice']}" if conflict["choice"] else ": to decide"
                yield f"  conflict in {where}{line}{decided}"
                labels = ("ours", "theirs") if copy["tool"] == GIT else ("note", "copy")
                for label, key in zip(labels, ("mine", "theirs"), strict=True):
                    for item in conflict[key] or ["(nothing)"]:
                        yield f"    {label}: {item}"
    if dry_run:
        yield "Dry run: nothing written."
    elif record["written"]:
        changed = "merged" if record["changed"] else "unchanged (the copies add nothing)"
        yield f"{record['note']}: {changed}"
        for path in record["moved"]:
            yield f"  moved the copy to {path}"
