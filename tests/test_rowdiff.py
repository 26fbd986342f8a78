"""The reprocess summary's counts: each cell filled, emptied or changed, rows added or removed, pages that differ."""

from __future__ import annotations

import polars as pl

from pageclean.rowdiff import compare


def _comments(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"page_id": pl.String, "position": pl.Int32, "like_count": pl.Int64,
                                      "text": pl.String, "pipeline_version": pl.String}, orient="row")


def test_cells_and_rows_are_counted_by_kind():
    """Hand-made old and new rows: every kind of change is counted once, run columns are not compared."""
    old = _comments([("a", 0, None, "hi", "0.1"), ("a", 1, 5, "yo", "0.1"), ("b", 0, 3, "x", "0.1"),
                     ("c", 0, 1, "same", "0.1")])
    new = _comments([("a", 0, 7, "hi", "0.2"), ("a", 1, None, "yo!", "0.2"), ("b", 1, 3, "x", "0.2"),
                     ("c", 0, 1, "same", "0.2")])
    changes, _, _ = compare("comments", old, new)
    assert dict(changes.cells) == {("comments", "like_count", "filled"): 1, ("comments", "like_count", "emptied"): 1,
                                   ("comments", "text", "changed"): 1}
    assert dict(changes.rows_added) == {"comments": 1} and dict(changes.rows_removed) == {"comments": 1}
    assert changes.pages == {"a", "b"}  # c differs only in pipeline_version
    assert changes.most(2) == [(1, "1 comments rows added"), (1, "1 comments rows removed")]
    assert "1 comments.like_count values that were null now have values" in [s for _, s in changes.most(10)]


def test_unmatched_rows_can_be_matched_later():
    """Without final, rows with no partner are handed back uncounted (a page that moved partition)."""
    old = _comments([("a", 0, 1, "t", "0.1")])
    changes, old_only, new_only = compare("comments", old, old.clear(), final=False)
    assert not changes.rows_removed and old_only.height == 1 and new_only.height == 0
    moved, _, _ = compare("comments", old_only, _comments([("a", 0, 2, "t", "0.2")]))
    assert dict(moved.cells) == {("comments", "like_count", "changed"): 1} and not moved.rows_added
