"""The athlete's journal: one SQLite database in the data folder, recordings' Parquet beside it.

- Location: ``--data-dir``, else ``$CALFLOAD_HOME``, else the platform's user data folder.
- SQLite in WAL mode with ``synchronous=FULL`` and foreign keys on; the schema is migrated on open
  (:mod:`calfload.journal._migrations`).
- Every command is one transaction (:meth:`Journal.transaction`): an interrupted command leaves the
  journal as it was. A session's recording files are written and synced inside the transaction
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
import json
import logging
import os
import sqlite3
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from calfload._files import os_error_text, private_dir
from calfload.errors import CalfloadError, CalfloadWarning, JournalError, StorageError
from calfload.journal._corrections import Corrections
from calfload.journal._integrity import (
    create_journal_file,
    damaged_message,
    refuse_damaged,
    refuse_emptied,
    storage_error,
)
from calfload.journal._migrations import migrate
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
    ADDED_LOAD_RANGE_KG,
    BODY_MASS_RANGE_KG,
    CALF_CIRCUMFERENCE_RANGE_CM,
    HEEL_RISE_REPS_RANGE,
    KNEE_TO_WALL_RANGE_CM,
    PAIN_MAX,
    PAIN_MIN,
    AddOutcome,
    PreparedSession,
    SessionRecord,
    check_exercise,
    check_range,
)
from calfload.journal._sessions import SessionWrites
from calfload.loadmodel._baseline import BaselineTest, HeelRiseDetails
from calfload.loadmodel._history import PainEntry, SessionPain
from calfload.loadmodel._visa_a import VisaA, check_items
from calfload.signal import SessionAnalysis, record_json

logger = logging.getLogger(__name__)

#: How long a write first waits, silently, for another command's write to finish (s).
FIRST_TRY_S: Final = 0.5
#: How long a write waits in all for another command's write before giving up in one line (s).
WRITE_WAIT_S: Final = 60.0


class JournalBusyWarning(CalfloadWarning):
    """Another command holds the journal's write lock: this one waits for it (printed once)."""


