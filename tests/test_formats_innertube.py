"""Saved InnerTube JSON -> ParsedPage: next/player responses, both comment generations, rejects.

The fixtures in ``tests/fixtures/json/`` are small, hand-built in the shapes of real responses
(field names as yt-dlp's ``_extract_comment`` / ``_extract_comment_old`` read them); expected
values below are read off those files.
"""

from __future__ import annotations

import contextlib
import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pageclean.errors import RejectError
from pageclean.formats.display import utf16_slicer
from pageclean.formats.innertube import parse_innertube

FIXTURES = Path(__file__).parent / "fixtures" / "json"


def load(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --- comment continuations ---------------------------------------------------------------------


def test_2023_comment_renderer_continuation_gives_comments_without_video_metadata():
    """A 2023 commentRenderer continuation yields its comments and no video id."""
    page = parse_innertube(load("comments-2023-commentrenderer.json"))
    assert page.parser == "innertube"
    assert page.video_id is None and page.title is None
    assert [c.author for c in page.comments] == ["@techfan", "@quiet_viewer", "@replier"]
    assert page.comments[0].text == "Great review, 0:39 is my favourite part"
    assert page.comments[1].text == "First!\nSecond line"


def test_2023_comment_fields_like_reply_counts_ids_and_edited():
    """commentRenderer voteCount, replyCount, commentId and "(edited)" land in Comment."""
    top, quiet, _reply = parse_innertube(load("comments-2023-commentrenderer.json")).comments
    assert (top.like_count, top.reply_count, top.comment_id) == (
        1200,
        4,
        "UgxAAAAAAAAAAAAAAAA4AaABAg",
    )
    assert top.edited is True and top.published_text == "5 years ago (edited)"
    assert top.published_age_seconds == 5 * 365 * 86400
    assert quiet.like_count == 0  # no voteCount: nobody liked it
    assert quiet.edited is False


def test_2023_reply_gets_parent_id_and_reply_to_handle():
    """A reply's "<thread>.<reply>" id gives its parent; its leading @handle gives reply_to."""
    reply = parse_innertube(load("comments-2023-commentrenderer.json")).comments[2]
    assert reply.parent_comment_id == "UgxAAAAAAAAAAAAAAAA4AaABAg"
    assert reply.reply_to == "techfan"
    assert reply.like_count == 12


def test_comment_count_in_its_own_run_reads_without_the_noun():
    """The count has a run of its own ("1 234" + " komentarzy"): the number reads in the page's
    language even where the catalog does not know the noun (pl's comments header is unconfirmed,
    so "1 234 komentarzy" as a whole is refused); a noun run with no number of its own changes
    nothing. The Polish noun is a stand-in on the real 2023 fixture's shape."""
    data = load("comments-2023-commentrenderer.json")
    text = json.dumps(data).replace('{"text": "2,714"}, {"text": " Comments"}',
                                    '{"text": "1\u00a0234"}, {"text": " komentarzy"}')
    data = json.loads(text.replace('"simpleText": "2.7K"', '"simpleText": "1,2 tys."'))
    data["responseContext"] = {"serviceTrackingParams": [{"service": "GFEEDBACK", "params": [
        {"key": "hl", "value": "pl"}]}]}
    page = parse_innertube(data)
    assert page.comments_text == "1\u00a0234 komentarzy"
    assert page.comment_count == 1234


def test_2023_comment_header_count():
    """commentsHeaderRenderer.countText gives the comment count and its display string."""
    page = parse_innertube(load("comments-2023-commentrenderer.json"))
    assert page.comments_text == "2,714 Comments"
    assert page.comment_count == 2714
    assert page.ui_language == "en"


def test_2024_comment_view_models_resolved_through_entity_mutations():
    """commentViewModel keys resolve to commentEntityPayload mutations, thread before reply."""
    page = parse_innertube(load("comments-2024-commentviewmodel.json"))
    assert [c.author for c in page.comments] == ["@lena_k", "@max.m", "@zweite"]
    top, _reply, second = page.comments
    assert top.text.startswith("Endlich erklärt das mal jemand")
    assert top.comment_id == "UgzDDDDDDDDDDDDDDDDD4AaABAg"
    assert second.text == "Zweiter Kommentar 😀 mit Emoji"


def test_2024_comment_counts_read_in_german():
    """German like counts ("19.924", "5,7 Mio.") and ages ("vor 4 Jahren") parse in de."""
    page = parse_innertube(load("comments-2024-commentviewmodel.json"))
    top, _reply, second = page.comments
    assert page.ui_language == "de"
    assert top.like_count == 19924 and top.reply_count == 12
    assert top.published_text == "vor 4 Jahren"
    assert top.published_age_seconds == 4 * 365 * 86400
    assert second.like_count == 5_700_000 and second.reply_count == 3
    assert page.comment_count == 19783 and page.comments_text == "19.783 Kommentare"


def test_2024_reply_edited_and_zero_likes():
    """An empty likeCountNotliked means zero; "(bearbeitet)" marks the reply edited."""
    reply = parse_innertube(load("comments-2024-commentviewmodel.json")).comments[1]
    assert reply.parent_comment_id == "UgzDDDDDDDDDDDDDDDDD4AaABAg"
    assert reply.reply_to == "lena_k"
    assert reply.like_count == 0 and reply.reply_count == 0
    assert reply.edited is True
    assert reply.published_age_seconds == 7 * 86400


def test_2024_entities_without_view_models_still_give_comments():
    """A trimmed file holding only the mutations still yields every comment entity."""
    data = load("comments-2024-commentviewmodel.json")
    del data["onResponseReceivedEndpoints"]
    page = parse_innertube(data)
    assert sorted(c.author for c in page.comments) == ["@lena_k", "@max.m", "@zweite"]


# --- next / player responses -------------------------------------------------------------------


def test_next_response_video_metadata_in_russian():
    """A next response gives title, channel, id, and Russian counts through the locale layer."""
    page = parse_innertube(load("next-ru-lockup.json"))
    assert page.title == "Тестовое видео о парсинге"
    assert (page.channel, page.channel_id) == ("Канал Пример", "UCxxxxxxxxxxxxxxxxxxxxxx")
    assert page.video_id == "Ab3dEf6hIj0"
    assert page.view_count == 7_744_083
    assert page.views_text == "7\u00a0744\u00a0083 просмотра"
    assert page.published_text == "2 недели назад"
    assert page.published_age_seconds == 14 * 86400
    assert page.comment_count == 1200
    assert page.like_count == 106_000
    assert page.ui_language == "ru"
    assert "hl=ru" in page.ui_language_evidence
    assert page.warnings == []


def test_next_response_chapters_from_macro_markers():
    """Chapter engagement-panel markers give titles, starts and ends."""
    page = parse_innertube(load("next-ru-lockup.json"))
    assert [(c.start_seconds, c.title, c.end_seconds) for c in page.chapters] == [
        (0, "Вступление", 65),
        (65, "Основная часть", 630),
        (630, "Итоги", None),
    ]


def test_lockup_view_model_related_videos_skip_playlists():
    """lockupViewModel items become related videos; playlist lockups are left out."""
    related = parse_innertube(load("next-ru-lockup.json")).related
    assert [(r.video_id, r.title, r.channel) for r in related] == [
        ("Qw3rTy7uIop", "Как работает интернет", "Научпоп"),
        ("Zz9yXw8vUt7", "Часть 1", "Канал Пример"),
    ]
    assert [(r.duration_seconds, r.view_count, r.published_text) for r in related] == [
        (12 * 60 + 7, 398_000, "Год назад"),
        (3723, 7_700_000, "2 недели назад"),
    ]


def test_description_links_unwrap_redirects_and_resolve_video_links():
    """commandRuns links are unwrapped from /redirect and watch links carry id and start."""
    links = parse_innertube(load("next-ru-lockup.json")).links
    by_url = {link.url: link for link in links}
    assert "https://example.org/guide" in by_url
    assert by_url["https://example.org/guide"].display_text == "example.org/guide"
    video = next(link for link in links if link.linked_video_id == "Zz9yXw8vUt7")
    assert video.linked_start_seconds == 754
    assert video.display_text == "Часть 1"
    assert "https://twitter.com/example" in by_url
    assert len(links) == 3


def test_player_response_machine_fields():
    """A player response gives duration, exact counts and the UTC publish date."""
    page = parse_innertube(load("player-ru.json"))
    assert page.video_id == "Ab3dEf6hIj0"
    assert page.duration_seconds == 900
    assert page.view_count == 7_744_083 and page.like_count == 106_250
    assert page.published_date == datetime(2021, 3, 3, 17, 0, tzinfo=UTC)
    assert page.description.startswith("Разбираем, как устроен парсер.")


def test_pbj_wrapper_combines_next_and_player():
    """The {"response", "playerResponse"} wrapper merges both parts; rounding is no warning."""
    page = parse_innertube({"response": load("next-ru-lockup.json"), "playerResponse": load("player-ru.json")})
    assert page.like_count == 106_250  # the exact count beats the "106 тыс." button
    assert page.duration_seconds == 900
    assert page.chapters[-1].end_seconds == 900
    assert page.warnings == []


def test_display_count_disagreement_becomes_a_warning():
    """A full views display that disagrees with videoDetails.viewCount adds a warning."""
    nxt = load("next-ru-lockup.json")
    primary = nxt["contents"]["twoColumnWatchNextResults"]["results"]["results"]["contents"][0]
    counter = primary["videoPrimaryInfoRenderer"]["viewCount"]["videoViewCountRenderer"]
    counter["viewCount"]["simpleText"] = "5\u00a0000\u00a0000 просмотров"
    page = parse_innertube({"response": nxt, "playerResponse": load("player-ru.json")})
    assert page.view_count == 7_744_083
    assert any("5000000" in w and "7744083" in w for w in page.warnings)


def test_labels_win_over_hl_and_the_disagreement_is_recorded():
    """hl=en with Russian labels: ui_language is ru and a warning names both."""
    nxt = copy.deepcopy(load("next-ru-lockup.json"))
    nxt["responseContext"]["serviceTrackingParams"][1]["params"][1]["value"] = "en"
    page = parse_innertube(nxt)
    assert page.ui_language == "ru"
    assert any("ru" in w and "en" in w for w in page.warnings)
    assert "hl=en" in page.ui_language_evidence


def test_description_chapters_are_the_fallback():
    """Without chapter renderers, timestamp lines of the description become chapters."""
    player = load("player-ru.json")
    player["videoDetails"]["shortDescription"] = "0:00 Anfang\n1:10 Mitte\n2:30 Schluss"
    page = parse_innertube(player)
    assert [(c.start_seconds, c.title) for c in page.chapters] == [
        (0, "Anfang"),
        (70, "Mitte"),
        (150, "Schluss"),
    ]


def test_localized_date_text_gives_published_date():
    """A next response alone gives the absolute date from its localized dateText."""
    page = parse_innertube(load("next-ru-lockup.json"))
    assert page.published_date == datetime(2021, 3, 3, tzinfo=UTC)


# --- rejects -----------------------------------------------------------------------------------


def test_channel_browse_response_is_not_a_watch_page():
    """ytInitialData of a channel page is rejected as not_a_watch_page with a sentence."""
    with pytest.raises(RejectError) as caught:
        parse_innertube(load("channel-browse.json"))
    assert caught.value.reason == "not_a_watch_page"
    assert "channel" in caught.value.detail


def test_search_response_is_not_a_watch_page():
    """Search results are rejected as not_a_watch_page."""
    with pytest.raises(RejectError) as caught:
        parse_innertube(load("search-results.json"))
    assert caught.value.reason == "not_a_watch_page"
    assert "search" in caught.value.detail


def test_other_json_object_is_not_a_watch_page():
    """A JSON object with no InnerTube keys (Data API v3 list) is not_a_watch_page."""
    with pytest.raises(RejectError) as caught:
        parse_innertube(load("data-api-v3.json"))
    assert caught.value.reason == "not_a_watch_page"
    assert "kind" in caught.value.detail


def test_json_that_is_not_an_object_is_bad_json():
    """A JSON array is rejected as bad_json."""
    with pytest.raises(RejectError) as caught:
        parse_innertube(load("not-an-object.json"))
    assert caught.value.reason == "bad_json"


# --- invariants --------------------------------------------------------------------------------

_KEYS = st.sampled_from(
    [
        "contents",
        "videoDetails",
        "microformat",
        "playerMicroformatRenderer",
        "responseContext",
        "frameworkUpdates",
        "entityBatchUpdate",
        "mutations",
        "payload",
        "commentEntityPayload",
        "commentViewModel",
        "commentKey",
        "commentRenderer",
        "compactVideoRenderer",
        "lockupViewModel",
        "macroMarkersListItemRenderer",
        "chapterRenderer",
        "engagementPanelSectionListRenderer",
        "videoPrimaryInfoRenderer",
        "videoSecondaryInfoRenderer",
        "attributedDescription",
        "commandRuns",
        "runs",
        "simpleText",
        "content",
        "title",
        "videoId",
        "viewCount",
        "startIndex",
        "length",
        "replies",
        "properties",
        "toolbar",
    ]
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_JSON)
def test_any_json_gives_a_page_or_a_reject(value):
    """Arbitrary JSON built from InnerTube key names never raises anything but RejectError."""
    with contextlib.suppress(RejectError):
        parse_innertube(value)


# --- m.youtube.com pbj arrays, the mobile comment count, hl from the request ---------------------


def test_mobile_pbj_watch_array_parses_like_the_wrapper():
    """m.youtube.com's pbj watch answer, an array of parts, gives the video (was bad_json)."""
    page = parse_innertube(load("mobile-pbj-watch-2021.json"))
    assert page.video_id == "GJLlxj_dtq8"
    assert page.title == "Surface Go Review - It’s Awesome"
    assert page.channel == "Dave2D" and page.view_count == 1_856_109


def test_mobile_watch_page_comment_count_from_the_comment_item_section_panel():
    """The mobile page's comment count sits in the comment-item-section panel's contextualInfo."""
    page = parse_innertube(load("mobile-pbj-watch-2021.json"))
    assert page.comments_text == "2.7K"
    assert page.comment_count == 2700


def test_mobile_pbj_comment_continuation_gives_comments_and_count():
    """A watch_comment?pbj=1 answer (array of parts) yields its comments and the header count."""
    page = parse_innertube(load("mobile-pbj-comments.json"))
    assert [c.author for c in page.comments] == ["@techfan", "@quiet_viewer"]
    assert page.comments[0].like_count == 1200
    assert page.comment_count == 2714 and page.video_id is None


@pytest.mark.parametrize("parts", [[], [{"videoId": "Ab3dEf6hIj0"}], [{"page": "watch"}, {"timing": {}}], [1, 2]])
def test_arrays_that_are_not_pbj_parts_stay_bad_json(parts):
    """Only an array of pbj parts holding a response is read; any other array is bad_json."""
    with pytest.raises(RejectError) as caught:
        parse_innertube(parts)
    assert caught.value.reason == "bad_json"


def test_player_response_without_labels_takes_hl_from_its_caption_urls():
    """A player response carries the request's hl in its caption URLs; with no labels it decides."""
    page = parse_innertube(load("player-en-gb-captions.json"))
    assert page.ui_language == "en-GB"
    assert "caption" in page.ui_language_evidence


# --- availability ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "availability", "reason_start"),
    [
        ("player-ru.json", "ok", None),
        ("player-private.json", "private", "This video is private\nIf the owner"),
        ("player-members-only.json", "members_only", "This video is available to this channel's members"),
        ("player-music-premium.json", "unplayable", "This video is only available to Music Premium members"),
        ("player-geo-restricted.json", "unplayable", "The uploader has not made this video available"),
        ("player-age-gate.json", "age_restricted", "Sign in to confirm your age"),
        ("player-live-upcoming.json", "live_upcoming", None),
        ("next-unavailable.json", "unavailable", "This video isn't available anymore"),
        ("next-ru-lockup.json", None, None),
        ("comments-2023-commentrenderer.json", None, None),
    ],
)
def test_availability_from_playability_status_and_shown_messages(fixture, availability, reason_start):
    """playabilityStatus (or a message shown instead of the video) gives availability and its reason."""
    page = parse_innertube(load(fixture))
    assert page.availability == availability
    if reason_start is None:
        assert page.availability_reason is None
    else:
        assert page.availability_reason.startswith(reason_start)


