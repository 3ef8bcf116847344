"""Bringing people in: import linkedin, import vcard."""

from __future__ import annotations

from pathlib import Path

import click

from coffeechat.commands.base import State, pass_state, say
from coffeechat.output import formatters


@click.group(name="import")
def import_() -> None:
    """Create or fill notes from LinkedIn or vCard exports.

    \b
    Example:
      coffeechat import linkedin Connections.csv --dry-run
      coffeechat import vcard contacts.vcf
    """


def _run_import(state: State, path: Path, source: str, dry_run: bool, update: bool) -> None:
    from coffeechat.exchange import importers

    vault = state.store()
    reader = importers.read_linkedin if source == "LinkedIn" else importers.read_vcard
    incoming, rejected = reader(path)
    people = state.people()
    plan = importers.plan(incoming, people)
    plan.rejected += rejected
    day = vault.config.today(state.now())
    shown = formatters.display_path(path)
    for item in plan.create:
        target = (
            "" if dry_run else formatters.display_path(vault.add_imported(item.values, source, day))
        )
        say(f"created   {item.values['name']}" + (f"  {target}" if target else ""))
    changed = {person.file: values for person, _, values in plan.differs} if update else {}
    filled = {person.file: (person, values) for person, _, values in plan.fill}
    for person, _, _taken in plan.differs:
        filled.setdefault(person.file, (person, {}))
    updated = 0
    for person, values in filled.values():
        taken = changed.get(person.file, {})
        if not values and not taken:
            continue
        updated += 1
        if not dry_run and taken:
            # A new company or title: the old one stays, in `previous` and a dated log line
            # that `show` and the daily list read (a congratulation is due).
            entry, kept = importers.job_change(person, taken)
            vault.edit_and_log(person, {**values, **taken, **kept}, entry, day)
        elif not dry_run:
            vault.edit(person, {**values, **taken})
        where = formatters.display_path(person.path)
        what = [f"filled {', '.join(values)}"] if values else []
        what += [f"changed {key}" for key in taken]
        say(f"updated   {person.name}: {'; '.join(what)}  {where}")
    for person, _, values in plan.differs:
        if update:
            continue
        shown_values = ", ".join(
            f"{key} ({getattr(person, key)} → {value})" for key, value in values.items()
        )
        say(f"differs   {person.name}: {shown_values}; --update to take it")
    unknown = [item for item in plan.create if not item.values.get("kind")]
    for row in incoming:
        for left_out in row.left_out:
            say(f"{shown}:{row.row}: {row.values['name']}: {left_out}", err=True)
    for item, reason in plan.skipped:
        say(f"{shown}:{item.row}: skipped {item.values['name']}: {reason}", err=True)
    for rejected_row in plan.rejected:
        say(f"{shown}:{rejected_row.row}: rejected: {rejected_row.reason}", err=True)
    differing = 0 if update else len(plan.differs)
    say(
        f"{len(plan.create)} created, {updated} updated, "
        + (f"{differing} differ, " if differing else "")
        + f"{len(plan.unchanged)} already up to date, {len(plan.skipped)} skipped, "
        f"{len(plan.rejected)} rejected"
        + (f", {len(unknown)} created without a kind" if unknown else "")
        + (" (dry run: nothing written)" if dry_run else ""),
        err=True,
    )


@import_.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option(
    "--update", is_flag=True, help="Take a changed title or company for people already there."
)
@pass_state
def linkedin(state: State, file: Path, dry_run: bool, update: bool) -> None:
    """Import LinkedIn's Connections.csv (or the export's .zip).

    Each connection becomes a note with connection: 1st, linkedin, company, role, kind (from
    the position: engineer, manager or recruiter, else left empty and counted), email and
    connected (the date). A person already in the vault (same LinkedIn URL, else email, else
    name and company) only gets keys that are empty; a different title or company is shown
    as `differs` and taken only with --update. Running it again changes nothing.

    \b
    Example:
      coffeechat import linkedin ~/Downloads/Basic_LinkedInDataExport.zip --dry-run
    """
    _run_import(state, file, "LinkedIn", dry_run, update)


@import_.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option(
    "--update", is_flag=True, help="Take a changed title or company for people already there."
)
@pass_state
def vcard(state: State, file: Path, dry_run: bool, update: bool) -> None:
    """Import an address book's .vcf export (vCard 2.1, 3.0 or 4.0).

    Name, email, organisation, title and a LinkedIn URL become a note's name, email,
    company, role (and kind) and linkedin; matching, filling and --update work as for
    `import linkedin`.

    \b
    Example:
      coffeechat import vcard contacts.vcf
    """
    _run_import(state, file, "vCard", dry_run, update)
