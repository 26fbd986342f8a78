"""The header of a text dump: views, channel, age or date, likes, between the title and the
description; a label of any language is never the channel, and what is left unread is a warning."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime

from pageclean import localize
from pageclean.localize import Label
from pageclean.model import ParsedPage

from .textdump_lines import COUNTER, LABEL_SPLIT, MAX_LABEL_LINE, Labels, Line, label_parts, quote, seconds

# The title, views, channel (twice), age and subscriber lines sit in the first few lines; the
# description starts after the last header label found within this many non-empty lines. Newer
# layouts put five or six buttons (like count, Share, Download, Clip, Save) before the views line.
HEADER_WINDOW = 12

_KINDS = ("views", "age", "subscribers", "likes")
# Every date form YouTube prints has at least two numbers (day and year): a cheap test first.
_NUMBERS = re.compile(r"\d+")


def parse_header(
    body: list[Line], start: int, labels: Labels, page: ParsedPage, english: dict[int, str]
) -> tuple[int, bool]:
    """Views, channel, age (and subscribers/likes/date) after the title; returns where the
    description starts and whether the header ends on the subscriber count (the channel row,
    where the Subscribe/Join buttons sit)."""
    window = body[start : start + HEADER_WINDOW]
    found: dict[int, list[tuple[str, Label]]] = {}
    unread: list[str] = []
    for offset, ln in enumerate(window):
        read = _read_line(ln.text, labels)
        if read is not None:
            found[offset], rest = read
            unread += rest
    if not found:
        return _parse_unlabelled(body, start, page), False
    last_label = max(found)

    for offset, parts in found.items():
        ln = window[offset]
        tags = [p for p in LABEL_SPLIT.split(ln.text) if p.startswith("#")]
        if len(parts) == 1 and parts[0][0] == ln.text:
            shown = [parts[0][1].english]
        else:  # each part in English, what was not read as written
            english_of = {part: label.english for part, label in parts}
            shown = [english_of.get(p, p) for p in LABEL_SPLIT.split(ln.text) if p and not p.startswith("#")]
        english[ln.index] = "  ".join([*shown, *tags])
        page.hashtags.extend(tags)
        for part, label in parts:
            _take(page, part, label)

    # Between the title and the last label: the channel (once, or twice: avatar and name),
    # buttons, the like button's counter, and nothing else the parser knows of.
    others = [offset for offset in range(last_label + 1) if offset not in found]
    channel = _channel(window, others, labels)
    page.channel = channel.raw if channel is not None else None
    for offset in others:
        ln = window[offset]
        if (channel is not None and ln.text == channel.text) or labels.chrome(ln.text):
            continue
        if _like_counter(window, offset, last_label, labels, page, english):
            continue
        foreign = labels.match(ln.text, *_KINDS, any_language=True)
        if foreign is not None:
            page.warnings.append(
                f"header line {quote(ln.text)} reads as a {foreign.kind} label in another UI language "
                f"({foreign.language}) than the page's ({labels.language}); not used")
            continue
        unread.append(ln.text)
    if unread:
        page.warnings.append("header text not read (not a label, the channel or a button): "
                             + ", ".join(quote(u) for u in unread))
    return start + last_label + 1, any(label.kind == "subscribers" for _, label in found[last_label])


def _read_line(text: str, labels: Labels) -> tuple[list[tuple[str, Label]], list[str]] | None:
    """The labels on a header line and the parts of it left unread, or None if it is no label line."""
    parts = labels.match_parts(text, *_KINDS)
    if parts:
        return parts, []
    dated = labels.match(text, "date") if len(_NUMBERS.findall(text)) >= 2 else None
    if dated is not None and dated.status is not None:  # "Published on Mar 3, 2021", "Premiered ..."
        return [(text, dated)], []
    # The views line may carry a date and more ("10,936 views  Mar 3, 2021  #tag"): it is read
    # when it starts with the views label; what else it holds is read or reported.
    pieces = label_parts(text)
    if len(pieces) < 2:
        return None
    views = labels.match(pieces[0], "views")
    if views is None:
        return None
    read, rest = [(pieces[0], views)], []
    for piece in pieces[1:]:
        label = labels.match(piece, "age", "likes", "date")
        if label is not None:
            read.append((piece, label))
        else:
            rest.append(piece)
    return read, rest


def _take(page: ParsedPage, part: str, label: Label) -> None:
    if label.kind == "views" and page.view_count is None:
        page.view_count = int(label.value)  # type: ignore[arg-type]
        page.views_text = part  # the label alone, not the date or hashtags sharing its line
    elif label.kind == "age" and page.published_text is None:
        page.published_text = part
        page.published_age_seconds = seconds(label.value)
    elif label.kind == "date" and page.published_date is None and isinstance(label.value, date):
        page.published_date = datetime(label.value.year, label.value.month, label.value.day, tzinfo=UTC)
        if page.published_text is None:
            page.published_text = part
    elif label.kind == "likes" and page.like_count is None:
        page.like_count = int(label.value)  # type: ignore[arg-type]


def _channel(window: list[Line], offsets: list[int], labels: Labels) -> Line | None:
    """The channel: the line shown twice in a row (avatar text, name), else the first line that is
    neither a button, a counter nor a label in any language ("10,936 vues" on an English page)."""
    names = [o for o in offsets if not labels.chrome(window[o].text)
             and labels.match(window[o].text, *_KINDS, any_language=True) is None]
    for a, b in itertools.pairwise(names):
        if b == a + 1 and window[a].text == window[b].text:
            return window[a]
    return next((window[o] for o in names if not COUNTER.fullmatch(window[o].text)), None)


def _like_counter(
    window: list[Line], offset: int, last_label: int, labels: Labels, page: ParsedPage,
    english: dict[int, str],
) -> bool:
    """A bare counter right before a button, in the header's button row, is the like button's
    ("1.2K" / "Share"): the only button of the row that shows a number."""
    ln = window[offset]
    if (page.like_count is not None or offset + 1 > last_label or not COUNTER.fullmatch(ln.text)
            or not labels.chrome(window[offset + 1].text)):
        return False
    likes = localize.parse_count(ln.text, labels.language)
    if likes is None:
        return False
    page.like_count = likes
    english[ln.index] = f"{likes:,} {'like' if likes == 1 else 'likes'}"
    return True


def _parse_unlabelled(body: list[Line], start: int, page: ParsedPage) -> int:
    """No label recognised (language unknown): use the shape: <count> / channel / channel / age."""
    window = body[start : start + HEADER_WINDOW]
    for offset in range(len(window) - 1):
        if window[offset].text == window[offset + 1].text:
            page.channel = window[offset].text
            if offset > 0 and any(c.isdigit() for c in window[offset - 1].text):
                page.views_text = window[offset - 1].text
                views = localize.read_count(page.views_text, None)
                page.view_count = views.value  # type: ignore[assignment]
                if views.value is None and views.reason:
                    page.warnings.append(f"view count unread: {views.reason}")
            end = offset + 2
            if end < len(window) and len(window[end].text) <= MAX_LABEL_LINE // 2:
                page.published_text = window[end].text
                age = localize.read_age(page.published_text, None)
                page.published_age_seconds = seconds(age.value)  # type: ignore[arg-type]
                if age.value is None and age.reason:
                    page.warnings.append(f"publish age unread: {age.reason}")
                end += 1
            page.warnings.append("no UI label recognised in the header; read by position")
            return start + end
    page.warnings.append("no UI label recognised in the header; everything after the title is the description")
    return start
