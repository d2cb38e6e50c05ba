"""Strides, initial contacts and toe-offs of one foot from a shoe-mounted IMU in any orientation.

The numeric core of the foot-IMU gait analysis; it works on the uniform grid of
:func:`calfload.signal._preprocess.grid_rows`, window by window for long recordings
(:mod:`calfload.signal._chunks`). The slow steps (the axis, the swing lobes) run on a
**slow copy** of block means at 45-90 Hz, the timing steps (toe-off, initial contact) on the grid
rate (:mod:`calfload.signal._gait_foot_front`; steps 4 and 5 in :mod:`calfload.signal._gait_foot_timing`).
The steps, numbered as in the code:

1. **Sagittal rate.** The foot turns mostly about its mediolateral axis: the first principal axis
   of the (low-passed) angular rate while moving. ``ω`` is the rate about that axis, with the
   gyro's zero offset removed (median while the rate is small).
2. **Sign.** Every stride has the same order: the foot is still in mid-stance, then pushes off
   with a sharp **plantarflexion** (heel up), swings through with a broad **dorsiflexion** lobe
   (toes forward and up), and lands. Whatever the mounting, the lobe that follows the stillest
   moment of stance is plantarflexion, so the sign of ``ω`` is chosen to make it positive (the
   same convention as gaitmap's foot sensor frame ``gyr_y`` and as the calf-raise pitch;
   :mod:`calfload.signal._gait_foot_sign`).
3. **Swings.** Each swing is one broad negative lobe of ``ω`` (low-passed at ``swing_lowpass_hz``):
   peaks of ``−ω`` at least ``min_stride_s`` apart, deeper than ``min_swing_dps`` and than
   ``relative_swing`` of the typical swing around them (so turning and slow steps still count,
   while weight shifts and shuffles do not). The peaks are found on the slow copy and placed on
   the grid by a parabola through the peak's block and its neighbours (within 0.07 grid samples
   of the full-rate lobe's peak on a simulated run at 200 Hz).
4. **Toe-off** is the plantarflexion peak (largest ``ω``) in the ``tc_search_s`` before the swing
   peak (Herzer et al. 2021: the fastest plantarflexion is at toe-off, which the gaitmap mocap
   labels confirm within 10 ms).
5. **Initial contact** is the end of the swing lobe, where the dorsiflexion rate has died down to
   ``ic_end_fraction`` of the lobe's depth: a heel strike stops the foot's dorsiflexion abruptly
   (``ω`` crosses zero within 5 ms of the gaitmap mocap heel strikes); a forefoot strike slows
   it to about zero just before the forefoot lands, after which the heel comes down. (Snapping
   to the sharpest rise of ``|acc|`` was tried and made both the real walks and the simulated
   runs worse.)

References
----------
.. [1] Rampp A. et al. (2015). Inertial sensor-based stride parameter calculation from gait
   sequences in geriatric patients. IEEE TBME 62(4):1089-1097.
.. [2] Herzer L. et al. (2021), as implemented in gaitmap ``HerzerEventDetection``: toe-off at the
   minimum of ``gyr_ml`` (maximal plantarflexion velocity).
.. [3] Küderle A. et al. (2024). Gaitmap: an open ecosystem for IMU-based human gait analysis and
   algorithm benchmarking. IEEE OJEMB 5:163-172.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from calfload._stats import median, percentile
from calfload.signal._chunks import Chunks, chunked_lowpass, chunked_peaks
from calfload.signal._gait_foot_front import (
    GridColumns,
    GridPeaks,
    GridRows,
    SlowRate,
    full_rate_peaks,
    read_rates,
    sagittal_axis,
    sagittal_rate,
)
from calfload.signal._gait_foot_sign import calm_away, plantarflexion_sign
from calfload.signal._gait_foot_timing import initial_contacts, toe_offs


@dataclass(frozen=True, slots=True, eq=False)
class FootEvents:
    """Per-stride events of one foot, as sample indices on the uniform grid.

    Attributes
    ----------
    swing
        Index of each swing's peak dorsiflexion rate (one per stride), increasing.
    toe_off
        Toe-off before each swing (``-1`` where none was found).
    initial_contact
        Initial contact after each swing (``-1`` where none was found).
    swing_offset
        Sub-sample position of each swing peak relative to ``swing`` (parabolic fit, samples).
    swing_peak_dps
        Depth of each swing lobe (deg/s, positive).
    omega_dps
        The signed sagittal angular rate the events were found on.
    axis
        The sagittal axis in the sensor frame, sign included (plantarflexion positive).
    ic_level_dps
        The end-of-swing level (positive, deg/s) whose crossing is each initial contact.
    """

    swing: np.ndarray
    toe_off: np.ndarray
    initial_contact: np.ndarray
    swing_offset: np.ndarray
    swing_peak_dps: np.ndarray
    omega_dps: np.ndarray
    axis: np.ndarray
    ic_level_dps: np.ndarray = field(default_factory=lambda: np.zeros(0))


#: Share of ``min_swing_dps`` a slow lobe's peak must reach to be a candidate (the grid-rate peak is judged).
_SLOW_FLOOR: Final = 0.8

#: The grid rate (Hz, the fastest grid: ``GaitParams.max_rate_hz``) whose windows are ``chunk_s`` long.
WINDOW_RATE_HZ: Final = 200.0


def window_s(chunk_s: float | None, fs: float) -> float | None:
    """The windows' length (s) on a grid at ``fs``: ``chunk_s`` times the whole times ``fs`` goes into 200 Hz.

    A window's memory is its samples, and part of its time is fixed (each filter's start, each
    peak search's tables), so a slower grid takes longer windows of no more samples than the
    fastest grid's: ``chunk_s`` at 100-200 Hz (the 199.997 Hz of a slow clock included), twice
    it at 67-100 Hz (the IPOL walk's 97.46 Hz), and so on. None (one window) stays None.
    """
    return None if chunk_s is None else chunk_s * max(1, int(WINDOW_RATE_HZ // fs))


#: Longest time from a swing's peak to its end (initial contact) that is searched.
IC_SEARCH_S: Final = 1.0


def detect_foot_events(
    rows: GridRows,
    n: int,
    fs: float,
    *,
    event_lowpass_hz: float,
    swing_lowpass_hz: float,
    min_swing_dps: float,
    relative_swing: float,
    min_stride_s: float,
    tc_search_s: float,
    ic_end_fraction: float,
    chunk_s: float | None = None,
    swing_sign: str = "stance",
    columns: GridColumns | None = None,
) -> FootEvents:
    """Find every stride's swing, toe-off and initial contact (steps 1-5 of the module docstring).

    Parameters
    ----------
    rows
        Gives the piece's samples on the uniform grid, any rows ``[start, end)`` of it.
    n
        Grid samples in the piece.
    fs
        Grid rate (Hz).
    event_lowpass_hz
        Low-pass of the angular rate used for toe-off and initial contact.
    swing_lowpass_hz
        Low-pass of the angular rate used to find swings.
    min_swing_dps
        Shallowest swing lobe that can be a stride.
    relative_swing
        A swing must reach this share of the median swing depth among its neighbours.
    min_stride_s
        Shortest stride (same foot, contact to contact).
    tc_search_s
        How far before the swing peak toe-off is searched.
    ic_end_fraction
        The swing lobe ends where the rate has died down to this share of its depth.
    chunk_s
        Filter and search in windows of this length (s) with overlap (:mod:`calfload.signal._chunks`),
        so memory stays bounded however long the piece; None for one window. The events are
        the same either way. A grid slower than :data:`WINDOW_RATE_HZ` takes whole multiples of
        it (:func:`window_s`), the slow copy windows of as many blocks as the grid's hold samples.

    swing_sign
        ``stance`` (step 2 as described) or ``largest``: for a shank or thigh, which never dwells
        flat, the sign that makes the largest excursion of the slow rate a swing (negative) lobe.
    columns
        The grid's columns before interpolation, to read the rates from without ``rows``' windows
        (:func:`calfload.signal._gait_foot_front.read_rates`; the same values).

    Returns
    -------
    FootEvents
        The events; empty arrays when the foot never swings.
    """
    chunk_s = window_s(chunk_s, fs)
    chunks = Chunks.of(n, fs, chunk_s)
    # 1. Sagittal rate: the axis from the slow copy, one channel filtered at the grid rate.
    gyr, slow_gyr, slow = read_rates(rows, chunks, fs, columns)
    cutoff = min(event_lowpass_hz, 0.4 * fs)
    slow_chunks = slow.chunks(chunk_s)
    axis = sagittal_axis(slow_gyr, slow, cutoff, slow_chunks)
    del slow_gyr  # before ω is made: the events' high-water mark
    omega = sagittal_rate(gyr, axis, cutoff, fs, chunks)
    del gyr
    slow_omega = slow.means(omega)
    _remove_zero_offset(omega, slow_omega)
    # 2. Sign.
    # The vote at the grid rate: on the slow copy it flipped IPOL 8-1 right resampled to 400 Hz.
    calm_at = functools.partial(calm_away, rows, chunks, columns, fs=fs)
    if swing_sign == "stance" and plantarflexion_sign(omega, calm_at, fs, chunks) < 0:
        np.negative(omega, out=omega)
        np.negative(slow_omega, out=slow_omega)
        axis = -axis
    # 3. Swings: the slow lobe, and its sign for a shank or thigh.
    lobe = np.negative(chunked_lowpass(slow_omega, swing_lowpass_hz, slow.fs_hz, slow_chunks))
    if swing_sign == "largest" and lobe.size and percentile(lobe, 0.5) < -percentile(lobe, 99.5):
        np.negative(omega, out=omega)
        np.negative(lobe, out=lobe)
        axis = -axis
    grid = _grid_swings(
        lobe,
        omega,
        slow,
        slow_chunks,
        fs,
        swing_lowpass_hz,
        min_swing_dps=min_swing_dps,
        relative=relative_swing,
        min_stride_s=min_stride_s,
    )
    del lobe
    swing, offset, depth = grid.index, grid.offset, grid.height
    # 4. Toe-off.
    toe_off = toe_offs(omega, swing, round(tc_search_s * fs))
    # 5. Initial contact.
    initial_contact = initial_contacts(omega, swing, ic_end_fraction, round(IC_SEARCH_S * fs))
    level = ic_end_fraction * np.abs(omega[swing])
    return FootEvents(swing, toe_off, initial_contact, offset, depth, omega, axis, level)


def _remove_zero_offset(omega: np.ndarray, slow_omega: np.ndarray) -> None:
    """Subtract the gyro's zero offset, the median of ``ω`` while it is small, from both rates (in place)."""
    # One |ω| for both: the percentile leaves its input as it is (a long array's order statistics
    # are picked without partitioning it; otherwise it partitions a copy).
    magnitude = np.abs(omega)
    small = magnitude < 0.05 * max(float(percentile(magnitude, 95)), 1.0)
    del magnitude
    if small.any():
        zero = float(median(np.compress(small, omega)))  # omega[small], in fewer instructions
        omega -= zero
        slow_omega -= zero


def _grid_swings(
    lobe: np.ndarray,
    omega: np.ndarray,
    slow: SlowRate,
    slow_chunks: Chunks,
    fs: float,
    cutoff_hz: float,
    *,
    min_swing_dps: float,
    relative: float,
    min_stride_s: float,
) -> GridPeaks:
    """The swings (step 3) on the grid: candidates on the slow ``lobe``, judged on the grid-rate lobe.

    The slow lobe's peaks are up to a few % lower than the grid-rate lobe's, so its candidates
    need only reach :data:`_SLOW_FLOOR` of ``min_swing_dps``; each is then placed on the peak of
    the grid-rate lobe around it (:func:`full_rate_peaks`, the values of the lobe filtered whole),
    and the floor and the relative rule are applied to those peaks' heights.
    """
    peaks = swing_candidates(
        lobe,
        slow.fs_hz,
        floor_dps=_SLOW_FLOOR * min_swing_dps,
        min_swing_dps=min_swing_dps,
        min_stride_s=min_stride_s,
        chunks=slow_chunks,
    )
    grid = full_rate_peaks(omega, slow.centre(peaks + parabolic_offset(lobe, peaks)), cutoff_hz, fs)
    deep = grid.height >= min_swing_dps
    keep = np.flatnonzero(deep)[typical_swings(grid.height[deep], relative)]
    return GridPeaks(grid.index[keep], grid.offset[keep], grid.height[keep])


def find_swings(
    lobe: np.ndarray,
    fs: float,
    *,
    min_swing_dps: float,
    relative: float,
    min_stride_s: float,
    chunks: Chunks | None = None,
) -> np.ndarray:
    """Peaks of a periodic lobe signal that are swings (step 3).

    Parameters
    ----------
    lobe
        Signal whose positive peaks are the swings (deg/s).
    fs
        Sample rate.
    min_swing_dps
        Absolute height floor.
    relative
        Share of the median height of the 9 surrounding candidates a peak must reach.
    min_stride_s
        Minimum distance between swings.
    chunks
        Search in these windows (one window when None).

    Returns
    -------
    ndarray
        Indices of the swing peaks.
    """
    candidates = swing_candidates(
        lobe, fs, floor_dps=min_swing_dps, min_swing_dps=min_swing_dps, min_stride_s=min_stride_s, chunks=chunks
    )
    return np.asarray(candidates[typical_swings(lobe[candidates], relative)])


def swing_candidates(
    lobe: np.ndarray,
    fs: float,
    *,
    floor_dps: float,
    min_swing_dps: float,
    min_stride_s: float,
    chunks: Chunks | None = None,
) -> np.ndarray:
    """Peaks of ``lobe`` above ``floor_dps``, ``min_stride_s`` apart, with a prominence of half ``min_swing_dps``."""
    return chunked_peaks(
        lobe,
        chunks or Chunks(lobe.size, lobe.size, 0),
        height=floor_dps,
        distance=max(1, round(min_stride_s * fs)),
        prominence=0.5 * min_swing_dps,
    )


def typical_swings(heights: np.ndarray, relative: float) -> np.ndarray:
    """Which peaks reach ``relative`` of the median height of the 9 peaks around them (a boolean mask)."""
    if heights.size == 0:
        return np.zeros(0, dtype=bool)
    return np.asarray(heights >= relative * _rolling_median(heights, 9))


def parabolic_offset(x: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """Sub-sample offset of each peak from a parabola through it and its two neighbours."""
    if peaks.size == 0:
        return np.zeros(0)
    i = np.clip(peaks, 1, x.size - 2)
    left, mid, right = x[i - 1], x[i], x[i + 1]
    curvature = left - 2.0 * mid + right
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.where(curvature < 0, 0.5 * (left - right) / curvature, 0.0)
    return np.asarray(np.clip(delta, -0.5, 0.5))


def _rolling_median(x: np.ndarray, width: int) -> np.ndarray:
    """Centred running median of a short 1-D array (edges use the available values)."""
    if x.size <= width:
        return np.full(x.size, float(median(x)))
    half = width // 2
    padded = np.pad(x, half, mode="reflect")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    return np.asarray(median(windows, axis=1))


__all__ = ["IC_SEARCH_S", "FootEvents", "GridRows", "detect_foot_events", "find_swings", "parabolic_offset"]
