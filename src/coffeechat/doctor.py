"""`coffeechat doctor`: every problem in the vault, each with where it is and how to fix it.

It only reads. Besides the notes that cannot be read at all, it looks for what reads fine but
is probably wrong: a typo in a key, milestones in an impossible order, a location with no time
zone, the same person twice, people and companies that do not link up, and question banks of
the vault's own with a question a web search answers.
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from coffeechat.core.errors import NoteError, Problem
from coffeechat.drafts.context import CALL_LINES, call_line_places
from coffeechat.drafts.phrasing import rephrase_hint
from coffeechat.model.body import call_sections, section_lines
from coffeechat.model.lists import split_items
from coffeechat.model.names import company_index, company_key, name_key
from coffeechat.model.note import (
    APPLICATION_STATUSES,
    COMPANY_KEY_NAMES,
    PERSON_KEY_NAMES,
    Company,
    Key,
    Person,
    near_key,
    out_of_order,
)
from coffeechat.model.tags import tag_problem
from coffeechat.store.syncnames import looks_like_copy
from coffeechat.store.vault import Store
from coffeechat.when.zones import guess_zone

# What every note is checked with, imported once above rather than in each check of each note.
# A big vault repeats the same few tags and lists: each is judged once.
_tag_problem = functools.lru_cache(maxsize=4096)(tag_problem)
_split_items = functools.lru_cache(maxsize=4096)(split_items)


@functools.cache
def _keys(person: bool, test: Callable[[Key], bool]) -> tuple[Key, ...]:
    """A note kind's keys that `test` picks, picked once per run rather than once per note."""
    keys = PERSON_KEY_NAMES if person else COMPANY_KEY_NAMES
    return tuple(key for key in keys.values() if test(key))


def _is_list(key: Key) -> bool:
    return key.many


def _written_to(key: Key) -> bool:
    return key.audience == "them"


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    notes_read: int


def _typos(note: Person | Company, known: Iterable[str]) -> list[Problem]:
    found = []
    for key in note.extra:
        close = near_key(key, known)
        if close:
            line = note.key_lines.get(key)
            found.append(Problem(note.path, line, f"unknown key `{key}` — did you mean `{close}`?"))
    return found


def _tags(person: Person) -> list[Problem]:
    problems = [problem for problem in map(_tag_problem, person.tags) if problem]
    if not problems:  # most notes: their key lines need not be decoded
        return []
    line = person.key_lines.get("tags")
    return [
        Problem(person.path, line, f"tags: {problem} (Obsidian would not take it as a tag)")
        for problem in problems
    ]


def _steps(company: Company, today: date) -> list[Problem]:
    """Each `steps:` line the journey cannot read (it is left out of every count and message),
    one dated after today, and an `application:` other than the last step's."""
    from coffeechat.model.journey import read_step

    found = []
    first = company.key_lines.get("steps")
    for number, line in enumerate(company.steps, 1):
        where = first + number if first else None
        step = read_step(line)
        if step is None:
            found.append(
                Problem(
                    company.path,
                    where,
                    f"steps: `{line}` is not a step; write `YYYY-MM-DD STATUS note`, STATUS one "
                    f"of {', '.join(APPLICATION_STATUSES)}",
                )
            )
        elif step.day and step.day > today:
            found.append(Problem(company.path, where, f"steps: `{line}` is after today"))
    dated = [s for s in map(read_step, company.steps) if s and s.day and s.day <= today]
    last = max(dated, key=lambda s: s.day or today).status if dated else ""
    if last and company.application and company.application != last:
        found.append(
            Problem(
                company.path,
                company.key_lines.get("application"),
                f"application: `{company.application}` but the last step says `{last}` — "
                "record the step with `coffeechat company step`, or fix one of them",
            )
        )
    return found


def _accepted_twice(companies: list[Company]) -> list[Problem]:
    accepted = [c for c in companies if c.application == "accepted"]
    return [
        Problem(
            company.path,
            company.key_lines.get("application"),
            f"a second accepted offer ({', '.join(c.name for c in accepted)}): every message "
            "names the first one read — keep the one you took",
        )
        for company in accepted[1:]
    ]


def _order(person: Person) -> list[Problem]:
    return [
        Problem(
            person.path,
            person.key_lines.get(later),
            f"`{later}` is before `{earlier}` — check both dates",
        )
        for earlier, later in out_of_order(person)
    ]


def _written_to_them(note: Person | Company) -> list[Problem]:
    """Values that drafts quote to the contact but that read as notes: a draft leaves them out."""
    found = []
    for key in _keys(isinstance(note, Person), _written_to):
        about_person = isinstance(note, Person)
        text = str(getattr(note, key.field))
        if not text or text.isspace():
            continue  # nothing written: nothing to read as a note
        hint = rephrase_hint(key.name, text, about_person, note.name if about_person else "")
        if hint:
            found.append(Problem(note.path, note.key_lines.get(key.name), hint))
    return found


