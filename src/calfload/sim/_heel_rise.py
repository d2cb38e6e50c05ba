"""Simulated heel-rise endurance test (single-leg raises to fatigue), foot or shank IMU, with ground truth.

Physics
-------
Frames, rotations and the sensor error model are those of :mod:`calfload.sim._kinematics`.

- **Raise.** The foot pitches about the ball of the foot (the metatarsal heads stay on the floor):
  each rep rises to ``θ_k`` in ``rise_s`` and lowers in ``lower_s`` (minimum-jerk; a 30 reps/min
  metronome gives 1 s each), with ``bottom_s`` between reps. The heel, ``foot_length_cm`` behind
  the ball, rises by ``L sin θ_k``.
- **Fatigue.** The excursion holds for the first reps and then falls, ``θ_k = θ_0 (1 - d (k/n)^p)``,
  with a little rep-to-rep scatter: the test ends when the athlete stops, usually after the height
  has fallen below half of the first reps'.
- **Shank.** The ankle sits ``ankle_ahead_cm`` in front of the heel and ``ankle_height_cm`` above
  the floor and rises on the foot's arc; the shank leans forward by ``shank_lean`` × θ (the
  body's weight moves over the forefoot). A shank sensor ``lever_arm_m`` above the ankle measures
  the shank's motion; its truth height is its own vertical displacement.
- **Sensor.** Any mounting orientation, with the errors of :class:`~calfload.sim._kinematics.SensorModel`.

Truth
-----
Reps count until the athlete stops or until the first rep lower than ``stop_fraction`` of the mean
of the first ``reference_reps`` reps (that rep and any after it do not count). Work is
``m g Σ h`` over the counted reps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import numpy as np

from calfload._recording_facts import SimulationFacts
from calfload.recording import Recording, make_recording
from calfload.schema import RecordingMeta, SensorInfo
from calfload.sim._kinematics import SensorModel, ideal_imu, min_jerk, random_rotation, write_with_truth
from calfload.sim._motion_cache import motion_once
from calfload.units import STANDARD_GRAVITY_MPS2

FINE_RATE_HZ: Final = 1000.0
REFERENCE_REPS: Final = 3
STOP_FRACTION: Final = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class HeelRiseTestSpec:
    """One side's heel-rise endurance test.

    Parameters
    ----------
    excursions_deg
        Peak foot pitch of every rep the athlete makes, in order.
    foot_length_cm
        Heel-to-ball length (what the athlete enters).
    rise_s, lower_s, bottom_s
        Tempo (30 reps/min: 1 s up, 1 s down, no pause).
    rest_before_s, rest_after_s
        Standing still around the test.
    placement
        ``foot`` or ``shank``.
    lever_arm_m
        Foot: sensor position from the ball of the foot (foot frame). Shank: from the ankle (shank frame).
    ankle_ahead_cm, ankle_height_cm
        Ankle position relative to the heel (forward) and the floor (up).
    shank_lean
        Forward shank lean per degree of foot pitch.
    mount
        Sensor axes in the segment frame, row-major 3×3.
    sensor
        Error model and sample rate.
    body_mass_kg
        For the truth's work.
    side
        ``left`` or ``right``.
    seed
        Seed of the sensor noise.
    """

    excursions_deg: tuple[float, ...]
    foot_length_cm: float = 17.0
    rise_s: float = 1.0
    lower_s: float = 1.0
    bottom_s: float = 0.0
    rest_before_s: float = 5.0
    rest_after_s: float = 5.0
    placement: str = "foot"
    lever_arm_m: tuple[float, float, float] = (-0.08, 0.0, 0.05)
    ankle_ahead_cm: float = 4.5
    ankle_height_cm: float = 8.0
    shank_lean: float = 0.25
    mount: tuple[tuple[float, ...], ...] = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    sensor: SensorModel = field(default_factory=lambda: SensorModel(sample_rate_hz=100.0))
    body_mass_kg: float = 70.0
    side: str = "right"
    seed: int = 0

    @property
    def duration_s(self) -> float:
        """Total length of the recording."""
        per_rep = self.rise_s + self.lower_s + self.bottom_s
        return self.rest_before_s + len(self.excursions_deg) * per_rep + self.rest_after_s


@dataclass(frozen=True, slots=True)
class HeelRiseTruth:
    """Ground truth of one side's test."""

    reps: int
    heights_cm: tuple[float, ...]
    work_j: float
    rep_starts_s: tuple[float, ...]

    @property
    def mean_height_cm(self) -> float:
        """Mean height of the counted reps."""
        return float(np.mean(self.heights_cm[: self.reps]))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready truth."""
        return {
            "reps": self.reps,
            "heights_cm": list(self.heights_cm),
            "work_j": self.work_j,
            "rep_starts_s": list(self.rep_starts_s),
        }


@dataclass(frozen=True, slots=True)
class SimulatedHeelRise:
    """A simulated heel-rise test recording with its truth and spec."""

    recording: Recording
    truth: HeelRiseTruth
    spec: HeelRiseTestSpec

    def write(self, folder: str | Path, name: str, *, fmt: str = "parquet") -> Path:
        """Write ``name.parquet`` (or ``.csv``) and ``name.truth.json`` into ``folder``."""
        return write_with_truth(self.recording, self.truth.to_dict(), folder, name, fmt)


def counted_reps(heights_cm: tuple[float, ...] | list[float]) -> int:
    """Reps before the first one lower than :data:`STOP_FRACTION` of the first reps' mean.

    Examples
    --------
    >>> counted_reps([6.0, 6.2, 5.8, 5.0, 3.1, 2.9, 2.0])
    5
    """
    if len(heights_cm) == 0:
        return 0
    reference = float(np.mean(heights_cm[:REFERENCE_REPS]))
    low = [k for k, h in enumerate(heights_cm) if h < STOP_FRACTION * reference]
    return low[0] if low else len(heights_cm)


def simulate_heel_rise_test(spec: HeelRiseTestSpec) -> SimulatedHeelRise:
    """Simulate one side's heel-rise test recording and its truth."""
    rng = np.random.default_rng(spec.seed)
    # The motion does not depend on the sensor: tests that differ only in it share one.
    physics = ("heel_rise", replace(spec, sensor=SensorModel()))
    t, acc_fine, gyr_fine, heights, starts = motion_once(physics, rng, lambda _: _motion(spec))
    reps = counted_reps(heights)
    work = spec.body_mass_kg * STANDARD_GRAVITY_MPS2 * sum(heights[:reps]) / 100.0
    frame = spec.sensor.sample(t, acc_fine, gyr_fine, spec.duration_s, rng)
    meta = RecordingMeta(
        kind="imu",
        sample_rate_hz=spec.sensor.sample_rate_hz,
        start_utc=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
        sensor=SensorInfo(model=f"calfload simulated {spec.placement} IMU"),
        placement=spec.placement,
        side=spec.side,
        activity="calf_raise",
        exercise="single_leg_standing",
        simulated=SimulationFacts(generator="calfload.sim.simulate_heel_rise_test", seed=spec.seed),
    )
    recording = make_recording(frame, meta, source=f"simulated heel-rise test (seed {spec.seed})")
    return SimulatedHeelRise(recording, HeelRiseTruth(reps, heights, work, starts), spec)


