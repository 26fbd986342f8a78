"""The curated folder: Hive-partitioned Parquet datasets, written so readers never see a torn file.

Layout::

    curated/<table>/scrape_date=YYYY-MM-DD/part-<run>-<batch>.parquet   the datasets
    curated/_state/seen-<run>-<batch>.parquet      what each run read: path, size, mtime, page_id
    curated/_staging/<run>/...                     a run's files before they are published
    curated/_staging/compact-<id>/...              merged files (and the parts they replace) before publishing
    curated/.lock                                  one writer at a time

The curated root is a plain path or an fsspec URL (``s3://bucket/curated``); see ``pageclean.io.fs``.

A batch is written under ``_staging/<run>/`` first, with its state file, then a ``READY`` marker.
Publishing renames each file into place (a rename is atomic on one filesystem), state last. A run
killed before ``READY`` leaves staging that the next run deletes (its pages are simply redone); a
run killed while publishing is finished by the next run (roll forward). Either way no row is
written twice, because a page is skipped only once its state row is published.

On an object store a rename is a copy then a delete: publishing is then not atomic per file (a reader
may briefly see a file at its staged and its final name, but the staged name is outside every
table's folder, so no query reads both), and the lock is a best-effort object, not a kernel lock.

Compaction (:func:`compact`) never changes a query's answer on a local disk: for each partition it
builds the merged partition beside the old one, under ``_staging/compact-<id>/``, as a complete
folder (the merged files, plus hard links to the files it keeps), and swaps the two folders in one
step with ``renameat2(RENAME_EXCHANGE)`` (Linux 3.15+, on ext4, xfs, btrfs, tmpfs and most local
filesystems). A query that lists the partition sees either every old file or every new one, never
a mix, so it never misses or doubles a row. The exact limit: a query that listed the old files and
opens one of the replaced ones after the swap finds it gone and fails with file-not-found (it
never returns a wrong answer; run it again); files it had already opened stay readable.

Where ``RENAME_EXCHANGE`` is not available (another OS, a filesystem that refuses it) the swap is
two renames: the old folder out, the new one in. Between those two system calls (microseconds)
the partition's folder does not exist, so a query listing it then sees none of its rows.

On an object store (``s3://``, ``gs://``...) there are no folders to swap. The merged files are
staged with a ``REPLACES`` list of the parts they merge; publishing deletes those parts, then
copies each merged file to its place (a store-side copy, then a delete of the staged copy). For
each partition, from the first delete until the last merged file is copied, a query sees the
partition without the rows being moved; it never sees a row twice. That window lasts as long as
the deletes plus the copies (seconds for files of hundreds of MB): compact object stores when
nobody queries them. A crash in between is finished by :func:`recover` (the remaining old parts
deleted, the merged files moved in); a crash during a local swap leaves either the old partition
or the new one, and :func:`recover` removes what is left in staging.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import socket
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pageclean.errors import CuratedLockedError
from pageclean.io import durable, swap
from pageclean.io.fs import FsspecRoot, Root, open_root
from pageclean.schema import PARTITION_COLUMN, TABLES

STATE_DIR = "_state"
STAGING_DIR = "_staging"
READY = "READY"
REPLACES = "REPLACES"  # in a compaction batch: the parts its merged files replace, deleted before they move in
SWAP = "SWAP"  # in a local compaction unit: the partition folder that ``new/`` replaces by a swap
LOCK_FILE = ".lock"
STATE_SCHEMA = pa.schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("size_bytes", pa.int64()),
        pa.field("mtime_ns", pa.int64()),
        pa.field("page_id", pa.string()),
        pa.field("outcome", pa.string(), nullable=False),  # "video" | "unchanged" | "reject:<reason>"
        # which pageclean read it: an internal_error is read again by another version (older state
        # files lack the column; their rows read as null)
        pa.field("pipeline_version", pa.string()),
    ]
)
# zstd: ~30% smaller than snappy on this text-heavy data; DuckDB, polars and pandas all read it.
COMPRESSION = "zstd"
# A URL lock object older than this was left by a killed run and is taken over: far longer than a
# run takes (a million pages is under an hour on one machine), short enough that a crash does not
# block the nightly schedule for a day.
STALE_LOCK_SECONDS = 6 * 3600
# Rows per compacted file: ~100-500 MB of zstd Parquet on these tables, where per-file overhead in
# DuckDB and polars is noise, while one file's rows still sort in memory on a laptop.
DEFAULT_COMPACT_ROWS = 500_000
Location = str | Path | Root


@dataclass(slots=True)
class SeenFile:
    size_bytes: int | None
    mtime_ns: int | None
    page_id: str | None
    outcome: str | None = None  # "video" | "unchanged" | "reject:<reason>"
    pipeline_version: str | None = None


def write_batch(
    curated: Location,
    run_id: str,
    batch_no: int,
    tables: dict[str, list[dict[str, Any]]],
    partitions: dict[str, list[str]],
    state_rows: list[dict[str, Any]],
) -> list[str]:
    """Write one batch's rows into staging, then mark it ready. Returns the staged files."""
    root = open_root(curated)
    stage = f"{STAGING_DIR}/{run_id}/batch-{batch_no:06d}"
    written: list[str] = []
    for table, rows in tables.items():
        if not rows:
            continue
        by_date: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row, date in zip(rows, partitions[table], strict=True):
            by_date[date].append(row)
        for date, part in by_date.items():
            rel = f"{table}/{PARTITION_COLUMN}={date}/part-{run_id}-{batch_no:06d}.parquet"
            _write_parquet(root, f"{stage}/{rel}", pa.Table.from_pylist(part, schema=TABLES[table]))
            written.append(rel)
    if state_rows:
        rel = f"{STATE_DIR}/seen-{run_id}-{batch_no:06d}.parquet"
        _write_parquet(root, f"{stage}/{rel}", pa.Table.from_pylist(state_rows, schema=STATE_SCHEMA))
        written.append(rel)
    root.write_text(f"{stage}/{READY}", "\n".join(written))
    return written


