"""The cadence's vectorised steps against the one-bout-at-a-time code they replaced (the same bits).

``cadence_from_instants`` filtered each bout's intervals with its own :func:`hampel` call and the
series took each window's median with its own call; both now run over all bouts and windows at
once (issue 15). The old forms are kept here as the references.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload._stats import median
from calfload.signal._gait_cadence import cadence_from_instants, cadence_series, hampel, hampel_runs


def _series_window_by_window(
    end_s: np.ndarray, cadence_spm: np.ndarray, duration_s: float, window_s: float
) -> np.ndarray:
    edges = np.arange(0.0, max(duration_s, float(end_s[-1])) + window_s, window_s)
    which = np.clip(np.searchsorted(edges, end_s, side="right") - 1, 0, edges.size - 2)
    order = np.argsort(which, kind="stable")
    which, values = which[order], cadence_spm[order]
    keys, first = np.unique(which, return_index=True)
    medians = np.array([median(chunk) for chunk in np.split(values, first[1:])])
    return np.column_stack((edges[keys] + window_s / 2, medians))


def _filtered_bout_by_bout(source: np.ndarray, which: np.ndarray) -> np.ndarray:
    out = []
    for bout in np.unique(which):
        chunk = source[which == bout]
        if chunk.size >= 2:
            out.append(120.0 / hampel(np.diff(chunk)))
    return np.concatenate(out) if out else np.zeros(0)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_hampel_over_runs_equals_one_run_at_a_time(seed: int) -> None:
    """Runs of 1 to 12 values, with outliers (a missed step doubles an interval)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 13, int(rng.integers(1, 8)))
    x = rng.normal(1.1, 0.05, int(sizes.sum()))
    x[rng.random(x.size) < 0.15] *= 2.0
    run = np.repeat(np.arange(sizes.size) * 3, sizes)
    expected = np.concatenate([hampel(x[run == r]) for r in np.unique(run)])
    assert np.array_equal(hampel_runs(x, run), expected)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_the_cadences_filtered_intervals_are_those_of_each_bout_alone(seed: int, two_feet: bool) -> None:
    """Walks with pauses (new bouts), missed strides and, with two feet, instants merged across feet."""
    rng = np.random.default_rng(seed)
    feet = []
    for _ in range(2 if two_feet else 1):
        gaps = rng.normal(1.1, 0.04, int(rng.integers(2, 60)))
        gaps[rng.random(gaps.size) < 0.1] = rng.uniform(3.0, 9.0)  # a pause: a new bout
        gaps[rng.random(gaps.size) < 0.05] *= 2.0  # a missed stride
        feet.append(np.cumsum(gaps))
    cad = cadence_from_instants(feet, steps_per_instant=1, steps_per_interval=2, max_interval_s=2.5 / len(feet))
    times = np.sort(np.concatenate(feet))
    breaks = np.flatnonzero(np.diff(times) > 2.5 / len(feet))
    bout_of = np.repeat(np.arange(breaks.size + 1), np.diff(np.concatenate(([0], breaks + 1, [times.size]))))
    parts = [_filtered_bout_by_bout(f, bout_of[np.searchsorted(times, f)]) for f in feet]
    ends = [f[1:][bout_of[np.searchsorted(times, f)][1:] == bout_of[np.searchsorted(times, f)][:-1]] for f in feet]
    order = np.argsort(np.concatenate(ends))
    assert np.array_equal(cad.interval_cadence_spm, np.concatenate(parts)[order])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_the_series_medians_equal_one_window_at_a_time(seed: int, with_nan: bool) -> None:
    """Windows of one to many intervals, even and odd counts, repeated values, empty windows; a NaN."""
    rng = np.random.default_rng(seed)
    end_s = np.sort(rng.uniform(0.0, 120.0, int(rng.integers(1, 80))))
    cadence = np.round(rng.normal(110.0, 8.0, end_s.size), 1)
    if with_nan:
        cadence[int(rng.integers(0, cadence.size))] = np.nan
    got = cadence_series(end_s, cadence, 100.0, 10.0)
    expected = _series_window_by_window(end_s, cadence, 100.0, 10.0)
    np.testing.assert_array_equal(got, expected)
