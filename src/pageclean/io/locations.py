"""Whether --raw and --curated can be used, checked before a run starts: one sentence per problem.

Each check returns None or a sentence a person can act on, so the CLI prints it and exits 1 before
Prefect starts, instead of a run failing inside the flow with a traceback. The problems found here:

- the raw folder does not exist, is a file, or cannot be listed;
- the curated folder is a file, cannot be created, or cannot be written;
- the curated folder is inside the raw folder;
- a URL whose scheme no installed fsspec driver handles, or whose raw location does not exist.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pageclean.io.fs import as_url


def check_run(raw: str, curated: str) -> str | None:
    """The first problem with ``raw`` and ``curated`` for ``pageclean run``/``serve``, or None.

    Creates the curated folder when it is missing (a run would create it anyway).
    """
    return check_raw(raw) or _nested(raw, curated) or check_curated(curated, create=True)


def check_raw(raw: str) -> str | None:
    url = as_url(raw)
    if url is not None:
        return _check_url(url, "raw", must_exist=True)
    path = Path(raw)
    if not path.exists():
        return f"the raw folder {raw!r} does not exist (pass --raw DIR)."
    if not path.is_dir():
        return f"the raw folder {raw!r} is a file, not a folder (pass --raw DIR)."
    try:
        with os.scandir(path) as entries:
            next(entries, None)
    except OSError as exc:
        return f"the raw folder {raw!r} cannot be listed: {_why(exc)}."
    return None


def check_curated(curated: str, create: bool, writable: bool = True) -> str | None:
    """A problem with the curated folder; with ``create`` a missing one is made, else it must exist;
    with ``writable`` a file must be creatable in it."""
    url = as_url(curated)
    if url is not None:
        return _check_url(url, "curated", must_exist=not create)
    path = Path(curated)
    if path.exists() and not path.is_dir():
        return f"the curated folder {curated!r} is a file, not a folder (pass --curated DIR)."
    if not path.exists():
        if not create:
            return f"the curated folder {curated!r} does not exist (pass --curated DIR)."
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"the curated folder {curated!r} cannot be created: {_why(exc)}."
    if not writable:
        return None
    try:  # os.access says yes to root on a read-only filesystem: try a real write
        with tempfile.TemporaryFile(dir=path, prefix=".pageclean-check-"):
            pass
    except OSError as exc:
        return f"the curated folder {curated!r} cannot be written: {_why(exc)}."
    return None


def _nested(raw: str, curated: str) -> str | None:
    if as_url(raw) is not None or as_url(curated) is not None:
        return None  # different stores, or the same store: prefixes are compared by the user
    if Path(curated).resolve().is_relative_to(Path(raw).resolve()):
        return "--curated must not be inside --raw (the output would be read back as input)."
    return None


def _check_url(url: str, which: str, must_exist: bool) -> str | None:
    from fsspec.core import url_to_fs

    try:
        fs, root = url_to_fs(url)
        if must_exist and not fs.exists(root):
            return f"the {which} location {url!r} does not exist."
    except ImportError as exc:  # s3:// without s3fs installed, and the like
        return f"the {which} location {url!r} needs an fsspec driver that is not installed: {exc}."
    except Exception as exc:  # an unknown scheme, missing credentials, a store that refuses
        return f"the {which} location {url!r} cannot be used: {_why(exc)}."
    return None


def _why(exc: BaseException) -> str:
    """The OS's reason without Python's decoration ("[Errno 13] Permission denied: '/x'")."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