def publish(curated: Location, run_id: str) -> int:
    """Move every ready batch of a run into place (state files last). Returns files moved.

    Locally each move is an atomic rename. On an object store ``fs.mv`` is a copy then a delete, so
    a file is complete before it appears at its final name, but a crash can leave the staged copy,
    which the next :func:`recover` moves again (same bytes, same name: still one copy).
    """
    root = open_root(curated)
    run_dir = f"{STAGING_DIR}/{run_id}"
    moved = 0
    for name in root.subdirs(run_dir):
        batch = f"{run_dir}/{name}"
        if root.exists(f"{batch}/{SWAP}"):
            moved += _finish_swap(root, batch)
            continue
        if not root.exists(f"{batch}/{READY}"):
            root.rmtree(batch)  # never finished: its pages are redone
            continue
        for rel in _lines(root, f"{batch}/{REPLACES}"):  # compaction: old parts go before the merged file comes
            root.remove(rel)
        files = _lines(root, f"{batch}/{READY}")
        files.sort(key=lambda rel: rel.startswith(STATE_DIR))  # data first, state last
        for rel in files:
            if root.exists(f"{batch}/{rel}"):
                root.move(f"{batch}/{rel}", rel)
                moved += 1
        root.rmtree(batch)
    root.rmtree(run_dir)
    return moved


def recover(curated: Location) -> int:
    """Finish what a killed run, compaction or reprocess left in staging. Returns files moved (for a
    reprocess, steps applied: it is rolled forward if it had committed its plan, else deleted)."""
    root = open_root(curated)
    return sum(swap.finish(root, f"{STAGING_DIR}/{job}") if swap.is_job(job) else publish(root, job)
               for job in root.subdirs(STAGING_DIR))


def load_seen(curated: Location) -> dict[str, list[SeenFile]]:
    """source_path -> what earlier runs read there (one entry per distinct content)."""
    root = open_root(curated)
    seen: dict[str, list[SeenFile]] = defaultdict(list)
    columns = STATE_SCHEMA.names
    for rel in root.glob(f"{STATE_DIR}/*.parquet"):
        table = _conform(_read_parquet(root, rel), STATE_SCHEMA)
        for path, size, mtime, page_id, outcome, version in zip(
                *(table.column(c).to_pylist() for c in columns), strict=True):
            seen[path].append(SeenFile(size, mtime, page_id, outcome, version))
    return seen


