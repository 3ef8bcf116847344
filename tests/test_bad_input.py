"""A vault full of broken notes: every command survives, names each bad file, writes nothing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from coffeechat.core.errors import Problem
from conftest import Run, WriteNote, snapshot

CORPUS = Path(__file__).parent / "corpus"

# What `list` says of each file; the first group cannot be read at all.
UNREADABLE = {
    "alias-bomb": "3: YAML anchors and aliases (&name, *name) are not read; write the values out",
    "binary": "4: file holds binary data (NUL bytes); it is not a text note",
    "deep-nesting": "3: values nested more than 32 deep",
    "empty": "1: empty file; a note starts with `---`, then `name: …`, then `---`",
    "invalid-utf8": "3: not valid UTF-8; save the file as UTF-8",
    "list-not-mapping": "2: frontmatter is a list, not `key: value` lines",
    "malformed-yaml": "3: YAML error: did not find expected ',' or ']'; fix the frontmatter",
    "no-closing-fence": "1: frontmatter has no closing `---` line; add one after the keys",
    "no-frontmatter": "1: no frontmatter; start the note with a `---` line, then `name: …`",
    "no-name": "2: no `name:`; add `name: Their Name` to the frontmatter",
    "python-tag": "2: name: the tag `!!python/object/apply:os.system` is not allowed; "
    "notes hold plain values only",
    "utf16": "1: file is UTF-16, not UTF-8; save it as UTF-8",
    "bom-only": "1: empty file; a note starts with `---`, then `name: …`, then `---`",
    "complex-key": "3: a key that is a list or mapping; use a plain name",
    "empty-frontmatter": "2: no `name:`; add `name: Their Name` to the frontmatter",
    "lone-surrogate": "2: YAML error: found invalid Unicode character escape code; "
    "fix the frontmatter",
    "merge-key": "2: YAML anchors and aliases (&name, *name) are not read; write the values out",
    "name-list": "2: name: should be text, not a list or mapping",
    "null-document": "2: frontmatter is plain text, not `key: value` lines",
    "null-name": "2: no `name:`; add `name: Their Name` to the frontmatter",
    "only-fence": "1: frontmatter has no closing `---` line; add one after the keys",
    "ruby-tag": "2: name: the tag `!ruby/object:Gem::Installer` is not allowed; "
    "notes hold plain values only",
    "scalar-frontmatter": "2: frontmatter is plain text, not `key: value` lines",
    "tab-indented": "4: YAML error: found character that cannot start any token; "
    "fix the frontmatter",
    "unclosed-quote": "4: YAML error: found unexpected end of stream; fix the frontmatter",
    "utf32": "1: file is UTF-32, not UTF-8; save it as UTF-8",
    "windows-1252": "2: not valid UTF-8; save the file as UTF-8",
    "long-name": "2: name: is 100,000 characters long; keep it under 4,000",
    "one-line-10mb": "1: no frontmatter; start the note with a `---` line, then `name: …`",
}
SERVED_WITH_A_WARNING = {
    "duplicate-key": ["3: key `name` appears twice; the last one is used"],
    "impossible-date": ["3: messaged: `2026-02-30` is not a date; write it as YYYY-MM-DD"],
    "unknown-zone": [
        "3: timezone: `Mars/Olympus_Mons` is not a known IANA time zone, e.g. Europe/Berlin"
    ],
    "wrong-type": [
        "3: company: should be text, not a list or mapping",
        "4: kind: `wizard` is not one of engineer, manager, recruiter, other",
    ],
    "bad-datetime": [
        "3: chat: `2026-13-45T99:99:00` is not a date and time; "
        "write it as 2026-11-25T15:00:00-05:00"
    ],
    "binary-tag": ["3: company: should be text, not a list or mapping"],
    "date-as-number": ["3: messaged: `20261123` is not a date; write it as YYYY-MM-DD"],
    "huge-year": [
        "3: messaged: `99999999999999999999-01-01` is not a date; write it as YYYY-MM-DD"
    ],
    "set-tag": ["3: tags: should be text, not a list or mapping"],
}
SERVED = [
    "B",
    "Bad Datetime",
    "Big Note",
    "Binary Tag",
    "Crlf Bom",
    "Date Number",
    "Dots End",
    "Esc\x1b[31mape\x07",
    "Flow Mapping",
    "Good Person",
    "Huge Year",
    "Impossible Date",
    "Int Key",
    "Many Keys",
    "Newline Name",
    "Set Tag",
    "Trailing Spaces",
    "Unknown Zone",
    "Wrong Type",
    "\u202eevil\u202c Name",
    "\U0001f9ea Emoji Person",
]


@pytest.fixture(scope="module")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 50 MB note (a small frontmatter, a huge body) and a note of one 10 MB line, made once
    and hard-linked into each test's vault."""
    folder = tmp_path_factory.mktemp("big")
    with (folder / "big-note.md").open("w") as big:
        big.write("---\nname: Big Note\n---\n")
        line = "x" * 1023 + "\n"
        for _ in range(50 * 1024):
            big.write(line)
    (folder / "one-line-10mb.md").write_text("---name: " + "y" * 10_000_000)
    return folder


