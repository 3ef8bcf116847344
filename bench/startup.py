"""Time coffeechat's start-up as whole processes: `--help` and `list` on vault_example/.

Run: .venv/bin/python bench/startup.py [--runs N]
Prints the median, min and max wall time of each, next to bare `python -c pass`, so the
figures can be read on a noisy machine. The target for `--help` is a median under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "coffeechat --help": [sys.executable, "-m", "coffeechat", "--help"],
    "coffeechat list": [
        sys.executable,
        "-m",
        "coffeechat",
        "--vault",
        str(ROOT / "vault_example"),
        "list",
    ],
}


def wall_times(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, capture_output=True, check=True)  # warm the page cache and .pyc
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    print(f"{'command':<20} {'median':>8} {'min':>8} {'max':>8}  (ms, {runs} runs)")
    for name, command in CASES.items():
        times = wall_times(command, runs)
        print(f"{name:<20} {statistics.median(times):8.1f} {min(times):8.1f} {max(times):8.1f}")


if __name__ == "__main__":
    main()
