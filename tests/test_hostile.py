"""Untrusted raw folders: every hostile file ends as exactly one videos or rejects row, nothing escapes curated/."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest

from flows.curate import curate
from pageclean.errors import REASONS
from pageclean.io import curated as store
from pageclean.pipeline import PageMeta, process_page, valid_text
from pageclean.schema import TABLES

FIXTURES = Path(__file__).parent / "fixtures"
FOUNDING = (FIXTURES / "text" / "000_bc69be185f79b3dd.txt").read_bytes()
WATCH_HTML = (FIXTURES / "html" / "en-watch-full.html").read_bytes()
NEXT_JSON = (FIXTURES / "json" / "next-ru-lockup.json").read_bytes()
DEPTH = 200_000
HUGE_BYTES = 65 * 1024 * 1024
MAX_BYTES = 32 * 1024 * 1024
SIDECAR = {"url": "https://www.youtube.com/watch?v=0LVQhh0Z0Ws", "scraped_at": "2024-05-20T10:00:00+02:00"}


def _scrape(n: int) -> bytes:
    """The founding page scraped at another moment: the views differ, so the bytes do."""
    return FOUNDING.replace(b"10,936", f"{10_936 + n:,}".encode())


# Every way a scheme can hide in an href; only the last one is a link.
HOSTILE_HREFS = [
    "javascript:alert(1)", "&#106;avascript:alert(2)", "JaVaScRiPt:alert(3)", "java\tscript:alert(4)",
    "java&#x200b;script:alert(5)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
    " javascript:alert(6)", "&#x6A;&#x61;&#x76;&#x61;script:alert(7)", "//[",
    "https://www.youtube.com/redirect?q=javascript%3Aalert(8)", "https://example.org/ok",
]
LEGACY_XSS = (
    '<html><head><title>t</title></head><body><div id="watch7-content">'
    '<h1 id="eow-title" title="Hostile links">Hostile links</h1><div id="eow-description">Links:<br>'
    + "<br>".join(f'<a href="{h}">l{i}</a>' for i, h in enumerate(HOSTILE_HREFS))
    + "</div></div></body></html>"
).encode()
# JSON string escapes that spell a scheme (\x6a is "j"), in ytInitialData's description links;
# the player response's title is script-shaped text, and stays text.
_JSON_URLS = ["\\x6aavascript:alert(1)", "\\u006aavascript:alert(2)", "JAVASCRIPT:alert(3)",
              "java\\u200bscript:alert(4)", "data:text/html,x", "https://example.org/fine"]
_RUNS = ",".join(
    f'{{"startIndex":{i},"length":1,"onTap":{{"innertubeCommand":{{"urlEndpoint":{{"url":"{u}"}}}}}}}}'
    for i, u in enumerate(_JSON_URLS)
)
INITIAL_XSS = (
    '<html><body><script>var ytInitialData = {"contents":{"twoColumnWatchNextResults":{"results":{"results":'
    '{"contents":[{"videoPrimaryInfoRenderer":{"title":{"runs":[{"text":"Hostile JSON"}]}}},'
    '{"videoSecondaryInfoRenderer":{"attributedDescription":{"content":"abcdef","commandRuns":[' + _RUNS + "]}}}]}}}}};"
    '</script><script>var ytInitialPlayerResponse = {"videoDetails":{"videoId":"dQw4w9WgXcQ",'
    '"title":"</script><script>alert(1)</script>", "shortDescription":"__import__(\'os\').system(\'touch PWNED\')"}};'
    "</script></body></html>"
).encode()

# name -> (bytes, expected outcome): "video", "video:<warning or repair substring>", or a reject reason.
CASES: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty"),
    "blank.html": (b" \n\t\r\n  ", "empty"),
    "blank.json": (b"\n\n", "empty"),
    "photo.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
    "photo.html": (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(2000), "binary"),
    "nul-filled.txt": (b"\x00" * 4096, "binary"),
    "noise.html": (bytes(range(256)) * 16, "binary"),
    "nul-in-text.txt": (FOUNDING[:300] + b"\x00" + FOUNDING[300:], "video:removed NUL characters"),
    "invalid-utf8.txt": (FOUNDING[:500] + b"\xc3\x28\xff" + FOUNDING[500:], "video:invalid byte(s) replaced"),
    "truncated.html": (WATCH_HTML[: int(len(WATCH_HTML) * 0.9)], "video:the page ends inside ytInitialData"),
    "truncated-early.html": (WATCH_HTML[: len(WATCH_HTML) // 3], "not_a_watch_page"),
    "truncated.json": (NEXT_JSON[: len(NEXT_JSON) * 2 // 3], "video:ends inside"),
    "deep.html": (b'<html><body><h1 id="eow-title">Deep</h1>' + b"<div>" * DEPTH + b"x" + b"</div>" * DEPTH,
                  "video"),
    "deep-unclosed.html": (b"<html><body>" + b"<div>" * DEPTH, "not_a_watch_page"),
    "deep.json": (b"[" * DEPTH + b"]" * DEPTH, "too_deep"),
    "deep-object.json": (b'{"a":' * DEPTH + b"1" + b"}" * DEPTH, "too_deep"),
    "broken.json": (b'{"videoDetails": {"videoId": ', "bad_json"),
    "list.json": (b"[1, 2, 3]", "bad_json"),
    "string.json": (b'"hello"', "bad_json"),
    "null.json": (b"null", "bad_json"),
    "other-site.html": (b"<!doctype html><html><head><title>Cats</title></head><body>cats</body></html>",
                        "not_a_watch_page"),
    "consent.html": ((FIXTURES / "html" / "de-consent-wall.html").read_bytes(), "not_a_watch_page"),
    "not-innertube.json": (b'{"kind": "youtube#videoListResponse", "items": []}', "not_a_watch_page"),
    "notes.pdf": (b"%PDF-1.7", "unsupported_format"),
    "xss-links.html": (LEGACY_XSS, "video"),
    "xss-initialdata.html": (INITIAL_XSS, "video"),
    # names: spaces, scripts, quotes, newlines, #, %, leading dashes, nested folders (each its own
    # scrape, since the same bytes under two names are one page and a duplicate)
    "with space.txt": (_scrape(1), "video"),
    "кириллица 日本語 عربي.txt": (_scrape(2), "video"),
    "quote's \"double\".txt": (_scrape(3), "video"),
    "new\nline.txt": (_scrape(4), "video"),
    "hash#1 50%25 %s.txt": (_scrape(5), "video"),
    "-leading-dash.txt": (_scrape(6), "video"),
    "--help.txt": (_scrape(7), "video"),
    "a/b c/ü/d/e/nested.txt": (_scrape(8), "video"),
    "..dots...txt": (_scrape(9), "video"),
    # a name that is not UTF-8 (Latin-1 é): stored as "latin1-caf\\xe9.txt", never a failed batch
    os.fsdecode(b"latin1-caf\xe9.txt"): (_scrape(11), "video"),
}
# A sidecar whose scraped_at tries to name a folder is ignored (and said so), not followed.
SIDECARS = {
    "new\nline.txt": SIDECAR,
    "with space.txt": {"url": "https://youtu.be/0LVQhh0Z0Ws", "scraped_at": "2024-05-20/../../../escape"},
    "-leading-dash.txt": {"url": "http://[", "scraped_at": "2024-05-20T10:00:00Z"},
}
EXPECTED_FIXES: dict[str, str] = {}  # file name -> the fix a strict xfail waits for


def _tree(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``root`` (not following symlinks, not under ``skip``) with size and mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == skip:
            dirnames.clear()
            continue
        for name in dirnames + filenames:
            if Path(dirpath) / name == skip:
                continue
            st = (Path(dirpath) / name).lstat()
            out[str(Path(dirpath, name).relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def hostile_run(prefect_harness, tmp_path_factory):
    """Build the hostile raw folder, run the real flow once, then once more."""
    base = tmp_path_factory.mktemp("hostile")
    raw, curated, outside = base / "raw", base / "curated", base / "outside"
    raw.mkdir()
    outside.mkdir()
    for name, (data, _) in CASES.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    for name, sidecar in SIDECARS.items():
        (raw / (name + ".meta.json")).write_text(json.dumps(sidecar))
    with open(raw / "huge.html", "wb") as fh:  # real bytes, not a sparse file
        chunk = WATCH_HTML
        for _ in range(HUGE_BYTES // len(chunk) + 1):
            fh.write(chunk)
    (outside / "secret.txt").write_bytes(FOUNDING)
    (outside / "secret.txt.meta.json").write_text(json.dumps(SIDECAR))
    os.symlink(outside / "secret.txt", raw / "escape.txt")
    os.symlink("../../outside/secret.txt", raw / "a" / "relative-escape.txt")
    os.symlink(outside, raw / "escape-dir")
    os.symlink(raw / "with space.txt", raw / "inside-link.txt")
    (raw / "own-sidecar.txt").write_bytes(_scrape(100))
    os.symlink(outside / "secret.txt.meta.json", raw / "own-sidecar.txt.meta.json")
    os.symlink(outside / "gone.txt", raw / "dangling.txt")
    os.symlink("loop.txt", raw / "loop.txt")
    (raw / "lonely.html.meta.json").write_text("{}")

    before = _tree(base, curated)
    curated.mkdir()  # the run creates it; created here so the before/after trees compare everything else
    summary = curate(raw=str(raw), curated=str(curated), batch_size=16, max_bytes=MAX_BYTES)
    after = _tree(base, curated)
    counts = store.count_rows(curated)
    again = curate(raw=str(raw), curated=str(curated), batch_size=16, max_bytes=MAX_BYTES)
    read = {t: pl.read_parquet(curated / t / "**" / "*.parquet", hive_partitioning=True)
            for t in ("videos", "rejects", "links")}
    return {"raw": raw, "curated": curated, "summary": summary, "again": again, "before": before,
            "after": after, "counts": counts, "counts_again": store.count_rows(curated), **read}


def _rows_for(run: dict, name: str) -> tuple[list[dict], list[dict]]:
    name = valid_text(name)  # how a name that is not UTF-8 is stored
    videos = run["videos"].filter(pl.col("source_path") == name).to_dicts()
    rejects = run["rejects"].filter(pl.col("source_path") == name).to_dicts()
    return videos, rejects


def _case_params() -> list:
    def marks(name: str) -> list:
        return [pytest.mark.xfail(strict=True, reason=EXPECTED_FIXES[name])] if name in EXPECTED_FIXES else []

    return [pytest.param(name, expected, id=valid_text(name).replace("\n", "\\n"), marks=marks(name))
            for name, (_, expected) in CASES.items()]


@pytest.mark.parametrize(("name", "expected"), _case_params())
def test_each_hostile_file_is_one_row(hostile_run, name, expected):
    """The file is exactly one row: a video (with the expected warning/repair) or a reject with the expected reason."""
    videos, rejects = _rows_for(hostile_run, name)
    assert len(videos) + len(rejects) == 1, (videos, rejects)
    if expected.startswith("video"):
        assert videos, rejects
        note = expected.partition(":")[2]
        if note:
            assert any(note in text for text in videos[0]["warnings"] + videos[0]["encoding_repairs"]), videos[0]
    else:
        assert rejects, videos
        assert rejects[0]["reason"] == expected, rejects[0]


@pytest.mark.parametrize(("name", "reason"), [
    ("huge.html", "too_large"), ("escape.txt", "symlink_outside"), ("a/relative-escape.txt", "symlink_outside"),
    ("escape-dir", "symlink_outside"), ("dangling.txt", "unreadable"), ("loop.txt", "unreadable"),
    ("lonely.html.meta.json", "orphan_sidecar"),
])
def test_files_refused_before_reading(hostile_run, name, reason):
    """Oversized files, symlinks out of raw/, broken links and orphan sidecars are one reject each, never read."""
    videos, rejects = _rows_for(hostile_run, name)
    assert not videos and len(rejects) == 1
    assert rejects[0]["reason"] == reason
    assert rejects[0]["page_id"] is None  # never read, so never hashed


def test_every_file_is_accounted_for(hostile_run):
    """videos + rejects hold one row per raw file; every reject has a known reason and a sentence."""
    raw = hostile_run["raw"]
    listed = set()
    for dirpath, dirnames, filenames in os.walk(raw):
        for name in filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            rel = (Path(dirpath) / name).relative_to(raw).as_posix()
            if name.endswith(".meta.json") and (Path(dirpath) / name[: -len(".meta.json")]).exists():
                continue
            listed.add(valid_text(rel))
    rows = hostile_run["videos"]["source_path"].to_list() + hostile_run["rejects"]["source_path"].to_list()
    assert sorted(rows) == sorted(listed)
    assert hostile_run["summary"].report.pages == len(listed)
    for reject in hostile_run["rejects"].to_dicts():
        assert reject["reason"] in REASONS
        assert len(reject["detail"]) > 20 and reject["detail"][0].isupper(), reject


def test_symlinked_sidecar_outside_is_not_read(hostile_run):
    """A sidecar that is a symlink out of the raw folder is ignored, and the row says why."""
    videos, _ = _rows_for(hostile_run, "own-sidecar.txt")
    assert videos[0]["scraped_at_source"] == "mtime" and videos[0]["url"] is None
    assert any("outside the raw folder" in w for w in videos[0]["warnings"])
    inside, rejects = _rows_for(hostile_run, "inside-link.txt")
    assert not inside and rejects[0]["reason"] == "duplicate"  # a link inside the raw folder is read,
    assert "'with space.txt'" in rejects[0]["detail"]         # and its target's bytes are curated once


def test_odd_sidecars(hostile_run):
    """A sidecar beside an odd file name is read; a path-like scraped_at is refused, not used as a folder."""
    newline, _ = _rows_for(hostile_run, "new\nline.txt")
    assert newline[0]["scraped_at_source"] == "sidecar" and newline[0]["video_id"] == "0LVQhh0Z0Ws"
    spaced, _ = _rows_for(hostile_run, "with space.txt")
    assert spaced[0]["scraped_at_source"] == "mtime"
    assert any("sidecar ignored" in w for w in spaced[0]["warnings"])
    dash, _ = _rows_for(hostile_run, "-leading-dash.txt")
    assert dash[0]["url"] == "http://[" and dash[0]["video_id"] is None  # kept as given, names no video


def test_only_http_links_survive(hostile_run):
    """javascript:, data:, vbscript: and entity-encoded, mixed-case, spaced, zero-width, \\x6a forms are dropped."""
    links = hostile_run["links"]
    assert links["url"].str.contains(r"^https?://").all()
    assert not links["url"].str.to_lowercase().str.contains("script:|data:").any()
    by_page = dict(zip(hostile_run["videos"]["page_id"], hostile_run["videos"]["source_path"], strict=True))
    urls = {(by_page[p], u) for p, u in zip(links["page_id"], links["url"], strict=True)}
    assert {u for p, u in urls if p == "xss-links.html"} == {"https://example.org/ok"}
    assert {u for p, u in urls if p == "xss-initialdata.html"} == {"https://example.org/fine"}
    title = hostile_run["videos"].filter(pl.col("source_path") == "xss-initialdata.html")["title"][0]
    assert title == "</script><script>alert(1)</script>"  # script-shaped text stays text


def test_nothing_written_outside_curated(hostile_run):
    """The raw folder, the outside folder and the run's parent are byte-for-byte as before; no page ran code."""
    assert hostile_run["after"] == hostile_run["before"]
    assert not Path("PWNED").exists() and not (hostile_run["raw"] / "PWNED").exists()
    curated = hostile_run["curated"]
    for path in curated.rglob("*"):
        assert path.resolve().is_relative_to(curated.resolve())
        assert not path.is_symlink()


