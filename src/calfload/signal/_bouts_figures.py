"""Step 5 of :mod:`calfload.signal._bouts`: each gait bout's own figures, at a cost in proportion to the bout.

A bout's steps are the step instants from its first to its last; its cadence is what
:func:`calfload.signal._gait_cadence.cadence_from_instants` gives for the instants inside it
(only its median and mean: the Hampel-filtered series the bouts never read is not built); its
contact times, duty factor, speed and distance are of the strides that land in it, as
:func:`calfload.signal._stride_summary.summarise_strides` gives them (by
:func:`~calfload.signal._stride_summary.stride_speed_distance`: not the percentiles and the speed
series, which start at time 0, that a bout never shows). Each array of events (the instants,
the contacts, the landings) is sorted once and every bout's entries are found by bisection, not by
a mask over the recording per bout; what every bout would recompute (the duty factor of every
stride) is computed once.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from calfload._stats import median, unique
from calfload.signal._bouts_types import Bout
from calfload.signal._gait import _detect_activity
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_types import GaitAnalysis
from calfload.signal._stride_summary import stride_speed_distance
from calfload.signal._trajectory_types import StrideTable


def whole_figures(bout: Bout, analysis: GaitAnalysis) -> Bout:
    """The one gait bout of a recording of one activity: the whole file's figures."""
    imu = analysis.imu
    return replace(
        bout,
        activity=analysis.activity,
        steps=analysis.steps,
        cadence_median_spm=analysis.cadence_median_spm,
        cadence_mean_spm=analysis.cadence_mean_spm,
        ground_contact_median_ms=analysis.ground_contact_median_ms,
        duty_factor=None if imu is None else imu.duty_factor,
        speed_mps=analysis.speed_mps,
        distance_m=analysis.distance_m,
    )


def own_figures(bouts: list[Bout], analysis: GaitAnalysis, times: np.ndarray, per_instant: int) -> list[Bout]:
    """Every gait bout of ``bouts`` with its figures from the whole recording's events inside it.

    Parameters
    ----------
    bouts
        The recording's bouts; the others are returned as they are.
    analysis
        The recording's walk/run analysis (its events and stride rows).
    times
        The step instants, sorted.
    per_instant
        Steps each instant stands for.

    Returns
    -------
    list of Bout
        The gait bouts' steps and cadence are the instants from their first step to their last;
        their contact times, duty factor, speed and distance are of the strides that land in
        them (a stride runs from mid-stance to mid-stance around its landing), so the bouts'
        steps and strides add up to the file's.
    """
    gait = [b for b in bouts if b.is_gait]
    if not gait:
        return bouts
    events, params = analysis.events, analysis.params
    lo, hi = np.array([b.start_s for b in gait]), np.array([b.end_s for b in gait])
    # Each bout's rows of every array, by bisection of the array sorted once (the rows a mask
    # over the whole array would pick: the medians do not depend on their order).
    per_foot = analysis.placement in ("foot", "shank", "thigh")
    cadences = _cadences([_Sorted(x) for x in events.instants_s], lo, hi, per_foot=per_foot, params=params)
    steps = _Sorted(times).rows(lo, hi)
    contacts = _Sorted(events.contact_at_s).rows(lo, hi)
    landings = _Sorted(events.landings_s).rows(lo, hi)
    duties = events.contacts_ms / 1000.0 / events.strides_s
    zupts = _speeds_distances(StrideTable.of(analysis.stride_rows), landings)
    duty_medians, contact_medians = _medians(duties, contacts), _medians(events.contacts_ms, contacts)
    out = []
    for k, bout in enumerate(gait):
        (median_spm, mean_spm), duty, zupt = cadences[k], duty_medians[k], zupts[k]
        # Every field of Bout written out (dataclasses.replace checks them all anew for each bout;
        # tests/test_signal/test_bouts_figures.py holds Bout to these fields).
        new = Bout(
            # The duty factor of a foot decides walk or run where it can; cadence decided the cut.
            activity=bout.activity if duty is None else _detect_activity(duty, median_spm, params),
            start_s=bout.start_s,
            end_s=bout.end_s,
            part=bout.part,
            steps=per_instant * steps[k].size,
            cadence_median_spm=_finite(median_spm),
            cadence_mean_spm=_finite(mean_spm),
            ground_contact_median_ms=contact_medians[k],
            duty_factor=None if duty is None else round(duty, 3),
            speed_mps=None if zupt is None else zupt[0],
            distance_m=None if zupt is None else zupt[1],
            reps=bout.reps,
        )
        out.append(new)
    figured = iter(out)
    return [next(figured) if b.is_gait else b for b in bouts]


