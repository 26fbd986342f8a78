"""What a link cites: its kind (paper, code, podcast, social, support, youtube, other), the arXiv id
and DOI in its URL, and a canonical URL with the click tracking removed.

Pure: a URL in, a :class:`Citation` out. The domain lists, the tracking parameters and where ids
sit in URLs are data (``data/link_kinds.toml``), with their sources.

A text dump shows long links cut ("link.springer.com/chapter/10...."); their ``url`` is only the
part shown (``partial``). Nothing is completed: an id or a DOI that runs into the cut is null, a
version that does is null, and the canonical URL is the part shown, cleaned.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from pageclean.extract.links import youtube_target

KINDS = ("paper", "code", "podcast", "social", "support", "youtube", "other")

# New-style arXiv id (April 2007 on): YYMM.NNNN up to 1412, YYMM.NNNNN from 1501, then vN.
_ARXIV_NEW = re.compile(r"(?P<yy>\d\d)(?P<mm>\d\d)\.(?P<num>\d{4,5})(?:v(?P<v>\d+))?")
# Old-style: archive (hep-th, math, cond-mat...), an optional subject class (math.GT), /YYMMNNN.
_ARXIV_OLD = re.compile(r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[A-Z]{2})?/(?P<num>\d{7})(?:v(?P<v>\d+))?")
# The first new-style month and the month the sequence number grew to five digits.
_ARXIV_NEW_FROM, _ARXIV_FIVE_DIGITS_FROM = 704, 1501
# Crossref's pattern for modern DOIs, which it finds matches 74.4M of 74.9M registered DOIs
# (https://www.crossref.org/blog/dois-and-matching-regular-expressions/). DOI names are
# case-insensitive (DOI Handbook, https://www.doi.org/the-identifier/resources/handbook/),
# hence the lower-case normal form.
_DOI = re.compile(r"10\.\d{4,9}/[-._;()/:a-z0-9]+", re.IGNORECASE)
# Hosts whose video links fold into www.youtube.com/watch?v= (after www. and m. are dropped).
_YOUTUBE_FOLDED = frozenset({"youtu.be", "youtube.com", "youtube-nocookie.com"})
_VERSION_TAIL = re.compile(r"v\d+$")
# Characters that may follow a complete arXiv id in a URL path (".pdf", "/", ...).
_ID_END = frozenset("/.")


@dataclass(frozen=True, slots=True)
class Citation:
    kind: str | None  # None only when a cut URL stops before the part that decides
    arxiv_id: str | None = None
    arxiv_version: int | None = None
    doi: str | None = None
    canonical_url: str | None = None
    # One key per cited work, shared by every link to it: arxiv:<id>, doi:<doi>, a repository's URL.
    citation_key: str | None = None


@cache
def _data() -> dict[str, Any]:
    path = resources.files("pageclean.extract") / "data" / "link_kinds.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def _rules() -> tuple[tuple[str, str, str], ...]:
    """(host, path prefix, kind) of every rule, most specific first: longest host, then path."""
    rules = []
    for kind, entries in _data()["kinds"].items():
        if kind not in KINDS:
            raise ValueError(f"link_kinds.toml: unknown kind {kind!r}")
        for entry in entries:
            host, _, path = entry.partition("/")
            rules.append((host.lower(), "/" + path if path else "", kind))
    return tuple(sorted(rules, key=lambda r: (-len(r[0]), -len(r[1]))))


@cache
def _rules_by_host() -> dict[str, tuple[tuple[str, str], ...]]:
    """rule host -> its (path prefix, kind) rules, longest path first."""
    out: dict[str, list[tuple[str, str]]] = {}
    for host, path, kind in _rules():
        out.setdefault(host, []).append((path, kind))
    return {h: tuple(v) for h, v in out.items()}


def _suffixes(host: str) -> list[str]:
    """The host and each parent domain, longest first: a.b.c -> a.b.c, b.c, c."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def _on_host(host: str, rule_host: str) -> bool:
    return host == rule_host or host.endswith("." + rule_host)


def _under(path: str, prefix: str) -> bool:
    """``path`` is ``prefix`` or lies under it (segment-wise: /show/x yes, /shows no)."""
    return not prefix or path == prefix or path.startswith(prefix + "/")


def _kind(host: str, path: str, at_cut: bool) -> str | None:
    if at_cut and not path:
        return None  # the cut may have stopped inside the host
    by_host = _rules_by_host()
    for rule_host in _suffixes(host):
        for prefix, kind in by_host.get(rule_host, ()):
            if _under(path, prefix):
                return kind
            if at_cut and prefix.startswith(path) and path != prefix:
                return None  # "github.com/spon..." may be /sponsors (support) or a repository (code)
    return "other"


