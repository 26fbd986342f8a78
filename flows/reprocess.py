"""The reprocess flow: re-curate pages an older pageclean wrote. Each task is one call into ``pageclean.reprocess``.

select (which pages, which raw files) -> reprocess_batch x N (read, parse, stage rows, as a run does)
-> build (stage each touched folder's new content, count changes, commit a plan) -> publish (swap the
folders in) -> artifacts. Under the curated lock, like ``curate``; a killed reprocess is rolled back
or finished by the next run.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_progress_artifact,
    update_progress_artifact,
)
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.curate import BATCH_TASK, _submit_bounded, create_artifacts
from pageclean import parallel
from pageclean import reprocess as lib
from pageclean.io import curated as store
from pageclean.runner import DEFAULT_BATCH_SIZE, DEFAULT_MAX_BYTES, run_batch

# The CLI sets this to drive its progress bar; the flow only reports into it.
progress_hook: Callable[[str, int, int], None] | None = None


@task(name="select", retries=2, retry_delay_seconds=2)  # I/O: a network filesystem can blip
def select(raw: str, curated: str, batch_size: int, every: bool, where: str | None,
           path_glob: str | None, processes: int = 1) -> tuple[lib.Selection, lib.PagePlan]:
    selection = lib.select_pages(curated, every, where, path_glob)
    return selection, lib.plan_pages(raw, selection, batch_size, processes)


@task(name="reprocess-batch", **BATCH_TASK)
def reprocess_batch(raw: str, curated: str, job_id: str, batch_no: int, items: list, max_bytes: int,
                    now: datetime, pseudonymize_authors: bool = False):
    """The batch's report, and the id of the process that parsed it (as ``curate_batch``)."""
    return parallel.run(run_batch, raw, curated, job_id, batch_no, items, max_bytes, now, pseudonymize_authors)


@task(name="build")
def build(curated: str, job_id: str, selection: lib.Selection, plan: lib.PagePlan) -> lib.Built:
    return lib.build(curated, job_id, selection, plan)


@task(name="publish", retries=2, retry_delay_seconds=2)
def publish(curated: str, job_id: str) -> int:
    return lib.publish(curated, job_id)


@task(name="artifacts")
def publish_artifacts(summary: lib.ReprocessSummary) -> None:
    from pageclean.report_reprocess import markdown_summary, rejects_table

    create_artifacts(markdown_summary(summary), rejects_table(summary),
                     "What the reprocess replaced and what changed",
                     "Reprocessed pages that are rejects, by reason")


# Batch tasks in threads of the flow's process handing their pages to the pool, as in ``curate``.
@flow(name="pageclean-reprocess", log_prints=False, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner())
def reprocess(
    raw: str = "raw",
    curated: str = "curated",
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lock_wait_seconds: float = 0.0,
    pseudonymize_authors: bool = False,
    every: bool = False,
    where: str | None = None,
    path_glob: str | None = None,
    workers: int | None = None,
    dask_address: str | None = None,
) -> lib.ReprocessSummary:
    """Re-curate the pages an older pageclean wrote (or ``every`` page), narrowed by ``where`` / ``path_glob``;
    ``workers`` parsing processes here, or the Dask cluster at ``dask_address``, as in ``curate``."""
    logger = get_run_logger()
    started = time.monotonic()
    now = datetime.now(UTC)
    job_id = lib.new_job_id(now)
    summary = lib.ReprocessSummary(job_id, raw, curated)
    with store.locked(curated, lock_wait_seconds, holder=f"pageclean {job_id} (pid {os.getpid()})"):
        summary.recovered_files = store.recover(curated)
        summary.rows_before = store.count_rows(curated)
        # Batches even for this machine's processes (a cluster's are counted once it is reached).
        selection, plan = select(raw, curated, batch_size, every, where, path_glob,
                                 1 if dask_address else workers or parallel.default_workers())
        summary.criteria, summary.selected = selection.criteria, len(selection.pages)
        summary.versions, summary.newer, summary.batches = selection.versions, selection.newer, len(plan.batches)
        total = sum(len(b) for b in plan.batches)
        logger.info("%d pages selected (%s), %d raw files to read in %d batches",
                    summary.selected, summary.criteria, total, len(plan.batches))
        _progress("pages", 0, total)
        progress = create_progress_artifact(0.0, description="pages reprocessed, percent")
        try:
            with (parallel.cluster(dask_address) if dask_address else contextlib.nullcontext() as on_cluster,
                  parallel.pool(1 if on_cluster else workers or parallel.default_workers(), len(plan.batches)) as n):
                jobs = ((reprocess_batch, (raw, curated, job_id, b, quote(items), max_bytes, now, pseudonymize_authors))
                        for b, items in enumerate(plan.batches))
                for future in _submit_bounded(jobs, (on_cluster or n) + 1):
                    report, _ = future.result()
                    summary.report.merge(report)
                    _progress("pages", summary.report.pages, total)
                    update_progress_artifact(progress, 100.0 * summary.report.pages / max(total, 1))
            summary.built = build(curated, job_id, selection, plan)
        except BaseException:
            lib.discard(curated, job_id)  # not committed: nothing was published
            raise
        publish(curated, job_id)
        summary.rows_after = store.count_rows(curated)
    summary.seconds = time.monotonic() - started
    publish_artifacts(summary)
    logger.info("reprocess %s: %d of %d pages replaced, %d changed, %d kept, in %.1fs", job_id,
                len(summary.built.replaced), summary.selected, summary.changed, len(summary.built.kept),
                summary.seconds)
    return summary


def _progress(stage: str, done: int, total: int) -> None:
    if progress_hook is not None:
        progress_hook(stage, done, total)


def run_reprocess(workers: int | None = None, dask_address: str | None = None, **params) -> lib.ReprocessSummary:
    """``reprocess`` with ``workers`` parsing processes here, or on the Dask cluster at ``dask_address``."""
    return reprocess(workers=workers, dask_address=dask_address, **params)
