"""Simulated foot-mounted IMU during a calf-raise session, with ground truth.

Physics
-------
The foot is a rigid body (see :mod:`calfload.sim._kinematics` for frames and the sensor model).

- **Calf raise.** The foot pitches about the forefoot contact line (the metatarsal heads stay on
  the floor): pitch ``θ`` rises by the rep's excursion (20–40° in healthy adults) during the
  concentric phase, stays (with a small postural wobble) during the top hold, returns to 0 in the
  eccentric phase and rests flat at the bottom. Rising follows a bell-shaped (minimum-jerk-like)
  speed; lowering to a count is closer to constant speed, so each phase has a ``plateau`` share
  of constant speed between raised-cosine ramps.
- **Standing.** The foot is flat; weight shifts lift the heel by 1–3° now and then (sway that
  must not count as reps).
- **Walking between sets.** Per stride of the instrumented foot: foot flat; heel-off with the
  foot rotating about the forefoot to +35–45° at toe-off; swing, the foot translating one stride
  length forward with a 6–12 cm lift while pitching to −10…−20° (toe up); heel strike followed
  by the foot slapping flat about the heel; a 30 m/s² decaying impact transient at heel strike.
  Optionally a 180° turn in place halfway.
- **Sensor.** Anywhere on the shoe (lever arm from the pivot), mounted in any orientation,
  with the errors of :class:`~calfload.sim._kinematics.SensorModel` and any sample rate.

Ground truth
------------
Sets follow DESIGN.md (more than 10 s of rest, or walking, between reps). Phase boundaries too:
a phase starts or ends where the angular speed crosses 10 % of that phase's peak angular speed.
The truth applies that rule to the noise-free pitch rate inside each phase's known time window,
so postural wobble and sensor errors never enter it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from calfload.recording import Recording, make_recording
from calfload.schema import RecordingMeta, SensorInfo
from calfload.sim._kinematics import (
    SensorModel,
    ideal_imu,
    min_jerk,
    plateau_profile,
    random_rotation,
    rot_y,
    write_with_truth,
)
from calfload.units import STANDARD_GRAVITY_MPS2

FINE_RATE_HZ = 2000.0
PHASE_THRESHOLD_FRACTION = 0.1
FOOT_LENGTH_M = 0.18  # forefoot contact to heel
IMPACT_MPS2 = 30.0
SET_BREAK_S = 10.0  # DESIGN.md: reps separated by more than 10 s of rest are different sets


@dataclass(frozen=True, slots=True, kw_only=True)
class RaiseSpec:
    """One calf raise: excursion and phase durations (nominal, from motion start to stop)."""

    excursion_deg: float = 30.0
    concentric_s: float = 1.0
    top_hold_s: float = 0.5
    eccentric_s: float = 3.0
    bottom_s: float = 1.0
    concentric_plateau: float = 0.0
    eccentric_plateau: float = 0.5
    partial: bool = False


@dataclass(frozen=True, slots=True)
class Rest:
    """Standing still with occasional weight shifts (heel lifts of 1–3°)."""

    duration_s: float
    heel_shifts: int = 0


@dataclass(frozen=True, slots=True)
class Walk:
    """Walking a number of strides of the instrumented foot, optionally turning halfway."""

    strides: int
    stride_s: float = 1.1
    stride_length_m: float = 1.3
    turn: bool = True


@dataclass(frozen=True, slots=True)
class RaiseSet:
    """Consecutive calf raises."""

    reps: tuple[RaiseSpec, ...]


Block = Rest | Walk | RaiseSet


@dataclass(frozen=True, slots=True, kw_only=True)
class CalfSessionSpec:
    """Everything that defines a simulated session.

    Parameters
    ----------
    blocks
        The session, in order.
    sensor
        Sensor error model and sample rate.
    lever_arm_m
        Sensor position relative to the forefoot pivot, foot frame (x forward, z up).
    mount
        Sensor axes in the foot frame (any rotation), row-major 3×3.
    top_wobble_deg
        Amplitude of the postural wobble at the top of a raise.
    side, exercise
        Copied into the recording's metadata.
    seed
        Seed of the noise and of small random details.
    """

    blocks: tuple[Block, ...]
    sensor: SensorModel = field(default_factory=SensorModel)
    lever_arm_m: tuple[float, float, float] = (-0.10, 0.0, 0.06)
    mount: tuple[tuple[float, ...], ...] = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    top_wobble_deg: float = 0.2
    side: str = "right"
    exercise: str | None = "single_leg_standing"
    seed: int = 0

    @property
    def duration_s(self) -> float:
        """Total session length."""
        return sum(_block_duration(b) for b in self.blocks)


@dataclass(frozen=True, slots=True)
class TruthRep:
    """Ground truth of one rep, by the 10 %-of-peak-speed rule."""

    set: int
    index: int
    start_s: float
    end_s: float
    concentric_s: float
    top_hold_s: float
    eccentric_s: float
    bottom_s: float | None
    excursion_deg: float
    partial: bool
    nominal_eccentric_s: float


@dataclass(frozen=True, slots=True)
class SessionTruth:
    """Ground truth of a simulated session."""

    reps: tuple[TruthRep, ...]
    walking_intervals_s: tuple[tuple[float, float], ...]

    def counted(self) -> list[TruthRep]:
        """Reps that count (not partial)."""
        return [r for r in self.reps if not r.partial]

    def set_counts(self) -> list[int]:
        """Counted reps per set, in set order."""
        counts: dict[int, int] = {}
        for r in self.counted():
            counts[r.set] = counts.get(r.set, 0) + 1
        return [counts[k] for k in sorted(counts)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready truth in the shape of ``calfload analyze --json`` (plus extras)."""
        reps = [asdict(r) for r in self.reps]
        return {
            "activity": "calf_raise",
            "rep_count": len(self.counted()),
            "set_rep_counts": self.set_counts(),
            "reps": reps,
            "walking_intervals_s": [list(w) for w in self.walking_intervals_s],
        }


