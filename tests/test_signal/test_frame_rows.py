"""The rest finder's shifted rows are the rows the index arrays it replaced picked, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.signal._frame import shifted_rows


@settings(max_examples=120, deadline=None)
@given(rows=st.integers(1, 40), shift=st.integers(0, 60), columns=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_shifted_rows_are_the_clamped_rows(rows: int, shift: int, columns: int, seed: int) -> None:
    x = np.random.default_rng(seed).normal(size=(rows, columns))
    idx = np.arange(rows)
    ahead, behind = shifted_rows(x, shift)
    assert np.array_equal(ahead, x[np.minimum(idx + shift, rows - 1)])
    assert np.array_equal(behind, x[np.maximum(idx - shift, 0)])
    assert ahead.shape == behind.shape == x.shape
