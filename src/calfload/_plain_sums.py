"""NumPy's float64 sum, mean and standard deviation in plain Python, bit for bit.

``calfload review`` works on a few hundred daily loads; importing NumPy for them costs more
(about 0.1 s of CPU) than the whole review. NumPy adds a contiguous float64 array pairwise (eight
running sums in blocks of up to 128 values, halves above that), so Python's left-to-right ``sum``
differs from it in the last bit; these functions add in NumPy's order, so the figures a review
prints are the ones the NumPy code printed (tests/test_plain_sums.py compares them with NumPy).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: NumPy's pairwise block (``PW_BLOCKSIZE`` in ``loops_utils.h.src``).
_BLOCK = 128


def _pairwise(x: Sequence[float], lo: int, n: int) -> float:
    """The sum of ``x[lo : lo + n]`` in NumPy's pairwise order."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += x[i]
        return res
    if n <= _BLOCK:
        r0, r1, r2, r3, r4, r5, r6, r7 = x[lo : lo + 8]
        i, end = 8, n - n % 8
        while i < end:
            b = lo + i
            r0 += x[b]
            r1 += x[b + 1]
            r2 += x[b + 2]
            r3 += x[b + 3]
            r4 += x[b + 4]
            r5 += x[b + 5]
            r6 += x[b + 6]
            r7 += x[b + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        for j in range(lo + i, lo + n):
            res += x[j]
        return res
    half = n // 2
    half -= half % 8
    return _pairwise(x, lo, half) + _pairwise(x, lo + half, n - half)


def np_sum(x: Sequence[float]) -> float:
    """``float(numpy.asarray(x, dtype=float).sum())``, without NumPy.

    Examples
    --------
    >>> np_sum([0.1] * 10), sum([0.1] * 10)  # NumPy's order (8 running sums, then the rest), Python's
    (1.0, 0.9999999999999999)
    >>> np_sum([])
    0.0
    """
    return 0.0 + _pairwise(x, 0, len(x)) if len(x) else 0.0


def np_mean(x: Sequence[float]) -> float:
    """``float(numpy.mean(x))`` for a non-empty float sequence, without NumPy."""
    return np_sum(x) / len(x)


def np_std(x: Sequence[float]) -> float:
    """``float(numpy.std(x))`` (``ddof=0``) for a non-empty float sequence, without NumPy."""
    mean = np_mean(x)
    return math.sqrt(np_sum([(v - mean) * (v - mean) for v in x]) / len(x))


__all__ = ["np_mean", "np_std", "np_sum"]
