"""Per-language catalogs: YouTube's UI strings from data/<hl>.toml merged with CLDR data from Babel.

A catalog turns every label shape a language can print into a *skeleton key* (the label with its
number replaced by ``#``, casefolded, whitespace removed), so recognising a line is one regex
substitution and one dict lookup. Catalogs are built lazily, once per language, and cached.

What a ``data/<hl>.toml`` can say (a regional variant such as ``en-GB.toml`` adds to its base's):

- ``[labels]`` ``views``/``comments``/``likes``/``subscribers``/``replies``: shapes with ``{n}``
  ("{n} views", "Пікірлер: {n}"); ``[labels.numberless]`` ``<kind> = { "No views" = 0 }``.
- ``[numbers]`` ``suffixes``/``prefixes``: compact multiplier words in their exact case
  (``{ "m" = 1_000, "M" = 1_000_000 }`` for ca). They win over CLDR's, short and long forms
  alike. Several of them in a row multiply, smallest first ("1.1K crore" = 1.1 x 1e3 x 1e7,
  Thai "1.1 พันล้าน" = 1.1 x 1e3 x 1e6), so the words, not their compounds, need listing.
  A match that ignores case is used only where no language gives the folded word another value
  (a lowercase "b" is refused: tr "B" = 1e3, en "B" = 1e9).
- ``[ages]`` ``wrappers`` ("{0} ago"); ``[ages.units]``: unit words (the first of each unit also
  stands alone for one: "Жыл бұрын"); ``patterns`` (``{ "{0} (na) segundo ang nakalipas" =
  "second" }``); ``phrases`` with a fixed value (``{ "včera" = "1 day", "только что" =
  "0 seconds", "قبل ثانيتين" = "2 seconds" }``; an Arabic dual followed by its digit, "قبل ثانيتين
  (2)", is a pattern: ``{ "قبل ثانيتين ({0})" = "second" }``); ``number_words``: words standing
  where the digit goes in every age form (``{ "o" = 1 }``: ro "Acum o oră"; is "einni", gl "un").
- ``[status]`` ``streamed``/``premiered``/``edited``/...: wrappers around an age ("Streamed {age}",
  so "Streamed 2 days ago" and "Streamed yesterday" both read).
- ``[chrome]`` ``strings``/``patterns``; ``[dates]`` (read by dates.py); ``[meta]`` ``sources``.
- ``[unconfirmed]`` is never read: strings once recalled from memory that no record of YouTube's
  output confirms, kept under the name of the section they came from (``[unconfirmed.labels]
  comments = [...]``, ``[unconfirmed.chrome] strings = [...]``) only so a verifier who finds one
  in real output can promote it with one move. ``_read_toml`` drops the table, so nothing parses
  with it.

Letter case is kept for one purpose: a shape written in a TOML file records YouTube's own case, so
detection can tell Norwegian "For 2 timer siden" from Danish "for 2 timer siden"
(``Catalog.cased``). Matching itself ignores case.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from . import catalog_cache
from ._text import chrome_key, clean, edge_words, squash

# YouTube's hl codes, in the order of its own language menu.
HL_CODES: tuple[str, ...] = (
    "af", "az", "id", "ms", "bs", "ca", "cs", "da", "de", "et", "en-IN", "en-GB", "en", "es",
    "es-419", "es-US", "eu", "fil", "fr", "fr-CA", "gl", "hr", "zu", "is", "it", "sw", "lv", "lt",
    "hu", "nl", "no", "uz", "pl", "pt-PT", "pt", "ro", "sq", "sk", "sl", "sr-Latn", "fi", "sv",
    "vi", "tr", "be", "bg", "ky", "kk", "mk", "mn", "ru", "sr", "uk", "el", "hy", "iw", "ur",
    "ar", "fa", "ne", "mr", "hi", "as", "bn", "pa", "gu", "or", "ta", "te", "kn", "ml", "si",
    "th", "lo", "my", "ka", "am", "km", "zh-CN", "zh-TW", "zh-HK", "ja", "ko",
)  # fmt: skip

# Tie-break order for detection: roughly YouTube's audience by UI language, most common first,
# and a base language always before its regional variants (so "base unless region-specific").
DEFAULT_ORDER: tuple[str, ...] = (
    "en", "es", "pt", "hi", "ja", "ru", "id", "ko", "de", "fr", "tr", "vi", "ar", "it", "th",
    "pl", "uk", "nl", "fa", "zh-TW", "zh-CN", "zh-HK", "iw", "ms", "fil", "ro", "cs", "hu", "el",
    "sv", "kk", "bn", "ur", "ta", "te", "mr", "sr", "bg", "be", "uz", "az", "ky", "mn", "mk",
)  # fmt: skip
_RANK = {code: i for i, code in enumerate(DEFAULT_ORDER)}
for _code in HL_CODES:
    _base = _code.split("-")[0]
    # Regional variants rank right after everything else but keep their base's relative order;
    # variants of one base follow YouTube's menu order, so no two codes share a rank (ties sorted
    # by rank must not depend on set iteration order, which changes between processes).
    _RANK.setdefault(_code, 100_000 + 100 * _RANK.get(_base, 500) + HL_CODES.index(_code)
                     if "-" in _code else 500 + len(_RANK))


def rank(code: str) -> int:
    return _RANK.get(code, 10_000)

# Languages whose YouTube labels are (nearly) alike, main code first: when the labels fit several
# members equally, detection returns the main code and records the tie (a page's hl hint, where
# there is one, decides instead). Regional variants share their base's strings (NewPipeExtractor's
# timeago-parser/raw/times/*.json records es, es-419 and es-US, en and en-GB, zh-TW and zh-HK
# identical); hr/bs/sr-Latn share about half their age strings and no/da differ mostly in letter
# case ("For 2 timer siden" / "for 2 timer siden"). Main codes: the base of a regional family; hr
# for the Latin-script Serbo-Croatian family (the national standard with the most speakers that
# YouTube offers only in Latin script); da before no as in YouTube's own language menu.
FAMILIES: tuple[tuple[str, ...], ...] = (
    ("en", "en-GB", "en-IN"), ("es", "es-419", "es-US"), ("pt", "pt-PT"), ("fr", "fr-CA"),
    ("zh-TW", "zh-HK"), ("hr", "bs", "sr-Latn"), ("da", "no"),
)  # fmt: skip
FAMILY_MAIN = {member: family[0] for family in FAMILIES for member in family}


# hl code -> Babel locale identifier, where they differ.
_BABEL_ID = {
    "iw": "he", "no": "nb", "sr-Latn": "sr_Latn", "zh-CN": "zh_Hans_CN", "zh-TW": "zh_Hant_TW",
    "zh-HK": "zh_Hant_HK", "fil": "fil",
}  # fmt: skip
# Aliases accepted by normalize_language beyond "case and _/- insensitive, region falls back".
_ALIASES = {
    "he": "iw", "nb": "no", "nn": "no", "tl": "fil", "zh": "zh-CN", "zh-hans": "zh-CN",
    "zh-hant": "zh-TW", "zh-sg": "zh-CN", "zh-mo": "zh-HK", "sr-cyrl": "sr", "in": "id",
    "pt-br": "pt", "sr-latn-rs": "sr-Latn", "zh-hans-cn": "zh-CN", "zh-hant-tw": "zh-TW",
    "zh-hant-hk": "zh-HK",
}  # fmt: skip
_BY_LOWER = {code.lower(): code for code in HL_CODES}

UNITS = ("second", "minute", "hour", "day", "week", "month", "year")
UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400,
                "month": 30 * 86400, "year": 365 * 86400}  # fmt: skip
COUNT_KINDS = ("views", "comments", "likes", "subscribers", "replies")
# CLDR plural categories whose pattern, when it has no {0}, stands for a fixed count (ar duals).
_FIXED_CATEGORY_COUNT = {"one": 1, "two": 2}
# Punctuation stripped from a word's ends before it is compared ("Пікірлер:" is "пікірлер").
WORD_PUNCTUATION = ".,:;!?()[]{}«»\"'·•…"


@lru_cache(maxsize=1024)
def normalize_language(code: str | None) -> str | None:
    """Map any spelling of a language tag to a YouTube hl code, or None if unsupported."""
    if not code:
        return None
    key = code.strip().replace("_", "-").lower()
    while key:
        if key in _BY_LOWER:
            return _BY_LOWER[key]
        if key in _ALIASES:
            return _ALIASES[key]
        if "-" not in key:
            return None
        key = key.rsplit("-", 1)[0]
    return None


def base_of(code: str) -> str | None:
    """The hl code a regional variant inherits its YouTube strings from (en-GB -> en)."""
    base = code.split("-")[0]
    return base if base != code and base in _BY_LOWER else None


@dataclass(frozen=True, slots=True)
class Entry:
    """What a skeleton key means in one language."""

    language: str
    kind: str  # views | comments | likes | subscribers | age
    unit: str | None = None  # for ages
    fixed: int | None = None  # count implied by a numberless form ("Күн бұрын" -> 1)
    future: bool = False  # "in {0} hours" (a scheduled premiere): a negative age


@dataclass(slots=True)
class Catalog:
    language: str
    decimal: str
    group: str
    suffixes: dict[str, int] = field(default_factory=dict)  # compact suffix -> multiplier
    prefixes: dict[str, int] = field(default_factory=dict)  # sw "elfu 2", my ...
    keys: dict[str, list[Entry]] = field(default_factory=dict)
    # status wrapper key ("streamed#", "#(edited)") -> status name; '#' stands for the age
    status: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    # Casefolded first/last words of every label shape (see edge_words): a line whose outer
    # words are not among them cannot be a label, which rejects most content lines cheaply.
    firsts: set[str] = field(default_factory=set)
    lasts: set[str] = field(default_factory=set)
    # UI chrome (buttons, section headings) in chrome_key form; patterns hold '{name}'
    chrome: set[str] = field(default_factory=set)
    chrome_patterns: list[str] = field(default_factory=list)
    # Skeletons of the TOML's shapes with their letter case kept (cased_skeleton): YouTube's own
    # case, which tells near-identical languages apart (no "For 2 timer siden", da "for ...").
    cased: set[str] = field(default_factory=set)
    # Every word (casefolded, see words_of) of the count shapes and of the age/status shapes: a
    # word next to a number that is in neither is one the language does not print there.
    count_words: set[str] = field(default_factory=set)
    age_words: set[str] = field(default_factory=set)
    # Words standing where an age's digit goes: ro "o" (Acum o oră), is "einni" -> 1
    number_words: dict[str, int] = field(default_factory=dict)
    # What a count label glues right after its number (as "{n}টা ভিউ", or "{n}ଟି ଭ୍ୟୁ"): the
    # classifier that also follows a multiplier word ("1 লাখটা ভিউ"), so the word ends there.
    glues: set[str] = field(default_factory=set)
    # Age keys one language spells alike for different units (CLDR en narrow "{0}m" is a minute
    # and a month): key -> the readings. They are dropped from ``keys``: such a line is null.
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The age readings each key has in the TOML (YouTube's own strings), which settle an ambiguity.
    confirmed: dict[str, set[tuple[str | None, int | None, bool]]] = field(default_factory=dict)
    # The same for CLDR's own relative-time patterns ("{0}m ago" is a minute), which outrank
    # shapes made by wrapping CLDR's unit words ("{0}m" is also a month) in "ago".
    direct: dict[str, set[tuple[str | None, int | None, bool]]] = field(default_factory=dict)


def _strip_cldr_quotes(s: str) -> str:
    return s.replace("''", "\0").replace("'", "").replace("\0", "'")


_PLACEHOLDER = re.compile(r"\{(?:n|0|age)\}")
# Letters written right after a count's number, without a space: a classifier ("{n}টা").
_GLUED = re.compile(r"\{(?:n|0)\}([^\W\d_][^\s\d]*)")


def _skeleton(pattern: str) -> str:
    """Catalog pattern ("{n} views", "{0} жыл бұрын") -> lookup key ("#views")."""
    return squash(clean(pattern.replace("{n}", "#").replace("{0}", "#")))


def cased_skeleton(text: str) -> str:
    """The skeleton with its letter case kept: "For {0} timer siden" -> "For#timersiden". A
    line's own is its cleaned text with every number as '#' (see detection)."""
    return "".join(clean(_PLACEHOLDER.sub("#", text)).split())


