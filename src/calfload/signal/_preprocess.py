"""Common front end: a uniform time grid, gaps, rest detection, gyro bias and the sensor's axes.

Steps 2-4 (rest, gyro bias, axes) are in :mod:`calfload.signal._frame`. The steps, numbered as
in the code:

1. **Uniform grid.** Timestamps may jitter and have gaps. Samples are low-passed with a boxcar
   when the native rate is well above the working rate (anti-aliasing), then interpolated onto a
   uniform grid at ``min(native, max_rate_hz)``. Gaps up to ``max_bridged_gap_s`` are bridged by
   interpolation (and flagged, so the pitch can be bridged consistently); longer gaps split the
   signal into segments, and grid points inside them are marked invalid.
2. **Rest.** A sample is at rest when, over a short window, the direction of gravity seen by the
   accelerometer turns by less than ``RestCriteria.tilt_deg`` and the gyroscope barely varies. A slow
   lowering (10 deg/s) is therefore never mistaken for rest, whatever the gyro bias.
3. **Gyro bias.** The mean gyro reading over each rest stretch, less the rotation the
   accelerometer saw during it (rest may still creep), pooled over neighbouring stretches with
   a Gaussian kernel of a few seconds: this follows temperature drift without chasing noise.
4. **Axes.** Gravity (``up``) is the accelerometer direction at rest; the dominant rotation axis
   is the first principal axis of the bias-free angular rate while moving, made perpendicular
   to gravity (a foot's mediolateral axis is horizontal when the foot is flat).
"""

from __future__ import annotations

import numpy as np

from calfload.errors import AnalysisError
from calfload.recording import Recording
from calfload.schema import ACC_MPS2, GYR_DPS
from calfload.signal._grid import GridPlan, UniformImu, _boxcar_columns, grid_plan, grid_rows, nominal_step_s
from calfload.signal._kernels import butter, filtfilt


def to_uniform_grid(
    t_s: np.ndarray,
    acc_mps2: np.ndarray,
    gyr_dps: np.ndarray,
    *,
    max_rate_hz: float = 100.0,
    max_bridged_gap_s: float = 2.0,
) -> UniformImu:
    """Resample jittered IMU samples onto a uniform grid (step 1).

    Parameters
    ----------
    t_s
        Strictly increasing sample times.
    acc_mps2, gyr_dps
        Samples, ``(n, 3)``.
    max_rate_hz
        Highest working rate; faster recordings are low-passed and decimated.
    max_bridged_gap_s
        Longest gap filled by interpolation.
    """
    return _grid_from_columns(
        t_s,
        [acc_mps2[:, i] for i in range(3)],
        [gyr_dps[:, i] for i in range(3)],
        max_rate_hz=max_rate_hz,
        max_bridged_gap_s=max_bridged_gap_s,
    )


def _grid_from_columns(
    t_s: np.ndarray,
    acc_columns: list[np.ndarray],
    gyr_columns: list[np.ndarray],
    *,
    max_rate_hz: float,
    max_bridged_gap_s: float,
    median_step_s: float | None = None,
) -> UniformImu:
    """:func:`to_uniform_grid` one column at a time, from columns of any float type.

    Each column becomes float64 only on the grid: no float64 copy of the whole recording and no
    second copy for ``column_stack`` (the working grid is at most 100 Hz, the input often more).
    """
    plan = grid_plan(t_s, max_rate_hz=max_rate_hz, max_bridged_gap_s=max_bridged_gap_s, median_step_s=median_step_s)
    return grid_rows(t_s, acc_columns, gyr_columns, plan, 0, plan.n)


def split_segments(imu: UniformImu, *, min_s: float = 0.0) -> list[UniformImu]:
    """The contiguous pieces of ``imu`` between unbridged gaps, each a :class:`UniformImu` of its own.

    Filters and event searches run per piece, so nothing is smoothed or searched across a hole
    in the data. Pieces shorter than ``min_s`` are left out.
    """
    out = []
    for a, b in zip(imu.segment_starts.tolist(), imu.segment_ends.tolist(), strict=True):
        if b - a < 2 or (b - a) / imu.fs_hz < min_s:
            continue
        t = imu.t_s[a:b]
        out.append(
            UniformImu(
                t,
                imu.fs_hz,
                imu.acc_mps2[a:b],
                imu.gyr_dps[a:b],
                np.array([0]),
                np.array([b - a]),
                tuple(g for g in imu.gaps_s if t[0] <= g[0] < t[-1]),
                imu.bridged[a:b],
            )
        )
    return out


