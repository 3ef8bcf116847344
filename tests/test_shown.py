"""A command run again on a vault that has not changed prints what it printed, without click
or a note (store/shown.py); any change it depends on, and the clock, make it run again."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coffeechat.cli
from coffeechat.model.config import CONFIG_NAME
from coffeechat.store import shown
from coffeechat.when.clock import next_turn
from conftest import EXAMPLE_VAULT, Outcome

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VAULTS = {
    "example": EXAMPLE_VAULT,
    "careless": FIXTURES / "careless_vault",
    "careless 2": FIXTURES / "careless_vault_2",
}
READS = [
    ["list"],
    ["list", "--json"],
    ["list", "--stage", "replied"],
    ["due"],
    ["due", "--all"],
    ["due", "--json"],
    ["stats"],
    ["stats", "--week"],
    ["stats", "--by", "kind"],
    ["next"],
    ["next", "--intros"],
    ["companies"],
]


def copy_of(source: Path, tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".coffeechat", "prep", "invites"))
    return root


@pytest.mark.parametrize("name", VAULTS)
def test_every_read_is_printed_again_byte_for_byte_while_the_vault_is_unchanged(
    console, tmp_path: Path, name: str
) -> None:
    root = copy_of(VAULTS[name], tmp_path)
    console("--vault", str(root), "companies")  # the first run on a vault only learns which
    for args in READS:  # files to look at; from then on each command keeps what it printed
        first, ran = console("--vault", str(root), *args)
        assert ran
        second, ran = console("--vault", str(root), *args)
        assert not ran, args
        assert second == first, args


def test_run_from_inside_the_vault_is_kept_too(
    console, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_vault / "people")
    outcomes = [console("due") for _ in range(3)]
    assert [ran for _, ran in outcomes] == [True, True, False]
    assert outcomes[2][0] == outcomes[0][0]
    assert b"Divya Nair" in outcomes[2][0][1]


def _kept(console, root: Path, *args: str) -> Outcome:
    for _ in range(2):
        outcome, _ = console("--vault", str(root), *args)
    again, ran = console("--vault", str(root), *args)
    assert not ran
    assert again == outcome
    return outcome


def _same_size_edit(root: Path) -> None:
    """A change an editor could make in the same second: same size, mtime put back."""
    note = root / "people" / "priya-raman.md"
    before = note.stat()
    text = note.read_text()
    note.write_text(text.replace("Stripe", "Strips", 1))
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))


def _nearer_settings(root: Path) -> None:
    (root / "people" / CONFIG_NAME).write_text('name = "Other"\n')


CHANGES = {
    "a note edited, same size and time": _same_size_edit,
    "a note added": lambda root: (root / "people" / "zoe-new.md").write_text(
        "---\nname: Zoe New\ncompany: Stripe\n---\n"
    ),
    "a note deleted": lambda root: (root / "people" / "priya-raman.md").unlink(),
    "a note renamed": lambda root: (root / "people" / "priya-raman.md").rename(
        root / "people" / "priya-r.md"
    ),
    "a folder of notes added": lambda root: (root / "people" / "more").mkdir(),
    "a company note edited": lambda root: (root / "companies" / "stripe.md").write_text(
        "---\nname: Stripe\n---\nchanged\n"
    ),
    "the settings edited": lambda root: (root / CONFIG_NAME).write_text(
        (root / CONFIG_NAME).read_text() + "\n# a comment\n"
    ),
    "an inbox line written from a phone": lambda root: (root / "inbox.md").write_text(
        "@priya replied\n"
    ),
    "a template added": lambda root: (root / "templates").mkdir(),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_what_the_answer_read_runs_the_command_again(
    console, example_vault: Path, change: str
) -> None:
    kept = _kept(console, example_vault, "due")
    CHANGES[change](example_vault)
    fresh, ran = console("--vault", str(example_vault), "due")
    assert ran
    assert fresh == console("--vault", str(example_vault), "--no-cache", "due")[0]
    if change == "an inbox line written from a phone":
        assert fresh != kept
        assert b"inbox.md: 1 line to file" in fresh[2]


def test_a_nearer_settings_file_moves_the_vault_and_is_not_answered_from_the_old_one(
    console, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_vault / "people")
    for _ in range(3):
        console("list")
    _nearer_settings(example_vault)
    _, ran = console("list")
    assert ran


@pytest.mark.parametrize(
    ("variable", "value"),
    [("NO_COLOR", "1"), ("COFFEECHAT_NOW", "2026-11-25T10:00:00-06:00"), ("COLUMNS", "40")],
)
def test_another_environment_or_day_is_another_answer(
    console, example_vault: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    _kept(console, example_vault, "due")
    monkeypatch.setenv(variable, value)
    _, ran = console("--vault", str(example_vault), "due")
    assert ran


def test_a_file_changed_moments_ago_is_not_trusted_so_nothing_is_kept(
    console, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shown, "RACY_NS", 2_000_000_000)
    (example_vault / "people" / "priya-raman.md").write_text(
        (example_vault / "people" / "priya-raman.md").read_text() + "\n"
    )
    ran = [console("--vault", str(example_vault), "due")[1] for _ in range(3)]
    assert ran == [True, True, True]


def test_on_the_running_clock_the_answer_holds_until_midnight_or_the_next_chat(
    console, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COFFEECHAT_NOW")
    chat = datetime.now(ZoneInfo("America/Chicago")).replace(microsecond=0) + timedelta(hours=2)
    note = example_vault / "people" / "nadia-soon.md"
    note.write_text(f"---\nname: Nadia Soon\ncompany: Stripe\nchat: {chat.isoformat()}\n---\n")
    kept = _kept(console, example_vault, "due")
    midnight = next_turn(chat - timedelta(hours=2), ZoneInfo("America/Chicago"), [])
    until = int(min(chat, midnight).timestamp() * 1_000_000_000)
    real = shown.time.time_ns
    monkeypatch.setattr(shown.time, "time_ns", lambda: until - 1)
    assert console("--vault", str(example_vault), "due") == (kept, False)
    monkeypatch.setattr(shown.time, "time_ns", lambda: until)
    assert console("--vault", str(example_vault), "due")[1]
    monkeypatch.setattr(shown.time, "time_ns", real)


@pytest.mark.parametrize(
    "args",
    [
        ["due", "--ics", "due.ics"],  # writes a file
        ["show", "priya"],  # not one of the kept commands
        ["--no-cache", "due"],
        ["due", "--help"],
    ],
)
def test_what_writes_or_asks_to_read_afresh_always_runs(
    console, example_vault: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(example_vault)
    ran = [console(*args)[1] for _ in range(3)]
    assert ran == [True, True, True]


def test_no_cache_in_the_environment_always_runs(
    console, example_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COFFEECHAT_NO_CACHE", "1")
    ran = [console("--vault", str(example_vault), "due")[1] for _ in range(3)]
    assert ran == [True, True, True]


def _kept_files(home: Path) -> list[Path]:
    return [
        path
        for path in (home / ".cache" / "coffeechat" / shown.FOLDER).rglob("*")
        if path.is_file() and path.name != shown.LAYOUT
    ]


@pytest.mark.parametrize("damage", ["fifo", "garbage", "truncated", "another key"])
def test_a_damaged_kept_output_is_a_miss_never_a_hang_or_a_wrong_answer(
    console, example_vault: Path, tmp_path: Path, damage: str
) -> None:
    kept = _kept(console, example_vault, "due")
    _kept(console, example_vault, "list")
    paths = _kept_files(tmp_path / "home")
    assert len(paths) == 2
    due_file = next(p for p in paths if b"due" in p.read_bytes()[:4000])
    other = next(p for p in paths if p != due_file)
    data = due_file.read_bytes()
    due_file.unlink()
    if damage == "fifo":
        os.mkfifo(due_file)
    elif damage == "garbage":
        due_file.write_bytes(os.urandom(200))
    elif damage == "truncated":
        due_file.write_bytes(data[: len(data) // 2])
    else:
        shutil.copyfile(other, due_file)
    outcome, ran = console("--vault", str(example_vault), "due")
    assert ran
    assert outcome == kept


def test_no_more_than_the_last_outputs_are_kept_per_vault(
    console, example_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shown, "KEPT", 3)
    for count in range(1, 7):
        for _ in range(2):
            console("--vault", str(example_vault), "next", "--count", str(count))
    assert len(list((tmp_path / "home" / ".cache" / "coffeechat" / shown.FOLDER).rglob("*"))) <= 5


def test_the_state_folder_name_and_settings_name_agree_with_the_store() -> None:
    assert shown.CONFIG_NAME == CONFIG_NAME


CHICAGO = ZoneInfo("America/Chicago")


def test_the_next_turn_is_midnight_in_your_zone_or_a_chat_still_to_come() -> None:
    now = datetime(2026, 11, 24, 10, 0, tzinfo=CHICAGO)
    midnight = datetime(2026, 11, 25, 0, 0, tzinfo=CHICAGO)
    assert next_turn(now, CHICAGO, []) == midnight
    chat = now + timedelta(hours=3)
    assert next_turn(now, CHICAGO, [None, now - timedelta(hours=1), chat]) == chat
    assert next_turn(now, CHICAGO, [now]) == midnight  # a chat starting now is not ahead
    assert next_turn(now, CHICAGO, [now + timedelta(microseconds=1)]) == now + timedelta(
        microseconds=1
    )
    assert next_turn(now, CHICAGO, [midnight + timedelta(minutes=1)]) == midnight
    # The day the clocks go back is 25 hours long: midnight is still midnight.
    fall = datetime(2026, 11, 1, 12, 0, tzinfo=CHICAGO)
    assert next_turn(fall, CHICAGO, []) == datetime(2026, 11, 2, 0, 0, tzinfo=CHICAGO)
    assert next_turn(fall, CHICAGO, []) - fall == timedelta(hours=12)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    vault_name=st.sampled_from(sorted(VAULTS)),
    start=st.datetimes(datetime(2026, 9, 1), datetime(2027, 3, 1)),
    fraction=st.floats(0, 1, exclude_max=True),
)
def test_an_answer_holds_until_the_next_turn_of_the_clock(
    vault_name: str, start: datetime, fraction: float
) -> None:
    """What a kept output claims: between now and the next turn, every kept command prints
    the same thing, whatever the notes say."""
    from coffeechat.store.vault import open_store

    root = VAULTS[vault_name]
    now = start.replace(tzinfo=CHICAGO)
    store = open_store(root, use_cache=False)
    chats = [person.chat for person in store.people().notes]
    turn = next_turn(now, store.config.zone, chats)
    # In absolute time, and never the turn itself (a fraction near 1 rounds up to it).
    absolute = now.astimezone(UTC)
    later = min(absolute + (turn - now) * fraction, turn - timedelta(microseconds=1))
    runner = CliRunner()
    for args in (["due", "--all"], ["list"], ["stats"], ["stats", "--week"], ["next"]):

        def at(moment: datetime, args: list[str] = args) -> tuple[int, str, str]:
            env = {"COFFEECHAT_NOW": moment.isoformat(), "COFFEECHAT_NO_CACHE": "1"}
            result = runner.invoke(coffeechat.cli.cli, ["--vault", str(root), *args], env=env)
            return result.exit_code, result.stdout, result.stderr

        assert at(now) == at(later), (args, now, later)


# A kept output's fields: key, layout, until, chunks, exit code, look, watchman's clock, since.
RESHAPED = {
    "a field more": lambda kept: (*kept, None),
    "the look as a list": lambda kept: (*kept[:5], list(kept[5]), *kept[6:]),
    "watchman's clock in three parts": lambda kept: (*kept[:6], ("a", "b", "c"), kept[7]),
    "watchman's clock as numbers": lambda kept: (*kept[:6], (1, 2), kept[7]),
    "output to a third stream": lambda kept: (*kept[:3], [(3, b"hi\n")], *kept[4:]),
    "a list, not a tuple": list,
    "no layout": lambda kept: (kept[0], None, *kept[2:]),
    "files named by numbers": lambda kept: (kept[0], (kept[1][0], [1], kept[1][2]), *kept[2:]),
    "folders as a tuple": lambda kept: (kept[0], (tuple(kept[1][0]), *kept[1][1:]), *kept[2:]),
    "watchman as a number": lambda kept: (kept[0], (*kept[1][:2], 1), *kept[2:]),
    "a time limit without its start": lambda kept: (*kept[:2], 2**62, *kept[3:7], None),
    "a layout with a fourth part": lambda kept: (kept[0], (*kept[1], None), *kept[2:]),
}


@pytest.mark.parametrize("reshape", RESHAPED)
def test_a_kept_output_of_another_shape_is_a_miss_never_a_crash_or_printed(
    console, example_vault: Path, tmp_path: Path, reshape: str
) -> None:
    """Another version of coffeechat, or a hand, left a kept file that unpacks but is not of
    this shape: the command runs, as if nothing were kept."""
    import marshal

    kept = _kept(console, example_vault, "due")
    (path,) = _kept_files(tmp_path / "home")
    path.write_bytes(marshal.dumps(RESHAPED[reshape](marshal.loads(path.read_bytes()))))
    assert console("--vault", str(example_vault), "due") == (kept, True)


def test_vault_equals_path_keeps_answers_as_vault_path_does(console, example_vault: Path) -> None:
    kept = _kept(console, example_vault, "due")
    for _ in range(2):
        console(f"--vault={example_vault}", "due")
    assert console(f"--vault={example_vault}", "due") == (kept, False)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "priya"],
        ["due", "--help"],
        ["mark", "priya", "replied", "--on", "2026-11-20"],
        [],
        ["--vault"],  # another --vault, with no folder: click says so
    ],
)
def test_a_command_whose_answer_is_never_kept_does_not_look_at_every_file_first(
    console, looks: list[str], example_vault: Path, args: list[str]
) -> None:
    """On a big vault the look at every file costs more than the kept answer saves: only the
    commands whose answers are kept pay for it."""
    _kept(console, example_vault, "due")
    looks.clear()  # from here on
    console("--vault", str(example_vault), *args)
    assert looks == []


def _look(*files: tuple[int, int], taken: int) -> shown.Look:
    """A look at files with these (mtime, ctime), taken at `taken`."""
    from array import array

    stats = array("q", [value for mtime, ctime in files for value in (mtime, ctime, 100, 7)])
    look = shown.Look([], [], "", stats)
    look.taken = taken
    return look


def test_a_look_is_trusted_only_when_every_change_is_over_two_seconds_before_it() -> None:
    taken = 1_800_000_000 * 1_000_000_000
    edge = taken - shown.RACY_NS
    old = edge - 60 * 1_000_000_000
    assert _look((old, old), (edge - 1, edge - 1), taken=taken).trusted()
    assert not _look((old, old), (edge, edge), taken=taken).trusted()
    assert not _look((old, old), (edge + 1, edge + 1), taken=taken).trusted()
    # A note copied with its times kept, or set back: old mtime, its ctime says when.
    assert not _look((old, old), (old, edge), taken=taken).trusted()
    assert not _look((old, edge), (old, old), taken=taken).trusted()
    # A note whose time a sync tool put in the future.
    assert not _look((taken + 3_600_000_000_000, old), (old, old), taken=taken).trusted()
    assert not _look((old, old), (taken + 3_600_000_000_000, old), taken=taken).trusted()
    assert _look(taken=taken).trusted()  # nothing to look at: nothing changed


def test_outside_any_vault_a_kept_command_says_so_and_keeps_nothing(
    console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`coffeechat due` in a folder no vault holds: the search for coffeechat.toml stops at
    the root of the file system, and click says there is no vault."""
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    monkeypatch.chdir(nowhere)
    monkeypatch.delenv("COFFEECHAT_VAULT", raising=False)
    for _ in range(2):
        (code, _, _), ran = console("due")
        assert code != 0
        assert ran
