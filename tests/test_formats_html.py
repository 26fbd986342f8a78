"""Watch-page HTML -> ParsedPage: served pages (desktop, mobile, window[...]), 2017 DOM, rendered DOM.

Real pages are in ``tests/fixtures/html/`` (sources in its README); the synthetic pages below are
small and built in the shapes of those pages and of a Playwright ``page.content()`` dump.
Expected values were read off the fixtures by eye (the JSON in their ``<script>`` tags).
"""

# The synthetic pages below keep the long lines real markup has.
# ruff: noqa: E501

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pageclean.errors import RejectError
from pageclean.formats import jsonscript
from pageclean.formats.html import parse_html

HTML = Path(__file__).parent / "fixtures" / "html"
JSON = Path(__file__).parent / "fixtures" / "json"


def page_of(name: str):
    return parse_html((HTML / name).read_text(encoding="utf-8"))


def json_text(name: str) -> str:
    return (JSON / name).read_text(encoding="utf-8")


# --- real served pages -------------------------------------------------------------------------


def test_full_page_identity_fields():
    """en-watch-full: title, channel, ids from ytInitialData/ytInitialPlayerResponse."""
    page = page_of("en-watch-full.html")
    assert page.parser == "html-initialdata"
    assert page.title == "Surface Go Review - It\u2019s Awesome"
    assert page.channel == "Dave2D"
    assert page.channel_id == "UCVYamHliCI9rw1tHR1xbkfw"
    assert page.video_id == "GJLlxj_dtq8"
    assert page.duration_seconds == 316


def test_full_page_counts():
    """en-watch-full: 1,856,109 views, comment count "2.7K", 43,864 likes, English UI."""
    page = page_of("en-watch-full.html")
    assert page.view_count == 1_856_109
    assert page.views_text == "1,856,109 views"
    assert page.comments_text == "2.7K" and page.comment_count == 2700
    assert page.like_count == 43_864
    assert page.published_text == "6 years ago"
    assert page.ui_language == "en"
    assert page.warnings == []


def test_full_page_chapters():
    """en-watch-full: the ten key-moment chapters with their starts."""
    chapters = page_of("en-watch-full.html").chapters
    assert [(c.title, c.start_seconds) for c in chapters] == [
        ("Build Quality", 39),
        ("Screen", 66),
        ("Pen Support", 106),
        ("Webcam", 129),
        ("Keyboard", 155),
        ("Trackpad", 188),
        ("Performance", 199),
        ("Battery Life", 220),
        ("Gaming Performance", 236),
        ("Ports", 254),
    ]
    assert chapters[-1].end_seconds == 316


def test_full_page_related_videos():
    """en-watch-full: 20 related videos, the first one complete."""
    related = page_of("en-watch-full.html").related
    assert len(related) == 20
    first = related[0]
    assert first.title == "Entry-Level Surface Go Review: Is it really worth your money??"
    assert (first.channel, first.video_id) == ("E.J. Yu", "cah9itYL7OI")
    assert (first.duration_seconds, first.view_count) == (17 * 60 + 45, 158_593)


def test_full_page_description_links():
    """en-watch-full: redirect-wrapped description links come out unwrapped."""
    urls = {link.url for link in page_of("en-watch-full.html").links}
    assert {
        "https://amzn.to/2n3Y4sj",
        "http://twitter.com/Dave2D",
        "http://www.instagram.com/Dave2D",
        "https://discord.gg/Dave2D",
    } <= urls
    assert not any("youtube.com/redirect" in url for url in urls)


def test_chapters_page_chapters_and_related():
    """en-watch-chapters: 13 description chapters and 19 related videos (the mix is skipped)."""
    page = page_of("en-watch-chapters.html")
    assert len(page.chapters) == 13
    assert (page.chapters[0].title, page.chapters[0].start_seconds) == ("What is JavaScript", 0)
    assert (page.chapters[1].title, page.chapters[1].start_seconds) == (
        "Setting Up the Development Environment",
        4 * 60 + 41,
    )
    assert (page.chapters[-1].title, page.chapters[-1].start_seconds) == (
        "Types of Functions",
        44 * 60 + 22,
    )
    assert page.chapters[-1].end_seconds == 2897
    assert len(page.related) == 19
    assert page.related[0].video_id == "PFmuCDHHpwk"
    assert page.view_count == 4_586_491


