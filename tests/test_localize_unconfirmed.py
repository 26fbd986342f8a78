"""Strings no record of YouTube confirmed (each TOML's [unconfirmed] table) are never used to parse."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pageclean.localize import is_ui_chrome, match_label, supported_languages
from pageclean.localize._text import chrome_key, clean, squash
from pageclean.localize.catalog import _read_toml, base_of

DATA = Path(__file__).parent.parent / "src" / "pageclean" / "localize" / "data"


def _raw(code: str) -> dict:
    path = DATA / f"{code}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _chain(code: str) -> list[str]:
    return [c for c in (base_of(code), code) if c]


def _unconfirmed(code: str) -> list[tuple[str, str, str]]:
    """(section, kind, string) for every [unconfirmed] string a language inherits or holds."""
    out = []
    for layer in _chain(code):
        table = _raw(layer).get("unconfirmed", {})
        for kind, shapes in table.get("labels", {}).items():
            if kind == "numberless":
                out += [("numberless", k, phrase) for k, phrases in shapes.items() for phrase in phrases]
            else:
                out += [("labels", kind, shape) for shape in shapes]
        out += [("chrome", "strings", s) for s in table.get("chrome", {}).get("strings", [])]
    return out


def _loaded_skeletons(code: str, kind: str) -> set[str]:
    """The skeletons of the confirmed shapes a catalog loads for one kind."""
    shapes = [s for layer in _chain(code) for s in _read_toml(layer).get("labels", {}).get(kind, [])]
    return {squash(clean(s.replace("{n}", "#"))) for s in shapes}


def test_unconfirmed_tables_exist_and_no_loaded_string_is_marked_unconfirmed() -> None:
    """The moved strings are there for a verifier, and no UNCONFIRMED note sits on a loaded one."""
    assert sum(len(_unconfirmed(code)) for code in supported_languages()) > 0
    for path in DATA.glob("*.toml"):
        assert "UNCONFIRMED" not in path.read_text(encoding="utf-8"), path.name
        assert "unconfirmed" not in _read_toml(path.stem)  # the loader's view has no such table


@pytest.mark.parametrize("code", [c for c in supported_languages() if _unconfirmed(c)])
def test_no_unconfirmed_string_is_loaded(code: str) -> None:
    """An [unconfirmed] count shape (filled with 12) or phrase reads as no label of its kind in its
    language, and an [unconfirmed] button is no chrome there, unless a loaded, confirmed shape of
    the same kind reads the same words."""
    loaded_chrome = {chrome_key(s) for layer in _chain(code)
                     for s in _read_toml(layer).get("chrome", {}).get("strings", [])}
    for section, kind, text in _unconfirmed(code):
        if section == "chrome":
            assert chrome_key(text) in loaded_chrome or not is_ui_chrome(text, code), (code, text)
            continue
        line = text.replace("{n}", "12")
        if squash(clean(text.replace("{n}", "#"))) in _loaded_skeletons(code, kind):
            continue  # a confirmed shape reads the same words
        assert match_label(line, code, [kind]) is None, (code, kind, line)
