"""Shared fixtures: the real pages under tests/fixtures, and a run of the flow under Prefect's test harness."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
FOUNDING = FIXTURES / "text" / "000_bc69be185f79b3dd.txt"

# Keep Prefect quiet and off the user's ~/.prefect during tests.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# A `pageclean run` started by a test stops its Prefect server when it ends, instead of leaving it
# for the next run (tests that check the reuse set a linger of their own).
os.environ.setdefault("PAGECLEAN_PREFECT_LINGER", "0")
# The disk copy of the language catalogs (localize/catalog_cache.py) of this test session only:
# the user's copy is neither read nor written, and every session starts by building the catalogs.
_CATALOG_CACHE = tempfile.mkdtemp(prefix="pageclean-test-catalogs-")
os.environ["PAGECLEAN_CACHE_DIR"] = _CATALOG_CACHE
atexit.register(shutil.rmtree, _CATALOG_CACHE, True)


@pytest.fixture(scope="session")
def founding_bytes() -> bytes:
    return FOUNDING.read_bytes()


@pytest.fixture(scope="session")
def founding_gold() -> dict:
    return json.loads((HERE / "cases" / "kk_founding_example.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session: starting one costs seconds."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


LAKE_V1 = FIXTURES / "lake-v1"


def make_lake_v1(dest: Path) -> tuple[Path, Path]:
    """A copy of the lake the previous release wrote (tests/fixtures/lake-v1) and its raw folder, rebuilt
    as that folder's README says: the fixtures its table names, the sidecar it quotes, and each file's
    size and mtime as the lake's run state recorded them (so the sidecar-less page keeps its scrape time)."""
    import re
    import shutil

    import pyarrow.parquet as pq

    readme = (LAKE_V1 / "README.md").read_text(encoding="utf-8")
    sidecar = re.search(r'`(\{"scraped_at": "[^"]+"\})`', readme).group(1)
    raw, curated = dest / "raw", dest / "curated"
    shutil.copytree(LAKE_V1 / "curated", curated)
    for path, with_sidecar, source in re.findall(r"^\| (\S+)( \(\+ \.meta\.json\))? \| (\S+) \|$", readme, re.M):
        target = raw / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if source == "(empty)":
            target.write_bytes(b"")
        else:
            shutil.copy(HERE.parent / source, target)
        if with_sidecar:
            Path(f"{target}.meta.json").write_text(sidecar, encoding="utf-8")
    for state in (curated / "_state").glob("*.parquet"):
        for row in pq.read_table(state).to_pylist():
            assert (raw / row["source_path"]).stat().st_size == row["size_bytes"], row["source_path"]
            os.utime(raw / row["source_path"], ns=(row["mtime_ns"], row["mtime_ns"]))
    return raw, curated


@pytest.fixture
def lake_v1(tmp_path: Path) -> tuple[Path, Path]:
    """(raw, curated): the previous release's lake, and the raw folder it was made from."""
    return make_lake_v1(tmp_path)