def _cadences(
    sources: list[_Sorted], lo: np.ndarray, hi: np.ndarray, *, per_foot: bool, params: GaitParams
) -> list[tuple[float, float]]:
    """:func:`bout_cadence` of each bout ``[lo, hi]`` of the instants ``sources``; one foot's bouts at once.

    One foot's instants in a bout without a break (no interval over ``max_stride_s``) are a run
    of the sorted array: their intervals are the bout's run of the whole array's (the same
    quotients), the medians all come from one :func:`_medians` (the same bits as ``median``),
    and the mean from the run's span. Other bouts take :func:`bout_cadence`.
    """
    if not (per_foot and len(sources) == 1):
        values = [source.values_in(lo, hi) for source in sources]
        return [bout_cadence([v[k] for v in values], per_foot, params) for k in range(lo.size)]
    (source,) = sources
    times = source.values
    bounds = list(source.bounds(lo, hi))
    per_instant, per_interval = 2, 2  # one foot's stride is two steps, and so is each interval
    gaps = np.diff(times)
    with np.errstate(divide="ignore"):  # intervals between bouts are never read
        intervals = 60.0 * per_interval / gaps
    breaks = np.concatenate(([0], np.cumsum(gaps > params.max_stride_s))).tolist()  # before each instant
    whole = [k for k, (a, b) in enumerate(bounds) if b > a and breaks[b - 1] == breaks[a]]
    medians = _medians(intervals, [np.arange(bounds[k][0], bounds[k][1] - 1) for k in whole])
    listed = times.tolist()
    out: list[tuple[float, float] | None] = [None] * len(bounds)
    for k, found in zip(whole, medians, strict=True):
        a, b = bounds[k]
        active_s = listed[b - 1] - listed[a]
        mean = 60.0 * ((b - a - 1) * per_instant) / active_s if active_s > 0 else math.nan
        out[k] = (math.nan if found is None else found), mean
    return [
        found if found is not None else bout_cadence([times[a:b]], per_foot, params)
        for found, (a, b) in zip(out, bounds, strict=True)
    ]


def _speeds_distances(table: StrideTable, landings: list[np.ndarray]) -> list[tuple[float, float] | None]:
    """:func:`stride_speed_distance` of each bout's strides, the rows ``landings[k]`` of ``table`` in its order.

    One foot's bout whose strides are one run of the table's rows, all valid, is summed on that
    run (the same sums as on a copy of it: NumPy's pairwise sum of the lengths, Python's in-order
    sum of the durations); any other bout takes the general path.
    """
    sides = table.side
    one_side = len(table) > 0 and bool(np.all(sides == sides[0]))
    lengths = np.ascontiguousarray(table.length_m)
    invalid = np.concatenate(([0], np.cumsum(~table.valid))).tolist()  # before each row
    durations = table.duration_s.tolist()
    out: list[tuple[float, float] | None] = []
    for found in landings:
        rows = np.sort(found)  # the strides in the order of the table (its sums run in that order)
        a, b = (int(rows[0]), int(rows[-1]) + 1) if rows.size else (0, 0)
        if one_side and rows.size >= 2 and b - a == rows.size and invalid[b] == invalid[a]:
            distance, moving = float(lengths[a:b].sum()), sum(durations[a:b])
            out.append(((distance / moving if moving > 0 else 0.0), distance))
        else:
            out.append(stride_speed_distance(table.take(rows)))
    return out


def _medians(values: np.ndarray, rows: list[np.ndarray]) -> list[float | None]:
    """``float(median(values[r]))`` for each ``r`` of ``rows`` (None when it is empty), all at once.

    Every group's values are sorted together, apart by group, and each group's middle one, or
    the mean of its middle two, is taken as :func:`calfload._stats.median` takes it (the sum
    started from +0.0, over the count): the same bits; NaN when the group holds one (NaN sorts last).
    """
    sizes = np.array([r.size for r in rows], dtype=np.intp)
    if not sizes.any():
        return [None] * len(rows)
    flat = values[np.concatenate(rows)]
    ordered = flat[np.lexsort((flat, np.repeat(np.arange(sizes.size), sizes)))]
    ends = np.cumsum(sizes)
    middle = ends - sizes + sizes // 2
    upper = ordered[np.minimum(middle, ordered.size - 1)]
    lower = ordered[np.clip(middle - 1, 0, ordered.size - 1)]
    found = np.where(sizes % 2 == 1, 0.0 + upper, ((0.0 + lower) + upper) / 2)
    last = ordered[np.maximum(ends - 1, 0)]
    found = np.where(np.isnan(last), last, found)
    return [m if n else None for m, n in zip(found.tolist(), sizes.tolist(), strict=True)]


