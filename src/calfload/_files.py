"""One rule for every file calfload writes: private, durable, atomic, never over someone else's file.

A neutral low-level module (standard library only) that every package may import:

- :func:`atomic_writer` writes through a temporary file with a unique, unpredictable name created
  exclusively (``O_CREAT | O_EXCL | O_NOFOLLOW``: never an existing file, never through a
  symbolic link), ``fsync``'s it, moves it into place atomically and ``fsync``'s the folder, so a
  power cut leaves either the old file or the whole new one, and a reader never sees half a file.
- Without ``overwrite`` the move refuses an existing file (a hard link, which cannot replace
  anything, then the temporary name is removed), so a file the project did not create for this
  purpose is never replaced, even by a race.
- Files are created ``0600`` and folders ``0700`` (:func:`private_dir`): recordings, raw logs,
  journals and reports are health data.

Errors are the operating system's :class:`OSError`; :func:`os_error_text` names the usual ones
(disk full, file too large, no permission) in words a user can act on.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final

#: Mode of every file calfload creates: readable and writable by its owner only.
PRIVATE_FILE_MODE: Final = 0o600
#: Mode of every folder calfload creates.
PRIVATE_DIR_MODE: Final = 0o700
#: Suffix of temporary files; :func:`is_temporary` recognises them.
TEMP_SUFFIX: Final = ".calfload-tmp"

_EXCL_FLAGS: Final = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
) | getattr(os, "O_BINARY", 0)
#: ``link`` errors meaning "this file system has no hard links" (then a checked replace is used).
_NO_LINKS: Final = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK})


def private_dir(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` and any missing parents with mode ``0700``; an existing folder is left as it is.

    Raises
    ------
    OSError
        If a folder cannot be created, or a file is in the way.
    """
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "a file is in the way", str(folder))
    return path


def create_exclusive(path: str | os.PathLike[str]) -> int:
    """Create a new private file and return its descriptor (open for writing).

    Raises
    ------
    FileExistsError
        If anything, a symbolic link included, already has that name.
    """
    return os.open(path, _EXCL_FLAGS, PRIVATE_FILE_MODE)


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a folder's entries (a new or renamed file) durable; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # Windows: folders cannot be opened, and renames are durable once done
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF):  # file systems that cannot sync folders
            raise
    finally:
        os.close(fd)


def temp_name(path: Path) -> Path:
    """A unique, unpredictable temporary name beside ``path`` (hidden, ending in :data:`TEMP_SUFFIX`)."""
    return path.with_name(f".{path.name}.{os.urandom(8).hex()}{TEMP_SUFFIX}")


def is_temporary(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is one of :func:`atomic_writer`'s temporary files."""
    return Path(path).name.endswith(TEMP_SUFFIX)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[IO[bytes]]:
    """Write ``path`` atomically and durably through a private temporary file.

    Parameters
    ----------
    path
        The file to create. Its folder must exist.
    overwrite
        Replace an existing file of that name. Only for files the project created for exactly
        this purpose (a stored recording of the same content, a report the user asked to
        replace); otherwise an existing file is never touched.

    Yields
    ------
    IO[bytes]
        The temporary file, open for binary writing. Nothing appears under ``path`` unless the
        ``with`` block ends without an exception; the temporary file is removed in every case.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is false (the temporary file is removed).
    OSError
        Disk full (``ENOSPC``), file too large (``EFBIG``), no permission, and the like.
    """
    path = Path(path)
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "file exists", str(path))
    tmp = temp_name(path)
    fd = create_exclusive(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _move_into_place(tmp, path, overwrite=overwrite)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(path.parent)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` with :func:`atomic_writer` and return the path."""
    with atomic_writer(path, overwrite=overwrite) as fh:
        fh.write(data)
    return Path(path)


def _move_into_place(tmp: Path, path: Path, *, overwrite: bool) -> None:
    if overwrite:
        tmp.replace(path)
        return
    try:
        os.link(tmp, path, follow_symlinks=False)  # fails with EEXIST whatever is there: no race
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if os.path.lexists(path):  # pragma: no cover - file systems without hard links
            raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
        tmp.replace(path)  # pragma: no cover


def os_error_text(exc: OSError) -> str:
    """Name an operating-system error in words a user can act on (no path, no errno number)."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full (or your quota is used up): free some space and try again"
    if code == errno.EFBIG:
        return "the file would be larger than this system allows (see `ulimit -f`): raise the limit and try again"
    if code in (errno.EACCES, errno.EPERM):
        return "no permission to write there: check the folder's owner and permissions"
    if code == errno.EROFS:
        return "the disk is read-only: choose another folder"
    if code == errno.EEXIST:
        return "a file of that name already exists"
    if code in (errno.ENOTDIR, errno.EISDIR):
        return "a file or folder is in the way"
    if code == errno.ENOENT:
        return "the folder does not exist"
    return f"cannot write ({exc.strerror or type(exc).__name__})"


__all__ = [
    "PRIVATE_DIR_MODE",
    "PRIVATE_FILE_MODE",
    "TEMP_SUFFIX",
    "atomic_writer",
    "create_exclusive",
    "fsync_dir",
    "is_temporary",
    "os_error_text",
    "private_dir",
    "temp_name",
    "write_bytes_atomic",
]
