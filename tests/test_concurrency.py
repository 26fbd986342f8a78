"""Writers started at the same moment on one curated folder, as separate `pageclean` processes: one runs, the
others refuse or wait; compaction beside a run never changes what a query of the existing rows answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pageclean.io import curated as store
from pageclean.runner import plan_run, run_batch

FOUNDING = (Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt").read_bytes()
# Each process starts its own Prefect; on a busy CI machine that can take far longer than the default 20 s.
STARTUP = {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300"}


def _pages(raw: Path, first: int, count: int, day: int) -> None:
    folder = raw / f"day{day}"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + count):
        (folder / f"p{i:05d}.txt").write_bytes(FOUNDING.replace(b"10,936", f"{100_000 + i:,}".encode()))
        (folder / f"p{i:05d}.txt.meta.json").write_text(json.dumps({"scraped_at": f"2024-05-{day:02d}T10:00:00Z"}))


def _start(tmp_path: Path, name: str, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= STARTUP | {"PREFECT_HOME": str(tmp_path / f"prefect-{name}")}  # the lock under test is ours, not Prefect's
    return subprocess.Popen([sys.executable, "-m", "pageclean.cli", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=600)
    return proc.returncode, out, err


def test_runs_started_together_one_runs_the_others_refuse_or_wait(tmp_path):
    """Three runs at once: the ones without --wait that lose refuse in one sentence; the --wait one queues;
    every page is curated exactly once."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    _pages(raw, 0, 1500, 20)  # enough work that the first run still holds the lock when the others ask
    common = ["--raw", str(raw), "--curated", str(curated), "--workers", "1", "-q"]
    procs = {"a": _start(tmp_path, "a", "run", *common), "b": _start(tmp_path, "b", "run", *common),
             "waits": _start(tmp_path, "waits", "run", *common, "--wait", "600")}
    results = {name: _finish(p) for name, p in procs.items()}
    for _, out, err in results.values():
        assert "Traceback" not in out + err
    assert results["waits"][0] == 0, results["waits"][2]
    refused = [name for name in ("a", "b") if results[name][0] == 1]
    assert refused, "two runs wrote the folder at once"
    for name in refused:
        lines = [line for line in results[name][2].splitlines() if line.strip()]
        assert len(lines) == 1 and "is being written by pageclean" in lines[0] and "--wait" in lines[0], lines
    assert store.count_rows(curated)["videos"] == 1500
    ids = duckdb.sql(f"select count(*), count(distinct page_id) from read_parquet('{curated}/videos/*/*.parquet')")
    assert ids.fetchall() == [(1500, 1500)]


QUERIES = {  # the README's kinds of question, over the partitions that exist before the run
    "views": "select scrape_date, count(*), sum(view_count) from {videos} group by all order by all",
    "comments": "select v.page_id, count(*) from {videos} v join {comments} c using (page_id) "
                "group by all order by all",
    "chapters": "select count(*), sum(start_seconds) from {chapters}",
    "rejects": "select reason, count(*) from {rejects} group by all order by all",
}


def _ask(curated: Path, days: tuple[int, ...]) -> dict[str, list]:
    dates = ", ".join(f"'2024-05-{d:02d}'" for d in days)
    tables = {t: f"(select * from read_parquet('{curated}/{t}/*/*.parquet', hive_partitioning=true, "
                 f"union_by_name=true) where scrape_date in ({dates}))" for t in ("videos", "comments", "chapters")}
    tables["rejects"] = f"read_parquet('{curated}/rejects/*/*.parquet', hive_partitioning=true, union_by_name=true)"
    return {name: duckdb.sql(q.format(**tables)).fetchall() for name, q in QUERIES.items()}


def test_run_and_compact_started_together_answers_stay_the_same(tmp_path):
    """`pageclean run` (new pages, new dates) and `pageclean compact` at once, each with --wait: every query of
    the existing partitions, polled throughout, answers as before; afterwards the new pages are all there."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    for day in (1, 2, 3):
        _pages(raw, day * 1000, 12, day)
    (raw / "empty.txt").write_bytes(b"")
    plan = plan_run(str(raw), str(curated), batch_size=1)  # one file per page and table: much to compact
    for n, items in enumerate(plan.batches):
        run_batch(str(raw), str(curated), "small", n, items, 1 << 25, datetime(2024, 6, 1, tzinfo=UTC))
    store.publish(curated, "small")
    old_days = (1, 2, 3)
    before = _ask(curated, old_days)
    for day in (4, 5):
        _pages(raw, day * 1000, 200, day)

    run = _start(tmp_path, "run", "run", "--raw", str(raw), "--curated", str(curated), "--wait", "600", "-q")
    compact = _start(tmp_path, "compact", "compact", "--curated", str(curated), "--wait", "600")
    polls = retried = 0
    while run.poll() is None or compact.poll() is None:
        try:
            answer = _ask(curated, old_days)
        except duckdb.IOException as exc:  # listed a file that a swap then moved away: asked again
            assert "No such file" in str(exc) or "not found" in str(exc).lower(), exc
            retried += 1
            continue
        assert answer == before, "a query changed its answer during the run and the compaction"
        polls += 1
        time.sleep(0.01)
    for proc in (run, compact):
        code, out, err = _finish(proc)
        assert code == 0 and "Traceback" not in out + err, err
    assert polls > 10 and retried <= polls
    assert _ask(curated, old_days) == before
    assert store.count_rows(curated)["videos"] == 3 * 12 + 2 * 200
    for day in old_days:  # compaction merged the small files of the existing partitions
        assert len(list((curated / "videos" / f"scrape_date=2024-05-{day:02d}").glob("*.parquet"))) == 1
