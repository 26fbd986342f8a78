"""The pageclean command: help that teaches, clear errors, a summary, and no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pageclean.cli import main

FOUNDING = Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"


def test_help_explains_inputs_and_outputs(capsys):
    """--help names the command, the inputs and the tables."""
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for word in ("pageclean run", "meta.json", "rejects", "related_videos", "incremental"):
        assert word in out


def test_run_help_lists_options(capsys):
    """run --help shows every option with its default and the exit codes."""
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    for word in ("--raw", "--curated", "--batch-size", "--max-bytes", "--wait", "exit code"):
        assert word in out


def test_missing_raw_folder_is_a_clear_error(tmp_path, capsys):
    """A missing raw folder is one sentence and exit code 1, not a traceback."""
    assert main(["run", "--raw", str(tmp_path / "nope"), "--curated", str(tmp_path / "c")]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


def test_bad_option_value_is_a_usage_error(capsys):
    """--batch-size 0 is refused by the parser with exit code 2."""
    with pytest.raises(SystemExit) as info:
        main(["run", "--batch-size", "0"])
    assert info.value.code == 2
    assert "greater than 0" in capsys.readouterr().err


def test_real_run_prints_summary_and_no_traceback(tmp_path):
    """`pageclean run` in a fresh process: exit 0, a summary with rows per table, nothing on stderr but progress."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FOUNDING, raw / "page.txt")
    (raw / "broken.html").write_bytes(b"\x00\x01\x02" * 100)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    proc = subprocess.run(
        [sys.executable, "-m", "pageclean.cli", "run", "--raw", str(raw), "--curated", str(tmp_path / "cur")],
        capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.strip() == ""
    for word in ("accepted", "rejected", "binary", "videos", "comments", "37"):
        assert word in proc.stdout


def test_serve_without_a_server_says_what_to_do(monkeypatch, capsys):
    """`pageclean serve` with no persistent Prefect server explains how to start one."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["serve", "--cron", "0 * * * *"]) == 1
    err = capsys.readouterr().err
    assert "prefect server start" in err and "PREFECT_API_URL" in err


def test_serve_help_and_compact_help(capsys):
    """serve and compact have their own help."""
    for command in ("serve", "compact"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
    out = capsys.readouterr().out
    assert "--cron" in out and "same answer" in out


def test_pseudonymize_without_key_is_refused(tmp_path, monkeypatch, capsys):
    """--pseudonymize-authors with no key in the environment stops before reading anything."""
    monkeypatch.delenv("PAGECLEAN_AUTHOR_KEY", raising=False)
    (tmp_path / "raw").mkdir()
    code = main(["run", "--raw", str(tmp_path / "raw"), "--curated", str(tmp_path / "c"), "--pseudonymize-authors"])
    assert code == 1
    assert "PAGECLEAN_AUTHOR_KEY" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_compact_command(tmp_path, capsys):
    """`pageclean compact` on a curated folder prints files before and after; a missing folder is an error."""
    from datetime import UTC, datetime

    from pageclean.io import curated as store

    curated = tmp_path / "cur"
    now = datetime(2024, 1, 1, tzinfo=UTC)
    for run in ("r1", "r2"):
        row = {"source_path": f"{run}.txt", "page_id": None, "reason": "empty", "detail": "Empty file.",
               "source_format": "textdump", "size_bytes": 0, "rejected_at": now, "pipeline_version": "t"}
        store.write_batch(curated, run, 0, {"rejects": [row]}, {"rejects": ["2024-01-01"]}, [])
        store.publish(curated, run)
    assert main(["compact", "--curated", str(curated)]) == 0
    out = capsys.readouterr().out
    assert "rejects: 2 files -> 1" in out
    assert store.count_rows(curated)["rejects"] == 2
    assert main(["compact", "--curated", str(tmp_path / "nope")]) == 1


# Every error the README lists under "Exit code": (arguments, a phrase of the sentence). Paths are
# relative to the test's folder, which holds raw/ (one page), a-file, and curated/.
ERROR_PATHS = [
    (["run", "--raw", "nope"], "raw folder 'nope' does not exist"),
    (["run", "--raw", "a-file"], "is a file, not a folder"),
    (["run", "--curated", "a-file"], "curated folder 'a-file' is a file"),
    (["run", "--curated", "/proc/nope"], "cannot be created"),
    (["run", "--curated", "a-file/sub"], "cannot be created"),
    (["run", "--curated", "raw/out"], "must not be inside --raw"),
    (["run", "--raw", "nope://x"], "cannot be used"),
    (["run", "--raw", "memory://pageclean-nothing/raw"], "does not exist"),
    (["run", "--pseudonymize-authors"], "PAGECLEAN_AUTHOR_KEY"),
    (["compact", "--curated", "nope"], "does not exist"),
    (["compact", "--curated", "a-file"], "is a file"),
    (["serve", "--cron", "0 * * * *", "--raw", "nope"], "does not exist"),
    (["views", "--curated", "nope"], "does not exist"),
    (["views", "--curated", "a-file"], "is a file"),
    (["views", "--curated", "raw", "--output", "/proc/nope/x.duckdb"], "cannot be written"),
    (["views", "--curated", "raw", "--output", "a-file/x.duckdb"], "cannot be written"),
]
if sys.platform == "linux" and Path("/sys/kernel").is_dir():
    ERROR_PATHS.append((["run", "--curated", "/sys"], "cannot be written"))  # sysfs takes no new files, even from root


def _pageclean(cwd: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PAGECLEAN_"))
           or k == "PAGECLEAN_PREFECT_LINGER"}  # (conftest: the run's Prefect server stops with it)
    return subprocess.run([sys.executable, "-m", "pageclean.cli", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=cwd)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    shutil.copy(FOUNDING, tmp_path / "raw" / "page.txt")
    (tmp_path / "a-file").write_text("not a folder")
    return tmp_path


def _one_sentence(proc: subprocess.CompletedProcess, phrase: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert phrase in lines[0]


@pytest.mark.parametrize(("args", "phrase"), ERROR_PATHS, ids=[" ".join(a) for a, _ in ERROR_PATHS])
def test_every_location_error_is_one_sentence(workdir, args, phrase):
    """Each documented error, in a fresh process: exit code 1 and one sentence on stderr, no traceback."""
    _one_sentence(_pageclean(workdir, *args), phrase)


def test_locked_curated_folder_is_one_sentence(workdir):
    """A curated folder held by another run: refused before Prefect starts without --wait, and after
    --wait runs out inside the flow; one sentence either way, no traceback."""
    from pageclean.io import curated as store

    with store.locked(workdir / "curated", holder="another run"):
        _one_sentence(_pageclean(workdir, "run", "-q"), "being written by another run")
        _one_sentence(_pageclean(workdir, "compact"), "being written by another run")
        _one_sentence(_pageclean(workdir, "run", "-q", "--wait", "0.2"), "being written by another run")


def test_raw_folder_that_cannot_be_listed(tmp_path, monkeypatch, capsys):
    """A raw folder the OS refuses to list (permissions; root is never refused, so the refusal is
    simulated) is one sentence too."""
    (tmp_path / "raw").mkdir()

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", refuse)
    assert main(["run", "--raw", str(tmp_path / "raw"), "--curated", str(tmp_path / "c")]) == 1
    err = capsys.readouterr().err
    assert "cannot be listed: Permission denied" in err and "Traceback" not in err


def test_serve_takes_runs_production_options(tmp_path, monkeypatch):
    """`serve` accepts run's production options and hands the served flow exactly the parameters
    `run` would use (locations made absolute: a served run starts later, elsewhere)."""
    import json

    from pageclean import service

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("PAGECLEAN_AUTHOR_KEY", "a-test-key-of-32-characters-long")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "raw").mkdir()
    seen = {}

    def fake_run(self):
        seen["spec"] = json.loads(self.child_argv[-1])
        return 0

    monkeypatch.setattr(service.Supervisor, "run", fake_run)
    code = main(["serve", "--interval", "60", "--raw", "raw", "--curated", "cur", "--workers", "3",
                 "--batch-size", "50", "--max-bytes", "1000", "--wait", "5", "--pseudonymize-authors"])
    assert code == 0
    assert seen["spec"]["interval"] == 60 and seen["spec"]["cron"] is None
    assert seen["spec"]["parameters"] == {
        "raw": str(tmp_path / "raw"), "curated": str(tmp_path / "cur"), "batch_size": 50,
        "max_bytes": 1000, "lock_wait_seconds": 5.0, "pseudonymize_authors": True, "workers": 3,
        "dask_address": None}


def test_prefect_internal_service_failures_stay_off_stderr(tmp_path):
    """A refused run once printed Prefect's "Service 'EventsWorker' failed with 2 pending items"
    after its one-line message (seen in test_concurrency): prefect._internal logs on a logger of
    its own that does not propagate. Without -v the run keeps it off stderr; with -v it shows."""
    script = (
        "import logging, sys\n"
        "from pageclean.cli import _quiet_prefect\n"
        "_quiet_prefect(verbose=sys.argv[1] == 'v')\n"
        "from prefect.logging.configuration import setup_logging\n"
        "setup_logging()\n"
        "logging.getLogger('prefect._internal.concurrency').error(\"Service 'EventsWorker' failed\")\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    quiet, verbose = (subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True,
                                     env=env, timeout=120) for mode in ("q", "v"))
    assert quiet.returncode == 0 and "EventsWorker" not in quiet.stderr, quiet.stderr
    assert "EventsWorker" in verbose.stderr
