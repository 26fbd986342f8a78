"""One batch of raw files end to end: read -> ``process_page`` -> staged Parquet. Used by the flows.

Kept out of the flow so a Prefect task is a one-line call, and so a Dask worker or a test can run
a batch without Prefect.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pageclean.errors import ConfigError
from pageclean.identity import KEY_ENV, Pseudonymizer
from pageclean.io import curated as store
from pageclean.io.fs import open_root
from pageclean.io.rawstore import RawFile, discover, page_meta, read_page
from pageclean.pipeline import PageMeta, page_id_of, process_page, reject_row, source_format

# 200 pages of ~20 KB is ~1 s of work: large enough that Prefect's per-task overhead (ms to
# 100+ ms) is noise, small enough that progress moves and a crash loses little.
DEFAULT_BATCH_SIZE = 200
DEFAULT_MAX_BYTES = 32 * 1024 * 1024  # a real watch page is 0.5-2 MB; 32 MB is a broken file

def author_pseudonymizer() -> Pseudonymizer:
    """The keyed pseudonymizer from ``PAGECLEAN_AUTHOR_KEY``; a ConfigError when it is missing."""
    key = os.environ.get(KEY_ENV, "")
    if len(key.encode()) < 16:
        raise ConfigError(f"--pseudonymize-authors needs a secret of 16+ characters in {KEY_ENV} "
                          "(the same key gives the same pseudonyms across runs).")
    return Pseudonymizer(key.encode())


TABLE_NAMES = ("videos", "chapters", "links", "comments", "related_videos", "rejects")


@dataclass(slots=True, frozen=True)
class WorkItem:
    file: RawFile
    known_page_ids: tuple[str, ...] = ()  # contents of this path that are already curated


@dataclass(slots=True)
class BatchReport:
    pages: int = 0
    accepted: int = 0
    unchanged: int = 0  # read and hashed, but already curated: nothing written
    rejected: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)
    warnings: int = 0
    bytes_read: int = 0
    languages: Counter[str] = field(default_factory=Counter)

    def merge(self, other: BatchReport) -> None:
        self.pages += other.pages
        self.accepted += other.accepted
        self.unchanged += other.unchanged
        self.rejected.update(other.rejected)
        self.rows.update(other.rows)
        self.warnings += other.warnings
        self.bytes_read += other.bytes_read
        self.languages.update(other.languages)


def run_batch(
    raw_root: str,
    curated_root: str,
    run_id: str,
    batch_no: int,
    items: list[WorkItem],
    max_bytes: int,
    now: datetime,
    pseudonymize_authors: bool = False,
) -> BatchReport:
    """Process ``items`` and stage their rows under the run; returns counts only (small to ship).

    With ``pseudonymize_authors`` the key is read here, in the worker, from the environment
    (``PAGECLEAN_AUTHOR_KEY``), so it never travels as a task parameter into Prefect's database.

    ``raw_root`` and ``curated_root`` are plain paths or fsspec URLs (``s3://...``).
    """
    raw, curated = open_root(raw_root), open_root(curated_root)
    pseudonym = author_pseudonymizer() if pseudonymize_authors else None
    report = BatchReport()
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLE_NAMES}
    partitions: dict[str, list[str]] = {t: [] for t in TABLE_NAMES}
    state: list[dict[str, Any]] = []
    today = now.date().isoformat()

    for item in items:
        f = item.file
        report.pages += 1
        page_id: str | None = None
        if f.problem:
            meta, result_rows = _unread_reject(f, f.problem, f.problem_detail or "", now)
        elif f.size > max_bytes:
            detail = (f"The file is {f.size:,} bytes, over the --max-bytes limit of {max_bytes:,}; "
                      "raise the limit to parse it.")
            meta, result_rows = _unread_reject(f, "too_large", detail, now)
        else:
            try:
                data = read_page(raw, f, max_bytes)
                meta = page_meta(raw, f)
            except OSError as exc:
                detail = f"The file could not be read: {exc.strerror or exc}."
                meta, result_rows = _unread_reject(f, "unreadable", detail, now)
            else:
                report.bytes_read += len(data)
                page_id = page_id_of(data)
                if page_id in item.known_page_ids:
                    report.unchanged += 1
                    state.append(_state_row(f, page_id, "unchanged"))
                    continue
                if len(data) > max_bytes:  # grew since it was listed
                    detail = f"The file is over the --max-bytes limit of {max_bytes:,} bytes."
                    result_rows = {"rejects": [reject_row(meta, page_id, "too_large", detail,
                                                          source_format(f.rel), now)]}
                else:
                    result_rows = process_page(data, meta, now, pseudonym, page_id).rows

        date = meta.scraped_at.date().isoformat()
        for table, rows in result_rows.items():
            tables[table].extend(rows)
            partitions[table].extend([today if table == "rejects" else date] * len(rows))
            report.rows[table] += len(rows)
        if result_rows.get("rejects"):
            reason = result_rows["rejects"][0]["reason"]
            report.rejected[reason] += 1
            state.append(_state_row(f, page_id, f"reject:{reason}"))
        else:
            report.accepted += 1
            video = result_rows["videos"][0]
            report.warnings += len(video["warnings"])
            report.languages[video["ui_language"] or "unknown"] += 1
            state.append(_state_row(f, page_id, "video"))

    store.write_batch(curated, run_id, batch_no, tables, partitions, state)
    return report


def _unread_reject(f: RawFile, reason: str, detail: str, now: datetime) -> tuple[PageMeta, dict[str, list]]:
    """A reject decided without the file's bytes (no page_id, no sidecar)."""
    meta = PageMeta(f.rel, f.size, now, "mtime")
    return meta, {"rejects": [reject_row(meta, None, reason, detail, source_format(f.rel), now)]}


def _state_row(f: RawFile, page_id: str | None, outcome: str) -> dict[str, Any]:
    return {"source_path": f.rel, "size_bytes": f.size, "mtime_ns": f.mtime_ns,
            "page_id": page_id, "outcome": outcome}


@dataclass(slots=True)
class Plan:
    batches: list[list[WorkItem]]
    skipped_by_stat: int  # size and mtime match a curated file: not even read
    files: int


def _limit_raised(earlier: store.SeenFile, f: RawFile, max_bytes: int | None) -> bool:
    """A file rejected as too_large that fits the --max-bytes of this run is read again."""
    return earlier.outcome == "reject:too_large" and max_bytes is not None and f.size <= max_bytes


def plan_run(raw_root: str, curated_root: str, batch_size: int, max_bytes: int | None = None) -> Plan:
    """List the raw folder and keep what earlier runs have not curated (stat first, hash later).

    A file whose store reports no modification time (mtime 0) is never skipped by stat: it is read
    and hashed, and skipped as ``unchanged`` if its bytes are already curated.
    """
    seen = store.load_seen(curated_root)
    batches: list[list[WorkItem]] = []
    current: list[WorkItem] = []
    skipped = files = 0
    for f in discover(raw_root):
        files += 1
        earlier = seen.get(f.rel, [])
        trust_stat = bool(f.problem or f.mtime_ns)  # a reject decided before reading has nothing to hash
        if trust_stat and any(e.size_bytes == f.size and e.mtime_ns == f.mtime_ns
                              and not _limit_raised(e, f, max_bytes) for e in earlier):
            skipped += 1
            continue
        current.append(WorkItem(f, tuple(e.page_id for e in earlier if e.page_id)))
        if len(current) >= batch_size:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return Plan(batches, skipped, files)
