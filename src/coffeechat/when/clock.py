"""The one clock: every "now" in coffeechat comes from here, so tests can fix it."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from coffeechat.core.errors import UsageError
from coffeechat.core.limits import YEARS

NOW_VARIABLE = "COFFEECHAT_NOW"


def now() -> datetime:
    """The current instant, aware; `COFFEECHAT_NOW` (ISO 8601 with an offset) overrides it."""
    fixed = os.environ.get(NOW_VARIABLE)
    if not fixed:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise UsageError(
            f"{NOW_VARIABLE}={fixed!r} is not an ISO 8601 time with an offset; "
            "use e.g. 2026-11-23T09:00:00-05:00"
        )
    if not YEARS[0] <= moment.year <= YEARS[1]:  # the years a note's dates may have
        raise UsageError(
            f"{NOW_VARIABLE}={fixed!r} is not a usable date (years {YEARS[0]}-{YEARS[1]})"
        )
    return moment
