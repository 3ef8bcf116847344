"""Question banks: the questions a prep sheet picks from, and the lint that keeps them
subjective.

A bank is a Markdown file: frontmatter with `audience` (engineer, manager, recruiter or any) and
`topic`, then one question per top-level list item. The package ships banks; a vault's own
`question_banks/` folder adds banks, and a file there with a shipped bank's name replaces it.

Near-duplicates are grouped into clusters by sub-heading: every question under a `## Heading`
(any level below the title) belongs to the cluster that heading names, in this bank and in any
other bank with a heading of the same words; a question before the first sub-heading stands
alone. A prep sheet takes at most one question from a cluster.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from pathlib import Path

from coffeechat.core.errors import NoteError, Problem
from coffeechat.core.limits import NotRegular
from coffeechat.model.people import BANK_AUDIENCES

SHIPPED = Path(__file__).parent.parent / "question_banks"
AUDIENCES = BANK_AUDIENCES
PLACEHOLDERS = ("company", "role", "previous", "team", "my_goal")
# Asked after the referral ask, not among the main questions.
REFERRAL_TOPIC = "referral-process"


@dataclass(frozen=True)
class Question:
    text: str  # may hold {placeholders}
    audience: str
    topic: str
    path: Path
    line: int
    cluster: str = ""  # the sub-heading it sits under, folded; "" when it stands alone

    @property
    def group(self) -> str:
        """What a sheet holds one of: the cluster, or the question itself when alone."""
        return f"cluster:{self.cluster}" if self.cluster else f"question:{self.id}"

    @property
    def id(self) -> str:
        """A short, stable name for the question, recorded in saved prep sheets."""
        words = " ".join(self.text.casefold().split())
        return hashlib.sha1(words.encode()).hexdigest()[:8]

    def fill(self, values: dict[str, str]) -> str | None:
        """The question with its placeholders filled, or None when one has no value. Only
        bare `{name}` is filled: a format spec or conversion is never run (reading the bank
        refuses them anyway)."""
        try:
            fields = list(string.Formatter().parse(self.text))
        except ValueError:
            return None
        parts = []
        for literal, name, spec, conversion in fields:
            parts.append(literal)
            if name is None:
                continue
            if spec or conversion or not values.get(name):
                return None
            parts.append(values[name])
        return "".join(parts)


@dataclass(frozen=True)
class Bank:
    path: Path
    audience: str
    topic: str
    questions: list[Question]


def _placeholders(text: str) -> list[tuple[str, str]]:
    """Each placeholder as written (`{company}`) and its name; `{` alone when the braces
    do not pair up."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return [("{", "{")]
    found = []
    for _, name, spec, conversion in fields:
        if name is not None:
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            found.append((f"{{{written}}}", name))
    return found


def _placeholder_problem(text: str) -> str | None:
    """Why a question's placeholders cannot be filled: an unknown name, or anything but a
    bare `{name}` (a format spec such as `{company:>400000000}` would be run when filled)."""
    for written, name in _placeholders(text):
        if name not in PLACEHOLDERS:
            return f"unknown placeholder `{{{name}}}`; use " + ", ".join(
                f"{{{known}}}" for known in PLACEHOLDERS
            )
        if written != f"{{{name}}}":
            return f"placeholder `{written}` has a format or conversion; write it as `{{{name}}}`"
    return None


def read_bank(path: Path, header_needed: bool = True) -> tuple[Bank | None, list[Problem]]:
    """One bank file, and the problems in it (a bank with a bad header is not used).
    `questions --lint FILE` reads any Markdown list, header or not."""
    from coffeechat.store.vault import Store

    try:
        values, key_lines, body, first_line = Store.read_markdown(
            path, frontmatter_needed=header_needed
        )
    except UnicodeDecodeError:
        return None, [Problem(path, None, "not valid UTF-8; save the file as UTF-8")]
    except NotRegular:
        odd = "is not a regular file (a FIFO, a device or a socket); move it out"
        return None, [Problem(path, None, odd)]
    except OSError as error:
        return None, [Problem(path, None, f"cannot be read: {error.strerror}")]
    except NoteError as error:
        return None, [error.problem]
    problems = []
    header: dict[str, str] = {} if header_needed else {"audience": "any", "topic": "-"}
    for key in ("audience", "topic") if header_needed else ():
        value = values.get(key)
        line = key_lines.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(path, line or 1, f"a bank needs `{key}:` in its frontmatter"))
        else:
            header[key] = value.strip().lower()
    if header.get("audience") and header["audience"] not in AUDIENCES:
        problems.append(
            Problem(
                path,
                key_lines.get("audience"),
                f"audience `{header['audience']}` is not one of {', '.join(AUDIENCES)}",
            )
        )
    if problems:
        return None, problems
    return _bank_from_body(path, body, first_line, header)


def _bank_from_body(
    path: Path, body: str, first_line: int, header: dict[str, str]
) -> tuple[Bank | None, list[Problem]]:
    """The top-level list items of a bank's body, each a question with its line."""
    from markdown_it import MarkdownIt

    problems = []
    tokens = MarkdownIt("commonmark").parse(body)
    questions, depth, cluster = [], 0, ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and depth == 0:
            # `# Title` names the bank; a lower heading starts a cluster of near-duplicates.
            title = tokens[index + 1].content
            cluster = cluster_name(title) if token.tag != "h1" else ""
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "inline" and depth == 1 and tokens[index - 2].type == "list_item_open":
            assert token.map is not None
            text = " ".join(token.content.split())
            line = first_line + token.map[0]
            wrong = _placeholder_problem(text)
            if wrong:
                problems.append(Problem(path, line, wrong))
                continue
            questions.append(
                Question(text, header["audience"], header["topic"], path, line, cluster)
            )
    if not questions:
        problems.append(Problem(path, first_line, "no questions: write one per `- ` list item"))
    return Bank(path, header["audience"], header["topic"], questions), problems


def cluster_name(heading: str) -> str:
    """A cluster's name from its heading: the words, case and spacing folded."""
    return " ".join(heading.casefold().split())


def bank_paths(folder: Path | None) -> list[Path]:
    """The shipped banks, with the vault's own added and same-named ones replacing them; a
    vault bank that is a link leading outside the vault is not read (`banks_outside`)."""
    by_name = {path.name: path for path in sorted(SHIPPED.glob("*.md"))}
    if folder is not None and folder.is_dir():
        outside = set(banks_outside(folder))
        by_name.update({p.name: p for p in sorted(folder.glob("*.md")) if p not in outside})
    return [by_name[name] for name in sorted(by_name)]


def banks_outside(folder: Path) -> list[Path]:
    """The vault's banks that are links leading outside the vault: never read."""
    root = folder.parent.resolve()
    return [p for p in sorted(folder.glob("*.md")) if not p.resolve().is_relative_to(root)]


def load_banks(paths: list[Path]) -> tuple[list[Bank], list[Problem]]:
    banks, problems = [], []
    for path in paths:
        bank, found = read_bank(path)
        problems += found
        if bank:
            banks.append(bank)
    return banks, problems


# --- the lint: a coffee-chat question asks what only this person can answer ----------------

_CLOSED_START = re.compile(
    r"^(is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|might|must|"
    r"have|has|had|isn't|aren't|don't|doesn't|didn't|won't|wouldn't|can't|couldn't)\b",
    re.IGNORECASE,
)
# "Could you walk me through…" asks for a story, not a yes or no.
_OPEN_REQUEST = re.compile(
    r"^(can|could|would|will)\s+you\s+(please\s+)?(tell|walk|describe|share|talk|explain|say "
    r"more|give|take me|help me understand|paint)",
    re.IGNORECASE,
)
# Facts a web search answers, whoever is asked.
_FACTS = (
    (
        r"\bhow many (employees|people|engineers|staff|offices|customers|users|locations)\b",
        "a headcount or count",
    ),
    (r"\bhow (big|large) is (the company|{company}|it|your company)\b", "the company's size"),
    (
        r"\b(when|what year) (was|did|were) .*\b(founded|start|started|established|go public|"
        r"went public|ipo)\b",
        "a date in the company's history",
    ),
    (r"\bwho (founded|started|owns|runs|leads)\b", "who leads or founded it"),
    (r"\bwho is (the|their|its|your) (ceo|cto|founder|president|chair)", "who the CEO is"),
    (r"\bheadquarter", "where the headquarters is"),
    (
        r"\bwhere (is|are) (the company|{company}|its|the company's|your company)\b.*"
        r"\b(based|located|offices|headquartered)\b|\bwhere (is|are) .* offices\b",
        "where the company is",
    ),
    (
        r"\bwhat (does|do) (the company|{company}|they|your company|the firm) (do|make|sell|build|"
        r"offer)\b",
        "what the company does",
    ),
    (
        r"\bwhat (is|are) (the|its|their|{company}'s|the company's|your company's) (main |core )?"
        r"(product|products|service|services|mission|mission statement|market share|ticker)",
        "what the company sells or states",
    ),
    (r"\bwhat (products|services) does\b", "what the company sells"),
    (r"\bticker\b|\bstock price\b|\bshare price\b|\bpublicly traded\b", "the stock"),
)
# Questions after a count, a size, a date, a name or a place: the answer is a fact.
_FACT_ASKING = re.compile(
    r"^(how (many|much|old|big|large|long ago)|who|where|when|what (year|country|city|size)|"
    r"which (cities|countries|offices|languages|tools))\b|^(what|which)\b",
    re.IGNORECASE,
)
# Words that ask for a judgment, a story or advice rather than a fact.
_OPINION = re.compile(
    r"\b(like|mean|means|best|worst|most|least|hardest|easiest|good|great|better|bad|"
    r"difference|different|differ|compare|misconception|unspoken|wish|think|feel|felt|should|"
    r"would|could|might|matter|matters|mattered|surprise|surprised|surprising|favou?rite|"
    r"something|anything|one thing|actually|really|advice|lesson|learn|learned|mistake|"
    r"proud|enjoy|love|hate|struggle|struggles|thrive|excited|worried|hope|expect|"
    r"expectations|worth|why)\b",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"\b(you|your|yours|yourself|i|me|my)\b", re.IGNORECASE)
_NOT_PERSONAL = re.compile(r"\byour (company|firm|employer|organization|organisation)\b", re.I)


def lint(text: str) -> str | None:
    """Why a question is not a coffee-chat question, or None when it is one."""
    plain = " ".join(text.split())
    lower = plain.casefold()
    for pattern, what in _FACTS:
        if re.search(pattern.replace("{company}", r"\{company\}"), lower):
            return f"a web search answers this ({what}); ask what only they can tell you"
    personal = bool(_PERSONAL.search(lower)) and not (
        _NOT_PERSONAL.search(lower) and len(_PERSONAL.findall(lower)) == 1
    )
    if not personal and _FACT_ASKING.match(lower) and not _OPINION.search(lower):
        return "a web search or a job posting answers this; ask what they think or lived"
    if _CLOSED_START.match(plain) and not _OPEN_REQUEST.match(plain):
        return "a yes/no question; ask how, what or why instead"
    return None


def lint_banks(banks: list[Bank]) -> list[Problem]:
    return [
        Problem(question.path, question.line, reason)
        for bank in banks
        for question in bank.questions
        if (reason := lint(question.text))
    ]
