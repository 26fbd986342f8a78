"""The walk over an InnerTube response: find the renderers we read wherever YouTube put them.

A response is a tree of ~10,000 nodes for a 1 MB watch page, and most of it is thumbnails,
tracking, accessibility labels and the insides of related-video cards. The walk goes through every
container whose key it does not know (so a renderer moved one level deeper next year is still
found), but it does not enter what cannot hold a renderer we read (``selectors.PRUNED_KEYS``) nor
the inside of a renderer it has already taken whole (``selectors.LEAF_RENDERERS``). On the served
watch page that is one node in eight, and the renderers found are the same as a full walk's
(``tests/test_formats_walk.py`` checks it on every fixture).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pageclean.formats import selectors as sel


def dig(node: object, *path: str | int) -> object:
    """``node[p0][p1]...`` or None when any step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                return None
            node = node[step]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(step)
    return node


def obj_at(node: object, *path: str | int) -> dict:
    """``dig`` that always gives a dict (``{}`` when the value is missing or not an object)."""
    found = dig(node, *path)
    return found if isinstance(found, dict) else {}


def list_at(node: object, *path: str | int) -> list:
    """``dig`` that always gives a list (``[]`` when the value is missing or not an array)."""
    found = dig(node, *path)
    return found if isinstance(found, list) else []


def find_first(node: object, key: str) -> object:
    """The first value stored under ``key`` anywhere below ``node`` (depth-first)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if key in current:
                return current[key]
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))
    return None


def values_under(node: object, key: str, skip: frozenset[str] = frozenset()) -> Iterator[object]:
    """Every value stored under ``key`` below ``node``, depth-first; subtrees under ``skip`` keys
    are not entered."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for k, v in current.items():
                if k == key:
                    yield v
            stack.extend(v for k, v in reversed(current.items()) if k not in skip)
        elif isinstance(current, list):
            stack.extend(reversed(current))


@dataclass(slots=True)
class Collected:
    """Renderers found in one response, by key, in document order."""

    by_key: dict[str, list[dict]] = field(default_factory=dict)
    comment_nodes: list[tuple[str, dict]] = field(default_factory=list)  # ("old"|"vm", node)

    def all(self, key: str) -> list[dict]:
        return self.by_key.get(key, [])

    def first(self, key: str) -> dict | None:
        found = self.by_key.get(key)
        return found[0] if found else None


def collect(root: object) -> Collected:
    """One depth-first pass over a response, keeping the renderers ``selectors`` names.

    A renderer is recorded when its parent is visited, in the parent's key order; children are
    then visited in order, except a comment thread's ``replies``, visited last (2024 responses
    list a thread's replies before its own comment; the comment comes first in page order).
    """
    out = Collected()
    by_key = out.by_key
    comment_nodes = out.comment_nodes
    wanted, leaves, pruned = sel.WALKED_KEYS, sel.LEAF_RENDERERS, sel.PRUNED_KEYS
    comment_old, comment_vm = sel.COMMENT_OLD, sel.COMMENT_VIEW_MODEL
    stack: list[object] = [root]
    pop, push = stack.pop, stack.append
    # Parsed JSON holds plain dicts and lists: exact type tests are the walk's hot path.
    while stack:
        node = pop()
        if type(node) is dict:
            children: list[object] = []
            replies = None
            for key, value in node.items():
                kind = type(value)
                if kind is dict:
                    if key in wanted:
                        by_key.setdefault(key, []).append(value)
                        if key in leaves:
                            continue
                    elif key == comment_old:
                        comment_nodes.append(("old", value))
                        continue
                    elif key == comment_vm and "commentKey" in value:
                        comment_nodes.append(("vm", value))
                        continue
                    elif key in pruned:
                        continue
                elif kind is not list or key in pruned:
                    continue
                if key == "replies":
                    replies = value
                else:
                    children.append(value)
            if replies is not None:
                push(replies)
            for child in reversed(children):
                push(child)
        else:  # a list: only dicts and lists were pushed
            for item in reversed(node):  # type: ignore[call-overload]
                if type(item) is dict or type(item) is list:
                    push(item)
    return out


def mutations_of(initial: dict | None) -> list[dict]:
    """The entity mutations of a 2024+ response (comment payloads live there, keyed)."""
    found = dig(initial, "frameworkUpdates", "entityBatchUpdate", "mutations")
    return [m for m in found if isinstance(m, dict)] if isinstance(found, list) else []
