"""Daily-load trends: exponentially weighted averages, rolling ratios, monotony and spikes.

One convention, pinned and tested (``docs/load-model.md``): the daily series has one value per
calendar day, days without sessions count as zero, and

``EWMA_t = lambda L_t + (1 - lambda) EWMA_(t-1)``, ``lambda = 2 / (N + 1)``, ``EWMA_0 = L_0``

(Williams et al. 2017; Runalyze). The ``"banister"`` convention, ``lambda = 1 - exp(-1/N)``
(GoldenCheetah, intervals.icu), is available for comparisons. Ratios are information only: the
flag never rests on them (Impellizzeri 2020; Garmin-RUNSAFE 2025).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calfload._plain_sums import np_mean, np_std
from calfload.loadmodel._params import EwmaConvention, TrendParameters

if TYPE_CHECKING:  # callers may pass arrays; review passes tuples and never imports NumPy
    import numpy as np
    import numpy.typing as npt

    Loads = Sequence[float] | npt.NDArray[np.float64]

#: A daily series: plain floats (a review's few hundred days cost less than importing NumPy).
FloatSeries = tuple[float, ...]
_DEFAULT_TREND = TrendParameters()


def ewma_lambda(n_days: float, convention: EwmaConvention = "williams") -> float:
    """Smoothing factor of an EWMA with time constant ``n_days``.

    Examples
    --------
    >>> ewma_lambda(7), round(ewma_lambda(28), 3)
    (0.25, 0.069)
    >>> round(ewma_lambda(7, "banister"), 4)
    0.1331
    """
    if not n_days > 0:
        raise ValueError(f"the time constant must be positive, got {n_days}")
    if convention == "williams":
        return 2.0 / (n_days + 1.0)
    if convention == "banister":
        return 1.0 - math.exp(-1.0 / n_days)
    raise ValueError(f"unknown EWMA convention {convention!r}")


def ewma(
    loads: Iterable[float], n_days: float, convention: EwmaConvention = "williams", *, seed: float | None = None
) -> FloatSeries:
    """Exponentially weighted moving average of a daily series, seeded with the first day (or ``seed``).

    Parameters
    ----------
    loads
        One load per calendar day, oldest first (rest days are 0).
    n_days
        Time constant ``N``.
    convention
        ``"williams"`` (``2 / (N + 1)``) or ``"banister"`` (``1 - exp(-1 / N)``).
    seed
        The average on the day before ``loads`` begins (a stored state: the journal keeps it per
        day, schema v10); every day of ``loads`` then moves from it. The values equal those of
        the whole series from its first day, bit for bit, when ``seed`` is that series' value.

    Returns
    -------
    tuple of float
        The average after each day.

    Examples
    --------
    >>> ewma([4.0, 0.0, 0.0], 7)
    (4.0, 3.0, 2.25)
    >>> ewma([0.0, 0.0], 7, seed=4.0)
    (3.0, 2.25)
    """
    x = _floats(loads)
    if not x:
        return ()
    lam = ewma_lambda(n_days, convention)
    # 1. seed with the first day; 2. each later day moves lambda of the way to that day's load.
    acc, rest = (x[0], x[1:]) if seed is None else (seed, x)
    out = [acc] if seed is None else []
    for v in rest:
        acc = lam * v + (1.0 - lam) * acc
        out.append(acc)
    return tuple(out)


def _floats(values: Iterable[float]) -> FloatSeries:
    """The values as a tuple of Python floats (NumPy arrays and scalars too)."""
    return tuple(float(v) for v in values)


def rolling_ratio(loads: Loads, acute_days: int = 7, chronic_days: int = 28) -> float | None:
    """Coupled rolling-average ratio on the last day: mean of the last ``acute_days`` / last ``chronic_days``.

    ``None`` when the series is shorter than ``chronic_days`` or the chronic mean is 0.

    Examples
    --------
    >>> rolling_ratio([0.0] * 27 + [1.0])  # the ceiling of the coupled ratio (28 / 7)
    4.0
    """
    x = _floats(loads[-chronic_days:])
    if len(x) < chronic_days:
        return None
    chronic = np_mean(x)
    return np_mean(x[-acute_days:]) / chronic if chronic > 0 else None


def uncoupled_ratio(loads: Loads, acute_days: int = 7, chronic_days: int = 28) -> float | None:
    """Uncoupled ratio on the last day: mean of days t-6..t over mean of days t-27..t-7 (Windt & Gabbett 2018).

    Examples
    --------
    >>> uncoupled_ratio([1.0] * 21 + [2.0] * 7)
    2.0
    """
    x = _floats(loads[-chronic_days:])
    if len(x) < chronic_days:
        return None
    chronic = np_mean(x[:-acute_days]) if chronic_days > acute_days else 0.0
    return np_mean(x[-acute_days:]) / chronic if chronic > 0 else None


def monotony(loads: Iterable[float], cap: float = 10.0) -> float | None:
    """Foster's monotony: mean over standard deviation of the daily loads of a window.

    ``None`` for a window without load; ``cap`` when every day had the same positive load.

    Examples
    --------
    >>> round(monotony([1.0, 0.0] * 3 + [1.0]), 3)  # 4 of 7 days: mean 0.571, SD 0.495
    1.155
    """
    x = _floats(loads)
    if not any(v > 0 for v in x):
        return None
    sd = np_std(x)
    return cap if sd == 0 else min(np_mean(x) / sd, cap)


def spike_ratio(value: float, previous: Iterable[float]) -> float | None:
    """Return a session's size over the largest of the previous window's sessions (``None`` without history).

    Examples
    --------
    >>> spike_ratio(11.0, [8.0, 10.0])
    1.1
    """
    prev = _floats(previous)
    if not any(v > 0 for v in prev):
        return None
    return value / max(prev)


@dataclass(frozen=True, slots=True, kw_only=True)
class DailyTrend:
    """Daily load and its trends from the first journal day.

    Parameters
    ----------
    first_date
        Date of index 0.
    load_au
        Daily damage load (easy-run-equivalent cycles of the most loaded leg).
    acute_au, chronic_au
        The acute and chronic EWMA.
    params
        The trend parameters used.
    days_before
        Days of history before ``first_date`` (a trend continued from a stored state, whose
        averages already hold them). Ratios and monotony need their window inside the series,
        so such a trend answers them for days at least ``chronic_days`` after ``first_date``
        (a review reads a year before the days it shows).
    """

    first_date: dt.date
    load_au: FloatSeries
    acute_au: FloatSeries
    chronic_au: FloatSeries
    params: TrendParameters
    days_before: int = 0

    def index(self, day: dt.date) -> int:
        """Index of ``day`` in the series."""
        return (day - self.first_date).days

    def ratio(self, i: int) -> float | None:
        """EWMA acute:chronic ratio on day ``i``."""
        c = float(self.chronic_au[i])
        return float(self.acute_au[i]) / c if c > 0 else None

    def uncoupled(self, i: int) -> float | None:
        """Uncoupled rolling ratio on day ``i``."""
        n = self.params.chronic_days  # the ratio reads the last n days only
        return uncoupled_ratio(self.load_au[max(i + 1 - n, 0) : i + 1], self.params.acute_days, n)

    def monotony(self, i: int) -> float | None:
        """Monotony of the window ending on day ``i``."""
        n = self.params.monotony_days
        if i + 1 < n:
            return None
        return monotony(self.load_au[i + 1 - n : i + 1], self.params.monotony_cap)

    def warming_up(self, i: int) -> bool:
        """Tell whether the series is still shorter than the chronic time constant."""
        return i + self.days_before + 1 < self.params.chronic_days


def daily_trend(
    first_date: dt.date,
    load_au: Iterable[float],
    params: TrendParameters = _DEFAULT_TREND,
    *,
    seed: tuple[float, float] | None = None,
    days_before: int = 0,
) -> DailyTrend:
    """Compute the acute and chronic averages of a daily load series starting on ``first_date``.

    ``seed`` is the acute and chronic average on the day before ``first_date``, after
    ``days_before`` days of history (a stored state); without it the series is the whole history.
    """
    x = _floats(load_au)
    acute, chronic = (None, None) if seed is None else seed
    return DailyTrend(
        first_date=first_date,
        load_au=x,
        acute_au=ewma(x, params.acute_days, params.convention, seed=acute),
        chronic_au=ewma(x, params.chronic_days, params.convention, seed=chronic),
        params=params,
        days_before=days_before,
    )


def trend_until(trend: DailyTrend, day: dt.date) -> DailyTrend | None:
    """The trend up to ``day``: the values computing it from the first day to ``day`` gives (averages look back only).

    None when ``day`` is before the trend's first day, as :func:`build_review` has no trend then.
    """
    n = trend.index(day) + 1
    if n <= 0:
        return None
    return DailyTrend(
        first_date=trend.first_date,
        load_au=trend.load_au[:n],
        acute_au=trend.acute_au[:n],
        chronic_au=trend.chronic_au[:n],
        params=trend.params,
        days_before=trend.days_before,
    )


__all__ = [
    "DailyTrend",
    "daily_trend",
    "ewma",
    "ewma_lambda",
    "monotony",
    "rolling_ratio",
    "spike_ratio",
    "trend_until",
    "uncoupled_ratio",
]
