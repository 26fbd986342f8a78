"""Identifiers that cannot be spoofed or, on request, identify no one: handles and channel names.

Bidi controls and zero-width characters make ``@admin\u200b`` look like ``@admin`` and
``\u202eevil`` render backwards; identifiers are normalized (those removed, NFKC) so a join on
``author`` or ``channel`` means what it shows. Content fields keep the text as written, and the
original identifier stays in ``*_as_shown`` columns.

With a key (``--pseudonymize-authors``), handles become a keyed HMAC: the same person gets the same
pseudonym across pages and runs with the same key, and without the key it cannot be reversed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

# Bidi embeddings/overrides/isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM,
# soft hyphen and the invisible operators: nothing a reader sees, everything a spoofer uses.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
KEY_ENV = "PAGECLEAN_AUTHOR_KEY"
PSEUDONYM_PREFIX = "anon_"
# 24 hex digits (96 bits): collisions are negligible for billions of handles.
PSEUDONYM_HEX = 24


def normalize_identifier(text: str | None) -> str | None:
    """``"@ad\u200bmin\u202e"`` -> ``"@admin"``; NFKC folds look-alike compatibility forms.

    >>> normalize_identifier("@ad\u200bmin\u202e"), normalize_identifier("Ｍ\u00adＬＳＴ")
    ('@admin', 'MLST')
    """
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).strip()
    return cleaned or None


class Pseudonymizer:
    """Keyed pseudonyms for author handles."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError(f"{KEY_ENV} must hold at least 16 bytes of secret")
        self._key = key

    def __call__(self, handle: str) -> str:
        """``"@daveman683"`` -> ``"anon_…"``, the same for the same normalized handle."""
        norm = (normalize_identifier(handle) or "").casefold()  # YouTube handles are case-insensitive
        digest = hmac.new(self._key, norm.encode("utf-8"), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX]
