"""How long `pageclean run` takes on the bundled one-page sample, and where the seconds go (issue 11).

    python benchmarks/bench_startup.py [--repeat 3] [--against DIR] [--runs-only]

Whole runs (`pageclean run`, a fresh process each, wall seconds, median of --repeat):
- cold: a fresh PREFECT_HOME and catalog copy, as on a machine's first run (the Prefect database
  is created, the language catalogs are built: PAGECLEAN_CACHE_DIR, localize/catalog_cache.py);
- warm: the run right after (it reuses the local Prefect server the previous run left running);
- warm, server stopped: an existing database, but no server running (PAGECLEAN_PREFECT_LINGER=0:
  each run starts its own and stops it), as after a pause longer than the linger time.
--against DIR measures another checkout (`git worktree add /tmp/main main`) the same way, its runs
interleaved with this one's so both see the same machine; an older checkout ignores the linger.
Parts, each alone in a fresh process (--runs-only skips them):
- Python and `import pageclean.cli`; `import flows.curate` (Prefect and the parsers);
- the local Prefect server, from spawn to answering, on a new and on an existing database;
- for comparison, `import prefect.server.api.server`: what the parent paid before, only to spawn
  Prefect's own temporary server.
The machine may be shared: the load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = (("cold (fresh PREFECT_HOME and catalog copy)", {}), ("warm (server of the previous run reused)", {}),
        ("warm, server stopped (linger 0)", {"PAGECLEAN_PREFECT_LINGER": "0"}))


def timed(cmd: list[str], env: dict, cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return time.perf_counter() - start


def run(tree: Path, home: Path, curated: Path, env: dict) -> float:
    """`pageclean run` of the checkout ``tree`` on its bundled sample."""
    env = {**env, "PREFECT_HOME": str(home)}
    if tree != ROOT:
        env["PYTHONPATH"] = f"{tree / 'src'}{os.pathsep}{tree}"
    return timed([sys.executable, "-m", "pageclean.cli", "run", "--raw", str(tree / "raw"), "--curated",
                  str(curated), "-q"], env, cwd=tree)


def show(label: str, values: list[float]) -> None:
    print(f"{label:58} {statistics.median(values):6.2f} s  (min {min(values):.2f}, n={len(values)}, "
          f"load {os.getloadavg()[0]:.1f})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", type=Path, metavar="DIR", help="another checkout to measure alongside")
    ap.add_argument("--runs-only", action="store_true", help="whole runs only (no per-part figures)")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_", "PAGECLEAN_PREFECT_")) and k != "PYTHONPATH"}
    trees = {"this checkout": ROOT}
    if args.against:
        trees[str(args.against)] = args.against.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="pageclean-startup-"))
    print(f"machine {os.cpu_count()} cores; `pageclean run` on the bundled sample (raw/, 1 page)")
    try:
        times: dict[tuple[str, str], list[float]] = {}
        for i in range(args.repeat):
            names = list(trees) if i % 2 == 0 else list(reversed(trees))
            for name in names:
                t = list(trees).index(name)
                home = tmp / f"home-{i}-{t}"
                catalogs = {"PAGECLEAN_CACHE_DIR": str(tmp / f"catalogs-{i}-{t}")}  # built by the cold run
                for j, (row, extra) in enumerate(ROWS):
                    wall = run(trees[name], home, tmp / f"c-{i}-{t}-{j}", {**env, **catalogs, **extra})
                    times.setdefault((name, row), []).append(wall)
                (home / "pageclean-server.json").unlink(missing_ok=True)  # its server stops: unregistered
        for (name, row), values in times.items():
            show(f"{name}: run, {row}", values)
        if args.runs_only:
            return
        py = sys.executable
        parts = {
            "python + import pageclean.cli": [py, "-c", "import pageclean.cli"],
            "python + import flows.curate": [py, "-c", "import flows.curate"],
            "python + import prefect.server.api.server": [py, "-c", "import prefect.server.api.server"],
        }
        for label, cmd in parts.items():
            show(label, [timed(cmd, env) for _ in range(args.repeat)])
        serve = ("import sys; from pathlib import Path; from pageclean.apiserver import acquire; "
                 "s = acquire(Path(sys.argv[1]), linger=0); print(s.wait_ready()); s.release()")
        new_db, old_db = [], []
        for i in range(args.repeat):
            home = tmp / f"server{i}"
            for bucket in (new_db, old_db):
                out = subprocess.run([py, "-c", serve, str(home)], capture_output=True, text=True,
                                     env=env, check=True).stdout
                bucket.append(float(out.strip()))
        show("local server, spawn to answering, new database", new_db)
        show("local server, spawn to answering, existing database", old_db)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
