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
    [12 / Reply / 3 replies]      newer dumps: like counter, reply button, replies toggle
    related title                 the sidebar: title, duration, then channel and views if shown
    1:36:22
    channel
    <views label>

The parser finds the parts by their UI labels (through ``pageclean.localize``, in any UI language)
and by the page's shape, so an unknown language still yields the structure; it never guesses
values it cannot read. A line that equals a button label ("Thanks") or looks like a counter
("2024") is content unless the layout puts a button or counter there; what the header window
holds but the parser cannot read, and a dump that stops before the parts that follow its content,
become warnings. The header lives in ``textdump_header``, the comments in ``textdump_comments``.
"""

from __future__ import annotations

import itertools
import re

from pageclean import localize
from pageclean.extract.chapters import chapters_from_description, parse_timestamp
from pageclean.extract.links import links_from_text
from pageclean.model import ParsedPage, RelatedVideo

from .textdump_comments import comment_starts, find_comments_header, find_unread_comments_header, parse_comments
from .textdump_header import parse_header
from .textdump_lines import DURATION, HANDLE, MAX_LABEL_LINE, Labels, Line, clean_line, quote

# A related-video entry shows at most channel, views, age and a badge after its duration.
MAX_RELATED_EXTRA_LINES = 4
# Buttons around the description come in groups (toggle, "Show transcript", section buttons);
# a run of at least this many chrome lines at its edge is the layout's, a lone one may be content.
MIN_EDGE_BUTTON_RUN = 2

# The collapsed description's expander: an ellipsis glued to a word ("...more", "…ещё", "...mehr").
_EXPANDER = re.compile(r"(?:\.\.\.|…)\w")


def parse_textdump(text: str) -> ParsedPage:
    """Parse a repaired text dump (see the module docstring for the layout)."""
    raw_lines = text.split("\n")
    lines = [Line(i, clean_line(t), t.strip()) for i, t in enumerate(raw_lines)]
    body = [ln for ln in lines if ln.text]
    page = ParsedPage(parser="textdump")
    if not body:
        return page

    detection = localize.detect([ln.text for ln in body if len(ln.text) <= MAX_LABEL_LINE])
    page.ui_language = detection.language
    page.ui_language_evidence = (
        "labels: " + "; ".join(detection.evidence[:5]) if detection.language else detection.reason
    )
    labels = Labels(detection.language)
    english: dict[int, str] = {}  # line index -> the line rendered in English

    page.title = body[0].text
    pos, after_subscribers = parse_header(body, 1, labels, page, english)
    comments_at = find_comments_header(body, pos, labels, page, english)
    threads = comment_starts(body, comments_at if comments_at is not None else pos, labels)
    if comments_at is None and threads:  # a header no catalog reads: found by its place alone
        comments_at = find_unread_comments_header(body, pos, threads[0], labels, page)
    # The sidebar starts after the last comment's first text line at the earliest: a comment
    # always has one, so a timestamp it ends with ("1:14:55") is not taken for a sidebar entry.
    sidebar_from = threads[-1] + 3 if threads else (comments_at + 1 if comments_at is not None else pos)
    related = _find_related(body, sidebar_from, labels)
    related_at = related[0] if related else None

    description_end = comments_at if comments_at is not None else (
        threads[0] if threads else (related_at if related_at is not None else len(body))
    )
    description = _description(raw_lines, body, pos, description_end, after_subscribers, labels, page.warnings)
    if page.hashtags:  # shown on the views line, they belong to the description: keep them there
        description = " ".join(page.hashtags) + ("\n" + description if description else "")
    page.description = description or None
    page.chapters = chapters_from_description(page.description, None, page.warnings)
    page.links = links_from_text(page.description, "description")

    comments_end = related_at if related_at is not None else len(body)
    # A dump cut right after a comment's author line ends in a lone "@handle": that line opens a
    # comment the dump lost, it is not the previous comment's text.
    cut_author = (related_at is None and bool(threads) and comments_end - 1 > threads[-1] + 2
                  and HANDLE.fullmatch(body[-1].text) is not None)
    if cut_author:
        comments_end -= 1
    page.comments = parse_comments(body, threads, comments_end, labels, english, page.warnings)
    for position, comment in enumerate(page.comments):
        for link in links_from_text(comment.text, "comment"):
            link.comment_position = position
            page.links.append(link)
    if related_at is not None:
        page.related = _parse_related(body, related_at, related[1], labels, english)  # type: ignore[index]

    if page.comment_count is not None and page.comments and len(page.comments) > page.comment_count:
        page.warnings.append(
            f"{len(page.comments)} comments parsed but the header declares {page.comment_count}"
        )
    page.warnings.extend(_missing_parts(page, comments_at is not None, related_at is not None, cut_author))
    page.page_text_en = "\n".join(english.get(i, t) for i, t in enumerate(raw_lines))
    return page


# ------------------------------------------------------------------------------------------------
# description


def _description(
    raw_lines: list[str], body: list[Line], start: int, end: int, after_subscribers: bool,
    labels: Labels, warnings: list[str],
) -> str | None:
    """The description between the header and the comments, without the buttons at its edges.

    Buttons sit there ("Subscribe" beside the subscriber count; "...more", "Show less", "Show
    transcript" after the text), but a line equal to a button label may be content ("Thanks"):
    an edge run is stripped only when the layout shows it is buttons, otherwise kept and reported.
    """
    head = 0
    while start + head < end and labels.chrome(body[start + head].text):
        head += 1
    if head and (after_subscribers or _is_button_run(body[start : start + head])):
        start += head
    elif head:
        warnings.append(f"the description starts with {quote(body[start].text)}, which is also a button "
                        "label; kept as text")
    tail = 0
    while end - tail > start and labels.chrome(body[end - tail - 1].text):
        tail += 1
    if tail and _is_button_run(body[end - tail : end]):
        end -= tail
    elif tail:
        warnings.append(f"the description ends with {quote(body[end - 1].text)}, which is also a button "
                        "label; kept as text")
    if end <= start:
        return None
    # Keep the description's own blank lines: slice the raw text between its first and last line.
    first, last = body[start].index, body[end - 1].index
    return "\n".join(raw_lines[first : last + 1]).strip("\n")


def _is_button_run(run: list[Line]) -> bool:
    return len(run) >= MIN_EDGE_BUTTON_RUN or any(_EXPANDER.match(ln.text) for ln in run)


# ------------------------------------------------------------------------------------------------
# related sidebar


def _find_related(body: list[Line], start: int, labels: Labels) -> tuple[int, bool] | None:
    """Where the sidebar starts (not before ``start``), and whether each entry's title comes
    before its duration.

    The founding example shows title, duration, channel, views; other dumps put the thumbnail's
    duration first (duration, title, channel, views). The first duration from which every entry is
    well formed decides; a title is never a label, which tells the two orders apart: duration
    first, a label (the previous entry's views) comes right before some later duration.
    """
    durations = [p for p in range(start, len(body)) if DURATION.match(body[p].text)]

    def is_title(pos: int) -> bool:
        return start <= pos < len(body) and labels.match_parts(body[pos].text, "views", "age") is None \
            and not DURATION.match(body[pos].text)

    for k, first in enumerate(durations):
        rest = durations[k:]
        ok = all(nxt - cur - 2 <= MAX_RELATED_EXTRA_LINES for cur, nxt in itertools.pairwise(rest))
        if not ok or len(body) - rest[-1] - 1 > MAX_RELATED_EXTRA_LINES + 1:
            continue
        if all(is_title(d - 1) for d in rest) and len(body) - rest[-1] - 1 <= MAX_RELATED_EXTRA_LINES:
            return first - 1, True
        if all(is_title(d + 1) for d in rest) and (
            len(rest) == 1 or any(not is_title(d - 1) for d in rest[1:])
        ):
            return first, False
    return None


def _parse_related(
    body: list[Line], start: int, title_first: bool, labels: Labels, english: dict[int, str]
) -> list[RelatedVideo]:
    durations = [p for p in range(start, len(body)) if DURATION.match(body[p].text)]
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


# ------------------------------------------------------------------------------------------------
# cut-off dumps


def _missing_parts(page: ParsedPage, has_comments_header: bool, has_sidebar: bool, cut_author: bool) -> list[str]:
    """Warnings for a dump that stops before the parts a watch page shows after its content.

    YouTube loads comments lazily, so fewer comment rows than the declared count is normal on its
    own; a dump that ends inside the comments (no sidebar after them) or right after the
    description (no comments header, no sidebar) is what a cut-off file looks like.
    """
    if has_sidebar:
        return []
    rows, declared = len(page.comments), page.comment_count
    if page.comments:
        seen = f"{rows} of the {declared:,} declared comments" if declared is not None else f"{rows} comments"
        if cut_author:
            return [f"the dump ends with the author line of a comment whose text is missing: {seen} read, "
                    "no related-videos sidebar follows (a cut-off file?)"]
        if declared is not None and rows < declared:
            return [f"the dump ends inside the comments: {seen} read and no related-videos sidebar follows "
                    "(a cut-off file?)"]
        return [f"no related-videos sidebar follows the comments ({seen} read); the dump may be cut off "
                "after them"]
    if has_comments_header:
        count = f"{declared:,} declared, " if declared is not None else ""
        return [f"the dump ends after the comments header ({count}no comment read) and no related-videos "
                "sidebar follows (a cut-off file?)"]
    read_header = page.channel or page.view_count is not None or page.published_text
    part = "the description" if page.description else ("the header" if read_header else "the title")
    return [f"the dump ends after {part}: no comments header, comments or related-videos sidebar "
            "follow (a cut-off file?)"]
