"""What an InnerTube response says about the page, display strings still unparsed.

The readers here take the renderers ``walk.collect`` found (and the player response, by path) and
return raw records: exact numbers where the JSON has them, display strings ("1.8M views",
"3 years ago") as shown. Nothing here knows the page's language; ``innertube.build_page`` reads the
strings once the language is decided. Field names follow yt-dlp
(``yt_dlp/extractor/youtube/_video.py``) and NewPipe's ``YoutubeStreamExtractor`` /
``YoutubeCommentsInfoItemExtractor``; see ``selectors.py``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pageclean.extract.chapters import parse_timestamp
from pageclean.extract.links import absolute_href, link_from_href, links_from_text
from pageclean.formats import selectors as sel
from pageclean.formats.walk import Collected, dig, find_first, list_at, obj_at, values_under
from pageclean.model import Chapter, Link

_VIDEO_ID = re.compile(rf"^{sel.VIDEO_ID_PATTERN}$")
_SKIPPED_LINK_PREFIXES = ("/hashtag/",)  # hashtags are topic tags, not links
# The largest code point that is one UTF-16 code unit: past it, attributed-string offsets differ.
_BMP_MAX = "\uffff"


# --- small readers -----------------------------------------------------------------------------


def text_of(node: object) -> str | None:
    """The display text of an InnerTube text node: simpleText, runs, or an attributed string."""
    if isinstance(node, str):
        return node
    if not isinstance(node, dict):
        return None
    if isinstance(simple := node.get("simpleText"), str):
        return simple
    runs = node.get("runs")
    if isinstance(runs, list):
        joined = "".join(t for r in runs if isinstance(r, dict) and isinstance(t := r.get("text"), str))
        return joined or None
    if isinstance(content := node.get("content"), str):
        return content
    return None



def to_int(value: object) -> int | None:
    """An int from an InnerTube number field (``"1856109"``, ``39.16``); None past int64.

    >>> to_int("1856109"), to_int(39.16), to_int("9" * 25), to_int(True)
    (1856109, 39, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value):
        number = int(value)
    elif isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) <= sel.MAX_INT_DIGITS:
        number = int(value.strip())
    else:
        return None
    return number if sel.MIN_INT64 <= number <= sel.MAX_INT64 else None


def clock_seconds(text: str | None) -> int | None:
    """``"17:45"`` / ``"1:02:03"`` (a duration badge or time description) -> seconds."""
    if not text:
        return None
    return parse_timestamp(text.strip().lstrip("-").strip())


