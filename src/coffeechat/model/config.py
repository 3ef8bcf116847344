"""`coffeechat.toml`: one table of settings drives loading, checking, `init` and the docs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coffeechat.core.errors import ConfigError
from coffeechat.when.timefmt import SHORT_WEEKDAYS

CONFIG_NAME = "coffeechat.toml"
WEEKDAYS = tuple(day.lower() for day in SHORT_WEEKDAYS)
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def _check_zone(value: Any) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "is not a known IANA time zone, e.g. America/New_York"
    return None


def _check_hours(value: Any) -> str | None:
    match = _HOURS.match(value)
    if not match or match.group(1, 2) >= match.group(3, 4):
        return "should be a range of 24-hour times such as 09:00-17:00"
    return None


def _check_days(value: Any) -> str | None:
    if not value:
        return 'is empty; list the days you can take calls, e.g. ["mon", "wed"]'
    wrong = [day for day in value if not isinstance(day, str) or day.lower()[:3] not in WEEKDAYS]
    return f"has unknown days {wrong}; use mon, tue, … sun" if wrong else None


def _check_texts(value: Any) -> str | None:
    if any(not isinstance(item, str) or not item.strip() for item in value):
        return 'should be a list of text, e.g. ["a", "b"]'
    return None


def _check_between(low: int, high: int, what: str) -> Callable[[Any], str | None]:
    """A check that a whole number lies in [low, high]; `what` says why the top is there."""

    def check(value: Any) -> str | None:
        if low <= value <= high:
            return None
        return f"should be a whole number from {low} to {high} ({what})"

    return check


def _control(value: str) -> str:
    """`; not a control character (…)` when a file name holds one (a NUL cannot name a file
    at all), else nothing."""
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return "; take out the control character (a NUL, a line break, an escape)"
    return ""


def _check_folder(value: Any) -> str | None:
    parts = Path(value).parts
    if not value or Path(value).is_absolute() or ".." in parts or _control(value):
        return "should be a folder name inside the vault" + _control(value)
    return None


def _check_inbox(value: Any) -> str | None:
    if (
        not value.endswith(".md")
        or "/" in value
        or "\\" in value
        or value.startswith(".")
        or _control(value)
    ):
        return "should be a Markdown file name at the vault's root, such as inbox.md" + _control(
            value
        )
    return None


def _check_watchman(value: Any) -> str | None:
    return None if value in ("auto", "off") else "should be auto or off"


@dataclass(frozen=True)
class Setting:
    """One setting: what it is for and how its value is checked. Declared on a `Config`
    field, which gives its name, type and default; `tidy` puts a valid value in its stored
    form (lists become tuples)."""

    help: str
    check: Callable[[Any], str | None] | None = None
    tidy: Callable[[Any], Any] | None = None
    name: str = ""
    type: type = str
    default: Any = None


def machine_zone() -> str:
    """The machine's IANA zone name, for `init`'s default; UTC when it cannot be told.
    tzlocal (installed with dateparser, imported only here) reads $TZ, /etc/localtime and
    its kin, macOS's settings and the Windows registry."""
    import warnings

    import tzlocal

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it warns when two of those sources disagree
            name = tzlocal.get_localzone_name()
    except Exception:  # a broken setup raises its own errors; UTC is the safe default
        name = None
    return name if name and _check_zone(name) is None else "UTC"


def _check_cadences(value: Any) -> str | None:
    from coffeechat.model.kinds import cadence_days

    if _check_texts(value):
        return _check_texts(value)
    for item in value:
        parts = item.split()
        try:
            if len(parts) != 2:
                raise ValueError(item)
            cadence_days(parts[1])
        except ValueError:
            return f'has `{item}`; write each as "NAME DAYS" or "NAME never", e.g. "recruiter 180"'
    return None


def _check_email(value: Any) -> str | None:
    if not value or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        return None
    return "should be an email address such as sam@example.com"


def _check_account(value: Any) -> str | None:
    return None if value in ("free", "premium") else "should be free or premium"


def _days(value: list[Any]) -> tuple[str, ...]:
    return tuple(str(day).lower()[:3] for day in value)


