"""UI-language detection from the UI labels on a page, never from its content.

Only lines that are one whole UI label (or a label after a handle, or a ' • '-separated part of a
short line) vote. Each such line votes once for every language whose catalog reads it; the
language with most votes wins, ties going to the more common YouTube language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from . import Detection
from .catalog import base_of, rank
from .labels import MAX_LABEL_CHARS, match_all

# Evidence is for a reader, so keep it short.
MAX_EVIDENCE = 8
# Stop reading once one language leads every other (its regional variants included) by this
# many label lines: content never votes, so only labels could close the gap, and a page's labels
# share one language. Eight is past any run of labels that several languages read alike ("3 min").
DECISIVE_LEAD = 8


def _label_languages(line: str) -> set[str]:
    hits = match_all(line, None, None)
    if not hits and len(line) <= MAX_LABEL_CHARS:
        stripped = line.strip()
        parts: list[str] = []
        if "•" in stripped:
            parts = [p for p in stripped.split("•") if p.strip()]
        elif stripped.startswith("@") and " " in stripped:  # "@handle 3 жыл бұрын"
            parts = [stripped.split(" ", 1)[1]]
        for part in parts:
            hits += match_all(part, None, None)
    return {h.entry.language for h in hits if not h.foreign_affix}


def _decided(votes: Counter[str]) -> bool:
    top = votes.most_common(2)
    return top[0][1] - (top[1][1] if len(top) > 1 else 0) >= DECISIVE_LEAD


def detect(text: str | Iterable[str]) -> Detection:
    lines = text.splitlines() if isinstance(text, str) else text
    votes: Counter[str] = Counter()
    voters: dict[str, list[str]] = {}
    for line in lines:
        if len(line) > MAX_LABEL_CHARS * 2:
            continue
        langs = _label_languages(line)
        for lang in langs:
            votes[lang] += 1
            voters.setdefault(lang, []).append(line.strip())
        if langs and _decided(votes):
            break
    if not votes:
        return Detection(None, (), "no YouTube UI label recognised")
    best = max(votes.values())
    tied = sorted((lang for lang, v in votes.items() if v == best), key=rank)
    winner = tied[0]
    evidence = list(dict.fromkeys(voters[winner]))[:MAX_EVIDENCE]
    # a regional variant that only ties with its base is not region-specific
    rivals = [t for t in tied[1:] if base_of(t) != winner]
    if rivals:
        evidence.append(
            f"tie with {', '.join(rivals)} on {best} label(s); chose {winner} by the default "
            "order (more common YouTube UI language first)"
        )
    return Detection(winner, tuple(evidence), None)
