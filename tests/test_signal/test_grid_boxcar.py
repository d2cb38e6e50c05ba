"""The two-sample boxcar written out (``_grid._pair_means``) is NumPy's convolution over the edge counts, bit for bit.

The grid's anti-aliasing boxcar (:func:`calfload.signal._grid._boxcar_columns`) at width 2 (a 100 Hz
recording on the activity classifier's 50 Hz grid) no longer convolves; the reference is the
convolution it replaced, on hypothesis-drawn float32 and float64 columns with signed zeros,
infinities, NaNs and subnormals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from calfload.signal._grid import _boxcar_columns


def _special(dtype: type[np.floating[Any]]) -> list[float]:
    """Signed zeros, infinities, NaN, the smallest subnormals and the largest values of ``dtype``."""
    info = np.finfo(dtype)
    tiny, big = float(info.smallest_subnormal), float(info.max)
    return [0.0, -0.0, np.inf, -np.inf, np.nan, tiny, -tiny, big, -big, 1.0, -1.0]


def _convolved(column: np.ndarray, width: int) -> np.ndarray:
    kernel = np.ones(width)
    return np.convolve(column, kernel, mode="same") / np.convolve(np.ones(column.size), kernel, mode="same")


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    nan = np.isnan(a)
    return (
        a.dtype == b.dtype
        and np.array_equal(nan, np.isnan(b))
        and np.array_equal(a[~nan].view(np.int64), b[~nan].view(np.int64))
    )


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        arrays(
            np.float32,
            st.integers(2, 300),
            elements=st.one_of(st.floats(width=32), st.sampled_from(_special(np.float32))),
        ),
        arrays(np.float64, st.integers(2, 300), elements=st.one_of(st.floats(), st.sampled_from(_special(np.float64)))),
    )
)
def test_two_sample_boxcar_is_the_convolution(column: np.ndarray) -> None:
    other = column[::-1].copy()
    got = _boxcar_columns([column, other], 2)
    assert _same_bits(got[0], _convolved(column, 2))
    assert _same_bits(got[1], _convolved(other, 2))


def test_zeros_and_the_first_sample() -> None:
    column = np.array([-0.0, -0.0, 3.0, -0.0, -0.0, np.inf, -np.inf], dtype=np.float32)
    (got,) = _boxcar_columns([column], 2)
    assert _same_bits(got, _convolved(column, 2))
    assert not np.signbit(got[:2]).any()  # the convolution's sums start from +0.0
    assert np.isnan(got[-1])
    # Other widths and a single sample keep the convolution.
    for width, size in ((3, 50), (4, 50), (2, 1)):
        single = np.random.default_rng(width).normal(size=size)
        assert _same_bits(_boxcar_columns([single], width)[0], _convolved(single, width))
