"""Compaction merges small Parquet files without changing any query's answer, and is safe to interrupt."""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import fsspec
import pyarrow.parquet as pq
import pytest

from pageclean.io import curated as store
from pageclean.io import durable
from pageclean.io.fs import LocalRoot
from pageclean.runner import plan_run, run_batch

FOUNDING = (Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt").read_bytes()
NOW = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)
DATES = ["2024-05-20T10:00:00+00:00", "2024-05-21T10:00:00+00:00"]


def _curate_in_small_runs(raw: str | Path, curated: str | Path, runs: int = 3, dates: list[str] = DATES) -> None:
    """Each run adds new scrapes (one per date) and an empty file, one page per batch: many small parts."""
    fs, root = fsspec.core.url_to_fs(str(raw))
    for run in range(runs):
        fs.makedirs(f"{root}/run{run}", exist_ok=True)
        for i, scraped_at in enumerate(dates):
            name = f"{root}/run{run}/page{i}.txt"
            fs.pipe_file(name, FOUNDING.replace(b"10,936", f"{10_000 + 100 * run + i:,}".encode()))
            fs.pipe_file(name + ".meta.json", json.dumps({"scraped_at": scraped_at}).encode())
        fs.pipe_file(f"{root}/run{run}/empty.txt", b"")
        plan = plan_run(str(raw), str(curated), batch_size=1)
        for n, items in enumerate(plan.batches):
            run_batch(str(raw), str(curated), f"run{run}", n, items, 1_000_000, NOW)
        store.publish(curated, f"run{run}")


def _answers(curated: Path) -> dict:
    """Query answers that compaction must not change."""
    def q(sql: str, table: str) -> list:
        return duckdb.sql(sql.format(t=f"read_parquet('{curated}/{table}/**/*.parquet', hive_partitioning=true)"
                                     )).fetchall()
    return {
        "counts": store.count_rows(curated),
        "views": q("select scrape_date, sum(view_count), count(*) from {t} group by 1 order by 1", "videos"),
        "comment_ids": {r[0] for r in q("select comment_id from {t}", "comments")},
        "comments": q("select page_id, position, comment_id from {t} order by all", "comments"),
        "rejects": q("select reason, count(*) from {t} group by 1", "rejects"),
        "seen": sorted((k, len(v)) for k, v in store.load_seen(curated).items()),
    }


def _files(curated: Path, table: str) -> dict[str, int]:
    return {d.name: len(list(d.glob("*.parquet"))) for d in sorted((curated / table).iterdir())}


def test_compaction_keeps_answers_and_leaves_one_file_per_partition(tmp_path):
    """After small runs, compaction leaves one file per partition; every query answers the same; twice is a no-op."""
    curated = tmp_path / "curated"
    _curate_in_small_runs(tmp_path / "raw", curated)
    before = _answers(curated)
    assert _files(curated, "videos") == {"scrape_date=2024-05-20": 3, "scrape_date=2024-05-21": 3}

    report = store.compact(curated)
    assert report.files_before["videos"] == 6 and report.files_after["videos"] == 2
    assert report.files_before["_state"] == 9 and report.files_after["_state"] == 1
    assert report.partitions_compacted > 0 and report.seconds >= 0
    for table in ("videos", "comments", "chapters", "rejects"):
        assert set(_files(curated, table).values()) == {1}
    assert _answers(curated) == before
    assert not (curated / store.STAGING_DIR).exists() or not any((curated / store.STAGING_DIR).iterdir())

    again = store.compact(curated)
    assert again.partitions_compacted == 0 and again.files_after == again.files_before == report.files_after
    assert _answers(curated) == before

    plan = plan_run(str(tmp_path / "raw"), str(curated), batch_size=10)
    assert plan.batches == [] and plan.skipped_by_stat == 9  # the merged state still skips everything


