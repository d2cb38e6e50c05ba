"""Parameters and results of the walk and run analysis (:mod:`calfload.signal._gait`).

Every parameter carries its unit in its name; results are frozen and serialise to the
``calfload analyze --json`` object of DESIGN.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from calfload.signal._bouts_types import Bout
from calfload.signal._gait_params import GaitParams
from calfload.signal._trajectory_types import Stride, StrideSummary, StrideTable
from calfload.signal._version import current_version

if TYPE_CHECKING:
    import pandas as pd

    # Parts only some results have: a foot IMU's analysis loads neither the detector's guess, the
    # foot pod's figures and running dynamics of foot pods and FIT files, nor the two-feet balance
    # (their frozen dataclasses cost their class creation at every start). The stored-record
    # reader imports them itself.
    from calfload.signal._activity_pace import QuietPieces
    from calfload.signal._activity_types import ActivityGuess
    from calfload.signal._footpod_types import FootpodGaitDetails
    from calfload.signal._gait_sides import FeetBalance
    from calfload.signal._run_dynamics_types import RunningDynamics


@dataclass(frozen=True, slots=True, eq=False)
class StrideEvents:
    """The events behind an IMU walk/run result, so that a part of it has figures of its own (the bouts).

    Attributes
    ----------
    instants_s
        Stride (foot, shank, thigh) or step (trunk, wrist) instants, one increasing array per
        recording, on the first recording's clock.
    contact_at_s
        Initial contact of every foot stride with a ground contact time (both feet together).
    contacts_ms, strides_s
        That stride's contact time and stride time.
    landings_s
        The instant (initial contact) inside each of the result's ``stride_rows``.
    """

    instants_s: tuple[np.ndarray, ...] = ()
    contact_at_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    contacts_ms: np.ndarray = field(default_factory=lambda: np.zeros(0))
    strides_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    landings_s: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True, slots=True)
class GaitBout:
    """A stretch of continuous walking or running."""

    start_s: float
    end_s: float
    steps: int
    cadence_spm: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded: every float field to 2 decimals (written out: ``asdict`` deep-copies each field)."""
        return {
            "start_s": _round2(self.start_s),
            "end_s": _round2(self.end_s),
            "steps": _round2(self.steps),
            "cadence_spm": _round2(self.cadence_spm),
        }


def _round2(value: Any) -> Any:
    """A float rounded to 2 decimals; anything else (an int, None) as it is."""
    return round(value, 2) if isinstance(value, float) else value


