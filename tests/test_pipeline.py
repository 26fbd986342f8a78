"""The pure core: any bytes give rows or one reject row; the same page in other encodings gives the same rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1251, to make real mojibake
import pytest

from pageclean.pipeline import PageMeta, parse_sidecar, process_page

NOW = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)

# A Russian-UI dump in the founding example's layout, built from the real ru strings of
# tests/fixtures/ui_strings_seen.md ("7 744 083 просмотра" with NBSP groups, "2 недели назад", "Год назад").
# No record of YouTube's Russian comments header was found, so its line ("Комментарии: 2") is one
# pageclean cannot read: the dump shows what a page with an unread header gives.
RU_DUMP = "\n".join([
    "Лекция 5. Нейронные сети",
    "",
    "\u00a0\u00a07\u00a0744\u00a0083 просмотра",
    "",
    "Канал Лекций",
    "",
    "Канал Лекций",
    "",
    "Год назад",  # as old as its oldest comment: a video is never younger than its comments
    "",
    "Конспект лекции. Слайды: example.org/slides/lecture5.pdf",
    "00:00 Введение",
    "05:10 Персептрон",
    "12:45 Обратное распространение",
    "",
    "Комментарии: 2",
    "@ivan_petrov",
    "@ivan_petrov Год назад",
    "Отличная лекция, спасибо!",
    "@maria",
    "@maria 2 недели назад",
    "@@ivan_petrov согласна",
    "Лекция 6. Свёрточные сети",
    "1:20:05",
    "Канал Лекций",
    "398 тыс. просмотров",
    "Лекция 4. Градиентный спуск",
    "58:12",
    "Канал Лекций",
    "7,7 млн просмотров",
    "",
])


def _meta(path: str, data: bytes, url: str | None = None) -> PageMeta:
    return PageMeta(path, len(data), NOW, "sidecar", url)


def _run(path: str, data: bytes, url: str | None = None):
    return process_page(data, _meta(path, data, url), NOW)


def _content(rows: dict) -> dict:
    """Rows without the fields that legitimately differ between encodings of one page."""
    video = {k: v for k, v in rows["videos"][0].items()
             if k not in ("page_id", "size_bytes", "source_encoding", "encoding_repairs")}
    strip = lambda table: [{k: v for k, v in r.items() if k != "page_id"} for r in rows[table]]  # noqa: E731
    return {"video": video, **{t: strip(t) for t in ("chapters", "links", "comments", "related_videos")}}


def test_russian_page_parses():
    """A Russian-UI dump gives counts, ages, chapters, the reply and compact related views; the
    comments header no catalog reads leaves the count null, says so, and stays out of the
    description."""
    rows = _run("ru.txt", RU_DUMP.encode("utf-8")).rows
    video = rows["videos"][0]
    assert video["ui_language"] == "ru"
    assert video["view_count"] == 7_744_083
    assert video["published_at"] == NOW - timedelta(days=365)
    assert video["comment_count"] is None
    assert any("comments header 'Комментарии: 2' not recognised" in w for w in video["warnings"])
    assert video["description"].endswith("12:45 Обратное распространение")
    assert video["channel"] == "Канал Лекций"
    assert [c["start_seconds"] for c in rows["chapters"]] == [0, 310, 765]
    replies = [(c["author"], c["reply_to"]) for c in rows["comments"]]
    assert replies == [("@ivan_petrov", None), ("@maria", "@ivan_petrov")]
    assert rows["comments"][0]["published_at"] == NOW - timedelta(days=365)
    related = [(r["view_count"], r["duration_seconds"]) for r in rows["related_videos"]]
    assert related == [(398_000, 4805), (7_700_000, 3492)]
    assert rows["links"][0]["url"] == "https://example.org/slides/lecture5.pdf"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-16", "utf-8-sig"])
def test_same_page_in_other_encodings_gives_same_rows(encoding):
    """windows-1251, KOI8-R, UTF-16 and a UTF-8 BOM give exactly the UTF-8 rows."""
    url = "https://www.youtube.com/watch?v=AAAAAAAAAAA"  # comment ids are scoped by video
    base = _content(_run("ru.txt", RU_DUMP.encode("utf-8"), url).rows)
    other = _run("ru.txt", RU_DUMP.encode(encoding), url).rows
    assert _content(other) == base
    assert other["videos"][0]["encoding_repairs"]  # and the row says what was done


def test_mojibake_page_gives_same_rows(founding_bytes):
    """The founding example saved as mojibake (UTF-8 read as windows-1251) gives the same rows."""
    url = "https://www.youtube.com/watch?v=AAAAAAAAAAA"
    base = _content(_run("p.txt", founding_bytes, url).rows)
    broken = founding_bytes.decode().encode("utf-8").decode("sloppy-windows-1251").encode("utf-8")
    rows = _run("p.txt", broken, url).rows
    assert _content(rows) == base
    assert any("windows-1251" in r for r in rows["videos"][0]["encoding_repairs"])


def test_video_id_comes_from_the_sidecar_url(founding_bytes):
    """The sidecar URL gives video_id to the video and to every child row."""
    rows = _run("p.txt", founding_bytes, "https://youtu.be/0LVQhh0Z0Ws").rows
    assert rows["videos"][0]["video_id"] == "0LVQhh0Z0Ws"
    assert {c["video_id"] for c in rows["comments"]} == {"0LVQhh0Z0Ws"}


@pytest.mark.parametrize(
    ("path", "data", "reason"),
    [
        ("notes.pdf", b"%PDF-1.7", "unsupported_format"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  ", "empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(300), "binary"),
        ("nul.txt", b"\x00" * 500, "binary"),
        ("image.html", b"\xff\xd8\xff\xe0" + bytes(300), "binary"),
    ],
)
def test_bad_input_is_one_reject_row(path, data, reason):
    """Each bad input ends as exactly one reject row with a reason code and a sentence."""
    result = _run(path, data)
    assert set(result.rows) == {"rejects"}
    (row,) = result.rows["rejects"]
    assert row["reason"] == reason
    assert row["source_path"] == path
    assert len(row["detail"]) > 20 and row["detail"][0].isupper()


def test_internal_error_is_a_reject_not_a_crash(monkeypatch, founding_bytes):
    """A bug in a parser becomes an internal_error reject; the batch goes on."""
    import pageclean.formats.textdump as textdump

    def boom(text):
        raise KeyError("surprise")

    monkeypatch.setattr(textdump, "parse_textdump", boom)
    (row,) = _run("p.txt", founding_bytes).rows["rejects"]
    assert row["reason"] == "internal_error" and "KeyError" in row["detail"]


def test_unknown_language_keeps_structure():
    """A dump whose labels no catalog knows still yields title, channel and comments by shape."""
    text = "\n".join(["Some title", "", "12345 qwzx", "", "Chan", "", "Chan", "", "zz qq", "",
                      "Description line", ""])
    rows = _run("x.txt", text.encode()).rows
    video = rows["videos"][0]
    assert video["title"] == "Some title"
    assert video["channel"] == "Chan"
    assert video["ui_language"] is None
    assert video["ui_language_evidence"]  # says why
    assert video["description"] == "Description line"


def test_sidecar_parsing():
    """scraped_at is read as UTC; a sidecar that is not an object is an error the caller reports."""
    _url, at = parse_sidecar(b'{"url": "https://www.youtube.com/watch?v=abc", "scraped_at": "2024-01-02T03:04:05Z"}')
    assert at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_sidecar(b"[1, 2]")
    with pytest.raises(ValueError):
        parse_sidecar(b'{"scraped_at": "yesterday"}')


def test_html_page_text_en_renders_german_labels_in_english():
    """A German 2017 page's page_text_en says '5,019 views', not '5.019 Aufrufe'; content is kept."""
    from pathlib import Path

    data = (Path(__file__).parent / "fixtures" / "html" / "de-legacy-2017.html").read_bytes()
    video = _run("de-legacy-2017.html", data).rows["videos"][0]
    assert video["ui_language"] == "de" and video["view_count"] == 5019
    text = video["page_text_en"]
    assert "5,019 views" in text and "Aufrufe" not in text
    assert video["title"] in text


