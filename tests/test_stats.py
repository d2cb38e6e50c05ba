"""calfload's median, percentile and unique give NumPy's results bit for bit, and import no ``numpy.ma``."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import warnings
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from calfload import _stats
from calfload._stats import median, percentile, row_norms, row_squares, unique

_DTYPES = st.sampled_from([np.float64, np.float32, np.int64, np.int32])


def _elements(dtype: type) -> st.SearchStrategy[float] | st.SearchStrategy[int]:
    if np.issubdtype(dtype, np.integer):
        return st.integers(-1000, 1000)
    # Few distinct values, so ties and repeated middles are common; NaN and infinities included.
    special = st.sampled_from([0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, np.nan])
    return st.one_of(special, st.floats(width=32 if dtype is np.float32 else 64))


@st.composite
def _arrays(draw: st.DrawFn, max_dims: int) -> np.ndarray:
    dtype = draw(_DTYPES)
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=max_dims, min_side=1, max_side=9))
    return draw(hnp.arrays(dtype, shape, elements=_elements(dtype)))


def _same(ours: object, numpy_: object) -> None:
    assert type(ours) is type(numpy_)
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(numpy_), strict=True)


@settings(max_examples=60, deadline=None)
@given(values=_arrays(max_dims=3), data=st.data())
def test_median_is_numpys_median(values: np.ndarray, data: st.DataObject) -> None:
    """Odd and even lengths, ties, NaN and infinities, every axis: the same value, type and dtype."""
    axis = data.draw(st.sampled_from([None, *range(values.ndim)]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # inf - inf in the mean of the middle two: both warn
        _same(median(values, axis=axis), np.median(values, axis=axis))


def test_median_of_known_values() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4, 1, 3, 2]) == 2.5
    assert np.isnan(median([1.0, np.nan, 3.0]))
    # NumPy's mean of the middle values starts its sum from +0.0: the median of -0.0 is +0.0.
    for zeros in ([-0.0], [-0.0, -0.0], [-0.0, 5.0, -0.0]):
        assert np.signbit(np.median(zeros)) == np.signbit(median(zeros)) == np.signbit(median(np.array(zeros)))
    np.testing.assert_array_equal(median([[1.0, 5.0], [3.0, np.nan], [2.0, 4.0]], axis=0), [2.0, np.nan])


_PERCENT = st.one_of(st.sampled_from([0, 50, 100, 99.9]), st.floats(0, 100))


@settings(max_examples=60, deadline=None)
@given(
    values=_arrays(max_dims=2),
    q=st.one_of(_PERCENT, st.lists(_PERCENT, min_size=1, max_size=4), _PERCENT.map(np.float64)),
)
def test_percentile_is_numpys_percentile(values: np.ndarray, q: float | list[float]) -> None:
    """Scalar, NumPy scalar and list percentiles of every dtype: the same value, type and dtype."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # inf - inf between neighbours: both warn
        _same(percentile(values, q), np.percentile(values, q))
        ours, numpys = values.copy(), values.copy()
        _same(percentile(ours, q, overwrite_input=True), np.percentile(numpys, q, overwrite_input=True))


def test_percentile_of_known_values() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(np.arange(11), 90) == 9.0
    np.testing.assert_array_equal(percentile(np.arange(101.0), [1, 99]), [1.0, 99.0])
    assert np.isnan(percentile([1.0, np.nan, 3.0], 10))


@settings(max_examples=40, deadline=None)
@given(values=_arrays(max_dims=2))
def test_unique_is_numpys_unique(values: np.ndarray) -> None:
    """Sorted distinct values, NaNs counted once, the input's dtype."""
    _same(unique(values), np.unique(values))


def test_unique_of_known_values() -> None:
    np.testing.assert_array_equal(unique([3, 1, 3, 2, 1]), [1, 2, 3])
    np.testing.assert_array_equal(unique([np.nan, 1.0, np.nan]), [1.0, np.nan])
    assert unique(np.array([], dtype=np.float64)).size == 0


@settings(max_examples=80, deadline=None)
@given(
    dtype=st.sampled_from([np.float64, np.float32]),
    shape=st.tuples(st.integers(1, 40), st.integers(1, 4)),
    data=st.data(),
)
def test_row_norms_are_numpys_bit_for_bit(dtype: type, shape: tuple[int, int], data: st.DataObject) -> None:
    # Wide magnitudes, so a different order of the additions would show in the last bit.
    values = data.draw(hnp.arrays(dtype, shape, elements=st.floats(-1e6, 1e6, width=32 if dtype is np.float32 else 64)))
    values = values * data.draw(hnp.arrays(dtype, shape[1], elements=st.sampled_from([1e-3, 1.0, 7.0, 1e3])))
    for x in (values, np.asfortranarray(values)):
        _same(row_norms(x), np.linalg.norm(x, axis=1))
        _same(row_squares(x), np.sum(x**2, axis=1))


