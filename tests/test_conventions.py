"""What command-line users expect of any tool: completion, JSON that names its files and its
times the same way, tables that line up in any script, the machine's own zone (or a strange
one), an ASCII locale, a closed pipe."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.cli import cli
from coffeechat.output import formatters
from conftest import NOW, Run, WriteNote

COFFEECHAT = Path(sys.executable).parent / "coffeechat"  # the console script users run
ISO_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")


def _strings(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [text for value in data.values() for text in _strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in _strings(value)]
    return [data] if isinstance(data, str) else []


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--json"),
        ("show", "priya", "--json"),
        ("due", "--json"),
        ("next", "--json"),
        ("companies", "--json"),
        ("slots", "priya", "--json"),
        ("prep", "priya", "--json"),
    ],
)
def test_json_times_carry_seconds_and_offset(run: Run, example_vault: Path, args: tuple) -> None:
    result = run(*args, root=example_vault)
    assert result.exit_code == 0
    times = [
        text for text in _strings(json.loads(result.stdout)) if re.match(r"\d{4}-\d\d-\d\dT", text)
    ]
    assert [text for text in times if not ISO_SECONDS.fullmatch(text)] == []
    if args[0] in ("show", "slots", "prep"):
        assert times


def test_every_json_record_that_names_a_note_gives_its_file(run: Run, example_vault: Path) -> None:
    def records(*args: str) -> list[dict[str, Any]]:
        data = json.loads(run(*args, "--json", root=example_vault).stdout)
        lists = [value for value in data.values() if isinstance(value, list)]
        return lists[0] if len(data) == 2 and lists else [data]

    for args in (("list",), ("show", "priya"), ("next",), ("companies",), ("due",), ("doctor",)):
        for record in records(*args):
            assert "file" in record, args
    assert records("show", "priya")[0]["chat"] == "2026-11-25T15:00:00-06:00"
    assert records("prep", "priya")[0]["person"]["file"] == "people/priya-raman.md"
    due = records("due")
    assert {item["kind"]: item["file"] for item in due}["nudge"] == "people/divya-nair.md"


def test_tables_line_up_by_display_width(run: Run, write_note: WriteNote) -> None:
    write_note(
        "tanaka", "name: 田中 美咲\ncompany: ソニー\nrole: エンジニア\nmessaged: 2026-11-20\n"
    )
    write_note("jose", "name: José Núñez\ncompany: Fjord\nrole: Engineer\n")
    write_note("kim", "name: Kim Lee\ncompany: Lumen Pay\nrole: Staff Engineer\n")
    lines = run("list").stdout.splitlines()
    assert lines == [
        "NAME        COMPANY    ROLE            STAGE       LATEST",
        "José Núñez  Fjord      Engineer        to-contact",
        "Kim Lee     Lumen Pay  Staff Engineer  to-contact",
        "田中 美咲   ソニー     エンジニア      messaged    2026-11-20",
    ]
    columns = [formatters.columns(line[: line.index("to-contact")]) for line in lines[1:3]]
    assert columns == [formatters.columns(lines[3][: lines[3].index("messaged")])] * 2
    # Cut to a width in columns, never in the middle of a wide character's two.
    assert formatters.cell("田中" * 30, 9) == "田中田中…"
    assert formatters.columns("e\u0301") == 1


def test_coloured_stage_lands_in_its_column_after_wide_names(
    run: Run, write_note: WriteNote
) -> None:
    write_note("tanaka", "name: 田中 美咲\ncompany: ソニー\nmessaged: 2026-11-20\n")
    write_note("kim", "name: Kim Lee\ncompany: Lumen Pay\nmessaged: 2026-11-20\n")
    lines = run("list", color=True).stdout.splitlines()
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert plain == [
        "NAME       COMPANY    ROLE  STAGE     LATEST",
        "Kim Lee    Lumen Pay        messaged  2026-11-20",
        "田中 美咲  ソニー           messaged  2026-11-20",
    ]
    assert "\x1b[33mmessaged\x1b[0m" in lines[2]


def _table_cell_by_cell(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A table the slow way: each cell cut (`cell`), then padded by its display width."""
    padded = []
    for at, header in enumerate(headers):
        column = [header] + [formatters.cell(row[at]) for row in rows]
        widths = [formatters.columns(value) for value in column]
        padded.append([v + " " * (max(widths) - n) for v, n in zip(column, widths, strict=True)])
    return ["  ".join(line).rstrip() for line in zip(*padded, strict=True)]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(
                st.text(st.sampled_from("ab Zé田\u0301\t\x1b%s"), max_size=60),
                min_size=width,
                max_size=width,
            ),
            max_size=6,
        )
    )
)
def test_a_table_is_the_same_whether_its_columns_are_plain_or_not(rows: list[list[str]]) -> None:
    """A plain column (short, printable, one terminal column a character) is padded in one
    step; any other cell by cell: the lines are the same either way."""
    headers = ["NAME", "COMPANY", "ROLE", "STAGE"][: len(rows[0])] if rows else ["NAME"]
    assert formatters.table(headers, rows) == _table_cell_by_cell(headers, rows)


