"""One writer per recording folder: ``record`` holds it from creation to the journal, ``recover`` too.

The lock is an advisory ``flock`` on the folder itself, so no lock file is left behind and a
killed recorder releases it with its process. ``recover`` of a folder that ``record`` is still
writing is refused instead of finalising half a session (and adding it to the journal twice).
Platforms without ``fcntl`` (Windows) do not lock.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType

from calfload.errors import DataError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class RecordingBusyError(DataError):
    """Another calfload process is writing this recording folder (exit code 3)."""


class FolderLock:
    """An exclusive, non-blocking lock on a recording folder.

    Parameters
    ----------
    folder
        The recording folder (must exist when :meth:`acquire` is called).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock (a no-op when already held or the platform cannot lock).

        Raises
        ------
        RecordingBusyError
            If another process holds it.
        DataError
            If the folder cannot be opened.
        """
        if self._fd is not None or fcntl is None:
            return
        try:
            fd = os.open(self.folder, os.O_RDONLY)
        except OSError as exc:
            raise DataError(f"cannot open the recording folder ({exc.strerror})", source=str(self.folder)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise RecordingBusyError(
                "a calfload process is still recording into this folder; stop it (Ctrl-C) and it finishes "
                "the recording itself, or run recover once it has ended",
                source=str(self.folder),
            ) from None
        self._fd = fd

    def release(self) -> None:
        """Let the lock go (closing the folder's descriptor releases it)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


__all__ = ["FolderLock", "RecordingBusyError"]