def test_target_rows_splits_and_converges(tmp_path):
    """With a small target, files hold at most target_rows, answers stay the same, and a second pass is a no-op."""
    curated = tmp_path / "curated"
    _curate_in_small_runs(tmp_path / "raw", curated)
    before = _answers(curated)
    store.compact(curated, target_rows=50)
    for f in (curated / "comments").glob("*/*.parquet"):
        assert duckdb.sql(f"select count(*) from '{f}'").fetchall()[0][0] <= 50
    assert _answers(curated) == before
    assert store.compact(curated, target_rows=50).partitions_compacted == 0


def test_interrupted_object_store_compaction_is_finished_by_recover():
    """On an object store, a compaction killed after deleting some old parts is rolled forward by
    recover: no row lost or doubled."""
    base = "memory://pageclean-compact-killed"
    curated = f"{base}/curated"
    fs = fsspec.filesystem("memory")
    try:
        _curate_in_small_runs(f"{base}/raw", curated, runs=2)
        counts = store.count_rows(curated)
        real_publish = store.publish

        def killed(root, run_id):  # dies after deleting the first old part of the first partition
            job = f"/pageclean-compact-killed/curated/{store.STAGING_DIR}/{run_id}"
            batch = sorted(fs.ls(job, detail=False))[0]
            first_old = fs.cat_file(f"{batch}/{store.REPLACES}").decode().splitlines()[0]
            fs.rm_file(f"/pageclean-compact-killed/curated/{first_old}")
            raise KeyboardInterrupt

        store.publish = killed
        try:
            with pytest.raises(KeyboardInterrupt):
                store.compact(curated)
        finally:
            store.publish = real_publish
        assert store.recover(curated) > 0
        assert store.count_rows(curated) == counts
        assert store.compact(curated).partitions_compacted == 0
    finally:
        fs.rm("/pageclean-compact-killed", recursive=True)


class Killed(BaseException):
    """The process dies here: nothing after it runs, not even compaction's own clean-up."""


@pytest.mark.parametrize("dies", ["before the swap", "between the two renames", "after the swap"])
def test_compaction_killed_around_the_swap_leaves_a_whole_partition(tmp_path, monkeypatch, dies):
    """Killed at any point of a local swap, the folder holds the old partition or the new one; the
    next recover leaves it whole, and staging empty."""
    curated = tmp_path / "curated"
    _curate_in_small_runs(tmp_path / "raw", curated, runs=2)
    before = _answers(curated)

    def die(*args):
        raise Killed

    if dies == "before the swap":
        monkeypatch.setattr(store, "exchange_folders", die)
    elif dies == "between the two renames":  # a system without RENAME_EXCHANGE, killed mid-way
        monkeypatch.setattr(store, "exchange_folders", lambda a, b: False)
        calls = []
        real_replace = durable.replace  # the fallback's renames are durable ones (fsync of the folder)

        def rename(src, dst):
            if os.path.isdir(src):  # a partition folder, not a file or a marker
                calls.append(src)
                if len(calls) == 2:
                    raise Killed
            real_replace(src, dst)

        monkeypatch.setattr(durable, "replace", rename)
    else:
        real_rmtree = LocalRoot.rmtree
        monkeypatch.setattr(LocalRoot, "rmtree", lambda self, rel: die() if "compact-" in rel
                            else real_rmtree(self, rel))
    monkeypatch.setattr(store, "publish", lambda root, job: 0)  # a dead process cleans nothing up
    with pytest.raises(Killed):
        store.compact(curated)
    monkeypatch.undo()
    store.recover(curated)
    assert _answers(curated) == before
    assert not any((curated / store.STAGING_DIR).iterdir())
    store.compact(curated)
    assert _answers(curated) == before
    assert set(_files(curated, "comments").values()) == {1}