@pytest.fixture
def hostile_vault(vault: Path, tmp_path: Path, big_files: Path) -> Path:
    people = vault / "people"
    for path in CORPUS.iterdir():
        shutil.copy(path, people / path.name)
    outside = tmp_path / "outside.md"
    outside.write_text("---\nname: Outside\n---\n")
    (people / "outside-link.md").symlink_to(outside)
    (people / "loop-a.md").symlink_to(people / "loop-b.md")
    (people / "loop-b.md").symlink_to(people / "loop-a.md")
    (people / "folder.md").mkdir()
    (people / "newline\nname.md").write_text("---\nname: Newline Name\n---\n")
    for big in big_files.iterdir():
        os.link(big, people / big.name)
    return vault


def test_list_serves_the_good_notes_and_names_each_bad_file_once(
    run: Run, hostile_vault: Path
) -> None:
    before = snapshot(hostile_vault)
    result = run("list", "--json")
    assert result.exit_code == 0
    names = [person["name"] for person in json.loads(result.stdout)["people"]]
    assert names == SERVED
    expected = [f"people/{stem}.md:{line}" for stem, line in UNREADABLE.items()]
    for stem, lines in SERVED_WITH_A_WARNING.items():
        expected += [f"people/{stem}.md:{line}" for line in lines]
    expected += [
        "people/loop-a.md: is a broken link or a link loop; skipped",
        "people/loop-b.md: is a broken link or a link loop; skipped",
        "people/outside-link.md: links to a file outside the vault; skipped",
    ]
    assert sorted(result.stderr.splitlines()) == sorted(expected)
    assert "Traceback" not in result.output
    assert snapshot(hostile_vault) == before


