"""Where YouTube keeps things: InnerTube renderer keys, DOM selectors and thresholds, as data.

The parsers in ``html.py`` and ``innertube.py`` hold the logic; everything that changes when
YouTube redesigns a page lives here, so a layout change is a data edit. Key names are the ones
yt-dlp (``yt_dlp/extractor/youtube/_video.py``: ``_extract_comment``, ``_extract_comment_old``,
``_extract_chapters_from_engagement_panel``) and NewPipe (``YoutubeStreamExtractor``,
``YoutubeCommentsInfoItemExtractor``) read; cited, not copied.
"""

from __future__ import annotations

# --- <script> variables ------------------------------------------------------------------------

# The JS variables a watch page assigns its InnerTube responses to, in ``var X = {...}``,
# ``window["X"] = {...}`` and the mobile ``var X = '\x7b...'`` forms.
INITIAL_DATA_VAR = "ytInitialData"
PLAYER_RESPONSE_VAR = "ytInitialPlayerResponse"
# What may stand right before the variable name in an assignment (``var ytInitialData =``).
ASSIGNMENT_PREFIXES = ("var ", "let ", "const ", "window.", 'window["', "window['", ";", "\n", " ")
# What a page cut inside each object loses, for the warning: ytInitialData ends with the comments
# entry point, related videos and engagement panels; the player response with the microformat.
LOST_WITH_TRUNCATION = {
    INITIAL_DATA_VAR: "comments, related videos and chapters",
    PLAYER_RESPONSE_VAR: "player details (microformat, exact counts, description)",
}
# ytcfg keys and the ``hl`` query/JSON keys that carry the interface language code.
YTCFG_HL_KEYS = ("INNERTUBE_CONTEXT_HL", "HL")

# Where a player response lists its caption tracks; each ``baseUrl`` repeats the request's ``hl``
# (``...&hl=en-GB&...`` in the player responses NewPipe recorded for an en-GB request:
# TeamNewPipe/NewPipeExtractor @ 43f8e6ebeef469db7c5328714bc5f33c9f06f092 :
# extractor/src/test/resources/mocks/v1/org/schabi/newpipe/extractor/services/youtube/stream/
# youtubestreamextractordefault/cclicensed/generated_mock_3.json).
CAPTION_TRACKS_PATH = ("captions", "playerCaptionsTracklistRenderer", "captionTracks")

# --- page kinds --------------------------------------------------------------------------------

# Keys whose presence anywhere near the top of a response means "this is a watch page".
WATCH_MARKER_KEYS = frozenset(
    {
        "twoColumnWatchNextResults",
        "singleColumnWatchNextResults",
        "videoDetails",
        "currentVideoEndpoint",
        "playerOverlays",
    }
)
# Top-level ``contents`` renderers of pages that are not watch pages, with what to call them.
NON_WATCH_CONTENTS: dict[str, str] = {
    "twoColumnBrowseResultsRenderer": "a YouTube channel, playlist or browse page",
    "singleColumnBrowseResultsRenderer": "a YouTube channel, playlist or browse page (mobile)",
    "twoColumnSearchResultsRenderer": "a YouTube search results page",
    "sectionListRenderer": "a YouTube search or feed page (mobile)",
}
# Top-level keys of any InnerTube response: one of them makes a JSON object "an InnerTube response".
INNERTUBE_TOP_KEYS = frozenset(
    {
        "responseContext",
        "contents",
        "onResponseReceivedEndpoints",
        "onResponseReceivedActions",
        "frameworkUpdates",
        "engagementPanels",
        "videoDetails",
        "playabilityStatus",
        "microformat",
        "continuationContents",
    }
)
# The 2019-2020 "pbj" wrapper (``[{"page": "watch", "response": ..., "playerResponse": ...}]``).
PBJ_RESPONSE_KEY = "response"
PBJ_PLAYER_KEY = "playerResponse"
# m.youtube.com's ``pbj=1`` answers (the watch page, ``watch_comment`` continuations) are a JSON
# array of parts, one or two keys each: ``[{"page": ...}, {"response": ...}, {"timing": ...}]``;
# the response is the second part (yt-dlp @ 06167fbbd3c407ab77e2c7f5031d1ec93886946f :
# youtube_dlc/extractor/youtube.py reads ``replies_data[1]['response']``). A part holding any of
# these keys marks such an array.
PBJ_PART_KEYS = frozenset(
    {"page", "response", "playerResponse", "timing", "endpoint", "url", "csn", "xsrf_token", "rootVe"}
)

