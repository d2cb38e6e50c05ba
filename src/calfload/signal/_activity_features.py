"""Step 2 of the activity detection, measured for many windows at once (:mod:`calfload.signal._activity_windows`).

An hour at the classifier's 50 Hz has about 900 half-overlapping windows; measured one window at
a time, the Python calls around each window's FFT, percentiles and norms cost about as much as
the numbers themselves (0.6 s of CPU for an hour). Here the windows of one width are stacked
and every feature is taken along the rows, with the same arithmetic as one window alone: the
norms of every sample once (:func:`calfload._stats.row_norms`), the standard deviations, means,
FFTs and order statistics row by row, so each window's features are the same bits as
measured alone (``tests/test_signal/test_activity_features.py`` keeps the one-window
implementation and compares).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from calfload._stats import percentile_ranks, row_norms, unique
from calfload.units import STANDARD_GRAVITY_MPS2

if TYPE_CHECKING:
    from calfload.signal._activity_grid import WindowRows
    from calfload.signal._activity_windows import ActivityParams

#: Windows stacked at once: the stacks and their FFTs stay about 2 MB (8 s at 50 Hz) however long the recording.
_BATCH = 64


class WindowMeasures:
    """The numbers behind each window's features, one array entry per window (NaN where still).

    Attributes
    ----------
    moving
        The window is not still.
    cycle_s, periodicity, acc_cycle_s, acc_periodicity
        The cycle of the angular rate's (acceleration's without a gyroscope) and the
        acceleration's norm, and its normalised autocorrelation.
    gyr_p95_dps, acc_p01_g, acc_p99_g
        Percentiles of the norms.
    axis_share
        Share of the angular rate's variance about its main axis (NaN without any variance, and
        until :func:`measure_axis_shares` measured it).
    """

    def __init__(self, count: int) -> None:
        self.moving = np.zeros(count, dtype=bool)
        self.cycle_s, self.periodicity = np.full(count, math.nan), np.zeros(count)
        self.acc_cycle_s, self.acc_periodicity = np.full(count, math.nan), np.zeros(count)
        self.gyr_p95_dps = np.full(count, math.nan)
        self.acc_p01_g, self.acc_p99_g = np.full(count, math.nan), np.full(count, math.nan)
        self.axis_share = np.full(count, math.nan)


def measure_windows(grid: WindowRows, params: ActivityParams) -> WindowMeasures:
    """Stillness, cycles and percentiles of every window ``[a, b)`` of ``grid.bounds`` (not the axis share)."""
    out = WindowMeasures(len(grid.bounds))
    gyr_norm, acc_norm = row_norms(grid.gyr_dps), row_norms(grid.acc_mps2)
    for rows, take in _stacks(grid.bounds, np.arange(len(grid.bounds))):
        _measure_stack(out, rows, gyr_norm[take], acc_norm[take], grid.fs_hz, grid.has_gyro, params)
    return out


def measure_axis_shares(out: WindowMeasures, grid: WindowRows, windows: np.ndarray) -> None:
    """Fill ``out.axis_share`` of ``windows`` (indices into ``grid.bounds``).

    A calf raise turns about one axis: the share of the angular rate's variance about its main
    axis. The scatter matrices of a stack go to LAPACK together (one matrix after another, as one
    window alone: the same bits); NaN without any variance.
    """
    for rows, take in _stacks(grid.bounds, windows):
        gyr_dps = grid.gyr_dps[take]
        centred = gyr_dps - gyr_dps.mean(axis=1, keepdims=True)
        eig = np.linalg.eigvalsh(np.matmul(centred.transpose(0, 2, 1), centred))
        total = eig.sum(axis=1)
        share = np.full(total.size, math.nan)
        np.divide(eig[:, -1], total, out=share, where=total > 0)
        out.axis_share[rows] = share


def _stacks(bounds: list[tuple[int, int]], windows: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """``(rows, take)`` per stack of at most :data:`_BATCH` of ``windows`` of one width: their row indices."""
    if not bounds or not windows.size:
        return
    index = np.array(bounds, dtype=np.intp)[windows]
    widths = index[:, 1] - index[:, 0]
    for width in unique(widths).tolist():  # np.unique imports numpy.ma on first use
        same = np.flatnonzero(widths == width)
        for k in range(0, same.size, _BATCH):
            chosen = same[k : k + _BATCH]
            yield windows[chosen], index[chosen, 0][:, None] + np.arange(width)


def _measure_stack(
    out: WindowMeasures,
    rows: np.ndarray,
    gyr: np.ndarray,
    acc: np.ndarray,
    fs_hz: float,
    has_gyro: bool,
    params: ActivityParams,
) -> None:
    """Fill ``out[rows]`` from the stacked norms (one window a row) of windows of one width."""
    still = acc.std(axis=1) < params.still_acc_mps2
    if has_gyro:
        still &= gyr.std(axis=1) < params.still_gyr_dps
    moving = ~still
    if not moving.any():
        return
    rows, gyr, acc = rows[moving], gyr[moving], acc[moving]
    out.moving[rows] = True
    out.acc_cycle_s[rows], out.acc_periodicity[rows] = cycles(acc, fs_hz, params.gait_cycle_s[0])
    if has_gyro:
        out.cycle_s[rows], out.periodicity[rows] = cycles(gyr, fs_hz, params.gait_cycle_s[0])
        out.gyr_p95_dps[rows] = row_percentiles(gyr, [95.0])[:, 0]
    else:
        out.cycle_s[rows], out.periodicity[rows] = out.acc_cycle_s[rows], out.acc_periodicity[rows]
    low_high = row_percentiles(acc, [1.0, 99.0]) / STANDARD_GRAVITY_MPS2
    out.acc_p01_g[rows], out.acc_p99_g[rows] = low_high[:, 0], low_high[:, 1]


def cycles(x: np.ndarray, fs_hz: float, min_cycle_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Each row's cycle period (s) and normalised autocorrelation there (NaN and 0 without a cycle).

    The cycle is the first peak of the unbiased autocorrelation, from ``min_cycle_s`` to 60 % of
    the row, within 85 % of the highest such peak.
    """
    count, n = x.shape
    y = x - x.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(y, 2 * n, axis=1)
    ac = np.fft.irfft(spectrum * np.conj(spectrum), axis=1)[:, :n]
    cycle_s, periodicity = np.full(count, math.nan), np.zeros(count)
    lo, hi = max(round(min_cycle_s * fs_hz), 1), min(round(0.6 * n), n - 1)
    if hi - lo < 3:
        return cycle_s, periodicity
    usable = ~(ac[:, 0] <= 0)
    with np.errstate(divide="ignore", invalid="ignore"):  # unbiased: long lags are not penalised
        seg = ac[:, lo:hi] / ac[:, :1] * n / np.maximum(n - np.arange(lo, hi), 1)
    inner = seg[:, 1:-1]
    is_peak = (inner > seg[:, :-2]) & (inner >= seg[:, 2:]) & usable[:, None]
    found = is_peak.any(axis=1)
    best = np.where(is_peak, inner, -np.inf).max(axis=1)
    clear = is_peak & (inner >= 0.85 * best[:, None])
    # Below a negative best no peak is within 85 % of it: the first peak, as the one-window search took.
    first = np.where(clear.any(axis=1), np.argmax(clear, axis=1), np.argmax(is_peak, axis=1)) + 1
    cycle_s[found] = (first[found] + lo) / fs_hz
    periodicity[found] = seg[np.flatnonzero(found), first[found]]
    return cycle_s, periodicity


def row_percentiles(x: np.ndarray, q: list[float]) -> np.ndarray:
    """``calfload._stats.percentile(row, q)`` of every row, ``(rows, len(q))``; a row with a NaN gives NaN."""
    position, low, high = percentile_ranks(x.shape[1], q)
    part = np.partition(x, np.r_[low, high, -1], axis=1)
    below, above = part[:, low], part[:, high]
    weight = position - low
    step = above - below
    result: np.ndarray = below + step * weight
    np.subtract(above, step * (1 - weight), out=result, where=weight >= 0.5)
    result[np.isnan(part[:, -1])] = math.nan
    return result


__all__ = ["WindowMeasures", "cycles", "measure_axis_shares", "measure_windows", "row_percentiles"]
