"""Derived times carry their precision and a window that always holds the true time.

The property test models YouTube from outside pageclean: a true publish time and a scrape time give
an age, which YouTube floors to the largest unit that fits (with plausible lengths and thresholds for
a month and a year), renders in a UI language with the real strings of tests/cases/ui_strings/
(another number of the same CLDR plural category put in place of the case's own, as YouTube's ICU
messages do) or, where no real string exists, with CLDR's pattern (Babel); pageclean parses the text
and the true time must lie in [earliest, latest]. Shown dates are rendered with CLDR's formats in a
random viewer time zone.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date, format_timedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pageclean.chronology import PRECISIONS, age_time, page_date_time, page_times
from pageclean.localize import parse_date, parse_relative_age, supported_languages
from pageclean.localize.catalog import _BABEL_ID
from pageclean.model import Comment, ParsedPage, RelatedVideo
from pageclean.pipeline import PageMeta, process_page

CASES = Path(__file__).parent / "cases" / "ui_strings"
FIXTURES = Path(__file__).parent / "fixtures"
DAY = timedelta(days=1)
UNITS = ("second", "minute", "hour", "day", "week", "month", "year")
# Babel's format_timedelta unit lengths, to ask it for exactly n of a unit.
BABEL_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400,
                 "month": 30 * 86400, "year": 365 * 86400}  # fmt: skip


def babel_locale(code: str) -> Locale:
    return Locale.parse(_BABEL_ID.get(code, code.replace("-", "_")))


def _real_strings() -> dict[str, list[dict]]:
    """hl -> the age cases people read off real YouTube strings (readable ones only)."""
    out: dict[str, list[dict]] = {}
    for path in sorted(CASES.glob("*.ages.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out[data["language"]] = [c for c in data["cases"]
                                 if c["kind"] == "age" and c["n"] is not None and not c.get("xfail")]
    return out


REAL = _real_strings()
LANGUAGES = supported_languages()


# --- YouTube, modelled ------------------------------------------------------------------------

def _whole_months(start: datetime, end: datetime) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - ((end.day, end.time()) < (start.day, start.time()))


def _whole_years(start: datetime, end: datetime) -> int:
    years = end.year - start.year
    return years - ((end.month, end.day, end.time()) < (start.month, start.day, start.time()))


def youtube_age(published: datetime, scraped: datetime, month: int | None, year: int | None,
                month_from: int, year_from: int) -> tuple[int, str]:
    """(n, unit) as YouTube shows the age: floored to the largest unit that fits. A month is
    ``month`` days or, with None, a calendar month; a year likewise; the unit switches to months
    after ``month_from`` days and to years after ``year_from`` days (never fewer than one)."""
    age = scraped - published
    seconds = int(age.total_seconds())
    if seconds < 60:
        return seconds, "second"
    if seconds < 3600:
        return seconds // 60, "minute"
    if seconds < 86400:
        return seconds // 3600, "hour"
    days = age / DAY
    if days >= year_from:
        return max(1, _whole_years(published, scraped) if year is None else int(days // year)), "year"
    if days >= month_from:
        return max(1, _whole_months(published, scraped) if month is None else int(days // month)), "month"
    if days >= 7:
        return int(days // 7), "week"
    return int(days), "day"


def _put_number(text: str, old: int, new: int) -> str | None:
    """The text with its number ``old`` replaced by ``new``, in the same digits (Latin, Bengali...)."""
    for m in re.finditer(r"\d+", text):
        if int(m.group()) == old:
            zero = ord(m.group()[0]) - unicodedata.digit(m.group()[0])
            digits = "".join(chr(zero + int(d)) for d in str(new))
            return text[: m.start()] + digits + text[m.end():]
    return None


def renderings(language: str, unit: str, n: int) -> list[str]:
    """What YouTube prints for "n units ago" in the language: its real strings for n, or for
    another number of n's plural category with n put in; else CLDR's pattern."""
    plural = babel_locale(language).plural_form
    exact = [c["text"] for c in REAL.get(language, []) if c["unit"] == unit and c["n"] == n]
    if exact:
        return exact
    same = [_put_number(c["text"], c["n"], n) for c in REAL.get(language, [])
            if c["unit"] == unit and plural(c["n"]) == plural(n)]
    same = [t for t in same if t]
    if same:
        return same
    seconds = -n * BABEL_SECONDS[unit]
    return [format_timedelta(timedelta(seconds=seconds), threshold=1, add_direction=True,
                             locale=babel_locale(language))]


# The true age, drawn per unit so that every unit is shown often.
AGE_RANGES = {
    "second": (timedelta(seconds=1), timedelta(seconds=59)),
    "minute": (timedelta(minutes=1), timedelta(minutes=59, seconds=59)),
    "hour": (timedelta(hours=1), timedelta(hours=23, minutes=59)),
    "day": (DAY, timedelta(days=7)),
    "week": (timedelta(days=7), timedelta(days=35)),
    "month": (timedelta(days=27), timedelta(days=400)),
    "year": (timedelta(days=360), timedelta(days=20 * 366)),
}
SCRAPES = st.datetimes(min_value=datetime(2012, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC))


@st.composite
def shown_ages(draw):
    """(language, text, true publish time, scrape time) as YouTube would show it."""
    language = draw(st.sampled_from(LANGUAGES))
    low, high = AGE_RANGES[draw(st.sampled_from(UNITS))]
    age = timedelta(seconds=draw(st.integers(int(low.total_seconds()), int(high.total_seconds()))))
    scraped = draw(SCRAPES)
    published = scraped - age
    n, unit = youtube_age(published, scraped,
                          month=draw(st.sampled_from([None, 28, 29, 30, 31])),
                          year=draw(st.sampled_from([None, 365, 366])),
                          month_from=draw(st.integers(28, 31)), year_from=draw(st.integers(365, 366)))
    text = draw(st.sampled_from(renderings(language, unit, n)))
    return language, text, published, scraped, (n, unit)


def _page(language: str, text: str) -> ParsedPage:
    """A page showing the age three ways: the video's, a comment's and a related video's."""
    seconds = parse_relative_age(text, language)
    age = None if seconds is None else int(seconds.total_seconds())
    return ParsedPage(parser="test", ui_language=language, published_text=text, published_age_seconds=age,
                      comments=[Comment(author="@a", text="hi", published_text=text, published_age_seconds=age)],
                      related=[RelatedVideo(title="r", published_text=text)])


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shown_ages())
def test_the_true_time_is_inside_every_age_window(shown):
    """Over every unit and every UI language, a shown age's window holds the true publish time."""
    language, text, published, scraped, shown_as = shown
    times = page_times(_page(language, text), scraped)
    for what, t in [("video", times.video_time), ("comment", times.comment_times[0]),
                    ("related", times.related_times[0])]:
        assert t.at is not None, f"{text!r} ({language}, {shown_as}) was not read for the {what}"
        assert t.precision in PRECISIONS
        assert t.earliest <= published <= t.latest, (what, text, language, shown_as, t)