class Journal(Corrections, SessionWrites):
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
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            refuse_damaged(self._conn, self.path)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            migrate(self._conn)
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
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise self._storage_error(exc) from None
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

    def log_mass(self, mass_kg: float, day: dt.date | None = None) -> None:
        """Record body mass for a day (replacing that day's entry)."""
        day = self._check_day(day)
        check_range("body mass", mass_kg, BODY_MASS_RANGE_KG, "kg")
        with self.transaction() as c:
            c.execute(
                "INSERT INTO body_mass (day, mass_kg, entered_utc) VALUES (?, ?, ?) "
                "ON CONFLICT (day) DO UPDATE SET mass_kg = excluded.mass_kg, entered_utc = excluded.entered_utc",
                (day.isoformat(), float(mass_kg), now_iso()),
            )

    def log_pain(
        self,
        day: dt.date | None = None,
        *,
        during: int | None = None,
        after: int | None = None,
        morning: int | None = None,
        stiffness: int | None = None,
        tenderness: int | None = None,
        swelling: bool | None = None,
        sharp: bool | None = None,
    ) -> PainEntry:
        """Record pain (0-10) and tissue signs for a day; given fields replace that day's, others are kept."""
        day = self._check_day(day)
        scores: dict[str, object] = {
            "during": during,
            "after": after,
            "morning": morning,
            "stiffness": stiffness,
            "tenderness": tenderness,
        }
        flags: dict[str, bool | None] = {"swelling": swelling, "sharp": sharp}
        if all(v is None for v in (*scores.values(), *flags.values())):
            raise JournalError(
                "give at least one of `during`, `after`, `morning`, `stiffness`, `tenderness` (0-10), "
                "`swelling`, `sharp`",
                expected="at least one score or sign",
            )
        for name, value in scores.items():
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not PAIN_MIN <= value <= PAIN_MAX
            ):
                label = name if name in ("stiffness", "tenderness") else f"pain {name}"
                raise JournalError(f"{label} must be a whole number from {PAIN_MIN} to {PAIN_MAX}, got {value}")
        values = {**scores, **{k: None if v is None else int(v) for k, v in flags.items()}}
        columns = ", ".join(values)
        merge = ", ".join(f"{k} = coalesce(excluded.{k}, {k})" for k in values)
        with self.transaction() as c:
            c.execute(
                f"INSERT INTO pain (day, {columns}, entered_utc) VALUES (?, {', '.join('?' * len(values))}, ?) "
                f"ON CONFLICT (day) DO UPDATE SET {merge}, entered_utc = excluded.entered_utc",
                (day.isoformat(), *values.values(), now_iso()),
            )
        return self.pain_entries(day, day)[0]

    def log_session_pain(
        self, session_id: int, *, during: int | None = None, after: int | None = None, sharp: bool | None = None
    ) -> SessionPain:
        """Record pain during and after one session (a day with two sessions keeps them apart).

        Given fields replace that session's, others are kept. The rules read each day's worst.
        """
        if during is None and after is None and sharp is None:
            raise JournalError(
                "a session's pain is `during`, `after` (0-10) and/or `sharp`", expected="at least one score or sign"
            )
        values: dict[str, object] = {"during": during, "after": after}
        for name, value in values.items():
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not PAIN_MIN <= value <= PAIN_MAX
            ):
                raise JournalError(f"pain {name} must be a whole number from {PAIN_MIN} to {PAIN_MAX}, got {value}")
        with self.transaction() as c:
            record = self._require_session(session_id)
            c.execute(
                "INSERT INTO session_pain (session_id, during, after, sharp, entered_utc) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (session_id) DO UPDATE SET during = coalesce(excluded.during, during), "
                "after = coalesce(excluded.after, after), sharp = coalesce(excluded.sharp, sharp), "
                "entered_utc = excluded.entered_utc",
                (session_id, during, after, None if sharp is None else int(sharp), now_iso()),
            )
        return next(p for p in self.session_pains(record.local_date) if p.session_id == session_id)

    def session_of(self, day: dt.date, activity: str) -> int:
        """The id of the one session of ``activity`` on ``day`` (``log pain --activity``)."""
        ids = [s.session_id for s in self.sessions(day, day) if s.activity == activity]
        if len(ids) != 1:
            found = "no" if not ids else f"{len(ids)}"
            raise JournalError(
                f"{day.isoformat()} has {found} {activity} session(s); name the session with `session_id` "
                "(`calfload review` lists them)",
                parameter="session_id",
            )
        return ids[0]

    def log_visa_a(self, items: Sequence[int], day: dt.date | None = None) -> VisaA:
        """Record a VISA-A questionnaire (eight items, each checked against its scale) for a day."""
        day = self._check_day(day)
        entry = VisaA(day=day, items=check_items(list(items)))
        with self.transaction() as c:
            c.execute(
                "INSERT INTO visa_a (day, items_json, score, entered_utc) VALUES (?, ?, ?, ?) ON CONFLICT (day) "
                "DO UPDATE SET items_json = excluded.items_json, score = excluded.score, "
                "entered_utc = excluded.entered_utc",
                (day.isoformat(), json.dumps(list(entry.items)), entry.score, now_iso()),
            )
        return entry

    def log_baseline(
        self,
        side: str,
        day: dt.date | None = None,
        *,
        heel_rise_reps: int | None = None,
        calf_circumference_cm: float | None = None,
        knee_to_wall_cm: float | None = None,
    ) -> BaselineTest:
        """Record a logged baseline assessment of one side (``log baseline``).

        Given fields replace that day's logged entry, others are kept. A heel-rise test measured
        from recordings (:meth:`store_measured_baseline`) is a separate row of the same day.
        """
        day = self._check_day(day)
        _check_side(side)
        if heel_rise_reps is None and calf_circumference_cm is None and knee_to_wall_cm is None:
            raise JournalError(
                "give at least one of `heel_rise_reps`, `calf_circumference_cm`, `knee_to_wall_cm`",
                expected="at least one measurement",
            )
        if heel_rise_reps is not None:
            check_range("heel-rise reps", heel_rise_reps, HEEL_RISE_REPS_RANGE, "")
        if calf_circumference_cm is not None:
            check_range("calf circumference", calf_circumference_cm, CALF_CIRCUMFERENCE_RANGE_CM, "cm")
        if knee_to_wall_cm is not None:
            check_range("knee-to-wall distance", knee_to_wall_cm, KNEE_TO_WALL_RANGE_CM, "cm")
        with self.transaction() as c:
            c.execute(
                "INSERT INTO baseline_test (day, side, source, heel_rise_reps, calf_circumference_cm, knee_to_wall_cm, "
                "entered_utc) VALUES (?, ?, 'logged', ?, ?, ?, ?) "
                "ON CONFLICT (day, side, source) DO UPDATE SET "
                "heel_rise_reps = coalesce(excluded.heel_rise_reps, heel_rise_reps), "
                "calf_circumference_cm = coalesce(excluded.calf_circumference_cm, calf_circumference_cm), "
                "knee_to_wall_cm = coalesce(excluded.knee_to_wall_cm, knee_to_wall_cm), "
                "entered_utc = excluded.entered_utc",
                (day.isoformat(), side, heel_rise_reps, calf_circumference_cm, knee_to_wall_cm, now_iso()),
            )
        return next(b for b in self.baseline_tests() if b.day == day and b.side == side and b.source == "logged")

    def store_measured_baseline(
        self,
        side: str,
        day: dt.date | None = None,
        *,
        heel_rise_reps: int,
        details: HeelRiseDetails,
        session_id: int | None = None,
    ) -> bool:
        """Store one side of a heel-rise test measured from a recording (``test heel-rise``).

        A test is one record: a second measured test of the same day and side replaces the first
        whole (the replaced row is kept in the audit trail); a logged baseline of that day is a
        separate row and is never mixed in.

        Returns
        -------
        bool
            Whether a measured test of that day and side was replaced.
        """
        day = self._check_day(day)
        _check_side(side)
        check_range("heel-rise reps", heel_rise_reps, HEEL_RISE_REPS_RANGE, "")
        with self.transaction() as c:
            if session_id is not None:
                self._require_session(session_id)
            old = c.execute(
                "SELECT id FROM baseline_test WHERE day = ? AND side = ? AND source = 'measured'",
                (day.isoformat(), side),
            ).fetchone()
            if old is not None:
                self._move_to_trash("baseline_test", int(old[0]))
            c.execute(
                "INSERT INTO baseline_test (day, side, source, heel_rise_reps, session_id, details_json, entered_utc) "
                "VALUES (?, ?, 'measured', ?, ?, ?, ?)",
                (
                    day.isoformat(),
                    side,
                    heel_rise_reps,
                    session_id,
                    json.dumps(details.to_json(), sort_keys=True),
                    now_iso(),
                ),
            )
        return old is not None

    def set_session_details(
        self, session_id: int, *, exercise: str | None = None, added_load_kg: float | None = None
    ) -> SessionRecord:
        """Say which exercise and added load a session was (editable after the fact, with an audit trail)."""
        if exercise is None and added_load_kg is None:
            raise JournalError("give `exercise` and/or `added_load_kg`", expected="an exercise or an added load")
        with self.transaction() as c:
            record = self._require_session(session_id)
            changes: dict[str, Any] = {}
            if exercise is not None:
                check_exercise(exercise, record.activity)
                changes["exercise"] = exercise
            if added_load_kg is not None:
                check_range("added load", added_load_kg, ADDED_LOAD_RANGE_KG, "kg")
                changes["added_load_kg"] = float(added_load_kg)
            for field_name, value in changes.items():
                old = getattr(record, field_name)
                c.execute(f"UPDATE session SET {field_name} = ? WHERE id = ?", (value, session_id))
                c.execute(
                    "INSERT INTO session_edit (session_id, field, old_value, new_value, edited_utc) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (session_id, field_name, None if old is None else str(old), str(value), now_iso()),
                )
        return self._require_session(session_id)

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
                    (record_json(analysis), round(analysis.duration_s, 2), session_id),
                )
                c.execute(
                    "INSERT INTO session_edit (session_id, field, old_value, new_value, edited_utc) "
                    "VALUES (?, 'analysis', ?, ?, ?)",
                    (session_id, old, analysis.calfload_version, now_iso()),
                )

    def set_setting(self, key: str, value: str) -> None:
        """Store one athlete setting (e.g. ``easy_run_speed_mps``)."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _check_side(side: str) -> None:
    if side not in ("left", "right"):
        raise JournalError(f"side must be left or right, got {side!r}")


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
