"""CPU time and peak memory of coffeechat's commands per vault size, and how they grow.

Run: .venv/bin/python bench/scale.py [--sizes 1000,10000,40000,100000] [--runs 7]
                                      [--cold-runs N] [--only CASE,CASE] [--markdown]

For each size it builds (or reuses) the synthetic vault of bench/make_vault.py in $TMPDIR,
then times each case as a whole process: the CPU time the process used (user + system, from
`os.wait4`), which a machine shared with other jobs inflates far less than wall time, and its
peak resident memory. Bytecode is on and compiled first, as an installed user has it, and the
console script is run as users run it. The warm cases run in interleaved rounds, so a change
of load hits them alike; each figure is the median of `--runs` runs. `list`, `due`, `stats`
and `next` run again on an unchanged vault print the answer kept from the run before
(store/shown.py); "list computed" and "due computed" remove it first, so the command
works its answer out from the warm index, as a day's first run does. "after 1 edit" and
"after 100 edits" change that many notes (as an editor would, appending a line) before each
run; "cold" deletes the index cache (and the kept answers) before each run. Then, for each
case, the CPU time per 1,000 people between consecutive sizes. No figure is asserted: this
is a measurement.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from make_vault import vault_for

HERE = Path(__file__).resolve().parent
SAMPLE = "person-00042"
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
ENV["COFFEECHAT_NOW"] = "2026-11-24T10:00:00-06:00"
# The answers coffeechat keeps (store/shown.py) go to a cache folder of the benchmark's own.
KEPT = Path(os.environ.get("TMPDIR") or "/tmp") / "coffeechat-bench-cache"
ENV["XDG_CACHE_HOME"] = str(KEPT)
# Case name -> the arguments after `coffeechat --vault DIR`.
WARM = {
    "--help": ["--help"],
    "list": ["list"],
    "due": ["due"],
    "stats": ["stats"],
    "next": ["next"],
    "show": ["show", SAMPLE],
    "prep": ["prep", SAMPLE],
}
# Warm index, but no answer kept from an earlier run (the first run of a day, say): the
# command computes its answer.
COMPUTED = {"list computed": ["list"], "due computed": ["due"]}
EDITED = {"due after 1 edit": 1, "due after 100 edits": 100}
CASES = [*WARM, *COMPUTED, *EDITED, "cold due"]


def run_once(command: list[str]) -> tuple[float, float]:
    """CPU milliseconds (user + system) and peak resident megabytes of one whole process."""
    process = subprocess.Popen(
        command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024


def editor(vault: Path, count: int) -> Callable[[], None]:
    """Append a line to the first `count` person notes, as an editor's save would."""
    notes = sorted((vault / "people").rglob("*.md"))[:count]
    rounds = [0]

    def edit() -> None:
        rounds[0] += 1
        for path in notes:
            with path.open("a", encoding="utf-8") as note:
                note.write(f"- bench edit {rounds[0]}\n")

    return edit


def measure(people: int, runs: int, cold_runs: int, only: list[str]) -> dict[str, tuple]:
    vault = vault_for(people)
    program = str(Path(sys.executable).with_name("coffeechat"))
    coffeechat = [program, "--vault", str(vault)]
    cache = vault / ".coffeechat"
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in only}
    warm = [name for name in WARM if name in only]
    # `--help` as typed, without --vault: the vault does not change it.
    commands = {name: [program] if name == "--help" else coffeechat for name in warm}
    for name in warm:
        run_once([*commands[name], *WARM[name]])  # fills the cache, the kept help page
    time.sleep(2.1)  # past the racy-edit window, as between a user's runs
    for name in warm:
        run_once([*commands[name], *WARM[name]])
    for _ in range(runs):
        for name in warm:
            found[name].append(run_once([*commands[name], *WARM[name]]))
    for name, arguments in COMPUTED.items():
        if name in only:
            for _ in range(runs):
                shutil.rmtree(KEPT / "coffeechat" / "shown", ignore_errors=True)
                found[name].append(run_once([*coffeechat, *arguments]))
    for name, count in EDITED.items():
        if name in only:
            edit = editor(vault, count)
            for _ in range(runs):
                edit()
                found[name].append(run_once([*coffeechat, "due"]))
            time.sleep(2.1)
            run_once([*coffeechat, "due"])
    if "cold due" in only:
        for _ in range(cold_runs):
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(KEPT / "coffeechat" / "shown", ignore_errors=True)
            found["cold due"].append(run_once([*coffeechat, "due"]))
        run_once([*coffeechat, "due"])
    return {
        name: (statistics.median(cpu for cpu, _ in values), max(peak for _, peak in values))
        for name, values in found.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,40000,100000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold-runs", type=int, default=7)
    parser.add_argument("--only", default=",".join(CASES), help="cases, comma-separated")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    only = [name for name in args.only.split(",") if name]
    unknown = set(only) - set(CASES)
    if unknown:
        raise SystemExit(f"unknown cases: {', '.join(sorted(unknown))}; known: {', '.join(CASES)}")
    import coffeechat as package

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(package.__file__).parent)],
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    results = {size: measure(size, args.runs, args.cold_runs, only) for size in sizes}
    heads = [f"{size // 1000}k" for size in sizes]
    slopes = list(itertools.pairwise(sizes))
    slope_heads = [f"{a // 1000}k→{b // 1000}k /1k" for a, b in slopes]
    print(
        f"CPU ms (user+sys, median of {args.runs}; cold: {args.cold_runs}) and peak MB, "
        f"on {os.cpu_count()} cores"
    )
    rows = [["case", *heads, *slope_heads]]
    for name in only:
        cells = [f"{results[s][name][0]:.0f} ms, {results[s][name][1]:.0f} MB" for s in sizes]
        for a, b in slopes:
            per_1k = (results[b][name][0] - results[a][name][0]) / ((b - a) / 1000)
            cells.append(f"{per_1k:.1f}")
        rows.append([name, *cells])
    if args.markdown:
        print("| " + " | ".join(rows[0]) + " |")
        print("|" + "---|" * len(rows[0]))
        for row in rows[1:]:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(row[at]) for row in rows) for at in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
