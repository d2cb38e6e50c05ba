"""Separate stretches integrated together (``signal._trajectory_apart``): the bits of one call per stretch."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.signal._trajectory import integrate_apart, integrate_strides
from calfload.units import STANDARD_GRAVITY_MPS2


def _stretch(
    rng: np.random.Generator, n: int, strides: int, rate_dps: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    acc = rng.normal(0.0, float(rng.uniform(0.5, 20.0)), (n, 3)) + np.array([0.0, 0.0, STANDARD_GRAVITY_MPS2])
    gyr = rng.normal(0.0, rate_dps, (n, 3))
    cuts = np.sort(rng.choice(n, size=min(n, 2 * strides), replace=False))
    bounds = cuts[: 2 * (cuts.size // 2)].reshape(-1, 2)
    bounds = bounds[bounds[:, 1] - bounds[:, 0] >= 4]  # a stride of two samples at least, in blocks of two
    if rng.random() < 0.3 and bounds.shape[0] > 1:  # strides that join: one ends where the next starts
        bounds[1, 0] = bounds[0, 1]
    return acc, gyr, bounds


@settings(max_examples=120, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    sizes=st.lists(st.integers(2, 420), min_size=1, max_size=7),
    fs_hz=st.sampled_from([100.0, 97.46, 200.0, 204.8]),
)
def test_stretches_integrated_together_are_each_integrated_alone(seed: int, sizes: list[int], fs_hz: float) -> None:
    """One to seven stretches, one block to dozens, one to three strides (some joined), slow and very fast turns.

    The turns' series then needs other numbers of terms in different stretches, or the exact
    functions (over 1 rad a sample), and one-stride stretches sit beside many-stride ones.
    """
    rng = np.random.default_rng(seed)
    stretches = [
        _stretch(rng, n, int(rng.integers(1, 4)), float(rng.choice([5.0, 200.0, 900.0, 40_000.0]))) for n in sizes
    ]
    together = integrate_apart(stretches, fs_hz)
    assert len(together) == len(stretches)
    for (acc, gyr, bounds), (horizontal, rise) in zip(stretches, together, strict=True):
        alone_h, alone_r = integrate_strides(acc, gyr, bounds, fs_hz)
        assert horizontal.tobytes() == alone_h.tobytes()
        assert rise.tobytes() == alone_r.tobytes()


def test_stretches_without_strides_give_nothing() -> None:
    rng = np.random.default_rng(1)
    acc, gyr, _ = _stretch(rng, 50, 1, 100.0)
    none = np.zeros((0, 2), dtype=np.int64)
    assert [(h.size, r.size) for h, r in integrate_apart([(acc, gyr, none)] * 2, 100.0)] == [(0, 0), (0, 0)]
    assert integrate_apart([], 100.0) == []
