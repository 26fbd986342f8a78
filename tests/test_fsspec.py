"""Raw and curated locations given as fsspec URLs (file://, memory://) curate the same rows as plain paths."""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import fsspec
import polars as pl
import pytest

from flows.curate import curate
from pageclean.errors import CuratedLockedError
from pageclean.io import curated as store
from pageclean.io import rawstore
from pageclean.io.fs import FsspecRoot, LocalRoot, as_url, open_root
from pageclean.runner import plan_run, run_batch

FOUNDING = Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"
SIDECAR = {"url": "https://www.youtube.com/watch?v=0LVQhh0Z0Ws", "scraped_at": "2024-05-20T10:00:00+02:00"}
LATER = {"url": "https://www.youtube.com/watch?v=0LVQhh0Z0Ws", "scraped_at": "2024-06-01T08:00:00+00:00"}
NOW = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)
# The same video scraped again later: other bytes (the views moved), so a page of its own.
RESCRAPE = FOUNDING.read_bytes().replace(b"10,936", b"11,002")
# Columns that hold the moment of the run, which differs between two runs by design.
RUN_TIME_COLUMNS = {"rejected_at"}


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    (root / "sub").mkdir(parents=True)
    shutil.copy(FOUNDING, root / "page.txt")
    (root / "page.txt.meta.json").write_text(json.dumps(SIDECAR))
    (root / "sub" / "again.txt").write_bytes(RESCRAPE)
    (root / "sub" / "again.txt.meta.json").write_text(json.dumps(LATER))
    (root / "empty.txt").write_bytes(b"")
    return root


