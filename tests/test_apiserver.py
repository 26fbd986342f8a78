"""The local Prefect server of `pageclean run`: no call leaves the machine, runs reuse it, and it
never outlives its runs by more than the linger time, even when a run is killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pageclean import apiserver

FOUNDING = Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"

# Records every name lookup and connection to a host other than this machine, in every Python
# process that inherits PYTHONPATH (the run, its Prefect server, its parsing processes).
NETSPY = textwrap.dedent('''\
    import os, socket
    _LOG = os.environ["NETSPY_LOG"]
    _LOCAL = {"127.0.0.1", "localhost", "::1", "", "None"}
    def _note(host):
        host = host.decode() if isinstance(host, bytes) else str(host)
        if host not in _LOCAL:
            with open(_LOG, "a") as f:
                f.write(f"{os.getpid()} {host}\\n")
    _getaddrinfo, _connect = socket.getaddrinfo, socket.socket.connect
    def getaddrinfo(host, *a, **k):
        _note(host)
        return _getaddrinfo(host, *a, **k)
    def connect(self, address):
        if isinstance(address, tuple):
            _note(address[0])
        return _connect(self, address)
    socket.getaddrinfo, socket.socket.connect = getaddrinfo, connect
''')


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """One PREFECT_HOME for the module: its database is created once (the migrations take seconds)."""
    return tmp_path_factory.mktemp("prefect-home")


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not apiserver._pid_alive(pid):
            return True
        time.sleep(0.1)
    return False


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    assert _gone(pid, 30)


def test_runs_reuse_one_server_and_call_nothing_outside(home, tmp_path):
    """Two `pageclean run`s, in an environment that asks Prefect for telemetry: the second reuses
    the first one's server, and no process looks up or connects to any host but this machine."""
    spy = tmp_path / "netspy"
    spy.mkdir()
    (spy / "sitecustomize.py").write_text(NETSPY)
    log = tmp_path / "net.log"
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FOUNDING, raw / "page.txt")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k != "DO_NOT_TRACK"}
    env.update(PREFECT_HOME=str(home), PYTHONPATH=str(spy), NETSPY_LOG=str(log),
               PREFECT_SERVER_ANALYTICS_ENABLED="true",  # as a user's profile may say
               PAGECLEAN_PREFECT_LINGER="120")
    pids = []
    try:
        for curated in ("c1", "c2"):
            proc = subprocess.run([sys.executable, "-m", "pageclean.cli", "run", "--raw", str(raw),
                                   "--curated", str(tmp_path / curated), "-q"],
                                  env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
            assert proc.returncode == 0, proc.stderr
            assert "37" in proc.stdout
            pids.append(apiserver._read_state(home)["pid"])
    finally:
        for pid in set(pids):
            _stop(pid)
    assert pids[0] == pids[1], "the second run started a server of its own"
    assert not log.exists(), log.read_text()


def test_server_stops_after_its_last_lease(home):
    """A second caller reuses the running server; with linger 0 the server stops as soon as no one
    holds it, and a server lingers only while it is the registered one."""
    first = apiserver.acquire(home, linger=30)
    first.wait_ready()
    second = apiserver.acquire(home, linger=30)
    assert (second.reused, second.pid) == (True, first.pid)
    first.release()
    second.release()
    assert not _gone(first.pid, 1.5)  # lingering: the next run may come
    (home / apiserver.STATE_FILE).unlink()  # as when PREFECT_HOME is deleted
    assert _gone(first.pid, 10)

    own = apiserver.acquire(home, linger=0)
    assert not own.reused
    own.wait_ready()
    own.release()
    assert _gone(own.pid, 10)


def test_killed_run_leaves_no_server(home, tmp_path):
    """A run killed with SIGKILL cannot release its lease; the kernel does, and the server stops."""
    script = ("import sys; from pathlib import Path; from pageclean import apiserver; "
              "s = apiserver.acquire(Path(sys.argv[1]), linger=0.5); s.wait_ready(); "
              "print(s.pid, flush=True); import time; time.sleep(600)")
    run = subprocess.Popen([sys.executable, "-c", script, str(home)], stdout=subprocess.PIPE, text=True)
    pid = int(run.stdout.readline())
    run.kill()
    run.wait()
    assert _gone(pid, 10)


# Migrates a new database with Prefect's own create_db, with or without the server's batch
# reflection change, and prints the schema and how many tables were reflected.
MIGRATE = textwrap.dedent('''\
    import asyncio, json, os, sqlite3, sys
    from sqlalchemy.engine import reflection
    from prefect.server.database import provide_database_interface
    from pageclean import apiserver
    if sys.argv[1] == "changed":
        apiserver._batch_reflection_without_fk_chase()
    reflected = 0
    plain = reflection.Inspector.reflect_table
    def counted(self, *args, **kwargs):
        global reflected
        reflected += 1
        return plain(self, *args, **kwargs)
    reflection.Inspector.reflect_table = counted
    asyncio.run(provide_database_interface().create_db())
    db = sqlite3.connect(os.path.join(os.environ["PREFECT_HOME"], "prefect.db"))
    schema = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    version = db.execute("SELECT version_num FROM alembic_version").fetchall()
    print(json.dumps({"reflected": reflected, "schema": schema, "version": version}))
''')


def _prefect_env(home: Path, **settings: str) -> dict[str, str]:
    """This process's environment without its Prefect settings, on the PREFECT_HOME ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(settings, PREFECT_HOME=str(home))
    return env


def _migrated(tmp_path: Path, how: str) -> subprocess.Popen:
    home = tmp_path / how
    home.mkdir()
    env = _prefect_env(home)
    return subprocess.Popen([sys.executable, "-c", MIGRATE, how], env=env, cwd=home, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _comparable(schema: list) -> list:
    """sqlite_master rows with each CREATE statement's lines as a sorted list: SQLAlchemy emits a
    table's foreign keys in no fixed order (its constraints are a set)."""
    return [(kind, name, table, sorted(line.strip().rstrip(",") for line in (sql or "").splitlines()))
            for kind, name, table, sql in schema]


def test_faster_batch_reflection_migrates_to_the_same_schema(tmp_path):
    """Prefect's migrations of a new database, run as they ship and with the server's change to
    alembic's batch reflection: the same tables, columns, constraints, indexes and version, from
    fewer reflected tables."""
    import json

    procs = {how: _migrated(tmp_path, how) for how in ("shipped", "changed")}
    out = {}
    for how, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr[-3000:]
        out[how] = json.loads(stdout.splitlines()[-1])
    shipped, changed = out["shipped"], out["changed"]
    assert len(shipped["schema"]) > 50 and shipped["version"]
    assert _comparable(changed["schema"]) == _comparable(shipped["schema"])
    assert changed["version"] == shipped["version"]
    assert changed["reflected"] < shipped["reflected"] * 0.6, (changed["reflected"], shipped["reflected"])


def test_batch_reflection_change_leaves_an_unknown_alembic_alone(monkeypatch):
    """An alembic whose batch_alter_table has no reflect_kwargs keeps its own method (the server
    would otherwise fail every migration on an unexpected argument); a known one is wrapped once."""
    from alembic.operations import base

    def without_reflect_kwargs(self, table_name, schema=None):
        return (table_name, schema)

    monkeypatch.setattr(base.Operations, "batch_alter_table", without_reflect_kwargs)
    apiserver._batch_reflection_without_fk_chase()
    assert base.Operations.batch_alter_table is without_reflect_kwargs

    seen = []

    def with_reflect_kwargs(self, table_name, schema=None, reflect_kwargs=None):
        seen.append(dict(reflect_kwargs or {}))

    monkeypatch.setattr(base.Operations, "batch_alter_table", with_reflect_kwargs)
    apiserver._batch_reflection_without_fk_chase()
    wrapped = base.Operations.batch_alter_table
    assert wrapped is not with_reflect_kwargs
    apiserver._batch_reflection_without_fk_chase()
    assert base.Operations.batch_alter_table is wrapped  # a second call does not wrap the wrapper
    base.Operations.batch_alter_table(None, "flow_run", schema=None)
    base.Operations.batch_alter_table(None, "flow_run", reflect_kwargs={"resolve_fks": True})
    assert seen == [{"resolve_fks": False}, {"resolve_fks": True}]


# Builds the server's app as uvicorn does, then the in-process clients Prefect's services build,
# with or without the server's create_app change; prints whether each client got the server's
# app and how often logging was set up again.
APP_ONCE = textwrap.dedent('''\
    import json, sys
    from prefect.logging import configuration
    from prefect.server.api import server as prefect_server
    from pageclean import apiserver
    if sys.argv[1] == "changed":
        apiserver._one_app_per_server()
    app = prefect_server.create_app()
    calls = 0
    plain = configuration.setup_logging
    def counted(*args, **kwargs):
        global calls
        calls += 1
        return plain(*args, **kwargs)
    configuration.setup_logging = counted
    from prefect.server.api.clients import OrchestrationClient
    from prefect.server.events.clients import PrefectServerEventsAPIClient
    clients = [OrchestrationClient(), PrefectServerEventsAPIClient()]
    print(json.dumps({"same": [c._http_client._transport.app is app for c in clients],
                      "setup_logging": calls}))
''')


def test_services_get_the_server_app_without_setting_up_logging_again(tmp_path):
    """Prefect's in-process clients get the app the server runs, as they do without the change,
    and no longer set up logging (and hash every setting) to find it."""
    import json

    env = _prefect_env(tmp_path, **apiserver.SERVER_ENV)
    procs = {how: subprocess.Popen([sys.executable, "-c", APP_ONCE, how], env=env, cwd=tmp_path, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for how in ("shipped", "changed")}
    out = {}
    for how, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr[-3000:]
        out[how] = json.loads(stdout.splitlines()[-1])
    assert out["shipped"] == {"same": [True, True], "setup_logging": 2}  # what the change saves
    assert out["changed"] == {"same": [True, True], "setup_logging": 0}


def test_create_app_with_arguments_still_goes_to_prefect(monkeypatch):
    """Only the no-argument call is answered from the first app; the change is made once."""
    from prefect.server.api import server as prefect_server

    calls = []

    def create_app(*args, **kwargs):
        calls.append((args, kwargs))
        return object()

    monkeypatch.setattr(prefect_server, "create_app", create_app)
    apiserver._one_app_per_server()
    once = prefect_server.create_app
    apiserver._one_app_per_server()
    assert prefect_server.create_app is once is not create_app
    assert once() is once() and len(calls) == 1
    assert once(ephemeral=True) is not once()
    assert calls == [((), {}), ((), {"ephemeral": True})]


# Runs the server's fork-beside migration on a PREFECT_HOME, the way _serve does, and prints what
# happened: whether it forked, whether the fork succeeded, the database's revision against the
# head of Prefect's migrations, and whether a second call (the database exists now) forks again.
FORK = textwrap.dedent('''\
    import json, os, socket, sqlite3, sys
    from alembic.script import ScriptDirectory
    from prefect.server.database import provide_database_interface
    from prefect.server.database.alembic_commands import alembic_config
    from pageclean import apiserver
    if sys.argv[1] == "failing":
        def fail(db):
            raise RuntimeError("no migrations today")
        apiserver._create_db = fail
    sock = socket.socket()
    pid = apiserver._migrate_beside(sock.fileno())
    ok = apiserver._wait_for_migration(pid)
    path = os.path.join(os.environ["PREFECT_HOME"], "prefect.db")
    version = None
    if os.path.exists(path):
        version = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()[0]
    again = apiserver._migrate_beside(sock.fileno())
    config = alembic_config()  # Prefect's, with the SQLite migrations its env.py points it at
    config.set_main_option("version_locations", str(provide_database_interface().orm.versions_dir))
    print(json.dumps({"forked": pid is not None and pid != os.getpid(), "ok": ok, "version": version,
                      "head": ScriptDirectory.from_config(config).get_current_head(), "again": again}))
''')


def _fork_migration(tmp_path: Path, how: str, **env_extra: str) -> tuple[dict, str]:
    import json

    home = tmp_path / how
    home.mkdir()
    env = _prefect_env(home, **apiserver.SERVER_ENV, **env_extra)
    proc = subprocess.run([sys.executable, "-c", FORK, how], env=env, cwd=home, text=True,
                          capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1]), proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork is taken on Linux only")
def test_new_database_is_migrated_in_a_fork_beside_the_server(tmp_path):
    """A new database is migrated to the head of Prefect's migrations in a forked process, and
    only once: with the database there, the server's start forks nothing."""
    out, _ = _fork_migration(tmp_path, "new")
    assert out["forked"] and out["ok"]
    assert out["head"] is not None and out["version"] == out["head"]
    assert out["again"] is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork is taken on Linux only")
def test_failed_fork_migration_leaves_it_to_the_server(tmp_path):
    """A fork whose migrations fail says so in the server's log and leaves the database to the
    server's own start, which migrates it as Prefect does."""
    out, log = _fork_migration(tmp_path, "failing")
    assert out["forked"] and not out["ok"]
    assert "no migrations today" in log and "the server migrates it itself" in log


def test_no_fork_for_a_database_the_user_named(tmp_path):
    """With a database URL set, the server migrates it as Prefect ships (no fork, nothing created)."""
    own = tmp_path / "own.db"
    out, _ = _fork_migration(tmp_path, "own", PREFECT_API_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{own}")
    assert not out["forked"] and out["ok"] and out["version"] is None and not own.exists()
