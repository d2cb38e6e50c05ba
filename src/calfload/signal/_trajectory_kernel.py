"""The stride integration kernel: steps 2-6 of :mod:`calfload.signal._trajectory` for many strides at once.

A stride runs from a still sample ``a`` to the next still sample ``a + L``. With ``f_i`` the
gravity-free acceleration of its sample ``i`` in the stride's levelled frame and ``dt`` the sample
period, the module's steps 5 and 6 are

- velocity by the trapezoid rule, ``c_d = Σ_{i<d} (f_i + f_{i+1}) dt/2``;
- the linear de-drift, ``v_d = c_d - c_L d/L`` (zero at both still ends);
- position by the trapezoid rule, ``p_L = Σ_{d<L} (v_d + v_{d+1}) dt/2``.

Both sums are linear in ``f``, so the displacement is one weighted sum, ``p_L = dt²/2 Σ_{i=0}^{L} u_i
f_i`` with ``u_0 = (L-1)/2``, ``u_i = L - 2i`` for ``0 < i < L`` and ``u_L = -(L-1)/2``. With the
levelling rotation ``R_up`` (step 2), the orientation ``Q_i`` integrated from the stride's start
(step 3) and gravity removed (step 4), ``f_i = R_up R(Q_i) a_i - g ẑ``; the ``u_i`` of ``i < L``
add up to ``(L-1)/2``, so

    p_L = dt²/2 · [R_up Σ_{i<L} u_i R(Q_i) a_i  -  g ẑ (L-1)/2  -  (L-1)/2 · f_L].

``f_L``, the end sample, is the next stride's first sample in that stride's frame when it starts
there, and zero otherwise (the foot is still; it belongs to no stride), as the previous kernel
integrated it across the seam.

**Orientation without a per-stride loop.** With ``P`` the running product of every sample's turn
over the whole group, a stride's own orientation is ``Q_i = P_a* ⊗ P_i``, so
``Σ u_i R(Q_i) a_i = R(P_a)ᵀ Σ u_i R(P_i) a_i``. ``P`` is made in blocks of :data:`_BLOCK`
samples: inside each block by one sequential pass over its rows (whole columns of blocks at a
time), the orientation each block starts from (``C_b``) by a parallel scan of the blocks' totals.
Then ``R(P_i) a_i = R(C_b) R(X_i) a_i`` with ``X`` the in-block product: each sample is rotated by
its in-block orientation only, and ``R(C_b)`` is applied to the sums of the pieces of a stride in
one block. Arithmetic per sample: one quaternion product and one rotation, where the per-sample
parallel scan it replaced took one product per doubling of the longest stride.

**Turns.** A sample's turn is the unit quaternion of its rotation vector ``θ`` (midpoint rule);
``cos(θ/2)`` and ``sin(θ/2)/θ`` are summed as their Taylor series in ``θ²``, with as many terms
as the group's largest angle needs for the remainder to stay below 2⁻⁶⁰ (no square root or
trigonometric call, which took a third of the kernel); above 1 rad per sample the exact functions
are used. The result agrees with the per-stride integration to about 1e-12 m
(``tests/test_signal/test_trajectory_kernel.py``).
"""

from __future__ import annotations

import math

import numpy as np

from calfload import _quaternion as quat
from calfload.units import STANDARD_GRAVITY_MPS2

#: Samples per block of the running orientation product (the pass inside blocks is sequential).
_BLOCK = 16

#: The series of cos(h) and sin(h)/(2h) in h² (h half the angle): coefficient k of each.
_COS = tuple((-1) ** k / math.factorial(2 * k) for k in range(16))
_HALF_SINC = tuple(0.5 * (-1) ** k / math.factorial(2 * k + 1) for k in range(16))

_IDENTITY = np.array([1.0, 0.0, 0.0, 0.0])

#: Radians per degree: ``x * _RAD_PER_DEG`` is :func:`numpy.radians` of ``x`` to the bit (NumPy's ``deg2rad``).
_RAD_PER_DEG = np.pi / 180.0

#: Largest (θ/2)² summed as a series (θ = 1 rad per sample); larger angles use cos and sin.
_SERIES_MAX = 0.25


