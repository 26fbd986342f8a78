"""The Prefect flow end to end on a small raw folder: tables, rejects, idempotent and incremental re-runs."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.curate import curate
from pageclean.errors import CuratedLockedError
from pageclean.io import curated as store

FOUNDING = Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"

SIDECAR = {"url": "https://www.youtube.com/watch?v=0LVQhh0Z0Ws", "scraped_at": "2024-05-20T10:00:00+02:00"}
# The same video scraped again: the views moved, so other bytes and a page of its own.
RESCRAPE = FOUNDING.read_bytes().replace(b"10,936", b"11,002")


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    (root / "sub dir" / "ünï cödé").mkdir(parents=True)
    shutil.copy(FOUNDING, root / "page.txt")
    (root / "page.txt.meta.json").write_text(json.dumps(SIDECAR))
    shutil.copy(FOUNDING, root / "sub dir" / "ünï cödé" / "copy #2.txt")  # a scraper's retry: the same bytes
    (root / "sub dir" / "ünï cödé" / "rescrape.txt").write_bytes(RESCRAPE)  # no sidecar: mtime
    (root / "empty.txt").write_bytes(b"")
    (root / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    (root / "notes.pdf").write_bytes(b"%PDF-1.7")
    (root / "lonely.txt.meta.json").write_text("{}")
    outside = tmp_path / "secret.txt"
    outside.write_text("not yours")
    os.symlink(outside, root / "link.txt")
    return root


def _read(curated: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(curated / table / "**" / "*.parquet", hive_partitioning=True)


def test_flow_curates_and_rejects(prefect_harness, raw, tmp_path):
    """Every raw file ends as a video or one reject with a reason; tables are readable by polars and DuckDB."""
    curated = tmp_path / "curated"
    summary = curate(raw=str(raw), curated=str(curated), batch_size=3)
    assert summary.report.pages == 8
    assert summary.report.accepted == 2
    assert dict(summary.report.rejected) == {
        "empty": 1, "binary": 1, "unsupported_format": 1, "orphan_sidecar": 1, "symlink_outside": 1,
        "duplicate": 1}

    videos = _read(curated, "videos").sort("source_path")
    assert videos["source_path"].to_list() == ["page.txt", "sub dir/ünï cödé/rescrape.txt"]
    assert videos["scraped_at_source"].to_list() == ["sidecar", "mtime"]
    assert videos["video_id"].to_list() == ["0LVQhh0Z0Ws", None]
    assert str(videos["scrape_date"][0]) == "2024-05-20"
    assert _read(curated, "comments").height == 74
    assert _read(curated, "chapters").height == 54
    rejects = _read(curated, "rejects")
    assert rejects["detail"].null_count() == 0
    copy = rejects.filter(pl.col("reason") == "duplicate").row(0, named=True)
    assert copy["source_path"] == "sub dir/ünï cödé/copy #2.txt" and "'page.txt'" in copy["detail"]
    assert copy["page_id"] == videos["page_id"][0]

    top = duckdb.sql(
        f"select channel, sum(view_count) v from read_parquet('{curated}/videos/**/*.parquet', "
        "hive_partitioning=true) group by channel").fetchall()
    assert top == [("Machine Learning Street Talk", 10936 + 11002)]  # the copy's views are not counted twice
    per_page = duckdb.sql(  # the README's query: one row per page, 37 comments each
        f"select v.view_count, count(*) from read_parquet('{curated}/videos/**/*.parquet', hive_partitioning=true) v "
        f"join read_parquet('{curated}/comments/**/*.parquet', hive_partitioning=true) c using (page_id) "
        "group by all order by 1").fetchall()
    assert per_page == [(10936, 37), (11002, 37)]


def test_rerun_is_idempotent_and_incremental(prefect_harness, raw, tmp_path):
    """A second run adds no row; a touched file is re-hashed, not re-parsed; a changed file adds its new version."""
    curated = tmp_path / "curated"
    curate(raw=str(raw), curated=str(curated))
    before = store.count_rows(curated)

    again = curate(raw=str(raw), curated=str(curated))
    assert again.report.pages == 0 and again.skipped_by_stat == 8
    assert store.count_rows(curated) == before

    os.utime(raw / "page.txt")  # same bytes, new mtime
    touched = curate(raw=str(raw), curated=str(curated))
    assert (touched.report.pages, touched.report.unchanged) == (1, 1)
    assert store.count_rows(curated) == before

    (raw / "page.txt").write_bytes(FOUNDING.read_bytes().replace(b"10,936", b"12,345"))
    changed = curate(raw=str(raw), curated=str(curated))
    assert changed.report.accepted == 1
    views = _read(curated, "videos").filter(pl.col("source_path") == "page.txt")["view_count"].sort().to_list()
    assert views == [10936, 12345]  # a re-scrape is a new row: views over time are queryable


def test_killed_run_is_rolled_forward_or_discarded(tmp_path):
    """Staged batches marked READY are published by the next run; unfinished ones are deleted."""
    curated = tmp_path / "curated"
    row = {"source_path": "a.txt", "page_id": None, "reason": "empty", "detail": "Empty.",
           "source_format": "textdump", "size_bytes": 0,
           "rejected_at": __import__("datetime").datetime(2024, 1, 1, tzinfo=__import__("datetime").UTC),
           "pipeline_version": "test"}
    store.write_batch(curated, "run1", 0, {"rejects": [row]}, {"rejects": ["2024-01-01"]}, [])
    (curated / store.STAGING_DIR / "run1" / "batch-000001" / "rejects").mkdir(parents=True)  # no READY
    assert store.count_rows(curated)["rejects"] == 0  # nothing visible before publishing
    assert store.recover(curated) == 1
    assert store.count_rows(curated)["rejects"] == 1
    assert not (curated / store.STAGING_DIR / "run1").exists()


def test_second_writer_is_refused(tmp_path):
    """Two runs on one curated folder: the second refuses clearly instead of interleaving."""
    curated = tmp_path / "curated"
    with store.locked(curated), pytest.raises(CuratedLockedError, match="being written"), store.locked(curated):
        pass


def test_run_publishes_artifacts(prefect_harness, raw, tmp_path):
    """Each run leaves a markdown summary and a rejects-by-reason table in Prefect."""
    from prefect.artifacts import Artifact

    summary = curate(raw=str(raw), curated=str(tmp_path / "curated"))
    markdown = Artifact.get("pageclean-summary")
    assert markdown is not None and summary.run_id in markdown.data
    rejects = Artifact.get("pageclean-rejects")
    assert rejects is not None and "symlink_outside" in str(rejects.data)


def _table_digest(curated: Path) -> dict[str, list]:
    """Rows that identify a run's output, without run-specific file names or times."""
    return {
        "videos": sorted(_read(curated, "videos")["page_id"].to_list()),
        "comments": sorted(_read(curated, "comments")["comment_id"].to_list()),
        "rejects": sorted(_read(curated, "rejects")["source_path"].to_list()),
    }


