"""Every draft of every kind and every prep sheet of a vault, in one Markdown file to read.

Run: .venv/bin/python tools/read_drafts.py VAULT [--now ISO] [--out FILE]

For a reviewer grading the messages in one sitting, as their recipients would read them: the
day's `due --all` list first, then for each person their prep sheet and every draft kind
(`coffeechat draft KIND NAME`), with the notes it gives on stderr, or the one line saying why
it is refused. The vault is copied to a temporary folder first, so nothing in it changes (prep
keeps its plans, the index its cache). The default clock is the one the example vaults are
written for: 2026-11-23T09:00:00-06:00.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

NOW = "2026-11-23T09:00:00-06:00"


def _run(vault: Path, *args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from coffeechat.cli import cli

    result = CliRunner().invoke(cli, ["--vault", str(vault), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _fenced(text: str) -> list[str]:
    return ["````text", text.rstrip("\n"), "````"]


def render_vault(source: Path, now: str) -> str:
    """The whole reading file for the vault at `source`, at the clock `now`."""
    from coffeechat.drafts.kinds import KINDS

    os.environ["COFFEECHAT_NOW"] = now
    os.environ["COFFEECHAT_NO_CACHE"] = "1"
    here = Path.cwd()
    source = source.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        vault = Path(scratch) / "vault"
        ignored = shutil.ignore_patterns(".coffeechat", "prep", "invites")
        shutil.copytree(source, vault, ignore=ignored)
        os.chdir(vault)  # paths on the sheets and in the notes read as the vault's own
        people = sorted(path.stem for path in (vault / "people").glob("*.md"))
        out = [f"# Every draft and sheet: {source.name}", "", f"Clock: {now}.", ""]
        _, due, _ = _run(vault, "due", "--all")
        out += ["## Due (`due --all`)", "", *_fenced(due or "(nothing due)"), ""]
        produced = refused = 0
        for stem in people:
            out += [f"## {stem}", ""]
            code, sheet, error = _run(vault, "prep", stem)
            out += ["### prep", ""]
            out += sheet.rstrip("\n").replace("\n#", "\n####").splitlines() if code == 0 else []
            out += [f"refused: {error.strip()}"] if code else []
            out.append("")
            for kind in KINDS:
                code, text, notes = _run(vault, "draft", kind, stem)
                if code:
                    refused += 1
                    out += [f"### draft {kind}: refused", "", f"> {notes.strip()}", ""]
                    continue
                produced += 1
                out += [f"### draft {kind}", "", *_fenced(text), ""]
                out += [f"> {line}" for line in notes.splitlines() if line.strip()] + [""]
        out.insert(3, f"{len(people)} people; {produced} drafts produced, {refused} refused.")
        out.insert(4, "")
        os.chdir(here)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--now", default=NOW, help=f"the clock (default {NOW})")
    parser.add_argument("--out", type=Path, help="the file to write (default: stdout)")
    args = parser.parse_args(argv)
    text = render_vault(args.vault, args.now)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"Wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
