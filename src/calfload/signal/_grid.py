"""The uniform time grid of the front end (step 1 of :mod:`calfload.signal._preprocess`): its plan and its rows.

Timestamps may jitter and have gaps. :func:`grid_plan` finds where the grid lies (rate, length,
segments, bridged gaps) from the sample times alone; :func:`grid_rows` makes any rows of it, equal
to the same rows of the whole grid, so a long recording is put on the grid a window at a time;
:func:`grid_column_windows` gives what each column's rows are interpolated from, for a reader
that keeps only some of them.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from calfload._stats import median


@dataclass(frozen=True, slots=True, eq=False)
class UniformImu:
    """IMU samples on a uniform grid.

    Attributes
    ----------
    t_s
        Grid times (s), uniform step ``1 / fs_hz``.
    fs_hz
        Grid rate.
    acc_mps2, gyr_dps
        Samples, ``(n, 3)``.
    segment_starts, segment_ends
        Index ranges ``[start, end)`` of contiguous data; grid points between segments lie in
        gaps longer than the bridged limit.
    gaps_s
        ``(start_s, end_s)`` of every gap longer than two nominal samples (bridged or not).
    bridged
        True on grid points inside a bridged gap (values there are interpolated).
    """

    t_s: np.ndarray
    fs_hz: float
    acc_mps2: np.ndarray
    gyr_dps: np.ndarray
    segment_starts: np.ndarray
    segment_ends: np.ndarray
    gaps_s: tuple[tuple[float, float], ...]
    bridged: np.ndarray

    @property
    def valid(self) -> np.ndarray:
        """True on grid points that hold data (not inside an unbridged gap)."""
        mask = np.zeros(self.t_s.size, dtype=bool)
        for a, b in zip(self.segment_starts, self.segment_ends, strict=True):
            mask[a:b] = True
        return mask


@dataclass(frozen=True, slots=True, eq=False)
class GridPlan:
    """Where a recording's uniform grid lies (step 1), without its samples.

    Attributes
    ----------
    t0_s, fs_hz, n
        Grid point ``k`` is at ``t0_s + k / fs_hz``, for ``k < n``.
    width
        Boxcar width (native samples) of the anti-aliasing average; 1 when none.
    segment_starts, segment_ends
        Index ranges ``[start, end)`` of contiguous data.
    gaps_s
        ``(start_s, end_s)`` of every gap longer than two nominal samples (bridged or not).
    bridged_ranges
        Grid index ranges ``[start, end)`` inside bridged gaps.
    """

    t0_s: float
    fs_hz: float
    n: int
    width: int
    segment_starts: np.ndarray
    segment_ends: np.ndarray
    gaps_s: tuple[tuple[float, float], ...]
    bridged_ranges: tuple[tuple[int, int], ...]

    def times_s(self, index: np.ndarray) -> np.ndarray:
        """Times of grid points ``index`` (integers), equal to the whole grid's values."""
        return np.asarray(self.t0_s + np.asarray(index, dtype=np.float64) / self.fs_hz)


def grid_plan(
    t_s: np.ndarray, *, max_rate_hz: float, max_bridged_gap_s: float, median_step_s: float | None = None
) -> GridPlan:
    """The uniform grid of samples at times ``t_s`` (step 1): rate, length, segments and bridged gaps.

    ``median_step_s``: the median of ``np.diff(t_s)`` if known (:class:`~calfload.recording.Recording` has it).
    """
    steps = np.diff(t_s)
    longest_s = float(steps.max()) if steps.size else math.nan
    native_step_s = nominal_step_s(steps, median_s=median_step_s, longest_s=longest_s)
    native_hz = 1.0 / native_step_s
    fs_hz = min(native_hz, max_rate_hz)
    width = round(native_hz / fs_hz) if native_hz > 1.5 * fs_hz else 1
    gap_s = max(2.5 * native_step_s, 2.0 / fs_hz)
    # Most recordings have no gap at all: the longest step says so without a mask of every step.
    gap_at = np.flatnonzero(steps > gap_s) if not longest_s <= gap_s else np.zeros(0, dtype=np.intp)
    del steps
    gap_start, gap_end = t_s[gap_at], t_s[gap_at + 1]
    gaps = tuple(zip(gap_start.tolist(), gap_end.tolist(), strict=True))
    t0 = t_s[0]
    n = int(np.floor((t_s[-1] - t0) * fs_hz)) + 1
    # The grid point just after each gap's start, and the first at or after its end.
    after = _grid_index(t0, fs_hz, n, gap_start, "right")
    resume = _grid_index(t0, fs_hz, n, gap_end, "left")
    long = gap_end - gap_start > max_bridged_gap_s
    starts, ends = np.concatenate(([0], resume[long])), np.concatenate((after[long], [n]))
    bridged = tuple(zip(after[~long].tolist(), resume[~long].tolist(), strict=True))
    return GridPlan(float(t0), fs_hz, n, width, starts, ends, gaps, bridged)