def test_legacy_2017_german_page():
    """de-legacy-2017: title and 5.019 views from the 2017 DOM, UI language de."""
    page = page_of("de-legacy-2017.html")
    assert page.parser == "html-legacy"
    assert page.title == "Bella Lune - The Dolly Pop Song Music Video"
    assert page.view_count == 5019
    assert page.views_text == "5.019 Aufrufe"
    assert page.published_text == "Hochgeladen am 25.06.2011"
    assert page.published_date is not None and page.published_date.date().isoformat() == ("2011-06-25")
    assert page.video_id == "rIqCiJKWx9I"
    assert (page.channel, page.channel_id) == ("Bella Lune", "UCuT85dKBUPfd5xSl_nNHlKQ")
    assert page.duration_seconds == 4 * 60 + 59
    assert page.ui_language == "de"


def test_consent_wall_is_not_a_watch_page():
    """The consent.youtube.com wall is rejected as not_a_watch_page, naming the consent form."""
    with pytest.raises(RejectError) as caught:
        page_of("de-consent-wall.html")
    assert caught.value.reason == "not_a_watch_page"
    assert "consent" in caught.value.detail


# --- synthetic served pages --------------------------------------------------------------------


def hex_escape(text: str) -> str:
    """The m.youtube.com string form: punctuation as \\xNN, non-ASCII as \\uNNNN."""
    out = []
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch == " "):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def test_mobile_hex_escaped_initial_data():
    """m.youtube.com's ytInitialData as a hex-escaped JS string decodes like the object form."""
    html = (
        '<!DOCTYPE html><html lang="ru"><head><title>m</title></head><body><script nonce="x">'
        f"var ytInitialData = '{hex_escape(json_text('next-ru-lockup.json'))}';"
        "if (window.ytcsi) {window.ytcsi.tick('pdr', null, '');}</script></body></html>"
    )
    page = parse_html(html)
    assert page.parser == "html-initialdata"
    assert page.title == "Тестовое видео о парсинге"
    assert page.video_id == "Ab3dEf6hIj0"
    assert page.view_count == 7_744_083
    assert len(page.related) == 2 and len(page.chapters) == 3
    assert page.ui_language == "ru"


def test_window_bracket_forms_and_ytcfg_hl():
    """window["ytInitialData"] and window['ytInitialPlayerResponse'] are both read."""
    html = (
        '<html><head><script>ytcfg.set({"INNERTUBE_CONTEXT_HL": "ru"});</script>'
        "<script>window['ytInitialPlayerResponse'] = "
        f"{json_text('player-ru.json')};</script>"
        '<script>window["ytInitialData"] = '
        f'{json_text("next-ru-lockup.json")};\nwindow["ytInitialPlayerResponse"];</script>'
        "</head></html>"
    )
    page = parse_html(html)
    assert page.title == "Тестовое видео о парсинге"
    assert page.duration_seconds == 900 and page.like_count == 106_250
    assert page.chapters[-1].end_seconds == 900
    assert "INNERTUBE_CONTEXT_HL" in page.ui_language_evidence


def test_player_response_alone_is_enough():
    """A page with ytInitialPlayerResponse and no ytInitialData still parses."""
    html = f"<html><script>var ytInitialPlayerResponse = {json_text('player-ru.json')};</script>"
    page = parse_html(html)
    assert page.video_id == "Ab3dEf6hIj0" and page.related == []


def test_channel_page_html_is_rejected():
    """ytInitialData holding a channel browse response is not_a_watch_page."""
    html = f"<html><script>var ytInitialData = {json_text('channel-browse.json')};</script>"
    with pytest.raises(RejectError) as caught:
        parse_html(html)
    assert caught.value.reason == "not_a_watch_page"


def test_generic_html_is_rejected():
    """An unrelated HTML page is not_a_watch_page with a sentence naming it."""
    with pytest.raises(RejectError) as caught:
        parse_html("<!doctype html><html><head><title>Bäckerei</title></head><body></body></html>")
    assert caught.value.reason == "not_a_watch_page"
    assert "Bäckerei" in caught.value.detail


