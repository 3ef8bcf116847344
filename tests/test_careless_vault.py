"""A second vault, written the way a busy job-seeker writes (tests/fixtures/careless_vault):
asides, "!!", notes to self, "they" for teams, a call under `## Prep`, cautions in plain
`## Notes` lines. Over a few weeks of its story, every message the due list asks for has a
draft, and no draft carries a line the check reads as a note. Its prep sheets carry the
user's own cautions and offer nothing the notes say not to lead with."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

from coffeechat.core.text import as_sentence
from coffeechat.drafts.context import call_lines
from coffeechat.model.written import note_like
from coffeechat.store.notefile import read_note
from conftest import EXAMPLE_VAULT, Run

CARELESS = Path(__file__).parent / "fixtures" / "careless_vault"
DENVER = "-07:00"


@pytest.fixture
def careless(tmp_path: Path) -> Path:
    root = tmp_path / "careless"
    shutil.copytree(CARELESS, root, ignore=shutil.ignore_patterns(".coffeechat", "prep"))
    return root


def _note_lines(root: Path) -> list[str]:
    """Every written-to-them value in the vault that the check reads as a note."""
    found = []
    for path in sorted(root.glob("*/*.md")):
        note, front = read_note(path)
        values = front.values
        about_person = path.parent.name == "people"
        name = str(values.get("name", "")) if about_person else ""
        texts = [str(values.get(key, "")) for key in ("hook", "interest", "news")]
        texts += list(call_lines(note.body).values())
        found += [text for text in texts if text and note_like(text, about_person, name)]
    return found


def _drafts_due(run: Run, root: Path) -> list[tuple[str, str, str]]:
    """(command, draft, stderr) for each draft the whole due list asks for."""
    items = json.loads(run("due", "--all", "--json", root=root).stdout)["due"]
    done = []
    for item in items:
        words = shlex.split(item["command"])
        if words[1] != "draft":
            continue
        result = run(*words[1:], root=root)
        assert result.exit_code == 0, (item["command"], result.stderr)
        done.append((item["command"], result.stdout, result.stderr))
    return done


def _story(run: Run, root: Path, monkeypatch: pytest.MonkeyPatch, zone: str) -> list[str]:
    """A few weeks of the vault's story; the draft commands the due list gave on the way."""
    notes = _note_lines(root)
    seen: list[str] = []

    def check(day: str) -> None:
        monkeypatch.setenv("COFFEECHAT_NOW", f"{day}T09:00:00{zone}")
        for command, draft, _ in _drafts_due(run, root):
            seen.append(command)
            for line in notes:
                assert as_sentence(line) not in draft, (command, line)
                assert line.rstrip(".!?") not in draft, (command, line)

    check("2026-11-23")
    for person in [p.stem for p in (root / "people").glob("*.md")]:
        run("mark", person, "thanked", root=root)  # as the thank-yous go out
    check("2026-11-25")
    first = next(iter(sorted((root / "companies").glob("*.md"))))
    company = read_note(first)[1].values["name"]
    run("company", "step", company, "offer", root=root)
    check("2026-11-30")
    run("company", "step", company, "accepted", root=root)
    check("2026-12-02")
    return seen


