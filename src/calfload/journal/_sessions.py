"""Adding sessions to the journal: check, write the streams, insert the session, in one transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from calfload._files import os_error_text, private_dir
from calfload._logger import package_logger
from calfload.errors import CalfloadError, JournalError, StorageError
from calfload.journal._paths import (
    EARLIEST_START_UTC,
    FUTURE_TOLERANCE,
    RECORDINGS_DIR,
    local_date_of,
    now_iso,
)
from calfload.journal._reads import JournalReads
from calfload.journal._records import (
    AddOutcome,
    PreparedSession,
    activity_of,
    analysis_record,
    check_exercise,
    session_side,
    stream_rows_of,
)
from calfload.loadmodel._force import EXERCISES
from calfload.loadmodel._workout import Workout, check_workout, workout_analysis, workout_fingerprint
from calfload.vocabulary import ACTIVITIES

if TYPE_CHECKING:
    # pandas and pyarrow behind calfload.recording cost about 0.3 s to import; only imports need
    # them (write_parquet in prepare_session), not the read-only commands such as review.
    from calfload.recording import Recording
    from calfload.signal import SessionAnalysis

logger = package_logger(__name__)


class SessionWrites(JournalReads):
    """Sessions from recordings and workouts (:class:`calfload.journal.Journal` adds the other entries)."""

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One transaction (see :meth:`calfload.journal.Journal.transaction`)."""
        raise NotImplementedError

    def _storage_error(self, exc: sqlite3.OperationalError) -> CalfloadError:
        raise NotImplementedError

    def find_content(self, content_sha256: str) -> int | None:
        """Id of the session imported from a file with this content (alone or as one of its files), if any."""
        row = self._conn.execute(
            "SELECT id FROM session WHERE content_sha256 = ? "
            "UNION ALL SELECT session_id FROM session_file WHERE content_sha256 = ?",
            (content_sha256, content_sha256),
        ).fetchone()
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
        files: tuple[tuple[str, str], ...] = (),
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
        files
            ``(content hash, name)`` of each file of a session joined from several (the two feet);
            ``content_sha256`` is then the hash of the set.

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
                "give one with `start` (YYYY-MM-DDTHH:MM)",
                file=source_name,
                value=start.isoformat(),
                parameter="start",
            )
        if start > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE or local_date_of(start)[0] > self.today:
            raise JournalError(
                f"{source_name}: the recording starts in the future ({start.isoformat()}); "
                "check the sensor's clock or give `start`",
                file=source_name,
                value=start.isoformat(),
                parameter="start",
            )
        activity = activity_of(main, analysis)
        if activity is None:
            raise JournalError(
                f"{source_name}: the analysis did not say what the activity was; give `activity` "
                f"({', '.join(ACTIVITIES)})",
                file=source_name,
                expected=", ".join(ACTIVITIES),
                parameter="activity",
            )
        has_exercises = any(e.activity == activity for e in EXERCISES.values())
        if main.meta.exercise is not None and (exercise_given or has_exercises):
            check_exercise(main.meta.exercise, activity, source=source_name)
        rows = stream_rows_of(content_sha256, streams)
        return PreparedSession(
            content_sha256=content_sha256,
            source_name=source_name,
            meta=main.meta,
            activity=activity,
            analysis=analysis,
            side=session_side(main, streams),
            stream_rows=rows,
            staged=self._stage_streams(streams, rows, source_name),
            files=files,
        )

    def add_prepared(self, prepared: PreparedSession) -> AddOutcome:
        """Add a prepared session, its streams moved into place (idempotent: the same content is stored once).

        The check for the same content, the recording files' move into place and the new rows are
        one write transaction, which SQLite serialises between processes: of two imports of one
        file at once, the second finds the first's session and changes nothing, its files included
        (its own staged copies are removed).
        """
        with self.transaction() as c:
            for digest in (prepared.content_sha256, *(d for d, _ in prepared.files)):
                existing = self.find_content(digest)
                if existing is not None:
                    self.discard_prepared(prepared)
                    return AddOutcome(existing, False, prepared.source_name)
            self._place_streams(prepared)
            meta = prepared.meta
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
                    prepared.activity,
                    meta.exercise,
                    meta.added_load_kg,
                    prepared.side,
                    meta.placement,
                    round(analysis.duration_s, 2),
                    meta.to_json(),
                    analysis_record(analysis),
                    now_iso(),
                ),
            )
            session_id = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO stream (session_id, kind, side, path) VALUES (?, ?, ?, ?)",
                [(session_id, kind, side, path) for kind, side, path in prepared.stream_rows],
            )
            c.executemany(
                "INSERT INTO session_file (content_sha256, session_id, source_name) VALUES (?, ?, ?)",
                [(digest, session_id, name) for digest, name in prepared.files],
            )
        logger.info("added session %d from %s", session_id, prepared.source_name)
        return AddOutcome(session_id, True, prepared.source_name)

    def discard_prepared(self, prepared: PreparedSession) -> None:
        """Remove a prepared session's staged streams (an import that failed or found the session stored)."""
        for path in prepared.staged:
            path.unlink(missing_ok=True)

    def _stage_streams(
        self, streams: Sequence[Recording], rows: Sequence[tuple[str, str, str]], source_name: str
    ) -> tuple[Path, ...]:
        """Write each stream as Parquet, synced, under a temporary name beside its place; return those names."""
        from calfload._files import temp_name
        from calfload.recording import write_parquet

        staged: list[Path] = []
        try:
            folder = private_dir(self.data_dir / RECORDINGS_DIR)
            for rec, (_, _, rel) in zip(streams, rows, strict=True):
                staged.append(write_parquet(rec, temp_name(folder.parent / rel)))
        except OSError as exc:
            for path in staged:
                path.unlink(missing_ok=True)
            raise StorageError(
                f"{source_name}: cannot store the recording in {self.data_dir / RECORDINGS_DIR}: "
                f"{os_error_text(exc)}; the journal is unchanged"
            ) from None
        return tuple(staged)

    def _place_streams(self, prepared: PreparedSession) -> None:
        """Move a prepared session's staged streams into place, before the rows that refer to them."""
        from calfload._files import fsync_dir

        try:
            for staged, (_, _, rel) in zip(prepared.staged, prepared.stream_rows, strict=True):
                # A file of this name can only be an interrupted import's copy of the same content.
                staged.replace(self.data_dir / rel)
            fsync_dir(self.data_dir / RECORDINGS_DIR)
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
            count = int(
                c.execute(
                    "SELECT count(*) FROM session WHERE local_date = ? AND kind = 'manual'", (day.isoformat(),)
                ).fetchone()[0]
            )
            # After a deletion or a date correction the count can name a session still stored: take the next.
            while self.find_content(fingerprint := workout_fingerprint(workout, count)) is not None:
                count += 1
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
                    analysis_record(analysis),
                    now_iso(),
                ),
            )
        return AddOutcome(int(cur.lastrowid or 0), True, name)
