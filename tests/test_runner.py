"""Planning and running batches without Prefect: copies curated once, rejects read again when their
cause can pass, batches sized by pages and by bytes."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from pageclean import runner
from pageclean.io import curated as store
from pageclean.runner import plan_run, run_batch

FOUNDING = (Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt").read_bytes()
NOW = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)


def _scrape(views: int) -> bytes:
    """The founding page as scraped at another moment: other views, other bytes, the same size."""
    return FOUNDING.replace(b"10,936", f"{views:,}".encode())


def _run(raw: Path, curated: Path, run_id: str, batch_size: int = 200, **plan_options):
    """One run without Prefect: plan, every batch, publish. Returns the plan and the merged report."""
    plan = plan_run(str(raw), str(curated), batch_size, 1_000_000, **plan_options)
    report = runner.BatchReport()
    for n, items in enumerate(plan.batches):
        report.merge(run_batch(str(raw), str(curated), run_id, n, items, 1_000_000, NOW))
    store.publish(curated, run_id)
    return plan, report


def _table(curated: Path, name: str) -> pl.DataFrame:
    files = sorted(curated.glob(f"{name}/*/*.parquet"))
    return pl.read_parquet(files, hive_partitioning=True) if files else pl.DataFrame()


# --- issue 9 item 2: the same bytes under two paths -------------------------------------------


def test_copies_in_one_run_give_one_page_and_duplicate_rejects(tmp_path):
    """Three paths with the same bytes, one page per batch: one videos row; the other two paths are
    `duplicate` rejects that name the path curated; a re-scrape of the same size is a page of its own."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    (raw / "retry").mkdir(parents=True)
    (raw / "a.txt").write_bytes(FOUNDING)
    (raw / "retry" / "a (1).txt").write_bytes(FOUNDING)
    (raw / "retry" / "a (2).txt").write_bytes(FOUNDING)
    (raw / "later.txt").write_bytes(_scrape(11_002))
    plan, report = _run(raw, curated, "run1", batch_size=1)
    assert len(plan.batches) == 2  # pages of one size share a batch, whatever the batch size
    assert (report.accepted, dict(report.rejected)) == (2, {"duplicate": 2})

    videos = _table(curated, "videos")
    assert sorted(videos["source_path"]) == ["a.txt", "later.txt"]
    assert videos["page_id"].n_unique() == 2
    assert _table(curated, "comments").height == 2 * 37
    rejects = _table(curated, "rejects").sort("source_path")
    assert rejects["source_path"].to_list() == ["retry/a (1).txt", "retry/a (2).txt"]
    assert all("'a.txt'" in detail for detail in rejects["detail"])
    a_id = videos.filter(pl.col("source_path") == "a.txt")["page_id"][0]
    assert rejects["page_id"].to_list() == [a_id, a_id]


def test_copy_of_a_page_curated_by_an_earlier_run_is_a_duplicate(tmp_path):
    """A copy saved after its original was curated is a `duplicate` reject naming it; runs after that
    read neither file again."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    (raw / "a.txt").write_bytes(FOUNDING)
    _run(raw, curated, "run1")
    (raw / "b.txt").write_bytes(FOUNDING)
    (raw / "c.txt").write_bytes(_scrape(11_002))  # the same size, other bytes: not a copy
    _, second = _run(raw, curated, "run2")
    assert (second.pages, second.accepted, dict(second.rejected)) == (2, 1, {"duplicate": 1})
    detail = _table(curated, "rejects").filter(pl.col("source_path") == "b.txt")["detail"][0]
    assert "'a.txt'" in detail
    assert _table(curated, "videos").height == 2

    plan, third = _run(raw, curated, "run3")
    assert third.pages == 0 and plan.skipped_by_stat == 3
    os.utime(raw / "b.txt")  # touched: hashed again, still a copy of curated bytes, no new row
    _, fourth = _run(raw, curated, "run4")
    assert (fourth.pages, fourth.unchanged) == (1, 1)
    assert _table(curated, "rejects").height == 1


def test_one_size_in_more_files_than_a_batch_holds_is_split_by_content(tmp_path):
    """Many pages of one size are spread over batches by their hash; the copies among them stay
    together, so each content is curated once."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    for i in range(6):
        (raw / f"p{i}.txt").write_bytes(_scrape(20_000 + i))
    (raw / "p2-copy.txt").write_bytes(_scrape(20_002))
    (raw / "p4-copy.txt").write_bytes(_scrape(20_004))
    plan, report = _run(raw, curated, "run1", batch_size=2)
    assert len(plan.batches) >= 4
    for batch in plan.batches:  # a copy and its original share a batch
        names = {item.file.rel for item in batch}
        assert ("p2.txt" in names) == ("p2-copy.txt" in names) and ("p4.txt" in names) == ("p4-copy.txt" in names)
    assert (report.accepted, dict(report.rejected)) == (6, {"duplicate": 2})
    assert _table(curated, "videos")["page_id"].n_unique() == 6


