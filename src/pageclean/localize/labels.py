"""Whole-line UI label recognition, counts and relative ages, for one language or all of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache, lru_cache

from ._text import NON_DIGITS, clean, squash
from .catalog import COUNT_KINDS, HL_CODES, UNIT_SECONDS, Entry, all_catalogs, load_catalog, rank
from .numbers import MAX_COUNT, NUMBER_RE, affix_owner, affix_regex, count_in, to_number

# A UI label is short; longer lines are content and are rejected before any regex runs.
MAX_LABEL_CHARS = 80
# Room for the digits and compact affix a key's "#" stands for ("7744083", "1,8млн").
NUMBER_SLACK = 24

# No YouTube page is older than the site; 200 years keeps every real age and every timestamp valid.
MAX_AGE_SECONDS = 200 * 365 * 86400


@dataclass(frozen=True, slots=True)
class Hit:
    """One interpretation of a line: the catalog entry plus the parsed value."""

    entry: Entry
    value: int | timedelta
    status: str | None
    foreign_affix: bool = False  # the compact affix came from another language's catalog


def whole_number(token: str, decimal: str) -> int | None:
    """A count printed without a multiplier word: '10,936' -> 10936; '2.4' is no count."""
    number = to_number(token, decimal, compact=False)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


# ---------------------------------------------------------------------------------------------
# the global index, for language=None


@cache
def _global_keys() -> dict[str, tuple[Entry, ...]]:
    merged: dict[str, list[Entry]] = {}
    for catalog in all_catalogs().values():  # in HL_CODES order
        for key, entries in catalog.keys.items():
            merged.setdefault(key, []).extend(entries)
    return {k: tuple(sorted(v, key=lambda e: rank(e.language))) for k, v in merged.items()}


@cache
def _global_status() -> dict[str, tuple[tuple[str, str], ...]]:
    merged: dict[str, list[tuple[str, str]]] = {}
    for code in HL_CODES:
        for key, status in load_catalog(code).status.items():
            merged.setdefault(key, []).append((code, status))
    return {k: tuple(v) for k, v in merged.items()}


@cache
def _status_affixes(code: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Status wrapper prefixes and suffixes in squashed form ('streamed', '(edited)'),
    longest first, for cheap startswith/endswith checks."""
    keys = load_catalog(code).status if code else _global_status()
    pre = sorted({k.split("#")[0] for k in keys if k.split("#")[0]}, key=len, reverse=True)
    suf = sorted({k.split("#")[1] for k in keys if k.split("#")[1]}, key=len, reverse=True)
    return tuple(pre), tuple(suf)


@cache
def _max_key_len(code: str | None) -> int:
    """Longest squashed line that could still be a label (key + status wrapper + number)."""
    keys = loaded_keys(code)
    status = load_catalog(code).status if code else _global_status()
    longest_key = max(map(len, keys), default=0)
    longest_status = max(map(len, status), default=0)
    return longest_key + longest_status + NUMBER_SLACK


def affix_language(m: re.Match[str]) -> str:
    """The language whose multiplier words a number's affix is (see numbers.affix_owner)."""
    return affix_owner(clean(m.group("suf") or m.group("pre")))


def loaded_keys(code: str | None) -> dict:
    return load_catalog(code).keys if code else _global_keys()


# ---------------------------------------------------------------------------------------------
# matching


