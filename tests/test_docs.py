"""The README's generated sections match the code (schema and reject reasons), so the docs stay true."""

from __future__ import annotations

from pathlib import Path

from pageclean.docs import render
from pageclean.schema import TABLES

README = Path(__file__).parent.parent / "README.md"


def test_readme_generated_sections_are_current():
    """Regenerate with `python -m pageclean.docs README.md` when this fails."""
    text = README.read_text(encoding="utf-8")
    assert render(text) == text


def test_dictionary_lists_every_column():
    """Every column of every table appears in the README."""
    text = README.read_text(encoding="utf-8")
    for name, schema in TABLES.items():
        assert f"### `{name}`" in text
        for field in schema:
            assert f"| `{field.name}` |" in text


def test_readme_shows_the_two_setup_commands():
    """The README holds the run command and the test command that .ci/run runs."""
    text = README.read_text(encoding="utf-8")
    ci = (README.parent / ".ci" / "run").read_text()
    assert "pageclean run" in text
    test_cmd = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"
    assert test_cmd in text and test_cmd in ci


def test_readme_examples_run():
    """The README's `>>>` examples give what the README says."""
    import doctest
    import re

    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(>>>.*?)```", text, re.S)
    assert blocks
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for n, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README[{n}]", "README.md", 0))
    assert runner.failures == 0


def test_every_fixture_says_whether_it_is_real():
    """Each file under tests/fixtures is listed in its README, under "Real pages" (with a public
    source) or "Hand-built files", or lies in a folder listed under "Written by pageclean" that has
    its own README saying how it was made."""
    fixtures = README.parent / "tests" / "fixtures"
    notes = (fixtures / "README.md").read_text(encoding="utf-8")
    real, _, rest = notes.partition("## Hand-built files")
    hand_built, _, rest = rest.partition("## Written by pageclean")
    written = [line.split("|")[1].strip() for line in rest.partition("## Notes")[0].splitlines()
               if line.startswith("| ") and line.split("|")[1].strip().endswith("/")]
    for folder in written:
        assert (fixtures / folder / "README.md").is_file(), folder
    for path in sorted(p for p in fixtures.rglob("*") if p.is_file() and p.name != "README.md"):
        rel = path.relative_to(fixtures).as_posix()
        if any(rel.startswith(folder) for folder in written):
            continue
        if rel.endswith(".md"):
            assert f"`{rel}`" in notes, rel
            continue
        rows = [line for line in (real + hand_built).splitlines() if line.startswith(f"| {rel} |")]
        assert len(rows) == 1, f"{rel} is not listed in tests/fixtures/README.md"
        assert rows[0] in hand_built or " @ " in rows[0] or "no public repository" in rows[0], rows[0]


def test_docs_cite_nothing_outside_the_repository():
    """The README and the fixtures' notes cite public sources or files in this repository, never the
    project's private corpus folder."""
    for doc in (README, README.parent / "tests" / "fixtures" / "README.md"):
        assert "shared/corpus" not in doc.read_text(encoding="utf-8"), doc
