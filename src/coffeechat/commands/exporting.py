"""Taking people out: export csv."""

from __future__ import annotations

from pathlib import Path

import click

from coffeechat.commands.base import State, pass_state, say, say_raw
from coffeechat.output import formatters


@click.group(name="export")
def export() -> None:
    """Write the vault out for other tools.

    \b
    Example:
      coffeechat export csv -o people.csv
    """


@export.command(name="csv")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE (created or replaced) instead of stdout.",
)
@click.option(
    "--bom",
    is_flag=True,
    help="Start with a UTF-8 byte-order mark, so Excel opens the file as UTF-8.",
)
@pass_state
def csv_(state: State, output: Path | None, bom: bool) -> None:
    """Write everyone as CSV: one row per person, a column per key, and the stage.

    The columns are `file`, every person key in the order of the key table, and `stage`
    (worked out from the dates, as `list` shows it). Lists are joined with "; ", dates are
    2026-11-20 and the chat's time 2026-11-20 09:00:00 on your clock, forms spreadsheets read
    as dates. Control characters are left out, and a cell starting with =, +, -, @ or a tab
    gets a leading ' so that a spreadsheet shows it as text instead of running it.

    \b
    Example:
      coffeechat export csv > people.csv
      coffeechat export csv -o ~/Desktop/people.csv --bom   # for Excel
    """
    from coffeechat.exchange.export import people_csv

    vault = state.store()
    people = state.people()
    data = people_csv(people, vault.root, state.journey().stage, vault.config.zone, bom=bom).encode(
        "utf-8"
    )
    if output is None or str(output) == "-":
        say_raw(data)
        return
    vault.write_file(output, data)
    say(f"Wrote {len(people)} people to {formatters.display_path(output)}.", err=True)
