"""The uniform grid's plan with the median step reading measured, and the smoothing before interpolation.

The plan of a recording uses the median time step the time checks found when it was read
(:attr:`Recording.median_step_s`), skips selecting the regular steps when the longest is no gap,
and finds the gaps with array arithmetic; the grid's rows smooth each column with edge counts
convolved once for all. Each must give what the plain way gives, bit for bit: the references below are the
plain way, written out.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.recording import Recording, make_recording
from calfload.schema import ACC_MPS2, GYR_DPS, T_S, RecordingMeta
from calfload.signal._preprocess import GridPlan, _boxcar, grid_plan, grid_rows, nominal_step_s


def _reference_plan(t_s: np.ndarray, max_rate_hz: float, max_bridged_gap_s: float) -> GridPlan:
    """The plan measured step by step: median, the regular steps' mean, then each gap in turn."""
    steps = np.diff(t_s)
    typical = float(np.median(steps))
    regular = steps[steps < 4.0 * max(typical, float(np.mean(steps[:10_000])))]
    native_step_s = float(np.mean(regular)) if regular.size else typical
    native_hz = 1.0 / native_step_s
    fs_hz = min(native_hz, max_rate_hz)
    width = round(native_hz / fs_hz) if native_hz > 1.5 * fs_hz else 1
    t0 = t_s[0]
    n = int(np.floor((t_s[-1] - t0) * fs_hz)) + 1
    grid = t0 + np.arange(n) / fs_hz
    starts, ends, gaps, bridged = [0], [], [], []
    for i in np.flatnonzero(steps > max(2.5 * native_step_s, 2.0 / fs_hz)).tolist():
        a, b = float(t_s[i]), float(t_s[i + 1])
        gaps.append((a, b))
        after, resume = int(np.searchsorted(grid, a, "right")), int(np.searchsorted(grid, b, "left"))
        if b - a > max_bridged_gap_s:
            ends.append(after)
            starts.append(resume)
        else:
            bridged.append((after, resume))
    ends.append(n)
    return GridPlan(float(t0), fs_hz, n, width, np.array(starts), np.array(ends), tuple(gaps), tuple(bridged))


def _times(rate_hz: float, seconds: float, jitter: float, holes: list[tuple[float, float]], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * rate_hz)) / rate_hz
    t = np.sort(t + rng.normal(0.0, jitter / rate_hz, t.size))
    for at, length in holes:
        t = t[(t < at) | (t > at + length)]
    return t


def _assert_same_plan(plan: GridPlan, expected: GridPlan) -> None:
    assert (plan.t0_s, plan.fs_hz, plan.n, plan.width) == (expected.t0_s, expected.fs_hz, expected.n, expected.width)
    np.testing.assert_array_equal(plan.segment_starts, expected.segment_starts)
    np.testing.assert_array_equal(plan.segment_ends, expected.segment_ends)
    assert plan.gaps_s == expected.gaps_s
    assert plan.bridged_ranges == expected.bridged_ranges


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from([50.0, 100.0, 200.0, 204.8, 400.0]),
    st.sampled_from([0.0, 0.05, 0.3]),
    st.lists(st.tuples(st.floats(1.0, 55.0), st.sampled_from([0.02, 0.05, 0.4, 3.0])), max_size=6),
    st.sampled_from([100.0, 200.0]),
    st.integers(0, 1_000),
)
def test_the_plan_with_the_carried_median_is_the_plan_measured_step_by_step(
    rate_hz: float, jitter: float, holes: list[tuple[float, float]], max_rate_hz: float, seed: int
) -> None:
    # Holes of one to a few samples are jitter gaps (bridged), of 3 s long gaps; none at all keeps
    # every step regular (the longest-step shortcut), a 3 s hole makes a gap of 4 typical steps.
    t = _times(rate_hz, 60.0, jitter, holes, seed)
    expected = _reference_plan(t, max_rate_hz, 0.5)
    median_s = float(np.median(np.diff(t)))
    _assert_same_plan(grid_plan(t, max_rate_hz=max_rate_hz, max_bridged_gap_s=0.5, median_step_s=median_s), expected)
    _assert_same_plan(grid_plan(t, max_rate_hz=max_rate_hz, max_bridged_gap_s=0.5), expected)


def test_the_mean_step_of_all_steps_is_taken_only_when_the_longest_is_no_gap() -> None:
    steps = np.full(1_000, 0.01)
    steps[::7] = 0.0104
    steps[500] = 0.039  # under four typical steps (the first steps' mean, 0.01006 s here): regular
    whole = float(np.mean(steps))
    assert nominal_step_s(steps, longest_s=float(steps.max())) == whole == nominal_step_s(steps)
    steps[500] = 0.05  # over four typical steps: a gap, left out of the mean
    without = float(np.mean(np.delete(steps, 500)))
    assert nominal_step_s(steps, longest_s=float(steps.max())) == without == nominal_step_s(steps) != whole


def test_a_read_recording_carries_the_median_step_its_time_checks_found() -> None:
    t = _times(100.0, 20.0, 0.2, [(5.0, 0.05)], seed=3)
    columns = {T_S: t, **{name: np.zeros(t.size) for name in ACC_MPS2}, **{name: np.zeros(t.size) for name in GYR_DPS}}
    columns[ACC_MPS2[2]] = np.full(t.size, 9.81)
    meta = RecordingMeta(kind="imu", sample_rate_hz=100.0, start_utc=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    rec = make_recording(columns, meta, source="test")
    assert rec.median_step_s == float(np.median(np.diff(t)))
    assert rec.with_meta(side="left").median_step_s == rec.median_step_s
    # Built without reading (a cut of a recording): not known, so the grid measures it.
    assert Recording(rec.columns, rec.meta).median_step_s is None


@settings(max_examples=20, deadline=None)
@given(st.sampled_from([400.0, 600.0, 1000.0]), st.integers(0, 1_000))
def test_each_column_smoothed_with_the_shared_edge_counts_is_smoothed_alone(rate_hz: float, seed: int) -> None:
    """Native rates of two, three and five grid steps: the boxcar, then ``np.interp``, one column at a time."""
    t = _times(rate_hz, 8.0, 0.1, [(3.0, 0.01)], seed)
    rng = np.random.default_rng(seed)
    acc = [rng.normal(0, 3, t.size).astype(np.float32) for _ in range(3)]
    gyr = [rng.normal(0, 100, t.size).astype(np.float32) for _ in range(3)]
    plan = grid_plan(t, max_rate_hz=200.0, max_bridged_gap_s=0.5)
    assert plan.width == round(rate_hz / 200.0)
    rows = grid_rows(t, acc, gyr, plan, 0, plan.n)
    for got, columns in ((rows.acc_mps2, acc), (rows.gyr_dps, gyr)):
        for i, column in enumerate(columns):
            smooth = _boxcar(column[:, None], plan.width)[:, 0]
            np.testing.assert_array_equal(got[:, i], np.interp(rows.t_s, t, smooth))
