"""The local Prefect API server that ``pageclean run`` reports to when no Prefect API is configured.

Prefect's own temporary server starts at the flow's first API call, after the parent has imported
Prefect (~1.5 s) and ``prefect.server`` (~2.4 s, only to spawn it), and stops with the process, so
every run waited for a fresh server (~5 s; a fresh PREFECT_HOME adds the database migrations).
This module starts the same server (Prefect's ``create_app``, the temporary server's settings)
before anything imports Prefect, so the server boots while the run imports and plans. Runs on one
PREFECT_HOME share it: a run holds a shared ``flock`` on the server's lease file, and the server
stops by itself once no run has held it for ``PAGECLEAN_PREFECT_LINGER`` seconds (default 600;
0 stops it with the run). A killed run releases its lease with its process, so no server outlives
its linger. It listens on loopback only, and its telemetry is off: it makes no call outside the
machine. A new database is migrated in a fork of the server beside the rest of its start-up
(``_migrate_beside``), with alembic's batch reflection narrowed (``_batch_reflection_without_fk_chase``).

The parent side imports nothing of Prefect; ``python -m pageclean.apiserver`` is the server side.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pageclean.errors import PagecleanError

LINGER_ENV = "PAGECLEAN_PREFECT_LINGER"
DEFAULT_LINGER_SECONDS = 600.0  # an interactive session's next run finds the server still up
STATE_FILE = "pageclean-server.json"
START_LOCK_FILE = "pageclean-server.lock"
# A registered server answers in milliseconds, but a machine with a load of 10 can delay it by
# seconds; a server that does not answer in this time is replaced.
REUSE_TIMEOUT_SECONDS = 10.0
# A fresh PREFECT_HOME runs ~110 database migrations (~10 s on a busy 2-core machine); Prefect's
# own limit for its temporary server (20 s) is too tight for that, so allow more, or what the
# user set in Prefect's setting for it.
DEFAULT_START_TIMEOUT_SECONDS = 120.0
WATCH_INTERVAL_SECONDS = 0.5  # how often the server checks its lease: the delay of a linger-0 stop

# What Prefect's SubprocessASGIServer sets for its temporary server, plus no telemetry: the server
# would otherwise post a heartbeat to Prefect's collector (sens-o-matic.prefect.io) every 10 min.
SERVER_ENV = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",  # only the services a temporary server needs
    "PREFECT__SERVER_FINAL": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # Registering Prefect's block types in a new database costs 1.5 s of CPU on the first run
    # (measured: lifespan 6.0 s -> 4.5 s); runs use no blocks, and `prefect server start`
    # registers them itself should the user open the same database in the UI.
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
}
# Settings that change what a server is (its database, its services) go into its fingerprint; a
# run whose environment differs starts its own server instead of reusing another.
_NOT_IN_FINGERPRINT = ("PREFECT_API_URL", "PREFECT_LOGGING_", "PREFECT_HOME")


class ServerStartError(PagecleanError):
    """The local Prefect API server did not answer; ``log`` holds the end of its output."""

    def __init__(self, message: str, log: str = "") -> None:
        super().__init__(message)
        self.log = log


def prefect_home() -> Path:
    """PREFECT_HOME as Prefect resolves it (the environment, else ~/.prefect)."""
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser().resolve()


def linger_seconds() -> float:
    raw = os.environ.get(LINGER_ENV, "")
    try:
        return max(float(raw), 0.0) if raw.strip() else DEFAULT_LINGER_SECONDS
    except ValueError:
        return DEFAULT_LINGER_SECONDS


def start_timeout() -> float:
    raw = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "")
    try:
        return max(float(raw), DEFAULT_START_TIMEOUT_SECONDS) if raw.strip() else DEFAULT_START_TIMEOUT_SECONDS
    except ValueError:
        return DEFAULT_START_TIMEOUT_SECONDS


@dataclass
class LocalServer:
    """A Prefect API server on loopback that this process holds a lease on."""

    url: str  # http://127.0.0.1:PORT/api, for PREFECT_API_URL
    pid: int
    reused: bool  # it was already running (another run started it)
    log_path: Path
    _lease: IO[str] | None = field(default=None, repr=False)
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _stop_with_run: bool = False

    def wait_ready(self, timeout: float | None = None) -> float:
        """Block until the API answers; the seconds waited. Raises ServerStartError."""
        started = time.monotonic()
        deadline = started + (timeout if timeout is not None else start_timeout())
        while True:
            if not self._alive():
                raise ServerStartError("the local Prefect server exited while starting", _tail(self.log_path))
            if _healthy(self.url, min(1.0, max(deadline - time.monotonic(), 0.05))):
                return time.monotonic() - started
            if time.monotonic() >= deadline:
                raise ServerStartError(
                    f"the local Prefect server did not answer within {deadline - started:.0f} s",
                    _tail(self.log_path))
            time.sleep(0.05)

    def release(self) -> None:
        """Drop this run's lease. A server started with linger 0 is told to stop now (its shutdown
        takes a second or more, which the run does not wait for); others linger."""
        if self._lease is not None:
            self._lease.close()  # closing the file drops the flock
            self._lease = None
        if self._stop_with_run and self._process is not None:
            with contextlib.suppress(ProcessLookupError):
                self._process.terminate()
            self._process = None

    def _alive(self) -> bool:
        if self._process is not None:
            return self._process.poll() is None
        return _pid_alive(self.pid)


def acquire(home: Path | None = None, linger: float | None = None) -> LocalServer:
    """A running server for this PREFECT_HOME: the one a recent run left, else a new one.

    Returns at once; the new server is still starting (``wait_ready`` waits for it).
    """
    home = home or prefect_home()
    linger = linger_seconds() if linger is None else linger
    fingerprint = _fingerprint()
    try:
        home.mkdir(parents=True, exist_ok=True)
        with _start_lock(home):
            if linger > 0:
                reused = _reuse(home, fingerprint)
                if reused is not None:
                    return reused
            return _spawn(home, fingerprint, linger)
    except OSError as exc:
        raise ServerStartError(f"the local Prefect server cannot start in PREFECT_HOME {home} "
                               f"({exc.strerror or exc})") from None


def _reuse(home: Path, fingerprint: str) -> LocalServer | None:
    state = _read_state(home)
    if not state or state.get("fingerprint") != fingerprint or not _pid_alive(state.get("pid", 0)):
        return None
    lease = _take_lease(Path(state["lease"]))
    if lease is None:  # the server is shutting down (it holds its lease exclusively)
        return None
    if _read_state(home) != state or not _healthy(state["url"], REUSE_TIMEOUT_SECONDS):
        lease.close()
        return None
    return LocalServer(state["url"], state["pid"], True, Path(state["lease"]).with_suffix(".log"),
                       _lease=lease)


def _spawn(home: Path, fingerprint: str, linger: float) -> LocalServer:
    # The parent binds the port and hands the socket over: no race for a free port, and a
    # connection made before the server is up waits in the backlog instead of failing.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    lease_path = home / f"pageclean-server-{port}.lease"
    lease = open(lease_path, "a+")  # noqa: SIM115 - held until release()
    fcntl.flock(lease, fcntl.LOCK_SH)  # before the server exists, so it never sees itself unused
    log_path = lease_path.with_suffix(".log")  # the server removes it when it stops cleanly
    env = {**os.environ, **SERVER_ENV, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "pageclean.apiserver", "--fd", str(sock.fileno()),
             "--lease", str(lease_path), "--state", str(home / STATE_FILE), "--linger", str(linger)],
            pass_fds=[sock.fileno()], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=env, cwd=home,
            # A lingering server outlives this process: its own session, so a terminal's Ctrl-C
            # or a process-group kill aimed at the run does not reach a server other runs share.
            start_new_session=linger > 0,
        )
    sock.close()
    url = f"http://127.0.0.1:{port}/api"
    if linger > 0:
        _write_state(home, {"pid": process.pid, "url": url, "lease": str(lease_path),
                            "fingerprint": fingerprint})
    return LocalServer(url, process.pid, False, log_path, _lease=lease, _process=process,
                       _stop_with_run=linger <= 0)


def _take_lease(path: Path, wait: float = 2.0) -> IO[str] | None:
    """A shared lock on the lease; the server takes it exclusively only for an instant to test."""
    try:
        fh = open(path, "a+")  # noqa: SIM115 - returned to the caller
    except OSError:
        return None
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return fh
        except BlockingIOError:
            if time.monotonic() >= deadline:
                fh.close()
                return None
            time.sleep(0.02)


@contextlib.contextmanager
def _start_lock(home: Path):
    with open(home / START_LOCK_FILE, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # held for milliseconds: a check and a spawn
        yield


def _fingerprint() -> str:
    try:
        from importlib.metadata import version

        prefect_version = version("prefect")
    except Exception:
        prefect_version = "?"
    settings = sorted((k, v) for k, v in os.environ.items()
                      if k.startswith("PREFECT_") and not k.startswith(_NOT_IN_FINGERPRINT))
    text = json.dumps([sys.prefix, os.path.realpath(sys.executable), prefect_version, settings])  # venv, python
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _read_state(home: Path) -> dict | None:
    try:
        return json.loads((home / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None


def _write_state(home: Path, state: dict) -> None:
    tmp = home / f".{STATE_FILE}.{os.getpid()}"
    tmp.write_text(json.dumps(state))
    tmp.replace(home / STATE_FILE)


def _healthy(url: str, timeout: float) -> bool:
    host, _, port = url.removeprefix("http://").split("/")[0].partition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", "/api/health")
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # an exited child that its parent has not reaped yet is not a server
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# -- the server process ------------------------------------------------------------------------


def _batch_reflection_without_fk_chase() -> None:
    """Make alembic's batch mode reflect only the table it rebuilds, not every table its foreign
    keys lead to: a new database's migrations take about a third less time, same schema.

    On SQLite each of Prefect's ~140 batch operations (``op.batch_alter_table``) reflects its
    table, and SQLAlchemy reflects every table a foreign key points to as well (``resolve_fks``,
    default True): 423 table reflections, against 182 with this change; ~4 s of a ~10 s migration
    here. Alembic needs no more of a referred table than its name and columns, and builds a stub
    when the table was not reflected (``ApplyBatchImpl._setup_referent``); SQLAlchemy added
    ``resolve_fks=False`` for exactly this ("reduce SQL overhead for omitted tables", 1.3.0
    changelog). A migration that asks for its own ``reflect_kwargs`` keeps them.
    ``tests/test_apiserver.py`` migrates a database both ways and checks that the schemas are the
    same.
    """
    import inspect

    from alembic.operations import base

    plain = base.Operations.batch_alter_table
    if getattr(plain, "_pageclean", False) or "reflect_kwargs" not in inspect.signature(plain).parameters:
        return  # done already, or an alembic without the argument: its migrations run as they ship

    def batch_alter_table(self, table_name, *args, reflect_kwargs=None, **kwargs):
        reflect_kwargs = dict(reflect_kwargs or {})
        reflect_kwargs.setdefault("resolve_fks", False)
        return plain(self, table_name, *args, reflect_kwargs=reflect_kwargs, **kwargs)

    batch_alter_table._pageclean = True  # type: ignore[attr-defined]
    base.Operations.batch_alter_table = batch_alter_table  # type: ignore[method-assign]


def _one_app_per_server() -> None:
    """Make Prefect's ``create_app()`` without arguments return the app this server runs, as its
    cache would, without hashing every setting and setting up logging again first.

    Prefect's services build in-process API clients with ``create_app()`` ("invoking it with no
    arguments will point it to the currently running server instance", prefect/server/api/
    clients.py). Each call serialises all settings for the cache key and re-reads the logging
    configuration before it finds the cached app: ~0.3 s of CPU a call here, twice while the
    services start, before the server answers its first request. This server's settings never
    change, so the app the first call built is the answer to every later one; a call with
    arguments goes to Prefect as before. ``tests/test_apiserver.py`` checks that the services'
    clients get the same app.
    """
    from prefect.server.api import server as prefect_server

    create_app = prefect_server.create_app
    if getattr(create_app, "_pageclean", False):
        return
    built: list = []

    def create_app_once(*args, **kwargs):
        if args or kwargs:
            return create_app(*args, **kwargs)
        if not built:
            built.append(create_app())
        return built[0]

    create_app_once._pageclean = True  # type: ignore[attr-defined]
    prefect_server.create_app = create_app_once


def _migrate_beside(fd: int) -> int | None:
    """Start migrating a new database in a fork of this process, so that the migrations run on
    the machine's other core while the server imports the rest of itself and builds its app.
    Returns the fork's pid, or None when there is nothing to overlap: an existing database (the
    server migrates it if it must, as Prefect does), a database the user named, or no safe fork.

    A first run's server is CPU-bound and serial: measured in a cold `pageclean run` here, it
    used 10.4 s of CPU in the 11.2 s before it answered, while the run's other processes used
    ~6 s of the other core's 11. A separate ``python`` for the migrations gained nothing, as it
    had to import most of the same modules first; a fork taken once the database code is
    imported shares them. Interleaved cold runs, 8 pairs: 10.5 s against 11.9 s (median), the
    fork faster in every pair. The server waits for the fork before it starts
    (``_wait_for_migration``); Prefect's own start-up then finds the database at its head
    revision (~0.1 s), or finishes what a failed fork did not.
    """
    _batch_reflection_without_fk_chase()  # before the fork: both sides migrate with it
    import threading

    # Linux only: macOS system libraries are not fork-safe (why CPython spawns there), and a fork
    # of a process with threads would copy their locks mid-use.
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return None
    from prefect.server.database import provide_database_interface
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    url = settings.server.database.connection_url
    default = settings.home / "prefect.db"  # Prefect's default database, set when none is named
    if url is None or url.get_secret_value() != f"sqlite+aiosqlite:///{default}" or default.exists():
        return None
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.close(fd)  # the listening socket is the server's alone
        _create_db(provide_database_interface())
        code = 0
    except BaseException:  # said in the log; the server then migrates itself
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # no interpreter teardown, no exit handlers of the server's


def _create_db(db) -> None:
    """Prefect's ``create_db()`` (its migrations), then the engine closed."""
    import asyncio

    async def create() -> None:
        try:
            await db.create_db()
        finally:
            await (await db.engine()).dispose()

    asyncio.run(create())


