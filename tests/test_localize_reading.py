"""A number next to a word the language does not print there is null with a reason, never the bare
number (issue 10 item 1); the reason names the word so a parser can put it in videos.warnings.

Label shapes come from CLDR (Babel) and the catalogs' own views patterns; the words put next to
the number are invented, so the expected value is null whatever the catalogs say.
"""

from __future__ import annotations

import string
from datetime import timedelta

import pytest
from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pageclean.localize import (
    match_label,
    parse_count,
    parse_relative_age,
    read_age,
    read_count,
    supported_languages,
)
from pageclean.localize.catalog import _BABEL_ID, HL_CODES, _read_toml, base_of, load_catalog

LANGS = supported_languages()


def babel_locale(code: str) -> Locale:
    return Locale.parse(_BABEL_ID.get(code, code.replace("-", "_")))


def _known_words() -> frozenset[str]:
    """Every word any catalog knows, to keep invented words invented (inputs, not expectations)."""
    out: set[str] = set()
    for code in HL_CODES:
        cat = load_catalog(code)
        out |= cat.count_words | cat.age_words | {w.casefold() for w in cat.number_words}
        out |= {w.casefold() for affix in (*cat.suffixes, *cat.prefixes) for w in affix.split()}
    return frozenset(out)


KNOWN = _known_words()


def _views_pattern(code: str) -> str:
    labels = _read_toml(code).get("labels", {}).get("views") or _read_toml(
        base_of(code) or code).get("labels", {}).get("views")
    return labels[0]


def _past(code: str, unit: str = "year") -> str:
    """CLDR's long past pattern with a number in it ("{0} years ago", "{0} жыл бұрын")."""
    past = babel_locale(code)._data["date_fields"][unit]["past"]
    return past.get("other") if "{0}" in past.get("other", "") else next(
        p for p in past.values() if "{0}" in p)


def invented(code: str) -> st.SearchStrategy[str]:
    """Words made of Latin letters and the letters of the language's own labels, known nowhere."""
    own = sorted({ch for ch in _views_pattern(code) + _past(code) if ch.isalpha()})
    return st.text(alphabet=list(string.ascii_lowercase) + own, min_size=3, max_size=9).filter(
        lambda w: w.casefold() not in KNOWN and w.isalpha())


PROPERTY = settings(max_examples=8, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# --- the examples ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [("5 zillion views", None, "zillion"), ("5 zillion views", "en", "zillion"),
     ("2.4 lakh views", "en", "lakh"), ("Рет қаралды 5 зиллион", "kk", "зиллион")],
)  # fmt: skip
def test_unknown_multiplier_word_is_null_with_the_word_as_reason(text: str, language: str | None,
                                                                 word: str) -> None:
    """Today 5 and 2: the bare number passed through. lakh is en-IN's word, not en's."""
    assert parse_count(text, language) is None
    reading = read_count(text, language)
    assert reading.value is None and word in (reading.reason or "")


def test_a_multiplier_the_language_prints_still_reads() -> None:
    """The same shapes with words the language does print: CLDR's long forms (Babel renders
    3,000 as "3 Tausend" in de and 240,000 as "2.4 lakh" in en-IN)."""
    assert format_compact_decimal(3000, format_type="long", locale="de") == "3 Tausend"
    assert parse_count("3 Tausend Aufrufe", "de") == 3000
    lakh = format_compact_decimal(240_000, format_type="long", fraction_digits=1, locale="en_IN")
    assert parse_count(f"{lakh} views", "en-IN") == 240_000


@pytest.mark.parametrize(
    ("text", "language", "named"),
    [("бірнеше жыл бұрын", "kk", "бірнеше"), ("birkaç yıl önce", "tr", "birkaç"),
     ("몇 년 전", "ko", "몇"), ("бірнеше жыл бұрын", None, "бірнеше"),
     ("99999999999 жыл бұрын", "kk", "99999999999")],
)  # fmt: skip
def test_unknown_word_or_absurd_number_where_the_age_number_goes(text: str, language: str | None,
                                                                  named: str) -> None:
    """'several years ago' (kk, tr, ko) and an absurd number were each read as one year."""
    assert parse_relative_age(text, language) is None
    reading = read_age(text, language)
    assert reading.value is None and named in (reading.reason or "")


