"""Long recordings are analysed in windows with overlap (issue 15 item 3); the results are those of one piece.

The chunk length is forced small (``GaitParams.chunk_s``) on minutes of data, so many window joins
fall inside strides, contacts and swings; every step, stride and contact time must stay the same.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.recording import Recording, make_recording
from calfload.schema import ACC_MPS2, GYR_DPS, T_S
from calfload.signal import GaitParams, analyze_gait
from calfload.signal._chunks import Chunks, chunked_lowpass, chunked_peaks, lowpass_in_place
from calfload.signal._gait_steps import side_steps
from calfload.signal._grid import _bridged, _grid_index
from calfload.signal._kernels import find_peaks
from calfload.signal._preprocess import grid_plan, grid_rows, lowpass, to_uniform_grid
from calfload.sim import RunSpec, SensorModel, simulate_run

#: Longer than any recording here: the whole piece in one window.
ONE_PIECE_S = 1e9


def _run_with_gaps() -> Recording:
    """Three minutes of simulated running at 100 Hz with jittered times, a bridged 0.3 s gap and an 8 s hole."""
    sensor = SensorModel(sample_rate_hz=100.0, timestamp_jitter_s=0.001)
    (rec,) = simulate_run(RunSpec(duration_s=180.0, cadence_spm=170.0, stand_s=12.0, sensor=sensor, seed=5)).recordings
    t = rec.t_s
    keep = ~(((t > 47.0) & (t < 47.3)) | ((t > 101.0) & (t < 109.0)))
    frame = rec.to_pandas()[keep].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make_recording(frame, rec.meta, source="run with gaps")


def _params(chunk_s: float) -> GaitParams:
    return replace(GaitParams.for_placement("foot"), chunk_s=chunk_s)


@pytest.mark.parametrize("chunk_s", [6.0, 15.5])  # windows of 12 and 31 s at 100 Hz (window_s)
def test_a_run_analysed_in_short_chunks_has_the_same_steps_and_contacts(chunk_s: float) -> None:
    rec = _run_with_gaps()
    whole = side_steps(rec, 0.0, "foot", _params(ONE_PIECE_S))
    chunked = side_steps(rec, 0.0, "foot", _params(chunk_s))
    assert whole.instants_s.size > 180  # 156 s of running at 85 strides/min, less the hole
    np.testing.assert_allclose(chunked.instants_s, whole.instants_s, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(chunked.contacts_ms, whole.contacts_ms)
    np.testing.assert_array_equal(chunked.strides_s, whole.strides_s)
    a = analyze_gait(rec, activity="run", params=_params(ONE_PIECE_S)).to_dict()
    b = analyze_gait(rec, activity="run", params=_params(chunk_s)).to_dict()
    assert b == a


def _gaitmap_left(validation_dir: Path) -> Recording:
    csv = validation_dir / "gaitmap_example_data" / "imu_sample.csv"
    if not csv.exists():
        pytest.skip("gaitmap example data not in ../shared/validation")
    from tools.validate_cases import imu_recording

    data = pd.read_csv(csv, header=[0, 1], index_col=0)["left_sensor"]
    t = np.arange(len(data)) / 204.8
    return imu_recording(
        t,
        data[["acc_x", "acc_y", "acc_z"]].to_numpy(dtype=np.float64),
        data[["gyr_x", "gyr_y", "gyr_z"]].to_numpy(dtype=np.float64),
        source=csv.name,
        side="left",
        model="NilsPod",
    )


def test_the_real_gaitmap_walk_in_short_chunks_has_the_same_strides(validation_dir: Path) -> None:
    rec = _gaitmap_left(validation_dir)
    whole = side_steps(rec, 0.0, "foot", _params(ONE_PIECE_S))
    chunked = side_steps(rec, 0.0, "foot", _params(11.0))
    assert whole.instants_s.size >= 20
    np.testing.assert_allclose(chunked.instants_s, whole.instants_s, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(chunked.contacts_ms, whole.contacts_ms)


def test_the_gaitmap_walk_tiled_to_an_hour_gains_no_strides_at_tile_or_chunk_joins(validation_dir: Path) -> None:
    """Regression for the benchmark's real case: one copy's strides times the copies, joins add none."""
    rec = _gaitmap_left(validation_dir)
    single = side_steps(rec, 0.0, "foot", _params(ONE_PIECE_S)).instants_s.size
    t = rec.t_s
    period = float(t[-1] - t[0]) + 1 / 204.8
    copies = round(3600.0 / period)
    columns = {T_S: np.concatenate([t - t[0] + k * period for k in range(copies)])}
    for name in (*ACC_MPS2, *GYR_DPS):
        columns[name] = np.tile(rec.column(name), copies)
    tiled = make_recording(columns, rec.meta, source="gaitmap walk tiled")
    default = side_steps(tiled, 0.0, "foot", GaitParams.for_placement("foot"))
    assert tiled.duration_s > 3500.0 > GaitParams().chunk_s
    # The walk starts and ends standing, so a join cuts no stride: exactly the copies' strides.
    assert default.instants_s.size == copies * single
    gaps = np.diff(default.instants_s)
    assert gaps.min() > GaitParams().min_stride_s  # no stride found twice where two windows meet


def test_grid_rows_equal_the_same_rows_of_the_whole_grid() -> None:
    """400 Hz jittered samples (averaged in pairs onto a 200 Hz grid) with a bridged and an unbridged gap."""
    rng = np.random.default_rng(2)
    t = np.arange(40_000) / 400.0 + rng.normal(0, 2e-4, 40_000)
    t = np.sort(t[(t < 20.0) | (t > 20.2)])
    t = t[(t < 60.0) | (t > 64.0)]
    acc = [rng.normal(0, 3, t.size).astype(np.float32) for _ in range(3)]
    gyr = [rng.normal(0, 100, t.size).astype(np.float32) for _ in range(3)]
    whole = to_uniform_grid(t, np.column_stack(acc), np.column_stack(gyr), max_rate_hz=200.0, max_bridged_gap_s=0.5)
    plan = grid_plan(t, max_rate_hz=200.0, max_bridged_gap_s=0.5)
    assert plan.width == 2
    assert plan.n == whole.t_s.size
    assert len(plan.segment_starts) == 2
    for start, end in [(0, 500), (3_990, 4_100), (5_000, 12_000), (12_700, 12_900), (plan.n - 300, plan.n)]:
        part = grid_rows(t, acc, gyr, plan, start, end)
        np.testing.assert_array_equal(part.t_s, whole.t_s[start:end])
        np.testing.assert_array_equal(part.acc_mps2, whole.acc_mps2[start:end])
        np.testing.assert_array_equal(part.gyr_dps, whole.gyr_dps[start:end])
        np.testing.assert_array_equal(part.bridged, whole.bridged[start:end])
        np.testing.assert_array_equal(plan.times_s(np.arange(start, end)), whole.t_s[start:end])
        assert part.gaps_s == tuple(g for g in plan.gaps_s if part.t_s[0] <= g[0] < part.t_s[-1])


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-50.0, 50.0),
    st.sampled_from([50.0, 100.0, 104.0, 200.0, 204.8, 1000.0]),
    st.integers(1, 5_000),
    st.lists(st.floats(-0.5, 1.1), min_size=1, max_size=20),
)
def test_grid_index_is_searchsorted_in_the_whole_grid(t0: float, fs_hz: float, n: int, where: list[float]) -> None:
    grid = t0 + np.arange(n) / fs_hz
    # Times on, between and beyond the grid points.
    t = np.concatenate([t0 + np.array(where) * n / fs_hz, grid[:: max(1, n // 7)]])
    for side in ("left", "right"):
        expected = np.searchsorted(grid, t, side=side)
        np.testing.assert_array_equal(_grid_index(t0, fs_hz, n, t, side), expected)


def test_chunked_filter_and_peaks_match_the_whole_signal() -> None:
    """A 2 Hz low-pass (the slowest in the gait analysis) forgets a window's start within the margin."""
    rng = np.random.default_rng(4)
    fs = 50.0
    x = np.cumsum(rng.normal(0, 1, 30_000))
    chunks = Chunks.of(x.size, fs, 40.0)
    assert len(list(chunks.windows())) == 15
    smooth = lowpass(x[:, None], 2.0, fs)[:, 0]
    np.testing.assert_allclose(chunked_lowpass(x, 2.0, fs, chunks), smooth, rtol=0, atol=1e-9 * np.abs(x).max())
    peaks, _ = find_peaks(smooth, distance=20, prominence=0.5)
    np.testing.assert_array_equal(chunked_peaks(smooth, chunks, distance=20, prominence=0.5), peaks)