def iso_datetime(value: object) -> datetime | None:
    """``"2018-08-02T06:00:08-07:00"`` or ``"2018-08-02"`` -> an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def video_id_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and _VIDEO_ID.match(value) else None


def utf16_slicer(text: str) -> Callable[[int, int], str]:
    """``slice(start, length)``: ``text[start:start+length]`` in UTF-16 code units, as
    attributed-string offsets count. The text is looked at once, not once per link: ``max(text)``
    over a long description for each of its links was 20% of ``description_links``."""
    if not text or max(text) <= _BMP_MAX:  # one C pass; the common case needs no re-encoding
        return lambda start, length: text[start : start + length]
    encoded = text.encode("utf-16-le")
    return lambda start, length: encoded[2 * start : 2 * (start + length)].decode("utf-16-le", "ignore")


# --- the video ---------------------------------------------------------------------------------


@dataclass(slots=True)
class RawVideo:
    """What the JSON says about the video, display strings still unparsed."""

    video_id: str | None = None
    title: str | None = None
    channel: str | None = None
    channel_id: str | None = None
    view_count: int | None = None
    views_texts: list[str] = field(default_factory=list)  # full first, then compact
    relative_date: str | None = None
    date_text: str | None = None
    published_date: datetime | None = None
    comments_text: str | None = None
    comments_number: str | None = None  # the run of comments_text that holds the number, if apart
    comments_labels: list[str] = field(default_factory=list)
    like_count: int | None = None
    like_texts: list[str] = field(default_factory=list)
    duration_seconds: int | None = None
    description: str | None = None
    warnings: list[str] = field(default_factory=list)


def first_text(*nodes: object) -> str | None:
    for node in nodes:
        if (text := text_of(node)) and text.strip():
            return text.strip()
    return None


def raw_video(initial: dict | None, player: dict | None, found: Collected) -> RawVideo:
    details = obj_at(player, "videoDetails")
    micro = obj_at(player, "microformat", "playerMicroformatRenderer")
    primary = found.first(sel.PRIMARY_INFO) or {}
    secondary = found.first(sel.SECONDARY_INFO) or {}
    owner = found.first(sel.OWNER) or {}
    header = found.first(sel.DESCRIPTION_HEADER) or {}
    slim = found.first(sel.SLIM_INFO) or {}
    slim_owner = found.first(sel.SLIM_OWNER) or {}
    meta = found.first(sel.VIDEO_METADATA) or {}
    raw = RawVideo()

    player_id = video_id_or_none(details.get("videoId")) or video_id_or_none(micro.get("externalVideoId"))
    initial_id = video_id_or_none(dig(initial, "currentVideoEndpoint", "watchEndpoint", "videoId"))
    if player_id and initial_id and player_id != initial_id:
        raw.warnings.append(
            f"The player response is for video {player_id} but ytInitialData is for "
            f"{initial_id}; the player response's id is kept."
        )
    raw.video_id = player_id or initial_id

    raw.title = first_text(
        details.get("title"),
        micro.get("title"),
        primary.get("title"),
        header.get("title"),
        slim.get("title"),
        meta.get("title"),
    )
    raw.channel = first_text(
        details.get("author"),
        micro.get("ownerChannelName"),
        owner.get("title"),
        header.get("channel"),
        slim_owner.get("title"),
        slim_owner.get("channelName"),
    )
    raw.channel_id = next(
        (
            c
            for c in (
                details.get("channelId"),
                micro.get("externalChannelId"),
                dig(owner, "navigationEndpoint", "browseEndpoint", "browseId"),
                dig(header, "channelNavigationEndpoint", "browseEndpoint", "browseId"),
                dig(slim_owner, "navigationEndpoint", "browseEndpoint", "browseId"),
            )
            if isinstance(c, str) and c
        ),
        None,
    )
    raw.view_count = to_int(details.get("viewCount"))
    if raw.view_count is None:
        raw.view_count = to_int(micro.get("viewCount"))
    for counter in found.all(sel.VIEW_COUNT):
        if counter.get("isLive"):
            continue  # "1,234 watching now" counts viewers, not views
        for key in ("viewCount", "shortViewCount"):
            if (text := first_text(counter.get(key))) and text not in raw.views_texts:
                raw.views_texts.append(text)
    if not raw.views_texts and (text := first_text(header.get("views"), slim.get("expandedSubtitle"))):
        raw.views_texts.append(text)

    raw.relative_date = first_text(primary.get("relativeDateText"))
    raw.date_text = first_text(primary.get("dateText"), header.get("publishDate"))
    raw.published_date = iso_datetime(micro.get("publishDate")) or iso_datetime(micro.get("uploadDate"))
    raw.duration_seconds = to_int(details.get("lengthSeconds"))
    if raw.duration_seconds is None:
        raw.duration_seconds = to_int(micro.get("lengthSeconds"))
    raw.like_count = to_int(micro.get("likeCount"))
    raw.like_texts = like_texts(found)
    raw.comments_text, raw.comments_labels, raw.comments_number = comments_header(found)
    raw.description = description_text(details, micro, secondary, found)
    return raw


def like_texts(found: Collected) -> list[str]:
    """The like button's display count (``"43K"``), from either button generation."""
    texts: list[str] = []
    for model in found.all(sel.LIKE_BUTTON_VIEW_MODEL):
        button = find_first(model, "buttonViewModel")
        if isinstance(button, dict) and isinstance(title := button.get("title"), str):
            texts.append(title)
    for toggle in found.all(sel.TOGGLE_BUTTON):
        if (icon := dig(toggle, "defaultIcon", "iconType")) in sel.LIKE_ICON_TYPES and isinstance(icon, str):
            default = toggle.get("defaultText")
            # The accessibility label is exact ("79,487 likes"); the shown text is compact ("79K").
            label = dig(default, "accessibility", "accessibilityData", "label")
            texts.extend(t for t in (label, first_text(default)) if isinstance(t, str) and t)
    return [t for t in texts if any(ch.isdigit() for ch in t)]


def number_run(node: object) -> str | None:
    """The one run of a runs text that holds the digits, when the others hold none: YouTube puts
    the count in a run of its own ("1 234" + " komentarzy"), so the count reads without knowing
    the noun's spelling in that language (it is then a bare or compact number)."""
    runs = node.get("runs") if isinstance(node, dict) else None
    if not isinstance(runs, list):
        return None
    texts = [t.strip() for r in runs if isinstance(r, dict) and isinstance(t := r.get("text"), str)]
    with_digits = [t for t in texts if any(ch.isdigit() for ch in t)]
    return with_digits[0] if len(with_digits) == 1 and len(texts) > 1 else None


