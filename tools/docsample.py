"""Samples for the docs, run for real: a coffeechat command on a copy of vault_example/ at the
example's Monday morning, printed as a terminal shows it. Used from cog blocks in docs/*.md,
so a sample changes when the tool does (`.venv/bin/cog -r docs/*.md`):

    import sys; sys.path.insert(0, "tools"); from docsample import sample
    cog.out(sample("stats", "--week"))
"""

from __future__ import annotations

import json
import shlex
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T09:00:00-06:00"


def sample(*args: str, now: str = NOW, files: dict[str, str] | None = None) -> str:
    """`$ coffeechat ARGS` and what it prints (stdout, then stderr), in a fenced block.
    `files` are written into the copy first (a path inside the vault: its text)."""
    return f"```\n$ coffeechat {shlex.join(args)}\n{printed(*args, now=now, files=files)}\n```\n"


def json_sample(
    *args: str, short: tuple[str, ...] = (), now: str = NOW, indent: int | None = None
) -> str:
    """What `coffeechat ARGS --json` prints (compact unless `indent`), each list named in
    `short` cut to its first item and "…", in a fenced json block."""
    data = json.loads(printed(*args, "--json", now=now, stderr=False))
    for name in short:
        if len(data[name]) > 1:
            data[name] = [*data[name][:1], "…"]
    comma = ", " if indent is None else ","
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=(comma, ": "))
    return f"```json\n{text}\n```\n"


def printed(
    *args: str, now: str = NOW, files: dict[str, str] | None = None, stderr: bool = True
) -> str:
    """What `coffeechat ARGS` prints on the copy: stdout, then stderr (unless not asked
    for), paths inside it relative."""
    from click.testing import CliRunner

    from coffeechat.cli import cli

    with tempfile.TemporaryDirectory() as folder:
        vault = Path(folder) / "vault"
        shutil.copytree(ROOT / "vault_example", vault, ignore=shutil.ignore_patterns("plans"))
        for name, text in (files or {}).items():
            (vault / name).write_text(text, encoding="utf-8")
        env = {"COFFEECHAT_NOW": now, "COFFEECHAT_VAULT": str(vault), "NO_COLOR": "1"}
        result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
        text = (result.stdout + (result.stderr if stderr else "")).replace(str(vault) + "/", "")
    return text.rstrip()