def stride_displacements(
    acc_mps2: np.ndarray, gyr_dps: np.ndarray, bounds: np.ndarray, fs_hz: float, level_window_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal length (m) and rise (m) of consecutive strides (steps 2-6, the module docstring).

    Parameters
    ----------
    acc_mps2, gyr_dps
        ``(3, n)`` accelerometer (m/s²) and gyroscope (deg/s) samples at ``fs_hz``, component-major
        (a component's samples along a row, as :mod:`calfload._quaternion`'s ``rows`` functions
        take them; ``x.T`` of ``(n, 3)`` samples, any strides).
    bounds
        ``[start, end]`` sample rows of non-overlapping strides in time order, ``end < n``, each
        starting and ending where the foot is still.
    fs_hz
        The samples' rate.
    level_window_s
        The accelerometer is averaged over this window around a stride's start to level it.

    Returns
    -------
    tuple of numpy.ndarray
        The horizontal distance and the rise from each stride's start to its end.
    """
    return displacements(acc_mps2, block_orientations(gyr_dps, fs_hz), bounds, fs_hz, level_window_s)


def block_orientations(gyr_dps: np.ndarray, fs_hz: float) -> np.ndarray:
    """The first half of :func:`stride_displacements`: each sample's orientation within its block, ``(4, B, blocks)``.

    All the integration needs of the angular rate, so a caller holding the samples of many strides
    can let the rate's rows go before the rest of the integration (:func:`displacements`).
    """
    return _scan_blocks(_turns(gyr_dps, -(-gyr_dps.shape[1] // _BLOCK), 1.0 / fs_hz))


def displacements(
    acc_mps2: np.ndarray, inblock: np.ndarray, bounds: np.ndarray, fs_hz: float, level_window_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """The second half of :func:`stride_displacements`, from :func:`block_orientations` (written over)."""
    bounds = np.asarray(bounds, dtype=np.int64)
    start, end = bounds[:, 0], bounds[:, 1]
    if not start.size:
        return np.zeros(0), np.zeros(0)
    blocks = inblock.shape[2]
    entering = _entering(inblock)
    local = quat.rotate_rows_in_place(inblock, _weighted(acc_mps2, start, end, blocks))
    sums = _stride_sums(local, inblock, entering, start, end)
    level = max(1, round(level_window_s * fs_hz))
    up = _levels(acc_mps2, start, level)
    moved = quat.rotate_rows(up, sums)
    half = 0.5 * (end - start - 1)
    moved[2] -= STANDARD_GRAVITY_MPS2 * half
    moved -= half * _seams(acc_mps2, up, start, end)
    moved *= 0.5 / fs_hz**2
    return np.hypot(moved[0], moved[1]), moved[2]


def _turns(gyr_dps: np.ndarray, blocks: int, dt: float) -> np.ndarray:
    """Each sample's turn from the sample before, ``(4, B, blocks)``: sample ``b·B + j`` at ``[:, j, b]``.

    The first sample and the padding after the last turn by nothing (the identity). The rotation
    vector is ``(ω_i + ω_{i-1}) · dt/2`` in radians, the rate turned into radians as
    :func:`numpy.radians` does (a product by ``π/180``: the same bits, without its slower loop)
    and the sum written straight into the blocks' layout.
    """
    rotvec = np.empty((3, _BLOCK, blocks))
    rate_sums_into(gyr_dps, rotvec)
    rotvec *= 0.5 * dt
    out4 = np.empty((4, _BLOCK, blocks))
    quaternions_into(rotvec, out4)
    return out4


def rate_sums_into(gyr_dps: np.ndarray, out: np.ndarray) -> None:
    """``ω_i + ω_{i-1}`` (rad/s) of every sample written into the blocks' layout ``out`` ``(3, B, blocks)``.

    Zero for the first sample and the padding after the last (:func:`_turns`, before its scale).
    """
    n, blocks = gyr_dps.shape[1], out.shape[2]
    rows = blocks * _BLOCK
    padded = np.zeros(rows + 1)  # padded[i + 1] is sample i's rate (rad/s), zero after the last
    for component, into in zip(gyr_dps, out, strict=True):
        np.multiply(component, _RAD_PER_DEG, out=padded[1 : n + 1])
        # Row b·B + j of the blocks' layout is into[j, b]: the sum of sample i and sample i - 1.
        np.add(padded[1:].reshape(blocks, _BLOCK), padded[:-1].reshape(blocks, _BLOCK), out=into.T)
        into[0, 0] = 0.0
        if n < rows:
            into[n % _BLOCK, n // _BLOCK] = 0.0


def quaternions_into(rotvec_rad: np.ndarray, out: np.ndarray) -> None:
    """Unit quaternions of rotation vectors ``(3, ...)`` written into ``out`` ``(4, ...)`` (see Turns above)."""
    x, y, z = rotvec_rad
    h2 = x * x
    h2 += y * y
    h2 += z * z
    h2 *= 0.25
    terms = series_terms(float(h2.max()) if h2.size else 0.0)
    if not terms:
        quat.from_rotvec_rows(rotvec_rad.reshape(3, -1), out.reshape(4, -1))
        return
    cos_half, half_sinc = out[0], np.empty_like(h2)
    cos_half.fill(_COS[terms])
    half_sinc.fill(_HALF_SINC[terms])
    for k in range(terms - 1, -1, -1):
        cos_half *= h2
        cos_half += _COS[k]
        half_sinc *= h2
        half_sinc += _HALF_SINC[k]
    np.multiply(rotvec_rad, half_sinc, out=out[1:])


def series_terms(largest: float) -> int:
    """Terms of the turns' series when the largest ``(θ/2)²`` is ``largest``: its remainder under 2⁻⁶⁰.

    0 over :data:`_SERIES_MAX` (1 rad per sample), or for NaN: the exact functions are used.
    """
    if not largest <= _SERIES_MAX:
        return 0
    terms = 1
    while largest ** (terms + 1) / math.factorial(2 * terms + 2) > 2.0**-60:
        terms += 1
    return terms


def _scan_blocks(turns: np.ndarray) -> np.ndarray:
    """The running product of each block's turns, ``(4, B, blocks)``: row ``j`` the product of rows ``0..j``.

    Each row is written straight into the result (the product of the result's previous row and
    the turn), not made aside and copied back.
    """
    out, scratch = np.empty(turns.shape), np.empty(turns.shape[2])
    out[:, 0] = turns[:, 0]
    for j in range(1, _BLOCK):
        quat.multiply_rows_into(out[:, j - 1], turns[:, j], out[:, j], scratch)
    return out


def _entering(inblock: np.ndarray) -> np.ndarray:
    """The orientation each block starts from, ``(4, blocks)``: the product of all earlier blocks' totals."""
    out = np.empty(inblock.shape[::2])
    out[:, 0] = _IDENTITY
    out[:, 1:] = prefix_products(inblock[:, -1, :-1])
    out /= np.sqrt(np.einsum("ij,ij->j", out, out))
    return out


def prefix_products(q: np.ndarray) -> np.ndarray:
    """Running products ``q_0 ⊗ … ⊗ q_k`` of ``(4, m)`` quaternions (Hillis and Steele's parallel scan)."""
    cur, nxt = np.array(q), np.empty(q.shape)
    scratch = np.empty(q.shape[1])
    shift, m = 1, q.shape[1]
    while shift < m:
        nxt[:, :shift] = cur[:, :shift]
        quat.multiply_rows_into(cur[:, :-shift], cur[:, shift:], nxt[:, shift:], scratch[: m - shift])
        cur, nxt = nxt, cur
        shift *= 2
    return cur


def _weighted(acc_mps2: np.ndarray, start: np.ndarray, end: np.ndarray, blocks: int) -> np.ndarray:
    """``u_i a_i`` of every sample (zero outside the strides), ``(3, B, blocks)`` as :func:`_turns`."""
    n, count, rows = acc_mps2.shape[1], start.size, blocks * _BLOCK
    runs = np.empty(2 * count + 1, dtype=np.int64)  # gap, stride, gap, stride, ..., the rest
    runs[0] = start[0]
    runs[2:-1:2] = start[1:] - end[:-1]
    runs[1::2] = end - start
    runs[-1] = rows - end[-1]
    ramp = np.zeros(2 * count + 1)
    ramp[1::2] = (end - start) + 2 * start  # u_i = L + 2a - 2i inside a stride
    inside = np.zeros(2 * count + 1, dtype=bool)
    inside[1::2] = True
    weight = np.repeat(ramp, runs)
    weight -= 2.0 * np.arange(rows)
    weight *= np.repeat(inside, runs)
    weight[start] = 0.5 * (end - start - 1)
    out = np.empty((3, _BLOCK, blocks))
    whole = n // _BLOCK  # blocks with every row a sample; the products go straight into the layout
    weights = weight[: whole * _BLOCK].reshape(whole, _BLOCK)
    for component, into in zip(acc_mps2, out, strict=True):
        np.multiply(component[: whole * _BLOCK].reshape(whole, _BLOCK), weights, out=into[:, :whole].T)
        if whole < blocks:
            into[:, whole] = 0.0
            np.multiply(component[whole * _BLOCK :], weight[whole * _BLOCK : n], out=into[: n - whole * _BLOCK, whole])
    return out


def _stride_sums(
    local: np.ndarray,
    inblock: np.ndarray,
    entering: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    alone: np.ndarray | None = None,
) -> np.ndarray:
    """``Σ_{i<L} u_i R(Q_i) a_i`` of each stride, ``(3, count)``, from the samples rotated in their blocks.

    ``local`` (rotated by the in-block orientations) is summed over each piece of a stride inside
    one block, each piece is rotated by its block's entering orientation, the pieces are added per
    stride and the sum is turned back by the orientation at the stride's start. The strides
    ``alone`` (integrated with others, but each the only stride of its samples) have the norm of
    their starting orientation taken by itself, as a call with one stride takes it
    (``np.einsum`` adds one column's four squares in another order than many columns').
    """
    blocks = local.shape[2]
    for j in range(1, _BLOCK):  # running sums down each block
        local[:, j] += local[:, j - 1]
    first_block, last_block = start // _BLOCK, (end - 1) // _BLOCK
    pieces = last_block - first_block + 1
    first = np.cumsum(pieces) - pieces
    block = np.arange(int(pieces.sum())) - np.repeat(first - first_block, pieces)
    lo = np.maximum(np.repeat(start, pieces) - block * _BLOCK, 0)
    hi = np.minimum(np.repeat(end, pieces) - block * _BLOCK, _BLOCK) - 1
    rows = local.reshape(3, -1)  # row j of block b at j * blocks + b
    piece = rows[:, hi * blocks + block]
    cut = np.flatnonzero(lo > 0)
    piece[:, cut] -= rows[:, (lo[cut] - 1) * blocks + block[cut]]
    total = np.add.reduceat(quat.rotate_rows_in_place(entering[:, block], piece), first, axis=1)
    at_start = quat.multiply_rows(entering[:, first_block], inblock[:, start % _BLOCK, first_block])
    norms = np.einsum("ij,ij->j", at_start, at_start)
    for k in () if alone is None else alone.tolist():
        column = at_start[:, k : k + 1].copy()  # contiguous, as a one-stride call's own (4, 1) array
        norms[k] = np.einsum("ij,ij->j", column, column)[0]
    at_start /= np.sqrt(norms)
    at_start[1:] *= -1.0  # the inverse rotation
    return quat.rotate_rows(at_start, total)


def _levels(acc_mps2: np.ndarray, start: np.ndarray, level: int) -> np.ndarray:
    """Step 2: the rotation that levels each stride's start, ``(4, count)``, from ``level`` samples around it."""
    around = np.clip(start[:, None] + np.arange(-(level // 2), level // 2 + 1), 0, acc_mps2.shape[1] - 1)
    return quat.align_to_up_rows(np.mean(acc_mps2.T[around], axis=1).T)


def _seams(acc_mps2: np.ndarray, up: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``f_L`` of each stride, ``(3, count)``: the next stride's first sample in its frame, else zero."""
    out = np.zeros((3, start.size))
    joined = np.flatnonzero(start[1:] == end[:-1])
    if joined.size:
        seam = quat.rotate_rows(up[:, joined + 1], acc_mps2[:, end[joined]])
        seam[2] -= STANDARD_GRAVITY_MPS2
        out[:, joined] = seam
    return out


__all__ = [
    "block_orientations",
    "displacements",
    "prefix_products",
    "quaternions_into",
    "rate_sums_into",
    "series_terms",
    "stride_displacements",
]
