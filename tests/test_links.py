"""Links: display URLs, truncation, labels, redirects, YouTube targets, nothing but http(s), and what
each link cites (kind, arXiv id, DOI, canonical URL)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pageclean.extract.link_kinds import KINDS, _rules, canonical_url, describe
from pageclean.extract.links import _MAYBE_URL, link_from_href, links_from_text, safe_http_url, youtube_target


def test_inline_link_takes_the_text_before_it_as_label():
    """'Pod version: anchor.fm/...' -> label 'Pod version', truncated."""
    (link,) = links_from_text("Pod version: anchor.fm/machinelearningstre...", "description")
    assert (link.url, link.domain, link.truncated, link.label) == (
        "https://anchor.fm/machinelearningstre", "anchor.fm", True, "Pod version")


def test_reference_line_above_is_the_label():
    """A link under a reference line is labelled with it; a link under a link has no label."""
    links = links_from_text("Some Paper [Author]\narxiv.org/abs/1\nen.wikipedia.org/wiki/Coq", "description")
    assert [lk.label for lk in links] == ["Some Paper [Author]", None]


@pytest.mark.parametrize(
    "text",
    ["use node.js for this", "e.g. this", "Dr. Smith", "version 1.2.3", "file.txt", "Mr.Robot was great"],
)
def test_words_with_dots_are_not_links(text):
    """Abbreviations, versions and file names are not links."""
    assert links_from_text(text, "comment") == []


def test_sentence_punctuation_is_not_part_of_the_url():
    """A full stop after a link ends the sentence, not the URL."""
    (link,) = links_from_text("See https://example.com/a.", "comment")
    assert link.url == "https://example.com/a"
    assert not link.truncated


def test_unicode_ellipsis_marks_truncation():
    """'…' after a display URL means it was cut."""
    (link,) = links_from_text("example.org/some/long/pa…", "description")
    assert link.truncated and link.url == "https://example.org/some/long/pa"


def test_redirect_is_unwrapped():
    """YouTube's redirector becomes its target."""
    href = "https://www.youtube.com/redirect?event=video_description&redir_token=x&q=https%3A%2F%2Farxiv.org%2Fabs%2F1&v=abc"
    link = link_from_href(href, "arxiv.org/abs/1", "description")
    assert link is not None and link.url == "https://arxiv.org/abs/1" and link.domain == "arxiv.org"


@pytest.mark.parametrize(
    ("url", "video_id", "start"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=754s", "dQw4w9WgXcQ", 754),
        ("https://youtu.be/dQw4w9WgXcQ?t=62", "dQw4w9WgXcQ", 62),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", "dQw4w9WgXcQ", 3723),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "dQw4w9WgXcQ", None),
        ("https://www.youtube.com/watch?v=short", None, None),
        ("https://example.com/watch?v=dQw4w9WgXcQ", None, None),
    ],
)
def test_youtube_targets(url, video_id, start):
    """Video links resolve to their id and start second."""
    assert youtube_target(url) == (video_id, start)


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "java\u200bscript:x",
     "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "file:///etc/passwd", "ftp://x.org/a", ""],
)
def test_only_http_urls_are_emitted(href):
    """javascript:, data: and other schemes, plain or obfuscated, never become links."""
    assert safe_http_url(href) is None
    assert link_from_href(href, href, "description") is None


def test_redirect_to_javascript_is_dropped():
    """A redirect whose target is not http(s) is dropped too."""
    assert link_from_href("https://www.youtube.com/redirect?q=javascript%3Aalert(1)", None, "description") is None