def words_of(text: str) -> set[str]:
    """The casefolded words of a shape or line, without placeholders, digits or end punctuation."""
    out = set()
    for word in clean(_PLACEHOLDER.sub(" ", text)).split():
        word = word.strip(WORD_PUNCTUATION).casefold()
        if word and not word.isdigit():
            out.add(word)
    return out


@cache
def _read_toml(code: str) -> dict:
    path = resources.files("pageclean.localize") / "data" / f"{code}.toml"
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.pop("unconfirmed", None)  # never used to parse (see the module docstring)
    return data


def _babel_locale(code: str) -> Locale | None:
    try:
        return Locale.parse(_BABEL_ID.get(code, code.replace("-", "_")))
    except Exception:  # unknown to this CLDR: the TOML alone must carry the language
        return None


def _add(cat: Catalog, pattern: str, entry: Entry, cased: bool = False) -> None:
    """Record one label shape; ``cased`` when it comes from a TOML file (YouTube's own case)."""
    key = _skeleton(pattern)
    if not key or key == "#":
        return  # a bare number is never a label on its own
    bucket = cat.keys.setdefault(key, [])
    if entry not in bucket:
        bucket.append(entry)
    _add_edges(cat, pattern)  # also for a known key: its spacing may differ ("{0}天前", "{0} 天前")
    (cat.age_words if entry.kind == "age" else cat.count_words).update(words_of(pattern))
    if entry.kind != "age" and (glued := _GLUED.search(clean(pattern))):
        cat.glues.add(glued.group(1))
    if cased:
        cat.cased.add(cased_skeleton(pattern))
        if entry.kind == "age":
            cat.confirmed.setdefault(key, set()).add((entry.unit, entry.fixed, entry.future))
    if entry.kind == "age" and entry.fixed is None and key.count("#") == 1:
        for word, n in cat.number_words.items():  # "Acum {0} oră" -> "Acum o oră" = 1 hour
            spelled = pattern.replace("{0}", word).replace("{n}", word)
            _add(cat, spelled, Entry(cat.language, "age", entry.unit, n, entry.future), cased)