@settings(max_examples=60, deadline=None)
@given(st.integers(60, 3_000), st.floats(0.05, 80.0), st.integers(1, 3), st.integers(0, 2**31 - 1))
def test_the_low_pass_in_place_is_the_chunked_one(n: int, chunk_s: float, channels: int, seed: int) -> None:
    """Cores shorter than the margins (windows reading several cores back), as long, longer, one window."""
    fs = 10.0  # a 1 s margin of 10 samples
    x = np.cumsum(np.random.default_rng(seed).normal(0, 1, (n, channels)), axis=0)
    chunks = Chunks.of(n, fs, chunk_s)
    expected = np.column_stack([chunked_lowpass(x[:, c], 2.0, fs, chunks) for c in range(channels)])
    lowpass_in_place(x, 2.0, fs, chunks)
    np.testing.assert_array_equal(x, expected)
    one = x[:, 0].copy()
    lowpass_in_place(one, 2.0, fs, chunks)  # 1-D
    np.testing.assert_array_equal(one, chunked_lowpass(x[:, 0], 2.0, fs, chunks))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=0, max_size=40), st.integers(0, 120), st.integers(1, 60))
def test_bridged_rows_are_those_the_ranges_cover(steps: list[int], start: int, length: int) -> None:
    # Disjoint, time-ordered ranges (touching, empty, before, across and after the rows), marked
    # as the loop over each range marked them.
    edges = np.cumsum(steps).tolist()
    ranges = tuple((int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=False))
    plan = replace(grid_plan(np.arange(200) / 100.0, max_rate_hz=100.0, max_bridged_gap_s=2.0), bridged_ranges=ranges)
    end = start + length
    expected = np.zeros(length, dtype=bool)
    for i, j in ranges:
        expected[max(i, start) - start : max(min(j, end), start) - start] = True
    np.testing.assert_array_equal(_bridged(plan, start, end), expected)