# --- renderers walked in ytInitialData / next responses ----------------------------------------

PRIMARY_INFO = "videoPrimaryInfoRenderer"
SECONDARY_INFO = "videoSecondaryInfoRenderer"
OWNER = "videoOwnerRenderer"
VIEW_COUNT = "videoViewCountRenderer"
DESCRIPTION_HEADER = "videoDescriptionHeaderRenderer"  # structured-description panel
DESCRIPTION_BODY = "expandableVideoDescriptionBodyRenderer"
# Mobile (m.youtube.com) metadata: slim renderers carry title / owner / view text.
SLIM_INFO = "slimVideoInformationRenderer"
SLIM_OWNER = "slimOwnerRenderer"
VIDEO_METADATA = "videoMetadataRenderer"

# Chapters: player-bar markers first, then the engagement-panel list (yt-dlp's order).
CHAPTER = "chapterRenderer"  # inside chapteredPlayerBarRenderer / multiMarkersPlayerBarRenderer
MACRO_MARKER = "macroMarkersListItemRenderer"
# Engagement panels whose macro markers are chapters (not e.g. product or problem markers), with
# the ``chapters.source`` they give: the uploader's chapters, or YouTube's automatic ones ("key
# moments"; tests/fixtures/html/en-watch-full.html holds one, en-watch-chapters.html the other).
CHAPTER_PANEL_SOURCES = {
    "engagement-panel-macro-markers-description-chapters": "creator",
    "engagement-panel-macro-markers-auto-chapters": "auto",
}
CHAPTER_PANEL_IDS = tuple(CHAPTER_PANEL_SOURCES)
ENGAGEMENT_PANEL = "engagementPanelSectionListRenderer"
# The comments panel: desktop's id, and the one the mobile watch page (2021 on) and later desktop
# layouts use (yt-dlp @ 0df111a371f191a2513e681ec30fc8563545c983 : yt_dlp/extractor/youtube.py
# reads the comment count from the ``comment-item-section`` panel's ``contextualInfo``).
COMMENTS_PANEL_IDS = ("engagement-panel-comments-section", "comment-item-section")
PANEL_HEADER = "engagementPanelTitleHeaderRenderer"

# Related videos: the classic compact renderer, the mobile one, and the 2024+ lockup view model.
COMPACT_VIDEO = "compactVideoRenderer"
MOBILE_VIDEO = "videoWithContextRenderer"
LOCKUP = "lockupViewModel"
LOCKUP_VIDEO_TYPES = frozenset({"LOCKUP_CONTENT_TYPE_VIDEO"})

# Comments.
COMMENTS_ENTRY_HEADER = "commentsEntryPointHeaderRenderer"  # on the watch page, collapsed
COMMENTS_HEADER = "commentsHeaderRenderer"  # first continuation
COMMENT_THREAD = "commentThreadRenderer"
COMMENT_OLD = "commentRenderer"  # up to 2023
COMMENT_VIEW_MODEL = "commentViewModel"  # from 2024; data in frameworkUpdates mutations
COMMENT_ENTITY = "commentEntityPayload"
TOOLBAR_ENTITY = "engagementToolbarStateEntityPayload"

