"""Warm `due` with and without watchman, on the synthetic vaults of bench/make_vault.py.

Run: .venv/bin/python bench/watchman.py [--people 100000] [--runs 7]

Starts a watchman server of its own (socket and state in a temporary folder; stopped at the
end), then times `coffeechat due` as a whole process in interleaved rounds: once told of that
server (`$WATCHMAN_SOCK`), once not. Each figure is the median of `--runs`: the client's CPU
time (user + system, `os.wait4`), its wall time, and the CPU time the watchman server spent
meanwhile (another process, read from /proc). "after 1 edit" appends a line to one note
before each run, as an editor's save would. No figure is asserted: this is a measurement.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import ENV, editor, vault_for

TICK = os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int) -> float:
    """The watchman server's CPU milliseconds so far (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICK


def run_once(command: list[str], env: dict[str, str], pid: int) -> tuple[float, float, float]:
    """Client CPU ms, client wall ms, server CPU ms of one run."""
    before = server_cpu(pid)
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return (usage.ru_utime + usage.ru_stime) * 1000, wall, server_cpu(pid) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    import coffeechat as package

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(package.__file__).parent)],
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    vault = vault_for(args.people)
    program = str(Path(sys.executable).with_name("coffeechat"))
    due = [program, "--vault", str(vault), "due"]
    with tempfile.TemporaryDirectory() as state:
        sock = os.path.join(state, "sock")
        server = subprocess.Popen(
            ["watchman", "--foreground", "--no-save-state", f"--sockname={sock}"]
            + [f"--{name}={os.path.join(state, name)}" for name in ("statefile", "logfile")]
            + [f"--pidfile={os.path.join(state, 'pid')}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while not os.path.exists(sock):
                time.sleep(0.05)
            envs = {
                "without watchman": {**ENV, "WATCHMAN_SOCK": os.path.join(state, "none")},
                "with watchman": {**ENV, "WATCHMAN_SOCK": sock},
            }
            for env in envs.values():  # the watch's first crawl, the clock kept
                for _ in range(3):
                    run_once(due, env, server.pid)
            time.sleep(2.1)  # past the racy-edit window, as between a user's runs
            found: dict[str, list[tuple[float, float, float]]] = {}
            for _ in range(args.runs):
                for name, env in envs.items():
                    found.setdefault(f"warm due, {name}", []).append(run_once(due, env, server.pid))
            edit = editor(vault, 1)
            for _ in range(args.runs):
                for name, env in envs.items():
                    edit()
                    found.setdefault(f"due after 1 edit, {name}", []).append(
                        run_once(due, env, server.pid)
                    )
        finally:
            server.terminate()
            server.wait(30)
    print(f"{args.people:,} people; median of {args.runs}, ms")
    print("| case | client CPU | client wall | watchman CPU |")
    print("|---|---|---|---|")
    for name, values in found.items():
        cells = [f"{statistics.median(v[at] for v in values):,.0f}" for at in range(3)]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
