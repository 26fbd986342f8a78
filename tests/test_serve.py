"""`pageclean serve` against a real Prefect server on loopback: a served run parses in the process
pool; SIGTERM and SIGINT stop serve within 10 s when idle, mid-run and with the API gone; a batch
cut off is recovered by the next run; and serve reconnects when the server comes back."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from _corpus import text_corpus

HERE = Path(__file__).parent
WATCH_HTML = HERE / "fixtures" / "html" / "en-watch-full.html"
SERVER_LIFETIME_SECONDS = 900  # the test server stops by itself after this, whatever the tests do
STOP_DEADLINE_SECONDS = 10.0  # what systemd and docker stop allow before SIGKILL (issue 12)
NEVER = "0 0 1 1 *"  # a schedule that does not fire during a test: runs are started by the test


class PrefectServer:
    """`prefect server start`'s app (all services, the scheduler included) under uvicorn, on a
    loopback port of its own, with its own database; restartable on the same port."""

    def __init__(self, home: Path) -> None:
        self.home = home
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 300) -> None:
        env = {**os.environ, "PREFECT_HOME": str(self.home), "PREFECT_UI_ENABLED": "0",
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
               "PREFECT_LOGGING_LEVEL": "WARNING"}
        env.pop("PREFECT_API_URL", None)
        log = open(self.home / "server.log", "ab")  # noqa: SIM115 - the child holds it
        self.proc = subprocess.Popen(
            ["timeout", str(SERVER_LIFETIME_SECONDS), sys.executable, "-m", "uvicorn", "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while not self.up():
            assert self.proc.poll() is None, (self.home / "server.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the Prefect server did not start"
            time.sleep(0.2)

    def up(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                # Prefect's server once took over 60 s to shut down on a loaded machine (its
                # graceful stop waits on open connections); what these tests check is serve, and a
                # server that dies outright is as much a server gone away.
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
            self.proc = None

    def post(self, path: str, body: dict | None = None) -> object:
        return self._ask("POST", path, json=body or {})

    def get(self, path: str) -> dict:
        return self._ask("GET", path)

    def _ask(self, method: str, path: str, **kwargs) -> object:
        """One API call; a 5xx (the server's SQLite busy under load answers 503) is tried again,
        as Prefect's own client does."""
        for attempt in range(6):
            response = httpx.request(method, f"{self.url}{path}", timeout=30, **kwargs)
            if response.status_code < 500 or attempt == 5:
                response.raise_for_status()
                return response.json()
            time.sleep(1 + attempt)
        raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = PrefectServer(tmp_path_factory.mktemp("prefect-server"))
    srv.start()
    yield srv
    srv.stop()


class Serve:
    """`pageclean serve` in its own process, its output in a file."""

    def __init__(self, server: PrefectServer, tmp: Path, raw: Path, *options: str) -> None:
        self.server = server
        self.curated = tmp / "curated"
        self.name = f"test-{tmp.name}"[-60:]
        self.log = tmp / "serve.log"
        env = {**os.environ, "PREFECT_API_URL": server.url, "PREFECT_HOME": str(tmp / "client-home"),
               "PREFECT_RUNNER_POLL_FREQUENCY": "1", "PAGECLEAN_PREFECT_LINGER": "0"}
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pageclean.cli", "serve", "--name", self.name, "--raw", str(raw),
                 "--curated", str(self.curated), *options],
                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
        STARTED.append(self)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def deployment_id(self, timeout: float = 120) -> str:
        """The id of serve's deployment, once serve has registered it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.output()
            for d in self.server.post("/deployments/filter"):
                if d["name"] == self.name:
                    return d["id"]
            time.sleep(0.5)
        raise AssertionError(f"serve registered no deployment:\n{self.output()}")

    def stop(self, signum: int) -> tuple[int, float]:
        """Send ``signum``; the exit code and the seconds serve took to exit."""
        sent = time.monotonic()
        self.proc.send_signal(signum)
        try:
            code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"serve still running 60 s after signal {signum}:\n{self.output()}") from None
        return code, time.monotonic() - sent


STARTED: list[Serve] = []  # killed at the end of each test, whatever the test did


@pytest.fixture(autouse=True)
def no_serve_left_behind():
    """A failed test must not leave a serve waiting for a test server that is gone."""
    yield
    while STARTED:
        serve = STARTED.pop()
        if serve.proc.poll() is None:
            serve.proc.kill()
            serve.proc.wait()


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _flow_run(server: PrefectServer, run_id: str) -> dict:
    return server.get(f"/flow_runs/{run_id}")


def _summary_artifact(server: PrefectServer, run_id: str) -> str:
    found = server.post("/artifacts/filter", {"artifacts": {"key": {"any_": ["pageclean-summary"]},
                                                            "flow_run_id": {"any_": [run_id]}}})
    return found[0]["data"] if found else ""


def _html_pages(folder: Path, n: int) -> None:
    """n distinct copies of a 1 MB served watch page (heavy enough that one process cannot parse
    them all while another starts)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = WATCH_HTML.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"watch_{i}.html").write_text(base.replace('"viewCount":"', f'"viewCount":"{i}', 1),
                                                encoding="utf-8")