def test_braces_inside_strings_do_not_end_the_object():
    """The scanner respects strings: a '}' or '};' inside a JSON string is data."""
    text = 'var ytInitialData = {"a": "x}; var y = {", "b": {"c": "\\"}"}};'
    assert jsonscript.find_assigned_object(text, "ytInitialData") == {
        "a": "x}; var y = {",
        "b": {"c": '"}'},
    }


def test_js_string_escapes_decode():
    """\\xNN, \\uNNNN (with surrogate pairs), \\\\ and quotes decode like a JS engine would."""
    assert jsonscript.decode_js_string(r"\x7b\x22a\x22:\x22\u00e4\ud83d\ude00\\\'\x22\x7d") == ('{"a":"ä😀\\\'"}')


# --- synthetic 2017 page with related videos ---------------------------------------------------

LEGACY_WITH_RELATED = """<!DOCTYPE html><html lang="de" data-cast-api-enabled="true"><head>
<title>Altes Video - YouTube</title></head><body>
<div id="watch7-content" class="watch-main-col" itemscope itemtype="http://schema.org/VideoObject">
<link itemprop="url" href="https://www.youtube.com/watch?v=Leg4cyVid01">
<meta itemprop="name" content="Altes Video">
<meta itemprop="channelId" content="UClegacylegacylegacylega">
<meta itemprop="videoId" content="Leg4cyVid01">
<meta itemprop="duration" content="PT1H2M3S">
<meta itemprop="interactionCount" content="18567581">
<meta itemprop="datePublished" content="2013-02-01">
</div>
<div id="watch-header"><h1 class="watch-title-container">
<span id="eow-title" class="watch-title" dir="ltr" title="Altes Video">
    Altes Video
  </span></h1>
<div id="watch7-user-header" class="spf-link"><div class="yt-user-info">
<a href="/channel/UClegacylegacylegacylega" class="g-hovercard yt-uix-sessionlink spf-link">Alter Kanal</a>
</div></div>
<div class="watch-view-count">18.567.581 Aufrufe</div></div>
<div id="watch-uploader-info"><strong class="watch-time-text">Veröffentlicht am 01.02.2013</strong></div>
<div id="watch-description-text"><p id="eow-description">Mehr dazu: <a href="/redirect?q=https%3A%2F%2Fexample.de%2Fmehr&amp;redir_token=abc&amp;event=video_description" rel="nofollow" target="_blank">https://example.de/mehr</a><br>00:00 Anfang<br>01:10 Ende<br><a href="javascript:alert(1)">klick</a></p></div>
<div id="watch7-sidebar"><ul id="watch-related" class="video-list">
<li class="video-list-item related-list-item show-video-time related-list-item-compact-video">
 <div class="content-wrapper"><a href="/watch?v=Leg4cyRel01" class=" content-link spf-link yt-uix-sessionlink spf-link" title="Altes verwandtes Video">
  <span dir="ltr" class="title">
      Altes verwandtes Video
  </span>
  <span class="accessible-description">- Dauer: 3:25 Minuten.</span>
  <span class="stat attribution"><span class="">Kanal Alt</span></span>
  <span class="stat view-count">5.019 Aufrufe</span></a></div>
 <div class="thumb-wrapper"><a href="/watch?v=Leg4cyRel01" class="thumb-link spf-link" aria-hidden="true"></a>
  <span class="video-time" aria-hidden="true">3:25</span></div>
</li>
<li class="video-list-item related-list-item show-video-time related-list-item-compact-video">
 <div class="content-wrapper"><a href="/watch?v=Leg4cyRel02" class=" content-link" title="Zweites">
  <span dir="ltr" class="title">Zweites</span>
  <span class="stat attribution"><span>Kanal Zwei</span></span>
  <span class="stat view-count">2908 Aufrufe</span></a></div>
 <div class="thumb-wrapper"><span class="video-time">1:02:03</span></div>
</li></ul></div></body></html>"""


def test_legacy_related_videos():
    """2017 li.video-list-item entries give title, channel, views, duration and id."""
    page = parse_html(LEGACY_WITH_RELATED)
    assert page.parser == "html-legacy"
    assert [(r.title, r.channel, r.view_count, r.duration_seconds, r.video_id) for r in page.related] == [
        ("Altes verwandtes Video", "Kanal Alt", 5019, 205, "Leg4cyRel01"),
        ("Zweites", "Kanal Zwei", 2908, 3723, "Leg4cyRel02"),
    ]


