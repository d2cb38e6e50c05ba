"""The athlete's journal: one SQLite database in the data folder, recordings' Parquet beside it.

- Location: ``--data-dir``, else ``$CALFLOAD_HOME``, else the platform's user data folder.
- SQLite in WAL mode with ``synchronous=FULL`` and foreign keys on; the schema is migrated on open
  (:mod:`calfload.loadmodel._migrations`).
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

import bisect
import contextlib
import datetime as dt
import hashlib
import json
import logging
import math
import os
import sqlite3
import statistics
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from calfload._files import create_exclusive, fsync_dir, os_error_text, private_dir, temp_name
from calfload.errors import CalfloadError, JournalError, RecordError, StorageError
from calfload.loadmodel._force import EXERCISES
from calfload.loadmodel._history import History, PainEntry
from calfload.loadmodel._migrations import migrate
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._session import Athlete, SessionInput, SessionLoad, run_cadence_spm, run_speed_mps, session_load
from calfload.loadmodel._visa_a import VisaA, check_items
from calfload.loadmodel._workout import Workout, check_workout, workout_analysis, workout_fingerprint
from calfload.signal import HeelRiseResult, SessionAnalysis, record_json, result_from_json
from calfload.vocabulary import ACTIVITIES

if TYPE_CHECKING:
    # pandas and pyarrow behind calfload.recording cost about 0.3 s to import; only imports need
    # them (write_parquet in prepare_session), not the read-only commands such as review.
    from calfload.recording import Recording

logger = logging.getLogger(__name__)

ENV_HOME: Final = "CALFLOAD_HOME"
DB_NAME: Final = "journal.sqlite3"
RECORDINGS_DIR: Final = "recordings"
APP_NAME: Final = "calfload"

PAIN_MIN, PAIN_MAX = 0, 10
BODY_MASS_RANGE_KG: Final = (20.0, 300.0)
ADDED_LOAD_RANGE_KG: Final = (0.0, 200.0)
HEEL_RISE_REPS_RANGE: Final = (0, 300)
CALF_CIRCUMFERENCE_RANGE_CM: Final = (15.0, 80.0)
KNEE_TO_WALL_RANGE_CM: Final = (0.0, 30.0)
#: A recording may start this far in the future (clock drift between sensor and computer).
FUTURE_TOLERANCE: Final = dt.timedelta(hours=1)
#: Recordings dated before this have no real start time (a CSV without metadata is dated 1970).
EARLIEST_START_UTC: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: ``data_dir``, else ``$CALFLOAD_HOME``, else the platform's user data folder."""
    if data_dir:
        return Path(data_dir).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _create_journal_file(path: Path) -> None:
    """Create a new journal at ``path``, whole, private (``0600``) and never empty, unless one exists.

    The schema is written into a private temporary file that is then linked into place, so the
    journal's name never shows an empty file (an empty one means lost content: :func:`_refuse_emptied`)
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


def _refuse_damaged(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a journal whose pages fail SQLite's ``quick_check`` (before any command writes into it)."""
    problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        raise JournalError(damaged_message(path, "; ".join(problems)))


def _refuse_emptied(path: Path) -> None:
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


def today_local() -> dt.date:
    """Return the athlete's calendar date now (the computer's time zone)."""
    return dt.datetime.now(dt.UTC).astimezone().date()


def local_date_of(instant_utc: dt.datetime) -> tuple[dt.date, int]:
    """Calendar date and UTC offset (minutes) of an instant in the computer's time zone."""
    local = instant_utc.astimezone()
    offset = local.utcoffset() or dt.timedelta(0)
    return local.date(), round(offset.total_seconds() / 60)


