"""``pageclean serve``: Prefect's ``flow.serve`` in a child process, under a supervisor that owns
the signals and rides out the Prefect API going away.

Served directly, Prefect's runner printed a websocket traceback when its server stopped, and then
ignored SIGTERM and SIGINT for minutes: its graceful stop pauses the schedule and cancels runs
through the API that was gone, retrying. Here the supervisor, which imports nothing of Prefect:

- on SIGTERM or SIGINT sends the child SIGTERM (Prefect's graceful stop), and kills the child's
  process group (the runner, a flow run, its parsing processes) if it is still there after
  ``STOP_GRACE_SECONDS``. serve exits within 10 s in every state. A batch cut off mid-run was
  only staged; the next run's recovery publishes or discards it;
- checks the API every ``HEALTH_SECONDS``. When it stops answering, prints one warning line and
  keeps the child: Prefect's runner reconnects by itself when the API is back, and picks up the
  schedule where it was (a run due during the outage starts then). If the child dies meanwhile,
  a new one is started once the API answers, and registers the same deployment and schedule;
- passes the child's output on, with each traceback folded into its last line (``-v`` shows them
  whole); while the API is gone, the child's complaints about it are dropped.

A served run is the same flow as ``pageclean run``: the same parameters, the same process pool.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO
from urllib.parse import urlsplit

STOP_GRACE_SECONDS = 5.0  # Prefect's own stop (schedule paused, run cancelled) takes ~1-2 s
KILL_WAIT_SECONDS = 2.0  # after SIGKILL; with a 1.5 s API check in flight: 8.5 s, inside the 10 s of systemd and docker
HEALTH_SECONDS = 2.0  # how soon an API outage (or its end) is noticed
RESTART_BACKOFF_SECONDS = (2.0, 5.0, 15.0, 30.0, 60.0)  # a child that keeps dying is not hammered
FOLD_FLUSH_SECONDS = 0.3  # a traceback's last line is final once nothing follows for this long

_CHAIN_LINES = ("The above exception was the direct cause of the following exception:",
                "During handling of the above exception, another exception occurred:")
_LEVEL = re.compile(r"\|\s*(WARNING|ERROR|CRITICAL)\s*\|")
# Python 3.11 prints an exception group indented, every line under a "|" or "+" rail; its first
# line is this (Prefect's runner raised one when its poller gave up during an API outage).
_GROUP_START = "+ Exception Group Traceback (most recent call last):"
# An exception's own line inside such a traceback: "  | RuntimeError: Service exceeded ...".
_RAILED_EXCEPTION = re.compile(r"^[\s|]*([A-Za-z_][\w.]*(?::.*)?)$")


class Supervisor:
    """Keeps one child serving while the API answers; stops everything on SIGTERM/SIGINT."""

    def __init__(self, child_argv: list[str], api_url: str, out: IO[str], verbose: bool = False) -> None:
        self.child_argv = child_argv
        self.api = ApiProbe(api_url)
        self.out = out
        self.verbose = verbose
        self._stop = threading.Event()
        self._child: subprocess.Popen[str] | None = None
        self._api_gone = False
        self._lock = threading.Lock()

    def request_stop(self, signum: int = signal.SIGTERM, frame: object = None) -> None:
        self._stop.set()

    def run(self) -> int:
        failures = 0
        while not self._stop.is_set():
            if not self.api.up():
                self._note_api_gone()
                self._stop.wait(HEALTH_SECONDS)
                continue
            if self._api_gone:
                self._say("the Prefect API answers again; runs resume on the same schedule")
                self._api_gone = False
            started = time.monotonic()
            code = self._serve_once()
            if self._stop.is_set():
                continue
            failures = 1 if time.monotonic() - started > 300 else failures + 1  # a long life resets it
            delay = RESTART_BACKOFF_SECONDS[min(failures, len(RESTART_BACKOFF_SECONDS)) - 1]
            self._say(f"the serving process exited (code {code}); starting it again in {delay:.0f} s")
            self._stop.wait(delay)
        return 0

    def _serve_once(self) -> int:
        """Run the child until it exits or a stop is asked; its exit code."""
        self._child = subprocess.Popen(
            self.child_argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, errors="replace", bufsize=1,
            start_new_session=True,  # its own process group: the runner, its flow runs, their pools
        )
        pump = threading.Thread(target=self._pump, args=(self._child.stdout,), daemon=True)
        pump.start()
        try:
            while self._child.poll() is None:
                if self._stop.wait(HEALTH_SECONDS):
                    break
                if not self.api.up():
                    self._note_api_gone()
                elif self._api_gone:
                    self._api_gone = False
                    self._say("the Prefect API answers again; runs resume on the same schedule")
        finally:
            code = self._stop_child()
            pump.join(timeout=1.0)
        return code

    def _stop_child(self) -> int:
        child, self._child = self._child, None
        if child is None:
            return 0
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            while child.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
        # Whatever of its group is left (a flow run, parsing processes, the child itself) goes now.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
        try:
            return child.wait(timeout=KILL_WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            return -signal.SIGKILL

    def _note_api_gone(self) -> None:
        with self._lock:  # the output pump notices it too: one warning, not two
            if self._api_gone:
                return
            self._api_gone = True
            self._say(f"warning: the Prefect API at {self.api.url} does not answer; waiting for it "
                      "(runs resume on the same schedule when it is back)")

    def _say(self, line: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        self.out.write(f"{stamp} {line}\n")
        self.out.flush()

    def _pump(self, stream: IO[str]) -> None:
        def emit(line: str, alarming: bool) -> None:
            if alarming and (self._api_gone or self._stop.is_set() or not self.api.up()):
                if not self._stop.is_set():
                    self._note_api_gone()
                return  # the API is gone (or we are stopping): the one warning line says it all
            self.out.write(line + "\n")
            self.out.flush()

        fold_output(stream, emit, verbose=self.verbose)


def _last_railed_exception(block: list[str]) -> str | None:
    """The innermost exception of an exception group's traceback: its last exception line."""
    for line in reversed(block):
        if (found := _RAILED_EXCEPTION.match(line)) and "|" in line:
            return found.group(1)
    return None