def test_legacy_description_links_and_chapters():
    """2017 description: a relative /redirect link is unwrapped, javascript: dropped, chapters."""
    page = parse_html(LEGACY_WITH_RELATED)
    assert [link.url for link in page.links] == ["https://example.de/mehr"]
    assert [(c.start_seconds, c.title) for c in page.chapters] == [(0, "Anfang"), (70, "Ende")]
    assert page.view_count == 18_567_581
    assert page.duration_seconds == 3723
    assert page.channel == "Alter Kanal"
    assert page.warnings == []


# --- synthetic browser-rendered page -----------------------------------------------------------

RENDERED = """<!DOCTYPE html><html lang="en" dir="ltr" style="font-size: 10px"><head>
<title>Wie man Seiten parst - YouTube</title>
<link rel="canonical" href="https://www.youtube.com/watch?v=Rn4dErEdX01">
</head><body><ytd-app><div id="content" class="style-scope ytd-app">
<ytd-watch-flexy class="style-scope ytd-page-manager" video-id="Rn4dErEdX01" role="main">
<div id="primary"><div id="below">
<ytd-watch-metadata class="watch-active-metadata style-scope ytd-watch-flexy">
 <div id="title" class="style-scope ytd-watch-metadata">
  <h1 class="style-scope ytd-watch-metadata"><yt-formatted-string force-default-style class="style-scope ytd-watch-metadata">Wie man Seiten parst</yt-formatted-string></h1>
 </div>
 <div id="owner" class="item style-scope ytd-watch-metadata"><ytd-video-owner-renderer class="style-scope ytd-watch-metadata">
  <ytd-channel-name id="channel-name" class="style-scope ytd-video-owner-renderer"><div id="container"><div id="text-container">
   <yt-formatted-string id="text" class="style-scope ytd-channel-name"><a class="yt-simple-endpoint style-scope yt-formatted-string" href="/channel/UCrenderedrenderedrender">Parse Kanal</a></yt-formatted-string>
  </div></div></ytd-channel-name></ytd-video-owner-renderer></div>
 <div id="description" class="item style-scope ytd-watch-metadata"><div id="description-inner">
  <ytd-watch-info-text id="ytd-watch-info-text" class="style-scope ytd-watch-metadata"><div id="info-container">
   <yt-formatted-string id="info" class="style-scope ytd-watch-info-text"><span dir="auto" class="bold style-scope yt-formatted-string">18.567.581 Aufrufe</span><span dir="auto" class="bold style-scope yt-formatted-string">  </span><span dir="auto" class="bold style-scope yt-formatted-string">vor 4 Jahren</span></yt-formatted-string>
  </div></ytd-watch-info-text>
  <ytd-text-inline-expander id="description-inline-expander" class="style-scope ytd-watch-metadata">
   <yt-attributed-string class="style-scope ytd-text-inline-expander"><span class="yt-core-attributed-string yt-core-attributed-string--white-space-pre-wrap" dir="auto">Alles über Parser.
Kapitel:
<a class="yt-core-attributed-string__link" href="/watch?v=Rn4dErEdX01&amp;t=0s">0:00</a> Start
<a class="yt-core-attributed-string__link" href="/watch?v=Rn4dErEdX01&amp;t=75s">1:15</a> Mitte
<a class="yt-core-attributed-string__link" href="/watch?v=Rn4dErEdX01&amp;t=200s">3:20</a> Ende
Quelle: <a class="yt-core-attributed-string__link" href="https://www.youtube.com/redirect?event=video_description&amp;q=https%3A%2F%2Fexample.com%2Fquelle">example.com/quelle</a>
<a href="javascript:alert(1)">klick</a></span></yt-attributed-string>
   <tp-yt-paper-button id="expand" class="button style-scope ytd-text-inline-expander">…mehr</tp-yt-paper-button>
  </ytd-text-inline-expander>
 </div></div>
</ytd-watch-metadata>
<ytd-comments id="comments" class="style-scope ytd-watch-flexy"><ytd-item-section-renderer id="sections">
 <div id="header"><ytd-comments-header-renderer class="style-scope ytd-item-section-renderer">
  <div id="title"><h2 id="count" class="style-scope ytd-comments-header-renderer"><yt-formatted-string class="count-text style-scope ytd-comments-header-renderer"><span dir="auto" class="style-scope yt-formatted-string">19.783</span><span dir="auto" class="style-scope yt-formatted-string"> Kommentare</span></yt-formatted-string></h2></div>
 </ytd-comments-header-renderer></div>
 <div id="contents" class="style-scope ytd-item-section-renderer">
  <ytd-comment-thread-renderer class="style-scope ytd-item-section-renderer">
   <ytd-comment-view-model id="comment" class="style-scope ytd-comment-thread-renderer">
    <div id="header-author" class="style-scope ytd-comment-view-model">
     <h3 class="style-scope ytd-comment-view-model"><a id="author-text" class="yt-simple-endpoint style-scope ytd-comment-view-model" href="/@lena_k"><span class="style-scope ytd-comment-view-model">
        @lena_k
      </span></a></h3>
     <span id="published-time-text" class="style-scope ytd-comment-view-model"><a class="yt-simple-endpoint style-scope ytd-comment-view-model" href="/watch?v=Rn4dErEdX01&amp;lc=UgzRRRRRRRRRRRRRRRRR4AaABAg">vor 4 Jahren</a></span>
    </div>
    <yt-attributed-string id="content-text" class="style-scope ytd-comment-view-model"><span class="yt-core-attributed-string" dir="auto">Sehr hilfreich!
Zweite Zeile.</span></yt-attributed-string>
    <ytd-comment-engagement-bar id="action-buttons"><div id="toolbar">
     <span id="vote-count-middle" class="style-scope ytd-comment-engagement-bar" aria-label="19.924 „Mag ich“-Bewertungen">
          19.924
        </span></div></ytd-comment-engagement-bar>
   </ytd-comment-view-model>
   <div id="replies" class="style-scope ytd-comment-thread-renderer"><ytd-comment-replies-renderer class="style-scope ytd-comment-thread-renderer">
    <div id="expander"><div id="more-replies" class="style-scope ytd-comment-replies-renderer"><ytd-button-renderer><button aria-label="12 Antworten"><span>12 Antworten</span></button></ytd-button-renderer></div>
    <div id="expander-contents"><div id="contents" class="style-scope ytd-comment-replies-renderer">
     <ytd-comment-view-model class="style-scope ytd-comment-replies-renderer">
      <div id="header-author"><h3><a id="author-text" href="/@max.m"><span> @max.m </span></a></h3>
       <span id="published-time-text"><a href="/watch?v=Rn4dErEdX01&amp;lc=UgzRRRRRRRRRRRRRRRRR4AaABAg.9zSSSSSSSSS">vor 1 Woche (bearbeitet)</a></span></div>
      <yt-attributed-string id="content-text"><span>@lena_k Danke!</span></yt-attributed-string>
      <ytd-comment-engagement-bar id="action-buttons"><div id="toolbar"><span id="vote-count-middle" aria-label="0 „Mag ich“-Bewertungen">
        </span></div></ytd-comment-engagement-bar>
     </ytd-comment-view-model>
    </div></div></div>
   </ytd-comment-replies-renderer></div>
  </ytd-comment-thread-renderer>
  <ytd-comment-thread-renderer class="style-scope ytd-item-section-renderer">
   <ytd-comment-renderer id="comment" class="style-scope ytd-comment-thread-renderer">
    <div id="header-author"><h3><a id="author-text" href="/@alt"><span>@alt</span></a></h3>
     <yt-formatted-string id="published-time-text" class="published-time-text"><a href="/watch?v=Rn4dErEdX01&amp;lc=UgxTTTTTTTTTTTTTTTTT4AaABAg">vor 2 Jahren</a></yt-formatted-string></div>
    <yt-formatted-string id="content-text" class="style-scope ytd-comment-renderer">Ältere Kommentar-Generation</yt-formatted-string>
    <span id="vote-count-middle" class="style-scope ytd-comment-action-buttons-renderer">5</span>
   </ytd-comment-renderer>
  </ytd-comment-thread-renderer>
 </div>
</ytd-item-section-renderer></ytd-comments>
</div></div>
<div id="secondary"><ytd-watch-next-secondary-results-renderer><div id="items">
 <ytd-compact-video-renderer class="style-scope ytd-item-section-renderer">
  <div id="dismissible"><ytd-thumbnail><a id="thumbnail" class="yt-simple-endpoint inline-block style-scope ytd-thumbnail" href="/watch?v=Cmp4ctV1d01">
   <div id="overlays"><ytd-thumbnail-overlay-time-status-renderer><span id="text" class="style-scope ytd-thumbnail-overlay-time-status-renderer">
      12:07
   </span></ytd-thumbnail-overlay-time-status-renderer></div></a></ytd-thumbnail>
  <div class="details style-scope ytd-compact-video-renderer"><div class="metadata"><a class="yt-simple-endpoint style-scope ytd-compact-video-renderer" href="/watch?v=Cmp4ctV1d01">
   <h3><span id="video-title" class="style-scope ytd-compact-video-renderer" title="Kompaktes Video">Kompaktes Video</span></h3>
   <div class="secondary-metadata"><ytd-video-meta-block><div id="metadata"><div id="byline-container">
    <ytd-channel-name id="channel-name"><div id="container"><div id="text-container"><yt-formatted-string id="text" title="Kanal A">Kanal A</yt-formatted-string></div></div></ytd-channel-name></div>
    <div id="metadata-line"><span class="inline-metadata-item style-scope ytd-video-meta-block">5,7 Mio. Aufrufe</span><span class="inline-metadata-item style-scope ytd-video-meta-block">vor 4 Jahren</span></div>
   </div></ytd-video-meta-block></div></a></div></div></div>
 </ytd-compact-video-renderer>
 <yt-lockup-view-model class="ytd-item-section-renderer lockup"><div class="yt-lockup-view-model-wiz yt-lockup-view-model-wiz--horizontal">
  <a href="/watch?v=Lck4pVwM001" class="yt-lockup-view-model-wiz__content-image"><yt-thumbnail-view-model><yt-thumbnail-overlay-badge-view-model><yt-thumbnail-badge-view-model><badge-shape class="badge-shape-wiz badge-shape-wiz--thumbnail-default"><div class="badge-shape-wiz__text">1:02:03</div></badge-shape></yt-thumbnail-badge-view-model></yt-thumbnail-overlay-badge-view-model></yt-thumbnail-view-model></a>
  <div class="yt-lockup-view-model-wiz__metadata"><yt-lockup-metadata-view-model class="yt-lockup-metadata-view-model-wiz"><div class="yt-lockup-metadata-view-model-wiz__text-container">
   <h3 class="yt-lockup-metadata-view-model-wiz__heading-reset" title="Lockup Video"><a href="/watch?v=Lck4pVwM001" class="yt-lockup-metadata-view-model-wiz__title"><span class="yt-core-attributed-string">Lockup Video</span></a></h3>
   <div class="yt-lockup-metadata-view-model-wiz__metadata"><yt-content-metadata-view-model class="yt-content-metadata-view-model-wiz">
    <div class="yt-content-metadata-view-model-wiz__metadata-row"><span class="yt-core-attributed-string">Kanal B</span></div>
    <div class="yt-content-metadata-view-model-wiz__metadata-row"><span class="yt-core-attributed-string">398.000 Aufrufe</span><span class="yt-content-metadata-view-model-wiz__delimiter">•</span><span class="yt-core-attributed-string">vor 2 Wochen</span></div>
   </yt-content-metadata-view-model></div></div></yt-lockup-metadata-view-model></div></div>
 </yt-lockup-view-model>
</div></ytd-watch-next-secondary-results-renderer></div>
</ytd-watch-flexy></div></ytd-app></body></html>"""