# Like button: the view-model generation, then the older toggle button.
LIKE_BUTTON_VIEW_MODEL = "likeButtonViewModel"
TOGGLE_BUTTON = "toggleButtonRenderer"
LIKE_ICON_TYPES = frozenset({"LIKE"})

# Renderers that show a message in place of the video ("This video isn't available anymore"):
# the watch page's alert (NewPipe @ 43f8e6ebeef469db7c5328714bc5f33c9f06f092 :
# extractor/src/main/java/org/schabi/newpipe/extractor/services/youtube/YoutubeParsingHelper.java
# ``defaultAlertsCheck``), the promo and message renderers YouTube puts in a results list instead
# of content (the same repository's YoutubeSearchExtractor.java reads ``backgroundPromoRenderer``),
# and the player's error screen (yt-dlp ``_video.py``: ``errorScreen.playerErrorMessageRenderer``).
ALERT = "alertRenderer"
ALERT_WITH_BUTTON = "alertWithButtonRenderer"
BACKGROUND_PROMO = "backgroundPromoRenderer"
MESSAGE = "messageRenderer"
MESSAGE_RENDERERS = (ALERT, ALERT_WITH_BUTTON, BACKGROUND_PROMO, MESSAGE)
# The fields of those renderers that hold the message, in order.
MESSAGE_TEXT_KEYS = ("title", "text", "bodyText", "reason", "subreason")

# Every renderer key the single walk over a response collects (one pass, not one per key).
WALKED_KEYS = frozenset(
    {
        PRIMARY_INFO,
        SECONDARY_INFO,
        OWNER,
        VIEW_COUNT,
        DESCRIPTION_HEADER,
        DESCRIPTION_BODY,
        SLIM_INFO,
        SLIM_OWNER,
        VIDEO_METADATA,
        CHAPTER,
        ENGAGEMENT_PANEL,
        COMPACT_VIDEO,
        MOBILE_VIDEO,
        LOCKUP,
        COMMENTS_ENTRY_HEADER,
        COMMENTS_HEADER,
        LIKE_BUTTON_VIEW_MODEL,
        TOGGLE_BUTTON,
        *MESSAGE_RENDERERS,
    }
)
# Keys whose subtrees hold no renderer we read, in any layout seen: images, tracking and logging,
# screen-reader labels, badges, the masthead, the response's own context (read by path), and the
# 2024 entity store (comment payloads are read by path from its mutations). The walk does not
# enter them; on the served watch page they are most of the tree.
PRUNED_KEYS = frozenset(
    {
        "thumbnail",
        "thumbnails",
        "thumbnailOverlays",
        "richThumbnail",
        "accessibility",
        "accessibilityData",
        "commandMetadata",
        "webCommandMetadata",
        "loggingDirectives",
        "icon",
        "ownerBadges",
        "badges",
        "topbar",
        "responseContext",
        "frameworkUpdates",
    }
)
# Renderers read whole, by path, that never hold another renderer the walk looks for: once one is
# recorded, the walk does not go inside it (a related-video card is ~100 nodes of thumbnails,
# menus and endpoints). Not the like buttons: ``likeButtonViewModel`` nests another one.
LEAF_RENDERERS = frozenset(
    {
        COMPACT_VIDEO,
        MOBILE_VIDEO,
        LOCKUP,
        CHAPTER,
        VIEW_COUNT,
        OWNER,
        SLIM_OWNER,
        COMMENTS_HEADER,
        COMMENTS_ENTRY_HEADER,
        *MESSAGE_RENDERERS,
    }
)

# --- availability (playabilityStatus) ----------------------------------------------------------

