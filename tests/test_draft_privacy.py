"""No draft ever holds private text: the note's body (but its `Thanks:`/`Next:` call lines),
private keys, YAML comments, keys of the user's own. Checked on every draft of every kind for
every person in the example vault, and on generated notes whose private places hold markers."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.core.errors import CoffeechatError
from coffeechat.drafts.context import context
from coffeechat.drafts.kinds import KINDS
from coffeechat.drafts.make import make_draft
from coffeechat.drafts.render import template_path
from coffeechat.drafts.request import Request
from coffeechat.model.config import Config
from coffeechat.model.note import (
    COMPANY_KEYS,
    CONNECTIONS,
    PERSON_KEYS,
    REFERRALS,
    Company,
    Person,
)
from coffeechat.store.vault import open_store
from conftest import Run

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/Chicago"))


def _private_texts(root: Path) -> dict[str, list[str]]:
    """Per person note: every private piece of text a draft could leak, long enough that
    finding it in a draft cannot be chance."""
    store = open_store(root, use_cache=False)
    companies = {c.name: c for c in store.companies().notes}
    found: dict[str, list[str]] = {}
    for person in store.people().notes:
        texts: list[str] = []
        text = person.path.read_text()
        _, front, body = text.split("---\n", 2)
        for line in body.splitlines():
            line = line.strip().removeprefix("- ").removeprefix("* ").lstrip("! ").strip()
            if line.startswith(("#", "Thanks:", "Next:")) or len(line) < 12:
                continue
            texts.append(line.removeprefix("20").split(": ", 1)[-1] if line[:2] == "20" else line)
        texts += [m.group(1).strip() for m in re.finditer(r"#\s*(.{8,})$", front, re.M)]
        company = companies.get(person.company)
        for note, keys in ((person, PERSON_KEYS), (company, COMPANY_KEYS)):
            for key in keys:
                if note is None or key.audience != "private":
                    continue
                value = getattr(note, key.field)
                texts += [str(v) for v in (value if isinstance(value, tuple) else (value,)) if v]
        texts += [str(v) for v in person.extra.values()]
        # What the user also wrote to them (Marcus's hook names the meetup in `common`) is not
        # a leak: they chose to say it.
        said = " ".join(
            str(getattr(note, key.field))
            for note, keys in ((person, PERSON_KEYS), (company, COMPANY_KEYS))
            for key in keys
            if note is not None and key.audience == "them"
        )
        said += " ".join(line for line in body.splitlines() if "Thanks:" in line or "Next:" in line)
        found[person.stem] = [t for t in texts if len(t) >= 8 and t not in said]
    return found


def test_no_draft_of_the_example_vault_holds_private_text(run: Run, example_vault: Path) -> None:
    private = _private_texts(example_vault)
    assert sum(map(len, private.values())) > 40  # the check has something to look for
    drafted = 0
    for stem, texts in private.items():
        for kind in KINDS:
            extra = ["--at", "Fjord Health"] if kind == "offer" else []
            result = run("draft", kind, stem, "--force", *extra, root=example_vault)
            if result.exit_code != 0:
                assert result.stderr.startswith("Error: "), (kind, stem)
                continue
            drafted += 1
            for text in texts:
                assert text not in result.stdout, (kind, stem, text)
    assert drafted >= 45


MARK = "MARKER"
words = st.text(alphabet="abcdefghij ", min_size=1, max_size=12).map(str.strip)
marked = words.map(lambda w: f"{MARK} {w}")


# What each kind needs before it drafts at all, so that most examples reach a draft: the
# rest of the situation is drawn freely (the refusals are pinned in tests/test_drafts.py).
PAST = NOW - timedelta(days=2)
SHAPED: dict[str, dict[str, list[object]]] = {
    "outreach": {"hook": ["I enjoyed your talk."], "chat": [None], "messaged": [None]},
    "nudge": {"messaged": [date(2026, 11, 1)], "chat": [None], "replied": [None]},
    "thanks": {"chat": [PAST], "thanked": [None]},
    "connect": {"chat": [PAST], "connection": ["2nd", "3rd"], "channel": ["linkedin"]},
    "send": {"referral": ["agreed"], "chat": [PAST], "outcome": [""], "application": [""]},
    "checkin": {
        "referral": ["asked", "agreed"],
        "chat": [PAST],
        "outcome": [""],
        "application": [""],
    },
    "hold": {
        "referral": ["asked", "agreed"],
        "accepted_elsewhere": [True],
        "outcome": [""],
        "application": [""],
    },
    "intro": {
        "introduced_by": [""],
        "mutual": [("[[Jo Park]]",)],
        "connection": ["2nd"],
        "messaged": [None],
        "replied": [None],
        "chat": [None],
    },
    "introducer": {"jo_introduced_by_kim": [True], "chat": [PAST]},
    "withdraw": {
        "application": ["applied", "interviewing"],
        "outcome": [""],
        "offer_at": [None],
        "chat": [PAST],
    },
    "offer": {"offer_at": ["Globex"], "accepted_elsewhere": [True], "chat": [PAST]},
    "update": {"application": [""], "outcome": ["interview", "rejected"], "chat": [PAST]},
}
# Every shaped situation can be sent the way it is drafted.
SHAPED_ALWAYS: dict[str, list[object]] = {
    "email": ["kim@acme.example"],
    "accepted_elsewhere": [False],
}


@st.composite
def situations(draw: st.DrawFn, kind: str) -> Request:
    """A person and company with every private place marked, in any state a draft meets,
    shaped (in most examples) so that the drawn kind can be drafted."""
    # Most examples are shaped for the kind; about one in eight is drawn freely.
    free = draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans())
    shaped = {} if free else {**SHAPED_ALWAYS, **SHAPED[kind]}

    def pick(name: str, choices: list[object]) -> object:
        return draw(st.sampled_from(shaped.get(name, choices)))

    chat = pick("chat", [None, NOW - timedelta(days=2), NOW + timedelta(days=2)])
    messaged = pick("messaged", [None, date(2026, 11, 1)])
    person = Person(
        file="people/kim-lee.md",
        name="Kim Lee",
        company="Acme",
        role=draw(st.sampled_from(["", "Backend Engineer"])),
        kind=draw(st.sampled_from(["engineer", "manager", "recruiter", ""])),
        email=pick("email", ["", "kim@acme.example"]),  # type: ignore[arg-type]
        connection=pick("connection", ["", *CONNECTIONS]),  # type: ignore[arg-type]
        mutual=pick("mutual", [(), ("[[Jo Park]]",)]),  # type: ignore[arg-type]
        introduced_by=pick("introduced_by", ["", "Jo Park"]),  # type: ignore[arg-type]
        school=draw(st.sampled_from(["", "UIC"])),
        hook=pick("hook", ["", "I enjoyed your talk."]),  # type: ignore[arg-type]
        common=tuple(draw(st.lists(marked, min_size=1, max_size=3))),
        tags=tuple(draw(st.lists(marked, max_size=2))),
        messaged=messaged,  # type: ignore[arg-type]
        replied=pick("replied", [None, date(2026, 11, 3)]),  # type: ignore[arg-type]
        chat=chat,  # type: ignore[arg-type]
        thanked=pick("thanked", [None, date(2026, 11, 23)]),  # type: ignore[arg-type]
        referral=pick("referral", ["", *REFERRALS]),  # type: ignore[arg-type]
        outcome=pick("outcome", ["", "interview", "rejected"]),  # type: ignore[arg-type]
        raw_extra={"met_at": draw(marked)},
    )
    company = Company(
        file="companies/acme.md",
        name="Acme",
        in_=draw(marked),
        status="target",
        priority=draw(marked),
        interest=draw(st.sampled_from(["", "I use your app."])),
        news=draw(st.sampled_from(["", "Congratulations on the launch."])),
        posting=draw(st.sampled_from(["", "https://acme.example/jobs/1"])),
        application=pick("application", ["", "applied", "offer", "rejected"]),  # type: ignore[arg-type]
    )
    accepted = pick("accepted_elsewhere", [False, False, True])
    globex = Company(
        file="companies/globex.md",
        name="Globex",
        in_=draw(marked),
        priority=draw(marked),
        application="accepted" if accepted else "",
    )
    bullets = "\n".join(f"- {draw(marked)}" for _ in range(draw(st.integers(0, 3))))
    body = (
        f"\n## Notes\n\n{draw(marked)}\n\n### Call 2026-11-22\n\n{bullets}\n- ! {draw(marked)}\n"
        + draw(st.sampled_from(["", "Thanks: Your advice helped.\n"]))
        + draw(st.sampled_from(["", "Next: I'll apply this week.\n"]))
        + f"\n## Log\n\n- 2026-11-20: {draw(marked)}\n"
    )
    config = Config(
        name="Sam Rivera",
        timezone="America/Chicago",
        school=draw(st.sampled_from(["", "UIC"])),
        student=draw(st.booleans()),
        looking_for="backend roles",
        resume=draw(st.sampled_from(["", "https://sam.example/cv.pdf", "~/cv.pdf"])),
    )
    introduced = "Kim Lee" if pick("jo_introduced_by_kim", [False, True]) else ""
    jo = Person(
        file="people/jo-park.md",
        name="Jo Park",
        email="jo@else.example",
        introduced_by=introduced,
        messaged=date(2026, 11, 2) if introduced else None,
        chat=NOW - timedelta(days=3) if introduced else None,
    )
    return Request(
        kind,
        person,
        company,
        config,
        NOW,
        pick("channel", ["email", "linkedin"]),  # type: ignore[arg-type]
        body,
        offer_at=pick("offer_at", [None, "Globex"]),  # type: ignore[arg-type]
        force=draw(st.booleans()) and not shaped,
        people=(person, jo),
        companies=(company, globex),
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_draft_ever_holds_a_marked_private_value(kind: str) -> None:
    """The property, over 20 examples of each kind drawn the same way every run; most of
    them reach a draft, so the assertion is not left to chance."""
    tried, drafted = [0], [0]

    @settings(max_examples=20, deadline=None, derandomize=True, database=None)
    @given(situations(kind))
    def no_marker(request: Request) -> None:
        tried[0] += 1
        assert MARK not in str(context(request))
        try:
            draft = make_draft(request, template_path(request.kind, None))
        except CoffeechatError:
            return
        drafted[0] += 1
        assert MARK not in draft.text
        assert MARK not in " ".join(draft.warnings)

    no_marker()
    assert drafted[0] >= 0.6 * tried[0], (kind, drafted, tried)
