"""The example vault as Dataview reads it: dates are dates, and Dashboard.md's queries parse and
find what coffeechat finds.

With node, js-yaml and the `obsidian-dataview` npm package on NODE_PATH, the notes are typed
and the queries parsed by Dataview's own grammar (tests/dataview_check.js); without them those
tests are skipped (docs/contributing.md gives the one command that runs them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from coffeechat.model.note import PERSON_KEYS
from conftest import EXAMPLE_VAULT, NOW, REPO, Run

DASHBOARD = EXAMPLE_VAULT / "Dashboard.md"
DATE_KEYS = {key.name for key in PERSON_KEYS if key.kind in ("date", "datetime")}
# The forms coffeechat writes, which Dataview's date grammar reads as dates: a day, or a day,
# `T`, a time with seconds and the offset. (`2026-11-25 15:00:00 -06:00` is text to Dataview.)
DATAVIEW_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z))?")


def _frontmatter(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[4 : text.index("\n---", 4)]


def _notes() -> dict[str, str]:
    return {
        path.relative_to(EXAMPLE_VAULT).as_posix(): _frontmatter(path)
        for path in sorted(EXAMPLE_VAULT.glob("*/*.md"))
    }


def _queries() -> list[str]:
    return re.findall(r"```dataview\n(.*?)```", DASHBOARD.read_text(), re.DOTALL)


def _date_values(frontmatter: str) -> list[str]:
    return [
        match.group(2)
        for match in re.finditer(r"^(\w+):[ \t]*([^#\n]*?)[ \t]*(?:#.*)?$", frontmatter, re.M)
        if match.group(1) in DATE_KEYS and match.group(2)
    ]


def test_example_and_docs_dates_are_written_as_dataview_reads_dates() -> None:
    notes_page = (REPO / "docs" / "notes.md").read_text()
    example = notes_page[notes_page.index("### A person note") :]
    example = example[example.index("---\n") + 4 : example.index("\n---\n")]
    values = _date_values(example)
    for frontmatter in _notes().values():
        values += _date_values(frontmatter)
    assert len(values) > 20
    assert [value for value in values if not DATAVIEW_DATE.fullmatch(value)] == []


def _dataview_ready() -> bool:
    node = shutil.which("node")
    if node is None:
        return False
    probe = subprocess.run(
        [node, "-e", "require('js-yaml'); require.resolve('obsidian-dataview')"],
        capture_output=True,
        env=os.environ.copy(),
    )
    return probe.returncode == 0


needs_dataview = pytest.mark.skipif(
    not _dataview_ready(), reason="needs node, js-yaml and obsidian-dataview on NODE_PATH"
)


def _dataview(notes: dict[str, str], queries: list[str]) -> dict[str, Any]:
    completed = subprocess.run(
        ["node", str(REPO / "tests" / "dataview_check.js")],
        input=json.dumps({"now": NOW, "notes": notes, "queries": queries}),
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "America/Chicago"},  # the example vault's zone
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


@needs_dataview
def test_dataview_reads_every_date_as_a_date_and_a_link_as_a_link() -> None:
    notes = _notes()
    notes["people/old-form.md"] = "name: Old Form\nchat: 2026-11-25 15:00:00 -06:00\n"
    notes["people/linked.md"] = 'name: Linked\ncompany: "[[lumen-pay|Lumen Pay]]"\n'
    types = _dataview(notes, [])["types"]
    dates = {
        (path, key): kind
        for path, keys in types.items()
        for key, kind in keys.items()
        if key in DATE_KEYS
    }
    assert ("people/priya-raman.md", "chat") in dates
    assert dates.pop(("people/old-form.md", "chat")) == "string"  # why the T form matters
    assert set(dates.values()) == {"date"}
    assert types["people/linked.md"]["company"] == "link"


@needs_dataview
def test_the_dashboard_queries_parse_and_find_what_coffeechat_finds(
    run: Run, example_vault: Path
) -> None:
    nudge, week, coverage = _dataview(_notes(), _queries())["queries"]
    for query in (nudge, week, coverage):
        assert query["error"] is None

    due = json.loads(run("due", "--json", root=example_vault).stdout)["due"]
    assert nudge["rows"] == [item["file"] for item in due if item["kind"] == "nudge"]
    assert set(nudge["fields"]) - DATE_KEYS == {
        "company",
        "referral",
        "outcome",
        "contains",
        "list",
    }

    people = json.loads(run("list", "--json", root=example_vault).stdout)["people"]
    monday = datetime.fromisoformat(NOW).replace(hour=0)  # 2026-11-23 is a Monday
    assert week["rows"] == [
        person["file"]
        for person in people
        if "chat" in person
        and monday <= datetime.fromisoformat(person["chat"]) < monday + timedelta(days=7)
    ]
    assert week["rows"] == ["people/priya-raman.md"]

    companies = json.loads(run("companies", "--json", root=example_vault).stdout)["companies"]
    assert {name: len(files) for name, files in coverage["groups"].items()} == {
        row["company"]: row["people"] for row in companies
    }
