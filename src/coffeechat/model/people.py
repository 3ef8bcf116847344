"""The kinds of people a job-seeker talks to, declared once.

A person's `kind:` picks the question bank their sheet draws from and the topics it asks
first, what the referral part of a chat asks them, whether a company's coverage wants one of
them, and how a job title says someone is of this kind. Adding a kind is one `PersonKind`
entry in `PERSON_KINDS`; the `kind:` key's choices, the banks' audiences, the sheet, coverage,
the companies table, `next` and imports all read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonKind:
    """`bank`: the question-bank audience their questions come from (`any`: the shared ones);
    `must_ask`: the topics a sheet asks first; `ask`: what the referral part asks them
    (`recruiter`: which opening and how to apply; `hiring`: is there a place for me; a
    `colleague` is asked to refer, unless their title says they lead); `covers`: whether a
    company's coverage wants one of them (`small`: at a small company too); `initial`: their
    column in the companies table; `title`: a pattern that finds the kind in a job title, and
    `title_words`: the words of a title that say it (`next` compares titles by them); titles
    are tried in `title_rank` order, lowest first ("Recruiting Manager" is a recruiter)."""

    name: str
    bank: str
    must_ask: tuple[str, ...]
    ask: str = "colleague"
    covers: bool = False
    small: bool = False
    title: str = ""
    title_words: frozenset[str] = frozenset()
    title_rank: int = 0

    @property
    def initial(self) -> str:
        return self.name[0].upper()


PERSON_KINDS: tuple[PersonKind, ...] = (
    PersonKind(
        "engineer",
        bank="engineer",
        must_ask=("role-elsewhere", "day-to-day", "challenges"),
        covers=True,
        small=True,
        title=r"engineer|developer|programmer|\bswe\b|\bsre\b|devops|architect|scientist|"
        r"software|backend|frontend|full[- ]?stack",
        title_words=frozenset(
            {"engineer", "engineering", "developer", "programmer", "swe", "sde", "dev"}
        ),
        title_rank=3,
    ),
    PersonKind(
        "manager",
        bank="manager",
        must_ask=("team-and-culture", "challenges", "hiring-and-referrals"),
        ask="hiring",
        covers=True,
        small=True,
        # Founders and chiefs hire, so they count as managers.
        title=r"manager|\bhead\b|director|\bvp\b|vice president|chief|\bc[et]o\b|founder|"
        r"team lead|engineering lead",
        title_words=frozenset(
            {"manager", "management", "head", "director", "vp", "cto", "founder", "chief"}
        ),
        title_rank=2,
    ),
    PersonKind(
        "recruiter",
        bank="recruiter",
        must_ask=("hiring-and-referrals", "openings", "advice"),
        ask="recruiter",
        covers=True,
        title=r"recruit|talent|sourc(er|ing)|\bhr\b|human resources|people partner",
        title_words=frozenset(
            {"recruiter", "recruiting", "recruitment", "talent", "sourcer", "hr"}
        ),
        title_rank=1,
    ),
    PersonKind("other", bank="any", must_ask=("role-elsewhere", "challenges", "team-and-culture")),
)
PERSON_KIND_NAMES = {kind.name: kind for kind in PERSON_KINDS}
# A note without a `kind:` is asked as `other` is.
UNKNOWN = PERSON_KIND_NAMES["other"]
# The audiences a question bank may name, `any` last.
BANK_AUDIENCES = tuple(dict.fromkeys(kind.bank for kind in PERSON_KINDS))
# The kinds a title can name, in the order they are tried.
_BY_TITLE = sorted((kind for kind in PERSON_KINDS if kind.title), key=lambda k: k.title_rank)


def person_kind(name: str) -> PersonKind:
    """The kind a note's `kind:` names; `other` for none."""
    return PERSON_KIND_NAMES.get(name, UNKNOWN)


def kind_from_title(title: str) -> str:
    """The kind a job title names ("" when it names none): the first, in `title_rank` order."""
    text = title.casefold()
    for kind in _BY_TITLE:
        if re.search(kind.title, text):
            return kind.name
    return ""


def kind_from_words(words: frozenset[str]) -> str:
    """The kind a title's words name ("" when none), in `title_rank` order."""
    for kind in _BY_TITLE:
        if words & kind.title_words:
            return kind.name
    return ""


TITLE_WORDS = frozenset(word for kind in PERSON_KINDS for word in kind.title_words)