def test_rendered_page_metadata_and_language_labels_win():
    """A rendered ytd-* page: title, channel, id, German counts; German labels beat lang="en"."""
    page = parse_html(RENDERED)
    assert page.parser == "html-rendered"
    assert page.title == "Wie man Seiten parst"
    assert (page.channel, page.channel_id) == ("Parse Kanal", "UCrenderedrenderedrender")
    assert page.video_id == "Rn4dErEdX01"
    assert page.view_count == 18_567_581
    assert page.published_text == "vor 4 Jahren"
    assert page.comment_count == 19783
    assert page.ui_language == "de"
    assert any("de" in w and "en" in w for w in page.warnings)


def test_rendered_page_comments():
    """ytd-comment-view-model and ytd-comment-renderer comments, with the reply under its thread."""
    comments = parse_html(RENDERED).comments
    assert [(c.author, c.text) for c in comments] == [
        ("@lena_k", "Sehr hilfreich!\nZweite Zeile."),
        ("@max.m", "@lena_k Danke!"),
        ("@alt", "Ältere Kommentar-Generation"),
    ]
    top, reply, old = comments
    assert (top.like_count, top.reply_count, top.comment_id) == (
        19924,
        12,
        "UgzRRRRRRRRRRRRRRRRR4AaABAg",
    )
    assert top.published_age_seconds == 4 * 365 * 86400
    assert reply.parent_comment_id == "UgzRRRRRRRRRRRRRRRRR4AaABAg"
    assert reply.reply_to == "lena_k" and reply.like_count == 0 and reply.edited is True
    assert (old.like_count, old.comment_id) == (5, "UgxTTTTTTTTTTTTTTTTT4AaABAg")


