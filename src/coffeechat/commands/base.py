"""What every command shares: output helpers, the error boundary, the lazy vault, options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from coffeechat import clock, formatters
from coffeechat.errors import CoffeechatError, NoteError, Problem
from coffeechat.note import Company, Person

if TYPE_CHECKING:
    from coffeechat.changes import Change
    from coffeechat.vault import Vault

F = TypeVar("F", bound=Callable[..., Any])


def say(text: str = "", err: bool = False) -> None:
    click.echo(text, err=err, color=formatters.use_colour())


def warn(problem: Problem) -> None:
    """A problem on stderr, once per run however many paths lead to it."""
    context = click.get_current_context(silent=True)
    state = context.find_object(State) if context else None
    if state is not None:
        if problem in state.warned:
            return
        state.warned.add(problem)
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
    use_cache: bool = True
    _vault: Vault | None = field(default=None, repr=False)
    _people: list[Person] | None = field(default=None, repr=False)
    _companies: list[Company] | None = field(default=None, repr=False)
    warned: set[Problem] = field(default_factory=set, repr=False)

    def vault(self) -> Vault:
        """The vault, opened on first use: `--help` and `init` never load the core."""
        from coffeechat.vault import find_vault_root, open_vault

        if self._vault is None:
            root = find_vault_root(self.vault_option, Path.cwd())
            self._vault = open_vault(root, use_cache=self.use_cache)
            for warning in self._vault.warnings:
                say(warning, err=True)
        return self._vault

    def now(self) -> datetime:
        return clock.now()

    def people(self) -> list[Person]:
        """Everyone in the vault; each note that cannot be read is named once on stderr."""
        from coffeechat.vault import load_people

        if self._people is None:
            self._people, problems = load_people(self.vault())
            for problem in problems:
                warn(problem)
        return self._people

    def companies(self) -> list[Company]:
        """Every company note; each one that cannot be read is named once on stderr."""
        from coffeechat.vault import load_companies

        if self._companies is None:
            self._companies, problems = load_companies(self.vault())
            for problem in problems:
                warn(problem)
        return self._companies

    def person(self, name: str) -> Person:
        from coffeechat.vault import find_person

        return find_person(self.vault(), name, self.people)


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
