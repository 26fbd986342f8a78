"""Shown ages as windows of time, and the order a page's times must keep: a video is not published
after its comments, a reply is not older than the comment it answers; a certain conflict nulls the
derived time with a warning, anything less certain leaves it alone.

Expected windows are worked out by hand from the calendar: YouTube rounds an age down ("3 years
ago" is 3 to 4 years, issue 9 item 8), a month is 28 to 31 days, a year 365 to 366.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pageclean.chronology import age_window, date_window, page_times, shown_age
from pageclean.localize import match_label
from pageclean.model import Comment, ParsedPage

SCRAPED = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
DAY = 86400


@pytest.mark.parametrize(("amount", "unit", "earliest", "latest"), [
    (3, "year", datetime(2020, 5, 17, 12, tzinfo=UTC), datetime(2021, 5, 21, 12, tzinfo=UTC)),  # 4x366, 3x365 days
    (1, "month", datetime(2024, 3, 19, 12, tzinfo=UTC), datetime(2024, 4, 22, 12, tzinfo=UTC)),  # 62, 28 days
    (2, "week", datetime(2024, 4, 29, 12, tzinfo=UTC), datetime(2024, 5, 6, 12, tzinfo=UTC)),
    (1, "day", datetime(2024, 5, 18, 12, tzinfo=UTC), datetime(2024, 5, 19, 12, tzinfo=UTC)),
    (0, "second", datetime(2024, 5, 20, 11, 59, 59, tzinfo=UTC), SCRAPED),
])
def test_age_window(amount, unit, earliest, latest):
    window = age_window(SCRAPED, amount, unit)
    assert (window.earliest, window.latest, window.precision) == (earliest, latest, unit)


def test_future_age_window_is_ahead():
    window = age_window(SCRAPED, -2, "hour")
    assert SCRAPED < window.earliest < window.latest == SCRAPED + timedelta(hours=3)


def test_date_window_covers_every_time_zone():
    window = date_window(datetime(2021, 3, 3, tzinfo=UTC))
    assert window.earliest == datetime(2021, 3, 2, 10, tzinfo=UTC)  # Mar 3, 00:00 at UTC+14
    assert window.latest == datetime(2021, 3, 4, 12, tzinfo=UTC)  # Mar 3, 24:00 at UTC-12


@pytest.mark.parametrize(("text", "language", "unit"), [
    ("3 жыл бұрын", "kk", "year"), ("Күн бұрын", "kk", "day"), ("Неделю назад", "ru", "week"),
    ("vor 1 Woche (bearbeitet)", "de", "week"), ("Streamed 2 days ago", "en", "day"),
])
def test_labels_carry_the_unit_they_were_shown_in(text, language, unit):
    assert match_label(text, language, ["age"]).unit == unit


def test_shown_age_uses_the_label_unit_else_the_widest():
    """The label's unit where the text reads to the same age; else the largest unit dividing it."""
    assert shown_age("7 days ago", 7 * DAY, "en") == (7, "day")
    assert shown_age(None, 7 * DAY, None) == (1, "week")  # wider than "7 days": never a false conflict
    assert shown_age("some text", 3 * 365 * DAY, "en") == (3, "year")
    assert shown_age("3 years ago", None, "en") is None


def _page(video_text: str | None, video_seconds: int | None, *ages: tuple[str, int], date=None) -> ParsedPage:
    comments = [Comment(author=f"@u{i}", text="t", published_text=t, published_age_seconds=s)
                for i, (t, s) in enumerate(ages)]
    return ParsedPage(parser="test", ui_language="en", published_text=video_text,
                      published_age_seconds=video_seconds, published_date=date, comments=comments)


@pytest.mark.parametrize(("video", "comments", "conflict"), [
    (("1 day ago", DAY), [("3 years ago", 3 * 365 * DAY)], True),
    (("1 week ago", 7 * DAY), [("1 day ago", DAY), ("2 months ago", 60 * DAY)], True),
    (("1 year ago", 365 * DAY), [("1 year ago", 365 * DAY)], False),
    (("11 months ago", 330 * DAY), [("1 year ago", 365 * DAY)], False),  # 11 months can be 341+ days
    (("3 weeks ago", 21 * DAY), [("1 month ago", 30 * DAY)], False),
    (("Streamed 2 days ago", 2 * DAY), [("5 days ago", 5 * DAY)], False),  # the stream's waiting room
    (("Premieres in 2 hours", -2 * 3600), [("3 days ago", 3 * DAY)], False),  # comments before a premiere
])
def test_video_after_its_comments(video, comments, conflict):
    times = page_times(_page(*video, *comments), SCRAPED)
    assert (times.video is None) is conflict
    assert times.comments == [SCRAPED - timedelta(seconds=s) for _, s in comments]
    assert bool(times.warnings) is conflict
    if conflict:
        [warning] = times.warnings
        oldest = max(range(len(comments)), key=lambda i: comments[i][1])
        assert repr(video[0]) in warning and f"comment {oldest}'s {comments[oldest][0]!r}" in warning


def test_page_date_after_its_comments():
    """An absolute date is checked as well, as the day it names in any time zone."""
    late = page_times(_page("May 19, 2024", None, ("3 years ago", 3 * 365 * DAY),
                            date=datetime(2024, 5, 19, tzinfo=UTC)), SCRAPED)
    assert late.video is None and "'May 19, 2024'" in late.warnings[0]
    fine = page_times(_page("Mar 3, 2021", None, ("3 years ago", 3 * 365 * DAY),
                            date=datetime(2021, 3, 3, tzinfo=UTC)), SCRAPED)
    assert fine.video == datetime(2021, 3, 3, tzinfo=UTC) and fine.warnings == []


def test_reply_older_than_its_parent():
    """A reply cannot be older than the comment it answers: both times are nulled, the rest kept."""
    page = _page("3 years ago", 3 * 365 * DAY, ("1 day ago", DAY), ("2 years ago", 2 * 365 * DAY),
                 ("2 hours ago", 7200))
    page.comments[0].comment_id = "parent"
    page.comments[1].comment_id, page.comments[1].parent_comment_id = "r1", "parent"
    page.comments[2].comment_id, page.comments[2].parent_comment_id = "r2", "parent"
    times = page_times(page, SCRAPED)
    assert times.comments == [None, None, SCRAPED - timedelta(hours=2)]
    assert times.video == SCRAPED - timedelta(days=3 * 365)
    [warning] = times.warnings
    assert "comment 1 answers comment 0" in warning and "'2 years ago'" in warning and "'1 day ago'" in warning


def test_comments_sharing_an_age_are_nulled_one_by_one():
    """Comments that show the same age share one reading (page_times reads each distinct age once),
    yet a conflict nulls only the comments in it: the others that show that age keep their time."""
    page = _page(None, None, ("1 day ago", DAY), ("2 years ago", 2 * 365 * DAY), ("1 day ago", DAY),
                 ("2 years ago", 2 * 365 * DAY))
    page.comments[0].comment_id = "parent"
    page.comments[1].comment_id, page.comments[1].parent_comment_id = "r1", "parent"
    times = page_times(page, SCRAPED)
    assert times.comments == [None, None, SCRAPED - timedelta(days=1), SCRAPED - timedelta(days=2 * 365)]
    assert [t.precision for t in times.comment_times] == [None, None, "day", "year"]
    assert len(times.warnings) == 1
