"""NumPy's sum, mean and standard deviation in plain Python: the same bits as NumPy's (review uses them)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload._plain_sums import np_mean, np_std, np_sum

# Daily loads: zeros (rest days) and positive loads over many magnitudes, short and long series
# (NumPy adds up to 128 values in 8 running sums, longer series in halves).
_LOADS = st.lists(
    st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=5e4, allow_nan=False)),
    max_size=400,
)


@settings(max_examples=100, deadline=None)
@given(_LOADS)
def test_sum_mean_and_std_are_numpys_to_the_bit(loads: list[float]) -> None:
    x = np.asarray(loads, dtype=np.float64)
    assert np_sum(loads).hex() == float(x.sum()).hex()
    if loads:
        assert np_mean(loads).hex() == float(x.mean()).hex()
        assert np_std(loads).hex() == float(x.std()).hex()


def test_the_order_is_not_pythons() -> None:
    """Left-to-right addition differs in the last bit on these: the pairwise order is what is tested."""
    rng = np.random.default_rng(3)
    for n in (7, 8, 9, 16, 127, 128, 129, 300, 3653):
        x = rng.uniform(0.0, 300.0, n) * (rng.random(n) < 0.5)
        assert np_sum(x.tolist()) == float(x.sum())
    tenths = [0.1] * 10
    assert np_sum(tenths) == float(np.sum(tenths)) != sum(tenths)
