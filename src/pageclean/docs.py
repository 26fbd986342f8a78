"""Generated README sections (data dictionary, reject reasons, lake views): ``python -m pageclean.docs README.md``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pageclean.errors import READ_AGAIN, REASONS
from pageclean.lake.spec import views_table
from pageclean.schema import data_dictionary


def reasons_table() -> str:
    rows = ["| reason | meaning | read again by a later run |", "|---|---|---|"]
    rows += [f"| `{code}` | {meaning} | {READ_AGAIN.get(code, 'when the file changes')} |"
             for code, meaning in REASONS.items()]
    return "\n".join(rows)


SECTIONS = {"data-dictionary": data_dictionary, "reasons": reasons_table, "views": views_table}


def render(readme: str) -> str:
    """The README with every generated section replaced by its current text."""
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        readme = pattern.sub(lambda m, make=make: m.group(1) + make().rstrip() + "\n" + m.group(2), readme)
    return readme


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
