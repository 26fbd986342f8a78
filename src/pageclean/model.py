"""Typed records the pure core passes between stages; the Parquet schemas mirror them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Chapter:
    start_seconds: int
    title: str
    end_seconds: int | None = None
    # "creator" (the page's chapter data), "description" (parsed from the description's text) or
    # "auto" (YouTube's automatic chapters).
    source: str = "description"


@dataclass(slots=True)
class Link:
    url: str
    domain: str
    origin: str  # "description" | "comment"
    display_text: str
    label: str | None = None
    truncated: bool = False
    # The url is only the part the page showed before cutting it (a text dump's "arxiv.org/ab..."),
    # not a real href: ids and the canonical URL must not be read past the cut.
    partial: bool = False
    # Set when the link points at a YouTube video (``/watch?v=ID&t=754s``, ``youtu.be/ID``).
    linked_video_id: str | None = None
    linked_start_seconds: int | None = None
    comment_position: int | None = None  # the comment it came from, when origin == "comment"


@dataclass(slots=True)
class Comment:
    author: str
    text: str
    published_text: str | None = None
    published_age_seconds: int | None = None  # the age the page showed; published_at = scraped_at - age
    like_count: int | None = None
    reply_to: str | None = None  # handle from a leading "@@handle" / "@handle" reply marker
    reply_count: int | None = None
    comment_id: str | None = None  # YouTube's own id when the page carries one
    parent_comment_id: str | None = None
    edited: bool = False


@dataclass(slots=True)
class RelatedVideo:
    title: str
    channel: str | None = None
    duration_seconds: int | None = None
    view_count: int | None = None
    video_id: str | None = None
    published_text: str | None = None


@dataclass(slots=True)
class ParsedPage:
    """Everything a format parser recovered from one page, before IDs and times are attached."""

    parser: str  # which parser produced it: "textdump", "html-initialdata", "html-legacy", "innertube"
    title: str | None = None
    channel: str | None = None
    channel_id: str | None = None
    video_id: str | None = None
    view_count: int | None = None
    views_text: str | None = None
    published_text: str | None = None
    published_age_seconds: int | None = None
    published_date: datetime | None = None  # an absolute date, when the page gives one
    comment_count: int | None = None
    comments_text: str | None = None
    like_count: int | None = None
    duration_seconds: int | None = None
    description: str | None = None
    ui_language: str | None = None
    ui_language_evidence: str | None = None
    chapters: list[Chapter] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    related: list[RelatedVideo] = field(default_factory=list)
    page_text_en: str | None = None
    # Whether the video can be watched, as the page says (schema.VIDEOS ``availability``), and the
    # message it shows; both None when the page does not say.
    availability: str | None = None
    availability_reason: str | None = None
    hashtags: list[str] = field(default_factory=list)  # shown beside the views label (text dumps)
    warnings: list[str] = field(default_factory=list)
