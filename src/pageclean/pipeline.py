"""The pure core: one raw page's bytes (+ what the scraper's sidecar says) -> rows for every table.

decode -> detect language -> parse format -> extract tables. No file is opened and no clock is
read here: the caller passes ``scraped_at`` and ``now``. Every failure becomes a reject row.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import UTC, datetime
from typing import Any

from pageclean import __version__
from pageclean.chronology import DerivedTime, page_times
from pageclean.decode import decode_and_repair, decode_bytes, repair
from pageclean.errors import RejectError
from pageclean.extract.link_kinds import Citation
from pageclean.extract.link_kinds import describe as describe_link
from pageclean.extract.links import youtube_target
from pageclean.extract.text_en import render_page_text_en
from pageclean.identity import Pseudonymizer, handle_key, normalize_identifier
from pageclean.model import ParsedPage

log = logging.getLogger(__name__)

FORMAT_BY_SUFFIX = {".txt": "textdump", ".html": "html", ".htm": "html", ".json": "json"}
SIDECAR_SUFFIX = ".meta.json"


@dataclass(slots=True)
class PageMeta:
    """What the I/O edge knows about a raw file besides its bytes."""

    source_path: str  # relative to the raw folder, "/"-separated
    size_bytes: int
    scraped_at: datetime  # UTC
    scraped_at_source: str  # "sidecar" | "mtime"
    url: str | None = None
    notes: list[str] = field(default_factory=list)  # e.g. why the sidecar was ignored


@dataclass(slots=True)
class PageResult:
    page_id: str | None
    rows: dict[str, list[dict[str, Any]]]  # table name -> rows; rejects has one row when rejected

    @property
    def rejected(self) -> bool:
        return bool(self.rows.get("rejects"))


def page_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_format(path: str) -> str | None:
    lower = path.lower()
    for suffix, fmt in FORMAT_BY_SUFFIX.items():
        if lower.endswith(suffix):
            return fmt
    return None


def parse_sidecar(data: bytes) -> tuple[str | None, datetime | None]:
    """``{"url": ..., "scraped_at": "ISO-8601"}`` -> (url, scraped_at in UTC). Raises ValueError.

    >>> parse_sidecar(b'{"url": "https://youtu.be/x", "scraped_at": "2024-05-20T10:00:00+02:00"}')
    ('https://youtu.be/x', datetime.datetime(2024, 5, 20, 8, 0, tzinfo=datetime.timezone.utc))
    """
    obj = json.loads(data.decode("utf-8-sig"))
    if not isinstance(obj, dict):
        raise ValueError("the sidecar is not a JSON object")
    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        raise ValueError("'url' is not a string")
    raw = obj.get("scraped_at")
    scraped_at = None
    if raw is not None:
        if not isinstance(raw, str):
            raise ValueError("'scraped_at' is not an ISO-8601 string")
        try:
            scraped_at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if scraped_at.tzinfo is None:
                scraped_at = scraped_at.replace(tzinfo=UTC)  # a naive time is taken as UTC
            scraped_at = scraped_at.astimezone(UTC)
        except OverflowError:  # "0001-01-01T00:00:00+05:00" is before datetime's range in UTC
            raise ValueError(f"scraped_at {raw!r} is out of range") from None
    return url, scraped_at


def _parser_for(fmt: str) -> Callable[[bytes, list[str]], tuple[ParsedPage, str]]:
    if fmt == "textdump":
        return _parse_text
    if fmt == "html":
        return _parse_html
    return _parse_json


def _parse_text(data: bytes, repairs: list[str]) -> tuple[ParsedPage, str]:
    from pageclean.formats.textdump import parse_textdump

    decoded = decode_and_repair(data)  # a dump is all fields: ftfy runs on the whole text once
    repairs.extend(decoded.repairs)
    text = decoded.text
    if _SURROGATE.search(text):  # the codecs replace them, but a replayed ftfy plan may not
        text = _SURROGATE.sub("\ufffd", text)
        repairs.append("lone surrogates replaced with U+FFFD")
    return parse_textdump(text), decoded.encoding


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a page's JSON is parsed and read.

    A 1 MB watch page's JSON is ~30,000 objects. Allocating them triggers collections that find
    nothing (a parsed JSON tree holds no reference cycles; it is freed by reference counting) but
    promote the tree to the old generation, whose full collections then walk every object of the
    process (the language catalogs included): ~20% of an HTML page's time. Only the thread that
    paused it turns it back on, and only if it was on, so concurrent pages cannot leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_html(data: bytes, repairs: list[str]) -> tuple[ParsedPage, str]:
    from pageclean.formats.html import parse_html

    decoded = decode_bytes(data)  # ftfy on a 1 MB document costs ~300 ms; fields cost a few ms
    repairs.extend(decoded.repairs)
    # The bytes are the text as it is (UTF-8, nothing replaced or removed): JSON parses from them.
    as_is = decoded.encoding == "utf-8" and set(decoded.repairs) <= {"bom:utf-8"}
    with _no_cyclic_gc():
        page = parse_html(decoded.text, data if as_is else None)
    repairs.extend(_repair_fields(page))
    return page, decoded.encoding


def _parse_json(data: bytes, repairs: list[str]) -> tuple[ParsedPage, str]:
    decoded = decode_bytes(data)
    repairs.extend(decoded.repairs)
    with _no_cyclic_gc():
        page = _innertube_page(decoded.text)
    repairs.extend(_repair_fields(page))
    return page, decoded.encoding


def _innertube_page(text: str) -> ParsedPage:
    from pageclean.formats.innertube import parse_innertube
    from pageclean.formats.jsonscript import close_truncated, loads

    lost: str | None = None
    try:
        obj = loads(text)  # a RecursionError is process_page's too_deep reject, like any page's
    except json.JSONDecodeError as exc:
        start = len(text) - len(text.lstrip())
        closed = close_truncated(text, start, len(text))  # None unless the text ends mid-object
        if closed is None:
            raise RejectError("bad_json", f"The file is not valid JSON: {exc}.") from None
        try:
            obj = loads(closed[0])
        except json.JSONDecodeError:
            raise RejectError("bad_json", f"The file is not valid JSON: {exc}.") from None
        lost = (f"the file ends inside the JSON object; everything after character {closed[1]:,} "
                f"of {len(text):,} is lost")
    if not isinstance(obj, dict | list):  # a list may be m.youtube.com's pbj array of parts
        raise RejectError("bad_json", f"The JSON holds a {type(obj).__name__}, not an object.")
    page = parse_innertube(obj)
    if lost:
        if not (page.title or page.video_id or page.comments):
            raise RejectError("bad_json", "The file is cut off inside its JSON before any complete field "
                                          "(a truncated download?).")
        page.warnings.append(lost)
    return page


def _repair_fields(page: ParsedPage) -> list[str]:
    """ftfy on the extracted text fields only; returns the distinct repairs made."""
    done: list[str] = []

    def fix(value: str | None) -> str | None:
        if not value:
            return value
        fixed, steps = repair(value)
        for step in steps:
            if step not in done:
                done.append(step)
        return fixed

    page.title = fix(page.title)
    page.channel = fix(page.channel)
    page.description = fix(page.description)
    for c in page.comments:
        c.text = fix(c.text) or c.text
        c.author = fix(c.author) or c.author
    for r in page.related:
        r.title = fix(r.title) or r.title
        r.channel = fix(r.channel)
    for ch in page.chapters:
        ch.title = fix(ch.title) or ch.title
    for link in page.links:
        link.label = fix(link.label)
    return done


def process_page(
    data: bytes, meta: PageMeta, now: datetime, pseudonymize: Pseudonymizer | None = None,
    page_id: str | None = None,
) -> PageResult:
    """Decode, parse and tabulate one page. Never raises: failures are reject rows.

    With ``pseudonymize``, author handles (``author``, ``reply_to``) and every ``@handle`` mention in
    any text of any table are replaced by keyed pseudonyms (see ``_scrub_page``); only
    ``source_path``, the raw file's own name, is kept as it is. ``page_id`` is ``page_id_of(data)``
    when the caller has already hashed the bytes (hashing a 1 MB page costs ~1 ms).
    """
    page_id = page_id or page_id_of(data)
    fmt = source_format(meta.source_path)
    try:
        if fmt is None:
            raise RejectError(
                "unsupported_format",
                "This file has none of the extensions pageclean reads: .txt text dumps, "
                ".html/.htm watch pages and .json InnerTube responses.",
            )
        repairs: list[str] = []
        page, encoding = _parser_for(fmt)(data, repairs)
        if page.page_text_en is None:
            page.page_text_en = render_page_text_en(page)
        rows = _rows(page, page_id, fmt, encoding, repairs, meta, pseudonymize)
        # A text dump's text holds no lone surrogate (``_parse_text``), so its rows can only get one
        # from the file name and the sidecar, which go to the videos row alone; JSON's "\ud800"
        # escapes can put one in any row of an HTML or JSON page. (Scanning every string of a
        # dump's ~80 rows cost 0.3 ms of its ~5 ms.)
        if valid_rows({"videos": rows["videos"]} if fmt == "textdump" else rows):
            rows["videos"][0]["warnings"].append(
                "the page held lone UTF-16 surrogates (broken \\uD800-\\uDFFF escapes), which no text "
                "encoding can store; they were replaced by U+FFFD")
        return PageResult(page_id, rows)
    except RejectError as exc:
        detail = pseudonymize.scrub(exc.detail) if pseudonymize else exc.detail
        return PageResult(page_id, {"rejects": [reject_row(meta, page_id, exc.reason, detail, fmt, now)]})
    except RecursionError:
        detail = "The page nests too deeply to parse (over Python's recursion limit)."
        return PageResult(page_id, {"rejects": [reject_row(meta, page_id, "too_deep", detail, fmt, now)]})
    except Exception as exc:  # a bug must not stop the batch; the page is kept as a reject
        log.debug("internal error on %s", meta.source_path, exc_info=True)
        detail = f"pageclean failed on this page ({type(exc).__name__}: {exc}); please report it."
        detail = pseudonymize.scrub(detail) if pseudonymize else detail  # the error may quote the page
        return PageResult(page_id, {"rejects": [reject_row(meta, page_id, "internal_error", detail, fmt, now)]})


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """``text`` as valid UTF-8, which Parquet requires: a byte a file name could not decode
    (os.fsdecode's surrogateescape, U+DC80-U+DCFF) becomes ``\\xNN``; any other lone UTF-16
    surrogate (a broken ``\\ud800`` escape in a page's JSON) becomes U+FFFD."""
    return _SURROGATE.sub(
        lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if 0xDC80 <= ord(m.group()) <= 0xDCFF else "\ufffd", text)


def valid_rows(rows: dict[str, list[dict[str, Any]]]) -> int:
    """Make every string of every row valid UTF-8 in place (see valid_text); returns how many
    strings changed. One such string used to make Parquet refuse the whole batch."""
    changed = 0
    for table_rows in rows.values():
        for row in table_rows:
            for key, value in row.items():
                if isinstance(value, str) and not value.isascii() and _SURROGATE.search(value):
                    row[key] = valid_text(value)
                    changed += 1
                elif isinstance(value, list) and any(
                        isinstance(v, str) and not v.isascii() and _SURROGATE.search(v) for v in value):
                    row[key] = [valid_text(v) if isinstance(v, str) else v for v in value]
                    changed += 1
    return changed


def reject_row(
    meta: PageMeta, page_id: str | None, reason: str, detail: str, fmt: str | None, now: datetime
) -> dict[str, Any]:
    return {
        "source_path": meta.source_path,
        "page_id": page_id,
        "reason": reason,
        "detail": detail,
        "source_format": fmt or "unknown",
        "size_bytes": meta.size_bytes,
        "rejected_at": now,
        "pipeline_version": __version__,
    }


def comment_key(video_or_page: str, author: str, text: str, occurrence: int) -> str:
    """A stable id for a comment the page gave no id to: same comment, same id, across scrapes."""
    raw = "\x1f".join((video_or_page, author, text, str(occurrence)))
    return "h_" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _authors(page: ParsedPage, pseudonymize: Pseudonymizer | None) -> dict[str, str]:
    """Shown handle -> the identifier stored for it (normalized, or pseudonymized).

    Pseudonymizing also rewrites the page (see :func:`_scrub_page`), so it runs before any row is built.
    """
    shown = {c.author for c in page.comments} | {c.reply_to for c in page.comments if c.reply_to}
    if pseudonymize is None:
        return {h: normalize_identifier(h) or h for h in shown}
    mapping = {h: pseudonymize(h) for h in shown}
    _scrub_page(page, pseudonymize, mapping)
    return mapping


# Fields the walk leaves alone: the parser's name, and the author fields, which are pseudonymized whole.
# Ids are scrubbed like text: a real one holds no "@", a hostile page's may.
_NOT_TEXT = frozenset({"parser", "author", "reply_to"})
# Text fields where a page prints an author's name without an "@" (comments before handles, 2022):
# the comment texts, and the author lines quoted in page_text_en, the evidence and the warnings.
_NAME_FIELDS = ("page_text_en", "ui_language_evidence")


def _scrub_page(page: ParsedPage, pseudonymize: Pseudonymizer, authors: dict[str, str]) -> None:
    """Every mention of a handle in every text field of ``page`` -> its pseudonym, in place.

    Mentions follow :func:`pageclean.identity.mentions` (any case; people who never commented
    too), in every string of every record: links' labels, display texts and URLs
    (``youtube.com/@alice``), descriptions, titles, warnings. Authors shown without an "@" (old
    display names) are replaced as whole words where pages quote authors.
    """
    known = frozenset(handle_key(h) for h in authors)
    names = sorted((h for h in authors if not h.startswith("@")), key=len, reverse=True)
    by_name = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names)) if names else None

    def rename(text: str) -> str:
        return by_name.sub(lambda m: authors[m.group()], text) if by_name else text

    def walk(record: Any) -> None:
        for f in fields(record):
            if f.name in _NOT_TEXT:
                continue
            value = getattr(record, f.name)
            if isinstance(value, str):
                setattr(record, f.name, pseudonymize.scrub(value, known))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, str):
                        value[i] = pseudonymize.scrub(item, known)
                    elif is_dataclass(item):
                        walk(item)

    walk(page)
    for c in page.comments:
        c.text = rename(c.text)
    for name in _NAME_FIELDS:
        value = getattr(page, name)
        if value:
            setattr(page, name, rename(value))
    page.warnings = [rename(w) for w in page.warnings]