def count_rows(curated: Location) -> dict[str, int]:
    """Rows per table in the published datasets (from Parquet footers: no data is read)."""
    root = open_root(curated)
    return {table: sum(_num_rows(root, rel) for rel in root.glob(f"{table}/{PARTITION_COLUMN}=*/*.parquet"))
            for table in TABLES}


@contextlib.contextmanager
def locked(curated: Location, wait_seconds: float = 0.0, holder: str | None = None) -> Iterator[None]:
    """Hold the curated folder's lock; a second run waits ``wait_seconds`` then refuses clearly.

    A local folder (a plain path or ``file://``) is locked with ``flock``, which the kernel releases
    when a run dies. Elsewhere the lock is a ``.lock`` object written only when absent and deleted
    at the end; a lock older than ``STALE_LOCK_SECONDS`` is a killed run's and is taken over. That is
    best-effort on object stores: check-then-write is not atomic, so two runs starting in the same
    instant can both believe they hold it (each re-reads the object and only the last writer goes on,
    which narrows the window but does not close it).
    """
    root = open_root(curated)
    holder = holder or f"pageclean pid {os.getpid()} on {socket.gethostname()}"
    local = root.local_path()
    lock = _flock(local, wait_seconds, holder) if local is not None else _object_lock(root, wait_seconds, holder)
    with lock:
        yield


@contextlib.contextmanager
def _flock(curated: Path, wait_seconds: float, holder: str) -> Iterator[None]:
    curated.mkdir(parents=True, exist_ok=True)
    fh = open(curated / LOCK_FILE, "a+")  # noqa: SIM115 - held for the whole run
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    raise _refusal(curated, fh.read().strip() or "another process") from None
                time.sleep(0.5)
        fh.seek(0)
        fh.truncate()
        fh.write(holder)
        fh.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


@contextlib.contextmanager
def _object_lock(root: Root, wait_seconds: float, holder: str) -> Iterator[None]:
    token = secrets.token_hex(8)
    deadline = time.monotonic() + wait_seconds
    while True:
        current = _read_lock(root)
        if current is None or (current["age"] is not None and current["age"] > STALE_LOCK_SECONDS):
            body = {"holder": holder, "token": token, "created": datetime.now(UTC).isoformat()}
            root.write_text(LOCK_FILE, json.dumps(body))
            current = _read_lock(root)
            if current is not None and current.get("token") == token:
                break
        if time.monotonic() >= deadline:
            raise _refusal(root.location, f"{current['holder']} since {current['created']}" if current
                           else "another process")
        time.sleep(0.5)
    try:
        yield
    finally:
        mine = _read_lock(root)
        if mine is not None and mine.get("token") == token:
            root.remove(LOCK_FILE)


def _read_lock(root: Root) -> dict[str, Any] | None:
    """The lock object's holder, token, creation time and age in seconds (None if unknown); None if free."""
    try:
        text = root.read_text(LOCK_FILE)
    except (FileNotFoundError, OSError):
        return None
    try:
        body = json.loads(text)
        created = datetime.fromisoformat(body["created"])
        return {"holder": str(body.get("holder")), "token": body.get("token"),
                "created": body["created"], "age": (datetime.now(UTC) - created).total_seconds()}
    except (ValueError, KeyError, TypeError):  # not ours: trust the store's timestamp, if it has one
        age = root.age_seconds(LOCK_FILE) if isinstance(root, FsspecRoot) else None
        return {"holder": text.strip()[:200] or "another process", "token": None, "created": "?", "age": age}


def _refusal(curated: object, holder: str) -> CuratedLockedError:
    return CuratedLockedError(
        f"{curated} is being written by {holder}; wait for it to finish "
        "(or pass --wait SECONDS to queue behind it)."
    )


@dataclass(slots=True)
class CompactReport:
    """What :func:`compact` did: files per table (``_state`` included) before and after, and how long."""

    files_before: dict[str, int] = field(default_factory=dict)
    files_after: dict[str, int] = field(default_factory=dict)
    partitions_compacted: int = 0
    rows_rewritten: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        lines = [f"{t}: {self.files_before[t]:,} files -> {self.files_after.get(t, 0):,}" for t in self.files_before]
        lines.append(f"{self.partitions_compacted:,} partitions compacted, {self.rows_rewritten:,} rows rewritten "
                     f"in {self.seconds:.1f} s")
        return "\n".join(lines)


