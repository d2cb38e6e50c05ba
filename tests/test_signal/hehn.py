"""Turn the Hehn et al. motion-capture calf raises into foot-IMU recordings (test helper module).

Physics: during a double-leg calf raise the shank stays close to vertical, so the foot's pitch
is the change of the ankle's plantarflexion angle (mocap ``RAnkleFlexion``, plantarflexion
negative). The pitch is smoothed at 6 Hz (mocap marker noise, as is usual before
differentiating), padded with 1 s of the first pose before and 3 s of the last pose after (the
athlete rests where the rep ends: on the floor, or with the heel dropped below the step in the
elevated trials), and fed through the rigid-foot
sensor model of :mod:`calfload.sim` (lever arm 10 cm behind and 6 cm above the forefoot,
a random mounting, consumer-grade noise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.signal as sps

from calfload.recording import Recording, make_recording
from calfload.schema import RecordingMeta
from calfload.sim import SensorModel, random_rotation
from calfload.sim._kinematics import ideal_imu, imu_frame

FS_HZ = 100.0
PAD_BEFORE_S = 1.0
PAD_AFTER_S = 3.0
MAX_MISSING_SHARE = 0.2


@dataclass(frozen=True)
class AngleReference:
    """Phase durations derived from the mocap angle by the 10 %-of-peak-speed rule."""

    concentric_s: float
    eccentric_s: float
    top_hold_s: float
    excursion_deg: float


def load_pitch_deg(path: Path) -> np.ndarray | None:
    """Foot pitch (deg, heel up positive) at 100 Hz, or None when too much mocap is missing."""
    frame = pd.read_csv(path, encoding="utf-8-sig")
    flex = frame["RAnkleFlexion"].to_numpy(dtype=float, copy=True)
    missing = ~np.isfinite(flex)
    if missing.mean() > MAX_MISSING_SHARE:
        return None
    idx = np.arange(flex.size)
    flex[missing] = np.interp(idx[missing], idx[~missing], flex[~missing])
    sos = sps.butter(2, 6.0, fs=FS_HZ, output="sos")
    pitch = -(sps.sosfiltfilt(sos, flex) - flex[-20:].mean())
    before, after = int(PAD_BEFORE_S * FS_HZ), int(PAD_AFTER_S * FS_HZ)
    return np.concatenate([np.full(before, pitch[0]), pitch, np.full(after, pitch[-1])])


def angle_reference(pitch_deg: np.ndarray) -> AngleReference:
    """Apply the DESIGN.md rule to the angle's own derivative (single rep per file)."""
    rate = np.gradient(pitch_deg) * FS_HZ
    top = int(np.argmax(pitch_deg))
    t = np.arange(pitch_deg.size) / FS_HZ

    def bounds(speed: np.ndarray, lo: int, hi: int) -> tuple[float, float]:
        k = lo + int(np.argmax(speed[lo:hi]))
        thr = 0.1 * speed[k]
        a = k
        while a > lo and speed[a - 1] > thr:
            a -= 1
        b = k
        while b < hi - 1 and speed[b + 1] > thr:
            b += 1
        start = t[a - 1] + (thr - speed[a - 1]) / (speed[a] - speed[a - 1]) / FS_HZ
        end = t[b] + (thr - speed[b]) / (speed[b + 1] - speed[b]) / FS_HZ
        return float(start), float(end)

    # The rise starts from the lowest pose before the top, the lowering ends at the lowest after it.
    bottom_before = int(np.argmin(pitch_deg[: top + 1]))
    bottom_after = top + int(np.argmin(pitch_deg[top:]))
    c0, c1 = bounds(rate, bottom_before, top + 1)
    e0, e1 = bounds(-rate, top, bottom_after + 1)
    return AngleReference(c1 - c0, e1 - e0, e0 - c1, float(pitch_deg[top] - pitch_deg[-1]))


def as_recording(pitch_deg: np.ndarray, seed: int) -> Recording:
    """A foot-IMU recording of the given pitch trajectory."""
    rng = np.random.default_rng(seed)
    n = pitch_deg.size
    t = np.arange(n) / FS_HZ
    pitch = np.radians(pitch_deg)
    zeros = np.zeros(n)
    acc, gyr = ideal_imu(
        t,
        pitch,
        np.gradient(pitch) * FS_HZ,
        zeros,
        zeros,
        np.zeros((n, 3)),
        np.array([-0.10, 0.0, 0.06]),
        random_rotation(rng),
    )
    acc, gyr = SensorModel(sample_rate_hz=FS_HZ).measure(t, acc, gyr, rng)
    frame = imu_frame(t, acc, gyr)
    meta = RecordingMeta(sample_rate_hz=FS_HZ, start_utc=dt.datetime(2023, 12, 6, tzinfo=dt.UTC), placement="foot")
    return make_recording(frame, meta, source="hehn")
