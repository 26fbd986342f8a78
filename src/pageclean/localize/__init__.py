"""The language layer: YouTube UI labels in ~80 languages -> canonical values (CONTRACT STUB).

Public API (stable; issue 3 fills in the implementation):

- ``parse_count(text, language=None) -> int | None``
- ``parse_relative_age(text, language=None) -> timedelta | None``
- ``detect_ui_language(text) -> str | None`` and ``detect(text) -> Detection``
- ``match_label(line, language=None, kinds=None) -> Label | None``
- ``supported_languages() -> list[str]`` and ``normalize_language(code) -> str | None``
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class Label:
    """One UI label recognised on a line, with its canonical value and an English rendering."""

    kind: str  # "views" | "age" | "comments" | "likes" | "subscribers"
    value: int | timedelta
    english: str  # "10,936 views", "3 years ago", "37 Comments"
    language: str | None  # hl code of the catalog that matched
    status: str | None = None  # "premiered" | "streamed" | "edited" | "scheduled" ... for ages


@dataclass(frozen=True, slots=True)
class Detection:
    language: str | None
    evidence: tuple[str, ...] = ()  # the label lines that voted for it
    reason: str | None = None  # why language is None, when it is


def parse_count(text: str, language: str | None = None) -> int | None:
    raise NotImplementedError


def parse_relative_age(text: str, language: str | None = None) -> timedelta | None:
    raise NotImplementedError


def match_label(
    line: str, language: str | None = None, kinds: Iterable[str] | None = None
) -> Label | None:
    raise NotImplementedError


def detect(text: str | Iterable[str]) -> Detection:
    raise NotImplementedError


def detect_ui_language(text: str) -> str | None:
    return detect(text).language


def supported_languages() -> list[str]:
    raise NotImplementedError


def normalize_language(code: str | None) -> str | None:
    raise NotImplementedError
