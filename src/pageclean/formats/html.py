"""A YouTube watch page saved as HTML -> ParsedPage, whichever generation of page it is.

Four shapes: the served page with ytInitialData / ytInitialPlayerResponse in ``<script>`` (desktop,
mobile hex-escaped, ``window["..."]``), read by string search with no DOM at all; a browser-saved
rendered page (``ytd-*`` custom elements, comments loaded); the 2017 server-rendered page with no
ytInitialData; anything else is rejected as not a watch page. Only the last two build a DOM
(BeautifulSoup over lxml), because a DOM costs ~10x the JSON path on a 1 MB page.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from pageclean.errors import RejectError
from pageclean.extract.chapters import chapters_from_description
from pageclean.extract.links import absolute_href, link_from_href, links_from_text
from pageclean.formats import display as ds
from pageclean.formats import innertube as it
from pageclean.formats import jsonscript
from pageclean.formats import selectors as sel
from pageclean.model import Comment, Link, ParsedPage, RelatedVideo

_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_WS = re.compile(r"\s+")
# Every rendered-DOM marker starts with this: one ``str.find`` scan for it, and a check of the few
# places it occurs, cost 0.97 ms on 1 MB served pages against 1.41 ms for one regex of the six
# markers (and six ``in`` scans cost more still). A served page escapes "<" inside its scripts.
_MARKER_PREFIX = "<yt"  # tests/test_formats_html.py holds every marker to it


def parse_html(text: str, utf8: bytes | None = None) -> ParsedPage:
    """One watch page's HTML (decoded str) -> ParsedPage, or ``RejectError(not_a_watch_page)``.

    ``utf8``: the page's bytes when ``text`` is exactly their UTF-8 decoding (a BOM aside), which
    lets the script objects be parsed from them (``jsonscript.find_assigned``)."""
    found = {name: jsonscript.find_assigned(text, name, utf8)
             for name in (sel.INITIAL_DATA_VAR, sel.PLAYER_RESPONSE_VAR)}
    initial, player = (f.value if f is not None else None for f in found.values())
    rendered = is_rendered(text)
    if initial is not None:
        it.reject_non_watch(initial)
    hints = language_hints(text)
    if rendered:
        page = _parse_rendered(text, initial, player, hints)
    elif initial is not None or player is not None:
        page = it.build_page(initial, player, parser="html-initialdata", hl_hints=hints)
    elif any(marker in text for marker in sel.LEGACY_MARKERS):
        page = parse_legacy(text, hints)
    else:
        description = describe_non_watch(text)  # a phrase: the reject's detail is a sentence
        raise RejectError("not_a_watch_page", f"This is {description}.")
    page.warnings.extend(
        truncation_warning(name, f, len(text)) for name, f in found.items() if f is not None and f.truncated
    )
    return page


def is_rendered(text: str) -> bool:
    """The page holds the DOM a browser rendered (``selectors.RENDERED_MARKERS``), not only the
    served HTML."""
    at = text.find(_MARKER_PREFIX)
    while at != -1:
        if text.startswith(sel.RENDERED_MARKERS, at):
            return True
        at = text.find(_MARKER_PREFIX, at + len(_MARKER_PREFIX))
    return False


def truncation_warning(name: str, found: jsonscript.Assigned, text_length: int) -> str:
    """The sentence a page cut inside one of its script objects carries: what was kept and lost."""
    where = "page" if found.ends_at is None or found.ends_at >= text_length else "script"
    lost = sel.LOST_WITH_TRUNCATION.get(name, "its later members")
    return (
        f"the {where} ends inside {name}; {lost} after character {found.kept_until or found.start:,} "
        "are lost (the members before it were kept)"
    )


def language_hints(text: str) -> list[tuple[str, str]]:
    """``hl`` candidates in order of trust: ytcfg's INNERTUBE_CONTEXT_HL, then ``<html lang>``."""
    hints: list[tuple[str, str]] = []
    if found := jsonscript.ytcfg_language(text):
        hints.append((found[0], f"{found[1]} in ytcfg"))
    if lang := jsonscript.html_lang(text):
        hints.append((lang, "<html lang>"))
    return hints


