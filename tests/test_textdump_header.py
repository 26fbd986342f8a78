"""The header of a text dump: a label of any language is never the channel, views and a date on one
line are both read, and what the header window holds unread is a warning, never description.

Views labels are the real strings of shared/corpus/README.md (kept in tests/fixtures/README.md's
notes): "10,936 views", "7 744 083 просмотра", "18.567.581 Aufrufe"; the French "10 936 vues" and
the English date "Mar 3, 2021" are YouTube's fr/en forms of the same count and date.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pageclean.formats.textdump import parse_textdump
from pageclean.formats.textdump_lines import LABEL_SPLIT, label_parts

TAIL = ["Guest interview about theorem provers.", "00:00 Intro", "2 Comments", "@a", "@a 1 year ago", "first",
        "@b", "@b 2 years ago", "second", "Next talk", "1:36:22", "Chan", "22K views"]


@pytest.mark.parametrize("foreign", ["10 936 vues", "7 744 083 просмотра", "18.567.581 Aufrufe"])
@pytest.mark.parametrize("twice", [True, False], ids=["avatar+name", "name"])
def test_a_label_of_another_language_is_never_the_channel(foreign, twice):
    """On an English page a foreign views line before the channel is reported, not taken as channel."""
    channel = ["Some Podcast", "Some Podcast"] if twice else ["Some Podcast"]
    page = parse_textdump("\n".join(["Episode 12", foreign, *channel, "10,936 views", "3 years ago", *TAIL]))
    assert page.ui_language == "en"
    assert page.channel == "Some Podcast"
    assert page.view_count == 10936
    assert any(repr(foreign) in w and "another UI language" in w for w in page.warnings)
    assert foreign not in (page.description or "")


@pytest.mark.parametrize(("line", "views", "day", "shown"), [
    ("10,936 views  Mar 3, 2021", 10936, datetime(2021, 3, 3, tzinfo=UTC), "Mar 3, 2021"),
    ("10,936 views • Premiered Mar 3, 2021", 10936, datetime(2021, 3, 3, tzinfo=UTC), "Premiered Mar 3, 2021"),
    ("1,234,567 views  Dec 31, 2019  #podcast", 1234567, datetime(2019, 12, 31, tzinfo=UTC), "Dec 31, 2019"),
])
def test_views_and_date_on_one_line(line, views, day, shown):
    """The expanded description box's first line gives views and the publish date."""
    page = parse_textdump("\n".join([
        "Episode 12", "Some Podcast", "106K subscribers", "Subscribe", "1.2K", "Share", "Download", "Clip",
        "Thanks", "Save", line, *TAIL]))
    assert (page.view_count, page.published_date, page.published_text) == (views, day, shown)
    assert page.views_text == line.split("  ")[0].split(" • ")[0]
    assert page.channel == "Some Podcast"
    assert page.like_count == 1200  # the counter of the like button, right before "Share"
    assert page.description.endswith("Guest interview about theorem provers.\n00:00 Intro")
    assert not any(word in page.description for word in ("1.2K", "Share", "views"))
    assert not any("header" in w for w in page.warnings)


def test_unread_header_text_is_a_warning_not_description():
    """Lines of the header window the parser cannot read are reported and kept out of the description."""
    page = parse_textdump("\n".join([
        "Episode 12", "Some Podcast", "Members first", "106K subscribers", "Join",
        "10,936 views  3 years ago  Sponsored", *TAIL]))
    assert page.view_count == 10936 and page.published_text == "3 years ago"
    assert page.description == "Guest interview about theorem provers.\n00:00 Intro"
    [warning] = [w for w in page.warnings if "header" in w]
    assert "'Members first'" in warning and "'Sponsored'" in warning


def test_unread_header_warning_masks_handles():
    """A handle in an unread header line does not reach the warnings."""
    page = parse_textdump("\n".join(["Episode 12", "Some Podcast", "Some Podcast", "with @guest_handle",
                                     "10,936 views", "3 years ago", *TAIL]))
    assert page.channel == "Some Podcast"
    assert any("'with @…'" in w for w in page.warnings)
    assert not any("guest_handle" in w for w in page.warnings)


