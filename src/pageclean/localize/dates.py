"""Absolute dates as YouTube prints them ("Premiered Mar 3, 2021", "Hochgeladen am 25.06.2011",
"3 мар. 2021 г.", "2021年3月3日"), read with CLDR month names and date-pattern order from Babel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from ._text import clean, squash
from .catalog import HL_CODES, _babel_locale, _read_toml, base_of, load_catalog, rank

# The day sits right next to its month word: "Mar 3", "3 мар.", "3. März", "3 de marzo".
MAX_DAY_GAP = 4
# The year follows (or precedes) the day and month closely: "Mar 3, 2021", "marzo de 2021".
MAX_YEAR_GAP = 6

_NUMERIC = re.compile(r"(?<!\d)(\d{1,4})([./-]) ?(\d{1,2})\2 ?(\d{1,4})(?!\d)\.?")
# CJK year/month/day markers (ja, zh, ko): "2021年3月3日", "2021년 3월 3일"
_CJK = re.compile(r"(?<!\d)(\d{4}) ?[年년] ?(\d{1,2}) ?[月월] ?(\d{1,2}) ?[日일]?")
_WORD = re.compile(r"[^\W\d_]+\.?")
_NUM = re.compile(r"(?<!\d)\d{1,4}(?!\d)")


@dataclass(frozen=True, slots=True)
class DateHit:
    value: date
    start: int  # span of the date in the cleaned text
    end: int
    language: str | None


def _key(word: str) -> str:
    return word.casefold().rstrip(".")


@cache
def month_words(code: str) -> dict[str, int]:
    """CLDR month names and abbreviations (format and stand-alone) -> month number."""
    loc = _babel_locale(code)
    out: dict[str, int] = {}
    if loc is not None:
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for month, name in loc.months.get(context, {}).get(width, {}).items():
                    if not any(c.isdigit() for c in name):  # ja/zh/ko "3月": the CJK regex reads those
                        out.setdefault(_key(clean(name)), month)
    for layer in (base_of(code), code):
        if layer:
            for name, month in _read_toml(layer).get("dates", {}).get("months", {}).items():
                out[_key(clean(name))] = int(month)
    return out


@cache
def _all_month_words() -> dict[str, tuple[tuple[str, int], ...]]:
    merged: dict[str, list[tuple[str, int]]] = {}
    for code in HL_CODES:
        for word, month in month_words(code).items():
            merged.setdefault(word, []).append((code, month))
    return {w: tuple(sorted(v, key=lambda cm: rank(cm[0]))) for w, v in merged.items()}


@cache
def numeric_order(code: str) -> str:
    """'dmy', 'mdy' or 'ymd': the field order of the language's short CLDR date pattern."""
    loc = _babel_locale(code)
    if loc is None:
        return "dmy"
    pattern = re.sub(r"'[^']*'", "", loc.date_formats["short"].pattern)
    firsts = {f: pattern.find(c) for f, c in (("d", "d"), ("m", "M"), ("y", "y"))}
    if firsts["m"] < 0:
        firsts["m"] = pattern.find("L")
    return "".join(sorted(firsts, key=firsts.__getitem__))


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_date(text: str, code: str | None) -> DateHit | None:
    """The first absolute date in a cleaned text, in one language or (None) any."""
    m = _CJK.search(text)
    if m is not None:
        value = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return DateHit(value, m.start(), m.end(), code) if value else None
    m = _NUMERIC.search(text)
    if m is not None:
        return _numeric(m, code)
    return _with_month_word(text, code)


def _numeric(m: re.Match[str], code: str | None) -> DateHit | None:
    a, b, c = m[1], m[3], m[4]
    if len(a) == 4:
        order = "ymd"
    elif len(c) != 4:
        return None  # two-digit years are ambiguous; YouTube prints four
    elif code is not None:
        order = numeric_order(code)
        order = order if order != "ymd" else "dmy"
    else:
        order = "mdy" if m[2] == "/" else "dmy"  # en's M/d/y for slashes, day first otherwise
    fields = dict(zip(order, (int(a), int(b), int(c)), strict=True))
    value = _safe_date(fields["y"], fields["m"], fields["d"])
    return DateHit(value, m.start(), m.end(), code) if value else None


def _with_month_word(text: str, code: str | None) -> DateHit | None:
    numbers = [(n.start(), n.end(), n.group()) for n in _NUM.finditer(text)]
    if len(numbers) < 2:
        return None
    for w in _WORD.finditer(text):
        key = _key(w.group())
        if code is not None:
            month, language = month_words(code).get(key), code
        else:
            found = _all_month_words().get(key)
            month, language = (found[0][1], found[0][0]) if found else (None, None)
        if month is None:
            continue
        days = [(min(abs(s - w.end()), abs(w.start() - e)), s, e, int(n)) for s, e, n in numbers
                if len(n) <= 2 and 1 <= int(n) <= 31]
        days = [d for d in days if d[0] <= MAX_DAY_GAP]
        if not days:
            continue
        _, ds, de, day = min(days)
        lo, hi = min(ds, w.start()), max(de, w.end())
        years = [(min(abs(s - hi), abs(lo - e)), s, e, int(n)) for s, e, n in numbers
                 if len(n) == 4 and (e <= lo or s >= hi)]
        years = [y for y in years if y[0] <= MAX_YEAR_GAP]
        if not years:
            continue
        _, ys, ye, year = min(years)
        value = _safe_date(year, month, day)
        if value is not None:
            return DateHit(value, min(lo, ys), max(hi, ye), language)
    return None


@cache
def _year_marks(code: str | None) -> frozenset[str]:
    """Literal words CLDR prints beside a year ("г." in ru, "ж." in kk), in squashed form."""
    codes = [code] if code else HL_CODES
    marks: set[str] = set()
    for c in codes:
        loc = _babel_locale(c)
        if loc is None:
            continue
        for width in ("medium", "long"):
            for literal, dot in re.findall(r"'([^']+)'(\.?)", loc.date_formats[width].pattern):
                marks.add(squash(literal) + dot)
    return frozenset(marks)


@cache
def _date_wrappers(code: str | None) -> dict[str, tuple[str, str]]:
    """Squashed wrapper ('premiered#', 'hochgeladenam#') -> (status, language); '#' is the date.
    The age status wrappers apply ("Premiered {age}"), plus the [dates] wrappers of the TOML."""
    codes = [code] if code else sorted(HL_CODES, key=rank, reverse=True)  # best rank wins
    out: dict[str, tuple[str, str]] = {}
    for c in codes:
        out.update((k, (status, c)) for k, status in load_catalog(c).status.items())
        for layer in (base_of(c), c):
            if layer:
                for status, patterns in _read_toml(layer).get("dates", {}).get("wrappers", {}).items():
                    for p in patterns:
                        out[squash(clean(p.replace("{date}", "#")))] = (status, c)
    return out


def date_label(text: str, code: str | None) -> tuple[DateHit, str | None] | None:
    """A whole line that is one date, optionally in a status wrapper: (date, status)."""
    hit = find_date(text, code)
    if hit is None:
        return None
    head, tail = squash(text[: hit.start]), squash(text[hit.end :])
    for mark in _year_marks(hit.language if code is None and hit.language else code):
        if tail == mark or tail.startswith(mark):
            tail = tail[len(mark):]
            break
    if not head and not tail:
        return hit, None
    found = _date_wrappers(code).get(head + "#" + tail)
    if found is None:
        return None
    status, language = found
    return DateHit(hit.value, hit.start, hit.end, hit.language or language), status
