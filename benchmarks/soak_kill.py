"""Kill soak (issue 12): SIGKILL `pageclean run` at random moments, run again each time, then check the lake.

    python benchmarks/soak_kill.py                # 3,000 pages, 20 kills
    python benchmarks/soak_kill.py --pages 500 --kills 5 --seed 7

1. A corpus of distinct text dumps (benchmarks/_corpus.py) and one uninterrupted `pageclean run` into a
   reference folder: the exact rows the lake must end with, and how long the run works once it holds
   the curated lock (the working window).
2. `--kills` times: start `pageclean run` in its own process group, wait until it holds the lock, then
   SIGKILL the whole group at a random moment of the remaining working window (a run that finishes
   first is counted, and the next one is killed instead). After each kill, before the next run: every
   published Parquet file reads whole and no page_id is in videos twice, as any query would see it.
3. One last run, left to finish. Then: row counts per table equal the reference's, no duplicate
   page_id, the same page_ids and comment_ids, every Parquet file readable, staging empty.

Prints figures and a PASS/FAIL line; it asserts nothing and is not part of CI (minutes of wall time).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from pageclean.io.curated import count_rows

sys.path.insert(0, str(Path(__file__).parent))
from _corpus import text_corpus

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("videos", "chapters", "links", "comments", "related_videos", "rejects")


def env(home: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    # SIGKILL leaves Prefect's own database as a crash leaves it: part of what this soak exercises.
    return clean | {"PREFECT_HOME": str(home), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300"}


def start(raw: Path, curated: Path, home: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pageclean.cli", "run", "--raw", str(raw), "--curated",
                             str(curated), "-q"], cwd=ROOT, env=env(home), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def holds_lock(curated: Path, pid: int) -> bool:
    """The run wrote itself into the lock file: it is past Prefect's start-up and working."""
    try:
        return f"pid {pid} " in (curated / ".lock").read_text()
    except OSError:
        return False


def descendants(pid: int) -> set[int]:
    """Every process whose parent chain leads to ``pid`` (from /proc), whatever its process group."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def phase(curated: Path) -> str:
    """What a killed run left: its staged batches (ready or not)."""
    staging = curated / "_staging"
    batches = list(staging.glob("*/batch-*")) if staging.is_dir() else []
    ready = sum((b / "READY").exists() for b in batches)
    return f"{len(batches)} staged batches ({ready} ready)"


def check(curated: Path) -> tuple[dict[str, int], list[str]]:
    """Rows per table from reading every published file whole, and what is wrong (duplicates, torn files)."""
    problems: list[str] = []
    rows: dict[str, int] = {}
    ids: list[str] = []
    for table in TABLES:
        for f in sorted((curated / table).glob("*/*.parquet")):
            try:
                t = pq.read_table(f)
            except Exception as exc:
                problems.append(f"unreadable {f.relative_to(curated)}: {exc}")
                continue
            rows[table] = rows.get(table, 0) + t.num_rows
            if table == "videos":
                ids += t["page_id"].to_pylist()
    for f in sorted((curated / "_state").glob("*.parquet")):
        try:
            pq.read_table(f)
        except Exception as exc:
            problems.append(f"unreadable {f.relative_to(curated)}: {exc}")
    if len(ids) != len(set(ids)):
        problems.append(f"{len(ids) - len(set(ids))} page_ids twice in videos")
    return rows, problems


def keys(curated: Path) -> tuple[set, set]:
    def column(table: str, name: str) -> set:
        files = (curated / table).glob("*/*.parquet")
        return {v for f in files for v in pq.read_table(f, columns=[name])[name].to_pylist()}
    return column("videos", "page_id"), column("comments", "comment_id")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="pageclean-soak-"))
    raw, curated, reference, home = work / "raw", work / "curated", work / "reference", work / "prefect"
    started = time.monotonic()
    size = text_corpus(raw, args.pages, seed=args.seed)
    print(f"corpus: {args.pages:,} text dumps, {size / 1e6:.1f} MB in {raw}")

    proc = start(raw, reference, home)
    t0 = time.monotonic()
    while proc.poll() is None and not holds_lock(reference, proc.pid):
        time.sleep(0.05)
    locked_at = time.monotonic()
    _, err = proc.communicate()
    if proc.returncode != 0:
        print(f"reference run failed: {err}")
        return 1
    window = time.monotonic() - locked_at
    expected, problems = check(reference)
    print(f"reference run: {locked_at - t0:.1f} s start-up, {window:.1f} s holding the lock; rows {expected}")

    kills = finished = 0
    log: list[str] = []
    while kills < args.kills:
        proc = start(raw, curated, home)
        t0 = time.monotonic()
        while proc.poll() is None and not holds_lock(curated, proc.pid):
            time.sleep(0.02)
        published = count_rows(curated)["videos"] if curated.is_dir() else 0  # footers only: quick
        remaining = max(0.2, window * (1 - published / args.pages))
        delay = rng.uniform(0, remaining * 1.1)
        deadline = time.monotonic() + delay
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if proc.poll() is not None:
            finished += 1
            log.append(f"run finished before its kill ({delay:.2f} s after the lock), exit {proc.returncode}")
            if proc.returncode != 0:
                log.append("  stderr: " + proc.stderr.read().strip()[:300])
            if finished > 3 * args.kills:
                break
            continue
        orphans = descendants(proc.pid)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for pid in descendants(proc.pid) | orphans:  # anything that left the group (none expected)
            try:
                os.kill(pid, signal.SIGKILL)
                log.append(f"  process {pid} outside the group survived the kill")
            except ProcessLookupError:
                pass
        kills += 1
        rows, problems = check(curated)
        log.append(f"kill {kills:2d}: {time.monotonic() - t0:5.1f} s after start, {delay:5.2f} s into the work; "
                   f"left {phase(curated)}; visible videos {rows.get('videos', 0):,}"
                   + (f"; PROBLEMS {problems}" if problems else ""))
        print(log[-1], flush=True)

    proc = start(raw, curated, home)
    _, err = proc.communicate()
    final_ok = proc.returncode == 0
    rows, problems = check(curated)
    staging = curated / "_staging"
    leftovers = [p.name for p in staging.iterdir()] if staging.is_dir() else []
    same_keys = keys(curated) == keys(reference)
    print("\n".join(line for line in log if not line.startswith("kill ")))
    print(f"final run: exit {proc.returncode}" + ("" if final_ok else f" {err.strip()[:500]}"))
    print(f"kills: {kills} (runs that finished before their kill: {finished})")
    print(f"rows:      {rows}")
    print(f"expected:  {expected}")
    print(f"same page_ids and comment_ids as the reference: {same_keys}; staging left: {leftovers or 'nothing'}")
    print(f"problems: {problems or 'none'}")
    ok = final_ok and rows == expected and not problems and same_keys and not leftovers
    print(f"{'PASS' if ok else 'FAIL'}: {kills} of {args.kills} kills survived; "
          f"{(time.monotonic() - started) / 60:.1f} min in all")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
