"""Strides, initial contacts and toe-offs of one foot from a shoe-mounted IMU in any orientation.

The numeric core of the foot-IMU gait analysis; it works on the uniform grid of
:func:`calfload.signal._preprocess.grid_rows`, window by window for long recordings
(:mod:`calfload.signal._chunks`). The steps, numbered as in the code:

1. **Sagittal rate.** The foot turns mostly about its mediolateral axis: the first principal axis
   of the (low-passed) angular rate while moving. ``ω`` is the rate about that axis, with the
   gyro's zero offset removed (median while the rate is small).
2. **Sign.** Every stride has the same order: the foot is still in mid-stance, then pushes off
   with a sharp **plantarflexion** (heel up), swings through with a broad **dorsiflexion** lobe
   (toes forward and up), and lands. Whatever the mounting, the lobe that follows the stillest
   moment of stance is plantarflexion, so the sign of ``ω`` is chosen to make it positive (the
   same convention as gaitmap's foot sensor frame ``gyr_y`` and as the calf-raise pitch).
3. **Swings.** Each swing is one broad negative lobe of ``ω`` (low-passed at ``swing_lowpass_hz``):
   peaks of ``−ω`` at least ``min_stride_s`` apart, deeper than ``min_swing_dps`` and than
   ``relative_swing`` of the typical swing around them (so turning and slow steps still count,
   while weight shifts and shuffles do not).
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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from calfload._stats import median, percentile, row_norms
from calfload.signal._chunks import Chunks, chunked_lowpass, chunked_peaks
from calfload.signal._preprocess import UniformImu, lowpass
from calfload.units import STANDARD_GRAVITY_MPS2


@dataclass(frozen=True, slots=True)
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


#: Longest time from a swing's peak to its end (initial contact) that is searched.
IC_SEARCH_S: Final = 1.0


#: Rows ``[start, end)`` of one piece of contiguous data on the uniform grid.
GridRows = Callable[[int, int], UniformImu]


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
        the same either way.

    swing_sign
        ``stance`` (step 2 as described) or ``largest``: for a shank or thigh, which never dwells
        flat, the sign that makes the largest excursion of the slow rate a swing (negative) lobe.

    Returns
    -------
    FootEvents
        The events; empty arrays when the foot never swings.
    """
    chunks = Chunks.of(n, fs, chunk_s)
    # 1. Sagittal rate. (Temporaries are freed or reused as soon as possible: a ten-hour
    # recording has 7.2 million grid points, 58 MB per float64 array.)
    gyr, deviation = _front_end(rows, chunks, min(event_lowpass_hz, 0.4 * fs), fs)
    axis = _principal_axis(gyr)
    omega = gyr @ axis
    del gyr
    # The percentile sorts its (temporary) input in place; |ω| is taken again for the mask.
    small = np.abs(omega) < 0.05 * max(float(percentile(np.abs(omega), 95, overwrite_input=True)), 1.0)
    if small.any():
        omega -= float(median(omega[small]))
    del small
    # 2. Sign.
    if swing_sign == "stance" and _plantarflexion_sign(omega, deviation, fs, chunks) < 0:
        np.negative(omega, out=omega)
        axis = -axis
    del deviation
    # 3. Swings.
    lobe = np.negative(chunked_lowpass(omega, swing_lowpass_hz, fs, chunks))
    if swing_sign == "largest" and lobe.size and percentile(lobe, 0.5) < -percentile(lobe, 99.5):
        np.negative(omega, out=omega)
        np.negative(lobe, out=lobe)
        axis = -axis
    swing = find_swings(
        lobe, fs, min_swing_dps=min_swing_dps, relative=relative_swing, min_stride_s=min_stride_s, chunks=chunks
    )
    depth = lobe[swing]
    offset = parabolic_offset(lobe, swing)
    del lobe
    # 4. Toe-off.
    toe_off = _toe_offs(omega, swing, round(tc_search_s * fs))
    # 5. Initial contact.
    initial_contact = _initial_contacts(omega, swing, ic_end_fraction, round(IC_SEARCH_S * fs))
    level = ic_end_fraction * np.abs(omega[swing])
    return FootEvents(swing, toe_off, initial_contact, offset, depth, omega, axis, level)


#: Low-pass (Hz) of the rate envelope and of the acceleration's departure from 1 g (step 2).
_CALM_LOWPASS_HZ: Final = 2.0


def _front_end(rows: GridRows, chunks: Chunks, cutoff_hz: float, fs: float) -> tuple[np.ndarray, np.ndarray]:
    """Window by window: the low-passed angular rate ``(n, 3)``, and ``|acc| - 1 g`` low-passed (step 2's input)."""
    gyr = np.empty((chunks.n, 3))
    deviation = np.empty(chunks.n)
    for w in chunks.windows():
        imu = rows(w.lo, w.hi)
        gyr[w.start : w.end] = lowpass(imu.gyr_dps, cutoff_hz, fs)[w.core]
        away = np.abs(row_norms(imu.acc_mps2) - STANDARD_GRAVITY_MPS2)
        deviation[w.start : w.end] = lowpass(away[:, None], _CALM_LOWPASS_HZ, fs)[w.core, 0]
    return gyr, deviation


#: Samples per block where a per-sample product is summed (fixed, so the sum never depends on the chunks).
_BLOCK = 1 << 16