def test_process_pool_gives_the_same_rows(prefect_harness, raw, tmp_path):
    """--workers 2 (batches in a process pool) writes exactly what one worker writes."""
    from flows.curate import run_curate

    one, two = tmp_path / "one", tmp_path / "two"
    run_curate(workers=1, raw=str(raw), curated=str(one), batch_size=2)
    summary = run_curate(workers=2, raw=str(raw), curated=str(two), batch_size=2)
    assert summary.report.pages == 8
    assert _table_digest(two) == _table_digest(one)
    page_ids = _table_digest(two)["videos"]  # batches of 2 in two processes: still one row per page
    assert len(page_ids) == len(set(page_ids)) == 2 and summary.report.rejected["duplicate"] == 1


def test_flow_alone_parses_in_a_process_pool(prefect_harness, raw, tmp_path):
    """The flow itself starts the pool, as under `pageclean serve` or a work-pool worker, where no
    CLI sets it up: its batches are parsed in `workers` processes."""
    from flows.curate import curate

    summary = curate(raw=str(raw), curated=str(tmp_path / "curated"), batch_size=1, workers=2)
    assert summary.batches == 7
    assert len(summary.parsed_in) == 2
    assert os.getpid() not in summary.parsed_in


def test_dask_cluster_gives_the_same_rows(prefect_harness, raw, tmp_path):
    """--dask-address runs the same flow on a Dask cluster (a LocalCluster here) with the same rows."""
    from distributed import LocalCluster

    from flows.curate import run_curate

    one, dask = tmp_path / "one", tmp_path / "dask"
    run_curate(workers=1, raw=str(raw), curated=str(one), batch_size=3)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_curate(dask_address=cluster.scheduler_address, raw=str(raw), curated=str(dask), batch_size=3)
    assert summary.report.pages == 8
    assert _table_digest(dask) == _table_digest(one)


def test_pseudonymized_run_stores_no_handle(prefect_harness, raw, tmp_path, monkeypatch):
    """With --pseudonymize-authors (key from the environment) no handle reaches the comments table."""
    from flows.curate import run_curate

    monkeypatch.setenv("PAGECLEAN_AUTHOR_KEY", "a-test-key-of-32-characters-long")
    curated = tmp_path / "curated"
    run_curate(workers=2, raw=str(raw), curated=str(curated), pseudonymize_authors=True)
    comments = _read(curated, "comments")
    assert comments["author"].str.starts_with("anon_").all()
    assert not comments["text"].str.contains("@things_leftunsaid").any()


def test_too_large_file_is_read_once_the_limit_is_raised(prefect_harness, raw, tmp_path):
    """A too_large reject is not retried at the same limit, and is parsed once --max-bytes allows it."""
    curated = tmp_path / "curated"
    size = (raw / "page.txt").stat().st_size
    first = curate(raw=str(raw), curated=str(curated), max_bytes=size - 1)
    assert first.report.rejected["too_large"] == 3  # page.txt, its copy and the re-scrape
    same = curate(raw=str(raw), curated=str(curated), max_bytes=size - 1)
    assert same.report.pages == 0
    raised = curate(raw=str(raw), curated=str(curated), max_bytes=size)
    assert raised.report.pages == 3 and raised.report.accepted == 2 and raised.report.rejected["duplicate"] == 1
    again = curate(raw=str(raw), curated=str(curated), max_bytes=size)
    assert again.report.pages == 0