def describe_non_watch(text: str) -> str:
    """A sentence naming what a page that is not a watch page looks like."""
    head = text[:200_000]
    title_match = _TITLE_TAG.search(head)
    title = _WS.sub(" ", title_match.group(1)).strip() if title_match else ""
    if any(marker in head for marker in sel.CONSENT_MARKERS):
        return "a YouTube cookie-consent page (consent.youtube.com form), not a watch page" + (
            f"; its title is {title!r}" if title else ""
        )
    if "youtube" in head.lower():
        cut = "" if "</html" in text[-4096:].lower() else "; the file ends before </html> (a truncated download?)"
        return f"a YouTube page without ytInitialData or watch-page markup (title {title!r}), not a watch page{cut}"
    if "<html" in head.lower() or "<!doctype" in head.lower():
        return f"an HTML page that is not from YouTube (title {title!r}), not a watch page"
    return "a document with no HTML structure and no YouTube data, not a watch page"


# --- DOM helpers -------------------------------------------------------------------------------


def _soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = _WS.sub(" ", value).strip()
    return cleaned or None


def _text(node: Tag | None) -> str | None:
    return _clean(node.get_text(" ")) if node is not None else None


def _first(root: Tag, selectors: str | tuple[str, ...]) -> Tag | None:
    for selector in (selectors,) if isinstance(selectors, str) else selectors:
        if (found := root.select_one(selector)) is not None:
            return found
    return None


def _multiline_text(node: Tag | None) -> str | None:
    """Text of a description element with ``<br>`` as line breaks and spacing kept."""
    if node is None:
        return None
    for br in node.find_all("br"):
        br.replace_with("\n")
    lines = [" ".join(line.split()) for line in node.get_text().splitlines()]
    text = "\n".join(lines).strip()
    return text or None


def _meta_itemprop(soup: BeautifulSoup, name: str) -> str | None:
    node = soup.find(["meta", "link"], attrs={"itemprop": name})
    if node is None:
        return None
    value = node.get("content") or node.get("href")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _opens_a_list(href: object) -> bool:
    """The link plays a list (a playlist, or a mix: ``/watch?v=ID&list=RDID``), not one video."""
    if not isinstance(href, str) or "list=" not in href:
        return False
    try:
        return bool(parse_qs(urlsplit(urljoin(sel.YOUTUBE_ORIGIN, href)).query).get("list"))
    except ValueError:
        return False


def _video_id_from_href(href: object) -> str | None:
    if not isinstance(href, str) or ("v=" not in href and "youtu.be" not in href):
        return None
    try:
        parts = urlsplit(urljoin(sel.YOUTUBE_ORIGIN, href))
        host = parts.hostname
    except ValueError:  # "//[youtu.be": a host urlsplit refuses is no video link
        return None
    if host and host.endswith("youtu.be"):
        return ds.video_id_or_none(parts.path.strip("/")[:11])
    return ds.video_id_or_none((parse_qs(parts.query).get("v") or [None])[0])


def _iso_duration(value: str | None) -> int | None:
    match = _ISO_DURATION.match(value or "")
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def _dom_links(node: Tag | None, origin: str) -> list[Link]:
    """Hyperlinks in an element (hrefs resolved against youtube.com), then URLs in its text."""
    if node is None:
        return []
    links: list[Link] = []
    for anchor in node.find_all("a", href=True):
        href = anchor["href"]
        if not isinstance(href, str) or href.startswith(("/hashtag/", "#")):
            continue
        link = link_from_href(absolute_href(href, sel.YOUTUBE_ORIGIN), _text(anchor), origin)
        if link is not None and all(existing.url != link.url for existing in links):
            links.append(link)
    return links


def _merge_text_links(links: list[Link], text: str | None, origin: str) -> list[Link]:
    seen = {link.url for link in links}
    for link in links_from_text(text, origin):
        if link.url not in seen:
            seen.add(link.url)
            links.append(link)
    return links


def _dom_video_id(soup: BeautifulSoup) -> str | None:
    flexy = soup.select_one(sel.RENDERED["flexy"])
    if flexy is not None and (vid := ds.video_id_or_none(flexy.get("video-id"))):
        return vid
    for node in (
        soup.find("meta", attrs={"itemprop": sel.ITEMPROP_VIDEO_ID}),
        soup.find("link", attrs={"rel": "canonical"}),
        soup.find("meta", attrs={"property": "og:url"}),
    ):
        if node is None:
            continue
        value = node.get("content") or node.get("href")
        if vid := ds.video_id_or_none(value) or _video_id_from_href(value):
            return vid
    return None


