"""The lake in DuckDB: a database file of views over the Parquet datasets, beside them.

Each table's view reads ``<table>/**/*.parquet`` with a path relative to the curated folder, so
the folder can be moved or copied with its database. DuckDB resolves such a path against its
working directory, or against ``file_search_path`` when that is set (it is not stored in the
database file): open the file from inside the curated folder, or set ``file_search_path`` to it
(:func:`connect` does). Every read uses ``union_by_name`` (files from older pageclean versions
lack newer columns) and Hive partitioning (``scrape_date`` from the folder names, so a filter on it
skips whole days), and adds every column of the current schema that no file has yet, as NULL.

The file is written with DuckDB's storage format v1.0.0, which every DuckDB from 1.0 on reads (the
CLI an analyst has may be older than the library that wrote it), and replaced atomically.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pageclean.lake.frames import table_files
from pageclean.lake.spec import DATABASE, PRECISION_RANK, TIME, VIEWS
from pageclean.schema import PARTITION_COLUMN, TABLES

# The oldest storage format DuckDB can attach with (and every release since 1.0 reads).
STORAGE_VERSION = "v1.0.0"
_PRECISIONS = "[" + ", ".join(f"'{p}'" for p in PRECISION_RANK) + "]"  # rank = list_position, 1-based

_DUCKDB_TYPES = {
    pa.string(): "VARCHAR", pa.int64(): "BIGINT", pa.int32(): "INTEGER", pa.bool_(): "BOOLEAN",
    pa.timestamp("us", tz="UTC"): "TIMESTAMPTZ", pa.list_(pa.string()): "VARCHAR[]",
}


def _duckdb_type(type_: pa.DataType) -> str:
    try:
        return _DUCKDB_TYPES[type_]
    except KeyError:
        raise TypeError(f"no DuckDB type for {type_} (add it to _DUCKDB_TYPES)") from None


def _typed_nulls(table: str) -> str:
    """A zero-row SELECT with every column of the table's current schema, typed."""
    columns = [f"NULL::{_duckdb_type(f.type)} AS {f.name}" for f in TABLES[table]]
    return f"SELECT {', '.join(columns)}, NULL::DATE AS {PARTITION_COLUMN} WHERE false"


def table_sql(table: str, has_files: bool) -> str:
    if not has_files:
        return _typed_nulls(table)
    return (f"SELECT * FROM read_parquet('{table}/**/*.parquet', hive_partitioning = true, "
            f"union_by_name = true, hive_types = {{'{PARTITION_COLUMN}': DATE}})\n"
            f"UNION ALL BY NAME {_typed_nulls(table)}")


def _narrowed(source: str, key: str) -> str:
    """Per key, the publish window narrowed by every row of ``source`` (see spec)."""
    timed = f"FILTER (WHERE {TIME} IS NOT NULL)"
    return f"""
    SELECT {key},
        max({TIME}_earliest) {timed} AS e,
        min({TIME}_latest) {timed} AS l,
        first({TIME} ORDER BY scraped_at DESC, page_id DESC) {timed} AS p,
        min(list_position({_PRECISIONS}, {TIME}_precision)) {timed} AS r
    FROM {source} GROUP BY {key}"""


def _replace_narrowed() -> str:
    conflict = "coalesce(n.e > n.l, false)"
    clamped = ("CASE WHEN n.e IS NOT NULL AND n.p < n.e THEN n.e "
               "WHEN n.l IS NOT NULL AND n.p > n.l THEN n.l ELSE n.p END")
    return (f"CASE WHEN {conflict} THEN NULL ELSE {clamped} END AS {TIME},\n"
            f"        CASE WHEN {conflict} THEN NULL ELSE {_PRECISIONS}[n.r] END AS {TIME}_precision,\n"
            f"        CASE WHEN {conflict} THEN NULL ELSE n.e END AS {TIME}_earliest,\n"
            f"        CASE WHEN {conflict} THEN NULL ELSE n.l END AS {TIME}_latest")


