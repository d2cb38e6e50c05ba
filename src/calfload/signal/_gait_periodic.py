"""Step instants from a sensor that sees every step: lower back, wrist or arm (best effort).

A trunk sensor bounces once per step; a wrist or arm sensor sees each foot strike as a bump
on top of the arm swing (whose period is a stride). The steps, numbered as in the code:

1. **Signal.** Lower back: acceleration along gravity (gravity from a 0.5 Hz low-pass, so slow
   trunk tilts do not matter); wrist and arm: the acceleration magnitude (the wrist turns too
   much for a vertical axis). Both minus g, band-passed ``band_hz``.
2. **Step period** per ``window_s`` window (half overlapping): the first autocorrelation peak
   whose lag is a plausible step period (``step_period_s``) and whose height is at least
   ``min_periodicity``. Windows without one, or quieter than ``min_activity_mps2`` (standing:
   sensor noise alone can look periodic), are not walking or running and are ignored.
3. **Steps** are the signal's peaks at least ``0.6`` periods apart and more prominent than
   ``min_prominence`` standard deviations of the window's signal, inside periodic windows.

References
----------
.. [1] Zijlstra W., Hof A.L. (2003). Assessment of spatio-temporal gait parameters from trunk
   accelerations during human walking. Gait Posture 18(2):1-10.
.. [2] Moe-Nilssen R., Helbostad J.L. (2004). Estimation of gait cycle characteristics by trunk
   accelerometry. J Biomech 37(1):121-126 (autocorrelation step and stride regularity).
"""

from __future__ import annotations

import numpy as np

from calfload._stats import unique
from calfload.signal._kernels import butter, filtfilt, find_peaks
from calfload.signal._preprocess import UniformImu, lowpass
from calfload.units import STANDARD_GRAVITY_MPS2


def detect_periodic_steps(
    imu: UniformImu,
    *,
    vertical: bool,
    band_hz: tuple[float, float],
    window_s: float,
    step_period_s: tuple[float, float],
    min_periodicity: float,
    min_prominence: float,
    min_activity_mps2: float,
) -> np.ndarray:
    """Indices of step instants on the uniform grid (steps 1-3 of the module docstring).

    Parameters
    ----------
    imu
        Samples on a uniform grid.
    vertical
        Use acceleration along gravity (lower back) instead of its magnitude (wrist).
    band_hz
        Band-pass of the step signal.
    window_s
        Window of the step-period estimate.
    step_period_s
        Plausible step periods.
    min_periodicity
        Smallest normalised autocorrelation of a walking window.
    min_prominence
        Peak prominence, in standard deviations of the window's signal.
    min_activity_mps2
        Smallest RMS of the step signal in a walking window: standing still is quieter.

    Returns
    -------
    ndarray
        Sample indices of the steps, increasing.
    """
    fs = imu.fs_hz
    acc = imu.acc_mps2
    # 1. Signal.
    if vertical:
        gravity = lowpass(acc, 0.5, fs)
        up = gravity / np.maximum(np.linalg.norm(gravity, axis=1, keepdims=True), 1e-9)
        x = np.sum(acc * up, axis=1) - STANDARD_GRAVITY_MPS2
    else:
        x = np.linalg.norm(acc, axis=1) - STANDARD_GRAVITY_MPS2
    x = filtfilt(butter(2, (band_hz[0], min(band_hz[1], 0.45 * fs)), fs, "band"), x)
    # 2. Step period per window.
    width = round(window_s * fs)
    hop = max(1, width // 2)
    lo, hi = round(step_period_s[0] * fs), round(step_period_s[1] * fs)
    steps: list[np.ndarray] = []
    for start in range(0, max(1, x.size - width + 1), hop):
        seg = x[start : start + width]
        if float(seg.std()) < min_activity_mps2:
            continue  # standing: noise can look periodic, but a step moves the body
        period = _step_period(seg, lo, hi, min_periodicity)
        if period is None:
            continue
        # 3. Peaks; each window claims the middle half of itself (edges for the first and last).
        peaks, _ = find_peaks(seg, distance=max(1, round(0.6 * period)), prominence=min_prominence * seg.std())
        a = 0 if start == 0 else hop // 2
        b = seg.size if start + width >= x.size else hop // 2 + hop
        steps.append(start + peaks[(peaks >= a) & (peaks < b)])
    if not steps:
        return np.zeros(0, dtype=np.int64)
    return unique(np.concatenate(steps))


def _step_period(seg: np.ndarray, lo: int, hi: int, min_periodicity: float) -> float | None:
    """Lag (samples) of the first strong autocorrelation peak in ``[lo, hi]``, if any."""
    seg = seg - seg.mean()
    energy = float(np.dot(seg, seg))
    if energy <= 0 or seg.size <= hi + 1:
        return None
    spectrum = np.fft.rfft(seg, 2 * seg.size)
    ac = np.fft.irfft(spectrum * np.conj(spectrum))[: hi + 2] / energy
    peaks, _ = find_peaks(ac[: hi + 2])
    peaks = peaks[(peaks >= lo) & (peaks <= hi) & (ac[peaks] >= min_periodicity)]
    return float(peaks[0]) if peaks.size else None
