"""A note's sections are found the same way whether its body is read line by line (a plain
body, most notes) or by the CommonMark parser (anything else): `## Notes` in a code block is
never a section, and `doctor` on a big vault does not parse every body to know it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.model.body import (
    Heading,
    _plain_headings,
    add_log_line,
    call_sections,
    headings,
    parsed_headings,
    section_lines,
)

# Lines a note holds, and the ones that make Markdown tricky: fences, HTML, setext
# underlines, indented and nested headings, closing runs of `#`, tabs, CR line ends.
LINES = [
    "## Notes",
    "## Log",
    "### Call 2026-11-20",
    "# Title #",
    "## Notes ##",
    "##  Spaced  ##  ",
    "#\tTabbed",
    "####### seven",
    "#hashtag",
    "##",
    "# ",
    "## x#",
    "## x \\#",
    "- 2026-11-20: replied",
    "- Next: send the deck in a week",
    "Thanks: the intro to Ana",
    "  - nested item",
    "- # in a list",
    "> ## quoted",
    "> text",
    "1. # numbered",
    "   ## indented three",
    "    ## indented code",
    "\t## tab indented",
    "```",
    "~~~",
    "<div>",
    "  <!-- note -->",
    "---",
    "===",
    "- - -",
    "***",
    "Notes",
    "[ref]: /url 'title",
    "'",
    "plain text with a # inside",
    "",
    "",
    "café ## not a heading",
    "- - - - - - - - - - ten lists deep",
    "                  - the tenth list in a list",
    "\t\t\t\t\t- five tabs in",
]


@st.composite
def bodies(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(LINES), max_size=14))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return ending.join(lines) + draw(st.sampled_from(["", ending]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies())
def test_a_plain_body_read_line_by_line_has_the_parsers_headings(body: str) -> None:
    quick = _plain_headings(body)
    assert quick is None or quick == parsed_headings(body)
    assert headings(body) == parsed_headings(body)


def test_a_usual_note_is_read_without_the_parser() -> None:
    body = (
        "Met at the meetup.\n\n## Notes\n\n- Payments team, Kafka.\n\n"
        "### Call 2026-11-20\n\nNext: send the deck in a week\n\n## Log\n\n- 2026-11-20: chat\n"
    )
    assert _plain_headings(body) == [
        Heading(2, "Notes", 2),
        Heading(3, "Call 2026-11-20", 6),
        Heading(2, "Log", 10),
    ]
    assert section_lines(body, "notes") == (2, 10)
    assert [heading.title for heading, _ in call_sections(body)] == ["Call 2026-11-20"]


def test_a_heading_in_a_code_block_is_not_a_section() -> None:
    body = "```\n## Notes\n```\n\nNotes\n-----\n\n- what I learned\n"
    assert _plain_headings(body) is None  # a fence: the parser decides
    assert headings(body) == [Heading(2, "Notes", 4)]
    assert section_lines(body, "Notes") == (4, 8)


def test_a_list_ten_deep_is_read_as_the_parser_reads_it() -> None:
    """The parser stops reading a body inside a tenth list in a list (its guard against deep
    nesting): no heading after it is a section. The line-by-line reader must not find one
    there either, or a note would have a `## Notes` or not depending on how it was read."""
    nine = "\n".join("  " * depth + "- idea" for depth in range(9)) + "\n\n## Notes\n\n- met\n"
    ten = "\n".join("  " * depth + "- idea" for depth in range(10)) + "\n\n## Notes\n\n- met\n"
    assert headings(nine) == parsed_headings(nine) == [Heading(2, "Notes", 10)]
    assert _plain_headings(nine) is not None
    assert _plain_headings("- " * 9 + "idea\n## Notes\n") == [Heading(2, "Notes", 1)]
    for body in (ten, "- " * 10 + "idea\n## Notes\n", "1. " * 10 + "idea\n## Notes\n"):
        assert parsed_headings(body) == []
        assert headings(body) == []


def test_a_line_break_only_python_sees_does_not_move_an_edit_into_another_section() -> None:
    """Text pasted from elsewhere can hold a form feed or a Unicode line separator (U+2028):
    CommonMark reads it inside a line, while the sections are cut and edited by Python's
    lines, where it ends one. A heading's line is counted the way the edits count, so the
    day's log line still goes under `## Log`, not at the end of `## Notes`."""
    for pasted in ("\u2028", "\x0c", "\x85", "\u2029", "\x0b", "\x1c"):
        body = f"## Notes\n- Kafka{pasted}payments{pasted}team\n## Log\n- 2026-11-01: messaged\n"
        body += "## Later\n- ask about the team\n"
        lines = body.splitlines()
        assert [lines[heading.line] for heading in headings(body)] == [
            "## Notes",
            "## Log",
            "## Later",
        ]
        logged = add_log_line(body, "- 2026-11-20: chat", "\n")
        assert logged.replace(pasted, "|") == (
            "## Notes\n- Kafka|payments|team\n## Log\n- 2026-11-01: messaged\n"
            "- 2026-11-20: chat\n## Later\n- ask about the team\n"
        )