@dataclass(frozen=True)
class Config:
    """The settings, each declared once: its type, default, help and check."""

    name: Annotated[str, Setting("Your name, as it goes at the end of your messages.")] = ""
    email: Annotated[
        str,
        Setting(
            "Your email address: the From of .eml drafts and the organizer of invitations.",
            _check_email,
        ),
    ] = ""
    timezone: Annotated[str, Setting("Your IANA time zone.", _check_zone)] = "UTC"
    school: Annotated[str, Setting("Your school, for finding alumni and shared ground.")] = ""
    student: Annotated[bool, Setting("Whether you are a student; drafts say so when true.")] = False
    my_companies: Annotated[
        tuple[str, ...],
        Setting(
            "Companies you have worked at; prep sheets point out people who worked there too.",
            _check_texts,
        ),
    ] = ()
    looking_for: Annotated[
        str, Setting('The work you are looking for, e.g. "backend engineering roles".')
    ] = ""
    locations: Annotated[
        tuple[str, ...],
        Setting(
            'Where you can work, e.g. ["Chicago"] or ["Illinois", "Remote (US)"]; `companies` '
            "and `next` flag a company that hires only elsewhere.",
            _check_texts,
        ),
    ] = ()
    resume: Annotated[
        str,
        Setting(
            "Your resume: a link, or the file you attach; an agreed referral's thank-you "
            "offers it.",
        ),
    ] = ""
    available_days: Annotated[
        tuple[str, ...], Setting("The days you can take calls.", _check_days, _days)
    ] = ("mon", "tue", "wed", "thu", "fri")
    available_hours: Annotated[
        str, Setting("Your hours for calls, in your zone.", _check_hours)
    ] = "09:00-18:00"
    chat_minutes: Annotated[
        int,
        Setting(
            "How long a coffee chat lasts, in minutes.",
            _check_between(1, 240, "at most four hours"),
        ),
    ] = 15
    ask_at_minute: Annotated[
        int,
        Setting(
            "The minute of the call to ask for a referral.",
            _check_between(1, 239, "within a call of at most four hours"),
        ),
    ] = 10
    contact_hours: Annotated[
        str, Setting("The contact's working hours, in their zone.", _check_hours)
    ] = "09:00-17:00"
    buffer_minutes: Annotated[
        int,
        Setting(
            "Free minutes kept before and after each scheduled chat.",
            _check_between(0, 1440, "at most a day"),
        ),
    ] = 15
    busy_calendars: Annotated[
        tuple[str, ...],
        Setting(
            "Calendar files (.ics) whose events block slots; relative paths are in the vault.",
            _check_texts,
        ),
    ] = ()
    linkedin_account: Annotated[
        str,
        Setting("free or premium: a connection note may be 200 or 300 characters.", _check_account),
    ] = "free"
    nudge_after_days: Annotated[
        int,
        Setting(
            "Days without a reply before a nudge is due.", _check_between(1, 365, "at most a year")
        ),
    ] = 7
    keep_in_touch_days: Annotated[
        int,
        Setting(
            "Days after the last touch of any sort (a milestone, a `## Log` line, a call) "
            "before a keep-in-touch item is due; 0: never, unless a kind, tag or note says.",
            _check_between(0, 3650, "at most ten years"),
        ),
    ] = 90
    keep_in_touch_by: Annotated[
        tuple[str, ...],
        Setting(
            'Cadences by kind or tag, each "NAME DAYS" or "NAME never", e.g. '
            '["recruiter 180", "mentor 30", "family never"]; a note\'s own `keep_in_touch` wins.',
            _check_cadences,
        ),
    ] = ()
    keep_in_touch_per_day: Annotated[
        int,
        Setting(
            "Keep-in-touch items listed a day at most, the longest waiting first (`due --all` "
            "lists them all).",
            _check_between(1, 100, "a handful is what gets written"),
        ),
    ] = 3
    week_messages_goal: Annotated[
        int,
        Setting(
            "First messages a week you aim for; `stats --week` counts the weeks in a row that "
            "met it (0: no goal).",
            _check_between(0, 1000, "at most a thousand"),
        ),
    ] = 5
    week_chats_goal: Annotated[
        int,
        Setting(
            "Coffee chats a week you aim for; `stats --week` counts the weeks in a row that "
            "met it (0: no goal).",
            _check_between(0, 100, "at most a hundred"),
        ),
    ] = 1
    week_messages_cap: Annotated[
        int,
        Setting(
            "The most first messages to send in a week (Monday to Sunday): once reached, "
            "`next` suggests nobody more until Monday and `draft outreach` warns (0: no cap).",
            _check_between(0, 1000, "at most a thousand"),
        ),
    ] = 0
    inbox: Annotated[
        str,
        Setting(
            "The inbox file at the vault's root: one line per thing that happened, written "
            "from any device; `coffeechat inbox` files each line into its note.",
            _check_inbox,
        ),
    ] = "inbox.md"
    people_dir: Annotated[
        str, Setting("Folder of person notes, inside the vault.", _check_folder)
    ] = "people"
    companies_dir: Annotated[
        str, Setting("Folder of company notes, inside the vault.", _check_folder)
    ] = "companies"
    watchman: Annotated[
        str,
        Setting(
            '"auto": when a watchman server runs and pywatchman is installed, ask it which '
            'notes changed instead of looking at every file (docs/speed.md); "off": never.',
            _check_watchman,
        ),
    ] = "auto"

    def cadence(self, kind: str, tags: tuple[str, ...], own: str = "") -> int | None:
        """Days between touches for someone (None: never): their note's own `keep_in_touch`,
        else the shortest of `keep_in_touch_by` naming one of their tags, else their kind's,
        else `keep_in_touch_days`."""
        from coffeechat.model.kinds import cadence_days

        if own:
            return cadence_days(own)
        by = self._cadences
        named = [by[tag.casefold()] for tag in tags if tag.casefold() in by]
        if named:
            days = [value for value in named if value is not None]
            return min(days) if days else None
        if kind.casefold() in by:
            return by[kind.casefold()]
        return self.keep_in_touch_days or None

    @property
    def _cadences(self) -> dict[str, int | None]:
        from coffeechat.model.kinds import cadence_days

        found = {}
        for item in self.keep_in_touch_by:
            name, days = item.split()
            found[name.casefold()] = cadence_days(days)
        return found

    @property
    def shortest_cadence(self) -> int | None:
        """The fewest days any kind, tag or the default asks for (None: all never)."""
        days = [d for d in (*self._cadences.values(), self.keep_in_touch_days or None) if d]
        return min(days) if days else None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self, now: datetime) -> date:
        """The day it is for you at `now`, in your zone."""
        return now.astimezone(self.zone).date()


