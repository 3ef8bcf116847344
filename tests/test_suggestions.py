"""Every command the tool suggests to the user parses with the real command line.

The suggestions are collected from what a user sees: `due` (and `due --json`), `next`, the
notes on stderr after a draft of each kind, the prep sheet's after-the-call lines and doctor,
on the example vault and on a vault where each rule of the daily list fires. Each is split as
a shell would split it and parsed by the `coffeechat` group: an unknown command or option, a
bad choice or a missing argument fails here, before a user copies it.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest

from coffeechat.cli import cli
from coffeechat.drafts.make import KINDS
from coffeechat.pipeline.due import RULES
from conftest import NOW, Run, WriteNote

# A suggestion in backticks, or one on a line of its own or after a colon ("Once sent: …").
BACKTICKED = re.compile(r"`(coffeechat [^`]*)`")
ON_ITS_OWN = re.compile(r"(?:^[ \t]*|: )(coffeechat [^`\n]*?)[ \t]*$", re.MULTILINE)

# Monday 2026-11-23, 9:00 in Chicago (conftest's NOW): each note makes one rule fire.
RULE_NOTES = {
    "cara": "name: Cara Soon\ncompany: Lumen Pay\nkind: engineer\nmessaged: 2026-11-10\n"
    "replied: 2026-11-12\nchat: 2026-11-24T10:00:00-06:00\n",  # chat
    "sol": "name: Sol Reyes\ncompany: Lumen Pay\nmessaged: 2026-11-15\nreplied: 2026-11-22\n",
    "tess": "name: Tess Grant\ncompany: Lumen Pay\nconnection: 2nd\n"
    "chat: 2026-11-20T15:00:00-06:00\nreferral: agreed\n",  # thanks, connect, send
    "nina": "name: Nina Park\nmessaged: 2026-11-10\n",  # nudge
    "rey": "name: Rey Diaz\nchat: 2026-11-10T15:00:00-06:00\nthanked: 2026-11-11\n"
    "connected: 2026-11-11\nreferral: agreed\nsent: 2026-11-15\n",  # referral
    "uma": "name: Uma Rao\nchat: 2026-11-05T15:00:00-06:00\nthanked: 2026-11-06\n"
    "connected: 2026-11-06\noutcome: interview\n",  # update
    "ian": "name: Ian Cole\n",
    "ivy": 'name: Ivy Chen\nintroduced_by: "[[ian]]"\nchat: 2026-11-19T15:00:00-06:00\n'
    "thanked: 2026-11-20\nconnected: 2026-11-20\noutcome: rejected\n"
    "updated: 2026-11-21\n",  # introducer, twice
    "mo": "name: Mo Farah\ncompany: O'Hare Freight\nmessaged: 2026-11-01\nnudged: 2026-11-12\n",
    "moe": "name: Moe Lin\nmessaged: 2026-11-01\nnudged: 2026-11-12\n",  # move-on, twice
    "sam": "name: Sam Ode\nchat: 2026-11-19T15:00:00-06:00\nthanked: 2026-11-20\n"
    "connected: 2026-11-20\nreferral: agreed\n",  # send, after the thank-you
    "fay": "name: Fay Lund\ncompany: Fjord Health\nchat: 2026-11-12T15:00:00-06:00\n"
    "thanked: 2026-11-13\nconnected: 2026-11-13\nupdated: 2026-11-23\n",  # decide (Fjord's)
}
# An offer accepted at Lumen Pay on Nov 20, while Fjord Health's application is in process.
CLOSING_NOTES = {
    "lea": "name: Lea Hart\ncompany: Lumen Pay\nchat: 2026-11-10T15:00:00-06:00\n"
    "thanked: 2026-11-11\nconnected: 2026-11-11\nreferral: submitted\n",  # accepted: offer
    "kai": "name: Kai Berg\ncompany: Fjord Health\nchat: 2026-11-12T15:00:00-06:00\n"
    "thanked: 2026-11-13\nconnected: 2026-11-13\nreferral: agreed\nsent: 2026-11-13\n"
    "checked_in: 2026-11-19\n",  # accepted: hold
    "zoe": "name: Zoe Park\ncompany: Fjord Health\nchat: 2026-11-12T15:00:00-06:00\n"
    "thanked: 2026-11-13\nconnected: 2026-11-13\nreferral: submitted\n",  # withdraw
}
RULE_CONFIG = 'name = "Sam Rivera"\ntimezone = "America/Chicago"\nlooking_for = "backend roles"\n'

# One draft of each kind on the example vault.
DRAFTS = [
    ["outreach", "priya", "--force"],
    ["intro", "aisha"],
    ["connect", "arjun"],
    ["nudge", "divya"],
    ["thanks", "arjun"],
    ["update", "hannah"],
    ["offer", "hannah", "--at", "Lumen Pay", "--force"],  # no offer accepted in the example
]


def _company(vault: Path, stem: str, frontmatter: str) -> None:
    (vault / "companies" / f"{stem}.md").write_text(f"---\n{frontmatter}---\n")


def suggested(text: str) -> set[str]:
    """The `coffeechat …` commands in what the user sees."""
    return set(BACKTICKED.findall(text)) | set(ON_ITS_OWN.findall(text))


def parse(command: str) -> None:
    """Parse `command` as the shell and then click would, down to its subcommand, without
    running it; a click error fails the test with the command and click's message."""
    words = shlex.split(command)
    assert words[0] == "coffeechat", command
    args, name = words[1:], "coffeechat"
    command_here: click.Command = cli
    parent: click.Context | None = None
    try:
        while True:
            context = command_here.make_context(name, list(args), parent=parent)
            if not isinstance(command_here, click.Group):
                return
            # A group stops at its subcommand's name and keeps the rest for it.
            rest = context.args
            subcommand = args[len(args) - len(rest) - 1]
            found, command_found, _ = command_here.resolve_command(context, [subcommand, *rest])
            assert found, command
            assert command_found, command
            args, name, command_here, parent = rest, found, command_found, context
    except click.ClickException as error:
        pytest.fail(f"`{command}` does not parse: {error.format_message()}")