JSON_FIXTURES = Path(__file__).parent / "fixtures" / "json"
HTML_FIXTURES = Path(__file__).parent / "fixtures" / "html"


def _process(path: Path, name: str, url: str | None = None):
    data = path.read_bytes()
    return process_page(data, PageMeta(name, len(data), NOW, "sidecar", url=url), NOW)


def test_unavailable_video_is_a_row_that_says_so():
    """A next response that only says the video is gone is a videos row with availability and reason."""
    result = _process(JSON_FIXTURES / "next-unavailable.json", "gone.json")
    video = result.rows["videos"][0]
    assert video["video_id"] == "dQw4w9WgXcQ"
    assert video["availability"] == "unavailable"
    assert video["availability_reason"] == "This video isn't available anymore"


def test_private_video_without_an_id_is_a_row_when_the_sidecar_names_it():
    """A private video's player response has no videoDetails: the sidecar URL gives the row its id."""
    result = _process(JSON_FIXTURES / "player-private.json", "p.json", url="https://www.youtube.com/watch?v=8VajtrESJzA")
    video = result.rows["videos"][0]
    assert (video["video_id"], video["availability"]) == ("8VajtrESJzA", "private")
    alone = _process(JSON_FIXTURES / "player-private.json", "p.json")
    assert alone.rows["rejects"][0]["reason"] == "no_content"
    assert "This video is private" in alone.rows["rejects"][0]["detail"]


