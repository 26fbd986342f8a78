"""Stage 3 for text dumps: the innerText of a watch page -> ``ParsedPage``.

A dump is the page read top to bottom (the founding example shows it):

    title
    <views label>                 "  Рет қаралды 10,936"   (leading NBSPs)
    channel
    channel                       (avatar text and name: the same string twice)
    <age label>                   "Күн бұрын"
    description ...               (chapter lines, links)
    <comments header>             "Пікірлер: 37"
    @handle                       one comment: handle, handle + age, text lines
    @handle <age label>
    text ...
    related title                 the sidebar: title, duration, then channel and views if shown
    1:36:22
    channel
    <views label>

The parser finds the parts by their UI labels (through ``pageclean.localize``, in any UI language)
and by the page's shape, so an unknown language still yields the structure; it never guesses
values it cannot read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import timedelta

from pageclean import localize
from pageclean.extract.chapters import chapters_from_description, parse_timestamp
from pageclean.extract.links import links_from_text
from pageclean.localize import Label
from pageclean.model import Comment, ParsedPage, RelatedVideo

# The title, views, channel (twice), age and subscriber lines sit in the first few lines; the
# description starts after the last header label found within this many non-empty lines. Newer
# layouts put five or six buttons (like count, Share, Download, Clip, Save) before the views line.
HEADER_WINDOW = 12
# Lines longer than this are content (a sentence), never a UI label; skipping them keeps the
# label matcher off the description and comment bodies.
MAX_LABEL_LINE = 80
# A related-video entry shows at most channel, views, age and a badge after its duration.
MAX_RELATED_EXTRA_LINES = 4

_DURATION = re.compile(r"^(?:\d{1,2}:)?\d{1,2}:\d{2}$")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u202a-\u202e]")
_REPLY_MARK = re.compile(r"^@(@[\w.\-]+)\s*")
# Separators YouTube puts between labels that share a line ("10,936 views  3 years ago").
_LABEL_SPLIT = re.compile(r"\s{2,}|\s*[•·|]\s*")


@dataclass(slots=True)
class _Line:
    index: int  # position in the dump, for page_text_en
    text: str  # cleaned: invisible characters removed, NBSP as space, stripped (for matching)
    raw: str  # as the page shows it, stripped (for identifiers kept "as shown")


def _clean(line: str) -> str:
    if not line.isascii():  # str.translate costs ~1 ms a page; most lines need nothing
        line = _INVISIBLE.sub("", line).replace("\u00a0", " ").replace("\u202f", " ")
    return line.strip()


class _Labels:
    """Label lookups for one page, in its UI language, cached: lines repeat (comment ages)."""

    def __init__(self, language: str | None) -> None:
        self.language = language
        self._cache: dict[tuple[str, tuple[str, ...] | None], Label | None] = {}

    def match(self, text: str, *kinds: str) -> Label | None:
        if not text or len(text) > MAX_LABEL_LINE:
            return None
        key = (text, kinds or None)
        if key not in self._cache:
            self._cache[key] = localize.match_label(text, self.language, kinds or None)
        return self._cache[key]

    def chrome(self, text: str) -> bool:
        return len(text) <= MAX_LABEL_LINE and localize.is_ui_chrome(text, self.language)

    def match_parts(self, text: str, *kinds: str) -> list[tuple[str, Label]] | None:
        """(part text, label) for each part of a line that holds several labels; None unless every
        part is one."""
        one = self.match(text, *kinds)
        if one is not None:
            return [(text, one)]
        parts = [p for p in _LABEL_SPLIT.split(text) if p and not p.startswith("#")]
        if not parts or (len(parts) == 1 and parts[0] == text):
            return None
        # Hashtags share the views line in newer layouts ("10,936 views  3 years ago  #podcast");
        # they are links, not labels, and do not stop the rest of the line from being read.
        found = [(p, self.match(p, *kinds)) for p in parts]
        return found if all(label for _, label in found) else None  # type: ignore[return-value]


def _seconds(value: int | timedelta) -> int | None:
    return int(value.total_seconds()) if isinstance(value, timedelta) else None


def parse_textdump(text: str) -> ParsedPage:
    """Parse a repaired text dump (see the module docstring for the layout)."""
    raw_lines = text.split("\n")
    lines = [_Line(i, _clean(t), t.strip()) for i, t in enumerate(raw_lines)]
    body = [ln for ln in lines if ln.text]
    page = ParsedPage(parser="textdump")
    if not body:
        return page

    detection = localize.detect([ln.text for ln in body if len(ln.text) <= MAX_LABEL_LINE])
    page.ui_language = detection.language
    page.ui_language_evidence = (
        "labels: " + "; ".join(detection.evidence[:5]) if detection.language else detection.reason
    )
    labels = _Labels(detection.language)
    english: dict[int, str] = {}  # line index -> the line rendered in English

    page.title = body[0].text
    pos = _parse_header(body, 1, labels, page, english)
    comments_at = _find_comments_header(body, pos, labels, page, english)
    threads = _comment_starts(body, comments_at if comments_at is not None else pos, labels)
    after_comments = threads[-1] + 2 if threads else (comments_at + 1 if comments_at is not None else pos)
    related = _find_related(body, after_comments, labels)
    related_at = related[0] if related else None

    description_end = comments_at if comments_at is not None else (
        threads[0] if threads else (related_at if related_at is not None else len(body))
    )
    # Buttons and toggles around the description ("Subscribe", "...more", "Show transcript") are
    # UI chrome; only at its edges, since a line like "Thanks" inside it is content.
    while pos < description_end and labels.chrome(body[pos].text):
        pos += 1
    while description_end > pos and labels.chrome(body[description_end - 1].text):
        description_end -= 1
    description = None
    # Keep the description's own blank lines: slice the raw text between its first and last line.
    if description_end > pos:
        first, last = body[pos].index, body[description_end - 1].index
        description = "\n".join(raw_lines[first : last + 1]).strip("\n")
    if page.hashtags:  # shown on the views line, they belong to the description: keep them there
        description = " ".join(page.hashtags) + ("\n" + description if description else "")
    page.description = description or None
    page.chapters = chapters_from_description(page.description, None, page.warnings)
    page.links = links_from_text(page.description, "description")

    comments_end = related_at if related_at is not None else len(body)
    page.comments = _parse_comments(body, threads, comments_end, labels, english)
    for position, comment in enumerate(page.comments):
        for link in links_from_text(comment.text, "comment"):
            link.comment_position = position
            page.links.append(link)
    if related_at is not None:
        page.related = _parse_related(body, related_at, related[1], labels, english)

    if page.comment_count is not None and page.comments and len(page.comments) > page.comment_count:
        page.warnings.append(
            f"{len(page.comments)} comments parsed but the header declares {page.comment_count}"
        )
    page.page_text_en = "\n".join(english.get(i, t) for i, t in enumerate(raw_lines))
    return page


def _parse_header(
    body: list[_Line], start: int, labels: _Labels, page: ParsedPage, english: dict[int, str]
) -> int:
    """Views, channel, age (and subscribers/likes) after the title; returns where the description starts."""
    window = body[start : start + HEADER_WINDOW]
    last_label = -1
    found: list[tuple[int, list[tuple[str, Label]]]] = []
    for offset, ln in enumerate(window):
        parts = labels.match_parts(ln.text, "views", "age", "subscribers", "likes")
        if parts:
            found.append((offset, parts))
            last_label = offset
    if last_label < 0:
        return _parse_header_unlabelled(body, start, page)

    for offset, parts in found:
        ln = window[offset]
        tags = [p for p in _LABEL_SPLIT.split(ln.text) if p.startswith("#")]
        english[ln.index] = "  ".join([*(label.english for _, label in parts), *tags])
        page.hashtags.extend(tags)
        for part, label in parts:
            if label.kind == "views" and page.view_count is None:
                page.view_count = int(label.value)  # type: ignore[arg-type]
                page.views_text = ln.text
            elif label.kind == "age" and page.published_text is None:
                page.published_text = part
                page.published_age_seconds = _seconds(label.value)
            elif label.kind == "likes" and page.like_count is None:
                page.like_count = int(label.value)  # type: ignore[arg-type]
    label_offsets = {offset for offset, _ in found}
    for offset, ln in enumerate(window[: last_label + 1]):
        if offset not in label_offsets:
            page.channel = ln.raw  # the channel name; shown twice (avatar, name)
            break
    return start + last_label + 1


def _parse_header_unlabelled(body: list[_Line], start: int, page: ParsedPage) -> int:
    """No label recognised (language unknown): use the shape: <count> / channel / channel / age."""
    window = body[start : start + HEADER_WINDOW]
    for offset in range(len(window) - 1):
        if window[offset].text == window[offset + 1].text:
            page.channel = window[offset].text
            if offset > 0 and any(c.isdigit() for c in window[offset - 1].text):
                page.views_text = window[offset - 1].text
                page.view_count = localize.parse_count(window[offset - 1].text, None)
            end = offset + 2
            if end < len(window) and len(window[end].text) <= MAX_LABEL_LINE // 2:
                page.published_text = window[end].text
                age = localize.parse_relative_age(window[end].text, None)
                page.published_age_seconds = _seconds(age) if age is not None else None
                end += 1
            page.warnings.append("no UI label recognised in the header; read by position")
            return start + end
    page.warnings.append("no UI label recognised in the header; everything after the title is the description")
    return start


def _find_comments_header(
    body: list[_Line], start: int, labels: _Labels, page: ParsedPage, english: dict[int, str]
) -> int | None:
    for pos in range(start, len(body)):
        label = labels.match(body[pos].text, "comments")
        if label is not None:
            page.comment_count = int(label.value)  # type: ignore[arg-type]
            page.comments_text = body[pos].text
            english[body[pos].index] = label.english
            return pos
    return None


def _comment_starts(body: list[_Line], start: int, labels: _Labels) -> list[int]:
    """Positions of comment headers: a handle line, then the same handle followed by an age."""
    starts = []
    pos = start
    while pos < len(body) - 1:
        handle, nxt = body[pos].text, body[pos + 1].text
        if (
            handle.startswith("@")
            and " " not in handle
            and nxt.startswith(handle + " ")
            and labels.match(nxt[len(handle) + 1 :], "age") is not None
        ):
            starts.append(pos)
            pos += 2
        else:
            pos += 1
    return starts


def _parse_comments(
    body: list[_Line], starts: list[int], end: int, labels: _Labels, english: dict[int, str]
) -> list[Comment]:
    comments = []
    for n, pos in enumerate(starts):
        author = body[pos].text
        age_line = body[pos + 1]
        age_text = age_line.text[len(author) + 1 :]
        label = labels.match(age_text, "age")
        stop = starts[n + 1] if n + 1 < len(starts) else end
        text_lines = [ln.text for ln in body[pos + 2 : stop]]
        reply_count = None
        # After the text come the like counter and buttons ("Reply", "12 replies", "Pinned by"):
        # peel them off the end; the count of replies is kept.
        while len(text_lines) > 1:
            last = text_lines[-1]
            replies = labels.match(last, "replies")
            if replies is not None:
                reply_count = int(replies.value)  # type: ignore[arg-type]
            elif not labels.chrome(last):
                break
            text_lines.pop()
        like_count = None
        if len(text_lines) >= 2:
            # A lone count after the text is the like counter (newer dumps show it).
            maybe = text_lines[-1]
            if re.fullmatch(r"[\d\s.,]+\S{0,6}", maybe):
                like_count = localize.parse_count(maybe, labels.language)
                if like_count is not None:
                    text_lines.pop()
        text = "\n".join(text_lines)
        reply_to = None
        m = _REPLY_MARK.match(text)
        if m:
            reply_to = m.group(1)
            text = text[m.end() :]
        if label is not None:
            english[age_line.index] = f"{author} {label.english}"
        comments.append(
            Comment(
                author=author,
                text=text,
                published_text=age_text or None,
                published_age_seconds=_seconds(label.value) if label else None,
                like_count=like_count,
                reply_count=reply_count,
                reply_to=reply_to,
                edited=bool(label and label.status == "edited"),
            )
        )
    return comments


def _find_related(body: list[_Line], start: int, labels: _Labels) -> tuple[int, bool] | None:
    """Where the sidebar starts, and whether each entry's title comes before its duration.

    The founding example shows title, duration, channel, views; other dumps put the thumbnail's
    duration first (duration, title, channel, views). The first duration from which every entry is
    well formed decides; a title is never a label, which tells the two orders apart.
    """
    durations = [p for p in range(max(start + 1, 1), len(body)) if _DURATION.match(body[p].text)]

    def is_title(pos: int) -> bool:
        return 0 <= pos < len(body) and labels.match_parts(body[pos].text, "views", "age") is None \
            and not _DURATION.match(body[pos].text)

    for k, first in enumerate(durations):
        rest = durations[k:]
        ok = all(nxt - cur - 2 <= MAX_RELATED_EXTRA_LINES for cur, nxt in itertools.pairwise(rest))
        if not ok or len(body) - rest[-1] - 1 > MAX_RELATED_EXTRA_LINES + 1:
            continue
        if all(is_title(d - 1) for d in rest) and len(body) - rest[-1] - 1 <= MAX_RELATED_EXTRA_LINES:
            return first - 1, True
        if all(is_title(d + 1) for d in rest):
            return first, False
    return None


def _parse_related(
    body: list[_Line], start: int, title_first: bool, labels: _Labels, english: dict[int, str]
) -> list[RelatedVideo]:
    durations = [p for p in range(start, len(body)) if _DURATION.match(body[p].text)]
    items = []
    for k, dur in enumerate(durations):
        if title_first:
            title_at, extras_from = dur - 1, dur + 1
            stop = durations[k + 1] - 1 if k + 1 < len(durations) else len(body)
        else:
            title_at, extras_from = dur + 1, dur + 2
            stop = durations[k + 1] if k + 1 < len(durations) else len(body)
        video = RelatedVideo(title=body[title_at].text, duration_seconds=parse_timestamp(body[dur].text))
        for ln in body[extras_from:stop]:
            parts = labels.match_parts(ln.text, "views", "age")
            if parts is None:
                if video.channel is None:
                    video.channel = ln.text
                continue
            english[ln.index] = "  ".join(label.english for _, label in parts)
            for part, label in parts:
                if label.kind == "views" and video.view_count is None:
                    video.view_count = int(label.value)  # type: ignore[arg-type]
                elif label.kind == "age" and video.published_text is None:
                    video.published_text = part
        items.append(video)
    return items