VIEW_SQL: dict[str, str] = {
    "videos_latest": f"""
WITH rows AS (SELECT * FROM videos WHERE video_id IS NOT NULL),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY video_id ORDER BY scraped_at DESC, page_id DESC) AS _rank
    FROM rows),
seen AS (
    SELECT video_id, min(scraped_at) AS first_seen, max(scraped_at) AS last_seen, count(*) AS scrapes
    FROM rows GROUP BY video_id),
n AS ({_narrowed("rows", "video_id")})
SELECT r.* EXCLUDE (_rank) REPLACE (
        {_replace_narrowed()}),
    seen.first_seen, seen.last_seen, seen.scrapes, coalesce(n.e > n.l, false) AS {TIME}_conflict
FROM ranked r JOIN seen USING (video_id) JOIN n USING (video_id)
WHERE r._rank = 1""",
    "video_history": f"""
SELECT {", ".join(c for c in VIEWS["video_history"] if c != "doc")}
FROM videos WHERE video_id IS NOT NULL
ORDER BY video_id, scraped_at, page_id""",
    "comments_unique": f"""
WITH rows AS (
    SELECT c.*, v.scraped_at FROM comments c JOIN (SELECT page_id, scraped_at FROM videos) v USING (page_id)),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY comment_id ORDER BY scraped_at DESC, page_id DESC, position)
        AS _rank
    FROM rows),
seen AS (
    SELECT comment_id, min(scraped_at) AS first_seen, max(scraped_at) AS last_seen,
        count(DISTINCT page_id) AS scrapes,
        first(like_count ORDER BY scraped_at DESC, page_id DESC, position) FILTER (WHERE like_count IS NOT NULL)
            AS likes
    FROM rows GROUP BY comment_id),
n AS ({_narrowed("rows", "comment_id")})
SELECT r.* EXCLUDE (_rank, scraped_at) REPLACE (
        seen.likes AS like_count,
        {_replace_narrowed()}),
    seen.first_seen, seen.last_seen, seen.scrapes, coalesce(n.e > n.l, false) AS {TIME}_conflict
FROM ranked r JOIN seen USING (comment_id) JOIN n USING (comment_id)
WHERE r._rank = 1""",
    "citations": """
WITH cited AS (
    SELECT l.*, v.scraped_at, p.published_at AS _published
    FROM links l
    JOIN (SELECT page_id, scraped_at FROM videos) v USING (page_id)
    LEFT JOIN (SELECT video_id, published_at FROM videos_latest) p USING (video_id)
    WHERE l.origin = 'description' AND l.citation_key IS NOT NULL AND l.video_id IS NOT NULL)
SELECT citation_key,
    first(kind ORDER BY scraped_at, page_id, position) AS kind,
    max(arxiv_id) AS arxiv_id,
    max(doi) AS doi,
    first(canonical_url ORDER BY scraped_at, page_id, position) AS url,
    first(label ORDER BY scraped_at, page_id, position) FILTER (WHERE label IS NOT NULL) AS label,
    list_sort(list_distinct(list(video_id))) AS episodes,
    count(DISTINCT video_id) AS episode_count,
    min(_published) AS first_cited_at,
    min(scraped_at) AS first_seen
FROM cited GROUP BY citation_key
ORDER BY episode_count DESC, citation_key""",
}


@dataclass(slots=True)
class Written:
    """What :func:`write_database` wrote, for the CLI to report."""

    path: Path
    tables: dict[str, int]  # table -> its Parquet files
    views: list[str] = field(default_factory=list)
    without_video_id: int = 0  # scrapes the per-video views leave out

    @property
    def empty_tables(self) -> list[str]:
        return [t for t, n in self.tables.items() if n == 0]


def write_database(curated: str | Path, database: str | Path | None = None) -> Written:
    """Write (or replace) the DuckDB file of views over the curated folder's datasets."""
    import duckdb

    root = Path(curated)
    if not root.is_dir():
        raise FileNotFoundError(f"the curated folder {str(curated)!r} does not exist")
    target = Path(database) if database is not None else root / DATABASE
    counts = {t: len(table_files(root, t)) for t in TABLES}
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB creates the file itself
    try:
        con = duckdb.connect()
        try:
            # Relative paths resolve against the curated folder while the views are bound.
            con.execute("SET file_search_path = ?", [str(root.resolve())])
            con.execute(f"ATTACH '{_quote(tmp)}' AS lake (STORAGE_VERSION '{STORAGE_VERSION}')")
            con.execute("USE lake")
            for table, n in counts.items():
                con.execute(f"CREATE VIEW {table} AS {table_sql(table, n > 0)}")
            for name, sql in VIEW_SQL.items():
                con.execute(f"CREATE VIEW {name} AS {sql}")
            row = con.execute("SELECT count(*) FROM videos WHERE video_id IS NULL").fetchone()
            without = int(row[0]) if row else 0
            con.execute("USE memory")
            con.execute("DETACH lake")
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return Written(target, counts, list(VIEW_SQL), without)


def connect(curated: str | Path, database: str | Path | None = None):  # -> duckdb.DuckDBPyConnection
    """Open the views read-only, with ``file_search_path`` set to the curated folder."""
    import duckdb

    root = Path(curated).resolve()
    path = Path(database) if database is not None else root / DATABASE
    if not path.is_file():
        raise FileNotFoundError(f"{str(path)!r} does not exist: write it with `pageclean views --curated {curated}`")
    con = duckdb.connect(str(path), read_only=True)
    con.execute("SET file_search_path = ?", [str(root)])
    return con


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
