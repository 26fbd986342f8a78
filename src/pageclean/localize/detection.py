"""UI-language detection from the UI labels on a page, never from its content, and the decision
between those labels and a page's ``hl`` setting.

Only lines that are one whole UI label (or a label after a handle, or a ' • '-separated part of a
short line) vote. Each such line votes once for every language whose catalog reads it; where
several do, a language whose data file spells the line in exactly its letter case takes the vote
alone (Norwegian "For 2 timer siden", Danish "for 2 timer siden"). The language with most votes
wins. Languages the labels cannot tell apart are a tie: the family's main code wins (en over
en-GB, hr over bs), the tie is the first line of the evidence and ``Detection.tied`` lists the
others, so a caller with an ``hl`` hint can let it decide. A tie between languages of different
families (ja and zh on "3年前" alone) is no language, with the tie as the reason: never a guess.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from . import Detection
from ._text import clean
from .catalog import FAMILY_MAIN, load_catalog, normalize_language, rank
from .labels import MAX_LABEL_CHARS, match_all
from .numbers import NUMBER_RE

# Evidence is for a reader, so keep it short.
MAX_EVIDENCE = 8
# Stop reading once one language leads every other (its regional variants included) by this
# many label lines: content never votes, so only labels could close the gap, and a page's labels
# share one language. Eight is past any run of labels that several languages read alike ("3 min").
DECISIVE_LEAD = 8
# How many label lines decide_language quotes in its evidence sentence.
QUOTED_LABELS = 3


def _cased_key(text: str) -> str:
    return "".join(NUMBER_RE.sub("#", clean(text)).split())


def _label_languages(line: str) -> set[str]:
    hits = match_all(line, None, None)
    texts = [line]
    if not hits and len(line) <= MAX_LABEL_CHARS:
        stripped = line.strip()
        parts: list[str] = []
        if "•" in stripped:
            parts = [p for p in stripped.split("•") if p.strip()]
        elif stripped.startswith("@") and " " in stripped:  # "@handle 3 жыл бұрын"
            parts = [stripped.split(" ", 1)[1]]
        for part in parts:
            hits += match_all(part, None, None)
        texts = parts
    langs = {h.entry.language for h in hits if not h.foreign_affix}
    if len(langs) > 1:
        # A data file records YouTube's own spelling, case included; a language that has this
        # exact spelling outvotes one that reads the line only ignoring case or through CLDR.
        keys = {_cased_key(t) for t in texts}
        exact = {lang for lang in langs if keys & load_catalog(lang).cased}
        if exact:
            return exact
    return langs


def _decided(votes: Counter[str]) -> bool:
    top = votes.most_common(2)
    return top[0][1] - (top[1][1] if len(top) > 1 else 0) >= DECISIVE_LEAD


def _winner(tied: list[str]) -> tuple[str | None, str]:
    """(the language chosen among tied ones, how): their family's main code when they are one
    family (es-419 and es-US alike: es; bs and hr: hr); None when they are languages of different
    families printing the labels alike (ja and zh "3年前", ms and id "3 tahun yang lalu"): a
    default order would be a guess, and a page's ``hl`` can still decide (decide_language)."""
    first = tied[0]
    main = FAMILY_MAIN.get(first, first)
    if len(tied) == 1:
        return first, first
    if all(FAMILY_MAIN.get(t, t) == main for t in tied):
        return main, f"{main}, the main code of its family"
    return None, "none: languages of different families print these labels alike"


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
    winner, how = _winner(tied)
    others = tuple(t for t in tied if t != winner)
    evidence = list(dict.fromkeys(voters.get(winner or "") or voters[tied[0]]))[:MAX_EVIDENCE]
    if winner is None:
        tie = f"tie between {', '.join(tied)} on {best} label(s); chose {how}"
        return Detection(None, (tie, *evidence), tie, others)
    if others:
        evidence.insert(0, f"tie with {', '.join(others)} on {best} label(s); chose {how}")
    return Detection(winner, tuple(evidence), None, others)


def decide_language(
    hl_hints: Iterable[tuple[str, str]], labels: Iterable[str | None]
) -> tuple[str | None, str | None, list[str]]:
    """See ``pageclean.localize.decide_language``."""
    hl, hl_source = None, None
    for code, source in hl_hints:
        if normalized := normalize_language(code):
            hl, hl_source = normalized, source
            break
    texts = [t for t in labels if t and t.strip()]
    detection = detect(texts) if texts else None
    by_labels = detection.language if detection else None
    language = by_labels or hl
    evidence: list[str] = []
    warnings: list[str] = []
    if detection is not None and by_labels:
        lines = detection.evidence[1:] if detection.tied else detection.evidence
        shown = ", ".join(repr(e) for e in (lines or tuple(texts))[:QUOTED_LABELS])
        evidence.append(f"labels {shown} read as {by_labels}")
        if detection.tied:
            evidence.append(f"they fit {', '.join(detection.tied)} as well")
    if hl:
        evidence.append(f"hl={hl} from {hl_source}")
    if detection is not None and by_labels and hl and by_labels != hl:
        if hl in detection.tied:
            language = hl  # en-GB, es-419, fr-CA ... print what their base prints: hl knows
            evidence.append(f"hl decided between {by_labels} and {hl}")
        else:
            warnings.append(
                f"The page's labels read as {by_labels} but its hl setting ({hl_source}) says "
                f"{hl}; the labels were used."
            )
    return language, "; ".join(evidence) or None, warnings
