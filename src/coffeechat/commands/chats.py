"""Before and during the call: questions, prep, call."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coffeechat.commands.base import (
    F,
    State,
    View,
    json_option,
    not_stdout,
    pass_state,
    person_argument,
    say,
    warn,
)
from coffeechat.core.errors import CoffeechatError, NoteError, UsageError
from coffeechat.model.people import BANK_AUDIENCES
from coffeechat.output import formatters

if TYPE_CHECKING:
    from datetime import datetime

    from coffeechat.model.config import Config
    from coffeechat.model.note import Company, Person
    from coffeechat.output.call import CallView
    from coffeechat.prep.choose import ChatPlan
    from coffeechat.prep.questions import Bank
    from coffeechat.store.vault import Store


_QUESTIONS_HELP = f"""List the question banks, or check them with --lint.

    The banks ship with coffeechat; a vault's question_banks/ folder adds banks, and a file
    there with a shipped bank's name replaces it. A bank is Markdown: frontmatter with
    audience ({", ".join(BANK_AUDIENCES)}) and topic, then one question per `- ` item.
    Questions may use {{company}}, {{role}}, {{previous}}, {{team}} and {{my_goal}}.

    \b
    Example:
      coffeechat questions --audience recruiter
      coffeechat questions --lint my-questions.md
    """


def _body_or_nothing(vault: Store, note: Company | None) -> str:
    """A note's body for what the sheet reads from it; "" when there is none or it cannot be
    read (doctor names that)."""
    if note is None:
        return ""
    try:
        return vault.body(note)
    except (NoteError, OSError, UnicodeDecodeError):
        return ""


@click.command(help=_QUESTIONS_HELP)
@click.option(
    "--audience",
    type=click.Choice(BANK_AUDIENCES),
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
) -> None:
    from coffeechat.core.errors import VaultNotFound
    from coffeechat.prep.questions import bank_paths, lint_banks, load_banks, read_bank

    if files and not lint_only:
        raise UsageError("FILEs are for --lint; to add questions, put a bank in question_banks/")
    try:
        folder: Path | None = state.store().layout.question_banks
    except VaultNotFound:
        folder = None
    paths = bank_paths(folder)
    banks, problems = load_banks(paths)
    loaded = {path.resolve() for path in paths}
    for path in files:
        if path.resolve() in loaded:
            continue  # a bank of the vault's own, read (and linted) once already
        bank, found = read_bank(path, header_needed=False)
        problems += found
        banks += [bank] if bank else []
    if lint_only:
        problems += lint_banks(banks)
        count = sum(len(bank.questions) for bank in banks)
        state.show(
            View(
                record=lambda: [formatters.problem_record(problem) for problem in problems],
                lines=lambda: (
                    [formatters.problem_line(problem) for problem in problems]
                    or [
                        f"{count} questions in {len(banks)} banks: none a web search "
                        "answers, none yes/no."
                    ]
                ),
                shape="questions --lint",
            )
        )
        if problems:
            raise click.exceptions.Exit(1)
        return
    for problem in problems:
        warn(problem)
    chosen = [
        bank
        for bank in banks
        if (audience is None or bank.audience in (audience, "any"))
        and (topic is None or bank.topic == topic.lower())
    ]
    state.show(
        View(
            shape="questions",
            record=lambda: formatters.question_records(chosen),
            lines=lambda: formatters.bank_lines(chosen),
            notes=lambda: [] if chosen else [NO_QUESTIONS],
        )
    )


NO_QUESTIONS = "No questions match; `coffeechat questions` lists them all."


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


@click.command()
@person_argument
@_minutes_options
@click.option(
    "--count",
    default=6,
    show_default=True,
    type=click.IntRange(1, 30),
    help="How many questions: the first three are must-ask, the rest backups.",
)
@click.option(
    "--save", is_flag=True, help="Also save it to prep/ in the vault and log it in the note."
)
@click.option(
    "--reshuffle",
    is_flag=True,
    help="Pick new questions for this chat instead of the ones kept for it.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path),
    callback=not_stdout,
    metavar="FILE",
    help="Also write a printable one-page HTML file.",
)
@json_option
@pass_state
def prep(
    state: State,
    name: str,
    minutes: int | None,
    ask_at: int | None,
    count: int,
    save: bool,
    reshuffle: bool,
    html_path: Path | None,
) -> None:
    """Print a one-page prep sheet for a coffee chat, in Markdown.

    Who they are and their local time; what your notes mark to mention and your research
    (a `## Prep` section); three must-ask questions (your own `?` lines first) and a few
    backups for their audience, never two alike, never ones a web search answers and never
    ones asked in an earlier chat with them or their company; the call minute by minute with
    the referral ask about two thirds in; and what to do afterwards. The sheet follows where
    things stand: no ask once the referral is asked for, agreed or declined, and a warning
    when the chat is past or the contact is closed. The questions are chosen once per chat
    and kept in prep/plans/: later sheets and `call` show the same ones until the chat has
    happened, or --reshuffle picks new ones.

    Even without --save, prep writes one file into the vault: prep/plans/NAME.json, the
    chat's question ids (your note is not touched). Keep it out of git with a `prep/plans/`
    line in the vault's .gitignore if you like; deleting it only means new questions.

    \b
    Example:
      coffeechat prep priya
      coffeechat prep priya --minutes 30 --save --html priya.html
      coffeechat prep priya --json | jq '.questions[] | select(.must) | .text'
    """
    from coffeechat.model.names import wikilink
    from coffeechat.prep.choose import lessons_at, plan_for_person
    from coffeechat.prep.plans import sheet_path
    from coffeechat.prep.render import html_page, markdown, saved_frontmatter, sheet_record
    from coffeechat.prep.sheet import Links, build_sheet
    from coffeechat.when.zones import contact_zone

    vault = state.store()
    config = vault.config
    person = state.person(name)
    now = state.now()
    day = config.today(now).isoformat()
    target = sheet_path(vault.layout.prep, person, day)
    chat_plan = plan_for_person(
        vault,
        person,
        now,
        companies=state.companies(),
        banks=_banks(vault),
        journey=state.journey(),
        minutes=minutes,
        ask_at=ask_at,
        count=count,
        reshuffle=reshuffle,
    )
    company = chat_plan.company
    if save:
        links = Links(
            wikilink(person.stem, person.name),
            wikilink(company.stem, company.name) if company else None,
        )
    else:
        links = Links(
            formatters.display_path(person.path),
            formatters.display_path(company.path) if company else None,
        )
    sheet = build_sheet(
        person,
        company,
        config,
        chat_plan.plan,
        contact_zone(person.timezone, person.location),
        now,
        links,
        others=state.people() if person.referral == "declined" else [],
        body_text=chat_plan.body_text,
        research=chat_plan.research,
        journey=state.journey(),
        lessons=lessons_at(vault, person, state.people()),
        company_text=_body_or_nothing(vault, company),
    )
    text = markdown(sheet)
    state.show(
        View(
            shape="prep",
            record=lambda: sheet_record(sheet, vault.root),
            lines=lambda: [text.removesuffix("\n")],
        )
    )
    # Every output path is checked before anything is written; the sheet and the page are
    # written before the note's log line, in one group, so running the command again after a
    # failure logs the sheet once.
    if save:
        vault.check_output(target, create_folder=True)
    if html_path:
        vault.check_output(html_path)
    with vault.together() as written:
        if save:
            existed = target.exists()
            sheet_bytes = (saved_frontmatter(sheet, day) + text).encode("utf-8")
            written.write_file(target, sheet_bytes, create_folder=True)
        if html_path:
            title = f"Coffee chat: {person.name}"
            written.write_file(html_path, html_page(text, title).encode("utf-8"))
        if save and not existed:
            vault.log(person, f"prep sheet: {target.relative_to(vault.root).as_posix()}", now)
    if save:
        say(f"Saved {formatters.display_path(target)}", err=True)
    if html_path:
        say(f"Wrote {formatters.display_path(html_path)}", err=True)
    _keep_plan(vault, person, chat_plan)


def _keep_plan(store: Store, person: Person, chat_plan: ChatPlan) -> None:
    """Keep the chat's plan (when it changed), and say so when its questions are new. A plan
    that cannot be written is a warning, not a failure: the sheet was printed, and only
    tomorrow's may differ."""
    from coffeechat.prep.choose import keep_plan

    try:
        path = keep_plan(store, chat_plan)
    except CoffeechatError as error:
        say(f"Warning: could not keep this chat's questions: {error}", err=True)
        return
    if path and chat_plan.new:
        say(
            f"Kept these questions for the next chat with {' '.join(person.name.split())} "
            f"({formatters.display_path(path)}); `--reshuffle` picks new ones.",
            err=True,
        )