def test_rendered_page_related_compact_and_lockup():
    """ytd-compact-video-renderer and yt-lockup-view-model sidebar items become related videos."""
    related = parse_html(RENDERED).related
    assert [(r.title, r.channel, r.video_id, r.duration_seconds, r.view_count, r.published_text) for r in related] == [
        ("Kompaktes Video", "Kanal A", "Cmp4ctV1d01", 727, 5_700_000, "vor 4 Jahren"),
        ("Lockup Video", "Kanal B", "Lck4pVwM001", 3723, 398_000, "vor 2 Wochen"),
    ]


def test_rendered_page_description_chapters_and_links():
    """The inline-expander description gives chapters; self timestamps are not links."""
    page = parse_html(RENDERED)
    assert [(c.start_seconds, c.title) for c in page.chapters] == [
        (0, "Start"),
        (75, "Mitte"),
        (200, "Ende"),
    ]
    assert [link.url for link in page.links] == ["https://example.com/quelle"]
    assert page.description.startswith("Alles über Parser.\nKapitel:")


def test_rendered_page_with_initial_data_keeps_dom_comments():
    """A rendered page that also carries ytInitialData: JSON metadata, DOM comments."""
    html = RENDERED.replace(
        "</head>",
        f"<script>var ytInitialPlayerResponse = {json_text('player-ru.json')};</script></head>",
    ).replace('video-id="Rn4dErEdX01"', 'video-id="Ab3dEf6hIj0"')
    page = parse_html(html)
    assert page.parser == "html-rendered"
    assert page.video_id == "Ab3dEf6hIj0" and page.duration_seconds == 900
    assert len(page.comments) == 3


