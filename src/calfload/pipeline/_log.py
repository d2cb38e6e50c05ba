"""Journal entries that need a decision before they are stored: a session's pain, a workout typed by hand.

``calfload log pain --session/--activity`` and ``calfload log workout`` call these; the other
entries (mass, a day's pain, VISA-A, baseline tests) are one :class:`calfload.journal.Journal`
method each.

Examples
--------
>>> import datetime as dt, tempfile
>>> from calfload.journal import Journal
>>> with tempfile.TemporaryDirectory() as folder, Journal(folder) as journal:
...     logged = log_workout(journal, activity="calf_raise", day=journal.today, sets_reps="3x12")
...     pain = log_session_pain(journal, day=logged.workout.day, activity="calf_raise", during=2)
...     (logged.workout.sets, logged.workout.reps), pain.session_id == logged.session_id, pain.during
((3, 12), True, 2)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calfload.journal import Journal
    from calfload.loadmodel._history import SessionPain
    from calfload.loadmodel._workout import Workout


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedWorkout:
    """A workout as stored.

    Parameters
    ----------
    session_id
        The session it became.
    workout
        What was stored: sets and reps read from ``sets_reps``, the day filled in.
    """

    session_id: int
    workout: Workout


def log_session_pain(
    journal: Journal,
    *,
    session_id: int | None = None,
    day: dt.date | None = None,
    activity: str | None = None,
    during: int | None = None,
    after: int | None = None,
    sharp: bool | None = None,
) -> SessionPain:
    """Store pain during and after one session, named by its id or as the one ``activity`` of ``day``.

    Parameters
    ----------
    journal
        An open journal.
    session_id
        The session; when None, the one session of ``activity`` on ``day`` (default: today).
    day, activity
        The day and activity that name the session when ``session_id`` is None.
    during, after
        Highest pain during the session and in the hours after it (0-10).
    sharp
        The session brought a sharp pain.

    Raises
    ------
    JournalError
        No session is named, ``day`` has no or several sessions of ``activity``, or a score is
        out of range; nothing is stored.
    """
    from calfload.errors import JournalError

    if session_id is None:
        if activity is None:
            raise JournalError("name the session by `session_id` or by `activity` (and `day`)", parameter="session_id")
        session_id = journal.session_of(day or journal.today, activity)
    return journal.log_session_pain(session_id, during=during, after=after, sharp=sharp)


def log_workout(
    journal: Journal,
    *,
    activity: str,
    day: dt.date | None = None,
    distance_km: float | None = None,
    duration_min: float | None = None,
    sets_reps: str | None = None,
    added_load_kg: float | None = None,
    exercise: str | None = None,
) -> LoggedWorkout:
    """Store a session done without a recording (its load is estimated, :mod:`calfload.loadmodel._workout`).

    Parameters
    ----------
    journal
        An open journal.
    activity
        ``run``, ``walk`` or ``calf_raise``.
    day
        The day (default: the journal's today).
    distance_km, duration_min
        Runs and walks: at least one of them.
    sets_reps
        Calf raises: sets x reps, e.g. ``3x12``.
    added_load_kg, exercise
        Calf raises: weight carried and the exercise (default single-leg standing).

    Raises
    ------
    JournalError
        ``sets_reps`` is not sets x reps, or the workout does not make sense; nothing is stored.
    """
    from calfload.loadmodel._workout import Workout, parse_sets_reps

    sets, reps = parse_sets_reps(sets_reps) if sets_reps is not None else (None, None)
    workout = Workout(
        activity=activity,
        day=day or journal.today,
        distance_km=distance_km,
        duration_min=duration_min,
        sets=sets,
        reps=reps,
        added_load_kg=added_load_kg,
        exercise=exercise,
    )
    return LoggedWorkout(session_id=journal.add_workout(workout).session_id, workout=workout)


__all__ = ["LoggedWorkout", "log_session_pain", "log_workout"]