def _banks(store: Store) -> list[Bank]:
    """The question banks, problems with them warned about on stderr."""
    from coffeechat.prep.questions import bank_paths, load_banks

    banks, problems = load_banks(bank_paths(store.layout.question_banks))
    for problem in problems:
        warn(problem)
    return banks


@click.command()
@person_argument
@_minutes_options
@click.option(
    "--record",
    is_flag=True,
    help="Record a call that happened, without the live view: what the options below say.",
)
@click.option(
    "--note", "notes", multiple=True, metavar="TEXT", help="With --record: a note (repeatable)."
)
@click.option(
    "--thanks", default="", metavar="TEXT", help="With --record: one line to thank them for."
)
@click.option(
    "--asked",
    multiple=True,
    type=click.IntRange(1, 30),
    metavar="N",
    help="With --record: the Nth question of the sheet was asked (repeatable).",
)
@click.option("--asked-referral", is_flag=True, help="With --record: you asked about a referral.")
@click.option(
    "--on",
    "started_at",
    metavar="WHEN",
    help="With --record: when the call began. Default: the note's chat: if past, else now.",
)
@pass_state
def call(
    state: State,
    name: str,
    minutes: int | None,
    ask_at: int | None,
    record: bool,
    notes: tuple[str, ...],
    thanks: str,
    asked: tuple[int, ...],
    asked_referral: bool,
    started_at: str | None,
) -> None:
    """Run the call: clock, questions, the referral ask.

    A full-screen view with the time gone and left, the current question and the next ones:
    the same must-ask questions first, the same backups and the same ask minute as the prep
    sheet for this chat, whichever day it was made. At the ask minute the ask takes over the
    screen and the terminal bell rings once. Keys: n next question, a mark it asked, t type
    a one-line note, f finish (Ctrl-C too). On f it asks for one line to thank them for,
    written to them (Esc skips it). The notes, that `Thanks:` line and the questions asked go
    into the note under `### Call DATE` inside `## Notes`, a line goes into `## Log`,
    `chat:` is set if it was empty, and `referral: asked` if you marked the ask asked. Needs
    a terminal (80x24 is enough).

    --record writes the same after the fact, without the view: the notes, the thanks line,
    which of the sheet's questions were asked (by number, as `prep` lists them) and whether
    you asked about a referral.

    \b
    Example:
      coffeechat call priya
      coffeechat call priya --minutes 30
      coffeechat call priya --record --asked 1 --asked 3 --asked-referral \\
          --note "Team is hiring in Q1" --thanks "Your tip on the API design round"
    """
    from datetime import timedelta

    from coffeechat.model.names import label
    from coffeechat.output import call as live
    from coffeechat.prep.choose import plan_for_person
    from coffeechat.when.timefmt import day_and_time

    given = notes or thanks or asked or asked_referral or started_at
    if given and not record:
        raise UsageError("--note, --thanks, --asked, --asked-referral and --on go with --record")
    if not record and not live.has_terminal():
        raise CoffeechatError(
            "`call` needs a terminal to draw in; for a sheet to read or print, use "
            "`coffeechat prep NAME`"
        )
    vault = state.store()
    config = vault.config
    person = state.person(name)
    now = state.now()
    # The chat's kept plan: the questions its prep sheet showed, whichever day it was made.
    chat_plan = plan_for_person(
        vault,
        person,
        now,
        banks=_banks(vault),
        companies=state.companies(),
        journey=state.journey(),
        minutes=minutes,
        ask_at=ask_at,
    )
    plan = chat_plan.plan
    if not record:  # --record keeps it once its options are known to be right
        _keep_plan(vault, person, chat_plan)
    # Opened well before the booked time (a rehearsal, or the README's tour): say so on the
    # screen, and again with what was written.
    booked = ""
    if not record and person.chat is not None and person.chat - now > timedelta(hours=1):
        when = day_and_time(person.chat.astimezone(config.zone), today=config.today(now))
        booked = f"the chat is booked for {when}"
    view = live.CallView(
        title=f"Coffee chat with {person.name}"
        + (f" ({label(person.company)})" if person.company else "")
        + (f"; {booked}" if booked else ""),
        started=now,
        minutes=plan.minutes,
        ask_at=plan.ask_at,
        items=[
            live.Item(picked.text, "must" if picked.must else "backup") for picked in plan.questions
        ],
        ask=plan.ask,
        referral_questions=plan.referral,
        referral_title=plan.referral_title,
        ask_thanks=True,
    )
    if record:
        _recorded(view, person, now, notes, thanks, asked, asked_referral, started_at, config)
        _keep_plan(vault, person, chat_plan)
    else:
        view = live.run_in_terminal(view, state.now)
    started = view.started.astimezone(config.zone)
    section = live.notes_section(view, started.date().isoformat())
    done = sum(item.asked for item in view.items if item.kind != "ask")
    log = f"coffee chat: {done} of {len(plan.questions)} questions asked" + (
        "; asked about a referral" if view.referral_asked else ""
    )
    change = vault.record_call(
        person, section, started, referral_asked=view.referral_asked, log=log
    )
    say(f"{formatters.display_path(change.path)}: {change.summary}")
    if booked:
        say(
            f"Note: {booked}; this call was recorded as of "
            f"{day_and_time(started, today=config.today(now))}",
            err=True,
        )


def _recorded(
    view: CallView,
    person: Person,
    now: datetime,
    notes: tuple[str, ...],
    thanks: str,
    asked: tuple[int, ...],
    asked_referral: bool,
    started_at: str | None,
    config: Config,
) -> None:
    """Fill the call's view as the keys of a live call would have: `call --record`."""
    from coffeechat.output.call import Item
    from coffeechat.when.parse import moment_of, parse_when

    count = len(view.items)
    for number in asked:
        if number > count:
            raise UsageError(f"--asked {number}: the sheet for this chat has {count} questions")
        view.items[number - 1].asked = True
    if asked_referral:
        if view.ask is None:
            raise UsageError(
                "--asked-referral: the sheet for this chat has no referral ask "
                f"(referral: {person.referral or 'none'}, or the chat is closed)"
            )
        view.items.append(Item(view.ask, "ask", asked=True))
    view.notes = [(0, " ".join(note.split())) for note in notes if note.strip()]
    view.thanks = " ".join(thanks.split())
    if started_at:
        view.started = moment_of(parse_when(started_at, now, config.zone), config.zone)
    elif person.chat and person.chat <= now:
        view.started = person.chat
