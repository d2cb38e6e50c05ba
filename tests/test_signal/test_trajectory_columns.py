"""The strides' samples component-major: every step gives the bits of the ``(n, 3)`` expression it replaced.

The zero-velocity statistic (:func:`calfload.signal._trajectory_still.shoe_statistic`), the
integration kernel's turns and weighted samples (:mod:`calfload.signal._trajectory_kernel`) and a
group's samples read column by column (:func:`calfload.signal._trajectory._group_samples`) are
compared with the row-major NumPy they stand for, to the last bit, on contiguous rows and on
transposed views (block means arrive as ``(m, 3)`` and are read through ``.T``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload import _quaternion as quat
from calfload._stats import row_norms, row_squares
from calfload.signal import _trajectory, _trajectory_kernel
from calfload.signal._grid import grid_column_windows, grid_plan, grid_rows
from calfload.signal._preprocess import UniformImu, rolling_mean
from calfload.signal._trajectory_still import shoe_statistic
from calfload.units import STANDARD_GRAVITY_MPS2


def _shoe_rows(acc: np.ndarray, gyr: np.ndarray, width: int, acc_noise: float, gyr_noise: float) -> np.ndarray:
    """The SHOE statistic as it was written on ``(n, 3)`` rows (before the component-major version)."""
    mean_acc = rolling_mean(acc, width)
    direction = mean_acc / np.maximum(row_norms(mean_acc)[:, None], 1e-9)
    specific = row_squares(acc - STANDARD_GRAVITY_MPS2 * direction) / acc_noise**2
    turning = row_squares(gyr) / gyr_noise**2
    return np.asarray(rolling_mean(specific + turning, width))


def _samples(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    acc = rng.normal(0.0, float(rng.uniform(0.1, 30.0)), (n, 3)) + np.array([0.0, 0.0, STANDARD_GRAVITY_MPS2])
    gyr = rng.normal(0.0, float(rng.uniform(0.5, 800.0)), (n, 3))
    acc[rng.random(n) < 0.05] = 0.0  # a mean of zero: the direction's floor
    return acc, gyr


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(20, 400), st.integers(1, 20))
def test_the_shoe_statistic_by_columns_equals_the_rows_to_the_bit(seed: int, n: int, width: int) -> None:
    acc, gyr = _samples(seed, n)
    fs = 100.0
    expected = _shoe_rows(acc, gyr, width, 0.5, 10.0)
    window_s = width / fs
    assert np.array_equal(shoe_statistic(acc.T, gyr.T, fs, window_s, 0.5, 10.0), expected)
    contiguous = shoe_statistic(np.ascontiguousarray(acc.T), np.ascontiguousarray(gyr.T), fs, window_s, 0.5, 10.0)
    assert np.array_equal(contiguous, expected)


def test_the_shoe_statistic_leaves_its_samples_alone() -> None:
    acc, gyr = _samples(3, 50)
    before = acc.copy(), gyr.copy()
    for width in (1, 5):
        shoe_statistic(acc.T, gyr.T, 100.0, width / 100.0, 0.5, 10.0)
    assert np.array_equal(acc, before[0])
    assert np.array_equal(gyr, before[1])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 100), st.floats(20.0, 500.0))
def test_the_turns_are_the_rates_sum_in_radians_in_the_blocks_layout(seed: int, n: int, fs: float) -> None:
    """Rows that fill their last block and rows that do not; the first sample and the padding turn by nothing."""
    _, gyr = _samples(seed, n)
    size = _trajectory_kernel._BLOCK
    blocks = -(-n // size)
    rad = np.radians(gyr)
    step = np.zeros((blocks * size, 3))
    np.add(rad[1:], rad[:-1], out=step[1:n])
    rotvec = np.ascontiguousarray(step.reshape(blocks, size, 3).transpose(2, 1, 0))
    rotvec *= 0.5 / fs
    expected = np.empty((4, size, blocks))
    _trajectory_kernel.quaternions_into(rotvec, expected)
    assert np.array_equal(_trajectory_kernel._turns(gyr.T, blocks, 1.0 / fs), expected)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_the_weighted_samples_are_the_rows_products_in_the_blocks_layout(seed: int, count: int) -> None:
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 40, count)
    start = np.cumsum(rng.integers(0, 4, count) + np.concatenate(([0], lengths[:-1])))
    end = start + lengths
    n = int(end[-1]) + int(rng.integers(1, 20))
    acc, _ = _samples(seed, n)
    size = _trajectory_kernel._BLOCK
    blocks = -(-n // size)
    weight = np.zeros(blocks * size)
    for a, b in zip(start.tolist(), end.tolist(), strict=True):  # u_i of the module docstring
        weight[a + 1 : b] = (b - a) - 2.0 * np.arange(1, b - a)
        weight[a] = 0.5 * (b - a - 1)
    rows = np.zeros((blocks * size, 3))
    rows[:n] = acc * weight[:n, None]
    expected = rows.reshape(blocks, size, 3).transpose(2, 1, 0)
    assert np.array_equal(_trajectory_kernel._weighted(acc.T, start, end, blocks), expected)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 3), st.integers(1, 3))
def test_a_groups_samples_read_by_columns_are_the_grids_rows(seed: int, width: int, block: int) -> None:
    """Jittered native times with a gap, plain and smoothed (``width``) grids, the rows and their block means."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.uniform(0.008, 0.012, 600) / width)
    t[300:] += 0.05
    acc = [rng.normal(0.0, 3.0, t.size).astype(np.float32) for _ in range(3)]
    gyr = [rng.normal(0.0, 90.0, t.size).astype(np.float32) for _ in range(3)]
    plan = grid_plan(t, max_rate_hz=100.0, max_bridged_gap_s=1.0)

    def rows(lo: int, hi: int) -> UniformImu:
        return grid_rows(t, acc, gyr, plan, lo, hi)

    def columns(lo: int, hi: int, sensor: Literal["acc", "gyr"]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        return grid_column_windows(t, acc if sensor == "acc" else gyr, plan, lo, hi)

    lo = int(rng.integers(0, plan.n // 2))
    hi = int(rng.integers(lo + 2, plan.n + 1))
    got_acc, got_gyr = _trajectory._group_samples((rows, columns), lo, hi, block)
    imu = rows(lo, hi)
    assert got_acc.tobytes() == _trajectory._blocks(imu.acc_mps2, block).T.tobytes()
    assert got_gyr.tobytes() == _trajectory._blocks(imu.gyr_dps, block).T.tobytes()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 9))
def test_the_blocks_running_products_are_the_products_row_by_row(seed: int, blocks: int) -> None:
    rng = np.random.default_rng(seed)
    turns = rng.normal(size=(4, _trajectory_kernel._BLOCK, blocks))
    turns /= np.sqrt(np.einsum("i...,i...->...", turns, turns))
    expected = turns.copy()
    for j in range(1, _trajectory_kernel._BLOCK):  # the scan as it was: in place, a row at a time
        expected[:, j] = quat.multiply_rows(expected[:, j - 1], expected[:, j])
    assert np.array_equal(_trajectory_kernel._scan_blocks(turns), expected)
