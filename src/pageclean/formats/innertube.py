"""InnerTube JSON (``next``/``player``, ytInitialData, comment continuations) -> ParsedPage.

Three steps, one module each: ``walk`` finds the renderers we read wherever they sit (so a
response nested one level deeper next year still parses); ``display`` reads what they say, display
strings still unparsed; this module decides the UI language and assembles the page. Every key may
be missing. Machine-readable numbers win over display strings; display strings go through
``pageclean.localize`` in the page's UI language and are cross-checked against the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from pageclean import localize
from pageclean.errors import RejectError
from pageclean.extract.chapters import chapters_from_description
from pageclean.formats import selectors as sel
from pageclean.formats.availability import availability
from pageclean.formats.comment_display import RawComment, raw_comments
from pageclean.formats.display import (
    RawRelated,
    RawVideo,
    chapters_from_json,
    clock_seconds,
    description_links,
    raw_related,
    raw_video,
)
from pageclean.formats.walk import Collected, collect, dig, list_at, mutations_of
from pageclean.model import Comment, Link, ParsedPage, RelatedVideo

PARSER = "innertube"
# A reply's text starts with the handle it answers: "@handle " (2023+) or "@@handle" (older).
_REPLY_MARKER = re.compile(r"^@(@?)([^\s@]{1,100})")


# --- public entry points -----------------------------------------------------------------------


def parse_innertube(obj: object) -> ParsedPage:
    """One saved InnerTube response (already ``json.loads``-ed) -> ParsedPage.

    Accepts a ``next`` response or bare ytInitialData, a ``player`` response, the 2019-2020
    ``{"response": ..., "playerResponse": ...}`` wrapper, m.youtube.com's ``pbj`` arrays of parts
    (the watch page and comment continuations), and comment continuations (which carry no video
    metadata: ``video_id`` stays None for the pipeline to fill from the sidecar).
    """
    if isinstance(obj, list) and (merged := merge_pbj_parts(obj)) is not None:
        obj = merged
    if not isinstance(obj, dict):
        raise RejectError(
            "bad_json",
            f"The JSON document is a {type(obj).__name__}, not an object; InnerTube responses are objects "
            "(or m.youtube.com pbj arrays of response parts).",
        )
    initial, player = split_response(obj)
    return build_page(initial, player, parser=PARSER, hl_hints=[])


def merge_pbj_parts(parts: list) -> dict | None:
    """m.youtube.com's ``pbj=1`` array (``[{"page": ...}, {"response": ...}, {"timing": ...}]``)
    as one ``{"page": ..., "response": ..., ...}`` object; None when ``parts`` is not such an array.

    >>> merge_pbj_parts([{"page": "watch"}, {"response": {"contents": {}}}, {"timing": {}}])
    {'page': 'watch', 'response': {'contents': {}}, 'timing': {}}
    >>> merge_pbj_parts([{"videoId": "Ab3dEf6hIj0"}]) is None
    True
    """
    if not parts or not all(isinstance(part, dict) for part in parts):
        return None
    if not all(sel.PBJ_PART_KEYS.intersection(part) for part in parts if part):
        return None
    merged: dict = {}
    for part in parts:
        for key, value in part.items():
            merged.setdefault(key, value)  # the first part that holds a key is the one kept
    if not any(isinstance(merged.get(key), dict) for key in (sel.PBJ_RESPONSE_KEY, sel.PBJ_PLAYER_KEY)):
        return None
    return merged


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


# --- comments, links and related, in the page's language ---------------------------------------


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



def drop_self_links(links: list[Link], video_id: str | None) -> list[Link]:
    """Links minus those to this very video: they are timestamps ("04:41"), held as chapters."""
    return [link for link in links if video_id is None or link.linked_video_id != video_id]


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
    page.availability, page.availability_reason, notes = availability(initial, player, found, raw.title is not None)
    page.warnings.extend(notes)
    if raw.video_id and raw.title is None and page.availability is None and not comments_raw:
        page.warnings.append(
            f"the response names video {raw.video_id} but holds none of its metadata (title, channel, "
            "counts) and no message saying why"
        )
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
    if page.comment_count is None and raw.comments_number:
        # "1 234" + " komentarzy": the noun is not known in every language, the number is
        page.comment_count = count(raw.comments_number, language)


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
    """The request's ``hl`` where a response repeats it: ``responseContext.serviceTrackingParams``
    (``{"key": "hl", "value": ...}``) and the ``hl=`` of a player response's caption-track URLs
    (the track names are in that language)."""
    hints: list[tuple[str, str]] = []
    for service in list_at(response, "responseContext", "serviceTrackingParams"):
        for param in list_at(service, "params"):
            if dig(param, "key") == "hl" and isinstance(value := dig(param, "value"), str):
                hints.append((value, "responseContext.serviceTrackingParams hl"))
    for track in list_at(response, *sel.CAPTION_TRACKS_PATH):
        url = dig(track, "baseUrl")
        if not isinstance(url, str):
            continue
        try:
            values = parse_qs(urlsplit(url).query).get("hl")
        except ValueError:  # a URL urlsplit refuses carries no usable hl
            continue
        if values:
            hints.append((values[0], "the hl of the player's caption-track URL"))
            break
    return hints

