"""Local writes survive a power cut: every published file was written, fsynced and its folder fsynced before
its rename, and the target folder is fsynced after each rename (the order is recorded from the os calls)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pageclean.io import curated as store
from pageclean.io import durable
from pageclean.runner import plan_run, run_batch

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads fsync targets from /proc")

FOUNDING = Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"
NOW = datetime(2024, 6, 2, tzinfo=UTC)
_events: list[tuple] | None = None  # the recording, while a test records


def _audit(event: str, args: tuple) -> None:
    """Python's audit hooks see every open and rename, whoever calls them (pyarrow's writes included)."""
    if _events is None:
        return
    if event == "open" and isinstance(args[0], str | bytes):
        by_flags = (args[2] or 0) & (os.O_WRONLY | os.O_RDWR)  # os.open
        by_mode = args[1] and any(c in str(args[1]) for c in "wax+")  # open(), io.FileIO
        if by_flags or by_mode:
            _events.append(("write", os.path.abspath(os.fsdecode(args[0]))))
    elif event == "os.link":
        _events.append(("link", os.path.abspath(os.fsdecode(args[1]))))
    elif event == "os.rename":
        _events.append(("rename", os.path.abspath(os.fsdecode(args[0])), os.path.abspath(os.fsdecode(args[1]))))


sys.addaudithook(_audit)  # cannot be removed; it records only inside `recorder`


@pytest.fixture
def recorder(monkeypatch):
    """The os calls of the test's writes, in order: write (open for writing), fsync, rename, exchange."""
    global _events
    events: list[tuple] = []
    real_fsync, real_renameat2 = os.fsync, durable._renameat2

    def fsync(fd: int) -> None:
        path = os.readlink(f"/proc/self/fd/{fd}")
        st = os.fstat(fd)
        events.append(("fsync", path, os.path.isdir(path), st.st_size))
        real_fsync(fd)

    def renameat2(a: bytes, b: bytes, flags: int) -> int:
        result = real_renameat2(a, b, flags)
        if result == 0:
            events.append(("exchange", os.fsdecode(a), os.fsdecode(b)))
        return result

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(durable, "_renameat2", renameat2)
    _events = events
    yield events
    _events = None


def _dir_fsync(folder: str):
    return lambda e: e[0] == "fsync" and e[1] == folder and e[2]


def _index(events: list[tuple], pred, start: int = 0, stop: int | None = None) -> int | None:
    for i in range(start, len(events) if stop is None else stop):
        if pred(events[i]):
            return i
    return None


def assert_durable_publishing(events: list[tuple], root: Path) -> int:
    """For each rename of a file into the curated tables or state: written, fsynced (with its bytes), its
    folder fsynced, then renamed, then the target folder fsynced before the next rename. Returns renames."""
    root = root.resolve()
    renames = [i for i, e in enumerate(events) if e[0] == "rename"]
    checked = 0
    for n, i in enumerate(renames):
        _, src, dst = events[i]
        if os.path.isdir(dst):
            continue  # a folder moved whole: its files were checked when written (swap tests below)
        written = _index(events, lambda e, src=src: e[:2] == ("write", src))
        assert written is not None and written < i, f"{src} renamed without being written"
        synced = _index(events, lambda e, src=src: e[0] == "fsync" and e[1] == src and not e[2], written, i)
        assert synced is not None, f"{src} renamed before its data was fsynced"
        assert not src.endswith(".parquet") or events[synced][3] > 0, f"{src} fsynced before its bytes"
        folder = _index(events, _dir_fsync(os.path.dirname(src)), synced, i)
        assert folder is not None, f"{src}'s folder not fsynced before the rename"
        next_rename = renames[n + 1] if n + 1 < len(renames) else None
        after = _index(events, _dir_fsync(os.path.dirname(dst)), i + 1, next_rename)
        assert after is not None, f"target folder of {dst} not fsynced after the rename"
        checked += 1 if str(root) in dst else 0
    return checked


def _raw(tmp_path: Path, pages: int) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(pages):
        (raw / f"p{i}.txt").write_bytes(FOUNDING.read_bytes().replace(b"10,936", f"{20_000 + i:,}".encode()))
    (raw / "empty.txt").write_bytes(b"")
    return raw


