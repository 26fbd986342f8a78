"""Absolute dates as YouTube prints them ("Premiered Mar 3, 2021", "Hochgeladen am 25.06.2011",
"3 мар. 2021 г.", "2021年3月3日"), read with CLDR month names and date-pattern order from Babel.

What YouTube prints: a watch page's ``dateText`` is the UI locale's CLDR *medium* date pattern,
optionally inside a status wrapper. Recorded next responses show it for en-GB, "9 Sept 2010",
"22 Sept 2017", "Started streaming on 4 Jun 2026" (CLDR en-GB medium ``d MMM y``, abbreviated
September "Sept"), and for de, "27.04.2021" (CLDR de medium ``dd.MM.y``): TeamNewPipe/NewPipeExtractor
@ 43f8e6ebeef469db7c5328714bc5f33c9f06f092 : extractor/src/test/resources/mocks/v1/org/schabi/newpipe/
extractor/services/youtube/stream/youtubestreamextractorcontroversial/generated_mock_8.json and
.../youtube/youtubecommentsextractor/localizedvotecount/generated_mock_2.json (request ``hl``
en-GB and de-DE). So most locales print a month word and only some a numeric date.

The rules, each one there so that no date is a guess:

- In a known language, the locale's own CLDR medium pattern is read first, as printed: its
  literals (he "3 במרץ 2021", mn "2021 оны 3-р сарын 3", lv "2021. gada 3. marts") and its month
  abbreviations (th "มี.ค.", vi "thg 3"). The rules below cover the rest, and every date read
  without a language.

- Month words are CLDR's names and abbreviations of the language *and of its regional variants*
  (en reads en-GB's "Sept", es-419 reads es's "sept."): detection may give the family's main code
  for a regional page, and a month word means the same month in every variant (no variant
  disagrees; a word that did would be dropped).
- A year-first numeric date (2021-03-03, 2021. 3. 3.) is year-month-day in every locale.
- A year-last numeric date (25.06.2011) is read in the field orders the language writes: its own
  CLDR pattern, and for a family's main code also its variants' (en M/d/y, en-GB d/M/y). It is a
  date only when exactly one reading is valid: "3/25/2021" in en is March 25, "03/04/2021" in en
  is null. Without a language every order counts, so "03/04/2021" is null and "25.06.2011" is
  June 25. A locale that writes year first (ja, sv, hu...) or one Babel does not know has no
  year-last order, so such a date is null there, never day-month-year by default.
- Two-digit years are null: YouTube prints four.
- A date inside a sentence is no date: text on both sides of it ("Version 2.1.2021 released",
  "We met on Mar 3, 2021 at NeurIPS") makes it null unless the two sides are a wrapper the
  catalogs know; text on one side ("Started streaming on 4 Jun 2026") may be at most a wrapper's
  length; a numeric date glued to a letter or dot ("v2.1.2021") is a version.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

from ._text import clean, squash
from .catalog import HL_CODES, _babel_locale, _read_toml, base_of, load_catalog, rank

# The day sits right next to its month word: "Mar 3", "3 мар.", "3. März", "3 de marzo".
MAX_DAY_GAP = 4
# The year follows (or precedes) the day and month closely: "Mar 3, 2021", "marzo de 2021".
MAX_YEAR_GAP = 6
# Words allowed on one side of a date: the longest status wrapper YouTube prints beside a date or
# age is about five ("Trasmesso in live streaming il", "Se transmitió en vivo el"); more is prose.
MAX_WRAPPER_WORDS = 6

# A numeric date; not glued to a letter, digit or dot before it ("v2.1.2021", "1.2.3.2021").
_NUMERIC = re.compile(r"(?<![\w.])(\d{1,4})([./-]) ?(\d{1,2})\2 ?(\d{1,4})(?!\d)\.?")
# CJK year/month/day markers (ja, zh, ko): "2021年3月3日", "2021년 3월 3일"
_CJK = re.compile(r"(?<!\d)(\d{4}) ?[年년] ?(\d{1,2}) ?[月월] ?(\d{1,2}) ?[日일]?")


def _marks() -> str:
    """A regex class of the combining marks (categories M*) of the Basic Multilingual Plane."""
    out, start, prev = [], None, None
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp))[0] == "M":
            if start is None:
                start = cp
            prev = cp
        elif start is not None:
            out.append(f"\\u{start:04x}-\\u{prev:04x}" if prev != start else f"\\u{start:04x}")
            start = None
    return "".join(out)


# A word: letters with the marks written on them (hi "मार्च" holds a virama and vowel signs,
# which \w does not match), then an abbreviation mark: "." or Devanagari "॰" (hi "जन॰").
_WORD = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{_marks()}])*[.\u0970]?")
_NUM = re.compile(r"(?<!\d)\d{1,4}(?!\d)")
_YEAR_LAST = ("dmy", "mdy")


@dataclass(frozen=True, slots=True)
class DateHit:
    value: date
    start: int  # span of the date in the cleaned text
    end: int
    language: str | None


def _key(word: str) -> str:
    return word.casefold().rstrip(".\u0970")


@cache
def family(code: str) -> tuple[str, ...]:
    """The code and every hl code that shares its base language (en -> en, en-GB, en-IN)."""
    base = base_of(code) or code
    return (code, *(c for c in HL_CODES if c != code and (c == base or base_of(c) == base)))


@cache
def _own_month_words(code: str) -> dict[str, int]:
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
def _numbered_month_word(code: str) -> str | None:
    """The word of a locale whose CLDR month names are that word and the month's number (vi
    "thg 3", "tháng 3": CLDR vi medium date ``d MMM, y`` prints "3 thg 3, 2021"), as a regex
    alternation of its spellings; None for every other locale."""
    loc = _babel_locale(code)
    if loc is None:
        return None
    words: set[str] = set()
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            names = loc.months.get(context, {}).get(width, {})
            found = {re.fullmatch(rf"(\D+?) ?0?{month}", clean(name)) for month, name in names.items()}
            if len(names) == 12 and None not in found and len({m[1] for m in found if m}) == 1:
                words.add(next(iter(found))[1].casefold())  # type: ignore[index]
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or None


@cache
def _numbered_month_regex(code: str | None) -> re.Pattern[str] | None:
    """'<word> <month number>' for the locale, or (None) for every locale that writes months so."""
    codes = family(code) if code is not None else HL_CODES
    words = {w for c in codes if (w := _numbered_month_word(c))}
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(sorted(words, key=len, reverse=True))}) ?(\d{{1,2}})(?!\d)",
                      re.IGNORECASE)


@cache
def _numbered_month_language(word: str) -> str | None:
    for code in sorted(HL_CODES, key=rank):
        w = _numbered_month_word(code)
        if w and re.fullmatch(w, word, re.IGNORECASE):
            return code
    return None


def _months_in(text: str, code: str | None) -> list[tuple[int, int, int, str | None]]:
    """Every month in the text, in order: (start, end, month, language), from month words and
    from a numbered month (vi "thg 3")."""
    found = []
    for w in _WORD.finditer(text):
        key = _key(w.group())
        if code is not None:
            month, language = month_words(code).get(key), code
        else:
            hits = _all_month_words().get(key)
            month, language = (hits[0][1], hits[0][0]) if hits else (None, None)
        if month is not None:
            found.append((w.start(), w.end(), month, language))
    rx = _numbered_month_regex(code)
    if rx is not None:
        for m in rx.finditer(text):
            if 1 <= int(m[1]) <= 12:
                word = text[m.start():m.start(1)].strip()
                found.append((m.start(), m.end(), int(m[1]), code or _numbered_month_language(word)))
    return sorted(found)


@cache
def month_words(code: str) -> dict[str, int]:
    """CLDR month names and abbreviations (format and stand-alone) -> month number, of the
    language and its regional variants ("sept" for en from en-GB); a word two variants read as
    different months is left out."""
    out = dict(_own_month_words(code))
    clashes: set[str] = set()
    for other in family(code)[1:]:
        for word, month in _own_month_words(other).items():
            if out.setdefault(word, month) != month:
                clashes.add(word)
    for word in clashes:
        del out[word]
    return out


_PATTERN_TOKEN = re.compile(r"'([^']*)'|(([A-Za-z])\3*)|(.)", re.DOTALL)


@cache
def _medium_regex(code: str) -> tuple[re.Pattern[str], dict[str, int]] | None:
    """The locale's CLDR medium date pattern as a regex over cleaned text, with its month names
    (casefolded) -> month: what YouTube prints, read as printed, literals included (he
    "d בMMM y" -> "3 במרץ 2021", mn "y 'оны' MMM'ын' d" -> "2021 оны 3-р сарын 3", th/lo
    abbreviations with inner dots "มี.ค."). None when Babel lacks the locale, the pattern is
    numeric (``_numeric`` reads those) or it has a field we do not read (a weekday, an era)."""
    loc = _babel_locale(code)
    if loc is None:
        return None
    names: dict[str, int] = {}
    parts: list[str] = []
    for m in _PATTERN_TOKEN.finditer(loc.date_formats["medium"].pattern):
        literal, field, letter, other = m[1], m[2], m[3], m[4]
        if field:
            if letter == "d":
                parts.append(r"(?P<d>\d{1,2})")
            elif letter == "y":
                parts.append(r"(?P<y>\d{4})")
            elif letter in "ML" and len(field) <= 2:
                return None  # a numeric date: _numeric reads it, with the care its orders need
            elif letter in "ML":
                for width in ("abbreviated", "wide"):
                    for context in ("format", "stand-alone"):
                        for month, name in loc.months.get(context, {}).get(width, {}).items():
                            names.setdefault(clean(name).casefold(), month)
                alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                parts.append(rf"(?P<mon>{alternatives})")
            else:
                return None
        else:
            text = clean(literal if literal is not None else other) if (literal or other) else "'"
            parts.append(" ?" if not text else " ?".join(re.escape(c) for c in text.replace(" ", "")))
    body = "".join(parts).replace(" ? ?", " ?")
    return re.compile(rf"(?<![\w.]){body}(?!\d)", re.IGNORECASE), names


def _medium_date(text: str, code: str) -> DateHit | None:
    """A date printed in the locale's own CLDR medium pattern (or a variant's): see _medium_regex."""
    for c in family(code):
        compiled = _medium_regex(c)
        if compiled is None:
            continue
        rx, names = compiled
        m = rx.search(text)
        if m is None:
            continue
        month = names.get(m["mon"].casefold())
        value = _safe_date(int(m["y"]), month, int(m["d"])) if month else None
        if value is not None:
            return DateHit(value, m.start(), m.end(), code)
    return None


@cache
def _all_month_words() -> dict[str, tuple[tuple[str, int], ...]]:
    merged: dict[str, list[tuple[str, int]]] = {}
    for code in HL_CODES:
        for word, month in _own_month_words(code).items():
            merged.setdefault(word, []).append((code, month))
    return {w: tuple(sorted(v, key=lambda cm: rank(cm[0]))) for w, v in merged.items()}


@cache
def numeric_order(code: str) -> str | None:
    """'dmy', 'mdy' or 'ymd': the field order of the language's numeric CLDR date pattern (the
    medium one, which YouTube prints, when it is numeric; else the short one); None when Babel
    does not know the locale."""
    loc = _babel_locale(code)
    if loc is None:
        return None
    medium = loc.date_formats["medium"].pattern
    pattern = re.sub(r"'[^']*'", "", medium if "MMM" not in medium else loc.date_formats["short"].pattern)
    firsts = {f: pattern.find(c) for f, c in (("d", "d"), ("m", "M"), ("y", "y"))}
    if firsts["m"] < 0:
        firsts["m"] = pattern.find("L")
    if min(firsts.values()) < 0:
        return None
    return "".join(sorted(firsts, key=firsts.__getitem__))


@cache
def year_last_orders(code: str | None) -> tuple[str, ...]:
    """The orders a year-last numeric date may be in: the language's (and, for a family's main
    code, its variants'), or all of them without a language. Empty: such a date is never read."""
    if code is None:
        return _YEAR_LAST
    codes = family(code) if base_of(code) is None else (code,)
    orders = {numeric_order(c) for c in codes}
    return tuple(o for o in _YEAR_LAST if o in orders)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_date(text: str, code: str | None) -> DateHit | None:
    """The first absolute date in a cleaned text, in one language or (None) any; None when it
    stands inside a sentence (see the module's rules)."""
    hit = _first_date(text, code)
    if hit is None or not _stands_alone(text, hit, code):
        return None
    return hit


