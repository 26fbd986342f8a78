"""Text dumps in other UI languages and page generations: chrome stripped, counts and replies kept."""

from __future__ import annotations

from pageclean.formats.textdump import parse_textdump

# An English-UI dump of the newer layout: buttons in the header, a "...more" toggle, like counts
# and reply buttons under comments (strings as YouTube's English UI prints them).
EN_DUMP = "\n".join([
    "Episode 12: Formal reasoning",
    "Some Podcast",
    "Some Podcast",
    "106K subscribers",
    "Subscribe",
    "10,936 views",
    "3 years ago",
    "Guest interview about theorem provers.",
    "00:00 Intro",
    "04:10 Provers",
    "Show transcript",
    "...more",
    "37 Comments",
    "Sort by",
    "@alice",
    "@alice 2 years ago (edited)",
    "Great talk!",
    "Second line of the comment.",
    "1.2K",
    "Reply",
    "3 replies",
    "@bob",
    "@bob 1 day ago",
    "Thanks",
    "Reply",
    "Next episode",
    "1:02:03",
    "Some Podcast",
    "22K views",
])


def test_english_layout_with_chrome():
    """Header buttons, description toggles, like counters and reply buttons never reach content."""
    page = parse_textdump(EN_DUMP)
    assert page.ui_language == "en"
    assert page.channel == "Some Podcast"
    assert page.view_count == 10936
    assert page.published_age_seconds == 3 * 365 * 86400
    assert page.description == "Guest interview about theorem provers.\n00:00 Intro\n04:10 Provers"
    assert [c.start_seconds for c in page.chapters] == [0, 250]
    assert page.comment_count == 37
    alice, bob = page.comments
    assert alice.text == "Great talk!\nSecond line of the comment."
    assert (alice.like_count, alice.reply_count, alice.edited) == (1200, 3, True)
    assert bob.text == "Thanks"  # a one-line comment that reads like a button is still the comment
    assert [(r.title, r.duration_seconds, r.channel, r.view_count) for r in page.related] == [
        ("Next episode", 3723, "Some Podcast", 22000)]
    assert "10,936 views" in page.page_text_en and "37 Comments" in page.page_text_en


# The 2023+ desktop layout: buttons between channel and the description box, whose first line
# holds views, age and hashtags together.
EN_2023 = "\n".join([
    "Episode 12: Formal reasoning",
    "Some Podcast",
    "106K subscribers",
    "Subscribe",
    "1.2K",
    "Share",
    "Download",
    "Clip",
    "Save",
    "10,936 views  3 years ago  #podcast #ai",
    "Guest interview about theorem provers.",
    "...more",
    "37 Comments",
])


def test_views_line_with_hashtags_after_buttons():
    """Views and age are read from the description box's first line, past the buttons and hashtags."""
    page = parse_textdump(EN_2023)
    assert page.channel == "Some Podcast"
    assert page.view_count == 10936
    assert page.published_age_seconds == 3 * 365 * 86400
    assert page.published_text == "3 years ago"
    assert page.description == "#podcast #ai\nGuest interview about theorem provers."  # nothing lost


# A sidebar whose entries start with the thumbnail's duration, with views and age on one line.
DURATION_FIRST = "\n".join([
    "Talk title",
    "10,936 views",
    "Chan",
    "Chan",
    "3 years ago",
    "A description.",
    "2 Comments",
    "@a",
    "@a 1 year ago",
    "first",
    "@b",
    "@b 2 days ago",
    "second",
    "1:36:22",
    "Next talk",
    "Chan",
    "22K views • 3 years ago",
    "0:36",
    "Short clip",
    "Other Chan",
    "25M views • 1 month ago",
])


def test_related_with_duration_first():
    """Duration-first sidebar entries keep titles, channels, views and ages; comments end before them."""
    page = parse_textdump(DURATION_FIRST)
    assert [c.text for c in page.comments] == ["first", "second"]
    assert [(r.title, r.duration_seconds, r.channel, r.view_count, r.published_text) for r in page.related] == [
        ("Next talk", 5782, "Chan", 22_000, "3 years ago"),
        ("Short clip", 36, "Other Chan", 25_000_000, "1 month ago"),
    ]
