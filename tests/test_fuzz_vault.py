"""Whole-vault commands over generated notes whose values are hostile scalars: huge integers,
dates near year 1 or 9999, YAML tags, escapes, bidi controls, NUL, very long text, odd
Unicode, lists where text is expected. Whatever the notes hold: no traceback, each bad file
named once, the good notes served, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.cli import cli
from conftest import MINIMAL_CONFIG, snapshot

# YAML as a person types it after `key: `, each a value that once broke something or might.
HOSTILE = [
    "9" * 5000,
    "-" + "9" * 400,
    "1e308",
    "0x" + "f" * 300,
    "!!int abc",
    "!!float nope",
    "!!timestamp nonsense",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!str 2026-11-01",
    "!!null ''",
    "!custom x",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31 23:59:00 -12:00",
    "0001-01-01 00:00:00 +14:00",
    "2026-02-30",
    "2026-11-25T25:61:00",
    "99999999999999999999-01-01",
    '"Esc\\e]0;owned\\aape\\e[2J"',
    '"link \\e]8;;http://evil.example\\ahere\\e]8;;\\a"',
    '"\\x9b31mC1 csi"',
    '"\\u202eevil\\u202c \\u2066isolate\\u2069"',
    '"nul\\0byte"',
    '"line\\nbreak\\r\\n---\\n# heading"',
    "x" * 5000,
    '"' + "é" * 3000 + '"',
    '"\\U0001F9EA\\u0301\\u200b\\ufeff zero-width"',
    "[a, b, c]",
    "{a: 1}",
    "[[nested, [deeper]]]",
    "[" + ", ".join(["x"] * 250) + "]",
    "~",
    "''",
    "yes",
    "0o17",
    ".inf",
    "-.nan",
    "'@{}[]#&*!|>%'",
]
KEYS = [
    "name",
    "company",
    "role",
    "kind",
    "connection",
    "messaged",
    "replied",
    "chat",
    "timezone",
    "location",
    "referral",
    "common",
    "previous",
    "tags",
    "email",
]
COMMANDS = [
    ["due"],
    ["stats"],
    ["next"],
    ["companies"],
    ["doctor"],
    ["show", "anchor-person"],
    ["prep", "anchor-person"],
    ["draft", "outreach", "anchor-person", "--channel", "linkedin"],
]
GOOD = (
    "---\nname: Anchor Person\ncompany: Acme\nkind: engineer\nlocation: Austin, TX\n"
    "hook: I enjoyed your talk.\n---\n"  # outreach needs something personal
)

notes = st.lists(
    st.dictionaries(st.sampled_from(KEYS), st.sampled_from(HOSTILE), min_size=1, max_size=4),
    min_size=1,
    max_size=4,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "vault"
    (root / "people").mkdir(parents=True)
    (root / "companies").mkdir()
    (root / "coffeechat.toml").write_text(MINIMAL_CONFIG + 'looking_for = "backend roles"\n')
    (root / "people" / "anchor-person.md").write_text(GOOD)
    return root


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=notes, named=st.booleans())
def test_whole_vault_commands_survive_hostile_values(
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    generated: list[dict[str, str]],
    named: bool,
) -> None:
    vault = tmp_path / "v"
    shutil.rmtree(vault, ignore_errors=True)
    shutil.copytree(template, vault)
    stems = []
    for number, values in enumerate(generated):
        if named and "name" not in values:
            values = {"name": f"Fuzz {number}", **values}
        lines = "".join(f"{key}: {value}\n" for key, value in values.items())
        stem = f"fuzz-{number}"
        (vault / "people" / f"{stem}.md").write_text(f"---\n{lines}---\n\n## Log\n")
        stems.append(stem)
    monkeypatch.chdir(vault)
    before = snapshot(vault)

    def invoke(*args: str) -> Result:
        result = CliRunner().invoke(cli, ["--no-cache", *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "Traceback" not in result.output
        return result

    listed = invoke("list", "--json")
    served = {person["file"] for person in json.loads(listed.stdout)["people"]}
    assert "people/anchor-person.md" in served  # the good note is always served
    # A note that cannot be read is named once; one served with bad values gets one line per
    # bad value, the same lines in every command, however often the command uses the note.
    lines = {stem: listed.stderr.count(f"people/{stem}.md:") for stem in stems}
    for stem in stems:
        assert lines[stem] == (lines[stem] if f"people/{stem}.md" in served else 1), stem
    for args in COMMANDS:
        result = invoke(*args)
        if args[0] in ("show", "prep", "draft"):
            assert result.exit_code == 0, (args, result.stderr)
            assert "Anchor" in result.stdout
            continue
        named = result.stdout if args == ["doctor"] else result.stderr
        for stem in stems:
            count = named.count(f"people/{stem}.md:")
            assert count == lines[stem] or (args == ["doctor"] and count >= lines[stem]), (
                args,
                stem,
                named,
            )
    after = snapshot(vault)
    # The one file written: the questions prep keeps for the next chat (coffeechat.prep.plans).
    assert set(after) - set(before) == {"prep/plans/anchor-person.json"}
    assert {path: data for path, data in after.items() if path in before} == before
