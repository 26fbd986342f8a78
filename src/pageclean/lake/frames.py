"""The lake in polars: every table as one LazyFrame across all scrapes, and the views of ``spec``.

A table's files may come from different pageclean versions, so a table's frame has every column of
the current schema (null where a file predates it) plus any column only a newer file has.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pageclean.lake.spec import PRECISION_RANK, TIME, TIME_COLUMNS, VIEWS
from pageclean.schema import PARTITION_COLUMN, TABLES

_RANK_TO_PRECISION = {rank: name for name, rank in PRECISION_RANK.items()}


def table_files(curated: Path, table: str) -> list[str]:
    """The table's published Parquet files (staging and state are elsewhere), sorted."""
    return sorted(str(p) for p in (curated / table).glob(f"{PARTITION_COLUMN}=*/*.parquet"))


def _polars_schema(schema: pa.Schema) -> dict[str, pl.DataType]:
    return dict(pl.from_arrow(schema.empty_table()).schema)  # type: ignore[union-attr]


def scan_table(curated: Path, table: str) -> pl.LazyFrame:
    """Every row of ``table`` across all scrapes, with ``scrape_date`` from the folder names."""
    columns = _polars_schema(TABLES[table])
    files = table_files(curated, table)
    for path in files:  # columns a newer pageclean wrote, kept as they are
        for name, dtype in _polars_schema(pq.read_schema(path)).items():
            columns.setdefault(name, dtype)
    if not files:
        return pl.LazyFrame(schema={**columns, PARTITION_COLUMN: pl.Date})
    return pl.scan_parquet(files, schema=columns, hive_partitioning=True,
                           hive_schema={PARTITION_COLUMN: pl.Date}, missing_columns="insert")


def _narrowed(rows: pl.LazyFrame, key: str) -> pl.LazyFrame:
    """Per ``key``, the publish window narrowed by every row (rows sorted latest first)."""
    timed = pl.col(TIME).is_not_null()
    agg = rows.group_by(key, maintain_order=True).agg(
        _earliest=pl.col(f"{TIME}_earliest").filter(timed).max(),
        _latest=pl.col(f"{TIME}_latest").filter(timed).min(),
        _point=pl.col(TIME).filter(timed).first(),
        _rank=pl.col(f"{TIME}_precision").replace_strict(PRECISION_RANK, default=None,
                                                         return_dtype=pl.Int64).filter(timed).min(),
    )
    low, high, point = pl.col("_earliest"), pl.col("_latest"), pl.col("_point")
    conflict = (low > high).fill_null(False)
    clamped = (pl.when(low.is_not_null() & (point < low)).then(low)
               .when(high.is_not_null() & (point > high)).then(high).otherwise(point))
    return agg.select(
        key,
        pl.when(conflict).then(None).otherwise(clamped).alias(TIME),
        pl.when(conflict).then(None).otherwise(
            pl.col("_rank").replace_strict(_RANK_TO_PRECISION, default=None, return_dtype=pl.String)
        ).alias(f"{TIME}_precision"),
        pl.when(conflict).then(None).otherwise(low).alias(f"{TIME}_earliest"),
        pl.when(conflict).then(None).otherwise(high).alias(f"{TIME}_latest"),
        conflict.alias(f"{TIME}_conflict"),
    )


def _with_narrowed(latest: pl.LazyFrame, sorted_rows: pl.LazyFrame, key: str) -> pl.LazyFrame:
    """The latest rows with their published_at columns replaced by the narrowed ones (same place)."""
    order = latest.collect_schema().names()
    narrowed = _narrowed(sorted_rows, key).rename({c: f"_n_{c}" for c in TIME_COLUMNS})
    return latest.join(narrowed, on=key, how="left").with_columns(
        pl.col(f"_n_{c}").alias(c) for c in TIME_COLUMNS
    ).select([*order, f"{TIME}_conflict"])


