"""Limits at their edges: N-1, N and N+1 of each limit in core/limits.py, as a user meets it
(a file of exactly the limit is read, one byte more is refused), and the clock's guard."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coffeechat.core import limits
from coffeechat.core.errors import CoffeechatError


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (1023, "1,023 bytes"),
        (1024, "1 KB"),
        (1025, "1,025 bytes"),
        (128 << 10, "128 KB"),
        ((1 << 20) - 1, "1,048,575 bytes"),
        (1 << 20, "1 MB"),
        ((1 << 20) + 1024, "1025 KB"),
        (10 << 20, "10 MB"),
        (1 << 30, "1 GB"),
    ],
)
def test_a_limit_is_said_in_the_largest_whole_unit(size: int, words: str) -> None:
    assert limits.size_words(size) == words


@pytest.mark.parametrize(("size", "read"), [(99, True), (100, True), (101, False)])
def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_refused(
    tmp_path: Path, size: int, read: bool
) -> None:
    path = tmp_path / "busy.ics"
    path.write_bytes(b"x" * size)
    if read:
        assert limits.read_regular(path, 100, "a calendar file (.ics)") == b"x" * size
    else:
        with pytest.raises(CoffeechatError) as refused:
            limits.read_regular(path, 100, "a calendar file (.ics)")
        assert str(refused.value) == (
            f"{path}: larger than 100 bytes, the limit for a calendar file (.ics)"
        )


@pytest.mark.parametrize("size", [99, 100, 101, 5000])
def test_a_bounded_read_takes_at_most_one_byte_past_the_limit(tmp_path: Path, size: int) -> None:
    """One byte past the limit tells a file that grew after it was checked from one that fits."""
    path = tmp_path / "note.md"
    path.write_bytes(b"y" * size)
    assert limits.regular_bytes(path, 100) == b"y" * min(size, 101)
    assert limits.regular_bytes(path) == b"y" * size


def test_a_fifo_or_device_is_named_and_never_read(tmp_path: Path) -> None:
    fifo = tmp_path / "x.ics"
    os.mkfifo(fifo)
    with pytest.raises(limits.NotRegular):
        limits.regular_bytes(fifo, 10)  # with no writer, reading would wait for ever
    with pytest.raises(CoffeechatError) as refused:
        limits.read_regular(Path("/dev/zero"), 10, "a calendar file (.ics)")
    assert str(refused.value) == ("/dev/zero: not a regular file; give a calendar file (.ics)")
    with pytest.raises(CoffeechatError) as refused:
        limits.read_regular(tmp_path / "missing.ics", 10, "a calendar file (.ics)")
    assert (
        str(refused.value)
        == f"{tmp_path / 'missing.ics'}: cannot be read: No such file or directory"
    )


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.ics").write_bytes(b"abc")
    (tmp_path / "link.ics").symlink_to(tmp_path / "real.ics")
    assert limits.regular_bytes(tmp_path / "link.ics", 3) == b"abc"


def test_the_watchdog_stops_a_loop_at_its_limit_and_not_before() -> None:
    start = time.monotonic()
    with pytest.raises(limits.OutOfTime), limits.watchdog(0.2):
        while True:
            pass
    assert 0.2 <= time.monotonic() - start < 5
    with limits.watchdog(5):
        total = sum(range(1000))  # quick work is never interrupted
    assert total == 499500
    time.sleep(0.05)  # and nothing is left pending to fire later


def test_the_usable_years_are_1900_to_2199() -> None:
    assert limits.YEARS == (1900, 2199)
