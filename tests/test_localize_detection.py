"""Near-identical languages (issue 10 item 4) and the hl hint on regional variants (issue 9 item 9).

Label lines are YouTube's own strings as NewPipeExtractor recorded them per hl code:
TeamNewPipe/NewPipeExtractor @ 43f8e6ebeef469db7c5328714bc5f33c9f06f092 :
timeago-parser/raw/times/hours.json ("1h"/"3h" entries), where es, es-419 and es-US print the same
strings, as do en and en-GB; fr-CA and pt-PT print their own strings (fr-CA "Il y a", capitalised,
where fr prints "il y a"; pt-PT "Há 1 hora" where pt prints "1 hora atrás"), so their labels
alone decide. The HTML page is the real tests/fixtures/html/en-watch-full.html with its hl changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pageclean.formats import innertube
from pageclean.formats.html import parse_html
from pageclean.localize import decide_language, detect

HTML = Path(__file__).parent / "fixtures" / "html" / "en-watch-full.html"

# hl code -> its 1h and 3h strings (timeago hours.json)
REGIONAL = {
    "en-GB": ["1 hour ago", "3 hours ago"],
    "es-419": ["Hace 1 hora", "Hace 3 horas"],
    "es-US": ["Hace 1 hora", "Hace 3 horas"],
    "fr-CA": ["Il y a 1\u00a0heure", "Il y a 3 heures"],
    "pt-PT": ["Há 1 hora", "Há 3 horas"],
}


SHARED = {hl: lines for hl, lines in REGIONAL.items() if hl in ("en-GB", "es-419", "es-US")}
OWN = {hl: lines for hl, lines in REGIONAL.items() if hl not in SHARED}


@pytest.mark.parametrize(("hl", "lines"), SHARED.items())
def test_labels_alone_give_the_family_main_code_and_record_the_tie(hl: str, lines: list[str]) -> None:
    """Without a hint, labels a regional variant shares with its base give the base, never the
    variant with full confidence: the tie is the first evidence line and the variant is in tied."""
    det = detect(lines)
    assert det.language == hl.split("-")[0]
    assert hl in det.tied
    assert det.evidence[0].startswith("tie with") and hl in det.evidence[0]


@pytest.mark.parametrize(("hl", "lines"), OWN.items())
def test_a_variant_that_prints_its_own_strings_is_read_from_them(hl: str, lines: list[str]) -> None:
    """fr-CA and pt-PT labels are not their base's: the labels alone give the variant."""
    det = detect(lines)
    assert det.language == hl and det.tied == ()


@pytest.mark.parametrize(("hl", "lines"), REGIONAL.items())
def test_hl_decides_between_a_regional_variant_and_its_base(hl: str, lines: list[str]) -> None:
    """Issue 9 item 9: hl=en-GB (es-419, fr-CA, pt-PT) on labels that fit the variant as well as
    its base gives the variant, with no 'labels vs hl' warning."""
    language, evidence, warnings = decide_language([(hl, "ytcfg INNERTUBE_CONTEXT_HL")], lines)
    assert language == hl
    assert warnings == []
    assert evidence is not None and f"hl={hl}" in evidence


def test_hl_en_gb_on_a_real_english_watch_page() -> None:
    """The real English page saved with hl=en-GB: ui_language en-GB, no warning about hl."""
    html = HTML.read_text(encoding="utf-8")
    assert '"INNERTUBE_CONTEXT_HL":"en"' in html
    page = parse_html(html.replace('"INNERTUBE_CONTEXT_HL":"en"', '"INNERTUBE_CONTEXT_HL":"en-GB"')
                      .replace('"hl":"en"', '"hl":"en-GB"'))
    assert page.ui_language == "en-GB"
    assert not [w for w in page.warnings if "hl" in w]


def test_hl_that_the_labels_contradict_still_loses_with_a_warning() -> None:
    """hl=es-419 on English labels: the labels win, and the warning names both."""
    language, _, warnings = decide_language([("es-419", "hl")], REGIONAL["en-GB"])
    assert language == "en"
    assert len(warnings) == 1 and "es-419" in warnings[0] and "en" in warnings[0]


def test_serbo_croatian_tie_gives_croatian_and_hl_decides() -> None:
    """hr and bs both print "prije 5 sekundi" (timeago seconds.json, both): hr, the family's main
    code, with bs tied; a page with hl=bs is Bosnian. "prije 3 sata" is hr's alone (bs prints
    "Prije 3 h")."""
    det = detect(["prije 5 sekundi", "prije 7 sekundi"])
    assert det.language == "hr" and "bs" in det.tied
    assert decide_language([("bs", "hl")], ["prije 5 sekundi", "prije 7 sekundi"])[0] == "bs"
    assert detect(["prije 1 sat", "prije 3 sata"]).language == "hr"


def test_a_line_only_one_language_reads_breaks_the_tie() -> None:
    """en-IN's "crore" is read by en-IN alone: no tie, no family main code."""
    det = detect(["13 crore views", "3 hours ago"])
    assert det.language == "en-IN" and det.tied == ()


def test_innertube_decide_language_delegates_to_localize() -> None:
    """formats.innertube.decide_language keeps its signature and gives localize's answer."""
    cases = [([("en-GB", "hl")], REGIONAL["en-GB"]), ([("en", "hl")], ["10 936 просмотров"]),
             ([], ["Hace 1 hora"]), ([("de", "hl")], [])]
    for hints, labels in cases:
        assert innertube.decide_language(hints, labels) == decide_language(hints, labels)


def test_no_two_languages_share_a_rank() -> None:
    """Ties are sorted by rank; equal ranks left the order to set iteration, which changes between
    processes (es-419 and es-US alternated from run to run)."""
    from pageclean.localize.catalog import HL_CODES, rank

    assert len({rank(c) for c in HL_CODES}) == len(HL_CODES)


def test_variants_that_tie_without_their_base_give_the_family_main_code() -> None:
    """es-419 and es-US both print "vistas" (rustypipe's samples), es does not: the labels say
    Spanish but not which variant, so the family's main code, with both recorded as tied."""
    det = detect(["1,2 mil vistas", "3,4 mil vistas"])
    assert det.language == "es" and set(det.tied) == {"es-419", "es-US"}
    assert decide_language([("es-US", "hl")], ["1,2 mil vistas", "3,4 mil vistas"])[0] == "es-US"


def test_a_tie_across_language_families_is_no_language():
    """ja and zh print "3年前" alike, ms and id "3 tahun yang lalu" (NewPipeExtractor's
    timeago-parser overview records both pairs): with nothing else on the page, no language is
    the right answer, with the tie as the reason, never one of them by a default order. A page's
    hl still decides among the tied languages."""
    for lines, expected in ((["3年前", "5年前"], {"ja", "zh-CN", "zh-TW", "zh-HK"}),
                            (["3 tahun yang lalu", "3 jam yang lalu"], {"ms", "id"})):
        detection = detect(lines)
        assert detection.language is None
        assert detection.reason and detection.reason.startswith("tie between")
        assert set(detection.tied) == expected
        for hl in sorted(expected):
            assert decide_language([(hl, "the request")], lines)[0] == hl
