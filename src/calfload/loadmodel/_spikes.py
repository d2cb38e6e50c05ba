"""Single-session spikes of running (Garmin-RUNSAFE 2025) and the long-run base they must not raise.

A run is a spike when its distance or damage load is more than 1.10 × the largest of the runs of
the 30 days before it. A spike never becomes the base of the long-run cap: in its place counts the
longest run it was measured against (the pre-spike base).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calfload.loadmodel._history import History
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._session import SessionLoad
from calfload.loadmodel._trend import spike_ratio


def runs_before(history: History, run: SessionLoad, window_days: int) -> list[SessionLoad]:
    """Return the runs of the ``window_days`` calendar days before ``run``'s day (the spike reference)."""
    first = run.local_date - dt.timedelta(days=window_days)
    return [
        s
        for s in history.sessions_between(first, run.local_date)
        if s.activity == "run" and s.local_date < run.local_date
    ]


def spike_ratios(
    history: History, run: SessionLoad, params: LoadModelParameters = DEFAULT_PARAMETERS
) -> tuple[float | None, float | None]:
    """Return a run's distance and damage load over the 30-day maxima (``None`` without history)."""
    window = params.trend.spike_window_days
    return history.memo(("spike_ratios", run, window), lambda: _spike_ratios(history, run, window))


def _spike_ratios(history: History, run: SessionLoad, window: int) -> tuple[float | None, float | None]:
    before = runs_before(history, run, window)
    dist = [s.distance_m for s in before if s.distance_m]
    by_distance = spike_ratio(run.distance_m, dist) if run.distance_m and dist else None
    return by_distance, spike_ratio(run.load_au, [s.load_au for s in before])


def spike_level(ratio: float | None, params: LoadModelParameters = DEFAULT_PARAMETERS) -> int:
    """0 for no spike, 1 for a hold spike (> 1.10 ×), 2 for a back-off spike (> 2 ×)."""
    if ratio is None:
        return 0
    return 2 if ratio > params.flag.spike_back_off_ratio else 1 if ratio > params.flag.spike_hold_ratio else 0


def is_spike(history: History, run: SessionLoad, params: LoadModelParameters = DEFAULT_PARAMETERS) -> bool:
    """Whether ``run`` is a spike by distance or by damage load."""
    return any(spike_level(r, params) > 0 for r in spike_ratios(history, run, params))


@dataclass(frozen=True, slots=True, kw_only=True)
class LongRunBase:
    """The long run the cap is based on: the longest of the window with spikes replaced by their base.

    Parameters
    ----------
    distance_km, duration_min
        The base (``None`` when no run of the window had that measure).
    spikes
        Spike runs of the window, left out of the base, as ``(date, distance_km or None)``.
    """

    distance_km: float | None
    duration_min: float | None
    spikes: tuple[tuple[dt.date, float | None], ...]


def long_run_base(
    history: History, day: dt.date, params: LoadModelParameters = DEFAULT_PARAMETERS
) -> LongRunBase | None:
    """The long-run base on ``day`` (``None`` without runs in the last 30 days)."""
    window = params.trend.spike_window_days
    runs = [s for s in history.sessions_between(day - dt.timedelta(days=window), day) if s.activity == "run"]
    if not runs:
        return None
    distances: list[float] = []
    durations: list[float] = []
    spikes: list[tuple[dt.date, float | None]] = []
    for run in runs:
        counted = [run]
        if is_spike(history, run, params):
            spikes.append((run.local_date, run.distance_m / 1000.0 if run.distance_m else None))
            # Its place is taken by the pre-spike base: the runs it was measured against, spikes left out.
            counted = [s for s in runs_before(history, run, window) if not is_spike(history, s, params)]
        distances += [s.distance_m / 1000.0 for s in counted if s.distance_m]
        durations += [s.duration_s / 60.0 for s in counted if s.duration_s]
    return LongRunBase(
        distance_km=max(distances, default=None),
        duration_min=max(durations, default=None),
        spikes=tuple(spikes),
    )


__all__ = ["LongRunBase", "is_spike", "long_run_base", "runs_before", "spike_level", "spike_ratios"]
