"""A small unit-quaternion kernel (NumPy only) for strapdown integration.

Quaternions are ``(..., 4)`` arrays, scalar first ``(w, x, y, z)``, and describe the rotation
from the sensor frame to the world frame: ``v_world = q ⊗ v_sensor ⊗ q*``. The conventions are
those of ``scipy.spatial.transform.Rotation`` (scalar last there), against which the tests check
every function.

Why not ``scipy.spatial.transform.Rotation``: importing it costs 0.3-0.5 s of CPU on this
project's machines (``scipy.spatial`` loads its whole package), more than the rest of a gait
analysis, and the analysis path imports no SciPy at all (:mod:`calfload.signal._kernels`).
"""

from __future__ import annotations

import numpy as np


def multiply(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hamilton product ``a ⊗ b`` (apply ``b`` first, then ``a``), broadcast over leading axes."""
    a, b = np.broadcast_arrays(a, b)
    return np.moveaxis(multiply_rows(np.moveaxis(a, -1, 0), np.moveaxis(b, -1, 0)), 0, -1)


def multiply_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`multiply` for component-major arrays ``(4, ...)``: each component a contiguous row (fast)."""
    aw, ax, ay, az = a
    bw, bx, by, bz = b
    return np.stack(
        (
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        )
    )


def multiply_rows_into(a: np.ndarray, b: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """:func:`multiply_rows` of ``(4, n)`` arrays written into ``out`` (no temporaries; the same bits).

    ``out`` and ``scratch`` (``(4, n)`` and ``(n,)``) must not overlap ``a`` or ``b``. Each
    component sums its four products in :func:`multiply_rows`'s order, so the result is equal
    to the last bit. Under :data:`_STACKED_MAX` quaternions, where each NumPy call's own cost
    outweighs its arithmetic (the turning gaps' few blocks), :func:`_multiply_stacked` makes the
    four components together.
    """
    if out.shape[1] < _STACKED_MAX:
        return _multiply_stacked(a, b, out)
    for row, terms in zip(out, _HAMILTON, strict=True):
        (_, i, j), rest = terms[0], terms[1:]
        np.multiply(a[i], b[j], out=row)
        for sign, i, j in rest:
            np.multiply(a[i], b[j], out=scratch)
            (np.add if sign > 0 else np.subtract)(row, scratch, out=row)
    return out


def _multiply_stacked(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> np.ndarray:
    """:func:`multiply_rows_into` in seven calls: term ``k`` of every component is ``a[k]`` times a signed row of ``b``.

    The sign goes onto ``b``'s factor (negating is exact, and ``x - y`` is ``x + (-y)``), and the
    terms are added in order: the same bits as the loop over components.
    """
    terms = b[_TERM_ROWS]  # (term, component, n)
    terms *= _TERM_SIGNS
    terms *= a[:, None]
    np.add(terms[0], terms[1], out=out)
    out += terms[2]
    out += terms[3]
    return out


#: The Hamilton product's four terms ``(sign, i, j)`` per component ``(w, x, y, z)``, in the order they are summed.
_HAMILTON: tuple[tuple[tuple[int, int, int], ...], ...] = (
    ((1, 0, 0), (-1, 1, 1), (-1, 2, 2), (-1, 3, 3)),
    ((1, 0, 1), (1, 1, 0), (1, 2, 3), (-1, 3, 2)),
    ((1, 0, 2), (-1, 1, 3), (1, 2, 0), (1, 3, 1)),
    ((1, 0, 3), (1, 1, 2), (-1, 2, 1), (1, 3, 0)),
)

#: Term ``k`` of every component multiplies ``a[k]`` (``_HAMILTON``'s ``i``) by these rows of ``b`` with these signs.
_TERM_ROWS = np.array([[_HAMILTON[c][k][2] for c in range(4)] for k in range(4)])
_TERM_SIGNS = np.array([[[float(_HAMILTON[c][k][0])] for c in range(4)] for k in range(4)])

#: Fewer quaternions than this are multiplied by :func:`_multiply_stacked` (measured: 7-13 against 21-23 us up
#: to 300, even at 1,000, slower at 5,000 where it does about twice the arithmetic).
_STACKED_MAX = 512


def align_to_up(vector: np.ndarray) -> np.ndarray:
    """The shortest rotation that turns each ``vector`` (``(..., 3)``) onto the world's +z axis.

    Used to level the sensor at a moment of zero velocity: the accelerometer then reads gravity's
    reaction, which points up. Heading (rotation about z) is left at zero.
    """
    a = vector / np.linalg.norm(vector, axis=-1, keepdims=True)
    # A vector pointing down is first turned half a turn about x (the half-angle formula below
    # loses precision as the vector nears -z).
    down = a[..., 2] < 0
    a = np.where(down[..., None], a * np.array([1.0, -1.0, -1.0]), a)
    # q = (1 + a·z, a × z), normalised: half the rotation from a to z.
    up = np.zeros_like(a)
    up[..., 2] = 1.0
    q = normalise(np.concatenate((1.0 + a[..., 2:3], np.cross(a, up)), axis=-1))
    half_turn = np.array([0.0, 1.0, 0.0, 0.0])
    return np.where(down[..., None], multiply(q, half_turn), q)


def align_to_up_rows(vector: np.ndarray) -> np.ndarray:
    """:func:`align_to_up` of ``(3, n)`` vectors, component-major, ``(4, n)``: the same bits without its per-call cost.

    The same arithmetic in the same order, one component at a time: the norms summed as
    :func:`numpy.linalg.norm` sums three or four squares (in order), the cross product with
    ``+z`` as :func:`numpy.cross` writes it (``a1·1 - a2·0``, ``a2·0 - a0·1``, ``a0·0 - a1·0``)
    and the half turn about ``x`` as :func:`multiply` makes it. ``align_to_up`` spends about
    0.2 ms on its calls whatever the count; a stride group levels one vector per stride, a
    turning gap one.
    """
    a = vector / _norms(vector)
    down = a[2] < 0
    a = np.where(down, a * np.array([[1.0], [-1.0], [-1.0]]), a)
    a0, a1, a2 = a
    q = np.empty((4, a.shape[1]))
    np.add(1.0, a2, out=q[0])
    np.subtract(a1 * 1.0, a2 * 0.0, out=q[1])
    np.subtract(a2 * 0.0, a0 * 1.0, out=q[2])
    np.subtract(a0 * 0.0, a1 * 0.0, out=q[3])
    q /= _norms(q)
    return np.where(down, multiply_rows(q, _HALF_TURN), q)


def _norms(rows: np.ndarray) -> np.ndarray:
    """Euclidean norm of each column of ``(k, n)`` rows, its squares added in order (``np.linalg.norm``'s bits)."""
    total = np.square(rows[0])
    for row in rows[1:]:
        total += np.square(row)
    return np.asarray(np.sqrt(total))


#: Half a turn about ``x`` (``(w, x, y, z)``, a column): what :func:`align_to_up` composes with a vector pointing down.
_HALF_TURN = np.array([[0.0], [1.0], [0.0], [0.0]])


def normalise(q: np.ndarray) -> np.ndarray:
    """Unit quaternions (removes the rounding drift of long products)."""
    return np.asarray(q / np.linalg.norm(q, axis=-1, keepdims=True))


def from_rotvec_rows(rotvec_rad: np.ndarray, out: np.ndarray) -> None:
    """Quaternions of ``(3, n)`` rotation vectors (axis times angle, rad), written into ``out`` ``(4, n)``.

    Component-major, with no temporaries of shape ``(n, 4)``; exact for small angles too (the
    Taylor series of sin(θ/2)/θ below 1e-6 rad).
    """
    x, y, z = rotvec_rad
    angle = x * x
    angle += y * y
    angle += z * z
    np.sqrt(angle, out=angle)
    half = 0.5 * angle
    np.cos(half, out=out[0])
    scale = np.sin(half, out=half)
    small = angle <= 1e-6
    with np.errstate(divide="ignore", invalid="ignore"):
        scale /= angle
    if small.any():
        tiny = angle[small]
        scale[small] = 0.5 - tiny**2 / 48.0
    np.multiply(rotvec_rad, scale, out=out[1:])


def rotate_rows(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotate ``(3, n)`` vectors by ``(4, n)`` unit quaternions (``q ⊗ v ⊗ q*``), component-major."""
    w, ux, uy, uz = q
    vx, vy, vz = v
    tx = 2.0 * (uy * vz - uz * vy)
    ty = 2.0 * (uz * vx - ux * vz)
    tz = 2.0 * (ux * vy - uy * vx)
    return np.stack(
        (
            vx + w * tx + (uy * tz - uz * ty),
            vy + w * ty + (uz * tx - ux * tz),
            vz + w * tz + (ux * ty - uy * tx),
        )
    )


def rotate_rows_in_place(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """:func:`rotate_rows` written over ``v`` (``(3, ...)``, not overlapping ``q``), with no temporaries; the same bits.

    ``t = 2 (u × v)`` is made whole first (every component of ``v`` is read), then each component
    becomes ``v + w t + (u × t)``, summed in :func:`rotate_rows`' order.
    """
    w, ux, uy, uz = q
    twice = np.empty_like(v)
    scratch, other = np.empty_like(v[0]), np.empty_like(v[0])
    for k, (a, b, c, d) in enumerate(((uy, 2, uz, 1), (uz, 0, ux, 2), (ux, 1, uy, 0))):
        np.multiply(a, v[b], out=twice[k])
        np.multiply(c, v[d], out=scratch)
        np.subtract(twice[k], scratch, out=twice[k])
        np.multiply(twice[k], 2.0, out=twice[k])
    tx, ty, tz = twice
    for k, (a, c, b, d) in enumerate(((uy, tz, uz, ty), (uz, tx, ux, tz), (ux, ty, uy, tx))):
        np.multiply(w, twice[k], out=scratch)
        np.add(v[k], scratch, out=v[k])
        np.multiply(a, c, out=scratch)
        np.multiply(b, d, out=other)
        np.subtract(scratch, other, out=scratch)
        np.add(v[k], scratch, out=v[k])
    return v
