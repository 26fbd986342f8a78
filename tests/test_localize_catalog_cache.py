"""The disk copy of the language catalogs: a new process loads what an earlier one built, equal to
a fresh build, and a missing, foreign, damaged or turned-off copy only means building them."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from pageclean.localize import catalog, catalog_cache

# A fresh process: which catalogs came from the disk copy, and whether each catalog it has equals
# one built from the data files here (Catalog and Entry compare by value, sets included).
PROBE = """
import json
from pageclean.localize import catalog
stored = sorted(catalog._stored())
cats = catalog.all_catalogs()
equal = all(catalog._build_catalog(code) == cat for code, cat in cats.items()) if stored else None
print(json.dumps({"stored": stored, "equal": equal}))
"""


def _probe(folder: Path | str) -> dict:
    env = {**os.environ, catalog_cache.CACHE_ENV: str(folder)}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_a_second_process_loads_what_the_first_built(tmp_path):
    """The first process builds and writes the copy; the next loads every catalog from it, equal."""
    first = _probe(tmp_path)
    assert first["stored"] == []
    assert len(list(tmp_path.glob("catalogs-*.pickle"))) == 1
    second = _probe(tmp_path)
    assert second["stored"] == sorted(catalog.HL_CODES)
    assert second["equal"] is True


def test_a_damaged_or_foreign_copy_is_rebuilt(tmp_path):
    """Garbage under the copy's name, or a copy of another build, is ignored and replaced."""
    _probe(tmp_path)
    [copy] = tmp_path.glob("catalogs-*.pickle")
    good = copy.read_bytes()
    copy.write_bytes(good[: len(good) // 2])  # cut short
    assert _probe(tmp_path)["stored"] == []
    assert _probe(tmp_path)["stored"] == sorted(catalog.HL_CODES)  # rewritten whole
    foreign = pickle.loads(copy.read_bytes())
    foreign["fingerprint"] = "another build"
    copy.write_bytes(pickle.dumps(foreign))
    assert _probe(tmp_path)["stored"] == []


def test_the_key_changes_with_the_data_files(tmp_path, monkeypatch):
    """The copy's key covers every data file: an edited TOML gives another key."""
    before = catalog_cache.fingerprint()
    package = tmp_path / "localize"
    (package / "data").mkdir(parents=True)
    real = Path(catalog_cache.__file__).parent
    for path in [*real.glob("*.py"), *(real / "data").glob("*.toml")]:
        (package / path.relative_to(real)).write_bytes(path.read_bytes())
    monkeypatch.setattr(catalog_cache, "_PACKAGE", package)
    catalog_cache.fingerprint.cache_clear()
    try:
        assert catalog_cache.fingerprint() == before
        kk = package / "data" / "kk.toml"
        kk.write_text(kk.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
        catalog_cache.fingerprint.cache_clear()
        assert catalog_cache.fingerprint() != before
    finally:
        catalog_cache.fingerprint.cache_clear()


def test_off_and_unwritable_mean_building(tmp_path):
    """PAGECLEAN_CACHE_DIR=off writes nothing; a folder that cannot be made is no error."""
    assert _probe("off")["stored"] == []
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert _probe(blocker / "cache")["stored"] == []
