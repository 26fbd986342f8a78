"""When a page's shown ages and dates place things in time, and the order those times must keep.

YouTube prints an age rounded down to its unit ("3 years ago" is at least 3 years and fewer than
4; issue 9 item 8) and a date in the viewer's time zone. Each becomes a window of instants, from
the earliest to the latest the text allows. Months and years vary in length, so a window takes
the extremes (a month is 28 to 31 days, a year 365 to 366), never the parser's nominal 30/365.

Each derived time is stored as a point estimate (``published_at``: the page's date, or scraped_at
minus the shown age, as before) with its ``_precision`` and its window, ``_earliest`` and
``_latest`` (:class:`DerivedTime`). The precision vocabulary is :data:`PRECISIONS`.

A scrape time taken from the file's mtime (no sidecar) is only an upper bound: the file is written
after the page was fetched, and a copy or a checkout without its times makes the mtime later still,
by any amount. An age counted back from it keeps its ``_latest`` (the page cannot have been fetched
after its file was written) and loses its ``_earliest``, which is null: unbounded, not a guess. (A
scraper that backdates its files, as ``wget -N`` or ``curl -R`` do with a server's Last-Modified
time, breaks that bound; such scrapes need a sidecar.) A date shown on the page does not depend
on the scrape time and keeps both ends.

Two readings conflict only when no instant of one window can come after the other's, with
``CONFLICT_TOLERANCE`` on top. A video cannot be published after its own comments and a reply
cannot be older than the comment it answers: on such a conflict one of the two readings is wrong
and nothing tells which, so the derived time is null and a warning names both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from pageclean import localize
from pageclean.localize.catalog import UNIT_SECONDS, UNITS
from pageclean.model import Comment, ParsedPage

# The shortest and longest a unit can be: calendar months run 28 to 31 days, years 365 to 366.
UNIT_EXTREMES: dict[str, tuple[timedelta, timedelta]] = {
    "second": (timedelta(seconds=1), timedelta(seconds=1)),
    "minute": (timedelta(minutes=1), timedelta(minutes=1)),
    "hour": (timedelta(hours=1), timedelta(hours=1)),
    "day": (timedelta(days=1), timedelta(days=1)),
    "week": (timedelta(days=7), timedelta(days=7)),
    "month": (timedelta(days=28), timedelta(days=31)),
    "year": (timedelta(days=365), timedelta(days=366)),
}
# A date carries no time zone and zones run from UTC-12 to UTC+14; a page's date may also be an
# exact time whose source did not say so (microformat publishDate): the window covers both.
_DATE_BEFORE, _DATE_AFTER = timedelta(hours=14), timedelta(days=1, hours=12)
# Comments open on a premiere's or a scheduled stream's page before the time it later shows as
# published (hours to days ahead); the windows already cover rounding and unit lengths, so the
# tolerance only has to keep such pages out of a conflict.
CONFLICT_TOLERANCE = timedelta(days=7)
# What ``<name>_precision`` may say, finest first: ``exact`` is an instant the page gives in full
# (the player's microformat publishDate with its time and offset), ``day`` a calendar date shown on
# the page ("27.04.2021") or an age in days, and the other units the unit an age was shown in
# ("3 years ago" is ``year``).
PRECISIONS = ("exact", "second", "minute", "hour", "day", "week", "month", "year")


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """The instants a shown age or date allows (both ends included)."""

    earliest: datetime
    latest: datetime
    precision: str  # the unit the age was shown in ("year"), or "day" for a date


@dataclass(frozen=True, slots=True)
class DerivedTime:
    """A derived time as the tables store it: the point estimate, its precision and its window.

    ``earliest`` or ``latest`` is None where that side is unbounded (an age counted back from an
    mtime has no earliest); all four are None when there is no time.
    """

    at: datetime | None
    precision: str | None = None
    earliest: datetime | None = None
    latest: datetime | None = None


NO_TIME = DerivedTime(None)


def age_window(scraped_at: datetime, amount: int, unit: str) -> TimeWindow:
    """'amount units ago' as seen at scraped_at, rounded down by YouTube: at least ``amount``
    units old, fewer than ``amount + 1``. A future time ("Premieres in 2 hours", amount -2) is
    given one unit either way: how YouTube rounds those is not known.

    >>> from datetime import UTC
    >>> w = age_window(datetime(2024, 5, 20, tzinfo=UTC), 3, "year")
    >>> str(w.earliest.date()), str(w.latest.date()), w.precision
    ('2020-05-17', '2021-05-21', 'year')
    """
    shortest, longest = UNIT_EXTREMES[unit]
    if amount >= 0:
        return TimeWindow(scraped_at - (amount + 1) * longest, scraped_at - amount * shortest, unit)
    ahead = -amount
    return TimeWindow(scraped_at + max(ahead - 1, 0) * shortest, scraped_at + (ahead + 1) * longest, unit)


def date_window(value: datetime) -> TimeWindow:
    """A page's publish date (a calendar day at midnight UTC, or an exact time) as the instants
    it can stand for in any time zone."""
    return TimeWindow(value - _DATE_BEFORE, value + _DATE_AFTER, "day")


def page_date_time(value: datetime) -> DerivedTime:
    """A date the page gives. A value at midnight UTC is a calendar date (every parser stores a
    shown or date-only publish date so), whose window covers that day in every time zone; any other
    value is an instant the page gave with its time and offset, ``exact``. (An exact instant that
    falls on midnight UTC is read as a day: a wider window, still true.)

    >>> page_date_time(datetime(2021, 4, 27, tzinfo=UTC)).precision
    'day'
    >>> t = page_date_time(datetime(2018, 8, 2, 13, 0, 8, tzinfo=UTC)); t.precision, t.earliest == t.latest == t.at
    ('exact', True)
    """
    if value.astimezone(UTC).time() == time(0):
        window = date_window(value)
        return DerivedTime(value, "day", window.earliest, window.latest)
    return DerivedTime(value, "exact", value, value)


def age_time(scraped_at: datetime, age_seconds: int, amount: int, unit: str, scrape_exact: bool = True,
             ) -> DerivedTime:
    """scraped_at minus the shown age, with the window of "amount units ago"; the earliest end is
    unbounded (None) when scraped_at is only an upper bound (an mtime).

    >>> t = age_time(datetime(2024, 5, 20, tzinfo=UTC), 3 * 365 * 86400, 3, "year", scrape_exact=False)
    >>> str(t.at.date()), t.precision, t.earliest, str(t.latest.date())
    ('2021-05-21', 'year', None, '2021-05-21')
    """
    window = age_window(scraped_at, amount, unit)
    return DerivedTime(scraped_at - timedelta(seconds=age_seconds), unit,
                       window.earliest if scrape_exact else None, window.latest)


def text_age(text: str | None, language: str | None) -> tuple[int, int, str] | None:
    """(seconds, amount, unit) of an age label ("6 years ago", "Streamed 2 days ago"), or None.

    >>> text_age("6 years ago", "en")
    (189216000, 6, 'year')
    """
    if not text:
        return None
    try:
        label = localize.match_label(text, language, ("age",))
    except (ValueError, OverflowError):  # a language the catalogs do not know; an age past timedelta
        return None
    if label is None or label.unit not in UNIT_EXTREMES or not isinstance(label.value, timedelta):
        return None
    seconds = int(label.value.total_seconds())
    return seconds, seconds // UNIT_SECONDS[label.unit], label.unit


def shown_age(text: str | None, seconds: int | None, language: str | None) -> tuple[int, str] | None:
    """(amount, unit) of an age the page showed: the unit of its label where the catalogs read
    the text to the same value, else the largest unit that divides the seconds (a wider window
    than the real one, so it never makes a conflict that is not there).

    >>> shown_age("3 жыл бұрын", 3 * 365 * 86400, "kk"), shown_age(None, 14 * 86400, None)
    ((3, 'year'), (2, 'week'))
    """
    if seconds is None:
        return None
    if text:
        try:
            label = localize.match_label(text, language, ("age",))
        except ValueError:  # a language the catalogs do not know
            label = None
        if label is not None and label.unit in UNIT_EXTREMES and isinstance(label.value, timedelta) \
                and int(label.value.total_seconds()) == seconds:
            return seconds // UNIT_SECONDS[label.unit], label.unit
    for unit in reversed(UNITS):
        if seconds % UNIT_SECONDS[unit] == 0:
            return seconds // UNIT_SECONDS[unit], unit
    return None


def certainly_before(a: TimeWindow, b: TimeWindow, tolerance: timedelta = CONFLICT_TOLERANCE) -> bool:
    """True when every instant ``a`` allows is earlier than every instant ``b`` allows, by more
    than ``tolerance``."""
    return a.latest + tolerance < b.earliest


@dataclass(slots=True)
class PageTimes:
    """The derived times of a page's video, comments and related videos, with the conflicts that
    nulled some."""

    video_time: DerivedTime
    comment_times: list[DerivedTime]
    warnings: list[str]
    related_times: list[DerivedTime] = field(default_factory=list)

    @property
    def video(self) -> datetime | None:
        return self.video_time.at

    @property
    def comments(self) -> list[datetime | None]:
        return [t.at for t in self.comment_times]


def _english(amount: int, unit: str) -> str:
    n = abs(amount)
    text = f"{n} {unit}{'' if n == 1 else 's'}"
    return f"in {text}" if amount < 0 else f"{text} ago"


def _reading(text: str | None, seconds: int | None, scraped_at: datetime, language: str | None,
             scrape_exact: bool) -> tuple[DerivedTime, tuple[TimeWindow, str] | None]:
    """An age the page showed as (derived time, (window, description)), reading the label once."""
    found = shown_age(text, seconds, language)
    if found is None or seconds is None:  # shown_age is None without seconds
        return NO_TIME, None
    amount, unit = found
    return (age_time(scraped_at, seconds, amount, unit, scrape_exact=scrape_exact),
            (age_window(scraped_at, amount, unit), f"{text!r} ({_english(amount, unit)})"))


def page_times(page: ParsedPage, scraped_at: datetime, scrape_exact: bool = True) -> PageTimes:
    """published_at of the video, of each comment and of each related video, with precision and
    window, nulled where the page contradicts itself. ``scrape_exact`` is False when scraped_at is
    a file's mtime (an upper bound only: see the module's doc).

    A sidebar video may be older or newer than the page's, so related videos are not checked
    against anything.
    """
    language = page.ui_language
    # A page shows few distinct ages ("3 жыл бұрын" under most of the founding example's 37
    # comments: 3 distinct), and each reading is a pure function of the text and the seconds here;
    # DerivedTime and the windows are frozen, so one reading serves every comment that shows it.
    readings: dict[tuple[str | None, int | None], tuple[DerivedTime, tuple[TimeWindow, str] | None]] = {}
    comment_times: list[DerivedTime] = []
    ages: list[tuple[TimeWindow, str] | None] = []
    for c in page.comments:
        key = (c.published_text, c.published_age_seconds)
        reading = readings.get(key)
        if reading is None:
            reading = readings[key] = _reading(*key, scraped_at, language, scrape_exact)
        comment_times.append(reading[0])
        ages.append(reading[1])
    warnings = _check_replies(page.comments, ages, comment_times)

    video: DerivedTime
    shown: tuple[TimeWindow, str] | None
    if page.published_date is not None:
        video = page_date_time(page.published_date)
        shown = date_window(page.published_date), f"{page.published_text or page.published_date.date().isoformat()!r}"
    else:
        video, shown = _reading(page.published_text, page.published_age_seconds, scraped_at, language, scrape_exact)
    # A scheduled video's comments come before its (future) publish time by design.
    if video.at is not None and shown is not None and shown[0].earliest <= scraped_at:
        dated = [(age[0].latest, i) for i, age in enumerate(ages)
                 if age is not None and comment_times[i].at is not None]
        if dated:
            _, first = min(dated)
            earliest_comment = ages[first]
            assert earliest_comment is not None
            if certainly_before(earliest_comment[0], shown[0]):
                video = NO_TIME
                warnings.append(
                    f"the video's publish time {shown[1]} is after its comment {first}'s "
                    f"{earliest_comment[1]}: a video cannot be published after its comments, so "
                    "published_at is null")
    related_by_text: dict[str | None, DerivedTime] = {}
    related = []
    for r in page.related:
        time_of = related_by_text.get(r.published_text)
        if time_of is None:
            found = text_age(r.published_text, language)
            time_of = NO_TIME if found is None else age_time(scraped_at, *found, scrape_exact=scrape_exact)
            related_by_text[r.published_text] = time_of
        related.append(time_of)
    return PageTimes(video, comment_times, warnings, related)


def _check_replies(
    comments: list[Comment], ages: list[tuple[TimeWindow, str] | None], times: list[DerivedTime]
) -> list[str]:
    """Null both times where a reply is older than the comment it answers (by parent id)."""
    warnings = []
    position = {c.comment_id: i for i, c in enumerate(comments) if c.comment_id}
    for i, c in enumerate(comments):
        parent = position.get(c.parent_comment_id) if c.parent_comment_id else None
        if parent is None:
            continue
        reply_age, parent_age = ages[i], ages[parent]
        if reply_age is None or parent_age is None or not certainly_before(reply_age[0], parent_age[0]):
            continue
        times[i] = times[parent] = NO_TIME
        warnings.append(
            f"comment {i} answers comment {parent} but says {reply_age[1]} against {parent_age[1]}: a reply "
            "cannot be older than the comment it answers, so both published_at are null")
    return warnings