@dataclass(frozen=True, slots=True)
class SimulatedSession:
    """A simulated recording with its ground truth and the spec that made it."""

    recording: Recording
    truth: SessionTruth
    spec: CalfSessionSpec
    #: Gravity's reaction in the sensor frame at the recording's sample times, ``(n, 3)`` m/s²: what
    #: a phone's "gravity" sensor reports, for writing phone-app exports that remove gravity.
    gravity_mps2: np.ndarray | None = None

    def write(self, folder: str | Path, name: str, *, fmt: str = "parquet") -> Path:
        """Write ``name.parquet`` (or ``.csv``) and ``name.truth.json`` into ``folder``."""
        return write_with_truth(self.recording, self.truth.to_dict(), folder, name, fmt)


def _block_duration(block: Block) -> float:
    if isinstance(block, Rest):
        return block.duration_s
    if isinstance(block, Walk):
        return block.strides * block.stride_s + (1.5 if block.turn else 0.0) + 0.5
    return sum(r.concentric_s + r.top_hold_s + r.eccentric_s + r.bottom_s for r in block.reps)


class _Timeline:
    """Fine-grid arrays of foot pitch, yaw and pivot position, filled block by block."""

    def __init__(self, duration_s: float, rng: np.random.Generator) -> None:
        n = int(np.ceil(duration_s * FINE_RATE_HZ)) + 1
        self.t = np.arange(n) / FINE_RATE_HZ
        self.pitch = np.zeros(n)
        self.pitch_rate = np.zeros(n)
        self.yaw = np.zeros(n)
        self.yaw_rate = np.zeros(n)
        self.pivot = np.zeros((n, 3))
        self.impacts: list[float] = []
        self.rng = rng

    def index(self, t_s: float) -> int:
        return min(len(self.t) - 1, round(t_s * FINE_RATE_HZ))

    def move(self, t0: float, duration: float, a_deg: float, b_deg: float, plateau: float | None = None) -> None:
        """Pitch from ``a`` to ``b`` over ``duration`` (min-jerk, or plateau profile)."""
        i0, i1 = self.index(t0), self.index(t0 + duration)
        s = (self.t[i0:i1] - t0) / duration
        pos, vel = min_jerk(s) if plateau is None else plateau_profile(s, plateau)
        self.pitch[i0:i1] = np.radians(a_deg + (b_deg - a_deg) * pos)
        self.pitch_rate[i0:i1] = np.radians((b_deg - a_deg) * vel / duration)

    def hold(self, t0: float, duration: float, level_deg: float, wobble_deg: float) -> None:
        i0, i1 = self.index(t0), self.index(t0 + duration)
        if i1 <= i0:
            return
        tt = self.t[i0:i1] - t0
        freq = self.rng.uniform(0.4, 0.9)
        # The wobble starts and ends at zero so the pitch stays continuous.
        env = np.sin(np.pi * tt / duration)
        wob = wobble_deg * env * np.sin(2 * np.pi * freq * tt)
        dwob = wobble_deg * (
            np.pi / duration * np.cos(np.pi * tt / duration) * np.sin(2 * np.pi * freq * tt)
            + env * 2 * np.pi * freq * np.cos(2 * np.pi * freq * tt)
        )
        self.pitch[i0:i1] = np.radians(level_deg + wob)
        self.pitch_rate[i0:i1] = np.radians(dwob)

    def carry(self, t0: float, t1: float) -> None:
        """Keep yaw and pivot from ``t0`` onward until ``t1`` (position continuity)."""
        i0, i1 = self.index(t0), self.index(t1)
        if i0 > 0:
            self.yaw[i0:i1] = self.yaw[i0 - 1]
            self.pivot[i0:i1] = self.pivot[i0 - 1]