def _principal_axis(gyr_dps: np.ndarray) -> np.ndarray:
    """First principal axis of the angular rate while the sensor turns (step 1)."""
    norm = _row_norms(gyr_dps)
    threshold = 0.2 * max(float(percentile(norm, 99)), 1.0)
    scatter = np.zeros((3, 3))
    moving_samples = 0
    for a in range(0, gyr_dps.shape[0], _BLOCK):
        block = gyr_dps[a : a + _BLOCK]
        sample = block[norm[a : a + _BLOCK] > threshold]
        moving_samples += sample.shape[0]
        scatter += sample.T @ sample
    if moving_samples < 3:
        scatter = gyr_dps.T @ gyr_dps
    _, vecs = np.linalg.eigh(scatter)
    return np.asarray(vecs[:, -1])


def _row_norms(x: np.ndarray) -> np.ndarray:
    """``np.linalg.norm(x, axis=1)`` block by block (it squares the whole array at once)."""
    out = np.empty(x.shape[0])
    for a in range(0, x.shape[0], _BLOCK):
        out[a : a + _BLOCK] = row_norms(x[a : a + _BLOCK])
    return out


def _plantarflexion_sign(omega: np.ndarray, deviation_mps2: np.ndarray, fs: float, chunks: Chunks) -> float:
    """+1 when the motion after the stillest moments of stance is positive, else -1 (step 2).

    The stillest moments are the local minima of the smoothed ``|ω|`` where the accelerometer
    reads about 1 g (``deviation_mps2``, the low-passed ``| |acc| - 1 g |``; the foot is flat on
    the ground, not at the top of its swing, where the rotation also reverses); the rate in the
    0.25 s after each is summed over the recording.
    """
    envelope = np.empty(omega.size)
    for w in chunks.windows():
        envelope[w.start : w.end] = lowpass(np.abs(omega[w.lo : w.hi, None]), _CALM_LOWPASS_HZ, fs)[w.core, 0]
    calm = chunked_peaks(-envelope, chunks, distance=max(1, round(0.25 * fs)))
    level = envelope[calm]
    high = float(percentile(envelope, 90, overwrite_input=True))
    del envelope
    calm = calm[(level < 0.35 * high) & (deviation_mps2[calm] < 0.3 * STANDARD_GRAVITY_MPS2)]
    if calm.size == 0:
        return 1.0
    after = round(0.25 * fs)
    cum = np.empty(omega.size + 1)
    cum[0] = 0.0
    np.cumsum(omega, out=cum[1:])
    ends = np.minimum(calm + after, omega.size)
    vote = float(np.sum(cum[ends] - cum[calm]))
    return 1.0 if vote >= 0 else -1.0


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
    candidates = chunked_peaks(
        lobe,
        chunks or Chunks(lobe.size, lobe.size, 0),
        height=min_swing_dps,
        distance=max(1, round(min_stride_s * fs)),
        prominence=0.5 * min_swing_dps,
    )
    if candidates.size == 0:
        return candidates
    heights = lobe[candidates]
    typical = _rolling_median(heights, 9)
    return np.asarray(candidates[heights >= relative * typical])


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


#: Swings per block of the toe-off and initial-contact searches: their temporaries are swings x samples searched.
_SWINGS = 4096


def _toe_offs(omega: np.ndarray, swing: np.ndarray, search: int) -> np.ndarray:
    """Largest plantarflexion rate in the ``search`` samples before each swing peak (step 4)."""
    if swing.size == 0:
        return swing.copy()
    # Never reach back into the previous swing.
    previous = np.concatenate(([-1], swing[:-1]))
    offsets = np.arange(-search, 1)
    out = np.empty(swing.size, dtype=swing.dtype)
    for a in range(0, swing.size, _SWINGS):
        here = swing[a : a + _SWINGS]
        idx = np.clip(here[:, None] + offsets[None, :], 0, omega.size - 1)
        window = omega[idx]
        window[idx <= previous[a : a + _SWINGS, None]] = -np.inf
        best = idx[np.arange(here.size), np.argmax(window, axis=1)]
        out[a : a + _SWINGS] = np.where(omega[best] > 0, best, -1)
    return out


def _initial_contacts(omega: np.ndarray, swing: np.ndarray, end_fraction: float, search: int) -> np.ndarray:
    """End of each swing lobe: the first sample after the swing peak where ``ω ≥ -end_fraction · depth`` (step 5).

    A heel strike stops the dorsiflexion abruptly, so ``ω`` crosses zero there; a forefoot
    strike only slows it to about zero before the heel comes down. Both end the lobe. The lobe
    is searched for at most ``search`` samples (the swing's end comes well within a second of
    its peak): a window as long as the gap to the next swing would grow with every pause.
    """
    if swing.size == 0:
        return swing.copy()
    nxt = np.concatenate((swing[1:], [omega.size]))
    level = -end_fraction * np.abs(omega[swing])
    out = np.empty(swing.size, dtype=swing.dtype)
    for a in range(0, swing.size, _SWINGS):
        here, until = swing[a : a + _SWINGS], nxt[a : a + _SWINGS]
        # Each swing's search ends at min(search, next swing), whatever the block's widest reach.
        offsets = np.arange(max(1, min(search, int(np.max(until - here)))))
        idx = np.minimum(here[:, None] + offsets[None, :], omega.size - 1)
        ended = (omega[idx] >= level[a : a + _SWINGS, None]) & (idx < until[:, None])
        out[a : a + _SWINGS] = np.where(ended.any(axis=1), here + np.argmax(ended, axis=1), -1)
    return out
