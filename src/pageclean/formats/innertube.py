"""InnerTube JSON (``next``/``player``, ytInitialData, comment continuations) -> ParsedPage.

The JSON is walked once, collecting the renderers we read wherever they sit, so a response
nested one level deeper next year still parses; every key may be missing. Machine-readable
numbers win over display strings; display strings go through ``pageclean.localize`` in the page's
UI language and are cross-checked against the numbers. Field names follow yt-dlp
(``yt_dlp/extractor/youtube/_video.py``) and NewPipe's ``YoutubeStreamExtractor`` /
``YoutubeCommentsInfoItemExtractor``; see ``selectors.py``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pageclean import localize
from pageclean.errors import RejectError
from pageclean.extract.chapters import chapters_from_description, parse_timestamp
from pageclean.extract.links import absolute_href, link_from_href, links_from_text
from pageclean.formats import selectors as sel
from pageclean.model import Chapter, Comment, Link, ParsedPage, RelatedVideo

PARSER = "innertube"
_VIDEO_ID = re.compile(rf"^{sel.VIDEO_ID_PATTERN}$")
# A reply's text starts with the handle it answers: "@handle " (2023+) or "@@handle" (older).
_REPLY_MARKER = re.compile(r"^@(@?)([^\s@]{1,100})")
_SKIPPED_LINK_PREFIXES = ("/hashtag/",)  # hashtags are topic tags, not links


# --- public entry points -----------------------------------------------------------------------


def parse_innertube(obj: object) -> ParsedPage:
    """One saved InnerTube response (already ``json.loads``-ed) -> ParsedPage.

    Accepts a ``next`` response or bare ytInitialData, a ``player`` response, the 2019-2020
    ``{"response": ..., "playerResponse": ...}`` wrapper, and comment continuations (which carry
    no video metadata: ``video_id`` stays None for the pipeline to fill from the sidecar).
    """
    if not isinstance(obj, dict):
        raise RejectError(
            "bad_json",
            f"The JSON document is a {type(obj).__name__}, not an object; InnerTube responses are objects.",
        )
    initial, player = split_response(obj)
    return build_page(initial, player, parser=PARSER, hl_hints=[])


def split_response(obj: dict) -> tuple[dict | None, dict | None]:
    """(ytInitialData-like part, player-response part) of a saved JSON object; rejects others."""
    wrapped_initial = obj.get(sel.PBJ_RESPONSE_KEY)
    wrapped_player = obj.get(sel.PBJ_PLAYER_KEY)
    if isinstance(wrapped_initial, dict) or isinstance(wrapped_player, dict):
        initial = wrapped_initial if isinstance(wrapped_initial, dict) else None
        player = wrapped_player if isinstance(wrapped_player, dict) else None
    elif not sel.INNERTUBE_TOP_KEYS.intersection(obj):
        keys = ", ".join(sorted(obj)[:6]) or "none"
        raise RejectError(
            "not_a_watch_page",
            f"This is a JSON object that is not an InnerTube response (top-level keys: {keys}), "
            "not a saved watch page or comment response.",
        )
    elif "videoDetails" in obj or ("playabilityStatus" in obj and "contents" not in obj):
        initial, player = None, obj
    else:
        initial, player = obj, None
    if initial is not None:
        reject_non_watch(initial)
    return initial, player


def reject_non_watch(initial: dict) -> None:
    """Raise ``not_a_watch_page`` for channel, search and browse responses."""
    contents = initial.get("contents")
    if not isinstance(contents, dict) or sel.WATCH_MARKER_KEYS.intersection(contents):
        return
    if sel.WATCH_MARKER_KEYS.intersection(initial):
        return
    for key, what in sel.NON_WATCH_CONTENTS.items():
        if key in contents:
            raise RejectError(
                "not_a_watch_page",
                f"This is {what} (ytInitialData holds {key}), not a watch page.",
            )


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


def dig(node: object, *path: str | int) -> object:
    """``node[p0][p1]...`` or None when any step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                return None
            node = node[step]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(step)
    return node


def obj_at(node: object, *path: str | int) -> dict:
    """``dig`` that always gives a dict (``{}`` when the value is missing or not an object)."""
    found = dig(node, *path)
    return found if isinstance(found, dict) else {}