@pytest.mark.parametrize("last", ["Thanks", "Subscribe", "Show less"])
def test_description_ending_with_a_button_label_keeps_it(last):
    """A description whose last line equals a button label keeps it, with a warning saying so."""
    page = parse_textdump("\n".join(["Episode 12", "10,936 views", "Some Podcast", "Some Podcast",
                                     "3 years ago", "Thanks for watching.", "See you next week.", last, *TAIL[2:]]))
    assert page.description == f"Thanks for watching.\nSee you next week.\n{last}"
    assert any(f"the description ends with {last!r}" in w for w in page.warnings)


@pytest.mark.parametrize("buttons", [["...more"], ["Show transcript", "...more"], ["Show transcript", "Show less"]])
def test_description_buttons_are_stripped_where_the_layout_puts_them(buttons):
    """The expander ("...more") and a run of buttons after the text are the description box's."""
    page = parse_textdump("\n".join(["Episode 12", "10,936 views", "Some Podcast", "Some Podcast",
                                     "3 years ago", "Thanks for watching.", *buttons, *TAIL[2:]]))
    assert page.description == "Thanks for watching."
    assert not any("description" in w for w in page.warnings)


def test_description_starting_with_a_button_label_keeps_it():
    """After the age line no button sits: a first line "Thanks" is the description's."""
    page = parse_textdump("\n".join(["Episode 12", "10,936 views", "Some Podcast", "Some Podcast",
                                     "3 years ago", "Thanks", "to our sponsor.", *TAIL[2:]]))
    assert page.description == "Thanks\nto our sponsor."


def test_subscribe_button_beside_the_subscriber_count_is_stripped():
    """The 2020 layout: channel, subscriber count, then its SUBSCRIBE button, then the description."""
    page = parse_textdump("\n".join(["Episode 12", "10,936 views • Mar 3, 2021", "Some Podcast",
                                     "106K subscribers", "SUBSCRIBE", "Thanks for watching.", *TAIL[2:]]))
    assert page.description == "Thanks for watching."
    assert page.channel == "Some Podcast"
    assert not any("description" in w for w in page.warnings)


# Views labels seen on real pages (shared/corpus/README.md, as in test_textdump_languages.py) and
# the same date in each language's CLDR medium form, rendered by Babel (independent of pageclean).
REAL_VIEWS = {
    "en": "10,936 views", "ru": "10 936 просмотров", "uk": "10 936 переглядів", "de": "10.936 Aufrufe",
    "ja": "10,936 回視聴", "ko": "조회수 10,936회", "vi": "10.936 lượt xem", "tr": "10.936 görüntüleme",
    "id": "10.936 x ditonton", "es": "10.936 visualizaciones", "hi": "10,936 बार देखा गया",
}


@pytest.mark.parametrize("code", list(REAL_VIEWS))
def test_views_and_date_on_one_line_in_every_language(code):
    """The views-and-date line is read in the page's own language, not only in English."""
    from babel.dates import format_date

    shown = format_date(datetime(2021, 3, 3), "medium", locale=code)
    page = parse_textdump("\n".join(["Episode 12", "Some Podcast", f"{REAL_VIEWS[code]}  {shown}", *TAIL[:2]]))
    assert (page.view_count, page.published_date) == (10936, datetime(2021, 3, 3, tzinfo=UTC))
    assert page.description == "Guest interview about theorem provers.\n00:00 Intro"


def test_unlabelled_header_says_why_a_count_or_age_is_null() -> None:
    """Read by position (no label known), an unknown word beside the number gives null and the
    warning names the word: never the bare number (issue 10 item 1)."""
    page = parse_textdump("Title\n\n10 zillion blorps\n\nMy Channel\n\nMy Channel\n\nseveral blorps ago\n\nText\n")
    assert page.view_count is None and page.published_age_seconds is None
    assert any("'zillion'" in w for w in page.warnings)
    assert any("'several'" in w for w in page.warnings)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1 \t\u00a0\u2003•·|#")), max_size=24))
def test_label_parts_skips_the_split_only_where_it_finds_nothing(text):
    """``label_parts`` does not split a line with no separator; whatever the line, its parts are
    the split's (empty parts and hashtags left out)."""
    assert label_parts(text) == [p for p in LABEL_SPLIT.split(text) if p and not p.startswith("#")]
