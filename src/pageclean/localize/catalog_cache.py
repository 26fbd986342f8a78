"""A disk copy of the built language catalogs, so a new process loads them in ~30 ms, not ~1.3 s.

Building the 83 catalogs merges Babel's CLDR data (about half of the time: unpickling and merging
each locale with its parents) with ``data/*.toml``. Every new process paid it: each parsing
process of a run, each Dask worker before its first batch (the "first run on a fresh cluster"
of issue 11), and the ``pageclean run`` command while Prefect starts beside it on the same cores.

The copy is keyed by everything the catalogs are built from: this package's code and data files,
pageclean's, Babel's and Python's versions. A copy built from anything else is ignored (a new
one replaces it), and a copy that cannot be read or written only means the catalogs are built;
it is never an error. It lives in ``PAGECLEAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/pageclean``,
else ``~/.cache/pageclean``; ``PAGECLEAN_CACHE_DIR=off`` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

CACHE_ENV = "PAGECLEAN_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where the copy lives, or None when it is turned off."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or "~/.cache"
    return Path(base).expanduser() / "pageclean"


@cache
def fingerprint() -> str:
    """A digest of what the catalogs are built from (this package's files and the versions)."""
    import babel

    from pageclean import __version__

    digest = hashlib.sha256()
    for part in (__version__, babel.__version__, sys.version, str(pickle.HIGHEST_PROTOCOL)):
        digest.update(part.encode() + b"\0")
    for path in sorted([*_PACKAGE.glob("*.py"), *(_PACKAGE / "data").glob("*.toml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _path() -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"catalogs-{fingerprint()[:32]}.pickle"


def load() -> dict[str, Any]:
    """The catalogs of the copy that fits this code and data, or {} (none, turned off, unreadable)."""
    try:
        path = _path()
        if path is None or not path.is_file():
            return {}
        with path.open("rb") as fh:
            stored = pickle.load(fh)
    except Exception:  # a truncated, foreign or unreadable copy is only a slower start
        return {}
    if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint():
        return {}
    catalogs = stored.get("catalogs")
    return catalogs if isinstance(catalogs, dict) else {}


def save(catalogs: dict[str, Any]) -> bool:
    """Write the copy (atomically: a reader sees the old file or the whole new one); drop copies
    of other builds. False when it could not be written."""
    try:
        path = _path()
        if path is None:
            return False
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = pickle.dumps({"fingerprint": fingerprint(), "catalogs": catalogs}, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(prefix=".catalogs-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        for old in path.parent.glob("catalogs-*.pickle"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
        return True
    except Exception:  # a read-only home, a full disk: the catalogs are built next time too
        return False
