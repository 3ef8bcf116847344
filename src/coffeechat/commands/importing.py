"""Bringing people in: import linkedin, import vcard."""

from __future__ import annotations

from pathlib import Path

import click

from coffeechat import formatters
from coffeechat.commands.base import State, pass_state, say


@click.group(name="import")
def import_() -> None:
    """Create or fill notes from LinkedIn or vCard exports.

    \b
    Example:
      coffeechat import linkedin Connections.csv --dry-run
      coffeechat import vcard contacts.vcf
    """


def _run_import(state: State, path: Path, source: str, dry_run: bool) -> None:
    from coffeechat import importers

    vault = state.store()
    reader = importers.read_linkedin if source == "LinkedIn" else importers.read_vcard
    incoming, rejected = reader(path)
    people = state.people()
    plan = importers.plan(incoming, people)
    plan.rejected += rejected
    day = state.now().astimezone(vault.config.zone).date()
    shown = formatters.display_path(path)
    for item in plan.create:
        target = (
            "" if dry_run else formatters.display_path(vault.add_imported(item.values, source, day))
        )
        say(f"created   {item.values['name']}" + (f"  {target}" if target else ""))
    for person, _, values in plan.fill:
        if not dry_run:
            vault.edit(person, values)
        where = formatters.display_path(person.path)
        say(f"updated   {person.name}: filled {', '.join(values)}  {where}")
    for item, reason in plan.skipped:
        say(f"{shown}:{item.row}: skipped {item.values['name']}: {reason}", err=True)
    for rejected_row in plan.rejected:
        say(f"{shown}:{rejected_row.row}: rejected: {rejected_row.reason}", err=True)
    say(
        f"{len(plan.create)} created, {len(plan.fill)} updated, {len(plan.unchanged)} already "
        f"up to date, {len(plan.skipped)} skipped, {len(plan.rejected)} rejected"
        + (" (dry run: nothing written)" if dry_run else ""),
        err=True,
    )


@import_.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@pass_state
def linkedin(state: State, file: Path, dry_run: bool) -> None:
    """Import LinkedIn's Connections.csv (or the export's .zip).

    Each connection becomes a note with connection: 1st, linkedin, company, role, email and
    connected (the date). A person already in the vault (same LinkedIn URL, else email, else
    name and company) only gets keys that are empty; nothing you wrote is overwritten.
    Running it again changes nothing.

    \b
    Example:
      coffeechat import linkedin ~/Downloads/Basic_LinkedInDataExport.zip --dry-run
    """
    _run_import(state, file, "LinkedIn", dry_run)


@import_.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@pass_state
def vcard(state: State, file: Path, dry_run: bool) -> None:
    """Import an address book's .vcf export (vCard 2.1, 3.0 or 4.0).

    Name, email, organisation, title and a LinkedIn URL become a note's name, email,
    company, role and linkedin; matching and filling work as for `import linkedin`.

    \b
    Example:
      coffeechat import vcard contacts.vcf
    """
    _run_import(state, file, "vCard", dry_run)