def list_at(node: object, *path: str | int) -> list:
    """``dig`` that always gives a list (``[]`` when the value is missing or not an array)."""
    found = dig(node, *path)
    return found if isinstance(found, list) else []


def find_first(node: object, key: str) -> object:
    """The first value stored under ``key`` anywhere below ``node`` (depth-first)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if key in current:
                return current[key]
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))
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


def utf16_slice(text: str, start: int, length: int) -> str:
    """``text[start:start+length]`` in UTF-16 code units, as attributed-string offsets count."""
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return text[start : start + length]
    encoded = text.encode("utf-16-le")
    return encoded[2 * start : 2 * (start + length)].decode("utf-16-le", "ignore")


# --- the walk ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Collected:
    """Renderers found in one response, by key, in document order."""

    by_key: dict[str, list[dict]] = field(default_factory=dict)
    comment_nodes: list[tuple[str, dict]] = field(default_factory=list)  # ("old"|"vm", node)

    def all(self, key: str) -> list[dict]:
        return self.by_key.get(key, [])

    def first(self, key: str) -> dict | None:
        found = self.by_key.get(key)
        return found[0] if found else None


def collect(root: object) -> Collected:
    """One depth-first pass over a response, keeping the renderers ``selectors`` names."""
    out = Collected()
    wanted = sel.WALKED_KEYS
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(value, dict):
                    continue
                if key in wanted:
                    out.by_key.setdefault(key, []).append(value)
                elif key == sel.COMMENT_OLD:
                    out.comment_nodes.append(("old", value))
                elif key == sel.COMMENT_VIEW_MODEL and "commentKey" in value:
                    out.comment_nodes.append(("vm", value))
            children = [v for k, v in node.items() if k != "replies"]
            if "replies" in node:
                # A thread lists its replies before its own comment in 2024 responses; the
                # comment comes first in page order.
                children.append(node["replies"])
            stack.extend(v for v in reversed(children) if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in reversed(node) if isinstance(v, dict | list))
    return out


def mutations_of(initial: dict | None) -> list[dict]:
    found = dig(initial, "frameworkUpdates", "entityBatchUpdate", "mutations")
    return [m for m in found if isinstance(m, dict)] if isinstance(found, list) else []


# --- raw display strings, before the language is known -----------------------------------------


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
    raw.comments_text, raw.comments_labels = comments_header(found)
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


def comments_header(found: Collected) -> tuple[str | None, list[str]]:
    """(the comment-count display string, header words like "Comments") from any generation."""
    labels: list[str] = []
    for header in found.all(sel.COMMENTS_HEADER):
        if title := first_text(header.get("titleText")):
            labels.append(title)
        if text := first_text(header.get("countText"), header.get("commentsCount")):
            return text, labels
    for entry in found.all(sel.COMMENTS_ENTRY_HEADER):
        if title := first_text(entry.get("headerText")):
            labels.append(title)
        if text := first_text(entry.get("commentCount")):
            return text, labels
    for panel in found.all(sel.ENGAGEMENT_PANEL):
        if sel.COMMENTS_PANEL_ID not in (panel.get("panelIdentifier"), panel.get("targetId")):
            continue
        header = obj_at(panel, "header", sel.PANEL_HEADER)
        if title := first_text(header.get("title")):
            labels.append(title)
        if text := first_text(header.get("contextualInfo")):
            return text, labels
    return None, labels


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
    """Chapters from the player bar, else from the chapter engagement panels (yt-dlp's order)."""
    bar = [(to_int(c.get("timeRangeStartMillis")), first_text(c.get("title"))) for c in found.all(sel.CHAPTER)]
    pairs = [(ms // 1000, title) for ms, title in bar if ms is not None and title]
    if not pairs:
        pairs = _panel_chapters(found)
    unique = sorted(set(pairs))
    chapters = [Chapter(start_seconds=start, title=title) for start, title in unique]
    for chapter, following in itertools.pairwise(chapters):
        chapter.end_seconds = following.start_seconds
    if chapters and duration and duration > chapters[-1].start_seconds:
        chapters[-1].end_seconds = duration
    return chapters


def _panel_chapters(found: Collected) -> list[tuple[int, str]]:
    panels = found.all(sel.ENGAGEMENT_PANEL)
    preferred = [p for p in panels if p.get("panelIdentifier") in sel.CHAPTER_PANEL_IDS]
    for panel in preferred or panels:
        markers = [m for m in _values_under(panel, sel.MACRO_MARKER) if isinstance(m, dict)]
        pairs = []
        for marker in markers:
            title = first_text(marker.get("title"))
            start = to_int(dig(marker, "onTap", "watchEndpoint", "startTimeSeconds"))
            if start is None:
                start = clock_seconds(first_text(marker.get("timeDescription")))
            if title and start is not None:
                pairs.append((start, title))
        if pairs:
            return pairs
    return []


def _values_under(node: object, key: str) -> Iterator[object]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for k, v in current.items():
                if k == key:
                    yield v
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))


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
        content = content if isinstance(content, str) else ""
        for run in list_at(attributed, "commandRuns"):
            if not isinstance(run, dict):
                continue
            url = _endpoint_url(dig(run, "onTap", "innertubeCommand"))
            start, length = to_int(run.get("startIndex")), to_int(run.get("length"))
            shown = utf16_slice(content, start, length) if start is not None and length else None
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


def drop_self_links(links: list[Link], video_id: str | None) -> list[Link]:
    """Links minus those to this very video: they are timestamps ("04:41"), held as chapters."""
    return [link for link in links if video_id is None or link.linked_video_id != video_id]


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
        for b in _values_under(lockup.get("contentImage"), "thumbnailBadgeViewModel")
        if isinstance(b, dict)
    ]
    duration = next((b for b in badges if isinstance(b, str) and clock_seconds(b) is not None), None)
    video_id = video_id_or_none(lockup.get("contentId")) or video_id_or_none(
        find_first(lockup.get("rendererContext"), "videoId")
    )
    return RawRelated(title, channel, duration, None, video_id, None, parts)