def _split_lists(note: Person | Company) -> list[Problem]:
    """A flow list that a comma inside an item split against the user's intent:
    `common: [Rockies hiking club (ask about that, lol)]` is two items to YAML."""
    found = []
    for key in _keys(isinstance(note, Person), _is_list):
        items = tuple(getattr(note, key.field))
        if len(items) < 2:
            continue  # nothing to have been split
        for before, item in _split_items(items):
            found.append(
                Problem(
                    note.path,
                    note.key_lines.get(key.name),
                    f"`{key.name}` was split at a comma inside an item (`{before}` and `{item}`): "
                    f'put the item in quotes, {key.name}: ["{before}, {item}"], or write one '
                    "item per line",
                )
            )
    return found


def _body(store: Store, person: Person) -> tuple[str, int] | None:
    """The person's body and the file line it starts on, read once for every check of it;
    None when the file changed since the load so that it is no longer a note (the next load
    reports it)."""
    try:
        return store.body_as_loaded(person)
    except (NoteError, OSError, UnicodeDecodeError):
        return None


def _call_lines_to_them(person: Person, body_at: tuple[str, int] | None) -> list[Problem]:
    """The last call's `Thanks:` and `Next:` lines, which the thank-you quotes to them, when
    they read as notes (a draft leaves them out), at their line in the note."""
    if body_at is None:
        return []
    body, first = body_at
    found = []
    for name, (text, line) in call_line_places(body).items():
        if not text:
            continue  # no such line
        hint = rephrase_hint(f"{CALL_LINES[name]} line", text, True, person.name)
        if hint:
            where = first + line if line is not None else None
            found.append(Problem(person.path, where, hint))
    return found


def _past_chat_without_notes(
    person: Person, body_at: tuple[str, int] | None, now: datetime
) -> list[Problem]:
    if person.chat is None or person.chat > now or person.thanked or body_at is None:
        return []
    body = body_at[0]
    bounds = section_lines(body, "Notes")
    has_notes = bool(call_sections(body)) or (
        bounds is not None
        and any(line.strip() for line in body.splitlines()[bounds[0] + 1 : bounds[1]])
    )
    if has_notes:
        return []
    return [
        Problem(
            person.path,
            person.key_lines.get("chat"),
            "the chat is past but `## Notes` is empty — write down what you learned",
        )
    ]


def _zone(person: Person) -> list[Problem]:
    if person.timezone or not person.location:
        return []
    guess = guess_zone(person.location)
    if guess.zone:
        return []
    return [
        Problem(
            person.path,
            person.key_lines.get("location"),
            f"no time zone for location `{person.location}` ({guess.reason}) — "
            "add `timezone:` with an IANA name such as America/Chicago",
        )
    ]


def _promises(person: Person) -> list[Problem]:
    """A `Next:` line whose time cannot be placed ("soon", "in a few weeks"): it never becomes
    an item until it says when."""
    if len(person.raw_body) <= 10:
        return []
    from coffeechat.core.errors import UsageError
    from coffeechat.model.dated import promises
    from coffeechat.when.parse import promise_day

    found = []
    for written, words, line in promises(person.raw_body):
        try:
            promise_day(words, written)
        except UsageError as error:
            found.append(Problem(person.path, line, f"`Next:` of {written}: {error}"))
    return found


def _duplicates(people: list[Person]) -> list[Problem]:
    groups: dict[tuple[str, str], list[Person]] = defaultdict(list)
    company_key_of = functools.cache(name_key)  # a company's key once, not once per person
    for person in people:
        if person.linkedin:
            groups[("LinkedIn URL", person.linkedin.lower().rstrip("/"))].append(person)
        if person.email:
            groups[("email", person.email.casefold())].append(person)
        both = f"{name_key(person.name)}|{company_key_of(person.company)}"
        groups[("name and company", both)].append(person)
    found = []
    for (what, _), same in groups.items():
        if len(same) < 2:
            continue
        same.sort(key=lambda p: (bool(looks_like_copy(p.path.name)), str(p.path)))
        for duplicate in same[1:]:
            original = same[0]
            hint = "merge the two notes"
            if named := looks_like_copy(duplicate.path.name):
                # `merge` finds a copy by its name: the copy of li-wei.md is li-wei.<suffix>.
                suffix = duplicate.path.name[len(named.original) - 3 :]
                rename = (
                    ""
                    if named.original == original.path.name
                    else f"rename it to {original.path.name[:-3]}{suffix}, then "
                )
                hint = f"a sync conflict copy? {rename}`coffeechat merge {original.stem}`"
            found.append(
                Problem(
                    duplicate.path,
                    None,
                    f"same {what} as {original.path.name} — {hint}",
                )
            )
    return found


