"""What the foot path keeps of the grid made straight from its columns (``signal._grid``), not from its rows."""

from __future__ import annotations

import numpy as np
import pytest

from calfload._stats import row_norms
from calfload.signal._chunks import Chunks
from calfload.signal._gait_foot_front import read_away, read_rates
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_steps import _foot_events, _piece_grid
from calfload.signal._grid import grid_plan
from calfload.signal._preprocess import imu_columns
from calfload.signal._trajectory import foot_strides
from calfload.sim import RunSpec, SensorModel, simulate_run
from calfload.units import STANDARD_GRAVITY_MPS2


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

    rows, columns = _piece_grid(t, acc, gyr, plan, 0)  # the foot path's readers of a piece from row 0

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

    rows, columns = _piece_grid(t, acc, gyr, plan, 0)  # the foot path's readers of a piece from row 0

    chunks = Chunks.of(plan.n - 3, plan.fs_hz, chunk_s)  # a piece whose end is no whole block
    want = read_rates(rows, chunks, plan.fs_hz)
    got = read_rates(rows, chunks, plan.fs_hz, columns)
    assert got[2] == want[2]
    away = read_away(rows, chunks), read_away(rows, chunks, columns)
    whole = np.abs(row_norms(rows(0, chunks.n).acc_mps2) - STANDARD_GRAVITY_MPS2)
    for a, b in ((got[0], want[0]), (got[1], want[1]), away, (away[0], whole)):
        np.testing.assert_array_equal(a, b)
