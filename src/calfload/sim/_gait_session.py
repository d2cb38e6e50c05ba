"""A simulated session that changes gait and pace: walking, running intervals, standing stops.

Physics
-------
The feet move as in :mod:`calfload.sim._running` (impact, loading, foot flat, push-off, swing;
sensor errors of :class:`~calfload.sim._kinematics.SensorModel`), with the gait, cadence, duty
factor and speed of each stride taken from the *phase* the stride starts in:

1. **Phases.** A session is a sequence of :class:`GaitPhase`: ``walk`` or ``run`` at a cadence
   and speed, or ``stand``. Consecutive walk and run phases form one *block* of continuous
   strides: the cadence changes at the phase boundary from one stride to the next (a runner
   picking up the pace within a step or two), and the landing angle, toe-off pitch, swing lift
   and impact follow the gait of each stride.
2. **Stopping.** A block ends in a landing; the foot rotates flat and stays flat and still
   (specific force = gravity, angular rate 0) through the ``stand`` phase until the next block's
   first toe-off. The feet never move while standing, so the sensor reads only its noise.
3. **Feet.** The left foot lands half a stride after the right (steps alternate).

Ground truth
------------
Per phase: its start and end, the landings of both feet inside it (steps), the median cadence
from those landings, and the phase's speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from calfload._recording_facts import SimulationFacts
from calfload.recording import Recording
from calfload.sim._foot_stride import foot_motion
from calfload.sim._kinematics import SensorModel, foot_recording, ideal_imu
from calfload.sim._running import RunSpec, _impacts, _mount

#: Gaits a phase can have.
PHASE_ACTIVITIES = ("walk", "run", "stand")


@dataclass(frozen=True, slots=True, kw_only=True)
class GaitPhase:
    """One stretch of a simulated session.

    Parameters
    ----------
    activity
        ``walk``, ``run`` or ``stand``.
    duration_s
        Length of the phase.
    cadence_spm
        Steps of both feet per minute (walk and run).
    speed_mps
        Walking or running speed.
    duty_factor
        Contact time over stride time; None uses 0.34 running, 0.61 walking.
    label
        What the phase is in the session (``warm-up``, ``interval``, ``recovery``, ``cool-down``,
        ``stop``); truth for the tests, not seen by the analysis.
    """

    activity: str
    duration_s: float
    cadence_spm: float = 0.0
    speed_mps: float = 0.0
    duty_factor: float | None = None
    label: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class GaitSessionSpec:
    """A session of phases, one sensor per listed foot.

    Parameters
    ----------
    phases
        The phases in order; the first and last should be ``stand`` (the sensor still on the foot).
    strike
        ``rearfoot`` or ``forefoot`` (running strides; walking lands on the heel).
    stride_jitter
        Relative SD of the stride time from stride to stride.
    feet
        Which feet carry a sensor.
    sensor
        Sensor error model and sample rate.
    seed
        Seed of every random choice.
    """

    phases: tuple[GaitPhase, ...]
    strike: str = "rearfoot"
    stride_jitter: float = 0.02
    feet: tuple[str, ...] = ("right",)
    sensor: SensorModel = field(default_factory=lambda: SensorModel(sample_rate_hz=100.0))
    seed: int = 0


@dataclass(frozen=True, slots=True)
class PhaseTruth:
    """What happened in one phase (landings of both feet, even with one sensor)."""

    activity: str
    label: str
    start_s: float
    end_s: float
    steps: int
    cadence_spm: float | None
    speed_mps: float


@dataclass(frozen=True, slots=True)
class SimulatedGaitSession:
    """Recordings (one per instrumented foot) with the truth of every phase."""

    recordings: tuple[Recording, ...]
    phases: tuple[PhaseTruth, ...]
    spec: GaitSessionSpec


def interval_session(
    *,
    warm_up_s: float = 300.0,
    interval_s: float = 180.0,
    recovery_s: float = 120.0,
    intervals: int = 4,
    cool_down_s: float = 300.0,
    stop_s: float = 45.0,
    stand_s: float = 10.0,
    **spec: object,
) -> GaitSessionSpec:
    """The interval session of issue 18, with a standing stop (a traffic light).

    A walk warm-up, 4 x 3 min fast with 2 min easy running between, a 5 min walk cool-down with
    the stop in its middle.
    Walking 112 spm at 1.4 m/s, easy running 162 spm at 2.8 m/s, fast running 178 spm at 4.2 m/s
    (cadence rising about 10 spm per m/s, as in runners' own cadence-speed relations). Durations
    may be shortened for tests.
    """
    walk = {"activity": "walk", "cadence_spm": 112.0, "speed_mps": 1.4}
    phases = [GaitPhase(activity="stand", duration_s=stand_s, label="stand")]
    phases.append(GaitPhase(duration_s=warm_up_s, label="warm-up", **walk))  # type: ignore[arg-type]
    for k in range(intervals):
        if k:
            phases.append(
                GaitPhase(activity="run", duration_s=recovery_s, cadence_spm=162.0, speed_mps=2.8, label="recovery")
            )
        phases.append(
            GaitPhase(activity="run", duration_s=interval_s, cadence_spm=178.0, speed_mps=4.2, label="interval")
        )
    phases.append(GaitPhase(duration_s=cool_down_s / 2, label="cool-down", **walk))  # type: ignore[arg-type]
    phases.append(GaitPhase(activity="stand", duration_s=stop_s, label="stop"))
    phases.append(GaitPhase(duration_s=cool_down_s / 2, label="cool-down", **walk))  # type: ignore[arg-type]
    phases.append(GaitPhase(activity="stand", duration_s=stand_s, label="stand"))
    return GaitSessionSpec(phases=tuple(phases), **spec)  # type: ignore[arg-type]


def simulate_gait_session(spec: GaitSessionSpec) -> SimulatedGaitSession:
    """Simulate the instrumented feet through every phase (physics in the module docstring)."""
    if any(p.activity not in PHASE_ACTIVITIES or p.duration_s <= 0 for p in spec.phases):
        raise ValueError(f"phases are {', '.join(PHASE_ACTIVITIES)} with a positive duration")
    rng = np.random.default_rng(spec.seed)
    edges = np.concatenate(([0.0], np.cumsum([p.duration_s for p in spec.phases])))
    duration = float(edges[-1])
    fine_hz = max(500.0, 4.0 * spec.sensor.sample_rate_hz)
    t_fine = np.arange(round(duration * fine_hz) + 1) / fine_hz
    base = RunSpec(duration_s=duration, strike=spec.strike, stride_jitter=spec.stride_jitter, seed=spec.seed)
    right = [_stride_starts(spec, edges, a, b, rng) for a, b in _blocks(spec, edges)]
    landings: list[np.ndarray] = []
    recordings: list[Recording] = []
    for k, side in enumerate(("right", "left")):
        foot_rng = np.random.default_rng(spec.seed * 7919 + k)
        mount = _mount(base, k, foot_rng) if side in spec.feet else np.eye(3)
        acc = np.tile(mount.T @ np.array([0.0, 0.0, 9.80665]), (t_fine.size, 1))
        gyr = np.zeros((t_fine.size, 3))
        for block in right:
            # The left foot lands half a stride after the right; the right foot lands last.
            starts = block if side == "right" else block[:-1] + 0.5 * np.diff(block)
            landings.append(starts[1:])
            if side in spec.feet and starts.size > 1:
                _block_motion(spec, base, edges, starts, t_fine, mount, acc, gyr, foot_rng)
        if side in spec.feet:
            recordings.append(
                foot_recording(
                    spec.sensor,
                    side,
                    (t_fine, acc, gyr),
                    duration,
                    rng,
                    source=f"simulated gait session ({side} foot, seed {spec.seed})",
                    simulated=SimulationFacts(generator="calfload.sim.simulate_gait_session", seed=spec.seed),
                )
            )
    return SimulatedGaitSession(tuple(recordings), _phase_truth(spec, edges, np.sort(np.concatenate(landings))), spec)


def _blocks(spec: GaitSessionSpec, edges: np.ndarray) -> list[tuple[float, float]]:
    """``(start, end)`` of every run of consecutive walk and run phases."""
    out: list[tuple[float, float]] = []
    for i, phase in enumerate(spec.phases):
        if phase.activity == "stand":
            continue
        if out and out[-1][1] == edges[i]:
            out[-1] = (out[-1][0], float(edges[i + 1]))
        else:
            out.append((float(edges[i]), float(edges[i + 1])))
    return out


def _phase_at(spec: GaitSessionSpec, edges: np.ndarray, t: float) -> GaitPhase:
    i = int(np.clip(np.searchsorted(edges, t, side="right") - 1, 0, len(spec.phases) - 1))
    return spec.phases[i]


def _stride_starts(
    spec: GaitSessionSpec, edges: np.ndarray, start: float, end: float, rng: np.random.Generator
) -> np.ndarray:
    """Right-foot stride starts of one block: the first from standing, the last a landing before ``end``."""
    out = [start]
    t = start
    while True:
        phase = _phase_at(spec, edges, t)
        t += 120.0 / phase.cadence_spm * (1.0 + spec.stride_jitter * float(rng.standard_normal()))
        if t > end:
            break
        out.append(t)
    return np.asarray(out)


def _block_motion(
    spec: GaitSessionSpec,
    base: RunSpec,
    edges: np.ndarray,
    starts: np.ndarray,
    t_fine: np.ndarray,
    mount: np.ndarray,
    acc: np.ndarray,
    gyr: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Write one foot's motion through one block into ``acc``/``gyr`` (in place)."""
    strides = np.diff(starts)
    phases = [_phase_at(spec, edges, float(t)) for t in starts[:-1]]
    running = np.array([p.activity == "run" for p in phases])
    duty = np.array([p.duty_factor or (0.34 if p.activity == "run" else 0.61) for p in phases])
    speed = np.array([p.speed_mps for p in phases])
    # The final landing: a stride like the last one, cut where its push-off would begin (step 2).
    strides = np.append(strides, strides[-1])
    running, duty, speed = np.append(running, running[-1]), np.append(duty, duty[-1]), np.append(speed, 0.0)
    contact = duty[-1] * strides[-1]
    settled = starts[-1] + contact - min(0.5 * contact, 0.3 * (strides[-1] - contact))
    # Fine samples from half a second before the block to the settling point (the rest is still).
    a = int(np.searchsorted(t_fine, starts[0] - 0.5))
    b = int(np.searchsorted(t_fine, settled))
    t = t_fine[a:b]
    pitch, rate, pivot, _ = foot_motion(t, starts, strides, duty, running, base, rng, speed)
    zeros = np.zeros_like(t)
    lever = np.asarray(base.lever_arm_m)
    block_acc, block_gyr = ideal_imu(t, pitch, rate, zeros, zeros, pivot, lever, mount)
    ics = starts[1:]
    impact_g = np.where(running[1:], 6.0, 1.5)
    for g in np.unique(impact_g):
        block_acc += _impacts(t, ics[impact_g == g], mount, float(g), rng)
    acc[a:b] = block_acc
    gyr[a:b] = block_gyr


def _phase_truth(spec: GaitSessionSpec, edges: np.ndarray, landings: np.ndarray) -> tuple[PhaseTruth, ...]:
    out = []
    for i, phase in enumerate(spec.phases):
        inside = landings[(landings >= edges[i]) & (landings < edges[i + 1])]
        cadence = 60.0 / float(np.median(np.diff(inside))) if inside.size > 2 else None
        out.append(
            PhaseTruth(
                phase.activity,
                phase.label,
                float(edges[i]),
                float(edges[i + 1]),
                int(inside.size),
                cadence,
                phase.speed_mps,
            )
        )
    return tuple(out)


__all__ = [
    "GaitPhase",
    "GaitSessionSpec",
    "PhaseTruth",
    "SimulatedGaitSession",
    "interval_session",
    "simulate_gait_session",
]