def _wait_for_migration(pid: int | None) -> bool:
    """Wait for the fork of ``_migrate_beside``; False (and a line in the log) if it failed."""
    if pid is None:
        return True
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if code == 0:
        return True
    print(f"pageclean: migrating the new database beside the server's start failed ({code}); "
          "the server migrates it itself", file=sys.stderr, flush=True)
    return False


def _serve(fd: int, lease_path: Path, state_path: Path, linger: float) -> None:
    import threading

    migrating = _migrate_beside(fd)
    import uvicorn
    from prefect.server.api import server as prefect_server

    _one_app_per_server()
    prefect_server.create_app()  # built while the fork migrates; uvicorn's call gets this app
    _wait_for_migration(migrating)

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None) -> None:
            # Here rather than after run(): uvicorn re-raises SIGTERM once it has stopped.
            _forget(state_path, lease_path)
            await super().shutdown(sockets)

    config = uvicorn.Config("prefect.server.api.server:create_app", factory=True, log_level="error",
                            lifespan="on")
    server = Server(config)
    threading.Thread(target=_watch_lease, args=(server, lease_path, state_path, linger),
                     name="pageclean-lease", daemon=True).start()
    server.run(sockets=[socket.socket(fileno=fd)])


def _watch_lease(server, lease_path: Path, state_path: Path, linger: float) -> None:
    """Stop the server when no run has held its lease for ``linger`` seconds, or when it is no
    longer the registered server of its PREFECT_HOME (replaced, or the home was deleted)."""
    fh = open(lease_path, "a+")  # noqa: SIM115 - held until the process exits
    idle_since: float | None = None
    while not server.should_exit:
        time.sleep(WATCH_INTERVAL_SECONDS)
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            idle_since = None  # a run holds it
            continue
        now = time.monotonic()
        idle_since = idle_since if idle_since is not None else now
        if linger <= 0 or now - idle_since >= linger or not _registered(state_path, lease_path):
            _forget(state_path, lease_path)  # still holding the lease: no run can attach now
            server.should_exit = True
            return
        fcntl.flock(fh, fcntl.LOCK_UN)


def _registered(state_path: Path, lease_path: Path) -> bool:
    try:
        return json.loads(state_path.read_text()).get("lease") == str(lease_path)
    except (OSError, ValueError):
        return False


def _forget(state_path: Path, lease_path: Path) -> None:
    if _registered(state_path, lease_path):
        with contextlib.suppress(OSError):
            state_path.unlink()
    for path in (lease_path, lease_path.with_suffix(".log")):
        with contextlib.suppress(OSError):
            path.unlink()


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m pageclean.apiserver", description=__doc__.splitlines()[0])
    ap.add_argument("--fd", type=int, required=True, help="listening socket inherited from the run")
    ap.add_argument("--lease", type=Path, required=True)
    ap.add_argument("--state", type=Path, required=True)
    ap.add_argument("--linger", type=float, default=DEFAULT_LINGER_SECONDS)
    args = ap.parse_args(argv)
    _serve(args.fd, args.lease, args.state, args.linger)


if __name__ == "__main__":
    main()
