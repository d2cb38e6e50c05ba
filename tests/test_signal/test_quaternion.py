"""The quaternion kernel against SciPy's ``Rotation`` (the reference implementation), fuzzed.

The component-major functions the stride kernel runs are checked against the plain ones of
``quaternion_reference.py``, which are checked against SciPy.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.transform import Rotation

from calfload import _quaternion as quat

from .quaternion_reference import from_rotvec, rotate

VECTORS = arrays(np.float64, (5, 3), elements=st.floats(-7.0, 7.0, allow_nan=False))


def _scipy(q: np.ndarray) -> Rotation:
    return Rotation.from_quat(np.roll(q, -1, axis=-1))  # SciPy is scalar last


@settings(max_examples=60)
@given(VECTORS, VECTORS)
def test_rotation_vectors_products_and_rotations_match_scipy(a: np.ndarray, b: np.ndarray) -> None:
    qa, qb = from_rotvec(a), from_rotvec(b)
    np.testing.assert_allclose(_scipy(qa).as_matrix(), Rotation.from_rotvec(a).as_matrix(), atol=1e-12)
    product = _scipy(quat.multiply(qa, qb)).as_matrix()
    np.testing.assert_allclose(product, (Rotation.from_rotvec(a) * Rotation.from_rotvec(b)).as_matrix(), atol=1e-12)
    np.testing.assert_allclose(rotate(qa, b), Rotation.from_rotvec(a).apply(b), atol=1e-12)


def test_tiny_rotation_vectors_keep_their_direction() -> None:
    v = np.array([[1e-9, 0.0, 0.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(from_rotvec(v), [[1.0, 5e-10, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]], atol=1e-15)


@settings(max_examples=60)
@given(
    arrays(np.float64, (4, 3), elements=st.floats(-20.0, 20.0, allow_nan=False)).filter(
        lambda v: bool(np.all(np.linalg.norm(v, axis=1) > 1e-3))
    )
)
def test_levelling_turns_any_direction_onto_up(v: np.ndarray) -> None:
    q = quat.align_to_up(v)
    up = rotate(q, v / np.linalg.norm(v, axis=1, keepdims=True))
    np.testing.assert_allclose(up, np.tile([0.0, 0.0, 1.0], (4, 1)), atol=1e-9)


def test_levelling_a_sensor_upside_down() -> None:
    up = rotate(quat.align_to_up(np.array([[0.0, 0.0, -9.8]])), np.array([[0.0, 0.0, -1.0]]))
    np.testing.assert_allclose(up, [[0.0, 0.0, 1.0]], atol=1e-12)


def test_levelling_a_vector_nearly_straight_down() -> None:
    v = np.array([[1e-5, 0.0, -1.0], [0.0, -3e-9, -9.8]])
    up = rotate(quat.align_to_up(v), v / np.linalg.norm(v, axis=1, keepdims=True))
    np.testing.assert_allclose(up, [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]], atol=1e-12)


QUATERNION_ROWS = arrays(np.float64, (4, 7), elements=st.floats(-3.0, 3.0, allow_nan=False)).filter(
    lambda q: bool(np.all(np.linalg.norm(q, axis=0) > 1e-3))
)


@settings(max_examples=25)
@given(QUATERNION_ROWS, QUATERNION_ROWS)
def test_the_product_into_a_buffer_is_the_product_to_the_last_bit(a: np.ndarray, b: np.ndarray) -> None:
    out, scratch = np.full((4, 7), np.nan), np.full(7, np.nan)
    assert quat.multiply_rows_into(a, b, out, scratch) is out
    assert np.array_equal(out, quat.multiply_rows(a, b))
    # And it is the Hamilton product (SciPy's composition, scalar first here).
    qa, qb = quat.normalise(a.T), quat.normalise(b.T)
    np.testing.assert_allclose(
        _scipy(quat.multiply_rows_into(qa.T, qb.T, out, scratch).T).as_matrix(),
        (_scipy(qa) * _scipy(qb)).as_matrix(),
        atol=1e-12,
    )


@settings(max_examples=40)
@given(VECTORS, VECTORS)
def test_the_component_major_kernel_equals_the_plain_functions(a: np.ndarray, b: np.ndarray) -> None:
    tiny = np.vstack((a, [[1e-9, 0.0, 0.0], [0.0, 0.0, 0.0]]))  # the small-angle series too
    rows = np.full((4, len(tiny)), np.nan)
    quat.from_rotvec_rows(np.ascontiguousarray(tiny.T), rows)
    np.testing.assert_allclose(rows.T, from_rotvec(tiny), rtol=0, atol=1e-15)
    q = from_rotvec(a)
    np.testing.assert_allclose(quat.rotate_rows(q.T, b.T).T, rotate(q, b), rtol=0, atol=1e-12)


@settings(max_examples=40)
@given(QUATERNION_ROWS, arrays(np.float64, (3, 7), elements=st.floats(-50.0, 50.0, allow_nan=False)))
def test_rotating_in_place_is_rotating_to_the_last_bit(q: np.ndarray, v: np.ndarray) -> None:
    unit = quat.normalise(q.T).T
    expected = quat.rotate_rows(unit, v)
    into = v.copy()
    assert quat.rotate_rows_in_place(unit, into) is into
    assert np.array_equal(into, expected)
    blocks = v.reshape(3, 7, 1)  # any shape after the component axis, as the stride kernel's blocks
    assert np.array_equal(quat.rotate_rows_in_place(unit.reshape(4, 7, 1), blocks.copy()), expected.reshape(3, 7, 1))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([1, 2, 511, 512, 513, 3000]))
def test_the_product_into_a_buffer_is_the_product_to_the_last_bit_few_or_many(seed: int, n: int) -> None:
    """Both ways of making it (four components together for few quaternions, one at a time for many)."""
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(4, n)), rng.normal(size=(4, n))
    b[:, : n // 3] = 0.0  # signed zeros: a product's sign moved onto its factor
    b[1, : n // 5] = -0.0
    out, scratch = np.full((4, n), np.nan), np.full(n, np.nan)
    assert quat.multiply_rows_into(a, b, out, scratch) is out
    assert np.array_equal(out, quat.multiply_rows(a, b))
    assert np.array_equal(np.signbit(out), np.signbit(quat.multiply_rows(a, b)))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_levelling_component_major_is_levelling_to_the_last_bit(seed: int, n: int) -> None:
    """Any direction, straight and nearly straight down or up, zeros of either sign in a component."""
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, 3)) * rng.choice([1e-4, 1.0, 1e3], size=(n, 3))
    special = np.array([[0.0, 0.0, -9.8], [0.0, 0.0, 9.8], [1e-5, 0.0, -1.0], [0.0, -0.0, -3.0], [-0.0, 2.0, 0.0]])
    v = np.vstack((v, special))
    v[rng.random(v.shape) < 0.1] *= -1.0
    expected = quat.align_to_up(v)
    got = quat.align_to_up_rows(np.ascontiguousarray(v.T))
    assert np.array_equal(got.T, expected)
    assert np.array_equal(np.signbit(got.T), np.signbit(expected))