def test_status_alone_decides_when_the_reason_is_in_another_language():
    """LOGIN_REQUIRED with a reason the English cues do not cover is login_required, not a guess."""
    response = load("player-age-gate.json")
    del response["playabilityStatus"]["desktopLegacyAgeGateReason"]
    response["playabilityStatus"]["reason"] = "(a reason in a language the cues do not cover)"
    assert parse_innertube(response).availability == "login_required"
    response["playabilityStatus"]["desktopLegacyAgeGateReason"] = 1
    assert parse_innertube(response).availability == "age_restricted"


def test_unknown_playability_status_is_null_with_a_warning():
    """A status pageclean does not know gives null availability and says so."""
    response = load("player-ru.json")
    response["playabilityStatus"] = {"status": "CONTENT_CHECK_REQUIRED", "reason": "shown text"}
    page = parse_innertube(response)
    assert page.availability is None and page.availability_reason == "shown text"
    assert any("CONTENT_CHECK_REQUIRED" in w for w in page.warnings)


def test_comments_are_turned_off_message_does_not_make_a_video_unavailable():
    """A message renderer on a page that has its video (comments turned off) is not availability."""
    response = load("next-ru-lockup.json")
    response.setdefault("contents", {})["messageRenderer"] = {"text": {"runs": [{"text": "Comments are turned off."}]}}
    assert parse_innertube(response).availability is None


