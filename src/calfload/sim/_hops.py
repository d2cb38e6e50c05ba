"""Simulated foot or shank IMU during plyometric hop sets, with ground truth.

Physics
-------
Frames, rotations and the sensor error model are those of :mod:`calfload.sim._kinematics`.

- **Vertical motion.** The instrumented segment rides the body's vertical motion (a stiff-legged
  spring-mass hopper [1]_): in **flight** the body is in free fall (acceleration ``-g``), so a flight
  of ``T_f`` seconds leaves and lands at ``v = g T_f / 2``; in a **rebound contact** of ``T_c`` the
  ground reaction force (per unit mass) is ``f(s) = A sin(π s) + B sin(2π s)``, ``s = t / T_c``:
  zero at touchdown and take-off, ``A`` from the impulse that turns the landing velocity into the
  next take-off velocity, ``B`` (zero for equal flights) so the body leaves from the height it
  landed at. A set starts with a countermovement push-off from standing and ends with a landing
  that absorbs the last flight and returns to standing, both as smooth polynomial forces with
  the same end conditions. The truth is exact: contact is where this force is non-zero.
- **Ankle rotation.** The segment pitches about its mediolateral axis: a foot stays plantarflexed
  (heel up) while hopping, the heel dips by ``contact_pitch_deg`` in each contact (dorsiflexion
  absorbing the landing, then push-off) and the foot plantarflexes by ``flight_pitch_deg`` in
  flight; a shank tilts forward in contact. Every profile is minimum-jerk, so the motion is C².
- **Forward travel.** Forward hops and bounds carry the segment ``forward_m`` per flight with a
  seventh-order smooth step (velocity, acceleration and jerk zero at touchdown and take-off):
  the foot is at rest horizontally in contact and swings forward in the air.
- **Impact.** Each touchdown adds a damped ring along the segment's vertical axis
  (``impact_mps2``, 20–40 Hz, 8–15 ms decay, 1.5 ms rise), as a shoe or tibia rings on landing.
- **Sensor.** At ``lever_arm_m`` from the segment's rotation centre (ankle), in any mounting
  orientation, with the errors of :class:`~calfload.sim._kinematics.SensorModel`.

Simplifications: the segment's vertical motion is the body's (knee flexion and the forefoot's
contact constraint are not modelled); the impact is the same ring for foot and shank, scaled.

References
----------
.. [1] Blickhan R (1989) The spring-mass model for running and hopping. J Biomech 22:1217-1227.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial
from typing import Final

import numpy as np

from calfload._recording_facts import SimulationFacts
from calfload.recording import make_recording
from calfload.schema import RecordingMeta, SensorInfo
from calfload.sim._calf_session_types import Rest
from calfload.sim._hop_session_types import (
    HopBlock,
    HopSeries,
    HopSessionSpec,
    HopSpec,
    HopTruth,
    SimulatedHops,
    TruthContact,
)
from calfload.sim._kinematics import SensorModel, ideal_imu, min_jerk, random_rotation
from calfload.sim._motion_cache import motion_once
from calfload.units import STANDARD_GRAVITY_MPS2

FINE_RATE_HZ: Final = 2000.0
G: Final = STANDARD_GRAVITY_MPS2
IMPACT_RISE_S: Final = 0.0015


class _HopTimeline:
    """Fine-grid vertical acceleration, forward position, pitch and impacts, filled block by block."""

    def __init__(self, duration_s: float) -> None:
        n = int(np.ceil(duration_s * FINE_RATE_HZ)) + 2
        self.t = np.arange(n) / FINE_RATE_HZ
        self.acc_z = np.zeros(n)
        self.x = np.zeros(n)
        self.pitch_deg = np.zeros(n)
        self.impacts: list[tuple[float, float, float, float]] = []

    def span(self, t0: float, duration: float) -> tuple[slice, np.ndarray]:
        """Grid slice of ``[t0, t0 + duration)`` and the normalised time ``s`` in it."""
        i0, i1 = round(t0 * FINE_RATE_HZ), round((t0 + duration) * FINE_RATE_HZ)
        return slice(i0, i1), (self.t[i0:i1] - t0) / duration

    def pitch_bump(self, t0: float, duration: float, base: float, change: float) -> None:
        """Pitch from ``base`` to ``base + change`` and back, two minimum-jerk halves."""
        sl, s = self.span(t0, duration)
        up, _ = min_jerk(2 * s)
        down, _ = min_jerk(2 * s - 1)
        self.pitch_deg[sl] = base + change * (up - down)

    def pitch_move(self, t0: float, duration: float, a: float, b: float) -> None:
        sl, s = self.span(t0, duration)
        self.pitch_deg[sl] = a + (b - a) * min_jerk(s)[0]

    def hold_from(self, t0: float, t1: float) -> None:
        """Carry forward position and pitch over ``[t0, t1)``."""
        i0, i1 = round(t0 * FINE_RATE_HZ), round(t1 * FINE_RATE_HZ)
        if i0 > 0:
            self.x[i0:i1] = self.x[i0 - 1]
            self.pitch_deg[i0:i1] = self.pitch_deg[i0 - 1]


def smooth_step7(s: np.ndarray) -> np.ndarray:
    """Seventh-order smooth step on [0, 1]: velocity, acceleration and jerk vanish at both ends."""
    s = np.clip(s, 0.0, 1.0)
    return np.asarray(s**4 * (35 - 84 * s + 70 * s**2 - 20 * s**3))


def rebound_force(s: np.ndarray, contact_s: float, v_in_mps: float, v_out_mps: float) -> np.ndarray:
    """Ground reaction per unit mass (m/s²) of a rebound contact, ``A sin(π s) + B sin(2π s)``.

    ``A`` gives the impulse ``v_in + v_out + g T_c``; ``B`` makes the net vertical displacement zero.

    Examples
    --------
    >>> s = np.linspace(0, 1, 20001)
    >>> f = rebound_force(s, 0.2, 1.5, 1.5)
    >>> round(float(np.trapezoid(f - G, s) * 0.2), 3)  # impulse turns -1.5 m/s into +1.5 m/s
    3.0
    """
    a = np.pi * (v_in_mps + v_out_mps + G * contact_s) / (2 * contact_s)
    b = 2 * np.pi * (v_in_mps / contact_s + G / 2 - a / np.pi)
    return np.asarray(a * np.sin(np.pi * s) + b * np.sin(2 * np.pi * s))


def push_off_acc(s: np.ndarray, duration_s: float, v_out_mps: float) -> np.ndarray:
    """Body acceleration (m/s²) of a countermovement push-off from standing.

    ``a(s) = c2 s² + c3 s³ + c4 s⁴``: starts smoothly from rest, ends at ``-g`` (the force falls to zero
    at take-off) with velocity ``v_out`` and back at the standing height.
    """
    rows = np.array([[1.0, 1.0, 1.0], [1 / 3, 1 / 4, 1 / 5], [1 / 12, 1 / 20, 1 / 30]])
    c2, c3, c4 = np.linalg.solve(rows, [-G, v_out_mps / duration_s, 0.0])
    return np.asarray(c2 * s**2 + c3 * s**3 + c4 * s**4)


def landing_acc(s: np.ndarray, duration_s: float, v_in_mps: float) -> np.ndarray:
    """Body acceleration (m/s²) of a landing that ends standing still at the take-off height.

    ``a(s) = -g + c1 s + c2 s² + c3 s³ + c4 s⁴`` with ``a(1) = a'(1) = 0``, the impulse that stops
    ``v_in`` and zero net displacement.
    """
    rows = np.array(
        [
            [1.0, 1.0, 1.0, 1.0],
            [1.0, 2.0, 3.0, 4.0],
            [1 / 2, 1 / 3, 1 / 4, 1 / 5],
            [1 / 6, 1 / 12, 1 / 20, 1 / 30],
        ]
    )
    rhs = [G, 0.0, v_in_mps / duration_s + G, v_in_mps / duration_s + G / 2]
    c1, c2, c3, c4 = np.linalg.solve(rows, rhs)
    return np.asarray(-G + c1 * s + c2 * s**2 + c3 * s**3 + c4 * s**4)


def simulate_hop_session(spec: HopSessionSpec) -> SimulatedHops:
    """Simulate the IMU recording and ground truth of ``spec``.

    Returns
    -------
    SimulatedHops
        The recording (contract columns, metadata) and the per-landing truth.
    """
    rng = np.random.default_rng(spec.seed)
    # The motion does not depend on the sensor: sessions that differ only in it share one.
    physics = ("hops", replace(spec, sensor=SensorModel()))
    t_fine, acc_fine, gyr_fine, contacts = motion_once(physics, rng, partial(_motion, spec))
    frame = spec.sensor.sample(t_fine, acc_fine, gyr_fine, spec.duration_s, rng)
    meta = RecordingMeta(
        kind="imu",
        sample_rate_hz=spec.sensor.sample_rate_hz,
        start_utc=dt.datetime(2026, 11, 4, 17, 0, tzinfo=dt.UTC),
        sensor=SensorInfo(model=f"calfload simulated {spec.placement} IMU"),
        placement=spec.placement,
        side=spec.side,
        activity="hops",
        exercise=spec.exercise,
        simulated=SimulationFacts(generator="calfload.sim.simulate_hop_session", seed=spec.seed),
    )
    recording = make_recording(frame, meta, source=f"simulated hop session (seed {spec.seed})")
    return SimulatedHops(recording, HopTruth(contacts), spec)


def _motion(
    spec: HopSessionSpec, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[TruthContact, ...]]:
    """The fine grid, ideal specific force and angular rate, and the landings' truth of ``spec``'s motion."""
    tl = _HopTimeline(spec.duration_s)
    contacts: list[TruthContact] = []
    t = 0.0
    set_index = 0
    for block in spec.blocks:
        end = t + block.duration_s
        tl.hold_from(t, end + 1.0)
        if isinstance(block, HopSeries):
            set_index += 1
            contacts.extend(_hop_set(tl, t, block, set_index, rng))
        t = end
    # Vertical position from the body's acceleration (trapezoid rule on the fine grid).
    step = 1.0 / FINE_RATE_HZ
    vel_z = np.concatenate(([0.0], np.cumsum((tl.acc_z[1:] + tl.acc_z[:-1]) / 2) * step))
    pos_z = np.concatenate(([0.0], np.cumsum((vel_z[1:] + vel_z[:-1]) / 2) * step))
    centre = np.column_stack([tl.x, np.zeros_like(tl.x), pos_z])
    pitch = np.radians(tl.pitch_deg)
    mount = np.asarray(spec.mount)
    zeros = np.zeros_like(pitch)
    acc_fine, gyr_fine = ideal_imu(
        tl.t, pitch, np.gradient(pitch, step), zeros, zeros, centre, np.asarray(spec.lever_arm_m), mount
    )
    up_in_sensor = mount.T @ np.array([0.0, 0.0, 1.0])
    for t_hit, amp, freq, decay in tl.impacts:
        i0 = round(t_hit * FINE_RATE_HZ)
        i1 = min(tl.t.size, i0 + round(8 * decay * FINE_RATE_HZ))
        tt = tl.t[i0:i1] - t_hit
        ring = amp * (1 - np.exp(-tt / IMPACT_RISE_S)) * np.exp(-tt / decay) * np.cos(2 * np.pi * freq * tt)
        acc_fine[i0:i1] += np.outer(ring, up_in_sensor)
    return tl.t, acc_fine, gyr_fine, tuple(contacts)


def _hop_set(
    tl: _HopTimeline, t0: float, block: HopSeries, set_index: int, rng: np.random.Generator
) -> list[TruthContact]:
    """Fill one set's acceleration, pitch and travel; return its landings' truth."""
    base, hops = block.base_pitch_deg, block.hops
    # Push-off from standing: countermovement force, heel rising to the hopping pitch.
    sl, s = tl.span(t0, block.push_off_s)
    tl.acc_z[sl] = push_off_acc(s, block.push_off_s, G * hops[0].flight_s / 2)
    tl.pitch_move(t0 + block.push_off_s / 2, block.push_off_s / 2, 0.0, base)
    t = t0 + block.push_off_s
    out: list[TruthContact] = []
    for k, hop in enumerate(hops):
        takeoff = t
        # Flight: free fall, plantarflexion and back, forward travel.
        sl, s = tl.span(t, hop.flight_s)
        tl.acc_z[sl] = -G
        tl.pitch_bump(t, hop.flight_s, base, block.flight_pitch_deg)
        x0 = tl.x[sl.start - 1] if sl.start > 0 else 0.0
        tl.x[sl] = x0 + hop.forward_m * smooth_step7(s)
        tl.x[sl.stop :] = x0 + hop.forward_m
        t += hop.flight_s
        tl.impacts.append((t, hop.impact_mps2, float(rng.uniform(20, 40)), float(rng.uniform(0.008, 0.015))))
        v_in = G * hop.flight_s / 2
        last = k == len(hops) - 1
        if last:
            sl, s = tl.span(t, block.landing_s)
            tl.acc_z[sl] = landing_acc(s, block.landing_s, v_in)
            tl.pitch_move(t, 0.6 * block.landing_s, base, 0.0)
            tl.pitch_deg[round((t + 0.6 * block.landing_s) * FINE_RATE_HZ) : sl.stop] = 0.0
        else:
            sl, s = tl.span(t, hop.contact_s)
            tl.acc_z[sl] = rebound_force(s, hop.contact_s, v_in, G * hops[k + 1].flight_s / 2) - G
            tl.pitch_bump(t, hop.contact_s, base, block.contact_pitch_deg)
        out.append(
            TruthContact(
                set=set_index,
                index=k + 1,
                start_s=t,
                contact_ms=None if last else 1000.0 * hop.contact_s,
                flight_ms=1000.0 * hop.flight_s,
                takeoff_s=takeoff,
            )
        )
        t += block.landing_s if last else hop.contact_s
    return out


#: Per exercise: contact (s), flight (s) and forward travel (m) ranges of a set's typical hop,
#: and hops per set. Ankle hops are short and stiff, pogo jumps higher, single-leg hops and
#: (two-footed) bounds travel forward with longer contacts.
EXERCISE_RANGES: Final[dict[str, dict[str, tuple[float, float]]]] = {
    "ankle_hops": {"contact_s": (0.13, 0.20), "flight_s": (0.18, 0.32), "forward_m": (0.0, 0.05), "n": (8, 25)},
    "pogo_jumps": {"contact_s": (0.15, 0.25), "flight_s": (0.30, 0.45), "forward_m": (0.0, 0.05), "n": (8, 20)},
    "single_leg_hops": {"contact_s": (0.18, 0.30), "flight_s": (0.20, 0.35), "forward_m": (0.0, 0.6), "n": (5, 15)},
    "bounds": {"contact_s": (0.20, 0.30), "flight_s": (0.30, 0.45), "forward_m": (0.5, 1.2), "n": (5, 10)},
}


def _random_series(rng: np.random.Generator, ranges: dict[str, tuple[float, float]], where: str) -> HopSeries:
    """One set of hops: contact time rising with fatigue, flight and travel varying, pitch by placement."""
    n = int(rng.integers(int(ranges["n"][0]), int(ranges["n"][1]) + 1))
    contact0 = float(rng.uniform(*ranges["contact_s"]))
    flight0 = float(rng.uniform(*ranges["flight_s"]))
    fatigue = float(rng.uniform(0.0, 0.25))  # contact time rises by up to 25 % over the set
    forward = float(rng.uniform(*ranges["forward_m"]))
    hops = tuple(
        HopSpec(
            flight_s=flight0 * float(rng.uniform(0.9, 1.1)),
            contact_s=contact0 * (1 + fatigue * i / max(n - 1, 1)) * float(rng.uniform(0.95, 1.05)),
            forward_m=forward * float(rng.uniform(0.8, 1.2)),
            impact_mps2=float(rng.uniform(20, 80)) * (1.0 if where == "foot" else 0.5),
        )
        for i in range(n)
    )
    if where == "foot":
        pitch = (float(rng.uniform(15, 35)), -float(rng.uniform(8, 14)), float(rng.uniform(3, 12)))
    else:
        pitch = (float(rng.uniform(0, 5)), float(rng.uniform(4, 10)), -float(rng.uniform(0, 4)))
    return HopSeries(
        hops=hops,
        push_off_s=float(rng.uniform(0.4, 0.7)),
        landing_s=float(rng.uniform(0.4, 0.55)),
        base_pitch_deg=pitch[0],
        contact_pitch_deg=pitch[1],
        flight_pitch_deg=pitch[2],
    )


def random_hop_session(
    rng: np.random.Generator,
    *,
    sample_rate_hz: float | None = None,
    placement: str | None = None,
    exercise: str | None = None,
    n_sets: int | None = None,
    drops: bool = True,
) -> HopSessionSpec:
    """Draw a varied hop session: exercise, contact and flight times, fatigue, travel, sensor and mounting.

    Parameters
    ----------
    rng
        Random generator (the session is a pure function of its state).
    sample_rate_hz
        Force a sample rate; otherwise one of 100–1000 Hz is drawn.
    placement
        ``foot`` or ``shank``; drawn when not given.
    exercise
        One of :data:`EXERCISE_RANGES`; drawn when not given.
    n_sets
        Force the number of sets (1–3 otherwise).
    drops
        Allow lost BLE packets (short bursts of missing samples).
    """
    rate = sample_rate_hz or float(rng.choice([100, 104, 200, 208, 416, 500, 833, 1000]))
    where = placement or str(rng.choice(["foot", "shank"]))
    name = exercise or str(rng.choice(list(EXERCISE_RANGES)))
    ranges = EXERCISE_RANGES[name]
    blocks: list[HopBlock] = [Rest(float(rng.uniform(3, 8)))]
    for _ in range(n_sets or int(rng.integers(1, 4))):
        blocks.append(_random_series(rng, ranges, where))
        blocks.append(Rest(float(rng.uniform(15, 40))))
    sensor = SensorModel.random(rng, rate)
    if not drops:
        sensor = replace(sensor, drops_per_min=0.0)
    lever = (
        (float(rng.uniform(0.0, 0.08)), float(rng.uniform(-0.03, 0.03)), float(rng.uniform(0.02, 0.05)))
        if where == "foot"
        else (float(rng.uniform(-0.02, 0.03)), float(rng.uniform(-0.03, 0.03)), float(rng.uniform(0.10, 0.25)))
    )
    mount = random_rotation(rng)
    return HopSessionSpec(
        blocks=tuple(blocks),
        sensor=sensor,
        placement=where,
        lever_arm_m=lever,
        mount=tuple(tuple(float(v) for v in row) for row in mount),
        side=str(rng.choice(["left", "right"])),
        exercise=name,
        seed=int(rng.integers(0, 2**31)),
    )
