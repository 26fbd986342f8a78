"""The founding example's layout in other UI languages parses as completely as the Kazakh page.

Each page is the founding example with its UI labels swapped for another language's: views
labels from real pages (shared/corpus/README.md) where known, ages and compact numbers rendered
by CLDR (Babel's own formatter, independent of pageclean's parser), comment headers from the
language's catalog. Content (title, description, comments) stays as it is.
"""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from babel.dates import format_timedelta
from babel.numbers import format_compact_decimal

from pageclean.formats.textdump import parse_textdump

FOUNDING = (Path(__file__).parent / "fixtures" / "text" / "000_bc69be185f79b3dd.txt").read_text(encoding="utf-8")
DATA = Path(__file__).parent.parent / "src" / "pageclean" / "localize" / "data"

# Views labels as seen on real pages (corpus README); {n} is the number as the page prints it.
REAL_VIEWS = {
    "ru": "{n} просмотров", "uk": "{n} переглядів", "de": "{n} Aufrufe", "ja": "{n} 回視聴",
    "ko": "조회수 {n}회", "vi": "{n} lượt xem", "tr": "{n} görüntüleme", "id": "{n} x ditonton",
    "es": "{n} visualizaciones", "hi": "{n} बार देखा गया", "en": "{n} views",
}
CLDR_LOCALE = {"zh-CN": "zh_Hans"}
LANGUAGES = [*REAL_VIEWS, "fr", "pt", "it", "pl", "nl", "zh-CN"]


def _catalog_label(code: str, kind: str) -> str:
    labels = tomllib.loads((DATA / f"{code}.toml").read_text(encoding="utf-8"))["labels"][kind]
    return labels[0] if isinstance(labels, list) else labels


def _ago(days: int, code: str, granularity: str) -> str:
    return format_timedelta(timedelta(days=-days), add_direction=True, granularity=granularity,
                            threshold=10, locale=CLDR_LOCALE.get(code, code.replace("-", "_")))


def _localized_dump(code: str) -> str:
    locale = CLDR_LOCALE.get(code, code.replace("-", "_"))
    views = REAL_VIEWS.get(code) or _catalog_label(code, "views")
    comments = _catalog_label(code, "comments")
    text = FOUNDING.replace("\u00a0\u00a0Рет қаралды 10,936", views.format(n="10936"))
    text = text.replace("Күн бұрын", _ago(1, code, "day"))
    text = text.replace("Пікірлер: 37", comments.format(n="37"))
    text = re.sub(r"(@\S+) 3 жыл бұрын", lambda m: f"{m[1]} {_ago(3 * 365, code, 'year')}", text)
    text = re.sub(r"(@\S+) 2 жыл бұрын", lambda m: f"{m[1]} {_ago(2 * 365, code, 'year')}", text)
    text = re.sub(r"(@\S+) Жыл бұрын", lambda m: f"{m[1]} {_ago(365, code, 'year')}", text)

    def related_views(m: re.Match[str]) -> str:
        n = {"22 М.": 22_000, "25 МЛН": 25_000_000, "1,8 М.": 1_800}.get(m[1])
        if n is None:
            return m[0]
        return views.format(n=format_compact_decimal(n, format_type="short", locale=locale, fraction_digits=1))

    return re.sub(r"Рет қаралды (22 М\.|25 МЛН|1,8 М\.)", related_views, text)


@pytest.mark.parametrize("code", LANGUAGES)
def test_founding_layout_in_other_languages(code):
    """Views, publish age, comment count, all 37 comments with their ages, and related views parse."""
    page = parse_textdump(_localized_dump(code))
    assert page.ui_language == code
    assert page.view_count == 10936
    assert page.published_age_seconds == 86400
    assert page.comment_count == 37
    assert len(page.comments) == 37
    assert page.comments[0].published_age_seconds == 3 * 365 * 86400
    assert len(page.chapters) == 27 and len(page.links) == 18
    by_title = {r.title: r.view_count for r in page.related}
    assert by_title["#55 Dr. ISHAN MISRA - Self-Supervised Vision Models"] == 22_000
    assert by_title["ISSEI funny story😂😂😂Strange World | Pink with inoCat"] == 25_000_000
    assert by_title["Christian Szegedy - Deep Learning for Formal Reasoning"] == 1_800
    assert page.description.startswith("Dr. Christian Szegedy")
