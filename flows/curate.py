"""The pageclean flow: the pipeline's table of contents. Each task is one call into the library.

plan (list raw/, skip what is curated) -> curate_batch x N (read, decode, detect language, parse,
extract, stage Parquet) -> publish (atomic renames) -> summary.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.futures import as_completed

from pageclean import parallel
from pageclean.io import curated as store
from pageclean.runner import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_BYTES,
    BatchReport,
    Plan,
    plan_run,
    run_batch,
)

# The CLI sets this to drive its progress bar; the flow only reports into it.
progress_hook: Callable[[str, int, int], None] | None = None


@dataclass(slots=True)
class RunSummary:
    run_id: str
    raw: str
    curated: str
    files: int = 0
    skipped_by_stat: int = 0
    batches: int = 0
    report: BatchReport = field(default_factory=BatchReport)
    seconds: float = 0.0
    recovered_files: int = 0


def task_runner_for(workers: int = 1, dask_address: str | None = None):
    """Where batch tasks run: threads of this process (their CPU work goes to ``pageclean.parallel``'s
    process pool), or an existing Dask cluster (``--dask-address tcp://scheduler:8786``), the
    scale-out path when one machine is not enough. See ``pageclean/parallel.py`` for the figures
    behind this choice."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=max(workers, 1))


def _progress(stage: str, done: int, total: int) -> None:
    if progress_hook is not None:
        progress_hook(stage, done, total)


@task(name="plan", retries=2, retry_delay_seconds=2)  # I/O: a network filesystem can blip
def plan(raw: str, curated: str, batch_size: int, max_bytes: int) -> Plan:
    return plan_run(raw, curated, batch_size, max_bytes)


@task(name="curate-batch")
def curate_batch(raw: str, curated: str, run_id: str, batch_no: int, items: list,
                 max_bytes: int, now: datetime, pseudonymize_authors: bool = False) -> BatchReport:
    return parallel.run(run_batch, raw, curated, run_id, batch_no, items, max_bytes, now,
                        pseudonymize_authors)


@task(name="publish", retries=2, retry_delay_seconds=2)
def publish(curated: str, run_id: str) -> int:
    return store.publish(curated, run_id)


@task(name="artifacts")
def publish_artifacts(summary: RunSummary) -> None:
    from pageclean.report import markdown_summary, rejects_table

    create_markdown_artifact(markdown_summary(summary), key="pageclean-summary",
                             description="What the run read, accepted and rejected")
    create_table_artifact(rejects_table(summary) or [{"reason": "-", "pages": 0, "meaning": "no rejects"}],
                          key="pageclean-rejects", description="Rejected pages by reason")


@flow(name="pageclean-curate", log_prints=False, validate_parameters=False)
def curate(
    raw: str = "raw",
    curated: str = "curated",
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lock_wait_seconds: float = 0.0,
    pseudonymize_authors: bool = False,
) -> RunSummary:
    """Curate every new raw page under ``raw`` into the Parquet datasets under ``curated``."""
    logger = get_run_logger()
    started = time.monotonic()
    now = datetime.now(UTC)
    run_id = now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    summary = RunSummary(run_id, raw, curated)
    with store.locked(curated, lock_wait_seconds):
        summary.recovered_files = store.recover(curated)
        if summary.recovered_files:
            logger.info("finished publishing %d files a killed run left", summary.recovered_files)
        work = plan(raw, curated, batch_size, max_bytes)
        summary.files, summary.skipped_by_stat = work.files, work.skipped_by_stat
        summary.batches = len(work.batches)
        total_pages = sum(len(b) for b in work.batches)
        logger.info("%d files, %d unchanged since the last run, %d to read in %d batches",
                    work.files, work.skipped_by_stat, total_pages, len(work.batches))
        _progress("pages", 0, total_pages)
        progress = create_progress_artifact(0.0, description="pages curated, percent")
        futures = [
            curate_batch.submit(raw, curated, run_id, n, items, max_bytes, now, pseudonymize_authors)
            for n, items in enumerate(work.batches)
        ]
        for future in as_completed(futures):
            summary.report.merge(future.result())
            _progress("pages", summary.report.pages, total_pages)
            update_progress_artifact(progress, 100.0 * summary.report.pages / max(total_pages, 1))
        publish(curated, run_id)
    summary.seconds = time.monotonic() - started
    publish_artifacts(summary)
    logger.info("run %s: %d accepted, %d rejected, %d unchanged in %.1fs", run_id,
                summary.report.accepted, sum(summary.report.rejected.values()),
                summary.report.unchanged + summary.skipped_by_stat, summary.seconds)
    return summary


def run_curate(workers: int = 1, dask_address: str | None = None, **params) -> RunSummary:
    """``curate`` on the task runner that ``workers`` / ``dask_address`` ask for."""
    runner = task_runner_for(workers, dask_address)
    if not dask_address:
        parallel.start(workers)
    try:
        return curate.with_options(task_runner=runner)(**params)
    finally:
        parallel.stop()