# --- 2017 server-rendered page -----------------------------------------------------------------


def parse_legacy(text: str, hints: list[tuple[str, str]]) -> ParsedPage:
    """The pre-Polymer watch page: ``#eow-title``, ``.watch-view-count``, schema.org metas."""
    soup = _soup(text)
    q = sel.LEGACY
    title_node = soup.select_one(q["title"])
    title = (
        _clean(title_node.get("title") if title_node else None)
        or _text(title_node)
        or _meta_itemprop(soup, sel.ITEMPROP_TITLE)
    )
    views_text = _text(soup.select_one(q["views"]))
    published_text = _text(soup.select_one(q["published"]))
    channel_node = soup.select_one(q["channel"])
    channel_id = _meta_itemprop(soup, sel.ITEMPROP_CHANNEL_ID)
    if channel_id is None and channel_node is not None:
        href = channel_node.get("href")
        if isinstance(href, str) and href.startswith("/channel/"):
            channel_id = href.split("/")[2]
    description_node = soup.select_one(q["description"])
    links = _dom_links(description_node, "description")
    description = _multiline_text(description_node) or _meta_itemprop(soup, "description")
    related_raw = [_legacy_related(li) for li in soup.select(q["related_item"])]
    related_raw = [r for r in related_raw if r is not None]
    like_text = _text(soup.select_one(q["like"]))

    labels = [views_text, published_text, *[r[3] for r in related_raw[:10]]]
    language, evidence, warnings = it.decide_language(hints, labels)
    exact_views = ds.to_int(_meta_itemprop(soup, sel.ITEMPROP_VIEWS))
    shown_views = it.count(views_text, language)
    if note := it.cross_check("views", views_text, shown_views, exact_views, "meta itemprop=interactionCount"):
        warnings.append(note)
    duration = _iso_duration(_meta_itemprop(soup, sel.ITEMPROP_DURATION))
    page = ParsedPage(
        parser="html-legacy",
        title=title,
        channel=_text(channel_node),
        channel_id=channel_id,
        video_id=ds.video_id_or_none(_meta_itemprop(soup, sel.ITEMPROP_VIDEO_ID)) or _dom_video_id(soup),
        view_count=exact_views if exact_views is not None else shown_views,
        views_text=views_text,
        published_text=published_text,
        published_age_seconds=it.age_seconds(published_text, language),
        published_date=ds.iso_datetime(_meta_itemprop(soup, sel.ITEMPROP_PUBLISHED)),
        like_count=it.count(like_text, language),
        duration_seconds=duration,
        description=description,
        ui_language=language,
        ui_language_evidence=evidence,
        warnings=warnings,
    )
    page.links = it.drop_self_links(_merge_text_links(links, description, "description"), page.video_id)
    page.chapters = chapters_from_description(description, duration, page.warnings)
    page.related = [
        RelatedVideo(
            title=title_,
            channel=channel,
            duration_seconds=ds.clock_seconds(duration_text),
            view_count=it.count(views, language),
            video_id=video_id,
        )
        for title_, channel, duration_text, views, video_id in related_raw
    ]
    return page


def _legacy_related(li: Tag) -> tuple[str, str | None, str | None, str | None, str | None] | None:
    q = sel.LEGACY
    title_node = li.select_one(q["related_title"])
    title = _clean(title_node.get("title") if title_node else None) or _text(title_node)
    if not title:
        return None
    link = li.select_one(q["related_link"])
    return (
        title,
        _text(li.select_one(q["related_channel"])),
        _text(li.select_one(q["related_duration"])),
        _text(li.select_one(q["related_views"])),
        _video_id_from_href(link.get("href") if link else None),
    )


# --- browser-rendered page (ytd-* elements) ----------------------------------------------------


