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

import numpy as np

from calfload._stats import median
from calfload.errors import AnalysisError, DataError
from calfload.recording import Recording
from calfload.signal._calf_raise import analyze_calf_raises
from calfload.signal._calf_types import CalfRaiseParams, CalfRep
from calfload.signal._frame import estimate_frame
from calfload.signal._heel_rise_types import HeelRiseParams, HeelRiseResult
from calfload.signal._hops import pitch_anchored_at_rest, standing_rest, vertical_specific_force
from calfload.signal._preprocess import lowpass, uniform_imu
from calfload.units import STANDARD_GRAVITY_MPS2

G = STANDARD_GRAVITY_MPS2


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
    _check_inputs(placement, foot_length_cm, body_mass_kg, source=name)
    # 1. Reps: the set with most excursions, partial ones included, in time order.
    reps = _test_reps(recording, placement)
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


def _check_inputs(placement: str, foot_length_cm: float | None, body_mass_kg: float | None, *, source: str) -> None:
    """Refuse a foot sensor's test without a plausible foot length, and a body mass that is not positive."""
    if placement == "foot" and foot_length_cm is None:
        raise DataError(
            "the heel-to-ball length is needed for a foot sensor; give `foot_length_cm` (measured from the back "
            "of the heel to the ball of the foot, kept for later tests)",
            source=source,
            expected="5-35 cm",
            parameter="foot_length_cm",
        )
    if placement == "foot" and foot_length_cm is not None and not 5.0 <= foot_length_cm <= 35.0:
        raise DataError(
            f"the heel-to-ball length must be 5-35 cm for a foot sensor, not {foot_length_cm:g} cm; "
            "give `foot_length_cm` (measured from the back of the heel to the ball of the foot)",
            source=source,
            value=foot_length_cm,
            expected="5-35 cm",
            parameter="foot_length_cm",
        )
    if body_mass_kg is not None and not body_mass_kg > 0:
        raise DataError(f"body mass must be positive, got {body_mass_kg} kg", source=source)


def _test_reps(recording: Recording, placement: str) -> list[CalfRep]:
    """Step 1: the reps of the set with most excursions (partial ones too), in time order, from the first full one."""
    name = recording.source
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
    return reps


def _shank_heights_cm(recording: Recording, reps: list[CalfRep], params: HeelRiseParams) -> list[float]:
    """Peak vertical displacement of a shank sensor per rep (cm), between still points (step 2)."""
    imu = uniform_imu(recording, max_rate_hz=200.0)
    frame = estimate_frame(imu, standing_rest(imu))
    theta = pitch_anchored_at_rest(imu, frame)
    f_z = vertical_specific_force(imu.acc_mps2, theta, frame.axis, frame.up)
    acc_z = lowpass(f_z - float(median(f_z[frame.rest])), params.acc_lowpass_hz, imu.fs_hz)
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
