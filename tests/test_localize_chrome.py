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
# Buttons on real watch pages saved by tracking-exposed/trex (platforms/yttrex/backend/__tests__/
# fixtures): "Thanks" at 9a4070957693ff7745d84f1e80f114aecf76f20a htmls/search/0f73cadacd9c953d
# 9029cf69fc32246580551bca.json (en-US); fr at the same commit, htmls/video/ee7e55aac94c9e3831e540
# bfb43c8bfc86bd229d.json (fr-FR); tr at 839025015a1722418eb043c564c7f8c8a964a041 video/4c7949c549
# cf1b56e38d79292c0d4df069fd9b66.json (tr-TR); it at 7f44a7d3fdeff6019a862e9fc7e1b0d3d4476942
# htmls.html (Italian UI).
SEEN_IN_REAL_PAGES = [
    ("Thanks", "en"), ("Répondre", "fr"), ("Partager", "fr"), ("S'ABONNER", "fr"),
    ("Top des commentaires", "fr"), ("Les plus récents d'abord", "fr"), ("Yanıtla", "tr"),
    ("Paylaş", "tr"), ("İndir", "tr"), ("Daha fazla göster", "tr"), ("En iyi yorumlar", "tr"),
    ("Condividi", "it"), ("Mostra altro", "it"), ("Commenti più popolari", "it"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "language"), SEEN_IN_FIXTURES + SEEN_IN_REAL_PAGES)
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


@pytest.mark.parametrize("code", supported_languages())
def test_every_loaded_chrome_string_is_recognised(code: str) -> None:
    """Each [chrome] string a TOML loads (where it has any) is chrome in that language: a check
    that the catalog's spellings survive the lookup form, not of the strings themselves (those are
    checked against real pages above)."""
    strings = _read_toml(code).get("chrome", {}).get("strings", [])
    assert all(is_ui_chrome(s, code) for s in strings)


@pytest.mark.parametrize(
    ("line", "language", "expected"),
    [("12 replies", None, 12), ("1 reply", "en", 1), ("View 12 replies", None, 12),
     ("Hide 12 replies", "en", 12), ("View reply", "en", 1), ("12 Antworten", "de", 12),
     ("Afficher les 10 réponses", None, 10), ("Masquer 1 réponse", "fr", 1),
     ("Afficher la réponse", "fr", 1), ("10 yanıtı görüntüle", None, 10),
     ("Yanıtı gizle", "tr", 1)],
)  # fmt: skip
def test_replies_label(line: str, language: str | None, expected: int) -> None:
    """'N replies' is a label of kind 'replies' whose value is N, and chrome too. The strings are
    YouTube's: NewPipeExtractor's hl=en-GB and hl=de mocks (2022 and 2026) and the real en, fr
    and tr pages saved by tracking-exposed/trex (see the sources in localize/data/<hl>.toml)."""
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
