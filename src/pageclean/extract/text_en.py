"""``page_text_en`` for pages that are not text dumps: the page's readable text, labels in English.

A text dump's own lines are rewritten in place by its parser. HTML and JSON pages have no such
text, so it is laid out here in the dump's order (title, views, channel, age, description,
comments header, comments, related), each UI label rendered in English and content as written.
"""

from __future__ import annotations

from pageclean import localize
from pageclean.model import ParsedPage


def _english(text: str | None, language: str | None, fallback: str | None = None) -> str | None:
    if not text:
        return fallback
    try:
        label = localize.match_label(text, language)
    except ValueError:  # a language code the catalogs do not know
        label = None
    return label.english if label is not None else (fallback or text)


def render_page_text_en(page: ParsedPage) -> str:
    lang = page.ui_language
    lines: list[str] = []
    if page.title:
        lines.append(page.title)
    views = f"{page.view_count:,} views" if page.view_count is not None else None
    lines += [x for x in (_english(page.views_text, lang, views), page.channel,
                          _english(page.published_text, lang)) if x]
    if page.description:
        lines += ["", page.description]
    if page.comments or page.comment_count is not None:
        count = f"{page.comment_count:,} Comments" if page.comment_count is not None else None
        header = _english(page.comments_text, lang, count) or "Comments"
        lines += ["", header]
    for c in page.comments:
        age = _english(c.published_text, lang)
        lines.append(f"{c.author} {age}" if age else c.author)
        lines.append(c.text)
    if page.related:
        lines.append("")
    for r in page.related:
        views = f"{r.view_count:,} views" if r.view_count is not None else None
        lines += [x for x in (r.title, r.channel, views, _english(r.published_text, lang)) if x]
    return "\n".join(lines)
