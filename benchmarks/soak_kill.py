"""Kill soak (issue 12): SIGKILL `pageclean run` at random moments, run again each time, then check the lake.

    python benchmarks/soak_kill.py                # 3,000 pages, 20 kills
    python benchmarks/soak_kill.py --pages 500 --kills 5 --seed 7

1. A corpus of distinct text dumps (benchmarks/_corpus.py) and one uninterrupted `pageclean run` of it
   into a reference folder: the exact rows the lake must end with, and the run's pages per second
   once it holds the curated lock.
2. The corpus arrives in slices (2 x --kills of them), as an hourly scraper delivers it: before each
   run the next slice is copied into the raw folder, so every run has new pages to curate (and
   whatever the killed run before it left). Each `pageclean run` starts in its own process group;
   once it holds the lock it is SIGKILLed, whole group, at a random moment of the time its work
   should take (a run that finishes first is counted, and the next slice's run is killed instead),
   until --kills runs were killed. After each kill: no process of the group is left, no file changes
   afterwards, every published Parquet file reads whole, no page_id is in videos twice.
3. The rest of the corpus arrives and one last run is left to finish. Then: row counts per table equal
   the reference's, no duplicate page_id, the same page_ids and comment_ids, every Parquet file
   readable, staging empty.

Prints figures and a PASS/FAIL line; it asserts nothing and is not part of CI (many minutes of wall time:
each run pays Prefect's start-up).
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
    """`pageclean run` in its own process group; batches of 50 pages, so a run has several to stage and publish."""
    return subprocess.Popen([sys.executable, "-m", "pageclean.cli", "run", "--raw", str(raw), "--curated",
                             str(curated), "--batch-size", "50", "-q"], cwd=ROOT, env=env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def flow_rate(summary: str) -> float:
    """Pages per second in the flow, from a run's summary ('time  12.3 s in the flow (243.9 pages/s)')."""
    for line in summary.splitlines():
        if line.strip().startswith("time") and "pages/s" in line:
            return float(line.split("(")[1].split()[0].replace(",", ""))
    raise ValueError("no time line in the summary")


def _flock_held(curated: Path, pid: int) -> bool:
    """``pid`` holds a flock on the curated folder's lock file now (/proc/locks: looked at, not taken)."""
    try:
        inode = (curated / ".lock").stat().st_ino
        locks = Path("/proc/locks").read_text()
    except OSError:
        return False
    for line in locks.splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[1] == "FLOCK" and fields[4] == str(pid) and fields[5].endswith(f":{inode}"):
            return True
    return False


def holds_lock(curated: Path, pid: int) -> bool:
    """The run holds the curated lock, and still does a moment later: its flow is working (the CLI also
    takes the lock for an instant before Prefect's start-up, to refuse a locked folder early)."""
    if not _flock_held(curated, pid):
        return False
    time.sleep(0.2)
    return _flock_held(curated, pid)


def phase(curated: Path) -> str:
    """What a killed run left: its staged batches (ready or not)."""
    staging = curated / "_staging"
    batches = list(staging.glob("*/batch-*")) if staging.is_dir() else []
    ready = sum((b / "READY").exists() for b in batches)
    return f"{len(batches)} staged batches ({ready} ready)"


def files(curated: Path) -> dict[str, int]:
    return {str(f): f.stat().st_size for f in curated.rglob("*") if f.is_file()} if curated.is_dir() else {}


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


