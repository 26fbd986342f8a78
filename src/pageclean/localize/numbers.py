"""Numbers as YouTube prints them: digits with the language's separators and compact multiplier
words ("1,5 тыс.", "17만", "1.1K crore", "elfu 2"), read to an integer or refused with a reason."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import pairwise
from math import prod

from .catalog import HL_CODES, Catalog, load_catalog, rank

# Digits with group/decimal separators; a space only groups when exactly 3 digits follow.
NUMBER = r"(?<![\d])\d+(?:[.,'’]\d+| \d{3}(?!\d))*"
NUMBER_RE = re.compile(NUMBER)
# At most this many multiplier words in a row: en-IN "1.1K crore" and "2 lakh crore" have two.
MAX_COMPOUND = 3
# Counts land in Int64 columns; a larger "count" is a broken page, not a real number.
MAX_COUNT = 2**63 - 1


def _alternatives(items: set[str], edge: bool = True) -> str:
    parts = []
    for s in sorted(items, key=len, reverse=True):
        esc = re.escape(s).replace(r"\ ", " ?")
        # a Latin/Cyrillic suffix must end at a word edge ("2 M" but not "2 Mar");
        # CJK/Hangul/Thai ones run into the next word ("17만회").
        if edge and s[-1].isalpha() and ord(s[-1]) < 0x0E00:
            esc += r"(?!\w)"
        parts.append(esc)
    return "|".join(parts) or r"(?!x)x"


def build_affix_regex(suffixes: set[str], prefixes: set[str]) -> re.Pattern[str]:
    """[PREFIX [space]] NUMBER [[space] SUFFIX ...]: up to MAX_COMPOUND suffix words in a row,
    longest word first. Case is ignored here; affix_multiplier decides what a case difference
    may mean."""
    suf, pre = _alternatives(suffixes), _alternatives(prefixes, edge=False)
    more = MAX_COMPOUND - 1
    return re.compile(
        rf"(?:(?P<pre>{pre}) ?)?(?P<num>{NUMBER})"
        rf"(?: ?(?P<suf>(?:{suf})(?: ?(?:{suf})){{0,{more}}}))?",
        re.IGNORECASE,
    )


@cache
def affix_regex(code: str | None) -> re.Pattern[str]:
    """The number-with-affixes regex of one catalog, or of all of them (code None)."""
    cats = [load_catalog(code)] if code is not None else [load_catalog(c) for c in HL_CODES]
    return build_affix_regex({s for c in cats for s in c.suffixes},
                             {p for c in cats for p in c.prefixes})


def to_number(token: str, decimal: str, compact: bool) -> Decimal | None:
    """'10,936' -> 10936; '1,8' (compact) -> 1.8; '7 744 083' -> 7744083."""
    seps = re.findall(r"[ .,'’]", token)
    parts = re.split(r"[ .,'’]", token)
    try:
        if not seps:
            return Decimal(token)
        last_sep, last = seps[-1], parts[-1]
        if len(seps) >= 2 and last_sep != seps[0]:
            is_decimal = True  # "1,234.5" / "1.234,5"
        elif len(last) != 3:
            is_decimal = True  # "1,8", "2.75"
        else:
            # "1.234" is a group; only a lone separator that is the language's decimal symbol
            # and sits on a compact number reads as a decimal ("1,234 тыс." is 1234)
            is_decimal = compact and len(seps) == 1 and last_sep == decimal and last_sep != " "
        if is_decimal and last_sep != " ":
            return Decimal(f"{''.join(parts[:-1])}.{last}")
        return Decimal("".join(parts))
    except InvalidOperation:
        return None


# --- multiplier words ------------------------------------------------------------------------


@cache
def _atom_regex(code: str, prefix: bool) -> re.Pattern[str]:
    cat = load_catalog(code)
    items = set(cat.prefixes if prefix else cat.suffixes)
    return re.compile(rf" ?({_alternatives(items, edge=not prefix)})", re.IGNORECASE)


def _atoms(code: str, affix: str, prefix: bool) -> list[str] | None:
    """A compound affix split into the catalog's multiplier words, or None if it is not made of
    them ("K crore" -> ["K", "crore"])."""
    rx = _atom_regex(code, prefix)
    out: list[str] = []
    pos = 0
    affix = affix.strip()
    while pos < len(affix):
        m = rx.match(affix, pos)
        if m is None or m.end() == pos:
            return None
        out.append(m.group(1))
        pos = m.end()
    return out


@cache
def _folded_everywhere() -> dict[str, frozenset[int]]:
    """Every catalog's multiplier words, casefolded -> the values they have anywhere."""
    out: dict[str, set[int]] = {}
    for code in HL_CODES:
        cat = load_catalog(code)
        for word, mult in (*cat.suffixes.items(), *cat.prefixes.items()):
            out.setdefault(word.casefold(), set()).add(mult)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def _folded(code: str, prefix: bool) -> dict[str, frozenset[int]]:
    cat = load_catalog(code)
    out: dict[str, set[int]] = {}
    for word, mult in (cat.prefixes if prefix else cat.suffixes).items():
        out.setdefault(word.casefold(), set()).add(mult)
    return {k: frozenset(v) for k, v in out.items()}


