"""Journal health: ``calfload check`` (integrity and consistency) and ``calfload backup`` (an online copy).

Both open the database without writing to it: ``check`` read-only, ``backup`` through SQLite's
online backup API, which copies a consistent snapshot while other commands keep writing.

What ``check`` verifies:

1. SQLite's ``integrity_check`` (every page, index and constraint of the file);
2. ``foreign_key_check`` (no stream or edit pointing at a missing session);
3. the schema: every table and column this calfload's migrations create is there;
4. every session's stored recordings: the file exists, is a readable calfload Parquet file, is
   named for the session's content hash, and its metadata is the metadata the journal holds for
   the session (what two imports racing each other used to break).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from calfload._files import atomic_writer, create_exclusive, fsync_dir, os_error_text, private_dir, temp_name
from calfload.errors import JournalError, StorageError
from calfload.journal._migrations import migrate
from calfload.journal._paths import DB_NAME, RECORDINGS_DIR, resolve_data_dir

#: Problems listed per check before the rest are counted only.
MAX_LISTED: Final = 20


@dataclass(frozen=True, slots=True)
class JournalHealth:
    """What :func:`check_journal` found.

    Parameters
    ----------
    path
        The database file.
    sessions, recordings
        How many sessions and stored recording files were checked.
    problems
        One line per problem (empty: healthy).
    """

    path: Path
    sessions: int
    recordings: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class BackupResult:
    """What :func:`backup_journal` wrote: the copy's database file and how many recordings beside it."""

    path: Path
    sessions: int
    recordings: int


def _connect_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise JournalError(f"no journal at {path}; check `data_dir`", file=str(path), parameter="data_dir")
    if path.stat().st_size == 0:
        raise JournalError(f"the journal {path} is empty (0 bytes): its content was lost; restore a backup")
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise JournalError(f"cannot open the journal {path} ({exc})") from None


def check_journal(data_dir: str | os.PathLike[str] | None = None) -> JournalHealth:
    """Check a journal's integrity and consistency without writing to it.

    Raises
    ------
    JournalError
        If there is no journal, or it cannot be opened at all.
    """
    folder = resolve_data_dir(data_dir)
    path = folder / DB_NAME
    conn = _connect_read_only(path)
    problems: list[str] = []
    sessions = recordings = 0
    try:
        problems += [f"integrity: {r[0]}" for r in conn.execute("PRAGMA integrity_check(20)") if r[0] != "ok"]
        problems += [
            f"foreign key: a {table} row points at a missing {parent}"
            for table, _, parent, _ in conn.execute("PRAGMA foreign_key_check")
        ]
        problems += _schema_problems(conn)
        if not problems:
            sessions, recordings, found = _recording_problems(conn, folder)
            problems += found
    except sqlite3.DatabaseError as exc:
        problems.append(f"unreadable: {exc}")
    finally:
        conn.close()
    if len(problems) > MAX_LISTED:
        problems = [*problems[:MAX_LISTED], f"... and {len(problems) - MAX_LISTED} more"]
    return JournalHealth(path, sessions, recordings, tuple(problems))


def _schema_problems(conn: sqlite3.Connection) -> list[str]:
    reference = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(reference)
        expected = _columns(reference)
    finally:
        reference.close()
    found = _columns(conn)
    problems = []
    for table, columns in expected.items():
        if table not in found:
            problems.append(f"schema: table {table} is missing")
            continue
        problems += [f"schema: column {table}.{c} is missing" for c in sorted(columns - found[table])]
    return problems


def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: {str(r[1]) for r in conn.execute(f"PRAGMA table_info({t!r})")} for t in tables}


