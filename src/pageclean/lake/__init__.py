"""The curated lake across scrapes, for analysts: every table and four views over them.

- :func:`open` gives polars LazyFrames: ``lake = pageclean.lake.open("curated")``, then
  ``lake["videos"]`` (every table) or ``lake.videos_latest`` (every view).
- ``pageclean views`` (:func:`pageclean.lake.sql.write_database`) writes the same views as DuckDB
  SQL into ``curated/pageclean.duckdb``; :func:`connect` opens it from anywhere.

The views, their columns and their rules are in :mod:`pageclean.lake.spec`; both engines give the
same answers.
"""

from __future__ import annotations

from pathlib import Path

from pageclean.lake.frames import Lake
from pageclean.lake.spec import DATABASE, VIEWS

__all__ = ["DATABASE", "VIEWS", "Lake", "connect", "open"]


def open(curated: str | Path) -> Lake:
    """The curated folder's tables and views as polars LazyFrames.

    >>> import pageclean.lake
    >>> lake = pageclean.lake.open("tests/fixtures/lake-v1/curated")  # from the repository's root
    >>> lake.videos_latest.select("video_id").sort("video_id").collect()["video_id"].to_list()
    ['Ab3dEf6hIj0', 'W6NZfCO5SIk', 'rIqCiJKWx9I']
    """
    return Lake(curated)


def connect(curated: str | Path, database: str | Path | None = None):  # -> duckdb.DuckDBPyConnection
    """A read-only DuckDB connection to the views ``pageclean views`` wrote, from any working
    directory: the views name their files relative to the curated folder, so this sets DuckDB's
    ``file_search_path`` to it."""
    from pageclean.lake.sql import connect as _connect

    return _connect(curated, database)
