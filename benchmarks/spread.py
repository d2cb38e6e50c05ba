"""How precise a benchmark's medians are: bootstrap intervals of a median and of a ratio of two medians.

On this 2-core machine one whole command's CPU time varies by about +-15 % for the same work, quiet or
not (benchmarks/README.md), so a median of a few runs says little by itself. The intervals here are
percentile bootstrap intervals (the runs resampled with replacement, :data:`RESAMPLES` times, from a
fixed seed so that a run's figures can be reproduced from its JSON): the range in which the median
would fall in :data:`LEVEL` of repetitions of the same measurement. They assume the runs are
exchangeable, which interleaving them with the runs they are compared against (the start-up floor, the
other lengths) is there to make true when the machine's load drifts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

#: Share of resampled medians inside the interval.
LEVEL: Final = 0.90
RESAMPLES: Final = 2000
SEED: Final = 15


def median_interval(values: Sequence[float], *, level: float = LEVEL) -> tuple[float, float]:
    """The bootstrap interval of the median of ``values`` (at least one value).

    Parameters
    ----------
    values
        One figure per run.
    level
        Share of the resampled medians inside the interval.

    Returns
    -------
    tuple of float
        The interval's low and high ends.
    """
    medians = _resampled_medians(np.asarray(values, dtype=np.float64), np.random.default_rng(SEED))
    return _ends(medians, level)


def ratio_interval(
    numerator: Sequence[float], denominator: Sequence[float], *, scale: float = 1.0, level: float = LEVEL
) -> tuple[float, float]:
    """The bootstrap interval of ``scale * median(numerator) / median(denominator)``, each resampled on its own.

    Parameters
    ----------
    numerator, denominator
        One figure per run of each of two measurements (independent runs: each side is resampled apart).
    scale
        Factor of the ratio (for instance the second measurement's length over the first's).
    level
        Share of the resampled ratios inside the interval.

    Returns
    -------
    tuple of float
        The interval's low and high ends; ``(nan, nan)`` when a resampled denominator's median is not
        positive (a ratio that has no meaning).
    """
    rng = np.random.default_rng(SEED)
    top = _resampled_medians(np.asarray(numerator, dtype=np.float64), rng)
    bottom = _resampled_medians(np.asarray(denominator, dtype=np.float64), rng)
    if not (bottom > 0).all():
        return float("nan"), float("nan")
    return _ends(scale * top / bottom, level)


def _resampled_medians(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The medians of :data:`RESAMPLES` resamples (with replacement) of ``values``."""
    if values.size == 0:
        raise ValueError("no runs to resample")
    picks = rng.integers(0, values.size, size=(RESAMPLES, values.size))
    medians: np.ndarray = np.median(values[picks], axis=1)
    return medians


def _ends(figures: np.ndarray, level: float) -> tuple[float, float]:
    low, high = np.quantile(figures, [(1.0 - level) / 2.0, (1.0 + level) / 2.0])
    return float(low), float(high)


__all__ = ["LEVEL", "RESAMPLES", "SEED", "median_interval", "ratio_interval"]
