"""`companies`: who you have at each company against the recommended mix, and whether it hires
where you can work."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from coffeechat.model.names import company_index, name_key
from coffeechat.model.note import Company, Person
from coffeechat.model.people import PERSON_KINDS
from coffeechat.model.size import is_small

# `status:` values of a company on your list.
ACTIVE_STATUSES = ("target", "active", "")
# `remote:` values that mean it hires remotely (compared in lower case).
REMOTE_YES = ("yes", "true", "remote", "remote-first", "remote first", "fully remote", "anywhere")


def wanted_mix(company: Company | None) -> list[tuple[str, tuple[str, ...]]]:
    """What coverage asks for at a company, as (what to call a gap, the kinds that fill it)."""
    wanted = [kind.name for kind in PERSON_KINDS if kind.covers]
    if company and is_small(company.size):
        small = tuple(kind.name for kind in PERSON_KINDS if kind.covers and kind.small)
        return [(" or ".join(small), small)]
    if company and company.recruiters == "no":
        wanted = [kind for kind in wanted if kind != "recruiter"]
    return [(kind, (kind,)) for kind in wanted]


def location_fit(company: Company, mine: tuple[str, ...]) -> bool | None:
    """Whether the company hires where you can work (`locations` in coffeechat.toml): it hires
    remotely (in your country, when it says which), or it has a place in your state, province
    or country-wide. None when either side says nothing the gazetteer can place."""
    from coffeechat.when.zones import country_and_region

    if not mine:
        return None
    places, remote_places = [], False
    for location in company.locations:
        place = country_and_region(location)
        if "remote" in location.lower():
            if place is None:
                return True  # remote, anywhere (or a region coffeechat cannot place)
            remote_places = True
        if place:
            places.append(place)
    if company.remote.strip().lower() in REMOTE_YES and not remote_places:
        return True
    my_places = [place for place in map(country_and_region, mine) if place]
    if not places or not my_places:
        return None
    return any(
        country == my_country and (not region or not my_region or region == my_region)
        for country, region in places
        for my_country, my_region in my_places
    )


def priority_rank(company: Company | None) -> tuple[int, str]:
    """A company's `priority` as a sort key: 1 (or high) first, none last."""
    priority = company.priority if company else None
    return (9, "") if priority is None else (priority, "")


@dataclass(frozen=True)
class Coverage:
    company: Company | None
    name: str
    kinds: dict[str, int]
    messaged: int
    chatted: int
    referred: int
    people: int
    # Whether it hires where you can work; None when unknown or `locations` is not set.
    fits: bool | None = None

    @property
    def gaps(self) -> list[str]:
        return [
            label
            for label, kinds in wanted_mix(self.company)
            if not any(self.kinds.get(kind) for kind in kinds)
        ]


def coverage(
    people: list[Person],
    companies: list[Company],
    now: datetime,
    my_locations: tuple[str, ...] = (),
) -> list[Coverage]:
    """Per company note: who you have there by kind, how far each has gone, and whether it
    hires where you can work."""
    index = company_index(companies)
    by_company: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        if person.company:
            by_company[index.group(person.company)].append(person)
    rows = []
    for company in companies:
        there = by_company.get(company.file, [])
        kinds: dict[str, int] = defaultdict(int)
        for person in there:
            kinds[person.kind or "other"] += 1
        rows.append(
            Coverage(
                company,
                company.name,
                dict(kinds),
                sum(1 for p in there if p.messaged),
                sum(1 for p in there if p.chat and p.chat <= now),
                sum(1 for p in there if p.refers_you),
                len(there),
                location_fit(company, my_locations),
            )
        )
    return sorted(rows, key=lambda row: (priority_rank(row.company), name_key(row.name)))