# Display URLs without a scheme: the two lists of the rule in src/pageclean/extract/data/display_urls.toml.
BARE_LINKS = [
    ("gradientscience.org", "https://gradientscience.org"),  # a common web TLD
    ("GitHub.com", "https://GitHub.com"),  # capitals in the name, the TLD in lower case
    ("see amazon.in for it", "https://amazon.in"),
    ("myrtle.ai", "https://myrtle.ai"),
    ("www.ASP.NET", "https://www.ASP.NET"),  # www.
    ("docs.rs/serde", "https://docs.rs/serde"),  # a path: any TLD
    ("example.md/notes", "https://example.md/notes"),
    ("anchor.fm/machinelearningstre...", "https://anchor.fm/machinelearningstre"),
    ("openreview.net/pdf?id=YmqAnY0...", "https://openreview.net/pdf?id=YmqAnY0"),  # a query
    ("https://setup.sh", "https://setup.sh"),  # a scheme
]
BARE_NON_LINKS = [
    "ASP.NET", "I build ASP.NET apps", "Node.JS",  # a product name: the TLD is not written as a host's
    "README.md", "see the README.md first", "run setup.sh", "main.rs", "foo.cc", "Makefile.am",
    "lib.so", "archive.zip", "clip.mov", "utils.py", "Build.PM",  # file names
    "node.js", "e.g.", "i.e. that", "Ph.D", "U.S.A",  # a TLD that is no common web TLD
]


@pytest.mark.parametrize(("text", "url"), BARE_LINKS)
def test_display_urls_that_are_links(text, url):
    """A path, a query, www., a scheme, or a lower-case common web TLD make a link."""
    assert [lk.url for lk in links_from_text(text, "comment")] == [url]


@pytest.mark.parametrize("text", BARE_NON_LINKS)
def test_display_urls_that_are_not_links(text):
    """"ASP.NET", "README.md", "setup.sh": a bare name whose last label is a file extension or is
    written in capitals is not a link (it became https://ASP.NET, https://README.md...)."""
    assert links_from_text(text, "comment") == []


# What a link cites (extract/link_kinds.py). Expected values are the URL formats' own facts: arXiv's
# identifier scheme (https://info.arxiv.org/help/arxiv_identifier.html), DOIs as the publishers'
# URLs carry them, and what each site is.


@pytest.mark.parametrize(
    ("url", "kind"),
    [("https://arxiv.org/abs/2101.06223", "paper"), ("https://export.arxiv.org/abs/2101.06223", "paper"),
     ("https://doi.org/10.1145/3292500.3330701", "paper"), ("https://openreview.net/forum?id=abc", "paper"),
     ("https://aclanthology.org/2020.acl-main.1.pdf", "paper"),
     ("https://www.semanticscholar.org/paper/abc", "paper"), ("https://pubmed.ncbi.nlm.nih.gov/123/", "paper"),
     ("https://proceedings.neurips.cc/paper/2020/file/x-Paper.pdf", "paper"),
     ("https://journals.aps.org/prl/abstract/10.1103/PhysRevLett.116.061102", "paper"),
     ("https://some-journal.example/article/10.1234/abcd.5678", "paper"),  # a DOI in an unlisted host
     ("https://huggingface.co/papers/2101.06223", "paper"),  # a path rule beats the host's 'code'
     ("https://github.com/openai/gpt-2", "code"), ("https://gist.github.com/u/1", "code"),
     ("https://gitlab.com/x/y", "code"), ("https://huggingface.co/bert-base-uncased", "code"),
     ("https://anchor.fm/machinelearningstreettalk", "podcast"),
     ("https://open.spotify.com/show/abc", "podcast"), ("https://open.spotify.com/episode/abc", "podcast"),
     ("https://podcasts.apple.com/us/podcast/x/id1", "podcast"),
     ("https://open.spotify.com/track/abc", "other"),  # a song, not a show
     ("https://twitter.com/ykilcher", "social"), ("https://x.com/ykilcher", "social"),
     ("https://discord.gg/abc", "social"), ("https://www.linkedin.com/in/x", "social"),
     ("https://www.patreon.com/mlst", "support"), ("https://ko-fi.com/x", "support"),
     ("https://github.com/sponsors/x", "support"),  # a path rule beats github.com's 'code'
     ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube"), ("https://youtu.be/dQw4w9WgXcQ", "youtube"),
     ("https://www.youtube.com/playlist?list=PLx", "youtube"), ("https://www.youtube.com/@mlst", "youtube"),
     ("https://en.wikipedia.org/wiki/Coq", "other"), ("https://example.com/paper.pdf", "other"),
     ("https://notgithub.com/x", "other"), ("https://github.com.evil.example/x", "other")],
)  # fmt: skip
def test_kinds(url, kind):
    """Each site's kind; hosts match whole labels (notgithub.com is not GitHub)."""
    assert describe(url).kind == kind


