"""Every supported language reads counts and ages at every magnitude and unit.

Expected values are computed independently of the parser: Babel (CLDR) renders a known value in
each language, the parser reads it back.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_timedelta
from babel.numbers import format_compact_decimal, format_decimal

from pageclean.localize import match_label, parse_count, parse_relative_age, supported_languages
from pageclean.localize.catalog import _BABEL_ID, _read_toml

LANGS = supported_languages()
CASES = Path(__file__).parent / "cases" / "ui_strings"
UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400,
                "month": 30 * 86400, "year": 365 * 86400}  # fmt: skip
AMOUNTS = (1, 2, 3, 5, 11, 21)
# Values that compact notation with one fraction digit renders exactly, across magnitudes.
COMPACT_VALUES = (1_000, 1_500, 2_000, 15_000, 250_000, 3_000_000, 2_500_000, 45_000_000,
                  7_000_000_000)  # fmt: skip
FULL_VALUES = (7, 2908, 10_936, 78_057, 7_744_083, 18_567_581, 1_234_567_890)


def babel_locale(code: str) -> Locale:
    return Locale.parse(_BABEL_ID.get(code, code.replace("-", "_")))


# Known gaps: (language, width) pairs whose CLDR rendering the parser cannot read back yet.
AGE_GAPS: dict[tuple[str, str], str] = {}
COUNT_GAPS: dict[str, str] = {}
# Babel 2.18 renders sw's prefix patterns ("elfu 0;elfu -0") ten times too big ("elfu 10" for
# 1,000), so it cannot be the oracle there; sw compact numbers are hand-checked below.
BABEL_COMPACT_BROKEN = {"sw"}


def test_swahili_prefix_compact_numbers() -> None:
    """CLDR sw writes thousands as a prefix word: "elfu 1.5" = 1,500; "elfu 20" = 20,000."""
    assert parse_count("elfu 1.5", "sw") == 1500
    assert parse_count("elfu 20", "sw") == 20_000


def _age_params():
    for code in LANGS:
        for width in ("long", "short", "narrow"):
            marks = []
            if (code, width) in AGE_GAPS:
                marks = [pytest.mark.xfail(strict=True, reason=AGE_GAPS[(code, width)])]
            yield pytest.param(code, width, marks=marks, id=f"{code}-{width}")


@pytest.mark.parametrize(("code", "width"), list(_age_params()))
def test_cldr_relative_ages_read_back(code: str, width: str) -> None:
    """Babel's "N <unit> ago" in every language, unit, width and plural amount parses back."""
    loc = babel_locale(code)
    failures = []
    for unit, secs in UNIT_SECONDS.items():
        for n in AMOUNTS:
            delta = timedelta(seconds=n * secs)
            # threshold just under n keeps Babel on this unit (bigger units give smaller values)
            # a negative delta is the past: "{0} ago"
            try:
                text = format_timedelta(-delta, threshold=n * 0.999, add_direction=True,
                                        format=width, locale=loc)
            except KeyError:  # CLDR has no past pattern at this width: nothing to read back
                continue
            got = parse_relative_age(text, code)
            if got != delta:
                failures.append((unit, n, text, got))
    assert not failures, failures


def _count_params():
    for code in LANGS:
        marks = []
        if code in COUNT_GAPS:
            marks = [pytest.mark.xfail(strict=True, reason=COUNT_GAPS[code])]
        yield pytest.param(code, marks=marks, id=code)


@pytest.mark.parametrize("code", list(_count_params()))
def test_cldr_compact_counts_read_back(code: str) -> None:
    """Babel's compact ("1,5 тыс.") and full ("7 744 083") numbers parse back in every language."""
    loc = babel_locale(code)
    failures = []
    for value in COMPACT_VALUES if code not in BABEL_COMPACT_BROKEN else ():
        text = format_compact_decimal(value, format_type="short", fraction_digits=1, locale=loc)
        if parse_count(text, code) != value:
            failures.append((value, text, parse_count(text, code)))
    for value in FULL_VALUES:
        text = format_decimal(value, locale=loc)
        if parse_count(text, code) != value:
            failures.append((value, text, parse_count(text, code)))
    assert not failures, failures


@pytest.mark.parametrize("code", LANGS)
def test_every_language_has_real_views_cases(code: str) -> None:
    """Each language's views label is checked on strings YouTube printed, not on the catalog's own:
    tests/cases/ui_strings/<hl>.json holds real views labels (read by tests/test_ui_strings.py)."""
    path = CASES / f"{code}.json"
    assert path.is_file(), f"{code}: no real-string cases"
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    real = [c for c in cases if c["kind"] == "views" and c["source"] != "invented" and c.get("value")]
    assert real, f"{code}: no real views label among its cases"


@pytest.mark.parametrize("code", LANGS)
def test_loaded_count_shapes_take_cldr_numbers(code: str) -> None:
    """Each views/comments shape a catalog loads (only confirmed ones: [unconfirmed] is never
    read), filled with 12,345 as CLDR writes it in that language, reads back as that label and
    that number, with and without language=. The shapes are the catalog's; what is checked is that
    the language's number format fits them, and the expected number comes from Babel."""
    labels = {**_read_toml(code.split("-")[0]).get("labels", {}),
              **_read_toml(code).get("labels", {})}
    number = format_decimal(12_345, locale=babel_locale(code))
    for kind in ("views", "comments"):
        for pattern in labels.get(kind, []):
            line = pattern.replace("{n}", number)
            label = match_label(line, code)
            assert label is not None and (label.kind, label.value) == (kind, 12_345), line
            anywhere = match_label(line)
            assert anywhere is not None and anywhere.value == 12_345, line