@pytest.fixture
def rule_vault(vault: Path, write_note: WriteNote) -> Path:
    """A vault where every rule of the daily list has an item today."""
    (vault / "coffeechat.toml").write_text(RULE_CONFIG)
    for stem, frontmatter in RULE_NOTES.items():
        write_note(stem, frontmatter)
    # A promise due today, and a relationship that outlasts the search (both need a body).
    write_note(
        "pia",
        "name: Pia Holm\nreplied: 2026-06-01\n",
        "\n## Log\n\n- 2026-06-01: coffee\n- 2026-11-16: Next: write again in a week\n",
    )
    write_note(
        "ole",
        "name: Ole Berg\nchat: 2026-06-01T10:00:00-05:00\nthanked: 2026-06-02\nconnection: 1st\n",
        "\n## Log\n\n- 2026-06-01: coffee\n",
    )
    write_note(  # an import found a new job today
        "max",
        "name: Max Roth\ncompany: Bolt\nrole: Staff Engineer\n",
        "\n## Log\n\n- 2026-11-23: moved: Engineer at Acme → Staff Engineer at Bolt\n",
    )
    _company(vault, "lumen-pay", "name: Lumen Pay\nstatus: target\n")
    _company(
        vault,
        "fjord-health",
        "name: Fjord Health\napplication: offer\nsteps:\n  - 2026-11-18 offer\n"
        "decide_by: 2026-11-24\n",
    )
    return vault


@pytest.fixture
def closing_vault(tmp_path: Path) -> Path:
    """A vault the day after an offer was accepted, with another application in process."""
    root = tmp_path / "closing"
    (root / "people").mkdir(parents=True)
    (root / "companies").mkdir()
    (root / "coffeechat.toml").write_text(RULE_CONFIG)
    for stem, frontmatter in CLOSING_NOTES.items():
        (root / "people" / f"{stem}.md").write_text(f"---\n{frontmatter}---\n")
    _company(
        root,
        "lumen-pay",
        "name: Lumen Pay\napplication: accepted\nsteps:\n"
        "  - 2026-11-02 applied\n  - 2026-11-20 accepted\n",
    )
    _company(root, "fjord-health", "name: Fjord Health\napplication: interviewing\n")
    return root


def seen_on(run: Run, root: Path) -> tuple[set[str], list[dict[str, str]]]:
    """The suggestions in the daily list, `next`, every prep sheet and doctor; and the items
    of `due --all --json`."""
    found: set[str] = set()
    for args in (["due"], ["due", "--all"], ["next"], ["doctor"]):
        result = run(*args, root=root)
        found |= suggested(result.stdout + result.stderr)
    items = json.loads(run("due", "--all", "--json", root=root).stdout)["due"]
    found |= {item["command"] for item in items}
    for note in sorted((root / "people").glob("*.md")):
        sheet = run("prep", note.stem, root=root)
        found |= suggested(sheet.stdout + sheet.stderr)
    return found, items


def test_every_suggested_command_parses(
    run: Run,
    example_vault: Path,
    rule_vault: Path,
    closing_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_example, _ = seen_on(run, example_vault)
    on_rules, rule_items = seen_on(run, rule_vault)
    on_closing, closing_items = seen_on(run, closing_vault)
    # Told of the offer the day after, then a month on: the offer of help back to each
    # person who helped.
    for stem in CLOSING_NOTES:
        run("mark", stem, "updated", "--on", "2026-11-21", root=closing_vault)
    monkeypatch.setenv("COFFEECHAT_NOW", "2026-12-21T09:00:00-06:00")
    later = json.loads(run("due", "--all", "--json", root=closing_vault).stdout)["due"]
    closing_items += [item for item in later if item["kind"] == "give-back"]
    monkeypatch.setenv("COFFEECHAT_NOW", NOW)
    # Each rule fired, so its suggestion is among those parsed below.
    items = [(item, rule_vault) for item in rule_items]
    items += [(item, closing_vault) for item in closing_items]
    assert {item["kind"] for item, _ in items} == {rule.kind for rule in RULES}
    drafted: set[str] = set()
    after_drafts: set[str] = set()
    for args in DRAFTS:
        result = run("draft", *args, root=example_vault)
        assert result.exit_code == 0, (args, result.stderr)
        drafted.add(args[0])
        after_drafts |= suggested(result.stderr)
    for item, root in items:  # every draft the daily list asks for, run as printed
        words = shlex.split(item["command"])
        if words[1] == "draft":
            result = run(*words[1:], root=root)
            assert result.exit_code == 0, (item["command"], result.stderr)
            drafted.add(words[2])
            after_drafts |= suggested(result.stderr)
    assert drafted == set(KINDS)
    assert {command.split()[1] for command in after_drafts} >= {"mark"}  # "Once sent: …"
    every = on_example | on_rules | on_closing | after_drafts
    assert len(every) >= 40
    for command in sorted(every):
        parse(command)


@pytest.mark.parametrize(
    "command",
    [
        "coffeechat drat thanks priya",
        "coffeechat draft thank priya",
        "coffeechat due --soon",
        "coffeechat mark",
        "coffeechat next --company",
        "coffeechat set priya referral=asked extra --nope",
    ],
)
def test_a_suggestion_that_would_not_parse_fails(command: str) -> None:
    with pytest.raises(pytest.fail.Exception, match="does not parse"):
        parse(command)
