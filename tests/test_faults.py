"""Faults: the disk fills in the middle of a write; the run says so in one line, the tables stay as they were,
and the next run completes."""

from __future__ import annotations

import errno
import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

from pageclean.cli import main
from pageclean.io import curated as store
from pageclean.io import durable
from pageclean.runner import plan_run, run_batch

FOUNDING = Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"


def _pages(raw: Path, first: int, count: int) -> None:
    for i in range(first, first + count):
        (raw / f"p{i:03d}.txt").write_bytes(FOUNDING.read_bytes().replace(b"10,936", f"{30_000 + i:,}".encode()))
        (raw / f"p{i:03d}.txt.meta.json").write_text(json.dumps({"scraped_at": f"2024-05-{10 + i % 5:02d}T10:00:00Z"}))


def _curate(raw: Path, curated: Path) -> None:
    plan = plan_run(str(raw), str(curated), batch_size=2)
    for n, items in enumerate(plan.batches):
        run_batch(str(raw), str(curated), "before", n, items, 1 << 25, datetime(2024, 6, 1, tzinfo=UTC))
    store.publish(curated, "before")


def _readable(curated: Path) -> dict[str, int]:
    """Rows per table, reading every Parquet file whole (a torn file raises here)."""
    rows: dict[str, int] = {}
    for f in curated.glob("*/scrape_date=*/*.parquet"):
        rows[f.parent.parent.name] = rows.get(f.parent.parent.name, 0) + pq.read_table(f).num_rows
    return rows


class _Disk:
    """A disk with ``free`` bytes left: the write that crosses it writes what fits, then fails as a full disk does."""

    def __init__(self, free: int) -> None:
        self.free = free
        self.real_write = durable._SyncedFile.write

    def write(self, fh, data) -> int:
        if len(data) > self.free:
            written = self.real_write(fh, bytes(data[: self.free]))
            self.free -= written
            raise OSError(errno.ENOSPC, "No space left on device", fh.name)
        self.free -= len(data)
        return self.real_write(fh, data)


def test_disk_full_in_the_middle_of_a_run(prefect_harness, tmp_path, monkeypatch, capfd):
    """ENOSPC halfway through the new pages: one line, exit 1, no traceback; the tables are the previous
    run's, every file readable; with space again the next run completes with every page once."""
    raw, curated, reference = tmp_path / "raw", tmp_path / "curated", tmp_path / "reference"
    raw.mkdir()
    _pages(raw, 0, 4)
    _curate(raw, curated)
    before = _readable(curated)
    _pages(raw, 4, 8)
    _curate(raw, reference)  # the same pages, written without a fault: what the lake must hold in the end
    new_bytes = sum(f.stat().st_size for f in reference.rglob("*.parquet")) - sum(
        f.stat().st_size for f in curated.rglob("*.parquet"))
    capfd.readouterr()

    disk = _Disk(free=new_bytes // 2)
    monkeypatch.setattr(durable._SyncedFile, "write", lambda fh, data: disk.write(fh, data))
    args = ["run", "--raw", str(raw), "--curated", str(curated), "--batch-size", "2", "--workers", "1", "-q"]
    assert main(args) == 1
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err
    assert len(lines) == 1 and lines[0].startswith("error: the disk is full"), err
    assert disk.free == 0  # the fault did happen in the middle of a write
    assert _readable(curated) == before

    monkeypatch.undo()
    assert main(args) == 0
    assert _readable(curated) == _readable(reference)
    videos = pq.ParquetDataset(sorted(str(f) for f in curated.glob("videos/*/*.parquet"))).read(columns=["page_id"])
    assert len(set(videos["page_id"].to_pylist())) == videos.num_rows == 12
