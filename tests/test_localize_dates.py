"""Absolute dates (parse_date, 'date' labels) and numberless counts, on YouTube's real strings."""

from __future__ import annotations

from datetime import date

import pytest

from pageclean.localize import match_label, parse_count, parse_date

MARCH_3 = date(2021, 3, 3)

DATES = [
    ("Premiered Mar 3, 2021", None, MARCH_3),  # the gap test's English string
    ("Mar 3, 2021", "en", MARCH_3),
    ("Hochgeladen am 25.06.2011", None, date(2011, 6, 25)),  # de-legacy-2017.html
    ("Hochgeladen am 25.06.2011", "de", date(2011, 6, 25)),
    ("3 мар. 2021 г.", None, MARCH_3),
    ("3 мар. 2021 г.", "ru", MARCH_3),
    ("2021年3月3日", None, MARCH_3),
    ("2021年3月3日", "ja", MARCH_3),
    ("2021년 3월 3일", "ko", MARCH_3),
    ("2021. 3. 3.", "ko", MARCH_3),
    ("3 de marzo de 2021", "es", MARCH_3),
    ("3 mars 2021", "fr", MARCH_3),
    ("3. März 2021", "de", MARCH_3),
    ("03.03.2021", "ru", MARCH_3),
    ("3/25/2021", "en", date(2021, 3, 25)),
    ("25/03/2021", "fr", date(2021, 3, 25)),
    ("2021-03-03", None, MARCH_3),
]


@pytest.mark.parametrize(("text", "language", "expected"), DATES)
def test_parse_date_real_strings(text: str, language: str | None, expected: date) -> None:
    """Month names (CLDR), numeric dates in the language's order, CJK year/month/day marks."""
    assert parse_date(text, language) == expected


@pytest.mark.parametrize(
    "text", ["3 years ago", "Рет қаралды 10,936", "1:36:22", "31.02.2021", "Mar 2021", "v1.2.3", "12/03/21"]
)
def test_parse_date_rejects_non_dates(text: str) -> None:
    """Ages, counts, durations, impossible days, month without day, versions, two-digit years."""
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("line", "language", "status", "english"),
    [
        ("Premiered Mar 3, 2021", None, "premiered", "Premiered Mar 3, 2021"),
        ("Streamed live on Mar 3, 2021", "en", "streamed", "Streamed Mar 3, 2021"),
        ("Hochgeladen am 25.06.2011", None, "uploaded", "Uploaded Jun 25, 2011"),
        ("3 мар. 2021 г.", "ru", None, "Mar 3, 2021"),
        ("2021年3月3日", None, None, "Mar 3, 2021"),
    ],
)
def test_date_label(line: str, language: str | None, status: str | None, english: str) -> None:
    """A whole line that is a date (in a status wrapper or not) is a 'date' label."""
    label = match_label(line, language)
    assert label is not None
    assert (label.kind, label.status, label.english) == ("date", status, english)


def test_date_label_only_when_asked_and_whole_line() -> None:
    """kinds without 'date' never yield one (the parsers' calls stay as they were); a date inside
    a sentence is no label."""
    assert match_label("Premiered Mar 3, 2021", "en", ["age"]) is None
    assert match_label("Premiered Mar 3, 2021", "en", ["date"]) is not None
    assert match_label("We met on Mar 3, 2021 at NeurIPS") is None
    assert match_label("Hochgeladen am 25.06.2011").language == "de"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "language", "kind", "expected"),
    [("No views", None, "views", 0), ("No views", "en", "views", 0), ("No comments", "en", "comments", 0),
     ("צפייה אחת", "iw", "views", 1), ("צפייה אחת", None, "views", 1)],
)  # fmt: skip
def test_numberless_counts(text: str, language: str | None, kind: str, expected: int) -> None:
    """'No views' is zero views; Hebrew 'צפייה אחת' is one view (formerly a strict xfail)."""
    assert parse_count(text, language) == expected
    label = match_label(text, language, [kind])
    assert label is not None and (label.kind, label.value) == (kind, expected)