@settings(max_examples=300, deadline=None)
@given(shown_ages(), st.integers(0, 2 * 366 * 86400))
def test_an_mtime_keeps_the_latest_end_only(shown, delay):
    """A file's mtime comes at or after the scrape, by any amount: the window keeps its latest end,
    which still holds the true time, and has no earliest."""
    language, text, published, scraped, _ = shown
    times = page_times(_page(language, text), scraped + timedelta(seconds=delay), scrape_exact=False)
    for t in (times.video_time, times.comment_times[0], times.related_times[0]):
        assert t.earliest is None and published <= t.latest


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(LANGUAGES), st.sampled_from(["medium", "long"]),
       st.datetimes(min_value=datetime(2006, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)),
       st.integers(-12 * 4, 14 * 4))
def test_the_true_time_is_inside_a_shown_dates_window(language, style, published, quarter_hours):
    """A date shown on the page, in the viewer's time zone (UTC-12 to UTC+14), is a day whose
    window holds the true instant; a date the parser cannot read derives nothing."""
    shown = (published + timedelta(minutes=15 * quarter_hours)).date()
    text = format_date(shown, style, locale=babel_locale(language))
    read = parse_date(text, language)
    if read is None:
        return  # null over a guess: no time, no window
    t = page_date_time(datetime(read.year, read.month, read.day, tzinfo=UTC))
    assert t.precision == "day"
    assert t.earliest <= published <= t.latest, (text, language, t)


