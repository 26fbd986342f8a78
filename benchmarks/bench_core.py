"""The pure core per page, one process, against ftfy alone: `python benchmarks/bench_core.py`.

300 distinct founding-example pages (counts and ages vary, so caches cannot serve them all);
prints ms per page for `ftfy.fix_text` of the whole text and for `process_page` (decode, detect,
parse, extract, rows), without file I/O or Parquet.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import ftfy

from pageclean.pipeline import PageMeta, process_page

FOUNDING = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"


def main(n: int = 300) -> None:
    data = FOUNDING.read_bytes()
    now = datetime.now(UTC)
    meta = PageMeta("p.txt", len(data), now, "mtime")
    process_page(data, meta, now)  # warm-up: imports and locale catalogs
    pages = [data.replace(b"10,936", str(10_000 + i).encode())
             .replace("3 жыл".encode(), f"{i % 9 + 1} жыл".encode()) for i in range(n)]
    start = time.perf_counter()
    for page in pages:
        ftfy.fix_text(page.decode("utf-8"))
    floor = (time.perf_counter() - start) / n * 1000
    start = time.perf_counter()
    for page in pages:
        process_page(page, meta, now)
    core = (time.perf_counter() - start) / n * 1000
    print(f"{n} pages: ftfy.fix_text {floor:.2f} ms/page, process_page {core:.2f} ms/page "
          f"({core / floor:.2f} x ftfy alone)")


if __name__ == "__main__":
    main()
