"""What changed between the rows a page had and the rows it has now, counted per column: the reprocess summary.

Pure: polars frames in, counts out. Rows are matched on a table's key (``page_id`` and
``position``, or ``page_id`` and ``source_path``); each matched cell is the same, filled (null ->
value), emptied (value -> null) or changed; an unmatched row was added or removed. Columns that say
which run wrote a row (``pipeline_version``, ``rejected_at``) are not compared: they always differ.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import polars as pl

# Columns that record the run, not the page: a reprocess changes them on every row.
IGNORED = frozenset({"pipeline_version", "rejected_at"})

KEYS: dict[str, tuple[str, ...]] = {
    "videos": ("page_id", "source_path"),
    "rejects": ("page_id", "source_path"),
    "chapters": ("page_id", "position"),
    "links": ("page_id", "position"),
    "comments": ("page_id", "position"),
    "related_videos": ("page_id", "position"),
}

FILLED, EMPTIED, CHANGED = "filled", "emptied", "changed"
_SENTENCE = {
    FILLED: "{n:,} {table}.{column} values that were null now have values",
    EMPTIED: "{n:,} {table}.{column} values that had values are now null",
    CHANGED: "{n:,} {table}.{column} values changed",
}
_OLD, _NEW, _SUFFIX = "__old_row", "__new_row", "__new"


@dataclass(slots=True)
class Changes:
    cells: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (table, column, kind) -> cells
    rows_added: Counter[str] = field(default_factory=Counter)
    rows_removed: Counter[str] = field(default_factory=Counter)
    pages: set[str] = field(default_factory=set)  # page_ids with any difference

    def merge(self, other: Changes) -> None:
        self.cells.update(other.cells)
        self.rows_added.update(other.rows_added)
        self.rows_removed.update(other.rows_removed)
        self.pages |= other.pages

    def most(self, n: int = 10) -> list[tuple[int, str]]:
        """The ``n`` largest changes, as (count, sentence), largest first."""
        items = [(c, _SENTENCE[kind].format(n=c, table=t, column=col)) for (t, col, kind), c in self.cells.items()]
        items += [(c, f"{c:,} {t} rows added") for t, c in self.rows_added.items()]
        items += [(c, f"{c:,} {t} rows removed") for t, c in self.rows_removed.items()]
        return sorted(items, key=lambda item: (-item[0], item[1]))[:n]


def compare(table: str, old: pl.DataFrame, new: pl.DataFrame, final: bool = True
            ) -> tuple[Changes, pl.DataFrame, pl.DataFrame]:
    """Changes from ``old`` to ``new`` rows of one table (same columns).

    Returns the changes and the rows that found no partner: with ``final`` they are counted as
    removed and added and the frames returned are empty; without, they are not counted, and are
    returned so the caller can match them against rows from other partitions (a page whose scrape
    date moved, a reject dated by the run that wrote it).
    """
    key = list(KEYS[table])
    columns = [c for c in old.columns if c not in key and c not in IGNORED and c in new.columns]
    joined = old.with_columns(pl.lit(True).alias(_OLD)).join(
        new.with_columns(pl.lit(True).alias(_NEW)), on=key, how="full", coalesce=True, suffix=_SUFFIX,
        nulls_equal=True)
    matched = joined.filter(pl.col(_OLD).is_not_null() & pl.col(_NEW).is_not_null())
    changes = Changes()
    if matched.height:
        kinds = []
        for c in columns:
            a, b = pl.col(c), pl.col(c + _SUFFIX)
            kinds += [(a.is_null() & b.is_not_null()).sum().alias(f"{c}\x1f{FILLED}"),
                      (a.is_not_null() & b.is_null()).sum().alias(f"{c}\x1f{EMPTIED}"),
                      (a.is_not_null() & b.is_not_null() & a.ne(b)).sum().alias(f"{c}\x1f{CHANGED}")]
        for name, n in matched.select(kinds).row(0, named=True).items():
            if n:
                column, kind = name.split("\x1f")
                changes.cells[(table, column, kind)] += n
        differs = pl.any_horizontal([pl.col(c).ne_missing(pl.col(c + _SUFFIX)) for c in columns] or [pl.lit(False)])
        changes.pages |= set(matched.filter(differs)["page_id"].to_list())
    old_only = old.join(new.select(key), on=key, how="anti", nulls_equal=True)
    new_only = new.join(old.select(key), on=key, how="anti", nulls_equal=True)
    if not final:
        return changes, old_only, new_only
    if old_only.height:
        changes.rows_removed[table] += old_only.height
    if new_only.height:
        changes.rows_added[table] += new_only.height
    changes.pages |= set(old_only["page_id"].to_list()) | set(new_only["page_id"].to_list())
    return changes, old_only.clear(), new_only.clear()
