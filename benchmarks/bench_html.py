"""Throughput of ``parse_html`` on the HTML fixtures: pages/s and ms per MB, one core.

Run: ``python benchmarks/bench_html.py [--rounds N]``. The project target is >= 40 pages/s end to
end on 2 cores for 1 MB watch pages, which leaves ``parse_html`` about 30 ms per MB.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from pageclean.errors import RejectError
from pageclean.formats.html import parse_html

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "html"
BUDGET_MS_PER_MB = 30.0  # the share of the 2-core, 40 pages/s budget left to HTML parsing


def run_once(text: str) -> str:
    try:
        return parse_html(text).parser
    except RejectError as err:
        return f"reject:{err.reason}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="timed runs per fixture")
    args = parser.parse_args()

    pages = {p.name: p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.htm*"))}
    for text in pages.values():  # warm-up: imports, locale catalogs, regex compilation
        run_once(text)

    total_seconds = 0.0
    total_pages = 0
    total_mb = 0.0
    print(f"{'fixture':28} {'KB':>6} {'outcome':>24} {'ms/page':>9} {'ms/MB':>8}")
    for name, text in pages.items():
        size_mb = len(text.encode("utf-8")) / 1e6
        timings = []
        outcome = ""
        for _ in range(args.rounds):
            start = time.perf_counter()
            outcome = run_once(text)
            timings.append(time.perf_counter() - start)
        median = statistics.median(timings)
        total_seconds += sum(timings)
        total_pages += len(timings)
        total_mb += size_mb * len(timings)
        print(f"{name:28} {size_mb * 1000:6.0f} {outcome:>24} {median * 1000:9.2f} {median * 1000 / size_mb:8.1f}")
    print(
        f"overall: {total_pages / total_seconds:.1f} pages/s, "
        f"{total_seconds * 1000 / total_mb:.1f} ms/MB (budget {BUDGET_MS_PER_MB:.0f} ms/MB)"
    )


if __name__ == "__main__":
    main()
