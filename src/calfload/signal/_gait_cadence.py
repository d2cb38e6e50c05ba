"""Steps, bouts and cadence from step (or stride) instants of one or two feet.

The steps, numbered as in the code:

1. **Step instants.** With both feet, every swing of either foot is one step; with one foot,
   every swing is one stride, i.e. two steps (the other foot is assumed to step in between,
   and the output says so). A trunk or wrist sensor gives step instants directly.
2. **Bouts.** Consecutive instants further apart than ``max_interval_s`` start a new bout
   (standing, or a long pause).
3. **Intervals.** Within a bout and within one source, each interval between consecutive
   instants gives a cadence ``120 / Δt`` (a foot's stride) or ``60 / Δt`` (a trunk or wrist
   step). A Hampel filter (half-window 2, 3 scaled MADs, as in mobgap's ``CadFromIc``) replaces
   outliers, such as the interval spanning a missed step, by the local median.
4. **Summary.** The mean cadence is the number of steps per minute of walking or running time
   (steps in bouts over their duration); the median is that of the **unfiltered** intervals
   (the median is robust already, and the Hampel filter would pull the slow strides of a start,
   stop or turn towards the local median, biasing the median cadence of a short walk upwards:
   2-3 spm on the 15-stride IPOL walks, whose reference is the plain median stride time); the
   series gives, per ``window_s`` window, the median filtered cadence of the intervals ending
   in it.

References
----------
.. [1] Küderle A. et al. mobgap ``CadFromIc``: cadence from initial contacts with a Hampel filter.
.. [2] Pearson R.K. (2002). Outliers in process modeling and identification. IEEE TCST 10(1):55-63.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calfload import _stats


@dataclass(frozen=True, slots=True, eq=False)
class Cadence:
    """Steps and cadence of a recording.

    Attributes
    ----------
    steps
        Steps (both feet).
    strides
        Swings of each analysed foot.
    bouts
        ``(start_s, end_s, steps)`` of every bout.
    interval_end_s
        Time of the end of every in-bout interval.
    interval_cadence_spm
        Filtered cadence of every in-bout interval.
    mean_spm, median_spm
        Summary cadence (NaN when there is no interval).
    active_s
        Total duration of the bouts.
    """

    steps: int
    strides: tuple[int, ...]
    bouts: tuple[tuple[float, float, int], ...]
    interval_end_s: np.ndarray
    interval_cadence_spm: np.ndarray
    mean_spm: float
    median_spm: float
    active_s: float


def cadence_from_instants(
    instants_s: list[np.ndarray], *, steps_per_instant: int, steps_per_interval: int, max_interval_s: float
) -> Cadence:
    """Count steps and measure cadence from swing or step instants (steps 1-4).

    Parameters
    ----------
    instants_s
        One array per source (foot, or trunk sensor) of swing or step times, each increasing,
        on a common clock.
    steps_per_instant
        Steps each instant stands for in the count: 2 for one foot's strides, 1 when both feet
        are given or a trunk or wrist sensor sees every step.
    steps_per_interval
        Steps between consecutive instants of one source: 2 for a foot (a stride), 1 for a trunk
        or wrist sensor. Intervals are taken within each source, so a clock offset between the
        two feet never biases the cadence.
    max_interval_s
        Longest gap between consecutive merged instants inside a bout.

    Returns
    -------
    Cadence
        Steps, bouts and per-interval cadence.
    """
    # 1. Step instants.
    strides = tuple(int(x.size) for x in instants_s)
    times = np.sort(np.concatenate(instants_s)) if instants_s else np.zeros(0)
    if times.size == 0:
        return Cadence(0, strides, (), np.zeros(0), np.zeros(0), float("nan"), float("nan"), 0.0)
    # 2. Bouts.
    breaks = np.flatnonzero(np.diff(times) > max_interval_s)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [times.size - 1]))
    bouts = tuple(
        (float(times[a]), float(times[b]), int((b - a + 1) * steps_per_instant))
        for a, b in zip(starts, ends, strict=True)
    )
    bout_of = np.repeat(np.arange(starts.size), ends - starts + 1)
    # 3. Intervals within one source and one bout, Hampel-filtered per source and bout.
    end_s: list[np.ndarray] = []
    cad: list[np.ndarray] = []
    raw: list[np.ndarray] = []
    for source in instants_s:
        which = bout_of[np.searchsorted(times, source)]
        inside = np.flatnonzero(which[1:] == which[:-1])  # intervals of one bout, bout by bout
        if inside.size:
            step_s = np.diff(source)[inside]
            end_s.append(source[1:][inside])
            cad.append(60.0 * steps_per_interval / hampel_runs(step_s, which[1:][inside]))
            raw.append(60.0 * steps_per_interval / step_s)
    order = np.argsort(np.concatenate(end_s)) if end_s else np.zeros(0, dtype=np.int64)
    interval_end = np.concatenate(end_s)[order] if end_s else np.zeros(0)
    interval_cad = np.concatenate(cad)[order] if cad else np.zeros(0)
    # 4. Summary.
    steps = int(times.size * steps_per_instant)
    active_s = float(np.sum(times[ends] - times[starts]))
    in_bout_steps = int(np.sum(ends - starts)) * steps_per_instant
    mean = 60.0 * in_bout_steps / active_s if active_s > 0 else float("nan")
    median = float(_stats.median(np.concatenate(raw))) if raw else float("nan")
    return Cadence(steps, strides, bouts, interval_end, interval_cad, mean, median, active_s)


def hampel(x: np.ndarray, half_window: int = 2, n_sigma: float = 3.0) -> np.ndarray:
    """Replace outliers by the median of their ``2 * half_window + 1`` neighbourhood.

    Parameters
    ----------
    x
        1-D series.
    half_window
        Neighbours on each side.
    n_sigma
        Outlier threshold in scaled median absolute deviations (1.4826 MAD).

    Returns
    -------
    ndarray
        Filtered copy of ``x``.
    """
    n = x.size
    if n < 3:
        return x.astype(np.float64, copy=True)
    width = 2 * half_window + 1
    padded = np.pad(x.astype(np.float64), half_window, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    med = _stats.median(windows, axis=1)
    mad = 1.4826 * _stats.median(np.abs(windows - med[:, None]), axis=1)
    out = x.astype(np.float64, copy=True)
    outlier = np.abs(x - med) > n_sigma * np.maximum(mad, 1e-9)
    out[outlier] = med[outlier]
    return out


def hampel_runs(x: np.ndarray, run: np.ndarray, half_window: int = 2, n_sigma: float = 3.0) -> np.ndarray:
    """:func:`hampel` of each run of equal ``run`` labels in ``x`` on its own, all runs at once (the same bits).

    Each value's neighbourhood is taken inside its run, the run's edge values repeated past its
    ends (:func:`hampel`'s padding); a run of fewer than 3 values is left as it is.
    """
    n = x.size
    out = x.astype(np.float64, copy=True)
    if n == 0:
        return out
    cut = np.flatnonzero(run[1:] != run[:-1]) + 1
    first = np.repeat(np.concatenate(([0], cut)), np.diff(np.concatenate(([0], cut, [n]))))
    last = np.repeat(np.concatenate((cut - 1, [n - 1])), np.diff(np.concatenate(([0], cut, [n]))))
    index = np.clip(np.arange(n)[:, None] + np.arange(-half_window, half_window + 1), first[:, None], last[:, None])
    windows = out[index]
    med = _stats.median(windows, axis=1)
    mad = 1.4826 * _stats.median(np.abs(windows - med[:, None]), axis=1)
    outlier = (np.abs(out - med) > n_sigma * np.maximum(mad, 1e-9)) & (last - first >= 2)
    out[outlier] = med[outlier]
    return out


def cadence_series(end_s: np.ndarray, cadence_spm: np.ndarray, duration_s: float, window_s: float) -> np.ndarray:
    """Median cadence per ``window_s`` window: rows of ``(window centre s, cadence spm)``.

    Windows without an interval ending in them are left out.
    """
    if end_s.size == 0 or window_s <= 0:
        return np.zeros((0, 2))
    edges = np.arange(0.0, max(duration_s, float(end_s[-1])) + window_s, window_s)
    which = np.clip(np.searchsorted(edges, end_s, side="right") - 1, 0, edges.size - 2)
    if np.isnan(cadence_spm).any():  # a NaN makes its window's median NaN: one window at a time
        order = np.argsort(which, kind="stable")
        keys, first = np.unique(which[order], return_index=True)
        medians = np.array([_stats.median(chunk) for chunk in np.split(cadence_spm[order], first[1:])])
    else:  # each window's middle one or two of its values sorted, as the median's partition finds them
        order = np.lexsort((cadence_spm, which))
        ranked, values = which[order], cadence_spm[order]
        first = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
        count = np.diff(np.concatenate((first, [ranked.size])))
        keys = ranked[first]
        lower, upper = values[first + (count - 1) // 2], values[first + count // 2]
        medians = np.where(count % 2 == 1, 0.0 + lower, ((0.0 + lower) + upper) / 2.0)  # as np.mean adds from +0.0
    return np.column_stack((edges[keys] + window_s / 2, medians))
