"""The load model's records of one session: what goes in and what comes out.

In: :class:`SessionInput` and the :class:`Athlete`; out: :class:`SessionLoad`, with the
:class:`StrengthDose` of strength work.

The model itself, a pure function of these, is :func:`calfload.loadmodel.session_load`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from calfload.loadmodel._force import Exercise
from calfload.loadmodel._params import DEFAULT_PARAMETERS

if TYPE_CHECKING:  # the result types come with NumPy; review reads stored loads without them
    from calfload.signal import SessionAnalysis

#: Activities whose sessions are programme work (strength or plyometrics): spaced 48 h apart.
HEAVY_ACTIVITIES: Final = frozenset({"calf_raise", "hops"})


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionInput:
    """What the load model needs from one journal session.

    Parameters
    ----------
    session_id
        The journal's id (``None`` for sessions not stored yet).
    start_utc
        Start of the recording (timezone-aware).
    local_date
        The athlete's calendar date of the session.
    activity
        ``calf_raise``, ``hops``, ``run``, ``walk``.
    analysis
        The session's typed analysis result.
    exercise
        The metadata's exercise, if given.
    added_load_kg
        Weight carried, if given.
    side
        ``left``, ``right``, ``both`` or ``unknown``: which leg the sensor was on.
    """

    session_id: int | None = None
    start_utc: dt.datetime
    local_date: dt.date
    activity: str
    analysis: SessionAnalysis
    exercise: str | None = None
    added_load_kg: float | None = None
    side: str = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class Athlete:
    """The athlete figures the load model depends on.

    Parameters
    ----------
    body_mass_kg
        Latest logged body mass, ``None`` when never logged.
    easy_run_speed_mps
        Speed of the athlete's easy runs; ``F_easy`` is the running force at this speed.
    habitual_cadence_spm
        The athlete's usual running cadence.
    """

    body_mass_kg: float | None = None
    easy_run_speed_mps: float = DEFAULT_PARAMETERS.damage.default_easy_speed_mps
    habitual_cadence_spm: float = DEFAULT_PARAMETERS.damage.default_cadence_spm


@dataclass(frozen=True, slots=True, kw_only=True)
class StrengthDose:
    """What was done in a strength session, for the programme's next step.

    Parameters
    ----------
    exercise
        The exercise (resolved).
    sets
        Number of regular (strength) sets; 0 for a session of endurance sets only, which has no
        sets x reps dose (:meth:`History.latest_dose` skips it).
    reps_per_set
        Median reps per regular set (0 without regular sets).
    added_load_kg
        Weight carried.
    endurance_set_s
        Time under tension of the longest endurance set (:func:`is_endurance_set`), 0 without one.
    tempo_varied
        Whether the reps used a slow rise or a top hold (a tempo variation).
    """

    exercise: Exercise
    sets: int
    reps_per_set: int
    added_load_kg: float
    endurance_set_s: float
    tempo_varied: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionLoad:
    """The load of one session, per leg.

    Parameters
    ----------
    session_id, local_date, start_utc, activity
        Copied from the input.
    exercise
        The resolved exercise name (``None`` for runs and walks).
    exercise_assumed
        True when the metadata gave no (known) exercise and the default was used.
    legs
        Legs this load applies to.
    cycles_per_leg
        Loading cycles of each leg (steps / 2, reps, contacts).
    peak_force_bw
        Peak Achilles force per cycle (body weights, 5 cm moment arm).
    load_au
        Damage-weighted load per leg, in easy-run-equivalent cycles.
    impulse_bw_s
        Sum of force x contact time x shape factor per leg, when contact times are known.
    duration_s, distance_m
        Session duration and distance, when known.
    tut_s
        Time under tension of strength work.
    reps_total, reps_passed
        Reps audited for tempo and those lowered slowly enough.
    stimulus_bw_s
        Strength stimulus ``S = sum F t_rep``.
    dose
        The strength dose (calf raises only).
    notes
        Assumptions made for this session (missing speed, body mass, exercise).
    """

    session_id: int | None
    local_date: dt.date
    start_utc: dt.datetime
    activity: str
    exercise: str | None
    exercise_assumed: bool = False
    legs: tuple[str, ...]
    cycles_per_leg: float
    peak_force_bw: float
    load_au: float
    impulse_bw_s: float | None = None
    duration_s: float | None = None
    distance_m: float | None = None
    tut_s: float | None = None
    reps_total: int = 0
    reps_passed: int = 0
    stimulus_bw_s: float | None = None
    dose: StrengthDose | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def is_heavy(self) -> bool:
        """Strength or plyometric work (the sessions that need 48 h between them)."""
        return self.activity in HEAVY_ACTIVITIES

    @property
    def tempo_pass_rate(self) -> float | None:
        """Share of audited reps lowered slowly enough, ``None`` without reps."""
        return self.reps_passed / self.reps_total if self.reps_total else None


__all__ = ["HEAVY_ACTIVITIES", "Athlete", "SessionInput", "SessionLoad", "StrengthDose"]
