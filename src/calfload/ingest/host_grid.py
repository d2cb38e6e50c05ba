"""The sample grid of a host-timed sampled stream (WitMotion): its rate, its holes, its times.

Samples carry no time, only the host's receive time of their notification. Per stretch (split at
reconnects and silences) the sample period is measured from the data, the nominal rate being only
a fallback for stretches too short to measure (:func:`measured_period_ns`); samples are numbered on
that grid so lost samples leave holes (:func:`sample_indices`), and the grid is put under the lower
envelope of the receive times (:func:`smooth_host_times`, with
:func:`calfload.ingest.clock_fit.lower_envelope_line`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from calfload._stats import median
from calfload.ingest.clock_fit import lower_envelope_line, stretch_bounds

#: Shortest stretch over which a host-timed stream's period is estimated rather than nominal (s).
MIN_PERIOD_SPAN_S: Final = 10.0


def _back_in_group(host_ns: np.ndarray) -> np.ndarray:
    """For each sample, how many later samples share its receive time (one notification)."""
    n = host_ns.size
    starts_next = np.flatnonzero(np.diff(host_ns) != 0) + 1
    group_end = np.searchsorted(np.append(starts_next, n), np.arange(n), side="right")
    ends = np.append(starts_next, n)[group_end]
    return (ends - 1 - np.arange(n)).astype(np.float64)


#: Largest share of samples a stretch may have lost for its period to be measured right.
MAX_LOSS: Final = 0.3


#: Cost of one hole, as a share of the samples, against one period of mean receive delay.
HOLE_COST: Final = 10.0


def _placement_cost(y: np.ndarray, period_ns: float) -> float:
    """How badly a grid of ``period_ns`` explains the receive times ``y`` (smaller is better).

    Mean delay above the lower envelope in periods, plus :data:`HOLE_COST` times the share of
    holes: too short a period explains bursts by opening holes at regular intervals, too long one
    drifts away from the data and the delays grow.
    """
    idx = sample_indices(y, period_ns)
    residual = y - idx * period_ns
    holes = np.count_nonzero(np.diff(idx) > 1)
    return float((np.mean(residual) - np.min(residual)) / period_ns + HOLE_COST * holes / y.size)


def measured_period_ns(host_rel_ns: np.ndarray, hint_ns: float) -> float:
    """Measure a stretch's sample period from its receive times (``hint_ns`` if there are too few).

    Lost samples only make span / count longer than the period, by up to :data:`MAX_LOSS`; within
    that range the period is the one with the least :func:`_placement_cost`, or the nominal one
    when it fits about as well. A sensor that ignores its rate command is timed at the rate it
    sends: its nominal period is out of range or fits far worse.
    """
    n = host_rel_ns.size
    span = float(host_rel_ns[-1] - host_rel_ns[0])
    if n < 4 or span <= 0:
        return hint_ns
    upper = span / (n - 1)
    candidates = upper * np.exp(np.linspace(np.log(1.0 - MAX_LOSS), np.log(1.02), 240))
    costs = [_placement_cost(host_rel_ns, p) for p in candidates]
    best = int(np.argmin(costs))
    # The nominal period is the hint: kept unless the data clearly fit another one better
    # (bursty delivery can make a slightly shorter grid with a few holes look as good).
    in_range = candidates[0] <= hint_ns <= candidates[-1]
    if in_range and _placement_cost(host_rel_ns, hint_ns) <= 1.25 * costs[best] + 0.05:
        return hint_ns
    return float(candidates[best])


def sample_indices(host_rel_ns: np.ndarray, period_ns: float) -> np.ndarray:
    """Number the samples of a stretch on a grid of ``period_ns``, leaving holes for lost samples.

    Sample ``i`` can sit no later than its receive time, and no later than any later sample's
    slot minus the samples between them; receive delays are never negative, so the least-delayed
    later sample bounds how many samples were lost before ``i``. The numbering starts at 0 and
    is strictly increasing.
    """
    n = host_rel_ns.size
    j = np.arange(n, dtype=np.float64)
    slack = host_rel_ns / period_ns - _back_in_group(host_rel_ns) - j
    suffix_min = np.minimum.accumulate(slack[::-1])[::-1]
    lost_before = np.maximum(np.round(suffix_min - suffix_min[0]), 0.0)
    index: np.ndarray = (j + lost_before).astype(np.int64)
    return index


#: Widest relative difference between a stretch's measured rate and a rate the sensor supports
#: for the stretch to be timed at that supported rate (:func:`snap_period_ns`). The WitMotion
#: rates are at least a factor 2 apart, so 25 % never reaches between two of them, and a busy host
#: that bunches notifications makes a 50 Hz stream look 54-60 Hz.
SNAP_TOLERANCE: Final = 0.25


def snap_period_ns(
    period_ns: float, supported_hz: Sequence[float], tolerance_fraction: float = SNAP_TOLERANCE
) -> float | None:
    """Return the period of the supported rate nearest to ``1e9 / period_ns``, if within ``tolerance_fraction`` of it.

    A sensor that sends at one of a fixed set of rates (a WitMotion's rate codes) sends at one of
    them, give or take its clock's error: a measured rate a little off one of them comes from
    receive times delayed by the host (bunched notifications), not from the sensor.

    Examples
    --------
    >>> snap_period_ns(1e9 / 54.1, [10.0, 20.0, 50.0, 100.0])
    20000000.0
    >>> snap_period_ns(1e9 / 70.0, [50.0, 100.0]) is None
    True
    """
    if not supported_hz:
        return None
    rate_hz = 1e9 / period_ns
    nearest = min(supported_hz, key=lambda r: abs(math.log(rate_hz / r)))
    return 1e9 / nearest if abs(rate_hz / nearest - 1.0) <= tolerance_fraction else None


@dataclass(frozen=True, slots=True)
class HostTimes:
    """Sample times of a host-timed sampled stream (:func:`smooth_host_times`).

    Parameters
    ----------
    times_ns
        float64 host-clock times, strictly increasing within each stretch.
    gaps_ns
        Holes between and within stretches, as (last time before, first time after).
    rate_hz
        The rate of the longest stretch, as its samples are timed.
    measured_hz
        That stretch's rate as measured from its receive times, before any snapping.
    stretches
        Stretches (split at reconnects and silences).
    snapped
        Stretches timed at a supported rate their measured rate was within
        :data:`SNAP_TOLERANCE` of.
    """

    times_ns: np.ndarray
    gaps_ns: list[tuple[float, float]]
    rate_hz: float
    measured_hz: float
    stretches: int
    snapped: int


def count_period_ns(host_ns: np.ndarray, segment: np.ndarray) -> float | None:
    """The mean time per sample over each connection: the spans divided by the samples in them.

    A busy host delays and bunches notifications but cannot change how many samples arrive over a
    connection, so this is the rate estimate bunching cannot move (lost samples make it longer,
    by at most :data:`MAX_LOSS` in a stream worth timing). None when no connection holds two samples.
    """
    starts = np.flatnonzero(np.diff(segment, prepend=segment[0] - 1) != 0)
    ends = np.append(starts[1:], segment.size) - 1
    samples = int(np.sum(ends - starts))
    span_ns = float(np.sum(host_ns[ends] - host_ns[starts]))
    return span_ns / samples if samples > 0 and span_ns > 0 else None


def _stretch_period_ns(
    y: np.ndarray, hint_ns: float, supported_hz: Sequence[float], short_ns: float | None
) -> tuple[float, float, bool]:
    """A stretch's period, and the period measured from it, and whether that was snapped.

    A stretch of at least :data:`MIN_PERIOD_SPAN_S` is measured, snapped to a supported rate and
    refined along its lower envelope (the sensor's own clock error). A shorter one cannot tell
    bunching from a rate: with ``short_ns`` (the session's snapped count period) it takes that.
    """
    measured = measured_period_ns(y, hint_ns)
    if short_ns is not None and y[-1] < MIN_PERIOD_SPAN_S * 1e9:
        return short_ns, measured, True
    snapped = snap_period_ns(measured, supported_hz)
    period = measured if snapped is None else snapped
    idx = sample_indices(y, period)
    for _ in range(3):
        # Refine: slope of receive time against grid position, along the least-delayed samples.
        ratio, _offset = lower_envelope_line(idx * period, y, window_ns=1e9, min_span_ns=MIN_PERIOD_SPAN_S * 1e9)
        if abs(ratio - 1.0) < 1e-6:
            break
        period *= ratio
        idx = sample_indices(y, period)
    return period, measured, snapped is not None


def smooth_host_times(
    host_ns: np.ndarray, segment: np.ndarray, rate_hz: float, *, supported_hz: Sequence[float] = ()
) -> HostTimes:
    """Assign grid times to the samples of a sampled stream that only has host receive times.

    Per stretch (split at reconnects and silences), the period is measured from the data (the
    nominal ``rate_hz`` is only the fallback for stretches too short to measure) and, when the
    sensor sends at one of ``supported_hz``, snapped to the nearest of them within
    :data:`SNAP_TOLERANCE` (:func:`snap_period_ns`); samples are numbered on that grid so lost
    samples leave holes (:func:`sample_indices`), the period is refined along the lower envelope
    of receive time against sample number (the sensor's own clock error), and the grid is placed
    under every receive time. Holes of at least ``max(0.5 s, 3 periods)`` are gaps.

    With ``supported_hz``, a stretch shorter than :data:`MIN_PERIOD_SPAN_S` is timed at the
    supported rate nearest the samples counted per second over each connection
    (:func:`count_period_ns`), when within the tolerance: in a short stretch, notifications a busy
    host delayed and delivered together look like a faster rate (a 50 Hz stream measured 54-60 Hz).

    Parameters
    ----------
    host_ns
        Receive time of each sample (samples of one notification share it).
    segment
        Connection number of each sample.
    rate_hz
        Nominal rate (a hint).
    supported_hz
        The rates the sensor can send at; empty when any rate is possible.

    Returns
    -------
    HostTimes
        The times, the gaps and the rate of the longest stretch.
    """
    hint_ns = 1e9 / rate_hz
    host_ns = np.asarray(host_ns, dtype=np.int64)
    steps = np.diff(host_ns)
    typical_ns = float(median(steps[steps > 0])) if np.any(steps > 0) else hint_ns
    hold_ns = max(0.5e9, 3 * hint_ns, 3 * typical_ns)
    times = np.empty(host_ns.size, dtype=np.float64)
    gaps: list[tuple[float, float]] = []
    longest, chosen, measured, snapped = -1, hint_ns, hint_ns, 0
    bounds = stretch_bounds(host_ns, segment, hold_ns)
    counted = count_period_ns(host_ns, np.asarray(segment)) if supported_hz else None
    short_ns = snap_period_ns(counted, supported_hz) if counted is not None else None
    periods: list[float] = []
    holes: list[np.ndarray] = []
    for a, b in itertools.pairwise(bounds):
        y = (host_ns[a:b] - host_ns[a]).astype(np.float64)
        period, stretch_measured, stretch_snapped = _stretch_period_ns(y, hint_ns, supported_hz, short_ns)
        snapped += stretch_snapped
        idx = sample_indices(y, period)
        grid = idx.astype(np.float64) * period
        times[a:b] = float(host_ns[a]) + float(np.min(y - grid)) + grid
        periods.append(period)
        holes.append(np.flatnonzero(np.diff(idx) * period >= max(0.5e9, 3 * period)) + a + 1)
        if b - a > longest:
            longest, chosen, measured = b - a, period, stretch_measured
    _keep_stretches_a_period_apart(times, bounds, periods)
    for i in itertools.chain(*holes, bounds[1:-1]):
        gaps.append((times[i - 1], times[i]))
    return HostTimes(times, sorted(gaps), 1e9 / chosen, 1e9 / measured, len(bounds) - 1, snapped)


def _keep_stretches_a_period_apart(times: np.ndarray, bounds: Sequence[int], periods: Sequence[float]) -> None:
    """Move a stretch earlier where it ends less than its period before the next one starts.

    Each stretch sits as late as its receive times allow, so after a stall a stretch could start
    less than a period after the previous one (a squeezed sample, 0.34 periods was seen on a
    busy host) or even before it. Its true times are no later than where it sits, so the earlier
    stretch is the one moved, from the last boundary back: no sample is placed after it was
    received.
    """
    for k in range(len(periods) - 1, 0, -1):
        a, b = bounds[k - 1], bounds[k]
        overlap_ns = times[b - 1] + periods[k - 1] - times[b]
        if overlap_ns > 0:
            times[a:b] -= overlap_ns


__all__ = [
    "HOLE_COST",
    "MAX_LOSS",
    "MIN_PERIOD_SPAN_S",
    "SNAP_TOLERANCE",
    "HostTimes",
    "count_period_ns",
    "measured_period_ns",
    "sample_indices",
    "smooth_host_times",
    "snap_period_ns",
]
