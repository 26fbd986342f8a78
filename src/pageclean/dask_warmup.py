"""Dask workers that are ready before the first batch arrives.

A fresh worker otherwise pays, inside the first batch it is sent, for importing the parsers and
loading the language catalogs and index. A worker plugin does that work on every worker (and on
any worker that joins later). Workers run only the batch function (``pageclean.parallel.cluster``),
so they never import Prefect. ``pageclean run`` installs it in the background as its very first
step, so the workers warm up while the run itself starts Prefect and lists the raw folder; a batch
that arrives at a worker still warming waits for the same imports instead of doing them twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

from distributed import Client
from distributed.diagnostics.plugin import WorkerPlugin

from pageclean import parallel

# Connecting to a scheduler that is not there should fail the run quickly and clearly.
CONNECT_TIMEOUT_SECONDS = 30


class WarmUp(WorkerPlugin):
    name = "pageclean-warm-up"

    async def setup(self, worker) -> None:
        # Off the worker's event loop, which must keep answering the scheduler's heartbeats.
        await asyncio.get_running_loop().run_in_executor(None, parallel.warm)


def warm_cluster(address: str) -> int:
    """Install the warm-up on the cluster at ``address``; returns after every current worker ran
    it, with the number of workers."""
    with Client(address, timeout=CONNECT_TIMEOUT_SECONDS, set_as_default=False) as client:
        client.register_plugin(WarmUp())
        return len(client.scheduler_info().get("workers", {}))


def start_warm_up(address: str) -> threading.Thread:
    """``warm_cluster`` in a background thread. A cluster that cannot be reached is not reported
    here: the run's own connection to it says so."""

    def warm() -> None:
        with contextlib.suppress(Exception):
            warm_cluster(address)

    thread = threading.Thread(target=warm, name="pageclean-dask-warm-up", daemon=True)
    thread.start()
    return thread
