"""The athlete's journal: one SQLite database in the data folder, recordings' Parquet beside it.

- Location: ``--data-dir``, else ``$CALFLOAD_HOME``, else the platform's user data folder.
- SQLite in WAL mode with ``synchronous=FULL`` and foreign keys on; the schema is migrated on open
  (:mod:`calfload.journal._migrations`).
- Every command is one transaction (:meth:`Journal.transaction`): an interrupted command leaves the
  journal as it was. Each session's computed load is stored in the transaction that changed what it
  depends on (:mod:`calfload.journal._loads`). A session's recording files are written and synced inside the transaction
  that references them, after it has checked that no session holds the same content: two imports
  of one file at once give one session and one stored file that agree. A file left behind by an
  interrupted import is replaced by the next import of the same content and never referenced
  otherwise.
- The folders are created ``0700`` and the files ``0600`` (:mod:`calfload._files`): health data.
- Entries are validated before anything is written: out-of-range input raises
  :class:`~calfload.errors.JournalError` (one line) and changes nothing.
- Times are stored in UTC (ISO 8601); "days" are the athlete's local calendar dates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

from calfload._files import os_error_text, private_dir
from calfload._logger import package_logger
from calfload.errors import CalfloadError, CalfloadWarning, JournalError, StorageError
from calfload.journal._entries import EntryWrites
from calfload.journal._integrity import (
    create_journal_file,
    damaged_message,
    refuse_damaged,
    refuse_emptied,
    storage_error,
)
from calfload.journal._load_days import load_days_stale
from calfload.journal._loads import loads_stale, store_loads
from calfload.journal._migrations import SCHEMA_VERSION, migrate, schema_version
from calfload.journal._paths import (
    DB_NAME,
    ENV_HOME,
    RECORDINGS_DIR,
    local_date_of,
    now_iso,
    resolve_data_dir,
    sha256_of_file,
    today_local,
)
from calfload.journal._records import (
    AddOutcome,
    PreparedSession,
    SessionRecord,
    analysis_record,
    check_exercise,
)
from calfload.journal._sessions import SessionWrites
from calfload.loadmodel._baseline import BaselineTest

if TYPE_CHECKING:  # the result types come with NumPy; review and the pain log never need them
    from calfload.signal import SessionAnalysis

logger = package_logger(__name__)

#: How long a write first waits, silently, for another command's write to finish (s).
FIRST_TRY_S: Final = 0.5
#: How long a write waits in all for another command's write before giving up in one line (s).
WRITE_WAIT_S: Final = 60.0


class JournalBusyWarning(CalfloadWarning):
    """Another command holds the journal's write lock: this one waits for it (printed once)."""