def videos_latest(videos: pl.LazyFrame) -> pl.LazyFrame:
    rows = videos.filter(pl.col("video_id").is_not_null()).sort(["scraped_at", "page_id"], descending=True)
    seen = rows.group_by("video_id").agg(
        first_seen=pl.col("scraped_at").min(), last_seen=pl.col("scraped_at").max(),
        scrapes=pl.len().cast(pl.Int64))
    latest = _with_narrowed(rows.unique("video_id", keep="first", maintain_order=True), rows, "video_id")
    columns = [c for c in latest.collect_schema().names() if c != f"{TIME}_conflict"]
    return latest.join(seen, on="video_id", how="left").select(
        *columns, "first_seen", "last_seen", "scrapes", f"{TIME}_conflict")


def video_history(videos: pl.LazyFrame) -> pl.LazyFrame:
    return (videos.filter(pl.col("video_id").is_not_null())
            .select([c for c in VIEWS["video_history"] if c != "doc"])
            .sort("video_id", "scraped_at", "page_id"))


def comments_unique(comments: pl.LazyFrame, videos: pl.LazyFrame) -> pl.LazyFrame:
    rows = (comments.join(videos.select("page_id", "scraped_at"), on="page_id", how="inner")
            .sort(["scraped_at", "page_id", "position"], descending=[True, True, False]))
    seen = rows.group_by("comment_id").agg(
        first_seen=pl.col("scraped_at").min(), last_seen=pl.col("scraped_at").max(),
        scrapes=pl.col("page_id").n_unique().cast(pl.Int64),
        _likes=pl.col("like_count").drop_nulls().first())
    latest = rows.unique("comment_id", keep="first", maintain_order=True).drop("scraped_at")
    latest = _with_narrowed(latest, rows, "comment_id")
    columns = [c for c in latest.collect_schema().names() if c != f"{TIME}_conflict"]
    return (latest.join(seen, on="comment_id", how="left")
            .with_columns(pl.col("_likes").alias("like_count"))
            .select(*columns, "first_seen", "last_seen", "scrapes", f"{TIME}_conflict"))


def citations(links: pl.LazyFrame, videos: pl.LazyFrame) -> pl.LazyFrame:
    cited = (links.filter((pl.col("origin") == "description") & pl.col("citation_key").is_not_null()
                          & pl.col("video_id").is_not_null())
             .join(videos.select("page_id", "scraped_at"), on="page_id", how="inner"))
    published = videos_latest(videos).select("video_id", pl.col(TIME).alias("_published"))
    # Sorted after the last join: a polars join keeps no row order unless told, and first() below
    # must see each citation's links oldest scrape first (a sort before the join made the view's
    # kind, url and label depend on the join's threads: tests/test_lake.py failed once in seven runs).
    return (cited.join(published, on="video_id", how="left")
            .sort("scraped_at", "page_id", "position")
            .group_by("citation_key").agg(
                kind=pl.col("kind").first(),
                arxiv_id=pl.col("arxiv_id").max(),
                doi=pl.col("doi").max(),
                url=pl.col("canonical_url").first(),
                label=pl.col("label").drop_nulls().first(),
                episodes=pl.col("video_id").unique().sort(),
                episode_count=pl.col("video_id").n_unique().cast(pl.Int64),
                first_cited_at=pl.col("_published").min(),
                first_seen=pl.col("scraped_at").min())
            .sort(["episode_count", "citation_key"], descending=[True, False]))


class Lake(Mapping[str, pl.LazyFrame]):
    """The curated folder's tables and views, by name: ``lake["videos"]``, ``lake.comments_unique``."""

    def __init__(self, curated: str | Path) -> None:
        self.curated = Path(curated)
        if not self.curated.is_dir():
            raise FileNotFoundError(f"the curated folder {str(curated)!r} does not exist")
        tables = {name: scan_table(self.curated, name) for name in TABLES}
        videos = tables["videos"]
        views = {
            "videos_latest": videos_latest(videos),
            "video_history": video_history(videos),
            "comments_unique": comments_unique(tables["comments"], videos),
            "citations": citations(tables["links"], videos),
        }
        self._frames = {**tables, **views}
        self.tables, self.views = tuple(tables), tuple(views)

    def __getitem__(self, name: str) -> pl.LazyFrame:
        return self._frames[name]

    def __getattr__(self, name: str) -> pl.LazyFrame:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._frames[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)
