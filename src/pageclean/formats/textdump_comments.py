"""The comments of a text dump: "@handle" / "@handle <age>" / text, and in newer dumps a button row
under each ([like count] / Reply / [N replies]). A number is a like count and a line a button only
where that row is shown to be; in doubt a line is the comment's text."""

from __future__ import annotations

import itertools
import re
from collections import Counter

from pageclean import localize
from pageclean.model import Comment, ParsedPage

from .textdump_lines import COUNTER, DURATION, Labels, Line, quote, seconds

# A button line recurs under every comment of a dump that shows buttons (the reply button); a
# content line that happens to equal a button label ("Thanks") does not. A chrome line that ends
# at least this many comments, and at least half of them, is the page's comment button row.
MIN_BUTTON_ROW_REPEATS = 2

_REPLY_MARK = re.compile(r"^@(@[\w.\-]+)\s*")

# The comments section opens with its header (the count), then at most the sort button and the
# "Add a comment" box before the first comment: an unread header sits within this many lines of
# the first comment's author line.
MAX_HEADER_TO_FIRST_COMMENT = 4
# A comments header is a short line: one number and a word or two ("12 komentarzy", "Комментарии:
# 2", "コメント 1484 件", "ຄຳເຫັນ 37 ລາຍການ"); longer lines, or lines with more words, are content.
MAX_HEADER_CHARS = 40
MAX_HEADER_WORDS = 4
# One number as YouTube prints a count: digits with group or decimal separators inside it.
_NUMBER = re.compile(r"\d(?:[\d.,'\u00a0\u202f ]*\d)?")
_NOT_A_HEADER = re.compile(r"[@#/:]\d|https?:|www\.|@\w|#\w")
_OTHER_KINDS = ("views", "age", "likes", "subscribers", "date")


def find_comments_header(
    body: list[Line], start: int, labels: Labels, page: ParsedPage, english: dict[int, str]
) -> int | None:
    for pos in range(start, len(body)):
        label = labels.match(body[pos].text, "comments")
        if label is not None:
            page.comment_count = int(label.value)  # type: ignore[arg-type]
            page.comments_text = body[pos].text
            english[body[pos].index] = label.english
            return pos
    return None


def find_unread_comments_header(
    body: list[Line], start: int, first_comment: int, labels: Labels, page: ParsedPage
) -> int | None:
    """Where the comments header sits when no catalog reads it (a language whose comments label is
    not known), found by the layout alone: the short count line that opens the comments section.

    Between the description and the first comment the page shows the header, then at most a sort
    button and the "Add a comment" box. The nearest line above the first comment, within that
    reach, that holds exactly one number and a word or two, reads as no other label in any
    language and declares at least as many comments as the dump holds, is the header: it and the
    buttons after it are no description. The count stays unread (``comment_count`` null) and a
    warning names the line; what the line says is never guessed.
    """
    lowest = max(start, first_comment - MAX_HEADER_TO_FIRST_COMMENT)
    for pos in range(first_comment - 1, lowest - 1, -1):
        text = body[pos].text
        if not _is_count_line(text, labels):
            continue
        n = localize.parse_count(_NUMBER.search(text).group(), labels.language)  # type: ignore[union-attr]
        if n is not None and n < len(comment_starts(body, first_comment, labels)):
            return None  # fewer comments declared than the dump holds: not the header
        page.comments_text = body[pos].raw
        between = [ln.text for ln in body[pos + 1 : first_comment]]
        also = f", and the {len(between)} line(s) after it ({', '.join(quote(b) for b in between)})," \
            if between else ""
        page.warnings.append(
            f"comments header {quote(text)} not recognised (no comments label is known for "
            f"{labels.language or 'an undetected UI language'}): comment count left empty; the line"
            f"{also} kept out of the description by its place before the first comment")
        return pos
    return None


