"""Time coffeechat's start-up as whole processes: `--help` and `list` on vault_example/.

Run: .venv/bin/python bench/startup.py [--runs N] [--python PYTHON]
Prints the median, min and max wall time of each, and the median CPU time (user + system,
which another busy process on the machine barely moves), next to bare `python -c pass`, so
the figures can be read on a noisy machine. The target for `--help` is a median under 100 ms.
--python times another environment's coffeechat, e.g. one installed with and one without
the `mcp` extra (run with `env -u PYTHONDONTWRITEBYTECODE`, so both use their .pyc files).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cases(python: str) -> dict[str, list[str]]:
    """Each case as users run it: the console script installed beside `python`."""
    script = str(Path(python).parent / "coffeechat")
    return {
        "python -c pass": [python, "-c", "pass"],
        "coffeechat --help": [script, "--help"],
        "coffeechat --version": [script, "--version"],
        "coffeechat list": [script, "--vault", str(ROOT / "vault_example"), "list"],
    }


def times_of(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each run."""
    subprocess.run(command, capture_output=True, check=True)  # warm the page cache and .pyc
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        wall.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cpu.append(used * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--python", default=sys.executable, help="The interpreter to time.")
    options = parser.parse_args()
    runs = options.runs
    print(f"{'command':<20} {'median':>8} {'min':>8} {'max':>8} {'CPU':>8}  (ms, {runs} runs)")
    for name, command in cases(options.python).items():
        wall, cpu = times_of(command, runs)
        print(
            f"{name:<20} {statistics.median(wall):8.1f} {min(wall):8.1f} {max(wall):8.1f} "
            f"{statistics.median(cpu):8.1f}"
        )


if __name__ == "__main__":
    main()