# ``playabilityStatus.status`` -> ``videos.availability``. The statuses are the ones yt-dlp
# (``_video.py``: ``_is_agegated``, ``_is_unplayable``, ``_is_error_response``, the statuses it
# accepts as playable) and NewPipe (YoutubeStreamExtractor.java ``checkPlayabilityStatus``) know;
# LOGIN_REQUIRED, UNPLAYABLE and LIVE_STREAM_OFFLINE are refined below. A status not listed gives
# null with a warning.
PLAYABILITY_STATUS = {
    "OK": "ok",
    "ERROR": "unavailable",
    "UNPLAYABLE": "unplayable",
    "LOGIN_REQUIRED": "login_required",
    "AGE_CHECK_REQUIRED": "age_restricted",
    "AGE_VERIFICATION_REQUIRED": "age_restricted",
    "LIVE_STREAM_OFFLINE": "live_offline",
}
# The reason YouTube gives, when it is in English, narrows a status down (NewPipe's
# ``checkPlayabilityStatus``: "inappropriate for some users" is age, "private" is a private video,
# "members" a members-only one; yt-dlp ``_is_agegated``: "confirm your age", "age-restricted",
# "inappropriate"). In other UI languages the status alone decides: still true, less precise.
REASON_CUES: dict[str, tuple[tuple[str, str], ...]] = {
    "LOGIN_REQUIRED": (
        ("private", "private"),
        ("inappropriate", "age_restricted"),
        ("confirm your age", "age_restricted"),
        ("age-restricted", "age_restricted"),
    ),
    # "This video is only available to Music Premium members" is a paid service, not a channel's
    # members: NewPipe tests "Music Premium" before "members".
    "UNPLAYABLE": (("music premium", "unplayable"), ("members", "members_only")),
    "ERROR": (("private", "private"),),
}
# ``playabilityStatus.desktopLegacyAgeGateReason`` marks an age gate in any language (yt-dlp).
AGE_GATE_KEY = "desktopLegacyAgeGateReason"
# The watch page's badge for members-only videos (yt-dlp ``_base.py`` BadgeType
# AVAILABILITY_SUBSCRIPTION).
MEMBERS_ONLY_BADGE = "BADGE_STYLE_TYPE_MEMBERS_ONLY"

# --- legacy (2017) server-rendered DOM ---------------------------------------------------------

LEGACY_MARKERS = ('id="eow-title"', 'id="watch7-content"', 'itemprop="videoId"')
LEGACY = {
    "title": "#eow-title",
    "views": ".watch-view-count",
    "published": "#watch-uploader-info",
    "description": "#eow-description",
    "channel": "#watch7-user-header .yt-user-info a",
    "channel_any": "#watch7-user-header a[href]",
    "like": ".like-button-renderer-like-button-unclicked .yt-uix-button-content",
    "related_item": "li.video-list-item",
    "related_title": ".title",
    "related_channel": ".stat.attribution",
    "related_views": ".stat.view-count",
    "related_duration": ".video-time",
    "related_link": "a[href*='watch?v=']",
}
# ``meta[itemprop=...]`` names inside the schema.org VideoObject.
ITEMPROP_VIDEO_ID = "videoId"
ITEMPROP_TITLE = "name"
ITEMPROP_VIEWS = "interactionCount"
ITEMPROP_PUBLISHED = "datePublished"
ITEMPROP_DURATION = "duration"
ITEMPROP_CHANNEL_ID = "channelId"

# --- browser-rendered DOM (ytd-* custom elements, Playwright ``page.content()``) ----------------