def _parse_rendered(text: str, initial: dict | None, player: dict | None, hints: list[tuple[str, str]]) -> ParsedPage:
    """A live DOM saved by a browser: the DOM is the truth, the page's JSON fills its gaps."""
    soup = _soup(text)
    dom = _rendered_from_dom(soup, hints)
    if initial is None and player is None:
        return dom
    base = it.build_page(initial, player, parser="html-rendered", hl_hints=hints)
    if dom.video_id and base.video_id and dom.video_id != base.video_id:
        # The SPA navigated after load: the scripts describe the first video, not this one.
        dom.warnings.append(
            f"The page's ytInitialData describes video {base.video_id} but the rendered page "
            f"shows {dom.video_id} (in-app navigation); only the rendered DOM was used."
        )
        return dom
    for name in (
        "title",
        "channel",
        "channel_id",
        "video_id",
        "view_count",
        "views_text",
        "published_text",
        "published_age_seconds",
        "comment_count",
        "comments_text",
        "description",
    ):
        if getattr(base, name) is None:
            setattr(base, name, getattr(dom, name))
    for name in ("comments", "related", "links"):
        if not getattr(base, name):
            setattr(base, name, getattr(dom, name))
    if len(dom.comments) > len(base.comments):
        base.comments = dom.comments
    if dom.ui_language and dom.ui_language != base.ui_language:
        base.warnings.append(
            f"The rendered labels read as {dom.ui_language} but the page's JSON as "
            f"{base.ui_language}; the rendered labels were used."
        )
        base.ui_language, base.ui_language_evidence = dom.ui_language, dom.ui_language_evidence
    base.warnings.extend(w for w in dom.warnings if w not in base.warnings)
    return base


def _rendered_from_dom(soup: BeautifulSoup, hints: list[tuple[str, str]]) -> ParsedPage:
    q = sel.RENDERED
    title = _text(_first(soup, q["title"]))
    channel_node = _first(soup, q["channel"])
    channel_id = None
    if channel_node is not None:
        href = channel_node.get("href")
        if isinstance(href, str) and href.startswith("/channel/"):
            channel_id = href.split("/")[2]
    views_text = _text(_first(soup, q["view_count"]))
    info_spans = [_text(s) for s in _select_any(soup, q["info_spans"])]
    info_spans = [s for s in info_spans if s]
    if views_text is None and info_spans:
        views_text = info_spans[0]
    published_text = info_spans[1] if len(info_spans) > 1 else _text(_first(soup, q["date"]))
    description_node = _first(soup, q["description"])
    links = _dom_links(description_node, "description")
    description = _multiline_text(description_node)
    comments_text = _text(_first(soup, q["comment_count"]))
    raw_comments = _rendered_comments(soup)
    raw_related = _rendered_related(soup)

    labels = [
        views_text,
        published_text,
        comments_text,
        *[c[2] for c in raw_comments[:20]],
        *[p for r in raw_related[:10] for p in r.parts],
    ]
    language, evidence, warnings = it.decide_language(hints, labels)
    page = ParsedPage(
        parser="html-rendered",
        title=title or _clean(soup.title.string if soup.title else None),
        channel=_text(channel_node),
        channel_id=channel_id,
        video_id=_dom_video_id(soup),
        view_count=it.count(views_text, language),
        views_text=views_text,
        published_text=published_text,
        published_age_seconds=it.age_seconds(published_text, language),
        comment_count=it.count(comments_text, language),
        comments_text=comments_text,
        description=description,
        ui_language=language,
        ui_language_evidence=evidence,
        warnings=warnings,
    )
    page.links = it.drop_self_links(_merge_text_links(links, description, "description"), page.video_id)
    page.chapters = chapters_from_description(description, None, page.warnings)
    page.comments = _finish_rendered_comments(raw_comments, language)
    page.related = [it.finish_related(r, language) for r in raw_related]
    return page


def _select_any(root: Tag, selectors: tuple[str, ...]) -> list[Tag]:
    for selector in selectors:
        if found := root.select(selector):
            return found
    return []


# (author, text, published_text, like_text, reply_count_text, comment_id, parent_id)
_RenderedComment = tuple[str, str, str | None, str | None, str | None, str | None, str | None]


