"""What the founding example's 18 links cite: kind, arXiv id and version, DOI and canonical URL of
every row match tests/cases/kk_founding_links.json, read by hand off the raw text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pageclean.pipeline import PageMeta, process_page

CASE = Path(__file__).parent / "cases" / "kk_founding_links.json"
SCRAPED_AT = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
FACTS = ("kind", "arxiv_id", "arxiv_version", "doi", "canonical_url")


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return json.loads(CASE.read_text(encoding="utf-8"))["links"]


@pytest.fixture(scope="module")
def links(founding_bytes) -> list[dict]:
    meta = PageMeta("000_bc69be185f79b3dd.txt", len(founding_bytes), SCRAPED_AT, "sidecar", None)
    result = process_page(founding_bytes, meta, now=SCRAPED_AT)
    assert not result.rejected
    return result.rows["links"]


def test_case_file_quotes_the_raw_text(founding_bytes, gold):
    """Every link in the case file is on a line of the dump exactly as shown, in that order."""
    lines = founding_bytes.decode("utf-8").splitlines()
    at = [next(i for i, line in enumerate(lines) if line.endswith(g["shown"])) for g in gold]
    assert at == sorted(at) and len(gold) == 18


def test_every_link_cites_what_the_case_says(links, gold):
    """kind, arxiv_id, arxiv_version, doi and canonical_url of all 18 rows."""
    assert [lk["display_text"] for lk in links] == [g["shown"] for g in gold]
    for row, want in zip(links, gold, strict=True):
        assert {k: row[k] for k in FACTS} == {k: want[k] for k in FACTS}, want["shown"]


def test_the_issue_s_tally(links):
    """Issue 13's count: six arXiv papers (five pdf, one abs with a version), an OpenReview link cut
    short that is still a paper without an id, a truncated Springer paper, four Wikipedia 'other'."""
    arxiv = [lk for lk in links if lk["arxiv_id"]]
    assert len(arxiv) == 6
    assert sum("/pdf/" in lk["url"] for lk in arxiv) == 5
    (abs_link,) = [lk for lk in arxiv if "/abs/" in lk["url"]]
    assert abs_link["arxiv_version"] == 1
    (openreview,) = [lk for lk in links if lk["domain"] == "openreview.net"]
    assert (openreview["kind"], openreview["truncated"], openreview["arxiv_id"], openreview["doi"]) == (
        "paper", True, None, None)
    (springer,) = [lk for lk in links if lk["domain"] == "link.springer.com"]
    assert (springer["kind"], springer["truncated"], springer["doi"]) == ("paper", True, None)
    wikipedia = [lk for lk in links if lk["domain"] == "en.wikipedia.org"]
    assert len(wikipedia) == 4 and {lk["kind"] for lk in wikipedia} == {"other"}
