"""Parameters and results of the bout segmentation (:mod:`calfload.signal._bouts`).

Kept apart from the segmentation so the result types import without the analysis (``calfload
review`` reads stored results and must start quickly).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: What a bout can be: gait (``walk``, ``run``), ``stand`` (standing or sitting still),
#: ``calf_raise``, ``hops``, or ``other`` movement without steps (turning on the spot, reaching).
BOUT_ACTIVITIES = ("walk", "run", "stand", "calf_raise", "hops", "other")
#: The part of a session a gait bout is, when the session has fast stretches.
BOUT_PARTS = ("warm-up", "interval", "recovery", "cool-down")


@dataclass(frozen=True, slots=True, kw_only=True)
class BoutParams:
    """Thresholds of :func:`calfload.signal._bouts.segment_bouts`; every one has a unit in its name.

    Parameters
    ----------
    max_pause_s
        Steps further apart than this end a gait bout; shorter pauses are bridged (Mobilise-D's
        walking-bout assembly, mobgap's default: breaks up to 3 s).
    min_bout_steps
        Fewest steps of a gait bout (dimensionless count; four strides, as mobgap's default);
        fewer are ``other``.
    cadence_smooth_s
        Width of the centred running median of the step cadence that walk/run and pace read.
    run_above_spm, walk_below_spm
        Hysteresis of the walk/run decision on the smoothed cadence: a walk becomes a run above
        the first, a run a walk below the second (between them the gait stays as it was).
    min_part_s
        Shortest walk or run stretch, and shortest fast or easy stretch; shorter ones join their
        neighbours.
    min_cadence_change, min_speed_change
        Smallest relative difference between the fast and the easy level that splits a run into
        intervals, by cadence, or by speed where the data have it (dimensionless). Speed varies
        more than cadence in a steady run (hills, GPS), and between intervals much more.
    min_separation
        Smallest Otsu separability of the run's pace values (between-level over total variance;
        dimensionless) for two levels: a steady run's scatter, split in two, reaches about 0.64.
    pace_hysteresis
        Half-width of the band around the threshold between the two levels, as a share of their
        difference (dimensionless).
    edge_s
        Seconds at each end of a pause left out when its windows are classified (the first and
        last step's movement).
    """

    max_pause_s: float = 3.0
    min_bout_steps: int = 8
    cadence_smooth_s: float = 10.0
    run_above_spm: float = 145.0
    walk_below_spm: float = 130.0
    min_part_s: float = 20.0
    min_cadence_change: float = 0.04
    min_speed_change: float = 0.1
    min_separation: float = 0.75
    pace_hysteresis: float = 0.25
    edge_s: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Bout:
    """One stretch of a recording with one activity, analysed on its own.

    Parameters
    ----------
    activity
        One of :data:`BOUT_ACTIVITIES`.
    start_s, end_s
        On the recording's clock: the first and last step of a gait bout, the pause between them
        otherwise.
    part
        ``warm-up``, ``interval``, ``recovery`` or ``cool-down`` when the session has fast
        stretches, else None.
    steps
        Steps in the bout (gait only).
    cadence_median_spm, cadence_mean_spm
        The bout's median and mean cadence (gait only).
    ground_contact_median_ms
        Median contact time of the bout (foot sensors).
    duty_factor
        Contact time over stride time (foot sensors).
    speed_mps, distance_m
        Where the data give them.
    reps
        Calf raises the calf analysis finds in a ``calf_raise`` bout (:mod:`calfload.signal._bouts_calf`).
    """

    activity: str
    start_s: float
    end_s: float
    part: str | None = None
    steps: int | None = None
    cadence_median_spm: float | None = None
    cadence_mean_spm: float | None = None
    ground_contact_median_ms: float | None = None
    duty_factor: float | None = None
    speed_mps: float | None = None
    distance_m: float | None = None
    reps: int | None = None

    @property
    def duration_s(self) -> float:
        """Length of the bout."""
        return self.end_s - self.start_s

    @property
    def is_gait(self) -> bool:
        """True for walking and running bouts."""
        return self.activity in ("walk", "run")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, rounded (the ``segments`` records of ``calfload analyze --json``)."""
        return {
            "activity": self.activity,
            "part": self.part,
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
            "duration_s": round(round(self.end_s, 2) - round(self.start_s, 2), 2),
            "steps": self.steps,
            "cadence_median_spm": _r(self.cadence_median_spm, 1),
            "cadence_mean_spm": _r(self.cadence_mean_spm, 1),
            "ground_contact_median_ms": _r(self.ground_contact_median_ms, 0),
            "duty_factor": _r(self.duty_factor, 3),
            "speed_mps": _r(self.speed_mps, 2),
            "distance_m": _r(self.distance_m, 1),
            **({} if self.reps is None else {"reps": self.reps}),
        }


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None or not math.isfinite(x) else round(x, digits)


__all__ = ["BOUT_ACTIVITIES", "BOUT_PARTS", "Bout", "BoutParams"]
