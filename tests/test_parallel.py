"""Parsing processes start warm: pool workers fork from a fork server that has loaded the parsers
and catalogs, and Dask workers get the same warm-up before a run's first batch."""

from __future__ import annotations

import os
import sys

import pytest

from pageclean import parallel
from pageclean.localize.catalog import HL_CODES


def _state() -> tuple[int, bool, int]:
    """What a parsing process has loaded: catalogs, the flow's module, and its pid."""
    from pageclean.localize.catalog import load_catalog

    return load_catalog.cache_info().currsize, "pageclean.runner" in sys.modules, os.getpid()


def test_pool_workers_start_with_every_catalog_loaded():
    """A pool worker has all language catalogs before its first batch, and is not this process."""
    with parallel.pool(2, batches=4) as processes:
        assert processes == 2
        (catalogs, runner_loaded, pid), where = parallel.run(_state)
    assert catalogs == len(HL_CODES)
    assert runner_loaded
    assert pid == where != os.getpid()


def test_one_worker_or_one_batch():
    """--workers 1 parses in this process; one batch with more workers gets a pool of one."""
    with parallel.pool(1, batches=5) as processes:
        assert processes == 1
        assert parallel.run(os.getpid)[0] == os.getpid()
    with parallel.pool(4, batches=1) as processes:
        assert processes == 1
        assert parallel.run(os.getpid)[0] != os.getpid()


def test_dask_workers_are_warm_before_the_first_batch():
    """The warm-up plugin loads the parsers and catalogs on every worker, and no Prefect."""
    from distributed import Client, LocalCluster

    from pageclean.dask_warmup import warm_cluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert warm_cluster(cluster.scheduler_address) == 2
        with Client(cluster.scheduler_address) as client:
            states = client.run(lambda: (_state()[:2], "prefect" in sys.modules))
    assert list(states.values()) == [((len(HL_CODES), True), False)] * 2


def test_batches_on_a_dask_cluster_run_there_without_prefect(tmp_path):
    """``parallel.cluster``: ``run`` ships the function to the workers, which parse it there; the
    workers never import Prefect (nothing of it runs or is needed on a cluster)."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with parallel.cluster(cluster.scheduler_address) as threads:
            assert threads == 2
            (catalogs, runner_loaded, pid), where = parallel.run(_state)
        with Client(cluster.scheduler_address) as client:
            prefect_on_workers = client.run(lambda: "prefect" in sys.modules)
    assert catalogs == len(HL_CODES) and runner_loaded
    assert pid == where != os.getpid()
    assert parallel._pool is None  # the flow's next run on this machine uses the local pool again
    assert not any(prefect_on_workers.values())


# Three 4 MB blocks filled and freed, eight times over, in a fresh process: with glibc's defaults
# the blocks come back as fresh pages every time (the freed 12 MB at the heap's top is over the trim
# threshold that follows the largest block, 8 MB), which is what 1 MB watch pages did in a worker.
REUSE = """
import resource, sys
from pageclean import parallel
if sys.argv[1] == "keep":
    assert parallel.keep_freed_memory()
faults = []
for _ in range(8):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    blocks = [bytearray(4 << 20) for _ in range(3)]
    for block in blocks:
        block[::4096] = bytes(len(block[::4096]))  # touch every page
    del blocks, block
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(faults)
"""


def _glibc() -> bool:
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (AttributeError, ValueError):
        return False


@pytest.mark.skipif(not _glibc(), reason="the settings are glibc's malloc's; elsewhere malloc is left alone")
def test_keep_freed_memory_reuses_what_was_freed():
    """With the pool's malloc settings a process reuses the memory it freed: after the first round
    no page faults, where glibc's defaults took ~3,040 a round here (measured: 3,040 every round)."""
    import ast
    import subprocess

    kept = subprocess.run([sys.executable, "-c", REUSE, "keep"], capture_output=True, text=True, timeout=120)
    assert kept.returncode == 0, kept.stderr
    faults = ast.literal_eval(kept.stdout.strip())
    assert faults[0] > 2000  # the first round maps its 12 MB
    assert sum(faults[1:]) < 100, faults


def test_pool_workers_set_it_before_warming_up(monkeypatch):
    """A pool worker's initializer applies the malloc settings, then the warm-up."""
    import threading

    calls = []
    monkeypatch.setattr(parallel, "keep_freed_memory", lambda: calls.append("malloc") or True)
    monkeypatch.setattr(parallel, "warm", lambda: calls.append("warm"))
    parallel._warm({}, threading.Barrier(1))
    assert calls == ["malloc", "warm"]


def test_keep_freed_memory_changes_nothing_without_glibc(monkeypatch):
    """Where the C library is not glibc (musl, macOS), the setting is skipped, not an error."""
    def unknown(name):
        raise ValueError("unrecognized configuration name")

    monkeypatch.setattr(os, "confstr", unknown)
    assert parallel.keep_freed_memory() is False
    monkeypatch.setattr(os, "confstr", lambda name: None)
    assert parallel.keep_freed_memory() is False
