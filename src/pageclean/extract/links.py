"""Links in descriptions and comments: display URLs -> absolute http(s) URLs with their domain.

A text dump shows links the way YouTube displays them: no scheme, and cut after ~37 characters
with "..." (``link.springer.com/chapter/10....``). HTML and JSON give the real href, often wrapped
in YouTube's redirector (``https://www.youtube.com/redirect?...&q=TARGET``). Both end here. Only
http(s) URLs are ever emitted; ``javascript:``, ``data:`` and the like are dropped.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from pageclean.extract.chapters import parse_timestamp
from pageclean.model import Link

# A display URL: optional scheme, dotted host, optional path; stops at whitespace and at the
# closing brackets and quotes that wrap links in prose.
_URL = re.compile(
    r"(?<![\w@./-])"
    r"(?P<url>(?:https?://)?(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?P<tld>[a-z]{2,24})\b(?::\d{2,5})?(?P<path>[/?#][^\s<>\"'\]\)}]*)?)",
    re.IGNORECASE,
)
# Cheap test a line must pass before the full URL regex runs on it: a dot between a letter or
# digit and two letters ("arxiv.org", "en.wiki"). Sentence dots ("end. Next") never pass. The
# pattern starts with the literal dot (the letter before it is a lookbehind), so the engine jumps
# from dot to dot: 7x faster than "[a-z0-9-]\.[a-z]{2}" on the founding example's lines.
_MAYBE_URL = re.compile(r"\.(?<=[a-z0-9-]\.)[a-z]{2}", re.IGNORECASE)
_ELLIPSIS = ("...", "…")
_YOUTUBE_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com")
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
# A ``t=`` past this is not a position in any video (the longest live archives run days); a
# hostile "t=999...9h" would overflow the int64 ``linked_start_seconds`` column.
MAX_START_SECONDS = 366 * 24 * 3600
# Characters that can hide a scheme ("java\tscript:", "java\u200bscript:").
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


@cache
def _bare_host_tlds() -> frozenset[str]:
    """Last labels that make a bare host a link: common web TLDs that are not file extensions
    (data/display_urls.toml says why and where each list comes from)."""
    path = resources.files("pageclean.extract") / "data" / "display_urls.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))["bare_hosts"]
    return frozenset(data["common_tlds"]) - frozenset(data["file_extensions"])


def domain_of(url: str) -> str | None:
    """The host without ``www.``, lower-cased: ``https://www.YouTube.com/x`` -> ``youtube.com``."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def safe_http_url(href: str) -> str | None:
    """``href`` when it is an absolute http(s) URL (after undoing obfuscation), else None.

    >>> safe_http_url("jav\\tascript:alert(1)") is None, safe_http_url("//example.com/a")
    (True, 'https://example.com/a')
    """
    if not href:
        return None
    cleaned = _INVISIBLE.sub("", unicodedata.normalize("NFKC", href))
    if cleaned.startswith("//"):
        cleaned = "https:" + cleaned
    scheme = cleaned.split(":", 1)[0].lower() if ":" in cleaned else ""
    if scheme not in ("http", "https"):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return cleaned


def absolute_href(href: str, base: str) -> str:
    """A relative href resolved against ``base``; one with a scheme, even a hidden one, as it is.

    Resolving first would turn ``java\u200bscript:alert(1)`` (not a valid scheme, so "relative")
    into an https URL on ``base``'s host that still carries the payload.

    >>> absolute_href("/watch?v=dQw4w9WgXcQ", "https://www.youtube.com")
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ'
    >>> absolute_href("java\u200bscript:alert(1)", "https://www.youtube.com")
    'javascript:alert(1)'
    """
    cleaned = _INVISIBLE.sub("", unicodedata.normalize("NFKC", href))
    if _SCHEME.match(cleaned):
        return cleaned
    try:
        return urljoin(base, href)
    except ValueError:  # "//[" and other hosts urlsplit refuses
        return href


