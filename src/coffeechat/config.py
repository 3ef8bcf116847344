"""`coffeechat.toml`: one table of settings drives loading, checking, `init` and the docs."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coffeechat.errors import ConfigError

CONFIG_NAME = "coffeechat.toml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
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
    wrong = [day for day in value if str(day).lower()[:3] not in WEEKDAYS]
    return f"has unknown days {wrong}; use mon, tue, … sun" if wrong else None


def _check_positive(value: Any) -> str | None:
    return None if value > 0 else "should be a positive whole number"


def _check_not_negative(value: Any) -> str | None:
    return None if value >= 0 else "should be zero or a positive whole number"


def _check_folder(value: Any) -> str | None:
    parts = Path(value).parts
    if not value or Path(value).is_absolute() or ".." in parts:
        return "should be a folder name inside the vault"
    return None


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    check: Callable[[Any], str | None] | None = None


def machine_zone() -> str:
    """The machine's IANA zone name, for `init`'s default; UTC when it cannot be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    try:
        target = os.readlink("/etc/localtime")
        candidates.append(target.split("zoneinfo/", 1)[-1] if "zoneinfo/" in target else "")
    except OSError:
        pass
    for name in candidates:
        if name and _check_zone(name) is None:
            return name
    return "UTC"


SETTINGS = (
    Setting("name", str, "", "Your name, as it goes at the end of your messages."),
    Setting(
        "email",
        str,
        "",
        "Your email address: the From of .eml drafts and the organizer of invitations.",
        lambda value: (
            None
            if not value or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value)
            else "should be an email address such as sam@example.com"
        ),
    ),
    Setting("timezone", str, "UTC", "Your IANA time zone.", _check_zone),
    Setting("school", str, "", "Your school, for finding alumni and shared ground."),
    Setting("student", bool, False, "Whether you are a student; drafts say so when true."),
    Setting(
        "my_companies",
        list,
        [],
        "Companies you have worked at; prep sheets point out people who worked there too.",
    ),
    Setting(
        "looking_for", str, "", 'The work you are looking for, e.g. "backend engineering roles".'
    ),
    Setting(
        "locations",
        list,
        [],
        'Where you can work, e.g. ["Chicago"] or ["Illinois", "Remote (US)"]; `companies` and '
        "`next` flag a company that hires only elsewhere.",
    ),
    Setting(
        "available_days",
        list,
        ["mon", "tue", "wed", "thu", "fri"],
        "The days you can take calls.",
        _check_days,
    ),
    Setting(
        "available_hours", str, "09:00-18:00", "Your hours for calls, in your zone.", _check_hours
    ),
    Setting("chat_minutes", int, 15, "How long a coffee chat lasts, in minutes.", _check_positive),
    Setting(
        "ask_at_minute", int, 10, "The minute of the call to ask for a referral.", _check_positive
    ),
    Setting(
        "contact_hours",
        str,
        "09:00-17:00",
        "The contact's working hours, in their zone.",
        _check_hours,
    ),
    Setting(
        "buffer_minutes",
        int,
        15,
        "Free minutes kept before and after each scheduled chat.",
        _check_not_negative,
    ),
    Setting(
        "busy_calendars",
        list,
        [],
        "Calendar files (.ics) whose events block slots; relative paths are in the vault.",
    ),
    Setting(
        "linkedin_account",
        str,
        "free",
        "free or premium: a connection note may be 200 or 300 characters.",
        lambda value: None if value in ("free", "premium") else "should be free or premium",
    ),
    Setting(
        "nudge_after_days", int, 7, "Days without a reply before a nudge is due.", _check_positive
    ),
    Setting(
        "people_dir", str, "people", "Folder of person notes, inside the vault.", _check_folder
    ),
    Setting(
        "companies_dir",
        str,
        "companies",
        "Folder of company notes, inside the vault.",
        _check_folder,
    ),
)
SETTING_NAMES = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Config:
    name: str = ""
    email: str = ""
    timezone: str = "UTC"
    school: str = ""
    student: bool = False
    my_companies: tuple[str, ...] = ()
    looking_for: str = ""
    locations: tuple[str, ...] = ()
    available_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    available_hours: str = "09:00-18:00"
    chat_minutes: int = 15
    ask_at_minute: int = 10
    contact_hours: str = "09:00-17:00"
    buffer_minutes: int = 15
    busy_calendars: tuple[str, ...] = ()
    linkedin_account: str = "free"
    nudge_after_days: int = 7
    people_dir: str = "people"
    companies_dir: str = "companies"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _type_name(kind: type) -> str:
    return {str: "text", bool: "true or false", int: "a whole number", list: "a list"}[kind]


def load_config(path: Path) -> tuple[Config, list[str]]:
    """The settings in `path`, and warnings for keys it does not know."""
    import tomllib

    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}; fix the TOML syntax") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror}") from None
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
        if key == "available_days":
            value = tuple(str(day).lower()[:3] for day in value)
        elif key in ("busy_calendars", "my_companies", "locations"):
            value = tuple(str(item) for item in value)
        values[key] = value
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
        "# Reference: coffeechat --help, and the README's Settings section.",
        "",
    ]
    for setting in SETTINGS:
        value = overrides.get(setting.name, setting.default)
        lines += [f"# {setting.help}", f"{setting.name} = {_toml_value(value)}", ""]
    return "\n".join(lines)
