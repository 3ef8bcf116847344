"""Build a reproducible synthetic vault for the benchmarks: 10,000 people at 500 companies,
plus 2,000 unrelated notes in other folders, with bodies of realistic length (~2.7 KB).

Run: .venv/bin/python bench/make_vault.py DIR [--people N] [--seed S]
The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, datetime, timedelta
from pathlib import Path

FIRST = [
    "Priya",
    "Arjun",
    "Mei",
    "Liam",
    "Chloé",
    "Jonas",
    "Hannah",
    "Divya",
    "Marcus",
    "Karen",
    "Derek",
    "Aisha",
    "Ravi",
    "Tomás",
    "Noor",
    "Ana",
    "Bo",
    "Chidi",
    "Jürgen",
    "Sofia",
    "Mateo",
    "Yuki",
    "Omar",
    "Lena",
    "Ivan",
    "Zara",
    "Felix",
    "Amara",
    "Kenji",
    "Elif",
]
LAST = [
    "Raman",
    "Mehta",
    "Tanaka",
    "O'Connor",
    "Martin",
    "Becker",
    "Lindqvist",
    "Nair",
    "Webb",
    "Olson",
    "Lund",
    "Khan",
    "Shah",
    "Ibarra",
    "Haddad",
    "Silva",
    "Chen",
    "Okafor",
    "Müller",
    "Rossi",
    "García",
    "Sato",
    "Farouk",
    "Novak",
    "Petrov",
    "Ali",
    "Weber",
    "Mensah",
    "Kim",
    "Yilmaz",
]
WORDS = [
    "payments",
    "ledger",
    "platform",
    "latency",
    "queue",
    "retries",
    "idempotency",
    "onboarding",
    "mentoring",
    "review",
    "deploy",
    "pipeline",
    "oncall",
    "incident",
    "postmortem",
    "roadmap",
    "hiring",
    "interview",
    "referral",
    "culture",
    "team",
    "growth",
    "feedback",
    "design",
    "schema",
    "migration",
    "kafka",
    "postgres",
    "golang",
    "python",
    "rust",
    "typescript",
]
ROLES = (
    ("engineer", "Software Engineer"),
    ("engineer", "Senior Backend Engineer"),
    ("engineer", "Staff Engineer, Platform"),
    ("manager", "Engineering Manager"),
    ("manager", "Team Lead, Payments"),
    ("recruiter", "Technical Recruiter"),
    ("recruiter", "Talent Partner"),
)
PLACES = (
    "San Francisco Bay Area",
    "Greater Seattle Area",
    "New York City Metropolitan Area",
    "Fargo, North Dakota, United States",
    "Bengaluru, Karnataka, India",
    "London Area, United Kingdom",
    "Berlin, Germany",
    "Sydney, New South Wales, Australia",
    "Remote",
)
CONNECTIONS = ("1st", "2nd", "3rd", "alumni", "intro", "cold")
TODAY = date(2026, 11, 23)


SEED = 20261123


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def body(rng: random.Random) -> str:
    notes = "\n".join(f"- {paragraph(rng, rng.randint(8, 20))}" for _ in range(rng.randint(6, 12)))
    log = "\n".join(
        f"- {TODAY - timedelta(days=rng.randint(1, 90))}: {paragraph(rng, 6)}"
        for _ in range(rng.randint(3, 8))
    )
    prose = "\n\n".join(paragraph(rng, rng.randint(30, 60)) for _ in range(3))
    return f"\n{prose}\n\n## Notes\n\n{notes}\n\n## Log\n\n{log}\n"


def person(rng: random.Random, number: int, company: str) -> str:
    kind, role = rng.choice(ROLES)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    lines = [
        "---",
        f'name: "{name} {number}"',
        f'company: "{company}"',
        f'role: "{role}"',
        f"kind: {kind}",
        f'location: "{rng.choice(PLACES)}"',
        f"connection: {rng.choice(CONNECTIONS)}",
        f"linkedin: https://www.linkedin.com/in/person-{number}",
        "common:",
        f"  - {paragraph(rng, 4)}",
        f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
    ]
    stage = rng.random()
    messaged = TODAY - timedelta(days=rng.randint(1, 60))
    if stage > 0.3:
        lines.append(f"messaged: {messaged}")
    if stage > 0.6:
        lines.append(f"replied: {messaged + timedelta(days=rng.randint(1, 5))}")
    if stage > 0.75:
        chat = datetime.combine(messaged + timedelta(days=rng.randint(6, 20)), datetime.min.time())
        lines.append(f"chat: {chat.replace(hour=rng.randint(9, 16)).isoformat()}-06:00")
    if stage > 0.85:
        lines.append(f"thanked: {messaged + timedelta(days=rng.randint(21, 25))}")
    if stage > 0.95:
        lines.append("referral: agreed")
    lines.append("---")
    return "\n".join(lines) + "\n" + body(rng)


def build(root: Path, people: int, seed: int) -> None:
    rng = random.Random(seed)
    companies = [f"Company {number:03d}" for number in range(people // 20)]
    (root / "people").mkdir(parents=True, exist_ok=True)
    (root / "companies").mkdir(exist_ok=True)
    (root / "coffeechat.toml").write_text(
        'name = "Sam Rivera"\ntimezone = "America/Chicago"\nlooking_for = "backend roles"\n'
    )
    for number, company in enumerate(companies):
        (root / "companies" / f"company-{number:03d}.md").write_text(
            f'---\nname: "{company}"\nstatus: target\nstack: [Go, Postgres]\nhiring: growth\n'
            f"priority: {rng.randint(1, 5)}\n---\n{body(rng)}"
        )
    for number in range(people):
        folder = root / "people" / f"batch-{number // 1000:02d}"
        folder.mkdir(exist_ok=True)
        (folder / f"person-{number:05d}.md").write_text(
            person(rng, number, companies[number % len(companies)])
        )
    for number in range(people // 5):
        folder = root / ("journal" if number % 2 else "projects") / f"{number // 200:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note-{number:05d}.md").write_text(
            f"---\ntitle: Note {number}\ntags: [misc]\n---\n{body(rng)}"
        )


def vault_for(people: int, folder: Path | None = None) -> Path:
    """The benchmark vault of `people` in `folder` (default: $TMPDIR/coffeechat-bench-N),
    built with the default seed unless one is there already."""
    import tempfile

    folder = folder or Path(tempfile.gettempdir()) / f"coffeechat-bench-{people}"
    if not (folder / "coffeechat.toml").exists():
        build(folder, people, SEED)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    build(args.folder, args.people, args.seed)
    print(f"wrote {args.folder}")


if __name__ == "__main__":
    main()
