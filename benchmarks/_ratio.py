"""The issue-11 ratios: the floor and the pipeline measured in one run, ratio = floor / (net x cores).

- HTML floor: read, sha256, decode, find ``ytInitialData`` and ``ytInitialPlayerResponse``, parse
  both with the standard ``json`` module; one process.
- Text-dump floor: read, decode, ``ftfy.fix_text``; one process.
- Net run time: ``pageclean run`` (default options, a fresh process and curated folder) on the N
  pages minus the same on one page, so Prefect's start-up cancels out.

Machines are noisy (other processes share the cores), which is why the figures are ratios taken in
the same run, and why each timing is the best of ``repeat`` tries.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import ftfy

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PREFECT_LOGGING_LEVEL": "ERROR"}
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


def cli_wall(raw: Path, curated: Path, *extra: str) -> float:
    """Wall seconds of one ``pageclean run`` in a fresh process on a fresh curated folder."""
    shutil.rmtree(curated, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pageclean.cli", "run", "--raw", str(raw), "--curated", str(curated),
                    "-q", *extra], capture_output=True, text=True, env=ENV, cwd=ROOT, check=True)
    wall = time.perf_counter() - start
    shutil.rmtree(curated, ignore_errors=True)
    return wall


def net_run_seconds(raw_n: Path, raw_1: Path, tmp: Path, repeat: int = 2, *extra: str) -> tuple[float, float, float]:
    """(wall on N pages, wall on 1 page, net): each the best of ``repeat`` runs."""
    wall_1 = min(cli_wall(raw_1, tmp / "cur-1", *extra) for _ in range(repeat))
    wall_n = min(cli_wall(raw_n, tmp / "cur-n", *extra) for _ in range(repeat))
    return wall_n, wall_1, wall_n - wall_1


def one_page_folder(files: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(files[0], folder / files[0].name)
    return folder


def ratio_line(what: str, floor_s: float, net_s: float, cores: int, n: int) -> str:
    """The figures and, last, floor / (net x cores)."""
    return (f"{what}: {n:,} pages; floor {floor_s:.2f} s ({n / floor_s:,.0f} pages/s, x{cores} cores = "
            f"{n * cores / floor_s:,.0f}); pipeline net {net_s:.2f} s ({n / net_s:,.0f} pages/s); "
            f"ratio {floor_s / (net_s * cores):.2f} x floor")
