"""Identifiers that cannot be spoofed or, on request, identify no one: handles and channel names.

Bidi controls and zero-width characters make ``@admin\u200b`` look like ``@admin`` and
``\u202eevil`` render backwards; identifiers are normalized (those removed, NFKC) so a join on
``author`` or ``channel`` means what it shows. Content fields keep the text as written, and the
original identifier stays in ``*_as_shown`` columns.

With a key (``--pseudonymize-authors``), handles become a keyed HMAC: the same person gets the same
pseudonym across pages and runs with the same key, and without the key it cannot be reversed.
Mentions of a handle inside any text (``Agree with @alice``, ``youtube.com/@alice``) get the same
pseudonym as the author column, whatever their case, so they still join to the author; what counts
as a mention is in :func:`mentions`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

# Bidi embeddings/overrides/isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM,
# soft hyphen and the invisible operators: nothing a reader sees, everything a spoofer uses.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
KEY_ENV = "PAGECLEAN_AUTHOR_KEY"
PSEUDONYM_PREFIX = "anon_"
# 24 hex digits (96 bits): collisions are negligible for billions of handles.
PSEUDONYM_HEX = 24
_PSEUDONYM = re.compile(rf"{PSEUDONYM_PREFIX}[0-9a-f]{{{PSEUDONYM_HEX}}}")

# What a YouTube handle is, from YouTube Help, "Handles overview"
# (https://support.google.com/youtube/answer/11585688): 3 to 30 characters; letters of any script
# and digits, with underscores, hyphens, periods and (for Catalan) the Latin middle dot between
# them. Letters of Indic and other scripts carry combining marks, which count with their letter.
# Handles from before that rule start or end with a separator ("@_tnk_" in the founding example).
HANDLE_MIN_CHARS = 3
HANDLE_MAX_CHARS = 30
HANDLE_SEPARATORS = frozenset("_-.\u00b7")
# A period at the end of a mention is the sentence's ("thanks @alice."), unless the page shows a
# handle that ends with it, or the handle would be too short without it.
_SENTENCE_END = "."
# "@", the full-width and small forms that NFKC folds into "@", and "%40", which is "@" in a URL
# ("youtube.com/%40alice").
_SIGN = re.compile("[@\uff20\ufe6b]|%40")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# A URL's scheme and authority ("https://user@host:8080"): the "@" of user info is not a mention.
_URL_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^/?#\s]*")


def normalize_identifier(text: str | None) -> str | None:
    """``"@ad\u200bmin\u202e"`` -> ``"@admin"``; NFKC folds look-alike compatibility forms.

    >>> normalize_identifier("@ad\u200bmin\u202e"), normalize_identifier("Ｍ\u00adＬＳＴ")
    ('@admin', 'MLST')
    """
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).strip()
    return cleaned or None


def handle_key(handle: str) -> str:
    """What makes two handles the same account: normalized (as above) and casefolded, as YouTube
    compares them (``@Alice`` is ``@alice``)."""
    return (normalize_identifier(handle) or "").casefold()


class Pseudonymizer:
    """Keyed pseudonyms for author handles."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError(f"{KEY_ENV} must hold at least 16 bytes of secret")
        self._key = key

    def __call__(self, handle: str) -> str:
        """``"@daveman683"`` -> ``"anon_…"``, the same for the same normalized handle."""
        digest = hmac.new(self._key, handle_key(handle).encode("utf-8"), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX]


    def scrub(self, text: str, known: frozenset[str] = frozenset()) -> str:
        """``text`` with every mention (see :func:`mentions`) replaced by its handle's pseudonym.

        ``known`` holds the page's own author handles (as :func:`handle_key` gives them): a mention
        that spells one of them is taken whole, even where the general rule would not.
        """
        if not _may_mention(text):
            return text
        out: list[str] = []
        last = 0
        url = _URL_AUTHORITY.match(text)
        for m in mentions(text, known, url.end() if url else None):
            out += [text[last:m.start], self(m.handle)]
            last = m.end
        return "".join(out) + text[last:] if out else text


@dataclass(slots=True, frozen=True)
class Mention:
    start: int  # where the sign ("@", "%40") starts in the text
    end: int
    handle: str  # "@" + the handle as written, percent-decoded


def _may_mention(text: str) -> bool:
    return "@" in text or "%40" in text or "\uff20" in text or "\ufe6b" in text


