"""What every command shares: output helpers, the error boundary, the lazy vault, options."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from coffeechat.core.errors import CoffeechatError, NoteError, Problem
from coffeechat.model.config import CONFIG_NAME
from coffeechat.model.note import Company, Key, Person
from coffeechat.output import formatters
from coffeechat.when import clock

if TYPE_CHECKING:
    from coffeechat.model.journey import Journey
    from coffeechat.model.note import Change
    from coffeechat.store.vault import Store

F = TypeVar("F", bound=Callable[..., Any])
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def say(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Print human output, on stdout or stderr. It may hold text from notes and imports, so
    every control and bidi character in it is shown as `?` (`formatters.for_terminal`):
    an escape sequence in a name never reaches the terminal. coffeechat's own colours stay."""
    click.echo(formatters.for_terminal(text), err=err, nl=nl, color=formatters.use_colour())


def say_json(data: Any) -> None:
    """Print `--json` output on stdout: the exact text, with controls as `\\uXXXX` escapes."""
    click.echo(formatters.to_json(data))


def say_raw(data: bytes) -> None:
    """Print a file's bytes on stdout exactly as they would be written (`--ics -`): for a
    program to read, built by the core with no control characters in its text values."""
    click.echo(data, nl=False)


@dataclass(frozen=True)
class View:
    """What a command shows, in both forms: `record()` for --json, or `lines()` for a person
    (with `notes()`, said on stderr after them). `State.show` picks one form for the run, so
    no command chooses its output itself; each is built only when it is the one shown."""

    record: Callable[[], Any]
    lines: Callable[[], Iterable[str]]
    notes: Callable[[], Iterable[str]] = tuple
    # The command whose `--json` shape `record()` is (output/shapes.py declares them all).
    shape: str = field(kw_only=True)


def warn(problem: Problem) -> None:
    """A problem on stderr, once per run however many paths lead to it."""
    context = click.get_current_context(silent=True)
    state = context.find_object(State) if context else None
    if state is not None:
        if problem in state.warned:
            return
        state.warned.add(problem)
    say(formatters.problem_line(problem), err=True)


def quoting_bash() -> type[Any]:
    """click's bash completion, quoting what it inserts: a company completes to
    `Fjord\\ Health`, one word to bash, not two. (click's own script inserts each answer as
    it is, so a name with a space broke the command line.) The answer goes through `read -r`
    and `printf %q`, bash's own quoting."""
    from click.shell_completion import BashComplete

    class QuotingBash(BashComplete):
        source_template = BashComplete.source_template.replace(
            "IFS=',' read type value", "IFS=',' read -r type value"
        ).replace("COMPREPLY+=($value)", """COMPREPLY+=("$(printf '%%q' "$value")")""")

    assert QuotingBash.source_template != BashComplete.source_template
    return QuotingBash