def time_columns(name: str, time: DerivedTime) -> dict[str, Any]:
    """A derived time's four columns: ``name`` (the point estimate), ``name_precision``,
    ``name_earliest`` and ``name_latest``."""
    return {name: time.at, f"{name}_precision": time.precision, f"{name}_earliest": time.earliest,
            f"{name}_latest": time.latest}


def _citation_columns(citation: Citation) -> dict[str, Any]:
    """A link's citation fields as columns (dataclasses.asdict deep-copies: 5% of a text dump's time)."""
    return {name: getattr(citation, name) for name in _CITATION_FIELDS}


_CITATION_FIELDS = tuple(f.name for f in fields(Citation))


def _rows(
    page: ParsedPage, page_id: str, fmt: str, encoding: str, repairs: list[str], meta: PageMeta,
    pseudonymize: Pseudonymizer | None = None,
) -> dict[str, list[dict[str, Any]]]:
    url_video_id = youtube_target(meta.url)[0] if meta.url else None
    video_id = page.video_id or url_video_id
    if not (page.title or video_id or page.comments):
        said = f" YouTube's message: {page.availability_reason!r}." if page.availability_reason else ""
        raise RejectError("no_content", f"The page parsed but holds no title, video id or comments.{said}")

    authors = _authors(page, pseudonymize)  # before any text is read: it may rewrite handles
    scrub = pseudonymize.scrub if pseudonymize else (lambda text: text)
    warnings = [scrub(note) for note in meta.notes] + page.warnings
    if page.video_id and url_video_id and page.video_id != url_video_id:
        warnings.append(f"the page is video {page.video_id} but the sidecar URL names {url_video_id}")
    # Nulls a time the page's own order contradicts; an mtime bounds the scrape only from above.
    times = page_times(page, meta.scraped_at, scrape_exact=meta.scraped_at_source != "mtime")
    warnings += [scrub(w) for w in times.warnings]  # they quote the page's own lines
    video = {
        "page_id": page_id,
        "source_path": meta.source_path,
        "source_format": fmt,
        "parser": page.parser,
        "ui_language": page.ui_language,
        "ui_language_evidence": page.ui_language_evidence,
        "scraped_at": meta.scraped_at,
        "scraped_at_source": meta.scraped_at_source,
        "video_id": video_id,
        "url": scrub(meta.url) if meta.url else None,
        "title": page.title,
        "channel": normalize_identifier(page.channel),
        "channel_as_shown": page.channel,
        "channel_id": page.channel_id,
        "view_count": page.view_count,
        "views_text": page.views_text,
        "published_text": page.published_text,
        **time_columns("published_at", times.video_time),
        "comment_count": page.comment_count,
        "like_count": page.like_count,
        "duration_seconds": page.duration_seconds,
        "description": page.description,
        "availability": page.availability,
        "availability_reason": page.availability_reason,
        "chapter_count": len(page.chapters),
        "link_count": len(page.links),
        "comment_rows": len(page.comments),
        "related_count": len(page.related),
        "source_encoding": encoding,
        "encoding_repairs": repairs,
        "warnings": warnings,
        "page_text_en": page.page_text_en,
        "size_bytes": meta.size_bytes,
        "pipeline_version": __version__,
    }
    chapters = [
        {"page_id": page_id, "position": i, "start_seconds": c.start_seconds,
         "end_seconds": c.end_seconds if c.end_seconds is not None else
         (page.duration_seconds if i == len(page.chapters) - 1 else None),
         "title": c.title, "source": c.source, "video_id": video_id}
        for i, c in enumerate(page.chapters)
    ]
    links = [
        {"page_id": page_id, "position": i, "url": lk.url, "domain": lk.domain, "label": lk.label,
         "truncated": lk.truncated, "origin": lk.origin, "display_text": lk.display_text,
         "linked_video_id": lk.linked_video_id, "linked_start_seconds": lk.linked_start_seconds,
         "comment_position": lk.comment_position, "video_id": video_id,
         **_citation_columns(describe_link(lk.url, partial=lk.partial))}
        for i, lk in enumerate(page.links)
    ]
    seen: dict[tuple[str, str], int] = {}
    comments = []
    for i, c in enumerate(page.comments):
        author = authors[c.author]
        occurrence = seen[(author, c.text)] = seen.get((author, c.text), -1) + 1
        comments.append({
            "page_id": page_id, "position": i,
            "comment_id": c.comment_id or comment_key(video_id or page_id, author, c.text, occurrence),
            "author": author, "author_as_shown": author if pseudonymize else c.author,
            "text": c.text, "published_text": c.published_text,
            **time_columns("published_at", times.comment_times[i]),
            "like_count": c.like_count, "reply_to": authors[c.reply_to] if c.reply_to else None,
            "reply_count": c.reply_count,
            "parent_comment_id": c.parent_comment_id, "edited": c.edited, "video_id": video_id,
        })
    related = [
        {"page_id": page_id, "position": i, "title": r.title, "channel": normalize_identifier(r.channel),
         "channel_as_shown": r.channel,
         "duration_seconds": r.duration_seconds, "view_count": r.view_count, "video_id": r.video_id,
         "published_text": r.published_text, "source_video_id": video_id,
         **time_columns("published_at", times.related_times[i])}
        for i, r in enumerate(page.related)
    ]
    return {"videos": [video], "chapters": chapters, "links": links, "comments": comments,
            "related_videos": related}