# --- comments ----------------------------------------------------------------------------------


@dataclass(slots=True)
class RawComment:
    author: str
    text: str
    published_text: str | None
    like_text: str | None
    like_default: int | None  # the count when the page shows none (YouTube hides zero)
    reply_count: int | None
    comment_id: str | None
    reply_level: int | None


def raw_comments(found: Collected, mutations: list[dict]) -> list[RawComment]:
    """Comments of both generations, in page order, each once."""
    entities: dict[str, dict] = {}
    for mutation in mutations:
        key, payload = mutation.get("entityKey"), mutation.get("payload")
        if isinstance(key, str) and isinstance(payload, dict):
            entities[key] = payload
    out: list[RawComment] = []
    seen: set[str] = set()
    for kind, node in found.comment_nodes:
        if kind == "old":
            item = _old_comment(node)
        else:
            payload = entities.get(str(node.get("commentKey")), {})
            item = _entity_comment(payload.get(sel.COMMENT_ENTITY))
        if item is None or (item.comment_id and item.comment_id in seen):
            continue
        if item.comment_id:
            seen.add(item.comment_id)
        out.append(item)
    # Entity payloads whose view model the saved file lacks (a trimmed continuation).
    for payload in entities.values():
        item = _entity_comment(payload.get(sel.COMMENT_ENTITY))
        if item is not None and item.comment_id and item.comment_id not in seen:
            seen.add(item.comment_id)
            out.append(item)
    return out


def _old_comment(r: dict) -> RawComment | None:
    # Fields as yt-dlp's _extract_comment_old reads them (authorText, contentText, voteCount...).
    text = text_of(r.get("contentText"))
    if text is None:
        return None
    return RawComment(
        author=(first_text(r.get("authorText")) or "").strip(),
        text=text,
        published_text=first_text(r.get("publishedTimeText")),
        like_text=first_text(r.get("voteCount")),
        like_default=0,  # commentRenderer omits voteCount when nobody liked the comment
        reply_count=to_int(r.get("replyCount")),
        comment_id=r.get("commentId") if isinstance(r.get("commentId"), str) else None,
        reply_level=None,
    )


