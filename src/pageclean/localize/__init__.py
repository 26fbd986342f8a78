"""The language layer: YouTube UI labels in ~80 languages -> canonical values.

Public API:

- ``parse_count(text, language=None) -> int | None``
- ``parse_relative_age(text, language=None) -> timedelta | None``
- ``read_count(text, language=None)`` and ``read_age(...)`` -> ``Reading``: the same values, and
  when the value is None, the reason ("'zillion' after the number ... is no multiplier ...") for
  a caller's warnings. A number next to a word the language does not print there is None, never
  the bare number.
- ``detect_ui_language(text) -> str | None`` and ``detect(text) -> Detection``
- ``decide_language(hl_hints, labels)``: the page's UI language from its labels and its ``hl``
- ``match_label(line, language=None, kinds=None) -> Label | None``
- ``supported_languages() -> list[str]`` and ``normalize_language(code) -> str | None``
- ``is_ui_chrome(line, language=None) -> bool``: buttons and headings ("Show less", "12 replies")
- ``parse_date(text, language=None) -> date | None``: absolute dates ("Premiered Mar 3, 2021")

Strings YouTube prints live in ``data/<hl>.toml``; CLDR (via Babel) supplies compact-number
suffixes, separators and relative-time patterns; the TOML corrections win where they differ.

>>> parse_count("Рет қаралды 22 М.")
22000
>>> parse_relative_age("vor 4 Jahren").days
1460
>>> match_label("Рет қаралды 10,936").english
'10,936 views'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from ._text import clean
from .catalog import HL_CODES, UNIT_SECONDS, load_catalog
from .catalog import normalize_language as _normalize
from .labels import MAX_LABEL_CHARS, Hit, match_all

__all__ = [
    "Detection",
    "Label",
    "Reading",
    "decide_language",
    "detect",
    "detect_ui_language",
    "is_ui_chrome",
    "match_label",
    "normalize_language",
    "parse_count",
    "parse_date",
    "parse_relative_age",
    "read_age",
    "read_count",
    "supported_languages",
]


@dataclass(frozen=True, slots=True)
class Label:
    """One UI label recognised on a line, with its canonical value and an English rendering."""

    kind: str  # "views" | "age" | "comments" | "likes" | "subscribers" | "replies" | "date"
    value: int | timedelta | date  # a date only for kind "date" (asked for by kinds=None/"date")
    english: str  # "10,936 views", "3 years ago", "37 Comments"
    language: str | None  # hl code of the catalog that matched
    status: str | None = None  # "premiered" | "streamed" | "edited" | "scheduled" ... for ages
    # The unit an age was shown in ("year" for "3 жыл бұрын"): value alone cannot tell "1 week"
    # from "7 days", and a shown age is a window one unit wide. Provenance, not part of equality.
    unit: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Reading:
    """A display string read leniently: its value, or None and why (for the page's warnings)."""

    value: int | timedelta | None
    reason: str | None = None  # why value is None ("'lakh' after the number ... is no multiplier")
    label: Label | None = None  # the whole UI label the value came from, when one matched


@dataclass(frozen=True, slots=True)
class Detection:
    language: str | None
    evidence: tuple[str, ...] = ()  # a tie sentence first, if any, then the label lines
    reason: str | None = None  # why language is None, when it is
    # Languages whose labels fit the page exactly as well as ``language`` (regional variants of
    # it, or a near-identical sibling such as bs for hr): the labels could not tell them apart.
    tied: tuple[str, ...] = ()


_COUNT_NOUNS = {
    "views": ("view", "views"),
    "comments": ("Comment", "Comments"),
    "likes": ("like", "likes"),
    "subscribers": ("subscriber", "subscribers"),
    "replies": ("reply", "replies"),
}
_STATUS_ENGLISH = {
    "streamed": "Streamed {}",
    "premiered": "Premiered {}",
    "edited": "{} (edited)",
    "scheduled": "Scheduled {}",
    "uploaded": "Uploaded {}",
}


def _english_date(value: date, status: str | None) -> str:
    text = f"{value:%b} {value.day}, {value.year}"  # YouTube's English: "Mar 3, 2021"
    return _STATUS_ENGLISH.get(status or "", "{}").format(text)


def _english(hit: Hit) -> str:
    kind = hit.entry.kind
    if kind == "age":
        assert isinstance(hit.value, timedelta)
        unit = hit.entry.unit or "day"
        n = int(hit.value.total_seconds()) // UNIT_SECONDS[unit]
        text = f"{abs(n)} {unit}{'' if abs(n) == 1 else 's'}"
        text = f"in {text}" if n < 0 else f"{text} ago"
        if n < 0 and hit.status == "premiered":
            return f"Premieres {text}"
        return _STATUS_ENGLISH.get(hit.status or "", "{}").format(text)
    one, many = _COUNT_NOUNS[kind]
    return f"{hit.value:,} {one if hit.value == 1 else many}"


def _resolve(language: str | None) -> str | None:
    if language is None:
        return None
    code = _normalize(language)
    if code is None:
        raise ValueError(f"unsupported UI language {language!r}; see supported_languages()")
    return code


def match_label(
    line: str, language: str | None = None, kinds: Iterable[str] | None = None
) -> Label | None:
    """The whole line as one UI label, or None (content lines, sentences, bare numbers).

    Cached per (line, language, kinds); pass ``language`` once it is known: a single
    catalog is searched instead of all of them.

    >>> match_label("Пікірлер: 37")
    Label(kind='comments', value=37, english='37 Comments', language='kk', status=None, unit=None)
    >>> match_label("Streamed 2 days ago").english
    'Streamed 2 days ago'
    >>> match_label("I think 3 years ago I saw this") is None
    True
    """
    code = _resolve(language)
    return _match_label(line, code, frozenset(kinds) if kinds is not None else None)


@lru_cache(maxsize=65536)
def _match_label(line: str, code: str | None, kind_set: frozenset[str] | None) -> Label | None:
    # A Label is frozen, so one can be shared. UI lines repeat on every page ("Reply", "1 like",
    # "3 years ago"): a text dump asks ~180 times per page, mostly for lines seen before.
    hits = match_all(line, code, kind_set)
    if not hits:
        if kind_set is None or "date" in kind_set:
            return _date_label(line, code)
        return None
    return _label(hits[0])


def _label(hit: Hit) -> Label:
    unit = hit.entry.unit if hit.entry.kind == "age" else None
    return Label(hit.entry.kind, hit.value, _english(hit), hit.entry.language, hit.status, unit)


def _date_label(line: str, code: str | None) -> Label | None:
    from .dates import date_label

    text = clean(line)
    if not text or len(text) > MAX_LABEL_CHARS:
        return None
    found = date_label(text, code)
    if found is None:
        return None
    hit, status = found
    return Label("date", hit.value, _english_date(hit.value, status), hit.language, status)


def parse_date(text: str, language: str | None = None) -> date | None:
    """The first absolute date in the text, with CLDR's month names and field order (Babel).

    Numeric dates need a four-digit year. A year-first date (2021-03-03, 2021年3月3日,
    2021. 3. 3.) is year-month-day; a year-last one is read only when exactly one of the
    language's orders (any order without a language) gives a date: de 25.06.2011 is June 25,
    "03/04/2021" without a language is None. A date inside a sentence is None. The rules and
    their sources: ``pageclean.localize.dates``.

    >>> parse_date("Premiered Mar 3, 2021"), parse_date("Hochgeladen am 25.06.2011", "de")
    (datetime.date(2021, 3, 3), datetime.date(2011, 6, 25))
    >>> parse_date("3 мар. 2021 г."), parse_date("2021年3月3日")
    (datetime.date(2021, 3, 3), datetime.date(2021, 3, 3))
    >>> parse_date("3 years ago") is None
    True
    """
    from .dates import find_date

    hit = find_date(clean(text), _resolve(language))
    return hit.value if hit is not None else None


def parse_count(text: str, language: str | None = None) -> int | None:
    """A view/comment/like/subscriber count as YouTube prints it, in full or compact.

    >>> parse_count("7 744 083 просмотра")
    7744083
    >>> parse_count("1,5 тыс.", "ru"), parse_count("1,234", "en")
    (1500, 1234)
    >>> parse_count("2,4 B görüntüleme"), parse_count("11 mil M de visualizaciones")
    (2400, 11000000000)
    >>> parse_count("no number here") is None, parse_count("5 zillion views") is None
    (True, True)
    """
    return read_count(text, language).value  # type: ignore[return-value]


def read_count(text: str, language: str | None = None) -> Reading:
    """parse_count's value, or None with the reason: a label in the text, else its first number
    with the language's multiplier words. A word right after the number (or, in a language whose
    multipliers come first, right before it) must be one the language prints there.

    >>> read_count("1.1K crore views", "en-IN").value
    11000000000
    >>> read_count("2.4 lakh views", "en").reason
    "'lakh' after the number in '2.4 lakh views' is no multiplier or count word the en catalog knows"
    """
    from .reading import read_count as _read

    code = _resolve(language)
    hit, value, reason = _read(text, code)
    if value is None:
        reason = _ambiguity(text, code) or reason
    return Reading(value, reason, _label(hit) if hit is not None else None)


def parse_relative_age(text: str, language: str | None = None) -> timedelta | None:
    """A relative age ("3 жыл бұрын", "Год назад", "منذ يومين") as a timedelta.

    Years count 365 days, months 30, weeks 7. A status wrapper ("Streamed", "(edited)") is
    allowed; a trailing age after a handle ("@user 3 жыл бұрын") is found too. A future time
    (CLDR's "in {0} hours", as on a scheduled premiere) is a negative timedelta.

    >>> parse_relative_age("3 жыл бұрын").days
    1095
    >>> parse_relative_age("Неделю назад")
    datetime.timedelta(days=7)
    >>> parse_relative_age("قبل سنتين").days  # YouTube's ar dual, no digit
    730
    >>> parse_relative_age("Premieres in 2 hours")
    datetime.timedelta(days=-1, seconds=79200)
    >>> parse_relative_age("бірнеше жыл бұрын") is None  # "several years ago"
    True
    """
    return read_age(text, language).value  # type: ignore[return-value]


def read_age(text: str, language: str | None = None) -> Reading:
    """parse_relative_age's value, or None with the reason.

    >>> read_age("бірнеше жыл бұрын", "kk").reason
    "'бірнеше' stands where 'бірнеше жыл бұрын' needs a number, and the kk catalog knows no such number word"
    """
    from .reading import read_age as _read

    code = _resolve(language)
    hit, value, reason = _read(text, code)
    if value is None:
        reason = _ambiguity(text, code) or reason
    return Reading(value, reason, _label(hit) if hit is not None else None)


def _ambiguity(text: str, code: str | None) -> str | None:
    """Why an age is null when its shape reads as two units in one language ("5m ago")."""
    from .labels import prepare

    key = prepare(clean(text))[2]
    for c in [code] if code else HL_CODES:
        units = load_catalog(c).ambiguous.get(key)
        if units:
            return (f"{text!r} reads as {' or '.join(units)} in the {c} catalog (one spelling for "
                    "several units), so its age is unknown")
    return None


def detect(text: str | Iterable[str]) -> Detection:
    """The UI language, voted by the UI labels only (content lines never vote).

    >>> detect(["Рет қаралды 10,936", "3 жыл бұрын", "Пікірлер: 37"]).language
    'kk'
    >>> detect(["hello world"]).reason
    'no YouTube UI label recognised'
    """
    from .detection import detect as _detect

    return _detect(text)


def detect_ui_language(text: str) -> str | None:
    return detect(text).language


def decide_language(
    hl_hints: Iterable[tuple[str, str]], labels: Iterable[str | None]
) -> tuple[str | None, str | None, list[str]]:
    """(ui_language, evidence sentence, warnings) from a page's labels and its ``hl`` hints.

    ``hl_hints`` are ``(code, where it came from)`` in order of trust. The labels win when they
    disagree with ``hl`` (with a warning); when they fit ``hl`` exactly as well as the language
    they read as (hl=en-GB on English labels, hl=no on labels Danish prints alike), ``hl`` decides.

    >>> decide_language([("en-GB", "INNERTUBE_CONTEXT_HL")], ["10,936 views", "3 years ago"])[0]
    'en-GB'
    """
    from .detection import decide_language as _decide

    return _decide(hl_hints, labels)


def clear_caches() -> None:
    """Forget every catalog and per-line result, so changed data files are read again (tests)."""
    import sys

    for name, module in list(sys.modules.items()):
        if name == __name__ or name.startswith(__name__ + "."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)) and getattr(
                    value, "__module__", "").startswith(__name__):
                    value.cache_clear()