def _split(url: str) -> tuple[str, str, str, str]:
    """(host lower-cased, unquoted path, query, what the cut of a partial URL ends: path, query
    or fragment)."""
    parts = urlsplit(url)
    if parts.fragment or url.endswith("#"):
        last = "fragment"
    else:
        last = "query" if parts.query or url.endswith("?") else "path"
    return (parts.hostname or "").lower(), unquote(parts.path), parts.query, last


@cache
def _arxiv_paths() -> dict[str, tuple[str, ...]]:
    """host -> the lower-cased path prefixes an arXiv id follows on it."""
    out: dict[str, list[str]] = {}
    for prefix in _data()["arxiv"]["paths"]:
        host, _, path = prefix.partition("/")
        out.setdefault(host, []).append("/" + path.lower())
    return {h: tuple(v) for h, v in out.items()}


def _arxiv(host: str, path: str, at_cut: bool) -> tuple[str | None, int | None]:
    by_host = _arxiv_paths()
    for rule_host in _suffixes(host):
        for rule_path in by_host.get(rule_host, ()):
            if path.lower().startswith(rule_path):
                return arxiv_id(path[len(rule_path):], at_cut)
    return None, None


def arxiv_id(text: str, at_cut: bool = False) -> tuple[str | None, int | None]:
    """(id, version) at the start of ``text``: new style (2101.06223v1) or old (hep-th/9901001,
    math.GT/0309136 -> math/0309136, the subject class is not part of the id). A version that
    runs into the end of a cut URL (``at_cut``) is unknown: "...v1" may be v12.

    >>> arxiv_id("2101.06223v1"), arxiv_id("1905.10501.pdf"), arxiv_id("math.GT/0309136v2")
    (('2101.06223', 1), ('1905.10501', None), ('math/0309136', 2))
    >>> arxiv_id("2101.0622"), arxiv_id("2101.06223v1", at_cut=True)
    ((None, None), ('2101.06223', None))
    """
    m = _ARXIV_NEW.match(text)
    if m is not None:
        yymm = int(m["yy"] + m["mm"])
        digits = 5 if yymm >= _ARXIV_FIVE_DIGITS_FROM else 4
        valid = 1 <= int(m["mm"]) <= 12 and len(m["num"]) == digits and (
            yymm >= _ARXIV_NEW_FROM or int(m["yy"]) < 7)  # 07xx-99xx, then 00xx-06xx from 2100
        if not valid:
            return None, None
        ident = f"{m['yy']}{m['mm']}.{m['num']}"
    else:
        m = _ARXIV_OLD.match(text)
        if m is None or not 1 <= int(m["num"][2:4]) <= 12:
            return None, None
        ident = f"{m['archive']}/{m['num']}"
    rest = text[m.end():]
    if rest and rest[0] not in _ID_END and not (at_cut and rest == "v"):
        return None, None  # "2101.062234": no id is followed by a digit
    version = int(m["v"]) if m["v"] and not (at_cut and not rest) else None
    return ident, version


def _doi(host: str, path: str, query: str, cut: str | None) -> str | None:
    """The DOI in the URL's path (or a query value that is one), without the publisher's page
    words; None when it runs into the ``cut`` of a partial URL (in its path or last query value)."""
    if "10." not in path and "10." not in query:  # every DOI starts "10." (and "10%2E" is unheard of)
        return None
    values = [unquote(v) for _, v in parse_qsl(query, keep_blank_values=True)]
    candidates = [(path, True, cut == "path")]
    candidates += [(v, False, cut == "query" and i == len(values) - 1) for i, v in enumerate(values)]
    for text, is_path, at_cut in candidates:
        m = _DOI.search(text)
        if m is None or (not is_path and m.group() != text):
            continue
        if at_cut and m.end() == len(text):
            return None  # the DOI may go on past the cut
        doi = m.group()
        stripped = True
        while stripped:  # ".full.pdf": page words may stack
            stripped = False
            for suffix in _data()["doi"]["url_suffixes"]:
                if doi.lower().endswith(suffix):
                    doi, stripped = doi[: -len(suffix)], True
        if any(_on_host(host, h) for h in _data()["doi"]["version_suffix_hosts"]):
            doi = _VERSION_TAIL.sub("", doi)
        return doi.rstrip(".;:").lower()
    return None


@lru_cache(maxsize=4096)  # hosts repeat across pages; bounded, a lake has millions of links
def _tracking(host: str) -> tuple[frozenset[str], tuple[str, ...]]:
    data = _data()["tracking"]
    names = set(data["params"])
    for rule_host, params in data["hosts"].items():
        if _on_host(host, rule_host):
            names.update(params)
    return frozenset(names), tuple(data["prefixes"])


