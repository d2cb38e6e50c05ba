"""Stride length, speed and distance of a recording's strides (the strides: :mod:`calfload.signal._trajectory`)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from calfload._stats import median, percentile
from calfload.signal._trajectory_types import Stride, StrideSummary, StrideTable


def summarise_strides(strides: Iterable[Stride], *, window_s: float = 10.0) -> StrideSummary | None:
    """Stride length, speed and distance of one or both feet's strides (None unless a foot has 2 valid ones).

    Parameters
    ----------
    strides
        The strides of one foot, or of both (told apart by ``side``), in time order per foot: a
        :class:`~calfload.signal._trajectory_types.StrideTable`, or rows.
    window_s
        Window of the speed series (the cadence series' window, so that the two line up).

    Returns
    -------
    StrideSummary or None
        The figures; each foot's distance counts every stride, a left-out one at the median of
        the (up to 10) valid strides nearest to it. None when no foot has two valid strides: a
        foot's distance needs its own strides (the other foot's cannot fill its left-out ones),
        and one valid stride of each foot is too little to call a walk's length or speed.
    """
    table = StrideTable.of(strides)
    valid = table.length_m[table.valid]
    measured = _distance_moving(table) if valid.size >= 2 else None
    if measured is None:
        return None
    distance, moving = measured
    return StrideSummary(
        stride_length_median_m=float(median(valid)),
        stride_length_iqr_m=(float(percentile(valid, 25)), float(percentile(valid, 75))),
        speed_mps=distance / moving if moving > 0 else 0.0,
        distance_m=distance,
        moving_s=moving,
        strides=int(valid.size),
        left_out=len(table) - int(valid.size),
        speed_series=_speed_series(table.take(table.valid), window_s),
    )


def stride_speed_distance(strides: Iterable[Stride]) -> tuple[float, float] | None:
    """Speed (m/s) and distance (m) of strides, as :func:`summarise_strides` gives them, and nothing else.

    What a bout needs of its strides (:mod:`calfload.signal._bouts_figures`), without the
    percentiles and the speed series; None unless a foot has 2 valid strides.
    """
    table = StrideTable.of(strides)
    measured = _distance_moving(table) if np.count_nonzero(table.valid) >= 2 else None
    if measured is None:
        return None
    distance, moving = measured
    return (distance / moving if moving > 0 else 0.0), distance


def _distance_moving(strides: StrideTable) -> tuple[float, float] | None:
    """Distance and time striding, each the mean of the feet's (a left-out stride at its valid neighbours' median).

    Only feet with two valid strides count; None when there is none.
    """
    distances, times = [], []
    sides = sorted(set(strides.side.tolist()))
    for side in sides:
        own = strides if len(sides) == 1 else strides.take(strides.side == side)  # one foot: all of them
        lengths, ok = own.length_m, own.valid
        if ok.sum() < 2:
            continue
        filled = lengths.copy()
        for i in np.flatnonzero(~ok):
            filled[i] = _nearby_median(lengths, ok, int(i))
        distances.append(float(filled.sum()))
        times.append(sum(own.duration_s.tolist()))  # Python's sum, in order (np.sum pairs)
    if not distances:
        return None
    if len(distances) == 1:  # one foot: np.mean of one value is that value
        return distances[0], times[0]
    return float(np.mean(distances)), float(np.mean(times))


def _speed_series(strides: StrideTable, window_s: float) -> tuple[tuple[float, float], ...]:
    """``(window centre s, speed m/s)`` per window, windows placed as the cadence series' are.

    A stride belongs to the window its middle lies in; a window's speed is its strides' lengths
    over their durations (both feet pooled). Windows without a stride are left out.
    """
    if not len(strides) or window_s <= 0:
        return ()
    middle = 0.5 * (strides.start_s + strides.end_s)
    edges = np.arange(0.0, float(middle.max()) + window_s, window_s)
    which = np.clip(np.searchsorted(edges, middle, side="right") - 1, 0, edges.size - 2)
    length = np.bincount(which, weights=strides.length_m, minlength=edges.size - 1)
    time = np.bincount(which, weights=strides.duration_s, minlength=edges.size - 1)
    used = np.flatnonzero(time > 0)
    return tuple((float(edges[w] + window_s / 2), float(length[w] / time[w])) for w in used)


def _nearby_median(lengths: np.ndarray, ok: np.ndarray, i: int) -> float:
    """Median of the (up to 10) valid lengths nearest to stride ``i``."""
    where = np.flatnonzero(ok)
    nearest = where[np.argsort(np.abs(where - i), kind="stable")[:10]]
    return float(median(lengths[nearest]))


__all__ = ["stride_speed_distance", "summarise_strides"]
