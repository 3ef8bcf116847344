"""The command line: parse arguments, call one core function, print what it returns."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from coffeechat import __version__, clock, formatters
from coffeechat.errors import CoffeechatError, NoteError, Problem, UsageError
from coffeechat.note import CONNECTIONS, DATE_MILESTONES, KINDS, STAGES, Person, stage
from coffeechat.notefile import read_note

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from coffeechat.changes import Change
    from coffeechat.vault import Vault

F = TypeVar("F", bound=Callable[..., Any])


def say(text: str = "", err: bool = False) -> None:
    click.echo(text, err=err, color=formatters.use_colour())


def warn(problem: Problem) -> None:
    say(formatters.problem_line(problem), err=True)


class CoffeechatGroup(click.Group):
    """Lists commands in the order a user meets them, and turns the project's own errors
    into `Error: …` on stderr and their exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoffeechatError as error:
            message = (
                formatters.problem_line(error.problem) if isinstance(error, NoteError) else error
            )
            say(f"Error: {message}", err=True)
            ctx.exit(error.exit_code)


@dataclass
class State:
    vault_option: Path | None
    _vault: Vault | None = field(default=None, repr=False)

    def vault(self) -> Vault:
        """The vault, opened on first use: `--help` and `init` never load the core."""
        from coffeechat.vault import find_vault_root, open_vault

        if self._vault is None:
            root = find_vault_root(self.vault_option, Path.cwd())
            self._vault = open_vault(root)
            for warning in self._vault.warnings:
                say(warning, err=True)
        return self._vault

    def now(self) -> datetime:
        return clock.now()

    def person(self, name: str) -> Person:
        from coffeechat.vault import find_person

        return find_person(self.vault(), name)


pass_state = click.make_pass_decorator(State)


