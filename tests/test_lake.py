"""The lake across scrapes: pageclean.lake.open (polars) and `pageclean views` (DuckDB) give the same
views, and each matches the answer worked out by hand.

The fixture lake is built here from real pages, scraped three times in two UI languages with the
edits a re-scrape shows (sidecars give each scrape its time; the scrape timeline is the test's
story, not a fact about the videos):

- video A, Kazakh UI: the founding text dump (tests/fixtures/text/000_bc69be185f79b3dd.txt). Scrape
  A0 is the page as saved; on A1 (2 days later) and A2 (9 days after A1) the view count has grown,
  the video's age reads "3 жыл бұрын" and then "4 жыл бұрын" (a video published 2020-08-25 seen on
  2024-08-22 and 2024-08-31), a new comment reads "2 апта бұрын" and then "3 апта бұрын" (posted
  2024-08-06), and on A2 one comment is gone. Its sidecar URL names the video "mlst-ep-050" (the
  dump carries no id; the id is the scraper's, invented for this lake).
- video B, English UI: en-watch-full.html (GJLlxj_dtq8) scraped twice (B0, then B2 with more views
  and a description edited to cite a paper that video A cites), and its comment continuation
  comments-2023-commentrenderer.json (its comments link to GJLlxj_dtq8) scraped twice (C1, then C2
  with more likes and one comment's text edited).

Every expected value below either comes from that story (counts typed into the edits, windows
worked out with YouTube's rounding: "n units ago" is n to n+1 units, a week 7 days, a year 365 to
366) or is computed by hand in plain Python from the base tables, never by pageclean.lake.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

import pageclean.lake
from pageclean.cli import main
from pageclean.io import curated as store
from pageclean.runner import plan_run, run_batch

FIXTURES = Path(__file__).parent / "fixtures"
DUMP = (FIXTURES / "text" / "000_bc69be185f79b3dd.txt").read_text(encoding="utf-8")
WATCH = (FIXTURES / "html" / "en-watch-full.html").read_text(encoding="utf-8")
COMMENTS = json.loads((FIXTURES / "json" / "comments-2023-commentrenderer.json").read_text(encoding="utf-8"))

A, B = "mlst-ep-050", "GJLlxj_dtq8"
T0 = datetime(2024, 8, 20, 9, tzinfo=UTC)
T1 = datetime(2024, 8, 22, 9, tzinfo=UTC)
T2 = T1 + timedelta(days=9)
HOUR = timedelta(hours=1)
SCRAPES = {  # raw path -> scraped_at, video
    "round0/A0.txt": (T0, A), "round0/B0.html": (T0 + timedelta(days=1), B),
    "round1/A1.txt": (T1, A), "round1/C1.json": (T1 + HOUR, B),
    "round2/A2.txt": (T2, A), "round2/C2.json": (T2 + HOUR, B), "round2/B2.html": (T2 + 2 * HOUR, B),
}
NEW_COMMENT = "Just found this channel. The part on autoformalisation is gold."
GONE = "@dinasina3558"  # its comment is deleted before A2
EDITED = "Great review, 0:39 is my favourite part. Still using mine!"
PRECISIONS = ["exact", "second", "minute", "hour", "day", "week", "month", "year"]  # finest first


def _dump(views: str, age: str, comments: int, new_age: str | None = None, drop: str | None = None) -> str:
    lines = DUMP.split("\n")
    stripped = [line.strip() for line in lines]
    at = stripped.index("Рет қаралды 10,936")  # the header's views line (indented with no-break spaces)
    lines[at] = lines[at].replace("10,936", views)
    lines[stripped.index("Күн бұрын")] = age
    header = stripped.index("Пікірлер: 37")
    lines[header] = f"Пікірлер: {comments}"
    if drop:
        at = lines.index(drop)  # "@handle", "@handle <age>", one line of text
        del lines[at:at + 3]
    if new_age:
        lines[header + 1:header + 1] = ["@newlistener", f"@newlistener {new_age}", NEW_COMMENT]
    return "\n".join(lines)


def _watch(views: int | None = None, cite: str | None = None) -> str:
    page = WATCH
    if views:
        page = page.replace("1856109", str(views)).replace("1,856,109", f"{views:,}")
    if cite:
        tail = "(It doesn’t cost you extra, so please buy everything)"
        page = page.replace(tail, tail + f"\\n\\nPaper mentioned: {cite}")
    return page


def _comments(edit: bool) -> str:
    text = json.dumps(COMMENTS, ensure_ascii=False)
    if edit:
        text = (text.replace('"1.2K likes"}}, "simpleText": "1.2K"', '"1.3K likes"}}, "simpleText": "1.3K"')
                .replace('{"text": " is my favourite part"}', '{"text": " is my favourite part. Still using mine!"}')
                .replace('"voteCount": {"simpleText": "12"}', '"voteCount": {"simpleText": "15"}'))
    return text


PAGES = {
    "round0/A0.txt": DUMP,
    "round0/B0.html": WATCH,
    "round1/A1.txt": _dump("11,208", "3 жыл бұрын", 38, new_age="2 апта бұрын"),
    "round1/C1.json": _comments(edit=False),
    "round2/A2.txt": _dump("11,391", "4 жыл бұрын", 37, new_age="3 апта бұрын", drop=GONE),
    "round2/C2.json": _comments(edit=True),
    "round2/B2.html": _watch(1_859_264, cite="https://arxiv.org/abs/1912.01412"),
}


@pytest.fixture(scope="module")
def lake_dir(tmp_path_factory) -> Path:
    """Three rounds of scrapes, each curated by its own run, then `pageclean views`."""
    root = tmp_path_factory.mktemp("lake")
    raw, curated = root / "raw", root / "curated"
    for n in range(3):
        for rel, text in PAGES.items():
            if not rel.startswith(f"round{n}/"):
                continue
            scraped_at, video = SCRAPES[rel]
            path = raw / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            sidecar = {"url": f"https://www.youtube.com/watch?v={video}", "scraped_at": scraped_at.isoformat()}
            Path(f"{path}.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
        plan = plan_run(str(raw), str(curated), batch_size=10)
        for b, items in enumerate(plan.batches):
            run_batch(str(raw), str(curated), f"round{n}", b, items, 10_000_000, T2 + timedelta(days=1))
        store.publish(curated, f"round{n}")
    assert main(["views", "--curated", str(curated)]) == 0
    return curated


def _table(curated: Path, name: str) -> list[dict]:
    """A base table read straight from its files, as plain rows."""
    return pl.read_parquet(curated / name / "**" / "*.parquet", hive_partitioning=True).to_dicts()


def _polars(curated: Path, view: str) -> list[dict]:
    return pageclean.lake.open(curated)[view].collect().to_dicts()


def _duckdb(curated: Path, view: str) -> list[dict]:
    con = pageclean.lake.connect(curated)
    con.execute("SET TimeZone = 'UTC'")
    try:
        return con.sql(f"SELECT * FROM {view}").pl().to_dicts()
    finally:
        con.close()


def _by(rows: list[dict], key: str) -> dict:
    out = {r[key]: r for r in rows}
    assert len(out) == len(rows), f"{key} is not unique"
    return out


def _narrow(rows: list[dict], latest_first) -> dict:
    """The published window narrowed by every row, worked out by hand."""
    timed = [r for r in rows if r["published_at"] is not None]
    earliest = max((r["published_at_earliest"] for r in timed if r["published_at_earliest"]), default=None)
    latest = min((r["published_at_latest"] for r in timed if r["published_at_latest"]), default=None)
    if earliest and latest and earliest > latest:
        return {"published_at": None, "published_at_precision": None, "published_at_earliest": None,
                "published_at_latest": None, "published_at_conflict": True}
    point = sorted(timed, key=latest_first)[0]["published_at"] if timed else None
    if point is not None and earliest and point < earliest:
        point = earliest
    if point is not None and latest and point > latest:
        point = latest
    ranks = [PRECISIONS.index(r["published_at_precision"]) for r in timed if r["published_at_precision"]]
    return {"published_at": point, "published_at_precision": PRECISIONS[min(ranks)] if ranks else None,
            "published_at_earliest": earliest, "published_at_latest": latest, "published_at_conflict": False}


def _newest(r: dict) -> tuple:
    return (-r["scraped_at"].timestamp(), tuple(-ord(c) for c in r["page_id"]))


def _same(got: list[dict], expected: dict, key: str) -> None:
    got_by = _by(got, key)
    assert set(got_by) == set(expected)
    for k, want in expected.items():
        for column, value in want.items():
            assert got_by[k][column] == value, (k, column)


# --- the fixture lake is what the story says -----------------------------------------------------

def test_the_lake_holds_three_scrapes_of_two_videos_in_two_languages(lake_dir):
    videos = _table(lake_dir, "videos")
    assert len(videos) == 7 and {v["video_id"] for v in videos} == {A, B}
    assert {v["ui_language"] for v in videos} == {"kk", "en"}
    assert {v["scraped_at"] for v in videos} == {t for t, _ in SCRAPES.values()}


# --- each view: by hand, in polars, in DuckDB --------------------------------------------------

@pytest.mark.parametrize("engine", [_polars, _duckdb])
def test_videos_latest(lake_dir, engine):
    videos = [v for v in _table(lake_dir, "videos") if v["video_id"]]
    expected = {}
    for vid in {v["video_id"] for v in videos}:
        rows = [v for v in videos if v["video_id"] == vid]
        latest = sorted(rows, key=_newest)[0]
        expected[vid] = {**latest, **_narrow(rows, _newest),
                         "first_seen": min(r["scraped_at"] for r in rows),
                         "last_seen": max(r["scraped_at"] for r in rows), "scrapes": len(rows)}
    got = engine(lake_dir, "videos_latest")
    _same(got, expected, "video_id")
    a, b = _by(got, "video_id")[A], _by(got, "video_id")[B]
    # The story: A's latest scrape is A2; "3 years ago" on A1 and "4 years ago" on A2 leave
    # [A1 - 4 x 366 days, A2 - 4 x 365 days] = 13 days around the true 2020-08-25.
    assert (a["view_count"], a["scrapes"], a["first_seen"], a["last_seen"]) == (11_391, 3, T0, T2)
    assert a["published_at_earliest"] == datetime(2020, 8, 19, 9, tzinfo=UTC)
    assert a["published_at_latest"] == datetime(2020, 9, 1, 9, tzinfo=UTC)
    assert a["published_at_earliest"] <= datetime(2020, 8, 25, tzinfo=UTC) <= a["published_at_latest"]
    assert a["published_at_precision"] == "year" and a["published_at_conflict"] is False
    # B's latest scrape is B2; its microformat gives the instant.
    assert (b["view_count"], b["scrapes"], b["published_at"], b["published_at_precision"]) == (
        1_859_264, 4, datetime(2018, 8, 2, 13, 0, 8, tzinfo=UTC), "exact")


@pytest.mark.parametrize("engine", [_polars, _duckdb])
def test_video_history(lake_dir, engine):
    videos = sorted((v for v in _table(lake_dir, "videos") if v["video_id"]),
                    key=lambda v: (v["video_id"], v["scraped_at"], v["page_id"]))
    columns = ["video_id", "scraped_at", "view_count", "comment_count", "like_count", "page_id"]
    got = engine(lake_dir, "video_history")
    assert got == [{c: v[c] for c in columns} for v in videos]
    assert [r["view_count"] for r in got if r["video_id"] == A] == [10_936, 11_208, 11_391]
    assert [r["view_count"] for r in got if r["video_id"] == B] == [1_856_109, None, None, 1_859_264]


@pytest.mark.parametrize("engine", [_polars, _duckdb])
def test_comments_unique(lake_dir, engine):
    scraped = {v["page_id"]: v["scraped_at"] for v in _table(lake_dir, "videos")}
    comments = [{**c, "scraped_at": scraped[c["page_id"]]} for c in _table(lake_dir, "comments")]

    def newest(c: dict) -> tuple:
        return (*_newest(c), c["position"])

    expected = {}
    for cid in {c["comment_id"] for c in comments}:
        rows = sorted((c for c in comments if c["comment_id"] == cid), key=newest)
        latest = {k: v for k, v in rows[0].items() if k != "scraped_at"}
        likes = [r["like_count"] for r in rows if r["like_count"] is not None]
        expected[cid] = {**latest, **_narrow(rows, newest), "like_count": likes[0] if likes else None,
                         "first_seen": min(r["scraped_at"] for r in rows),
                         "last_seen": max(r["scraped_at"] for r in rows),
                         "scrapes": len({r["page_id"] for r in rows})}
    got = engine(lake_dir, "comments_unique")
    _same(got, expected, "comment_id")
    assert len(got) == 38 + 3  # A: 37 and the new one; B: two threads and a reply
    by_text = {r["text"]: r for r in got}
    # "2 weeks ago" on A1, "3 weeks ago" on A2 nine days later: [A2 - 4 weeks, A1 - 2 weeks], 5 days.
    new = by_text[NEW_COMMENT]
    assert (new["published_at_earliest"], new["published_at_latest"]) == (
        T2 - timedelta(weeks=4), T1 - timedelta(weeks=2))
    assert new["published_at_latest"] - new["published_at_earliest"] == timedelta(days=5)
    assert (new["first_seen"], new["last_seen"], new["scrapes"], new["published_at_precision"]) == (T1, T2, 2, "week")
    gone = next(r for r in got if r["author"] == GONE)
    assert (gone["first_seen"], gone["last_seen"], gone["scrapes"]) == (T0, T1, 2)
    edited = _by(got, "comment_id")["UgxAAAAAAAAAAAAAAAA4AaABAg"]
    assert (edited["text"], edited["like_count"], edited["scrapes"]) == (EDITED, 1300, 2)


@pytest.mark.parametrize("engine", [_polars, _duckdb])
def test_citations(lake_dir, engine):
    videos = _table(lake_dir, "videos")
    scraped = {v["page_id"]: v["scraped_at"] for v in videos}
    published = {r["video_id"]: r["published_at"] for r in _duckdb(lake_dir, "videos_latest")}
    links = sorted(({**lk, "scraped_at": scraped[lk["page_id"]]} for lk in _table(lake_dir, "links")
                    if lk["origin"] == "description" and lk["citation_key"] and lk["video_id"]),
                   key=lambda lk: (lk["scraped_at"], lk["page_id"], lk["position"]))
    expected = {}
    for key in {lk["citation_key"] for lk in links}:
        rows = [lk for lk in links if lk["citation_key"] == key]
        episodes = sorted({lk["video_id"] for lk in rows})
        times = [published[v] for v in episodes if published.get(v)]
        expected[key] = {"kind": rows[0]["kind"], "url": rows[0]["canonical_url"],
                         "label": next((lk["label"] for lk in rows if lk["label"]), None),
                         "episodes": episodes, "episode_count": len(episodes),
                         "first_cited_at": min(times) if times else None,
                         "first_seen": rows[0]["scraped_at"]}
    got = engine(lake_dir, "citations")
    _same(got, expected, "citation_key")
    # The story: six arXiv papers in A's description, one of them cited by B's edited description too.
    assert sorted(r["citation_key"] for r in got) == sorted(
        f"arxiv:{i}" for i in ("1905.10501", "2101.06223", "1912.01412", "2002.09398", "2102.13019", "1310.6343"))
    top = got[0]
    assert (top["citation_key"], top["episodes"], top["episode_count"], top["first_seen"]) == (
        "arxiv:1912.01412", [B, A] if B < A else [A, B], 2, T0)
    assert top["first_cited_at"] == datetime(2018, 8, 2, 13, 0, 8, tzinfo=UTC)  # B's publish instant
    assert top["label"] == "DEEP LEARNING FOR SYMBOLIC MATHEMATICS [Lample]"


@pytest.mark.parametrize("name", ["videos", "chapters", "links", "comments", "related_videos", "rejects"])
def test_tables_are_the_same_in_both_engines(lake_dir, name):
    polars_rows, duckdb_rows = _polars(lake_dir, name), _duckdb(lake_dir, name)
    key = lambda r: (r.get("page_id") or "", r.get("position") or 0, r.get("source_path") or "")  # noqa: E731
    assert sorted(polars_rows, key=key) == sorted(duckdb_rows, key=key)
    assert len(polars_rows) == (len(_table(lake_dir, name)) if (lake_dir / name).exists() else 0)


# --- the database file ---------------------------------------------------------------------------

def test_the_database_works_after_the_folder_is_moved(lake_dir, tmp_path, monkeypatch):
    """The views name their files relative to the curated folder: a moved folder works from
    inside it, or with file_search_path; from elsewhere without it DuckDB finds no files."""
    moved = tmp_path / "elsewhere" / "lake"
    shutil.copytree(lake_dir, moved)
    expected = len(_duckdb(lake_dir, "comments_unique"))
    assert len(_duckdb(moved, "comments_unique")) == expected  # connect() sets file_search_path

    monkeypatch.chdir(moved)  # what `cd curated && duckdb pageclean.duckdb` does
    con = duckdb.connect("pageclean.duckdb", read_only=True)
    assert con.sql("SELECT count(*) FROM comments_unique").fetchall() == [(expected,)]
    con.close()

    monkeypatch.chdir(tmp_path)
    con = duckdb.connect(str(moved / "pageclean.duckdb"), read_only=True)
    with pytest.raises(duckdb.IOException, match="No files found"):
        con.sql("SELECT count(*) FROM videos").fetchall()
    con.execute("SET file_search_path = 'elsewhere/lake'")  # relative to the working directory
    assert con.sql("SELECT count(*) FROM videos").fetchall() == [(7,)]
    con.close()


def test_views_over_a_lake_an_older_pageclean_wrote(tmp_path):
    """Files without the newer columns (schema version 1) still give every view, with nulls."""
    lake = tmp_path / "curated"
    shutil.copytree(FIXTURES / "lake-v1" / "curated", lake)
    assert main(["views", "--curated", str(lake)]) == 0
    for view in ("videos_latest", "video_history", "comments_unique", "citations", "videos"):
        polars_rows, duckdb_rows = _polars(lake, view), _duckdb(lake, view)
        key = lambda r: tuple(str(v) for v in r.values())  # noqa: E731
        assert sorted(polars_rows, key=key) == sorted(duckdb_rows, key=key), view
    videos = _duckdb(lake, "videos")
    assert all(v["published_at_earliest"] is None and v["published_at_precision"] is None for v in videos)
    assert len(_duckdb(lake, "videos_latest")) == len({v["video_id"] for v in videos if v["video_id"]})


def test_a_table_without_files_is_an_empty_view(tmp_path, capsys):
    lake = tmp_path / "curated"
    shutil.copytree(FIXTURES / "lake-v1" / "curated", lake)
    shutil.rmtree(lake / "related_videos")
    assert main(["views", "--curated", str(lake)]) == 0
    out = capsys.readouterr().out
    assert "related_videos has no files yet" in out
    assert "2 scrape(s) have no video_id" in out  # lake-v1's text dump and its 2024 comment page: no URL
    assert _duckdb(lake, "related_videos") == [] and _polars(lake, "related_videos") == []
    assert "published_at_latest" in pageclean.lake.open(lake)["related_videos"].collect_schema()


def test_views_command_errors_and_help(tmp_path, capsys):
    assert main(["views", "--curated", str(tmp_path / "missing")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["views", "--curated", "s3://bucket/curated"]) == 1
    assert "local folder" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["views", "--help"])
    help_text = capsys.readouterr().out
    for needed in ("file_search_path", "videos_latest", "comments_unique", "citations", "pageclean.lake.open"):
        assert needed in help_text


def test_docstring_examples(monkeypatch):
    """pageclean.lake's docstring examples run (from the repository's root, as they say)."""
    import doctest

    monkeypatch.chdir(Path(__file__).parent.parent)
    assert doctest.testmod(pageclean.lake).failed == 0
