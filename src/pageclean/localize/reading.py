"""Lenient reading of display strings that may hold more than one label ("@user 3 жыл бұрын",
"1.2M views • 3 years ago", a bare "2.7K"): a value, or None with the reason a caller can put in
a warning. A number next to a word the language does not print there is refused, never read as a
bare number ("5 zillion views", "бірнеше жыл бұрын" = "several years ago")."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cache

from ._text import clean
from .catalog import COUNT_KINDS, HL_CODES, WORD_PUNCTUATION, load_catalog
from .labels import MAX_LABEL_CHARS, Hit, affix_language, loaded_keys, match_all, prepare
from .numbers import NUMBER_RE, affix_regex, read_number

# How many leading words may precede a label on a line before it stops being "short"
# ("@handle 3 жыл бұрын" has one).
MAX_LEADING_WORDS = 3

_COUNTS = frozenset(COUNT_KINDS)
_AGES = frozenset({"age"})
_WORD = re.compile(r"\s*([^\W\d_]\S*)")
_WORD_BEFORE = re.compile(r"([^\W\d_]\S*)\s*$")

Result = tuple[Hit | None, int | timedelta | None, str | None]


def parts(text: str) -> list[tuple[str, list[str]]]:
    """(part, the words dropped before it): the text, its ' • '-separated parts, and its tails
    after up to MAX_LEADING_WORDS leading words."""
    text = text.strip()
    out: list[tuple[str, list[str]]] = [(text, [])]
    if "•" in text:
        out += [(p.strip(), []) for p in text.split("•") if p.strip()]
    words = text.split()
    for i in range(1, min(MAX_LEADING_WORDS, len(words) - 1) + 1):
        out.append((" ".join(words[i:]), words[:i]))
    return out


def _norm(word: str) -> str:
    return word.strip(WORD_PUNCTUATION).casefold()


@cache
def _multiplier_words() -> frozenset[str]:
    """Every language's multiplier words, casefolded, each word of a compound on its own."""
    return frozenset(_norm(w) for code in HL_CODES
                     for affix in (*load_catalog(code).suffixes, *load_catalog(code).prefixes)
                     for w in affix.split())


@cache
def _count_words(code: str | None) -> frozenset[str]:
    """Words that may stand next to a count's number: the language's own count words, and any
    language's count words that are no multiplier anywhere ("views" on a page read as de)."""
    every = frozenset().union(*(load_catalog(c).count_words for c in HL_CODES))
    foreign = every - _multiplier_words()
    return foreign if code is None else foreign | frozenset(load_catalog(code).count_words)


@cache
def _key_tails(code: str | None) -> tuple[str, ...]:
    """What follows the number in a count shape, squashed ('views', '회', '回視聴')."""
    return tuple({k.split("#", 1)[1] for k, entries in loaded_keys(code).items()
                  if "#" in k and k.split("#", 1)[1] and any(e.kind != "age" for e in entries)})


@cache
def _age_words(code: str | None) -> frozenset[str]:
    codes = [code] if code else HL_CODES
    out: set[str] = set()
    for c in codes:
        cat = load_catalog(c)
        out |= cat.age_words | {_norm(w) for w in cat.number_words}
    return frozenset(out)


def _dropped_refusal(part: str, dropped: list[str], text: str, code: str | None, hit: Hit) -> str | None:
    """Why a label found after leading words must not count, or None if it may.

    A handle may precede a label ("@user Жыл бұрын"). Any other word right before a form with no
    digit of its own stands where the number goes ("бірнеше жыл бұрын" is "several years ago",
    not one year), and a number there was refused by the whole line ("99999999999 жыл бұрын")."""
    if not dropped or dropped[-1].startswith("@"):
        return None
    last = dropped[-1]
    lang = hit.entry.language
    if any(ch.isdigit() for ch in last):
        return f"the number {last!r} in {text!r} is out of range or not where {lang} prints one"
    if NUMBER_RE.search(clean(part)) is None:
        return (f"{last!r} stands where {text!r} needs a number, and the {lang} catalog knows no "
                "such number word")
    if hit.entry.kind != "age" and load_catalog(lang).prefixes and _norm(last) not in _count_words(lang):
        return f"{last!r} stands where a {lang} multiplier goes in {text!r}, and is none"
    return None


