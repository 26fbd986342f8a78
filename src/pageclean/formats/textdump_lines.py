"""The lines of a text dump and the label lookups the text-dump parser shares across its parts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from pageclean import localize
from pageclean.localize import Label

# Lines longer than this are content (a sentence), never a UI label; skipping them keeps the
# label matcher off the description and comment bodies.
MAX_LABEL_LINE = 80

DURATION = re.compile(r"^(?:\d{1,2}:)?\d{1,2}:\d{2}$")
HANDLE = re.compile(r"@[\w.\-]+")
# Separators YouTube puts between labels that share a line ("10,936 views  3 years ago").
LABEL_SPLIT = re.compile(r"\s{2,}|\s*[•·|]\s*")
# What every LABEL_SPLIT match holds. Most lines have none, and this search is ~2x cheaper than the
# split (its \s* makes the engine try every position), so lines without one are not split.
_SEPARATOR = re.compile(r"[•·|]|\s\s")
# A counter as a button shows it: digits with at most a short compact affix ("12", "1.2K",
# "22 М.", "1,2 тыс."). A time ("1:14:55") or a date never matches.
COUNTER = re.compile(r"\d[\d.,\s]*(?:[^\d\s:/]{1,8})?")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u202a-\u202e]")


@dataclass(slots=True)
class Line:
    index: int  # position in the dump, for page_text_en
    text: str  # cleaned: invisible characters removed, NBSP as space, stripped (for matching)
    raw: str  # as the page shows it, stripped (for identifiers kept "as shown")


def clean_line(line: str) -> str:
    if not line.isascii():  # str.translate costs ~1 ms a page; most lines need nothing
        line = _INVISIBLE.sub("", line).replace("\u00a0", " ").replace("\u202f", " ")
    return line.strip()


def label_parts(text: str) -> list[str]:
    """The parts of a line between label separators, hashtags left out ("#podcast" is a link)."""
    if not _SEPARATOR.search(text):
        return [text] if text and not text.startswith("#") else []
    return [p for p in LABEL_SPLIT.split(text) if p and not p.startswith("#")]


def quote(text: str) -> str:
    """A line for a warning, with handles masked: warnings must not carry who wrote or was named."""
    return repr(HANDLE.sub("@…", text))


def seconds(value: object) -> int | None:
    return int(value.total_seconds()) if isinstance(value, timedelta) else None


class Labels:
    """Label lookups for one page, in its UI language, cached: lines repeat (comment ages)."""

    def __init__(self, language: str | None) -> None:
        self.language = language
        self._cache: dict[tuple[str, tuple[str, ...] | None, bool], Label | None] = {}
        self._chrome: dict[str, bool] = {}

    def match(self, text: str, *kinds: str, any_language: bool = False) -> Label | None:
        """The whole line as one label of these kinds, in the page's language (or any)."""
        if not text or len(text) > MAX_LABEL_LINE:
            return None
        key = (text, kinds or None, any_language)
        if key not in self._cache:
            language = None if any_language else self.language
            self._cache[key] = localize.match_label(text, language, kinds or None)
        return self._cache[key]

    def chrome(self, text: str) -> bool:
        if text not in self._chrome:
            self._chrome[text] = len(text) <= MAX_LABEL_LINE and localize.is_ui_chrome(text, self.language)
        return self._chrome[text]

    def replies(self, text: str) -> Label | None:
        return self.match(text, "replies")

    def match_parts(self, text: str, *kinds: str) -> list[tuple[str, Label]] | None:
        """(part text, label) for each part of a line that holds several labels; None unless every
        part is one."""
        one = self.match(text, *kinds)
        if one is not None:
            return [(text, one)]
        parts = label_parts(text)
        if not parts or (len(parts) == 1 and parts[0] == text):
            return None
        # Hashtags share the views line in newer layouts ("10,936 views  3 years ago  #podcast");
        # they are links, not labels, and do not stop the rest of the line from being read.
        found = [(p, self.match(p, *kinds)) for p in parts]
        return found if all(label for _, label in found) else None  # type: ignore[return-value]