def _declared_settings() -> tuple[Setting, ...]:
    """The `Setting` annotations of Config's fields, each told its name, TOML type and
    default."""
    import typing
    from dataclasses import fields, replace

    hints = typing.get_type_hints(Config, include_extras=True)
    found = []
    for field in fields(Config):
        hint = hints[field.name]
        (setting,) = [meta for meta in hint.__metadata__ if isinstance(meta, Setting)]
        kind = typing.get_origin(hint.__origin__) or hint.__origin__
        toml_type = list if kind is tuple else kind
        default: Any = field.default
        if toml_type is list:
            default = list(default)
        tidy = setting.tidy or (tuple if toml_type is list else None)
        found.append(replace(setting, name=field.name, type=toml_type, default=default, tidy=tidy))
    return tuple(found)


SETTINGS = _declared_settings()
SETTING_NAMES = {setting.name: setting for setting in SETTINGS}


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _type_name(kind: type) -> str:
    return {str: "text", bool: "true or false", int: "a whole number", list: "a list"}[kind]


def load_config(path: Path, raw: bytes) -> tuple[Config, list[str]]:
    """The settings in `raw`, the bytes of the file at `path`, and warnings for keys it does
    not know."""
    import tomllib

    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}; fix the TOML syntax") from None
    values: dict[str, Any] = {}
    warnings: list[str] = []
    errors: list[str] = []
    for key, value in data.items():
        setting = SETTING_NAMES.get(key)
        line = _key_line(text, key)
        where = f"{path}:{line}" if line else str(path)
        if setting is None:
            warnings.append(f"{where}: unknown setting `{key}`; it is ignored")
            continue
        wrong_type = not isinstance(value, setting.type) or (
            setting.type is int and isinstance(value, bool)
        )
        if wrong_type:
            errors.append(f"{where}: `{key}` should be {_type_name(setting.type)}")
            continue
        reason = setting.check(value) if setting.check else None
        if reason:
            errors.append(f"{where}: `{key}` {reason}")
            continue
        values[key] = setting.tidy(value) if setting.tidy else value
    if errors:
        raise ConfigError("\n".join(errors))
    config = Config(**values)
    if config.ask_at_minute >= config.chat_minutes:
        line = _key_line(text, "ask_at_minute")
        raise ConfigError(
            f"{path}:{line or 1}: `ask_at_minute` ({config.ask_at_minute}) must come before "
            f"the end of the call (`chat_minutes` = {config.chat_minutes})"
        )
    return config, warnings


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def config_text(overrides: dict[str, Any]) -> str:
    """The commented `coffeechat.toml` that `init` writes: every setting, each explained."""
    lines = [
        "# coffeechat settings. Every setting is listed; edit the values, keep the names.",
        "# Reference: coffeechat --help, and docs/settings.md.",
        "",
    ]
    for setting in SETTINGS:
        value = overrides.get(setting.name, setting.default)
        lines += [f"# {setting.help}", f"{setting.name} = {_toml_value(value)}", ""]
    return "\n".join(lines)