def test_number_less_comments_header_does_not_hide_the_panel_count():
    """2026 pages: a screen-reader header says just "Comments"; the count is the panel's "28k"."""
    page = parse_innertube(load("next-2026-comments-panel.json"))
    assert page.comments_text == "28k"
    assert page.comment_count == 28_000


def test_panel_ids_of_any_json_type_do_not_crash():
    """A hostile panelIdentifier/targetId (an object, a list) is no comments or chapters panel."""
    def marker(title: str, at: str) -> dict:
        return {"macroMarkersListItemRenderer": {"title": {"simpleText": title}, "timeDescription": {"simpleText": at}}}

    response = {
        "contents": {"twoColumnWatchNextResults": {}},
        "engagementPanels": [{"engagementPanelSectionListRenderer": {
            "panelIdentifier": {"a": 1}, "targetId": [1],
            "content": {"macroMarkersListRenderer": {"contents": [marker("A", "0:00"), marker("B", "1:00")]}}}}],
    }
    page = parse_innertube(response)
    assert [(c.title, c.source) for c in page.chapters] == [("A", "creator"), ("B", "creator")]
    assert page.comment_count is None


def test_attributed_offsets_count_utf16_code_units():
    """commandRuns offsets count UTF-16 code units (as JavaScript strings do): an emoji before a
    link is two of them, and the link's shown text is still cut right, on every run of the text."""
    text = "a😀b see example.com/x and 😀😀 example.org"
    units = text.encode("utf-16-le")

    def offset(sub: str) -> int:  # the run's start as the page's JavaScript counts it
        return len(text[: text.index(sub)].encode("utf-16-le")) // 2

    shown_at = utf16_slicer(text)
    assert len(units) // 2 == len(text) + 3
    assert shown_at(offset("example.com/x"), len("example.com/x")) == "example.com/x"
    assert shown_at(offset("example.org"), len("example.org")) == "example.org"
    assert utf16_slicer("plain example.net")(6, 11) == "example.net"