# A served page has an empty ``<ytd-app>`` shell too, so only elements the app renders count.
RENDERED_MARKERS = (
    "<ytd-watch-flexy",
    "<ytd-watch-metadata",
    "<ytd-video-primary-info-renderer",
    "<ytd-comment-thread-renderer",
    "<ytd-compact-video-renderer",
    "<yt-lockup-view-model",
)
RENDERED = {
    "flexy": "ytd-watch-flexy[video-id]",
    "title": (
        "h1.ytd-watch-metadata",
        "ytd-watch-metadata #title h1",
        "ytd-video-primary-info-renderer h1.title",
    ),
    "channel": (
        "ytd-watch-metadata ytd-channel-name a",
        "ytd-video-owner-renderer ytd-channel-name a",
        "#owner #channel-name a",
    ),
    "view_count": ("ytd-video-view-count-renderer .view-count",),
    # 2023+ layout: "1,856,109 views  6 years ago  #tag" as sibling spans in #info.
    "info_spans": ("ytd-watch-info-text #info span", "#info-container #info span"),
    "date": ("#info-strings yt-formatted-string", "ytd-video-primary-info-renderer #date"),
    "description": (
        "#description-inline-expander yt-attributed-string",
        "#description-inline-expander #expanded",
        "#description-inline-expander",
        "ytd-video-secondary-info-renderer #description",
    ),
    "comment_count": (
        "ytd-comments-header-renderer #count",
        "ytd-comments-header-renderer h2",
    ),
    "thread": "ytd-comment-thread-renderer",
    "comment": "ytd-comment-view-model, ytd-comment-renderer",
    "replies": "#replies",
    "author": "#author-text",
    "content": "#content-text",
    "published": "#published-time-text",
    "votes": "#vote-count-middle",
    "more_replies": "#more-replies",
    "compact_video": "ytd-compact-video-renderer",
    "compact_title": "#video-title",
    "compact_channel": ("ytd-channel-name #text", "#channel-name"),
    "compact_meta": "#metadata-line span",
    "compact_duration": (
        "ytd-thumbnail-overlay-time-status-renderer #text",
        "[class*='badge-shape'][class*='__text']",
    ),
    "lockup": "yt-lockup-view-model",
    "lockup_title": ("[class*='lockup-metadata-view-model'][class*='__title']", "h3"),
    "lockup_rows": "[class*='content-metadata-view-model'][class*='__metadata-row']",
    "lockup_duration": ("[class*='badge-shape'][class*='__text']",),
    # A lockup of a collection (playlist, mix, album), not a video: InnerTube gives its
    # contentImage as a collectionThumbnailViewModel where a video has a thumbnailViewModel
    # (LuanRT/YouTube.js @ acc908a4edbd8967d1017a25ac186e9bdb0d4e39 : src/parser/classes/
    # LockupView.ts), rendered as the element of the same name; its link opens the list (list=).
    "lockup_collection": "yt-collection-thumbnail-view-model, [class*='collection-thumbnail-view-model']",
    "watch_link": "a[href*='watch?v=']",
}
# Query parameter of a comment's permalink (``/watch?v=ID&lc=COMMENT_ID``).
COMMENT_LINK_PARAM = "lc"

# --- consent walls and other non-watch HTML ----------------------------------------------------

CONSENT_MARKERS = ("consent.youtube.com", "consent.google.com")

# --- thresholds --------------------------------------------------------------------------------

# Compact display counts ("1.8M", "43K") are truncated to 2-3 significant digits, so a display
# value may sit up to one unit of its last shown digit below the exact count; allow one more unit
# for the languages that round instead of truncating.
COMPACT_TOLERANCE_UNITS = 1
# A count displayed in full is exact, but YouTube serves the display text and the machine count
# from different caches; allow this relative drift before calling it a disagreement.
EXACT_COUNT_DRIFT = 0.01
# Curated count and seconds columns are int64: a larger number (a hostile "viewCount") would make
# the Parquet writer refuse the whole batch, so parsers drop it instead. 19 digits bound int("...")
# cost before the range check.
MAX_INT64 = 2**63 - 1
MIN_INT64 = -(2**63)
MAX_INT_DIGITS = 19
# YouTube launched in 2005; an age label older than this is garbage, and a huge one overflows the
# ``scraped_at - age`` subtraction.
MAX_AGE_SECONDS = 50 * 365 * 24 * 3600
# YouTube's video ids are 11 characters of [A-Za-z0-9_-].
VIDEO_ID_PATTERN = r"[A-Za-z0-9_-]{11}"
YOUTUBE_ORIGIN = "https://www.youtube.com"