def _reader(curated: Path):
    """What a query sees right now: every comment row of every partition, listed then read."""
    rows = []
    for f in sorted((curated / "comments").glob("*/*.parquet")):
        rows += pq.read_table(f, columns=["page_id", "position", "comment_id"]).to_pylist()
    return sorted((r["page_id"], r["position"], r["comment_id"]) for r in rows)


@pytest.mark.skipif(sys.platform != "linux", reason="RENAME_EXCHANGE is Linux's")
def test_a_query_between_any_two_steps_of_compaction_gets_the_same_answer(tmp_path, monkeypatch):
    """Compaction on a local disk: a query run after every file-system step compaction takes (each
    rename, link, unlink, swap) sees exactly the rows it saw before."""
    curated = tmp_path / "curated"
    _curate_in_small_runs(tmp_path / "raw", curated)
    before = _reader(curated)
    seen: list[str] = []

    def after_each(name, fn):
        def step(*args, **kwargs):
            result = fn(*args, **kwargs)
            seen.append(name)
            assert _reader(curated) == before, f"a query after {name} {args[:2]} saw other rows"
            return result
        return step

    for module, name in ((os, "replace"), (os, "rename"), (os, "link"), (os, "unlink")):
        monkeypatch.setattr(module, name, after_each(name, getattr(module, name)))
    monkeypatch.setattr(Path, "unlink", after_each("unlink", Path.unlink))
    if hasattr(store, "exchange_folders"):
        monkeypatch.setattr(store, "exchange_folders", after_each("swap", store.exchange_folders))
    store.compact(curated)
    monkeypatch.undo()
    assert seen  # the reader ran between steps
    assert set(_files(curated, "comments").values()) == {1}
    assert _reader(curated) == before


@pytest.mark.skipif(sys.platform != "linux", reason="RENAME_EXCHANGE is Linux's")
def test_a_concurrent_reader_never_sees_other_rows(tmp_path):
    """A thread querying with DuckDB while compaction swaps 12 partitions: every answer it gets is the
    answer before compaction (a query may fail with file-not-found and be retried, never be wrong)."""
    curated = tmp_path / "curated"
    dates = [f"2024-05-{day:02d}T10:00:00+00:00" for day in range(1, 13)]
    _curate_in_small_runs(tmp_path / "raw", curated, runs=2, dates=dates)
    sql = (f"select count(*), sum(view_count) from read_parquet('{curated}/videos/**/*.parquet', "
           "hive_partitioning=true)")
    expected = duckdb.sql(sql).fetchall()
    answers, failures, done = [], [], threading.Event()

    def query():
        con = duckdb.connect()
        while not done.is_set():
            try:
                answers.append(con.sql(sql).fetchall())
            except duckdb.IOException as exc:  # listed a file the swap then moved away
                failures.append(str(exc))

    reader = threading.Thread(target=query)
    reader.start()
    try:
        report = store.compact(curated)
    finally:
        done.set()
        reader.join()
    assert report.partitions_compacted >= 12
    assert answers and all(answer == expected for answer in answers), [a for a in answers if a != expected][:3]


def test_compaction_under_a_lock_is_refused(tmp_path):
    """Compaction takes the curated lock, so it never runs beside a curate run."""
    curated = tmp_path / "curated"
    _curate_in_small_runs(tmp_path / "raw", curated, runs=1)
    with store.locked(curated), pytest.raises(store.CuratedLockedError, match="being written"):
        store.compact(curated)


def test_compaction_on_a_memory_store():
    """memory:// curated: compaction goes through fsspec and keeps the row counts."""
    base = "memory://pageclean-compact"
    try:
        _curate_in_small_runs(f"{base}/raw", f"{base}/curated", runs=2)
        counts = store.count_rows(f"{base}/curated")
        report = store.compact(f"{base}/curated")
        assert report.files_after["videos"] == 2 and report.files_before["videos"] == 4
        assert store.count_rows(f"{base}/curated") == counts
    finally:
        fsspec.filesystem("memory").rm("/pageclean-compact", recursive=True)
