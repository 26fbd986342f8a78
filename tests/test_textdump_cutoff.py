"""A text dump cut off before its end says so; lazily loaded comments alone do not.

The real founding dump (tests/fixtures/text/000_bc69be185f79b3dd.txt) declares 37 comments, shows
all 37 and ends with a 14-entry related sidebar; cut anywhere before that sidebar, it must warn.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pageclean.formats.textdump import parse_textdump

TEXT = (Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt").read_text(encoding="utf-8")
LINES = TEXT.split("\n")
# Line numbers read off the raw file: 73 is "Пікірлер: 37", 185 the sidebar's first title.
COMMENTS_HEADER_LINE, SIDEBAR_LINE = 73, 185


def _cut_warnings(text: str) -> list[str]:
    return [w for w in parse_textdump(text).warnings if "cut off" in w or "cut-off" in w]


def test_complete_dump_does_not_warn():
    assert _cut_warnings(TEXT) == []


@pytest.mark.parametrize(("fraction", "seen"), [
    (0.1, "the dump ends after the description"),
    (0.3, "37 declared comments read"),
    (0.6, "37 declared comments read"),
])
def test_founding_dump_cut_by_characters(fraction, seen):
    """The founding dump cut at 10%, 30% and 60% of its characters warns, naming what it saw."""
    [warning] = _cut_warnings(TEXT[: int(len(TEXT) * fraction)])
    assert seen in warning
    assert "related-videos sidebar" in warning
    assert "@" not in warning


@pytest.mark.parametrize("keep", range(10, SIDEBAR_LINE - 1))
def test_every_cut_before_the_sidebar_warns(keep):
    """Cut after any line from the description to the last comment, the dump warns once."""
    assert len(_cut_warnings("\n".join(LINES[:keep]))) == 1


def test_cut_after_the_comments_header():
    [warning] = _cut_warnings("\n".join(LINES[:COMMENTS_HEADER_LINE]))
    assert "ends after the comments header (37 declared, no comment read)" in warning


def test_cut_after_a_comment_author_line():
    """A dump that ends on a comment's "@handle" line does not glue it to the previous comment."""
    keep = next(n for n in range(COMMENTS_HEADER_LINE + 40, SIDEBAR_LINE) if LINES[n - 1].startswith("@")
                and " " not in LINES[n - 1])
    page = parse_textdump("\n".join(LINES[:keep]))
    assert not page.comments[-1].text.endswith(LINES[keep - 1])
    [warning] = [w for w in page.warnings if "cut-off" in w]
    assert "author line of a comment whose text is missing" in warning


def test_lazily_loaded_comments_with_a_sidebar_do_not_warn():
    """Fewer comment rows than declared is YouTube's lazy loading when the sidebar follows them."""
    start = LINES.index("@hellofromc-1374")  # drop 24 of the 37 comments, keep the sidebar
    text = "\n".join(LINES[:start] + LINES[SIDEBAR_LINE - 1 :])
    page = parse_textdump(text)
    assert len(page.comments) == 5 and page.comment_count == 37 and len(page.related) == 14
    assert page.warnings == []


def test_all_comments_but_no_sidebar():
    """Every declared comment read but no sidebar after them: said as seen, not as a cut comment."""
    [warning] = _cut_warnings("\n".join(LINES[: SIDEBAR_LINE - 1]))
    assert warning.startswith("no related-videos sidebar follows the comments (37 of the 37 declared")
