"""Parameters and results of the calf-raise analysis (:mod:`calfload.signal._calf_raise`).

Every parameter carries its unit in its name; results are frozen and serialise to the
``calfload analyze --json`` object of DESIGN.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from calfload.errors import AnalysisError
from calfload.signal._presets import placement_preset
from calfload.signal._rest import RestCriteria
from calfload.signal._version import current_version

if TYPE_CHECKING:
    import pandas as pd


def check_tempo(target_eccentric_s: float, tolerance_s: float) -> None:
    """Refuse a tolerance as long as the target lowering time: every rep would pass.

    Raises
    ------
    AnalysisError
        If ``tolerance_s >= target_eccentric_s`` (its ``parameter`` is ``tolerance_s``).
    """
    if tolerance_s >= target_eccentric_s:
        raise AnalysisError(
            f"`tolerance_s` ({tolerance_s:g} s) must be smaller than `target_eccentric_s` ({target_eccentric_s:g} s)",
            value=tolerance_s,
            expected=f"under {target_eccentric_s:g} s",
            parameter="tolerance_s",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CalfRaiseParams:
    """Parameters of :func:`analyze_calf_raises`; every one has a unit in its name.

    Parameters
    ----------
    target_eccentric_s
        Target lowering time of the tempo audit.
    tolerance_s
        A rep passes when its lowering lasts at least ``target - tolerance``.
    phase_threshold_fraction
        Share of a phase's peak angular speed that marks its start and end (DESIGN.md: 10 %).
    set_break_s
        Rest longer than this between two reps starts a new set.
    partial_fraction
        A movement smaller than this share of its set's median excursion is a partial rep.
    min_rep_excursion_deg
        Smallest foot-pitch excursion that can count as a rep.
    min_movement_deg
        Smaller heel lifts are postural sway and are not reported at all.
    heel_down_deg
        Pitch below which the heel is considered down.
    end_descent_fraction
        A movement the end of the data finds above ``heel_down_deg`` is over nevertheless if its
        lowering has stopped and brought the heel down by at least this share of its rise (the
        resting pitch can be a few degrees off at a file's end).
    min_phase_share
        A speed bump belongs to a phase only if it turns at least this share of the excursion.
    max_phase_pause_s
        A speed bump further than this from the phase's main motion is not part of it.
    omega_lowpass_hz
        Low-pass of the angular rate used for phase boundaries.
    drift_cutoff_hz
        Crossover of the complementary filter between gyro and accelerometer pitch.
    max_rate_hz
        Working sample rate; faster recordings are decimated.
    max_bridged_gap_s
        Gaps up to this long are bridged by interpolation.
    walking_speed_mps
        Foot speed above which a movement is a walking swing, not a raise.
    dorsiflexion_deg
        Toe-up pitch beyond which a brief heel lift is a walking step.
    max_step_s
        Longest heel lift (heel-off to heel down) that can be a walking step.
    step_swing_dps
        A brief heel lift whose foot turns down faster than this is a step's swing (walking swings
        exceed 200 deg/s; a raise lowered in 0.4 s stays near 100 deg/s).
    impact_mps2
        Acceleration transient above which a movement contains a heel strike.
    endurance_min_s
        Shortest continuous set reported as an endurance set.
    endurance_max_hold_s, endurance_max_bottom_s
        An endurance set is continuous: the median top hold and the median pause at the bottom
        between its reps stay below these.
    rest_window_s
        Window over which rest is judged (front end step 2).
    rest_tilt_deg, rest_tilt_cap_deg
        Rest needs gravity's direction to turn less than this over the window: the floor of the
        noise-adaptive threshold and its cap.
    rest_gyr_std_dps, rest_gyr_cap_dps
        Rest needs the gyroscope's standard deviation over the window below this: floor and cap.
    rest_acc_std_mps2, rest_acc_cap_mps2
        Rest needs the acceleration magnitude's standard deviation over the window below this:
        floor and cap.
    min_rest_run_s
        Shortest rest stretch used for the gyro bias and gravity.
    bias_drift_time_s
        Width of the Gaussian kernel that pools the rest stretches' gyro-bias estimates.
    tilt_lowpass_hz
        Low-pass of the accelerometer before its tilt enters the pitch (step 2).
    rest_pose_bin_deg
        Histogram bin of resting pitches whose most common bin is the heel-down pose (pitch zero).
    rest_pose_band_deg
        Resting pitches within this of that bin set the zero (their median); resting samples
        within this of zero give gravity at the bottom (the heel-down pose).
    summit_prominence_fraction
        A summit inside one excursion counts when its prominence reaches this share of the
        excursion's top (or ``min_movement_deg``) (step 3).
    valley_depth_fraction
        Two summits are two movements when the valley between them is below this share of the
        lower summit (step 3).
    step_pad_s
        Resting time before and after a movement searched for a step's swing and impact (step 4).
    phase_search_s
        A phase is searched at most this far before (rise) or after (lowering) its movement,
        and never past the neighbouring movement (step 5).
    walking_join_s
        Walking steps at most this far apart form one stretch of walking in ``walking_s``.
    """

    target_eccentric_s: float = 3.0
    tolerance_s: float = 0.5
    phase_threshold_fraction: float = 0.1
    set_break_s: float = 10.0
    partial_fraction: float = 1.0 / 3.0
    min_rep_excursion_deg: float = 8.0
    min_movement_deg: float = 4.0
    heel_down_deg: float = 2.5
    end_descent_fraction: float = 0.8
    min_phase_share: float = 0.1
    max_phase_pause_s: float = 0.3
    omega_lowpass_hz: float = 6.0
    drift_cutoff_hz: float = 0.1
    max_rate_hz: float = 100.0
    max_bridged_gap_s: float = 2.0
    walking_speed_mps: float = 2.0
    dorsiflexion_deg: float = 8.0
    max_step_s: float = 0.8
    step_swing_dps: float = 120.0
    impact_mps2: float = 25.0
    endurance_min_s: float = 50.0
    endurance_max_hold_s: float = 0.3
    endurance_max_bottom_s: float = 0.5
    rest_window_s: float = 0.3
    rest_tilt_deg: float = 0.6
    rest_tilt_cap_deg: float = 2.0
    rest_gyr_std_dps: float = 3.0
    rest_gyr_cap_dps: float = 12.0
    rest_acc_std_mps2: float = 0.5
    rest_acc_cap_mps2: float = 1.5
    min_rest_run_s: float = 0.25
    bias_drift_time_s: float = 8.0
    tilt_lowpass_hz: float = 5.0
    rest_pose_bin_deg: float = 0.5
    rest_pose_band_deg: float = 1.5
    summit_prominence_fraction: float = 0.25
    valley_depth_fraction: float = 0.5
    step_pad_s: float = 0.5
    phase_search_s: float = 5.0
    walking_join_s: float = 3.0

    #: Reviewed parameter sets per sensor placement (read-only). A shank turns far less than the foot.
    PRESETS: ClassVar[Mapping[str, Mapping[str, float]]] = MappingProxyType(
        {
            "foot": MappingProxyType({}),
            "shank": MappingProxyType(
                {
                    "min_rep_excursion_deg": 3.0,
                    "min_movement_deg": 1.5,
                    "heel_down_deg": 1.0,
                    "dorsiflexion_deg": 15.0,
                }
            ),
        }
    )

    @property
    def rest_criteria(self) -> RestCriteria:
        """The front end's rest thresholds of these parameters."""
        return RestCriteria(
            window_s=self.rest_window_s,
            tilt_deg=self.rest_tilt_deg,
            tilt_cap_deg=self.rest_tilt_cap_deg,
            gyr_std_dps=self.rest_gyr_std_dps,
            gyr_cap_dps=self.rest_gyr_cap_dps,
            acc_std_mps2=self.rest_acc_std_mps2,
            acc_cap_mps2=self.rest_acc_cap_mps2,
        )

    @classmethod
    def for_placement(cls, placement: str, **overrides: float) -> CalfRaiseParams:
        """Parameters for a sensor placement (``foot``, ``shank`` or ``unknown`` = foot)."""
        return cls(**{**placement_preset(cls.PRESETS, placement, analysis="calf-raise"), **overrides})


