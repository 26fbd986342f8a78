"""Where a folder lives: a plain path (os calls, as fast as before) or an fsspec URL (``s3://``, ``file://``, ...)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from pageclean.io import durable

# "s3://b/k" and "file:///tmp/x"; also the same URLs after ``Path()`` squeezed "//" to "/" ("s3:/b/k"),
# because callers that predate URLs still wrap locations in Path. Two letters at least, so "C:/" is a path.
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+):/(?P<slashes>/*)(?P<rest>.*)$", re.DOTALL)
# Schemes whose paths are absolute local paths, so "file:/tmp/x" means "file:///tmp/x", not host "tmp".
_LOCAL_SCHEMES = frozenset({"file", "local"})
# Info-dict keys that stores use for a modification time: local/sftp, s3, azure, gcs, memory (created = written).
_MTIME_KEYS = ("mtime", "LastModified", "last_modified", "updated", "created")


def as_url(location: str | os.PathLike[str]) -> str | None:
    """The fsspec URL that ``location`` names, or None for a plain path."""
    m = _URL.match(os.fspath(location))
    if not m:
        return None
    scheme, rest = m["scheme"], m["rest"]
    if scheme.lower() in _LOCAL_SCHEMES:
        return f"{scheme}:///{rest}"
    if m["slashes"]:  # already a proper URL ("s3://b/k"): keep it as written
        return os.fspath(location)
    return f"{scheme}://{rest}"


def is_url(location: str | os.PathLike[str]) -> bool:
    return as_url(location) is not None


class LocalRoot:
    """A folder on this machine, reached with os calls (flock, os.replace and symlink checks work here).

    Writes are durable (``pageclean.io.durable``): a written file is fsynced with its folder when it
    is closed, a text file is renamed into place whole, and a folder is fsynced after each rename
    into it and each removal from it.
    """

    is_url = False

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.location = str(self.path)

    def local_path(self, rel: str = "") -> Path | None:
        return self.path / rel if rel else self.path

    def exists(self, rel: str) -> bool:
        return (self.path / rel).exists()

    def open(self, rel: str, mode: str = "rb") -> IO[Any]:
        if "w" in mode:
            self.makedirs(_parent(rel))
            return durable.open_for_write(self.path / rel, text="b" not in mode)
        return open(self.path / rel, mode)

    def read_text(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def write_text(self, rel: str, text: str) -> None:
        """Whole or absent: written under a temporary name, fsynced, renamed into place."""
        self.makedirs(_parent(rel))
        durable.write_atomic(self.path / rel, text.encode("utf-8"))

    def makedirs(self, rel: str) -> None:
        durable.makedirs(self.path / rel)

    def subdirs(self, rel: str) -> list[str]:
        """Names of the folders directly under ``rel`` (none if it does not exist), sorted."""
        d = self.path / rel
        return sorted(p.name for p in d.iterdir() if p.is_dir()) if d.is_dir() else []

    def glob(self, pattern: str) -> list[str]:
        """Relative paths of the files matching ``pattern`` (``*`` stays within one folder), sorted."""
        return sorted(p.relative_to(self.path).as_posix() for p in self.path.glob(pattern) if p.is_file())

    def move(self, src: str, dst: str) -> None:
        """Rename ``src`` to ``dst``: atomic on one filesystem, so a reader sees the old or the new name;
        durable once this returns (the target folder is fsynced)."""
        self.makedirs(_parent(dst))
        durable.replace(self.path / src, self.path / dst)

    def remove(self, rel: str) -> None:
        durable.remove(self.path / rel)

    def rmtree(self, rel: str) -> None:
        shutil.rmtree(self.path / rel, ignore_errors=True)


class FsspecRoot:
    """A folder behind an fsspec URL: object stores (s3, gcs, az), memory://, or file:// for tests.

    On object stores a "folder" is a key prefix and :meth:`move` is a copy then a delete, so it is
    not atomic: a reader can briefly see the file at both names, or a crash can leave both.
    """

    is_url = True

    def __init__(self, url: str) -> None:
        from fsspec.core import url_to_fs

        self.location = url
        self.fs, root = url_to_fs(url)
        self.root = root.rstrip("/") or "/"
        self._local = type(self.fs).__name__ == "LocalFileSystem"

    def full(self, rel: str = "") -> str:
        return f"{self.root.rstrip('/')}/{rel}" if rel else self.root

    def rel_of(self, full: str) -> str:
        return full[len(self.root.rstrip("/")) + 1:]

    def local_path(self, rel: str = "") -> Path | None:
        """The OS path for ``file://`` URLs, so the symlink rules still apply there; None on real stores."""
        return Path(self.full(rel)) if self._local else None

    def exists(self, rel: str) -> bool:
        return bool(self.fs.exists(self.full(rel)))

    def open(self, rel: str, mode: str = "rb") -> IO[Any]:
        if "w" in mode:
            self.makedirs(_parent(rel))
            if self._local:  # file://: as durable as a plain path
                return durable.open_for_write(self.full(rel), text="b" not in mode)
        return self.fs.open(self.full(rel), mode)

    def read_text(self, rel: str) -> str:
        return bytes(self.fs.cat_file(self.full(rel))).decode("utf-8")

    def write_text(self, rel: str, text: str) -> None:
        self.makedirs(_parent(rel))
        if self._local:
            durable.write_atomic(self.full(rel), text.encode("utf-8"))
        else:  # one PUT: whole or absent on every object store
            self.fs.pipe_file(self.full(rel), text.encode("utf-8"))

    def makedirs(self, rel: str) -> None:
        if self._local:
            durable.makedirs(self.full(rel))
        else:
            self.fs.makedirs(self.full(rel), exist_ok=True)  # a no-op on object stores

    def subdirs(self, rel: str) -> list[str]:
        try:
            entries = self.fs.ls(self.full(rel), detail=True)
        except FileNotFoundError:
            return []
        return sorted(e["name"].rstrip("/").rsplit("/", 1)[-1] for e in entries if e["type"] == "directory")

    def glob(self, pattern: str) -> list[str]:
        found = self.fs.glob(self.full(pattern), detail=True)
        return sorted(self.rel_of(p) for p, info in found.items() if info.get("type") == "file")

    def move(self, src: str, dst: str) -> None:
        """``fs.mv``: a rename on file://, but a copy then a delete on object stores (not atomic)."""
        self.makedirs(_parent(dst))
        if self._local:
            durable.replace(self.full(src), self.full(dst))
        else:
            self.fs.mv(self.full(src), self.full(dst))

    def age_seconds(self, rel: str) -> float | None:
        """Seconds since ``rel`` was last written, when the store says; None otherwise."""
        mtime_ns = info_mtime_ns(self.fs.info(self.full(rel)))
        return time.time() - mtime_ns / 1e9 if mtime_ns else None

    def remove(self, rel: str) -> None:
        if self._local:
            durable.remove(self.full(rel))
            return
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self.full(rel))

    def rmtree(self, rel: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm(self.full(rel), recursive=True)


Root = LocalRoot | FsspecRoot


def open_root(location: str | os.PathLike[str] | Root) -> Root:
    """A :class:`LocalRoot` for a plain path, an :class:`FsspecRoot` for any URL with a scheme."""
    if isinstance(location, LocalRoot | FsspecRoot):
        return location
    url = as_url(location)
    return FsspecRoot(url) if url is not None else LocalRoot(location)


def info_mtime_ns(info: dict[str, Any]) -> int:
    """The modification time in an fsspec info dict (each store names it differently), else 0."""
    for key in _MTIME_KEYS:
        value = info.get(key)
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
        if isinstance(value, datetime):
            return int(value.timestamp() * 1e9)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value * 1e9)
    return 0


def _parent(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""