def _sync_copies(vault: Store, people: list[Person], companies: list[Company]) -> list[Problem]:
    """Each sync tool's conflict copy, named with its note and the tool; each note named like
    a copy whose original is not there."""
    found = []
    for path, copy in vault.sync_copies():
        in_people = path.resolve().is_relative_to(vault.people_dir.resolve())
        how = f"coffeechat merge {copy.original[:-3]}" if in_people else "coffeechat merge --all"
        found.append(
            Problem(
                path,
                None,
                f"a conflict copy of {copy.original} ({copy.tool}) — merge the two with `{how}`",
            )
        )
    notes: list[Person | Company] = [*people, *companies]
    for note in notes:
        named = looks_like_copy(os.path.basename(note.file))
        if named is not None:
            found.append(
                Problem(
                    note.path,
                    None,
                    f"named like a conflict copy of {named.original} ({named.tool}), which is "
                    f"not there — rename it to {named.original} if it is that note; if it "
                    f"copies another note, rename it to that note's name followed by "
                    f"`{note.path.name[len(named.original) - 3 :]}`, then `coffeechat merge "
                    "NAME`",
                )
            )
    return found  # git's conflict markers come with the notes' own problems


def _links(vault: Store, people: list[Person], companies: list[Company]) -> list[Problem]:
    index = company_index(companies)
    # A former employer (`my_companies`) needs no note: it is where you worked, not a target.
    mine = {company_key(name) for name in vault.config.my_companies}
    linked = {index.group(p.company) for p in people if p.company}
    found = [
        Problem(
            p.path,
            p.key_lines.get("company"),
            f"no company note for `{p.company}` — add one in {vault.config.companies_dir}/ "
            "or fix the name",
        )
        for p in people
        if p.company and index.find(p.company) is None and company_key(p.company) not in mine
    ]
    found += [
        Problem(c.path, None, f"nobody in people/ works at `{c.name}` — add someone or remove it")
        for c in companies
        if c.file not in linked
    ]
    return found


def _banks(vault: Store) -> tuple[list[Problem], int]:
    """The vault's own question banks: readable, and every question one to ask."""
    from coffeechat.prep.questions import banks_outside, lint_banks, load_banks

    folder = vault.layout.question_banks
    paths = sorted(folder.glob("*.md")) if folder.is_dir() else []
    outside = banks_outside(folder) if paths else []
    banks, problems = load_banks([path for path in paths if path not in outside])
    problems += [
        Problem(path, None, "leads outside the vault (a link); a bank is read only from inside it")
        for path in outside
    ]
    return problems + lint_banks(banks), len(paths)


def _templates(vault: Store, now: datetime) -> tuple[list[Problem], int]:
    """The vault's own draft templates, rendered with a sample person."""
    from dataclasses import replace

    from coffeechat.drafts.context import context
    from coffeechat.drafts.kinds import KINDS
    from coffeechat.drafts.make import sample_request
    from coffeechat.drafts.render import TemplateError, render

    folder = vault.layout.templates
    paths = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    problems = []
    for path in paths:
        kind = path.stem.split("-", 1)[0]  # `outreach-short.txt`: a variant of outreach
        if kind not in KINDS:
            problems.append(
                Problem(path, None, f"not a draft kind — name it one of {', '.join(KINDS)}.txt")
            )
            continue
        request = replace(sample_request(vault.config, now), kind=kind)
        try:
            render(path, context(request))
        except TemplateError as error:
            problems.append(error.problem)
    return problems, len(paths)


def diagnose(vault: Store, now: datetime) -> Report:
    loaded_people, loaded_companies = vault.people(), vault.companies()
    people, companies = loaded_people.notes, loaded_companies.notes
    problems = loaded_people.problems + loaded_companies.problems
    for person in people:
        problems += _typos(person, PERSON_KEY_NAMES)
        problems += _written_to_them(person)
        problems += _split_lists(person)
        problems += _order(person)
        body_at = _body(vault, person)
        problems += _past_chat_without_notes(person, body_at, now)
        problems += _call_lines_to_them(person, body_at)
        problems += _zone(person)
        problems += _promises(person)
        problems += _tags(person)
    today = vault.config.today(now)
    for company in companies:
        problems += _typos(company, COMPANY_KEY_NAMES)
        problems += _written_to_them(company)
        problems += _split_lists(company)
        problems += _steps(company, today)
    problems += _accepted_twice(companies)
    problems += _duplicates(people)
    problems += _sync_copies(vault, people, companies)
    problems += _links(vault, people, companies)
    problems += vault.leftovers()
    bank_problems, banks = _banks(vault)
    template_problems, templates = _templates(vault, now)
    problems += bank_problems + template_problems
    unique = sorted(set(problems), key=lambda p: (str(p.path), p.line or 0, p.message))
    return Report(unique, len(people) + len(companies) + banks + templates)