def _rendered_comments(soup: BeautifulSoup) -> list[_RenderedComment]:
    q = sel.RENDERED
    out: list[_RenderedComment] = []
    for thread in soup.select(q["thread"]):
        replies = thread.select_one(q["replies"])
        top = next(
            (c for c in thread.select(q["comment"]) if replies is None or c not in replies.descendants),
            None,
        )
        if top is None:
            continue
        parsed = _rendered_comment(top, None, thread)
        if parsed is None:
            continue
        out.append(parsed)
        if replies is not None:
            for reply in replies.select(q["comment"]):
                if (item := _rendered_comment(reply, parsed[5], None)) is not None:
                    out.append(item)
    return out


def _rendered_comment(node: Tag, parent_id: str | None, thread: Tag | None) -> _RenderedComment | None:
    q = sel.RENDERED
    content = node.select_one(q["content"])
    if content is None:
        return None
    published = node.select_one(q["published"])
    comment_id = None
    anchor = published.find("a", href=True) if published is not None else None
    if anchor is None and published is not None and published.name == "a":
        anchor = published
    if anchor is not None:
        try:
            query = parse_qs(urlsplit(str(anchor["href"])).query)
        except ValueError:  # a permalink urlsplit refuses carries no usable comment id
            query = {}
        comment_id = (query.get(sel.COMMENT_LINK_PARAM) or [None])[0]
    more = thread.select_one(q["more_replies"]) if thread is not None else None
    return (
        _text(node.select_one(q["author"])) or "",
        _multiline_text(content) or "",
        _text(published),
        _text(node.select_one(q["votes"])),
        _text(more),
        comment_id,
        parent_id,
    )


def _finish_rendered_comments(raw: list[_RenderedComment], language: str | None) -> list[Comment]:
    comments: list[Comment] = []
    for author, text, published, like_text, replies_text, comment_id, parent_id in raw:
        if comment_id and "." in comment_id:
            parent_id = parent_id or comment_id.split(".", 1)[0]
        marker = re.match(r"^@(@?)([^\s@]{1,100})", text)
        like = it.count(like_text, language)
        comments.append(
            Comment(
                author=author,
                text=text,
                published_text=published,
                published_age_seconds=it.age_seconds(published, language),
                # The DOM leaves the vote count empty when nobody liked the comment.
                like_count=like if like_text else 0,
                reply_to=marker.group(2) if marker and (parent_id or marker.group(1)) else None,
                reply_count=it.count(replies_text, language),
                comment_id=comment_id,
                parent_comment_id=parent_id,
                edited=it.is_edited(published, language),
            )
        )
    return comments


def _rendered_related(soup: BeautifulSoup) -> list[ds.RawRelated]:
    q = sel.RENDERED
    out: list[ds.RawRelated] = []
    for node in soup.select(q["compact_video"]):
        title_node = node.select_one(q["compact_title"])
        title = _clean(title_node.get("title") if title_node else None) or _text(title_node)
        if not title:
            continue
        link = node.select_one(q["watch_link"])
        meta = [t for s in node.select(q["compact_meta"]) if (t := _text(s))]
        out.append(
            ds.RawRelated(
                title=title,
                channel=_text(_first(node, q["compact_channel"])),
                duration_text=_text(_first(node, q["compact_duration"])),
                views_text=None,
                video_id=_video_id_from_href(link.get("href") if link else None),
                published_text=None,
                parts=meta,
            )
        )
    for node in soup.select(q["lockup"]):
        title_node = _first(node, q["lockup_title"])
        title = _clean(title_node.get("title") if title_node else None) or _text(title_node)
        if not title:
            continue
        rows = [_text(r) for r in node.select(q["lockup_rows"])]
        rows = [r for r in rows if r]
        channel = rows[0] if len(rows) >= 2 else None
        parts = [
            p.strip() for row in (rows[1:] if channel else rows) for p in re.split(r"\s*[•·]\s*", row) if p.strip()
        ]
        link = node.select_one(q["watch_link"])
        if node.select_one(q["lockup_collection"]) or _opens_a_list(link.get("href") if link else None):
            continue  # a playlist or mix in the sidebar: the JSON's contentType would say PLAYLIST
        durations = [t for b in node.select(q["lockup_duration"][0]) if (t := _text(b))]
        out.append(
            ds.RawRelated(
                title=title,
                channel=channel,
                duration_text=next((d for d in durations if ds.clock_seconds(d) is not None), None),
                views_text=None,
                video_id=_video_id_from_href(link.get("href") if link else None),
                published_text=None,
                parts=parts,
            )
        )
    return out
