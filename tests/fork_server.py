"""Run `coffeechat ARGS…` as a fresh process under a memory and time limit, without paying for
Python's start-up and coffeechat's imports each time.

One server process imports coffeechat and its heavy libraries once; for each command it forks
a child that sets the address-space limit, takes the caller's folder and environment, points
stdin at /dev/null and stdout and stderr at files, and runs coffeechat as `python -m coffeechat`
would. The child is killed at the time limit. Each run is still its own process with its own
memory, so a run cannot leak into the next; only the imports are shared.

The test process talks to the server over its stdin and stdout, one JSON line each way.
"""

from __future__ import annotations

import base64
import json
import locale
import os
import resource
import runpy
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# Imported once by the server so that each forked run starts warm.
WARM_IMPORTS = (
    "coffeechat.cli",
    *("dateparser", "jinja2", "markdown_it", "icalendar", "recurring_ical_events", "holidays"),
)


@dataclass(frozen=True)
class Completed:
    """What one run gave, named as subprocess.CompletedProcess names it."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_bytes: int


class ForkServer:
    """The test side: starts the server, sends it commands, reads what each run printed."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def run(self, args: list[str], *, cwd: Path, memory: int, seconds: float) -> Completed:
        """`coffeechat ARGS…` in `cwd` with this process's environment; raises
        subprocess.TimeoutExpired when it ran `seconds` without finishing."""
        assert self._process.stdin
        assert self._process.stdout
        request = {
            "args": args,
            "cwd": str(cwd),
            "env": dict(os.environ),
            "memory": memory,
            "seconds": seconds,
        }
        start = time.monotonic()
        self._process.stdin.write(json.dumps(request).encode() + b"\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        elapsed = time.monotonic() - start
        if not line:
            raise RuntimeError(f"the fork server stopped (exit {self._process.wait()})")
        reply = json.loads(line)
        if reply["timed_out"]:
            raise subprocess.TimeoutExpired(["coffeechat", *args], seconds)
        return Completed(
            reply["returncode"],
            _text(reply["stdout"]),
            _text(reply["stderr"]),
            elapsed,
            reply["peak_bytes"],
        )

    def close(self) -> None:
        assert self._process.stdin
        self._process.stdin.close()
        self._process.wait(timeout=10)


def _text(encoded: str) -> str:
    """Bytes a run printed, decoded as subprocess.run(text=True) decodes them."""
    data = base64.b64decode(encoded).decode(locale.getpreferredencoding(False))
    return data.replace("\r\n", "\n").replace("\r", "\n")


# --- the server side --------------------------------------------------------------------------


def serve() -> None:
    """Answer one request line at a time until stdin closes."""
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    # The runs must not read the requests or write into the replies.
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    for module in WARM_IMPORTS:
        __import__(module)
    for line in requests:
        reply = _run_forked(json.loads(line), close=(requests, replies))
        replies.write(json.dumps(reply).encode() + b"\n")
        replies.flush()


def _run_forked(request: dict[str, Any], close: tuple[IO[bytes], ...]) -> dict[str, Any]:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            for file in close:
                os.close(file.fileno())
            _child(request, out.fileno(), err.fileno())
        deadline = time.monotonic() + request["seconds"]
        timed_out = False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
                timed_out = True
                break
            time.sleep(0.002)
        out.seek(0)
        err.seek(0)
        return {
            "returncode": os.waitstatus_to_exitcode(status),
            "timed_out": timed_out,
            "peak_bytes": usage.ru_maxrss * 1024,  # the child's peak resident memory (KB on Linux)
            "stdout": base64.b64encode(out.read()).decode(),
            "stderr": base64.b64encode(err.read()).decode(),
        }


def _child(request: dict[str, Any], out: int, err: int) -> None:
    """Become `python -m coffeechat ARGS…`; never returns."""
    code = 1
    try:
        resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        sys.argv = ["coffeechat", *request["args"]]
        runpy.run_module("coffeechat", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exit:
        if exit.code is None or isinstance(exit.code, int):
            code = exit.code or 0
        else:
            print(exit.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


if __name__ == "__main__":
    serve()
