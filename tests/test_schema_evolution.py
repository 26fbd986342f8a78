"""Schema evolution: columns are only added, each with its version; the README's queries read a folder of
old and new files; compaction rewrites old files to the current schema."""

from __future__ import annotations

import ast
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from pageclean.io import curated as store
from pageclean.runner import plan_run, run_batch
from pageclean.schema import ADDED_IN, SCHEMA_VERSION, TABLES, added_in

HERE = Path(__file__).parent
LAKE_V1 = HERE / "fixtures" / "lake-v1" / "curated"
README = HERE.parent / "README.md"
FOUNDING = HERE / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"


def _v1_schema(table: str):
    return pq.read_schema(next((LAKE_V1 / table).glob("*/*.parquet")))


@pytest.mark.parametrize("table", list(TABLES))
def test_version_1_is_what_the_previous_release_wrote(table):
    """Every column of the files pageclean 0.1.0 wrote is still here, same name and type, marked version 1;
    every other column is recorded under a later version and is nullable (old files read as null)."""
    old = _v1_schema(table)
    current = TABLES[table]
    for field in old:
        assert field.name in current.names, f"{table}.{field.name} was removed or renamed"
        assert current.field(field.name).type == field.type, f"{table}.{field.name} was retyped"
    for field in current:
        since = added_in(table, field.name)
        assert (since == 1) == (field.name in old.names), (
            f"{table}.{field.name}: record it in schema.ADDED_IN[{SCHEMA_VERSION}]" if since == 1 else field.name)
        assert since == 1 or field.nullable, f"{table}.{field.name} is new, so old files hold nulls: make it nullable"
        assert field.metadata[b"since"] == str(since).encode()


def test_added_in_is_consistent():
    """The current schema version is the newest in ADDED_IN, and every column listed there exists."""
    assert max([1, *ADDED_IN]) == SCHEMA_VERSION
    for version, tables in ADDED_IN.items():
        for table, columns in tables.items():
            assert set(columns) <= set(TABLES[table].names), (version, table)


def _mixed_folder(tmp_path: Path) -> Path:
    """The previous release's files plus files this version writes, in shared and in new partitions."""
    root = tmp_path / "mixed"
    shutil.copytree(LAKE_V1, root / "curated")
    raw = root / "raw"
    raw.mkdir()
    for name, views, scraped_at in (("same-day.txt", "11,500", "2026-11-20T18:00:00Z"),
                                    ("later.txt", "12,040", "2026-11-27T12:00:00Z")):
        (raw / name).write_bytes(FOUNDING.read_bytes().replace(b"10,936", views.encode()))
        (raw / f"{name}.meta.json").write_text(json.dumps({"url": "https://www.youtube.com/watch?v=0LVQhh0Z0Ws",
                                                          "scraped_at": scraped_at}))
    plan = plan_run(str(raw), str(root / "curated"), batch_size=1)
    for n, items in enumerate(plan.batches):
        run_batch(str(raw), str(root / "curated"), "now", n, items, 1 << 25, datetime(2026, 12, 3, tzinfo=UTC))
    store.publish(root / "curated", "now")
    shutil.rmtree(raw)
    return root


def _readme_blocks(language: str, section: str | None = None) -> list[str]:
    """The README's code blocks in ``language`` (of one ``## section``, if given), doctests aside (test_docs)."""
    text = README.read_text(encoding="utf-8")
    if section is not None:
        text = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(rf"```{language}\n(.*?)```", text, re.S)
    return [b for b in blocks if not b.startswith(">>>")]


def _run_python(blocks: list[str]) -> list[pl.DataFrame]:
    """Each README python block in one namespace, in order; the value of each block's last expression."""
    namespace: dict = {}
    results = []
    for block in blocks:
        tree = ast.parse(block)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "README.md", "exec"), namespace)
        if last is not None:
            results.append(eval(compile(ast.Expression(last.value), "README.md", "eval"), namespace))
    return results


def _run_sql(block: str, views) -> list:
    """A README SQL block: over the files (read_parquet) in a plain connection, else over the views of
    `pageclean views`; every statement's rows, sorted."""
    con = duckdb.connect() if "read_parquet(" in block else views
    rows = []
    for statement in con.extract_statements(block):
        result = con.execute(statement)
        if result.description:
            rows.append(sorted(result.fetchall(), key=repr))
    return rows


