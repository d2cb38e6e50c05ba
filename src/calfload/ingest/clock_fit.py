"""Sample times from receive times: device-clock lines, event times, and the lower envelope they share.

Receive times are true times plus a latency that is never negative and often large (connection
intervals, bursts, scheduling), so every fit here follows the *lower envelope* of the points:
within each window the least-delayed point is kept, a line is fitted through those, and its
offset is set so that no sample is placed after it was received (:func:`lower_envelope_line`).

Device clock (PMD)
    The sensor's clock runs freely and drifts (tens of ppm) against the host's. Every frame gives
    one pair (device time of its last sample, host receive time); the line
    ``host = offset + slope * device`` maps every sample (:func:`fit_device_clock`). Drift is
    estimated over sessions of at least :data:`MIN_DRIFT_SPAN_S` (50 ppm over an hour is 180 ms;
    over a minute it is 3 ms and the slope is taken as 1).

Host time, sampled (WitMotion)
    Samples carry no time; their grid is measured from the receive times in
    :mod:`calfload.ingest.host_grid`.

Host time, event-driven (RSC, heart rate)
    These notify when the sensor has something to say; their receive times are kept
    (:func:`event_host_times`).

:mod:`calfload.ingest.timeline` applies these to a session's streams.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from calfload._logger import package_logger
from calfload._stats import median

logger = package_logger(__name__)

#: Largest believable drift between a sensor clock and the host clock.
MAX_DRIFT: Final = 1e-3
#: Shortest session over which device-clock drift is estimated (shorter: drift is negligible).
MIN_DRIFT_SPAN_S: Final = 60.0
#: Window in which the least-delayed frame is picked for the drift fit.
DRIFT_WINDOW_S: Final = 5.0


@dataclass(frozen=True, slots=True)
class LinearClock:
    """``host_ns = host0_ns + offset_ns + slope * (device_ns - device0_ns)``."""

    device0_ns: int
    host0_ns: int
    offset_ns: float
    slope: float

    def to_host_ns(self, device_ns: np.ndarray) -> np.ndarray:
        """Map device times (int64 ns) to host times (float64 ns)."""
        return self.host0_ns + self.offset_ns + self.slope * (device_ns - self.device0_ns).astype(np.float64)


def lower_envelope_line(x: np.ndarray, y: np.ndarray, *, window_ns: float, min_span_ns: float) -> tuple[float, float]:
    """Fit ``y ≈ offset + slope * x`` along the lower envelope of the points (``x`` and ``y`` in ns).

    Receive times are the true times plus a latency that is never negative and often large
    (connection events, bursts, scheduling). The earliest point of each ``window_ns`` of ``x`` is
    the one with the least latency; the slope is fitted through those points by least squares,
    and the offset puts the line under every point. When the points span less than ``min_span_ns``
    (or fewer than three windows), the slope is 1.

    Returns
    -------
    slope, offset : float
        ``y`` per ``x`` (dimensionless) and ns.
    """
    slope = 1.0
    span = float(x[-1] - x[0])
    if span >= min_span_ns:
        bins = np.floor((x - x[0]) / window_ns).astype(np.int64)
        residual = y - x
        order = np.lexsort((residual, bins))
        first = np.flatnonzero(np.diff(bins[order], prepend=-1) != 0)
        picks = order[first]
        if picks.size >= 3:
            slope = float(np.polyfit(x[picks], y[picks], 1)[0])
    return slope, float(np.min(y - slope * x))


def fit_device_clock(device_ns: np.ndarray, host_ns: np.ndarray) -> LinearClock:
    """Fit the device-to-host clock line (see the module docstring).

    Parameters
    ----------
    device_ns
        Device time of each frame's last sample.
    host_ns
        Host receive time of each frame.

    Returns
    -------
    LinearClock
        The mapping; slope 1 when the session is too short to see drift (less than
        :data:`MIN_DRIFT_SPAN_S`) or the estimate is not believable (more than :data:`MAX_DRIFT`).
    """
    d0, h0 = int(device_ns[0]), int(host_ns[0])
    x = (device_ns - d0).astype(np.float64)
    y = (host_ns - h0).astype(np.float64)
    slope, offset = lower_envelope_line(x, y, window_ns=DRIFT_WINDOW_S * 1e9, min_span_ns=MIN_DRIFT_SPAN_S * 1e9)
    if abs(slope - 1.0) > MAX_DRIFT:
        logger.warning("device clock runs %.0f ppm off the host clock; drift not corrected", (slope - 1) * 1e6)
        slope, offset = 1.0, float(np.min(y - x))
    return LinearClock(d0, h0, offset, slope)


def stretch_bounds(host_ns: np.ndarray, segment: np.ndarray, hold_ns: float) -> list[int]:
    """Bounds of the stretches: a new one at every reconnect and after ``hold_ns`` of silence."""
    breaks = np.flatnonzero((np.diff(segment) != 0) | (np.diff(host_ns) > hold_ns)) + 1
    return [0, *breaks.tolist(), host_ns.size]


def event_host_times(host_ns: np.ndarray, segment: np.ndarray) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Times of an event-driven stream (RSC, heart rate): the receive times, strictly increasing.

    These characteristics notify when the sensor has something to say, not on a sample clock, so
    no rate is imposed. A stretch ends at a reconnect or after a silence of three typical
    intervals (at least 2 s); the hole between stretches is a gap.
    """
    host_ns = np.asarray(host_ns, dtype=np.int64)
    times = host_ns.astype(np.float64)
    # Samples sharing a receive time are spread 1 µs apart (the schema needs increasing times).
    for i in np.flatnonzero(np.diff(times) <= 0) + 1:
        times[i] = times[i - 1] + 1e3
    steps = np.diff(host_ns)
    typical = float(median(steps[steps > 0])) if np.any(steps > 0) else 1e9
    gaps = [(times[a - 1], times[a]) for a in stretch_bounds(host_ns, segment, max(2e9, 3 * typical))[1:-1]]
    return times, gaps


def merge_intervals(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Union of intervals, sorted (overlapping or touching ones merge)."""
    merged: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


__all__ = [
    "DRIFT_WINDOW_S",
    "MAX_DRIFT",
    "MIN_DRIFT_SPAN_S",
    "LinearClock",
    "event_host_times",
    "fit_device_clock",
    "lower_envelope_line",
    "merge_intervals",
    "stretch_bounds",
]