def test_the_model_shows_the_strings_the_issue_quotes():
    """The oracle itself: 3 years and some months is "3 years ago"; 16 days "2 weeks ago"."""
    scraped = datetime(2024, 5, 20, tzinfo=UTC)
    assert youtube_age(datetime(2021, 2, 1, tzinfo=UTC), scraped, None, None, 30, 365) == (3, "year")
    assert youtube_age(scraped - timedelta(days=16), scraped, None, None, 30, 365) == (2, "week")
    assert "3 жыл бұрын" in renderings("kk", "year", 3)


# --- the columns, on real pages ---------------------------------------------------------------

SCRAPED = datetime(2024, 5, 20, 12, tzinfo=UTC)


def _rows(path: str, source: str = "sidecar") -> dict:
    data = (FIXTURES / path).read_bytes()
    return process_page(data, PageMeta(path, len(data), SCRAPED, source), SCRAPED).rows


def test_a_shown_age_is_its_unit_with_the_window_it_allows():
    """'3 жыл бұрын' on the founding page: a year, 3 to 4 years (of 365 to 366 days) before the scrape."""
    comment = _rows("text/000_bc69be185f79b3dd.txt")["comments"][0]
    assert comment["published_text"] == "3 жыл бұрын"
    assert comment["published_at_precision"] == "year"
    assert comment["published_at_earliest"] == SCRAPED - 4 * 366 * DAY
    assert comment["published_at_latest"] == SCRAPED - 3 * 365 * DAY
    assert comment["published_at_earliest"] <= comment["published_at"] <= comment["published_at_latest"]


def test_an_mtime_scrape_leaves_the_earliest_end_open():
    comment = _rows("text/000_bc69be185f79b3dd.txt", "mtime")["comments"][0]
    assert comment["published_at_earliest"] is None
    assert comment["published_at_latest"] == SCRAPED - 3 * 365 * DAY


def test_a_null_time_has_no_window():
    """The founding page says the video is a day old but its comments are years old: all null."""
    video = _rows("text/000_bc69be185f79b3dd.txt")["videos"][0]
    assert [video[k] for k in ("published_at", "published_at_precision", "published_at_earliest",
                               "published_at_latest")] == [None] * 4


def test_a_shown_date_is_a_day_in_every_time_zone():
    """de-legacy-2017 shows 'Hochgeladen am 25.06.2011' (and datePublished 2011-06-25)."""
    video = _rows("html/de-legacy-2017.html")["videos"][0]
    assert video["published_at_precision"] == "day"
    assert video["published_at_earliest"] == datetime(2011, 6, 24, 10, tzinfo=UTC)  # 25th, 00:00 at UTC+14
    assert video["published_at_latest"] == datetime(2011, 6, 26, 12, tzinfo=UTC)  # 25th, 24:00 at UTC-12


def test_an_instant_the_page_gives_is_exact():
    """en-watch-full's microformat publishDate is 2018-08-02T06:00:08-07:00."""
    video = _rows("html/en-watch-full.html")["videos"][0]
    instant = datetime(2018, 8, 2, 13, 0, 8, tzinfo=UTC)
    assert [video[k] for k in ("published_at", "published_at_precision", "published_at_earliest",
                               "published_at_latest")] == [instant, "exact", instant, instant]


def test_related_videos_ages_are_times_too():
    """The sidebar's '6 years ago' (en-watch-full) is a year-precise time."""
    first = _rows("html/en-watch-full.html")["related_videos"][0]
    assert first["published_text"] == "6 years ago"
    assert first["published_at"] == SCRAPED - 6 * 365 * DAY
    assert (first["published_at_precision"], first["published_at_earliest"], first["published_at_latest"]) == (
        "year", SCRAPED - 7 * 366 * DAY, SCRAPED - 6 * 365 * DAY)


@pytest.mark.parametrize(("value", "precision"), [
    (datetime(2021, 4, 27, tzinfo=UTC), "day"), (datetime(2021, 4, 27, 5, 0, 11, tzinfo=UTC), "exact")])
def test_a_page_date_is_a_day_unless_it_has_a_time(value, precision):
    assert page_date_time(value).precision == precision


def test_age_time_keeps_the_point_estimate():
    """published_at is still scraped_at minus the shown age (30-day months, 365-day years)."""
    t = age_time(SCRAPED, 2 * 30 * 86400, 2, "month")
    assert t.at == SCRAPED - 60 * DAY and t.earliest == SCRAPED - 3 * 31 * DAY and t.latest == SCRAPED - 56 * DAY


def test_docstring_examples():
    import doctest

    import pageclean.chronology

    assert doctest.testmod(pageclean.chronology).failed == 0
