"""A phase boundary's crossing time is the one ``np.clip`` gave (the clip is now two comparisons of Python floats)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from calfload.signal._calf_sets import _crossing

_VALUES = st.floats(allow_nan=True, allow_infinity=True, width=64)


def _with_np_clip(t_s: np.ndarray, x: np.ndarray, i: int, j: int, level: float) -> float:
    """The rule as it was written before, with ``np.clip``."""
    dx = x[j] - x[i]
    frac = 0.5 if dx == 0 else float(np.clip((level - x[i]) / dx, 0.0, 1.0))
    return float(t_s[i] + frac * (t_s[j] - t_s[i]))


@settings(max_examples=200, deadline=None)
@given(xi=_VALUES, xj=_VALUES, level=st.floats(-1e6, 1e6), t0=st.floats(0, 1e5), step=st.floats(1e-3, 1.0))
@example(xi=10.0, xj=30.0, level=15.0, t0=2.0, step=0.01)  # a quarter of the way
@example(xi=math.nan, xj=1.0, level=0.5, t0=0.0, step=0.01)  # NaN stays NaN
@example(xi=5.0, xj=5.0, level=5.0, t0=0.0, step=0.01)  # flat: the midpoint
def test_the_crossing_is_the_clipped_interpolation(xi: float, xj: float, level: float, t0: float, step: float) -> None:
    t_s = np.array([t0, t0 + step])
    x = np.array([xi, xj])
    with np.errstate(all="ignore"):
        ours, theirs = _crossing(t_s, x, 0, 1, level), _with_np_clip(t_s, x, 0, 1, level)
    assert ours == theirs or (math.isnan(ours) and math.isnan(theirs))
