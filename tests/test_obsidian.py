"""The vault as Obsidian sees it: links where a note is named, aliases, one name per person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coffeechat.model.names import (
    Link,
    NoteIndex,
    company_index,
    label,
    parse_link,
    resolve,
    wikilink,
)
from coffeechat.model.note import Company, Person
from conftest import Run, WriteNote


def _set_company(root: Path, stem: str, value: str) -> None:
    note = root / "people" / f"{stem}.md"
    text = note.read_text()
    start = text.index("\ncompany: ") + 1
    end = text.index("\n", start)
    note.write_text(text[:start] + f"company: {value}" + text[end:])


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("[[lumen-pay]]", Link("lumen-pay", "lumen-pay")),
        ("[[lumen-pay|Lumen Pay]]", Link("lumen-pay", "Lumen Pay")),
        (" [[companies/lumen-pay.md|Lumen Pay]] ", Link("companies/lumen-pay", "Lumen Pay")),
        ("[[lumen-pay#Stack|Lumen]]", Link("lumen-pay", "Lumen")),
        ("[[companies/lumen-pay]]", Link("companies/lumen-pay", "lumen-pay")),
        ("![[lumen-pay]]", Link("lumen-pay", "lumen-pay")),
        ("Lumen Pay", None),
        ("[[]]", None),
        ("[[a]] and [[b]]", None),
        ("see [[a]]", None),
    ],
)
def test_a_value_is_a_link_only_when_it_is_one_whole_link(text: str, link: Link | None) -> None:
    assert parse_link(text) == link
    assert label(text) == (link.label if link else text)


def test_wikilinks_carry_a_label_only_when_it_is_safe() -> None:
    assert wikilink("priya-raman", "Priya Raman") == "[[priya-raman|Priya Raman]]"
    assert wikilink("priya-raman", "priya-raman") == "[[priya-raman]]"
    assert wikilink("x", "A|B") == "[[x]]"


def test_one_function_finds_the_note_a_value_names() -> None:
    lumen = Company(file="v/companies/lumen-pay.md", name="Lumen Pay", aliases=("LumenPay",))
    fjord = Company(file="v/companies/fjord.md", name="Fjord Health, Inc.")
    index = company_index([lumen, fjord])
    for value in (
        "Lumen Pay",
        "lumen pay",
        "LumenPay",
        "[[lumen-pay]]",
        "[[Lumen-Pay|whatever]]",
        "[[companies/lumen-pay]]",
        "[[Lumen Pay]]",
        "[[LumenPay]]",
    ):
        assert index.find(value) is lumen, value
    assert index.find("Fjord Health") is fjord  # the legal suffix does not count
    assert index.find("[[fjord|Fjord]]") is fjord
    for value in ("", "Nowhere", "[[nowhere]]", "[[people/lumen-pay]]"):
        assert index.find(value) is None, value
    assert index.shown("[[fjord]]") == "Fjord Health, Inc."
    assert index.shown("[[nowhere|Nowhere Co]]") == "Nowhere Co"
    assert index.group("[[lumen-pay]]") == index.group("Lumen Pay") == lumen.file

    # People too (for keys that name a person): by file name, name or alias; two answers, none.
    priya = Person(file="v/people/priya-raman.md", name="Priya Raman", aliases=("Pri",))
    other = Person(file="v/people/old/priya-raman.md", name="Priya Raman")
    assert resolve("[[Pri]]", [priya]) is priya
    assert resolve("[[priya raman]]", [priya]) is priya
    assert resolve("[[priya-raman]]", [priya, other]) is None
    assert resolve("[[old/priya-raman]]", [priya, other]) is other
    assert NoteIndex([priya, other]).find("Priya Raman") is None


def test_a_linked_company_joins_its_note(run: Run, example_vault: Path) -> None:
    _set_company(example_vault, "priya-raman", '"[[lumen-pay|Lumen Pay]]"')
    _set_company(example_vault, "ravi-shah", '"[[lumen-pay]]"')
    result = run("doctor", root=example_vault)
    assert result.stdout == "No problems in 18 notes.\n"
    assert result.exit_code == 0

    prep = run("prep", "priya", root=example_vault).stdout
    assert prep.startswith("# Coffee chat: Priya Raman (Lumen Pay)\n")
    assert "**Senior Software Engineer, Payments API** at Lumen Pay  \n" in prep
    assert "Your way in: I have paid my rent with their app" in prep  # from the company note
    assert "[[" not in prep

    listed = run("list", "--company", "Lumen", root=example_vault).stdout.splitlines()
    assert [line.split("  ")[0] for line in listed] == [
        "NAME",
        "Aisha Khan",
        "Marcus Webb",
        "Priya Raman",
        "Ravi Shah",
    ]
    assert "[[" not in "\n".join(listed)
    companies = run("companies", root=example_vault).stdout
    lumen = next(line for line in companies.splitlines() if line.startswith("Lumen Pay"))
    assert " E2 M1 R1 " in lumen  # Priya and Ravi (linked), Marcus and Aisha (by name)


def test_doctor_still_names_a_link_to_no_company_note(run: Run, write_note: WriteNote) -> None:
    write_note("kim", 'name: Kim Lee\ncompany: "[[nowhere-inc|Nowhere]]"\n')
    result = run("doctor")
    assert result.exit_code == 1
    assert result.stdout == (
        "people/kim.md:3: no company note for `[[nowhere-inc|Nowhere]]` — add one in "
        "companies/ or fix the name\n"
    )


def test_new_notes_carry_their_name_as_an_alias(run: Run, vault: Path) -> None:
    run("add", "Priya Raman", "--company", "Lumen Pay")
    assert (
        (vault / "people" / "priya-raman.md")
        .read_text()
        .startswith("---\nname: Priya Raman\naliases:\n  - Priya Raman\ncompany: Lumen Pay\n---\n")
    )
    csv_file = vault / "Connections.csv"
    csv_file.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Liam,O'Connor,https://www.linkedin.com/in/liam,,Fjord Health,Engineer,01 Nov 2026\n"
    )
    imported = run("import", "linkedin", str(csv_file))
    assert imported.exit_code == 0, imported.output
    assert (
        (vault / "people" / "liam-o-connor.md")
        .read_text()
        .startswith(
            "---\nname: Liam O'Connor\naliases:\n  - Liam O'Connor\ncompany: Fjord Health\n"
        )
    )
    assert run("show", "[[Liam O'Connor]]").exit_code == 0


def test_a_person_has_one_name_in_files_and_links(run: Run, example_vault: Path) -> None:
    result = run("prep", "liam", "--save", root=example_vault)
    assert result.exit_code == 0
    saved = example_vault / "prep" / "2026-11-23-liam-oconnor.md"
    text = saved.read_text()
    assert text.startswith('---\nperson: "[[liam-oconnor|Liam O\'Connor]]"\n')
    assert "Note: [[liam-oconnor|Liam O'Connor]]" in text
    assert (
        (example_vault / "people" / "liam-oconnor.md")
        .read_text()
        .endswith("prep sheet: prep/2026-11-23-liam-oconnor.md\n")
    )


def test_doctor_names_tags_obsidian_would_not_take(run: Run, write_note: WriteNote) -> None:
    write_note(
        "priya",
        "name: Priya Raman\ntimezone: America/Chicago\n"
        'tags: ["job search", "#go", "2024", go, 2024-q1, fintech/payments]\n',
    )
    result = run("doctor")
    assert result.exit_code == 1
    tags = [line for line in result.stdout.splitlines() if "tags:" in line]
    assert tags == [
        "people/priya.md:4: tags: `#go`: frontmatter tags go without the `#`; write `go` "
        "(Obsidian would not take it as a tag)",
        "people/priya.md:4: tags: `2024`: a tag needs a letter, not only digits; write e.g. "
        "`y2024` (Obsidian would not take it as a tag)",
        "people/priya.md:4: tags: `job search`: a tag holds no spaces or punctuation but `_`, "
        "`-`, `/`; write `job-search` (Obsidian would not take it as a tag)",
    ]


def test_show_prints_a_links_label(run: Run, write_note: WriteNote) -> None:
    write_note(
        "priya",
        'name: Priya Raman\ncompany: "[[lumen-pay|Lumen Pay]]"\n'
        'introduced_by: "[[jose-nunez]]"\nprevious: ["[[acme|Acme Corp]]", Initech]\n',
    )
    result = run("show", "priya")
    rows = [line.split(maxsplit=1) for line in result.stdout.splitlines()[1:] if line.strip()]
    lines = {row[0]: row[1] if len(row) > 1 else "" for row in rows}
    assert lines["company"] == "Lumen Pay"
    assert lines["introduced_by"] == "jose-nunez"
    assert lines["previous"] == "Acme Corp, Initech"
    # Scripts still get the value as written.
    assert json.loads(run("show", "priya", "--json").stdout)["company"] == "[[lumen-pay|Lumen Pay]]"
