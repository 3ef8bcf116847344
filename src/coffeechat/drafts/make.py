"""Message drafts, the package's front door: `make_draft` checks a request against its kind,
fills the template with what it may see, tidies the text and refuses a half-filled draft;
`first_draft` names the kind that opens contact; `sample_request` is doctor's person with
every key filled.

Templates are the user's text, so a draft with a leftover `{{`, `[name]` or `None` is refused
rather than printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from coffeechat.core.shell import shell_word
from coffeechat.drafts.context import LeftOut, context, left_out, warnings_for
from coffeechat.drafts.kinds import KINDS, check, check_length, recipient
from coffeechat.drafts.render import TemplateError, render, template_name
from coffeechat.drafts.request import Request
from coffeechat.model.config import Config
from coffeechat.model.note import Company, Person

_LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\[[A-Za-z_][A-Za-z_ ]*\]|\bNone\b|\bundefined\b")


@dataclass(frozen=True)
class Draft:
    kind: str
    channel: str
    subject: str
    body: str
    to_name: str
    to_email: str
    record: str = ""  # the command that records it once sent, without `coffeechat `
    warnings: tuple[str, ...] = ()  # what to look at before sending
    # Written-to-them values that read as notes, which the draft would have quoted.
    left_out: tuple[LeftOut, ...] = ()

    @property
    def text(self) -> str:
        """The draft as printed and saved: the subject first when there is one."""
        return (f"Subject: {self.subject}\n\n" if self.subject else "") + self.body


def _text(request: Request, template: Path) -> str:
    """The template filled for the request, tidied: no trailing blanks, no blank runs."""
    text = render(template, context(request))
    text = re.sub(r"[ \t]+\n", "\n", text).strip() + "\n"
    text = re.sub(r"(?m)^[ \t]+(?=\S)", "", text)  # a sentence left out before another
    text = re.sub(r"\n{3,}", "\n\n", text)
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)  # "Northwind Games, Inc.." at a sentence end


def make_draft(request: Request, template: Path) -> Draft:
    """The draft for a request, refused when it would be wrong or half-filled. A
    written-to-them value that reads as a note is left out (`Draft.left_out` says which)."""
    check(request)
    variables = context(request)
    text = _text(request, template)
    subject, body = "", text
    first, _, rest = text.partition("\n")
    if first.startswith("Subject:"):
        subject, body = first.removeprefix("Subject:").strip(), rest.lstrip("\n")
    leftover = _LEFTOVERS.search(subject + "\n" + body)
    if leftover:
        line = (
            next(
                (
                    n
                    for n, text in enumerate(template.read_text().splitlines(), 1)
                    if "None" in text
                ),
                None,
            )
            if leftover.group(0) == "None"
            else None
        )
        raise TemplateError(
            template, line, f"the draft still holds `{leftover.group(0)}`; fix the template"
        )
    if request.channel == "linkedin":
        subject = ""
    reader = recipient(request)
    kind = KINDS[request.kind]
    draft = Draft(
        request.kind,
        request.channel,
        subject,
        body,
        reader.name,
        reader.email,
        record=kind.record.format(stem=request.stem, to_name=reader.name)
        + (f" --template {_word(template_name(template))}" if kind.first else ""),
        warnings=tuple(warnings_for(request, variables)),
        left_out=tuple(left_out(request, lambda kept: _text(kept, template))),
    )
    if kind.words and word_count(body) > kind.words:
        draft = _with_warning(draft, f"{word_count(body)} words; short messages get more replies")
    check_length(request, draft.body, template.name)
    return draft


def _word(text: str) -> str:
    """`text` as one word of a command line: as it is when it is a plain word."""
    return text if re.fullmatch(r"[\w.-]+", text) else shell_word(text)


def _with_warning(draft: Draft, warning: str) -> Draft:
    from dataclasses import replace

    return replace(draft, warnings=(*draft.warnings, warning))


def first_draft(person: Person) -> str:
    """The draft that opens contact: an intro request for a 2nd-degree contact with a mutual
    contact named, else the outreach."""
    return "intro" if person.connection == "2nd" and person.mutual else "outreach"


def word_count(text: str) -> int:
    return len(text.split())


def sample_request(config: Config, now: datetime) -> Request:
    """A person with every key filled, for `doctor` to render the vault's templates with."""
    person = Person(
        file="people/sample-person.md",
        name="Sample Person",
        company="Sample Co",
        role="Engineer",
        team="Platform",
        kind="engineer",
        email="sample@example.com",
        connection="2nd",
        mutual=("Mutual Person",),
        school=config.school,
        hook="I enjoyed your talk on sample data.",
        messaged=now.date() - timedelta(days=10),
        chat=now - timedelta(days=1),
        referral="agreed",
        outcome="interview",
    )
    company = Company(
        file="companies/sample-co.md",
        name="Sample Co",
        interest="I use your product every day.",
        news="Congratulations on the launch.",
        position="Engineer",
        posting="https://example.com/jobs/1",
        application="interviewing",
    )
    return Request(
        "outreach",
        person,
        company,
        config,
        now,
        "email",
        "## Notes\n\n### Call\n\n- Thanks: Your advice on the sample was a great help.\n",
        offer_at="Sample Co",
        force=True,
    )
