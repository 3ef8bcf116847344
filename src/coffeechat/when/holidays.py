"""Public holidays by country, from the `holidays` package (the one the slots use), imported
only when a day must be looked up: it takes a tenth of a second to load and compute."""

from __future__ import annotations

from datetime import date
from functools import cache


@cache
def public_holidays(country: str, year: int) -> dict[date, str]:
    """The public holidays of a country (ISO code) in a year, by day; {} for a country the
    package does not know."""
    import holidays

    try:
        found = holidays.country_holidays(country, years=[year])
    except NotImplementedError:
        return {}
    return {day: str(name) for day, name in found.items()}