def comments_header(found: Collected) -> tuple[str | None, list[str], str | None]:
    """(the comment-count display string, header words like "Comments", the run of that string
    holding the number when it has one of its own) from any generation.

    A header whose count field holds no digit is a label, not a count: 2026 watch pages carry a
    screen-reader ``commentsHeaderRenderer`` whose ``countText`` is just "Comments", and the count
    ("28k") in the comments panel's ``contextualInfo`` (NewPipe's recorded ``next`` responses,
    TeamNewPipe/NewPipeExtractor @ 43f8e6eb : .../youtubestreamextractordefault/*/generated_mock_8.json).
    """
    labels: list[str] = []
    candidates: list[tuple[object, tuple[object, ...]]] = []
    for header in found.all(sel.COMMENTS_HEADER):
        candidates.append((header.get("titleText"), (header.get("countText"), header.get("commentsCount"))))
    for entry in found.all(sel.COMMENTS_ENTRY_HEADER):
        candidates.append((entry.get("headerText"), (entry.get("commentCount"),)))
    for panel in found.all(sel.ENGAGEMENT_PANEL):
        if panel.get("panelIdentifier") in sel.COMMENTS_PANEL_IDS or panel.get("targetId") in sel.COMMENTS_PANEL_IDS:
            header = obj_at(panel, "header", sel.PANEL_HEADER)
            candidates.append((header.get("title"), (header.get("contextualInfo"),)))
    for title_node, count_nodes in candidates:
        if (title := first_text(title_node)) and title not in labels:
            labels.append(title)
        for node in count_nodes:
            text = first_text(node)
            if text and any(ch.isdigit() for ch in text):
                return text, labels, number_run(node)
            if text and text not in labels:
                labels.append(text)
    return None, labels, None


def description_text(details: dict, micro: dict, secondary: dict, found: Collected) -> str | None:
    """The uploader's description: the player's raw text first (full URLs, exact timestamps)."""
    body = found.first(sel.DESCRIPTION_BODY) or {}
    for candidate in (
        details.get("shortDescription"),
        text_of(micro.get("description")),
        text_of(secondary.get("attributedDescription")),
        text_of(secondary.get("description")),
        text_of(body.get("attributedDescriptionBodyText")),
        text_of(body.get("descriptionBodyText")),
    ):
        if isinstance(candidate, str) and candidate.strip():
            return candidate
    return None



# --- chapters, links, related ------------------------------------------------------------------


