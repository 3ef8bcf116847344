"""Keeping the vault: init, add, list, show, edit, set, log, mark."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from coffeechat.commands.base import (
    State,
    View,
    Words,
    complete_companies,
    given_keys,
    json_option,
    key_options,
    pass_state,
    person_argument,
    say,
    warn,
    writes,
)
from coffeechat.core.errors import NoteError
from coffeechat.model.note import DATE_MILESTONES, PERSON_KEYS, STAGES, Person
from coffeechat.output import formatters

if TYPE_CHECKING:
    from coffeechat.model.note import Change


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "your_name", default="", help="Your name, for messages.")
@click.option("--timezone", default=None, help="Your IANA zone. Default: the machine's.")
@pass_state
def init(state: State, folder: Path | None, your_name: str, timezone: str | None) -> None:
    """Make a folder a vault (default: --vault, else the current one).

    Creates coffeechat.toml with every setting listed and explained, people/, companies/
    and a .gitignore for the cache. Running it again on a vault changes nothing.

    \b
    Example:
      coffeechat init ~/jobsearch --name "Sam Lee" --timezone America/Chicago
    """
    from coffeechat.store.vault import init_vault

    result = init_vault(folder or state.vault_option or Path.cwd(), your_name, timezone)
    if not result.created:
        say(f"{formatters.display_path(result.root)} is already a vault; nothing changed", err=True)
        return
    for path in result.created:
        say(formatters.display_path(path))
    missing = [
        setting for setting, given in (("name", your_name), ("timezone", timezone)) if not given
    ]
    first = f"set your {' and '.join(missing)}, then " if missing else ""
    say(
        f"Vault ready. In {result.config.name}, {first}set looking_for and school (what "
        "outreach and `next` use), then add people: coffeechat add NAME",
        err=True,
    )


@click.command()
@click.argument("name")
@key_options(PERSON_KEYS)
@pass_state
def add(state: State, name: str, **values: Any) -> None:
    """Add a person: a new note in people/.

    The note gets `## Notes` and `## Log` sections.

    \b
    Example:
      coffeechat add "Priya Raman" --company Stripe --role "Backend Engineer" \\
        --kind engineer --connection alumni --common "Both at UT Austin"
    """
    given = given_keys(PERSON_KEYS, values)
    change = state.store().add_person({"name": name, **given}, state.now())
    say(formatters.display_path(change.path))
    say(change.summary, err=True)
    _written_to_them(given, name)


def _written_to_them(given: dict[str, Any], name: str) -> None:
    """Say at once, on stderr, that a value drafts would quote to them (`--hook`) reads as a
    note, as `doctor` and the draft would say later; it is kept as given."""
    from coffeechat.drafts.phrasing import rephrase_hint

    for key in PERSON_KEYS:
        if key.audience != "them" or key.name not in given:
            continue
        if hint := rephrase_hint(key.name, str(given[key.name]), True, name):
            say(f"Warning: {hint}", err=True)


def _matches_company(person: Person, company: str) -> bool:
    from coffeechat.model.names import label, name_key

    return name_key(label(person.company)).startswith(name_key(company))


@click.command(name="list")
@click.option("--company", help="Only people at this company.", shell_complete=complete_companies)
@click.option("--stage", "stage_name", type=click.Choice(STAGES), help="Only people at this stage.")
@json_option
@pass_state
def list_people(state: State, company: str | None, stage_name: str | None) -> None:
    """List people, with their company, role and stage.

    Notes that cannot be read are named on stderr; the rest are listed.

    \b
    Example:
      coffeechat list --stage replied
      coffeechat list --company stripe --json
    """
    vault = state.store()
    loaded = vault.people()
    people, problems = loaded.notes, loaded.problems
    for problem in problems:
        warn(problem)
    if company:
        people = [p for p in people if _matches_company(p, company)]
    journey = state.journey()
    if stage_name:
        people = [p for p in people if journey.stage(p) == stage_name]
    stages = [journey.stage(p) for p in people]
    if company or stage_name:
        empty = "No one matches."
    elif problems:
        empty = "No readable person notes; fix the files named above."
    else:
        empty = "No people yet; add one with `coffeechat add NAME`."
    state.show(
        View(
            shape="list",
            record=lambda: [
                formatters.person_record(p, vault.root, s)
                for p, s in zip(people, stages, strict=True)
            ],
            lines=lambda: ["\n".join(formatters.people_table(people, stages))] if people else [],
            notes=lambda: [] if people else [empty],
        )
    )
    state.keep_shown()


@click.command()
@person_argument
@json_option
@pass_state
def show(state: State, name: str) -> None:
    """Show one person: their stage, keys, file, notes and log.

    \b
    Example:
      coffeechat show priya
    """
    from coffeechat.when.zones import contact_zone

    vault = state.store()
    person = state.person(name)
    contact = contact_zone(person.timezone, person.location)
    now_stage = state.stage(person)

    def lines() -> list[str]:
        shown = formatters.person_lines(person, now_stage, state.now(), contact, vault.config.zone)
        note_body = vault.body(person).strip("\r\n")
        return [*shown, "", note_body] if note_body else list(shown)

    state.show(
        View(
            shape="show",
            record=lambda: {
                **formatters.person_record(person, vault.root, now_stage, contact),
                "body": vault.body(person),
            },
            lines=lines,
        )
    )


@click.command()
@person_argument
@pass_state
def edit(state: State, name: str) -> None:
    """Open a person's note in $VISUAL or $EDITOR.

    \b
    Example:
      EDITOR=vim coffeechat edit priya
    """
    person = state.person(name)
    click.edit(filename=str(person.path))
    try:
        state.store().read_person(person.path)
    except NoteError as error:
        warn(error.problem)


@click.command(name="set")
@person_argument
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE...")
@pass_state
@writes
def set_(state: State, name: str, assignments: tuple[str, ...]) -> Change:
    """Set keys in a person's note; every other byte stays as it was.

    KEY=VALUE sets a key, KEY= removes it, KEY+=VALUE adds to a list (common, previous, tags)
    and KEY-=VALUE takes from one. Dates take YYYY-MM-DD, today or yesterday.

    \b
    Example:
      coffeechat set priya role="Staff Engineer" referral=agreed
      coffeechat set priya common+="Ran the Austin marathon" email=
    """
    from coffeechat.model.note import PERSON_KEY_NAMES, near_key
    from coffeechat.model.typed import parse_assignments

    store, person = state.store(), state.person(name)
    values = parse_assignments(list(assignments), person, state.now(), store.config.zone)
    for key in values:
        close = None if key in PERSON_KEY_NAMES else near_key(key, PERSON_KEY_NAMES)
        if close:
            say(
                f"Warning: `{key}` is not a key coffeechat reads; did you mean `{close}`?", err=True
            )
    return store.edit(person, values)


@click.command()
@person_argument
@click.argument("text", nargs=-1, required=True)
@pass_state
@writes
def log(state: State, name: str, text: tuple[str, ...]) -> Change:
    """Add a dated line to the `## Log` section of a person's note.

    The line goes in date order, before any line dated later (as inbox and merge place
    theirs); the section is created at the end of the note if it is missing.

    \b
    Example:
      coffeechat log priya "Sent my resume; she will pass it to the recruiter"
    """
    return state.store().log(state.person(name), " ".join(text), state.now())


@click.command()
@person_argument
@click.argument("milestone", type=Words(DATE_MILESTONES))
@click.option(
    "--on",
    "when",
    help='The date; for chat, the date and time as schedule reads it ("tomorrow 2pm"). '
    "Default: today/now.",
)
@click.option(
    "--template",
    metavar="NAME",
    help="With messaged: the draft template the message came from (`draft` prints it in the "
    "command to run once sent); `stats --by template` compares their replies.",
)
@pass_state
@writes
def mark(state: State, name: str, milestone: str, when: str | None, template: str | None) -> Change:
    """Record a milestone's date: today, or the day given.

    MILESTONE is messaged, nudged, replied, chat, thanked, connected (the connection
    request), sent (what an agreed referral needs), checked_in (or checked-in), applied or
    updated; chat takes a date and time (default: now). What is marked happened: a day the
    text leaves open ("Fri 3pm") is the latest one, not the next, and a day after today is
    refused (a chat may be ahead). A date before the step it follows (replied before
    messaged), a nudge with no first message, and a chat marked over one still ahead (moved;
    a comment on its line is kept) are recorded with a warning.

    \b
    Example:
      coffeechat mark priya messaged
      coffeechat mark priya replied --on yesterday
      coffeechat mark priya chat --on "Wed 3pm"
      coffeechat mark priya messaged --template outreach
    """
    from coffeechat.core.errors import UsageError

    also = {}
    if template is not None:
        if milestone != "messaged":
            raise UsageError(
                "--template records where a first message came from: use it with `messaged`"
            )
        if not " ".join(template.split()):
            raise UsageError("--template needs the template's name, e.g. outreach")
        also["template"] = " ".join(template.split())
    vault = state.store()
    now = state.now()
    change = vault.mark(state.person(name), milestone, when, now, also)
    marked = vault.read_person(change.path)
    if when:
        _say_the_day_chosen(when, getattr(marked, milestone), now, vault.config.zone)
    for warning in change.warnings:
        say(f"Warning: {warning}", err=True)
    return change


def _say_the_day_chosen(when: str, chosen: Any, now: datetime, zone: tzinfo) -> None:
    """When WHEN leaves the day open ("Dec 10 1pm", "Fri"), say on stderr which one was
    recorded: the latest, where the same words would mean the next one for `schedule`."""
    from coffeechat.core.errors import CoffeechatError
    from coffeechat.when.parse import parse_day, parse_moment
    from coffeechat.when.timefmt import clock_time

    try:
        if isinstance(chosen, datetime):
            ahead: Any = parse_moment(when, now, zone, past=False)
        else:
            ahead = parse_day(when, now, zone, past=False)
    except (CoffeechatError, ValueError, OverflowError):
        return
    if chosen is None or ahead == chosen:
        return
    shown = f"{chosen:%a %b} {chosen.day}, {chosen.year}"
    if isinstance(chosen, datetime):
        shown += f", {clock_time(chosen.astimezone(zone))}"
    say(
        f'Note: read "{when}" as {shown}, the latest one (what is marked has happened); '
        "give the full date to mean another",
        err=True,
    )