def test_a_run_writes_fsyncs_renames_and_fsyncs_the_folder(tmp_path, recorder):
    """A run's batches: staged files and folders fsynced before publishing; the target folder after each
    rename; READY (the commit marker) written whole; state renamed last."""
    raw, curated = _raw(tmp_path, 3), tmp_path / "curated"
    plan = plan_run(str(raw), str(curated), batch_size=2)
    for n, items in enumerate(plan.batches):
        run_batch(str(raw), str(curated), "r1", n, items, 1 << 25, NOW)
    store.publish(curated, "r1")
    published = assert_durable_publishing(recorder, curated)
    parquet = sorted(curated.glob("*/*/*.parquet")) + sorted(curated.glob("_state/*.parquet"))
    assert published >= len(parquet) > 0
    ready = [e for e in recorder if e[0] == "rename" and e[2].endswith("/READY")]
    assert len(ready) == len(plan.batches)
    # within each batch the state file is renamed into place after every data file
    by_batch: dict[str, list[bool]] = {}
    for e in recorder:
        if e[0] == "rename" and "/_staging/r1/batch-" in e[1] and not e[2].endswith("/READY"):
            by_batch.setdefault(e[1].split("/_staging/r1/")[1].split("/")[0], []).append("/_state/" in e[2])
    assert by_batch and all(kinds == sorted(kinds) and kinds[-1] for kinds in by_batch.values())


def assert_durable_swaps(events: list[tuple]) -> int:
    """For each folder swap: every file of the new content written and fsynced (or hard-linked, so already
    on disk), the staged folder fsynced, all before the swap; both parent folders fsynced after it."""
    swaps = [i for i, e in enumerate(events) if e[0] == "exchange"]
    for i in swaps:
        _, staged, target = events[i]
        for name in os.listdir(target):  # the new content, now at the target
            was_staged = os.path.join(staged, name)
            written = any(e[:2] == ("write", was_staged) for e in events[:i])
            assert not written or any(e[0] == "fsync" and e[1] == was_staged for e in events[:i]), name
        last = max((j for j, e in enumerate(events[:i]) if e[0] in ("write", "link")
                    and os.path.dirname(e[1]) == staged), default=-1)  # the last name made in it
        assert _index(events, _dir_fsync(staged), last + 1, i) is not None, "staged folder not fsynced"
        for folder in (os.path.dirname(staged), os.path.dirname(target)):
            assert _index(events, _dir_fsync(folder), i + 1) is not None, f"{folder} not fsynced after the swap"
    return len(swaps)


def test_compaction_and_a_reprocess_are_durable(lake_v1, tmp_path, recorder):
    """Compaction's moves and swaps, and a reprocess's: staged content fsynced before, the folders after."""
    from pageclean import reprocess as rp

    raw, curated = lake_v1
    store.compact(curated)  # rewrites the files of schema version 1: a swap per partition
    assert_durable_publishing(recorder, curated)
    assert assert_durable_swaps(recorder) > 0
    recorder.clear()

    selection = rp.select_pages(curated)
    plan = rp.plan_pages(str(raw), selection, 10)
    job = rp.new_job_id(NOW)
    for n, items in enumerate(plan.batches):
        run_batch(str(raw), str(curated), job, n, items, 1 << 25, NOW)
    rp.build(str(curated), job, selection, plan)
    rp.publish(str(curated), job)
    assert assert_durable_publishing(recorder, curated) > 0  # the plan and the added videos files
    assert assert_durable_swaps(recorder) > 0


def test_a_compaction_that_keeps_files_fsyncs_their_links(tmp_path, recorder):
    """Compaction keeps a full file (hard-linked into the new partition) and merges small ones: the new
    folder is fsynced after its last link, before the swap."""
    raw, curated = _raw(tmp_path, 3), tmp_path / "curated"
    for run, batch_size in (("r1", 2), ("r2", 1)):  # comments files of 74, 37 and 37 rows
        if run == "r2":
            (raw / "p9.txt").write_bytes(FOUNDING.read_bytes().replace(b"10,936", b"29,999"))
        plan = plan_run(str(raw), str(curated), batch_size=batch_size)
        for n, items in enumerate(plan.batches):
            run_batch(str(raw), str(curated), run, n, items, 1 << 25, NOW)
        store.publish(curated, run)
    recorder.clear()
    store.compact(curated, target_rows=50)
    assert any(e[0] == "link" for e in recorder), "no file was kept: the test lost its point"
    assert assert_durable_swaps(recorder) > 0
    assert_durable_publishing(recorder, curated)


def test_markers_are_whole_or_absent(tmp_path, monkeypatch):
    """A marker whose write fails leaves no marker (and no torn one) behind."""
    target = tmp_path / "READY"
    durable.write_atomic(target, b"a\nb")
    assert target.read_bytes() == b"a\nb"

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        durable.write_atomic(tmp_path / "PLAN", b"steps")
    assert not (tmp_path / "PLAN").exists()


def test_exchange_swaps_two_folders(tmp_path):
    """renameat2(RENAME_EXCHANGE): both names stay, their contents trade places."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "old").write_text("1")
    (b / "new").write_text("2")
    if not durable.exchange(b, a):
        pytest.skip("this filesystem cannot swap folders (the fallback is tested in test_reprocess)")
    assert os.listdir(a) == ["new"] and os.listdir(b) == ["old"]