@pytest.mark.parametrize(
    ("url", "partial", "arxiv_id", "version"),
    [("https://arxiv.org/abs/2101.06223v1", False, "2101.06223", 1),
     ("https://arxiv.org/pdf/1905.10501.pdf", False, "1905.10501", None),
     ("https://arxiv.org/pdf/2101.06223v12.pdf", False, "2101.06223", 12),
     ("https://arxiv.org/abs/1310.6343", False, "1310.6343", None),  # four digits until 1412
     ("https://arxiv.org/abs/0706.0001v2", False, "0706.0001", 2),
     ("https://arxiv.org/abs/hep-th/9901001v1", False, "hep-th/9901001", 1),  # old style
     ("https://arxiv.org/abs/math.GT/0309136", False, "math/0309136", None),  # subject class not in the id
     ("https://arxiv.org/abs/cond-mat/0102536v1", False, "cond-mat/0102536", 1),
     ("https://doi.org/10.48550/arXiv.2101.06223", False, "2101.06223", None),  # arXiv's own DOI
     ("https://arxiv.org/abs/2101.0622", False, None, None),  # four digits after 1501: no id
     ("https://arxiv.org/abs/1310.63431", False, None, None),  # five digits before 1501
     ("https://arxiv.org/abs/2113.06223", False, None, None),  # month 13
     ("https://arxiv.org/abs/2101.06223", True, "2101.06223", None),  # cut after a whole id
     ("https://arxiv.org/abs/2101.06223v1", True, "2101.06223", None),  # "v1..." may be v12
     ("https://arxiv.org/abs/2101.06223v", True, "2101.06223", None),
     ("https://arxiv.org/abs/2101.062", True, None, None),  # cut inside the id
     ("https://example.com/2101.06223", False, None, None)],  # not where arXiv puts ids
)  # fmt: skip
def test_arxiv_ids(url, partial, arxiv_id, version):
    """New-style and old-style ids, the version apart, never an id or version past a cut."""
    got = describe(url, partial=partial)
    assert (got.arxiv_id, got.arxiv_version) == (arxiv_id, version)


@pytest.mark.parametrize(
    ("url", "partial", "doi"),
    [("https://doi.org/10.1145/3292500.3330701", False, "10.1145/3292500.3330701"),
     ("https://dx.doi.org/10.1038/NATURE14539", False, "10.1038/nature14539"),  # lower-case
     ("https://dl.acm.org/doi/abs/10.1145/3292500.3330701", False, "10.1145/3292500.3330701"),
     ("https://link.springer.com/content/pdf/10.1007/s10994-021-05961-4.pdf", False, "10.1007/s10994-021-05961-4"),
     ("https://onlinelibrary.wiley.com/doi/10.1111/j.1467-9868.2005.00503.x/abstract", False,
      "10.1111/j.1467-9868.2005.00503.x"),
     ("https://www.biorxiv.org/content/10.1101/2020.03.19.999177v1.full.pdf", False, "10.1101/2020.03.19.999177"),
     ("https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0000001", False,
      "10.1371/journal.pone.0000001"),
     ("https://doi.org/10.1000%2F182", False, "10.1000/182"),  # percent-encoded slash
     ("https://link.springer.com/chapter/10.", True, None),  # the founding example's cut link
     ("https://dl.acm.org/doi/10.1145/3292500.33", True, None),  # runs into the cut
     ("https://dl.acm.org/doi/10.1145/3292500.3330701?x=1", True, "10.1145/3292500.3330701"),  # ends before it
     ("https://journals.plos.org/plosone/article?id=10.1371/journal.pone.00", True, None),  # cut query value
     ("https://en.wikipedia.org/wiki/Coq", False, None)],
)  # fmt: skip
def test_dois(url, partial, doi):
    """DOIs from paths and query values, lower-case, without the publishers' page words; none past a cut."""
    assert describe(url, partial=partial).doi == doi