def _grid_index(t0: float, fs_hz: float, n: int, t: np.ndarray, side: str) -> np.ndarray:
    """``searchsorted`` of each ``t`` in the grid ``t0 + arange(n) / fs_hz`` without building the grid.

    Only the five grid points around the guess ``floor((t - t0) * fs_hz)`` are built, with the
    grid's own arithmetic, and counted.
    """
    guess = np.clip(np.floor((t - t0) * fs_hz), 0, n).astype(np.int64)
    lo, hi = np.maximum(0, guess - 2), np.minimum(n, guess + 3)
    index = lo[:, None] + np.arange(5)
    near = t0 + index.astype(np.float64) / fs_hz
    below = near <= t[:, None] if side == "right" else near < t[:, None]
    return np.asarray(lo + np.count_nonzero(below & (index < hi[:, None]), axis=1))


def grid_rows(
    t_s: np.ndarray,
    acc_columns: list[np.ndarray],
    gyr_columns: list[np.ndarray],
    plan: GridPlan,
    start: int,
    end: int,
) -> UniformImu:
    """Grid points ``[start, end)`` of :func:`grid_plan`'s grid, equal to the same rows of the whole grid.

    Only the native samples around the rows are smoothed and interpolated, so a long recording
    can be put on the grid one window at a time; each column becomes float64 only on the grid.
    Segments and gaps of the result are those of the rows, counted from ``start``.
    """
    grid = plan.t0_s + np.arange(start, end) / plan.fs_hz
    acc = np.empty((end - start, 3))
    gyr = np.empty((end - start, 3))
    for out, columns in ((acc, acc_columns), (gyr, gyr_columns)):
        native_t, windows = _native_windows(t_s, columns, plan, grid)
        for i, window in enumerate(windows):
            out[:, i] = np.interp(grid, native_t, window)
    starts = np.clip(plan.segment_starts, start, end) - start
    ends = np.clip(plan.segment_ends, start, end) - start
    keep = (ends > starts) | ((start, end) == (0, plan.n))
    gaps = plan.gaps_s
    if (start, end) != (0, plan.n) and gaps:
        first = _columns(gaps)[0]
        gaps = gaps[int(np.searchsorted(first, grid[0], "left")) : int(np.searchsorted(first, grid[-1], "left"))]
    return UniformImu(grid, plan.fs_hz, acc, gyr, starts[keep], ends[keep], gaps, _bridged(plan, start, end))