def test_neither_imports_numpy_ma() -> None:
    code = (
        "import sys\nimport numpy as np\nfrom calfload._stats import median, percentile, unique\n"
        "median(np.arange(5.0)); median(np.ones((3, 4)), axis=1); unique(np.arange(9) % 3)\n"
        "percentile(np.arange(9.0), 90); percentile(np.arange(9.0), [1, 99])\n"
        "print('numpy.ma' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _long_values(kind: str, size: int, seed: int) -> np.ndarray:
    """Over 32,768 float64 values (the order statistics' bracketing path) of several shapes of data."""
    rng = np.random.default_rng(seed)
    if kind == "spread":
        return rng.normal(0.0, 100.0, size)
    if kind == "ties":  # a few distinct values: every rank sits on a long run of one value
        return rng.choice([-3.0, 0.5, 1.5, 7.0], size)
    if kind == "zeros":  # both zeros in the middle: which one lands at a rank depends on the partition
        values = rng.normal(0.0, 1.0, size)
        values[rng.random(size) < 0.5] = 0.0
        values[rng.random(size) < 0.25] = -0.0
        return values
    if kind == "nan":
        values = rng.normal(0.0, 1.0, size)
        values[rng.integers(size)] = np.nan
        return values
    return np.abs(rng.standard_cauchy(size))  # "skewed": long tail, as |ω| of an hour


@contextlib.contextmanager
def _partitioned_whole() -> Iterator[None]:
    """Every array partitioned whole, as before the bracketing path: the reference, zeros' signs included."""
    saved = _stats._LONG
    _stats._LONG = np.iinfo(np.int64).max
    try:
        yield
    finally:
        _stats._LONG = saved


def _same_bits(ours: object, reference: object) -> None:
    _same(ours, reference)
    assert np.signbit(np.asarray(ours)).tolist() == np.signbit(np.asarray(reference)).tolist()


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["spread", "ties", "zeros", "nan", "skewed"]),
    size=st.sampled_from([32_769, 50_000, 50_001, 720_000]),
    q=st.one_of(st.sampled_from([0, 5, 50, 95, 99, 100]), st.floats(0, 100)),
    seed=st.integers(0, 1_000),
)
def test_long_arrays_median_and_percentile_are_numpys(kind: str, size: int, q: float, seed: int) -> None:
    """The bracketing path (a sample, two counts, a partition of what is inside): NumPy's values, and the
    bits of the whole partition (the sign of a zero at a rank too)."""
    values = _long_values(kind, size, seed)
    kept = values.copy()
    ours = median(values), percentile(values, q), percentile(values.copy(), q, overwrite_input=True)
    np.testing.assert_array_equal(values, kept)  # without overwrite_input, the input is not reordered
    _same(ours[0], np.median(values))
    _same(ours[1], np.percentile(values, q))
    with _partitioned_whole():
        whole = median(values), percentile(values, q), percentile(values.copy(), q, overwrite_input=True)
    for got, expected in zip(ours, whole, strict=True):
        _same_bits(got, expected)


def test_a_zero_at_a_long_arrays_rank_keeps_the_whole_partitions_sign() -> None:
    """Which zero lands at a rank depends on how the values are partitioned, and a percentile past the
    middle of two zeros keeps the upper one's sign: the bracketing path leaves zeros to the partition."""
    for seed in range(12):
        values = _long_values("zeros", 50_001, seed)
        for q in (45.0013, 55.5537, 60.3071):  # ranks among the zeros, weights past one half
            ours = percentile(values, q)
            with _partitioned_whole():
                _same_bits(ours, percentile(values, q))


@pytest.mark.parametrize("size", [1, 2, 15, 16, 255, 256, 257, 258, 1000])
@pytest.mark.parametrize("kind", ["ties", "zeros", "nan"])
def test_short_and_long_medians_are_numpys_bits(size: int, kind: str) -> None:
    """Sorted (short) or partitioned (long): the same value, the sign of a zero median included."""
    rng = np.random.default_rng(size)
    values = rng.choice([-1.5, 0.0, 2.0, 7.25], size)
    if kind == "zeros":
        values = np.where(rng.random(size) < 0.5, -0.0, 0.0)
    elif kind == "nan":
        values[rng.integers(size)] = np.nan
    ours, numpys = median(values), np.median(values)
    _same(ours, numpys)
    assert np.signbit(ours) == np.signbit(numpys)