def test_a_handle_may_precede_a_numberless_age() -> None:
    """The founding example's comment headers: "@handle Жыл бұрын" is one year ago."""
    assert parse_relative_age("@Tim-qf3he Жыл бұрын") == timedelta(days=365)
    assert read_age("@Tim-qf3he Жыл бұрын").label.unit == "year"  # type: ignore[union-attr]


def test_a_fraction_without_a_multiplier_is_no_count() -> None:
    """A fraction with no multiplier word ("2.4 views") lost the word somewhere: 2 is wrong."""
    assert parse_count("2.4 views", "en") is None
    assert "2.4" in (read_count("2.4 views", "en").reason or "")


def test_reason_is_none_when_a_value_is_read() -> None:
    """A reading with a value carries no reason, and its label when one matched."""
    reading = read_count("Рет қаралды 22 М.")
    assert (reading.value, reading.reason) == (22_000, None)
    assert reading.label is not None and reading.label.kind == "views"


# --- every language ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGS)
def test_invented_multiplier_word_gives_null_in_every_language(code: str) -> None:
    """The language's own views label with an invented word after the number: null, and the
    reason names the word."""
    number = format_decimal(2.4, locale=babel_locale(code))
    pattern = _views_pattern(code)

    @PROPERTY
    @given(word=invented(code))
    def check(word: str) -> None:
        text = pattern.replace("{n}", f"{number} {word}")
        reading = read_count(text, code)
        assert reading.value is None, text
        assert word in (reading.reason or ""), (text, reading.reason)
        assert parse_count(text) is None, text

    check()


@pytest.mark.parametrize("code", LANGS)
def test_invented_word_where_the_age_number_goes_gives_null_in_every_language(code: str) -> None:
    """CLDR's 'N years ago' with an invented word for N: never a numberless 'one year'."""
    pattern = _past(code)

    @PROPERTY
    @given(word=invented(code))
    def check(word: str) -> None:
        text = pattern.replace("{0}", word)
        reading = read_age(text, code)
        assert reading.value is None, text
        assert word in (reading.reason or ""), (text, reading.reason)
        assert parse_relative_age(text) is None, text

    check()


@pytest.mark.parametrize("code", LANGS)
def test_invented_unit_word_gives_null_in_every_language(code: str) -> None:
    """CLDR's 'N years ago' with an invented word between the number and the unit, and (where
    CLDR's own duration pattern shows where the unit is) with the unit replaced by it."""
    loc = babel_locale(code)
    past = _past(code)
    duration = loc._data["unit_patterns"]["duration-year"]["long"].get("other", "")
    wrapper = past.replace(duration, "{0}") if duration and duration in past else None

    @PROPERTY
    @given(word=invented(code))
    def check(word: str) -> None:
        texts = [past.replace("{0}", f"3 {word}")]
        if wrapper is not None:
            texts.append(wrapper.replace("{0}", f"3 {word}"))
        for text in texts:
            reading = read_age(text, code)
            assert reading.value is None, text
            assert word in (reading.reason or ""), (text, reading.reason)

    check()


@pytest.mark.parametrize(("text", "language", "units"), [
    # shapes made by wrapping CLDR's narrow unit words in "ago": "{0}m" is a minute and a month
    ("5m ago", "en-GB", "minute or month"),
    ("5m前", "ja", "minute or month"),
    ("för 5 m sedan", "sv", "minute or month"),
    ("לפני 3 ש′", "iw", "week or year"),
])
def test_a_spelling_one_language_uses_for_two_units_is_null_with_the_reason(
        text: str, language: str, units: str) -> None:
    """One spelling, two units in the same language: null with a reason, never the first reading."""
    reading = read_age(text, language)
    assert reading.value is None and units in (reading.reason or "")
    assert match_label(text, language, ["age"]) is None


def test_cldr_own_relative_pattern_settles_a_shared_spelling() -> None:
    """CLDR en's narrow relative-time pattern "{0}m ago" is a minute (its month is "{0}mo ago")."""
    assert read_age("5m ago", "en").value == timedelta(minutes=5)
