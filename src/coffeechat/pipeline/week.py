"""`stats --week`: this week's messages, replies, chats and referrals, the goal, the streak.

Counted from the journey's dated facts (`model.journey.dated_facts`); weeks run Monday to
Sunday in your zone. The goal is two settings, `week_messages_goal` and `week_chats_goal`
(0 leaves one out); a week meets it when it reaches every goal set. The streak counts the
weeks in a row, back from last week, that met it, and this week too once it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from coffeechat.model.config import Config
from coffeechat.model.journey import WEEK_FACTS, Journey, dated_facts, week_start
from coffeechat.model.note import Person

# How many weeks the table shows, this one included.
SHOWN_WEEKS = 4


@dataclass(frozen=True)
class Week:
    start: date
    counts: dict[str, int]
    met: bool | None  # None: no goal set


@dataclass(frozen=True)
class WeekStats:
    today: date
    weeks: list[Week]  # oldest first; the last is this week
    goals: dict[str, int]  # the goals set, by WEEK_FACTS name
    streak: int
    cap: int  # 0: no cap
    cap_reached: bool

    @property
    def this_week(self) -> Week:
        return self.weeks[-1]


def goals_of(config: Config) -> dict[str, int]:
    goals = {"messages": config.week_messages_goal, "chats": config.week_chats_goal}
    return {name: value for name, value in goals.items() if value}


def week_stats(people: list[Person], journey: Journey, config: Config) -> WeekStats:
    today = journey.now.astimezone(config.zone).date()
    this = week_start(today)
    by_week: dict[date, dict[str, int]] = {}
    for name, day in dated_facts(journey, people):
        if day > today:
            continue
        counts = by_week.setdefault(week_start(day), dict.fromkeys(WEEK_FACTS, 0))
        counts[name] += 1
    goals = goals_of(config)

    def week(start: date) -> Week:
        counts = by_week.get(start, dict.fromkeys(WEEK_FACTS, 0))
        met = all(counts[name] >= goal for name, goal in goals.items()) if goals else None
        return Week(start, counts, met)

    streak = 0
    if goals:
        first = min(by_week, default=this)
        start = this - timedelta(weeks=1)
        while start >= first and week(start).met:
            streak += 1
            start -= timedelta(weeks=1)
        if week(this).met:
            streak += 1
    weeks = [week(this - timedelta(weeks=n)) for n in reversed(range(SHOWN_WEEKS))]
    cap = config.week_messages_cap
    return WeekStats(
        today, weeks, goals, streak, cap, bool(cap) and weeks[-1].counts["messages"] >= cap
    )
