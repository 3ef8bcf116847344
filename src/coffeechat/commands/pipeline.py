"""The search as a whole: due, stats, companies, company add, next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from coffeechat.commands.base import (
    State,
    View,
    cap_reached,
    complete_companies,
    given_keys,
    json_option,
    key_options,
    pass_state,
    say,
    say_raw,
)
from coffeechat.core.errors import UsageError
from coffeechat.model.note import APPLICATION_STATUSES, COMPANY_KEYS
from coffeechat.output import formatters


@click.command()
@click.option("--on", "on_day", metavar="DATE", help="See the list as of another day.")
@click.option(
    "--all", "everything", is_flag=True, help="Also items more than two weeks late, and coverage."
)
@click.option(
    "--ics",
    "ics_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the items as a calendar to subscribe to ('-' for stdout).",
)
@json_option
@pass_state
def due(state: State, on_day: str | None, everything: bool, ics_path: Path | None) -> None:
    """List what is due today, most urgent first.

    Each item comes with the command that does it: chats today and tomorrow, replies waiting
    for times, thank-yous, connection requests, what an agreed referral needs, nudges, moving
    on after a silent week, referral check-ins, updates owed, and (on Mondays) target
    companies missing an engineer, a manager or a recruiter. The rules table in docs/daily.md
    says when each falls due.

    Items more than two weeks late leave the list; --all shows them. --ics writes the list,
    and what falls due in the next two weeks, as all-day events for a calendar app.

    \b
    Example:
      coffeechat due
      coffeechat due --on tomorrow --json
      coffeechat due --ics ~/calendars/coffeechat.ics
    """
    from datetime import datetime, timedelta

    from coffeechat.pipeline.due import due_items
    from coffeechat.when.parse import parse_when

    vault = state.store()
    config = vault.config
    now = state.now().astimezone(config.zone)
    if on_day:
        day = parse_when(on_day, now, config.zone).day
        now = datetime.combine(day, now.timetz())
    people = state.people()
    companies = state.companies()
    if ics_path is not None:
        from coffeechat.pipeline.reminders import DAYS_AHEAD, EXPORT_BYTES, due_ics, last_sequence

        today = now.date()
        found = due_items(
            people,
            companies,
            config,
            now,
            until=today + timedelta(days=DAYS_AHEAD),
            everything=everything,
            with_done=True,
            holidays=vault.holidays,
        )
        to_stdout = str(ics_path) == "-"
        data = due_ics(
            found,
            today,
            now,
            organizer_email=config.email,
            organizer_name=config.name,
            after_sequence=0
            if to_stdout
            else last_sequence(vault.earlier_output(ics_path, EXPORT_BYTES)),
        )
        if to_stdout:
            say_raw(data)
            return
        vault.write_file(ics_path, data)
        shown = formatters.display_path(ics_path)
        say(f"{shown}: {len(found.items)} due, {len(found.done)} done lately", err=True)
        return
    listed = due_items(
        people, companies, config, now, everything=everything, holidays=vault.holidays
    )
    waiting = vault.inbox_waiting()
    inbox_note = (
        f"{formatters.display_path(vault.inbox_path)}: "
        f"{formatters.plural(waiting, 'line')} to file: coffeechat inbox"
    )
    state.show(
        View(
            shape="due",
            record=lambda: [formatters.due_record(item, vault.root) for item in listed.items],
            lines=lambda: ["\n".join(formatters.due_lines(listed, now.date()))],
            notes=lambda: [inbox_note] if waiting else [],
        )
    )
    state.keep_shown(on_day=now.date() if on_day else None)


@click.command()
@click.option("--since", metavar="DATE", help="Only people first messaged on or after DATE.")
@click.option(
    "--week",
    is_flag=True,
    help="This week instead: messages, replies, chats, referrals, the goal and the streak.",
)
@click.option(
    "--by",
    "by_key",
    metavar="KEY",
    help="Instead: first messages sent and replied to by a key's value, e.g. template, or "
    "a key of your own such as variant.",
)
@json_option
@pass_state
def stats(state: State, since: str | None, week: bool, by_key: str | None) -> None:
    """Show the funnel, the applications, reply times and reply rates.

    People collected, messaged, replied, chatted and referred, with the rate from each step
    to the next; applications made, interviewed (a final-round rejection counts), offered and
    accepted, from the company notes' steps; the median days from a message to a reply; and
    the reply rate by connection, by kind and by company. Bars on a terminal.

    --week shows this week (Monday to Sunday) and the three before it: first messages,
    follow-ups, replies, chats and referrals; whether each met your goal
    (week_messages_goal, week_chats_goal), the weeks in a row that did, and the weekly cap
    on first messages (week_messages_cap). --by KEY shows, for each value of KEY, the first
    messages sent, the replies and the rate, and says when too few were sent to tell:
    `template` is the draft template `mark NAME messaged --template` recorded.

    \b
    Example:
      coffeechat stats
      coffeechat stats --since 2026-11-01 --json
      coffeechat stats --week
      coffeechat stats --by template
    """
    import sys

    from coffeechat.pipeline.funnel import interview_evidence
    from coffeechat.pipeline.funnel import stats as funnel
    from coffeechat.when.parse import parse_day

    if week and (by_key or since):
        raise UsageError("--week shows this week alone; leave out --by and --since")
    vault = state.store()
    now = state.now()
    start = parse_day(since, now, vault.config.zone) if since else None
    people = state.people()
    if week:
        from coffeechat.pipeline.week import week_stats

        weekly = week_stats(people, state.journey(), vault.config)
        state.show(
            View(
                shape="stats --week",
                record=lambda: formatters.week_record(weekly),
                lines=lambda: ["\n".join(formatters.week_lines(weekly))],
            )
        )
        state.keep_shown()
        return
    if by_key:
        from coffeechat.pipeline.funnel import by_key as grouped

        key = by_key.strip()
        groups = grouped(people, state.journey(), key, start)
        state.show(
            View(
                shape="stats --by",
                record=lambda: formatters.by_key_record(key, groups, start),
                lines=lambda: ["\n".join(formatters.by_key_lines(key, groups))],
            )
        )
        state.keep_shown()
        return
    result = funnel(
        people,
        state.journey(),
        start,
        told_of_interview=lambda person: interview_evidence(vault.body(person)),
    )
    state.show(
        View(
            shape="stats",
            record=lambda: formatters.stats_record(result),
            lines=lambda: ["\n".join(formatters.stats_lines(result, bars=sys.stdout.isatty()))],
        )
    )
    state.keep_shown()


NO_COMPANIES = "No company notes yet; add one with `coffeechat company add NAME`."


@click.command()
@json_option
@pass_state
def companies(state: State) -> None:
    """List target companies and who you have at each.

    Coverage is against the recommended mix of one or two engineers, managers or leads, and
    recruiters; GAPS names what is missing. People link to a company note by name (any
    case, accents optional, "Stripe, Inc." = "Stripe").

    \b
    Example:
      coffeechat companies
    """
    from coffeechat.pipeline.coverage import coverage

    vault = state.store()
    people = state.people()
    notes = state.companies()
    rows = coverage(people, notes, state.now(), vault.config.locations)
    state.show(
        View(
            shape="companies",
            record=lambda: [formatters.coverage_record(row, vault.root) for row in rows],
            lines=lambda: ["\n".join(formatters.coverage_lines(rows))] if rows else [],
            notes=lambda: [] if rows else [NO_COMPANIES],
        )
    )
    state.keep_shown()


@click.group()
def company() -> None:
    """Add a company note, or record a step of your application there.

    \b
    Example:
      coffeechat company add "Lumen Pay" --hiring growth --priority 1
      coffeechat company step "Lumen Pay" applied
    """


@company.command(name="add")
@click.argument("name")
@key_options(COMPANY_KEYS)
@pass_state
def company_add(state: State, name: str, **values: Any) -> None:
    """Add a company to your target list: a new note in companies/.

    Its status is `target` unless --status says otherwise.

    \b
    Example:
      coffeechat company add "Lumen Pay" --remote hybrid --stack Go --stack Postgres \\
          --hiring growth --in "I use their app every month" --priority 1
    """
    change = state.store().add_company(name, given_keys(COMPANY_KEYS, values), state.now())
    say(f"{formatters.display_path(change.path)}: {change.summary}")


@company.command(name="step")
@click.argument("name", shell_complete=complete_companies)
@click.argument("status", type=click.Choice(APPLICATION_STATUSES))
@click.option("--on", "on_day", metavar="DATE", help="The day it happened. Default: today.")
@click.option("--note", default="", help="A few words kept beside the step: the round, the team.")
@click.option("--decide-by", metavar="DATE", help="With an offer: the day to answer it by.")
@pass_state
def company_step(
    state: State, name: str, status: str, on_day: str | None, note: str, decide_by: str | None
) -> None:
    """Record a step of your application at a company, dated.

    Sets `application:` to STATUS and adds a dated line to the company note's `steps:` (the
    history every update, sheet and count reads); the first `applied` also sets `applied:`.
    An offer you received is `offer`; your answer is `accepted` or `declined`. Who helped
    before the step is then due an update (`coffeechat due`).

    \b
    Example:
      coffeechat company step "Fjord Health" interviewing --note "final round on Dec 2"
      coffeechat company step "Fjord Health" offer --on yesterday --decide-by 2026-12-11
      coffeechat company step "Fjord Health" accepted
    """
    from coffeechat.model.journey import step_changes
    from coffeechat.when.parse import parse_day

    vault = state.store()
    now, zone = state.now(), vault.config.zone
    day = parse_day(on_day, now, zone) if on_day else vault.config.today(now)
    deadline = parse_day(decide_by, now, zone) if decide_by else None
    found = vault.company(name)
    today = vault.config.today(now)
    change = vault.edit_company(
        found, lambda current: step_changes(current, status, day, today, note, deadline)
    )
    say(f"{formatters.display_path(change.path)}: {change.summary}")


@click.command(name="next")
@click.option(
    "--company",
    "company_name",
    help="Only people at this company.",
    shell_complete=complete_companies,
)
@click.option(
    "--count", default=10, show_default=True, type=click.IntRange(1, 1000), help="How many to show."
)
@click.option(
    "--intros",
    is_flag=True,
    help="Instead: pairs of people you know who would be glad to know each other.",
)
@click.option(
    "--ignore-cap",
    is_flag=True,
    help="List people even when this week's cap on first messages is reached.",
)
@json_option
@pass_state
def next_(
    state: State, company_name: str | None, count: int, intros: bool, ignore_cap: bool
) -> None:
    """Rank who to contact next, with the reasons.

    Only people you have not contacted yet, most likely to help first. With --intros, pairs
    of people you know (they replied, or you had a chat) who share a school, a company (now
    or before), a `common` interest or a tag, and are not linked by `mutual` or
    `introduced_by`: each with what they share, the most shared first, in the same order on
    every run.

    Each gets points, printed with the reasons: at a company on your list, 1st-degree or
    introduced, alumni or same school, things in common, a title close to what you want,
    seniority, and nobody at their company contacted yet. docs/daily.md lists the points.

    With a weekly cap on first messages (week_messages_cap) reached, it suggests nobody
    more until Monday; --ignore-cap lists them anyway.

    \b
    Example:
      coffeechat next
      coffeechat next --company "Fjord Health" --count 3
      coffeechat next --intros
    """
    from coffeechat.model.names import company_key
    from coffeechat.pipeline.next import introductions, rank_next

    vault = state.store()
    people = state.people()
    if intros:
        pairs = introductions(people, state.now())[:count]
        state.show(
            View(
                shape="next --intros",
                record=lambda: [formatters.pair_record(pair, vault.root) for pair in pairs],
                lines=lambda: [formatters.pair_line(pair) for pair in pairs],
                notes=lambda: (
                    []
                    if pairs
                    else ["Nobody you know shares a school, a company, an interest or a tag yet."]
                ),
            )
        )
        state.keep_shown()
        return
    notes = state.companies()
    ranked = rank_next(people, notes, vault.config, state.now())
    if company_name:
        ranked = [c for c in ranked if company_key(c.person.company) == company_key(company_name)]
    ranked = ranked[:count]
    accepted = state.journey().accepted
    nobody = (
        f"You accepted the offer at {accepted.company}: nobody new to contact."
        if accepted
        else "Nobody left to contact; add people with `coffeechat add NAME` or "
        "`coffeechat import linkedin FILE`."
    )
    capped = cap_reached(state, people)
    if capped and ranked and not ignore_cap:
        ranked, nobody = [], capped + "; --ignore-cap lists them anyway."
    state.show(
        View(
            shape="next",
            record=lambda: [formatters.candidate_record(c, vault.root) for c in ranked],
            lines=lambda: ["\n".join(formatters.candidate_lines(ranked))] if ranked else [],
            notes=lambda: [] if ranked else [nobody],
        )
    )
    state.keep_shown()