def simulate_calf_session(spec: CalfSessionSpec) -> SimulatedSession:
    """Simulate the IMU recording and ground truth of ``spec``.

    Returns
    -------
    SimulatedSession
        The recording (contract columns, metadata) and the truth.
    """
    rng = np.random.default_rng(spec.seed)
    tl = _Timeline(spec.duration_s, rng)
    truth_reps: list[TruthRep] = []
    walking: list[tuple[float, float]] = []
    t = 0.0
    set_index = 0
    for block in spec.blocks:
        end = t + _block_duration(block)
        tl.carry(t, end)
        if isinstance(block, Rest):
            _rest(tl, t, block)
        elif isinstance(block, Walk):
            _walk(tl, t, block)
            walking.append((t, end))
        else:
            set_index += 1
            truth_reps.extend(_raise_set(tl, t, block, set_index, spec.top_wobble_deg))
        t = end
    tl.carry(t, tl.t[-1] + 1)

    truth_reps = _regroup_sets(truth_reps, walking)
    lever = np.asarray(spec.lever_arm_m)
    acc_fine, gyr_fine = ideal_imu(
        tl.t, tl.pitch, tl.pitch_rate, tl.yaw, tl.yaw_rate, tl.pivot, lever, np.asarray(spec.mount)
    )
    _add_impacts(tl, acc_fine, np.asarray(spec.mount))
    frame = spec.sensor.sample(tl.t, acc_fine, gyr_fine, spec.duration_s, rng)
    meta = RecordingMeta(
        kind="imu",
        sample_rate_hz=spec.sensor.sample_rate_hz,
        start_utc=dt.datetime(2026, 11, 2, 7, 30, tzinfo=dt.UTC),
        sensor=SensorInfo(model="calfload simulated foot IMU"),
        placement="foot",
        side=spec.side,
        activity="calf_raise",
        exercise=spec.exercise,
        extra={"simulated": {"seed": spec.seed, "generator": "calfload.sim.simulate_calf_session"}},
    )
    recording = make_recording(frame, meta, source=f"simulated calf session (seed {spec.seed})")
    pitch = np.interp(recording.t_s, tl.t, tl.pitch)
    # Yaw turns about world z and leaves gravity alone: g_sensor = mountᵀ R_y(pitch)ᵀ (0, 0, g).
    g_foot = np.einsum("nji,j->ni", rot_y(pitch), np.array([0.0, 0.0, STANDARD_GRAVITY_MPS2]))
    gravity = g_foot @ np.asarray(spec.mount)
    return SimulatedSession(recording, SessionTruth(tuple(truth_reps), tuple(walking)), spec, gravity)


def _regroup_sets(reps: list[TruthRep], walking: list[tuple[float, float]]) -> list[TruthRep]:
    """Number sets and reps by the DESIGN.md rule, not by the spec's blocks.

    Counted reps more than :data:`SET_BREAK_S` apart, or with walking between them, are in
    different sets (rest is measured between counted reps); two blocks with a short pause
    between them are one set. Partial reps join the current set and keep index 0.
    """
    out: list[TruthRep] = []
    set_index, counted, prev_end = 0, 0, -np.inf
    for rep in reps:
        if not rep.partial:
            walked = any(prev_end < a < rep.start_s for a, _ in walking)
            if rep.start_s - prev_end > SET_BREAK_S or walked:
                set_index, counted = set_index + 1, 0
            counted += 1
            prev_end = rep.end_s
        out.append(replace(rep, set=max(set_index, 1), index=0 if rep.partial else counted))
    # Bottom: until the next rep's rise in the same set; the last rep of a set has none.
    for k, rep in enumerate(out):
        same_set = k + 1 < len(out) and out[k + 1].set == rep.set
        out[k] = replace(rep, bottom_s=out[k + 1].start_s - rep.end_s if same_set else None)
    return out


