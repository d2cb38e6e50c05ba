"""``undo_tilt`` writes ``np.cross`` and ``np.outer`` out per column: the same bits as the formula with them."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from calfload.signal._preprocess import tilt_about_axis_deg, undo_tilt

_ROWS = st.integers(0, 40)
_FINITE = st.floats(-1e4, 1e4, allow_nan=False, width=64)


def _with_numpy(acc: np.ndarray, theta_deg: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """The rotation as it was written before, with ``np.cross`` and ``np.outer``."""
    theta = np.radians(theta_deg)[:, None]
    cos, sin = np.cos(theta), np.sin(theta)
    return np.asarray(acc * cos + np.cross(axis, acc) * sin + np.outer(acc @ axis, axis) * (1 - cos))


@settings(max_examples=60, deadline=None)
@given(
    n=_ROWS,
    data=st.data(),
    axis=arrays(np.float64, 3, elements=st.floats(-1, 1, width=64)),
)
def test_the_rotation_is_numpys_bit_for_bit(n: int, data: st.DataObject, axis: np.ndarray) -> None:
    acc = data.draw(arrays(np.float64, (n, 3), elements=_FINITE))
    theta_deg = data.draw(arrays(np.float64, n, elements=st.floats(-180, 180, width=64)))
    assert np.array_equal(undo_tilt(acc, theta_deg, axis), _with_numpy(acc, theta_deg, axis))


def test_undoing_a_tilt_gives_the_untilted_reading() -> None:
    """Gravity read by a foot pitched 20 degrees about y, rotated back, is gravity at rest (Rodrigues)."""
    axis = np.array([0.0, 1.0, 0.0])
    up = np.array([0.0, 0.0, 9.81])
    pitch = np.radians(20.0)
    tilted = np.array([[-9.81 * np.sin(pitch), 0.0, 9.81 * np.cos(pitch)]])
    theta_deg = tilt_about_axis_deg(tilted, up / 9.81, axis)
    np.testing.assert_allclose(undo_tilt(tilted, theta_deg, axis), up[None, :], atol=1e-12)
    assert abs(abs(float(theta_deg[0])) - 20.0) < 1e-9