def _rows(curated: Path) -> dict[str, list[dict]]:
    """Every table's rows, run-time columns dropped, in a stable order."""
    out = {}
    for table in store.TABLES:
        files = sorted(curated.glob(f"{table}/*/*.parquet"))
        if not files:
            out[table] = []
            continue
        df = pl.read_parquet(files, hive_partitioning=True).drop(RUN_TIME_COLUMNS, strict=False)
        out[table] = sorted(df.to_dicts(), key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return out


def test_location_urls_survive_path_wrapping():
    """A URL wrapped in Path ("s3:/b/k") still names the URL; plain and drive-letter paths stay paths."""
    assert as_url(Path("file:///tmp/x")) == "file:///tmp/x"
    assert as_url("file:///tmp/x") == "file:///tmp/x"
    assert as_url(Path("s3://bucket/key")) == "s3://bucket/key"
    assert as_url("memory://a/b") == "memory://a/b"
    assert as_url("/tmp/x") is None and as_url("curated") is None and as_url("C:/data") is None
    assert isinstance(open_root("file:///tmp/x"), FsspecRoot) and isinstance(open_root("/tmp/x"), LocalRoot)


def test_flow_with_file_urls_matches_plain_paths(prefect_harness, raw, tmp_path):
    """The flow on file:// URLs writes the rows plain paths write; a re-run adds nothing; DuckDB and polars read it."""
    plain, via_url = tmp_path / "plain", tmp_path / "via-url"
    first = curate(raw=str(raw), curated=str(plain), batch_size=2)
    summary = curate(raw=raw.as_uri(), curated=via_url.as_uri(), batch_size=2)
    assert (summary.report.pages, summary.report.accepted, dict(summary.report.rejected)) == (3, 2, {"empty": 1})
    assert _rows(via_url) == _rows(plain)
    assert store.count_rows(via_url.as_uri()) == store.count_rows(plain) == store.count_rows(via_url)
    assert first.report.rows == summary.report.rows

    again = curate(raw=raw.as_uri(), curated=via_url.as_uri())
    assert again.report.pages == 0 and again.skipped_by_stat == 3
    assert store.count_rows(via_url) == store.count_rows(plain)
    assert not (via_url / store.STAGING_DIR).exists() or not any((via_url / store.STAGING_DIR).iterdir())

    views = duckdb.sql(f"select sum(view_count), count(*) from read_parquet('{via_url}/videos/**/*.parquet', "
                       "hive_partitioning=true)").fetchall()[0]
    assert views == (10936 + 11002, 2)
    dates = pl.read_parquet(f"{via_url}/videos/**/*.parquet", hive_partitioning=True)["scrape_date"]
    assert sorted(str(d) for d in dates) == ["2024-05-20", "2024-06-01"]


@pytest.fixture
def memory_roots():
    """A raw and a curated folder in fsspec's in-memory filesystem, removed afterwards."""
    base = f"memory://pageclean-{uuid.uuid4().hex}"
    fs = fsspec.filesystem("memory")
    fs.pipe({
        f"{base}/raw/page.txt": FOUNDING.read_bytes(),
        f"{base}/raw/page.txt.meta.json": json.dumps(SIDECAR).encode(),
        f"{base}/raw/deep/copy.txt": RESCRAPE,
        f"{base}/raw/deep/copy.txt.meta.json": json.dumps(LATER).encode(),
        f"{base}/raw/empty.txt": b"",
        f"{base}/raw/lonely.txt.meta.json": b"{}",
    })
    yield f"{base}/raw", f"{base}/curated"
    fs.rm(base.removeprefix("memory://"), recursive=True)


def _run(raw: str, curated: str, run_id: str) -> tuple[int, int]:
    plan = plan_run(raw, curated, batch_size=2)
    for n, items in enumerate(plan.batches):
        run_batch(raw, curated, run_id, n, items, 1_000_000, NOW)
    store.publish(curated, run_id)
    return plan.files, sum(len(b) for b in plan.batches)


def test_memory_store_end_to_end(memory_roots):
    """plan_run + run_batch + publish with memory:// for raw and curated: rows land, a re-run reads nothing."""
    raw, curated = memory_roots
    assert _run(raw, curated, "run1") == (4, 4)
    counts = store.count_rows(curated)
    assert counts["videos"] == 2 and counts["rejects"] == 2 and counts["comments"] == 2 * 37
    fs = fsspec.filesystem("memory")
    assert fs.glob(curated.removeprefix("memory://") + "/videos/scrape_date=2024-06-01/*.parquet")
    assert not fs.exists(curated.removeprefix("memory://") + "/" + store.STAGING_DIR + "/run1")
    assert _run(raw, curated, "run2") == (4, 0)
    assert store.count_rows(curated) == counts


def test_store_without_mtime_hashes_instead(memory_roots, monkeypatch):
    """When a store reports no mtime, a re-run reads and hashes each page and adds no row."""
    monkeypatch.setattr(rawstore, "info_mtime_ns", lambda info: 0)
    raw, curated = memory_roots
    _run(raw, curated, "run1")
    counts = store.count_rows(curated)
    plan = plan_run(raw, curated, batch_size=10)
    assert plan.skipped_by_stat == 1  # the orphan sidecar, a reject decided without reading
    report = run_batch(raw, curated, "run2", 0, plan.batches[0], 1_000_000, NOW)
    store.publish(curated, "run2")
    assert (report.pages, report.unchanged) == (3, 3)  # two pages and the empty file, hashed
    assert store.count_rows(curated) == counts


def test_object_lock_refuses_then_frees_and_expires(memory_roots, monkeypatch):
    """A URL's lock object refuses a second writer, is gone after the run, and a stale one is taken over."""
    _, curated = memory_roots
    with store.locked(curated), pytest.raises(CuratedLockedError, match="being written"), store.locked(curated):
        pass
    root = open_root(curated)
    assert not root.exists(store.LOCK_FILE)

    old = {"holder": "a killed run", "token": "x", "created": "2020-01-01T00:00:00+00:00"}
    root.write_text(store.LOCK_FILE, json.dumps(old))
    with store.locked(curated):
        assert "a killed run" not in root.read_text(store.LOCK_FILE)
    monkeypatch.setattr(store, "STALE_LOCK_SECONDS", 10 ** 12)
    root.write_text(store.LOCK_FILE, json.dumps(old))
    with pytest.raises(CuratedLockedError, match="a killed run"), store.locked(curated):
        pass