class Journal(EntryWrites, SessionWrites):
    """An open journal. Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    data_dir
        The data folder (created when missing); see :func:`resolve_data_dir`.
    today
        The athlete's current date, for the "no future dates" check (defaults to now).
    create
        Start a new journal when there is none (commands that write). Read-only commands pass
        ``False``: a mistyped ``--data-dir`` then gets a one-line error instead of a new, empty
        journal and confident advice from it.

    Raises
    ------
    JournalError
        If the journal cannot be opened, or there is none and ``create`` is false.
    """

    def __init__(
        self, data_dir: str | os.PathLike[str] | None = None, *, today: dt.date | None = None, create: bool = True
    ) -> None:
        self.data_dir = resolve_data_dir(data_dir)
        self._today = today
        if not create and not (self.data_dir / DB_NAME).is_file():
            raise JournalError(
                f"no journal in {self.data_dir}; check `data_dir` (or start one with calfload log / import)",
                file=str(self.data_dir),
                parameter="data_dir",
            )
        refuse_emptied(self.data_dir / DB_NAME)
        try:
            if create:
                private_dir(self.data_dir / RECORDINGS_DIR)
                create_journal_file(self.data_dir / DB_NAME)
            self._conn = sqlite3.connect(self.data_dir / DB_NAME, isolation_level=None, timeout=WRITE_WAIT_S)
        except OSError as exc:
            raise StorageError(f"cannot create the journal in {self.data_dir}: {os_error_text(exc)}") from None
        except sqlite3.Error as exc:
            raise JournalError(
                f"cannot open the journal in {self.data_dir} ({exc}); check `data_dir`",
                file=str(self.data_dir),
                parameter="data_dir",
            ) from None
        self._depth = 0
        self._pages_checked = False
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            mode = self._conn.execute("PRAGMA journal_mode").fetchone()[0]
            if schema_version(self._conn) < SCHEMA_VERSION or mode != "wal":  # both write: check the pages first
                self._refuse_damaged()
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            migrate(self._conn)
            self._refresh_loads()
        except sqlite3.OperationalError as exc:
            self._conn.close()
            raise self._storage_error(exc) from None
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise JournalError(damaged_message(self.path, str(exc))) from None
        except BaseException:
            self._conn.close()
            raise

    # ------------------------------------------------------------------------------ lifecycle

    @property
    def path(self) -> Path:
        """The database file."""
        return self.data_dir / DB_NAME

    @property
    def today(self) -> dt.date:
        """The athlete's current date."""
        return self._today or today_local()

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        if type(exc[1]) is sqlite3.DatabaseError:  # a read met a damaged page: one line, not a traceback
            raise JournalError(damaged_message(self.path, str(exc[1]))) from None

    def _refuse_damaged(self) -> None:
        """SQLite's ``quick_check``, once per open journal, before its first write.

        It reads every page (15 ms at 26 MB, growing with the journal), so opening does not run it:
        a read that meets a damaged page says so in one line (:meth:`__exit__`), and no write
        starts before the check has passed.
        """
        if not self._pages_checked:
            refuse_damaged(self._conn, self.path)
            self._pages_checked = True

    def _refresh_loads(self) -> None:
        """Store the loads (and the trends' state) a new calfload or load-model revision left stale, once, on opening.

        Otherwise each review and report would recompute every stale load of the history until a
        command wrote. Opening does not wait for the write lock: when another command holds it (its
        commit stores the loads) or the journal cannot be written, the reads compute them instead.
        """
        if not loads_stale(self._conn) and not load_days_stale(self._conn):
            return
        self._refuse_damaged()
        self._conn.execute("PRAGMA busy_timeout = 0")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            stored = store_loads(self._conn)
            self._conn.execute("COMMIT")
            logger.info("stored %d stale session loads of %s", stored, self.path)
        except (sqlite3.OperationalError, CalfloadError) as exc:  # busy, read-only, full; an unreadable analysis
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            logger.info("stale session loads of %s not stored now (%s); reads compute them", self.path, exc)
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {int(WRITE_WAIT_S * 1000)}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested uses join the outer one. Rolls back on any exception."""
        if self._depth:
            self._depth += 1
            try:
                yield self._conn
            finally:
                self._depth -= 1
            return
        self._begin_immediate()
        self._depth = 1
        try:
            self._refuse_damaged()  # never write into a damaged journal
            yield self._conn
            store_loads(self._conn)  # the loads of what this transaction changed, stored with it
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise self._storage_error(exc) from None
            if type(exc) is sqlite3.DatabaseError:  # a damaged page met inside the transaction
                raise JournalError(damaged_message(self.path, str(exc))) from None
            raise
        finally:
            self._depth = 0

    def _begin_immediate(self) -> None:
        """Take the write lock; when another command holds it, say so once and wait (up to :data:`WRITE_WAIT_S`)."""
        self._conn.execute(f"PRAGMA busy_timeout = {int(FIRST_TRY_S * 1000)}")
        try:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                    raise self._storage_error(exc) from None
            warnings.warn(
                f"another calfload command is writing the journal {self.path}; waiting for it "
                f"(up to {WRITE_WAIT_S:.0f} s)",
                JournalBusyWarning,
                stacklevel=3,
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(WRITE_WAIT_S * 1000)}")
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise self._storage_error(exc) from None
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {int(WRITE_WAIT_S * 1000)}")

    def _storage_error(self, exc: sqlite3.OperationalError) -> CalfloadError:
        """Name a failed write (disk full, read-only, locked) in one line; the journal is unchanged."""
        return storage_error(self.path, exc)

    # ---------------------------------------------------------------------------------- writes

    def replace_analyses(self, analyses: Mapping[int, SessionAnalysis]) -> None:
        """Store new analyses of existing sessions, all in one transaction (``calfload reanalyze --apply``).

        The previous record of each session is kept in the audit trail (``session_edit``, field
        ``analysis``). An error or an interruption before the commit leaves every session as it was.

        Raises
        ------
        JournalError
            If a session does not exist or the new analysis is of another activity.
        """
        with self.transaction() as c:
            for session_id, analysis in analyses.items():
                record = self._require_session(session_id)
                if analysis.activity != record.activity:
                    raise JournalError(
                        f"session {session_id} is a {record.activity} session, "
                        f"its new analysis a {analysis.activity}; nothing was changed"
                    )
                old = c.execute("SELECT analysis_json FROM session WHERE id = ?", (session_id,)).fetchone()[0]
                c.execute(
                    "UPDATE session SET analysis_json = ?, duration_s = ? WHERE id = ?",
                    (analysis_record(analysis), round(analysis.duration_s, 2), session_id),
                )
                c.execute(
                    "INSERT INTO session_edit (session_id, field, old_value, new_value, edited_utc) "
                    "VALUES (?, 'analysis', ?, ?, ?)",
                    (session_id, old, analysis.calfload_version, now_iso()),
                )


__all__ = [
    "DB_NAME",
    "ENV_HOME",
    "RECORDINGS_DIR",
    "AddOutcome",
    "BaselineTest",
    "Journal",
    "PreparedSession",
    "SessionRecord",
    "check_exercise",
    "damaged_message",
    "local_date_of",
    "resolve_data_dir",
    "sha256_of_file",
    "today_local",
]
