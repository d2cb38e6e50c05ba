"""Stride length and speed from a foot IMU: stride-wise strapdown integration with zero-velocity updates.

A shoe-mounted IMU is still for a moment in every stance (mid-stance), so its velocity is known
to be zero there (the zero-velocity update, ZUPT, of Foxlin 2005 [1]). Between two such moments
the foot's path is found by integrating the sensor; the drift that builds up in one stride
(about a second) is small and mostly linear, and is removed because the velocity must be zero
again at the end [2, 3]. The steps, numbered as in the code:

1. **Zero-velocity moments.** In each stance (initial contact to the next toe-off, as found by
   :mod:`calfload.signal._gait_foot`) the sample where the foot is stillest: the minimum of
   Skog et al.'s SHOE statistic [4] (angular rate energy plus the accelerometer's departure from
   gravity, over a short window). A stance longer than the typical one (the runner stood) is
   searched only in its part next to the stride, so standing time is not counted as walking.
2. **Initial orientation.** At the start of each stride the foot is still, so the accelerometer
   reads gravity's reaction: the sensor is levelled by the shortest rotation that turns it onto
   the world's up axis (heading is arbitrary, and does not matter to a stride's length).
3. **Orientation.** The angular rate is integrated from there as unit quaternions (midpoint rule,
   :mod:`calfload._quaternion`).
4. **Gravity removal.** Each acceleration is turned into the world frame and gravity subtracted.
5. **Velocity, with linear de-drift.** Integrated (trapezoid) from zero; the velocity left at the
   stride's end (zero in truth) is removed as a drift growing linearly in time [2, 3].
6. **Position.** The de-drifted velocity is integrated again. The stride length is the horizontal
   distance from the start to the end, and the stride's speed that length over its duration.
7. **Plausibility.** A stride whose end moments are not still (the foot never stopped, e.g. a
   sensor on the shank), that is longer than ``max_stride_m`` or that climbs more than
   ``max_rise_m`` is left out of the figures and counted. Short strides are kept: turning on the
   spot and shuffling take strides of a few centimetres.

The distance of a recording (:func:`calfload.signal._stride_summary.summarise_strides`) is the
sum of one foot's stride lengths (with both feet, the mean of the two feet's sums); a stride that
was left out counts at the median of the valid strides around it.

References
----------
.. [1] Foxlin E. (2005). Pedestrian tracking with shoe-mounted inertial sensors. IEEE Computer
   Graphics and Applications 25(6):38-46.
.. [2] Rampp A., Barth J., Schülein S., Gaßmann K.-G., Klucken J., Eskofier B.M. (2015). Inertial
   sensor-based stride parameter calculation from gait sequences in geriatric patients. IEEE
   Trans Biomed Eng 62(4):1089-1097 (stride-wise integration, linear velocity de-drift).
.. [3] Küderle A. et al. (2024). Gaitmap: an open ecosystem for IMU-based human gait analysis and
   algorithm benchmarking. IEEE OJEMB 5:163-172 (``StrideLevelTrajectory``: per-stride
   orientation from gravity, gyro integration, de-drifted position integration).
.. [4] Skog I., Händel P., Nilsson J.-O., Rantakokko J. (2010). Zero-velocity detection: an
   algorithm evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from calfload._stats import median
from calfload.signal._gait_foot import FootEvents, GridRows
from calfload.signal._gait_foot_front import GridColumns
from calfload.signal._trajectory_apart import apart_displacements
from calfload.signal._trajectory_grid import MAX_SUMMED_BLOCK, column_block_means
from calfload.signal._trajectory_kernel import block_orientations, displacements, stride_displacements
from calfload.signal._trajectory_still import shoe_statistic, stance_minima, still_rate_dps
from calfload.signal._trajectory_types import StrideTable

#: Strides whose samples are read together (bounds the rows held in memory).
_BATCH = 512

#: Blocks of up to this many rows are averaged by whole-array additions (:func:`_blocks`).
_SUMMED_BLOCK = MAX_SUMMED_BLOCK


@dataclass(frozen=True, slots=True, kw_only=True)
class StrideParams:
    """Parameters of the stride-length integration; every one has a unit in its name.

    Parameters
    ----------
    shoe_window_s
        Window of the SHOE zero-velocity statistic (Skog 2010 used 3-5 samples at 100 Hz).
    gyr_noise_dps
        Angular-rate scale of the SHOE statistic (its ``σ_ω``).
    acc_noise_mps2
        Acceleration scale of the SHOE statistic (its ``σ_a``).
    level_window_s
        The accelerometer is averaged over this window at the start of a stride to level the sensor.
    max_still_dps
        A stride end whose angular rate (norm, averaged over the SHOE window) is above this is not
        still: the stride is left out.
    max_stride_m
        Longest stride (same foot) a person can take.
    max_rise_m
        Strides that end higher or lower than they started by more than this are left out.
    max_rate_hz
        Strides are integrated near this rate: a grid at 1.5 times it or more is block-averaged
        by the nearest whole factor (200 Hz and 204.8 Hz in pairs, 400 Hz in fours).
    stance_search
        A stance longer than this many times the median stance is searched only next to its stride
        (dimensionless).
    """

    shoe_window_s: float = 0.05
    gyr_noise_dps: float = 10.0
    acc_noise_mps2: float = 0.5
    level_window_s: float = 0.03
    max_still_dps: float = 60.0
    max_stride_m: float = 5.5
    max_rise_m: float = 0.5
    stance_search: float = 1.5
    max_rate_hz: float = 100.0


def foot_strides(
    rows: GridRows,
    n: int,
    fs_hz: float,
    events: FootEvents,
    times: Callable[[np.ndarray], np.ndarray],
    *,
    side: str,
    offset_s: float = 0.0,
    params: StrideParams | None = None,
    columns: GridColumns | None = None,
) -> StrideTable:
    """Length and speed of every stride of one foot (steps 1-7 of the module docstring).

    The samples are read a group of strides at a time (at most :data:`_BATCH` strides, and only
    the rows around them), so memory stays bounded however long the recording.

    Parameters
    ----------
    rows
        Rows ``[lo, hi)`` of one piece of contiguous samples on the uniform grid.
    n
        Rows in the piece.
    fs_hz
        The grid's rate.
    events
        The foot's swings, toe-offs and initial contacts on that piece.
    times
        Time (s, the recording's clock) of piece rows.
    side
        The foot, copied to each stride.
    offset_s
        Added to the times (the recording's offset on the first recording's clock).
    params
        Parameters; the defaults when None.
    columns
        Gives what the grid's columns are interpolated from
        (:func:`calfload.signal._grid.grid_column_windows`); when given, the samples the
        integration takes (the rows themselves, or means of up to
        :data:`~calfload.signal._trajectory_grid.MAX_SUMMED_BLOCK` rows) are made column by column,
        component-major, the same bits as ``rows`` without their ``(n, 3)`` arrays; ``rows`` are
        read (and averaged) when None.

    Returns
    -------
    StrideTable
        One stride per swing that has a zero-velocity moment on each side, in time order.
    """
    params = params or StrideParams()
    windows = _stance_windows(events, n, fs_hz, params)
    return StrideTable.joined(
        [
            _group_strides((rows, columns), n, fs_hz, group, events.initial_contact, times, side, offset_s, params)
            for group in np.array_split(windows, max(1, -(-windows.shape[0] // _BATCH)))
            if group.shape[0]
        ]
    )


def _group_strides(
    readers: tuple[GridRows, GridColumns | None],
    n: int,
    fs: float,
    windows: np.ndarray,
    ic: np.ndarray,
    times: Callable[[np.ndarray], np.ndarray],
    side: str,
    offset_s: float,
    params: StrideParams,
) -> StrideTable:
    """Steps 1-7 for a group of consecutive strides, on the rows around them (``readers``: see :func:`foot_strides`)."""
    pad = round((params.shoe_window_s + params.level_window_s) * fs) + 2
    lo, hi = max(0, int(windows[:, 0].min()) - pad), min(n, int(windows[:, 3].max()) + pad)
    block = _block_rows(fs, params)
    acc, gyr_dps = _group_samples(readers, lo, hi, block)
    rate = fs / block
    stat = shoe_statistic(acc, gyr_dps, rate, params.shoe_window_s, params.acc_noise_mps2, params.gyr_noise_dps)
    coarse = (windows[:, :4] - lo) // block
    before = stance_minima(stat, coarse[:, 0:2] + np.array([0, 1]))
    after = stance_minima(stat, coarse[:, 2:4] + np.array([0, 1]))
    keep = (before >= 0) & (after > before)
    # Strides may not overlap: a stride starting before the previous one ended is left out.
    keep[1:] &= before[1:] >= np.maximum.accumulate(np.where(keep, after, -1))[:-1]
    if not keep.any():
        return StrideTable.empty()
    strides = np.column_stack((before, after))[keep]
    width = max(1, round(params.shoe_window_s * rate))
    # Both ends of every stride in one call (an end is judged alone: the same bits as two calls).
    still = still_rate_dps(gyr_dps.T, strides.ravel(), width).reshape(-1, 2) <= params.max_still_dps
    # The rate's last use: its rows (and the statistic's) are let go before the integration's own arrays.
    inblock = block_orientations(gyr_dps, rate)
    del gyr_dps, stat
    horizontal, rise = displacements(acc, inblock, strides, rate, params.level_window_s)
    valid = still[:, 0] & still[:, 1] & (horizontal <= params.max_stride_m) & (np.abs(rise) <= params.max_rise_m)
    # Back to the piece's rows (the middle of each block).
    fine = np.minimum(lo + np.column_stack((before, after))[keep] * block + block // 2, hi - 1)
    bounds = np.column_stack((fine, windows[keep, 4]))
    start, end = times(bounds[:, 0]) + offset_s, times(bounds[:, 1]) + offset_s
    duration = _stride_times(times, ic, bounds)
    return StrideTable(np.full(start.size, side), start, end, duration, horizontal, horizontal / duration, rise, valid)


def _block_rows(fs_hz: float, params: StrideParams) -> int:
    """Grid rows averaged into one integration step: the whole factor nearest ``fs_hz / max_rate_hz``.

    The nearest factor, not the whole part: a 200 Hz sensor whose clock runs a little slow
    (199.997 Hz) is integrated at 100 Hz like one at 200.003 Hz, not at twice the rate.
    """
    return max(1, int(fs_hz / params.max_rate_hz + 0.5))


def _group_samples(
    readers: tuple[GridRows, GridColumns | None], lo: int, hi: int, block: int
) -> tuple[np.ndarray, np.ndarray]:
    """The acceleration and angular rate of piece rows ``[lo, hi)`` as integrated, ``(3, m)`` each (component-major).

    Means of ``block`` rows (:func:`_blocks`'s bits) column by column from ``columns``
    (:func:`calfload.signal._trajectory_grid.column_block_means`), the rows themselves column by
    column for blocks of one, else from ``rows`` (read as ``(m, 3)`` and given transposed: views).
    """
    rows, columns = readers
    if columns is not None and 2 <= block <= MAX_SUMMED_BLOCK:
        return column_block_means(columns, lo, hi, block)
    if block == 1 and columns is not None:
        out = (np.empty((3, hi - lo)), np.empty((3, hi - lo)))  # apart: the rate's rows are let go first
        sensors: tuple[Literal["acc", "gyr"], ...] = ("acc", "gyr")
        for sensor, into in zip(sensors, out, strict=True):
            grid, native_t, windows = columns(lo, hi, sensor)
            for window, row in zip(windows, into, strict=True):
                row[:] = np.interp(grid, native_t, window)
        return out
    imu = rows(lo, hi)
    return _blocks(imu.acc_mps2, block).T, _blocks(imu.gyr_dps, block).T


def integrate_strides(
    acc_mps2: np.ndarray, gyr_dps: np.ndarray, bounds: np.ndarray, fs_hz: float, params: StrideParams | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal distance (m) and rise (m) between still moments, as steps 2-6 integrate a stride.

    ``bounds`` are ``[start, end]`` rows of non-overlapping intervals in time order, each starting
    and ending where the foot is still. Grids faster than ``max_rate_hz`` are block-averaged first.
    """
    params = params or StrideParams()
    block = _block_rows(fs_hz, params)
    acc, gyr = _blocks(acc_mps2, block), _blocks(gyr_dps, block)
    coarse = np.minimum(np.asarray(bounds) // block, acc.shape[0] - 1)
    return stride_displacements(acc.T, gyr.T, coarse, fs_hz / block, params.level_window_s)


def integrate_apart(
    stretches: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], fs_hz: float, params: StrideParams | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`integrate_strides` of each of several separate stretches of samples, in one pass (the same bits).

    Each stretch is ``(acc_mps2, gyr_dps, bounds)`` as :func:`integrate_strides` takes them, on
    one grid rate; each is block-averaged from its own first row and integrated apart from the
    others (:func:`calfload.signal._trajectory_apart.apart_displacements`).
    """
    params = params or StrideParams()
    block = _block_rows(fs_hz, params)
    pieces = []
    for acc_mps2, gyr_dps, bounds in stretches:
        acc, gyr = _blocks(acc_mps2, block), _blocks(gyr_dps, block)
        pieces.append((acc.T, gyr.T, np.minimum(np.asarray(bounds) // block, acc.shape[0] - 1)))
    return apart_displacements(pieces, fs_hz / block, params.level_window_s)


def _blocks(x: np.ndarray, block: int) -> np.ndarray:
    """Means of whole blocks of ``block`` rows (``x`` itself when ``block`` is 1)."""
    if block <= 1:
        return x
    m = x.shape[0] // block
    if block > _SUMMED_BLOCK:
        return np.asarray(x[: m * block].reshape(m, block, x.shape[1]).mean(axis=1))
    # The rows of a block added in order and divided, as ``mean(axis=1)`` does (the same bits), in
    # whole-array passes: NumPy's reduction over the short middle axis costs several times that.
    out = x[0 : m * block : block].copy()
    for j in range(1, block):
        out += x[j : m * block : block]
    out /= block
    return out


def _stance_windows(events: FootEvents, n: int, fs: float, params: StrideParams) -> np.ndarray:
    """Where each swing's zero-velocity moments are searched (step 1).

    Returns ``(m, 5)`` piece rows: ``[lo, hi)`` of the stance before the swing, ``[lo, hi)`` of
    the stance after it, and the swing's index. Stance ``k`` runs from the contact ending swing
    ``k - 1`` to the toe-off starting swing ``k``; a stance with an end unknown (standing before
    the first or after the last swing) or longer than ``stance_search`` typical ones (the runner
    stood) is searched only next to the swing, so standing is not counted as walking.
    """
    ic, tc = events.initial_contact, events.toe_off
    count = events.swing.size
    if count == 0:
        return np.zeros((0, 5), dtype=np.int64)
    starts = np.concatenate(([-1], ic))
    ends = np.concatenate((tc, [-1]))
    known = (starts >= 0) & (ends > starts)
    typical = float(median(ends[known] - starts[known])) if known.any() else 0.6 * fs
    longest = max(2, round(params.stance_search * typical))
    a, b = starts[:-1], ends[:-1]  # the stance before swing k, which ends at its toe-off
    before = np.where((a >= 0) & (b - a <= longest), a, np.maximum(0, b - longest))
    c, d = starts[1:], ends[1:]  # the stance after, from its contact
    after = np.where((d > c) & (d - c <= longest), d, np.minimum(n, c + longest))
    both = (b >= 0) & (c >= 0)
    return np.column_stack((before, b, c, after, np.arange(count)))[both].astype(np.int64)


def _stride_times(times: Callable[[np.ndarray], np.ndarray], ic: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Each stride's time: contact to contact where known and not across a pause, else mid-stance to mid-stance.

    Contact to contact is used when it is within 25 % of the time between the zero-velocity
    moments (a longer one spans a pause). Which sample of a long walking stance is the stillest
    is arbitrary to a tenth of a second; the contacts are sharp events, so speed scatters less
    from stride to stride with them.
    """
    still = times(bounds[:, 1]) - times(bounds[:, 0])
    k = bounds[:, 2]
    before = np.where(k >= 1, ic[np.maximum(k - 1, 0)], -1)
    after = ic[k]
    known = (before >= 0) & (after >= 0)
    contact = np.where(known, times(np.maximum(after, 0)) - times(np.maximum(before, 0)), np.nan)
    with np.errstate(invalid="ignore"):
        agree = known & (np.abs(contact - still) <= 0.25 * still)
    return np.asarray(np.where(agree, contact, still))