@dataclass(frozen=True, slots=True)
class CalfRep:
    """One rep (or partial rep) with its phases; times in seconds from the recording's start."""

    set: int
    index: int
    start_s: float
    end_s: float
    concentric_s: float
    top_hold_s: float
    eccentric_s: float
    bottom_s: float | None
    eccentric_pass: bool
    excursion_deg: float
    peak_rise_dps: float
    peak_lowering_dps: float
    partial: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded."""
        return _rounded({name: getattr(self, name) for name in _REP_FIELDS})


#: CalfRep's fields, all plain values: to_dict reads them as they are (``asdict`` deep-copies each).
_REP_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(CalfRep))


@dataclass(frozen=True, slots=True)
class CalfSet:
    """A set of reps."""

    index: int
    rep_count: int
    start_s: float
    end_s: float
    time_under_tension_s: float
    tempo_pass_rate: float
    mean_eccentric_s: float
    partial_rep_count: int
    endurance: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded."""
        return _rounded(asdict(self))


@dataclass(frozen=True, slots=True)
class CalfRaiseAnalysis:
    """Result of :func:`analyze_calf_raises`.

    ``calfload_version`` and ``params`` say what produced it; :func:`calfload.signal.to_record`
    turns it into its stored form and :func:`calfload.signal.from_record` back.
    ``incomplete_reps`` are reps the end of the recording cut (set and index 0, never passing):
    reported, never counted or scored in the tempo audit.
    """

    reps: tuple[CalfRep, ...]
    partial_reps: tuple[CalfRep, ...]
    sets: tuple[CalfSet, ...]
    params: CalfRaiseParams
    duration_s: float
    sample_rate_hz: float
    walking_s: tuple[tuple[float, float], ...]
    gaps_s: tuple[tuple[float, float], ...]
    placement: str = "foot"
    source: str = ""
    calfload_version: str = field(default_factory=current_version)
    incomplete_reps: tuple[CalfRep, ...] = ()

    activity: ClassVar[str] = "calf_raise"

    @property
    def rep_count(self) -> int:
        """Counted reps (partial reps excluded)."""
        return len(self.reps)

    @property
    def pass_rate(self) -> float | None:
        """Share of counted reps that pass the tempo audit (None without reps)."""
        if not self.reps:
            return None
        return sum(r.eccentric_pass for r in self.reps) / len(self.reps)

    def reps_frame(self, *, include_partial: bool = False) -> pd.DataFrame:
        """The reps as a pandas DataFrame (columns: :data:`calfload.schema.CALF_REPS`), in time order.

        ``include_partial`` adds the partial reps (``partial`` True, ``index`` 0).
        """
        reps = sorted((*self.reps, *self.partial_reps), key=lambda r: r.start_s) if include_partial else self.reps
        from calfload._result_tables import CALF_REPS  # pyarrow: only when a frame is asked for

        return CALF_REPS.frame(asdict(r) for r in reps)

    def sets_frame(self) -> pd.DataFrame:
        """The sets as a pandas DataFrame (columns: :data:`calfload.schema.CALF_SETS`)."""
        from calfload._result_tables import CALF_SETS  # pyarrow: only when a frame is asked for

        return CALF_SETS.frame(asdict(s) for s in self.sets)

    def to_dict(self) -> dict[str, Any]:
        """The ``calfload analyze --json`` object (DESIGN.md) with a few extra keys."""
        rate = self.pass_rate
        return {
            "activity": self.activity,
            "placement": self.placement,
            "duration_s": round(self.duration_s, 2),
            "rep_count": self.rep_count,
            "sets": [s.to_dict() for s in self.sets],
            "reps": [r.to_dict() for r in self.reps],
            "partial_reps": [r.to_dict() for r in self.partial_reps],
            "incomplete_reps": [r.to_dict() for r in self.incomplete_reps],
            "tempo": {
                "target_eccentric_s": self.params.target_eccentric_s,
                "tolerance_s": self.params.tolerance_s,
                "pass_rate": None if rate is None else round(rate, 3),
            },
            "time_under_tension_s": round(sum(s.time_under_tension_s for s in self.sets), 2),
            "sample_rate_hz": round(self.sample_rate_hz, 2),
            "walking_s": [[round(a, 2), round(b, 2)] for a, b in self.walking_s],
            "gaps_s": [[round(a, 3), round(b, 3)] for a, b in self.gaps_s],
        }


def _rounded(d: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in d.items()}