def _handle_char(c: str) -> bool:
    if c in HANDLE_SEPARATORS or _INVISIBLE.match(c):
        return True
    category = unicodedata.category(c)
    return category[0] in "LM" or category == "Nd"


def _word_char(c: str) -> bool:
    """A character that makes an "@" after it part of a word, as in an e-mail address."""
    return c == "_" or (_handle_char(c) and c not in HANDLE_SEPARATORS and not _INVISIBLE.match(c))


def _run(text: str, at: int) -> list[tuple[str, int]]:
    """The handle characters from ``at`` on, percent-decoded, each with where it ends in ``text``."""
    i, chars = at, []
    while i < len(text):
        if text[i] == "%":
            pct = _PERCENT.match(text, i)
            try:
                decoded = unquote_to_bytes(pct.group()).decode("utf-8") if pct else ""
            except UnicodeDecodeError:
                decoded = ""
            if not decoded or not all(_handle_char(c) for c in decoded):
                break
            for c in decoded:  # each byte is three characters ("%D0")
                i += 3 * len(c.encode("utf-8"))
                chars.append((c, i))
        elif _handle_char(text[i]):
            i += 1
            chars.append((text[i - 1], i))
        else:
            break
    return chars


def _length(handle: str) -> int:
    """Characters as a person counts them: combining marks and invisible characters do not count."""
    return sum(1 for c in handle if not unicodedata.category(c).startswith("M") and not _INVISIBLE.match(c))


def _glued_handle(run: str, known: frozenset[str]) -> str:
    """The handle at the start of an over-long run of handle characters: the longest known one,
    else the first HANDLE_MAX_CHARS characters."""
    for n in range(len(run) - 1, HANDLE_MIN_CHARS - 1, -1):
        if handle_key("@" + run[:n]) in known:
            return run[:n]
    counted = 0
    for i, c in enumerate(run):
        if not unicodedata.category(c).startswith("M") and not _INVISIBLE.match(c):
            counted += 1
            if counted > HANDLE_MAX_CHARS:
                return run[:i]
    return run


def mentions(text: str, known: frozenset[str] = frozenset(), path_from: int | None = None) -> Iterator[Mention]:
    """Every ``@handle`` in ``text``, by the facts on YouTube handles above.

    A mention is "@" (or "%40" in a URL) not preceded by a letter, digit or underscore (so an
    e-mail address is not one), followed by 3 to 30 handle characters (a longer run is a handle
    glued to the next text: see _glued_handle); a trailing period is the
    sentence's when 3 characters are left without it. ``known`` (:func:`handle_key` of the handles
    the page shows as authors) are mentions at any length, trailing period included. Pseudonyms
    are never mentions, so scrubbing twice is a no-op.
    In a URL, from ``path_from`` (where its path starts) on, an "@" is a mention after any
    character: "x@alice" there is no e-mail address, and pages glue handles to paths and queries.

    >>> [m.handle for m in mentions("Agree with @alice and @Alice. Mail bob@example.com, @@bob_1")]
    ['@alice', '@Alice', '@bob_1']
    >>> [m.handle for m in mentions("youtube.com/@%D0%B0%D0%BB%D1%96 and @ab")]
    ['@алі']
    """
    for sign in _SIGN.finditer(text):
        start = sign.start()
        in_path = path_from is not None and start >= path_from
        if start and not in_path and _word_char(text[start - 1]):
            continue
        chars = _run(text, sign.end())
        if not chars:
            continue
        handle = "".join(c for c, _ in chars)
        if _length(handle) > HANDLE_MAX_CHARS and handle_key("@" + handle) not in known:
            # Too long for one handle: pages glue runs ("@alice" then a "0:39" link reads
            # "@alice0:39"). A known handle it starts with is the mention; else, privacy first,
            # the first HANDLE_MAX_CHARS characters are (a stranger's handle is never kept).
            handle = _glued_handle(handle, known)
        while (handle[-1:] in _SENTENCE_END and handle_key("@" + handle) not in known
               and _length(handle) > HANDLE_MIN_CHARS):
            handle = handle[:-1]
        if not handle:
            continue
        end = chars[len(handle) - 1][1]
        whole = "@" + handle
        if _PSEUDONYM.fullmatch(handle):
            continue
        if handle_key(whole) in known or HANDLE_MIN_CHARS <= _length(handle) <= HANDLE_MAX_CHARS:
            yield Mention(start, end, whole)