def _rest(tl: _Timeline, t0: float, block: Rest) -> None:
    if block.heel_shifts <= 0 or block.duration_s < 3:
        return
    slots = np.linspace(t0 + 0.5, t0 + block.duration_s - 2.0, block.heel_shifts + 1)[:-1]
    for start in slots:
        lift = tl.rng.uniform(1.0, 3.0)
        half = tl.rng.uniform(0.5, 0.9)
        tl.move(start, half, 0.0, lift)
        tl.move(start + half, half, lift, 0.0)


def _raise_set(tl: _Timeline, t0: float, block: RaiseSet, set_index: int, wobble_deg: float) -> list[TruthRep]:
    """Fill the set's pitch and return the truth of its reps."""
    windows: list[tuple[float, float, float, float, RaiseSpec]] = []
    t = t0
    for rep in block.reps:
        c0 = t
        tl.move(c0, rep.concentric_s, 0.0, rep.excursion_deg, rep.concentric_plateau)
        tl.hold(c0 + rep.concentric_s, rep.top_hold_s, rep.excursion_deg, wobble_deg)
        e0 = c0 + rep.concentric_s + rep.top_hold_s
        tl.move(e0, rep.eccentric_s, rep.excursion_deg, 0.0, rep.eccentric_plateau)
        windows.append((c0, c0 + rep.concentric_s, e0, e0 + rep.eccentric_s, rep))
        t = e0 + rep.eccentric_s + rep.bottom_s
    phases = [
        (
            _crossings(tl, c0, c1, +1.0),
            _crossings(tl, e0, e1, -1.0),
            rep,
        )
        for c0, c1, e0, e1, rep in windows
    ]
    out: list[TruthRep] = []
    counted = 0
    for k, ((cs, ce), (es, ee), rep) in enumerate(phases):
        nxt = phases[k + 1][0][0] if k + 1 < len(phases) else None
        if not rep.partial:
            counted += 1
        out.append(
            TruthRep(
                set=set_index,
                index=counted if not rep.partial else 0,
                start_s=cs,
                end_s=ee,
                concentric_s=ce - cs,
                top_hold_s=es - ce,
                eccentric_s=ee - es,
                bottom_s=None if nxt is None else nxt - ee,
                excursion_deg=rep.excursion_deg,
                partial=rep.partial,
                nominal_eccentric_s=rep.eccentric_s,
            )
        )
    return out


def _crossings(tl: _Timeline, t0: float, t1: float, sign: float) -> tuple[float, float]:
    """First and last crossing of 10 % of the phase's peak speed inside its window."""
    i0, i1 = tl.index(t0), tl.index(t1) + 1
    speed = sign * tl.pitch_rate[i0:i1]
    threshold = PHASE_THRESHOLD_FRACTION * speed.max()
    above = np.flatnonzero(speed > threshold)
    a, b = above[0], above[-1]
    t = tl.t[i0:i1]

    def interp(j: int, k: int) -> float:
        return float(t[j] + (threshold - speed[j]) / (speed[k] - speed[j]) * (t[k] - t[j]))

    start = interp(a - 1, a) if a > 0 else float(t[0])
    end = interp(b, b + 1) if b + 1 < len(t) else float(t[-1])
    return start, end