@dataclass(frozen=True, slots=True, kw_only=True)
class ImuGaitDetails:
    """Figures only the IMU path measures.

    Parameters
    ----------
    sides
        The ``side`` of each analysed recording, in order.
    duty_factor
        Contact time over stride time, or None without contact times.
    ground_contact_iqr_ms
        25th and 75th percentile of the contact times (rounded to 1 ms), or None.
    accuracy_note
        Said when the sensor was not on the foot (steps and cadence are best effort).
    """

    sides: tuple[str, ...]
    duty_factor: float | None
    ground_contact_iqr_ms: tuple[float, float] | None
    accuracy_note: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The keys these figures add to the ``calfload analyze --json`` object."""
        doc: dict[str, object] = {
            "sides": list(self.sides),
            "duty_factor": self.duty_factor,
            "ground_contact_ms_iqr": None if self.ground_contact_iqr_ms is None else list(self.ground_contact_iqr_ms),
        }
        if self.accuracy_note is not None:
            doc["accuracy_note"] = self.accuracy_note
        return doc


@dataclass(frozen=True, slots=True)
class GaitAnalysis:
    """Result of :func:`analyze_gait`: the walk/run object of ``calfload analyze --json``.

    Attributes
    ----------
    activity
        ``walk`` or ``run``.
    activity_detected
        True when the activity was detected from the data, not given.
    duration_s
        Recording duration.
    steps
        Steps of both feet; None when unknown (a FIT file that records no cadence), never 0.
    steps_doubled_from_one_foot
        True when one foot's strides were doubled into steps.
    strides
        Strides (swings) found per foot, or None for trunk, wrist and foot-pod data.
    cadence_mean_spm, cadence_median_spm
        Steps per minute of walking or running time, and the median of the step intervals.
    series
        ``(t_s, cadence_spm)`` rows.
    ground_contact_median_ms
        Median contact time of one foot, or None.
    bouts
        The walking or running bouts.
    source
        ``imu`` or ``footpod`` (``fit`` when the foot-pod stream came from a FIT file).
    placement
        Sensor placement analysed.
    device
        Sensor model(s).
    speed_mps, distance_m
        Mean moving speed and distance: what a foot pod or FIT file reports, or for foot IMUs
        what zero-velocity-aided integration of each stride measured
        (:mod:`calfload.signal._trajectory`); None when neither is known.
    stride_length_m
        Median stride length (same foot): the foot IMU's strides, or a foot pod's speed over
        cadence; None when unknown.
    speed_source
        Where speed and distance came from: ``imu_zupt`` (foot-IMU strides), ``device`` (the
        foot pod or FIT file), or None.
    stride_lengths
        The foot-IMU stride figures behind speed and distance (count, spread, strides left out).
    stride_rows
        Every foot-IMU stride (length, speed, rise), a
        :class:`~calfload.signal._trajectory_types.StrideTable` from the analysis (any sequence of
        rows is taken); not in the JSON (:meth:`strides_frame`).
    warnings
        Plausibility problems.
    imu
        Figures of the IMU path (None for foot pods and FIT files).
    footpod
        Figures of the foot-pod and FIT path (None for IMUs).
    dynamics
        Heart rate, pace, power, contact, balance, laps and Stryd's fields that a foot pod or
        FIT file reported (:mod:`calfload.signal._run_dynamics`), or None.
    both_feet
        Contact time per foot, its balance and step-time asymmetry, when a left and a right foot
        recording were analysed together (:mod:`calfload.signal._gait_sides`), else None.
    params
        The parameters used.
    calfload_version
        The calfload that produced the result.
    step_times_s
        Swing (foot) or step (trunk, wrist) instants on the first recording's clock; not in the JSON.
    events
        The per-recording instants and per-stride contacts behind the figures (IMU only; not in
        the JSON nor in the journal): the bouts' figures come from them.
    detection
        How the signal told gait from calf raises, hops and standing when nobody named the
        activity (:func:`calfload.signal._activity.detect_activity`), else None. In the JSON as
        ``activity_detection``; diagnostic, not kept in the journal's record.
    segments
        The recording split into walking, running, standing, calf-raise, hop and other bouts,
        each gait bout analysed on its own, with warm-up, intervals, recoveries and cool-down
        (:func:`calfload.signal._bouts.segment_bouts`); empty where not segmented (foot pods and
        FIT files). In the JSON as ``segments`` when not empty.
    quiet_pieces
        Where a shank's or thigh's acceleration stayed near 1 g, when the analysis measured it
        (:class:`calfload.signal._activity_pace.QuietMeasure`: a leg at a running cadence), so
        the bouts do not measure it again; else None. Not in the JSON nor in the journal.
    """

    activity: str
    activity_detected: bool
    duration_s: float
    steps: int | None
    steps_doubled_from_one_foot: bool
    strides: tuple[int, ...] | None
    cadence_mean_spm: float | None
    cadence_median_spm: float | None
    series: tuple[tuple[float, float], ...]
    ground_contact_median_ms: float | None
    bouts: tuple[GaitBout, ...]
    source: str
    placement: str
    device: str
    speed_mps: float | None = None
    distance_m: float | None = None
    stride_length_m: float | None = None
    speed_source: str | None = None
    stride_lengths: StrideSummary | None = None
    stride_rows: Sequence[Stride] = field(default_factory=StrideTable.empty, compare=False)
    warnings: tuple[str, ...] = ()
    imu: ImuGaitDetails | None = None
    footpod: FootpodGaitDetails | None = None
    dynamics: RunningDynamics | None = None
    both_feet: FeetBalance | None = None
    params: GaitParams = field(default_factory=GaitParams)
    step_times_s: np.ndarray = field(default_factory=lambda: np.zeros(0), compare=False)
    events: StrideEvents = field(default_factory=StrideEvents, compare=False)
    calfload_version: str = field(default_factory=current_version)
    detection: ActivityGuess | None = field(default=None, compare=False)
    # Bouts and segments (issue 18 item 3).
    segments: tuple[Bout, ...] = ()
    quiet_pieces: QuietPieces | None = field(default=None, compare=False, repr=False)

    def bouts_frame(self) -> pd.DataFrame:
        """The bouts as a pandas DataFrame (columns: :data:`calfload.schema.GAIT_BOUTS`)."""
        from calfload._result_tables import GAIT_BOUTS  # pyarrow: only when a frame is asked for

        return GAIT_BOUTS.frame(asdict(b) for b in self.bouts)

    def cadence_frame(self) -> pd.DataFrame:
        """The cadence series as a pandas DataFrame (columns: :data:`calfload.schema.GAIT_CADENCE`)."""
        from calfload._result_tables import GAIT_CADENCE  # pyarrow: only when a frame is asked for

        return GAIT_CADENCE.frame({"t_s": t, "cadence_spm": c} for t, c in self.series)

    def steps_frame(self) -> pd.DataFrame:
        """Swing or step instants as a pandas DataFrame (columns: :data:`calfload.schema.GAIT_STEPS`)."""
        from calfload._result_tables import GAIT_STEPS  # pyarrow: only when a frame is asked for

        return GAIT_STEPS.frame({"t_s": float(t)} for t in self.step_times_s)

    def strides_frame(self) -> pd.DataFrame:
        """Foot-IMU strides as a pandas DataFrame (columns: :data:`calfload.schema.GAIT_STRIDES`)."""
        from calfload._result_tables import GAIT_STRIDES  # pyarrow: only when a frame is asked for

        return GAIT_STRIDES.frame(asdict(s) for s in self.stride_rows)

    def to_dict(self) -> dict[str, Any]:
        """The ``calfload analyze --json`` object for walks and runs (DESIGN.md) with extras."""
        return {
            "activity": self.activity,
            "activity_detected": self.activity_detected,
            "duration_s": round(self.duration_s, 2),
            "steps": self.steps,
            "steps_doubled_from_one_foot": self.steps_doubled_from_one_foot,
            "strides": None if self.strides is None else list(self.strides),
            "cadence_spm": self._cadence_doc(),
            "cadence_series": [{"t_s": round(t, 1), "cadence_spm": round(c, 1)} for t, c in self.series],
            "ground_contact_ms": {"median": _r(self.ground_contact_median_ms, 0)},
            "bouts": [b.to_dict() for b in self.bouts],
            "source": self.source,
            "placement": self.placement,
            "device": self.device,
            "speed_mps": _r(self.speed_mps, 2),
            "distance_m": _r(self.distance_m, 1),
            "stride_length_m": _r(self.stride_length_m, 3),
            "speed_source": self.speed_source,
            **({} if self.stride_lengths is None else {"stride_lengths": self.stride_lengths.to_dict()}),
            "warnings": list(self.warnings),
            **(self.imu.to_dict() if self.imu is not None else {}),
            **(self.footpod.to_dict() if self.footpod is not None else {}),
            **({} if self.dynamics is None else {"running_dynamics": self.dynamics.to_dict()}),
            **({} if self.both_feet is None else {"both_feet": self.both_feet.to_dict()}),
            **({} if self.detection is None else {"activity_detection": self.detection.to_dict()}),
            **({"segments": [b.to_dict() for b in self.segments]} if self.segments else {}),
        }

    def _cadence_doc(self) -> dict[str, float | None]:
        """Mean and median; for foot pods and FIT files also the moving cadence and the device's average."""
        doc = {"mean": _r(self.cadence_mean_spm, 1), "median": _r(self.cadence_median_spm, 1)}
        if self.footpod is not None:
            doc["moving"] = self.footpod.cadence_mean_from_records_spm
            summary = self.footpod.device_summary
            doc["device_average"] = None if summary is None else summary.avg_cadence_spm
        return doc


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None or not math.isfinite(x) else round(x, digits)
