"""Links: display URLs, truncation, labels, redirects, YouTube targets, and nothing but http(s)."""

from __future__ import annotations

import pytest

from pageclean.extract.links import link_from_href, links_from_text, safe_http_url, youtube_target


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