def canonical_url(url: str) -> str | None:
    """``url`` with the host lower-cased, tracking parameters removed, and YouTube's short and
    mobile forms folded into ``https://www.youtube.com/watch?v=ID``. Nothing is added: a partial
    URL stays the part shown.

    >>> canonical_url("https://youtu.be/dQw4w9WgXcQ?si=x1&t=62")
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=62'
    >>> canonical_url("https://Example.COM/a?utm_source=yt&id=3&fbclid=z#top")
    'https://example.com/a?id=3#top'
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        netloc = host + (f":{parts.port}" if parts.port else "")
    except ValueError:  # a port out of range, a malformed IPv6 host
        return None
    if not host:
        return None
    names, prefixes = _tracking(host)
    kept = [p for p in parts.query.split("&") if p and not _is_tracking(p, names, prefixes)]
    path = parts.path
    bare = host.removeprefix("www.").removeprefix("m.")
    video_id = youtube_target(url)[0] if bare in _YOUTUBE_FOLDED else None
    if video_id is not None and (
            bare == "youtu.be" or path == "/watch" or path.startswith("/embed/")):
        netloc, path = "www.youtube.com", "/watch"
        kept = [f"v={video_id}"] + [p for p in kept if p.split("=", 1)[0] != "v"]
    elif bare == "youtube.com":
        netloc = "www.youtube.com"
    return urlunsplit((parts.scheme.lower(), netloc, path, "&".join(kept), parts.fragment))


def _is_tracking(pair: str, names: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    name = unquote(pair.split("=", 1)[0]).lower()
    return name in names or name.startswith(prefixes)


def describe(url: str, partial: bool = False) -> Citation:
    """Kind, arXiv id and version, DOI and canonical URL of an absolute http(s) URL.

    ``partial``: the URL is only the part a page showed before cutting it with "...".

    >>> describe("https://arxiv.org/abs/2101.06223v1")  # doctest: +NORMALIZE_WHITESPACE
    Citation(kind='paper', arxiv_id='2101.06223', arxiv_version=1, doi=None,
             canonical_url='https://arxiv.org/abs/2101.06223v1', citation_key='arxiv:2101.06223')
    >>> describe("https://link.springer.com/chapter/10.", partial=True).doi is None
    True
    """
    try:
        host, path, query, last = _split(url)
    except ValueError:
        return Citation("other")
    cut = last if partial else None  # where a partial URL was cut: a path shown whole if a query follows
    kind = _kind(host, path, cut == "path")
    arxiv, version = _arxiv(host, path, cut == "path")
    doi = _doi(host, path, query, cut)
    prefix = _data()["arxiv"]["doi_prefix"]
    if arxiv is None and doi is not None and doi.startswith(prefix):
        arxiv, version = arxiv_id(doi[len(prefix):])
    if kind == "other" and (arxiv or doi):
        kind = "paper"
    canonical = canonical_url(url)
    return Citation(kind, arxiv, version, doi, canonical, citation_key(kind, arxiv, doi, canonical, partial))


def citation_key(kind: str | None, arxiv: str | None, doi: str | None, canonical: str | None,
                 partial: bool = False) -> str | None:
    """The work a link cites, as one key for every link to it: ``arxiv:<id>``, ``doi:<doi>``, for
    code the repository's URL, for another paper its canonical URL (fragment dropped). None for
    the other kinds, and for a cut link whose key would run into the cut.

    >>> citation_key("code", None, None, "https://github.com/OpenAI/Whisper/blob/main/README.md")
    'https://github.com/openai/whisper'
    >>> citation_key("paper", "2101.06223", None, "https://arxiv.org/abs/2101.06223v1")
    'arxiv:2101.06223'
    >>> citation_key("code", None, None, "https://github.com/openai/whis", partial=True) is None
    True
    """
    if arxiv:
        return f"arxiv:{arxiv}"
    if doi:
        return f"doi:{doi}"
    if canonical is None:
        return None
    if kind == "paper":
        return None if partial else canonical.split("#", 1)[0]
    if kind == "code":
        return _repository(canonical, partial)
    return None


def _repository(canonical: str, partial: bool) -> str | None:
    """The repository a code link points into, per ``[repositories]`` of the data file."""
    data = _data()["repositories"]
    parts = urlsplit(canonical)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path
    if host in data["until"]:
        separator = data["until"][host]
        if separator in path:
            path = path[: path.index(separator)]
        elif partial:
            return None  # the project path may go on past the cut
    elif host in data["segments"]:
        segments = [s for s in path.split("/") if s]
        wanted = data["segments"][host] + (1 if segments and segments[0] in data["prefixed"].get(host, ()) else 0)
        # Cut: the last segment shown may be longer on the real page, unless something follows it.
        cut_inside = partial and not (parts.query or parts.fragment or path.endswith("/"))
        whole = segments[:-1] if cut_inside else segments
        if partial and len(whole) < wanted:
            return None
        path = "/" + "/".join(segments[:wanted])
    else:  # a layout not described: the whole link, unless it was cut
        return None if partial else canonical.split("#", 1)[0]
    path = path.rstrip("/")
    for suffix in data["strip_suffixes"]:
        path = path.removesuffix(suffix)
    if host in data["case_insensitive"]:
        path = path.lower()
    return f"https://{host}{path}"