def sha256_of_file(path: str | os.PathLike[str], *, chunk_bytes: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's content (what makes ``import`` idempotent)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRecord:
    """One journal session as stored.

    Parameters
    ----------
    session_id
        The journal's id (what ``log session ID`` takes).
    source_name
        The imported file's name.
    start_utc, local_date
        Start of the recording and the athlete's calendar date.
    kind, activity, exercise, added_load_kg, side, placement
        From the recording's metadata (exercise and added load editable after import).
    duration_s
        From the analysis, when given.
    analysis
        The typed analysis result (stored as its record, :func:`calfload.signal.to_record`).
    content_sha256
        Hash of the imported file's content.
    stream_paths
        Stream kind -> Parquet path (absolute).
    """

    session_id: int
    source_name: str
    start_utc: dt.datetime
    local_date: dt.date
    kind: str
    activity: str
    exercise: str | None
    added_load_kg: float | None
    side: str
    placement: str
    duration_s: float | None
    analysis: SessionAnalysis
    content_sha256: str
    stream_paths: Mapping[str, Path]

    def to_input(self) -> SessionInput:
        """Return the load model's view of this session."""
        return SessionInput(
            session_id=self.session_id,
            start_utc=self.start_utc,
            local_date=self.local_date,
            activity=self.activity,
            analysis=self.analysis,
            exercise=self.exercise,
            added_load_kg=self.added_load_kg,
            side=self.side,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class BaselineTest:
    """A baseline assessment of one side on one day (fields ``None`` where not measured)."""

    day: dt.date
    side: str
    heel_rise_reps: int | None
    calf_circumference_cm: float | None
    knee_to_wall_cm: float | None
    session_id: int | None = None
    details: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class AddOutcome:
    """Result of adding one recording: its session id and whether it was new."""

    session_id: int
    created: bool
    source_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PreparedSession:
    """A recording analysed and written to the data folder, ready to be added in a transaction.

    Build with :meth:`Journal.prepare_session`; add with :meth:`Journal.add_prepared`.
    """

    content_sha256: str
    source_name: str
    main: Recording
    analysis: SessionAnalysis
    streams: tuple[Recording, ...]

    @property
    def stream_paths(self) -> dict[str, str]:
        """Stream kind -> path relative to the data folder where :meth:`Journal.add_prepared` stores it."""
        return {
            rec.meta.kind: f"{RECORDINGS_DIR}/{self.content_sha256[:20]}.{rec.meta.kind}.parquet"
            for rec in self.streams
        }


class Journal:
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
                f"no journal in {self.data_dir}; check --data-dir (or start one with calfload log / import)"
            )
        _refuse_emptied(self.data_dir / DB_NAME)
        try:
            if create:
                private_dir(self.data_dir / RECORDINGS_DIR)
                _create_journal_file(self.data_dir / DB_NAME)
            self._conn = sqlite3.connect(self.data_dir / DB_NAME, isolation_level=None, timeout=30.0)
        except OSError as exc:
            raise StorageError(f"cannot create the journal in {self.data_dir}: {os_error_text(exc)}") from None
        except sqlite3.Error as exc:
            raise JournalError(f"cannot open the journal in {self.data_dir} ({exc}); check --data-dir") from None
        self._depth = 0
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            _refuse_damaged(self._conn, self.path)
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
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._storage_error(exc) from None
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

    def _storage_error(self, exc: sqlite3.OperationalError) -> CalfloadError:
        """Name a failed write (disk full, read-only, locked) in one line; the journal is unchanged."""
        text = str(exc).lower()
        if "full" in text:
            return StorageError(
                f"cannot write the journal {self.path}: the disk is full; free some space and try again"
            )
        if "readonly" in text or "read-only" in text:
            return StorageError(f"cannot write the journal {self.path}: no permission or a read-only disk")
        if "locked" in text or "busy" in text:
            return JournalError(f"the journal {self.path} is busy (another calfload command is writing); try again")
        if "disk i/o error" in text:
            return StorageError(
                f"cannot read or write the journal {self.path}: a disk error, or a file-size limit (see `ulimit -f`); "
                "nothing was changed: fix the disk or the limit and try again"
            )
        if "unable to open" in text:
            return StorageError(f"cannot open the journal {self.path}: no permission, or the folder is gone")
        return JournalError(damaged_message(self.path, str(exc)))

    # ---------------------------------------------------------------------------------- writes

    def log_mass(self, mass_kg: float, day: dt.date | None = None) -> None:
        """Record body mass for a day (replacing that day's entry)."""
        day = self._check_day(day)
        _check_range("body mass", mass_kg, BODY_MASS_RANGE_KG, "kg")
        with self.transaction() as c:
            c.execute(
                "INSERT INTO body_mass (day, mass_kg, entered_utc) VALUES (?, ?, ?) "
                "ON CONFLICT (day) DO UPDATE SET mass_kg = excluded.mass_kg, entered_utc = excluded.entered_utc",
                (day.isoformat(), float(mass_kg), _now_iso()),
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
                "give at least one of --during, --after, --morning, --stiffness, --tenderness (0-10), "
                "--swelling, --sharp"
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
                (day.isoformat(), *values.values(), _now_iso()),
            )
        return self.pain_entries(day, day)[0]

    def log_visa_a(self, items: Sequence[int], day: dt.date | None = None) -> VisaA:
        """Record a VISA-A questionnaire (eight items, each checked against its scale) for a day."""
        day = self._check_day(day)
        entry = VisaA(day=day, items=check_items(list(items)))
        with self.transaction() as c:
            c.execute(
                "INSERT INTO visa_a (day, items_json, score, entered_utc) VALUES (?, ?, ?, ?) ON CONFLICT (day) "
                "DO UPDATE SET items_json = excluded.items_json, score = excluded.score, "
                "entered_utc = excluded.entered_utc",
                (day.isoformat(), json.dumps(list(entry.items)), entry.score, _now_iso()),
            )
        return entry

    def visa_a_entries(self, last: dt.date | None = None) -> list[VisaA]:
        """VISA-A questionnaires dated up to ``last``, oldest first."""
        rows = self._conn.execute(
            "SELECT day, items_json FROM visa_a WHERE day <= ? ORDER BY day", ((last or dt.date.max).isoformat(),)
        )
        return [VisaA(day=dt.date.fromisoformat(d), items=tuple(json.loads(items))) for d, items in rows]

    def log_baseline(
        self,
        side: str,
        day: dt.date | None = None,
        *,
        heel_rise_reps: int | None = None,
        calf_circumference_cm: float | None = None,
        knee_to_wall_cm: float | None = None,
        session_id: int | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> BaselineTest:
        """Record a baseline assessment of one side; given fields replace that day's, others are kept."""
        day = self._check_day(day)
        if side not in ("left", "right"):
            raise JournalError(f"side must be left or right, got {side!r}")
        if heel_rise_reps is None and calf_circumference_cm is None and knee_to_wall_cm is None and details is None:
            raise JournalError("give at least one of --heel-rise-reps, --calf-circumference-cm, --knee-to-wall-cm")
        if heel_rise_reps is not None:
            _check_range("heel-rise reps", heel_rise_reps, HEEL_RISE_REPS_RANGE, "")
        if calf_circumference_cm is not None:
            _check_range("calf circumference", calf_circumference_cm, CALF_CIRCUMFERENCE_RANGE_CM, "cm")
        if knee_to_wall_cm is not None:
            _check_range("knee-to-wall distance", knee_to_wall_cm, KNEE_TO_WALL_RANGE_CM, "cm")
        with self.transaction() as c:
            if session_id is not None:
                self._require_session(session_id)
            c.execute(
                "INSERT INTO baseline_test (day, side, heel_rise_reps, calf_circumference_cm, knee_to_wall_cm, "
                "session_id, details_json, entered_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (day, side) DO UPDATE SET "
                "heel_rise_reps = coalesce(excluded.heel_rise_reps, heel_rise_reps), "
                "calf_circumference_cm = coalesce(excluded.calf_circumference_cm, calf_circumference_cm), "
                "knee_to_wall_cm = coalesce(excluded.knee_to_wall_cm, knee_to_wall_cm), "
                "session_id = coalesce(excluded.session_id, session_id), "
                "details_json = coalesce(excluded.details_json, details_json), entered_utc = excluded.entered_utc",
                (
                    day.isoformat(),
                    side,
                    heel_rise_reps,
                    calf_circumference_cm,
                    knee_to_wall_cm,
                    session_id,
                    None if details is None else json.dumps(details, sort_keys=True),
                    _now_iso(),
                ),
            )
        return next(b for b in self.baseline_tests() if b.day == day and b.side == side)

    def set_session_details(
        self, session_id: int, *, exercise: str | None = None, added_load_kg: float | None = None
    ) -> SessionRecord:
        """Say which exercise and added load a session was (editable after the fact, with an audit trail)."""
        if exercise is None and added_load_kg is None:
            raise JournalError("give --exercise and/or --added-load-kg")
        with self.transaction() as c:
            record = self._require_session(session_id)
            changes: dict[str, Any] = {}
            if exercise is not None:
                check_exercise(exercise, record.activity)
                changes["exercise"] = exercise
            if added_load_kg is not None:
                _check_range("added load", added_load_kg, ADDED_LOAD_RANGE_KG, "kg")
                changes["added_load_kg"] = float(added_load_kg)
            for field_name, value in changes.items():
                old = getattr(record, field_name)
                c.execute(f"UPDATE session SET {field_name} = ? WHERE id = ?", (value, session_id))
                c.execute(
                    "INSERT INTO session_edit (session_id, field, old_value, new_value, edited_utc) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (session_id, field_name, None if old is None else str(old), str(value), _now_iso()),
                )
        return self._require_session(session_id)

    def find_content(self, content_sha256: str) -> int | None:
        """Id of the session imported from a file with this content, if any."""
        row = self._conn.execute("SELECT id FROM session WHERE content_sha256 = ?", (content_sha256,)).fetchone()
        return None if row is None else int(row[0])

    def prepare_session(
        self,
        *,
        streams: Sequence[Recording],
        analysis: SessionAnalysis,
        content_sha256: str,
        source_name: str,
        main: Recording | None = None,
        exercise_given: bool = False,
    ) -> PreparedSession:
        """Check a recording for the journal and write its streams' Parquet files (no database change).

        Parameters
        ----------
        streams
            Every stream of the recording file (with metadata overrides already applied).
        analysis
            The typed analysis result of the main stream.
        content_sha256
            Hash of the source file's content (:func:`sha256_of_file`).
        source_name
            The file's name, for listings.
        main
            The analysed stream (default: the first).
        exercise_given
            Whether the metadata's exercise was given by the user (``import --exercise``): then it is
            refused for activities without exercises (runs, walks) too, as ``log session`` does. An
            exercise in the file's own metadata is checked only for activities that have exercises
            (on a run it is meaningless, and the user could not clear it).

        Raises
        ------
        JournalError
            If the recording has no real start time, starts in the future, its activity is unknown,
            or its exercise belongs to another activity (:func:`check_exercise`).
        """
        if not streams:
            raise JournalError(f"{source_name}: the file holds no streams")
        main = main or streams[0]
        start = main.meta.start_utc
        if start < EARLIEST_START_UTC:
            raise JournalError(
                f"{source_name}: the recording has no start time (dated {start.date().isoformat()}); "
                "give one with --start YYYY-MM-DDTHH:MM"
            )
        if start > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE or local_date_of(start)[0] > self.today:
            raise JournalError(
                f"{source_name}: the recording starts in the future ({start.isoformat()}); "
                "check the sensor's clock or give --start"
            )
        activity = _activity_of(main, analysis)
        if activity is None:
            raise JournalError(
                f"{source_name}: the analysis did not say what the activity was; give --activity "
                f"({', '.join(ACTIVITIES)})"
            )
        has_exercises = any(e.activity == activity for e in EXERCISES.values())
        if main.meta.exercise is not None and (exercise_given or has_exercises):
            check_exercise(main.meta.exercise, activity, source=source_name)
        return PreparedSession(
            content_sha256=content_sha256,
            source_name=source_name,
            main=main,
            analysis=analysis,
            streams=tuple(streams),
        )

    def add_prepared(self, prepared: PreparedSession) -> AddOutcome:
        """Store a prepared session's recordings and add it (idempotent: the same content is stored once).

        The check for the same content, the recording files and the new rows are one write
        transaction, which SQLite serialises between processes: of two imports of one file at once,
        the second finds the first's session and changes nothing, its files included.
        """
        with self.transaction() as c:
            existing = self.find_content(prepared.content_sha256)
            if existing is not None:
                return AddOutcome(existing, False, prepared.source_name)
            self._store_streams(prepared)
            meta = prepared.main.meta
            local, offset = local_date_of(meta.start_utc)
            analysis = prepared.analysis
            cur = c.execute(
                "INSERT INTO session (content_sha256, source_name, start_utc, local_date, utc_offset_min, kind, "
                "activity, exercise, added_load_kg, side, placement, duration_s, metadata_json, analysis_json, "
                "imported_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    prepared.content_sha256,
                    prepared.source_name,
                    meta.start_utc.astimezone(dt.UTC).isoformat(),
                    local.isoformat(),
                    offset,
                    meta.kind,
                    _activity_of(prepared.main, analysis),
                    meta.exercise,
                    meta.added_load_kg,
                    meta.side,
                    meta.placement,
                    round(analysis.duration_s, 2),
                    meta.to_json(),
                    record_json(analysis),
                    _now_iso(),
                ),
            )
            session_id = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO stream (session_id, kind, path) VALUES (?, ?, ?)",
                [(session_id, kind, path) for kind, path in prepared.stream_paths.items()],
            )
        logger.info("added session %d from %s", session_id, prepared.source_name)
        return AddOutcome(session_id, True, prepared.source_name)

    def _store_streams(self, prepared: PreparedSession) -> None:
        """Write a prepared session's streams as Parquet, synced, before the rows that refer to them."""
        from calfload.recording import write_parquet

        try:
            folder = private_dir(self.data_dir / RECORDINGS_DIR)
            for rec, rel in zip(prepared.streams, prepared.stream_paths.values(), strict=True):
                # A file of this name can only be an interrupted import's copy of the same content.
                write_parquet(rec, folder.parent / rel, overwrite=True)
        except OSError as exc:
            raise StorageError(
                f"{prepared.source_name}: cannot store the recording in {self.data_dir / RECORDINGS_DIR}: "
                f"{os_error_text(exc)}; the journal is unchanged"
            ) from None

    def add_session(
        self,
        *,
        streams: Sequence[Recording],
        analysis: SessionAnalysis,
        content_sha256: str,
        source_name: str,
        main: Recording | None = None,
    ) -> AddOutcome:
        """Prepare and add one recording in one step (see :meth:`prepare_session`)."""
        existing = self.find_content(content_sha256)
        if existing is not None:
            return AddOutcome(existing, False, source_name)
        prepared = self.prepare_session(
            streams=streams, analysis=analysis, content_sha256=content_sha256, source_name=source_name, main=main
        )
        return self.add_prepared(prepared)

    def add_workout(self, workout: Workout) -> AddOutcome:
        """Add a session logged by hand (:mod:`calfload.loadmodel._workout`), checked first."""
        day = self._check_day(workout.day)
        check_workout(workout)
        athlete = self.athlete(day)
        analysis = workout_analysis(
            workout, cadence_spm=athlete.habitual_cadence_spm, easy_speed_mps=athlete.easy_run_speed_mps
        )
        start = dt.datetime.combine(day, dt.time(12)).astimezone().astimezone(dt.UTC)
        local, offset = local_date_of(start)
        calf = workout.activity == "calf_raise"
        exercise = (workout.exercise or "single_leg_standing") if calf else None
        meta = {"source": "log workout", "activity": workout.activity, "exercise": exercise}
        with self.transaction() as c:
            count = c.execute(
                "SELECT count(*) FROM session WHERE local_date = ? AND kind = 'manual'", (day.isoformat(),)
            ).fetchone()[0]
            fingerprint = workout_fingerprint(workout, int(count))
            name = f"logged {workout.activity} {day.isoformat()}"
            cur = c.execute(
                "INSERT INTO session (content_sha256, source_name, start_utc, local_date, utc_offset_min, kind, "
                "activity, exercise, added_load_kg, side, placement, duration_s, metadata_json, analysis_json, "
                "imported_utc) VALUES (?, ?, ?, ?, ?, 'manual', ?, ?, ?, 'unknown', 'unknown', ?, ?, ?, ?)",
                (
                    fingerprint,
                    name,
                    start.isoformat(),
                    local.isoformat(),
                    offset,
                    workout.activity,
                    exercise,
                    workout.added_load_kg if calf else None,
                    round(analysis.duration_s, 2) if not calf else None,
                    json.dumps(meta, sort_keys=True),
                    record_json(analysis),
                    _now_iso(),
                ),
            )
        return AddOutcome(int(cur.lastrowid or 0), True, name)

    def set_setting(self, key: str, value: str) -> None:
        """Store one athlete setting (e.g. ``easy_run_speed_mps``)."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # ----------------------------------------------------------------------------------- reads

    def sessions(self, first: dt.date | None = None, last: dt.date | None = None) -> list[SessionRecord]:
        """Sessions dated ``first`` to ``last`` (inclusive, either open), in time order."""
        rows = self._conn.execute(
            "SELECT id, source_name, start_utc, local_date, kind, activity, exercise, added_load_kg, side, "
            "placement, duration_s, analysis_json, content_sha256 FROM session "
            "WHERE local_date >= ? AND local_date <= ? ORDER BY start_utc, id",
            ((first or dt.date.min).isoformat(), (last or dt.date.max).isoformat()),
        ).fetchall()
        streams: dict[int, dict[str, Path]] = {}
        for sid, kind, path in self._conn.execute("SELECT session_id, kind, path FROM stream"):
            streams.setdefault(int(sid), {})[str(kind)] = self.data_dir / str(path)
        return [
            SessionRecord(
                session_id=int(r[0]),
                source_name=r[1],
                start_utc=dt.datetime.fromisoformat(r[2]),
                local_date=dt.date.fromisoformat(r[3]),
                kind=r[4],
                activity=r[5],
                exercise=r[6],
                added_load_kg=r[7],
                side=r[8],
                placement=r[9],
                duration_s=r[10],
                analysis=_session_analysis(r[11], int(r[0])),
                content_sha256=r[12],
                stream_paths=streams.get(int(r[0]), {}),
            )
            for r in rows
        ]

    def session(self, session_id: int) -> SessionRecord | None:
        """One session by id."""
        row = self._conn.execute("SELECT local_date FROM session WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            return None
        day = dt.date.fromisoformat(row[0])
        return next(s for s in self.sessions(day, day) if s.session_id == session_id)

    def pain_entries(self, first: dt.date | None = None, last: dt.date | None = None) -> list[PainEntry]:
        """Pain entries dated ``first`` to ``last``, oldest first."""
        rows = self._conn.execute(
            "SELECT day, during, after, morning, stiffness, tenderness, swelling, sharp FROM pain "
            "WHERE day >= ? AND day <= ? ORDER BY day",
            ((first or dt.date.min).isoformat(), (last or dt.date.max).isoformat()),
        )
        return [
            PainEntry(
                day=dt.date.fromisoformat(r[0]),
                during=r[1],
                after=r[2],
                morning=r[3],
                stiffness=r[4],
                tenderness=r[5],
                swelling=None if r[6] is None else bool(r[6]),
                sharp=None if r[7] is None else bool(r[7]),
            )
            for r in rows
        ]

    def body_mass_entries(self) -> list[tuple[dt.date, float]]:
        """All body-mass entries, oldest first."""
        rows = self._conn.execute("SELECT day, mass_kg FROM body_mass ORDER BY day")
        return [(dt.date.fromisoformat(d), float(m)) for d, m in rows]

    def baseline_tests(self) -> list[BaselineTest]:
        """All baseline assessments, oldest first."""
        rows = self._conn.execute(
            "SELECT day, side, heel_rise_reps, calf_circumference_cm, knee_to_wall_cm, session_id, details_json "
            "FROM baseline_test ORDER BY day, side"
        )
        return [
            BaselineTest(
                day=dt.date.fromisoformat(d),
                side=s,
                heel_rise_reps=h,
                calf_circumference_cm=c,
                knee_to_wall_cm=k,
                session_id=sid,
                details=None if det is None else json.loads(det),
            )
            for d, s, h, c, k, sid, det in rows
        ]

    def settings(self) -> dict[str, str]:
        """All athlete settings."""
        return {str(k): str(v) for k, v in self._conn.execute("SELECT key, value FROM setting")}

    def counts(self) -> dict[str, int]:
        """Row counts per table (for checks that a command changed nothing)."""
        tables = ("session", "stream", "session_edit", "body_mass", "pain", "baseline_test", "setting")
        return {t: int(self._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}

    def athlete(self, day: dt.date) -> Athlete:
        """Body mass on ``day`` and the easy-run speed and cadence learned from runs up to ``day``."""
        masses = [m for d, m in self.body_mass_entries() if d <= day]
        return _athlete(masses[-1] if masses else None, self.sessions(None, day), self.settings(), DEFAULT_PARAMETERS)

    def history(self, until: dt.date, params: LoadModelParameters = DEFAULT_PARAMETERS) -> History:
        """Return the load model's view of everything dated up to ``until``.

        Each session's load uses the athlete as they were then: body mass logged on or before its
        day, and the easy-run speed and cadence learned from the runs *before* it (the settings
        override both). A session's load therefore never changes as newer runs arrive, and
        histories with different ``until`` agree on every session they share.
        """
        records = self.sessions(None, until)
        masses = [(d, m) for d, m in self.body_mass_entries() if d <= until]
        settings = self.settings()
        speeds: list[float] = []
        cadences: list[float] = []
        loads: list[SessionLoad] = []
        for r in records:
            mass = next((m for d, m in reversed(masses) if d <= r.local_date), masses[0][1] if masses else None)
            athlete = _athlete_from(mass, speeds, cadences, settings, params)
            loads.append(session_load(r.to_input(), athlete, params))
            if r.activity == "run":
                if (v := run_speed_mps(r.analysis)) is not None:
                    bisect.insort(speeds, v)
                if (c := run_cadence_spm(r.analysis)) is not None:
                    bisect.insort(cadences, c)
        return History.build(loads, self.pain_entries(None, until), masses[-1][1] if masses else None)

    # --------------------------------------------------------------------------------- helpers

    def _check_day(self, day: dt.date | None) -> dt.date:
        day = day or self.today
        if day > self.today:
            raise JournalError(
                f"{day.isoformat()} is in the future (today is {self.today.isoformat()}); "
                "entries are for today or earlier"
            )
        if day.year < 2000:
            raise JournalError(f"{day.isoformat()} is too far in the past; check the date")
        return day

    def _require_session(self, session_id: int) -> SessionRecord:
        record = self.session(session_id)
        if record is None:
            raise JournalError(f"there is no session {session_id}; `calfload review` lists the sessions and their ids")
        return record


def _athlete(
    mass_kg: float | None, records: Sequence[SessionRecord], settings: Mapping[str, str], params: LoadModelParameters
) -> Athlete:
    """Easy speed and habitual cadence: the athlete's settings, else the median of their runs, else defaults."""
    runs = [r.analysis for r in records if r.activity == "run"]
    speeds = [v for a in runs if (v := run_speed_mps(a)) is not None]
    cadences = [c for a in runs if (c := run_cadence_spm(a)) is not None]
    return _athlete_from(mass_kg, speeds, cadences, settings, params)


