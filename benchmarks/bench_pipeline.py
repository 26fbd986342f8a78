"""End-to-end figures for issue 5, printed (never asserted): run `python benchmarks/bench_pipeline.py`.

- text dumps: pages/s of the whole flow against the floor (read + decode + ftfy.fix_text of each
  page, one process), for each task runner;
- re-run of an unchanged corpus;
- peak RSS of `pageclean run` for two corpus sizes (it must not grow with N);
- 1 MB HTML watch pages: pages/s and ms per MB;
- DuckDB and polars over a 100k-page videos table: top channels by views.

Sizes are flags: `--pages 10000 --html 200 --query-pages 100000`; `--quick` for a smoke run;
`--only html` (or text, memory, query; repeatable) measures those parts alone. Every run uses
`pageclean run`'s default options, apart from --workers.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _corpus import html_corpus, text_corpus

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("text", "memory", "html", "query")
ENV = {**os.environ, "PREFECT_LOGGING_LEVEL": "ERROR"}


def floor(raw: Path) -> tuple[float, int]:
    """Pages/s of read + decode + ftfy.fix_text, one process: the cost of ftfy alone."""
    import ftfy

    files = sorted(raw.rglob("*.txt"))
    start = time.perf_counter()
    for f in files:
        ftfy.fix_text(f.read_bytes().decode("utf-8"))
    return len(files) / (time.perf_counter() - start), len(files)


def run_cli(raw: Path, curated: Path, *extra: str) -> tuple[float, str]:
    """Wall seconds of one `pageclean run` in a fresh process, and its stdout."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pageclean.cli", "run", "--raw", str(raw),
                           "--curated", str(curated), "-q", *extra],
                          capture_output=True, text=True, env=ENV, cwd=ROOT, check=True)
    return time.perf_counter() - start, proc.stdout


def flow_seconds(stdout: str) -> float:
    """The flow's own time from the summary (without Prefect's start-up)."""
    for line in stdout.splitlines():
        if line.strip().startswith("time"):
            return float(line.split()[1].replace(",", ""))
    raise ValueError("no time line in the summary")


def peak_rss_mb(raw: Path, curated: Path, *extra: str) -> float:
    """Peak RSS of `pageclean run` and its worker processes (max over the process tree)."""
    code = (
        "import resource, subprocess, sys;"
        f"subprocess.run([sys.executable, '-m', 'pageclean.cli', 'run', '--raw', {str(raw)!r}, "
        f"'--curated', {str(curated)!r}, '-q', *{list(extra)!r}], check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV,
                         cwd=ROOT, check=True).stdout
    return int(out.strip()) / 1024


def query_benchmark(tmp: Path, n: int) -> None:
    """Top channels by views over an n-row videos table shaped like the curated one."""
    import duckdb
    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pageclean.schema import VIDEOS

    folder = tmp / "q" / "videos"
    rows_per_day = n // 10
    for day in range(10):
        part = folder / f"scrape_date=2024-05-{day + 1:02d}"
        part.mkdir(parents=True)
        ids = range(day * rows_per_day, (day + 1) * rows_per_day)
        cols = {f.name: pa.nulls(rows_per_day, f.type) for f in VIDEOS}
        cols["page_id"] = pa.array([f"{i:064x}" for i in ids])
        cols["channel"] = pa.array([f"channel {i % 5000}" for i in ids])
        cols["view_count"] = pa.array([(i * 7919) % 10_000_000 for i in ids], pa.int64())
        cols["title"] = pa.array([f"episode {i}" for i in ids])
        pq.write_table(pa.table(cols), part / "part-0.parquet", compression="zstd")
    glob = str(folder / "**" / "*.parquet")
    start = time.perf_counter()
    duckdb.sql(f"select channel, sum(view_count) v from read_parquet('{glob}', hive_partitioning=true) "
               "group by channel order by v desc limit 10").fetchall()
    duck = time.perf_counter() - start
    start = time.perf_counter()
    (pl.scan_parquet(glob, hive_partitioning=True).group_by("channel")
     .agg(pl.col("view_count").sum()).sort("view_count", descending=True).head(10).collect())
    polars_s = time.perf_counter() - start
    print(f"query   top channels by views over {n:,} videos: DuckDB {duck * 1000:.0f} ms, "
          f"polars {polars_s * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--html", type=int, default=200)
    ap.add_argument("--query-pages", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="small sizes, to check the script runs")
    ap.add_argument("--only", action="append", choices=PARTS, help="measure only these parts")
    args = ap.parse_args()
    parts = set(args.only or PARTS)
    if args.quick:
        args.pages, args.html, args.query_pages = 300, 10, 10_000
    cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="pageclean-bench-"))
    print(f"machine {cores} cores, {time.strftime('%Y-%m-%d')}")
    try:
        raw = tmp / "raw"
        size = text_corpus(raw, args.pages) if parts & {"text", "memory"} else 0
        if "text" in parts:
            fl, n = floor(raw)
            print(f"corpus  {n:,} text dumps, {size / 1e6:,.0f} MB")
            print(f"floor   read+decode+ftfy.fix_text, 1 process: {fl:,.0f} pages/s "
                  f"(x{cores} cores = {fl * cores:,.0f})")
        runs = (("1 worker", ["--workers", "1"]), (f"{cores} workers", ["--workers", str(cores)]))
        for label, extra in runs if "text" in parts else ():
            curated = tmp / f"cur-{label.split()[0]}"
            wall, out = run_cli(raw, curated, *extra)
            rate = n / flow_seconds(out)
            print(f"run     {label:>10}: {rate:,.0f} pages/s in the flow ({rate / (fl * cores):.2f} x floor x cores), "
                  f"{wall:,.1f} s wall with Prefect start-up")
            wall2, out2 = run_cli(raw, curated, *extra)
            print(f"re-run  {label:>10}, unchanged corpus: {wall2:,.1f} s wall, "
                  f"{flow_seconds(out2):,.2f} s in the flow")
            shutil.rmtree(curated)
        if "memory" in parts:
            small = tmp / "raw-small"
            text_corpus(small, max(args.pages // 10, 10))
            for label, folder, count in (("small", small, max(args.pages // 10, 10)), ("large", raw, args.pages)):
                rss = peak_rss_mb(folder, tmp / f"rss-{label}", "--workers", str(cores))
                print(f"memory  peak RSS, {count:,} pages, {cores} workers: {rss:,.0f} MB")
        if "html" in parts:
            html = tmp / "html"
            html_size = html_corpus(html, args.html)
            wall, out = run_cli(html, tmp / "cur-html", "--workers", str(cores))
            secs = flow_seconds(out)
            print(f"html    {args.html} x 1 MB watch pages, {cores} workers: {args.html / secs:,.1f} pages/s, "
                  f"{secs * 1000 / (html_size / 1e6):,.0f} ms per MB")
        if "query" in parts:
            query_benchmark(tmp, args.query_pages)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"(benchmark process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)")


if __name__ == "__main__":
    main()
