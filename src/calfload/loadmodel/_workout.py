"""A session logged by hand (``calfload log workout``): a run or a calf session without a recording.

The journal stores it as a session like an imported one, with an analysis summary in the shapes
of ``DESIGN.md`` built from what was typed. Nothing is invented silently: a run's steps are
estimated from its duration at the athlete's habitual cadence (and its duration from the
distance at the easy pace when not given), and the summary says so; a calf session has no tempo
audit (its reps are not counted for or against the 80 % tempo rule).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calfload.errors import JournalError
from calfload.loadmodel._force import EXERCISES

if TYPE_CHECKING:  # the result types come with NumPy: built only when a workout is logged
    from calfload.signal import SessionAnalysis

#: The ``source`` of the analysis of a session logged by hand.
MANUAL_SOURCE = "manual"
#: A hand-logged set of this many reps or more is an endurance set (60 s at about one raise per 2 s).
ENDURANCE_MIN_REPS = 25
#: Activities that can be logged without a recording.
WORKOUT_ACTIVITIES = ("run", "walk", "calf_raise")
_SETS_REPS = re.compile(r"^\s*(\d{1,2})\s*[x×X*]\s*(\d{1,3})\s*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Workout:
    """What the athlete typed about one session without a recording.

    Parameters
    ----------
    activity
        ``run``, ``walk`` or ``calf_raise``.
    day
        The calendar day.
    distance_km, duration_min
        Runs and walks: at least one of them.
    sets, reps
        Calf sessions: sets x reps.
    added_load_kg
        Calf sessions: weight carried.
    exercise
        Calf sessions: the exercise (default single-leg standing raises).
    """

    activity: str
    day: dt.date
    distance_km: float | None = None
    duration_min: float | None = None
    sets: int | None = None
    reps: int | None = None
    added_load_kg: float | None = None
    exercise: str | None = None


def parse_sets_reps(text: str) -> tuple[int, int]:
    """Parse ``3x12`` (also ``3 × 12``) into ``(3, 12)``.

    Examples
    --------
    >>> parse_sets_reps("3x12"), parse_sets_reps("2 × 10")
    ((3, 12), (2, 10))
    """
    m = _SETS_REPS.match(text)
    if m is None or int(m.group(1)) < 1 or int(m.group(2)) < 1:
        raise JournalError(
            f"`sets_reps` looks like 3x12 (sets x reps), not {text!r}", value=text, parameter="sets_reps"
        )
    return int(m.group(1)), int(m.group(2))


def check_workout(w: Workout) -> None:
    """Refuse a workout that does not make sense, in one line (nothing is written)."""
    if w.activity not in WORKOUT_ACTIVITIES:
        raise JournalError(
            f"`activity` is one of {', '.join(WORKOUT_ACTIVITIES)}, not {w.activity!r}",
            value=w.activity,
            expected=", ".join(WORKOUT_ACTIVITIES),
            parameter="activity",
        )
    if w.activity == "calf_raise":
        if w.sets is None or w.reps is None:
            raise JournalError("a calf_raise workout needs `sets_reps`, e.g. 3x12", parameter="sets_reps")
        if w.distance_km is not None:
            raise JournalError("`distance_km` is for runs and walks, not calf_raise", parameter="distance_km")
        if w.exercise is not None and (w.exercise not in EXERCISES or EXERCISES[w.exercise].activity != "calf_raise"):
            names = ", ".join(n for n, e in EXERCISES.items() if e.activity == "calf_raise")
            raise JournalError(f"unknown calf-raise exercise {w.exercise!r}; use one of {names}")
        if w.added_load_kg is not None and not 0 <= w.added_load_kg <= 200:
            raise JournalError(
                f"`added_load_kg` must be 0-200 kg, got {w.added_load_kg:g}",
                value=w.added_load_kg,
                expected="0-200 kg",
                parameter="added_load_kg",
            )
        return
    if w.sets is not None or w.added_load_kg is not None or w.exercise is not None:
        raise JournalError("`sets_reps`, `added_load_kg` and `exercise` are for calf_raise workouts")
    if w.distance_km is None and w.duration_min is None:
        raise JournalError(f"a {w.activity} workout needs `distance_km` or `duration_min`", parameter="distance_km")
    if w.distance_km is not None and not 0 < w.distance_km <= 300:
        raise JournalError(
            f"`distance_km` must be above 0 and at most 300, got {w.distance_km:g}",
            value=w.distance_km,
            expected="above 0 and at most 300 km",
            parameter="distance_km",
        )
    if w.duration_min is not None and not 0 < w.duration_min <= 24 * 60:
        raise JournalError(
            f"`duration_min` must be 1 minute to 24 hours, got {w.duration_min:g}",
            value=w.duration_min,
            expected="1 minute to 24 hours",
            parameter="duration_min",
        )


def workout_analysis(w: Workout, *, cadence_spm: float, easy_speed_mps: float) -> SessionAnalysis:
    """The typed analysis result of a logged workout (``source="manual"``).

    A calf session is its sets of counted reps without phase times (no tempo audit: the load model
    leaves manual reps out of tempo compliance); a run or walk has its distance and duration, and
    steps estimated at ``cadence_spm`` (its ``warnings`` say what was estimated).
    """
    from calfload.signal import CalfRaiseAnalysis, CalfRaiseParams, CalfRep, CalfSet, GaitAnalysis, GaitParams

    if w.activity == "calf_raise":
        if w.sets is None or w.reps is None:
            raise JournalError("a calf_raise workout needs `sets_reps`, e.g. 3x12", parameter="sets_reps")
        reps = w.reps
        rows = tuple(
            CalfRep(
                set=k, index=i, start_s=0.0, end_s=0.0, concentric_s=0.0, top_hold_s=0.0, eccentric_s=0.0,
                bottom_s=None, eccentric_pass=False, excursion_deg=0.0, peak_rise_dps=0.0, peak_lowering_dps=0.0,
            )
            for k in range(1, w.sets + 1)
            for i in range(1, reps + 1)
        )  # fmt: skip
        sets = tuple(
            CalfSet(
                index=k, rep_count=reps, start_s=0.0, end_s=0.0, time_under_tension_s=0.0, tempo_pass_rate=0.0,
                mean_eccentric_s=0.0, partial_rep_count=0, endurance=reps >= ENDURANCE_MIN_REPS,
            )
            for k in range(1, w.sets + 1)
        )  # fmt: skip
        return CalfRaiseAnalysis(
            reps=rows, partial_reps=(), sets=sets, params=CalfRaiseParams(), duration_s=0.0, sample_rate_hz=0.0,
            walking_s=(), gaps_s=(), placement="unknown", source=MANUAL_SOURCE,
        )  # fmt: skip
    distance_m = w.distance_km * 1000.0 if w.distance_km is not None else None
    estimated = []
    if w.duration_min is not None:
        duration_s = w.duration_min * 60.0
    elif distance_m is not None:
        duration_s = distance_m / easy_speed_mps
        estimated.append(f"duration estimated from the distance at {easy_speed_mps:.2f} m/s")
    else:
        raise JournalError(f"a {w.activity} workout needs `distance_km` or `duration_min`", parameter="distance_km")
    estimated.append(f"steps estimated from the duration at {cadence_spm:.0f} steps/min")
    return GaitAnalysis(
        activity=w.activity, activity_detected=False, duration_s=duration_s,
        steps=round(cadence_spm * duration_s / 60.0), steps_doubled_from_one_foot=False, strides=None,
        cadence_mean_spm=None, cadence_median_spm=None, series=(), ground_contact_median_ms=None, bouts=(),
        source=MANUAL_SOURCE, placement="unknown", device="", speed_mps=None, distance_m=distance_m,
        warnings=tuple(estimated), imu=None, footpod=None, params=GaitParams.for_placement("unknown"),
    )  # fmt: skip


def workout_fingerprint(w: Workout, count_that_day: int) -> str:
    """A content hash for the session table: the typed values and how many were logged that day before."""
    text = json.dumps(
        [
            w.activity,
            w.day.isoformat(),
            w.distance_km,
            w.duration_min,
            w.sets,
            w.reps,
            w.added_load_kg,
            w.exercise,
            count_that_day,
        ]
    )
    return "manual:" + hashlib.sha256(text.encode()).hexdigest()


__all__ = [
    "MANUAL_SOURCE",
    "WORKOUT_ACTIVITIES",
    "Workout",
    "check_workout",
    "parse_sets_reps",
    "workout_analysis",
    "workout_fingerprint",
]
