"""What the foot path keeps of the grid made straight from its columns (``signal._grid``), not from its rows."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest

from calfload._stats import row_norms
from calfload.signal._chunks import Chunks
from calfload.signal._gait_foot_front import read_away, read_rates
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_steps import _foot_events
from calfload.signal._grid import MAX_SUMMED_BLOCK, grid_block_means, grid_column_windows, grid_plan, grid_rows
from calfload.signal._preprocess import UniformImu, imu_columns
from calfload.signal._trajectory import _blocks, foot_strides
from calfload.sim import RunSpec, SensorModel, simulate_run
from calfload.units import STANDARD_GRAVITY_MPS2


def _samples(rate_hz: float, jitter_s: float, seed: int) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    t = np.sort(np.arange(30_000) / rate_hz + rng.normal(0, jitter_s, 30_000))
    t = t[(t < 20.0) | (t > 20.2)]  # a bridged gap
    acc = [rng.normal(0, 3, t.size).astype(np.float32) for _ in range(3)]
    gyr = [rng.normal(0, 100, t.size).astype(np.float32) for _ in range(3)]
    return t, acc, gyr


@pytest.mark.parametrize(
    ("rate_hz", "grid_hz", "jitter_s"), [(400.0, 200.0, 2e-4), (200.0, 200.0, 0.0), (1000.0, 800.0, 1e-4)]
)
@pytest.mark.parametrize("block", range(2, MAX_SUMMED_BLOCK + 1))
def test_block_means_are_the_rows_averaged_to_the_bit(
    rate_hz: float, grid_hz: float, jitter_s: float, block: int
) -> None:
    """Smoothed (400 Hz onto 200) and plain grids, blocks of 2-8 rows, odd lengths and both ends of the grid."""
    t, acc, gyr = _samples(rate_hz, jitter_s, seed=block)
    plan = grid_plan(t, max_rate_hz=grid_hz, max_bridged_gap_s=0.5)
    for start, end in [(0, 501), (3_991, 4_100), (5_000, 12_003), (plan.n - 307, plan.n)]:
        rows = grid_rows(t, acc, gyr, plan, start, end)
        acc_means, gyr_means = grid_block_means(t, acc, gyr, plan, start, end, block)
        np.testing.assert_array_equal(acc_means, _blocks(rows.acc_mps2, block))
        np.testing.assert_array_equal(gyr_means, _blocks(rows.gyr_dps, block))


@pytest.mark.parametrize("block", [0, 1, MAX_SUMMED_BLOCK + 1])
def test_other_blocks_are_refused(block: int) -> None:
    t, acc, gyr = _samples(200.0, 0.0, seed=1)
    plan = grid_plan(t, max_rate_hz=200.0, max_bridged_gap_s=0.5)
    with pytest.raises(ValueError, match="blocks of 2 to 8 rows"):
        grid_block_means(t, acc, gyr, plan, 0, 100, block)


@pytest.mark.parametrize("rate_hz", [200.0, 400.0])
def test_the_strides_from_the_columns_are_the_strides_from_rows(rate_hz: float) -> None:
    """A simulated run at 200 Hz and at 400 Hz (smoothed onto the 200 Hz grid), averaged in pairs: the same strides.

    The block means are made from the grid's columns (``signal._trajectory_grid``), not from ``rows``.
    """
    sensor = SensorModel(sample_rate_hz=rate_hz)
    (rec,) = simulate_run(RunSpec(duration_s=60.0, cadence_spm=170.0, sensor=sensor, seed=3)).recordings
    params = GaitParams.for_placement("foot")
    t, acc, gyr = imu_columns(rec)
    plan = grid_plan(t, max_rate_hz=params.max_rate_hz, max_bridged_gap_s=params.max_bridged_gap_s)

    def rows(lo: int, hi: int) -> UniformImu:
        return grid_rows(t, acc, gyr, plan, lo, hi)

    def columns(lo: int, hi: int, sensor: Literal["acc", "gyr"]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        return grid_column_windows(t, acc if sensor == "acc" else gyr, plan, lo, hi)

    events = _foot_events(rows, plan.n, plan.fs_hz, params)
    from_rows = foot_strides(rows, plan.n, plan.fs_hz, events, plan.times_s, side="left")
    from_means = foot_strides(rows, plan.n, plan.fs_hz, events, plan.times_s, side="left", columns=columns)
    assert len(from_rows) > 60
    for name in ("start_s", "end_s", "duration_s", "length_m", "speed_mps", "rise_m", "valid"):
        np.testing.assert_array_equal(getattr(from_means, name), getattr(from_rows, name))


@pytest.mark.parametrize(("rate_hz", "chunk_s"), [(200.0, 7.31), (400.0, 11.005), (104.0, 5.01)])
def test_the_foot_events_rates_read_from_the_columns_are_those_from_the_rows(rate_hz: float, chunk_s: float) -> None:
    """Windows of rows against columns interpolated into what is kept (cores of no whole block: blocks across them)."""
    sensor = SensorModel(sample_rate_hz=rate_hz, timestamp_jitter_s=0.0005)
    (rec,) = simulate_run(RunSpec(duration_s=40.0, cadence_spm=170.0, sensor=sensor, seed=4)).recordings
    t, acc, gyr = imu_columns(rec)
    plan = grid_plan(t, max_rate_hz=200.0, max_bridged_gap_s=0.5)

    def rows(lo: int, hi: int) -> UniformImu:
        return grid_rows(t, acc, gyr, plan, lo, hi)

    def columns(lo: int, hi: int, sensor: Literal["acc", "gyr"]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        return grid_column_windows(t, acc if sensor == "acc" else gyr, plan, lo, hi)

    chunks = Chunks.of(plan.n - 3, plan.fs_hz, chunk_s)  # a piece whose end is no whole block
    want = read_rates(rows, chunks, plan.fs_hz)
    got = read_rates(rows, chunks, plan.fs_hz, columns)
    assert got[2] == want[2]
    away = read_away(rows, chunks), read_away(rows, chunks, columns)
    whole = np.abs(row_norms(rows(0, chunks.n).acc_mps2) - STANDARD_GRAVITY_MPS2)
    for a, b in ((got[0], want[0]), (got[1], want[1]), away, (away[0], whole)):
        np.testing.assert_array_equal(a, b)