def chapters_from_json(found: Collected, duration: int | None) -> list[Chapter]:
    """Chapters from the player bar, else from the chapter engagement panels (yt-dlp's order).

    Their ``source`` is ``creator``, or ``auto`` when they come from YouTube's automatic-chapters
    panel.
    """
    bar = [(to_int(c.get("timeRangeStartMillis")), first_text(c.get("title"))) for c in found.all(sel.CHAPTER)]
    pairs = [(ms // 1000, title) for ms, title in bar if ms is not None and title]
    source = "creator"
    if not pairs:
        pairs, source = _panel_chapters(found)
    unique = sorted(set(pairs))
    chapters = [Chapter(start_seconds=start, title=title, source=source) for start, title in unique]
    for chapter, following in itertools.pairwise(chapters):
        chapter.end_seconds = following.start_seconds
    if chapters and duration and duration > chapters[-1].start_seconds:
        chapters[-1].end_seconds = duration
    return chapters


def _panel_chapters(found: Collected) -> tuple[list[tuple[int, str]], str]:
    panels = found.all(sel.ENGAGEMENT_PANEL)
    preferred = [p for p in panels if p.get("panelIdentifier") in sel.CHAPTER_PANEL_IDS]
    for panel in preferred or panels:
        markers = [m for m in values_under(panel, sel.MACRO_MARKER, sel.PRUNED_KEYS) if isinstance(m, dict)]
        pairs = []
        for marker in markers:
            title = first_text(marker.get("title"))
            start = to_int(dig(marker, "onTap", "watchEndpoint", "startTimeSeconds"))
            if start is None:
                start = clock_seconds(first_text(marker.get("timeDescription")))
            if title and start is not None:
                pairs.append((start, title))
        if pairs:
            panel_id = panel.get("panelIdentifier")
            return pairs, sel.CHAPTER_PANEL_SOURCES.get(panel_id, "creator") if isinstance(panel_id, str) else "creator"
    return [], "creator"



def description_links(found: Collected, description: str | None) -> list[Link]:
    """Links of the description: the page's own hyperlinks first, then URLs in its text."""
    links: list[Link] = []
    secondary = found.first(sel.SECONDARY_INFO) or {}
    body = found.first(sel.DESCRIPTION_BODY) or {}
    for attributed in (
        secondary.get("attributedDescription"),
        body.get("attributedDescriptionBodyText"),
    ):
        if not isinstance(attributed, dict):
            continue
        content = attributed.get("content")
        shown_at = utf16_slicer(content if isinstance(content, str) else "")
        for run in list_at(attributed, "commandRuns"):
            if not isinstance(run, dict):
                continue
            url = _endpoint_url(dig(run, "onTap", "innertubeCommand"))
            start, length = to_int(run.get("startIndex")), to_int(run.get("length"))
            shown = shown_at(start, length) if start is not None and length else None
            _add_link(links, url, shown)
    for runs_owner in (secondary.get("description"), body.get("descriptionBodyText")):
        for run in list_at(runs_owner, "runs"):
            if isinstance(run, dict):
                _add_link(links, _endpoint_url(run.get("navigationEndpoint")), run.get("text"))
    seen = {link.url for link in links}
    for link in links_from_text(description, "description"):
        if link.url not in seen:
            seen.add(link.url)
            links.append(link)
    return links


def _endpoint_url(endpoint: object) -> str | None:
    url = dig(endpoint, "urlEndpoint", "url") or dig(endpoint, "commandMetadata", "webCommandMetadata", "url")
    return url if isinstance(url, str) and url else None


def _add_link(links: list[Link], url: str | None, shown: object) -> None:
    if not url or url.startswith(_SKIPPED_LINK_PREFIXES):
        return
    display = shown.strip() if isinstance(shown, str) and shown.strip() else None
    link = link_from_href(absolute_href(url, sel.YOUTUBE_ORIGIN), display, "description")
    if link is not None and all(existing.url != link.url for existing in links):
        links.append(link)



@dataclass(slots=True)
class RawRelated:
    title: str
    channel: str | None
    duration_text: str | None
    views_text: str | None
    video_id: str | None
    published_text: str | None
    parts: list[str] = field(default_factory=list)  # lockup metadata parts not yet classified


def raw_related(found: Collected, current_id: str | None) -> list[RawRelated]:
    out: list[RawRelated] = []
    for key in (sel.COMPACT_VIDEO, sel.MOBILE_VIDEO):
        for r in found.all(key):
            title = first_text(r.get("title"), r.get("headline"))
            if not title:
                continue
            out.append(
                RawRelated(
                    title=title,
                    channel=first_text(r.get("longBylineText"), r.get("shortBylineText")),
                    duration_text=first_text(r.get("lengthText")),
                    views_text=first_text(r.get("viewCountText"), r.get("shortViewCountText")),
                    video_id=video_id_or_none(r.get("videoId")),
                    published_text=first_text(r.get("publishedTimeText")),
                )
            )
    for lockup in found.all(sel.LOCKUP):
        kind = lockup.get("contentType")
        if kind and not (isinstance(kind, str) and kind in sel.LOCKUP_VIDEO_TYPES):
            continue
        item = _raw_lockup(lockup)
        if item is not None:
            out.append(item)
    seen: set[str | None] = {current_id} if current_id else set()
    unique: list[RawRelated] = []
    for item in out:
        if item.video_id is not None and item.video_id in seen:
            continue
        seen.add(item.video_id)
        unique.append(item)
    return unique


def _raw_lockup(lockup: dict) -> RawRelated | None:
    meta = obj_at(lockup, "metadata", "lockupMetadataViewModel")
    title = first_text(meta.get("title"))
    if not title:
        return None
    rows = list_at(meta, "metadata", "contentMetadataViewModel", "metadataRows")
    row_texts = [[t for part in list_at(row, "metadataParts") if (t := first_text(dig(part, "text")))] for row in rows]
    row_texts = [r for r in row_texts if r]
    channel = row_texts[0][0] if len(row_texts) >= 2 else None
    parts = [t for r in (row_texts[1:] if channel else row_texts) for t in r]
    badges = [
        b.get("text")
        for b in values_under(lockup.get("contentImage"), "thumbnailBadgeViewModel")
        if isinstance(b, dict)
    ]
    duration = next((b for b in badges if isinstance(b, str) and clock_seconds(b) is not None), None)
    video_id = video_id_or_none(lockup.get("contentId")) or video_id_or_none(
        find_first(lockup.get("rendererContext"), "videoId")
    )
    return RawRelated(title, channel, duration, None, video_id, None, parts)