def _walk(tl: _Timeline, t0: float, block: Walk) -> None:
    """Strides of the instrumented foot: heel-off, swing with translation, heel strike, foot flat."""
    rng = tl.rng
    t = t0 + 0.25
    half = block.strides // 2 if block.turn else block.strides
    for k in range(block.strides):
        if block.turn and k == half:
            i0, i1 = tl.index(t), tl.index(t + 1.2)
            s = (tl.t[i0:i1] - t) / 1.2
            pos, vel = min_jerk(s)
            yaw0 = tl.yaw[i0 - 1]
            tl.yaw[i0:] = yaw0 + np.pi * pos[-1]
            tl.yaw[i0:i1] = yaw0 + np.pi * pos
            tl.yaw_rate[i0:i1] = np.pi * vel / 1.2
            t += 1.5
        toe_off = rng.uniform(35.0, 45.0)
        strike = -rng.uniform(10.0, 20.0)
        heel_off_s = 0.22 * block.stride_s
        swing_s = 0.38 * block.stride_s
        slap_s = 0.08 * block.stride_s
        # Heel-off: rotation about the forefoot (pivot fixed).
        tl.move(t, heel_off_s, 0.0, toe_off)
        # Swing: the forefoot point moves one stride forward with a lift, pitch goes toe-up.
        ts = t + heel_off_s
        i0, i1 = tl.index(ts), tl.index(ts + swing_s)
        tl.move(ts, swing_s, toe_off, strike)
        s = (tl.t[i0:i1] - ts) / swing_s
        pos, _ = min_jerk(s)
        yaw = tl.yaw[i0]
        heading = np.array([np.cos(yaw), np.sin(yaw), 0.0])
        p0 = tl.pivot[i0 - 1].copy()
        # The heel touches down first: place the pivot so the heel is on the floor at the end.
        end_rise = FOOT_LENGTH_M * np.sin(np.radians(-strike))
        forward = block.stride_length_m + FOOT_LENGTH_M * (np.cos(np.radians(strike)) - 1.0)
        lift = rng.uniform(0.06, 0.12) * np.sin(np.pi * s) ** 2
        tl.pivot[i0:i1] = p0 + np.outer(pos * forward, heading)
        tl.pivot[i0:i1, 2] = p0[2] + pos * end_rise + lift
        # Foot slap: rotation about the heel from `strike` to flat.
        tf = ts + swing_s
        j0, j1 = tl.index(tf), tl.index(tf + slap_s)
        tl.move(tf, slap_s, strike, 0.0)
        heel = tl.pivot[j0 - 1] + _foot_vector(tl.yaw[j0], strike)
        theta = tl.pitch[j0:j1]
        for idx, th in zip(range(j0, j1), theta, strict=True):
            tl.pivot[idx] = heel - _foot_vector(tl.yaw[idx], float(np.degrees(th)))
        tl.pivot[j1:] = heel - _foot_vector(tl.yaw[j1 - 1], 0.0)
        tl.impacts.append(tf)
        t += block.stride_s
    last = tl.index(t)
    tl.pivot[last:] = tl.pivot[last - 1]


def _foot_vector(yaw: float, pitch_deg: float) -> np.ndarray:
    """World vector from the forefoot contact point to the heel for a given yaw and pitch."""
    p = np.radians(pitch_deg)
    heel_in_foot = np.array([-FOOT_LENGTH_M * np.cos(p), 0.0, FOOT_LENGTH_M * np.sin(p)])
    c, s = np.cos(yaw), np.sin(yaw)
    return np.array([c * heel_in_foot[0], s * heel_in_foot[0], heel_in_foot[2]])


def _add_impacts(tl: _Timeline, acc_sensor: np.ndarray, mount: np.ndarray) -> None:
    """Add heel-strike transients (a decaying 35 Hz ring along the foot's vertical)."""
    for t_hit in tl.impacts:
        i0 = tl.index(t_hit)
        i1 = min(len(tl.t), i0 + int(0.08 * FINE_RATE_HZ))
        tt = tl.t[i0:i1] - t_hit
        ring = IMPACT_MPS2 * np.exp(-tt / 0.012) * np.sin(2 * np.pi * 35 * tt + np.pi / 2)
        up_in_sensor = mount.T @ np.array([0.0, 0.0, 1.0])
        acc_sensor[i0:i1] += np.outer(ring, up_in_sensor)


