"""Steps 2-4 of the front end (:mod:`calfload.signal._preprocess`): rest, gyro bias and the sensor's axes.

What the front end learns about the sensor from a :class:`~calfload.signal._preprocess.UniformImu`:
which samples are at rest (:func:`find_rest`), the gyroscope's bias over time, gravity and the
dominant rotation axis (:func:`estimate_frame`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calfload._stats import median, percentile, row_norms
from calfload.errors import AnalysisError
from calfload.recording import true_runs
from calfload.signal._preprocess import UniformImu, lowpass
from calfload.signal._rest import RestCriteria


@dataclass(frozen=True, slots=True, eq=False)
class ImuFrame:
    """What the front end learns about the sensor: rest, bias and axes (steps 2–4).

    Attributes
    ----------
    rest
        Boolean mask of samples at rest.
    gyr_bias_dps
        Gyro bias per sample, ``(n, 3)``.
    up
        Unit vector of gravity's reaction (the accelerometer at rest) in the sensor frame.
    axis
        Unit vector of the dominant rotation axis, perpendicular to ``up`` (sign not fixed).
    """

    rest: np.ndarray
    gyr_bias_dps: np.ndarray
    up: np.ndarray
    axis: np.ndarray


def find_rest(imu: UniformImu, criteria: RestCriteria | None = None) -> np.ndarray:
    """Samples at rest (step 2): gravity direction steady and gyro steady over ``criteria.window_s``."""
    c = criteria or RestCriteria()
    fs = imu.fs_hz
    half = max(1, round(c.window_s * fs / 2))
    turn_deg = _turn_deg(imu, half)
    acc_norm = row_norms(imu.acc_mps2)
    var = window_variance(np.column_stack([imu.gyr_dps, acc_norm]), half, overwrite_x=True)
    gyr_std = np.sqrt(np.maximum(var[:, :3].sum(axis=1), 0.0))
    acc_norm_std = np.sqrt(np.maximum(var[:, 3], 0.0))
    usable = imu.valid & ~imu.bridged
    # Noisy sensors never look as still as clean ones: scale the thresholds with the noise
    # floor (the quietest 5 % of the recording), within caps that slow motion still exceeds.
    tilt_limit = _adaptive(turn_deg[usable], c.tilt_deg, cap=c.tilt_cap_deg)
    gyr_limit = _adaptive(gyr_std[usable], c.gyr_std_dps, cap=c.gyr_cap_dps)
    acc_limit = _adaptive(acc_norm_std[usable], c.acc_std_mps2, cap=c.acc_cap_mps2)
    rest = (turn_deg < tilt_limit) & (gyr_std < gyr_limit) & (acc_norm_std < acc_limit)
    return np.asarray(rest & usable)


def _turn_deg(imu: UniformImu, half: int) -> np.ndarray:
    """How far gravity's direction turns between the samples ``half`` before and after each one (degrees).

    Its own function so that the smoothed acceleration, the directions and both shifted copies
    (four ``(n, 3)`` arrays) are freed before :func:`window_variance` runs: the rest finder was
    where a calf session's analysis reached its peak memory, and each megabyte first touched there
    costs page faults (about 5 µs each on the benchmark machine).
    """
    fs = imu.fs_hz
    acc = lowpass(imu.acc_mps2, min(3.0, 0.4 * fs), fs)
    direction = acc / np.maximum(row_norms(acc)[:, None], 1e-9)
    del acc
    ahead, behind = shifted_rows(direction, half)
    del direction
    np.multiply(ahead, behind, out=ahead)
    del behind
    return np.asarray(np.degrees(np.arccos(np.clip(np.sum(ahead, axis=1), -1.0, 1.0))))


def shifted_rows(x: np.ndarray, shift: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``min(i + shift, n - 1)`` and ``max(i - shift, 0)`` of ``x`` for every row ``i`` (``shift >= 0``).

    Built from two slices and the repeated edge rows: the same rows as indexing with those index
    arrays, at half the cost (a gather of ``n`` rows through an index array is slower than copying
    slices; 6 of a calf session's 40 ms in :func:`find_rest`).
    """
    n = x.shape[0]
    h = min(shift, max(n - 1, 0))
    ahead = np.concatenate([x[h:], np.repeat(x[n - 1 :], h, axis=0)])
    behind = np.concatenate([np.repeat(x[:1], h, axis=0), x[: n - h]])
    return ahead, behind