@pytest.mark.parametrize(
    ("tz", "zone"),
    [("Asia/Tokyo", "Asia/Tokyo"), (":Europe/Berlin", "Europe/Berlin"), ("Mars/Base", None)],
)
def test_the_machine_zone_comes_from_tzlocal(tz: str, zone: str | None) -> None:
    # A process each: tzlocal keeps the first answer for the life of the process.
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from coffeechat.model.config import machine_zone; print(machine_zone())",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": tz},
        check=True,
    )
    if zone is None:  # not a zone: the system's own setting (/etc/localtime here), else UTC
        assert completed.stdout.strip() in zoneinfo.available_timezones() | {"UTC"}
    else:
        assert completed.stdout == f"{zone}\n"


def _complete(shell: str, words: str, vault: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """What coffeechat answers a shell asking for completions of `words` (the protocol each
    shell's script, printed by `_COFFEECHAT_COMPLETE=<shell>_source coffeechat`, speaks)."""
    monkeypatch.chdir(vault)
    env = {"_COFFEECHAT_COMPLETE": f"{shell}_complete", "COMP_WORDS": words}
    index = len(words.split()) - (0 if words.endswith(" ") else 1)
    # Bash and zsh give the index of the word being completed; fish gives the word itself.
    env["COMP_CWORD"] = [*words.split(), ""][index] if shell == "fish" else str(index)
    result = CliRunner().invoke(cli, [], env=env, prog_name="coffeechat")
    assert result.exit_code == 0
    return result.stdout


@pytest.mark.parametrize(
    ("shell", "priya", "fjord"),
    [
        ("bash", "plain,priya-raman\n", "plain,Fjord Health\n"),
        ("zsh", "plain\npriya-raman\n_\n", "plain\nFjord Health\n_\n"),
        ("fish", "plain,priya-raman\n", "plain,Fjord Health\n"),
    ],
)
def test_names_complete_in_every_shell(
    example_vault: Path, monkeypatch: pytest.MonkeyPatch, shell: str, priya: str, fjord: str
) -> None:
    assert _complete(shell, "coffeechat show pr", example_vault, monkeypatch) == priya
    assert _complete(shell, "coffeechat draft thanks pr", example_vault, monkeypatch) == priya
    assert _complete(shell, "coffeechat list --company f", example_vault, monkeypatch) == fjord
    assert _complete(shell, "coffeechat next --company fj", example_vault, monkeypatch) == fjord
    everyone = _complete(shell, "coffeechat prep ", example_vault, monkeypatch)
    stems = sorted(path.stem for path in (example_vault / "people").glob("*.md"))
    assert re.findall(r"^(?:plain,)?([a-z]+-[a-z-]+)$", everyone, re.MULTILINE) == stems


def test_completion_is_silent_outside_a_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _complete("bash", "coffeechat show pr", tmp_path, monkeypatch).strip() == ""


def _completion_script(shell: str) -> str:
    return subprocess.run(
        [str(COFFEECHAT)],
        env={**os.environ, "_COFFEECHAT_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _bash_completes(vault: Path, probe: str) -> str:
    """What bash prints running `probe` in `vault` after the script the README's line loads
    (eval "$(_COFFEECHAT_COMPLETE=bash_source coffeechat)")."""
    completed = subprocess.run(
        ["bash", "-c", f"{_completion_script('bash')}\n{probe}"],
        cwd=vault,
        env={**os.environ, "PATH": f"{COFFEECHAT.parent}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_names_through_its_own_script(example_vault: Path) -> None:
    # Bash calls the function with the command, the word being completed and the one before.
    probe = "COMP_WORDS=(coffeechat show pr); COMP_CWORD=2; "
    probe += '_coffeechat_completion coffeechat pr show; echo "${COMPREPLY[@]}"'
    assert _bash_completes(example_vault, probe) == "priya-raman\n"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_a_company_with_a_space_as_one_quoted_word(example_vault: Path) -> None:
    probe = "COMP_WORDS=(coffeechat next --company Fj); COMP_CWORD=3; "
    probe += "_coffeechat_completion coffeechat Fj --company; printf '[%s]\\n' \"${COMPREPLY[@]}\""
    # Inserted as `Fjord\ Health`: the completed command runs (`next --company Fjord Health`
    # used to fail with "Got unexpected extra argument (Health)").
    assert _bash_completes(example_vault, probe) == "[Fjord\\ Health]\n"


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish")
def test_fish_completes_names_through_its_own_script(example_vault: Path) -> None:
    # The line the README gives: _COFFEECHAT_COMPLETE=fish_source coffeechat | source
    script = _completion_script("fish")
    completed = subprocess.run(
        [
            "fish",
            "--no-config",
            "-c",
            f"{script}\ncomplete --do-complete 'coffeechat list --company f'",
        ],
        cwd=example_vault,
        env={**os.environ, "PATH": f"{COFFEECHAT.parent}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout == "Fjord Health\n"


@pytest.mark.skipif(shutil.which("zsh") is None, reason="needs zsh")
def test_zsh_completes_names_through_its_own_script(example_vault: Path) -> None:
    # The line the README gives: eval "$(_COFFEECHAT_COMPLETE=zsh_source coffeechat)". Outside
    # an interactive completion, compdef registers nothing and compadd prints what it is given.
    script = _completion_script("zsh")
    probe = (
        "words=(coffeechat mark pr); CURRENT=3; _coffeechat_completion; "
        "words=(coffeechat next --company l); CURRENT=4; _coffeechat_completion"
    )
    stubs = 'compdef() { : }; compadd() { print -l -- "${(@P)${@[-1]}}" }'
    completed = subprocess.run(
        ["zsh", "-f", "-c", f"{stubs}\n{script}\n{probe}"],
        cwd=example_vault,
        env={**os.environ, "PATH": f"{COFFEECHAT.parent}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout == "priya-raman\nLumen Pay\n"


# --- the machine's zone and locale, a closed pipe: each a real process ---------------------------


def coffeechat(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "coffeechat", *args],
        cwd=cwd,
        capture_output=True,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


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


def test_the_package_index_page_shows_classifiers_links_author_and_keywords() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    assert project["authors"] == [{"name": "the coffeechat developers"}]  # as LICENSE says
    assert project["urls"]["Source"] == "https://github.com/coffeechat/coffeechat"
    assert project["urls"]["Issues"] == "https://github.com/coffeechat/coffeechat/issues"
    assert "job search" in project["keywords"]
    # One classifier per Python the `requires-python` floor admits that CI has seen.
    assert project["requires-python"] == ">=3.11"
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    assert "Environment :: Console" in project["classifiers"]
    assert not any("License ::" in line for line in project["classifiers"])  # License-Expression