def _add_edges(cat: Catalog, pattern: str) -> None:
    """Record the words a line showing this pattern starts and ends with (see edge_words)."""
    first, last = edge_words(clean(_PLACEHOLDER.sub("0", pattern)))
    if first:
        cat.firsts.add(first)
    if last:
        cat.lasts.add(last)


def _cldr_compact(loc: Locale, cat: Catalog) -> None:
    """CLDR's compact multipliers, short forms ("2,4 тыс.") before long ones ("3 Tausend", ta
    "ஆயிரம்"), each magnitude's smallest reading first; a TOML suffix replaces any of them."""
    both: list[tuple[str, str, int]] = []
    for width in ("short", "long"):
        patterns = [(int(mag), p) for forms in loc.compact_decimal_formats.get(width, {}).values()
                    for mag, p in forms.items()]
        for magnitude, pattern in sorted(patterns, key=lambda mp: mp[0]):
            zeros = pattern.number_pattern.count("0")
            if zeros == 0:
                continue  # "0" patterns mean "print in full"
            mult = magnitude // 10 ** (zeros - 1)
            if mult <= 1:
                continue
            prefix = clean(_strip_cldr_quotes(pattern.prefix[0]))
            suffix = clean(_strip_cldr_quotes(pattern.suffix[0]))
            if prefix and suffix:  # my "ကုဋေ 1 သောင်း" = 1e7 x 1e4: a prefix times a suffix
                both.append((prefix, suffix, mult))
            elif suffix:
                cat.suffixes.setdefault(suffix, mult)
            elif prefix:
                cat.prefixes.setdefault(prefix, mult)
    for prefix, suffix, mult in both:
        known = cat.suffixes.get(suffix)
        if known and mult % known == 0 and mult // known > 1:
            cat.prefixes.setdefault(prefix, mult // known)


def _cldr_ages(loc: Locale, cat: Catalog) -> set[str]:
    """Past relative-time patterns for every unit, width and plural form; returns the 'ago'
    wrappers derived from them so TOML unit words can be wrapped the same way."""
    fields = loc._data["date_fields"]
    durations = loc._data["unit_patterns"]
    wrappers: set[str] = set()
    futures: list[tuple[str, str]] = []
    for unit in UNITS:
        for width in ("", "-short", "-narrow"):
            past = fields.get(unit + width, {}).get("past", {})
            for category, pattern in past.items():
                if "{0}" in pattern:
                    _add(cat, pattern, Entry(cat.language, "age", unit))
                    cat.direct.setdefault(_skeleton(pattern), set()).add((unit, None, False))
                    if category == "one":  # "{0} күн бұрын" -> "күн бұрын" means one day
                        numberless = pattern.replace("{0}", "")
                        _add(cat, numberless, Entry(cat.language, "age", unit, 1))
                elif category in _FIXED_CATEGORY_COUNT:  # ar "قبل يومين" = two days
                    fixed = _FIXED_CATEGORY_COUNT[category]
                    _add(cat, pattern, Entry(cat.language, "age", unit, fixed))
            futures += [(p, unit) for p in fields.get(unit + width, {}).get("future", {}).values()]
            long = durations.get(f"duration-{unit}", {}).get("long", {})
            for category, pattern in past.items():
                dur = long.get(category)
                if dur and "{0}" in dur and dur in pattern and "{0}" in pattern:
                    wrappers.add(pattern.replace(dur, "{0}", 1))
    for pattern, unit in futures:  # "Premieres in 2 hours" (with the [status] wrapper)
        # CLDR ar writes some short past forms like the future ("خلال {0} أشهر"): past wins
        if "{0}" in pattern and _skeleton(pattern) not in cat.keys:
            _add(cat, pattern, Entry(cat.language, "age", unit, future=True))
    return wrappers


def _wrap_units(cat: Catalog, wrappers: set[str], loc: Locale | None, words: dict,
                toml_wrappers: set[str]) -> None:
    """Every 'ago' wrapper around every duration form (CLDR unit patterns + TOML unit words)."""
    for unit in UNITS:
        forms: list[tuple[str, int | None]] = []  # (pattern with {0}, or numberless + count)
        if loc is not None:
            for width in ("long", "short", "narrow"):
                dur = loc._data["unit_patterns"].get(f"duration-{unit}", {}).get(width, {})
                for category, pattern in dur.items():
                    if category == "per":
                        continue
                    if "{0}" in pattern:
                        forms.append((pattern, None))
                        if category == "one" and width == "long":
                            forms.append((pattern.replace("{0}", ""), 1))
                    elif category in _FIXED_CATEGORY_COUNT:
                        forms.append((pattern, _FIXED_CATEGORY_COUNT[category]))
        for i, word in enumerate(words.get(unit, [])):
            forms.append(("{0} " + word, None))
            if i == 0:  # only the first (singular) word stands alone for "one": "Год назад"
                forms.append((word, 1))
        for wrapper in wrappers:
            for form, fixed in forms:
                _add(cat, wrapper.replace("{0}", form),
                     Entry(cat.language, "age", unit, fixed), wrapper in toml_wrappers)


def _phrase_value(text: str) -> tuple[str, int]:
    """TOML phrase values read like English: "1 day", "2 years", "0 seconds" (just now)."""
    n, unit = text.split()
    unit = unit.rstrip("s")
    if unit not in UNIT_SECONDS:
        raise ValueError(f"unknown unit in phrase value {text!r}")
    return unit, int(n)


def _apply_toml(cat: Catalog, data: dict, wrappers: set[str], loc: Locale | None) -> None:
    numbers = data.get("numbers", {})
    for suffix, mult in numbers.get("suffixes", {}).items():
        cat.suffixes[clean(suffix)] = int(mult)  # TOML corrections win over CLDR
    for prefix, mult in numbers.get("prefixes", {}).items():
        cat.prefixes[clean(prefix)] = int(mult)
    for kind in COUNT_KINDS:
        for pattern in data.get("labels", {}).get(kind, []):
            _add(cat, pattern, Entry(cat.language, kind), cased=True)
    for kind, phrases in data.get("labels", {}).get("numberless", {}).items():
        for phrase, count in phrases.items():  # "No views" = 0, iw "צפייה אחת" = 1
            _add(cat, phrase, Entry(cat.language, kind, None, int(count)), cased=True)
    ages = data.get("ages", {})
    toml_wrappers = set(ages.get("wrappers", []))
    wrappers |= toml_wrappers
    for pattern, unit in ages.get("patterns", {}).items():
        _add(cat, pattern, Entry(cat.language, "age", unit), cased=True)
    for phrase, value in ages.get("phrases", {}).items():
        unit, n = _phrase_value(value)
        _add(cat, phrase, Entry(cat.language, "age", unit, n), cased=True)
    _wrap_units(cat, wrappers, loc, ages.get("units", {}), toml_wrappers)
    chrome = data.get("chrome", {})
    cat.chrome.update(chrome_key(s) for s in chrome.get("strings", []))
    cat.chrome_patterns.extend(chrome.get("patterns", []))
    for status, patterns in data.get("status", {}).items():
        for pattern in patterns:
            cat.status[squash(clean(pattern.replace("{age}", "#")))] = status
            _add_edges(cat, pattern)
            cat.age_words.update(words_of(pattern))


def _drop_ambiguous_ages(cat: Catalog) -> None:
    """A key that reads as two different ages in one language is no label: the first reading would
    be a guess ("5m ago": 5 minutes or 5 months). YouTube's own spelling (a TOML shape) settles it
    when it confirms exactly one reading, else CLDR's own relative-time pattern does."""
    for key, entries in list(cat.keys.items()):
        ages = [e for e in entries if e.kind == "age"]
        readings = {(e.unit, e.fixed, e.future) for e in ages}
        if len(readings) < 2:
            continue
        confirmed = cat.confirmed.get(key) or cat.direct.get(key, set())
        if len(confirmed) == 1:
            keep = next(iter(confirmed))
            cat.keys[key] = [e for e in entries if e.kind != "age" or (e.unit, e.fixed, e.future) == keep]
            continue
        cat.ambiguous[key] = tuple(sorted({e.unit or "?" for e in ages}))
        rest = [e for e in entries if e.kind != "age"]
        if rest:
            cat.keys[key] = rest
        else:
            del cat.keys[key]


@cache
def load_catalog(code: str) -> Catalog:
    """The merged catalog for one hl code (regional variants inherit their base's strings): from
    the disk copy of the catalogs when it fits this code and data (``catalog_cache``), else built."""
    stored = _stored().get(code)
    return stored if isinstance(stored, Catalog) else _build_catalog(code)


@cache
def _stored() -> dict[str, Catalog]:
    return catalog_cache.load()


def all_catalogs() -> dict[str, Catalog]:
    """Every language's catalog. When they had to be built, they are written to the disk copy, so
    the next process (a parsing process, a Dask worker, the next run) loads them instead."""
    catalogs = {code: load_catalog(code) for code in HL_CODES}
    if set(_stored()) != set(HL_CODES):
        catalog_cache.save(catalogs)
    return catalogs


def _build_catalog(code: str) -> Catalog:
    loc = _babel_locale(code)
    if loc is not None:
        decimal, group = clean(get_decimal_symbol(loc)) or ",", get_group_symbol(loc)
    else:
        decimal, group = ".", ","
    cat = Catalog(code, decimal, clean(group) or " ")
    chain = [c for c in (base_of(code), code) if c]
    for layer in chain:  # before any age shape is added: each one is spelled with them too
        for word, n in _read_toml(layer).get("ages", {}).get("number_words", {}).items():
            cat.number_words[clean(word)] = int(n)
    wrappers: set[str] = set()
    if loc is not None:
        _cldr_compact(loc, cat)
        wrappers = _cldr_ages(loc, cat)
    sources: list[str] = []
    for layer in chain:
        data = _read_toml(layer)
        _apply_toml(cat, data, set(wrappers), loc)
        sources.extend(data.get("meta", {}).get("sources", []))
        sources.extend(data.get("ages", {}).get("sources", []))
        sources.extend(data.get("chrome", {}).get("sources", []))
    cat.sources = tuple(sources)
    _drop_ambiguous_ages(cat)
    for suffix in cat.suffixes:  # "Рет қаралды 22 М." ends with the affix
        cat.lasts.add(edge_words(suffix)[1])
    for prefix in cat.prefixes:  # sw "elfu 2" starts with it
        cat.firsts.add(edge_words(prefix)[0])
    cat.firsts.discard("")
    cat.lasts.discard("")
    return cat