def _entity_comment(payload: object) -> RawComment | None:
    # commentEntityPayload, as yt-dlp's _extract_comment reads it (properties / author / toolbar).
    if not isinstance(payload, dict):
        return None
    props = obj_at(payload, "properties")
    text = dig(props, "content", "content")
    if not isinstance(text, str):
        return None
    toolbar = obj_at(payload, "toolbar")
    like_text = next(
        (
            t.strip()
            for t in (toolbar.get("likeCountNotliked"), toolbar.get("likeCountA11y"))
            if isinstance(t, str) and t.strip()
        ),
        None,
    )
    reply_raw = toolbar.get("replyCount")
    reply_count = to_int(reply_raw)
    if reply_count is None and reply_raw in ("", " "):
        reply_count = 0
    comment_id = props.get("commentId")
    return RawComment(
        author=(first_text(dig(payload, "author", "displayName")) or ""),
        text=text,
        published_text=published if isinstance(published := props.get("publishedTime"), str) else None,
        like_text=like_text,
        like_default=0 if toolbar else None,
        reply_count=reply_count,
        comment_id=comment_id if isinstance(comment_id, str) else None,
        reply_level=to_int(props.get("replyLevel")),
    )


def finish_comments(raw: list[RawComment], language: str | None) -> list[Comment]:
    comments: list[Comment] = []
    for item in raw:
        parent = None
        if item.comment_id and "." in item.comment_id:
            # A reply's id is "<thread id>.<reply id>" in both generations.
            parent = item.comment_id.split(".", 1)[0]
        is_reply = parent is not None or bool(item.reply_level)
        marker = _REPLY_MARKER.match(item.text)
        reply_to = marker.group(2) if marker and (is_reply or marker.group(1)) else None
        like = count(item.like_text, language) if item.like_text else item.like_default
        age = age_seconds(item.published_text, language)
        comments.append(
            Comment(
                author=item.author,
                text=item.text,
                published_text=item.published_text,
                published_age_seconds=age,
                like_count=like,
                reply_to=reply_to,
                reply_count=item.reply_count,
                comment_id=item.comment_id,
                parent_comment_id=parent,
                edited=is_edited(item.published_text, language),
            )
        )
    return comments


# --- the language layer ------------------------------------------------------------------------


def count(text: str | None, language: str | None) -> int | None:
    """A display count in the page's language; None when unreadable or past int64 (a column's range)."""
    if not text:
        return None
    try:
        found = localize.parse_count(text, language)
    except (OverflowError, ValueError):  # "99999999999999999999 views" on a hostile page
        return None
    return found if found is None or 0 <= found <= sel.MAX_INT64 else None


def age_seconds(text: str | None, language: str | None) -> int | None:
    """A relative age label in seconds; None when unreadable or further off than any YouTube video."""
    if not text:
        return None
    try:
        age = localize.parse_relative_age(text, language)
    except (OverflowError, ValueError):  # "99999999999 years ago" overflows timedelta
        return None
    if age is None:
        return None
    seconds = int(age.total_seconds())  # negative for a scheduled premiere ("in 2 hours")
    return seconds if abs(seconds) <= sel.MAX_AGE_SECONDS else None


def is_edited(text: str | None, language: str | None) -> bool:
    if not text:
        return False
    label = localize.match_label(text, language, kinds=["age"])
    return label is not None and label.status == "edited"


def decide_language(
    hl_hints: Iterable[tuple[str, str]], labels: Iterable[str | None]
) -> tuple[str | None, str | None, list[str]]:
    """(ui_language, evidence sentence, warnings): see ``localize.decide_language``."""
    return localize.decide_language(hl_hints, labels)


def cross_check(what: str, display: str | None, shown: int | None, exact: int | None, source: str) -> str | None:
    """A warning sentence when a display count disagrees with the machine-readable one."""
    if display is None or shown is None or exact is None:
        return None
    if shown == exact:
        return None
    digits = str(shown).rstrip("0")
    unit = 10 ** (len(str(shown)) - len(digits)) if digits else 1
    if unit > 1:
        allowed = unit * sel.COMPACT_TOLERANCE_UNITS
        if shown - allowed < exact < shown + 2 * allowed:
            return None
    elif abs(shown - exact) <= exact * sel.EXACT_COUNT_DRIFT:
        return None
    return f"The {what} display {display!r} reads as {shown} but {source} says {exact}; {source} was kept."


# --- assembling the page -----------------------------------------------------------------------


