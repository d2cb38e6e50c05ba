"""Motion that drives the virtual devices.

A :class:`MotionSource` holds six-axis samples (any rate) and returns them at any time by linear
interpolation, looping when asked past its end, so a short simulated session can drive a long
recording. It is usually made from a :class:`~calfload.recording.Recording`, e.g. the calf-raise
session of :func:`calfload.sim.simulate_calf_session`.

Two small stand-ins are documented here for when no simulator fits:

:func:`standin_calf_raises`
    The foot pitches heel-up about the forefoot by 30 degrees: 1 s rise (half-cosine), 0.5 s
    hold, 3 s lowering, 1.5 s on the floor, repeated. The sensor's z axis points up when the foot
    is flat, its y axis is the pitch axis; the accelerometer sees gravity rotating with the foot.
:func:`standin_run`
    A foot during running at a given stride rate: the pitch rate swings sinusoidally at the
    stride frequency (amplitude 400 deg/s) and each foot strike adds a 30 m/s² half-sine impact of
    40 ms to the vertical axis. Crude, but it has the stride periodicity cadence estimators use.

The foot pod's :func:`footpod_run_model` gives speed and cadence: a 10 s ramp from 1.5 to
3.0 m/s, cadence ``150 + 8 * speed`` steps/min, stride ``speed * 120 / cadence`` (two steps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calfload.recording import Recording
from calfload.units import STANDARD_GRAVITY_MPS2


@dataclass(frozen=True, slots=True)
class MotionSource:
    """Six-axis motion samples a virtual device plays back.

    Parameters
    ----------
    t_s
        Sample times, increasing.
    acc_mps2
        Specific force, shape ``(n, 3)``.
    gyr_dps
        Angular rate, shape ``(n, 3)``.
    """

    t_s: np.ndarray
    acc_mps2: np.ndarray
    gyr_dps: np.ndarray

    @classmethod
    def from_recording(cls, recording: Recording) -> MotionSource:
        """Use an IMU recording as the motion."""
        return cls(recording.t_s - recording.t_s[0], recording.acc_mps2(), recording.gyr_dps())

    @property
    def duration_s(self) -> float:
        """Length of one pass."""
        return float(self.t_s[-1] - self.t_s[0])

    def at(self, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (acc_mps2, gyr_dps) at ``t_s``, looping past the end."""
        span = self.duration_s
        looped = np.mod(t_s, span) + self.t_s[0] if span > 0 else np.full_like(t_s, self.t_s[0])
        acc = np.column_stack([np.interp(looped, self.t_s, self.acc_mps2[:, i]) for i in range(3)])
        gyr = np.column_stack([np.interp(looped, self.t_s, self.gyr_dps[:, i]) for i in range(3)])
        return acc, gyr


def _from_pitch(t_s: np.ndarray, pitch_deg: np.ndarray) -> MotionSource:
    pitch_rad = np.radians(pitch_deg)
    rate_dps = np.gradient(pitch_deg, t_s)
    acc = STANDARD_GRAVITY_MPS2 * np.column_stack([-np.sin(pitch_rad), np.zeros_like(t_s), np.cos(pitch_rad)])
    gyr = np.column_stack([np.zeros_like(t_s), rate_dps, np.zeros_like(t_s)])
    return MotionSource(t_s, acc, gyr)


def standin_calf_raises(duration_s: float = 60.0, rate_hz: float = 200.0, excursion_deg: float = 30.0) -> MotionSource:
    """Calf raises with a 3 s lowering (see the module docstring)."""
    t = np.arange(0.0, duration_s, 1.0 / rate_hz)
    phase = np.mod(t, 6.0)
    rise = np.clip(phase / 1.0, 0, 1)
    lower = np.clip((phase - 1.5) / 3.0, 0, 1)
    up = 0.5 - 0.5 * np.cos(np.pi * rise)
    down = 0.5 - 0.5 * np.cos(np.pi * lower)
    return _from_pitch(t, excursion_deg * (up - down))


def standin_run(duration_s: float = 60.0, rate_hz: float = 200.0, stride_rate_hz: float = 1.45) -> MotionSource:
    """Make a running foot at ``stride_rate_hz`` strides per second (see the module docstring)."""
    t = np.arange(0.0, duration_s, 1.0 / rate_hz)
    source = _from_pitch(t, 25.0 * np.sin(2 * np.pi * stride_rate_hz * t))
    since_strike = np.mod(t, 1.0 / stride_rate_hz)
    impact = np.where(since_strike < 0.04, 30.0 * np.sin(np.pi * since_strike / 0.04), 0.0)
    acc = source.acc_mps2.copy()
    acc[:, 2] += impact
    gyr = source.gyr_dps.copy()
    gyr[:, 1] = 400.0 * np.sin(2 * np.pi * stride_rate_hz * t)
    return MotionSource(t, acc, gyr)


@dataclass(frozen=True, slots=True)
class FootpodState:
    """What a foot pod reports at one instant."""

    speed_mps: float
    cadence_spm: float
    stride_length_m: float
    distance_m: float
    running: bool


def footpod_run_model(t_s: float, *, running: bool = True) -> FootpodState:
    """Speed, cadence, stride and distance of the foot pod's run (see the module docstring).

    For anything but a run the pod stands still (all zero, walking status).
    """
    if not running:
        return FootpodState(0.0, 0.0, 0.0, 0.0, False)
    ramp_s = 10.0
    v0, v1 = 1.5, 3.0
    if t_s < ramp_s:
        speed = v0 + (v1 - v0) * t_s / ramp_s
        distance = v0 * t_s + 0.5 * (v1 - v0) * t_s**2 / ramp_s
    else:
        speed = v1
        distance = 0.5 * (v0 + v1) * ramp_s + v1 * (t_s - ramp_s)
    cadence = 150.0 + 8.0 * speed
    return FootpodState(speed, cadence, speed * 120.0 / cadence, distance, speed > 2.2)


__all__ = ["FootpodState", "MotionSource", "footpod_run_model", "standin_calf_raises", "standin_run"]
