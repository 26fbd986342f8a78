"""Shared fixtures: the real pages under tests/fixtures, and a run of the flow under Prefect's test harness."""

from __future__ import annotations

import json
import os
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
