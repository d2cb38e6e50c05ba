"""What the journal stores and returns, and the checks an entry passes before it is written."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from calfload._logger import package_logger
from calfload.errors import JournalError
from calfload.journal._paths import RECORDINGS_DIR
from calfload.loadmodel._force import EXERCISES
from calfload.loadmodel._session import SessionInput
from calfload.vocabulary import ACTIVITIES

if TYPE_CHECKING:
    # pandas and pyarrow behind calfload.recording cost about 0.3 s to import; only imports need
    # them (write_parquet in prepare_session), not the read-only commands such as review.
    from calfload.recording import Recording
    from calfload.schema import RecordingMeta
    from calfload.signal import SessionAnalysis  # the result types come with NumPy

logger = package_logger(__name__)


PAIN_MIN, PAIN_MAX = 0, 10
HEEL_RISE_REPS_RANGE: Final = (0, 300)


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
        Stream kind -> Parquet path (absolute); of a session with a sensor on each foot, ``imu``
        is the left foot's.
    feet
        The left and the right foot's IMU streams of a session recorded with a sensor on each
        foot (two files, or a two-sensor session folder); empty otherwise.
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
    feet: tuple[Path, ...] = ()

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


@dataclass(frozen=True, slots=True)
class AddOutcome:
    """Result of adding one recording: its session id and whether it was new."""

    session_id: int
    created: bool
    source_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PreparedSession:
    """A recording analysed and its streams written to the data folder, ready to be added in a transaction.

    Build with :meth:`Journal.prepare_session`; add with :meth:`Journal.add_prepared`, or drop
    with :meth:`Journal.discard_prepared`. It holds no samples: the streams wait in the data
    folder under temporary names (``staged``) until the session is added, so an import of many
    long recordings holds one recording at a time. ``files`` names each source file (content
    hash, name) of a session joined from several (the two feet), so that importing one of them
    again finds this session.

    Parameters
    ----------
    meta
        The analysed stream's metadata.
    activity
        The session's activity (the analysis', else the metadata's).
    side
        ``both`` with a sensor on each foot, else the analysed stream's side.
    stream_rows
        ``(kind, side, path)`` of each stream, the path relative to the data folder (see
        :func:`stream_rows_of`).
    staged
        Where each stream waits (absolute), in the order of ``stream_rows``.
    """

    content_sha256: str
    source_name: str
    meta: RecordingMeta
    activity: str
    analysis: SessionAnalysis
    side: str
    stream_rows: tuple[tuple[str, str, str], ...]
    staged: tuple[Path, ...]
    files: tuple[tuple[str, str], ...] = ()


def stream_rows_of(content_sha256: str, streams: Sequence[Recording]) -> tuple[tuple[str, str, str], ...]:
    """``(kind, side, path)`` of each stream, the path relative to the data folder.

    A stream's side is ``unknown`` unless the session holds two streams of its kind (the two
    feet), which are then told apart by side in the row and in the file name.
    """
    kinds = [rec.meta.kind for rec in streams]
    rows = []
    for rec in streams:
        kind = rec.meta.kind
        side = rec.meta.side if kinds.count(kind) > 1 else "unknown"
        name = kind if side == "unknown" else f"{kind}.{side}"
        rows.append((kind, side, f"{RECORDINGS_DIR}/{content_sha256[:20]}.{name}.parquet"))
    return tuple(rows)


def session_side(main: Recording, streams: Sequence[Recording]) -> str:
    """``both`` with a sensor on each foot, else the analysed stream's side."""
    sides = {rec.meta.side for rec in streams if rec.meta.kind == "imu"}
    return "both" if {"left", "right"} <= sides else main.meta.side


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
    fits = ", ".join(known) if known else "none: give no exercise, or `activity` if the activity is wrong"
    raise JournalError(f"{prefix}{why}, not one for a {activity} session; use one of {fits}")


def analysis_record(analysis: SessionAnalysis) -> str:
    """The stored JSON of an analysis (:func:`calfload.signal.record_json`, imported only when one is written)."""
    from calfload.signal import record_json

    return record_json(analysis)


def activity_of(main: Recording, analysis: SessionAnalysis) -> str | None:
    activity = analysis.activity or main.meta.activity
    return str(activity) if activity in ACTIVITIES else None


def check_range(name: str, value: object, bounds: tuple[float, float], unit: str) -> None:
    lo, hi = bounds
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not lo <= value <= hi
    ):
        unit_text = f" {unit}" if unit else ""
        raise JournalError(f"{name} must be from {lo:g} to {hi:g}{unit_text}, got {value}")