def test_pbj_array_file_is_read_not_rejected():
    """A .json file holding m.youtube.com's pbj array gives a videos row (was bad_json)."""
    result = _process(JSON_FIXTURES / "mobile-pbj-watch-2021.json", "m.json")
    assert not result.rejected
    assert result.rows["videos"][0]["comment_count"] == 2700


@pytest.mark.parametrize(
    ("fixture", "source"),
    [("en-watch-full.html", "auto"), ("en-watch-chapters.html", "creator")],
)
def test_chapter_rows_say_where_the_chapters_came_from(fixture, source):
    """chapters.source: YouTube's automatic key moments (en-watch-full's auto-chapters panel) or the
    uploader's chapters (en-watch-chapters' DESCRIPTION_CHAPTERS player bar)."""
    rows = _process(HTML_FIXTURES / fixture, fixture).rows["chapters"]
    assert rows and {r["source"] for r in rows} == {source}


def test_text_dump_chapters_come_from_the_description():
    """A text dump's chapters are parsed from its description text."""
    data = RU_DUMP.encode("utf-8")
    rows = process_page(data, PageMeta("ru.txt", len(data), NOW, "sidecar"), NOW).rows["chapters"]
    assert [r["source"] for r in rows] == ["description"] * 3


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cyclic_gc_is_left_as_it_was_found(enabled):
    """HTML/JSON parsing pauses the cyclic GC; parsed, rejected or crashed, it is restored."""
    import gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        for name, data in (("a.json", b'{"videoDetails": {"videoId": "Ab3dEf6hIj0", "title": "t"}}'),
                           ("b.json", b"[1, 2]"), ("c.html", b"<html><body>no</body></html>"),
                           ("d.json", b"[" * 100_000 + b"]" * 100_000)):
            process_page(data, PageMeta(name, len(data), NOW, "mtime"), NOW)
            assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_lone_surrogates_from_json_escapes_become_replacement_characters():
    """A broken "\\ud800" escape in a page's JSON (valid JSON, no valid text) reaches no table as is:
    Parquet refuses such a string, and used to refuse the whole batch with it."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pageclean.schema import TABLES

    text = (JSON_FIXTURES / "next-ru-lockup.json").read_text(encoding="utf-8")
    at = text.index("http")
    broken = (text[:at] + "http://example.com/\\ud800x" + text[at + 4:]).encode()
    result = process_page(broken, PageMeta("p.json", len(broken), NOW, "mtime"), NOW)
    assert not result.rejected
    for table, rows in result.rows.items():
        if rows:
            pq.write_table(pa.Table.from_pylist(rows, schema=TABLES[table]), io.BytesIO())
    assert any("\ufffd" in link["url"] for link in result.rows["links"])
    assert any("surrogates" in w for w in result.rows["videos"][0]["warnings"])


def test_a_text_dump_keeps_no_lone_surrogate_in_any_row(founding_bytes, monkeypatch):
    """A text dump's lone surrogates (from a file name a filesystem could not decode, the sidecar,
    or a repair that left one in the text) are replaced, and every row writes to Parquet."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pageclean import pipeline
    from pageclean.decode import decode_and_repair
    from pageclean.schema import TABLES

    def leaves_one(data):
        decoded = decode_and_repair(data)
        at = decoded.text.index("\n", 2000)  # inside the description or the comments
        decoded.text = decoded.text[:at] + " \ud800" + decoded.text[at:]
        return decoded

    monkeypatch.setattr(pipeline, "decode_and_repair", leaves_one)
    meta = PageMeta("dump_\udcff.txt", len(founding_bytes), NOW, "sidecar",
                    url="https://www.youtube.com/watch?v=dQw4w9WgXcQ&x=\ud83d", notes=["odd \udc80 note"])
    result = process_page(founding_bytes, meta, NOW)
    assert not result.rejected
    for table, rows in result.rows.items():
        if rows:
            pq.write_table(pa.Table.from_pylist(rows, schema=TABLES[table]), io.BytesIO())
    video = result.rows["videos"][0]
    assert video["source_path"] == "dump_\\xff.txt"
    assert "lone surrogates replaced with U+FFFD" in video["encoding_repairs"]