def _motion(
    spec: HeelRiseTestSpec,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[float, ...], tuple[float, ...]]:
    """The fine grid, ideal specific force and angular rate, rise heights (cm) and rep starts (s) of ``spec``."""
    n = int(np.ceil(spec.duration_s * FINE_RATE_HZ)) + 1
    t = np.arange(n) / FINE_RATE_HZ
    pitch_deg = np.zeros(n)
    starts: list[float] = []
    t0 = spec.rest_before_s
    for exc in spec.excursions_deg:
        for a, b, dur in ((0.0, exc, spec.rise_s), (exc, 0.0, spec.lower_s)):
            i0, i1 = round(t0 * FINE_RATE_HZ), round((t0 + dur) * FINE_RATE_HZ)
            pitch_deg[i0:i1] = a + (b - a) * min_jerk((t[i0:i1] - t0) / dur)[0]
            t0 += dur
        starts.append(t0 - spec.rise_s - spec.lower_s)
        t0 += spec.bottom_s
    pitch = np.radians(pitch_deg)
    step = 1.0 / FINE_RATE_HZ
    zeros = np.zeros(n)
    mount = np.asarray(spec.mount)
    lever = np.asarray(spec.lever_arm_m)
    if spec.placement == "foot":
        acc_fine, gyr_fine = ideal_imu(t, pitch, np.gradient(pitch, step), zeros, zeros, np.zeros((n, 3)), lever, mount)
        heights = tuple(spec.foot_length_cm * float(np.sin(np.radians(e))) for e in spec.excursions_deg)
    else:
        # The ankle rides the foot's arc about the ball; the shank leans forward as the heel rises.
        ahead_m, up_m = (spec.foot_length_cm - spec.ankle_ahead_cm) / 100.0, spec.ankle_height_cm / 100.0
        ankle = np.column_stack(
            [-ahead_m * np.cos(pitch) + up_m * np.sin(pitch), zeros, ahead_m * np.sin(pitch) + up_m * np.cos(pitch)]
        )
        lean = spec.shank_lean * pitch
        acc_fine, gyr_fine = ideal_imu(t, lean, np.gradient(lean, step), zeros, zeros, ankle, lever, mount)
        sensor_z = ankle[:, 2] - np.sin(lean) * lever[0] + np.cos(lean) * lever[2]
        heights = tuple(
            100.0
            * float(
                sensor_z[round(s * FINE_RATE_HZ) : round((s + spec.rise_s + spec.lower_s) * FINE_RATE_HZ)].max()
                - sensor_z[0]
            )
            for s in starts
        )
    return t, acc_fine, gyr_fine, heights, tuple(starts)


