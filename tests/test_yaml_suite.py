"""Every document of the YAML test suite, as a note's frontmatter: the whole-vault commands and
`show --json` name what they cannot read, and never end in a traceback.

tests/data/yaml-test-suite.json holds each test's `in.yaml` from the suite's generated data
(its source commit and MIT licence are in the file). Each document is put in a note five
ways: as the whole file, as the whole frontmatter, after a name, indented under a key of its
own, and as the body of a note."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run

SUITE = json.loads((Path(__file__).parent / "data" / "yaml-test-suite.json").read_text())
DOCUMENTS: dict[str, str] = SUITE["documents"]


FRAMINGS = ("whole", "bare", "named", "nested", "body")


def framings(document: str) -> dict[str, str]:
    """The document as the file, the frontmatter, after a name, under a key, as the body."""
    text = document if document.endswith("\n") else document + "\n"
    indented = "".join(f"  {line}" for line in text.splitlines(keepends=True))
    return {
        "whole": text,
        "bare": f"---\n{text}---\n",
        "named": f"---\nname: Suite Case\n{text}---\n",
        "nested": f"---\nname: Suite Case\nsuite:\n{indented}---\n",
        "body": f"---\nname: Suite Case\n---\n{text}",
    }


@pytest.fixture(scope="module")
def suite_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("suite")
    (root / "people").mkdir()
    (root / "companies").mkdir()
    (root / "coffeechat.toml").write_text('name = "Sam Rivera"\ntimezone = "America/Chicago"\n')
    for case, document in DOCUMENTS.items():
        stem = case.lower().replace("/", "-")
        for framing, text in framings(document).items():
            (root / "people" / f"{stem}-{framing}.md").write_bytes(text.encode())
    return root


def test_the_suite_is_all_there() -> None:
    assert len(DOCUMENTS) == 402
    assert "MIT License" in SUITE["license"]


@pytest.mark.parametrize(
    "command",
    [["list"], ["list", "--json"], ["doctor"], ["due"], ["companies"], ["export", "csv"]],
)
def test_whole_vault_commands_read_every_suite_document(
    run: Run, suite_vault: Path, command: list[str]
) -> None:
    """`run` lets any exception through, so a traceback fails here."""
    result = run(*command, root=suite_vault)
    assert result.exit_code in (0, 1), result.output


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(DOCUMENTS))
def test_show_json_and_an_edit_of_every_suite_document(
    run: Run, suite_vault: Path, case: str
) -> None:
    """`show --json` prints JSON or names the problem; `set` edits or refuses."""
    stem = case.lower().replace("/", "-")
    for framing in FRAMINGS:
        result = run("show", f"{stem}-{framing}", "--json", root=suite_vault)
        assert result.exit_code in (0, 1, 2), result.output
        if result.exit_code == 0:
            json.loads(result.stdout)
        result = run("set", f"{stem}-{framing}", "role=Engineer", root=suite_vault)
        assert result.exit_code in (0, 1, 2), result.output
