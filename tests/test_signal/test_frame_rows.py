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


def _rest_bias_as_written_before(acc: np.ndarray, gyr: np.ndarray, fs: float) -> np.ndarray:
    """``_rest_bias`` with NumPy's mean, norm and cross (the code the written-out form replaced)."""
    b = acc.shape[0]
    edge = max(1, b // 5)
    d0, d1 = acc[:edge].mean(axis=0), acc[b - edge :].mean(axis=0)
    d0, d1 = d0 / np.linalg.norm(d0), d1 / np.linalg.norm(d1)
    mid = (d0 + d1) / np.linalg.norm(d0 + d1)
    return np.asarray(gyr.mean(axis=0) - (-np.degrees(np.cross(mid, d1 - d0)) / ((b - edge) / fs)))


@settings(max_examples=150, deadline=None)
@given(
    rows=st.integers(2, 300), seed=st.integers(0, 2**16), tilt=st.floats(0.0, 3.0), fs=st.sampled_from([52.0, 100.0])
)
def test_the_rest_bias_is_the_one_numpys_functions_gave(rows: int, seed: int, tilt: float, fs: float) -> None:
    from types import SimpleNamespace

    from calfload.signal._frame import _rest_bias

    rng = np.random.default_rng(seed)
    angle = np.linspace(0.0, tilt, rows)
    acc = np.column_stack([9.81 * np.sin(angle), 0.3 * rng.normal(size=rows), 9.81 * np.cos(angle)])
    acc += 0.05 * rng.normal(size=(rows, 3))
    gyr = rng.normal(size=(rows, 3)) + np.array([0.4, -0.2, 1.0])
    imu = SimpleNamespace(acc_mps2=acc, gyr_dps=gyr, fs_hz=fs)
    got = _rest_bias(imu, 0, rows)  # type: ignore[arg-type]
    assert np.array_equal(got, _rest_bias_as_written_before(acc, gyr, fs))
