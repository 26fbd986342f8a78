"""Known gaps of the language layer, each a strict xfail so fixing it is noticed."""

from __future__ import annotations

import pytest

from pageclean.localize import match_label, parse_count, parse_relative_age


@pytest.mark.xfail(strict=True, reason="absolute dates (Premiered Mar 3, 2021; Hochgeladen am "
                   "25.06.2011) are not relative ages; no date parser in this layer yet")
def test_absolute_premiere_date_is_a_label() -> None:
    """YouTube's English 'Premiered Mar 3, 2021' should be recognised as an age label."""
    assert match_label("Premiered Mar 3, 2021") is not None


@pytest.mark.xfail(strict=True, reason="numberless count labels (iw 'צפייה אחת' = one view, "
                   "en 'No views', 'No comments') are not in the catalogs yet")
def test_numberless_count_labels() -> None:
    """'No views' is zero views; Hebrew 'צפייה אחת' is one view."""
    assert parse_count("No views") == 0
    assert parse_count("צפייה אחת", "iw") == 1


@pytest.mark.xfail(strict=True, reason="future relative times (scheduled premieres: 'Premieres "
                   "in 2 hours') are not parsed; only past ages are")
def test_future_relative_time() -> None:
    """A scheduled premiere's 'in 2 hours'."""
    assert parse_relative_age("Premieres in 2 hours", "en") is not None


@pytest.mark.xfail(strict=True, reason="word numbers ('a couple of days ago', ru 'пару дней "
                   "назад') are not parsed; only digits and numberless 'one' forms")
def test_word_numbers() -> None:
    """Spelled-out small numbers."""
    assert parse_relative_age("пару дней назад", "ru") is not None
