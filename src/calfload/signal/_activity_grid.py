"""Step 1 of the activity windows (:mod:`calfload.signal._activity_windows`): the windows and the grid under them.

The recording's uniform grid (:func:`calfload.signal._preprocess.grid_plan`) is cut into
``window_s`` windows overlapping by half, the last one ending with the data. When only the
windows over some spans are wanted (the bout segmentation's pauses: about 120 short stretches
of an hour's walk), only the grid rows under those windows are made
(:func:`calfload.signal._preprocess.grid_rows` gives the same rows as the whole grid), not the
whole recording: an hour on the 50 Hz grid is about 0.05 s of CPU and 58 MB of float64.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from calfload.recording import Recording
from calfload.signal._grid import _boxcar_columns
from calfload.signal._preprocess import GridPlan, grid_plan, grid_rows, imu_columns

if TYPE_CHECKING:
    from calfload.signal._activity_windows import ActivityParams

#: An angular rate above this (deg/s) anywhere on the grid: the recording has a gyroscope.
GYRO_DPS = 0.5
#: Grid rows made at a time while looking for a gyroscope's reading outside the windows.
_SCAN_ROWS = 1 << 16


class _Segments(Protocol):
    """Where a grid's contiguous data lie (:class:`~calfload.signal._preprocess.UniformImu` or a plan)."""

    @property
    def fs_hz(self) -> float: ...

    @property
    def segment_starts(self) -> np.ndarray: ...

    @property
    def segment_ends(self) -> np.ndarray: ...


@dataclass(frozen=True, slots=True, eq=False)
class WindowRows:
    """The classifier's windows and the grid rows under them.

    Attributes
    ----------
    fs_hz
        Grid rate.
    acc_mps2, gyr_dps
        The grid rows under the windows, ``(n, 3)``: the whole grid, or only the windows' rows
        one stretch after another.
    bounds
        Each window's rows ``[a, b)`` in ``acc_mps2`` and ``gyr_dps``.
    spans_s
        Each window's ``(start_s, end_s)``: its first grid time and one grid step after its last.
    has_gyro
        Some angular rate of the whole grid exceeds :data:`GYRO_DPS`.
    """

    fs_hz: float
    acc_mps2: np.ndarray
    gyr_dps: np.ndarray
    bounds: list[tuple[int, int]]
    spans_s: list[tuple[float, float]]
    has_gyro: bool


def window_rows(
    recording: Recording, params: ActivityParams, spans: Sequence[tuple[float, float]] | None = None
) -> WindowRows:
    """Every window of ``recording`` (only those overlapping the sorted, disjoint ``spans`` when given) and its rows.

    Raises
    ------
    AnalysisError
        If the recording has too few samples to filter.
    """
    if spans is None:
        t_s, acc, gyr = imu_columns(recording)
        plan = grid_plan(t_s, max_rate_hz=params.rate_hz, max_bridged_gap_s=0.5, median_step_s=recording.median_step_s)
        bounds = window_bounds(plan, params)
        imu = grid_rows(t_s, acc, gyr, plan, 0, plan.n)
        has_gyro = bool(np.any(np.abs(imu.gyr_dps) > GYRO_DPS))
        return WindowRows(plan.fs_hz, imu.acc_mps2, imu.gyr_dps, bounds, _spans_s(plan, bounds), has_gyro)
    windows = SpanWindows(recording, params, spans)
    return windows.rows(range(len(windows.spans_s)))


