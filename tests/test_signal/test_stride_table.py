"""Strides as columns (:class:`StrideTable`): the same rows, and the same figures to the bit as row by row.

The row-by-row arithmetic below is the summary's before the table (each foot's moving time a
Python ``sum`` in order, the speed series' weights from the rows); a table must give the same
floats, since the figures go into every stored result.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload._stats import median
from calfload.signal._stride_summary import stride_speed_distance, summarise_strides
from calfload.signal._trajectory_types import Stride, StrideTable


def _strides(seed: int, count: int) -> list[Stride]:
    rng = np.random.default_rng(seed)
    sides = rng.choice(["left", "right"], count)
    start = np.cumsum(rng.uniform(0.5, 1.5, count))
    duration = rng.uniform(0.6, 1.4, count)
    length = rng.uniform(0.0, 3.0, count)
    valid = rng.random(count) < 0.8
    return [
        Stride(str(sides[i]), float(start[i]), float(start[i] + duration[i]), float(duration[i]), float(length[i]),
               float(length[i] / duration[i]), float(rng.normal(0, 0.1)), bool(valid[i]))
        for i in range(count)
    ]  # fmt: skip


def _row_by_row(strides: list[Stride], window_s: float) -> tuple[float, float, tuple[tuple[float, float], ...]]:
    """Distance, moving time and speed series as the summary computed them from rows."""
    distances, times = [], []
    for side in sorted({s.side for s in strides}):
        own = [s for s in strides if s.side == side]
        lengths = np.array([s.length_m for s in own])
        ok = np.array([s.valid for s in own])
        if ok.sum() < 2:
            continue
        filled = lengths.copy()
        for i in np.flatnonzero(~ok):
            where = np.flatnonzero(ok)
            filled[i] = float(median(lengths[where[np.argsort(np.abs(where - i), kind="stable")[:10]]]))
        distances.append(float(filled.sum()))
        times.append(sum(s.duration_s for s in own))
    valid = [s for s in strides if s.valid]
    middle = np.array([0.5 * (s.start_s + s.end_s) for s in valid])
    edges = np.arange(0.0, float(middle.max()) + window_s, window_s)
    which = np.clip(np.searchsorted(edges, middle, side="right") - 1, 0, edges.size - 2)
    length = np.bincount(which, weights=[s.length_m for s in valid], minlength=edges.size - 1)
    time = np.bincount(which, weights=[s.duration_s for s in valid], minlength=edges.size - 1)
    series = tuple((float(edges[w] + window_s / 2), float(length[w] / time[w])) for w in np.flatnonzero(time > 0))
    return float(np.mean(distances)), float(np.mean(times)), series


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 120))
def test_a_table_holds_its_rows_and_gives_their_figures_to_the_bit(seed: int, count: int) -> None:
    rows = _strides(seed, count)
    table = StrideTable.of(rows)
    assert list(table) == rows
    assert len(table) == count
    assert [table[i] for i in range(count)] == rows
    assert list(StrideTable.joined([table[:5], rows[5:]])) == rows
    summary = summarise_strides(table, window_s=7.0)
    if summary is None:
        assert stride_speed_distance(table) is None
        return
    distance, moving, series = _row_by_row(rows, 7.0)
    assert (summary.distance_m, summary.moving_s, summary.speed_series) == (distance, moving, series)
    assert stride_speed_distance(table) == (distance / moving, distance)
    assert summary.left_out == sum(not s.valid for s in rows)
