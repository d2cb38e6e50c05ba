"""Exact order statistics from a sampled bracket: the values ``np.partition`` gives, however the data lie.

The bracket is a guess from a sample; the counts must prove it or the whole array is partitioned.
So every shape of data is tried that could fool a sample: continuous values, a handful of
repeated values (a recorder's time steps), one value everywhere, long sorted or periodic runs
(a strided sample of a periodic array sees one phase), values piled at either end, and ranks at
the ends as well as the middle. Medians and percentiles must then be those of
:mod:`calfload._stats` (themselves NumPy's) bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload import _order_stats
from calfload._order_stats import SMALL, median, order_statistics, percentile
from calfload._stats import median as stats_median
from calfload._stats import percentile as stats_percentile

SHAPES = ("normal", "few", "one", "sorted", "periodic", "low pile", "high pile", "steps")


def _values(shape: str, n: int, seed: int, dtype: type) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if shape == "normal":
        values = rng.normal(9.81, 3.0, n)
    elif shape == "few":
        values = rng.choice(rng.normal(0.0, 1.0, 5), n)
    elif shape == "one":
        values = np.full(n, 0.01)
    elif shape == "sorted":
        values = np.sort(rng.exponential(1.0, n))
    elif shape == "periodic":  # period 4096: a sample strided by n // 4096 would see one phase
        values = np.tile(rng.normal(0.0, 1.0, 4096), n // 4096 + 1)[:n]
    elif shape == "low pile":
        values = np.where(rng.random(n) < 0.6, 0.0, rng.exponential(1.0, n))
    elif shape == "high pile":
        values = np.where(rng.random(n) < 0.3, 1e30, rng.normal(0.0, 1.0, n))
    else:  # a jittered 200 Hz time base: steps that differ in their last bits, and a few gaps
        t = np.cumsum(np.where(rng.random(n + 1) < 0.001, 0.01, 0.005))
        values = np.diff(t)
    return values.astype(dtype)


@settings(max_examples=40)
@given(
    shape=st.sampled_from(SHAPES),
    n=st.integers(SMALL + 1, 120_000),
    seed=st.integers(0, 2**32 - 1),
    dtype=st.sampled_from([np.float64, np.float32]),
    fractions=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=3),
)
def test_order_statistics_are_the_partitions(
    shape: str, n: int, seed: int, dtype: type, fractions: list[float]
) -> None:
    values = _values(shape, n, seed, dtype)
    kept = values.copy()
    ranks = sorted({min(n - 1, int(f * n)) for f in fractions})
    found = order_statistics(values, ranks)
    np.testing.assert_array_equal(found, np.partition(values, ranks)[ranks])
    assert found.dtype == values.dtype
    np.testing.assert_array_equal(values, kept)  # the input is not reordered


@settings(max_examples=30)
@given(
    shape=st.sampled_from(SHAPES),
    n=st.integers(2, 90_000),
    seed=st.integers(0, 2**32 - 1),
    q=st.sampled_from([0.0, 0.1, 25.0, 50.0, 75.0, 99.9, 100.0]),
)
def test_medians_and_percentiles_are_the_same_bits(shape: str, n: int, seed: int, q: float) -> None:
    values = _values(shape, n, seed, np.float64)
    assert median(values).tobytes() == stats_median(values).tobytes()
    for array in (values, values.astype(np.float32)):
        ours, theirs = percentile(array, q), stats_percentile(array, q)
        assert ours.dtype == theirs.dtype
        assert ours.tobytes() == theirs.tobytes()


@pytest.mark.parametrize("shape", ["normal", "few", "one", "periodic", "steps", "low pile"])
@pytest.mark.parametrize("fraction", [0.5, 0.75, 0.999])
def test_the_sample_settles_common_data_without_partitioning_it_all(shape: str, fraction: float) -> None:
    # The fallback (the whole array partitioned) is always right, so a bracket that never held
    # would pass every test above while costing the time this module is for.
    values = _values(shape, 200_000, 5, np.float64)
    ranks = [int(fraction * values.size) - 1, int(fraction * values.size)]
    found = _order_stats._bracketed(values, ranks)
    assert found is not None
    np.testing.assert_array_equal(found, np.partition(values, ranks)[ranks])