@pytest.mark.parametrize(
    ("url", "canonical"),
    [("https://youtu.be/dQw4w9WgXcQ?si=AbC123&t=62", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=62"),
     ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=shared", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
     ("https://youtube.com/watch?feature=youtu.be&v=dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
     ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
     ("https://www.youtube.com/playlist?list=PLx&si=x", "https://www.youtube.com/playlist?list=PLx"),
     ("https://ArXiv.ORG/abs/2101.06223", "https://arxiv.org/abs/2101.06223"),  # host lower-cased only
     ("https://example.com/Path?utm_source=youtube&utm_medium=video&id=3",
      "https://example.com/Path?id=3"),
     ("https://example.com/a?fbclid=IwAR0&b=2#sec", "https://example.com/a?b=2#sec"),
     ("https://open.spotify.com/episode/abc?si=d41d8cd9", "https://open.spotify.com/episode/abc"),
     ("https://x.com/u/status/1?s=20&t=AbC", "https://x.com/u/status/1"),
     # "feature" tracks on YouTube only
     ("https://example.com/watch?feature=shared&t=5", "https://example.com/watch?feature=shared&t=5")],
)  # fmt: skip
def test_canonical_urls(url, canonical):
    """Tracking parameters removed, YouTube's short and mobile forms folded, host lower-cased."""
    assert canonical_url(url) == canonical


def test_cut_urls_are_never_completed():
    """A cut link keeps truncated=True; its canonical URL is the part shown, cleaned, nothing added;
    a cut that stops before the deciding part leaves the kind null."""
    (link,) = links_from_text("Paper: openreview.net/pdf?id=YmqAnY0...", "description")
    assert link.truncated and link.partial
    got = describe(link.url, partial=link.partial)
    assert (got.kind, got.canonical_url) == ("paper", "https://openreview.net/pdf?id=YmqAnY0")
    assert describe("https://github.com/spon", partial=True).kind is None
    assert describe("https://github.co", partial=True).kind is None  # cut inside the host
    assert describe("https://github.com/spon").kind == "code"  # a whole URL: a repository owner


def test_href_links_are_whole_even_when_their_text_is_cut():
    """HTML/JSON give the real href; its ids are read although the anchor text was cut."""
    link = link_from_href("https://arxiv.org/abs/2101.06223v1", "arxiv.org/abs/2101.0...", "description")
    assert link is not None and link.truncated and not link.partial
    assert describe(link.url, partial=link.partial).arxiv_version == 1


def test_link_kinds_data_is_well_formed():
    """Every rule in link_kinds.toml names a known kind and is a lower-case host[/path] without scheme."""
    for host, path, kind in _rules():
        assert kind in KINDS
        assert host == host.lower() and "://" not in host and "." in host
        assert not path.endswith("/")


_URL_CHARS = "aZ09-._/: \u017f\u212aé.com"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_URL_CHARS)), max_size=30))
def test_the_cheap_url_test_is_the_plain_pattern(line):
    """The dot-first form of the pre-test (it lets the regex engine jump from dot to dot) passes
    exactly the lines the plain pattern "[a-z0-9-]\\.[a-z]{2}" passes, case and the two non-ASCII
    letters that IGNORECASE folds to ASCII included."""
    plain = re.compile(r"[a-z0-9-]\.[a-z]{2}", re.IGNORECASE)
    assert bool(_MAYBE_URL.search(line)) == bool(plain.search(line))