def _hits_for_key(key: str, numbers: list[str], keys: dict, kinds: frozenset[str] | None,
                  suffix_match: re.Match[str] | None, status: str | None,
                  status_langs: set[str] | None) -> list[Hit]:
    hits: list[Hit] = []
    for entry in keys.get(key, ()):
        foreign = False
        if kinds is not None and entry.kind not in kinds:
            continue
        if status_langs is not None and entry.language not in status_langs:
            continue
        if entry.kind == "age":
            if entry.fixed is not None:
                n = entry.fixed if not numbers else None
            else:
                n = int(numbers[0]) if len(numbers) == 1 and numbers[0].isdigit() else None
            if n is None or n * UNIT_SECONDS[entry.unit or "day"] > MAX_AGE_SECONDS:
                continue  # no number, or an absurd one ("99999999999 years ago") that fits no timestamp
            n = -n if entry.future else n
            hits.append(Hit(entry, timedelta(seconds=n * UNIT_SECONDS[entry.unit or "day"]),
                            status))
        elif entry.fixed is not None:
            if status is None and not numbers:  # a numberless count: "No views"
                hits.append(Hit(entry, entry.fixed, None))
        elif status is None and numbers:
            cat = load_catalog(entry.language)
            if suffix_match is not None:
                own = affix_regex(entry.language).match(suffix_match.string,
                                                        suffix_match.start())
                if own is None or own.end() != suffix_match.end():
                    # the affix is another language's: a mixed label ("22 М. views", from a
                    # dump whose label text was translated) reads the affix in its own language
                    cat = load_catalog(affix_language(suffix_match))
                    own, foreign = suffix_match, True
                value = count_in(cat, suffix_match.string, own)
            else:
                value = whole_number(numbers[0], cat.decimal) if len(numbers) == 1 else None
            if value is not None and 0 <= value <= MAX_COUNT:
                hits.append(Hit(entry, value, None, foreign))
    return hits


@lru_cache(maxsize=8192)
def prepare(text: str) -> tuple[re.Match[str] | None, tuple[str, ...], str]:
    """Language-independent work on a cleaned line, shared by detect() and match_label() on the
    same page: the first number, all numbers, and the key with every number as '#'."""
    first = NUMBER_RE.search(text)
    if first is None:
        return None, (), squash(text)
    return first, tuple(NUMBER_RE.findall(text)), squash(NUMBER_RE.sub("#", text))


def _match_clean(text: str, code: str | None, kinds: frozenset[str] | None) -> list[Hit]:
    """All interpretations of a cleaned line as one whole label."""
    keys = loaded_keys(code)
    first, number_tuple, plain_key = prepare(text)
    numbers = list(number_tuple)
    hits = _hits_for_key(plain_key, numbers, keys, kinds, None, None, None)
    if first is None:
        return hits or _match_status(plain_key, numbers, code, keys, kinds)
    if not hits and len(numbers) > 1:
        # a digit inside the unit word itself (mn "7 хоног" = week): only the first number counts
        key = squash(text[: first.start()] + "#" + text[first.end():])
        hits = _hits_for_key(key, numbers[:1], keys, kinds, None, None, None)
    head = squash(text[: first.start()])
    if (kinds is None or kinds & _COUNT_KIND_SET) and (
        head in _key_heads(code) or (_prefix_words(code) and head.endswith(_prefix_words(code)))
    ):
        m = _affix_match(text, code, first)
        if m is not None:
            key = squash(text[: m.start()] + "#" + text[m.end():])
            hits += _hits_for_key(key, [m.group("num")], keys, kinds, m, None, None)
    return hits or _match_status(plain_key, numbers, code, keys, kinds)


_COUNT_KIND_SET = frozenset(COUNT_KINDS)


def _affix_match(text: str, code: str | None, first: re.Match[str]) -> re.Match[str] | None:
    """The number with a compact affix, anchored at the first number (or a prefix before it)."""
    rx = affix_regex(code)
    if _has_prefixes(code) and first.start() > 0:
        # a prefix first: it may combine with a suffix after the number (my "ကုဋေ1.1ထ")
        m = rx.search(text, 0, first.end())
        if m is not None and m.group("pre"):
            return rx.match(text, m.start())
    m = rx.match(text, first.start())
    if m is not None and m.group("suf"):
        return m
    return None


@cache
def _key_heads(code: str | None) -> frozenset[str]:
    """What may precede the number in a count label ('ретқаралды', '조회수', ''): a line whose
    text before its first number is none of these cannot be a compact count label."""
    return frozenset(k.split("#")[0] for k, entries in loaded_keys(code).items()
                     if "#" in k and any(e.kind != "age" for e in entries))