def test_rendered_page_ignores_stale_initial_data():
    """When the scripts describe another video than the DOM (SPA navigation), the DOM wins."""
    html = RENDERED.replace(
        "</head>",
        f"<script>var ytInitialPlayerResponse = {json_text('player-ru.json')};</script></head>",
    )
    page = parse_html(html)
    assert page.video_id == "Rn4dErEdX01" and page.title == "Wie man Seiten parst"
    assert any("Ab3dEf6hIj0" in w for w in page.warnings)


@pytest.mark.parametrize("lockup", [
    # a mix: its link opens the list
    '<yt-lockup-view-model class="lockup"><div><a href="/watch?v=Lck4pVwM002&amp;list=RDabc&amp;start_radio=1">'
    '<a class="yt-lockup-metadata-view-model-wiz__title">Mix – Kanal B</a></a></div></yt-lockup-view-model>',
    # a playlist whose link names only its first video: the collection thumbnail says it
    '<yt-lockup-view-model class="lockup"><div><yt-collection-thumbnail-view-model></yt-collection-thumbnail-view-model>'
    '<a href="/watch?v=Lck4pVwM002"><a class="yt-lockup-metadata-view-model-wiz__title">Kanal B: alle Folgen</a>'
    "</a></div></yt-lockup-view-model>",
])
def test_rendered_playlist_lockup_is_skipped(lockup):
    """A rendered playlist or mix lockup (a list= link, or a collection thumbnail, which the JSON's
    lockups have exactly where contentType is a playlist) is not a related video."""
    html = RENDERED.replace("</div></ytd-watch-next-secondary", lockup + "</div></ytd-watch-next-secondary")
    related = parse_html(html).related
    assert len(related) == 2
    assert "Lck4pVwM002" not in {r.video_id for r in related}


