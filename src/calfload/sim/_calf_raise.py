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
from dataclasses import replace
from functools import partial

import numpy as np

from calfload._recording_facts import SimulationFacts
from calfload.recording import make_recording
from calfload.schema import RecordingMeta, SensorInfo
from calfload.sim._calf_session_types import (
    CalfSessionSpec,
    RaiseSet,
    RaiseSpec,
    Rest,
    SessionTruth,
    SimulatedSession,
    TruthRep,
    Walk,
    block_duration,
)
from calfload.sim._kinematics import (
    SensorModel,
    ideal_imu,
    min_jerk,
    plateau_profile,
    rot_y,
)
from calfload.sim._motion_cache import motion_once
from calfload.units import STANDARD_GRAVITY_MPS2

FINE_RATE_HZ = 2000.0
PHASE_THRESHOLD_FRACTION = 0.1
FOOT_LENGTH_M = 0.18  # forefoot contact to heel
IMPACT_MPS2 = 30.0
SET_BREAK_S = 10.0  # DESIGN.md: reps separated by more than 10 s of rest are different sets


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
    # The motion does not depend on the sensor: sessions that differ only in it share one.
    physics = ("calf", replace(spec, sensor=SensorModel()))
    t_fine, pitch_fine, acc_fine, gyr_fine, truth_reps, walking = motion_once(physics, rng, partial(_motion, spec))
    frame = spec.sensor.sample(t_fine, acc_fine, gyr_fine, spec.duration_s, rng)
    meta = RecordingMeta(
        kind="imu",
        sample_rate_hz=spec.sensor.sample_rate_hz,
        start_utc=dt.datetime(2026, 11, 2, 7, 30, tzinfo=dt.UTC),
        sensor=SensorInfo(model="calfload simulated foot IMU"),
        placement="foot",
        side=spec.side,
        activity="calf_raise",
        exercise=spec.exercise,
        simulated=SimulationFacts(generator="calfload.sim.simulate_calf_session", seed=spec.seed),
    )
    recording = make_recording(frame, meta, source=f"simulated calf session (seed {spec.seed})")
    pitch = np.interp(recording.t_s, t_fine, pitch_fine)
    # Yaw turns about world z and leaves gravity alone: g_sensor = mountᵀ R_y(pitch)ᵀ (0, 0, g).
    g_foot = np.einsum("nji,j->ni", rot_y(pitch), np.array([0.0, 0.0, STANDARD_GRAVITY_MPS2]))
    gravity = g_foot @ np.asarray(spec.mount)
    return SimulatedSession(recording, SessionTruth(truth_reps, walking), spec, gravity)


def _motion(
    spec: CalfSessionSpec, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[TruthRep, ...], tuple[tuple[float, float], ...]]:
    """The fine grid, foot pitch, ideal specific force and angular rate, and the truth of ``spec``'s motion."""
    tl = _Timeline(spec.duration_s, rng)
    truth_reps: list[TruthRep] = []
    walking: list[tuple[float, float]] = []
    t = 0.0
    set_index = 0
    for block in spec.blocks:
        end = t + block_duration(block)
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
    return tl.t, tl.pitch, acc_fine, gyr_fine, tuple(truth_reps), tuple(walking)


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
