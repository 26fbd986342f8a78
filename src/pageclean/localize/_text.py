"""Text normalisation shared by the catalogs and the parsers, so data and input meet in one form."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi marks YouTube sprinkles around numbers (he/ar/fa compact patterns carry
# U+200F) and that copy-paste leaves at line starts (U+FEFF).
_INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2066\u2067\u2068\u2069"
    "\u202a\u202b\u202c\u202d\u202e\ufeff\u061c"
)
# Every space-like separator (NBSP, narrow NBSP, thin space, figure space ...) becomes " ".
_SPACES = "\u00a0\u202f\u2009\u2007\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u3000\t"

# Decimal digits of the scripts YouTube may print (fa, ar, hi/mr/ne, bn/as, ...): map to ASCII.
_DIGIT_BLOCKS = (0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
                 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x17E0, 0x1810, 0xFF10)

_TABLE: dict[int, str | None] = {ord(c): None for c in _INVISIBLE}
_TABLE.update({ord(c): " " for c in _SPACES})
for _base in _DIGIT_BLOCKS:
    for _i in range(10):
        if unicodedata.decimal(chr(_base + _i), None) == _i:
            _TABLE[_base + _i] = str(_i)
# Arabic decimal/thousands separators (fa, ur) and the fullwidth comma behave like , and .
_TABLE.update({0x066B: ",", 0x066C: ".", 0xFF0C: ",", 0xFF0E: "."})



def clean(text: str) -> str:
    """ASCII digits, one kind of space, no invisible marks, collapsed and stripped."""
    if text.isascii():  # nothing to translate: most content lines
        return " ".join(text.split())
    return " ".join(text.translate(_TABLE).split())


def squash(text: str) -> str:
    """The lookup key form: casefolded with all whitespace removed (CJK spacing varies)."""
    return "".join(text.split()).casefold()


NON_DIGITS = re.compile(r"\D*")


def edge_words(text: str) -> tuple[str, str]:
    """The casefolded text before the first digit of the first word and after the last digit of
    the last word: ('рет', '') for 'Рет қаралды 10,936', ('', 'жыл') for '3 жыл'."""
    words = text.split()
    if not words:
        return "", ""
    head, tail = words[0], words[-1][::-1]
    first = head[: NON_DIGITS.match(head).end()]  # type: ignore[union-attr]
    last = tail[: NON_DIGITS.match(tail).end()][::-1]  # type: ignore[union-attr]
    return first.casefold(), last.casefold()



def chrome_key(text: str) -> str:
    """The lookup form of a button or heading: squashed, with '…' spelled '...'."""
    return squash(clean(text).replace("\u2026", "..."))
