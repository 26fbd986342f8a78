"""UI chrome (buttons, headings) and the 'replies' label are recognised from the catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pageclean.localize import is_ui_chrome, match_label, parse_count, supported_languages
from pageclean.localize.catalog import _read_toml

FIXTURE = Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"

# English strings as they appear in the served pages under tests/fixtures/html (en-watch-full,
# en-watch-chapters) and German ones from de-legacy-2017.html.
SEEN_IN_FIXTURES = [
    ("Subscribe", "en"), ("Share", "en"), ("Save", "en"), ("Download", "en"),
    ("Top comments", "en"), ("Newest first", "en"), ("Up next", "en"), ("Show less", "en"),
    ("Show more", "en"), ("Chapters", "en"), ("View all", "en"), ("Description", "en"),
    ("Show transcript", "en"), ("Transcript", "en"), ("...more", "en"),
    ("Abonnieren", "de"), ("Abonniert", "de"), ("Teilen", "de"), ("Mehr anzeigen", "de"),
    ("Weniger anzeigen", "de"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "language"), SEEN_IN_FIXTURES)
def test_chrome_seen_in_real_pages(line: str, language: str) -> None:
    """Buttons and headings from real pages are chrome, with and without the language."""
    assert is_ui_chrome(line, language)
    assert is_ui_chrome(line)


@pytest.mark.parametrize(
    "line",
    ["…more", "  Show less ", "Add a comment…", "Add a comment...", "Pinned by @daveman683",
     "Pinned by Machine Learning Street Talk", "1 reply", "12 replies", "View 12 replies"],
)  # fmt: skip
def test_chrome_spelling_variants_en(line: str) -> None:
    """Ellipsis spellings, stray spaces, any pinner name, reply counts."""
    assert is_ui_chrome(line, "en")


@pytest.mark.parametrize(
    "line",
    ["Show less of this, please", "Reply to all", "Pinned by", "3 years ago", "Рет қаралды 10,936",
     "12", "", "Subscribe to my other channel!"],
)  # fmt: skip
def test_content_and_labels_are_not_chrome(line: str) -> None:
    """Sentences that merely contain a button word, count/age labels and bare numbers are not chrome."""
    assert not is_ui_chrome(line)


def test_founding_example_has_no_chrome_in_kazakh() -> None:
    """No line of the founding example (title, labels, description, comments) reads as kk chrome."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert [ln for ln in lines if is_ui_chrome(ln, "kk")] == []


HAND_CHECKED = ["kk", "ru", "uk", "de", "fr", "es", "pt", "it", "tr", "id", "vi", "ja", "ko",
                "zh-CN", "zh-TW", "zh-HK", "hi", "ar", "pl", "nl", "iw", "fa", "en"]  # fmt: skip


@pytest.mark.parametrize("code", HAND_CHECKED)
def test_every_catalog_chrome_string_is_recognised(code: str) -> None:
    """Each language's [chrome] strings (as written in its TOML) are chrome in that language."""
    strings = _read_toml(code).get("chrome", {}).get("strings", [])
    assert strings, f"{code}: no [chrome] strings"
    assert all(is_ui_chrome(s, code) for s in strings)
    assert code in supported_languages()


@pytest.mark.parametrize(
    ("line", "language", "expected"),
    [("12 replies", None, 12), ("1 reply", "en", 1), ("12 ответов", None, 12),
     ("3 ответа", "ru", 3), ("5 Antworten", "de", 5), ("답글 5개", None, 5),
     ("7 réponses", "fr", 7), ("1 respuesta", "es", 1)],
)  # fmt: skip
def test_replies_label(line: str, language: str | None, expected: int) -> None:
    """'N replies' is a label of kind 'replies' whose value is N, and chrome too."""
    label = match_label(line, language, ["replies"])
    assert label is not None
    assert (label.kind, label.value) == ("replies", expected)
    assert label.english == f"{expected} repl{'y' if expected == 1 else 'ies'}"
    assert parse_count(line, language) == expected
    assert is_ui_chrome(line, language)


def test_replies_do_not_shadow_comments() -> None:
    """The comments header keeps its kind where a language words both alike."""
    assert match_label("Пікірлер: 37", "kk", ["comments"]).kind == "comments"  # type: ignore[union-attr]
    assert match_label("37 Comments").kind == "comments"  # type: ignore[union-attr]