def random_heel_rise_test(
    rng: np.random.Generator,
    *,
    placement: str | None = None,
    sample_rate_hz: float | None = None,
    side: str = "right",
    capacity_reps: int | None = None,
) -> HeelRiseTestSpec:
    """Draw a varied test: capacity, fatigue shape, tempo, foot size, sensor, mounting and placement.

    Parameters
    ----------
    rng
        Random generator.
    placement
        ``foot`` or ``shank``; drawn when not given.
    sample_rate_hz
        Force a sample rate; otherwise 50–416 Hz.
    side
        Which leg.
    capacity_reps
        Reps before the height collapses (a healthy adult manages about 25; a tendinopathic side fewer).
    """
    where = placement or str(rng.choice(["foot", "shank"]))
    rate = sample_rate_hz or float(rng.choice([50, 52, 100, 104, 200, 208, 416]))
    capacity = capacity_reps or int(rng.integers(8, 36))
    theta0 = float(rng.uniform(22, 38))
    # After `capacity` reps the excursion has fallen by `drop`; some athletes stop before halving.
    drop = float(rng.uniform(0.55, 0.8)) if rng.random() < 0.8 else float(rng.uniform(0.25, 0.4))
    shape = float(rng.uniform(2.0, 4.0))
    extra = int(rng.integers(0, 3))
    excursions = tuple(
        theta0 * max(0.05, 1 - drop * (k / capacity) ** shape) * float(rng.uniform(0.97, 1.03))
        for k in range(capacity + extra)
    )
    tempo = float(rng.uniform(0.85, 1.15))  # around the 30/min metronome
    foot = float(rng.uniform(14.0, 20.0))
    lever = (
        (-float(rng.uniform(0.04, 0.15)), float(rng.uniform(-0.03, 0.03)), float(rng.uniform(0.02, 0.07)))
        if where == "foot"
        else (float(rng.uniform(0.03, 0.06)), float(rng.uniform(-0.03, 0.03)), float(rng.uniform(0.12, 0.30)))
    )
    return HeelRiseTestSpec(
        excursions_deg=excursions,
        foot_length_cm=foot,
        rise_s=tempo,
        lower_s=tempo * float(rng.uniform(0.9, 1.1)),
        bottom_s=float(rng.uniform(0.0, 0.2)),
        rest_before_s=float(rng.uniform(4, 8)),
        rest_after_s=float(rng.uniform(3, 6)),
        placement=where,
        lever_arm_m=lever,
        ankle_ahead_cm=float(rng.uniform(3.5, 5.5)),
        ankle_height_cm=float(rng.uniform(6.5, 9.0)),
        shank_lean=float(rng.uniform(0.2, 0.4)),
        mount=tuple(tuple(float(v) for v in row) for row in random_rotation(rng)),
        sensor=SensorModel.random(rng, rate),
        body_mass_kg=float(rng.uniform(50, 100)),
        side=side,
        seed=int(rng.integers(0, 2**31)),
    )
