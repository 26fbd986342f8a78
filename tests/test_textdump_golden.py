"""The founding example (Kazakh UI) comes out completely right: every value checked against tests/cases."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from pageclean.formats.textdump import parse_textdump
from pageclean.pipeline import PageMeta, process_page

SCRAPED_AT = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
URL = "https://www.youtube.com/watch?v=0LVQhh0Z0Ws"  # a made-up id in YouTube's format


@pytest.fixture(scope="module")
def rows(founding_bytes):
    meta = PageMeta("000_bc69be185f79b3dd.txt", len(founding_bytes), SCRAPED_AT, "sidecar", URL)
    result = process_page(founding_bytes, meta, now=SCRAPED_AT)
    assert not result.rejected, result.rows.get("rejects")
    return result.rows


def test_video_fields(rows, founding_gold):
    """Title, channel, counts, ages and language of the video row match the page."""
    video = rows["videos"][0]
    want = founding_gold["video"]
    for key in ("title", "channel", "view_count", "views_text", "published_text", "comment_count", "ui_language"):
        assert video[key] == want[key], key
    assert video["published_at"] == want["published_at"]
    assert video["video_id"] == "0LVQhh0Z0Ws"
    assert video["scraped_at_source"] == "sidecar"
    assert video["source_format"] == "textdump"
    assert video["encoding_repairs"] == []


def test_publish_time_conflict_is_the_only_warning(rows, founding_gold):
    """The video's age ("a day ago") is younger than its comments' ("3 years ago"): published_at is
    null and one warning quotes both ages; the complete dump raises nothing else (no cut-off)."""
    conflict = founding_gold["video"]["published_at_conflict"]
    [warning] = rows["videos"][0]["warnings"]
    assert repr(conflict["video_age"]) in warning
    assert f"comment {conflict['earliest_comment_position']}'s {conflict['earliest_comment_age']!r}" in warning
    assert "@" not in warning  # a warning names the comment by position, never its author


def test_video_age_is_still_read(founding_bytes, founding_gold):
    """The age line itself is read as shown ("Күн бұрын" is a day); only the derived time is dropped."""
    page = parse_textdump(founding_bytes.decode("utf-8"))
    assert page.published_age_seconds == founding_gold["video"]["published_age_days"] * 86400


def test_description_is_content_only(rows, founding_gold):
    """The description runs from the first content line to the last, with no UI label in it."""
    description = rows["videos"][0]["description"]
    lines = description.split("\n")
    want = founding_gold["video"]
    assert lines[0] == want["description_first_line"]
    assert lines[-1] == want["description_last_line"]
    assert len(lines) == want["description_lines"]
    for label in ("Рет қаралды", "Пікірлер", "Күн бұрын", "Machine Learning Street Talk\n"):
        assert label not in description


def test_all_chapters(rows, founding_gold):
    """All 27 chapters, titles and starts; each ends where the next starts."""
    got = rows["chapters"]
    want = founding_gold["chapters"]
    assert [(c["title"], c["start_seconds"]) for c in got] == [(c["title"], c["start_seconds"]) for c in want]
    assert [c["position"] for c in got] == list(range(27))
    for this, nxt in itertools.pairwise(got):
        assert this["end_seconds"] == nxt["start_seconds"]
    assert got[-1]["end_seconds"] is None  # the dump does not give the video's length


def test_all_links(rows, founding_gold):
    """All 18 links: absolute URL, domain, truncation and the reference line above as label."""
    got = [{k: lk[k] for k in ("url", "domain", "truncated", "label")} for lk in rows["links"]]
    assert got == founding_gold["links"]
    assert {lk["origin"] for lk in rows["links"]} == {"description"}


def test_all_comments(rows, founding_gold):
    """All 37 comments: authors, texts, ages and the @@things_leftunsaid reply."""
    got = rows["comments"]
    want = founding_gold["comments"]
    assert len(got) == len(want) == 37
    for g, w in zip(got, want, strict=True):
        assert (g["author"], g["text"], g["published_text"], g["reply_to"]) == (
            w["author"], w["text"], w["published_text"], w["reply_to"])
        assert g["published_at"] == SCRAPED_AT - timedelta(days=w["age_days"])
        assert g["like_count"] is None  # this dump shows no like counts
    assert len({c["comment_id"] for c in got}) == 37


def test_all_related_videos(rows, founding_gold):
    """All 14 related videos, with channel and views null where the sidebar shows none."""
    got = [{k: r[k] for k in ("title", "duration_seconds", "channel", "view_count")} for r in rows["related_videos"]]
    assert got == founding_gold["related_videos"]


def test_page_text_en_renders_labels_in_english(rows):
    """page_text_en carries the UI labels in English and the content as written."""
    text = rows["videos"][0]["page_text_en"]
    assert "10,936 views" in text
    assert "37 Comments" in text or "37 comments" in text
    assert "3 years ago" in text
    assert "Рет қаралды" not in text and "бұрын" not in text
    assert "Jürgen Schmidhuber [01:24:18]" in text  # content untouched
