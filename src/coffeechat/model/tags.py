"""Tags as Obsidian takes them: what `doctor` checks in a note's `tags:`."""

from __future__ import annotations

import re

# What Obsidian leaves out of a tag (its tag pattern): white space, ASCII punctuation but `_`,
# `-` and `/` (nested tags), and Unicode's general and supplemental punctuation.
_NOT_IN_TAG = re.compile("[\\s!\"#$%&'()*+,.:;<=>?@^`{|}~\\[\\]\\\\\u2000-\u206f\u2e00-\u2e7f]")


def tag_problem(tag: str) -> str | None:
    """Why Obsidian would not take `tag` as a tag, with the tag it would take; None when it
    would: `job search` has a space, `#go` its `#` (frontmatter tags go without), `2024` only
    digits (a tag needs something else too)."""
    if tag.startswith("#") and not _NOT_IN_TAG.search(tag[1:]) and not tag[1:].isdigit():
        return f"`{tag}`: frontmatter tags go without the `#`; write `{tag[1:]}`"
    fixed = re.sub("-+", "-", _NOT_IN_TAG.sub("-", tag.lstrip("#"))).strip("-")
    if _NOT_IN_TAG.search(tag):
        return f"`{tag}`: a tag holds no spaces or punctuation but `_`, `-`, `/`; write `{fixed}`"
    if tag.isdigit() or (fixed and fixed.replace("/", "").isdigit()):
        return f"`{tag}`: a tag needs a letter, not only digits; write e.g. `y{tag}`"
    return None
