"""Which unit a recording's sensor values are in, judged from the data (NumPy only).

Acceleration whose magnitude at rest is about 1 rather than about 9.81 is in g; angular rate
that is about 57 times smaller than the rotation the accelerometer sees is in rad/s. Used by
:func:`calfload.recording.make_recording` for every IMU stream.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from calfload._order_stats import median as order_median
from calfload._order_stats import percentile as order_percentile
from calfload._stats import median, percentile_ranks, row_norms
from calfload.errors import DataError
from calfload.units import STANDARD_GRAVITY_MPS2

#: Length of the windows in which rest is looked for (s). A running stance lasts 0.15-0.3 s and
#: the foot is flat and still for about its middle third (the zero-velocity interval a foot-IMU
#: stride integration relies on), so a window this short fits inside a running mid-stance.
REST_WINDOW_S = 0.05

#: Windows whose mean magnitude is under this share of the file's upper quartile are free fall
#: (about 0 in any unit), not rest.
FREE_FALL_SHARE = 0.1

#: The fewest samples a rest window may have (at 50 Hz the window is 3 samples, 0.06 s).
MIN_REST_WINDOW = 3

#: A sensor that stands still somewhere has steadiest windows that vary by its noise alone: the
#: median standard deviation of the magnitude in them is 0.1-1.2 % of their level in every resting
#: file of ../shared/validation (feet, lower backs, phones). Steadier than this share, the windows
#: are rest, and rest reads gravity.
STILL_SPREAD = 0.02

#: The highest reading (in g) of the steadiest windows of a sensor that never stands still. A
#: leg switched on mid-run is never at rest: its steadiest windows hold motion and read more than
#: gravity (real running shanks 1.15-1.7 g, Bach, Dominici & Daffertshofer 2022; the simulator's
#: sprinting foot 2.0-2.6 g). Three g keeps the units apart: a reading of 0.6-3 is g, one of 6-30
#: is m/s² (a factor of 9.81 between them), and mg (600 and more) is refused.
MOVING_MAX_G = 3.0

#: Readings at rest accepted as m/s² and as g (a tolerance of about 40 % either way).
REST_BANDS = ((6.0, 14.0, 1.0), (0.6, 1.4, STANDARD_GRAVITY_MPS2))
#: The same for a sensor that never stands still (up to :data:`MOVING_MAX_G`).
MOVING_BANDS = ((6.0, 10.0 * MOVING_MAX_G, 1.0), (0.6, MOVING_MAX_G, STANDARD_GRAVITY_MPS2))


#: A gyroscope whose norms' 99.9th percentile (:data:`GYRO_RANK_PCT`) is above this reads deg/s:
#: a foot, shank or wrist never turns faster than about 35 rad/s (2,000 deg/s, the consumer range).
MAX_RAD_PER_S: Final = 35.0
GYRO_RANK_PCT: Final = 99.9

#: Rows of the gyroscope whose norms are counted first (then twice as many, and so on).
FIRST_ROWS: Final = 1 << 14


@dataclass(frozen=True, slots=True)
class RestReading:
    """What the steadiest windows of a recording read.

    Parameters
    ----------
    typical
        Their median magnitude, in the file's unit.
    spread
        The median standard deviation of the magnitude inside them, as a share of ``typical``
        (NaN when the file is too short for windows).
    """

    typical: float
    spread: float

    @property
    def still(self) -> bool:
        """True when the steadiest windows are rest (or there are no windows to tell)."""
        return not self.spread > STILL_SPREAD


def accelerometer_scale(
    acc: np.ndarray | Sequence[np.ndarray], *, t_s: np.ndarray, source: str, step_s: float | None = None
) -> float:
    """Return 1 for m/s², g for data in g; refuse anything else.

    Judged at rest, where the magnitude is gravity alone: the median magnitude of the steadiest
    tenth of windows of :data:`REST_WINDOW_S`. A foot running without a stop is still only at
    mid-stance; windows of a fixed sample count (32 samples, 0.32 s at 100 Hz) are longer than a
    running stance and read the swinging foot (2-3 g). Steadiness is the standard deviation of the
    magnitude in the window, so the choice of windows does not depend on the unit. Free fall (a
    hop's flight) is as steady as rest but reads about 0, so windows under a tenth of the file's
    upper quartile are not candidates. A sensor that never stands still (a leg switched on
    mid-run: its steadiest windows vary by more than :data:`STILL_SPREAD`) reads more than gravity
    there, so its reading may be up to :data:`MOVING_MAX_G`.

    Parameters
    ----------
    acc
        Acceleration in an unknown unit: shape ``(n, 3)``, or its three columns.
    t_s
        Sample times (s), increasing.
    source
        The file, for the error message.
    step_s
        The median of ``np.diff(t_s)`` where the caller has it (the time checks do).

    Returns
    -------
    float
        The factor to m/s²: 1.0, or standard gravity for data in g.

    Raises
    ------
    DataError
        When the magnitude at rest is neither about 9.81 nor about 1 (mg, or wrong columns).
    """
    norm = _norms(acc)
    if step_s is None:
        step_s = float(median(np.diff(t_s))) if t_s.size > 1 else 0.0
    window = max(MIN_REST_WINDOW, round(REST_WINDOW_S / step_s)) if step_s > 0 else MIN_REST_WINDOW
    rest = rest_reading(norm, window)
    scale = _scale(rest.typical, REST_BANDS)
    if scale is None and not rest.still:
        scale = _scale(rest.typical, MOVING_BANDS)
    if scale is None:
        raise DataError(
            f"acceleration magnitude is typically {rest.typical:.3g}, neither about 9.81 (m/s²) nor about 1 (g); "
            "check the accelerometer columns and their unit",
            source=source,
        )
    return scale


def _scale(typical: float, bands: tuple[tuple[float, float, float], ...]) -> float | None:
    return next((factor for low, high, factor in bands if low <= typical <= high), None)


def _norms(acc: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    """Row norms of three columns, as :func:`calfload._stats.row_norms` of their ``(n, 3)`` stack (the same bits)."""
    x, y, z = (acc[:, i] for i in range(3)) if isinstance(acc, np.ndarray) else acc
    out: np.ndarray = np.square(x)
    square = np.square(y)
    out += square
    np.square(z, out=square)
    out += square
    np.sqrt(out, out=out)
    return out


def rest_reading(norm: np.ndarray, window: int) -> RestReading:
    """The steadiest tenth of windows of ``window`` samples: their median magnitude and relative spread.

    Files shorter than four windows read their median magnitude (spread NaN). Windows with equal
    spread are taken in time order.
    """
    if norm.size < 4 * window:
        return RestReading(float(median(norm)), math.nan)
    blocks = norm[: norm.size // window * window].reshape(-1, window)
    # Sample j of every window in row j: a window's sums are then NumPy's own additions made on
    # contiguous rows of all windows at once (one copy of the norms, not ten strided passes each).
    rows = np.ascontiguousarray(blocks.T)
    means = _column_sums(rows)
    np.true_divide(means, np.intp(window), out=means, casting="unsafe")  # as ndarray.mean
    weighed = _not_free_fall(norm, means)
    if weighed is None or not weighed.any():
        candidates, candidate_means = rows, means
    else:
        candidates, candidate_means, blocks = rows[:, weighed], means[weighed], blocks[weighed]
    spreads = _deviations(candidates, candidate_means, window)  # the candidates' copy is used up
    steady = _smallest(spreads, max(1, candidates.shape[1] // 10))
    typical = float(order_median(blocks[steady].ravel()))
    return RestReading(typical, float(median(spreads[steady])) / typical if typical > 0 else math.inf)


def _not_free_fall(norm: np.ndarray, means: np.ndarray) -> np.ndarray | None:
    """The windows whose mean is not free fall, or None when none is.

    Free fall (a hop's flight) is as steady as rest but reads about 0 in any unit; rest reads
    gravity, over :data:`FREE_FALL_SHARE` of the file's upper quartile (about 1-4 g) in any unit.
    That quartile is never above the value of its upper rank (it adds at most half the step to the
    lower value, or takes a share of the step from the upper), so when at least that many norms
    are within ten times the lowest window mean (less 0.1 %, which covers every rounding), no
    window is free fall and the quartile itself is not needed (the run hour: 1-2 ms).
    """
    lowest = float(means.min())
    _, _, high = percentile_ranks(norm.size, 75.0)
    at_high = int(high[0]) if high[0] >= 0 else norm.size - 1
    if lowest > 0 and np.count_nonzero(norm <= lowest * (0.999 / FREE_FALL_SHARE)) > at_high:
        return None
    weighed: np.ndarray = means >= FREE_FALL_SHARE * float(order_percentile(norm, 75.0))
    return None if weighed.all() else weighed


def _deviations(rows: np.ndarray, means: np.ndarray, window: int) -> np.ndarray:
    """The standard deviation of each window (a column of ``rows``, overwritten) from the means already found.

    The same bits as ``blocks.std(axis=1)`` of the windows as rows (NumPy's own steps).
    """
    np.subtract(rows, means, out=rows)
    np.square(rows, out=rows)
    out = _column_sums(rows)
    np.true_divide(out, np.intp(window), out=out, casting="unsafe")
    np.sqrt(out, out=out)
    return out


#: Rows up to this long NumPy sums in one pass of eight running sums (its ``PW_BLOCKSIZE``); longer ones it splits.
_PAIRWISE_BLOCK: Final = 128
_RUNNING_SUMS: Final = 8
#: The float types whose sums NumPy makes in their own type (float16 it sums in float32).
_SUMMED_TYPES: Final = (np.dtype(np.float32), np.dtype(np.float64))


def row_sums(blocks: np.ndarray) -> np.ndarray:
    """``np.add.reduce(blocks, axis=1)`` of a C-contiguous ``(n, width)`` float array: the same bits, by columns.

    NumPy sums each short row on its own, one call of its inner loop per row: a ``(69912, 5)``
    array took 1.5 ms, twice in every IMU file's unit check. Its sum of a row of ``width`` values
    (``pairwise_sum``, in the array's own float type) starts from 0 and adds them in order under
    eight values; up to :data:`_PAIRWISE_BLOCK` it keeps eight running sums (value ``j`` into sum
    ``j % 8``), adds them as ``((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))``, then the
    values left over in order. The same additions on the transposed array's contiguous rows
    (:func:`_column_sums`) give the same bits in about a fifth of the time
    (``tests/test_unit_checks.py`` holds them to NumPy's). Other arrays go to NumPy.
    """
    width = blocks.shape[1]
    if not (blocks.dtype in _SUMMED_TYPES and blocks.flags.c_contiguous and 0 < width <= _PAIRWISE_BLOCK):
        reduced: np.ndarray = np.add.reduce(blocks, axis=1)
        return reduced
    return _column_sums(np.ascontiguousarray(blocks.T))


def _column_sums(rows: np.ndarray) -> np.ndarray:
    """:func:`row_sums` of ``rows.T``: the sum of each column of a C-contiguous ``(width, n)`` float array.

    ``width`` is at most :data:`_PAIRWISE_BLOCK`; the additions are NumPy's for a row of that many.
    """
    width = rows.shape[0]
    out = np.zeros(rows.shape[1], rows.dtype)  # NumPy's sum starts from 0 (a row of -0.0 sums to +0.0)
    if width < _RUNNING_SUMS:
        for j in range(width):
            out += rows[j]
        return out
    whole = width - width % _RUNNING_SUMS
    sums = rows[:_RUNNING_SUMS].copy()
    for start in range(_RUNNING_SUMS, whole, _RUNNING_SUMS):
        sums += rows[start : start + _RUNNING_SUMS]
    pairs = sums[0::2] + sums[1::2]  # s0 + s1, s2 + s3, s4 + s5, s6 + s7
    halves = pairs[0::2] + pairs[1::2]  # (s0 + s1) + (s2 + s3), (s4 + s5) + (s6 + s7)
    total = halves[0] + halves[1]
    for j in range(whole, width):
        total += rows[j]
    out += total
    return out


def _smallest(values: np.ndarray, k: int) -> np.ndarray:
    """A mask of the ``k`` smallest values, ties at the edge taken first in order (a stable sort's first ``k``)."""
    if k >= values.size:
        return np.ones(values.size, dtype=bool)
    edge = np.partition(values, k - 1)[k - 1]
    chosen: np.ndarray = values < edge
    ties = np.flatnonzero(values == edge)[: k - int(np.count_nonzero(chosen))]
    chosen[ties] = True
    return chosen


def gyro_looks_like_rad_per_s(
    t_s: np.ndarray, acc_mps2: np.ndarray | Sequence[np.ndarray], gyr: np.ndarray | Sequence[np.ndarray]
) -> bool:
    """Tell whether gyroscope values are in rad/s rather than deg/s, from the data alone.

    Two physical checks:

    1. A human foot, shank or wrist never turns faster than about 35 rad/s (2,000 deg/s, the
       range of consumer gyroscopes), so readings above 35 are deg/s.
    2. The direction of gravity seen by the accelerometer turns exactly as fast as the sensor
       tilts. Over 0.2 s lags, in quasi-static stretches (acceleration magnitude near 1 g), the
       angular rate perpendicular to gravity must match the rate at which that direction turns:
       a ratio of about 1 in deg/s, about 1/57 in rad/s.

    Parameters
    ----------
    t_s
        Sample times (s).
    acc_mps2
        Acceleration, shape ``(n, 3)``, or its three columns.
    gyr
        Angular rate in unknown unit, shape ``(n, 3)``, or its three columns; finite.

    Returns
    -------
    bool
        True only when there is enough tilting motion to judge and the ratio is below 0.1.
    """
    if t_s.size < 50 or _percentile_above(gyr, GYRO_RANK_PCT, MAX_RAD_PER_S):
        return False
    acc_mps2, gyr = _stacked(acc_mps2), _stacked(gyr)
    step_s = float(np.mean(np.diff(t_s)))
    lag = max(1, round(0.2 / step_s))
    kernel = np.ones(lag) / lag
    acc = np.column_stack([np.convolve(acc_mps2[:, i], kernel, mode="valid") for i in range(3)])
    rate = np.column_stack([np.convolve(gyr[:, i], kernel, mode="valid") for i in range(3)])
    if acc.shape[0] <= lag:
        return False
    magnitude = row_norms(acc)[:, None]
    direction = acc / np.maximum(magnitude, 1e-9)
    cos_angle = np.clip(np.sum(direction[lag:] * direction[:-lag], axis=1), -1.0, 1.0)
    tilt_rate_dps = np.degrees(np.arccos(cos_angle)) / (lag * step_s)
    # Mean rate over the same lag, perpendicular to gravity.
    mid = rate[lag // 2 : lag // 2 + tilt_rate_dps.size]
    g_dir = direction[:-lag]
    perpendicular = mid - np.sum(mid * g_dir, axis=1, keepdims=True) * g_dir
    gyr_rate = row_norms(perpendicular)
    static = np.abs(magnitude[:-lag, 0] - STANDARD_GRAVITY_MPS2) < 1.0
    moving = static & (tilt_rate_dps > 8.0)
    if moving.sum() * step_s < 1.0:
        return False
    ratio = float(median(gyr_rate[moving]) / median(tilt_rate_dps[moving]))
    return ratio < 0.1


def _percentile_above(columns: np.ndarray | Sequence[np.ndarray], q: float, limit: float) -> bool:
    """Whether the ``q``-th percentile of the rows' norms is above ``limit``, from the first rows that tell it.

    The same answer as ``float(order_percentile(_norms(columns), q)) > limit``. That percentile is
    never below the value of its lower rank ``low`` (:func:`calfload._stats.percentile_ranks`: it
    adds a share of the step to that value, or takes at most half the step from the next one), and
    that value is above ``limit`` once ``n - low`` norms are. The norms are found a block of rows at
    a time, :data:`FIRST_ROWS` rows first and twice as many each time, and counted: a gyroscope in
    deg/s on a moving limb has its few hundred fast samples in the first seconds (the run hour's
    check 3.5 -> 0.1 ms). Where the blocks never get there, the percentile of all of them is found,
    as before (a norm is the same bits found in a block or in the whole: squares, sums and a square
    root, element by element).
    """
    cols = [columns[:, i] for i in range(3)] if isinstance(columns, np.ndarray) else list(columns)
    n = cols[0].size
    _, low, _ = percentile_ranks(n, q)
    needed = n - (int(low[0]) if low[0] >= 0 else n - 1)
    above, start, rows = 0, 0, FIRST_ROWS
    parts = []
    while start < n:
        part = _norms([c[start : start + rows] for c in cols])
        above += int(np.count_nonzero(part > limit))
        if above >= needed:
            return True
        parts.append(part)
        start, rows = start + rows, 2 * rows
    return bool(float(order_percentile(np.concatenate(parts), q)) > limit)


def _stacked(columns: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    return columns if isinstance(columns, np.ndarray) else np.column_stack(columns)


__all__ = [
    "FREE_FALL_SHARE",
    "MIN_REST_WINDOW",
    "MOVING_MAX_G",
    "REST_WINDOW_S",
    "STILL_SPREAD",
    "RestReading",
    "accelerometer_scale",
    "gyro_looks_like_rad_per_s",
    "rest_reading",
]
