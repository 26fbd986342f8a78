"""`pageclean run --dask-address` on a freshly started local 2-process Dask cluster, against the
local process pool, in one run (issue 11). Printed, never asserted:

    python benchmarks/bench_dask.py [--pages 2000]

Each mode is a real `pageclean run` in a fresh process. Its pages/s is N / net seconds, where net =
the wall time of the run on N pages minus the wall time of a local run on 1 page: what is left is
what the mode costs for the pages (a cluster's client, its warm-up, shipping batches), without the
fixed start-up of Python and Prefect that every run pays. The order is: the 1-page baseline, the
cluster's first run (its workers never ran anything), the cluster's second run, the local pool.
The ratio last is first run / local (target >= 0.8, goal 1.0).
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

sys.path.insert(0, str(Path(__file__).parent))
from _corpus import text_corpus

ROOT = Path(__file__).resolve().parent.parent


def run_cli(raw: Path, curated: Path, env: dict, *extra: str) -> tuple[float, float]:
    """Wall seconds of one `pageclean run` in a fresh process, and its seconds in the flow."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pageclean.cli", "run", "--raw", str(raw),
                           "--curated", str(curated), "-q", *extra],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"pageclean run failed:\n{proc.stderr}")
    for line in proc.stdout.splitlines():
        if line.strip().startswith("time"):
            return wall, float(line.split()[1].replace(",", ""))
    raise SystemExit(f"no time line in:\n{proc.stdout}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2, help="Dask worker processes and local pool size")
    args = ap.parse_args()
    from distributed import LocalCluster

    tmp = Path(tempfile.mkdtemp(prefix="pageclean-dask-"))
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "ERROR", "PREFECT_HOME": str(tmp / "prefect-home")}
    try:
        raw, one = tmp / "raw", tmp / "one"
        size = text_corpus(raw, args.pages)
        text_corpus(one, 1, seed=2)
        print(f"machine {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; corpus {args.pages:,} "
              f"text dumps, {size / 1e6:,.0f} MB")
        # The first run of the benchmark starts the local Prefect server; the baseline is the second.
        run_cli(one, tmp / "warm-server", env, "--workers", str(args.workers))
        base, _ = run_cli(one, tmp / "base", env, "--workers", str(args.workers))
        print(f"baseline  `pageclean run` on 1 page: {base:5.1f} s wall")
        rows = []
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            for label in ("dask, first run", "dask, second run"):
                wall, flow = run_cli(raw, tmp / label.replace(" ", "").replace(",", "-"), env,
                                     "--dask-address", cluster.scheduler_address)
                rows.append((label, wall, flow))
        wall, flow = run_cli(raw, tmp / "local", env, "--workers", str(args.workers))
        rows.append((f"local pool, {args.workers} workers", wall, flow))
        rates = {}
        for label, wall, flow in rows:
            rates[label] = args.pages / max(wall - base, 1e-9)
            print(f"{label:24} {rates[label]:6.0f} pages/s net ({wall:5.1f} s wall - {base:.1f} s baseline; "
                  f"{args.pages / flow:.0f} pages/s in the flow)")
        local = rates[f"local pool, {args.workers} workers"]
        print(f"ratio     dask first run / local pool: {rates['dask, first run'] / local:.2f} "
              f"(second run: {rates['dask, second run'] / local:.2f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