def _answers(folder: Path, monkeypatch) -> tuple[list, list]:
    from pageclean.lake.sql import connect, write_database

    monkeypatch.chdir(folder)
    write_database(folder / "curated")  # `pageclean views`, for the blocks that query the views
    views = connect(folder / "curated")
    try:
        sql = [_run_sql(block, views) for block in _readme_blocks("sql")]
    finally:
        views.close()
    python = [df.sort(df.columns).rows() for df in _run_python(_readme_blocks("python"))]
    return sql, python


def test_every_readme_query_reads_a_folder_of_old_and_new_files(tmp_path, monkeypatch):
    """The README's DuckDB and polars queries (taken from README.md) answer on a folder mixing schema
    versions 1 and 2, and answer the same once compaction has rewritten every file to version 2."""
    mixed = _mixed_folder(tmp_path)
    sql_blocks, py_blocks = _readme_blocks("sql"), _readme_blocks("python")
    assert len(sql_blocks) >= 3 and len(py_blocks) >= 2
    for block in sql_blocks:  # (the views' own reads use union_by_name too: pageclean.lake.sql)
        assert block.count("read_parquet(") == block.count("union_by_name=true"), block

    # the folder really mixes versions: old links lack `kind`, so a query that ignores names breaks
    links = [pq.read_schema(f).names for f in sorted((mixed / "curated" / "links").glob("*/*.parquet"))]
    assert any("kind" in names for names in links) and any("kind" not in names for names in links)
    plain = [q.replace(", union_by_name=true", "") for q in sql_blocks if "read_parquet(" in q]
    monkeypatch.chdir(mixed)
    failures = 0
    for q in plain:
        try:
            duckdb.sql(q).fetchall()
        except duckdb.Error:
            failures += 1
    assert failures > 0

    sql, python = _answers(mixed, monkeypatch)
    # the queries of "Query the tables" find rows in this folder; the other sections' examples (the lake
    # views) ask about the README's own fixture videos, so here they need only run and agree below
    generic = _readme_blocks("sql", "Query the tables") + _readme_blocks("python", "Query the tables")
    assert len(generic) >= 5
    for block, rows in [*zip(sql_blocks, sql, strict=True), *zip(py_blocks, python, strict=True)]:
        assert block not in generic or (rows and all(rows)), block
    papers = next(rows[-1] for q, rows in zip(sql_blocks, sql, strict=True) if "l.arxiv_id" in q)
    assert {r[0] for r in papers} >= {"2101.06223", "1905.10501"}  # arXiv links of the founding example

    compacted = tmp_path / "compacted"
    shutil.copytree(mixed, compacted)
    store.compact(compacted / "curated")
    for f in (compacted / "curated").glob("*/*/*.parquet"):
        table = f.parent.parent.name
        assert pq.read_schema(f).names == TABLES[table].names, f
    assert _answers(compacted, monkeypatch) == (sql, python)


def test_compact_rewrites_old_files_to_the_current_schema(tmp_path):
    """A partition holding one file of schema version 1 is rewritten to version 2, new columns null."""
    curated = tmp_path / "curated"
    shutil.copytree(LAKE_V1, curated)
    counts = store.count_rows(curated)
    assert all(len(list(d.glob("*.parquet"))) == 1 for d in curated.glob("*/scrape_date=*"))  # nothing to merge
    unchanged = [t for t in TABLES if all(added_in(t, c) == 1 for c in TABLES[t].names)]
    assert unchanged and "links" not in unchanged
    kept = {t: sorted(curated.glob(f"{t}/*/*.parquet")) for t in unchanged}  # no column added: left alone
    report = store.compact(curated)
    assert report.rows_rewritten >= counts["links"]
    assert {t: sorted(curated.glob(f"{t}/*/*.parquet")) for t in unchanged} == kept
    assert store.count_rows(curated) == counts
    for f in curated.glob("*/scrape_date=*/*.parquet"):
        assert pq.read_schema(f).names == TABLES[f.parent.parent.name].names, f
    links = pq.read_table(next((curated / "links").glob("*/*.parquet")))
    assert links.schema.names == TABLES["links"].names
    assert links["kind"].null_count == links.num_rows == counts["links"]
    again = store.compact(curated)
    assert again.partitions_compacted == 0
