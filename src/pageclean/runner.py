"""One batch of raw files end to end: read -> ``process_page`` -> staged Parquet. Used by the flows.

Kept out of the flow so a Prefect task is a one-line call, and so a Dask worker or a test can run
a batch without Prefect.
"""

from __future__ import annotations

import os
import zlib
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pageclean import __version__
from pageclean.errors import RETRIED_UNCHANGED, ConfigError
from pageclean.identity import KEY_ENV, Pseudonymizer
from pageclean.io import curated as store
from pageclean.io.fs import Root, open_root
from pageclean.io.rawstore import RawFile, discover, page_meta, read_page
from pageclean.pipeline import PageMeta, page_id_of, process_page, reject_row, source_format, valid_rows, valid_text

# 200 pages of ~20 KB is ~1 s of work: large enough that Prefect's per-task overhead (ms to
# 100+ ms) is noise, small enough that progress moves and a crash loses little.
DEFAULT_BATCH_SIZE = 200
# A batch also closes at this many bytes, so that 200 watch pages of 1 MB are not one task that
# keeps one core busy while the others wait (issue 11). Text dumps reach 200 pages long before.
DEFAULT_BATCH_BYTES = 16 * 1024 * 1024
# But 16 MB of watch pages is only ~0.2 s of work, and each Prefect task costs ~40 ms of CPU in
# the API server and the flow (measured: 25 tasks for 400 pages of 1 MB took 1.1 s of the server's
# CPU, 7 tasks 0.8 s). When a folder is big enough, batches grow, up to this, as long as every
# parsing process still gets TASKS_PER_PROCESS of them (``plan_run``'s ``processes``).
MAX_BATCH_BYTES = 64 * 1024 * 1024
# Enough tasks per process that progress moves and the processes finish close together.
TASKS_PER_PROCESS = 4
DEFAULT_MAX_BYTES = 32 * 1024 * 1024  # a real watch page is 0.5-2 MB; 32 MB is a broken file
# The plan checksums files in threads only when they average this much: below it the per-file
# Python work, which holds the GIL, outweighs what reading and CRC-32 do without it (measured, 400
# files, one thread vs two: 64 KB 17-19 vs 22-35 ms, 128 KB 43 vs 33-39, 256 KB 67-73 vs 44 ms;
# 2,000 text dumps of 18 KB 69-77 vs 130-163 ms; 400 watch pages of 1 MB 0.30 vs 0.16 s).
THREADED_CHECKSUM_BYTES = 256 * 1024


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
    # (page_id, path) of pages of this file's size curated under other paths: identical bytes have
    # identical sizes, so these are the only earlier pages this file can be a copy of
    curated_elsewhere: tuple[tuple[str, str], ...] = ()
    read_again: str | None = None  # the reject reason an earlier run gave this same file, if retried


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
    still_rejected: int = 0  # read again (unreadable, ...) and rejected again for the same reason: no row

    def merge(self, other: BatchReport) -> None:
        self.pages += other.pages
        self.accepted += other.accepted
        self.unchanged += other.unchanged
        self.still_rejected += other.still_rejected
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

    curated_here: dict[str, str] = {}  # page_id -> the path this batch curated it from
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
                original = curated_here.get(page_id) or dict(item.curated_elsewhere).get(page_id)
                if original is not None:
                    detail = (f"The same bytes as {original!r}, which is curated (page_id {page_id}); "
                              "a copy adds no rows.")
                    result_rows = {"rejects": [reject_row(meta, page_id, "duplicate", detail,
                                                          source_format(f.rel), now)]}
                elif len(data) > max_bytes:  # grew since it was listed
                    detail = f"The file is over the --max-bytes limit of {max_bytes:,} bytes."
                    result_rows = {"rejects": [reject_row(meta, page_id, "too_large", detail,
                                                          source_format(f.rel), now)]}
                else:
                    result_rows = process_page(data, meta, now, pseudonym, page_id).rows

        rejects = result_rows.get("rejects")
        if rejects:  # a page's rows are valid already (process_page); a reject holds the file name,
            valid_rows(result_rows)  # which a filesystem may not have decoded

        if rejects and rejects[0]["reason"] == item.read_again:
            report.still_rejected += 1  # the earlier run's reject row and state stand
            continue
        date = meta.scraped_at.date().isoformat()
        for table, rows in result_rows.items():
            tables[table].extend(rows)
            partitions[table].extend([today if table == "rejects" else date] * len(rows))
            report.rows[table] += len(rows)
        if rejects:
            reason = rejects[0]["reason"]
            report.rejected[reason] += 1
            state.append(_state_row(f, page_id, f"reject:{reason}"))
        else:
            report.accepted += 1
            video = result_rows["videos"][0]
            report.warnings += len(video["warnings"])
            report.languages[video["ui_language"] or "unknown"] += 1
            state.append(_state_row(f, page_id, "video"))
            curated_here[page_id] = valid_text(f.rel)  # type: ignore[index]

    store.write_batch(curated, run_id, batch_no, tables, partitions, state)
    return report


