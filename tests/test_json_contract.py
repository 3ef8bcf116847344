"""`--json` is a contract: every command that prints data has it, and what it prints is what
docs/json.md declares (output/shapes.py), version and all."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from coffeechat.cli import cli
from coffeechat.output.shapes import SHAPES, VERSION, output_schema
from conftest import Run

jsonschema = pytest.importorskip("jsonschema", reason="the schemas are checked with jsonschema")

# The commands without --json, and why: what they print is not data for a program.
NO_JSON = {
    "init": "prints the files it made",
    "add": "prints the note it made",
    "edit": "opens an editor",
    "set": "prints the note and the change",
    "log": "prints the note and the change",
    "mark": "prints the note and the change",
    "schedule": "prints the note and the invitation",
    "call": "a full-screen view at a terminal (--record prints the note and the change)",
    "draft": "prints the message itself, ready to paste",
    "company add": "prints the note it made",
    "company step": "prints the note and the change",
    "import linkedin": "prints a line per note it made or changed",
    "import vcard": "prints a line per note it made or changed",
    "export csv": "prints CSV",
    "mcp": "speaks MCP on stdin and stdout",
}


def _commands() -> dict[str, click.Command]:
    """Every command a user can run, groups opened: `company add`, `import vcard`."""
    found = {}
    context = click.Context(cli)
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        assert command is not None
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                found[f"{name} {sub.name}"] = sub
        else:
            found[name] = command
    return found


def test_every_command_that_prints_data_has_json_and_a_declared_shape() -> None:
    commands = _commands()
    with_json = {
        name
        for name, command in commands.items()
        if any(
            param.name == "json" or "--json" in getattr(param, "opts", [])
            for param in command.params
        )
    }
    assert with_json == {shape.partition(" --")[0] for shape in SHAPES}
    assert set(commands) - with_json == set(NO_JSON)


def _validate(command: str, text: str) -> dict:
    data = json.loads(text)
    assert data["version"] == VERSION
    jsonschema.Draft202012Validator(
        output_schema(command), format_checker=jsonschema.FormatChecker()
    ).validate(data)
    return data


EXAMPLES = [
    ["list"],
    ["list", "--stage", "replied"],
    ["zone", "Portland"],
    ["slots", "priya"],
    ["questions"],
    ["due"],
    ["due", "--on", "2026-11-30", "--all"],
    ["stats"],
    ["companies"],
    ["next"],
    ["doctor"],
]


@pytest.mark.parametrize("args", EXAMPLES, ids=" ".join)
def test_what_each_command_prints_is_what_its_schema_says(
    run: Run, example_vault: Path, args: list[str]
) -> None:
    result = run(*args, "--json", root=example_vault)
    assert result.exit_code == 0, result.output
    _validate(args[0], result.stdout)


def test_show_and_prep_match_their_schemas_for_everyone(run: Run, example_vault: Path) -> None:
    listed = _validate("list", run("list", "--json", root=example_vault).stdout)
    for person in listed["people"]:
        stem = Path(person["file"]).stem
        shown = _validate("show", run("show", stem, "--json", root=example_vault).stdout)
        assert shown["file"] == person["file"]
        sheet = _validate("prep", run("prep", stem, "--json", root=example_vault).stdout)
        assert sheet["person"]["file"] == person["file"]


def test_doctor_s_findings_match_their_schema(run: Run, vault: Path) -> None:
    (vault / "people" / "broken.md").write_text("---\nname: [unclosed\n---\n")
    (vault / "people" / "typo.md").write_text("---\nname: Ty Po\ncompnay: Stripe\n---\n")
    result = run("doctor", "--json")
    assert result.exit_code == 1
    problems = _validate("doctor", result.stdout)["problems"]
    assert {Path(problem["file"]).name for problem in problems} >= {"broken.md", "typo.md"}


def test_the_lint_s_findings_match_their_schema(run: Run, vault: Path) -> None:
    mine = vault / "mine.md"
    mine.write_text("- Do you like working there?\n- What is the company's address?\n")
    result = run("questions", "--lint", "mine.md", "--json")
    assert result.exit_code == 1
    problems = _validate("questions --lint", result.stdout)["problems"]
    assert [problem["line"] for problem in problems if problem["file"] == "mine.md"] == [1, 2]
    clean = run("questions", "--lint", "--json")
    assert clean.exit_code == 0
    assert json.loads(clean.stdout) == {"version": VERSION, "problems": []}


def test_a_list_with_nothing_in_it_is_still_a_versioned_object(run: Run) -> None:
    for command, key in (("list", "people"), ("due", "due"), ("companies", "companies")):
        result = run(command, "--json")
        assert json.loads(result.stdout) == {"version": VERSION, key: []}
