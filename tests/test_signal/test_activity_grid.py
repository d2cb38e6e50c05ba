"""The activity windows gridded only around spans are the whole grid's windows, bit for bit (issue 15).

The bout segmentation classifies the windows over its pauses; since issue 15 only the grid rows
under those windows are made (:func:`calfload.signal._activity_grid.window_rows`). Truth is the
whole recording on the grid (:func:`calfload.signal._preprocess.uniform_imu`, the code every other
analysis grids with): the rows, each window's span and whether the recording has a gyroscope must
be the same to the last bit, on jittered timestamps with bridged and unbridged gaps at 50-400 Hz
(boxcars of 1-8 samples), on a real IPOL walk (skipped when ../shared/validation is absent), and
for the gyroscope test where the only turning is outside the spans.
"""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload._stats import row_norms
from calfload.recording import Recording
from calfload.signal import _activity_grid as activity_grid
from calfload.signal._activity_grid import SpanWindows, stretch_rows, window_bounds, window_rows
from calfload.signal._activity_windows import ActivityParams, classified_windows
from calfload.signal._preprocess import grid_plan, imu_columns, uniform_imu
from tools.validate_cases import imu_recording

_PARAMS = ActivityParams()


def _jittered(seed: int, rate_hz: float, duration_s: float, gaps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times with jitter and ``gaps`` holes of 0.1-3 s (some bridged, some not), and float32 samples."""
    rng = np.random.default_rng(seed)
    n = int(duration_s * rate_hz)
    t = np.cumsum(rng.uniform(0.6, 1.4, n) / rate_hz)
    for at in rng.integers(1, n - 1, gaps).tolist():
        t[at:] += rng.uniform(0.1, 3.0)
    acc = (rng.normal(0, 3, (n, 3)) + np.array([0.0, 0.0, 9.81])).astype(np.float32)
    gyr = (rng.normal(0, 80, (n, 3)) * np.sin(t / 3)[:, None]).astype(np.float32)
    return t, acc, gyr


def _whole_windows(rec: Recording) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]], list[tuple[float, float]]]:
    imu = uniform_imu(rec, max_rate_hz=_PARAMS.rate_hz, max_bridged_gap_s=0.5)
    bounds = window_bounds(imu, _PARAMS)
    spans = [(float(imu.t_s[a]), float(imu.t_s[b - 1]) + 1.0 / imu.fs_hz) for a, b in bounds]
    return imu.acc_mps2, imu.gyr_dps, bounds, spans


def _check_spans(rec: Recording, spans: list[tuple[float, float]]) -> int:
    """``window_rows`` over ``spans`` holds the whole grid's windows that overlap them, row for row."""
    acc, gyr, bounds, window_spans = _whole_windows(rec)
    got = window_rows(rec, _PARAMS, spans)
    chosen = [i for i, (a, b) in enumerate(window_spans) if any(min(b, hi) > max(a, lo) for lo, hi in spans)]
    assert got.spans_s == [window_spans[i] for i in chosen]
    assert got.fs_hz == uniform_imu(rec, max_rate_hz=_PARAMS.rate_hz, max_bridged_gap_s=0.5).fs_hz
    for (a, b), i in zip(got.bounds, chosen, strict=True):
        wa, wb = bounds[i]
        assert np.array_equal(got.acc_mps2[a:b], acc[wa:wb])
        assert np.array_equal(got.gyr_dps[a:b], gyr[wa:wb])
    assert got.has_gyro == bool(np.any(np.abs(gyr) > 0.5))
    return len(chosen)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 2**31),
    st.sampled_from([50.0, 60.0, 100.0, 128.0, 204.8, 400.0]),
    st.integers(0, 4),
    st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 0.2)), min_size=1, max_size=5),
)
def test_stretches_are_the_whole_grids_rows(
    seed: int, rate_hz: float, gaps: int, cuts: list[tuple[float, float]]
) -> None:
    t, acc, gyr = _jittered(seed, rate_hz, 40.0, gaps)
    rec = imu_recording(t, acc, gyr, source="jittered")
    t_s, acc_cols, gyr_cols = imu_columns(rec)
    plan = grid_plan(t_s, max_rate_hz=_PARAMS.rate_hz, max_bridged_gap_s=0.5)
    whole = uniform_imu(rec, max_rate_hz=_PARAMS.rate_hz, max_bridged_gap_s=0.5)
    # Sorted, disjoint stretches anywhere on the grid, touching its ends too.
    stretches: list[tuple[int, int]] = []
    for at, length in sorted(cuts):
        a = max(round(at * plan.n), stretches[-1][1] if stretches else 0)
        b = min(plan.n, a + 1 + round(length * plan.n))
        if a < b:
            stretches.append((a, b))
    got_acc, got_gyr = stretch_rows(t_s, [*acc_cols, *gyr_cols], plan, stretches)
    rows = np.concatenate([np.arange(a, b) for a, b in stretches]) if stretches else np.zeros(0, dtype=int)
    assert np.array_equal(got_acc, whole.acc_mps2[rows])
    assert np.array_equal(got_gyr, whole.gyr_dps[rows])


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**31), st.sampled_from([60.0, 100.0, 204.8]), st.integers(0, 3))
def test_windows_over_spans_are_the_whole_grids_windows(seed: int, rate_hz: float, gaps: int) -> None:
    t, acc, gyr = _jittered(seed, rate_hz, 90.0, gaps)
    rec = imu_recording(t, acc, gyr, source="jittered")
    rng = np.random.default_rng(seed)
    edges = np.sort(rng.uniform(t[0] - 5, t[-1] + 5, 6))
    spans = [(float(a), float(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    _check_spans(rec, spans)
    assert _check_spans(rec, [(float(t[0]), float(t[-1]))]) == len(
        window_bounds(uniform_imu(rec, max_rate_hz=50.0, max_bridged_gap_s=0.5), _PARAMS)
    )
    assert _check_spans(rec, []) == 0


def test_a_gyroscope_turning_only_outside_the_spans_is_found() -> None:
    t, acc, _ = _jittered(5, 100.0, 120.0, 0)
    for gyr_dps, expected in ((0.0, False), (0.3, False), (0.49, False), (20.0, True)):
        gyr = np.full((t.size, 3), 0.3, dtype=np.float32)
        gyr[(t > 100) & (t < 101), 1] = gyr_dps  # turning only here, far from the span
        base = imu_recording(t, acc, gyr, source="still gyro")
        # As stored: the unit check would take a gyroscope this still for radians per second.
        rec = Recording({**base.columns, **{f"gyr_{a}_dps": gyr[:, i] for i, a in enumerate("xyz")}}, base.meta)
        assert window_rows(rec, _PARAMS, [(10.0, 20.0)]).has_gyro is expected
        assert window_rows(rec, _PARAMS).has_gyro is expected
        _check_spans(rec, [(10.0, 20.0)])


def test_a_real_walks_pauses_get_the_whole_files_windows(validation_dir: Path) -> None:
    from tools.validate_datasets import ipol_cases

    if not (validation_dir / "ipol_gait_voisard2023").is_dir():
        pytest.skip("IPOL data not present")
    case = next(ipol_cases(validation_dir, subjects=("2-1",), variants=("original",)))
    rec = case.recordings[0]
    t = rec.t_s
    spans = [(float(t[0]), float(t[0]) + 3.0), (float(t[-1]) - 6.0, float(t[-1]))]
    assert _check_spans(rec, spans) > 0
    every = classified_windows(rec, _PARAMS)
    some = classified_windows(rec, _PARAMS, spans)
    assert some == [w for w in every if any(min(w[1], b) > max(w[0], a) for a, b in spans)]


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31), st.sampled_from([60.0, 100.0, 204.8]), st.integers(0, 3))
def test_windows_asked_for_in_rounds_get_the_whole_grids_rows(seed: int, rate_hz: float, gaps: int) -> None:
    """The pause vote asks for some windows, then others (neighbours sharing rows made before)."""
    t, acc, gyr = _jittered(seed, rate_hz, 120.0, gaps)
    rec = imu_recording(t, acc, gyr, source="jittered")
    whole_acc, whole_gyr, bounds, window_spans = _whole_windows(rec)
    windows = SpanWindows(rec, _PARAMS, [(float(t[0]), float(t[-1]))])
    assert windows.spans_s == window_spans
    rng = np.random.default_rng(seed)
    rounds = rng.integers(0, 4, len(window_spans))  # each window in one of four rounds, or in a later repeat
    for r in range(5):
        chosen = np.flatnonzero((rounds == r) | ((r == 4) & (rng.random(len(window_spans)) < 0.3))).tolist()
        got = windows.rows(chosen)
        assert got.spans_s == [window_spans[i] for i in chosen]
        for (a, b), i in zip(got.bounds, chosen, strict=True):
            wa, wb = bounds[i]
            assert np.array_equal(got.acc_mps2[a:b], whole_acc[wa:wb])
            assert np.array_equal(got.gyr_dps[a:b], whole_gyr[wa:wb])


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31), st.sampled_from([60.0, 100.0, 204.8]), st.integers(0, 3))
def test_the_acceleration_norms_are_the_whole_grids_row_norms(seed: int, rate_hz: float, gaps: int) -> None:
    """``acc_norms`` of any windows is ``row_norms`` of the whole grid's rows, bit for bit, in batches of any size."""
    t, acc, gyr = _jittered(seed, rate_hz, 120.0, gaps)
    acc[np.random.default_rng(seed).integers(0, acc.shape[0], 3)] = [0.0, -0.0, 0.0]  # zero rows' norms are +0
    rec = imu_recording(t, acc, gyr, source="jittered")
    whole_acc, _, bounds, _ = _whole_windows(rec)
    whole = row_norms(whole_acc)
    windows = SpanWindows(rec, _PARAMS, [(float(t[0]), float(t[-1]))])
    rng = np.random.default_rng(seed)
    for batch_rows in (1 << 15, 257, 1):  # one batch, stretches cut across batches, one row a batch
        chosen = np.flatnonzero(rng.random(len(bounds)) < 0.5).tolist()
        with patch.object(activity_grid, "_NORM_ROWS", batch_rows):
            norms, local = windows.acc_norms(chosen)
        assert norms.dtype == np.float64
        assert norms.size == max((b for _, b in local), default=0)
        for (a, b), i in zip(local, chosen, strict=True):
            wa, wb = bounds[i]
            assert np.array_equal(norms[a:b], whole[wa:wb])
            assert not np.signbit(norms[a:b]).any()
