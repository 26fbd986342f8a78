"""Writes that survive a power cut on a local disk: fsync of files and folders, durable renames, folder swaps.

A rename is atomic for readers, but on ext4 and xfs it is not durable by itself: after a power cut or
a kernel crash the new name can point at an empty or torn file unless the file's data was fsynced
before the rename, and the rename itself can be lost unless the folder that holds the new name is
fsynced after it. So every file pageclean writes locally is fsynced, with its folder, when it is
closed; a folder is fsynced after each name created, renamed into or removed from it; and a marker
file (READY, a plan) is written under a temporary name and renamed into place, so it is whole or
absent, never torn.

Object stores need none of this (a PUT is durable when it returns) and get none of it: see
``pageclean.io.fs.FsspecRoot``.
"""

from __future__ import annotations

import ctypes
import errno
import io
import os
from pathlib import Path
from typing import IO, Any

# Linux renameat2(2): swap two names in one step (since 3.15; ext4, xfs, btrfs, tmpfs support it).
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# What renameat2 answers when this kernel or filesystem cannot swap (or the two paths are on different
# filesystems): the caller falls back.
_CANNOT_EXCHANGE = frozenset({errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV})


def fsync_path(path: str | os.PathLike[str]) -> None:
    """fsync a file or a folder by name (a folder's fsync makes the names in it durable)."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if os.path.isdir(path) else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _SyncedFile(io.FileIO):
    """A file that reaches the disk, with its name, when closed: fsync of the data, then of its folder."""

    def close(self) -> None:
        if self.closed:
            return
        try:
            os.fsync(self.fileno())
        finally:
            super().close()
        fsync_path(os.path.dirname(os.path.abspath(self.name)) or ".")


def open_for_write(path: str | os.PathLike[str], text: bool = False) -> IO[Any]:
    """``open(path, "wb")`` whose ``close`` fsyncs the file and then its folder."""
    buffered = io.BufferedWriter(_SyncedFile(os.fspath(path), "w"))
    return io.TextIOWrapper(buffered, encoding="utf-8") if text else buffered


def makedirs(path: str | os.PathLike[str]) -> None:
    """``mkdir -p``, fsyncing each new folder's parent so the new folder survives a power cut."""
    path = Path(path)
    missing: list[Path] = []
    while not path.is_dir():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        fsync_path(folder.parent)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a whole file under a temporary name, fsync it and rename it into place: whole or absent."""
    tmp = f"{os.fspath(path)}.tmp-{os.getpid()}"
    with open_for_write(tmp) as fh:
        fh.write(data)
    replace(tmp, path)


def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
    """``os.replace``, then fsync of the folder that holds the new name (the rename is then on disk)."""
    os.replace(src, dst)
    fsync_path(os.path.dirname(os.path.abspath(dst)))


def remove(path: str | os.PathLike[str]) -> None:
    """Unlink (absent is fine), then fsync the folder, so a removed file cannot come back after a crash."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return
    fsync_path(os.path.dirname(os.path.abspath(path)))


def _renameat2(a: bytes, b: bytes, flags: int) -> int:
    """The C call, or -1 with errno ENOSYS where the C library has none (not Linux, old glibc)."""
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        ctypes.set_errno(errno.ENOSYS)
        return -1
    return int(fn(_AT_FDCWD, a, _AT_FDCWD, b, flags))


def exchange(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Swap two existing paths atomically (a reader sees both old or both new); fsync both folders.

    Returns False, having changed nothing, where the OS or the filesystem cannot swap (macOS, NFS,
    old kernels); the caller then falls back to two renames.
    """
    if _renameat2(os.fsencode(a), os.fsencode(b), _RENAME_EXCHANGE) != 0:
        err = ctypes.get_errno()
        if err in _CANNOT_EXCHANGE:
            return False
        raise OSError(err, os.strerror(err), os.fspath(a), None, os.fspath(b))
    for folder in {os.path.dirname(os.path.abspath(p)) for p in (a, b)}:
        fsync_path(folder)
    return True