def test_served_run_parses_in_several_processes(server, tmp_path):
    """A run started by `pageclean serve --workers 2` parses its batches in two processes, like
    `pageclean run`, and curates every page; SIGINT then stops an idle serve within 10 s."""
    raw = tmp_path / "raw"
    _html_pages(raw, 8)
    serve = Serve(server, tmp_path, raw, "--cron", NEVER, "--workers", "2", "--batch-size", "1")
    deployment = serve.deployment_id()
    run = server.post(f"/deployments/{deployment}/create_flow_run")
    done = _wait_for(lambda: (r := _flow_run(server, run["id"]))["state_type"] in
                     ("COMPLETED", "FAILED", "CRASHED") and r, 240, "the served run")
    assert done["state_type"] == "COMPLETED", serve.output()
    summary = _summary_artifact(server, run["id"])
    assert "parsed in 2 processes" in summary, summary
    videos = pl.read_parquet(serve.curated / "videos" / "**" / "*.parquet")
    assert videos.height == 8

    code, seconds = serve.stop(signal.SIGINT)
    assert (code, seconds < STOP_DEADLINE_SECONDS) == (0, True), (seconds, serve.output())
    assert "Traceback" not in serve.output()


def test_sigterm_mid_run_exits_and_the_next_run_recovers(server, tmp_path):
    """SIGTERM while a served run is writing: serve exits within 10 s; the next run curates every
    page exactly once (the batches cut off are published or redone, none twice)."""
    raw = tmp_path / "raw"
    pages = 1500
    text_corpus(raw, pages)
    serve = Serve(server, tmp_path, raw, "--cron", NEVER, "--workers", "2", "--batch-size", "25")
    deployment = serve.deployment_id()
    server.post(f"/deployments/{deployment}/create_flow_run")
    staging = serve.curated / "_staging"
    _wait_for(lambda: staging.is_dir() and any(staging.glob("*/batch-*/READY")), 240, "a staged batch")

    code, seconds = serve.stop(signal.SIGTERM)
    assert seconds < STOP_DEADLINE_SECONDS, (seconds, serve.output())
    assert code == 0
    published = serve.curated / "videos"
    before = pl.read_parquet(published / "**" / "*.parquet").height if any(published.rglob("*.parquet")) else 0
    assert before < pages, "the run finished before the signal: nothing was cut off"

    env = {**os.environ, "PREFECT_API_URL": server.url, "PREFECT_HOME": str(tmp_path / "client-home")}
    rerun = subprocess.run([sys.executable, "-m", "pageclean.cli", "run", "--raw", str(raw), "--curated",
                            str(serve.curated), "-q"], env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    videos = pl.read_parquet(published / "**" / "*.parquet")
    assert videos.height == pages
    assert videos["page_id"].n_unique() == pages


def test_sigterm_with_the_api_gone(server, tmp_path):
    """The server stops under an idle serve: one warning line, no traceback; SIGTERM then stops
    serve within 10 s."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(HERE / "fixtures" / "text" / "000_bc69be185f79b3dd.txt", raw / "page.txt")
    serve = Serve(server, tmp_path, raw, "--cron", NEVER)
    serve.deployment_id()
    time.sleep(2)  # serve's runner is polling and its event websocket is open
    server.stop()
    try:
        _wait_for(lambda: "does not answer" in serve.output(), 30, "serve's warning")
        time.sleep(3)  # what Prefect's runner says when its websocket and polls fail
        code, seconds = serve.stop(signal.SIGTERM)
    finally:
        server.start()
    out = serve.output()
    assert seconds < STOP_DEADLINE_SECONDS, (seconds, out)
    assert code == 0
    assert "Traceback" not in out, out
    assert [line for line in out.splitlines() if "does not answer" in line] != []
    assert len([line for line in out.splitlines() if "does not answer" in line]) == 1, out


def test_serve_reconnects_and_keeps_its_schedule(server, tmp_path):
    """The server stops and comes back: serve warns once, then the next scheduled run completes."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(HERE / "fixtures" / "text" / "000_bc69be185f79b3dd.txt", raw / "page.txt")
    serve = Serve(server, tmp_path, raw, "--interval", "5")
    deployment = serve.deployment_id()
    server.stop()
    time.sleep(5)
    back = datetime.now(UTC)
    server.start()

    def completed_after_restart():
        runs = server.post("/flow_runs/filter", {"flow_runs": {
            "deployment_id": {"any_": [deployment]}, "state": {"type": {"any_": ["COMPLETED"]}},
            "start_time": {"after_": back.isoformat()}}})
        return runs

    _wait_for(completed_after_restart, 120, f"a scheduled run after the restart:\n{serve.output()}")
    code, seconds = serve.stop(signal.SIGTERM)
    out = serve.output()
    assert (code, seconds < STOP_DEADLINE_SECONDS) == (0, True), (seconds, out)
    assert "answers again" in out
    assert "Traceback" not in out, out
