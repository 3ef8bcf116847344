"""The prep sheet on the page: Markdown for the terminal and the vault, the `--json` record,
a printable HTML page, and the frontmatter a saved sheet starts with."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from coffeechat.model.names import label
from coffeechat.prep.choose import seniority_of
from coffeechat.prep.sheet import Sheet
from coffeechat.store.vault import Store


def markdown(sheet: Sheet, frontmatter: str = "") -> str:
    """The sheet as Markdown; a saved sheet starts with its frontmatter."""
    person = sheet.person
    at = f" ({label(person.company)})" if person.company else ""
    heading = f"# Coffee chat: {person.name}{at}"
    out = [heading, ""]
    for warning in sheet.warnings:
        out += [f"> **{warning}**", ""]
    out += [f"{line}  " for line in sheet.who[:-1]] + [sheet.who[-1], ""]
    if sheet.cautions:
        out += ["## Careful: your own notes", ""] + [f"- {line}" for line in sheet.cautions] + [""]
    if sheet.openers:
        out += ["## Openers", ""] + [f"- {line}" for line in sheet.openers] + [""]
    if sheet.research:
        out += ["## Your research", ""] + [f"- {line}" for line in sheet.research] + [""]
    if sheet.last_call:
        title, lines = sheet.last_call
        out += [f"## From your notes: {title}", ""] + [f"- {line}" for line in lines] + [""]
    if sheet.lessons:
        company = label(person.company) or "the company"
        out += [f"## What earlier chats taught about {company}", ""]
        out += [f"- {line} ({who})" for who, line in sheet.lessons] + [""]
    if sheet.questions:
        must = [picked for picked in sheet.questions if picked.must]
        backups = [picked for picked in sheet.questions if not picked.must]
        out += ["## Questions: ask these", ""]
        out += [f"{number}. {picked.text}" for number, picked in enumerate(must, 1)]
        if backups:
            out += ["", "Backups, when an answer runs short:", ""]
            out += [
                f"{number}. {picked.text}" for number, picked in enumerate(backups, len(must) + 1)
            ]
        out.append("")
    out += [f"## The {sheet.minutes} minutes", ""]
    for step in sheet.agenda:
        when = f"{step.minute} min"
        if sheet.chat and sheet.upcoming:
            from coffeechat.when.timefmt import clock_time

            when += f" · {clock_time(sheet.chat + timedelta(minutes=step.minute))}"
        title = f"**{step.title}**" if step.key else step.title
        out.append(f"- **{when}** — {title}")
        out += [f"  - {line}" for line in step.lines]
    out += ["", "## After the call", ""] + [f"- [ ] {line}" for line in sheet.after]
    # Each entry is one line of the page: a line break inside a value (a name written over
    # two lines) becomes a space, so no value can start a heading, a list or a `---` of its own.
    page = (" ".join(line.splitlines()) if _BREAK.search(line) else line for line in out)
    return frontmatter + "\n".join(page) + "\n"


_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines splits at


def sheet_record(sheet: Sheet, root: Path) -> dict[str, Any]:
    """The sheet as plain data, the stable shape of `prep --json`."""
    person = sheet.person
    plan = sheet.plan
    return {
        "person": {
            "name": person.name,
            "file": person.path.relative_to(root).as_posix(),
            "company": label(person.company) or None,
            "role": person.role or None,
            "kind": person.kind or None,
            "seniority": seniority_of(person) or None,
            "connection": person.connection or None,
            "referral": person.referral or None,
        },
        "chat": sheet.chat.isoformat(timespec="seconds") if sheet.chat else None,
        "chat_ahead": sheet.upcoming,
        "minutes": plan.minutes,
        "warnings": sheet.warnings,
        "openers": sheet.openers,
        "research": sheet.research,
        "last_call": (
            {"title": sheet.last_call[0], "lines": sheet.last_call[1]} if sheet.last_call else None
        ),
        "lessons": [{"from": who, "line": line} for who, line in sheet.lessons],
        "questions": [
            {
                "id": picked.question.id,
                "text": picked.text,
                "must": picked.must,
                "source": picked.source,
            }
            for picked in plan.questions
        ],
        "ask": None
        if plan.ask is None
        else {"minute": plan.ask_at, "text": plan.ask, "cues": plan.cues},
        "agenda": [
            {"minute": step.minute, "title": step.title, "lines": step.lines}
            for step in sheet.agenda
        ],
        "after": sheet.after,
        "cautions": sheet.cautions,
    }


def saved_frontmatter(sheet: Sheet, day: str) -> str:
    """The saved sheet's frontmatter, with the ids of the questions it took from the banks."""
    ids = [picked.question.id for picked in sheet.questions if picked.source == "bank"]
    return Store.sheet_frontmatter(sheet.person, day, ids)


PRINT_CSS = """
@page { size: auto; margin: 9mm 14mm; }
body { font: 10pt/1.18 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: #111; max-width: 50em; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 11pt; margin: 6pt 0 2pt; border-bottom: 1px solid #ccc; }
blockquote { margin: 2pt 0; padding-left: 8pt; border-left: 3px solid #999; }
p { margin: 2pt 0; }
ul, ol { margin: 2pt 0; padding-left: 18pt; }
li { margin: 1pt 0; }
li > ul { margin: 0; }
strong { color: #000; }
@media print { a { color: inherit; text-decoration: none; } }
"""


_WIKILINK = re.compile(r"\[\[([^\[\]|#^]+)(?:[#^][^\[\]|]*)?(?:\|([^\[\]]+))?\]\]")


def html_page(markdown_text: str, title: str) -> str:
    """One self-contained printable page: no scripts, no external files."""
    import html

    from markdown_it import MarkdownIt

    # On paper a wikilink is its name: [[priya-raman|Priya Raman]] -> Priya Raman.
    markdown_text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), markdown_text)
    body = MarkdownIt("commonmark", {"html": False, "typographer": False}).render(markdown_text)
    body = body.replace("<li>[ ] ", "<li>\u2610 ")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )
