"""The issue-11 ratios: the floor and the pipeline measured in one run, ratio = floor / (net x cores).

- HTML floor: read, sha256, decode, find ``ytInitialData`` and ``ytInitialPlayerResponse``, parse
  both with the standard ``json`` module; one process.
- Text-dump floor: read, decode, ``ftfy.fix_text``; one process.
- Net run time: ``pageclean run`` (default options, a fresh process and curated folder) on the N
  pages minus the same on one page, so the fixed costs cancel out. Both wall clock and the flow's
  own time (the summary's ``time`` line, which leaves out Prefect's start-up) are measured; on a
  shared machine the start-up alone varies by 10 s or more, so the ratio is taken on flow time.

Machines are noisy (other processes share the cores), which is why the figures are ratios taken in
the same run, and why each timing is the best of ``repeat`` tries. The floor is measured right
before and right after the pipeline's runs, and the ratio uses the mean of the two: on this VM the
text floor took 9.2 ms a page in one run and 13.0 ms half an hour later, while the pipeline went
from 222 to 202 pages/s; a floor taken only before the runs puts such drift in the ratio.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ftfy

ROOT = Path(__file__).resolve().parent.parent
# Quiet logs; on a shared, loaded machine the temporary Prefect server can take longer than its
# default 20 s to answer, which fails the run rather than slowing it.
ENV = {**os.environ, "PREFECT_LOGGING_LEVEL": "ERROR", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}
_DECODER = json.JSONDecoder()
HTML_VARIABLES = ("ytInitialData", "ytInitialPlayerResponse")


def html_floor_page(path: Path) -> None:
    html_floor_bytes(path.read_bytes())


def html_floor_bytes(data: bytes) -> None:
    """The floor's work on one watch page's bytes (raises if a variable is missing: a wrong corpus)."""
    hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8")
    for name in HTML_VARIABLES:
        at = text.index(f"var {name} = ") + len(f"var {name} = ")
        _DECODER.raw_decode(text, at)


def text_floor_page(path: Path) -> None:
    ftfy.fix_text(path.read_bytes().decode("utf-8"))


def floor_seconds(files: list[Path], page: Callable[[Path], None], repeat: int = 3) -> float:
    """Best of ``repeat`` passes of the floor over every file, one process."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for f in files:
            page(f)
        best = min(best, time.perf_counter() - start)
    return best


def cli_run(raw: Path, curated: Path, *extra: str) -> tuple[float, float]:
    """(wall seconds, seconds in the flow) of one ``pageclean run`` in a fresh process on a fresh
    curated folder."""
    shutil.rmtree(curated, ignore_errors=True)
    # A Prefect home of the benchmark's own: other runs on the machine do not share its database.
    env = {**ENV, "PREFECT_HOME": str(curated.parent / "prefect-home")}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pageclean.cli", "run", "--raw", str(raw), "--curated",
                           str(curated), "-q", *extra], capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"pageclean run failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    wall = time.perf_counter() - start
    shutil.rmtree(curated, ignore_errors=True)
    return wall, flow_seconds(proc.stdout)


def flow_seconds(stdout: str) -> float:
    """The flow's own time from the run summary (``time  0.6 s in the flow ...``)."""
    for line in stdout.splitlines():
        if line.strip().startswith("time"):
            return float(line.split()[1].replace(",", ""))
    raise ValueError("no time line in the run summary")


def net_run_seconds(raw_n: Path, raw_1: Path, tmp: Path, repeat: int = 2, *extra: str) -> dict[str, float]:
    """Wall and flow seconds on N pages and on 1 page (each the best of ``repeat`` runs), and the
    net flow time (N minus 1)."""
    runs_1 = [cli_run(raw_1, tmp / "cur-1", *extra) for _ in range(repeat)]
    runs_n = [cli_run(raw_n, tmp / "cur-n", *extra) for _ in range(repeat)]
    out = {"wall_1": min(w for w, _ in runs_1), "flow_1": min(f for _, f in runs_1),
           "wall_n": min(w for w, _ in runs_n), "flow_n": min(f for _, f in runs_n)}
    out["net"] = out["flow_n"] - out["flow_1"]
    return out


def one_page_folder(files: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(files[0], folder / files[0].name)
    return folder


def ratio_line(what: str, floor_s: float, net_s: float, cores: int, n: int) -> str:
    """The figures and, last, floor / (net x cores)."""
    return (f"{what}: {n:,} pages; floor {floor_s:.2f} s ({n / floor_s:,.0f} pages/s, x{cores} cores = "
            f"{n * cores / floor_s:,.0f}); pipeline net {net_s:.2f} s ({n / net_s:,.0f} pages/s); "
            f"ratio {floor_s / (net_s * cores):.2f} x floor")


def end_to_end(what: str, unit: str, corpus: Callable[[Path, int], object], pattern: str,
               floor_page: Callable[[Path], None], n: int, repeat: int) -> None:
    """Part "end to end" of bench_core and bench_html: ``corpus`` writes ``n`` distinct pages, the
    floor runs over them before and after ``pageclean run`` on them and on one page gives the net
    time; prints the run's times, both floors and, last, the ratio line."""
    cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="pageclean-bench-"))
    try:
        raw = tmp / "raw"
        corpus(raw, n)
        files = sorted(raw.rglob(pattern))
        one = one_page_folder(files, tmp / "raw-1")
        before = floor_seconds(files, floor_page, repeat=2)
        run = net_run_seconds(raw, one, tmp, repeat)
        after = floor_seconds(files, floor_page, repeat=2)
        print(f"pageclean run: {run['wall_n']:.1f} s wall / {run['flow_n']:.1f} s in the flow on {n:,} {unit}s, "
              f"{run['wall_1']:.1f} s / {run['flow_1']:.1f} s on 1")
        print(f"floor: {before:.2f} s before the runs, {after:.2f} s after; the ratio takes their mean "
              f"(with either alone: {before / (run['net'] * cores):.2f} or {after / (run['net'] * cores):.2f})")
        print(ratio_line(f"{what}, {cores} cores", (before + after) / 2, run["net"], cores, n))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