@pytest.mark.parametrize("stem", sorted(UNREADABLE))
def test_commands_aimed_at_a_broken_note_fail_with_its_line_and_write_nothing(
    run: Run, hostile_vault: Path, stem: str
) -> None:
    before = snapshot(hostile_vault)
    for args in (
        ["show", stem],
        ["set", stem, "role=x"],
        ["mark", stem, "messaged"],
        ["log", stem, "hello"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr == f"Error: people/{stem}.md:{UNREADABLE[stem]}\n"
        assert result.stdout == ""
    assert snapshot(hostile_vault) == before


def test_a_note_with_one_bad_value_is_served_and_still_editable(
    run: Run, hostile_vault: Path
) -> None:
    result = run("show", "wrong-type", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["name"] == "Wrong Type"
    assert result.stderr.splitlines() == [
        f"people/wrong-type.md:{line}" for line in SERVED_WITH_A_WARNING["wrong-type"]
    ]
    path = hostile_vault / "people" / "wrong-type.md"
    run("set", "wrong-type", "kind=engineer")
    assert path.read_text() == (
        "---\nname: Wrong Type\ncompany: [Lumen Pay, Fjord Health]\nkind: engineer\n---\n"
    )


def test_nothing_in_a_note_is_executed(run: Run, hostile_vault: Path) -> None:
    Path("/tmp/pwned").unlink(missing_ok=True)
    run("list")
    run("show", "python-tag")
    assert not Path("/tmp/pwned").exists()


def test_an_unreadable_note_is_named(
    run: Run, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = vault / "people" / "locked.md"
    path.write_text("---\nname: Locked\n---\n")
    path.chmod(0)  # enough for a normal user; root reads anyway, so refuse it here too
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    real_open = os.open

    def os_open(target: str | os.PathLike[str], *args: object, **kwargs: object) -> int:
        if os.path.basename(os.fspath(target)) == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real_open(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "open", os_open)
    result = run("list")
    assert result.exit_code == 0
    assert result.stderr == (
        "people/locked.md: cannot be read: Permission denied\n"
        "No readable person notes; fix the files named above.\n"
    )


# Commands that read every person note, and commands aimed at one (which read only it).
WHOLE_VAULT = [["list"], ["due"], ["stats"], ["companies"], ["next"], ["doctor"]]
ONE_PERSON = [
    ["show", "good"],
    ["prep", "good"],
    ["draft", "nudge", "good", "--force", "--channel", "linkedin"],
]


@pytest.mark.parametrize("args", WHOLE_VAULT + ONE_PERSON, ids=lambda args: args[0])
def test_every_reading_command_survives_the_hostile_vault(
    run: Run, hostile_vault: Path, args: list[str]
) -> None:
    before = snapshot(hostile_vault)
    result = run(*args)
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    if args in WHOLE_VAULT:
        named = result.stdout if args == ["doctor"] else result.stderr
        for stem in UNREADABLE:
            assert named.count(f"people/{stem}.md:") == 1, stem
    else:
        assert result.exit_code == 0, result.stderr
    after = snapshot(hostile_vault)
    if args[0] == "prep":
        # The one file prep writes: the questions kept for the next chat (coffeechat.prep.plans).
        assert set(after) - set(before) == {"prep/plans/good.json"}
        after = {path: data for path, data in after.items() if path in before}
    assert after == before


def test_a_note_that_vanishes_between_listing_and_reading_is_named(
    run: Run, vault: Path, write_note: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coffeechat.store import vault as store_module

    write_note("here", "name: Still Here\n")
    gone = write_note("gone", "name: Gone Soon\n")
    real_entries = store_module._walk

    def listing_then_deleting(*args, **kwargs):  # type: ignore[no-untyped-def]
        for item in real_entries(*args, **kwargs):
            if not isinstance(item, Problem) and item[0] == "gone.md":
                gone.unlink()  # listed, then deleted (or renamed) before it is read
            yield item

    monkeypatch.setattr(store_module, "_walk", listing_then_deleting)
    result = run("list")
    assert result.exit_code == 0
    assert "Still Here" in result.stdout
    assert "Gone Soon" not in result.stdout
    assert result.stderr == "people/gone.md: cannot be read: No such file or directory\n"


@pytest.mark.slow
def test_the_hostile_vault_is_read_in_bounded_memory(hostile_vault: Path) -> None:
    import resource
    import subprocess
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB of address space

    completed = subprocess.run(
        [sys.executable, "-m", "coffeechat", "--vault", str(hostile_vault), "list"],
        capture_output=True,
        preexec_fn=limit,
        timeout=120,  # a guard against a hang, not a speed test
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()[-500:]
    assert b"Traceback" not in completed.stderr


def test_a_person_found_by_name_has_their_problems_named_once(
    run: Run, hostile_vault: Path
) -> None:
    result = run("show", "Wrong Type")
    assert result.exit_code == 0
    for line in SERVED_WITH_A_WARNING["wrong-type"]:
        assert result.stderr.count(f"people/wrong-type.md:{line}") == 1
    for stem in UNREADABLE:
        assert result.stderr.count(f"people/{stem}.md:") == 1


def test_the_cache_serves_exactly_what_reading_the_notes_gives(
    run: Run, hostile_vault: Path
) -> None:
    for path in (hostile_vault / "people").iterdir():
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10_000_000_000))
    fresh = run("--no-cache", "list", "--json")
    run("list", "--json")  # fills the cache
    cached = run("list", "--json")
    assert cached.stdout == fresh.stdout
    assert sorted(cached.stderr.splitlines()) == sorted(fresh.stderr.splitlines())
    for stem in ("int-key", "dots-end", "crlf-bom", "flow-mapping"):
        assert (
            run("show", stem, "--json").stdout == run("--no-cache", "show", stem, "--json").stdout
        )


@pytest.mark.parametrize("args", [["due"], ["next"], ["stats"], ["list"], ["show", "esc"]])
def test_note_text_cannot_drive_the_terminal(
    run: Run, vault: Path, write_note: WriteNote, args: list[str]
) -> None:
    hostile = 'name: "Esc\\e]0;owned\\aape"\ncompany: "Acme\\e[35m"\n'
    write_note("esc", hostile + "messaged: 2026-11-10\n")  # due: a nudge
    write_note("fresh", hostile)  # next: not contacted yet
    result = run(*args, color=True)  # as on a terminal: click strips nothing
    assert result.exit_code == 0
    assert "owned" in result.output or args == ["stats"]
    assert "\x1b]" not in result.output  # no title change
    assert "\x07" not in result.output  # no bell
    assert "\x1b[35m" not in result.output  # no colour but coffeechat's own


@pytest.mark.parametrize(
    "args",
    [["list"], ["due"], ["doctor"], ["companies"], ["next"], ["prep", "priya"], ["questions"]],
    ids=lambda args: args[0],
)
def test_a_fifo_or_a_device_named_like_a_note_is_named_not_read(
    example_vault: Path, args: list[str]
) -> None:
    """A FIFO with no writer would block a reader forever, a device never end: each is named
    in one line and the rest of the vault served (in a process of its own, so a regression
    fails on the timeout instead of hanging the suite)."""
    import subprocess
    import sys

    os.mkfifo(example_vault / "people" / "fifo.md")
    os.mkfifo(example_vault / "companies" / "fifo.md")
    (example_vault / "question_banks").mkdir()
    os.mkfifo(example_vault / "question_banks" / "fifo.md")
    (example_vault / "people" / "zero.md").symlink_to("/dev/zero")
    completed = subprocess.run(
        [sys.executable, "-m", "coffeechat", *args],
        cwd=example_vault,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "COFFEECHAT_NOW": "2026-11-23T09:00:00-06:00"},
    )
    assert "Traceback" not in completed.stderr
    assert completed.returncode in (0, 1), completed.stderr
    if args[0] != "questions":
        assert (
            "people/fifo.md: is not a regular file (a FIFO, a device or a socket); move it out"
            in completed.stdout + completed.stderr
        )


def test_json_prints_every_value_yaml_can_hold(run: Run, write_note: WriteNote) -> None:
    write_note(
        "kim",
        "name: Kim Lee\nblob: !!binary aGVsbG8=\nset: !!set {b, a}\nnan: .nan\ninf: -.inf\n"
        "big: 123456789012345678901234567890\nwhen: 2001-12-14t21:59:43.10-05:00\n",
    )
    for args in (["show", "kim", "--json"], ["list", "--json"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        record = json.loads(result.stdout)
        extra = (record if args[0] == "show" else record["people"][0])["extra"]
        assert extra["blob"] == "aGVsbG8="
        assert extra["set"] == ["a", "b"]
        assert (extra["nan"], extra["inf"]) == ("nan", "-inf")
        assert extra["big"] == 123456789012345678901234567890


def test_a_newline_in_a_name_stays_on_its_line(run: Run, write_note: WriteNote) -> None:
    write_note("kim", 'name: "Kim\\nLee"\n')
    result = run("prep", "kim")
    assert result.exit_code == 0
    assert "Kept these questions for the next chat with Kim Lee (prep/plans/kim.json)" in (
        result.stderr
    )


def test_a_template_or_bank_linked_outside_the_vault_is_not_read(
    run: Run, example_vault: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    (example_vault / "templates").mkdir()
    (example_vault / "templates" / "thanks.txt").symlink_to(secret)
    (example_vault / "question_banks").mkdir()
    (example_vault / "question_banks" / "mine.md").symlink_to(secret)
    drafted = run("draft", "thanks", "arjun", root=example_vault)
    assert (drafted.exit_code, drafted.stdout) == (1, "")
    assert drafted.stderr == (
        "Error: templates/thanks.txt: leads outside the vault (a link); a template is read "
        "only from inside it\n"
    )
    listed = run("questions", root=example_vault)
    assert "root:x" not in listed.stdout + listed.stderr
    doctor = run("doctor", root=example_vault).stdout
    assert (
        "question_banks/mine.md: leads outside the vault (a link); a bank is read only from "
        "inside it" in doctor
    )


@pytest.mark.slow
def test_a_fifo_a_device_and_a_socket_in_every_folder_are_each_named_once(
    example_vault: Path,
) -> None:
    """In people/, a sub-folder of it, companies/ and question_banks/: each odd file is named
    in one line, once, and every good note is served (its own process, bounded by a timeout;
    a run takes well under 2 s on the development machine)."""
    import socket
    import stat
    import subprocess
    import sys

    folders = ["people", "people/old", "companies", "question_banks"]
    odd: list[str] = []
    for folder in folders:
        (example_vault / folder).mkdir(exist_ok=True)
        os.mkfifo(example_vault / folder / "fifo.md")
        try:
            os.mknod(example_vault / folder / "device.md", stat.S_IFCHR | 0o600, os.makedev(1, 5))
        except PermissionError:  # not root: a link to the same device
            (example_vault / folder / "device.md").symlink_to("/dev/zero")
        here = Path.cwd()
        os.chdir(example_vault / folder)  # a socket's path must be short
        try:
            socket.socket(socket.AF_UNIX).bind("socket.md")
        finally:
            os.chdir(here)
        odd += [f"{folder}/{name}.md" for name in ("fifo", "device", "socket")]
    environment = {**os.environ, "COFFEECHAT_NOW": "2026-11-23T09:00:00-06:00"}
    good = [path.stem for path in (example_vault / "people").glob("*.md") if path.is_file()]
    read = {  # the folders each command reads
        "list": ("people",),
        "due": ("people", "companies"),
        "doctor": ("people", "companies", "question_banks"),
        "prep": ("people", "companies", "question_banks"),
    }
    for args in (["list", "--json"], ["due"], ["doctor"], ["prep", "priya"]):
        completed = subprocess.run(
            [sys.executable, "-m", "coffeechat", *args],
            cwd=example_vault,
            capture_output=True,
            text=True,
            timeout=10,
            env=environment,
        )
        assert "Traceback" not in completed.stderr
        assert completed.returncode in (0, 1), completed.stderr
        said = completed.stdout + completed.stderr
        for path in odd:
            named = said.count(
                f"{path}: is not a regular file (a FIFO, a device or a socket); move it out"
            )
            assert named == (1 if path.startswith(read[args[0]]) else 0), (args, path, said)
        if args[0] == "list":
            served = {Path(p["file"]).stem for p in json.loads(completed.stdout)["people"]}
            assert served == set(good)
