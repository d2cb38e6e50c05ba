"""Many columns interpolated with one search (``signal._interp``): ``np.interp``'s bits."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.signal._interp import ColumnInterp, _runs


def _bits(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a, dtype=np.float64).tobytes()


def _assert_interp(x: np.ndarray, xp: np.ndarray, columns: list[np.ndarray]) -> ColumnInterp:
    search = ColumnInterp(x, xp)
    for fp in columns:
        assert _bits(search.values(fp)) == _bits(np.interp(x, xp, fp))
    return search


@settings(max_examples=150, deadline=None)
@given(
    native_hz=st.sampled_from([50.0, 100.0, 199.99, 200.0, 204.8, 400.0]),
    grid_hz=st.sampled_from([97.46, 100.0, 199.997, 200.0, 200.003]),
    jitter=st.sampled_from([0.0, 0.02, 0.3, 0.6]),
    count=st.integers(2, 400),
    start=st.floats(-5.0, 5.0),
    seed=st.integers(0, 2**16),
)
def test_values_are_numpys_interp_to_the_bit(
    native_hz: float, grid_hz: float, jitter: float, count: int, start: float, seed: int
) -> None:
    """In step and out of step, jittered native times, grid times before, on and after the native ones."""
    rng = np.random.default_rng(seed)
    xp = np.sort(1.7e3 + np.arange(count) / native_hz + rng.uniform(0, jitter / native_hz, count))
    xp = np.unique(xp)
    x = xp[0] + start / native_hz + np.arange(int(count * grid_hz / native_hz) + 3) / grid_hz
    smooth = rng.normal(0, 3, xp.size)
    columns: list[np.ndarray] = [rng.normal(0, 100, xp.size).astype(np.float32), smooth, np.round(smooth, 1)]
    _assert_interp(x, xp, columns)


def test_grid_times_on_the_native_times_take_the_native_values() -> None:
    """Equal times give the sample itself (no slope arithmetic), negative zeros and the last time included."""
    xp = np.arange(10.0)
    x = np.array([0.0, 0.5, 3.0, 3.25, 9.0])
    fp = np.array([-0.0, 1.0, 2.0, -0.0, 4.0, 5.0, 6.0, 7.0, 8.0, -0.0])
    _assert_interp(x, xp, [fp])
    assert _bits(ColumnInterp(x, xp).values(fp)[[0, 4]]) == _bits(np.array([-0.0, -0.0]))


def test_times_outside_the_native_ones_take_the_end_values() -> None:
    xp = np.linspace(1.0, 2.0, 50)
    x = np.linspace(0.5, 2.5, 80)
    _assert_interp(x, xp, [np.sin(xp), np.cos(xp).astype(np.float32)])


def test_a_non_finite_sample_follows_numpys_rule() -> None:
    """NaN and infinities (which a recording does not hold) give ``np.interp``'s values too."""
    xp = np.arange(20.0)
    x = np.arange(0.0, 19.0, 0.3)
    fp = np.arange(20.0)
    fp[[4, 5]] = np.inf
    fp[11] = np.nan
    _assert_interp(x, xp, [fp])


def test_a_grid_in_step_is_read_in_runs_and_one_out_of_step_left_to_numpy() -> None:
    """A 200 Hz sensor on its 199.997 Hz grid is a few runs of slices; 204.8 Hz on 200 Hz is ``np.interp``'s."""
    xp = 100.0 + np.arange(20_000) / 200.0
    in_step = 100.0 + np.arange(19_990) / 199.997
    runs = _runs(in_step, xp)
    assert runs is not None
    assert 1 <= len(runs) <= 3
    assert [k1 for _, k1, _ in runs][-1] == in_step.size
    on_a_zero = np.sin(xp)
    on_a_zero[:2] = -0.0, 1.0  # the first grid time is the first native time: the sample itself, not -0 + slope · 0
    assert _assert_interp(in_step, xp, [np.sin(xp), on_a_zero]).in_step
    native = 100.0 + np.arange(19_500) / 204.8
    out_of_step = 100.0 + np.arange(18_990) / 200.0
    assert _runs(out_of_step, native) is None
    assert not _assert_interp(out_of_step, native, [np.sin(native)]).in_step