def unwrap_redirect(url: str) -> str:
    """YouTube's redirector -> its target: ``https://www.youtube.com/redirect?q=https%3A...``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    if host == "youtube.com" and parts.path == "/redirect":
        target = parse_qs(parts.query).get("q")
        if target:
            return unquote(target[0]) if "%" in target[0] else target[0]
    return url


def youtube_target(url: str) -> tuple[str | None, int | None]:
    """(video_id, start_seconds) for a YouTube video link; (None, None) otherwise.

    >>> youtube_target("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=754s")
    ('dQw4w9WgXcQ', 754)
    >>> youtube_target("https://youtu.be/dQw4w9WgXcQ?t=1m2s")
    ('dQw4w9WgXcQ', 62)
    >>> youtube_target("http://[")  # a sidecar or page URL urlsplit refuses is not a video link
    (None, None)
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.").removeprefix("music.")
    except ValueError:
        return None, None
    if not any(host == h or host.endswith("." + h) for h in _YOUTUBE_HOSTS):
        return None, None
    query = parse_qs(parts.query)
    video_id: str | None = None
    if host == "youtu.be":
        video_id = parts.path.strip("/").split("/")[0] or None
    elif parts.path == "/watch":
        video_id = (query.get("v") or [None])[0]
    else:
        m = re.match(r"^/(?:shorts|live|embed|v)/([^/?#]+)", parts.path)
        video_id = m.group(1) if m else None
    if video_id is None or not _VIDEO_ID.match(video_id):
        return None, None
    t = (query.get("t") or query.get("start") or [None])[0]
    return video_id, _start_seconds(t)


def _start_seconds(t: str | None) -> int | None:
    """``t=`` of a video link in seconds; None when unreadable or longer than any video.

    >>> _start_seconds("1h2m3s"), _start_seconds("9" * 30)
    (3723, None)
    """
    seconds = _raw_start_seconds(t)
    return seconds if seconds is not None and seconds <= MAX_START_SECONDS else None


def _raw_start_seconds(t: str | None) -> int | None:
    if not t or len(t) > 32:
        return None
    if t.isdecimal():
        return int(t)
    if t.endswith("s") and t[:-1].isdecimal():
        return int(t[:-1])
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", t)
    if m and any(m.groups()):
        h, mi, s = (int(g or 0) for g in m.groups())
        return h * 3600 + mi * 60 + s
    return parse_timestamp(t)


def link_from_href(
    href: str, display_text: str | None, origin: str, label: str | None = None
) -> Link | None:
    """A link whose real target is known (HTML/JSON): unwrap, resolve, keep only http(s)."""
    url = safe_http_url(href)
    if url is None:
        return None
    url = safe_http_url(unwrap_redirect(url))
    if url is None:
        return None
    domain = domain_of(url)
    if domain is None:
        return None
    video_id, start = youtube_target(url)
    display = display_text or url
    return Link(
        url=url,
        domain=domain,
        origin=origin,
        display_text=display,
        label=label,
        truncated=display.rstrip().endswith(_ELLIPSIS),
        linked_video_id=video_id,
        linked_start_seconds=start,
    )


def _from_display(display: str, origin: str, label: str | None) -> Link | None:
    truncated = display.endswith(_ELLIPSIS)
    core = display
    for tail in _ELLIPSIS:
        core = core.removesuffix(tail)
    if not truncated:
        core = core.rstrip(".,;:!?")  # sentence punctuation after a link is not part of it
    url = core if re.match(r"^https?://", core, re.I) else "https://" + core
    link = link_from_href(url, display, origin, label)
    if link is not None:
        link.truncated = link.partial = truncated
    return link


def _is_url_shaped(m: re.Match[str]) -> bool:
    """The display-URL rule of data/display_urls.toml: a scheme, a path or ``www.``; or a bare
    host whose last label, written in lower case, is a common web TLD and not a file extension
    ("gradientscience.org" yes; "ASP.NET", "README.md", "setup.sh" no)."""
    if m["path"] or m["url"].lower().startswith(("http://", "https://", "www.")):
        return True
    return m["tld"] in _bare_host_tlds()


def links_from_text(text: str | None, origin: str) -> list[Link]:
    """Every display URL in free text, with the reference line above it as its label.

    >>> [(l.url, l.truncated, l.label) for l in links_from_text(
    ...     "Deep Learning for Symbolic Mathematics [Lample]\\narxiv.org/pdf/1912.01412.pdf\\n"
    ...     "Pod version: anchor.fm/machinelearningstre...", "description")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('https://arxiv.org/pdf/1912.01412.pdf', False, 'Deep Learning for Symbolic Mathematics [Lample]'),
     ('https://anchor.fm/machinelearningstre', True, 'Pod version')]
    """
    if not text:
        return []
    links: list[Link] = []
    previous: str | None = None  # the last non-empty line that held no link
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        matches = [m for m in _URL.finditer(line) if _is_url_shaped(m)] if _MAYBE_URL.search(line) else []
        for m in matches:
            display = m["url"]
            end = m.end("url")
            # keep a truncation ellipsis that the path regex stopped before ("…" is not in it)
            if line[end : end + 1] == "…":
                display += "…"
            before = line[: m.start("url")].strip().rstrip(":-–—").strip()
            label = before if before and len(matches) == 1 else previous
            link = _from_display(display, origin, label or None)
            if link is not None:
                links.append(link)
        previous = None if matches else (line.rstrip(":").strip() or None)
    return links
