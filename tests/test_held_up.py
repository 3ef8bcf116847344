"""The attacks of the adversarial review that held up (its "What held up" table) that no other
test covered: each still holds. The others: test_files.py (kill -9 leftovers, write failures,
concurrent `add`), test_cache.py (garbage, a read-only vault), test_bad_input.py (links),
test_drafts.py (the Jinja sandbox), test_limits.py (.eml injection), test_slots.py and
test_when.py (DST, WHEN and --within), test_cli.py (a bad COFFEECHAT_NOW), test_call.py."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import icalendar
import pytest

from conftest import NOW, Run, WriteNote, snapshot

PRIYA = "name: Priya Raman\ncompany: Lumen Pay\ntimezone: America/Los_Angeles\n"


def coffeechat(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "coffeechat", *args],
        cwd=cwd,
        capture_output=True,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def test_html_escapes_markup_in_every_value_and_leaves_out_the_notes(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    write_note(
        "priya",
        'name: "Priya <script>alert(1)</script> Raman"\n'
        'company: "<img src=x onerror=alert(2)> [x](javascript:alert(3))"\n'
        'role: "<iframe src=//evil.example></iframe>"\n',
        body="\n## Notes\n\n<script>alert(4)</script> secret\n\n## Log\n",
    )
    assert run("prep", "priya", "--html", "p.html").exit_code == 0
    page = (vault / "p.html").read_text()
    for markup in ("<script", "<img", "<iframe", 'href="javascript'):
        assert markup not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "secret" not in page


def test_an_invitation_escapes_what_would_break_it(
    run: Run, vault: Path, write_note: WriteNote
) -> None:
    (vault / "coffeechat.toml").write_text(
        'name = "Sam Rivera"\ntimezone = "America/Chicago"\nemail = "sam@example.com"\n'
    )
    write_note(
        "priya",
        'name: "Priya \\"P\\"; Raman, Jr.\\nBEGIN:VEVENT"\n'
        "timezone: America/Los_Angeles\nemail: p@x.example\n",
    )
    result = run("schedule", "priya", "Fri 3pm", "--ics", "-")
    assert result.exit_code == 0
    (event,) = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert (
        str(event["SUMMARY"]) == 'Coffee chat: Sam Rivera and Priya "P"; Raman, Jr.\nBEGIN:VEVENT'
    )
    assert event["ATTENDEE"].params["CN"] == 'Priya "P"; Raman, Jr.\nBEGIN:VEVENT'


def test_a_zip_entry_climbing_out_is_never_extracted(run: Run, vault: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(vault / "export.zip", "w") as archive:
        archive.writestr(
            "../../../escaped/Connections.csv",
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            "Zip,Person,,,Acme,Eng,01 Jan 2025\n",
        )
    run("import", "linkedin", "export.zip")
    assert not list(tmp_path.rglob("escaped"))


def test_odd_csv_cells_are_stored_as_text_or_refused_cleanly(run: Run, vault: Path) -> None:
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    (vault / "odd.csv").write_text(
        header
        + 'Nul,Cell,,,"Ac\x00me",Eng,01 Jan 2025\n'
        + 'Formula,Person,,,"=HYPERLINK(""http://evil.example"")",@SUM(A1),01 Jan 0001\n'
        + 'Multi,Line,,,"Two\nLines",+cmd,31 Dec 9999\n'
    )
    result = run("import", "linkedin", "odd.csv")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    people = {p["name"]: p for p in json.loads(run("list", "--json").stdout)}
    assert people["Formula Person"]["company"] == '=HYPERLINK("http://evil.example")'
    assert people["Formula Person"]["role"] == "@SUM(A1)"
    (vault / "latin1.csv").write_bytes(
        (header + "José,Núñez,,,Acme,Eng,01 Jan 2025\n").encode("latin-1")
    )
    latin = run("import", "linkedin", "latin1.csv")
    assert latin.exit_code == 1
    assert "not UTF-8" in latin.stderr
    (vault / "binary.csv").write_bytes(os.urandom(2000))
    assert run("import", "linkedin", "binary.csv").exit_code == 1


def test_a_flood_of_quoted_printable_soft_breaks_is_quick(run: Run, vault: Path) -> None:
    (vault / "flood.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Flood\r\nNOTE;ENCODING=QUOTED-PRINTABLE:"
        + "=\r\n" * 200_000
        + "x\r\nEND:VCARD\r\n",
        newline="",
    )
    start = time.monotonic()
    result = run("import", "vcard", "flood.vcf", "--dry-run")
    assert time.monotonic() - start < 3
    assert result.stdout == "created   Flood\n"


@pytest.mark.parametrize(
    "value",
    ["a: b # c", "- x", "[a", "{b: c", "x\ry", "esc\x1b]0;t\x07", "*alias", "&anchor", "!!str"],
)
def test_set_writes_any_text_so_it_reads_back_as_itself(
    run: Run, write_note: WriteNote, value: str
) -> None:
    write_note("priya", PRIYA)
    result = run("set", "priya", f"role={value}")
    assert result.exit_code == 0, result.output
    assert json.loads(run("show", "priya", "--json").stdout)["role"] == value


@pytest.mark.parametrize(
    ("assignment", "error"),
    [
        ("kind=wizard", "kind: `wizard` is not one of"),
        ("timezone=Mars/Olympus", "timezone: `Mars/Olympus` is not a known IANA time zone"),
        ("chat=soonish", "cannot read `soonish` as a date and time"),
    ],
)
def test_set_refuses_what_the_key_cannot_hold(
    run: Run, write_note: WriteNote, assignment: str, error: str
) -> None:
    note = write_note("priya", PRIYA)
    before = note.read_bytes()
    result = run("set", "priya", assignment)
    assert result.exit_code == 2
    assert error in result.stderr
    assert note.read_bytes() == before


@pytest.mark.parametrize(
    "name",
    [
        "!!python/object/apply:os.system [id]",
        "*alias",
        "&anchor x",
        "null",
        "~",
        "-",
        "#comment",
        "name: x",
        '"quoted',
        "{{ 7*7 }}",
        "{% for %}",
        "李小龙",
        "\u202eevil",
    ],
)
def test_add_keeps_any_name_exact_in_a_safe_file(run: Run, vault: Path, name: str) -> None:
    result = run("add", name)
    assert result.exit_code == 0, result.output
    path = vault / result.stdout.strip()
    assert path.parent == vault / "people"
    assert json.loads(run("show", path.stem, "--json").stdout)["name"] == name


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd"])
def test_a_strange_tz_gives_a_working_vault(tmp_path: Path, zone: str) -> None:
    env = {**os.environ, "TZ": zone, "COFFEECHAT_NOW": NOW}
    made = coffeechat("init", str(tmp_path / "v"), cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    assert b"Traceback" not in made.stderr
    assert coffeechat("list", cwd=tmp_path / "v", env=env).returncode == 0


def test_non_ascii_names_print_with_an_ascii_locale(vault: Path, write_note: WriteNote) -> None:
    write_note("li", "name: 李小龙\ncompany: Café Ñandú\n")
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C"}
    for args in (["list"], ["show", "li"]):
        result = coffeechat(*args, cwd=vault, env=env)
        assert result.returncode == 0, result.stderr
        assert b"Traceback" not in result.stderr


def test_a_closed_pipe_is_no_traceback_and_the_write_still_happens(
    example_vault: Path,
) -> None:
    env = {**os.environ, "COFFEECHAT_NOW": NOW}
    for _ in range(30):
        (example_vault / "people" / f"extra-{_}.md").write_text(f"---\nname: Extra {_}\n---\n")
    piped = subprocess.run(
        f"'{sys.executable}' -m coffeechat list | head -1",
        shell=True,
        cwd=example_vault,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert piped.stdout.count(b"\n") == 1
    assert b"Traceback" not in piped.stderr
    # stdout closed: the run is told nothing can be printed, and still records the change
    closed = subprocess.run(
        [sys.executable, "-m", "coffeechat", "mark", "priya", "thanked"],
        cwd=example_vault,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode == 0, closed.stderr
    assert b"Traceback" not in closed.stderr
    assert "thanked: 2026-11-23" in (example_vault / "people" / "priya-raman.md").read_text()


@pytest.mark.parametrize("folder", ["with space", "é and 李", "$(id)", "`id`"])
def test_a_vault_path_with_odd_characters_works(
    run: Run, tmp_path: Path, example_vault: Path, folder: str
) -> None:
    root = tmp_path / folder / "vault"
    root.parent.mkdir()
    shutil.move(example_vault, root)
    for args in (
        ["list"],
        ["mark", "priya", "replied"],
        ["log", "priya", "hello"],
        ["schedule", "priya", "2026-12-04 14:30", "--force"],
        ["prep", "priya", "--save"],
        ["draft", "thanks", "arjun", "--force", "--eml", "a.eml"],
        ["doctor"],
    ):
        result = run("--vault", str(root), *args, root=tmp_path)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "Traceback" not in result.output
    assert (root / "invites" / "priya-raman.ics").is_file()
    assert list((root / "prep").iterdir())


def test_a_cache_copied_from_another_vault_serves_this_vaults_notes(
    run: Run, tmp_path: Path, example_vault: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(example_vault, other, symlinks=True)
    assert run("list", root=example_vault).exit_code == 0  # fills the first vault's cache
    note = other / "people" / "priya-raman.md"
    stat = note.stat()
    note.write_text(note.read_text().replace("Priya Raman", "Priya Changed", 1))
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same time as before
    shutil.rmtree(other / ".coffeechat", ignore_errors=True)
    shutil.copytree(example_vault / ".coffeechat", other / ".coffeechat")
    names = [p["name"] for p in json.loads(run("list", "--json", root=other).stdout)]
    assert "Priya Changed" in names
    assert "Priya Raman" not in names


def test_kill_9_mid_write_leaves_the_old_note_or_the_new(example_vault: Path) -> None:
    note = example_vault / "people" / "priya-raman.md"
    note.write_bytes(note.read_bytes() + b"- 2026-11-20: words words words\n" * 150_000)
    old = note.read_bytes()
    env = {**os.environ, "COFFEECHAT_NOW": NOW}
    for delay in (0.12, 0.25):
        process = subprocess.Popen(
            [sys.executable, "-m", "coffeechat", "--no-cache", "log", "priya", "killed"],
            cwd=example_vault,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = note.read_bytes()
        assert now == old or (now.startswith(old[: len(old) - 200]) and b"killed" in now)
        old = now


@pytest.mark.parametrize(
    ("setting", "error"),
    [
        ('timezone = ""', "timezone"),
        ('timezone = "Bogus/Zone"', "timezone"),
        ('people_dir = "/etc"', "people_dir"),
        ('companies_dir = "people"', "companies_dir"),
    ],
)
def test_odd_settings_are_clean_errors(
    run: Run, vault: Path, write_note: WriteNote, setting: str, error: str
) -> None:
    write_note("priya", PRIYA)
    (vault / "coffeechat.toml").write_text(f"{setting}\n")
    before = snapshot(vault)
    result = run("list")
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    assert result.exit_code == 0 or error in result.stderr
    assert snapshot(vault) == before