def window_variance(x: np.ndarray, half: int, *, overwrite_x: bool = False) -> np.ndarray:
    """Variance of each column over the ``2 * half + 1`` samples centred on each row (edges: the samples there).

    The same figures as ``rolling_mean(x**2) - rolling_mean(x)**2`` (to rounding), from running
    sums: O(n) where the boxcar's ``np.convolve`` is O(n × width), which made the rest finder
    half of a calf session's analysis. Each column is taken about its first value, so the sums
    hold deviations, not the gravity or bias a column sits on.

    Parameters
    ----------
    x
        Samples, ``(n, k)``.
    half
        Samples on each side of the centre.
    overwrite_x
        ``x`` is float64 and no longer needed: the deviations, and then the result, are written
        over it (the same figures; one ``(n, k)`` array fewer at the rest finder's memory peak).

    Returns
    -------
    numpy.ndarray
        ``(n, k)`` variances (may be a rounding error below zero where a column is constant).
    """
    n = x.shape[0]
    if n == 0:
        return np.zeros(x.shape)
    dev = np.subtract(x, x[0].copy(), out=x if overwrite_x else None)
    idx = np.arange(n)
    count = (np.minimum(idx + half + 1, n) - np.maximum(idx - half, 0))[:, None].astype(np.float64)
    del idx
    # The operations of ``sums(dev) / count`` and ``sums(dev**2) / count - mean**2``, each result
    # written over an array no longer needed: each megabyte first touched at the peak costs page
    # faults (about 5 µs each on the benchmark machine).
    mean = _window_sums(dev, half)
    np.divide(mean, count, out=mean)
    np.square(dev, out=dev)
    mean_sq = _window_sums(dev, half, out=dev)
    np.divide(mean_sq, count, out=mean_sq)
    return np.asarray(np.subtract(mean_sq, np.square(mean, out=mean), out=mean_sq))


def _window_sums(x: np.ndarray, half: int, *, out: np.ndarray | None = None) -> np.ndarray:
    """Sums over the rows ``max(i - half, 0)`` to ``min(i + half, n - 1)`` of each row ``i``, by a running sum.

    ``out`` (the shape of ``x``, and may be ``x``) receives the sums; by default a new array.
    """
    n = x.shape[0]
    # The running sum with ``half`` copies of its first and last value on either side: row i's
    # window sum is then the difference of two slices (no gather of 2n indices).
    running = np.empty((n + 1 + 2 * half, x.shape[1]))
    running[: half + 1] = 0.0
    np.cumsum(x, axis=0, out=running[half + 1 : half + 1 + n])
    running[half + 1 + n :] = running[half + n]
    return np.subtract(running[2 * half + 1 : 2 * half + 1 + n], running[:n], out=out)


def _adaptive(values: np.ndarray, floor: float, *, cap: float) -> float:
    """Three times the noise floor of ``values``, at least ``floor`` and at most ``cap``."""
    if values.size == 0:
        return floor
    return float(np.clip(3.0 * percentile(values, 5), floor, cap))


