"""Rigid-foot kinematics shared by the simulators: motion profiles, rotations, sensor model.

Frames
------
World: x forward, y left, z up (right-handed), gravity ``-9.81`` along z. The foot frame
coincides with the world frame when the foot stands flat and faces forward. Foot pitch ``θ`` is a
rotation about the foot's +y (mediolateral) axis; **positive θ lifts the heel** (the toe points
down, plantarflexion). Yaw ``ψ`` is a rotation about world z.

A foot-mounted IMU sits at a lever arm ``r`` (m, foot frame) from the pivot of the motion and is
mounted with an arbitrary rotation ``R_mount`` (sensor axes expressed in the foot frame). It
measures

- specific force ``f = R_s^T (p̈ + [0, 0, g])`` with ``p`` the sensor's world position, and
- angular rate ``ω_s = R_s^T ω_world``,

where ``R_s = R_foot · R_mount``. Accelerations are obtained by differentiating the sensor's world
position numerically on a fine internal grid (the profiles are C² so central differences at
2 kHz are exact to well below sensor noise).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calfload._recording_facts import SimulationFacts
from calfload.recording import Recording, validate_table, write_csv, write_parquet
from calfload.schema import ACC_MPS2, GYR_DPS, IMU, T_S, RecordingMeta, SensorInfo
from calfload.units import STANDARD_GRAVITY_MPS2


def min_jerk(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum-jerk position and velocity on normalised time ``s`` in [0, 1].

    Returns
    -------
    tuple of ndarray
        Position in [0, 1] and its derivative d/ds (peak 1.875 at s = 0.5).
    """
    s = np.clip(s, 0.0, 1.0)
    pos = s**3 * (10 - 15 * s + 6 * s**2)
    vel = 30 * s**2 * (1 - s) ** 2
    return pos, vel


def plateau_profile(s: np.ndarray, plateau: float) -> tuple[np.ndarray, np.ndarray]:
    """Move from 0 to 1 with raised-cosine speed ramps and a constant-speed middle.

    Parameters
    ----------
    s
        Normalised time in [0, 1].
    plateau
        Fraction of the move spent at constant speed (0 gives a raised-cosine bell). People
        lowering to a count move nearly at constant speed; people rising quickly do not.

    Returns
    -------
    tuple of ndarray
        Position in [0, 1] and its derivative d/ds.
    """
    s = np.clip(s, 0.0, 1.0)
    ramp = (1.0 - plateau) / 2.0
    # Speed shape: 0 -> v_max over `ramp` (raised cosine), v_max over `plateau`, back to 0.
    v_max = 1.0 / (plateau + ramp)  # area of the speed curve is 1
    vel = np.full_like(s, v_max)
    pos = np.empty_like(s)
    if ramp > 0:
        up = s < ramp
        vel[up] = v_max * 0.5 * (1 - np.cos(np.pi * s[up] / ramp))
        pos[up] = v_max * 0.5 * (s[up] - ramp / np.pi * np.sin(np.pi * s[up] / ramp))
        down = s > 1 - ramp
        sd = 1 - s[down]
        vel[down] = v_max * 0.5 * (1 - np.cos(np.pi * sd / ramp))
        pos[down] = 1 - v_max * 0.5 * (sd - ramp / np.pi * np.sin(np.pi * sd / ramp))
        mid = ~(up | down)
        pos[mid] = v_max * 0.5 * ramp + v_max * (s[mid] - ramp)
    else:
        pos = s.copy()
    return pos, vel


def rot_y(angle_rad: np.ndarray) -> np.ndarray:
    """Rotation matrices about y, shape ``(n, 3, 3)``."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    out = np.zeros((*np.shape(angle_rad), 3, 3))
    out[..., 0, 0] = c
    out[..., 0, 2] = s
    out[..., 1, 1] = 1
    out[..., 2, 0] = -s
    out[..., 2, 2] = c
    return out


def rot_z(angle_rad: np.ndarray) -> np.ndarray:
    """Rotation matrices about z, shape ``(n, 3, 3)``."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    out = np.zeros((*np.shape(angle_rad), 3, 3))
    out[..., 0, 0] = c
    out[..., 0, 1] = -s
    out[..., 1, 0] = s
    out[..., 1, 1] = c
    out[..., 2, 2] = 1
    return out


