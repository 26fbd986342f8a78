"""The targeted walk finds exactly the renderers a walk over every node finds, on every fixture.

The reference here is the naive walk (every dict, every list, no pruning), written independently
of ``walk.collect``; the fixtures are every real and hand-built response in ``tests/fixtures``
(desktop and mobile, 2017 to 2025 layouts, both comment generations).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pageclean.formats import jsonscript, walk
from pageclean.formats import selectors as sel

FIXTURES = Path(__file__).parent / "fixtures"


def _responses() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for path in sorted((FIXTURES / "json").glob("*.json")):
        try:
            out.append((path.name, json.loads(path.read_text(encoding="utf-8"))))
        except ValueError:
            continue
    for path in sorted((FIXTURES / "html").glob("*.htm*")):
        text = path.read_text(encoding="utf-8")
        for name in (sel.INITIAL_DATA_VAR, sel.PLAYER_RESPONSE_VAR):
            if (found := jsonscript.find_assigned(text, name)) is not None:
                out.append((f"{path.name}:{name}", found.value))
    return out


def _full_walk(root: object) -> tuple[dict[str, set[int]], set[int]]:
    """Every wanted renderer (by identity) and every comment node anywhere in the tree."""
    by_key: dict[str, set[int]] = {}
    comments: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict):
                    if key in sel.WALKED_KEYS:
                        by_key.setdefault(key, set()).add(id(value))
                    elif key == sel.COMMENT_OLD or (key == sel.COMMENT_VIEW_MODEL and "commentKey" in value):
                        comments.add(id(value))
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return by_key, comments


RESPONSES = _responses()


def test_every_layout_is_covered():
    """The fixtures hold desktop, mobile and comment responses (the proof below is not vacuous)."""
    names = " ".join(name for name, _ in RESPONSES)
    assert "en-watch-full.html" in names and "comments-2024" in names and len(RESPONSES) >= 12


@pytest.mark.parametrize(("name", "response"), RESPONSES, ids=[n for n, _ in RESPONSES])
def test_targeted_walk_finds_what_a_full_walk_finds(name, response):
    """Pruned subtrees and leaf renderers hide no renderer the parser reads."""
    found = walk.collect(response)
    expected, comments = _full_walk(response)
    got = {key: {id(v) for v in values} for key, values in found.by_key.items()}
    assert got == expected
    assert {id(node) for _, node in found.comment_nodes} == comments
