"""The heel-rise endurance test: single-leg raises to fatigue, height per rep, total work, symmetry.

The protocol (Silbernagel et al. 2006; Hébert-Losier et al. 2009): standing on one leg, the athlete
raises the heel as high as possible at 30 reps/min (a 60 bpm metronome, up on one beat, down on
the next) until they stop or can no longer rise. The algorithm, numbered as in the code:

1. **Reps.** The calf-raise analysis (:func:`calfload.signal.analyze_calf_raises`) finds every
   excursion, partial ones included; the test is the set with the most of them.
2. **Height per rep.** Foot sensor: the heel rises on an arc about the ball of the foot, so its
   height is ``L sin θ`` with ``L`` the heel-to-ball length the athlete entered and ``θ`` the rep's
   peak pitch. Shank sensor: the vertical specific force (the hop analysis's rest-anchored pitch,
   :func:`calfload.signal._hops.vertical_specific_force`) less gravity, integrated twice between
   the still points before and after the rep, with the velocity's linear drift removed (zero
   velocity at both ends); the height is the displacement's peak. A shank rises with the ankle,
   less than the heel: compare tests made with the same placement.
3. **End of the test.** Reps count until the first one lower than ``stop_fraction`` of the mean of
   the first ``reference_reps`` reps, or until the athlete stops.
4. **Work.** ``m g Σ h`` over the counted reps (J).
5. **Symmetry.** The limb symmetry index, affected ÷ unaffected × 100 %, for reps, mean height
   and work (:func:`limb_symmetry_index`).

References
----------
.. [1] Silbernagel KG, Gustavsson A, Thomeé R, Karlsson J (2006) Evaluation of lower leg function
   in patients with Achilles tendinopathy. Knee Surg Sports Traumatol Arthrosc 14:1207-1217.
.. [2] Hébert-Losier K, Newsham-West RJ, Schneiders AG, Sullivan SJ (2009) Raising the standards
   of the calf-raise test: a systematic review. J Sci Med Sport 12:594-602.
.. [3] Zahid S et al. (2023) An automated approach to instrumenting the up-on-the-toes test(s).
   Biomechanics 3:278.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from calfload.errors import AnalysisError, DataError
from calfload.recording import Recording
from calfload.signal._calf_raise import analyze_calf_raises
from calfload.signal._calf_types import CalfRaiseParams, CalfRep
from calfload.signal._hops import pitch_anchored_at_rest, standing_rest, vertical_specific_force
from calfload.signal._preprocess import estimate_frame, lowpass, uniform_imu
from calfload.units import STANDARD_GRAVITY_MPS2

G = STANDARD_GRAVITY_MPS2


@dataclass(frozen=True, slots=True, kw_only=True)
class HeelRiseParams:
    """Parameters of :func:`analyze_heel_rise_test`.

    Parameters
    ----------
    reference_reps
        The first reps whose mean height is the reference.
    stop_fraction
        The test ends at the first rep lower than this share of the reference.
    still_margin_s
        Shank: time added before and after a rep's motion to reach the still points it is integrated between.
    acc_lowpass_hz
        Shank: low-pass of the vertical acceleration before integrating.
    """

    reference_reps: int = 3
    stop_fraction: float = 0.5
    still_margin_s: float = 0.15
    acc_lowpass_hz: float = 5.0

    #: One reviewed set for both placements (the height method differs, not the parameters).
    PRESETS: ClassVar[dict[str, dict[str, float]]] = {"foot": {}, "shank": {}}


@dataclass(frozen=True, slots=True)
class HeelRiseResult:
    """One side's test: counted reps, height per rep, work.

    ``heights_cm`` lists every rep the athlete made (also those after the test ended);
    ``reps`` counts the first ones, before the height fell below ``stop_fraction`` of the reference.
    """

    side: str
    placement: str
    method: str
    reps: int
    heights_cm: tuple[float, ...]
    reference_height_cm: float
    ended_by: str
    foot_length_cm: float | None
    body_mass_kg: float | None
    source: str = ""
    params: HeelRiseParams = field(default_factory=HeelRiseParams)

    @property
    def counted_heights_cm(self) -> tuple[float, ...]:
        """Heights of the counted reps."""
        return self.heights_cm[: self.reps]

    @property
    def mean_height_cm(self) -> float:
        """Mean height of the counted reps."""
        return float(np.mean(self.counted_heights_cm))

    @property
    def work_j(self) -> float | None:
        """Total work ``m g Σ h`` of the counted reps (None without body mass)."""
        if self.body_mass_kg is None:
            return None
        return self.body_mass_kg * G * sum(self.counted_heights_cm) / 100.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded."""
        work = self.work_j
        return {
            "side": self.side,
            "placement": self.placement,
            "height_method": self.method,
            "reps": self.reps,
            "mean_height_cm": round(self.mean_height_cm, 2),
            "reference_height_cm": round(self.reference_height_cm, 2),
            "work_j": None if work is None else round(work, 1),
            "ended_by": self.ended_by,
            "heights_cm": [round(h, 2) for h in self.heights_cm],
            "foot_length_cm": self.foot_length_cm,
            "body_mass_kg": self.body_mass_kg,
            "source": self.source,
        }


