"""Time `coffeechat inbox` filing 500 lines into the 10,000-person vault, as a whole process.

Run: .venv/bin/python bench/inbox_bench.py [--runs N] [--lines N] [--folder DIR]

Builds the synthetic vault with bench/make_vault.py (reused if DIR already holds one). Each
run files into a fresh copy of it, its index cache warmed by `coffeechat list` first (as a
user who ran any command that day has it), with an inbox of LINES lines, one per person,
in every line form: milestones with and without text, a chat with a time, referrals,
`Thanks:`/`Next:` lines and plain log lines, people named by file name or by `[[Full Name]]`.
Prints the median, min and max wall time of the `inbox` process against the 2 s target,
and checks every line was filed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from make_vault import vault_for

HERE = Path(__file__).resolve().parent
TARGET_MS = 2000
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
ENV["COFFEECHAT_NOW"] = "2026-12-07T10:00:00-06:00"
FORMS = (
    "2026-12-04 @{who} replied",
    "2026-12-04 @{who} replied — free on Thursday",
    "2026-12-05 15:30 @{who} chat — on-call is light; agreed to refer",
    "2026-12-05 @{who} thanks: Your notes on the on-call rota were a great help.",
    "2026-12-05 @{who} next: I will send my resume and the posting on Monday.",
    "2026-12-06 @{who} referral agreed",
    "2026-12-06 @{who} thanked",
    "2026-12-06 @{who} asked about the platform team's hiring plans",
    "2026-12-07 @{who} nudged",
    "2026-12-07 @{who} connected",
)


def coffeechat(vault: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    command = [str(Path(sys.executable).parent / "coffeechat"), "--vault", str(vault), *args]
    return subprocess.run(command, env=ENV, capture_output=True, check=False)


def timed(vault: Path, *args: str) -> tuple[float, float, int]:
    """Wall and CPU (user + system) milliseconds of one whole `coffeechat` process, and its
    exit status. CPU time is what a loaded machine inflates least."""
    command = [str(Path(sys.executable).parent / "coffeechat"), "--vault", str(vault), *args]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, os.waitstatus_to_exitcode(status)


def inbox_text(vault: Path, lines: int) -> str:
    """One line per person, every tenth named `[[Full Name]]`, the rest by file name."""
    notes = sorted((vault / "people").rglob("*.md"))[:lines]
    found = []
    for n, path in enumerate(notes):
        who = path.stem
        if n % 10 == 0:
            name = path.read_text().split("name: ", 1)[1].split("\n", 1)[0].strip('"')
            who = f"[[{name}]]"
        found.append(FORMS[n % len(FORMS)].format(who=who))
    return "".join(line + "\n" for line in found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    folder = vault_for(args.people, args.folder)
    times, cpu, yardstick = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(args.runs):
            vault = Path(scratch) / f"run-{run}"
            shutil.copytree(folder, vault, ignore=shutil.ignore_patterns(".coffeechat"))
            coffeechat(vault, "list")  # warm the index cache
            (vault / "inbox.md").write_text(inbox_text(vault, args.lines))
            os.sync()  # the copy's pages on disk, so its writes are not timed with ours
            # A warm `list` beside it, to read the figure on a busy machine (docs/contributing.md
            # has its time on an idle one).
            yardstick.append(timed(vault, "list")[0])
            wall, used, status = timed(vault, "inbox")
            times.append(wall)
            cpu.append(used)
            left = (vault / "inbox.md").read_text()
            if status != 0 or left:
                raise SystemExit(f"inbox failed (exit {status}); left: {left[:500]}")
            shutil.rmtree(vault)
    median = statistics.median(times)
    verdict = "met" if median <= TARGET_MS else f"MISSED by {median - TARGET_MS:.0f} ms"
    print(f"{args.people} people, {args.lines} inbox lines, {args.runs} runs; ms")
    print(f"{'command':<28}{'median':>8}{'min':>8}{'max':>8}{'cpu':>8}  target")
    print(
        f"{'inbox (warm cache)':<28}{median:>8.0f}{min(times):>8.0f}{max(times):>8.0f}"
        f"{statistics.median(cpu):>8.0f}  <= {TARGET_MS}: {verdict}"
    )
    print(
        f"{'list (warm), for scale':<28}{statistics.median(yardstick):>8.0f}"
        f"{min(yardstick):>8.0f}{max(yardstick):>8.0f}"
    )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
