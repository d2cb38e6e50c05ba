"""Strides of several short, separate stretches of samples integrated together: the turning gaps' integration.

The turning steps (:mod:`calfload.signal._gait_turns`) integrate each gap between two strides as
one stride of its own samples: a dozen calls of :func:`~calfload.signal._trajectory_kernel.stride_displacements`
an hour of running, each on about 70 samples, where the kernel's few hundred NumPy calls cost
about 0.9 ms whatever the length. :func:`apart_displacements` lays the stretches side by side
in the kernel's blocks, each from a block of its own, and integrates them in one pass, with the
same bits as one call per stretch:

- every block's turns and running product are the block's own (a stretch's padding turns by nothing);
- the turns' series has as many terms as each stretch's own largest angle needs (stretches are
  grouped by that count), not the largest of all;
- the orientation each block starts from is the running product of its own stretch's earlier
  blocks only: Hillis and Steele's scan made per stretch, each product taken only where its
  earlier factor is in the same stretch (the same products, in the same tree, as a scan of the
  stretch alone);
- a stride's levelling window is clipped to its own stretch, and the norm of the orientation at
  the start of a stride that is its stretch's only one is taken by itself
  (:func:`~calfload.signal._trajectory_kernel._stride_sums`).

``tests/test_signal/test_trajectory_apart.py`` checks the bits against one call per stretch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calfload import _quaternion as quat
from calfload.signal import _trajectory_kernel as kernel
from calfload.units import STANDARD_GRAVITY_MPS2

_BLOCK = kernel._BLOCK

#: A stretch: its ``(3, n)`` accelerometer (m/s²) and gyroscope (deg/s) samples and its strides' ``[start, end]`` rows.
Stretch = tuple[np.ndarray, np.ndarray, np.ndarray]


def apart_displacements(
    stretches: Sequence[Stretch], fs_hz: float, level_window_s: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`~calfload.signal._trajectory_kernel.stride_displacements` of each stretch, in one pass (the same bits).

    Parameters
    ----------
    stretches
        Each stretch's samples, component-major, and its strides' bounds (as
        ``stride_displacements`` takes them).
    fs_hz
        The samples' rate, the same for all.
    level_window_s
        The accelerometer is averaged over this window around a stride's start to level it.

    Returns
    -------
    list of tuple of numpy.ndarray
        Each stretch's horizontal distances and rises.
    """
    if not stretches or not any(len(own) for _, _, own in stretches):
        return [(np.zeros(0), np.zeros(0)) for _ in stretches]
    sizes = np.array([acc.shape[1] for acc, _, _ in stretches])
    blocks = -(-sizes // _BLOCK)
    first = np.cumsum(blocks) - blocks
    total = int(blocks.sum())
    rotvec = np.empty((3, _BLOCK, total))
    for (_, gyr, _), b0, count in zip(stretches, first.tolist(), blocks.tolist(), strict=True):
        kernel.rate_sums_into(gyr, rotvec[:, :, b0 : b0 + count])
    rotvec *= 0.5 * (1.0 / fs_hz)  # as the kernel scales its rotation vectors: half the step
    turns = np.empty((4, _BLOCK, total))
    _quaternions(rotvec, turns, first, blocks)
    del rotvec
    inblock = kernel._scan_blocks(turns)
    del turns
    entering = _entering(inblock, first, blocks)
    acc = np.zeros((3, total * _BLOCK))
    bounds = []
    for (samples, _, own), b0, size in zip(stretches, first.tolist(), sizes.tolist(), strict=True):
        acc[:, b0 * _BLOCK : b0 * _BLOCK + size] = samples
        bounds.append(np.asarray(own, dtype=np.int64) + b0 * _BLOCK)
    counts = [b.shape[0] for b in bounds]
    start, end = np.concatenate(bounds)[:, 0], np.concatenate(bounds)[:, 1]
    owner = np.repeat(np.arange(len(stretches)), counts)
    local = quat.rotate_rows_in_place(inblock, kernel._weighted(acc, start, end, total))
    alone = np.cumsum(counts)[np.array(counts) == 1] - 1 if start.size > 1 else None
    sums = kernel._stride_sums(local, inblock, entering, start, end, alone)
    level = max(1, round(level_window_s * fs_hz))
    lo = first[owner] * _BLOCK
    up = _levels(acc, start, level, lo, lo + sizes[owner] - 1)
    moved = quat.rotate_rows(up, sums)
    half = 0.5 * (end - start - 1)
    moved[2] -= STANDARD_GRAVITY_MPS2 * half
    moved -= half * kernel._seams(acc, up, start, end)
    moved *= 0.5 / fs_hz**2
    horizontal, rise = np.hypot(moved[0], moved[1]), moved[2]
    cuts = np.cumsum(counts)[:-1]
    return list(zip(np.split(horizontal, cuts), np.split(rise, cuts), strict=True))


def _quaternions(rotvec: np.ndarray, out: np.ndarray, first: np.ndarray, blocks: np.ndarray) -> None:
    """:func:`~calfload.signal._trajectory_kernel.quaternions_into` of each stretch's blocks with its own series.

    The series' length follows the largest angle it is given, so stretches that need the same
    number of terms (or the exact functions) are turned into quaternions together, apart from the rest.
    """
    x, y, z = rotvec
    h2 = x * x
    h2 += y * y
    h2 += z * z
    h2 *= 0.25
    largest = np.maximum.reduceat(h2.max(axis=0), first)
    kinds = [kernel.series_terms(float(value)) for value in largest]
    if len(set(kinds)) == 1:
        kernel.quaternions_into(rotvec, out)
        return
    for kind in set(kinds):
        columns = np.concatenate(
            [np.arange(b0, b0 + count) for b0, count, k in zip(first, blocks, kinds, strict=True) if k == kind]
        )
        part = np.empty((4, _BLOCK, columns.size))
        kernel.quaternions_into(rotvec[:, :, columns], part)
        out[:, :, columns] = part


def _entering(inblock: np.ndarray, first: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """The orientation each block starts from, ``(4, total)``: the product of its stretch's earlier blocks' totals.

    :func:`~calfload.signal._trajectory_kernel._entering` of each stretch: the identity at its
    first block, then the running products (Hillis and Steele) of its blocks' totals, each
    level's product taken only where the earlier factor lies in the same stretch.
    """
    out = np.empty(inblock.shape[::2])
    out[:, first] = np.array([[1.0], [0.0], [0.0], [0.0]])
    earlier = blocks - 1
    if earlier.max() > 0:
        source = np.concatenate([np.arange(b0, b0 + m) for b0, m in zip(first, earlier, strict=True)])
        rank = np.concatenate([np.arange(m) for m in earlier])
        cur = inblock[:, -1, source]
        shift = 1
        while shift < earlier.max():
            later = np.flatnonzero(rank >= shift)
            cur[:, later] = quat.multiply_rows(cur[:, later - shift], cur[:, later])
            shift *= 2
        out[:, source + 1] = cur
    out /= np.sqrt(np.einsum("ij,ij->j", out, out))
    return out


def _levels(acc_mps2: np.ndarray, start: np.ndarray, level: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """:func:`~calfload.signal._trajectory_kernel._levels` with each stride's window clipped to rows ``[lo, hi]``."""
    around = np.clip(start[:, None] + np.arange(-(level // 2), level // 2 + 1), lo[:, None], hi[:, None])
    return quat.align_to_up_rows(np.mean(acc_mps2.T[around], axis=1).T)


__all__ = ["Stretch", "apart_displacements"]
