"""What a response says about its comments, display strings still unparsed: both generations.

``commentRenderer`` (up to 2023) carries its fields inline; from 2024 a ``commentViewModel`` holds
only a key into the response's entity mutations (``commentEntityPayload``). Fields as yt-dlp's
``_extract_comment_old`` / ``_extract_comment`` read them (``yt_dlp/extractor/youtube/_video.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pageclean.formats import selectors as sel
from pageclean.formats.display import first_text, text_of, to_int
from pageclean.formats.walk import Collected, dig, obj_at


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