# --- invariants --------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "var ytInitialData = ",
        "window['ytInitialPlayerResponse'] = ",
        "'\\x7b\\x22",
        "{",
        "}",
        '"',
        "'",
        ";",
        '<html lang="de">',
        '<span id="eow-title">',
        "<ytd-comment-thread-renderer>",
        '<div id="content-text">',
        "consent.youtube.com",
        '{"contents": {"twoColumnBrowseResultsRenderer": {}}}',
        '{"videoDetails": {"videoId": 5}}',
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=8), max_size=12).map("".join))
def test_any_text_gives_a_page_or_a_reject(text):
    """Arbitrary fragments of watch-page markup never raise anything but RejectError."""
    with contextlib.suppress(RejectError):
        parse_html(text)


def test_served_page_availability_from_its_player_response():
    """A served page's ytInitialPlayerResponse says the video plays (OK); the 2017 DOM says nothing."""
    assert page_of("en-watch-full.html").availability == "ok"
    assert page_of("de-legacy-2017.html").availability is None


def test_rendered_markers_are_found_past_other_yt_tags():
    """The rendered-DOM check finds a marker after other ``<yt`` tags and only real markers; every
    marker starts with the prefix the scan looks for."""
    from pageclean.formats import selectors as sel
    from pageclean.formats.html import _MARKER_PREFIX, is_rendered

    assert all(marker.startswith(_MARKER_PREFIX) for marker in sel.RENDERED_MARKERS)
    for marker in sel.RENDERED_MARKERS:
        assert is_rendered(f"<html><ytd-app><yt-icon></yt-icon>{marker} class=x></html>")
    assert not is_rendered("<html><ytd-app><yt-icon></yt-icon><ytd-watch-flex></html>")
    assert not is_rendered('<script>var ytInitialData = {"a": "\\u003cytd-watch-flexy"};</script>')


# --- issue 11: script objects parsed from the page's UTF-8 bytes --------------------------------

SCRIPT_NAMES = ("ytInitialData", "ytInitialPlayerResponse")


@pytest.mark.parametrize("page", sorted(HTML.glob("*.html")), ids=lambda p: p.name)
def test_objects_from_the_utf8_bytes_equal_those_from_the_text(page):
    """With the page's bytes, ``find_assigned`` gives what it gives from the text alone, on every
    HTML fixture (served, rendered, legacy, consent wall)."""
    data = page.read_bytes()
    text = data.decode("utf-8")
    for name in SCRIPT_NAMES:
        assert jsonscript.find_assigned(text, name, data) == jsonscript.find_assigned(text, name)


def test_the_bytes_path_is_taken_and_keeps_the_texts_answers(monkeypatch):
    """The object comes from the bytes when orjson takes them there: with the text's decoders
    broken, a served page's objects are still found. Pages it does not fit (more statements after
    the object, multi-byte text and an alias before it, a BOM) give the text path's answer."""
    data = (HTML / "en-watch-full.html").read_bytes()
    text = data.decode("utf-8")
    expected = {name: jsonscript.find_assigned(text, name) for name in SCRIPT_NAMES}
    with monkeypatch.context() as mp:
        mp.setattr(jsonscript, "_decode_value", lambda *_: pytest.fail("the text path ran"))
        for name in SCRIPT_NAMES:
            assert jsonscript.find_assigned(text, name, data) == expected[name]
    tricky = ('<script>window["ytInitialData"] = window["ytInitialData"] || null; // «ключ» 🎧\n'
              'var ytInitialData = {"a": "é🎧", "b": [1, 2]};var meta = {"x": 1};</script>'
              '<script>var ytInitialPlayerResponse = {"p": "ü"} ;\n</script>')
    for raw in (tricky.encode(), b"\xef\xbb\xbf" + tricky.encode()):
        for name in SCRIPT_NAMES:
            assert jsonscript.find_assigned(tricky, name, raw) == jsonscript.find_assigned(tricky, name)
    assert jsonscript.find_assigned(tricky, "ytInitialData", tricky.encode()).value == {"a": "é🎧", "b": [1, 2]}