def analyze_heel_rise_test(
    recording: Recording,
    *,
    foot_length_cm: float | None = None,
    body_mass_kg: float | None = None,
    params: HeelRiseParams | None = None,
) -> HeelRiseResult:
    """Count a heel-rise endurance test's reps, measure each rep's height and the total work.

    Parameters
    ----------
    recording
        One side's test, foot or shank IMU.
    foot_length_cm
        Heel-to-ball length; needed for a foot sensor.
    body_mass_kg
        For the work (None: no work figure).
    params
        Algorithm parameters.

    Raises
    ------
    DataError
        If a foot sensor's test has no positive foot length, or the body mass is not positive.
    AnalysisError
        If the recording holds no heel rise.
    """
    params = params or HeelRiseParams()
    placement = "foot" if recording.meta.placement == "unknown" else recording.meta.placement
    name = recording.source
    if placement == "foot" and (foot_length_cm is None or not 5.0 <= foot_length_cm <= 35.0):
        raise DataError(
            f"the heel-to-ball length must be 5-35 cm for a foot sensor, got {foot_length_cm}; "
            "give --foot-length-cm (measured from the back of the heel to the ball of the foot)",
            source=name,
        )
    if body_mass_kg is not None and not body_mass_kg > 0:
        raise DataError(f"body mass must be positive, got {body_mass_kg} kg", source=name)
    # 1. Reps: the set with most excursions, partial ones included, in time order.
    calf = analyze_calf_raises(recording, CalfRaiseParams.for_placement(placement))
    by_set: dict[int, list[CalfRep]] = {}
    for rep in (*calf.reps, *calf.partial_reps):
        by_set.setdefault(rep.set, []).append(rep)
    if not by_set:
        raise AnalysisError(
            "no heel rises found; the test is single-leg raises with the sensor on the foot or shank, "
            "after a few seconds of standing still",
            source=name,
        )
    reps = sorted(by_set[max(by_set, key=lambda k: len(by_set[k]))], key=lambda r: r.start_s)
    # Small lifts before the first full rise (finding the balance) are not part of the test:
    # taken into the reference height they would end it before it started.
    # (Every set holds at least one counted rep, so there is a first full one.)
    reps = reps[next(k for k, r in enumerate(reps) if not r.partial) :]
    # 2. Height per rep.
    if placement == "foot":
        assert foot_length_cm is not None  # checked above
        heights = [foot_length_cm * float(np.sin(np.radians(r.excursion_deg))) for r in reps]
        method = "foot_pitch"
    else:
        heights = _shank_heights_cm(recording, reps, params)
        method = "shank_displacement"
    # 3. End of the test.
    reference = float(np.mean(heights[: params.reference_reps]))
    low = [k for k, h in enumerate(heights) if h < params.stop_fraction * reference]
    count = low[0] if low else len(heights)
    return HeelRiseResult(
        side=recording.meta.side,
        placement=placement,
        method=method,
        reps=count,
        heights_cm=tuple(heights),
        reference_height_cm=reference,
        ended_by="height" if low else "athlete",
        foot_length_cm=foot_length_cm,
        body_mass_kg=body_mass_kg,
        source=name,
        params=params,
    )


