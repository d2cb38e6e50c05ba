"""Opening a journal safely: a new one is created whole, a damaged or emptied one is refused."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from calfload._files import create_exclusive, fsync_dir, temp_name
from calfload.errors import CalfloadError, JournalError, StorageError
from calfload.journal._migrations import migrate


def create_journal_file(path: Path) -> None:
    """Create a new journal at ``path``, whole, private (``0600``) and never empty, unless one exists.

    The schema is written into a private temporary file that is then linked into place, so the
    journal's name never shows an empty file (an empty one means lost content: :func:`refuse_emptied`)
    and of two processes starting a journal at once, one wins and the other uses it. SQLite gives
    its ``-wal`` and ``-shm`` files the database file's permissions.
    """
    if path.exists():
        return
    tmp = temp_name(path)
    os.close(create_exclusive(tmp))
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            migrate(conn)
        finally:
            conn.close()
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def damaged_message(path: Path, problem: str) -> str:
    """The one line for a damaged journal: which file, what is wrong, what to do; nothing was written."""
    return (
        f"the journal {path} is damaged ({problem}); nothing was written to it: run `calfload check` for "
        "details, and restore it from a copy made with `calfload backup`"
    )


def refuse_damaged(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a journal whose pages fail SQLite's ``quick_check`` (before any command writes into it)."""
    problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        raise JournalError(damaged_message(path, "; ".join(problems)))


def refuse_emptied(path: Path) -> None:
    """Refuse a zero-length journal file (with no write-ahead log): a journal that lost its content."""
    wal = path.with_name(path.name + "-wal")
    try:
        emptied = path.stat().st_size == 0 and (not wal.exists() or wal.stat().st_size == 0)
    except FileNotFoundError:
        return
    if emptied:
        raise JournalError(
            f"the journal {path} is empty (0 bytes): its content was lost; restore it from a copy made with "
            "`calfload backup`, or delete the empty file to start a new journal"
        )


def storage_error(path: Path, exc: sqlite3.OperationalError) -> CalfloadError:
    """Name a failed write (disk full, read-only, locked) in one line; the journal is unchanged."""
    text = str(exc).lower()
    if "full" in text:
        return StorageError(f"cannot write the journal {path}: the disk is full; free some space and try again")
    if "readonly" in text or "read-only" in text:
        return StorageError(f"cannot write the journal {path}: no permission or a read-only disk")
    if "locked" in text or "busy" in text:
        return JournalError(f"the journal {path} is busy (another calfload command is writing); try again")
    if "disk i/o error" in text:
        return StorageError(
            f"cannot read or write the journal {path}: a disk error, or a file-size limit (see `ulimit -f`); "
            "nothing was changed: fix the disk or the limit and try again"
        )
    if "unable to open" in text:
        return StorageError(f"cannot open the journal {path}: no permission, or the folder is gone")
    return JournalError(damaged_message(path, str(exc)))
