"""The strides' block means from the grid's columns (``signal._trajectory_grid``): the rows averaged, to the bit."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest

from calfload.signal._grid import grid_column_windows, grid_plan, grid_rows
from calfload.signal._trajectory import _blocks
from calfload.signal._trajectory_grid import MAX_SUMMED_BLOCK, column_block_means


def _bits(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a, dtype=np.float64).tobytes()


def _samples(rate_hz: float, jitter_s: float, seed: int) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    t = np.sort(np.arange(30_000) / rate_hz + rng.normal(0, jitter_s, 30_000))
    t = t[(t < 20.0) | (t > 20.2)]  # a bridged gap
    acc = [rng.normal(0, 3, t.size).astype(np.float32) for _ in range(3)]
    gyr = [rng.normal(0, 100, t.size).astype(np.float32) for _ in range(3)]
    return t, acc, gyr


@pytest.mark.parametrize(
    ("rate_hz", "grid_hz", "jitter_s"),
    [(400.0, 200.0, 2e-4), (200.0, 200.0, 0.0), (200.0, 199.997, 0.0), (204.8, 200.0, 0.0), (1000.0, 800.0, 1e-4)],
)
@pytest.mark.parametrize("block", range(1, MAX_SUMMED_BLOCK + 1))
def test_block_means_are_the_grids_rows_averaged_to_the_bit(
    rate_hz: float, grid_hz: float, jitter_s: float, block: int
) -> None:
    """Smoothed, in-step and out-of-step grids, blocks of 1-8 rows, odd lengths and both ends of the grid.

    The rows of :func:`grid_rows` averaged by :func:`calfload.signal._trajectory._blocks` (their
    rows added in order, then divided): what the strides integrate.
    """
    t, acc, gyr = _samples(rate_hz, jitter_s, seed=block)
    plan = grid_plan(t, max_rate_hz=grid_hz, max_bridged_gap_s=0.5)

    def columns(lo: int, hi: int, sensor: Literal["acc", "gyr"]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        return grid_column_windows(t, acc if sensor == "acc" else gyr, plan, lo, hi)

    for start, end in [(0, 501), (3_991, 4_100), (5_000, 12_003), (plan.n - 307, plan.n)]:
        acc_means, gyr_means = column_block_means(columns, start, end, block)
        rows = grid_rows(t, acc, gyr, plan, start, end)
        assert acc_means.shape == (3, (end - start) // block)
        assert _bits(acc_means) == _bits(_blocks(rows.acc_mps2, block).T)
        assert _bits(gyr_means) == _bits(_blocks(rows.gyr_dps, block).T)