def build_page(
    initial: dict | None,
    player: dict | None,
    parser: str,
    hl_hints: list[tuple[str, str]],
) -> ParsedPage:
    """ParsedPage from ytInitialData-like and player parts (either may be None)."""
    found = collect(initial) if initial is not None else Collected()
    raw = raw_video(initial, player, found)
    related_raw = raw_related(found, raw.video_id)
    comments_raw = raw_comments(found, mutations_of(initial))

    hints = list(hl_hints) + _response_hl(initial) + _response_hl(player)
    labels = [
        *raw.views_texts,
        raw.relative_date,
        raw.date_text,
        raw.comments_text,
        *raw.comments_labels,
        *[c.published_text for c in comments_raw[:20]],
        *[r.views_text for r in related_raw[:10]],
        *[r.published_text for r in related_raw[:10]],
        *[p for r in related_raw[:10] for p in r.parts],
    ]
    language, evidence, warnings = decide_language(hints, labels)
    page = ParsedPage(
        parser=parser,
        title=raw.title,
        channel=raw.channel,
        channel_id=raw.channel_id,
        video_id=raw.video_id,
        duration_seconds=raw.duration_seconds,
        description=raw.description,
        published_date=raw.published_date,
        ui_language=language,
        ui_language_evidence=evidence,
        warnings=[*raw.warnings, *warnings],
    )
    _fill_counts(page, raw, language)
    page.chapters = chapters_from_json(found, raw.duration_seconds) or chapters_from_description(
        raw.description, raw.duration_seconds, page.warnings
    )
    page.links = drop_self_links(description_links(found, raw.description), raw.video_id)
    page.related = [finish_related(r, language) for r in related_raw]
    page.comments = finish_comments(comments_raw, language)
    return page


def _checked_count(what: str, texts: list[str], machine: int | None, source: str,
                   language: str | None, warnings: list[str]) -> int | None:
    """The machine-readable count, else the first display string's; each display string is
    cross-checked against the machine-readable one and a disagreement becomes a warning."""
    value = machine
    for text in texts:
        shown = count(text, language)
        if value is None:
            value = shown
        elif note := cross_check(what, text, shown, machine, source):
            warnings.append(note)
    return value


def _fill_counts(page: ParsedPage, raw: RawVideo, language: str | None) -> None:
    page.views_text = raw.views_texts[0] if raw.views_texts else None
    page.view_count = _checked_count("views", raw.views_texts, raw.view_count, "videoDetails.viewCount",
                                     language, page.warnings)
    page.like_count = _checked_count("likes", raw.like_texts, raw.like_count, "microformat likeCount",
                                     language, page.warnings)
    page.published_text = raw.relative_date or raw.date_text
    page.published_age_seconds = age_seconds(raw.relative_date, language)
    if page.published_date is None and raw.date_text:
        # Only the localized dateText ("3 мар. 2021 г.") when the player's microformat is absent.
        try:
            shown = localize.parse_date(raw.date_text, language)
        except ValueError:  # a language the catalogs do not know
            shown = None
        if shown is not None:
            page.published_date = datetime(shown.year, shown.month, shown.day, tzinfo=UTC)
    page.comments_text = raw.comments_text
    page.comment_count = count(raw.comments_text, language)


def finish_related(item: RawRelated, language: str | None) -> RelatedVideo:
    views_text, published = item.views_text, item.published_text
    for part in item.parts:
        if published is None and localize.parse_relative_age(part, language) is not None:
            published = part
        elif views_text is None and localize.parse_count(part, language) is not None:
            views_text = part
    return RelatedVideo(
        title=item.title,
        channel=item.channel,
        duration_seconds=clock_seconds(item.duration_text),
        view_count=count(views_text, language),
        video_id=item.video_id,
        published_text=published,
    )


def _response_hl(response: dict | None) -> list[tuple[str, str]]:
    """``hl`` from ``responseContext.serviceTrackingParams`` (``{"key": "hl", "value": ...}``)."""
    hints: list[tuple[str, str]] = []
    for service in list_at(response, "responseContext", "serviceTrackingParams"):
        for param in list_at(service, "params"):
            if dig(param, "key") == "hl" and isinstance(value := dig(param, "value"), str):
                hints.append((value, "responseContext.serviceTrackingParams hl"))
    return hints
