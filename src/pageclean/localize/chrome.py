"""UI chrome: the buttons and section headings an innerText dump of a watch page contains
("Show less", "Reply", "12 replies", "Pinned by @x"), which are page furniture, not content."""

from __future__ import annotations

import re
from functools import cache

from ._text import chrome_key
from .catalog import HL_CODES, load_catalog
from .labels import MAX_LABEL_CHARS, match_all

_REPLIES = frozenset({"replies"})


@cache
def _chrome(code: str | None) -> tuple[frozenset[str], re.Pattern[str] | None]:
    """Every chrome string of one catalog (or all), and one regex for the '{name}' patterns."""
    cats = [load_catalog(code)] if code else [load_catalog(c) for c in HL_CODES]
    strings = frozenset().union(*(c.chrome for c in cats))
    alternatives = sorted({
        ".+".join(re.escape(chrome_key(part)) for part in pattern.split("{name}"))
        for c in cats
        for pattern in c.chrome_patterns
    })
    return strings, re.compile("|".join(alternatives)) if alternatives else None


def is_chrome(line: str, code: str | None) -> bool:
    if len(line) > MAX_LABEL_CHARS:
        return False
    key = chrome_key(line)
    if not key:
        return False
    strings, patterns = _chrome(code)
    if key in strings or (patterns is not None and patterns.fullmatch(key)):
        return True
    return bool(match_all(line, code, _REPLIES))
