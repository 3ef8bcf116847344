"""No draft ever holds private text: the note's body (but its `Thanks:`/`Next:` call lines),
private keys, YAML comments, keys of the user's own. Checked on every draft of every kind for
every person in the example vault, and on generated notes whose private places hold markers."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

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


@st.composite
def situations(draw: st.DrawFn) -> Request:
    """A person and company with every private place marked, in any state a draft meets."""
    chat = draw(st.sampled_from([None, NOW - timedelta(days=2), NOW + timedelta(days=2)]))
    messaged = draw(st.sampled_from([None, date(2026, 11, 1)]))
    person = Person(
        file="people/kim-lee.md",
        name="Kim Lee",
        company="Acme",
        role=draw(st.sampled_from(["", "Backend Engineer"])),
        kind=draw(st.sampled_from(["engineer", "manager", "recruiter", ""])),
        email=draw(st.sampled_from(["", "kim@acme.example"])),
        connection=draw(st.sampled_from(("", *CONNECTIONS))),
        mutual=draw(st.sampled_from([(), ("[[Jo Park]]",)])),
        introduced_by=draw(st.sampled_from(["", "Jo Park"])),
        school=draw(st.sampled_from(["", "UIC"])),
        hook=draw(st.sampled_from(["", "I enjoyed your talk."])),
        common=tuple(draw(st.lists(marked, min_size=1, max_size=3))),
        tags=tuple(draw(st.lists(marked, max_size=2))),
        messaged=messaged,
        chat=chat,
        thanked=draw(st.sampled_from([None, date(2026, 11, 23)])),
        referral=draw(st.sampled_from(("", *REFERRALS))),
        outcome=draw(st.sampled_from(["", "interview", "rejected"])),
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
        application=draw(st.sampled_from(["", "applied", "offer", "rejected"])),
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
    jo = Person(file="people/jo-park.md", name="Jo Park", email="jo@else.example")
    return Request(
        draw(st.sampled_from(list(KINDS))),
        person,
        company,
        config,
        NOW,
        draw(st.sampled_from(["email", "linkedin"])),
        body,
        offer_at=draw(st.sampled_from([None, "Globex"])),
        force=draw(st.booleans()),
        people=(person, jo),
    )


@settings(max_examples=300, deadline=None)
@given(situations())
def test_no_draft_ever_holds_a_marked_private_value(request: Request) -> None:
    template = template_path(request.kind, None)
    try:
        draft = make_draft(request, template)
    except CoffeechatError:
        return
    assert MARK not in draft.text
    assert MARK not in " ".join(draft.warnings)
    assert MARK not in str(context(request))