def random_calf_session(
    rng: np.random.Generator,
    *,
    sample_rate_hz: float | None = None,
    n_sets: int | None = None,
    endurance: bool = False,
    walking: bool | None = None,
    partials: bool | None = None,
    mount_random: bool = True,
) -> CalfSessionSpec:
    """Draw a varied calf-raise session: tempo, holds, sets, rests, walking, sensor and mounting.

    Parameters
    ----------
    rng
        Random generator (the session is a pure function of its state).
    sample_rate_hz
        Force a sample rate; otherwise one of 25–1000 Hz is drawn.
    n_sets
        Force the number of sets.
    endurance
        Make the last set an endurance set (60–90 s of continuous raises, no holds).
    walking
        Force walking between sets on or off (default: drawn).
    partials
        Force partial reps on or off (default: drawn).
    mount_random
        Mount the sensor in a random orientation (else aligned with the foot).
    """
    rate = sample_rate_hz or float(rng.choice([25, 50, 52, 100, 104, 200, 208, 416, 833, 1000]))
    sets = n_sets or int(rng.integers(1, 4))
    blocks: list[Block] = [Rest(float(rng.uniform(4, 10)), heel_shifts=int(rng.integers(0, 2)))]
    style_ecc = float(rng.uniform(1.0, 4.5))
    for k in range(sets):
        reps: list[RaiseSpec] = []
        is_endurance = endurance and k == sets - 1
        if is_endurance:
            target_s = float(rng.uniform(60, 90))
            elapsed = 0.0
            while elapsed < target_s:
                rep = RaiseSpec(
                    excursion_deg=float(rng.uniform(20, 35)),
                    concentric_s=float(rng.uniform(0.6, 1.0)),
                    top_hold_s=0.0,
                    eccentric_s=float(rng.uniform(0.8, 1.4)),
                    bottom_s=float(rng.uniform(0.0, 0.15)),
                    concentric_plateau=float(rng.uniform(0, 0.3)),
                    eccentric_plateau=float(rng.uniform(0, 0.4)),
                )
                reps.append(rep)
                elapsed += rep.concentric_s + rep.eccentric_s + rep.bottom_s
        else:
            n = int(rng.integers(6, 16))
            base_exc = float(rng.uniform(22, 38))
            with_partials = partials if partials is not None else bool(rng.random() < 0.3)
            partial_at = (
                set(rng.choice(n, size=int(rng.integers(1, 3)), replace=False).tolist()) if with_partials else set()
            )
            for i in range(n):
                if i in partial_at:
                    reps.append(
                        RaiseSpec(
                            excursion_deg=float(rng.uniform(0.12, 0.25)) * base_exc,
                            concentric_s=float(rng.uniform(0.4, 0.8)),
                            top_hold_s=float(rng.uniform(0, 0.3)),
                            eccentric_s=float(rng.uniform(0.4, 0.9)),
                            bottom_s=float(rng.uniform(0.5, 1.5)),
                            partial=True,
                        )
                    )
                ecc = float(np.clip(style_ecc + rng.normal(0, 0.5), 0.8, 5.0))
                reps.append(
                    RaiseSpec(
                        excursion_deg=base_exc * float(rng.uniform(0.85, 1.1)),
                        concentric_s=float(rng.uniform(0.4, 2.0)),
                        top_hold_s=float(rng.choice([0.0, rng.uniform(0.2, 2.0)])),
                        eccentric_s=ecc,
                        bottom_s=float(rng.uniform(0.3, 2.0)),
                        concentric_plateau=float(rng.uniform(0, 0.4)),
                        eccentric_plateau=float(rng.uniform(0, 0.7)),
                    )
                )
            # A set never ends with a partial rep in this generator (it may start with one).
            while reps and reps[-1].partial:
                reps.pop()
        blocks.append(RaiseSet(tuple(reps)))
        if k < sets - 1:
            walk_between = walking if walking is not None else bool(rng.random() < 0.5)
            rest_s = float(rng.uniform(12, 60))
            if walk_between:
                blocks.append(Rest(float(rng.uniform(2, 6))))
                blocks.append(Walk(int(rng.integers(4, 10)), stride_s=float(rng.uniform(1.0, 1.25))))
                blocks.append(Rest(float(rng.uniform(3, 8))))
            else:
                blocks.append(Rest(rest_s, heel_shifts=int(rng.integers(0, 3))))
    blocks.append(Rest(float(rng.uniform(3, 8))))
    mount = random_rotation(rng) if mount_random else np.eye(3)
    return CalfSessionSpec(
        blocks=tuple(blocks),
        sensor=SensorModel.random(rng, rate),
        lever_arm_m=(float(rng.uniform(-0.20, -0.03)), float(rng.uniform(-0.04, 0.04)), float(rng.uniform(0.02, 0.08))),
        mount=tuple(tuple(float(v) for v in row) for row in mount),
        top_wobble_deg=float(rng.uniform(0.0, 0.3)),
        side=str(rng.choice(["left", "right"])),
        seed=int(rng.integers(0, 2**31)),
    )
