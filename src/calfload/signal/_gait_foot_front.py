"""The foot-event detector's front end: the sagittal rate at the grid rate, and a slow copy for the lobes.

Step 1 of :mod:`calfload.signal._gait_foot`. The samples are read window by window
(:mod:`calfload.signal._chunks`); what the detector needs from them comes in two rates:

- **full rate**: the sagittal rate ``ω`` low-passed at the event cut-off (15 Hz), where toe-off
  (its largest plantarflexion peak) and initial contact (where its swing lobe ends) are timed;
- **slow rate** (``fs / step`` with ``step = floor(fs / 45 Hz)``, 45-90 Hz; the full rate below
  90 Hz): block means of ``step`` grid samples. The principal axis and the swing
  lobes are found there. Their filters pass 5 Hz (the principal axis: 15 Hz, still under the
  slow rate's 22.5 Hz or more Nyquist limit), so a quarter of the samples carries the same
  information, at a quarter of the filtering and searching. (The sign vote stays at the full
  rate: on the slow copy it flipped one resampled IPOL walk.)

Only one channel is filtered at the full rate: the low-pass is linear, so the rate about the axis
of the low-passed gyroscope equals the low-passed rate about the axis (to rounding), and the axis
comes from the slow copy. The sign vote reads the low-passed ``| |acc| - 1 g |`` only at its calm
moments (a few thousand an hour), so it is evaluated there from the filter's zero-phase impulse
response (:func:`filtered_at`), not filtered whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

import numpy as np

from calfload._stats import percentile, row_norms
from calfload.signal._chunks import Chunks, lowpass_in_place
from calfload.signal._kernels import butter
from calfload.signal._preprocess import UniformImu, lowpass
from calfload.units import STANDARD_GRAVITY_MPS2

#: Rows ``[start, end)`` of one piece of contiguous data on the uniform grid.
GridRows = Callable[[int, int], UniformImu]

#: For rows ``[start, end)`` of the piece and a sensor (``"acc"`` or ``"gyr"``): the grid times, the native
#: times and the three columns' samples they are interpolated from (:func:`calfload.signal._grid.grid_column_windows`).
GridColumns = Callable[[int, int, Literal["acc", "gyr"]], tuple[np.ndarray, np.ndarray, list[np.ndarray]]]

#: Lowest slow rate (Hz): ``step`` is the largest whole factor that keeps the slow rate above it.
SLOW_MIN_HZ: Final = 45.0

#: Low-pass (Hz) of the acceleration's departure from 1 g (the sign vote's "foot flat" test).
CALM_LOWPASS_HZ: Final = 2.0


@dataclass(frozen=True, slots=True)
class SlowRate:
    """Block means of ``step`` grid samples: block ``k`` is samples ``[k * step, (k + 1) * step)``.

    The blocks' angular rate is an array of its own (:func:`read_rates`), so that it can go once
    the axis is found.

    Attributes
    ----------
    step
        Grid samples per block.
    fs_hz
        The blocks' rate (grid rate / ``step``).
    blocks
        Whole blocks in the piece.
    """

    step: int
    fs_hz: float
    blocks: int

    def chunks(self, chunk_s: float | None) -> Chunks:
        """Windows over the blocks of ``step`` times the grid's ``chunk_s`` seconds (as many blocks as its samples).

        The slow steps' arrays are a ``step``-th of the grid's, so their windows take no more
        memory than the grid's, and a quarter as many (at 200 Hz) share the windows' fixed costs.
        The margin stays :data:`~calfload.signal._chunks.CHUNK_MARGIN_S` seconds.
        """
        return Chunks.of(self.blocks, self.fs_hz, None if chunk_s is None else chunk_s * self.step)

    def centre(self, block: np.ndarray) -> np.ndarray:
        """Grid position (fractional samples) of the middle of blocks ``block`` (may be fractional)."""
        return np.asarray(block * self.step + 0.5 * (self.step - 1), dtype=np.float64)

    def means(self, x: np.ndarray) -> np.ndarray:
        """Block means of a full-rate 1-D signal (its last partial block left out), a new array."""
        return np.array(_block_means(x[: self.blocks * self.step, None], self.step)[:, 0])


def slow_step(fs_hz: float) -> int:
    """Grid samples per slow block: the largest whole number keeping ``fs_hz / step`` at least :data:`SLOW_MIN_HZ`."""
    return max(1, int(fs_hz // SLOW_MIN_HZ))


def read_rates(
    rows: GridRows, chunks: Chunks, fs: float, columns: GridColumns | None = None
) -> tuple[np.ndarray, np.ndarray, SlowRate]:
    """Window by window: the grid's angular rate ``(n, 3)`` as read, and the slow copy.

    The slow copy is its blocks' mean angular rate ``(m, 3)`` (not low-passed) and its :class:`SlowRate`.

    Parameters
    ----------
    rows
        Gives grid rows ``[lo, hi)``.
    chunks
        The grid's windows.
    fs
        Grid rate (Hz).
    columns
        When given, each column is interpolated straight into the core's rows (and those of its
        last block): the same values as from ``rows``, without a window's rows or their copy.
    """
    step = slow_step(fs)
    m = chunks.n // step
    gyr = np.empty((chunks.n, 3))
    slow_gyr = np.empty((m, 3))
    for w in chunks.windows():
        # Blocks starting in the core (their last samples may lie in the margin after it).
        first, last = -(-w.start // step), min(m, -(-w.end // step))
        if columns is None:
            imu = rows(w.lo, w.hi)
            gyr[w.start : w.end] = imu.gyr_dps[w.core]
            if last > first:
                at = slice(first * step - w.lo, last * step - w.lo)
                slow_gyr[first:last] = _block_means(imu.gyr_dps[at], step)
            continue
        # The core's rows and those of its last block (the next window makes them again, the same).
        _rows_into(gyr, *columns(w.start, max(w.end, last * step), "gyr"), w.start)
        if last > first:
            slow_gyr[first:last] = _block_means(gyr[first * step : last * step], step)
    return gyr, slow_gyr, SlowRate(step, fs / step, m)


def read_away(rows: GridRows, chunks: Chunks, columns: GridColumns | None = None) -> np.ndarray:
    """``| |acc| - 1 g |`` on the grid (not filtered), window by window (the sign vote's "foot flat" test).

    Read apart from the angular rate, once that has gone (:func:`read_rates`), so that the two
    are never held together: the events' high-water mark. With ``columns``, the acceleration's
    squares are summed column by column into it (as :func:`calfload._stats.row_norms` sums them),
    the same values as from ``rows``.
    """
    away = np.empty(chunks.n)
    for w in chunks.windows():
        if columns is None:
            acc = rows(w.start, w.end).acc_mps2
            np.abs(row_norms(acc) - STANDARD_GRAVITY_MPS2, out=away[w.start : w.end])
        else:
            _away_into(away[w.start : w.end], *columns(w.start, w.end, "acc"))
    return away


def _rows_into(out: np.ndarray, times: np.ndarray, native_t: np.ndarray, windows: list[np.ndarray], at: int) -> None:
    """Each column's values at ``times`` into ``out``'s rows from ``at`` (column ``i`` into ``out[:, i]``)."""
    for i, window in enumerate(windows):
        out[at : at + times.size, i] = np.interp(times, native_t, window)


def _away_into(out: np.ndarray, times: np.ndarray, native_t: np.ndarray, windows: list[np.ndarray]) -> None:
    """``| |acc| - 1 g |`` at ``times`` into ``out``: the squares of the columns added in order, as ``row_norms``."""
    for i, window in enumerate(windows):
        values = np.interp(times, native_t, window)
        np.square(values, out=values)
        if i == 0:
            out[...] = values
        else:
            out += values
        del values
    np.sqrt(out, out=out)
    out -= STANDARD_GRAVITY_MPS2
    np.abs(out, out=out)


def _block_means(x: np.ndarray, step: int) -> np.ndarray:
    """Means of consecutive ``step`` rows of ``(k * step, c)`` samples."""
    if step == 1:
        return x
    # One matrix product: each output column weighs its input column's ``step`` rows by 1 / step
    # (a mean over a short middle axis is about ten times slower; strided sums four times).
    c = x.shape[1]
    return np.asarray(x.reshape(-1, step * c) @ _block_weights(step, c))


@lru_cache(maxsize=8)
def _block_weights(step: int, c: int) -> np.ndarray:
    """The ``(step * c, c)`` weights of :func:`_block_means`, made once (``np.kron`` costs 0.1-0.3 ms a call)."""
    weights = np.kron(np.full((step, 1), 1.0 / step), np.eye(c))
    weights.setflags(write=False)
    return weights


def sagittal_axis(slow_gyr: np.ndarray, slow: SlowRate, cutoff_hz: float, chunks: Chunks) -> np.ndarray:
    """First principal axis of the slow copy's rate, low-passed at ``cutoff_hz`` in ``chunks``, when turning (step 1).

    ``slow_gyr`` (the blocks' rate from :func:`read_rates`) is low-passed in place, a column at a
    time (:func:`~calfload.signal._chunks.lowpass_in_place`; the filter takes the columns one by
    one anyway): nothing reads it unfiltered afterwards, and a window's temporaries are a column's.
    """
    for c in range(slow_gyr.shape[1]):
        lowpass_in_place(slow_gyr[:, c], min(cutoff_hz, 0.4 * slow.fs_hz), slow.fs_hz, chunks)
    return principal_axis(slow_gyr)


def principal_axis(gyr_dps: np.ndarray) -> np.ndarray:
    """First principal axis of an angular rate ``(n, 3)`` while faster than a fifth of its 99th percentile."""
    norm = row_norms(gyr_dps)
    threshold = 0.2 * max(float(percentile(norm, 99)), 1.0)
    scatter = np.zeros((3, 3))
    moving_samples = 0
    for a in range(0, gyr_dps.shape[0], _BLOCK):  # bounded temporaries; fixed blocks, so fixed sums
        # np.compress: the rows boolean indexing gives, about a quarter of its instructions for (n, 3) rows.
        sample = np.compress(norm[a : a + _BLOCK] > threshold, gyr_dps[a : a + _BLOCK], axis=0)
        moving_samples += sample.shape[0]
        scatter += sample.T @ sample
    if moving_samples < 3:
        scatter = gyr_dps.T @ gyr_dps
    _, vecs = np.linalg.eigh(scatter)
    return np.asarray(vecs[:, -1])


#: Samples per block where a per-sample product is summed.
_BLOCK: Final = 1 << 16


def sagittal_rate(gyr_dps: np.ndarray, axis: np.ndarray, cutoff_hz: float, fs: float, chunks: Chunks) -> np.ndarray:
    """The rate about ``axis`` low-passed at ``cutoff_hz``, at the grid rate, window by window."""
    omega = np.empty(chunks.n)
    for w in chunks.windows():
        omega[w.start : w.end] = lowpass((gyr_dps[w.lo : w.hi] @ axis)[:, None], cutoff_hz, fs)[w.core, 0]
    return omega


@dataclass(frozen=True, slots=True, eq=False)
class GridPeaks:
    """Peaks of the full-rate lobe near given positions: grid index, sub-sample offset and height.

    Attributes
    ----------
    index
        Grid sample of each peak (the largest lobe value near its position).
    offset
        Sub-sample position of the peak from a parabola through it and its neighbours (-0.5 to 0.5).
    height
        The lobe's value at ``index``.
    """

    index: np.ndarray
    offset: np.ndarray
    height: np.ndarray


def full_rate_peaks(omega: np.ndarray, at: np.ndarray, cutoff_hz: float, fs: float) -> GridPeaks:
    """The local maxima of ``-lowpass(omega, cutoff_hz)`` reached by climbing from grid positions ``at``.

    The lobe is the swing detector's (step 3) at the grid rate, computed only where it is asked
    for: each value is the low-pass's zero-phase impulse response (:func:`_zero_phase_response`)
    applied to ``omega`` around it, with the filter's odd extension beyond the piece's ends. It
    equals the filtered whole piece to about 1e-12 of the rate (a piece too short for the
    response is filtered whole). From each position the climb moves one sample at a time towards
    the higher neighbour until both neighbours are lower.
    """
    n = omega.size
    response = _zero_phase_response(cutoff_hz, fs)
    whole = np.negative(lowpass(omega[:, None], cutoff_hz, fs)[:, 0]) if n <= _SHORT * response.size else None
    index = np.clip(np.rint(at).astype(np.intp), 1, max(n - 2, 1)) if n >= 3 else np.zeros(at.size, dtype=np.intp)
    values = np.empty((index.size, 3))
    todo = np.arange(index.size)
    while todo.size and n >= 3:
        near = index[todo, None] + np.arange(-1, 2)
        values[todo] = whole[near] if whole is not None else np.negative(_response_values(omega, near, response))
        move = np.where(values[todo, 0] > values[todo, 1], -1, np.where(values[todo, 2] > values[todo, 1], 1, 0))
        move[((index[todo] == 1) & (move < 0)) | ((index[todo] == n - 2) & (move > 0))] = 0
        index[todo] += move
        todo = todo[move != 0]
    left, mid, right = values[:, 0], values[:, 1], values[:, 2]
    curvature = left - 2.0 * mid + right
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.where(curvature < 0, 0.5 * (left - right) / curvature, 0.0)
    return GridPeaks(index, np.clip(delta, -0.5, 0.5), mid.copy())


def filtered_at(x: np.ndarray, index: np.ndarray, cutoff_hz: float, fs: float) -> np.ndarray:
    """``lowpass(x, cutoff_hz, fs)[index]`` of a 1-D signal, computed only at ``index``.

    Each value is the low-pass's zero-phase impulse response applied to ``x`` around it, with the
    filter's odd extension beyond the piece's ends (as :func:`full_rate_peaks`); it equals the
    signal filtered whole to about 1e-12 of its range. A piece too short for the response is
    filtered whole.

    Parameters
    ----------
    x
        The signal, 1-D.
    index
        Samples wanted (integers in ``[0, x.size)``).
    cutoff_hz, fs
        The low-pass's cut-off and the signal's rate (Hz).
    """
    response = _zero_phase_response(cutoff_hz, fs)
    if x.size <= _SHORT * response.size:
        return np.asarray(lowpass(x[:, None], cutoff_hz, fs)[index, 0])
    near = np.asarray(index, dtype=np.intp)[:, None]
    return _response_values(x, near, response, max(1, _VALUES // response.size))[:, 0]


def _response_values(x: np.ndarray, near: np.ndarray, response: np.ndarray, block: int = 512) -> np.ndarray:
    """``lowpass(x)`` at grid samples ``near`` (rows of consecutive samples), from the impulse response.

    ``block`` rows at a time: the temporaries are ``block`` x the response's length.
    """
    half, width = response.size // 2, near.shape[1]
    reach = response.size + width - 1  # samples behind one row of values
    view = np.lib.stride_tricks.sliding_window_view(x, min(reach, x.size))
    values = np.empty(near.shape)
    for a in range(0, near.shape[0], block):
        first = near[a : a + block, 0] - half  # the first sample each row reaches
        inner = (first >= 0) & (first + reach <= x.size)
        # A gather from the sliding view where the samples are all inside the piece; the odd extension at its ends.
        rows = view[np.where(inner, first, 0)] if reach <= x.size else np.empty((first.size, reach))
        edge = np.flatnonzero(~inner)
        rows[edge] = _odd_extended(x, first[edge, None] + np.arange(reach))
        for j in range(width):
            values[a : a + block, j] = rows[:, j : j + response.size] @ response
    return values


#: A piece at most this many impulse responses long is filtered whole.
_SHORT: Final = 2
#: Values gathered at a time by :func:`filtered_at` (positions x the response's length): 2 MB of float64.
_VALUES: Final = 1 << 18


def _odd_extended(x: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``x[index]``, with the filters' odd extension beyond both ends (``2 x[0] - x[-i]`` before the start)."""
    n = x.size
    inside = np.abs(index)
    inside = np.where(inside > n - 1, 2 * (n - 1) - inside, inside)
    values = x[inside]
    values = np.where(index < 0, 2.0 * x[0] - values, values)
    return np.asarray(np.where(index > n - 1, 2.0 * x[-1] - values, values))


@lru_cache(maxsize=16)
def _zero_phase_response(cutoff_hz: float, fs: float) -> np.ndarray:
    """Impulse response of :func:`calfload.signal._preprocess.lowpass`, to where it falls under 1e-13 of its peak."""
    if cutoff_hz >= 0.45 * fs:
        return np.ones(1)
    radius = float(np.max(np.abs(butter(2, cutoff_hz, fs, "low").poles)))
    # Forwards then backwards, the response decays as k * radius**k: a margin of 20 % on 1e-13.
    half = math.ceil(1.2 * math.log(1e-13) / math.log(radius)) + 8
    impulse = np.zeros(2 * half + 1)
    impulse[half] = 1.0
    response = lowpass(impulse[:, None], cutoff_hz, fs)[:, 0]
    response.setflags(write=False)
    return response
