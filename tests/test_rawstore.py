"""Reading raw files: every byte up to the cap, never more than the cap plus the one byte that
says a file is over it, however the file's size changes while it is read."""

from __future__ import annotations

import os

import pytest

from pageclean.io import rawstore
from pageclean.io.rawstore import RawFile, read_at_most, read_page


@pytest.mark.parametrize(("size", "limit", "expected"), [(10, 100, 10), (100, 100, 100), (101, 100, 100),
                                                         (0, 100, 0), (5000, 1, 1)])
def test_read_at_most_reads_the_file_up_to_the_limit(tmp_path, size, limit, expected):
    path = tmp_path / "page.html"
    data = os.urandom(size)
    path.write_bytes(data)
    with open(path, "rb") as fh:
        assert read_at_most(fh, limit) == data[:expected]


@pytest.mark.parametrize(("seen_size", "limit"), [(0, 10_000), (100, 10_000), (100, 2_000), (100, 101)])
def test_a_file_that_grew_after_its_size_was_taken_is_read_on(tmp_path, monkeypatch, seen_size, limit):
    """The read is sized by fstat; bytes written after it (or a file whose size the OS reports as
    0, as /proc does) are still read, up to the limit: a grown page is not cut short."""
    path = tmp_path / "page.html"
    data = os.urandom(5_000)
    path.write_bytes(data)
    real_fstat = os.fstat

    class Shrunk:
        def __init__(self, st: os.stat_result) -> None:
            self.st_size, self.st_mode = seen_size, st.st_mode

    monkeypatch.setattr(rawstore.os, "fstat", lambda fd: Shrunk(real_fstat(fd)))
    with open(path, "rb") as fh:
        assert read_at_most(fh, limit) == data[:limit]


def test_read_page_gives_one_byte_over_max_bytes_and_no_more(tmp_path):
    """One byte over ``max_bytes`` is how the batch knows a file is too large."""
    (tmp_path / "big.txt").write_bytes(b"x" * 1000)
    (tmp_path / "small.txt").write_bytes(b"y" * 10)
    big, small = RawFile("big.txt", 1000, 1), RawFile("small.txt", 10, 1)
    assert read_page(tmp_path, big, 100) == b"x" * 101
    assert read_page(tmp_path, small, 100) == b"y" * 10