def group_members(pgid: int) -> list[int]:
    """Processes still in process group ``pgid`` (from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                    members.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return members


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="pageclean-soak-"))
    corpus, raw, curated, reference = work / "corpus", work / "raw", work / "curated", work / "reference"
    home = work / "prefect"
    started = time.monotonic()
    size = text_corpus(corpus, args.pages, seed=args.seed)
    pages = sorted(corpus.rglob("*.txt"), key=lambda f: f.name)
    print(f"corpus: {args.pages:,} text dumps, {size / 1e6:.1f} MB, arriving in slices of "
          f"{args.pages // (2 * args.kills):,} (the rest with the last run)")

    proc = start(corpus, reference, home)
    t0 = time.monotonic()
    while proc.poll() is None and not holds_lock(reference, proc.pid):
        time.sleep(0.05)
    locked_at = time.monotonic()
    out, err = proc.communicate()
    if proc.returncode != 0:
        print(f"reference run failed: {err}")
        return 1
    rate = flow_rate(out)
    held = time.monotonic() - locked_at
    overhead = max(held - args.pages / rate, 1.0)  # starting the process pool, publishing, the summary
    expected, problems = check(reference)
    print(f"reference run: {locked_at - t0:.1f} s start-up, {held:.1f} s from the lock to the end "
          f"({rate:.0f} pages/s in the flow, {overhead:.1f} s besides); rows {expected}")

    kills = finished = 0
    log: list[str] = []
    slices = 2 * args.kills  # room for runs that finish before their kill: each kill is on a run with work

    def arrive(first: int, last: int) -> int:
        for f in pages[first * args.pages // slices:last * args.pages // slices]:
            target = raw / f.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, target)  # same path and mtime as in the reference run: the same rows
        return last * args.pages // slices

    k = 0
    while kills < args.kills and k < slices:
        arrived = arrive(k, k + 1)
        k += 1
        proc = start(raw, curated, home)
        t0 = time.monotonic()
        while proc.poll() is None and not holds_lock(curated, proc.pid):
            time.sleep(0.02)
        locked = time.monotonic()
        published = count_rows(curated)["videos"] if curated.is_dir() else 0  # footers only: quick
        # a moment of the work still to do: recovering, parsing, staging or publishing
        delay = rng.uniform(0, overhead + (arrived - published) / rate)
        while proc.poll() is None and time.monotonic() < locked + delay:
            time.sleep(0.01)
        if proc.poll() is not None:
            finished += 1
            log.append(f"slice {k}: the run finished before its kill ({delay:.2f} s after the lock), "
                       f"exit {proc.returncode}" + ("" if proc.returncode == 0 else f": {proc.stderr.read()[-300:]}"))
            continue
        os.killpg(proc.pid, signal.SIGKILL)
        killed_after = time.monotonic() - locked
        proc.wait()
        snapshot = files(curated)
        time.sleep(2.0)
        survivors = group_members(proc.pid)
        for pid in survivors:
            os.kill(pid, signal.SIGKILL)
        kills += 1
        rows, problems = check(curated)
        if survivors:
            problems.append(f"processes {survivors} outlived the SIGKILL of their group")
        if files(curated) != snapshot:
            problems.append("files changed in the 2 s after the kill")
        log.append(f"kill {kills:2d}: {locked - t0:5.1f} s start-up, killed {killed_after:5.2f} s "
                   f"after taking the lock ({delay:.2f} s drawn); left {phase(curated)}; "
                   f"visible videos {rows.get('videos', 0):,} of {arrived:,} arrived"
                   + (f"; PROBLEMS {problems}" if problems else ""))
        print(log[-1], flush=True)

    arrive(k, slices)  # the rest of the corpus, for the last run
    proc = start(raw, curated, home)
    _, err = proc.communicate()
    final_ok = proc.returncode == 0
    rows, problems = check(curated)
    staging = curated / "_staging"
    leftovers = [p.name for p in staging.iterdir()] if staging.is_dir() else []
    same_keys = keys(curated) == keys(reference)
    print("\n".join(line for line in log if not line.startswith("kill ")))
    print(f"final run: exit {proc.returncode}" + ("" if final_ok else f" {err.strip()[:500]}"))
    print(f"kills: {kills}; runs that finished before their kill: {finished}")
    print(f"rows:      {rows}")
    print(f"expected:  {expected}")
    print(f"same page_ids and comment_ids as the reference: {same_keys}; staging left: {leftovers or 'nothing'}")
    print(f"problems: {problems or 'none'}")
    ok = final_ok and rows == expected and not problems and same_keys and not leftovers
    print(f"{'PASS' if ok else 'FAIL'}: {kills} kills, the lake {'exact' if ok else 'WRONG'}; "
          f"{(time.monotonic() - started) / 60:.1f} min in all")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
