"""Compaction merges small Parquet files without changing any query's answer, and is safe to interrupt."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import fsspec
import pytest

from pageclean.io import curated as store
from pageclean.runner import plan_run, run_batch

FOUNDING = (Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt").read_bytes()
NOW = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)
DATES = ["2024-05-20T10:00:00+00:00", "2024-05-21T10:00:00+00:00"]


def _curate_in_small_runs(raw: str | Path, curated: str | Path, runs: int = 3) -> None:
    """Each run adds two new scrapes (one per date) and an empty file, one page per batch: many small parts."""
    fs, root = fsspec.core.url_to_fs(str(raw))
    for run in range(runs):
        fs.makedirs(f"{root}/run{run}", exist_ok=True)
        for i, scraped_at in enumerate(DATES):
            name = f"{root}/run{run}/page{i}.txt"
            fs.pipe_file(name, FOUNDING.replace(b"10,936", f"{10_000 + 10 * run + i:,}".encode()))
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


def test_interrupted_compaction_is_finished_by_recover(tmp_path, monkeypatch):
    """A compaction killed after deleting some old parts is rolled forward by recover: no row lost or doubled."""
    curated = tmp_path / "curated"
    _curate_in_small_runs(tmp_path / "raw", curated, runs=2)
    before = _answers(curated)

    def killed(root, run_id):  # dies after deleting the first old part of the first partition
        batch = sorted((curated / store.STAGING_DIR / run_id).iterdir())[0]
        first_old = (batch / store.REPLACES).read_text().splitlines()[0]
        (curated / first_old).unlink()
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "publish", killed)
    with pytest.raises(KeyboardInterrupt):
        store.compact(curated)
    monkeypatch.undo()
    assert store.recover(curated) > 0
    assert _answers(curated) == before
    assert store.compact(curated).partitions_compacted == 0


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
