"""Simulated foot-mounted IMUs during running (or walking), with ground truth.

Physics
-------
Each foot is a rigid body (frames and sensor model in :mod:`calfload.sim._kinematics`): pitch
``θ`` about its mediolateral axis (positive lifts the heel) and the position of its forefoot
contact point ``P`` (the metatarsal heads). Heel and forefoot are ``foot_length_m`` apart. One
stride of one foot, from its initial contact (IC), with stride time ``T = 120 / cadence``,
contact time ``D·T`` (duty factor ``D``) and stride length ``L = speed · T``:

1. **Impact.** At IC the foot meets the ground at the strike angle ``α``: toe up (``α < 0``,
   rearfoot strike, the heel lands) or toe down (``α > 0``, forefoot strike). A damped 30–60 Hz
   oscillation of ``impact_g`` along the foot's vertical axis (the heel-pad and shoe ringing)
   decays with a 12 ms time constant.
2. **Loading.** The foot rotates flat (``α → 0``) in the first 20 % of contact, about the heel
   (rearfoot: the heel stays put, the forefoot comes down) or about the forefoot (the heel
   comes down).
3. **Foot flat**, then **push-off**: the heel rises, the foot rotating about the forefoot, with a
   minimum-jerk pitch profile centred on toe-off, so the plantarflexion rate peaks at toe-off.
4. **Swing.** After toe-off the pitch keeps rising to ``θ_peak`` (the foot kicks up behind the
   body), then swings back to the next strike angle; ``P`` travels one stride length forward
   (minimum jerk) with a sinusoidal lift of ``lift_m``, arriving so that the striking point is on
   the floor.
5. **Flight.** With two feet half a stride apart, a duty factor below 0.5 leaves both feet off the
   ground for ``(0.5 − D)·T`` per step: the running flight phase. Walking (``D ≈ 0.6``) has
   double support instead.
6. **Sensor.** Anywhere on the foot (lever arm from ``P``), mounted in any orientation, with the
   errors of :class:`~calfload.sim._kinematics.SensorModel` (noise, bias, drift, scale, range,
   quantisation, timestamp jitter and dropped bursts) at any sample rate.

The two feet may differ: ``contact_asymmetry`` lengthens the left foot's contact and shortens
the right's (duty factors ``D·(1 ± a/2)``), and ``left_step_share`` places the left landing that
share of the right foot's stride after the right landing (0.5 is symmetric), so the step ending
on the left foot lasts ``share·T`` and the one ending on the right ``(1 − share)·T``.

Stride time varies from stride to stride by ``stride_jitter`` (relative SD) around a cadence
that may drift linearly by ``cadence_drift_spm`` over the run. The runner stands still for
``stand_s`` before and after.

Ground truth
------------
The ICs and toe-offs of every stride of each simulated foot, the steps (all contacts of both
feet, even when only one foot carries a sensor), the median cadence and the median contact time.

References
----------
.. [1] Novacheck T.F. (1998). The biomechanics of running. Gait Posture 7(1):77-95 (phases,
   duty factors, flight).
.. [2] Cavanagh P.R., Lafortune M.A. (1980). Ground reaction forces in distance running.
   J Biomech 13(5):397-406 (strike patterns, impact peak).
.. [3] Mercer J.A. et al. (2003). Individual effects of stride length and frequency on shock
   attenuation during running. MSSE 35(2):307-313 (tibial and foot impact accelerations).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from calfload._recording_facts import SimulationFacts
from calfload.recording import Recording
from calfload.sim._foot_stride import foot_motion
from calfload.sim._kinematics import SensorModel, foot_recording, ideal_imu, random_rotation
from calfload.units import STANDARD_GRAVITY_MPS2

_IDENTITY = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSpec:
    """Everything that defines a simulated run or walk.

    Parameters
    ----------
    duration_s
        Length of the recording, standing included.
    gait
        ``run`` or ``walk`` (sets the default duty factor, angles and impact).
    cadence_spm
        Cadence at the start (steps of both feet per minute).
    cadence_drift_spm
        Change of cadence from the first to the last stride.
    speed_mps
        Running or walking speed.
    duty_factor
        Contact time over stride time (default 0.34 running, 0.61 walking).
    strike
        ``rearfoot`` or ``forefoot``.
    stride_jitter
        Relative SD of the stride time from stride to stride.
    stand_s
        Standing still before the first and after the last stride.
    feet
        Which feet carry a sensor (``left``, ``right`` or both).
    sensor
        Sensor error model and sample rate.
    mounts
        Sensor axes in each foot frame; None draws a random mounting per foot.
    lever_arm_m
        Sensor position relative to the forefoot contact point, foot frame (x forward, z up).
    foot_length_m
        Heel to forefoot contact.
    impact_g
        Peak of the impact transient (multiples of g); None uses 6 g running, 1.5 g walking.
    contact_asymmetry
        Relative difference of the feet's contact times: left duty ``D·(1 + a/2)``, right ``D·(1 − a/2)``.
    left_step_share
        Where in the right foot's stride the left foot lands (0.5 symmetric).
    seed
        Seed of every random choice.
    """

    duration_s: float = 40.0
    gait: str = "run"
    cadence_spm: float = 170.0
    cadence_drift_spm: float = 0.0
    speed_mps: float = 3.3
    duty_factor: float | None = None
    strike: str = "rearfoot"
    stride_jitter: float = 0.02
    stand_s: float = 2.0
    feet: tuple[str, ...] = ("right",)
    sensor: SensorModel = field(default_factory=lambda: SensorModel(sample_rate_hz=200.0))
    mounts: tuple[tuple[tuple[float, float, float], ...], ...] | None = None
    lever_arm_m: tuple[float, float, float] = (-0.07, 0.0, 0.06)
    foot_length_m: float = 0.19
    impact_g: float | None = None
    contact_asymmetry: float = 0.0
    left_step_share: float = 0.5
    seed: int = 0


@dataclass(frozen=True, slots=True)
class FootTruth:
    """Events of one simulated foot (seconds): every landing, and the toe-off ending each stance.

    The foot's first movement starts from standing (a toe-off without a landing before it) and
    its last landing ends in standing (no toe-off after it); ``toe_off_s[i]`` ends the stance
    that ``initial_contact_s[i]`` begins.
    """

    side: str
    initial_contact_s: np.ndarray
    toe_off_s: np.ndarray

    @property
    def contact_ms(self) -> np.ndarray:
        """Contact time of every stance that ends in a toe-off (the final landing does not)."""
        return np.asarray(1000.0 * (self.toe_off_s - self.initial_contact_s[: self.toe_off_s.size]))


@dataclass(frozen=True, slots=True)
class RunTruth:
    """Ground truth of a simulated run."""

    activity: str
    feet: tuple[FootTruth, ...]
    steps: int
    cadence_spm: float
    contact_ms: float
    flight_ms: float


@dataclass(frozen=True, slots=True)
class SimulatedRun:
    """Recordings (one per instrumented foot) with their truth."""

    recordings: tuple[Recording, ...]
    truth: RunTruth
    spec: RunSpec


def random_run_spec(seed: int, **overrides: object) -> RunSpec:
    """A varied run: cadence 150–200 spm, 2.2–5.5 m/s, any mounting, strike, noise and rate."""
    rng = np.random.default_rng(seed)
    rate = float(rng.choice([50.0, 100.0, 200.0, 400.0, 1000.0]))
    cadence = float(rng.uniform(150.0, 200.0))
    spec = RunSpec(
        duration_s=float(rng.uniform(30.0, 60.0)),
        cadence_spm=cadence,
        cadence_drift_spm=float(rng.uniform(-6.0, 6.0)),
        speed_mps=float(rng.uniform(2.2, 5.5)),
        duty_factor=float(rng.uniform(0.28, 0.40)),
        strike=str(rng.choice(["rearfoot", "forefoot"])),
        stride_jitter=float(rng.uniform(0.01, 0.03)),
        sensor=SensorModel.random(rng, rate),
        lever_arm_m=(float(rng.uniform(-0.12, 0.0)), float(rng.uniform(-0.03, 0.03)), float(rng.uniform(0.03, 0.08))),
        seed=seed,
    )
    return _replace(spec, overrides)


def _replace(spec: RunSpec, overrides: dict[str, object]) -> RunSpec:
    import dataclasses

    out: RunSpec = dataclasses.replace(spec, **overrides)  # type: ignore[arg-type]
    return out


def simulate_run(spec: RunSpec) -> SimulatedRun:
    """Simulate the instrumented feet of a run or walk (physics in the module docstring)."""
    rng = np.random.default_rng(spec.seed)
    running = spec.gait == "run"
    duty = spec.duty_factor if spec.duty_factor is not None else (0.34 if running else 0.61)
    impact_g = spec.impact_g if spec.impact_g is not None else (6.0 if running else 1.5)
    # Stride start times of the right foot; the left foot lands half a stride later.
    ic_right = _stride_starts(spec, rng)
    period = np.diff(ic_right)
    feet_truth: list[FootTruth] = []
    recordings: list[Recording] = []
    fine_hz = max(1000.0, 2.0 * spec.sensor.sample_rate_hz)
    t_fine = np.arange(round(spec.duration_s * fine_hz) + 1) / fine_hz
    for k, side in enumerate(("right", "left")):
        # Stride 0 starts from standing (no strike); the last stride is a landing into standing.
        starts = ic_right[:-1] if side == "right" else ic_right[:-1] + period * spec.left_step_share
        keep = starts + period < spec.duration_s - spec.stand_s / 2
        starts, strides = starts[keep], period[keep]
        landing = starts[-1] + strides[-1]
        starts = np.append(starts, landing)
        strides = np.append(strides, spec.duration_s + 1.0 - landing)
        foot_rng = np.random.default_rng(spec.seed * 7919 + k)
        side_duty = duty * (1.0 + (0.5 if side == "left" else -0.5) * spec.contact_asymmetry)
        pitch, rate, pivot, toe_offs = foot_motion(t_fine, starts, strides, side_duty, running, spec, foot_rng)
        ics = starts[1:]
        feet_truth.append(FootTruth(side, ics, toe_offs[1:-1]))
        if side not in spec.feet:
            continue
        mount = _mount(spec, len(recordings), foot_rng)
        lever = np.asarray(spec.lever_arm_m)
        zeros = np.zeros_like(t_fine)
        acc, gyr = ideal_imu(t_fine, pitch, rate, zeros, zeros, pivot, lever, mount)
        acc += _impacts(t_fine, ics, mount, impact_g, foot_rng)
        recordings.append(
            foot_recording(
                spec.sensor,
                side,
                (t_fine, acc, gyr),
                spec.duration_s,
                rng,
                source=f"simulated {spec.gait} ({side} foot, seed {spec.seed})",
                simulated=SimulationFacts(
                    generator="calfload.sim.simulate_run",
                    seed=spec.seed,
                    mount=tuple((float(r[0]), float(r[1]), float(r[2])) for r in mount),
                ),
            )
        )
    all_ics = np.concatenate([f.initial_contact_s for f in feet_truth])
    contact = np.concatenate([f.contact_ms for f in feet_truth])
    cadence = 60.0 / float(np.median(np.diff(np.sort(all_ics))))
    step_s = 60.0 / cadence
    truth = RunTruth(
        activity=spec.gait,
        feet=tuple(f for f in feet_truth if f.side in spec.feet),
        steps=int(all_ics.size),
        cadence_spm=cadence,
        contact_ms=float(np.median(contact)),
        flight_ms=max(0.0, 1000.0 * step_s - float(np.median(contact))),
    )
    return SimulatedRun(tuple(recordings), truth, spec)


def _stride_starts(spec: RunSpec, rng: np.random.Generator) -> np.ndarray:
    """IC times of the right foot, from the end of standing to the end of the run."""
    t = spec.stand_s
    out = [t]
    end = spec.duration_s - spec.stand_s
    total = max(end - t, 1.0)
    while t < end:
        cadence = spec.cadence_spm + spec.cadence_drift_spm * (t - spec.stand_s) / total
        t += 120.0 / cadence * (1.0 + spec.stride_jitter * float(rng.standard_normal()))
        out.append(t)
    return np.asarray(out)


def _mount(spec: RunSpec, index: int, rng: np.random.Generator) -> np.ndarray:
    if spec.mounts is not None:
        return np.asarray(spec.mounts[min(index, len(spec.mounts) - 1)], dtype=np.float64)
    return random_rotation(rng)


def _impacts(
    t: np.ndarray, ics: np.ndarray, mount: np.ndarray, impact_g: float, rng: np.random.Generator
) -> np.ndarray:
    """Damped ringing along the foot's vertical axis after each IC, in the sensor frame (step 1)."""
    fs = 1.0 / float(t[1] - t[0])
    shape = np.zeros_like(t)
    tau_s = 0.012
    span = np.arange(round(6 * tau_s * fs)) / fs
    for ic in ics:
        i = int(np.searchsorted(t, ic))
        j = min(t.size, i + span.size)
        freq = rng.uniform(30.0, 60.0)
        amp = impact_g * STANDARD_GRAVITY_MPS2 * rng.uniform(0.7, 1.3)
        shape[i:j] += amp * np.exp(-span[: j - i] / tau_s) * np.sin(2 * np.pi * freq * span[: j - i])
    # Foot vertical axis in the sensor frame: (R_foot · mount)^T · R_foot · z = mount^T · z.
    return np.outer(shape, mount.T @ np.array([0.0, 0.0, 1.0]))


__all__ = ["FootTruth", "RunSpec", "RunTruth", "SimulatedRun", "random_run_spec", "simulate_run"]