def fold_output(stream: IO[str], emit: Callable[[str, bool], None], verbose: bool = False) -> None:
    """Pass ``stream``'s lines to ``emit(line, alarming)``; each traceback becomes one line, its
    final exception, unless ``verbose``. ``alarming`` marks warnings, errors and tracebacks."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for raw in stream:
            lines.put(raw.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    block: list[str] = []  # the traceback being read
    last_exception: str | None = None  # its final line so far; a chained exception may follow
    in_group = False  # the block is an exception group's: it ends at the first line off its rails

    def flush() -> None:
        nonlocal block, last_exception, in_group
        if block:
            if verbose:
                for line in block:
                    emit(line, True)
            else:
                final = last_exception or _last_railed_exception(block) or block[-1]
                emit(f"    {final}  (traceback hidden; -v shows it)", True)
        block, last_exception, in_group = [], None, False

    while True:
        try:
            line = lines.get(timeout=FOLD_FLUSH_SECONDS if block else None)
        except queue.Empty:
            flush()
            continue
        if line is None:
            flush()
            return
        if line.startswith("Traceback (most recent call last):"):
            if last_exception is None and block and not in_group:
                block.append(line)  # a chained traceback, after its "The above exception..." line
            else:
                flush()
                block = [line]
            continue
        if line.lstrip().startswith(_GROUP_START):
            if not (block and last_exception is None):  # else chained, after "The above exception..."
                flush()
            block.append(line)
            in_group = True
            continue
        if in_group:
            if line.startswith((" ", "\t", "|", "+")) or not line.strip():
                block.append(line)
                continue
            if line.strip() in _CHAIN_LINES:  # a traceback chained after the group follows
                block.append(line)
                in_group = False
                continue
            flush()  # the line after the group is an ordinary one
        if block:
            if line.startswith((" ", "\t")) or line.strip() in _CHAIN_LINES or not line.strip():
                block.append(line)
                if line.strip() in _CHAIN_LINES:
                    last_exception = None
                continue
            if last_exception is None:
                block.append(line)
                last_exception = line  # "SomeError: message"
                continue
            flush()
        emit(line, bool(_LEVEL.search(line)))


class ApiProbe:
    """Does the Prefect API answer? Any HTTP answer below 500 counts: it is there."""

    def __init__(self, url: str, timeout: float = 1.5) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._last: tuple[float, bool] | None = None
        self._lock = threading.Lock()

    def up(self, max_age: float = 0.5) -> bool:
        with self._lock:
            if self._last and time.monotonic() - self._last[0] < max_age:
                return self._last[1]
            answer = self._ask()
            self._last = (time.monotonic(), answer)
            return answer

    def _ask(self) -> bool:
        parts = urlsplit(self.url)
        conn_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = conn_type(parts.hostname or "127.0.0.1", parts.port, timeout=self.timeout)
        headers = {}
        if key := os.environ.get("PREFECT_API_KEY"):
            headers["Authorization"] = f"Bearer {key}"
        try:
            conn.request("GET", f"{parts.path.rstrip('/')}/health", headers=headers)
            return conn.getresponse().status < 500
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()


# -- the child: Prefect's runner ---------------------------------------------------------------


def child_main(spec: dict) -> int:
    """Serve the curate flow with ``spec``'s schedule and parameters (runs in the child)."""
    _die_with_parent()
    import flows.curate as flow_module

    flow = flow_module.curate
    if spec.get("dask_address"):  # the workers load the parsers before the first scheduled run
        from pageclean.dask_warmup import warm_cluster

        warm_cluster(spec["dask_address"])
    flow.serve(
        name=spec["name"], cron=spec.get("cron"), interval=spec.get("interval"), parameters=spec["parameters"],
        print_starting_message=False,
        limit=1,  # one run at a time: runs share one curated folder (late runs queue, not collide)
    )
    return 0


def _die_with_parent() -> None:
    """The child lives in its own session, out of reach of signals aimed at serve's; if serve is
    killed outright (SIGKILL), the child and its flow runs must not carry on without it."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="pageclean-parent-watch", daemon=True).start()


def child_argv(spec: dict) -> list[str]:
    return [sys.executable, "-m", "pageclean.service", json.dumps(spec)]


if __name__ == "__main__":
    sys.exit(child_main(json.loads(sys.argv[1])))