def _athlete_from(
    mass_kg: float | None,
    speeds: Sequence[float],
    cadences: Sequence[float],
    settings: Mapping[str, str],
    params: LoadModelParameters,
) -> Athlete:
    speed = _float_setting(settings, "easy_run_speed_mps") or (statistics.median(speeds) if speeds else None)
    cadence = _float_setting(settings, "habitual_cadence_spm") or (statistics.median(cadences) if cadences else None)
    return Athlete(
        body_mass_kg=mass_kg,
        easy_run_speed_mps=speed or params.damage.default_easy_speed_mps,
        habitual_cadence_spm=cadence or params.damage.default_cadence_spm,
    )


def check_exercise(exercise: str, activity: str | None, *, source: str | None = None) -> None:
    """Refuse an exercise that is not one of ``activity``'s (any activity's when ``activity`` is None).

    The one check behind ``log session --exercise``, ``import --exercise`` and the exercise in an
    imported file's own metadata: the load model would otherwise silently assume the activity's
    default exercise.

    Raises
    ------
    JournalError
        One line naming the exercises that fit.
    """
    known = sorted(n for n, e in EXERCISES.items() if activity is None or e.activity == activity)
    if exercise in known:
        return
    prefix = f"{source}: " if source else ""
    if activity is None:
        raise JournalError(f"{prefix}unknown exercise {exercise!r}; use one of {', '.join(known)}")
    other = EXERCISES.get(exercise)
    why = f"{exercise!r} is a {other.activity} exercise" if other is not None else f"unknown exercise {exercise!r}"
    fits = ", ".join(known) if known else "none: give no exercise, or --activity if the activity is wrong"
    raise JournalError(f"{prefix}{why}, not one for a {activity} session; use one of {fits}")


def _float_setting(settings: Mapping[str, str], key: str) -> float | None:
    try:
        value = float(settings[key])
    except (KeyError, ValueError):
        return None
    return value if math.isfinite(value) and value > 0 else None


def _session_analysis(text: str, session_id: int) -> SessionAnalysis:
    result = result_from_json(text, source=f"journal session {session_id}")
    if isinstance(result, HeelRiseResult):
        raise RecordError("holds a heel-rise test, not a session analysis", source=f"journal session {session_id}")
    return result


def _activity_of(main: Recording, analysis: SessionAnalysis) -> str | None:
    activity = analysis.activity or main.meta.activity
    return str(activity) if activity in ACTIVITIES else None


def _check_range(name: str, value: object, bounds: tuple[float, float], unit: str) -> None:
    lo, hi = bounds
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not lo <= value <= hi
    ):
        unit_text = f" {unit}" if unit else ""
        raise JournalError(f"{name} must be from {lo:g} to {hi:g}{unit_text}, got {value}")


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
