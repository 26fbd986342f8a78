"""Reprocess at scale (issue 12): a lake the previous release wrote, re-curated by this version.

    python benchmarks/bench_reprocess.py              # 10,000 text dumps, previous release = eb8ab31
    python benchmarks/bench_reprocess.py --pages 1000 --old-commit eb8ab31

1. A corpus of distinct text dumps (benchmarks/_corpus.py).
2. `pageclean run` of the previous release (--old-commit's tree from `git archive`, run with this
   environment's dependencies) writes the old lake: its rows say pipeline_version 0.1.0.
3. `pageclean reprocess` of this checkout re-curates it; its summary (pages changed, values that changed
   most) and its time are printed.
4. A fresh `pageclean run` of this checkout into another folder, and the two lakes compared table by table
   (rejected_at aside): reprocessing must give what a fresh run gives.

Prints figures; asserts nothing; not part of CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from _corpus import text_corpus

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"videos": ["page_id", "source_path"], "rejects": ["page_id", "source_path"],
        "chapters": ["page_id", "position"], "links": ["page_id", "position"],
        "comments": ["page_id", "position"], "related_videos": ["page_id", "position"]}


def pageclean(code: Path, home: Path, *args: str) -> tuple[float, str]:
    """Wall seconds and stdout of `pageclean ARGS` run from the source tree ``code``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(home), "PYTHONPATH": f"{code / 'src'}{os.pathsep}{code}",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300", "COLUMNS": "110"}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pageclean.cli", *args], cwd=code, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"pageclean {' '.join(args)} failed:\n{proc.stderr}")
    return time.perf_counter() - started, proc.stdout


def table(curated: Path, name: str) -> pl.DataFrame:
    from pageclean.lake.frames import scan_table

    df = scan_table(curated, name).collect()  # files of both versions, by column name
    return df.drop("rejected_at", "scrape_date", strict=False).sort(KEYS[name])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--old-commit", default="eb8ab31", help="the previous release (tests/fixtures/lake-v1/README.md)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pageclean-reprocess-"))
    old_code = work / "old-code"
    try:
        old_code.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.old_commit], check=True,
                                 capture_output=True).stdout  # the old tree, without touching the repository
        subprocess.run(["tar", "-x", "-C", str(old_code)], input=archive, check=True)
        raw, lake, fresh = work / "raw", work / "lake", work / "fresh"
        size = text_corpus(raw, args.pages)
        print(f"corpus: {args.pages:,} text dumps, {size / 1e6:.0f} MB")
        seconds, _ = pageclean(old_code, work / "prefect-old", "run", "--raw", str(raw), "--curated", str(lake), "-q")
        print(f"previous release ({args.old_commit}) wrote the lake in {seconds:.1f} s")
        seconds, out = pageclean(ROOT, work / "prefect", "reprocess", "--raw", str(raw), "--curated", str(lake), "-q")
        print(f"\n$ pageclean reprocess --raw raw --curated lake   ({seconds:.1f} s wall)\n{out}")
        seconds, _ = pageclean(ROOT, work / "prefect", "run", "--raw", str(raw), "--curated", str(fresh), "-q")
        print(f"fresh run of this version: {seconds:.1f} s wall")
        for name in KEYS:
            same = table(lake, name).equals(table(fresh, name))
            print(f"  {name:15s} reprocessed == fresh run: {same}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
