from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coffeechat.when.zones import guess_zone

LOCATIONS = Path(__file__).parent / "data" / "locations.tsv"


@functools.cache
def offsets(zone: str) -> tuple[float, ...]:
    """A zone's UTC offsets every six hours over 2025-2029: equal tuples keep the same clock."""
    start, tz = datetime(2025, 1, 1, tzinfo=UTC), ZoneInfo(zone)
    return tuple(
        (start + timedelta(hours=6 * i)).astimezone(tz).utcoffset().total_seconds()  # type: ignore[union-attr]
        for i in range(4 * 365 * 5)
    )


def labelled_locations() -> list[tuple[str, str | None]]:
    rows = []
    for line in LOCATIONS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            location, zone = line.split("\t")
            rows.append((location, None if zone == "-" else zone))
    return rows


def test_location_accuracy_on_the_labelled_list() -> None:
    rows = labelled_locations()
    right, confidently_wrong = 0, []
    for location, expected in rows:
        guess = guess_zone(location)
        if expected is None:
            ok = guess.zone is None
        else:
            ok = guess.zone is not None and offsets(guess.zone) == offsets(expected)
        right += ok
        if not ok and guess.zone and not guess.ambiguous:
            confidently_wrong.append((location, guess.zone, expected))
    assert len(rows) >= 200
    assert right / len(rows) >= 0.97
    assert confidently_wrong == []


@pytest.mark.parametrize(
    ("location", "zone", "rival"),
    [
        ("Portland", "America/Los_Angeles", "Maine"),
        ("Cambridge", "Europe/London", "Massachusetts"),
        ("Springfield", "America/Chicago", "Massachusetts"),
        ("Birmingham", "Europe/London", "Alabama"),
        ("Hyderabad", "Asia/Kolkata", "Sindh"),
        ("Vancouver", "America/Vancouver", "Washington"),
        ("Columbus", "America/New_York", "Georgia"),
    ],
)
def test_ambiguous_names_pick_the_likeliest_and_say_so(
    location: str, zone: str, rival: str
) -> None:
    guess = guess_zone(location)
    assert guess.zone == zone
    assert guess.ambiguous
    assert any(rival in alternative for alternative in guess.alternatives)


def test_same_name_same_clock_is_told_apart_from_a_real_doubt() -> None:
    assert guess_zone("Vancouver").same_time
    assert not guess_zone("Portland").same_time


@pytest.mark.parametrize("location", ["United States", "Canada", "Tennessee, United States"])
def test_a_region_split_between_zones_gives_none_and_says_why(location: str) -> None:
    guess = guess_zone(location)
    assert guess.zone is None
    assert "spans several time zones" in guess.reason


def test_zone_command_prints_the_match(run) -> None:
    result = run("zone", "Fargo, North Dakota, United States")
    assert result.exit_code == 0
    assert result.output == "America/Chicago  (Fargo, North Dakota, US)\n"


def test_zone_command_json(run) -> None:
    result = run("zone", "Portland", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "version": 1,
        "location": "Portland",
        "zone": "America/Los_Angeles",
        "matched": "Portland, Oregon, US",
        "ambiguous": True,
        "alternatives": ["Portland, Maine, US (America/New_York)"],
    }


def test_zone_command_without_a_zone_exits_1_with_a_hint(run) -> None:
    result = run("zone", "Remote")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Set `timezone:` in the note" in result.stderr


def test_show_prints_the_contacts_zone_and_where_it_came_from(run, write_note) -> None:
    write_note("ada", "name: Ada Park\nlocation: Pune, Maharashtra, India\n")
    result = run("show", "ada")
    assert (
        "zone        Asia/Kolkata (from location, matched Pune, Maharashtra, IN)" in result.stdout
    )
    assert "their time  Mon Nov 23, 8:30 PM IST now" in result.stdout


def test_lookups_fold_names_exactly_as_the_gazetteer_was_built() -> None:
    import importlib.util

    from coffeechat.when.zones import fold

    spec = importlib.util.spec_from_file_location(
        "build_places", Path(__file__).parent.parent / "tools" / "build_places.py"
    )
    assert spec is not None
    assert spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name in (
        "São Paulo",
        "Coeur d'Alene",
        "Zürich",
        "St. John\u2019s",
        "Île-de-France",
        "Kraków",
    ):
        assert fold(name) == build.fold(name)


def test_a_small_town_in_a_state_with_two_clocks_is_found_or_marked_a_guess() -> None:
    # Ontario, Oregon (11,000 people) keeps Mountain time; most of Oregon is Pacific.
    assert guess_zone("Ontario, Oregon").zone == "America/Boise"
    assert not guess_zone("Ontario, Oregon").ambiguous
    unknown = guess_zone("Nowhereville, Oregon")
    assert unknown.zone == "America/Los_Angeles"
    assert unknown.ambiguous
    assert "no town called `Nowhereville` is known in Oregon" in unknown.reason
    # A state with one clock needs no doubt.
    assert not guess_zone("Nowhereville, Illinois").ambiguous
    assert guess_zone("Chicagoland").zone == "America/Chicago"