def compact(
    curated: Location,
    target_rows: int = DEFAULT_COMPACT_ROWS,
    lock_wait_seconds: float = 0.0,
) -> CompactReport:
    """Merge each partition's small Parquet files into files of up to ``target_rows`` rows.

    Under the curated lock (so no run adds files meanwhile), for each ``<table>/scrape_date=...``
    folder and for ``_state/``: files already holding ``target_rows`` rows are left alone; when two
    or more smaller ones remain they are read, rewritten with the table's schema (zstd, each file
    sorted by page_id then position where the table has them) into staging. A file of an older
    schema version is rewritten even alone, to the current schema with nulls in the columns it lacks
    (``schema.ADDED_IN``). On a local disk the new partition folder then replaces the old one in one
    atomic swap; on an object store the old parts are deleted and the merged files moved in (the
    module docstring states what a concurrent query can see in each case, and what a crash leaves).
    A second call finds nothing to do.
    """
    if target_rows < 1:
        raise ValueError("target_rows must be at least 1")
    started = time.monotonic()
    root = open_root(curated)
    job = "compact-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    report = CompactReport({t: 0 for t in [*TABLES, STATE_DIR]}, {t: 0 for t in [*TABLES, STATE_DIR]})
    with locked(root, lock_wait_seconds, holder=f"pageclean {job} (pid {os.getpid()})"):
        recover(root)
        units = [(table, f"{table}/{d}", schema) for table, schema in TABLES.items()
                 for d in root.subdirs(table) if d.startswith(f"{PARTITION_COLUMN}=")]
        units.append((STATE_DIR, STATE_DIR, STATE_SCHEMA))
        batch_no = 0
        local = root.local_path() is not None
        try:
            for label, folder, schema in units:
                files = root.glob(f"{folder}/*.parquet")
                footers = {rel: _footer(root, rel) for rel in files}
                rows = {rel: n for rel, (n, _) in footers.items()}
                small = [rel for rel in files if rows[rel] < target_rows]
                # a file of an older schema version is rewritten too, with nulls in the columns it lacks
                old = [rel for rel in files if not _same_columns(footers[rel][1], schema)]
                small = sorted(set(small if len(small) >= 2 else []) | set(old))
                report.files_before[label] += len(files)
                kept = len(files)
                if small:
                    stage = f"{STAGING_DIR}/{job}/batch-{batch_no:06d}"
                    if local:  # the whole new partition beside the old one, then one swap
                        written = _merge(root, small, schema, target_rows, stage, "new", job, label)
                        _swap_in(root, stage, folder, small)
                    else:  # an object store: old parts deleted, then the merged ones copied in
                        written = _merge(root, small, schema, target_rows, stage, folder, job, label)
                        root.write_text(f"{stage}/{REPLACES}", "\n".join(small))
                        root.write_text(f"{stage}/{READY}", "\n".join(written))
                    batch_no += 1
                    kept += len(written) - len(small)
                    report.partitions_compacted += 1
                    report.rows_rewritten += sum(rows[rel] for rel in small)
                report.files_after[label] += kept
        except BaseException:
            if local:
                publish(root, job)  # finishes a swap cut in half; every other partition stands as it is
            else:
                root.rmtree(f"{STAGING_DIR}/{job}")  # nothing published yet: the old parts stand
            raise
        publish(root, job)
    report.seconds = time.monotonic() - started
    return report


