"""The language layer reads real YouTube UI strings, per language (tests/cases/ui_strings/).

Expected values come from outside pageclean: each string was seen in real YouTube output recorded
by a public project or in a real page, and its value was read off by a person (see the README in
that folder). A case the code cannot read yet is a strict xfail carrying its reason.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from pageclean.localize import detect, match_label, parse_count, parse_relative_age

CASES = Path(__file__).parent / "cases" / "ui_strings"
UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400,
                "month": 30 * 86400, "year": 365 * 86400}  # fmt: skip
COUNT_KINDS = {"views", "comments", "likes", "subscribers", "replies"}


def _files() -> list[dict]:
    out = []
    for path in sorted(CASES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return out


FILES = _files()


def _marks(case: dict) -> list:
    return [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []


def _label_params():
    for data in FILES:
        for i, case in enumerate(data["cases"]):
            yield pytest.param(data["language"], case, data["sources"], marks=_marks(case),
                               id=f"{data['_file'][:-5]}-{i}-{case['kind']}")


def _detect_params():
    for data in FILES:
        for i, case in enumerate(data.get("detect", [])):
            yield pytest.param(case, data["sources"], marks=_marks(case), id=f"{data['_file'][:-5]}-{i}")


def test_case_files_are_well_formed() -> None:
    """Every case names a known source and an expected value of its kind."""
    for data in FILES:
        # <hl>.json, or <hl>.<part>.json when several people own parts of one language's cases
        assert data["_file"].split(".")[0] == data["language"], data["_file"]
        for case in data["cases"] + data.get("detect", []):
            assert case["source"] == "invented" or case["source"] in data["sources"], (data["_file"], case)
        for case in data["cases"]:
            if case["kind"] == "age":
                assert "n" in case and (case["n"] is None or case["unit"] in UNIT_SECONDS), case
            else:
                assert case["kind"] in COUNT_KINDS and "value" in case, case


@pytest.mark.parametrize(("language", "case", "sources"), list(_label_params()))
def test_real_label(language: str, case: dict, sources: dict) -> None:
    """The string, read in its own UI language, gives the value a person reads off it (or null)."""
    kind = case["kind"]
    label = match_label(case["text"], language, [kind])
    if kind == "age":
        expected = None if case["n"] is None else timedelta(seconds=case["n"] * UNIT_SECONDS[case["unit"]])
    else:
        expected = case["value"]
    got = None if label is None else label.value
    where = f"{case['text']!r} ({sources.get(case['source'], case['source'])})"
    assert got == expected, where
    # the lenient public parsers (which also look past leading words) must agree
    lenient = parse_relative_age(case["text"], language) if kind == "age" else parse_count(case["text"], language)
    assert lenient == expected, f"lenient parser: {where}"


@pytest.mark.parametrize(("case", "sources"), list(_detect_params()))
def test_real_labels_detect_language(case: dict, sources: dict) -> None:
    """Real label lines decide the UI language they were shown in."""
    assert detect(case["lines"]).language == case["language"], case["lines"]
