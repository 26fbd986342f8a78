"""Cost of the language layer per page: detect once + match_label on every line of the founding
example, amortized over 1,000 iterations after warm-up; plus the cold start of all catalogs.

Run: python benchmarks/bench_localize.py
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "tests/fixtures/text/000_bc69be185f79b3dd.txt"
ITERATIONS = 1_000
COLD_START_SCRIPT = """
import time
t = time.perf_counter()
from pageclean.localize import detect
from pageclean.localize.catalog import HL_CODES, load_catalog
for code in HL_CODES:
    load_catalog(code)
detect(["x"])  # builds the cross-language index too
print(time.perf_counter() - t)
"""


def page_cost(lines: list[str], clear_cache: bool) -> float:
    localize = importlib.import_module("pageclean.localize")
    labels = importlib.import_module("pageclean.localize.labels")
    start = time.perf_counter()
    for _ in range(ITERATIONS):
        if clear_cache:  # every line new, as on a real page: no help from earlier pages
            labels.match_all.cache_clear()
            labels.prepare.cache_clear()
        language = localize.detect(lines).language
        for line in lines:
            localize.match_label(line, language)
    return (time.perf_counter() - start) / ITERATIONS * 1000


def main() -> None:
    cold = float(subprocess.run([sys.executable, "-c", COLD_START_SCRIPT], check=True,
                                capture_output=True, text=True).stdout)
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    page_cost(lines, clear_cache=True)  # warm-up: catalogs, regexes
    warm = page_cost(lines, clear_cache=False)
    uncached = page_cost(lines, clear_cache=True)
    print(f"page: {FIXTURE.name}, {len(lines)} lines, {ITERATIONS} iterations")
    print(f"cold start (import + all {83} catalogs + index): {cold * 1000:.0f} ms")
    print(f"per page, lru_cache warm (repeated lines):     {warm:.3f} ms")
    print(f"per page, lru_cache cleared every page:        {uncached:.3f} ms")


if __name__ == "__main__":
    main()