def test_every_draft_the_careless_vault_asks_for_is_made_and_clean(
    run: Run, careless: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(_note_lines(careless)) >= 6  # the vault is careless enough to test this
    seen = _story(run, careless, monkeypatch, DENVER)
    kinds = {shlex.split(command)[2] for command in seen}
    assert kinds >= {"thanks", "connect", "nudge", "checkin", "introducer", "update", "send"}
    assert kinds >= {"offer", "hold"}


@pytest.mark.slow
def test_every_draft_the_example_vault_asks_for_is_made_and_clean(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE_VAULT, root, ignore=shutil.ignore_patterns(".coffeechat", "prep"))
    seen = _story(run, root, monkeypatch, "-06:00")
    assert {shlex.split(command)[2] for command in seen} >= {"thanks", "update", "offer"}


def test_the_late_thank_you_and_the_introducer_read_well(
    run: Run, careless: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-11-23T09:00:00{DENVER}")
    ana = run("draft", "thanks", "ana-lima", root=careless)
    assert ana.stdout == (
        "Subject: Thank you for the chat on October 28\n\nHi Ana,\n\n"
        "I'm sorry to be so slow with this note. Thank you for taking the time to talk with me "
        "on October 28.\n\nI'll keep you posted on how things go.\n\nBest,\nJordan Park\n"
    )
    assert "(she went way over time lol)" in ana.stderr  # named, so it can be rephrased
    devon = run("draft", "introducer", "devon-clarke", root=careless)
    assert (
        "I'm sorry to be so slow with this note. Thank you for introducing me to Ana Lima. I "
        "really appreciate you making the connection, and I'll let you know how things go.\n"
    ) in devon.stdout
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-11-03T09:00:00{DENVER}")  # 6 days on
    assert "sorry" not in run("draft", "introducer", "devon-clarke", root=careless).stdout
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-11-04T09:00:00{DENVER}")  # 7 days on
    assert "sorry" in run("draft", "introducer", "devon-clarke", root=careless).stdout


def test_a_sheet_carries_the_users_cautions(
    run: Run, careless: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-11-23T09:00:00{DENVER}")
    lucia = run("prep", "lucia-moreno", root=careless).stdout
    careful, _, rest = lucia.partition("## Careful: your own notes\n\n")[2].partition("\n\n")
    assert careful.splitlines() == [
        "- Avoid asking about the layoffs, not yet.",
        "- my cousin dated her brother - DON'T lead with that",
        "- Devon works there (careful, layoffs in the spring)",
    ]
    assert "cousin" not in rest  # not an opener
    assert "Your way in" not in rest
    devon = run("prep", "devon-clarke", root=careless).stdout
    assert (
        "## Careful: your own notes\n\n- DON'T lead with the layoffs thing, he's still upset "
        in (devon)
    )
    owen = run("prep", "owen-fletcher", root=careless).stdout
    assert "## Careful: your own notes\n\n- don't push the referral hard, he seemed unsure\n" in (
        owen
    )
    record = json.loads(run("prep", "lucia-moreno", "--json", root=careless).stdout)
    assert record["cautions"][0] == "Avoid asking about the layoffs, not yet."


def test_an_opener_the_notes_warn_off_is_left_out(run: Run, careless: Path) -> None:
    """A caution elsewhere in the note that names the same thing keeps it off the openers."""
    note = careless / "people" / "devon-clarke.md"
    note.write_text(
        note.read_text().replace(
            "common: [old roommate, Rockies hiking club]",
            "common: [old roommate, Rockies hiking club, his divorce]",
        )
        + "\n- the divorce: don't bring it up\n"
    )
    sheet = run("prep", "devon-clarke", root=careless).stdout
    assert "In common: Rockies hiking club" in sheet
    assert "In common: his divorce" not in sheet
    assert "- the divorce: don't bring it up\n" in sheet


def test_a_flow_list_split_by_a_comma_is_read_whole_and_named(run: Run, careless: Path) -> None:
    sheet = run("prep", "raj-patel", root=careless).stdout
    assert "- In common: Rockies hiking club (ask about that, lol)\n" in sheet
    doctor = run("doctor", root=careless).stdout
    assert (
        "people/raj-patel.md:11: `common` was split at a comma inside an item (`Rockies hiking "
        'club (ask about that` and `lol)`): put the item in quotes, common: ["Rockies hiking '
        'club (ask about that, lol)"], or write one item per line'
    ) in doctor
    note = careless / "people" / "raj-patel.md"
    note.write_text(
        note.read_text().replace(
            "[Rockies hiking club (ask about that, lol)]", "[ask about that, lol]"
        )
    )
    assert "`common` was split at a comma inside an item (`ask about that` and `lol`)" in (
        run("doctor", root=careless).stdout
    )


def test_what_one_draft_does_is_listed_together(
    run: Run, careless: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thank-you carries what the referral needs: both items, then its command once."""
    monkeypatch.setenv("COFFEECHAT_NOW", f"2026-11-23T09:00:00{DENVER}")
    due = run("due", root=careless).stdout
    assert (
        "thanks    thank Priyanka Rao for the chat Fri Nov 20 (2 days late)\n"
        "send      send Priyanka Rao what the referral needs: your resume and the posting "
        "(2 days late)\n"
        "          coffeechat draft thanks priyanka-rao\n"
    ) in due
    assert due.count("coffeechat draft thanks priyanka-rao") == 1
    items = json.loads(run("due", "--json", root=careless).stdout)["due"]
    assert [i["kind"] for i in items if i["person"] == "Priyanka Rao"] == ["thanks", "send"]


def test_news_that_reads_as_a_note_is_not_asked_aloud(run: Run, careless: Path) -> None:
    """A sheet's questions are said to them: the company's note-like `news` is not made one
    (it stays under the openers, for you)."""
    sheet = run("prep", "marco-bianchi", "--count", "12", root=careless).stdout
    assert "(saw it on LinkedIn). From where you sit" not in sheet
    assert "- Their news: They raised a Series B in Sept (saw it on LinkedIn)\n" in sheet


def test_a_caution_in_the_company_note_is_on_every_sheet_there(run: Run, careless: Path) -> None:
    for stem in ("priyanka-rao", "marco-bianchi"):
        sheet = run("prep", stem, root=careless).stdout
        assert "- Onsite on Dec 3, don't tell Grace about the other loops yet.\n" in sheet
