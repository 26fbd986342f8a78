"""Imports point down (commands -> flows -> library -> core): no module of the library imports the
flows; only the commands that start a flow do (``pageclean run`` and ``serve``)."""

from __future__ import annotations

import ast
from pathlib import Path

LIBRARY = Path(__file__).resolve().parent.parent / "src" / "pageclean"
COMMANDS = {"cli.py", "service.py"}  # above the flows: they run them


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_library_does_not_import_the_flows():
    """Types the flow and the library share (RunSummary) live in the library; even a type-checking
    import of ``flows`` from the library would make a circle."""
    offenders = {str(p.relative_to(LIBRARY)): sorted(n for n in _imported(p) if n.split(".")[0] == "flows")
                 for p in LIBRARY.rglob("*.py") if p.name not in COMMANDS}
    assert {k: v for k, v in offenders.items() if v} == {}