class _Sorted:
    """An array sorted once (stably), to find its entries inside many closed ranges ``[lo, hi]``.

    The entries of a range are those ``(x >= lo) & (x <= hi)`` picks (NaN never).
    """

    def __init__(self, x: np.ndarray) -> None:
        self.order = np.argsort(x, kind="stable")
        self.values = x[self.order]

    def rows(self, lo: np.ndarray, hi: np.ndarray) -> list[np.ndarray]:
        """For each range, the indices into ``x`` of its entries, in the order of their values."""
        return [self.order[a:b] for a, b in self.bounds(lo, hi)]

    def values_in(self, lo: np.ndarray, hi: np.ndarray) -> list[np.ndarray]:
        """For each range, its entries' values, increasing."""
        return [self.values[a:b] for a, b in self.bounds(lo, hi)]

    def bounds(self, lo: np.ndarray, hi: np.ndarray) -> zip[tuple[int, int]]:
        """For each range, ``[a, b)`` of its entries in the sorted values."""
        first = np.searchsorted(self.values, lo, side="left").tolist()
        last = np.searchsorted(self.values, hi, side="right").tolist()
        return zip(first, last, strict=True)


def bout_cadence(instants: list[np.ndarray], per_foot: bool, params: GaitParams) -> tuple[float, float]:
    """Median and mean cadence (steps/min) of instants, exactly as the walk/run analysis computes them.

    The same steps as ``_gait._imu_cadence`` and ``cadence_from_instants`` (one foot's strides
    doubled, both feet merged, trunk steps as they are; bouts broken at long gaps; the median of
    the unfiltered intervals within one source and one bout), without the filtered series.

    Parameters
    ----------
    instants
        One increasing array of stride (foot) or step (trunk) instants per recording.
    per_foot
        True for a sensor on the foot, shank or thigh.
    params
        The analysis' parameters (``max_stride_s``).

    Returns
    -------
    tuple of float
        ``(median_spm, mean_spm)``, NaN where there are too few instants.
    """
    if per_foot:
        sources, per_instant, per_interval = instants, (1 if len(instants) == 2 else 2), 2
        max_gap_s = params.max_stride_s / len(instants)
    else:
        sources, per_instant, per_interval = [unique(np.concatenate(instants))], 1, 1
        max_gap_s = params.max_stride_s / 2
    times = np.sort(np.concatenate(sources)) if len(sources) > 1 else sources[0] if sources else np.zeros(0)
    if times.size == 0:
        return math.nan, math.nan
    gaps = np.diff(times)
    apart = gaps > max_gap_s
    if len(sources) == 1 and not apart.any():  # one source without a break (most bouts): the same figures at once
        intervals = 60.0 * per_interval / gaps
        active_s = float(times[-1] - times[0])  # np.sum of the one stretch's span is that span
        steps = (times.size - 1) * per_instant
        mean = 60.0 * steps / active_s if active_s > 0 else math.nan
        return (float(median(intervals)) if intervals.size else math.nan), mean
    breaks = np.flatnonzero(apart)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [times.size - 1]))
    if len(sources) == 1:  # one increasing source: its intervals are those not broken apart
        intervals = 60.0 * per_interval / gaps[~apart]
    else:
        bout_of = np.repeat(np.arange(starts.size), ends - starts + 1)
        raw = []
        for source in sources:
            which = bout_of[np.searchsorted(times, source)]
            raw.append(60.0 * per_interval / np.diff(source)[which[1:] == which[:-1]])
        intervals = np.concatenate(raw)
    active_s = float(np.sum(times[ends] - times[starts]))
    steps = int(np.sum(ends - starts)) * per_instant
    mean = 60.0 * steps / active_s if active_s > 0 else math.nan
    return (float(median(intervals)) if intervals.size else math.nan), mean


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


__all__ = ["bout_cadence", "own_figures", "whole_figures"]