def json_option(command: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(command)


def person_argument(command: F) -> F:
    """NAME: a file name, a full name (any case, accents optional), or a unique part of one."""
    return click.argument("name")(command)


def writes(command: F) -> F:
    """Print what a change did: the note and the change on stdout."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        change: Change = command(*args, **kwargs)
        say(f"{formatters.display_path(change.path)}: {change.summary}")

    return wrapper  # type: ignore[return-value]


@click.group(cls=CoffeechatGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--vault",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="COFFEECHAT_VAULT",
    help="The vault folder. Default: $COFFEECHAT_VAULT, else the nearest folder up "
    "holding coffeechat.toml.",
)
@click.version_option(__version__, prog_name="coffeechat")
@click.pass_context
def cli(ctx: click.Context, vault: Path | None) -> None:
    """Prepare coffee chats that lead to referrals, from a folder of Markdown notes.

    Each person is one note under people/ with YAML frontmatter; edit them in any editor.
    coffeechat edits only the keys it means to, and never rewrites the rest of a note.

    \b
    Start here:
      coffeechat init ~/jobsearch      make a vault
      coffeechat add "Priya Raman" --company Stripe --kind engineer
      coffeechat list                  everyone and where they stand
      coffeechat mark priya messaged   record what you did
      coffeechat slots priya           times to offer, in their zone
      coffeechat prep priya            the one-page sheet for the call
      coffeechat call priya            the call itself, with the referral ask on time
    """
    ctx.obj = State(vault)


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "your_name", default="", help="Your name, for messages.")
@click.option("--timezone", default=None, help="Your IANA zone. Default: the machine's.")
def init(folder: Path | None, your_name: str, timezone: str | None) -> None:
    """Make a folder a vault (default: the current one).

    Creates coffeechat.toml with every setting listed and explained, people/, companies/
    and a .gitignore for the cache. Running it again on a vault changes nothing.

    \b
    Example:
      coffeechat init ~/jobsearch --name "Sam Lee" --timezone America/Chicago
    """
    from coffeechat.vault import init_vault

    result = init_vault(folder or Path.cwd(), your_name, timezone)
    if not result.created:
        say(f"{formatters.display_path(result.root)} is already a vault; nothing changed", err=True)
        return
    for path in result.created:
        say(formatters.display_path(path))
    say(f"Vault ready. Set your name and zone in {result.config.name}, then add people.", err=True)


@cli.command()
@click.argument("name")
@click.option("--company", help="Where they work now.")
@click.option("--role", help="Their job title.")
@click.option("--kind", type=click.Choice(KINDS), help="What they do.")
@click.option("--seniority", help="junior, senior, staff, lead, director…")
@click.option("--location", help="Where they are, as their profile says.")
@click.option("--timezone", help="IANA zone, when the location is not enough.")
@click.option("--email", help="Their email address.")
@click.option("--linkedin", help="Their LinkedIn URL.")
@click.option("--connection", type=click.Choice(CONNECTIONS), help="How you are connected.")
@click.option("--school", help="Their school.")
@click.option("--common", multiple=True, help="Something you share (repeatable).")
@click.option("--previous", multiple=True, help="An earlier company or role (repeatable).")
@click.option("--tags", multiple=True, help="A tag of yours (repeatable).")
@pass_state
def add(state: State, name: str, **values: Any) -> None:
    """Add a person: a new note in people/ with Notes and Log sections.

    \b
    Example:
      coffeechat add "Priya Raman" --company Stripe --role "Backend Engineer" \\
        --kind engineer --connection alumni --common "Both at UT Austin"
    """
    given = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items() if v}
    from coffeechat.changes import add_person

    change = add_person(state.vault(), {"name": name, **given}, state.now())
    say(formatters.display_path(change.path))
    say(change.summary, err=True)


def _matches_company(person: Person, company: str) -> bool:
    from coffeechat.vault import name_key

    return name_key(person.company).startswith(name_key(company))


@cli.command(name="list")
@click.option("--company", help="Only people at this company.")
@click.option("--stage", "stage_name", type=click.Choice(STAGES), help="Only people at this stage.")
@json_option
@pass_state
def list_people(state: State, company: str | None, stage_name: str | None, as_json: bool) -> None:
    """List people, with their company, role and stage.

    Notes that cannot be read are named on stderr; the rest are listed.

    \b
    Example:
      coffeechat list --stage replied
      coffeechat list --company stripe --json
    """
    vault = state.vault()
    now = state.now()
    from coffeechat.vault import load_people

    people, problems = load_people(vault)
    for problem in problems:
        warn(problem)
    if company:
        people = [p for p in people if _matches_company(p, company)]
    if stage_name:
        people = [p for p in people if stage(p, now) == stage_name]
    if as_json:
        say(formatters.to_json([formatters.person_record(p, vault.root, now) for p in people]))
        return
    if not people:
        if company or stage_name:
            say("No one matches.", err=True)
        elif problems:
            say("No readable person notes; fix the files named above.", err=True)
        else:
            say("No people yet; add one with `coffeechat add NAME`.", err=True)
        return
    for line in formatters.people_table(people, now):
        say(line)


@cli.command()
@person_argument
@json_option
@pass_state
def show(state: State, name: str, as_json: bool) -> None:
    """Show one person: their stage, keys, file, notes and log.

    \b
    Example:
      coffeechat show priya
    """
    from coffeechat.zones import contact_zone

    vault = state.vault()
    person = state.person(name)
    for problem in person.problems:
        warn(problem)
    contact = contact_zone(person.timezone, person.location)
    if as_json:
        record = formatters.person_record(person, vault.root, state.now(), contact)
        say(formatters.to_json(record))
        return
    for line in formatters.person_lines(person, state.now(), contact, vault.config.zone):
        say(line)
    note_body = read_note(person.path)[0].body.strip("\r\n")
    if note_body:
        say()
        say(note_body)


@cli.command()
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
        read_note(person.path)
    except NoteError as error:
        warn(error.problem)


@cli.command(name="set")
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
    from coffeechat.changes import parse_assignments, set_keys

    person = state.person(name)
    return set_keys(
        person, parse_assignments(list(assignments), person, state.now(), state.vault())
    )


@cli.command()
@person_argument
@click.argument("text", nargs=-1, required=True)
@pass_state
@writes
def log(state: State, name: str, text: tuple[str, ...]) -> Change:
    """Add a dated line to the `## Log` section of a person's note.

    The section is created at the end of the note if it is missing.

    \b
    Example:
      coffeechat log priya "Sent my resume; she will pass it to the recruiter"
    """
    from coffeechat.changes import log_line

    return log_line(state.person(name), " ".join(text), state.now(), state.vault())


@cli.command()
@person_argument
@click.argument("milestone", type=click.Choice(DATE_MILESTONES))
@click.option("--on", "when", help="The date (the date and time for chat). Default: today/now.")
@pass_state
@writes
def mark(state: State, name: str, milestone: str, when: str | None) -> Change:
    """Record a milestone's date: today, or the day given.

    MILESTONE is messaged, nudged, replied, chat, thanked, applied or updated; chat
    takes a date and time (default: now).

    \b
    Example:
      coffeechat mark priya messaged
      coffeechat mark priya replied --on yesterday
      coffeechat mark priya chat --on "2026-11-25 15:00"
    """
    from coffeechat.changes import mark_milestone

    return mark_milestone(state.person(name), milestone, when, state.now(), state.vault())


@cli.command()
@click.argument("location")
@json_option
def zone(location: str, as_json: bool) -> None:
    """Find the time zone for a location, written as a LinkedIn profile writes it.

    Works offline from GeoNames data. A state or country gives a zone only when one zone
    covers most of its people ("Germany" yes, "United States" no). A name shared by several
    places picks the likeliest and lists the others. No zone: exit 1.

    \b
    Example:
      coffeechat zone "Greater Seattle Area"
      coffeechat zone Portland --json
    """
    from coffeechat.zones import guess_zone

    guess = guess_zone(location)
    if as_json:
        say(formatters.to_json(formatters.zone_guess_record(guess)))
    elif guess.zone:
        for line in formatters.zone_guess_lines(guess):
            say(line)
    if guess.zone is None:
        raise CoffeechatError(
            f"no time zone for `{location}`: {guess.reason}. "
            "Set `timezone:` in the note (an IANA name such as America/Chicago)."
        )


def _their_zone(person: Person) -> ZoneInfo:
    """The contact's zone, or an error that says how to give one."""
    from zoneinfo import ZoneInfo

    from coffeechat.zones import contact_zone

    contact = contact_zone(person.timezone, person.location)
    if contact.zone is None:
        why = contact.guess.reason if contact.guess else "the note has no location"
        raise CoffeechatError(
            f"{formatters.display_path(person.path)}: no time zone for {person.name} ({why}); "
            "set `timezone:`, e.g. coffeechat set NAME timezone=America/Chicago"
        )
    return ZoneInfo(contact.zone)


@cli.command()
@person_argument
@click.option(
    "--from", "from_", metavar="WHEN", help="First day to look at. Default: the next working day."
)
@click.option(
    "--days",
    default=5,
    show_default=True,
    type=click.IntRange(1, 60),
    help="How many of your available days to look over.",
)
@click.option(
    "--duration", type=click.IntRange(5, 240), help="Minutes per slot. Default: chat_minutes."
)
@click.option(
    "--count",
    default=6,
    show_default=True,
    type=click.IntRange(1, 30),
    help="How many slots to offer.",
)
@click.option(
    "--within",
    metavar="DAYS HOURS",
    help='Only these days and hours of yours, e.g. "Tue/Thu 2-4pm".',
)
@click.option(
    "--busy",
    "busy_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A calendar (.ics) whose events block slots (repeatable).",
)
@json_option
@pass_state
def slots(
    state: State,
    name: str,
    from_: str | None,
    days: int,
    duration: int | None,
    count: int,
    within: str | None,
    busy_files: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Offer times for a call, in the contact's zone with yours beside them.

    Slots fit your available days and hours (coffeechat.toml), their working hours in their
    zone (from timezone: or location:), and --within; they skip the past, chats already in
    the vault (with buffer_minutes around them) and events in busy calendars (--busy and
    busy_calendars). They are spread over different days and both halves of their day.

    \b
    Example:
      coffeechat slots priya
      coffeechat slots priya --from "next monday" --days 3 --within "afternoons"
    """
    from datetime import datetime, timedelta

    from coffeechat.calendar import busy_intervals
    from coffeechat.slots import (
        SlotRequest,
        chat_intervals,
        config_windows,
        next_working_day,
        propose,
        working_days,
    )
    from coffeechat.vault import load_people
    from coffeechat.when import parse_when, parse_window

    vault = state.vault()
    config = vault.config
    person = state.person(name)
    their_zone = _their_zone(person)
    now = state.now().astimezone(config.zone)
    mine, theirs = config_windows(config)
    window = parse_window(within) if within else None
    first = parse_when(from_, now, config.zone).day if from_ else next_working_day(now, mine)
    span = working_days(first, days, mine.days)
    start = datetime.combine(span[0], datetime.min.time(), config.zone) - timedelta(days=1)
    end = datetime.combine(span[-1], datetime.min.time(), config.zone) + timedelta(days=2)
    people, _ = load_people(vault)
    minutes = duration or config.chat_minutes
    busy = [
        interval
        for interval, _ in chat_intervals(
            people, config.chat_minutes, config.buffer_minutes, person.path
        )
    ]
    calendars = [vault.root / path for path in config.busy_calendars] + list(busy_files)
    busy += busy_intervals(calendars, start, end, config.zone)
    request = SlotRequest(
        now=now,
        first_day=first,
        days=days,
        duration=timedelta(minutes=minutes),
        count=count,
        my_zone=config.zone,
        my_hours=mine,
        their_zone=their_zone,
        their_hours=theirs,
        busy=tuple(busy),
        within=window,
    )
    found = propose(request)
    if as_json:
        say(formatters.to_json([formatters.slot_record(slot, config.zone) for slot in found]))
        return
    for slot in found:
        say(formatters.slot_line(slot, config.zone))
    say(
        f"Times in {their_zone.key} for {person.name}; record the one they pick with "
        f'coffeechat schedule {person.path.stem} "WHEN" (your time) or --their-time.',
        err=True,
    )


@cli.command()
@person_argument
@click.argument("when", metavar="WHEN")
@click.option("--their-time", is_flag=True, help="Read WHEN in the contact's zone, not yours.")
@click.option("--duration", type=click.IntRange(5, 240), help="Minutes. Default: chat_minutes.")
@click.option(
    "--ics",
    "ics_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the invitation ('-' for stdout). Default: invites/NAME.ics in the vault.",
)
@click.option("--force", is_flag=True, help="Schedule even over another chat or in the past.")
@pass_state
def schedule(
    state: State,
    name: str,
    when: str,
    their_time: bool,
    duration: int | None,
    ics_path: Path | None,
    force: bool,
) -> None:
    """Record the time of a chat, log it, and write a calendar invitation (.ics).

    WHEN is read in your zone, or theirs with --their-time: "tomorrow 2pm", "Fri 9am",
    "Dec 4 14:30", "2026-12-04 14:30". A time the clocks skip or repeat (DST) is refused.
    Another chat within buffer_minutes, or a time in the past, refuses unless --force.

    \b
    Example:
      coffeechat schedule priya "Tue 1pm"
      coffeechat schedule priya "Dec 1 10:00" --their-time --ics ~/Desktop/priya.ics
    """
    from datetime import timedelta

    from coffeechat.calendar import Invitation, invitation_ics
    from coffeechat.changes import set_keys_and_log
    from coffeechat.files import write_file
    from coffeechat.slots import chat_intervals
    from coffeechat.vault import load_people
    from coffeechat.when import moment_of, parse_when

    vault = state.vault()
    config = vault.config
    person = state.person(name)
    their_zone = _their_zone(person)
    now = state.now()
    read_in = their_zone if their_time else config.zone
    moment = moment_of(parse_when(when, now, read_in), read_in).astimezone(config.zone)
    minutes = duration or config.chat_minutes
    if moment <= now and not force:
        raise CoffeechatError(
            f"{formatters.day_and_time(moment)} is in the past; give a later time "
            "(or --force to record it anyway)"
        )
    people, _ = load_people(vault)
    pad = timedelta(minutes=config.buffer_minutes)
    for (start, end), other in chat_intervals(
        people, config.chat_minutes, config.buffer_minutes, person.path
    ):
        if moment < end and start < moment + timedelta(minutes=minutes) + pad and not force:
            raise CoffeechatError(
                f"clashes with the chat with {other.name} at "
                f"{formatters.day_and_time(other.chat.astimezone(config.zone))}"  # type: ignore[union-attr]
                f" ({config.buffer_minutes} minutes kept free around it); pick another time "
                "or --force"
            )
    both = formatters.both_sides(moment, config.zone, their_zone.key)
    change = set_keys_and_log(
        person,
        {"chat": moment},
        f"scheduled the chat for {both}",
        now.astimezone(config.zone).date(),
    )
    say(f"{formatters.display_path(change.path)}: {change.summary}")
    invitation = Invitation(
        uid=f"{person.path.stem}@coffeechat",
        start=moment,
        minutes=minutes,
        summary=f"Coffee chat with {person.name}"
        + (f" ({person.company})" if person.company else ""),
        description=f"Prepare: coffeechat prep {person.path.stem}\n"
        f"Afterwards: coffeechat draft thanks {person.path.stem}",
        stamp=now,
        attendee_email=person.email,
        attendee_name=person.name,
    )
    data = invitation_ics(invitation)
    if ics_path and str(ics_path) == "-":
        click.echo(data.decode("utf-8"), nl=False)
        return
    target = ics_path or vault.root / "invites" / f"{person.path.stem}.ics"
    write_file(target, data)
    say(f"Invitation: {formatters.display_path(target)} (import it into your calendar)")


@cli.command()
@click.option(
    "--audience",
    type=click.Choice(["engineer", "manager", "recruiter", "any"]),
    help="Only questions for this audience (and those for anyone).",
)
@click.option("--topic", help="Only this topic, e.g. growth or day-to-day.")
@click.option(
    "--lint",
    "lint_only",
    is_flag=True,
    help="Check the banks (and FILEs) for questions a web search answers, or yes/no ones; "
    "exit 1 if any.",
)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@json_option
@pass_state
def questions(
    state: State,
    audience: str | None,
    topic: str | None,
    lint_only: bool,
    files: tuple[Path, ...],
    as_json: bool,
) -> None:
    """List the question banks prep sheets choose from, or check them with --lint.

    The banks ship with coffeechat; a vault's question_banks/ folder adds banks, and a file
    there with a shipped bank's name replaces it. A bank is Markdown: frontmatter with
    audience (engineer, manager, recruiter, any) and topic, then one question per `- ` item.
    Questions may use {company}, {role}, {previous}, {team} and {my_goal}.

    \b
    Example:
      coffeechat questions --audience recruiter
      coffeechat questions --lint my-questions.md
    """
    from coffeechat.errors import UsageError, VaultNotFound
    from coffeechat.questions import bank_paths, lint_banks, load_banks, read_bank

    if files and not lint_only:
        raise UsageError("FILEs are for --lint; to add questions, put a bank in question_banks/")
    try:
        root: Path | None = state.vault().root
    except VaultNotFound:
        root = None
    banks, problems = load_banks(bank_paths(root))
    for path in files:
        bank, found = read_bank(path, header_needed=False)
        problems += found
        banks += [bank] if bank else []
    if lint_only:
        problems += lint_banks(banks)
        for problem in problems:
            say(formatters.problem_line(problem))
        if problems:
            raise click.exceptions.Exit(1)
        count = sum(len(bank.questions) for bank in banks)
        say(f"{count} questions in {len(banks)} banks: none a web search answers, none yes/no.")
        return
    for problem in problems:
        warn(problem)
    chosen = [
        bank
        for bank in banks
        if (audience is None or bank.audience in (audience, "any"))
        and (topic is None or bank.topic == topic.lower())
    ]
    if as_json:
        say(formatters.to_json(formatters.question_records(chosen)))
        return
    if not chosen:
        say("No questions match; `coffeechat questions` lists them all.", err=True)
    for line in formatters.bank_lines(chosen):
        say(line)


def _minutes_options(command: F) -> F:
    """--minutes and --ask-at, shared by prep and call."""
    command = click.option(
        "--ask-at",
        type=click.IntRange(1, 240),
        metavar="M",
        help="The minute to ask about a referral. Default: ask_at_minute.",
    )(command)
    return click.option(
        "--minutes",
        type=click.IntRange(5, 240),
        metavar="N",
        help="How long the chat is. Default: chat_minutes.",
    )(command)


@cli.command()
@person_argument
@_minutes_options
@click.option(
    "--count", default=8, show_default=True, type=click.IntRange(1, 30), help="How many questions."
)
@click.option(
    "--save", is_flag=True, help="Also save it to prep/ in the vault and log it in the note."
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a printable one-page HTML file.",
)
@pass_state
def prep(
    state: State,
    name: str,
    minutes: int | None,
    ask_at: int | None,
    count: int,
    save: bool,
    html_path: Path | None,
) -> None:
    """Print a one-page prep sheet for a coffee chat, in Markdown.

    Who they are and their local time; what you share; questions for their audience, spread
    over topics, never ones a web search answers and never ones an earlier saved sheet for
    them or their company used; the call minute by minute with the referral ask at its
    minute; and what to do afterwards. The same person on the same day gets the same sheet.

    \b
    Example:
      coffeechat prep priya
      coffeechat prep priya --minutes 20 --ask-at 12 --save --html priya.html
    """
    from coffeechat.changes import log_line
    from coffeechat.files import slugify, write_file
    from coffeechat.prep import (
        PREP_FOLDER,
        Links,
        build_sheet,
        html_page,
        markdown,
        saved_frontmatter,
        used_question_ids,
    )
    from coffeechat.questions import bank_paths, load_banks
    from coffeechat.vault import company_of, load_companies
    from coffeechat.zones import contact_zone

    vault = state.vault()
    config = vault.config
    person = state.person(name)
    now = state.now()
    companies, _ = load_companies(vault)
    company = company_of(person, companies)
    banks, problems = load_banks(bank_paths(vault.root))
    for problem in problems:
        warn(problem)
    day = now.astimezone(config.zone).date().isoformat()
    target = vault.root / PREP_FOLDER / f"{day}-{slugify(person.name, fallback='person')}.md"
    if save:
        links = Links(f"[[{person.path.stem}]]", f"[[{company.path.stem}]]" if company else None)
    else:
        links = Links(
            formatters.display_path(person.path),
            formatters.display_path(company.path) if company else None,
        )
    used = used_question_ids(vault.root, person, leave_out=target)
    sheet = build_sheet(
        person,
        company,
        config,
        banks,
        used,
        contact_zone(person.timezone, person.location),
        now,
        links,
        minutes or config.chat_minutes,
        ask_at or config.ask_at_minute,
        count,
    )
    text = markdown(sheet)
    click.echo(text, nl=False)
    if save:
        existed = target.exists()
        write_file(target, (saved_frontmatter(sheet, day) + text).encode("utf-8"))
        say(f"Saved {formatters.display_path(target)}", err=True)
        if not existed:
            log_line(person, f"prep sheet: {PREP_FOLDER}/{target.name}", now, vault)
    if html_path:
        title = f"Coffee chat: {person.name}"
        write_file(html_path, html_page(text, title).encode("utf-8"))
        say(f"Wrote {formatters.display_path(html_path)}", err=True)


@cli.command()
@person_argument
@_minutes_options
@pass_state
def call(state: State, name: str, minutes: int | None, ask_at: int | None) -> None:
    """Run the call: a clock, the questions, and the referral ask at its minute.

    A full-screen view with the time gone and left, the current question and the next ones.
    At the ask minute the ask takes over the screen and the terminal bell rings once. Keys:
    n next question, a mark it asked, t type a one-line note, f finish (Ctrl-C too).
    On finish the notes and the questions asked go into the note under `### Call DATE`
    inside `## Notes`, and `chat:` is set if it was empty. Needs a terminal (80x24 is enough).

    \b
    Example:
      coffeechat call priya
      coffeechat call priya --minutes 20 --ask-at 12
    """
    from coffeechat import call as live
    from coffeechat.changes import record_call
    from coffeechat.prep import (
        agenda,
        ask_wording,
        choose_questions,
        placeholder_values,
        referral_questions,
        used_question_ids,
    )
    from coffeechat.questions import bank_paths, load_banks

    if not live.has_terminal():
        raise CoffeechatError(
            "`call` needs a terminal to draw in; for a sheet to read or print, use "
            "`coffeechat prep NAME`"
        )
    vault = state.vault()
    config = vault.config
    person = state.person(name)
    minutes = minutes or config.chat_minutes
    ask_at = ask_at or config.ask_at_minute
    now = state.now()
    banks, _ = load_banks(bank_paths(vault.root))
    values = placeholder_values(person, config)
    day = now.astimezone(config.zone).date().isoformat()
    ask = ask_wording(person, config)
    referral = referral_questions(banks, values)
    agenda(minutes, ask_at, ask, referral, config)  # refuses an ask minute that does not fit
    chosen = choose_questions(person, banks, values, used_question_ids(vault.root, person), day, 8)
    view = live.CallView(
        title=f"Coffee chat with {person.name}"
        + (f" ({person.company})" if person.company else ""),
        started=now,
        minutes=minutes,
        ask_at=ask_at,
        items=[live.Item(text) for _, text in chosen],
        ask=ask,
        referral_questions=referral,
    )
    view = live.run_in_terminal(view, state.now)
    started = view.started.astimezone(config.zone)
    change = record_call(person, live.notes_section(view, started.date().isoformat()), started)
    say(f"{formatters.display_path(change.path)}: {change.summary}")


@cli.command()
@click.argument(
    "kind", type=click.Choice(["outreach", "connect", "nudge", "thanks", "update", "offer"])
)
@person_argument
@click.option(
    "--channel",
    type=click.Choice(["email", "linkedin"]),
    help="Default: email when the note has one, else linkedin (connect: always linkedin).",
)
@click.option(
    "--at",
    "offer_at",
    metavar="COMPANY",
    help="offer: where you accepted (default: their company when outcome is offer).",
)
@click.option(
    "--force", is_flag=True, help="Draft even when it looks too early or there are no call notes."
)
@click.option("--save", is_flag=True, help="Also add it to the note under ## Drafts.")
@click.option(
    "--eml",
    "eml_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write it as an .eml file that mail clients open as a draft.",
)
@pass_state
def draft(
    state: State,
    kind: str,
    name: str,
    channel: str | None,
    offer_at: str | None,
    force: bool,
    save: bool,
    eml_path: Path | None,
) -> None:
    """Draft a message to someone, ready to paste: KIND is one of outreach, connect, nudge,
    thanks, update, offer.

    \b
      outreach  the first message: who you are, what you share, a 15-minute ask
      connect   a LinkedIn connection note with one personal detail (fits the limit)
      nudge     the one polite follow-up, due nudge_after_days after `messaged`
      thanks    the thank-you after the chat, quoting what they said in your call notes
      update    how the application went (`outcome:`)
      offer     you accepted an offer, and thanks

    The draft goes to stdout; the command to record it once sent goes to stderr. Templates
    live in templates/ in the vault when you want your own words (see the README).

    \b
    Example:
      coffeechat draft outreach priya
      coffeechat draft thanks arjun --save --eml ~/Desktop/arjun.eml
    """
    from coffeechat import drafts
    from coffeechat.changes import append_draft
    from coffeechat.files import write_file
    from coffeechat.notefile import read_note
    from coffeechat.vault import company_of, load_companies

    vault = state.vault()
    person = state.person(name)
    now = state.now()
    if channel is None:
        channel = "email" if person.email and kind != "connect" else "linkedin"
    companies, _ = load_companies(vault)
    request = drafts.Request(
        kind,
        person,
        company_of(person, companies),
        vault.config,
        now,
        channel,
        read_note(person.path)[0].body,
        offer_at,
        force,
    )
    message = drafts.make_draft(request, drafts.template_path(kind, vault.root))
    click.echo(message.text, nl=False)
    if kind == "outreach" and drafts.word_count(message.body) > drafts.WORD_LIMIT:
        say(
            f"Note: {drafts.word_count(message.body)} words; short messages get more replies.",
            err=True,
        )
    if save:
        day = now.astimezone(vault.config.zone).date()
        change = append_draft(person, kind, message.text, day)
        say(f"{formatters.display_path(change.path)}: {change.summary}", err=True)
    if eml_path:
        if channel != "email":
            raise UsageError("--eml is for email drafts; use --channel email")
        write_file(eml_path, drafts.eml_bytes(message, now))
        say(f"Wrote {formatters.display_path(eml_path)} (open it in your mail app)", err=True)
    record = drafts.RECORDS[kind].format(stem=person.path.stem)
    say(f"Once sent: coffeechat {record}", err=True)


@cli.command()
@json_option
@pass_state
def doctor(state: State, as_json: bool) -> None:
    """Check the whole vault and say what is wrong and how to fix it.

    Reports notes that cannot be read, key typos, values outside their set, milestones in an
    impossible order, past chats with no notes, duplicate people, and people and companies
    that do not link up. It only reads; exit 1 when it finds anything.

    \b
    Example:
      coffeechat doctor
      coffeechat doctor --json | jq '.[].file' | sort | uniq -c
    """
    from coffeechat.doctor import diagnose

    vault = state.vault()
    report = diagnose(vault, state.now())
    if as_json:
        records = [
            {"file": formatters.display_path(p.path), "line": p.line, "problem": p.message}
            for p in report.problems
        ]
        say(formatters.to_json(records))
    else:
        for problem in report.problems:
            say(formatters.problem_line(problem))
        if not report.problems and not vault.warnings:
            say(f"No problems in {report.notes_read} notes.")
    if report.problems or vault.warnings:
        raise SystemExit(1)