def _unread_reject(f: RawFile, reason: str, detail: str, now: datetime) -> tuple[PageMeta, dict[str, list]]:
    """A reject decided without the file's bytes (no page_id, no sidecar)."""
    meta = PageMeta(f.rel, f.size, now, "mtime")
    return meta, {"rejects": [reject_row(meta, None, reason, detail, source_format(f.rel), now)]}


def _state_row(f: RawFile, page_id: str | None, outcome: str) -> dict[str, Any]:
    return {"source_path": valid_text(f.rel), "size_bytes": f.size, "mtime_ns": f.mtime_ns,
            "page_id": page_id, "outcome": outcome, "pipeline_version": __version__}


@dataclass(slots=True)
class Plan:
    batches: list[list[WorkItem]]
    skipped_by_stat: int  # size and mtime match a curated file: not even read
    files: int


def _retried(earlier: store.SeenFile, f: RawFile, max_bytes: int | None) -> bool:
    """An earlier reject of this very file whose cause can have passed (``errors.READ_AGAIN``)."""
    reason = (earlier.outcome or "").removeprefix("reject:")
    if reason not in RETRIED_UNCHANGED:
        return False
    if reason == "too_large":  # read once the --max-bytes of this run lets it in
        return max_bytes is not None and f.size <= max_bytes
    if reason == "internal_error":  # read by another pageclean version, which may have the fix
        return earlier.pipeline_version != __version__
    return True  # unreadable: permissions, a vanished file, a failing disk can all be fixed


