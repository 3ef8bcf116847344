"""Time coffeechat on a 10,000-person vault as whole processes, next to a naive baseline.

Run: .venv/bin/python bench/vault_bench.py [--runs N] [--people N] [--folder DIR]

Builds the synthetic vault with bench/make_vault.py (reused if DIR already holds one), then
times each command: cold (no index cache), warm, and `due` after 100 notes were edited. For
each: median, min and max wall time and peak memory (max RSS of the process). In the same
run it times the baseline — a plain script that loads every person note with
python-frontmatter — and prints each median as a ratio to it, so the figures can be read on
a noisy machine. Targets that a median misses are flagged with how much over it is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from make_vault import vault_for

HERE = Path(__file__).resolve().parent
BASELINE = """
import sys, pathlib, frontmatter
people = [frontmatter.load(p) for p in sorted(pathlib.Path(sys.argv[1], "people").rglob("*.md"))]
print(len(people))
"""
# Medians the issue asks for, in milliseconds.
TARGETS = {"--help": 60, "warm": 150, "cold": 2000, "after 100 edits": 300}
PEAK_MB = 60
# An installed user has bytecode: the bench must not inherit PYTHONDONTWRITEBYTECODE (set on
# the development machine), and compiles the package first.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
ENV["COFFEECHAT_NOW"] = "2026-11-24T10:00:00-06:00"


def run_once(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall milliseconds and peak resident megabytes of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return elapsed, usage.ru_maxrss / 1024


def measure(
    command: list[str], cwd: Path, runs: int, before: object = None
) -> tuple[list[float], float]:
    times, peak = [], 0.0
    for _ in range(runs):
        if callable(before):
            before()
        elapsed, rss = run_once(command, cwd)
        times.append(elapsed)
        peak = max(peak, rss)
    return times, peak


def edit_notes(vault: Path, count: int, round_: list[int]) -> None:
    """Change `count` person notes on disk, as an editor would."""
    round_[0] += 1
    notes = sorted((vault / "people").rglob("*.md"))[:count]
    for path in notes:
        text = path.read_text()
        path.write_text(text.rstrip("\n") + f"\n- bench edit {round_[0]}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    folder = vault_for(args.people, args.folder)
    import coffeechat as package

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(package.__file__).parent)],
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # The console script, as users run it (`python -m` adds runpy's imports).
    coffeechat = [str(Path(sys.executable).with_name("coffeechat"))]
    cache = folder / ".coffeechat"
    sample = "person-00042"

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    rows: list[tuple[str, list[float], float, str]] = []
    base_times, base_peak = measure(
        [sys.executable, "-c", BASELINE, str(folder)], folder, max(3, args.runs // 2)
    )
    baseline = statistics.median(base_times)
    rows.append(("baseline: frontmatter.load every note", base_times, base_peak, ""))
    times, peak = measure([*coffeechat, "--help"], folder, args.runs)
    rows.append(("--help", times, peak, "--help"))
    for name in ("list", "due", "stats", "companies", "next"):
        times, peak = measure([*coffeechat, name], folder, max(3, args.runs // 2), drop_cache)
        rows.append((f"{name} (cold)", times, peak, "cold"))
        run_once([*coffeechat, name], folder)
        time.sleep(2.1)  # let the racy-edit window pass, as it would between real runs
        run_once([*coffeechat, name], folder)
        times, peak = measure([*coffeechat, name], folder, args.runs)
        rows.append((f"{name} (warm)", times, peak, "warm"))
    for name in ("show", "prep"):
        times, peak = measure([*coffeechat, name, sample], folder, args.runs)
        rows.append((f"{name} one person (warm)", times, peak, "warm"))
    mark_note = sorted((folder / "people").rglob(f"{sample}.md"))[0]
    original = mark_note.read_bytes()
    times, peak = measure([*coffeechat, "mark", sample, "messaged"], folder, args.runs)
    mark_note.write_bytes(original)
    rows.append(("mark one person (warm)", times, peak, "warm"))
    round_ = [0]
    times, peak = measure(
        [*coffeechat, "due"], folder, args.runs, lambda: edit_notes(folder, 100, round_)
    )
    rows.append(("due after 100 notes edited", times, peak, "after 100 edits"))

    print(f"{args.people} people, {args.runs} runs each; ms; x = median / baseline median")
    print(f"{'command':<40} {'median':>8} {'min':>8} {'max':>8} {'x':>6} {'peak MB':>8}  target")
    for name, times, peak, target_key in rows:
        median = statistics.median(times)
        target = TARGETS.get(target_key)
        verdict = ""
        if target:
            verdict = f"<= {target}: " + (
                "met" if median <= target else f"MISSED by {median - target:.0f} ms"
            )
        if peak > PEAK_MB:
            verdict += f"; peak over {PEAK_MB} MB"
        print(
            f"{name:<40} {median:8.0f} {min(times):8.0f} {max(times):8.0f} "
            f"{median / baseline:6.2f} {peak:8.0f}  {verdict}"
        )


if __name__ == "__main__":
    main()