def test_big_files_are_grouped_by_content_the_same_in_threads(tmp_path, monkeypatch):
    """The plan checksums big files in threads: the groups are the ones one thread makes, in the
    same order, copies together, and a file that vanished after the listing stands alone."""
    raw = tmp_path / "raw"
    raw.mkdir()
    size = runner.THREADED_CHECKSUM_BYTES
    for i in range(8):
        (raw / f"p{i}.html").write_bytes(f"{i:08d}".encode() * (size // 8))
    for i in (2, 5):
        (raw / f"p{i}-copy.html").write_bytes((raw / f"p{i}.html").read_bytes())
    items = [runner.WorkItem(f) for f in runner.discover(raw)]
    (raw / "p7.html").unlink()  # listed, then gone: unreadable when checksummed
    threads = []
    real_checksums = runner._checksums

    def counting(root, todo, n):
        threads.append(n)
        return real_checksums(root, todo, n)

    monkeypatch.setattr(runner, "_checksums", counting)
    root = runner.open_root(raw)
    one = runner._split_units(root, [list(items)], batch_size=3, batch_bytes=10**12, threads=1)
    two = runner._split_units(root, [list(items)], batch_size=3, batch_bytes=10**12, threads=2)
    assert threads == [1, 2]
    assert [[i.file.rel for i in part] for part in two] == [[i.file.rel for i in part] for part in one]
    groups = {frozenset(i.file.rel for i in part) for part in two}
    assert {"p2.html", "p2-copy.html"} in groups and {"p5.html", "p5-copy.html"} in groups
    assert [part for part in two if part[0].file.rel == "p7.html"] == [[items[-1]]]
    assert len(two) == 8


# --- issue 9 item 3: rejects whose cause can pass are read again ------------------------------


def test_unreadable_file_is_read_again_once_it_can_be(tmp_path, monkeypatch):
    """A file that could not be read is tried again by the next run (same size, same mtime): while it
    still fails no row is added, and once it reads it is curated."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    (raw / "a.txt").write_bytes(FOUNDING)
    real_read = runner.read_page

    def denied(root, item, max_bytes):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(runner, "read_page", denied)
    _, first = _run(raw, curated, "run1")
    assert dict(first.rejected) == {"unreadable": 1}

    _, second = _run(raw, curated, "run2")  # still denied: tried, and nothing new is written
    assert second.pages == 1
    assert second.still_rejected == 1
    assert store.count_rows(curated)["rejects"] == 1

    monkeypatch.setattr(runner, "read_page", real_read)  # the permissions are fixed
    _, third = _run(raw, curated, "run3")
    assert (third.pages, third.accepted) == (1, 1)
    plan, fourth = _run(raw, curated, "run4")
    assert fourth.pages == 0 and plan.skipped_by_stat == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_looked_at_again_and_read_once_it_is_a_file(tmp_path):
    """A named pipe is never opened, but the next run looks again: when a file has taken its place,
    the file is curated."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    os.mkfifo(raw / "a.txt")
    _, first = _run(raw, curated, "run1")
    assert dict(first.rejected) == {"unreadable": 1}
    _, second = _run(raw, curated, "run2")
    assert second.pages == 1
    assert second.still_rejected == 1 and store.count_rows(curated)["rejects"] == 1
    (raw / "a.txt").unlink()
    (raw / "a.txt").write_bytes(FOUNDING)
    _, third = _run(raw, curated, "run3")
    assert third.accepted == 1


def test_internal_error_is_read_again_by_another_version(tmp_path, monkeypatch):
    """A page that hit a bug is not re-parsed by the same version, but is by the next one."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    (raw / "a.txt").write_bytes(FOUNDING)
    real_process = runner.process_page

    def buggy(data, meta, now, pseudonym=None, page_id=None):
        result = real_process(b"", meta, now)
        result.rows["rejects"][0].update(reason="internal_error", detail="a bug")
        return result

    monkeypatch.setattr(runner, "process_page", buggy)
    _, first = _run(raw, curated, "run1")
    assert dict(first.rejected) == {"internal_error": 1}
    monkeypatch.setattr(runner, "process_page", real_process)
    plan, same_version = _run(raw, curated, "run2")
    assert same_version.pages == 0 and plan.skipped_by_stat == 1
    monkeypatch.setattr(runner, "__version__", "99.0", raising=False)
    _, upgraded = _run(raw, curated, "run3")
    assert (upgraded.pages, upgraded.accepted) == (1, 1)


def test_rejects_decided_by_the_bytes_are_not_read_again(tmp_path):
    """An empty or binary file stays skipped by its size and mtime: its bytes decide its reason."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    (raw / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    _run(raw, curated, "run1")
    plan, again = _run(raw, curated, "run2")
    assert again.pages == 0 and plan.skipped_by_stat == 2


# --- issue 11: batches sized by bytes as well as pages -----------------------------------------


def test_big_pages_are_spread_over_batches_by_bytes(tmp_path):
    """40 pages of 1 MB are not one 200-page task: a batch closes at DEFAULT_BATCH_BYTES."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(40):  # distinct sizes: no two of them can be copies
        (raw / f"watch_{i:02d}.html").write_bytes(b"x" * (1_000_000 + i))
    plan = plan_run(str(raw), str(tmp_path / "curated"), batch_size=200)
    assert sum(len(b) for b in plan.batches) == 40
    assert len(plan.batches) > 1
    assert len(plan.batches) >= 40 * 1_000_000 // runner.DEFAULT_BATCH_BYTES
    for batch in plan.batches:
        assert sum(item.file.size for item in batch) <= runner.DEFAULT_BATCH_BYTES
    small = plan_run(str(raw), str(tmp_path / "curated"), batch_size=200, batch_bytes=3_500_000)
    assert [len(b) for b in small.batches] == [3] * 13 + [1]


def test_a_big_folder_gets_bigger_batches_while_every_process_keeps_four(tmp_path, monkeypatch):
    """With 2 ``processes`` the byte limit grows to the bytes over 4 x 2 tasks, capped at
    MAX_BATCH_BYTES: fewer Prefect tasks, each process still busy to the end."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(48):  # distinct sizes: no two of them can be copies
        (raw / f"watch_{i:02d}.html").write_bytes(b"x" * (1_000 + i))
    curated = str(tmp_path / "curated")
    total = sum(1_000 + i for i in range(48))
    monkeypatch.setattr(runner, "MAX_BATCH_BYTES", 10**9)
    plain = plan_run(str(raw), curated, batch_size=200, batch_bytes=2_500)
    assert len(plain.batches) == 24  # 2 pages of ~1 KB under 2,500 bytes
    spread = plan_run(str(raw), curated, batch_size=200, batch_bytes=2_500, processes=2)
    assert len(spread.batches) == 8  # 4 per process, of about equal bytes
    sizes = [sum(i.file.size for i in b) for b in spread.batches]
    assert max(sizes) - min(sizes) <= 2 * 1_047
    assert max(sizes) <= -(-total * 5 // (4 * 8))  # at most a quarter over total / 8
    assert sorted(i.file.rel for b in spread.batches for i in b) == sorted(p.name for p in raw.iterdir())
    monkeypatch.setattr(runner, "MAX_BATCH_BYTES", 5_000)  # the cap wins over total / 8
    capped = plan_run(str(raw), curated, batch_size=200, batch_bytes=2_500, processes=2)
    assert all(sum(i.file.size for i in b) <= 5_000 for b in capped.batches)
    assert len(capped.batches) == 12  # 4 pages of 1,000-1,047 bytes under 5,000 bytes
    small = plan_run(str(raw), curated, batch_size=200, batch_bytes=50_000, processes=2)
    assert len(small.batches) == 1  # a folder one batch holds is not split below batch_bytes


def test_batches_are_even_so_the_processes_finish_together(tmp_path):
    """2,100 pages with --batch-size 200 are 11 batches, which on 2 processes leaves one process
    parsing the last batch alone; for 2 processes (and for 3) they are 12 batches of 175 pages."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(2_100):
        (raw / f"dump_{i:04d}.txt").write_bytes(b"x" * (100 + i))
    curated = str(tmp_path / "curated")
    alone = plan_run(str(raw), curated, batch_size=200)
    assert len(alone.batches) == 11
    for processes in (2, 3):
        plan = plan_run(str(raw), curated, batch_size=200, processes=processes)
        assert len(plan.batches) == 12
        assert all(len(b) <= 200 for b in plan.batches)
        assert {len(b) for b in plan.batches} == {175}  # pages limit the batches: equal pages
        assert [i.file.rel for b in plan.batches for i in b] == [i.file.rel for b in alone.batches for i in b]


def test_one_big_part_does_not_shatter_the_batches_after_it(tmp_path):
    """Copies of one page stay in one batch however many there are; the pages after them still
    fill batches of about equal bytes instead of one batch each."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(150):
        (raw / f"a_copy_{i:03d}.txt").write_bytes(b"the same page")
    for i in range(60):
        (raw / f"b_{i:03d}.txt").write_bytes(b"y" * (20 + i))
    plan = plan_run(str(raw), str(tmp_path / "curated"), batch_size=200, processes=2)
    copies = [b for b in plan.batches if any(i.file.rel.startswith("a_") for i in b)]
    assert len(copies) == 1 and sum(i.file.rel.startswith("a_") for i in copies[0]) == 150
    assert len(plan.batches) <= 4
    assert sum(len(b) for b in plan.batches) == 210


def test_copies_that_must_stay_together_keep_the_count_a_multiple(tmp_path):
    """Groups of same-size files (copies stay in one batch) make the page limit close batches
    early; the plan then has one more batch per process, not one more batch."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(2_000):
        (raw / f"d{i:04d}.txt").write_bytes(b"x" * (100 + i // 3))  # sizes repeat three times
    plan = plan_run(str(raw), str(tmp_path / "curated"), batch_size=200, processes=2)
    assert len(plan.batches) % 2 == 0
    assert all(len(b) <= 200 for b in plan.batches)
    assert sum(len(b) for b in plan.batches) == 2_000