def grid_column_windows(
    t_s: np.ndarray, columns: list[np.ndarray], plan: GridPlan, start: int, end: int
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """What grid rows ``[start, end)`` of ``columns`` are made from: their grid times, the native times, the samples.

    ``np.interp(grid_times, native_t, window)`` of each column's window is that column's rows as
    :func:`grid_rows` gives them, so a caller can keep only what it needs of each column.
    """
    grid = plan.t0_s + np.arange(start, end) / plan.fs_hz
    native_t, windows = _native_windows(t_s, columns, plan, grid)
    return grid, native_t, windows


def _native_windows(
    t_s: np.ndarray, columns: list[np.ndarray], plan: GridPlan, grid: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The native times around the grid times ``grid`` and each column's samples there (smoothed if planned)."""
    # Native samples that bracket the rows, plus the boxcar's reach on both sides.
    reach = plan.width + 1
    lo = max(0, int(np.searchsorted(t_s, grid[0], side="right")) - 1 - reach)
    hi = min(t_s.size, int(np.searchsorted(t_s, grid[-1], side="left")) + 1 + reach)
    windows = [column[lo:hi] for column in columns]
    return t_s[lo:hi], _boxcar_columns(windows, plan.width) if plan.width > 1 else windows


def _bridged(plan: GridPlan, start: int, end: int) -> np.ndarray:
    """True on rows ``[start, end)`` that lie in one of the plan's (time-ordered, disjoint) bridged ranges.

    A recording with jitter gaps has thousands (the IPOL hour 2,520), so the ranges reaching into
    the rows are found by binary search and marked by a running count of their ends.
    """
    bridged = np.zeros(end - start, dtype=bool)
    if not plan.bridged_ranges:
        return bridged
    lo, hi = _columns(plan.bridged_ranges)
    first = int(np.searchsorted(hi, start, "right"))  # the first range ending after start
    last = int(np.searchsorted(lo, end, "left"))  # ranges from here on start at or after end
    a = np.maximum(lo[first:last], start) - start
    b = np.maximum(np.minimum(hi[first:last], end), start) - start
    some = a < b
    edges = np.zeros(end - start + 1, dtype=np.int64)
    np.add.at(edges, a[some], 1)
    np.add.at(edges, b[some], -1)
    np.cumsum(edges[:-1], out=edges[:-1])
    np.greater(edges[:-1], 0, out=bridged)
    return bridged


@functools.lru_cache(maxsize=8)
def _columns(pairs: tuple[tuple[float, float], ...] | tuple[tuple[int, int], ...]) -> tuple[np.ndarray, np.ndarray]:
    """The first and second values of ``pairs`` as two read-only arrays, made once per recording's plan."""
    both = np.array(pairs).reshape(-1, 2)
    first, second = both[:, 0].copy(), both[:, 1].copy()
    first.flags.writeable = second.flags.writeable = False
    return first, second


def nominal_step_s(steps_s: np.ndarray, *, median_s: float | None = None, longest_s: float | None = None) -> float:
    """Mean sampling step, ignoring gaps: robust to jitter that a median step is not.

    Host timestamps of BLE samples arrive in bursts, so individual steps scatter widely
    around the nominal one while their mean stays exact. Steps of four typical ones (the median
    step ``median_s``, found when None, or the mean of the first 10,000) are gaps. When the
    largest step ``longest_s`` is none, all the steps are averaged as they are: the same sum.
    """
    typical = float(median(steps_s)) if median_s is None else median_s
    limit = 4.0 * max(typical, float(np.mean(steps_s[:10_000])))
    if longest_s is not None and longest_s < limit:
        return float(np.mean(steps_s))
    regular = steps_s[steps_s < limit]
    return float(np.mean(regular)) if regular.size else typical


def _boxcar_columns(columns: list[np.ndarray], width: int) -> list[np.ndarray]:
    """:func:`_boxcar` of each 1-D column (the same bits), its edge counts convolved once for all.

    Two samples wide (a 100 Hz recording on a 50 Hz grid) the means of neighbours are written out
    (:func:`_pair_means`): the same bits, several times faster than the convolution.
    """
    if width == 2 and columns[0].size >= 2:
        return [_pair_means(column) for column in columns]
    kernel = np.ones(width)
    counts = np.convolve(np.ones(columns[0].size), kernel, mode="same")
    return [np.convolve(column, kernel, mode="same") / counts for column in columns]


def _pair_means(column: np.ndarray) -> np.ndarray:
    """``np.convolve(column, np.ones(2), "same")`` over its edge counts, bit for bit (``column.size >= 2``).

    The convolution's first value is the first sample and each later one the sum of a sample and
    the one before, a dot product started from +0.0 (so two zeros give +0.0), in float64; the
    edge count is 1, then 2 (halving is exact).
    """
    out = np.empty(column.size)
    out[0] = column[0]
    with np.errstate(over="ignore", invalid="ignore"):  # as quiet as the convolution about inf and NaN
        np.add(column[:-1], column[1:], out=out[1:], dtype=np.float64)
    out += 0.0
    out[1:] *= 0.5
    return out
