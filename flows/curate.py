"""The pageclean flow: the pipeline's table of contents. Each task is one call into the library.

plan (list raw/, skip what is curated) -> curate_batch x N (read, decode, detect language, parse,
extract, stage Parquet) -> publish (atomic renames) -> summary.
"""

from __future__ import annotations

import contextlib
import itertools
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

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
from pageclean.summary import RunSummary

# The CLI sets this to drive its progress bar; the flow only reports into it.
progress_hook: Callable[[str, int, int], None] | None = None


def _progress(stage: str, done: int, total: int) -> None:
    if progress_hook is not None:
        progress_hook(stage, done, total)


@task(name="plan", retries=2, retry_delay_seconds=2)  # I/O: a network filesystem can blip
def plan(raw: str, curated: str, batch_size: int, max_bytes: int, processes: int = 1) -> Plan:
    return plan_run(raw, curated, batch_size, max_bytes, processes=processes)


# A batch's parameters are hundreds of file records: Prefect's default cache policy would hash
# them all, and it walks them for upstream futures (``quote`` stops that), both in the flow's
# process while the pool parses (py-spy on 2,000 text dumps: ~0.9 s of the flow's CPU; with both,
# the flow's process used 0.42-0.62 s of CPU in three runs against 0.67-0.84 s). A batch is never
# served from a cache: it writes files.
BATCH_TASK = {"cache_policy": NO_CACHE}


@task(name="curate-batch", **BATCH_TASK)
def curate_batch(raw: str, curated: str, run_id: str, batch_no: int, items: list,
                 max_bytes: int, now: datetime, pseudonymize_authors: bool = False) -> tuple[BatchReport, int]:
    """The batch's report, and the id of the process that parsed it."""
    return parallel.run(run_batch, raw, curated, run_id, batch_no, items, max_bytes, now,
                        pseudonymize_authors)


@task(name="publish", retries=2, retry_delay_seconds=2)
def publish(curated: str, run_id: str) -> int:
    return store.publish(curated, run_id)


@task(name="artifacts")
def publish_artifacts(summary: RunSummary) -> None:
    from pageclean.report import markdown_summary, rejects_table

    create_artifacts(markdown_summary(summary), rejects_table(summary),
                     "What the run read, accepted and rejected", "Rejected pages by reason")


def create_artifacts(markdown: str, rejects: list[dict], summary_about: str, rejects_about: str) -> None:
    """The two artifacts every pageclean flow leaves in Prefect: its summary and its rejects by reason."""
    create_markdown_artifact(markdown, key="pageclean-summary", description=summary_about)
    create_table_artifact(rejects or [{"reason": "-", "pages": 0, "meaning": "no rejects"}],
                          key="pageclean-rejects", description=rejects_about)


# The flow's own task runner, also under `pageclean serve` and a work-pool worker: batch tasks in
# threads (at most workers + 1 in flight, see _submit_bounded) handing their pages to the pool.
@flow(name="pageclean-curate", log_prints=False, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner())
def curate(
    raw: str = "raw",
    curated: str = "curated",
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lock_wait_seconds: float = 0.0,
    pseudonymize_authors: bool = False,
    workers: int | None = None,
    dask_address: str | None = None,
) -> RunSummary:
    """Curate every new raw page under ``raw`` into the Parquet datasets under ``curated``.

    ``workers`` processes parse in parallel on this machine (None: one per core; 1: in the flow's
    process), or the workers of the Dask cluster at ``dask_address`` (``tcp://scheduler:8786``),
    the scale-out path when one machine is not enough. Either way the batch tasks run in threads of
    the flow's process and hand their pages over (see ``pageclean/parallel.py``).
    """
    logger = get_run_logger()
    started = time.monotonic()
    now = datetime.now(UTC)
    run_id = now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    summary = RunSummary(run_id, raw, curated)
    with store.locked(curated, lock_wait_seconds):
        summary.recovered_files = store.recover(curated)
        if summary.recovered_files:
            logger.info("finished publishing %d files a killed run left", summary.recovered_files)
        with parallel.cluster(dask_address) if dask_address else contextlib.nullcontext() as on_cluster:
            wanted = on_cluster or workers or parallel.default_workers()
            # Batches are sized for the processes that parse them (see plan_run).
            work = plan(raw, curated, batch_size, max_bytes, wanted)
            summary.files, summary.skipped_by_stat = work.files, work.skipped_by_stat
            summary.batches = len(work.batches)
            total_pages = sum(len(b) for b in work.batches)
            logger.info("%d files, %d unchanged since the last run, %d to read in %d batches",
                        work.files, work.skipped_by_stat, total_pages, len(work.batches))
            _progress("pages", 0, total_pages)
            progress = create_progress_artifact(0.0, description="pages curated, percent")
            with parallel.pool(1 if on_cluster else wanted, len(work.batches)) as processes:
                in_flight = (on_cluster or processes) + 1  # one queued per busy process
                jobs = ((curate_batch, (raw, curated, run_id, n, quote(items), max_bytes, now, pseudonymize_authors))
                        for n, items in enumerate(work.batches))
                for future in _submit_bounded(jobs, in_flight):
                    report, pid = future.result()
                    summary.report.merge(report)
                    summary.parsed_in.add(pid)
                    _progress("pages", summary.report.pages, total_pages)
                    update_progress_artifact(progress, 100.0 * summary.report.pages / max(total_pages, 1))
        publish(curated, run_id)
    summary.seconds = time.monotonic() - started
    publish_artifacts(summary)
    logger.info("run %s: %d accepted, %d rejected, %d unchanged in %.1fs", run_id,
                summary.report.accepted, sum(summary.report.rejected.values()),
                summary.report.unchanged + summary.skipped_by_stat, summary.seconds)
    return summary


def _submit_bounded(jobs: Iterable[tuple], limit: int) -> Iterator[PrefectFuture]:
    """Submit ``(task, args)`` jobs keeping at most ``limit`` in flight; yield each as it finishes.

    Tasks wait in line here rather than in the task runner, so a batch shows as running in the UI
    only while a process parses it, and a folder of 5,000 batches does not make 5,000 threads.
    """
    jobs = iter(jobs)
    running = [t.submit(*args) for t, args in itertools.islice(jobs, max(limit, 1))]
    while running:
        done = next(as_completed(running))
        running.remove(done)
        running.extend(t.submit(*args) for t, args in itertools.islice(jobs, 1))
        yield done


def run_curate(workers: int | None = None, dask_address: str | None = None, **params) -> RunSummary:
    """``curate`` with ``workers`` parsing processes here, or on the Dask cluster at ``dask_address``."""
    return curate(workers=workers, dask_address=dask_address, **params)
