"""Synthetic corpora for the benchmarks: N distinct pages shaped like the real fixtures."""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "tests" / "fixtures" / "text" / "000_bc69be185f79b3dd.txt"
WATCH_HTML = ROOT / "tests" / "fixtures" / "html" / "en-watch-full.html"


def text_corpus(folder: Path, n: int, seed: int = 1) -> int:
    """n distinct text dumps of the founding example's size (~18 KB): counts, ages and comment
    order vary, so no two pages share bytes and per-line caches cannot hit everything."""
    rng = random.Random(seed)
    base = FOUNDING.read_text(encoding="utf-8")
    head, sep, rest = base.partition("Пікірлер: 37\n")
    blocks = rest.split("\n@")
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        page = head.replace("10,936", f"{rng.randint(1000, 999999):,}")
        page = page.replace("#50 Dr.", f"#{i} Dr.", 1)
        body = blocks[:]
        rng.shuffle(body[1:-1])
        text = page + sep + "\n@".join(body).replace("3 жыл", f"{rng.randint(1, 11)} жыл")
        sub = folder / f"{i % 100:02d}"
        sub.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        (sub / f"page_{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def html_corpus(folder: Path, n: int) -> int:
    """n distinct copies of the 1 MB served watch page (the view count differs per copy)."""
    base = WATCH_HTML.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        data = base.replace('"viewCount":"', f'"viewCount":"{i}', 1).encode("utf-8")
        (folder / f"watch_{i:05d}.html").write_bytes(data)
        total += len(data)
    return total