def plan_run(raw_root: str, curated_root: str, batch_size: int, max_bytes: int | None = None,
             batch_bytes: int = DEFAULT_BATCH_BYTES, processes: int = 1) -> Plan:
    """List the raw folder and keep what earlier runs have not curated (stat first, hash later).

    A file whose store reports no modification time (mtime 0) is never skipped by stat: it is read
    and hashed, and skipped as ``unchanged`` if its bytes are already curated. A reject whose cause
    can pass without the file changing (``errors.READ_AGAIN``) is read again.

    Batches close at ``batch_size`` pages or ``batch_bytes`` bytes, whichever comes first. Files of
    one size go into one batch, so that the batch sees every copy of the same bytes and curates
    one (the others become ``duplicate`` rejects); a size shared by more files than one batch holds
    is split by a checksum of the bytes here, copies still together.

    ``processes`` (how many will parse the batches): when more than one,
    - ``batch_bytes`` grows, up to ``MAX_BATCH_BYTES``, to a quarter over the bytes to read over
      ``TASKS_PER_PROCESS`` x ``processes``, so a big folder makes fewer, larger tasks while every
      process still gets several;
    - a plan of more than one batch has a multiple of ``processes`` batches of about equal bytes,
      so the processes finish together: 11 batches of up to 200 pages on 2 processes left one
      process alone on the last batch, ~1 s of a 7 s run (measured on 2,000 text dumps).
    """
    seen = store.load_seen(curated_root)
    curated_by_size: dict[int, dict[str, str]] = defaultdict(dict)  # size -> page_id -> path
    for path in sorted(seen):
        for e in seen[path]:
            if e.page_id and e.size_bytes is not None and e.outcome in ("video", "unchanged"):
                curated_by_size[e.size_bytes].setdefault(e.page_id, path)
    units: list[list[WorkItem]] = []  # items that must share a batch, in listing order
    by_size: dict[int, list[WorkItem]] = {}
    skipped = files = 0
    for f in discover(raw_root):
        files += 1
        name = valid_text(f.rel)  # the state holds names as valid UTF-8
        earlier = seen.get(name, [])
        same = [e for e in earlier if e.size_bytes == f.size and e.mtime_ns == f.mtime_ns]
        retried = [e for e in same if _retried(e, f, max_bytes)]
        trust_stat = bool(f.problem or f.mtime_ns)  # a reject decided before reading has nothing to hash
        if trust_stat and len(same) > len(retried):  # an outcome for this very file that stands
            skipped += 1
            continue
        known = tuple(e.page_id for e in earlier if e.page_id and not _retried(e, f, max_bytes))
        elsewhere = tuple((pid, path) for pid, path in curated_by_size.get(f.size, {}).items() if path != name)
        again = (retried[-1].outcome or "").removeprefix("reject:") if retried else None
        item = WorkItem(f, known, elsewhere, again)
        if f.problem or (max_bytes is not None and f.size > max_bytes):
            units.append([item])  # rejected without reading: no copy to find
        elif f.size in by_size:
            by_size[f.size].append(item)
        else:
            units.append(by_size.setdefault(f.size, [item]))
    for unit in units:  # of two paths to the same bytes, the real file is the original, not a link to it
        unit.sort(key=lambda item: item.file.via_link)
    total = sum(_bytes(item) for unit in units for item in unit)
    if processes > 1:
        # A quarter over the even share, so that the even share, not this limit, shapes the batches.
        grown = -(-total * 5 // (4 * TASKS_PER_PROCESS * processes))
        batch_bytes = max(batch_bytes, min(MAX_BATCH_BYTES, grown))
    raw = open_root(raw_root)
    parts = _split_units(raw, units, batch_size, batch_bytes, max(1, min(processes, os.cpu_count() or 1)))
    return Plan(pack_batches(parts, batch_size, batch_bytes, processes), skipped, files)


def pack_batches(parts: list[list[WorkItem]], batch_size: int, batch_bytes: int,
                 processes: int) -> list[list[WorkItem]]:
    """``parts`` (each kept whole, in order) packed into batches of at most ``batch_size`` pages
    and ``batch_bytes`` bytes; as few as those limits allow, rounded up to a multiple of
    ``processes``, each holding about the same bytes when bytes limit the batches, else about the
    same pages. When parts that must stay whole (copies of one page) make the limits close batches
    early, there is one more batch per process, so the count stays a multiple (2,000 benchmark
    dumps with repeated sizes made 11 batches of at most 200 pages for 2 processes; now 12)."""
    sizes = [sum(_bytes(item) for item in part) for part in parts]
    pages = sum(len(part) for part in parts)
    total = sum(sizes)
    by_pages, by_bytes = -(-pages // batch_size), -(-total // batch_bytes)
    wanted = max(by_pages, by_bytes, 1)
    if wanted > 1 and processes > 1:
        wanted = -(-wanted // processes) * processes
    # Parts are weighed by what limits the batches: bytes for big pages, else pages. Equal shares
    # of the other measure could put more than a limit in a batch, and so make extra batches.
    weights = sizes if by_bytes > by_pages else [len(part) for part in parts]
    while True:
        batches = _pack(parts, sizes, weights, batch_size, batch_bytes, wanted)
        if processes <= 1 or len(batches) <= wanted or wanted >= len(parts):
            return batches
        wanted += processes


def _pack(parts: list[list[WorkItem]], sizes: list[int], weights: list[int], batch_size: int,
          batch_bytes: int, wanted: int) -> list[list[WorkItem]]:
    """``parts`` in order, a batch closing at a limit or at its share of ``wanted`` batches."""
    left, batches_left = sum(weights), wanted
    target = left / batches_left  # what the batch being filled should weigh
    batches: list[list[WorkItem]] = []
    current: list[WorkItem] = []
    current_bytes = current_weight = 0
    for part, size, weight in zip(parts, sizes, weights, strict=True):
        over_limit = len(current) + len(part) > batch_size or current_bytes + size > batch_bytes
        if current and (over_limit or current_weight + weight / 2 > target):
            batches.append(current)
            left -= current_weight
            batches_left = max(batches_left - 1, 1)  # past it when a limit closed batches early
            target = left / batches_left
            current, current_bytes, current_weight = [], 0, 0
        current += part
        current_bytes += size
        current_weight += weight
    if current:
        batches.append(current)
    return batches


def _bytes(item: WorkItem) -> int:
    return 0 if item.file.problem else item.file.size


def _split_units(raw: Root, units: list[list[WorkItem]], batch_size: int, batch_bytes: int,
                 threads: int) -> list[list[WorkItem]]:
    """Every unit (files of one size) whole, or, when it is more than a batch holds, its files
    grouped by their bytes' checksum: copies stay together, distinct pages can go to different
    batches. Order is kept: a unit's groups come where the unit was.

    The checksums of big files are taken in ``threads`` threads: reading and ``zlib.crc32``
    release the GIL, so they use every core while the parsing processes have not started yet.
    """
    too_big = [unit for unit in units
               if len(unit) > 1 and (len(unit) > batch_size or sum(map(_bytes, unit)) > batch_bytes)]
    keys = iter(_checksums(raw, [item for unit in too_big for item in unit], threads))
    split = {id(unit) for unit in too_big}
    parts: list[list[WorkItem]] = []
    for unit in units:
        if id(unit) not in split:
            parts.append(unit)
            continue
        by_content: dict[int, list[WorkItem]] = {}
        alone: list[list[WorkItem]] = []
        for item in unit:  # the checksums come in the same order
            key = next(keys)
            if key is None:  # unreadable now: its batch reads it again and rejects it
                alone.append([item])
            else:
                by_content.setdefault(key, []).append(item)
        parts += [*by_content.values(), *alone]
    return parts


def _checksums(raw: Root, items: list[WorkItem], threads: int) -> list[int | None]:
    """CRC-32 of each file's bytes (None when it cannot be read), in ``threads`` threads.

    Only for grouping: equal bytes give equal CRCs, and a rare equal CRC of other bytes merely keeps
    two pages in one batch. CRC-32 costs a fraction of the batch's sha256.
    """
    def crcs(chunk: list[WorkItem]) -> list[int | None]:
        out: list[int | None] = []
        for item in chunk:
            try:
                out.append(zlib.crc32(read_page(raw, item.file, item.file.size)))
            except OSError:
                out.append(None)
        return out

    if threads <= 1 or len(items) < 2 or sum(map(_bytes, items)) < THREADED_CHECKSUM_BYTES * len(items):
        return crcs(items)
    step = -(-len(items) // threads)  # one contiguous slice per thread: no per-file hand-off
    with ThreadPoolExecutor(threads, thread_name_prefix="pageclean-plan") as pool:
        return [key for chunk in pool.map(crcs, [items[i:i + step] for i in range(0, len(items), step)])
                for key in chunk]