def _swap_in(root: Root, stage: str, folder: str, replaced: list[str]) -> None:
    """Make ``{stage}/new`` (the merged files) the complete new partition, then swap it with ``folder``.

    Every file of the partition that is not ``replaced`` is hard-linked into the new folder first,
    so the swapped-in folder holds all the partition's rows.
    """
    base = root.local_path()
    assert base is not None
    old, new = base / folder, base / stage / "new"
    gone = {rel.rsplit("/", 1)[-1] for rel in replaced}
    for entry in os.scandir(old):
        if entry.is_file(follow_symlinks=False) and entry.name not in gone:
            try:
                os.link(entry.path, new / entry.name)
            except OSError:  # a filesystem without hard links: a copy takes longer, and is as good
                shutil.copy2(entry.path, new / entry.name)
                durable.fsync_path(new / entry.name)
    durable.fsync_path(new)  # every name in the new partition on disk before it is swapped in
    root.write_text(f"{stage}/{SWAP}", folder)  # from here on, recover() knows what this stage is
    if not exchange_folders(new, old):  # no RENAME_EXCHANGE here: two renames, a moment apart
        durable.replace(old, base / stage / "old")
        durable.replace(new, old)
    root.rmtree(stage)


def _finish_swap(root: Root, stage: str) -> int:
    """What a compaction killed around its swap left: the new folder moved in if the old one is
    already out (the two-rename path), and the stage removed. Returns folders moved."""
    folder = root.read_text(f"{stage}/{SWAP}").strip()
    moved = 0
    if not root.exists(folder) and root.exists(f"{stage}/new"):
        root.move(f"{stage}/new", folder)
        moved = 1
    root.rmtree(stage)
    return moved


# Swap two folders in one atomic step (renameat2 RENAME_EXCHANGE), then fsync both parents so the
# swap survives a power cut; False, having changed nothing, where the OS or filesystem cannot.
exchange_folders = durable.exchange


def _merge(root: Root, parts: list[str], schema: pa.Schema, target_rows: int, stage: str, folder: str,
           job: str, label: str) -> list[str]:
    """Rewrite ``parts`` as files of ``target_rows`` rows under ``stage``; returns their final paths."""
    keys = [(k, "ascending") for k in ("page_id", "position") if k in schema.names]
    prefix = "seen" if label == STATE_DIR else "part"
    written: list[str] = []
    buffer: list[pa.Table] = []
    buffered = 0

    def flush(final: bool) -> None:
        nonlocal buffer, buffered
        merged = pa.concat_tables(buffer).sort_by(keys) if keys else pa.concat_tables(buffer)
        while merged.num_rows >= target_rows or (final and merged.num_rows):
            rel = f"{folder}/{prefix}-{job}-{len(written):04d}.parquet"
            _write_parquet(root, f"{stage}/{rel}", merged.slice(0, target_rows))
            written.append(rel)
            merged = merged.slice(target_rows)
        buffer, buffered = [merged], merged.num_rows

    for rel in parts:  # memory stays near target_rows plus one part, whatever the partition's size
        table = _conform(_read_parquet(root, rel), schema)
        buffer.append(table)
        buffered += table.num_rows
        if buffered >= target_rows:
            flush(final=False)
    flush(final=True)
    return written


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` in ``schema``'s column order and types; a column an older file lacks is null."""
    columns = [table.column(f.name).cast(f.type) if f.name in table.column_names
               else pa.nulls(table.num_rows, f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def _write_parquet(root: Root, rel: str, table: pa.Table) -> None:
    with root.open(rel, "wb") as fh:
        pq.write_table(table, fh, compression=COMPRESSION)


def _read_parquet(root: Root, rel: str, columns: list[str] | None = None) -> pa.Table:
    with root.open(rel, "rb") as fh:
        return pq.ParquetFile(fh).read(columns=columns)


def _footer(root: Root, rel: str) -> tuple[int, pa.Schema]:
    """Rows and schema of a Parquet file, from its footer (no data is read)."""
    with root.open(rel, "rb") as fh:
        f = pq.ParquetFile(fh)
        return int(f.metadata.num_rows), f.schema_arrow


def _same_columns(found: pa.Schema, schema: pa.Schema) -> bool:
    """The file has the current schema's columns, names and types, in order (metadata aside)."""
    return [(f.name, f.type) for f in found] == [(f.name, f.type) for f in schema]


def _num_rows(root: Root, rel: str) -> int:
    with root.open(rel, "rb") as fh:
        return int(pq.ParquetFile(fh).metadata.num_rows)


def _lines(root: Root, rel: str) -> list[str]:
    return [line for line in root.read_text(rel).splitlines() if line] if root.exists(rel) else []


# The same conforming and file format for the other writers of the curated folder (reprocess).
conform = _conform
write_table = _write_parquet