@cache
def _has_prefixes(code: str | None) -> bool:
    return bool(_prefix_words(code))


@cache
def _prefix_words(code: str | None) -> tuple[str, ...]:
    """Compact prefixes in squashed form (sw 'elfu'), for a cheap endswith gate."""
    codes = [code] if code else HL_CODES
    return tuple({squash(p) for c in codes for p in load_catalog(c).prefixes})


def _match_status(plain_key: str, numbers: list[str], code: str | None, keys: dict,
                  kinds: frozenset[str] | None) -> list[Hit]:
    if kinds is not None and "age" not in kinds:
        return []
    prefixes, suffixes = _status_affixes(code)
    # one C-level tuple test each before looking for which wrapper it is
    pre = next((p for p in prefixes if plain_key.startswith(p)), "") if (
        prefixes and plain_key.startswith(prefixes)) else ""
    suf = next((s for s in suffixes if plain_key.endswith(s)), "") if (
        suffixes and plain_key.endswith(suffixes)) else ""
    if not pre and not suf:
        return []
    inner = plain_key[len(pre): len(plain_key) - len(suf)]
    wrapper = pre + "#" + suf
    if code:
        status = load_catalog(code).status.get(wrapper)
        pairs = [(code, status)] if status else []
    else:
        pairs = list(_global_status().get(wrapper, ()))
    hits: list[Hit] = []
    for status in {s for _, s in pairs}:
        langs = {lang for lang, s in pairs if s == status}
        hits += _hits_for_key(inner, numbers, keys, frozenset({"age"}), None, status, langs)
    return hits


@lru_cache(maxsize=65536)
def match_all(line: str, code: str | None, kinds: frozenset[str] | None) -> tuple[Hit, ...]:
    """Every (language, kind) reading of the whole line, best-ranked language first."""
    if len(line) > MAX_LABEL_CHARS * 2:
        return ()
    text = clean(line)
    if not text or len(text) > MAX_LABEL_CHARS or len(text) > _max_key_len(code) + text.count(" "):
        return ()
    if not _outer_words_fit(text, code):
        return ()  # content: most lines end here, before any regex
    hits = _match_clean(text, code, kinds)
    return tuple(sorted(hits, key=lambda h: rank(h.entry.language)))


_LETTER = re.compile(r"[^\W\d_]")


def _outer_words_fit(text: str, code: str | None) -> bool:
    """Cheap necessary test: the line has a letter, its first word (up to any digit) starts
    some label shape and its last word (after any digit) ends one. A last word glued to a
    number may carry a compact affix first ('17만회' = 17 + 만 + 회)."""
    if _LETTER.search(text) is None:
        return False  # durations, bare numbers
    words = text.split()
    firsts, lasts, affixes = _edges(code)
    head = words[0]
    lead = head[: NON_DIGITS.match(head).end()]  # type: ignore[union-attr]
    if lead and lead.casefold() not in firsts:
        return False
    tail = words[-1]
    n = NON_DIGITS.match(tail[::-1]).end()  # type: ignore[union-attr]
    trail = tail[len(tail) - n:].casefold()
    if not trail or trail in lasts:
        return True
    if n == len(tail):
        return False  # a whole word no label ends with
    return any(trail[:i] in affixes and trail[i:] in lasts for i in range(1, len(trail)))


@cache
def _edges(code: str | None) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """First words, last words and compact suffixes of labels, in one catalog or in all."""
    cats = [load_catalog(code)] if code else [load_catalog(c) for c in HL_CODES]
    return (frozenset().union(*(c.firsts for c in cats)),
            frozenset().union(*(c.lasts for c in cats)),
            frozenset(s.casefold() for c in cats for s in c.suffixes))


def clear_line_caches() -> None:
    """Forget every per-line result (the catalogs stay): for benchmarks of unseen pages."""
    import sys

    match_all.cache_clear()
    prepare.cache_clear()
    package = sys.modules.get(__name__.rpartition(".")[0])
    if package is not None and hasattr(package, "_match_label"):  # match_label's own cache
        package._match_label.cache_clear()