def _first_date(text: str, code: str | None) -> DateHit | None:
    if code is not None and (hit := _medium_date(text, code)) is not None:
        return hit
    m = _CJK.search(text)
    if m is not None:
        value = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return DateHit(value, m.start(), m.end(), code) if value else None
    m = _NUMERIC.search(text)
    if m is not None:
        return _numeric(m, code)
    return _with_month_word(text, code)


def _numeric(m: re.Match[str], code: str | None) -> DateHit | None:
    a, b, c = int(m[1]), int(m[3]), int(m[4])
    if len(m[1]) == 4:
        value = _safe_date(a, b, c)  # year first is year-month-day everywhere
    elif len(m[4]) != 4:
        return None  # two-digit years are ambiguous; YouTube prints four
    else:
        readings = set()
        for order in year_last_orders(code):
            fields = dict(zip(order, (a, b, c), strict=True))
            reading = _safe_date(fields["y"], fields["m"], fields["d"])
            if reading is not None:
                readings.add(reading)
        value = readings.pop() if len(readings) == 1 else None  # 03/04/2021: March or April?
    return DateHit(value, m.start(), m.end(), code) if value else None


def _with_month_word(text: str, code: str | None) -> DateHit | None:
    numbers = [(n.start(), n.end(), n.group()) for n in _NUM.finditer(text)]
    if len(numbers) < 2:
        return None
    for ws, we, month, language in _months_in(text, code):
        days = [(min(abs(s - we), abs(ws - e)), s, e, int(n)) for s, e, n in numbers
                if len(n) <= 2 and 1 <= int(n) <= 31 and (e <= ws or s >= we)]
        days = [d for d in days if d[0] <= MAX_DAY_GAP]
        if not days:
            continue
        _, ds, de, day = min(days)
        lo, hi = min(ds, ws), max(de, we)
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