def is_ui_chrome(line: str, language: str | None = None) -> bool:
    """True if the whole line is a button or section heading of the watch page (UI chrome that
    innerText dumps contain between the parts: "Show less", "Reply", "12 replies", "Sort by",
    "Pinned by @x", "Add a comment..."), in ``language`` or, if None, in any catalog.

    The strings live in the ``[chrome]`` table of ``data/<hl>.toml``. A line is judged alone: a
    comment whose whole text is "Thanks" reads as chrome too, so call this where the page's
    layout expects chrome (around the comments, after the description), not on every line.

    >>> is_ui_chrome("Show less"), is_ui_chrome("12 replies", "en"), is_ui_chrome("Weniger anzeigen", "de")
    (True, True, True)
    >>> is_ui_chrome("Pinned by @MachineLearningStreetTalk")
    True
    >>> is_ui_chrome("Show less of this please")
    False
    """
    from .chrome import is_chrome

    return is_chrome(line, _resolve(language))


def supported_languages() -> list[str]:
    """YouTube's hl codes, in the order of its language menu.

    >>> len(supported_languages()) >= 80 and "kk" in supported_languages()
    True
    """
    return list(HL_CODES)


def normalize_language(code: str | None) -> str | None:
    """Any spelling of a language tag -> YouTube hl code; regional codes fall back to the base.

    >>> normalize_language("de_AT"), normalize_language("he"), normalize_language("ZH-tw")
    ('de', 'iw', 'zh-TW')
    >>> normalize_language("xx") is None
    True
    """
    return _normalize(code)
