"""When a sample is at rest: the thresholds of the front end's rest detection.

Step 2 of :mod:`calfload.signal._preprocess`; in a module of their own so that parameter classes
can name them without importing the front end (and with it pandas).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class RestCriteria:
    """When a sample is at rest (step 2); each threshold is a floor and a cap of a noise-adaptive limit.

    Parameters
    ----------
    window_s
        Window over which gravity's direction, the gyroscope and the acceleration magnitude are judged.
    tilt_deg, tilt_cap_deg
        Gravity's direction turns less than this over the window.
    gyr_std_dps, gyr_cap_dps
        Standard deviation of the angular rate (all axes) over the window.
    acc_std_mps2, acc_cap_mps2
        Standard deviation of the acceleration magnitude over the window.
    """

    window_s: float = 0.3
    tilt_deg: float = 0.6
    tilt_cap_deg: float = 2.0
    gyr_std_dps: float = 3.0
    gyr_cap_dps: float = 12.0
    acc_std_mps2: float = 0.5
    acc_cap_mps2: float = 1.5