def test_rerun_adds_nothing(hostile_run):
    """A second run over the same hostile folder reads nothing new and adds no row."""
    assert hostile_run["counts_again"] == hostile_run["counts"]
    assert hostile_run["again"].report.accepted == 0 and not hostile_run["again"].report.rejected


def test_sidecar_date_out_of_range_does_not_stop_the_run(prefect_harness, tmp_path):
    """A sidecar scraped_at at the edge of datetime's range is ignored, like any bad sidecar."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.txt").write_bytes(FOUNDING)
    (raw / "page.txt.meta.json").write_text(json.dumps({"scraped_at": "0001-01-01T00:00:00+05:00"}))
    summary = curate(raw=str(raw), curated=str(tmp_path / "curated"))
    assert summary.report.accepted == 1


NOW = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)


def test_huge_numbers_in_a_text_dump_fit_the_tables():
    """Absurd counts and ages in a text dump become nulls, never rows the Parquet schemas refuse."""
    text = FOUNDING.decode("utf-8").replace("10,936", "9" * 25).replace("Күн бұрын", "99999999999 жыл бұрын")
    data = text.encode("utf-8")
    result = process_page(data, PageMeta("huge-numbers.txt", len(data), NOW, "mtime"), NOW)
    assert not result.rejected, result.rows["rejects"]
    for table, rows in result.rows.items():
        pa.Table.from_pylist(rows, schema=TABLES[table])
