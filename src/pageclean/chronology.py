"""When a page's shown ages and dates place things in time, and the order those times must keep.

YouTube prints an age rounded down to its unit ("3 years ago" is at least 3 years and fewer than
4; issue 9 item 8) and a date in the viewer's time zone. Each becomes a window of instants, from
the earliest to the latest the text allows. Months and years vary in length, so a window takes
the extremes (a month is 28 to 31 days, a year 365 to 366), never the parser's nominal 30/365.

Two readings conflict only when no instant of one window can come after the other's, with
``CONFLICT_TOLERANCE`` on top. A video cannot be published after its own comments and a reply
cannot be older than the comment it answers: on such a conflict one of the two readings is wrong
and nothing tells which, so the derived time is null and a warning names both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

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


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """The instants a shown age or date allows (both ends included)."""

    earliest: datetime
    latest: datetime
    precision: str  # the unit the age was shown in ("year"), or "day" for a date


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
    """The derived times of a page's video and comments, with the conflicts that nulled some."""

    video: datetime | None
    comments: list[datetime | None]
    warnings: list[str]


def _english(amount: int, unit: str) -> str:
    n = abs(amount)
    text = f"{n} {unit}{'' if n == 1 else 's'}"
    return f"in {text}" if amount < 0 else f"{text} ago"


def _age(text: str | None, seconds: int | None, scraped_at: datetime, language: str | None,
         ) -> tuple[TimeWindow, str] | None:
    found = shown_age(text, seconds, language)
    if found is None:
        return None
    amount, unit = found
    return age_window(scraped_at, amount, unit), f"{text!r} ({_english(amount, unit)})"


def page_times(page: ParsedPage, scraped_at: datetime) -> PageTimes:
    """published_at of the video and of each comment, nulled where the page contradicts itself.

    Related videos carry no derived time, and a sidebar video may be older or newer than the
    page's, so there is nothing to check there.
    """
    language = page.ui_language
    minus = [None if c.published_age_seconds is None else scraped_at - timedelta(seconds=c.published_age_seconds)
             for c in page.comments]
    comments: list[datetime | None] = list(minus)
    ages = [_age(c.published_text, c.published_age_seconds, scraped_at, language) for c in page.comments]
    warnings = _check_replies(page.comments, ages, comments)

    video: datetime | None
    shown: tuple[TimeWindow, str] | None
    if page.published_date is not None:
        video = page.published_date
        shown = date_window(video), f"{page.published_text or video.date().isoformat()!r}"
    else:
        video = None if page.published_age_seconds is None else \
            scraped_at - timedelta(seconds=page.published_age_seconds)
        shown = _age(page.published_text, page.published_age_seconds, scraped_at, language)
    # A scheduled video's comments come before its (future) publish time by design.
    if video is not None and shown is not None and shown[0].earliest <= scraped_at:
        dated = [(age[0].latest, i) for i, age in enumerate(ages) if age is not None and comments[i] is not None]
        if dated:
            _, first = min(dated)
            earliest_comment = ages[first]
            assert earliest_comment is not None
            if certainly_before(earliest_comment[0], shown[0]):
                video = None
                warnings.append(
                    f"the video's publish time {shown[1]} is after its comment {first}'s "
                    f"{earliest_comment[1]}: a video cannot be published after its comments, so "
                    "published_at is null")
    return PageTimes(video, comments, warnings)


def _check_replies(
    comments: list[Comment], ages: list[tuple[TimeWindow, str] | None], times: list[datetime | None]
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
        times[i] = times[parent] = None
        warnings.append(
            f"comment {i} answers comment {parent} but says {reply_age[1]} against {parent_age[1]}: a reply "
            "cannot be older than the comment it answers, so both published_at are null")
    return warnings