def _shank_heights_cm(recording: Recording, reps: list[CalfRep], params: HeelRiseParams) -> list[float]:
    """Peak vertical displacement of a shank sensor per rep (cm), between still points (step 2)."""
    imu = uniform_imu(recording, max_rate_hz=200.0)
    frame = estimate_frame(imu, standing_rest(imu))
    theta = pitch_anchored_at_rest(imu, frame)
    f_z = vertical_specific_force(imu.acc_mps2, theta, frame.axis, frame.up)
    acc_z = lowpass(f_z - float(np.median(f_z[frame.rest])), params.acc_lowpass_hz, imu.fs_hz)
    t, fs = imu.t_s, imu.fs_hz
    bounds = [r.start_s for r in reps[1:]]
    heights = []
    for k, rep in enumerate(reps):
        # Still points: half-way to the neighbouring reps, at most `still_margin_s` beyond the motion.
        before = rep.start_s - params.still_margin_s
        after = rep.end_s + params.still_margin_s
        if k > 0:
            before = max(before, (reps[k - 1].end_s + rep.start_s) / 2)
        if k < len(bounds):
            after = min(after, (rep.end_s + bounds[k]) / 2)
        i0, i1 = int(np.searchsorted(t, before)), int(np.searchsorted(t, after))
        if i1 - i0 < 4:
            heights.append(0.0)
            continue
        vel = np.cumsum(acc_z[i0:i1]) / fs
        vel -= np.linspace(vel[0], vel[-1], vel.size)
        pos = np.cumsum(vel) / fs
        heights.append(100.0 * float(pos.max() - 0.5 * (pos[0] + pos[-1])))
    return heights


@dataclass(frozen=True, slots=True)
class SymmetryIndex:
    """Limb symmetry index (%) of a heel-rise test: affected ÷ unaffected × 100."""

    affected_side: str
    reps_pct: float
    height_pct: float | None
    work_pct: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded."""
        return {
            "affected_side": self.affected_side,
            "reps_pct": round(self.reps_pct, 1),
            "height_pct": None if self.height_pct is None else round(self.height_pct, 1),
            "work_pct": None if self.work_pct is None else round(self.work_pct, 1),
        }


def limb_symmetry_index(affected: HeelRiseResult | None, unaffected: HeelRiseResult | None) -> SymmetryIndex:
    """Affected ÷ unaffected × 100 % for reps, mean height and work.

    Raises
    ------
    DataError
        If a side is missing, both are the same side, or the unaffected side made no rep.

    Examples
    --------
    >>> a = HeelRiseResult("left", "foot", "foot_pitch", 15, (8.0,) * 15, 8.0, "height", 17.0, 70.0)
    >>> u = HeelRiseResult("right", "foot", "foot_pitch", 25, (10.0,) * 25, 10.0, "height", 17.0, 70.0)
    >>> s = limb_symmetry_index(a, u)
    >>> round(s.reps_pct), round(s.height_pct or 0), round(s.work_pct or 0)
    (60, 80, 48)
    """
    if affected is None or unaffected is None:
        missing = "affected" if affected is None else "unaffected"
        raise DataError(
            f"the symmetry index needs both sides; the {missing} side's test is missing "
            "(give --left FILE and --right FILE)"
        )
    if affected.side == unaffected.side and affected.side in ("left", "right"):
        raise DataError(f"both tests are of the {affected.side} side; give one file per side")
    if unaffected.reps == 0:
        raise DataError("the unaffected side made no heel rise, so there is nothing to compare with")
    work_a, work_u = affected.work_j, unaffected.work_j
    return SymmetryIndex(
        affected_side=affected.side,
        reps_pct=100.0 * affected.reps / unaffected.reps,
        height_pct=(
            100.0 * affected.mean_height_cm / unaffected.mean_height_cm if unaffected.mean_height_cm > 0 else None
        ),
        work_pct=None if work_a is None or not work_u else 100.0 * work_a / work_u,
    )