def estimate_frame(
    imu: UniformImu, rest: np.ndarray, *, min_rest_run_s: float = 0.25, bias_drift_time_s: float = 8.0
) -> ImuFrame:
    """Gyro bias, gravity and the dominant rotation axis (steps 3–4).

    Raises
    ------
    AnalysisError
        If the sensor never rests or never moves, so that neither gravity nor an axis can be found.
    """
    fs = imu.fs_hz
    starts, ends = true_runs(rest)
    keep = (ends - starts) >= max(2, round(min_rest_run_s * fs))
    starts, ends = starts[keep], ends[keep]
    # Movements start and end slowly: the edges of a rest stretch may already be moving, so
    # the bias comes from its middle only.
    trim = np.minimum(round(0.15 * fs), (ends - starts) // 4)
    starts, ends = starts + trim, ends - trim
    if starts.size == 0:
        raise AnalysisError(
            "the sensor is never still, so calfload cannot find gravity; record a few seconds of standing "
            "still before the first set"
        )
    centres = (imu.t_s[starts] + imu.t_s[ends - 1]) / 2
    estimates = np.array([_rest_bias(imu, a, b) for a, b in zip(starts, ends, strict=True)])
    bias = _smooth_bias(imu.t_s, centres, estimates, (ends - starts) / fs, drift_time_s=bias_drift_time_s)
    rest_acc = np.concatenate([imu.acc_mps2[a:b] for a, b in zip(starts, ends, strict=True)])
    up = median(rest_acc / row_norms(rest_acc)[:, None], axis=0)
    up /= np.linalg.norm(up)
    moving = imu.valid & ~rest
    omega = lowpass(imu.gyr_dps - bias, min(5.0, 0.4 * fs), fs)[moving]
    if omega.shape[0] < 3:
        raise AnalysisError("the sensor never moves; there is nothing to analyse")
    # First principal axis of the (uncentred) angular-rate distribution.
    _, vecs = np.linalg.eigh(omega.T @ omega)
    axis = vecs[:, -1] - np.dot(vecs[:, -1], up) * up
    norm = float(np.linalg.norm(axis))
    if norm < 0.3:
        raise AnalysisError(
            "the main rotation is about the vertical (turning), not a heel raise or a step; "
            "check that the sensor is on the foot"
        )
    return ImuFrame(rest, bias, up, axis / norm)


def _smooth_bias(
    t_s: np.ndarray, centres_s: np.ndarray, estimates: np.ndarray, durations_s: np.ndarray, *, drift_time_s: float
) -> np.ndarray:
    """Pool per-stretch bias estimates over time: bias drifts slowly, single estimates are noisy.

    A Gaussian kernel of ``drift_time_s`` weights each stretch by its precision; the
    accelerometer part of an estimate divides a tilt difference by the stretch's duration, so
    its variance falls with the duration squared. Evaluated on a 0.5 s grid and interpolated.
    """
    grid = np.arange(t_s[0], t_s[-1] + 0.5, 0.5)
    precision = durations_s**2
    # Far from any rest the kernel vanishes: every stretch keeps a tiny weight (1e-12 of its
    # precision), so the estimate falls back to the pooled stretches. That part is the same
    # for every grid point and is summed once.
    floor_num = 1e-12 * (precision @ estimates)
    floor_den = 1e-12 * float(precision.sum())
    # The Gaussian part is summed over the stretches within _BIAS_REACH kernel widths only
    # (beyond, exp() underflows to exactly zero), in blocks of grid points: time and memory
    # grow linearly with the recording instead of as grid x stretches (1.5 GB at 4 h before).
    reach_s = _BIAS_REACH * drift_time_s
    coarse = np.empty((grid.size, 3))
    for a in range(0, grid.size, _BIAS_BLOCK):
        block = grid[a : a + _BIAS_BLOCK]
        lo = int(np.searchsorted(centres_s, block[0] - reach_s, side="left"))
        hi = int(np.searchsorted(centres_s, block[-1] + reach_s, side="right"))
        near = precision[lo:hi] * np.exp(-0.5 * ((block[:, None] - centres_s[None, lo:hi]) / drift_time_s) ** 2)
        coarse[a : a + block.size] = (near @ estimates[lo:hi] + floor_num) / (near.sum(axis=1) + floor_den)[:, None]
    out = np.empty((t_s.size, 3))
    for i in range(3):
        out[:, i] = np.interp(t_s, grid, coarse[:, i])
    return out


#: Grid points per block of :func:`_smooth_bias`.
_BIAS_BLOCK = 256
#: Kernel widths beyond which a stretch's Gaussian weight is exactly zero (exp(-0.5 * 40**2) underflows).
_BIAS_REACH = 40.0


def _rest_bias(imu: UniformImu, a: int, b: int) -> np.ndarray:
    """Gyro bias over ``[a, b)``: mean reading minus the rotation the accelerometer saw.

    "At rest" still allows creeping motion (the slow end of a lowering). The direction of
    gravity ``d`` in the sensor frame turns as ``dd/dt = -ω × d``, so the horizontal part of the
    true rate is ``-d × dd/dt``; subtracting the rotation observed between the stretch's ends
    leaves the bias, exactly for the horizontal axes (the vertical one is unobservable and kept).
    """
    # The operations of mean(axis=0), np.linalg.norm and np.cross, written out: the same sums,
    # square roots and products in the same order, without those functions' per-call overhead
    # (this runs once per rest stretch; tests/test_signal/test_frame_rows.py compares them).
    edge = max(1, (b - a) // 5)
    d0 = imu.acc_mps2[a : a + edge].sum(axis=0) / edge
    d1 = imu.acc_mps2[b - edge : b].sum(axis=0) / edge
    d0, d1 = d0 / np.sqrt(d0.dot(d0)), d1 / np.sqrt(d1.dot(d1))
    both = d0 + d1
    mid = both / np.sqrt(both.dot(both))
    span_s = (b - a - edge) / imu.fs_hz
    seen_dps = -np.degrees(_cross3(mid, d1 - d0)) / span_s
    return np.asarray(imu.gyr_dps[a:b].sum(axis=0) / (b - a) - seen_dps)


def _cross3(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``np.cross`` of two 3-vectors: each component one difference of two rounded products, as NumPy's."""
    u0, u1, u2 = (float(c) for c in u)
    v0, v1, v2 = (float(c) for c in v)
    return np.array([u1 * v2 - u2 * v1, u2 * v0 - u0 * v2, u0 * v1 - u1 * v0])