def random_rotation(rng: np.random.Generator) -> np.ndarray:
    """A uniformly random rotation matrix (any sensor mounting)."""
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SensorModel:
    """Errors of a consumer MEMS IMU, applied to ideal specific force and angular rate.

    Parameters
    ----------
    sample_rate_hz
        Nominal output rate.
    acc_noise_mps2
        White noise per sample (1 σ).
    gyr_noise_dps
        White noise per sample (1 σ).
    acc_bias_mps2
        Constant bias per axis.
    gyr_bias_dps
        Bias per axis at t = 0.
    gyr_drift_dps_per_s
        Linear change of the gyro bias per axis (temperature drift).
    scale_error
        Relative scale-factor error per axis (acc and gyro alike).
    acc_range_mps2, gyr_range_dps
        Full-scale range; values beyond clip.
    bits
        ADC resolution; values are quantised to ``range / 2**(bits-1)``.
    timestamp_jitter_s
        Host timestamp jitter (1 σ) added to the nominal sample times.
    drops_per_min
        How often a short burst of samples (lost BLE packets) is missing.
    drop_burst_s
        Length of such a burst.
    """

    sample_rate_hz: float = 100.0
    acc_noise_mps2: float = 0.03
    gyr_noise_dps: float = 0.2
    acc_bias_mps2: tuple[float, float, float] = (0.0, 0.0, 0.0)
    gyr_bias_dps: tuple[float, float, float] = (0.0, 0.0, 0.0)
    gyr_drift_dps_per_s: tuple[float, float, float] = (0.0, 0.0, 0.0)
    scale_error: tuple[float, float, float] = (0.0, 0.0, 0.0)
    acc_range_mps2: float = 16 * STANDARD_GRAVITY_MPS2
    gyr_range_dps: float = 2000.0
    bits: int = 16
    timestamp_jitter_s: float = 0.0
    drops_per_min: float = 0.0
    drop_burst_s: float = 0.1

    @classmethod
    def random(cls, rng: np.random.Generator, sample_rate_hz: float) -> SensorModel:
        """Draw a plausible consumer sensor: biases, drift, noise, scale errors, jitter, drops."""
        return cls(
            sample_rate_hz=sample_rate_hz,
            acc_noise_mps2=float(rng.uniform(0.005, 0.08)),
            gyr_noise_dps=float(rng.uniform(0.03, 0.6)),
            acc_bias_mps2=tuple(rng.normal(0, 0.08, 3).tolist()),
            gyr_bias_dps=tuple(rng.normal(0, 1.5, 3).tolist()),
            gyr_drift_dps_per_s=tuple(rng.normal(0, 0.004, 3).tolist()),
            scale_error=tuple(rng.normal(0, 0.01, 3).tolist()),
            timestamp_jitter_s=float(rng.uniform(0, 0.15)) / sample_rate_hz,
            drops_per_min=float(rng.choice([0.0, 1.0, 4.0])),
            drop_burst_s=float(rng.uniform(0.03, 0.25)),
        )

    def sample_times(self, duration_s: float, rng: np.random.Generator) -> np.ndarray:
        """Jittered, strictly increasing sample times with dropped bursts removed."""
        n = int(duration_s * self.sample_rate_hz)
        t = np.arange(n) / self.sample_rate_hz
        if self.timestamp_jitter_s > 0:
            t = t + rng.normal(0, self.timestamp_jitter_s, n)
            t = np.maximum.accumulate(t)
            t = t + np.arange(n) * 1e-9  # keep strictly increasing
            t -= t[0]
        keep = np.ones(n, dtype=bool)
        if self.drops_per_min > 0:
            burst = max(1, round(self.drop_burst_s * self.sample_rate_hz))
            per_sample = self.drops_per_min / 60.0 / self.sample_rate_hz
            for start in np.flatnonzero(rng.random(n) < per_sample):
                keep[start : start + burst] = False
            keep[0] = keep[-1] = True
        return t[keep]

    def sample(
        self,
        t_fine_s: np.ndarray,
        acc_fine_mps2: np.ndarray,
        gyr_fine_dps: np.ndarray,
        duration_s: float,
        rng: np.random.Generator,
    ) -> pd.DataFrame:
        """Read ideal fine-grid signals at this sensor's sample times, with its errors, as an IMU table.

        The times come from :meth:`sample_times` (jitter, dropped bursts), the values by linear
        interpolation of the fine grid, then :meth:`measure` adds the sensor's errors.
        """
        t_out = self.sample_times(duration_s, rng)
        acc = np.column_stack([np.interp(t_out, t_fine_s, acc_fine_mps2[:, i]) for i in range(3)])
        gyr = np.column_stack([np.interp(t_out, t_fine_s, gyr_fine_dps[:, i]) for i in range(3)])
        acc, gyr = self.measure(t_out, acc, gyr, rng)
        return imu_frame(t_out, acc, gyr)

    def measure(
        self, t_s: np.ndarray, acc_mps2: np.ndarray, gyr_dps: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Apply scale, bias, drift, noise, clipping and quantisation to ideal readings."""
        scale = 1 + np.asarray(self.scale_error)
        acc = acc_mps2 * scale + np.asarray(self.acc_bias_mps2) + rng.normal(0, self.acc_noise_mps2, acc_mps2.shape)
        bias = np.asarray(self.gyr_bias_dps) + np.outer(t_s, self.gyr_drift_dps_per_s)
        gyr = gyr_dps * scale + bias + rng.normal(0, self.gyr_noise_dps, gyr_dps.shape)
        return (
            _quantise(acc, self.acc_range_mps2, self.bits),
            _quantise(gyr, self.gyr_range_dps, self.bits),
        )


def imu_frame(t_s: np.ndarray, acc_mps2: np.ndarray, gyr_dps: np.ndarray) -> pd.DataFrame:
    """The contract's IMU table from sample arrays (float64 time, float32 sensor columns)."""
    frame = pd.DataFrame({T_S: t_s})
    for i, name in enumerate(ACC_MPS2):
        frame[name] = acc_mps2[:, i].astype(np.float32)
    for i, name in enumerate(GYR_DPS):
        frame[name] = gyr_dps[:, i].astype(np.float32)
    return frame


def write_with_truth(recording: Recording, truth: Mapping[str, Any], folder: str | Path, name: str, fmt: str) -> Path:
    """Write ``name.parquet`` (or ``.csv``) and ``name.truth.json`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.{fmt}"
    (write_parquet if fmt == "parquet" else write_csv)(recording, path, overwrite=True)
    (folder / f"{name}.truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    return path


def _quantise(x: np.ndarray, full_scale: float, bits: int) -> np.ndarray:
    lsb = full_scale / 2 ** (bits - 1)
    return np.asarray(np.clip(np.round(x / lsb), -(2 ** (bits - 1)), 2 ** (bits - 1) - 1) * lsb)


def ideal_imu(
    t_s: np.ndarray,
    pitch_rad: np.ndarray,
    pitch_rate_rps: np.ndarray,
    yaw_rad: np.ndarray,
    yaw_rate_rps: np.ndarray,
    pivot_m: np.ndarray,
    lever_arm_m: np.ndarray,
    mount: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Ideal specific force (m/s²) and angular rate (deg/s) of a foot-mounted sensor.

    Parameters
    ----------
    t_s
        Uniform fine time grid.
    pitch_rad, pitch_rate_rps
        Foot pitch about its mediolateral axis and its rate.
    yaw_rad, yaw_rate_rps
        Heading about world z and its rate.
    pivot_m
        World position of the point the foot rotates about, shape ``(n, 3)``.
    lever_arm_m
        Sensor position relative to the pivot in the foot frame, shape ``(n, 3)`` or ``(3,)``.
    mount
        Sensor axes in the foot frame, ``(3, 3)``.

    Returns
    -------
    tuple of ndarray
        Specific force and angular rate in the sensor frame, each ``(n, 3)``.
    """
    r_foot = rot_z(yaw_rad) @ rot_y(pitch_rad)
    lever = np.broadcast_to(lever_arm_m, pivot_m.shape)
    position = pivot_m + np.einsum("nij,nj->ni", r_foot, lever)
    step = float(t_s[1] - t_s[0])
    velocity = np.gradient(position, step, axis=0)
    accel = np.gradient(velocity, step, axis=0)
    specific_world = accel + np.array([0.0, 0.0, STANDARD_GRAVITY_MPS2])
    # Angular velocity: yaw about world z, pitch about the yawed foot's y axis.
    y_axis = np.stack([-np.sin(yaw_rad), np.cos(yaw_rad), np.zeros_like(yaw_rad)], axis=1)
    omega_world = np.outer(yaw_rate_rps, [0.0, 0.0, 1.0]) + pitch_rate_rps[:, None] * y_axis
    r_sensor = r_foot @ mount
    acc_s = np.einsum("nji,nj->ni", r_sensor, specific_world)
    gyr_s = np.degrees(np.einsum("nji,nj->ni", r_sensor, omega_world))
    return acc_s, gyr_s


def foot_recording(
    sensor: SensorModel,
    side: str,
    fine: tuple[np.ndarray, np.ndarray, np.ndarray],
    duration_s: float,
    rng: np.random.Generator,
    *,
    source: str,
    simulated: SimulationFacts,
) -> Recording:
    """The sensor's reading of the fine-grid ``(t, acc, gyr)`` of one foot, as a foot IMU recording."""
    frame = sensor.sample(*fine, duration_s, rng)
    meta = RecordingMeta(
        kind="imu",
        sample_rate_hz=sensor.sample_rate_hz,
        start_utc=dt.datetime(2026, 11, 3, 18, 0, tzinfo=dt.UTC),
        sensor=SensorInfo(model="calfload simulated foot IMU"),
        placement="foot",
        side=side,
        simulated=simulated,
    )
    # The samples are in the contract's units by construction, so only the table is validated
    # here (make_recording's unit checks would only cost time).
    return Recording(validate_table(frame, IMU, source=source), meta, source)