def _around(text: str, hit: DateHit, code: str | None) -> tuple[str, str]:
    """The text before and after the date, squashed, with a year mark ("г.") dropped from the tail."""
    head, tail = squash(text[: hit.start]), squash(text[hit.end :])
    for mark in _year_marks(hit.language if code is None and hit.language else code):
        if tail == mark or tail.startswith(mark):
            tail = tail[len(mark):]
            break
    return head, tail


def _stands_alone(text: str, hit: DateHit, code: str | None) -> bool:
    """The date is the text, or the text is a wrapper around it; not a date inside prose."""
    head, tail = _around(text, hit, code)
    if head and tail:
        return head + "#" + tail in _date_wrappers(code)
    side = text[: hit.start] if head else text[hit.end :]
    return len(side.split()) <= MAX_WRAPPER_WORDS


def date_label(text: str, code: str | None) -> tuple[DateHit, str | None] | None:
    """A whole line that is one date, optionally in a status wrapper: (date, status)."""
    hit = find_date(text, code)
    if hit is None:
        return None
    head, tail = _around(text, hit, code)
    if not head and not tail:
        return hit, None
    found = _date_wrappers(code).get(head + "#" + tail)
    if found is None:
        return None
    status, language = found
    return DateHit(hit.value, hit.start, hit.end, hit.language or language), status