def _boxcar(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average along axis 0 (edges use the available samples)."""
    if width <= 1:
        return x
    return np.column_stack(_boxcar_columns([x[:, i] for i in range(x.shape[1])], width))


def lowpass(x: np.ndarray, cutoff_hz: float, fs_hz: float, order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth low-pass along axis 0 (no-op when the cutoff is above Nyquist)."""
    if cutoff_hz >= 0.45 * fs_hz or x.shape[0] < 16:
        return x
    design = butter(order, cutoff_hz, fs_hz, "low")
    return filtfilt(design, x, padlen=min(x.shape[0] - 1, 3 * round(fs_hz)))


def rolling_mean(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average along axis 0 for 1-D or 2-D arrays."""
    if x.ndim == 1:
        return _boxcar(x[:, None], width)[:, 0]
    return _boxcar(x, width)


def tilt_about_axis_deg(acc_mps2: np.ndarray, up: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """Rotation of the sensor about ``axis`` since the pose where gravity read ``up`` (degrees).

    When the body turns by +θ about ``axis``, the measured gravity direction turns by −θ in the
    sensor frame; the sign is chosen so that this function and the integrated gyro agree.
    """
    u = up - np.dot(up, axis) * axis
    u /= np.linalg.norm(u)
    v = np.cross(axis, u)
    return np.asarray(-np.degrees(np.arctan2(acc_mps2 @ v, acc_mps2 @ u)))


def undo_tilt(acc_mps2: np.ndarray, theta_deg: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """Express each sample in the pose before a rotation of ``theta_deg`` about ``axis`` (Rodrigues).

    The sign follows :func:`tilt_about_axis_deg`: rotating the readings of a sensor tilted by
    ``θ`` with this function gives what it read at ``θ = 0``.

    ``axis × a`` and ``(a · axis) axis`` are written out per column: the products and differences
    ``np.cross`` and ``np.outer`` compute, bit for bit, without their per-call overhead (the calf
    step check rotates every movement's samples: a third of its time went to ``np.cross``).
    """
    theta = np.radians(theta_deg)[:, None]
    cos, sin = np.cos(theta), np.sin(theta)
    k0, k1, k2 = (float(c) for c in axis)
    x, y, z = acc_mps2[:, 0], acc_mps2[:, 1], acc_mps2[:, 2]
    cross = np.empty(acc_mps2.shape)
    np.subtract(k1 * z, k2 * y, out=cross[:, 0])
    np.subtract(k2 * x, k0 * z, out=cross[:, 1])
    np.subtract(k0 * y, k1 * x, out=cross[:, 2])
    return np.asarray(acc_mps2 * cos + cross * sin + (acc_mps2 @ axis)[:, None] * axis * (1 - cos))


def imu_columns(recording: Recording) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Sample times and the stored acceleration and angular-rate columns (no copies), checked for length.

    Raises
    ------
    AnalysisError
        If the recording has too few samples to filter.
    """
    t_s = recording.t_s
    if t_s.size < 32:
        raise AnalysisError(f"only {t_s.size} samples; record at least a few seconds")
    return t_s, [recording.column(name) for name in ACC_MPS2], [recording.column(name) for name in GYR_DPS]


def uniform_imu(recording: Recording, *, max_rate_hz: float = 100.0, max_bridged_gap_s: float = 2.0) -> UniformImu:
    """An IMU recording on the uniform working grid (:func:`to_uniform_grid`), the front end of every analysis.

    Raises
    ------
    AnalysisError
        If the recording has too few samples to filter.
    """
    t_s, acc, gyr = imu_columns(recording)
    step_s = recording.median_step_s
    return _grid_from_columns(
        t_s, acc, gyr, max_rate_hz=max_rate_hz, max_bridged_gap_s=max_bridged_gap_s, median_step_s=step_s
    )


__all__ = [
    "GridPlan",
    "UniformImu",
    "grid_plan",
    "grid_rows",
    "imu_columns",
    "lowpass",
    "nominal_step_s",
    "rolling_mean",
    "split_segments",
    "tilt_about_axis_deg",
    "to_uniform_grid",
    "undo_tilt",
    "uniform_imu",
]