class CoffeechatGroup(click.Group):
    """Lists commands in the order a user meets them, imports a command's module only when
    it is asked for, and turns the project's own errors into `Error: …` on stderr and their
    exit code."""

    def __init__(
        self, *args: Any, commands_table: dict[str, tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commands_table = commands_table

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands_table)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands_table:
            return None
        import importlib

        module, name = self.commands_table[cmd_name]
        command: click.Command = getattr(
            importlib.import_module(f"coffeechat.commands.{module}"), name
        )
        return command

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        """Completion, with bash's answers quoted (`quoting_bash`); only when a shell asks."""
        if any(name.endswith("_COMPLETE") for name in os.environ):
            from click.shell_completion import add_completion_class

            add_completion_class(quoting_bash(), "bash")
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoffeechatError as error:
            message = (
                formatters.problem_line(error.problem) if isinstance(error, NoteError) else error
            )
            say(f"Error: {_clipped(str(message))}", err=True)
            ctx.exit(error.exit_code)


# What a refusal quotes back of what it was given (`…`): enough to recognise it. A name or a
# day a program passed may be a megabyte long.
_QUOTED = re.compile(r"`([^`\n]{100,})`")


def _clipped(message: str) -> str:
    """`message` with each long quoted value cut to its start and an ellipsis."""
    return _QUOTED.sub(lambda match: f"`{match.group(1)[:60]}…`", message)


@dataclass
class State:
    vault_option: Path | None
    use_cache: bool = True
    as_json: bool = False  # --json: set once, by the option, for the whole run
    _store: Store | None = field(default=None, repr=False)
    _journey: Journey | None = field(default=None, repr=False)
    warned: set[Problem] = field(default_factory=set, repr=False)

    def store(self) -> Store:
        """The vault's store, opened on first use: `--help` and `init` never load the core."""
        from coffeechat.store.vault import find_vault_root, open_store

        if self._store is None:
            root = find_vault_root(self.vault_option, Path.cwd())
            self._store = open_store(root, use_cache=self.use_cache)
            for warning in self._store.warnings:
                say(warning, err=True)
        return self._store

    def show(self, view: View) -> None:
        """Print the command's result in the form this run asked for."""
        if self.as_json:
            from coffeechat.output.shapes import envelope

            say_json(envelope(view.shape, view.record()))
            return
        for line in view.lines():
            say(line)
        for note in view.notes():
            say(note, err=True)

    def now(self) -> datetime:
        return clock.now()

    def keep_shown(self, on_day: date | None = None) -> None:
        """This run only read the vault: what it printed may be printed again, unchanged,
        while the vault's files stay as they were when it began, and until the next moment
        its answer could change (the next midnight in your zone, the next chat's start),
        counted from when the run began. `on_day`: the answer is as of that day at this
        time of day (`due --on`), whose clock turns too."""
        from coffeechat.store import shown

        if not shown.recording():
            return
        store = self.store()
        root = store.root
        layout = store.layout
        folders = [layout.people, layout.companies, layout.prep, layout.invites]
        folders += [layout.templates, layout.question_banks]
        files = [CONFIG_NAME, store.config.inbox]
        if self.vault_option is None:  # found from here up: a nearer settings file moves it
            here = Path.cwd()
            files += [
                str((f / CONFIG_NAME).relative_to(root))
                for f in (here, *here.parents)
                if f != root and f.is_relative_to(root)
            ]
        until = None
        if not clock.is_fixed():
            chats = [person.chat for person in store.people().notes]
            began_ns = shown.started()
            began = datetime.fromtimestamp(began_ns // 1_000_000_000, UTC)
            began = began.replace(microsecond=began_ns // 1000 % 1_000_000)
            turn = clock.holds_until(began, store.config.zone, chats, on_day)
            if turn is None:
                return
            until = (turn - EPOCH) // timedelta(microseconds=1) * 1000  # exact, no float
        relative = [os.path.relpath(folder, root) for folder in folders]
        inside = not any(folder.startswith("..") for folder in relative)  # watchman sees
        shown.offer(str(root), relative, files, until, store.config.watchman != "off" and inside)

    def people(self) -> list[Person]:
        """Everyone in the vault; each note that cannot be read is named once on stderr."""
        loaded = self.store().people()
        for problem in loaded.problems:
            warn(problem)
        return loaded.notes

    def companies(self) -> list[Company]:
        """Every company note; each one that cannot be read is named once on stderr."""
        loaded = self.store().companies()
        for problem in loaded.problems:
            warn(problem)
        return loaded.notes

    def journey(self) -> Journey:
        """Every application and everyone's part in it, as the notes tell it now."""
        from coffeechat.model.journey import journey_of

        if self._journey is None:
            # Read without a warning: a command names the notes it cannot read itself.
            store = self.store()
            people, companies = store.people().notes, store.companies().notes
            self._journey = journey_of(people, companies, self.now(), store.config.zone)
        return self._journey

    def stage(self, person: Person) -> str:
        """Where one person stands: their company's application and any accepted offer decide
        it, not the other people, so a command about one person reads only the companies."""
        from coffeechat.model.journey import journey_of

        if self._journey is not None:
            return self._journey.stage(person)
        store = self.store()
        companies = store.companies().notes
        return journey_of([person], companies, self.now(), store.config.zone).stage(person)

    def person(self, name: str) -> Person:
        person = self.store().person(name, self.people)
        for problem in person.problems:
            warn(problem)
        return person


pass_state = click.make_pass_decorator(State)


def _choose_json(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    state = ctx.find_object(State)
    if state is not None:
        state.as_json = value


def json_option(command: F) -> F:
    """`--json`: the run's output is JSON (`State.show`)."""
    return click.option(
        "--json",
        is_flag=True,
        expose_value=False,
        callback=_choose_json,
        help="Print JSON for scripts.",
    )(command)


def key_options(keys: tuple[Key, ...]) -> Callable[[F], F]:
    """An option for each key declared with `option=True`: `--company`, `--kind`, `--common`
    (repeatable for a list), with the key's own help and choices."""

    def decorate(command: F) -> F:
        for key in reversed([key for key in keys if key.option]):
            flag = f"--{key.flag or key.name}"
            if key.many:
                option = click.option(
                    flag, key.field, multiple=True, help=f"{key.help} Repeatable."
                )
            elif key.choices:
                option = click.option(
                    flag, key.field, type=click.Choice(key.choices), help=key.help
                )
            else:
                complete = complete_companies if key.name == "company" else None
                option = click.option(flag, key.field, help=key.help, shell_complete=complete)
            command = option(command)
        return command

    return decorate


def given_keys(keys: tuple[Key, ...], values: dict[str, Any]) -> dict[str, Any]:
    """The keys given as options, by key name, lists as lists."""
    given = {}
    for key in keys:
        value = values.get(key.field)
        if value:
            given[key.name] = list(value) if key.many else value
    return given


def _completion_store(ctx: click.Context) -> Store | None:
    """The vault a command line being completed points at, or None: completion never fails."""
    from coffeechat.store.vault import find_vault_root, open_store

    vault = ctx.find_root().params.get("vault")
    try:
        return open_store(find_vault_root(vault, Path.cwd()))
    except (CoffeechatError, OSError):
        return None


def complete_people(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """NAME completes to note file names (`priya-raman`), from the walk of people/ alone: no
    note is opened, so it stays instant on a big vault."""
    from click.shell_completion import CompletionItem

    store = _completion_store(ctx)
    if store is None:
        return []
    wanted = incomplete.casefold()
    stems = {stem for stem in store.person_files() if stem.casefold().startswith(wanted)}
    return [CompletionItem(stem) for stem in sorted(stems)]


def complete_companies(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """--company completes to the company notes' names, from the index cache when it is warm."""
    from click.shell_completion import CompletionItem

    from coffeechat.model.names import name_key

    store = _completion_store(ctx)
    if store is None:
        return []
    wanted = name_key(incomplete)
    names = {c.name for c in store.companies().notes if name_key(c.name).startswith(wanted)}
    return [CompletionItem(name) for name in sorted(names)]


class Words(click.Choice):
    """A choice of names written with `_` that also takes them with `-` (`checked-in`),
    as the inbox and the docs write them: one list of names, two spellings."""

    def normalize_choice(self, choice: Any, ctx: click.Context | None) -> str:
        return super().normalize_choice(choice, ctx).replace("-", "_")


def person_argument(command: F) -> F:
    """NAME: a file name, a full name (any case, accents optional), or a unique part of one."""
    return click.argument("name", shell_complete=complete_people)(command)


def writes(command: F) -> F:
    """Print what a change did: the note and the change on stdout."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        change: Change = command(*args, **kwargs)
        say(f"{formatters.display_path(change.path)}: {change.summary}")

    return wrapper  # type: ignore[return-value]


def not_stdout(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """An output FILE for which `-` would be a file named `-`: refuse it (exit 2). The
    command already prints its text on stdout; the file is what it writes besides."""
    if value is not None and str(value) == "-":
        raise click.BadParameter(
            "`-` would be a file named `-`; what the command prints goes to stdout "
            "already, so give the file a name",
            ctx=ctx,
            param=param,
        )
    return value


def cap_reached(state: State, people: list[Person]) -> str:
    """What to say when this week's cap on first messages is reached; "" when it is not."""
    from datetime import timedelta

    from coffeechat.model.journey import first_messages_in_week, week_start

    config = state.store().config
    if not config.week_messages_cap:
        return ""
    today = config.today(state.now())
    sent = first_messages_in_week(people, today)
    if sent < config.week_messages_cap:
        return ""
    monday = week_start(today) + timedelta(weeks=1)
    return (
        f"{formatters.plural(sent, 'first message')} this week, your cap "
        f"(week_messages_cap = {config.week_messages_cap}): nobody more until Monday "
        f"{monday:%b} {monday.day}"
    )
