"""Processes for the CPU-bound part of a run, behind Prefect tasks that stay in the flow's process.

Why not Prefect's own runners: ProcessPoolTaskRunner and prefect-dask's DaskTaskRunner on a
LocalCluster both run the whole task engine (API calls, state and log shipping) in every worker; in
an early one-off comparison on 2 cores (not kept as a benchmark, so no figure is quoted here) they
gained little or lost against one thread. Here the Prefect tasks run in threads of the flow process
(cheap, and every batch is still a task in the UI) and each hands its batch to a process pool whose
workers import the parsers and load the locale catalogs once (forkserver preload). What this gives
is measured by benchmarks/bench_core.py, bench_html.py and bench_pipeline.py (README, Measured).

The flow starts the pool itself (``pool``), so ``pageclean run``, ``pageclean serve`` and a
work-pool deployment all parse the same way. On a Dask cluster (``cluster``) the same tasks hand
their batches to the cluster's workers instead: the first run on a fresh cluster, which had its
workers import Prefect and start its task engine, took 1.5x as long as the next (0.58x the local
pool's speed, benchmarks/bench_dask.py, 2026-12-02).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

# What a worker needs before its first batch. The fork server imports it all and builds the language
# index (``pageclean.warmup``), so every worker forked from it starts warm.
PRELOAD = ["pageclean.runner", "pageclean.formats.textdump", "pageclean.formats.html",
           "pageclean.formats.innertube", "pageclean.localize", "pageclean.localize.dates",
           "pageclean.localize.chrome", "pageclean.localize.reading", "babel.dates"]
FORK_SERVER_PRELOAD = [*PRELOAD, "pageclean.warmup"]

FORWARDED_ENV_PREFIX = "PAGECLEAN_"
# glibc's malloc settings for a pool worker (``keep_freed_memory``). Mapping apart only blocks
# above this (glibc's own maximum for it, 32 MB on 64-bit) keeps a 1 MB page's bytes and text in
# the heap; a page near the --max-bytes cap is still mapped apart and given back whole.
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
# The free memory a worker keeps at the top of its heap for its next page: several 1 MB watch
# pages' working set (~10 to 30 MB each), so what one outsized page took is given back.
KEEP_FREED_BYTES = 64 * 1024 * 1024
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (glibc's malloc.h)
# How long a warm worker waits for the others before it starts on batches anyway (a worker that
# is slow to start must not hold up the run).
WARM_WAIT_SECONDS = 30.0

_pool: Executor | None = None


def default_workers() -> int:
    """One parsing process per core."""
    return os.cpu_count() or 1


def prestart() -> None:
    """Start the fork server now, so it imports the parsers and builds the language index while
    the caller does other things (``pageclean run``: while it imports Prefect). Costs nothing
    later if no pool is needed: the fork server exits with this process."""
    multiprocessing.get_context("forkserver").set_forkserver_preload(FORK_SERVER_PRELOAD)
    from multiprocessing import forkserver

    forkserver.ensure_running()


@contextlib.contextmanager
def pool(workers: int, batches: int) -> Iterator[int]:
    """The process pool for one run's ``batches``; yields how many processes parse them.

    ``workers`` <= 1 parses in the caller's process (returns 1). Otherwise a pool of
    ``min(workers, batches)`` processes, even of one: forked from the warm fork server a worker
    starts in milliseconds, where the flow's own process would first load the catalogs.
    """
    size = min(workers, batches)
    started = _pool is None and workers > 1 and size >= 1
    if started:
        start(size)
    try:
        yield size if _pool is not None else 1
    finally:
        if started:
            stop()


def start(workers: int) -> None:
    """Start the shared pool of ``workers`` processes."""
    global _pool
    if workers < 1 or _pool is not None:
        return
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(FORK_SERVER_PRELOAD)
    # Workers fork from a long-lived fork server whose environment is from when it started;
    # pass on what a run reads from the environment now (the pseudonym key), locally only.
    env = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV_PREFIX)}
    # Workers start one after another; without this the first one warm takes batch after batch
    # while the others load the catalogs, and a short run is parsed by one process.
    all_warm = ctx.Barrier(workers)
    _pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm,
                                initargs=(env, all_warm))
    for _ in range(workers):  # the pool starts a process per task that finds none idle: start all now
        _pool.submit(int)


@contextlib.contextmanager
def cluster(address: str) -> Iterator[int]:
    """Batches go to the Dask cluster at ``address`` for the duration; yields how many batches it
    parses at once (its workers' threads).

    As with the local pool, the Prefect tasks stay in the flow's process and ``run`` ships only the
    batch function: the workers need pageclean, not Prefect or a route to the run's Prefect API, and
    they load only the parsers and catalogs (the warm-up plugin, installed here if the caller has
    not done it yet).
    """
    global _pool
    from distributed import Client

    from pageclean.dask_warmup import CONNECT_TIMEOUT_SECONDS, WarmUp

    client = Client(address, timeout=CONNECT_TIMEOUT_SECONDS, set_as_default=False)
    try:
        client.register_plugin(WarmUp())
        _pool = client.get_executor(pure=False)  # every batch is new work, even with equal arguments
        yield max(sum(client.nthreads().values()), 1)
    finally:
        _pool = None
        client.close()


def stop() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def run(fn: Callable[..., T], *args: Any) -> tuple[T, int]:
    """``fn(*args)`` in the pool when one is started, else here; with the id of the process
    that ran it (a run counts them to show its real parallelism)."""
    if _pool is None:
        return _with_pid(fn, args)
    return _pool.submit(_with_pid, fn, args).result()


def _with_pid(fn: Callable[..., T], args: tuple) -> tuple[T, int]:
    return fn(*args), os.getpid()


def warm() -> None:
    """Import the parsers and build the language index in this process: what a pool worker or a
    Dask worker needs before its first batch."""
    for name in PRELOAD:
        importlib.import_module(name)
    from pageclean import localize
    from pageclean.localize.catalog import HL_CODES
    from pageclean.localize.numbers import affix_regex

    localize.detect(["warm-up"])  # builds the all-language index once per process
    # What a process's first page would otherwise build: the number-with-affix regexes (all
    # languages', then each one's; ~0.13 s). Without these and the date and chrome modules in
    # PRELOAD, a worker's first text dump took 125 ms and the next ones 4 ms; now the first takes
    # ~26 ms (what is left is Babel's date formats of the page's language, loaded on first use).
    for code in (None, *HL_CODES):
        affix_regex(code)
    # The catalogs and modules live as long as the process: move them out of the cyclic GC's
    # reach, so its full collections stop walking them (Python's gc docs suggest this for
    # long-lived processes). Measured in a pool worker: GC went from 3.3% to 0.8% of a text batch.
    gc.collect()
    gc.freeze()


def keep_freed_memory() -> bool:
    """Have glibc keep freed memory in this process for reuse instead of giving it back to the
    kernel at once; True if it was set (glibc only, elsewhere nothing changes).

    By default glibc maps a block of 128 KB or more apart and unmaps it when freed, and trims the
    heap's free top beyond a threshold that follows those blocks. A 1 MB watch page's bytes, its
    decoded text and the JSON parse's buffers then came back as fresh zeroed pages on every page:
    576 page faults and ~2.5 ms of kernel time a page, ~12% of its CPU. With these settings a
    worker parsing 1 MB pages took 2 faults and ~0.65 ms of kernel time a page (text dumps, at
    18 KB, were not affected). The cost is that a worker's memory stays near its peak between
    pages, which its peak RSS already counts.
    """
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt  # the C library this process runs on
    except (AttributeError, OSError, ValueError):  # not glibc, or no confstr / mallopt here
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) and mallopt(_M_TRIM_THRESHOLD, KEEP_FREED_BYTES))


def _warm(env: dict[str, str], all_warm: threading.Barrier) -> None:
    os.environ.update(env)
    keep_freed_memory()  # the pool's own processes only: a Dask worker's malloc is its cluster's
    warm()
    with contextlib.suppress(threading.BrokenBarrierError):
        all_warm.wait(timeout=WARM_WAIT_SECONDS)