def _recording_problems(conn: sqlite3.Connection, folder: Path) -> tuple[int, int, list[str]]:
    from calfload.errors import CalfloadError
    from calfload.recording import read_metadata
    from calfload.schema import RecordingMeta

    rows = conn.execute(
        "SELECT s.id, s.content_sha256, s.kind, s.metadata_json, st.kind, st.path "
        "FROM session s LEFT JOIN stream st ON st.session_id = s.id ORDER BY s.id"
    ).fetchall()
    problems: list[str] = []
    sessions = len({r[0] for r in rows})
    recordings = 0
    for sid, digest, main_kind, meta_json, kind, rel in rows:
        if rel is None and main_kind == "manual":
            continue  # logged by hand (`log workout`): it has no recording
        if rel is None:
            problems.append(f"session {sid}: no stored recording")
            continue
        recordings += 1
        path = folder / rel
        if not Path(rel).name.startswith(str(digest)[:20]):
            problems.append(f"session {sid}: {rel} is not named for the session's content")
        if not path.is_file():
            problems.append(f"session {sid}: the stored recording {rel} is missing")
            continue
        try:
            stored = read_metadata(path)
        except CalfloadError as exc:
            problems.append(f"session {sid}: the stored recording {rel} is unreadable ({exc})")
            continue
        if stored.kind != kind:
            problems.append(f"session {sid}: {rel} holds a {stored.kind} stream, the journal says {kind}")
        elif kind == main_kind and stored != RecordingMeta.from_json(meta_json):
            problems.append(f"session {sid}: the metadata of {rel} differs from the journal's")
    return sessions, recordings, problems


def backup_journal(dest: str | os.PathLike[str], data_dir: str | os.PathLike[str] | None = None) -> BackupResult:
    """Copy the journal and its stored recordings into the new or empty folder ``dest``.

    The database is copied with SQLite's online backup API (a consistent snapshot, while other
    commands may write), into a private temporary file linked into place; then every recording the
    copy refers to is copied beside it. Nothing is written to the journal being copied.

    Raises
    ------
    StorageError
        If ``dest`` already holds a journal, or the disk refuses the copy.
    JournalError
        If there is no journal to copy, or it is damaged.
    """
    folder = resolve_data_dir(data_dir)
    source = _connect_read_only(folder / DB_NAME)
    dest = Path(dest).expanduser()
    target = dest / DB_NAME
    try:
        if target.exists() or (dest / RECORDINGS_DIR).exists():
            raise StorageError(f"{dest} already holds a journal; give `calfload backup` a new or empty folder")
        private_dir(dest / RECORDINGS_DIR)
        copy = _backup_database(source, target)
    except OSError as exc:
        raise StorageError(f"cannot write the backup in {dest}: {os_error_text(exc)}") from None
    except sqlite3.DatabaseError as exc:
        raise JournalError(
            f"the journal {folder / DB_NAME} could not be copied ({exc}); run `calfload check`"
        ) from None
    finally:
        source.close()
    with contextlib.closing(copy):
        sessions = int(copy.execute("SELECT count(*) FROM session").fetchone()[0])
        paths = [str(r[0]) for r in copy.execute("SELECT path FROM stream ORDER BY path")]
    try:
        for rel in paths:
            with (folder / rel).open("rb") as src, atomic_writer(dest / rel) as out:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
    except FileNotFoundError as exc:
        raise JournalError(f"a stored recording is missing ({exc.filename}); run `calfload check`") from None
    except OSError as exc:
        raise StorageError(f"cannot write the backup in {dest}: {os_error_text(exc)}") from None
    return BackupResult(target, sessions, len(paths))


def _backup_database(source: sqlite3.Connection, target: Path) -> sqlite3.Connection:
    """Online-backup ``source`` into a private temporary file, sync it, link it to ``target``; return it open."""
    tmp = temp_name(target)
    os.close(create_exclusive(tmp))
    try:
        copy = sqlite3.connect(tmp, isolation_level=None)
        source.backup(copy)
        copy.close()
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.link(tmp, target)  # never over an existing file
        fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


__all__ = ["BackupResult", "JournalHealth", "backup_journal", "check_journal"]
