"""Which unit a recording's sensor values are in, judged from the data (NumPy only).

Acceleration whose magnitude at rest is about 1 rather than about 9.81 is in g; angular rate
that is about 57 times smaller than the rotation the accelerometer sees is in rad/s. Used by
:func:`calfload.recording.make_recording` for every IMU stream.
"""

from __future__ import annotations

import numpy as np

from calfload._stats import median, percentile, row_norms
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


def accelerometer_scale(acc: np.ndarray, *, t_s: np.ndarray, source: str) -> float:
    """Return 1 for m/s², g for data in g; refuse anything else.

    Judged at rest, where the magnitude is gravity alone: the median magnitude of the steadiest
    tenth of windows of :data:`REST_WINDOW_S`. A foot running without a stop is still only at
    mid-stance; windows of a fixed sample count (32 samples, 0.32 s at 100 Hz) are longer than a
    running stance and read the swinging foot (2-3 g). Steadiness is the standard deviation of the
    magnitude in the window, so the choice of windows does not depend on the unit. Free fall (a
    hop's flight) is as steady as rest but reads about 0, so windows under a tenth of the file's
    upper quartile are not candidates.

    Parameters
    ----------
    acc
        Acceleration in an unknown unit, shape ``(n, 3)``.
    t_s
        Sample times (s), increasing.
    source
        The file, for the error message.

    Returns
    -------
    float
        The factor to m/s²: 1.0, or standard gravity for data in g.

    Raises
    ------
    DataError
        When the magnitude at rest is neither about 9.81 nor about 1 (mg, or wrong columns).
    """
    norm = row_norms(acc)
    step_s = float(median(np.diff(t_s))) if t_s.size > 1 else 0.0
    window = max(MIN_REST_WINDOW, round(REST_WINDOW_S / step_s)) if step_s > 0 else MIN_REST_WINDOW
    if norm.size >= 4 * window:
        blocks = norm[: norm.size // window * window].reshape(-1, window)
        # Free fall (a hop's flight) is as steady as rest but reads about 0 in any unit; rest
        # reads gravity, over a tenth of the file's upper quartile (about 1-4 g) in any unit.
        weighed = blocks.mean(axis=1) >= FREE_FALL_SHARE * float(percentile(norm, 75.0))
        candidates = blocks[weighed] if weighed.any() else blocks
        steady = np.argsort(candidates.std(axis=1))[: max(1, candidates.shape[0] // 10)]
        typical = float(median(candidates[steady]))
    else:
        typical = float(median(norm))
    if 6.0 <= typical <= 14.0:
        return 1.0
    if 0.6 <= typical <= 1.4:
        return STANDARD_GRAVITY_MPS2
    raise DataError(
        f"acceleration magnitude is typically {typical:.3g}, neither about 9.81 (m/s²) nor about 1 (g); "
        "check the accelerometer columns and their unit",
        source=source,
    )


def gyro_looks_like_rad_per_s(t_s: np.ndarray, acc_mps2: np.ndarray, gyr: np.ndarray) -> bool:
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
        Acceleration, shape ``(n, 3)``.
    gyr
        Angular rate in unknown unit, shape ``(n, 3)``.

    Returns
    -------
    bool
        True only when there is enough tilting motion to judge and the ratio is below 0.1.
    """
    norm = row_norms(gyr)
    if t_s.size < 50 or float(percentile(norm, 99.9)) > 35.0:
        return False
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


__all__ = ["FREE_FALL_SHARE", "MIN_REST_WINDOW", "REST_WINDOW_S", "accelerometer_scale", "gyro_looks_like_rad_per_s"]