class SpanWindows:
    """The windows overlapping the sorted, disjoint ``spans``; the rows of any of them made when asked.

    The bout segmentation's pause vote classifies a few windows of each pause first and the rest
    only where those leave the vote open (:mod:`calfload.signal._bouts_vote`). A window's rows
    are the whole grid's whichever windows are made with it, and whether the recording has a
    gyroscope is asked of the whole grid once, so each window is classified as if alone.

    Attributes
    ----------
    spans_s
        Each window's ``(start_s, end_s)``, in order of their start (:attr:`WindowRows.spans_s`).

    Raises
    ------
    AnalysisError
        If the recording has too few samples to filter.
    """

    __slots__ = ("_bounds", "_columns", "_has_gyro", "_made", "_plan", "_t_s", "spans_s")

    def __init__(self, recording: Recording, params: ActivityParams, spans: Sequence[tuple[float, float]]) -> None:
        self._t_s, acc, gyr = imu_columns(recording)
        #: The acceleration's three columns and the angular rate's: each made on the grid when first asked.
        self._columns = (acc, gyr)
        self._plan = grid_plan(
            self._t_s, max_rate_hz=params.rate_hz, max_bridged_gap_s=0.5, median_step_s=recording.median_step_s
        )
        self._bounds = _overlapping(self._plan, window_bounds(self._plan, params), spans)
        self.spans_s = _spans_s(self._plan, self._bounds)
        self._has_gyro: bool | None = None
        #: Grid rows made so far of each group of columns: ``(first, end, rows)``, ``rows`` ``(3, end - first)``,
        #: by first row.
        self._made: tuple[list[tuple[int, int, np.ndarray]], list[tuple[int, int, np.ndarray]]] = ([], [])

    def rows(self, chosen: Sequence[int]) -> WindowRows:
        """The windows ``chosen`` (increasing indices into :attr:`spans_s`) and their rows, stretch after stretch."""
        stretches, local = self._placed(chosen)
        acc_rows, gyr_rows = self._block(stretches, 0).T, self._block(stretches, 1).T
        if self._has_gyro is None:
            acc, gyr = self._columns
            self._has_gyro = bool(np.any(np.abs(gyr_rows) > GYRO_DPS)) or _gyro_elsewhere(
                self._t_s, acc, gyr, self._plan
            )
        spans_s = [self.spans_s[i] for i in chosen]
        return WindowRows(self._plan.fs_hz, acc_rows, gyr_rows, local, spans_s, self._has_gyro)

    def acc_norms(self, chosen: Sequence[int]) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """The norms of the acceleration's rows of the windows ``chosen`` and each window's ``[a, b)`` in them.

        :func:`calfload._stats.row_norms` of the acceleration's rows :meth:`rows` gives, bit for bit, made from each
        column's grid values as they come, :data:`_NORM_ROWS` rows at a time (bounded temporaries
        however long the pauses): the rows are neither stored nor kept for a later call.
        """
        stretches, local = self._placed(chosen)
        out = np.empty(sum(b - a for a, b in stretches))
        at = 0
        for batch in _batches(stretches, _NORM_ROWS):
            rows = out[at : at + sum(b - a for a, b in batch)]
            for k, values in enumerate(_stretch_columns(self._t_s, self._columns[0], self._plan, batch)):
                square = np.square(values, out=values)
                if k:
                    rows += square
                else:
                    rows[:] = square
            at += rows.size
        return np.sqrt(out, out=out), local

    def _placed(self, chosen: Sequence[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The grid stretches the windows ``chosen`` cover, and each window's rows in them one after another."""
        bounds = [self._bounds[i] for i in chosen]
        stretches = _stretches(bounds)
        # Each window lies in one stretch: its rows there, counted from the stretch's place in the rows.
        places = np.cumsum([0, *(b - a for a, b in stretches)])
        which = np.searchsorted([a for a, _ in stretches], [a for a, _ in bounds], side="right") - 1
        shift = places[which] - np.array([stretches[k][0] for k in which.tolist()], dtype=np.intp)
        return stretches, [(a + s, b + s) for (a, b), s in zip(bounds, shift.tolist(), strict=True)]

    def _block(self, stretches: list[tuple[int, int]], group: int) -> np.ndarray:
        """The rows of the sorted, disjoint ``stretches`` one after another, ``(3, rows)``.

        ``group`` 0 is the acceleration's three columns, 1 the angular rate's.

        Rows an earlier call made are copied, not made again (a window asked for later shares half
        its rows with its neighbours); a row is the whole grid's whichever stretch it is made in.
        """
        columns, pieces = self._columns[group], self._made[group]
        missing = _uncovered(stretches, pieces)
        if missing:
            made = _stretch_block(self._t_s, columns, self._plan, missing)
            at = 0
            for a, b in missing:
                pieces.append((a, b, made[:, at : at + b - a]))
                at += b - a
            pieces.sort(key=lambda piece: piece[0])
            if missing == stretches:
                return made
        out = np.empty((len(columns), sum(b - a for a, b in stretches)))
        firsts = [piece[0] for piece in pieces]
        at = 0
        for start, b in stretches:
            a, k = start, bisect.bisect_right(firsts, start) - 1  # the piece holding row a; the next ones follow on
            while a < b:
                first, end, rows = pieces[k]
                stop = min(b, end)
                out[:, at : at + stop - a] = rows[:, a - first : stop - first]
                at, a, k = at + stop - a, stop, k + 1
        return out


#: Grid rows whose acceleration norms :meth:`SpanWindows.acc_norms` makes at a time.
_NORM_ROWS = 1 << 15


def _batches(stretches: list[tuple[int, int]], rows: int) -> list[list[tuple[int, int]]]:
    """The sorted, disjoint ``stretches`` in consecutive batches of at most ``rows`` rows (a long one cut)."""
    out: list[list[tuple[int, int]]] = [[]]
    room = rows
    for first, b in stretches:
        a = first
        while a < b:
            if not room:
                out.append([])
                room = rows
            stop = min(b, a + room)
            out[-1].append((a, stop))
            room -= stop - a
            a = stop
    return out


def _uncovered(stretches: list[tuple[int, int]], pieces: list[tuple[int, int, np.ndarray]]) -> list[tuple[int, int]]:
    """The parts of the sorted, disjoint ``stretches`` outside every (sorted, disjoint) piece ``(first, end, _)``."""
    out: list[tuple[int, int]] = []
    k, count = 0, len(pieces)
    for start, b in stretches:
        while k < count and pieces[k][1] <= start:
            k += 1
        a, j = start, k
        while a < b:
            if j < count and pieces[j][0] <= a:  # inside piece j: skip to its end
                a = pieces[j][1]
                j += 1
            else:
                stop = b if j == count else min(b, pieces[j][0])
                out.append((a, stop))
                a = stop
    return out


def stretch_rows(
    t_s: np.ndarray, columns: list[np.ndarray], plan: GridPlan, stretches: list[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """The grid rows of the sorted, disjoint ``stretches`` one after another, for six columns at once.

    Bit for bit the rows :func:`~calfload.signal._preprocess.grid_rows` gives for each stretch (and
    so the whole grid's), in one pass per column over the native samples around them all: the
    samples that bracket each stretch's grid times, widened by the anti-aliasing boxcar's reach,
    are gathered one stretch after another (overlapping reaches joined), so a boxcar value or an
    interpolation near a stretch never reads another stretch's samples.

    Returns
    -------
    tuple of numpy.ndarray
        The first three columns' rows and the last three's, ``(rows, 3)`` each.
    """
    block = _stretch_block(t_s, columns, plan, stretches)
    return block[:3].T, block[3:].T


def _stretch_block(
    t_s: np.ndarray, columns: list[np.ndarray], plan: GridPlan, stretches: list[tuple[int, int]]
) -> np.ndarray:
    """:func:`stretch_rows` as one array, one column a row: ``(len(columns), rows)``."""
    # Each interpolation is written whole, and the rows are its transpose.
    out = np.empty((len(columns), sum(b - a for a, b in stretches)))
    for i, values in enumerate(_stretch_columns(t_s, columns, plan, stretches)):
        out[i] = values
    return out


def _stretch_columns(
    t_s: np.ndarray, columns: list[np.ndarray], plan: GridPlan, stretches: list[tuple[int, int]]
) -> Iterator[np.ndarray]:
    """Each column's grid values over the sorted, disjoint ``stretches`` one after another (:func:`stretch_rows`)."""
    if not stretches:
        return
    first, last = (np.array(x, dtype=np.intp) for x in zip(*stretches, strict=True))
    reach = plan.width + 1
    lo = np.maximum(0, np.searchsorted(t_s, plan.times_s(first), side="right") - 1 - reach)
    hi = np.minimum(t_s.size, np.searchsorted(t_s, plan.times_s(last - 1), side="left") + 1 + reach)
    native = _joined(lo.tolist(), hi.tolist())
    # The stretches' grid indices one after another: each row's place plus its stretch's shift.
    sizes = last - first
    grid = plan.times_s(np.arange(int(sizes.sum())) + np.repeat(first - (np.cumsum(sizes) - sizes), sizes))
    # The native samples as slices one after another (copies of runs, not a gather by index); in
    # float64 (exactly) where the boxcar sums them in float64 anyway.
    native_t = np.concatenate([t_s[a:b] for a, b in native])
    as_type = np.float64 if plan.width > 1 else None
    windows = [np.concatenate([column[a:b] for a, b in native], dtype=as_type) for column in columns]
    smooth = _boxcar_columns(windows, plan.width) if plan.width > 1 else windows
    for window in smooth:
        yield np.interp(grid, native_t, window)


def _joined(lo: list[int], hi: list[int]) -> list[tuple[int, int]]:
    """The index ranges ``[lo, hi)`` (sorted by ``lo``) with overlapping or touching ones joined."""
    out: list[tuple[int, int]] = []
    for a, b in zip(lo, hi, strict=True):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def window_bounds(grid: _Segments, params: ActivityParams) -> list[tuple[int, int]]:
    """``[a, b)`` of every half-overlapping window inside contiguous data, the last one ending with it.

    The half-overlapping grid leaves up to half a window after its last window; a window aligned
    with the data's end classifies that tail (a 5 m walk in an 11.8 s file is mostly there).
    """
    width = round(params.window_s * grid.fs_hz)
    out = []
    for start, end in zip(grid.segment_starts.tolist(), grid.segment_ends.tolist(), strict=True):
        if end - start < width:
            if end - start >= width // 2:
                out.append((start, end))
            continue
        out.extend((a, a + width) for a in range(start, end - width + 1, width // 2))
        if out[-1][1] < end:
            out.append((end - width, end))
    return out


def _spans_s(plan: GridPlan, bounds: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """Each window's first grid time and one step after its last (the whole grid's times, bit for bit)."""
    if not bounds:
        return []
    index = np.array(bounds, dtype=np.intp)
    first, last = plan.times_s(index[:, 0]).tolist(), plan.times_s(index[:, 1] - 1).tolist()
    step = 1.0 / plan.fs_hz
    return [(a, b + step) for a, b in zip(first, last, strict=True)]


def _overlapping(
    plan: GridPlan, bounds: list[tuple[int, int]], spans: Sequence[tuple[float, float]]
) -> list[tuple[int, int]]:
    """The windows whose span overlaps one of the sorted, disjoint ``spans`` by more than nothing."""
    if not spans or not bounds:
        return []
    index = np.array(bounds, dtype=np.intp)
    w0 = plan.times_s(index[:, 0])
    w1 = plan.times_s(index[:, 1] - 1) + 1.0 / plan.fs_hz
    lo, hi = (np.array(x, dtype=np.float64) for x in zip(*spans, strict=True))
    # The first span ending after a window starts is the only one that can start before it ends.
    k = np.minimum(np.searchsorted(hi, w0, side="right"), hi.size - 1)
    keep = (hi[k] > w0) & (lo[k] < w1)
    return [bounds[i] for i in np.flatnonzero(keep).tolist()]


def _stretches(bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The disjoint row ranges the windows cover (windows in order of their start; overlapping ones joined)."""
    return _joined([a for a, _ in bounds], [b for _, b in bounds])


def _gyro_elsewhere(t_s: np.ndarray, acc: list[np.ndarray], gyr: list[np.ndarray], plan: GridPlan) -> bool:
    """Some grid row exceeds :data:`GYRO_DPS` (asked when none of the windows' rows does).

    A grid value is a mean of neighbouring samples interpolated between two such means, so it is
    within rounding of the samples' range: samples all under half the limit cannot reach it.
    Otherwise the grid is made a block at a time until a row exceeds it.
    """
    if not any(np.any(np.abs(c) > GYRO_DPS / 2) for c in gyr):
        return False
    for start in range(0, plan.n, _SCAN_ROWS):
        block = grid_rows(t_s, acc, gyr, plan, start, min(start + _SCAN_ROWS, plan.n))
        if np.any(np.abs(block.gyr_dps) > GYRO_DPS):
            return True
    return False


__all__ = ["GYRO_DPS", "SpanWindows", "WindowRows", "window_bounds", "window_rows"]
