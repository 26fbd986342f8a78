"""Invariants under Hypothesis: any bytes give a page or a reject, cleaning is idempotent, rows round-trip Parquet."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pageclean.decode import repair
from pageclean.errors import REASONS
from pageclean.pipeline import PageMeta, process_page
from pageclean.schema import TABLES

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = [(p.suffix, p.read_bytes()) for p in sorted(FIXTURES.rglob("*")) if p.suffix in (".txt", ".html", ".json")]
NOW = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
SUFFIXES = st.sampled_from([".txt", ".html", ".htm", ".json"])
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _process(suffix: str, data: bytes):
    return process_page(data, PageMeta(f"page{suffix}", len(data), NOW, "mtime"), NOW)


@st.composite
def damaged_pages(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real fixture, cut, with a few bytes overwritten or inserted."""
    suffix, data = draw(st.sampled_from(PAGES))
    page = bytearray(data[: draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(page)))
        page[at:at] = draw(st.binary(min_size=1, max_size=8))
    return suffix, bytes(page)


def _check_outcome(result) -> None:
    if result.rejected:
        reject = result.rows["rejects"][0]
        assert reject["reason"] in REASONS and reject["reason"] != "internal_error", reject
        assert reject["detail"]
    else:
        assert len(result.rows["videos"]) == 1
        assert all(link["url"].lower().startswith(("http://", "https://")) for link in result.rows["links"])


@FAST
@given(SUFFIXES, st.binary(max_size=4096))
def test_any_bytes_give_a_page_or_a_reject(suffix, data):
    """Random bytes under each suffix: a videos row or one reject with a known reason, never an exception."""
    _check_outcome(_process(suffix, data))


@FAST
@given(damaged_pages())
def test_damaged_real_pages_give_a_page_or_a_reject(case):
    """Real pages cut short and salted with bytes: a videos row or one reject, never an internal error."""
    _check_outcome(_process(*case))


@settings(max_examples=400, deadline=None)
@given(st.text() | st.text().map(lambda t: t.encode("utf-8").decode("windows-1252", "replace")))
def test_repair_is_idempotent(text):
    """Repairing repaired text changes nothing (mojibake included)."""
    once, _ = repair(text)
    assert repair(once)[0] == once


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_pages())
def test_parsing_twice_gives_equal_rows(case):
    """The pure core is deterministic: the same bytes give the same rows."""
    assert _process(*case).rows == _process(*case).rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_pages())
def test_rows_round_trip_parquet(case):
    """Rows written with the schemas in schema.py read back equal."""
    for table, rows in _process(*case).rows.items():
        if not rows:
            continue
        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pylist(rows, schema=TABLES[table]), buffer)
        buffer.seek(0)
        assert pq.read_table(buffer).to_pylist() == rows
