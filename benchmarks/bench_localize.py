"""Cost of the language layer per page, measured on the founding example the way the text-dump
parser calls it: the exact detect/match_label/parse_* calls that ``parse_textdump`` makes on the
page are recorded once, then replayed. Target (issue): under 1 ms per page, amortized.

Three figures:
- repeated lines: the per-line caches stay warm, as when many pages share labels;
- fresh lines: the caches are cleared before every page, so every line is new (the honest case);
- cold start: a new process importing the layer and building all catalogs and the global index.

Run: python benchmarks/bench_localize.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pageclean import localize
from pageclean.formats import textdump
from pageclean.localize import labels

FIXTURE = Path(__file__).resolve().parents[1] / "tests/fixtures/text/000_bc69be185f79b3dd.txt"
ITERATIONS = 1_000
TARGET_MS = 1.0  # the bar: "under 1 ms per page (amortized)"
API = ("detect", "match_label", "parse_count", "parse_relative_age", "parse_date", "is_ui_chrome")
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

Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def record_calls(text: str) -> list[Call]:
    """The language-layer calls parse_textdump makes on one page, in order."""
    calls: list[Call] = []
    originals = {name: getattr(localize, name) for name in API if hasattr(localize, name)}

    def recorder(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            calls.append((fn, args, kwargs))
            return fn(*args, **kwargs)

        return wrapped

    try:
        for name, fn in originals.items():
            setattr(localize, name, recorder(fn))
        textdump.parse_textdump(text)
    finally:
        for name, fn in originals.items():
            setattr(localize, name, fn)
    return calls


def page_cost(calls: list[Call], fresh: bool) -> float:
    """Milliseconds per page for replaying the calls, amortized over ITERATIONS."""
    start = time.perf_counter()
    for _ in range(ITERATIONS):
        if fresh:  # every line new, as on a page never seen: no help from earlier pages
            labels.clear_line_caches()
        for fn, args, kwargs in calls:
            fn(*args, **kwargs)
    return (time.perf_counter() - start) / ITERATIONS * 1000


def main() -> None:
    cold = float(subprocess.run([sys.executable, "-c", COLD_START_SCRIPT], check=True,
                                capture_output=True, text=True).stdout)
    text = FIXTURE.read_text(encoding="utf-8")
    calls = record_calls(text)
    page_cost(calls, fresh=True)  # warm-up: catalogs, regexes
    repeated = page_cost(calls, fresh=False)
    fresh = page_cost(calls, fresh=True)
    counts = Counter(fn.__name__ for fn, _, _ in calls)
    detect_lines = sum(len(args[0]) for fn, args, _ in calls if fn.__name__ == "detect")
    print(f"page: {FIXTURE.name}, {len(text.splitlines())} lines, {ITERATIONS} iterations")
    print("calls as parse_textdump makes them: "
          + ", ".join(f"{name} x{n}" for name, n in counts.items())
          + f" (detect over {detect_lines} lines)")
    print(f"target: under {TARGET_MS:.1f} ms per page, amortized")
    print(f"per page, repeated lines (caches warm):     {repeated:.3f} ms")
    print(f"per page, fresh lines (caches cleared):     {fresh:.3f} ms"
          f"  [{'meets' if fresh < TARGET_MS else 'MISSES'} the target]")
    print(f"cold start (import + all catalogs + index): {cold * 1000:.0f} ms, once per process")


if __name__ == "__main__":
    main()
