"""Reprocess: pages an older pageclean wrote are re-curated in place, safe to kill, readable throughout."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from pageclean import __version__
from pageclean import reprocess as rp
from pageclean.errors import ConfigError
from pageclean.io import curated as store
from pageclean.io import swap
from pageclean.lake.frames import scan_table
from pageclean.rowdiff import KEYS
from pageclean.runner import plan_run, run_batch
from pageclean.schema import TABLES

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
MAX_BYTES = 32 * 1024 * 1024
OLD_VERSION = "0.1.0"  # tests/fixtures/lake-v1/README.md: written by pageclean 0.1.0
PARENT_TABLES = ("chapters", "links", "comments", "related_videos")


def _stage(raw: Path, curated: Path, **select) -> tuple[rp.Selection, rp.PagePlan, str]:
    selection = rp.select_pages(curated, **select)
    plan = rp.plan_pages(str(raw), selection, batch_size=2)
    job = rp.new_job_id(NOW)
    for n, items in enumerate(plan.batches):
        run_batch(str(raw), str(curated), job, n, items, MAX_BYTES, NOW)
    return selection, plan, job


def _reprocess(raw: Path, curated: Path, **select) -> rp.Built:
    selection, plan, job = _stage(raw, curated, **select)
    built = rp.build(str(curated), job, selection, plan)
    rp.publish(str(curated), job)
    return built


def _fresh_run(raw: Path, curated: Path) -> None:
    plan = plan_run(str(raw), str(curated), batch_size=3)
    for n, items in enumerate(plan.batches):
        run_batch(str(raw), str(curated), "fresh", n, items, MAX_BYTES, NOW)
    store.publish(curated, "fresh")


def _tables(curated: Path) -> dict[str, pl.DataFrame]:
    """Every table as a query sees it (files of any schema version), without the run-specific rejected_at."""
    return {table: scan_table(Path(curated), table).collect().drop("rejected_at", "scrape_date", strict=False)
            .sort(list(KEYS[table])) for table in TABLES}


def _pages(df: pl.DataFrame, page_id: str) -> pl.DataFrame:
    return df.filter(pl.col("page_id") == page_id)


def _assert_whole_pages(curated: Path, old: dict[str, pl.DataFrame], new: dict[str, pl.DataFrame]) -> None:
    """What a reader sees: no row twice, no page in videos and rejects at once, and every page in videos
    with its old videos row and its old rows everywhere, or its new row and its new rows everywhere."""
    now = _tables(curated)
    for table, df in now.items():
        assert df.select(KEYS[table]).is_duplicated().sum() == 0, f"a row twice in {table}"
    both = set(now["videos"]["page_id"]) & set(now["rejects"]["page_id"].drop_nulls())
    assert not both, f"pages in videos and rejects at once: {both}"
    for row in now["videos"].iter_rows(named=True):
        snapshot = old if row["pipeline_version"] == OLD_VERSION else new
        page = row["page_id"]
        assert _pages(now["videos"], page).equals(_pages(snapshot["videos"], page))
        for table in PARENT_TABLES:
            assert _pages(now[table], page).equals(_pages(snapshot[table], page)), f"{table} of {page} mixed"


def test_previous_release_lake_reprocesses_to_what_a_fresh_run_gives(lake_v1, tmp_path):
    """Done-when: the lake pageclean 0.1.0 wrote, reprocessed, equals a fresh run of this version, table by table."""
    raw, curated = lake_v1
    assert set(_tables(curated)["videos"]["pipeline_version"]) == {OLD_VERSION}
    built = _reprocess(raw, curated)
    _fresh_run(raw, tmp_path / "fresh")
    mine, fresh = _tables(curated), _tables(tmp_path / "fresh")
    for table in TABLES:
        assert mine[table].equals(fresh[table]), table
    assert store.load_seen(curated).keys() == store.load_seen(tmp_path / "fresh").keys()
    assert not (curated / store.STAGING_DIR).exists() or not any((curated / store.STAGING_DIR).iterdir())

    # the summary's counts, against what the two lakes hold (computed here, not by the reprocess code)
    assert len(built.replaced) == 6 and not built.kept
    assert built.outcomes == {"video": 5, "reject:empty": 1}
    kinds = fresh["links"]["kind"].drop_nulls().len()
    assert kinds > 0 and built.changes.cells[("links", "kind", "filled")] == kinds
    assert f"{kinds} links.kind values that were null now have values" in [s for _, s in built.changes.most(20)]


def test_nothing_to_do_twice_and_all_redoes_every_page(lake_v1):
    """After a reprocess no page is older; --all redoes every page and finds nothing changed."""
    raw, curated = lake_v1
    _reprocess(raw, curated)
    before = _tables(curated)
    assert rp.select_pages(curated).pages == {}
    again = _reprocess(raw, curated, every=True)
    assert len(again.replaced) == 6 and not again.changes.pages
    after = _tables(curated)
    for table in TABLES:
        assert after[table].equals(before[table]), table


def test_where_and_path_choose_pages(lake_v1):
    """--where is SQL on videos (any column, scrape_date a date); --path is a glob on source_path."""
    raw, curated = lake_v1
    kk = rp.select_pages(curated, where="ui_language = 'kk'")
    assert list(kk.pages.values()) == [["text/000_bc69be185f79b3dd.txt"]]
    html = rp.select_pages(curated, path_glob="html/*")
    assert sorted(p for paths in html.pages.values() for p in paths) == ["html/de-legacy-2017.html",
                                                                          "html/en-watch-chapters.html"]
    dated = rp.select_pages(curated, where="scrape_date = '2026-11-20' and view_count > 1000000")
    assert sorted(p for paths in dated.pages.values() for p in paths) == ["html/en-watch-chapters.html",
                                                                           "json/next-ru-lockup.json"]
    with pytest.raises(ConfigError, match="not a condition on the videos table"):
        rp.select_pages(curated, where="no_such_column = 1")

    built = _reprocess(raw, curated, path_glob="html/*")
    versions = dict(_tables(curated)["videos"].select("source_path", "pipeline_version").iter_rows())
    assert len(built.replaced) == 2
    assert versions["html/de-legacy-2017.html"] == __version__
    assert versions["text/000_bc69be185f79b3dd.txt"] == OLD_VERSION


def test_a_page_whose_raw_file_is_gone_keeps_its_rows(lake_v1):
    """A deleted raw file, and one re-scraped with other bytes: their pages keep their old rows and are reported."""
    raw, curated = lake_v1
    old = _tables(curated)
    (raw / "html/de-legacy-2017.html").unlink()
    (raw / "json/next-ru-lockup.json").write_text("{}")
    built = _reprocess(raw, curated)
    page_of = dict(old["videos"].select("source_path", "page_id").iter_rows())
    assert built.kept == {
        page_of["html/de-legacy-2017.html"]: [("html/de-legacy-2017.html", "no longer in the raw folder")],
        page_of["json/next-ru-lockup.json"]: [("json/next-ru-lockup.json",
                                               "holds other bytes now (a re-scrape, which the next run curates)")]}
    now = _tables(curated)
    for path in ("html/de-legacy-2017.html", "json/next-ru-lockup.json"):
        page = page_of[path]
        for table in ("videos", *PARENT_TABLES):
            assert _pages(now[table], page).equals(_pages(old[table], page)), (path, table)
    assert len(built.replaced) == 4
    assert not now["videos"]["page_id"].is_in([page_id for page_id in now["rejects"]["page_id"]]).any()


def test_every_state_a_killed_reprocess_leaves_is_whole_and_is_finished(lake_v1, tmp_path, monkeypatch):
    """Killed before its plan is committed: rolled back. Killed after any publishing step: every table reads
    whole pages (old or new, never both, never twice), and the next recover finishes it."""
    raw, curated = lake_v1
    old = _tables(curated)
    selection, plan, job = _stage(raw, curated)
    assert store.recover(curated) == 0  # staged batches without a plan: rolled back, nothing published
    for table in TABLES:
        assert _tables(curated)[table].equals(old[table])

    selection, plan, job = _stage(raw, curated)
    rp.build(str(curated), job, selection, plan)
    template = tmp_path / "committed"
    shutil.copytree(curated, template)
    steps = json.loads((curated / store.STAGING_DIR / job / swap.PLAN).read_text())
    assert [s["target"].split("/")[0] for s in steps][:2] == ["videos", "videos"]  # videos rows go first
    rp.publish(str(curated), job)
    new = _tables(curated)

    apply = {"swap": swap._swap, "add": swap._add}
    for killed_after in range(len(steps)):
        shutil.rmtree(curated)
        shutil.copytree(template, curated)
        done = []

        def step_then_die(kind, root, step, done=done, killed_after=killed_after):
            if len(done) == killed_after:
                raise KeyboardInterrupt
            apply[kind](root, step)
            done.append(step)

        monkeypatch.setattr(swap, "_swap", lambda root, step, f=step_then_die: f("swap", root, step))
        monkeypatch.setattr(swap, "_add", lambda root, step, f=step_then_die: f("add", root, step))
        with pytest.raises(KeyboardInterrupt):
            rp.publish(str(curated), job)
        monkeypatch.undo()
        _assert_whole_pages(curated, old, new)
        assert store.recover(curated) == len(steps)
        for table in TABLES:
            assert _tables(curated)[table].equals(new[table]), (killed_after, table)


def test_folder_swaps_fall_back_without_renameat2(lake_v1, tmp_path, monkeypatch):
    """Where the filesystem cannot swap folders, two renames give the same tables."""
    from pageclean.io import durable

    raw, curated = lake_v1
    _fresh_run(raw, tmp_path / "fresh")
    monkeypatch.setattr(durable, "exchange", lambda a, b: False)
    _reprocess(raw, curated)
    mine, fresh = _tables(curated), _tables(tmp_path / "fresh")
    for table in TABLES:
        assert mine[table].equals(fresh[table]), table


def test_a_pseudonymized_lake_is_not_reprocessed_without_the_key(lake_v1, monkeypatch):
    """Pseudonyms in the lake and no --pseudonymize-authors: refused before anything is published."""
    raw, curated = lake_v1
    monkeypatch.setenv("PAGECLEAN_AUTHOR_KEY", "a-test-key-of-32-characters-long")
    selection = rp.select_pages(curated)
    plan = rp.plan_pages(str(raw), selection, 10)
    job = rp.new_job_id(NOW)
    for n, items in enumerate(plan.batches):
        run_batch(str(raw), str(curated), job, n, items, MAX_BYTES, NOW, pseudonymize_authors=True)
    rp.build(str(curated), job, selection, plan)
    rp.publish(str(curated), job)
    pseudonymized = _tables(curated)
    assert pseudonymized["comments"]["author"].str.starts_with("anon_").all()
    selection, plan, job = _stage(raw, curated, every=True)
    with pytest.raises(ConfigError, match="pseudonymized"):
        rp.build(str(curated), job, selection, plan)
    rp.discard(str(curated), job)
    assert _tables(curated)["comments"].equals(pseudonymized["comments"])
    assert not (curated / store.STAGING_DIR / job).exists()


def test_reprocess_on_an_object_store():
    """memory:// (no folders to swap, no hard links): the same rows as on a local disk."""
    import fsspec

    base = "memory://pageclean-reprocess"
    fs = fsspec.filesystem("memory")
    lake = Path(__file__).parent / "fixtures" / "lake-v1" / "curated"
    try:
        for f in lake.rglob("*.parquet"):
            fs.pipe_file(f"/pageclean-reprocess/curated/{f.relative_to(lake).as_posix()}", f.read_bytes())
        founding = (Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt").read_bytes()
        fs.pipe_file("/pageclean-reprocess/raw/text/000_bc69be185f79b3dd.txt", founding)
        selection = rp.select_pages(f"{base}/curated", path_glob="text/*")
        plan = rp.plan_pages(f"{base}/raw", selection, 10)
        job = rp.new_job_id(NOW)
        for n, items in enumerate(plan.batches):
            run_batch(f"{base}/raw", f"{base}/curated", job, n, items, MAX_BYTES, NOW)
        built = rp.build(f"{base}/curated", job, selection, plan)
        rp.publish(f"{base}/curated", job)
        assert len(built.replaced) == 1
        assert store.count_rows(f"{base}/curated") == store.count_rows(lake)
        assert not fs.exists(f"/pageclean-reprocess/curated/{store.STAGING_DIR}/{job}")
    finally:
        fs.rm("/pageclean-reprocess", recursive=True)


def test_reprocess_command_under_prefect(prefect_harness, lake_v1, capsys):
    """`pageclean reprocess` runs its own flow, prints what changed, and leaves the curate flow's artifacts."""
    from prefect.artifacts import Artifact

    from pageclean.cli import main

    raw, curated = lake_v1
    assert main(["reprocess", "--raw", str(raw), "--curated", str(curated), "--workers", "1", "-q"]) == 0
    out = capsys.readouterr().out
    for words in ("6 pages", "5 videos, 1 rejects (empty 1)", "what changed most",
                  "links.kind values that were null now have values"):
        assert words in " ".join(out.split()), words
    markdown = Artifact.get("pageclean-summary")
    assert markdown is not None and "pageclean reprocess" in markdown.data and "links.kind" in markdown.data
    rejects = Artifact.get("pageclean-rejects")
    assert rejects is not None and "empty" in str(rejects.data)

    args = ["reprocess", "--raw", str(raw), "--curated", str(curated), "--workers", "1", "-q", "--all"]
    assert main([*args, "--where", "no_such_column = 1"]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "is not a condition on the videos table" in lines[0], err


def test_reprocess_help_explains_the_choices(capsys):
    """reprocess --help names the default choice and the three ways to choose other pages."""
    from pageclean.cli import main

    with pytest.raises(SystemExit):
        main(["reprocess", "--help"])
    out = capsys.readouterr().out
    for words in ("older pageclean", "--all", "--where", "--path", "ui_language = 'kk'", "--raw", "--workers"):
        assert words in out, words


def test_a_file_rescraped_in_place_is_read_once(tmp_path, monkeypatch):
    """A path that held two pages over time (both by an older pageclean): read once; the page it holds now is
    replaced, the one it held before keeps its rows and is reported."""
    import pageclean.pipeline

    founding = (Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt").read_bytes()
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    monkeypatch.setattr(pageclean.pipeline, "__version__", OLD_VERSION)
    for n, views in enumerate((b"10,936", b"11,002")):
        (raw / "a.txt").write_bytes(founding.replace(b"10,936", views))
        plan = plan_run(str(raw), str(curated), batch_size=5)
        for b, items in enumerate(plan.batches):
            run_batch(str(raw), str(curated), f"old{n}", b, items, MAX_BYTES, NOW)
        store.publish(curated, f"old{n}")
    monkeypatch.undo()
    before = _tables(curated)
    first, second = before["videos"].sort("view_count")["page_id"].to_list()
    built = _reprocess(raw, curated)
    assert built.replaced == {second}
    assert built.kept == {first: [("a.txt", "holds other bytes now (a re-scrape, which the next run curates)")]}
    after = _tables(curated)
    assert dict(after["videos"].select("page_id", "pipeline_version").iter_rows()) == {first: OLD_VERSION,
                                                                                      second: __version__}
    assert _pages(after["comments"], second).height == _pages(before["comments"], second).height == 37


def test_plan_pages_makes_even_batches_for_the_processes(tmp_path):
    """A reprocess plan is packed like a run's: as few batches as the limits allow, a multiple of
    the processes, even pages; every path of one page still in one batch."""
    raw = tmp_path / "raw"
    raw.mkdir()
    pages = {}
    for i in range(21):
        (raw / f"p{i:02d}.txt").write_bytes(b"x" * (100 + i))
        pages[f"page{i:02d}"] = [f"p{i:02d}.txt"]
    (raw / "p00-copy.txt").write_bytes(b"x" * 100)
    pages["page00"].append("p00-copy.txt")
    selection = rp.Selection(pages, "every page")
    alone = rp.plan_pages(str(raw), selection, batch_size=5)
    assert len(alone.batches) == 5  # 22 files, at most 5 a batch
    even = rp.plan_pages(str(raw), selection, batch_size=5, processes=2)
    assert len(even.batches) == 6
    assert max(map(len, even.batches)) - min(map(len, even.batches)) <= 1
    [with_copies] = [b for b in even.batches if any(i.file.rel.startswith("p00") for i in b)]
    assert {i.file.rel for i in with_copies} >= {"p00.txt", "p00-copy.txt"}
    assert sorted(i.file.rel for b in even.batches for i in b) == sorted(p.name for p in raw.iterdir())