def atom_value(cat: Catalog, atom: str, prefix: bool = False) -> int | None:
    """One multiplier word's value: its exact case first; ignoring case only when no catalog
    gives the folded word another value (ca "m" = 1e3 beside "M" = 1e6 must never mix)."""
    table = cat.prefixes if prefix else cat.suffixes
    if atom in table:
        return table[atom]
    folded = atom.casefold()
    values = _folded(cat.language, prefix).get(folded)
    if values is None or len(values) != 1 or _folded_everywhere().get(folded) != values:
        return None
    return next(iter(values))


def affix_multiplier(cat: Catalog, affix: str, prefix: bool = False) -> tuple[int | None, str | None]:
    """(the product of a compound affix's words, None) or (None, why it is refused)."""
    atoms = _atoms(cat.language, affix, prefix)
    if atoms is None:
        return None, f"{affix.strip()!r} is no multiplier the {cat.language} catalog knows"
    values: list[int] = []
    for atom in atoms:
        value = atom_value(cat, atom, prefix)
        if value is None:
            return None, (f"{atom!r} is no multiplier the {cat.language} catalog knows in this "
                          "letter case")
        values.append(value)
    if any(b <= a for a, b in pairwise(values)):
        return None, f"the multiplier words {affix.strip()!r} do not grow left to right"
    return prod(values), None


def read_number(cat: Catalog, m: re.Match[str]) -> tuple[int | None, str | None]:
    """(value, None) for an affix_regex match read in this catalog, or (None, why not)."""
    mult = 1
    for group, prefix in (("pre", True), ("suf", False)):
        if affix := m.group(group):
            value, why = affix_multiplier(cat, affix, prefix)
            if value is None:
                return None, why
            mult *= value
    number = to_number(m.group("num"), cat.decimal, compact=mult > 1)
    if number is None:
        return None, f"{m.group('num')!r} is no number"
    total = number * mult
    if total != total.to_integral_value():
        # "2.4 views": a fraction with no multiplier word means the word was lost or unknown
        return None, f"{m.group(0).strip()!r} is no whole number"
    if total > MAX_COUNT:
        return None, f"{m.group(0).strip()!r} is out of range for a count"
    return int(total), None


def count_in(cat: Catalog, text: str, m: re.Match[str] | None = None) -> int | None:
    """The first number in text read with the catalog's separators and multiplier words."""
    m = m or affix_regex(cat.language).search(text)
    return None if m is None else read_number(cat, m)[0]


@cache
def affix_owner(affix: str) -> str:
    """The best-ranked language whose catalog reads a (compound) affix: exact case first."""
    codes = sorted(HL_CODES, key=rank)
    for code in codes:
        cat = load_catalog(code)
        atoms = _atoms(code, affix, False) or _atoms(code, affix, True)
        if atoms and all(a in cat.suffixes or a in cat.prefixes for a in atoms):
            return code
    for code in codes:
        cat = load_catalog(code)
        if affix_multiplier(cat, affix)[0] or affix_multiplier(cat, affix, True)[0]:
            return code
    return "en"