def _is_count_line(text: str, labels: Labels) -> bool:
    """A short line holding one number and a few words, and no label of another kind."""
    if len(text) > MAX_HEADER_CHARS or DURATION.match(text) or _NOT_A_HEADER.search(text):
        return False
    if len(_NUMBER.findall(text)) != 1:
        return False
    if not 1 <= len(_NUMBER.sub(" ", text).split()) <= MAX_HEADER_WORDS:  # a count needs its word
        return False
    return labels.match(text, *_OTHER_KINDS, any_language=True) is None and not labels.chrome(text)


def comment_starts(body: list[Line], start: int, labels: Labels) -> list[int]:
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


def parse_comments(
    body: list[Line], starts: list[int], end: int, labels: Labels, english: dict[int, str],
    warnings: list[str],
) -> list[Comment]:
    blocks = [[ln.text for ln in body[pos + 2 : starts[n + 1] if n + 1 < len(starts) else end]]
              for n, pos in enumerate(starts)]
    buttons = _button_row(blocks, labels)
    comments = []
    for n, pos in enumerate(starts):
        author = body[pos].text
        age_line = body[pos + 1]
        age_text = age_line.text[len(author) + 1 :]
        label = labels.match(age_text, "age")
        text_lines, like_count, reply_count = _split_buttons(blocks[n], buttons, labels)
        if not buttons and len(text_lines) > 1 and labels.chrome(text_lines[-1]):
            warnings.append(f"comment {n} ends with a line that is also a button label; kept as text "
                            "(no button row under the other comments shows where buttons sit)")
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
                published_age_seconds=seconds(label.value) if label else None,
                like_count=like_count,
                reply_count=reply_count,
                reply_to=reply_to,
                edited=bool(label and label.status == "edited"),
            )
        )
    return comments


def _trailing_buttons(lines: list[str], labels: Labels) -> list[str]:
    """The run of chrome and replies-label lines that ends a comment (its first line is text)."""
    k = len(lines)
    while k > 1 and (labels.chrome(lines[k - 1]) or labels.replies(lines[k - 1])):
        k -= 1
    return lines[k:]


def _button_row(blocks: list[list[str]], labels: Labels) -> frozenset[str]:
    """The chrome lines this page's layout puts under comments (the reply button), casefolded.

    A button recurs under comment after comment; the line right before a replies toggle ("Reply"
    / "3 replies") is a button even once. A lone "Thanks" ending one comment proves nothing.
    """
    seen: Counter[str] = Counter()
    anchored: set[str] = set()
    for lines in blocks:
        run = _trailing_buttons(lines, labels)
        seen.update({t.casefold() for t in run if labels.chrome(t)})
        for a, b in itertools.pairwise(run):
            if labels.chrome(a) and labels.replies(b):
                anchored.add(a.casefold())
    recurring = {t for t, n in seen.items() if n >= MIN_BUTTON_ROW_REPEATS and 2 * n >= len(blocks)}
    return frozenset(recurring | anchored)


def _split_buttons(
    lines: list[str], buttons: frozenset[str], labels: Labels
) -> tuple[list[str], int | None, int | None]:
    """A comment's text lines, like count and reply count: the button row ([count] / Reply /
    [N replies]) is peeled off where the layout shows it; a number is a like count only there."""
    run = _trailing_buttons(lines, labels)
    at = next((i for i, t in enumerate(run) if t.casefold() in buttons), None)
    if at is not None:
        cut = len(lines) - len(run) + at  # the button and everything after it
    else:
        # No button row: only the replies toggle ends the comment; chrome-like lines stay text.
        cut = len(lines)
        while cut > 1 and labels.replies(lines[cut - 1]):
            cut -= 1
    reply_count = None
    for t in lines[cut:]:
        replies = labels.replies(t)
        if replies is not None:
            reply_count = int(replies.value)  # type: ignore[arg-type]
    like_count = None
    if at is not None and cut >= 2 and COUNTER.fullmatch(lines[cut - 1]):
        like_count = localize.parse_count(lines[cut - 1], labels.language)
        if like_count is not None:
            cut -= 1
    return lines[:cut], like_count, reply_count
