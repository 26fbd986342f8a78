"""Processes for the CPU-bound part of a run, behind Prefect tasks that stay in the flow's process.

Measured on 2 cores, 10,000 text dumps (benchmarks/bench_pipeline.py): Prefect's
ProcessPoolTaskRunner and prefect-dask's DaskTaskRunner on a LocalCluster both run the whole task
engine (API calls, state and log shipping) in every worker, and gained little or lost against one
thread (393 and 276 pages/s against 353). Here the Prefect tasks run in threads of the flow process
(cheap, and every batch is still a task in the UI) and each hands its batch to a process pool whose
workers import the parsers and load the locale catalogs once (forkserver preload).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

# Imported once in the fork server, so each worker starts with the parsers and catalogs loaded.
PRELOAD = ["pageclean.runner", "pageclean.formats.textdump", "pageclean.formats.html",
           "pageclean.formats.innertube", "pageclean.localize"]

FORWARDED_ENV_PREFIX = "PAGECLEAN_"

_pool: Executor | None = None


def start(workers: int) -> None:
    """Start the shared pool (no-op for one worker: batches then run in the task's thread)."""
    global _pool
    if workers <= 1 or _pool is not None:
        return
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    # Workers fork from a long-lived fork server whose environment is from when it started;
    # pass on what a run reads from the environment now (the pseudonym key), locally only.
    env = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV_PREFIX)}
    _pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm, initargs=(env,))


def stop() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def run(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in the pool when one is started, else here."""
    if _pool is None:
        return fn(*args)
    return _pool.submit(fn, *args).result()


def _warm(env: dict[str, str]) -> None:
    from pageclean import localize

    os.environ.update(env)
    localize.detect(["warm-up"])  # builds the all-language index once per worker