def _from_parts(text: str, code: str | None, kinds: frozenset[str]) -> tuple[Hit | None, str | None]:
    refusal = None
    for part, dropped in parts(text):
        hits = match_all(part, code, kinds)
        if not hits:
            continue
        why = _dropped_refusal(part, dropped, text, code, hits[0])
        if why is None:
            return hits[0], None
        refusal = refusal or why
    return None, refusal


def read_count(text: str, code: str | None) -> Result:
    """(the label hit or None, the count or None, why None)."""
    hit, refusal = _from_parts(text, code, _COUNTS)
    if hit is not None:
        return hit, int(hit.value), None  # type: ignore[arg-type]
    if refusal is not None:
        return None, None, refusal
    cleaned = clean(text)
    if code is None:
        m = affix_regex(None).search(cleaned)
        lang = affix_language(m) if m is not None and (m.group("suf") or m.group("pre")) else "en"
    else:
        lang = code
    m = affix_regex(lang).search(cleaned)
    if m is None:
        return None, None, f"no number in {text!r}"
    where = f"the {lang} catalog" if code else "any catalog"
    after = _WORD.match(cleaned, m.end())
    if after is not None and not _count_word_fits(after.group(1), cleaned[m.end():], code):
        return None, None, (f"{after.group(1)!r} after the number in {text!r} is no multiplier or "
                            f"count word {where} knows")
    if load_catalog(lang).prefixes and not m.group("pre"):  # sw "elfu 2": a word before counts
        before = _WORD_BEFORE.search(cleaned, 0, m.start())
        if before is not None and _norm(before.group(1)) not in _count_words(code):
            return None, None, (f"{before.group(1)!r} before the number in {text!r} is no "
                                f"multiplier or count word {where} knows")
    value, why = read_number(load_catalog(lang), m)
    return None, value, None if value is not None else f"{why} (in {text!r})"


def _count_word_fits(word: str, rest: str, code: str | None) -> bool:
    if _norm(word) in _count_words(code):
        return True
    squashed = "".join(rest.split()).casefold()
    return squashed.startswith(_key_tails(code))  # glued scripts: "5万回視聴"


def read_age(text: str, code: str | None) -> Result:
    """(the label hit or None, the age or None, why None)."""
    hit, refusal = _from_parts(text, code, _AGES)
    if hit is not None:
        return hit, hit.value, None
    return None, None, _out_of_range(text, code) or refusal or _age_refusal(text, code)


def _out_of_range(text: str, code: str | None) -> str | None:
    cleaned = clean(text)
    if not cleaned or len(cleaned) > MAX_LABEL_CHARS:
        return None
    _, numbers, key = prepare(cleaned)
    if numbers and any(e.kind == "age" and e.fixed is None for e in loaded_keys(code).get(key, ())):
        return f"the number {numbers[0]} in {text!r} is out of range for a relative age"
    return None


def _age_refusal(text: str, code: str | None) -> str:
    cleaned = clean(text)
    if len(cleaned) > MAX_LABEL_CHARS:
        return f"{text[:40]!r}... is too long for a relative age"
    known = _age_words(code)
    words = [w for w in cleaned.split() if not w.startswith("@")]
    unknown = [w for w in words if _norm(w) and _norm(w) not in known
               and not any(ch.isdigit() for ch in w)]
    if unknown and any(_norm(w) in known for w in words):
        where = f"the {code} catalog" if code else "any catalog"
        return (f"{unknown[0]!r} in {text!r} is no number, unit or word of a relative age "
                f"{where} knows")
    return f"no relative age in {text!r}"
