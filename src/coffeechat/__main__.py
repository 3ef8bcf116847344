"""The console script, and `python -m coffeechat`: `--version` and `--help` without click.

Importing click costs more than everything else `--help` does, and the page it prints only
changes with the code. So `--version` is printed here as click prints it, and `--help` as
click rendered it the last time, kept in the user's cache folder under a key of everything
the page depends on: the program name, the width it was wrapped to, and the code
(`shown.code_key`: Python, every file of coffeechat and click, the folders Python imports
from). Any other command, or a page not rendered yet for that key, goes to click
(`coffeechat.cli`), which then keeps the page for next time. Before click, `store/shown.py`
is asked whether this very command was answered already on a vault that has not changed
since: then the answer is printed again.
"""

from __future__ import annotations

import os
import sys

from coffeechat import __version__

HELP_FLAGS = (["--help"], ["-h"])


def main() -> None:
    args = sys.argv[1:]
    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    if program == "coffeechat" and args == ["--version"]:
        sys.stdout.write(f"coffeechat, version {__version__}\n")
        return
    kept = help_file(program) if args in HELP_FLAGS else None
    if kept is not None:
        try:
            with open(kept, encoding="utf-8") as page:
                text = page.read()
        except (OSError, UnicodeDecodeError):
            text = ""
        if text:
            sys.stdout.write(text)
            return
    from coffeechat.store import shown

    code = shown.serve(args, program)
    if code is not None:
        sys.exit(code)
    shown.start()
    from coffeechat.cli import cli

    if kept is not None:
        keep_help(kept, cli)
    try:
        cli()
    except SystemExit as leaving:
        shown.stop(_exit_code(leaving.code))
        raise
    finally:
        shown.stop(None)


def _exit_code(code: object) -> int | None:
    """The process's exit code for `sys.exit(code)`, when it is a number (click's are)."""
    if code is None:
        return 0
    return code if type(code) is int else None


def help_file(program: str) -> str | None:
    """Where the `--help` page for this program name, width and code is kept, or None when
    there is no cache folder or coffeechat is not run as its console script."""
    if program != "coffeechat":
        return None
    import shutil
    import zlib

    from coffeechat.store.shown import code_key

    width = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)  # as click wraps
    code = code_key()
    if code is None:
        return None
    key = [__version__, program, width, code]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = f"{zlib.crc32(repr(key).encode('utf-8', 'surrogatepass')):08x}"
    return os.path.join(base, "coffeechat", f"help-{digest}.txt")


def keep_help(path: str, cli: object) -> None:
    """Render the group's `--help` page as click prints it and keep it at `path` (written
    whole, then renamed, so a reader never sees half a page); a failure only loses speed."""
    import click

    assert isinstance(cli, click.Group)
    try:
        with click.Context(cli, info_name="coffeechat", **cli.context_settings) as context:
            text = context.get_help() + "\n"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        return


if __name__ == "__main__":
    main()
