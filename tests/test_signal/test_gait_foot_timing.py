"""Steps 4 and 5 of the foot events (``signal._gait_foot_timing``): the lobe's end searched in two parts."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.signal import _gait_foot_timing as timing


def _ends_in_one_search(omega: np.ndarray, swing: np.ndarray, end_fraction: float, search: int) -> np.ndarray:
    """The lobe's end as one search of every swing's whole window (the rule as written before the two parts)."""
    nxt = np.concatenate((swing[1:], [omega.size]))
    level = -end_fraction * np.abs(omega[swing])
    out = np.full(swing.size, -1, dtype=swing.dtype)
    for k, (here, until) in enumerate(zip(swing.tolist(), nxt.tolist(), strict=True)):
        for j in range(here, min(here + max(1, search), until, omega.size)):
            if omega[j] >= level[k]:
                out[k] = j
                break
    return out


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    search=st.integers(1, 300),
    lobe=st.integers(2, 250),
    count=st.integers(1, 40),
)
def test_the_lobes_end_in_two_parts_is_the_one_search(seed: int, search: int, lobe: int, count: int) -> None:
    """Lobes ending before, at and after the first part's 64 samples, cut by the next swing or the data's end."""
    rng = np.random.default_rng(seed)
    swing = np.cumsum(rng.integers(1, 2 * lobe + 2, count)).astype(np.intp)
    n = int(swing[-1]) + int(rng.integers(1, lobe + 2))
    omega = rng.normal(0.0, 5.0, n)
    for at in swing.tolist():  # a negative lobe of random length after each peak
        length = int(rng.integers(1, 2 * lobe + 1))
        omega[at : at + length] = -100.0 * rng.uniform(0.5, 1.5) + rng.normal(0.0, 1.0, omega[at : at + length].size)
    want = _ends_in_one_search(omega, swing, 0.05, search)
    np.testing.assert_array_equal(timing.initial_contacts(omega, swing, 0.05, search), want)
