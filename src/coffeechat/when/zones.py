"""A contact's time zone, from `timezone:` or inferred offline from a LinkedIn-style location.

The gazetteer is data/places.sqlite, built from GeoNames by tools/build_places.py: cities of
15,000 people or more with their IANA zone, and towns of 1,000 or more in the states and
provinces whose towns keep more than one clock (Oregon, Indiana, Ontario…); states and
provinces, and countries, each with the zone most of its people live in and that zone's share.
A town the gazetteer does not know in a state with more than one clock gets the state's main
zone, marked as a guess. Zones with the
same UTC offsets in 2025-2029 (America/Boise and America/Denver) count as one.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

PLACES = Path(__file__).parent.parent / "data" / "places.sqlite"

# A region or country resolves to one zone only when that zone holds this share of its people.
MAJORITY = 0.8
# Another place of the same name this big, relative to the likeliest, makes a name ambiguous.
RIVAL_SHARE = 0.1
ALTERNATE_NAME_WEIGHT = 0.2

NO_ZONE = frozenset(
    {
        *("remote", "worldwide", "anywhere", "global", "earth", "world", "international"),
        *("distributed", "nomad", "emea", "apac", "latam", "americas", "europe", "asia"),
        *("africa", "oceania"),
    }
)

# Metro names with no city in them, as LinkedIn and people write them -> a city in the metro.
METRO_ALIASES = {
    "bay area": ("san francisco", "US"),
    "chicagoland": ("chicago", "US"),
    "east bay": ("oakland", "US"),
    "south florida": ("miami", "US"),
    "north texas": ("dallas", "US"),
    "central texas": ("austin", "US"),
    "front range": ("denver", "US"),
    "wasatch front": ("salt lake city", "US"),
    "treasure valley": ("boise", "US"),
    "valley of the sun": ("phoenix", "US"),
    "lehigh valley": ("allentown", "US"),
    "metro detroit": ("detroit", "US"),
    "golden horseshoe": ("toronto", "CA"),
    "sf": ("san francisco", "US"),
    "silicon valley": ("san jose", "US"),
    "dallas fort worth": ("dallas", "US"),
    "dfw": ("dallas", "US"),
    "twin cities": ("minneapolis", "US"),
    "minneapolis st paul": ("minneapolis", "US"),
    "research triangle": ("raleigh", "US"),
    "raleigh durham": ("raleigh", "US"),
    "raleigh durham chapel hill": ("raleigh", "US"),
    "hampton roads": ("virginia beach", "US"),
    "inland empire": ("riverside", "US"),
    "puget sound": ("seattle", "US"),
    "pacific northwest": ("seattle", "US"),
    "nyc": ("new york city", "US"),
    "la": ("los angeles", "US"),
    "socal": ("los angeles", "US"),
    "southern california": ("los angeles", "US"),
    "norcal": ("san francisco", "US"),
    "northern california": ("san francisco", "US"),
    "new england": ("boston", "US"),
    "dc": ("washington", "US"),
    "washington dc": ("washington", "US"),
    "washington d c": ("washington", "US"),
    "washington dc baltimore": ("washington", "US"),
    "dmv": ("washington", "US"),
    "gta": ("toronto", "CA"),
    "lower mainland": ("vancouver", "CA"),
    "randstad": ("amsterdam", "NL"),
    "rhine main": ("frankfurt am main", "DE"),
    "frankfurt rhine main": ("frankfurt am main", "DE"),
    "rhein main": ("frankfurt am main", "DE"),
    "ruhr": ("essen", "DE"),
    "delhi ncr": ("new delhi", "IN"),
    "ncr": ("new delhi", "IN"),
    "mmr": ("mumbai", "IN"),
}

COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uae": "AE",
    "korea": "KR",
    "republic of korea": "KR",
    "czech republic": "CZ",
    "holland": "NL",
    "the netherlands": "NL",
    "turkiye": "TR",
    "ivory coast": "CI",
    "hong kong sar": "HK",
    "mainland china": "CN",
    "prc": "CN",
    "deutschland": "DE",
    "espana": "ES",
    "brasil": "BR",
    "republic of ireland": "IE",
    "the philippines": "PH",
}

_PREFIXES = ("greater ", "the ")
_SUFFIXES = (" area", " metropolitan", " metro", " metroplex", " region", " bay", " city")


@dataclass(frozen=True)
class ZoneGuess:
    """What a location string says about a time zone, and how sure that is."""

    location: str
    zone: str | None
    matched: str = ""
    ambiguous: bool = False
    alternatives: list[str] = field(default_factory=list)
    reason: str = ""
    # True when every alternative keeps the same clock as `zone` (Vancouver BC and WA).
    same_time: bool = False


@dataclass(frozen=True)
class _Place:
    name: str
    country: str
    admin1: str
    population: int
    zone: str
    group: str


def fold(text: str) -> str:
    """Lower-case ASCII with accents removed and punctuation as spaces (the gazetteer's keys)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("'", "").replace("\u2019", "")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


@cache
def _db() -> sqlite3.Connection:
    return sqlite3.connect(f"file:{PLACES}?mode=ro&immutable=1", uri=True)


def _country(text: str) -> str | None:
    key = fold(text)
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    row = _db().execute("SELECT country FROM country_names WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _regions(text: str, country: str | None, codes: bool) -> list[tuple[str, str]]:
    key = fold(text)
    if len(key) <= 2 and not codes:
        return []
    rows = (
        _db()
        .execute(
            "SELECT n.country, n.admin1 FROM region_names n JOIN regions r"
            " ON r.country = n.country AND r.admin1 = n.admin1"
            " WHERE n.key = ? ORDER BY r.population DESC",
            (key,),
        )
        .fetchall()
    )
    return [(cc, admin1) for cc, admin1 in rows if country in (None, cc)]


def _places(key: str) -> list[_Place]:
    rows = (
        _db()
        .execute(
            "SELECT DISTINCT p.name, p.country, p.admin1, p.population, z.zone, z.grp"
            " FROM place_names n JOIN places p ON p.id = n.place JOIN zones z ON z.id = p.zone"
            " WHERE n.key = ? ORDER BY p.population DESC, p.id",
            (key,),
        )
        .fetchall()
    )
    places = [_Place(*row) for row in rows]
    return sorted(places, key=lambda p: -_weight(p, key))


def _weight(place: _Place, key: str) -> float:
    """Population, discounted when only another-language name matched ("Victoria": Hong Kong)."""
    return place.population * (1 if fold(place.name) == key else ALTERNATE_NAME_WEIGHT)


def _region_name(country: str, admin1: str) -> str:
    row = (
        _db()
        .execute("SELECT name FROM regions WHERE country = ? AND admin1 = ?", (country, admin1))
        .fetchone()
    )
    return row[0] if row else ""


def _describe(place: _Place) -> str:
    return ", ".join(p for p in (place.name, _region_name(place.country, place.admin1)) if p) + (
        f", {place.country}"
    )


def _undecorated(key: str) -> list[str]:
    """`greater seattle area` -> seattle area, seattle; `new york city metropolitan area` too."""
    keys = [key]
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key.removeprefix(prefix)
            keys.append(key)
    while suffix := next((s for s in _SUFFIXES if key.endswith(s) and key != s.strip()), None):
        key = key.removesuffix(suffix)
        keys.append(key)
    return keys


def _city_keys(text: str) -> list[str]:
    """The ways a city part may be written: as is, undecorated, the first of a pair."""
    keys: list[str] = []
    first = re.split(r"\s*[-/\u2013]\s*|\s+&\s+|\s+and\s+", text)[0]
    for variant in (text, first):
        for key in _undecorated(fold(variant)):
            if key and key not in keys:
                keys.append(key)
    return keys


def _city(text: str, country: str | None, region: tuple[str, str] | None) -> list[_Place]:
    for key in _city_keys(text):
        if key in METRO_ALIASES:
            city, city_country = METRO_ALIASES[key]
            if country in (None, city_country):
                key, country = city, city_country
        found = [
            p
            for p in _places(key)
            if country in (None, p.country) and region in (None, (p.country, p.admin1))
        ]
        if found:
            return found
    return []


def _from_city(location: str, found: list[_Place]) -> ZoneGuess:
    best = found[0]
    rivals, seen = [], {(best.country, best.admin1)}
    for place in found[1:]:
        if (
            place.country,
            place.admin1,
        ) in seen or place.population < RIVAL_SHARE * best.population:
            continue
        seen.add((place.country, place.admin1))
        rivals.append(place)
    return ZoneGuess(
        location,
        best.zone,
        matched=_describe(best),
        ambiguous=bool(rivals),
        alternatives=[f"{_describe(p)} ({p.zone})" for p in rivals],
        same_time=bool(rivals) and all(p.group == best.group for p in rivals),
    )


def _from_area(location: str, table: str, where: dict[str, str], name: str) -> ZoneGuess:
    clause = " AND ".join(f"{column} = ?" for column in where)
    zone, share = (
        _db()
        .execute(f"SELECT zone, share FROM {table} WHERE {clause}", tuple(where.values()))
        .fetchone()
    )
    if share >= MAJORITY:
        return ZoneGuess(location, zone, matched=name)
    return ZoneGuess(
        location,
        None,
        matched=name,
        reason=f"{name} spans several time zones ({zone} for {share:.0%} of its people)",
    )


def _from_region(location: str, country: str, admin1: str) -> ZoneGuess:
    name = f"{_region_name(country, admin1)}, {country}"
    return _from_area(location, "regions", {"country": country, "admin1": admin1}, name)


def _town_in_region(location: str, town: str, country: str, admin1: str) -> ZoneGuess:
    """ "Ontario, Oregon" when the gazetteer has no Ontario in Oregon: the state's main zone,
    marked as a guess when the state's towns keep more than one clock."""
    guess = _from_region(location, country, admin1)
    (share,) = (
        _db()
        .execute("SELECT share FROM regions WHERE country = ? AND admin1 = ?", (country, admin1))
        .fetchone()
    )
    if guess.zone is None or share >= 1:
        return guess
    return ZoneGuess(
        location,
        guess.zone,
        guess.matched,
        ambiguous=True,
        reason=f"no town called `{town}` is known in {guess.matched}; {guess.zone} is the zone "
        f"of {int(share * 100)}% of its people",
    )


def _city_or_region(
    location: str, found: list[_Place], regions: list[tuple[str, str]]
) -> ZoneGuess:
    """ "Washington", "Victoria", "New York": a city and a state share the name; say so."""
    city = _from_city(location, found)
    cc, admin1 = regions[0]
    state = _from_region(location, cc, admin1)
    (people,) = (
        _db()
        .execute("SELECT population FROM regions WHERE country = ? AND admin1 = ?", (cc, admin1))
        .fetchone()
    )
    if people > found[0].population and state.zone:
        return ZoneGuess(
            location, state.zone, state.matched, True, [f"{city.matched} ({city.zone})"]
        )
    return ZoneGuess(
        location,
        city.zone,
        city.matched,
        True,
        [*city.alternatives, f"{state.matched} ({state.zone or 'several zones'})"],
    )


def _country_name(country: str) -> str:
    row = _db().execute("SELECT name FROM countries WHERE country = ?", (country,)).fetchone()
    return row[0] if row else country


@lru_cache(maxsize=4096)
def guess_zone(location: str) -> ZoneGuess:
    """Read a location such as "Greater Seattle Area" or "Pune, Maharashtra, India".
    Remembered per location for the run: a vault names the same few places again and again
    (`doctor` asks for every person)."""
    parts = [part.strip() for part in location.split(",") if part.strip()]
    if not parts:
        return ZoneGuess(location, None, reason="the location is empty")
    if all(word in NO_ZONE for word in fold(location).split()):
        return ZoneGuess(location, None, reason=f"`{location.strip()}` is not a place")

    country = _country(parts[-1])
    if country and len(parts) == 1:
        found = _city(parts[0], None, None)
        if found and found[0].country == country:
            return _from_city(location, found)
        return _from_area(location, "countries", {"country": country}, _country_name(country))
    if country:
        parts = parts[:-1]
    region = None
    if len(parts) >= 2:
        regions = _regions(parts[-1], country, codes=True)
        if regions:
            region = regions[0]
            parts = parts[:-1]
    if len(parts) == 1 and country and not region:
        # "Ontario, Canada" and "Washington, United States" name a state, not a city.
        regions = _regions(parts[0], country, codes=False)
        if regions:
            cc, admin1 = regions[0]
            return _from_region(location, cc, admin1)

    found = _city(parts[0], country, region)
    regions = [] if region else _regions(parts[0], country, codes=False)
    if found and regions and len(parts) == 1:
        return _city_or_region(location, found, regions)
    if found:
        return _from_city(location, found)
    if regions and not region:
        cc, admin1 = regions[0]
        guess = _from_region(location, cc, admin1)
        if len({cc for cc, _ in regions}) > 1:
            others = [f"{_region_name(c, a)}, {c}" for c, a in regions[1:]]
            return ZoneGuess(location, guess.zone, guess.matched, True, others, guess.reason)
        return guess
    if region:
        cc, admin1 = region
        return _town_in_region(location, parts[0], cc, admin1)
    if country:
        return _from_area(location, "countries", {"country": country}, _country_name(country))
    return ZoneGuess(location, None, reason=f"no place called `{parts[0]}` is known")


def zone_country(zone: str) -> str | None:
    """The country (ISO code) where most people on `zone`'s clock live, by the gazetteer:
    America/Chicago is US, Asia/Kolkata IN; None for a zone it has no place in (UTC)."""
    row = (
        _db()
        .execute(
            "SELECT p.country FROM places p JOIN zones z ON z.id = p.zone WHERE z.zone = ?"
            " GROUP BY p.country ORDER BY SUM(p.population) DESC LIMIT 1",
            (zone,),
        )
        .fetchone()
    )
    return row[0] if row else None


@dataclass(frozen=True)
class ContactZone:
    """The zone a contact lives in and where it came from, for `show` and every time shown."""

    zone: str | None
    source: str  # "timezone", "location" or "" when unknown
    guess: ZoneGuess | None = None


def contact_zone(timezone: str, location: str) -> ContactZone:
    if timezone:
        return ContactZone(timezone, "timezone")
    if location:
        guess = guess_zone(location)
        return ContactZone(guess.zone, "location" if guess.zone else "", guess)
    return ContactZone(None, "")


@cache
def country_and_region(location: str) -> tuple[str, str] | None:
    """Where a place is, for telling whether two places are in the same area: its country code
    and state or province ("" for a whole country); None when the gazetteer does not know it.

    `Remote (US)` is the United States; `Remote` alone is None (anywhere)."""
    words = fold(location).split()
    if "remote" in words:
        rest = " ".join(word for word in words if word != "remote")
        country = _country(rest) if rest else None
        return (country, "") if country else None
    guess = guess_zone(location)
    if not guess.matched:
        return None
    parts = guess.matched.split(", ")
    if len(parts) == 1:
        country = _country(parts[0])
        return (country, "") if country else None
    # "Chicago, Illinois, US" (a city) or "Karnataka, IN" (a state).
    return parts[-1], parts[-2] if len(parts) >= 3 else parts[0]
