"""``median``, ``percentile`` and ``unique`` with NumPy's results, without importing ``numpy.ma``; fast row norms.

``np.median`` asks ``np.ma.isMaskedArray`` whether its result is masked, and ``np.unique``
asks ``np.ma.is_masked`` about its input (``np.percentile`` calls ``np.unique``): the first call
of any of them imports ``numpy.ma`` (0.01-0.06 s of CPU, up to a tenth of a whole ``calfload
analyze``) for arrays that can never be masked here. These do the same arithmetic on plain
arrays: the middle element, or the mean of the middle two, of a partition; the linear
interpolation between the order statistics around ``(n - 1) * q / 100`` (Hyndman and Fan's
definition 7, NumPy's default); the sorted distinct values (NaNs counted as one). A NaN in the
data makes a median or a percentile NaN. The order statistics of long float64 arrays (over
:data:`_LONG` values) come from :mod:`calfload._order_stats` without partitioning them whole.
``tests/test_stats.py`` checks them against NumPy's, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # numpy.typing is a module more at every command's start
    from numpy.typing import ArrayLike, NDArray


def median(a: ArrayLike, axis: int | None = None) -> Any:
    """The median of ``a`` (flattened, or along ``axis``), exactly as ``np.median`` computes it.

    Parameters
    ----------
    a
        Values; NaN anywhere in a slice makes that slice's median NaN.
    axis
        None for the median of all values, else the axis to reduce.

    Returns
    -------
    numpy.floating or numpy.ndarray
        A scalar for ``axis=None`` (or a 1-D input), else an array without ``axis``.
    """
    values = np.asarray(a)
    if axis is None:
        values, axis = values.ravel(), 0
    if values.ndim == 1 and values.dtype == np.float64 and values.size:
        return _median_1d(values)
    size = values.shape[axis]
    middle = [size // 2 - 1, size // 2] if size % 2 == 0 else [size // 2]
    has_nan = values.dtype.kind in "fc"
    part = np.partition(values, [*middle, -1] if has_nan and size else middle, axis=axis)
    index = [slice(None)] * part.ndim
    index[axis] = slice(middle[0], middle[-1] + 1)
    result = np.mean(part[tuple(index)], axis=axis)
    if not has_nan or size == 0:
        return result
    last = part.take(-1, axis=axis)  # a NaN sorts last: the slice's median is NaN
    nan = np.isnan(last)
    if not nan.any():
        return result
    if isinstance(result, np.generic):
        return last
    np.copyto(result, last, where=nan)
    return result


def _median_1d(values: NDArray[np.float64]) -> np.float64:
    """:func:`median` of a non-empty 1-D float64 array without ``np.mean``'s Python layers.

    ``np.mean`` of the middle one or two values is their sum, started from +0.0 (so the median of
    ``[-0.0]`` is +0.0), divided by their count: the same arithmetic written out.
    """
    size = values.size
    if size > _LONG and not np.isnan(values.max()):
        from calfload._order_stats import median as order_median  # (it imports this module)

        return order_median(values)
    half = size // 2
    if size <= _SORTED:  # a short array is sorted faster than partitioned (the same values at the ranks)
        part = np.sort(values)
    else:
        part = np.partition(values, [half - 1, half, -1] if size % 2 == 0 else [half, -1])
    last = part[-1]
    if np.isnan(last):  # a NaN sorts last: the median is NaN
        return np.float64(last)
    return np.float64(0.0 + part[half] if size % 2 else ((0.0 + part[half - 1]) + part[half]) / 2)


def percentile_ranks(
    count: int, q: float | Sequence[float]
) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.intp]]:
    """Where NumPy's linear method puts the ``q``-th percentiles of ``count`` sorted values.

    Returns
    -------
    position, low, high
        Each percentile's fractional rank, and the ranks of the values below and above it
        (``-1``, the largest value, at or past the end; ``0`` before the start).
    """
    position = np.atleast_1d((count - 1) * np.true_divide(q, 100))
    lower = np.floor(position)
    upper = lower + 1
    top, bottom = position >= count - 1, position < 0
    lower[top] = upper[top] = -1  # at or past the largest value: the largest value
    lower[bottom] = upper[bottom] = 0
    return position, lower.astype(np.intp), upper.astype(np.intp)


def percentile(a: ArrayLike, q: float | Sequence[float], *, overwrite_input: bool = False) -> Any:
    """The ``q``-th percentiles of all values of ``a``, exactly as ``np.percentile(a, q)`` computes them.

    Parameters
    ----------
    a
        Values (flattened); a NaN among them makes every percentile NaN.
    q
        Percentile or percentiles in [0, 100].
    overwrite_input
        Partition ``a`` in place (its order changes) instead of a copy, to save memory.

    Returns
    -------
    numpy.floating or numpy.ndarray
        A scalar for a scalar ``q``, else one value per ``q``.
    """
    values = np.asarray(a).ravel()
    scalar = np.ndim(q) == 0
    position, low, high = percentile_ranks(values.size, q)
    has_nan = values.dtype.kind == "f"
    picked = _long_order_statistics(values, low, high) if scalar else None
    if picked is not None:
        (below, above), has_nan = picked, False
    else:
        kth = np.r_[low, high, -1] if has_nan else np.r_[low, high]  # (np.union1d calls np.unique)
        if overwrite_input:  # values is a view of a contiguous input (NumPy's ravel), else already a copy
            values.partition(kth)
            part = values
        else:
            part = np.partition(values, kth)
        below, above = part[low], part[high]
    weight = position - low
    # A scalar q weighs as a Python float (a float32 sample stays float32), as NumPy's weak promotion does.
    fraction: Any = float(weight[0]) if type(q) in (int, float) else weight
    step = above - below
    result = np.add(below, step * fraction)
    np.subtract(above, step * (1 - fraction), out=result, where=weight >= 0.5, casting="unsafe")
    if has_nan and np.isnan(part[-1]):
        if scalar:
            return part[-1]  # the NaN itself, in the data's dtype
        result[...] = part[-1]
    return result[0] if scalar else result


#: Float64 arrays longer than this take their order statistics from :mod:`calfload._order_stats`.
_LONG = 1 << 15

#: A median of at most this many float64 values sorts them (16 values: about 7 us against 17 to partition).
_SORTED = 256


def _long_order_statistics(
    values: NDArray[Any], low: NDArray[np.intp], high: NDArray[np.intp]
) -> tuple[NDArray[Any], NDArray[Any]] | None:
    """The values at ranks ``low[0]`` and ``high[0]`` (-1: the largest) of a long float64 array, as 1-element arrays.

    :func:`calfload._order_stats.order_statistics` finds them without partitioning the whole array
    (an hour's 720,000 values: about 3 ms instead of 8). None (partition as usual) for a short or
    other array, one holding a NaN, or when either value is zero: its sign is whichever zero
    ``np.partition`` happens to put at the rank, and a percentile can keep it.
    """
    if values.dtype != np.float64 or values.size <= _LONG or np.isnan(values.max()):
        return None
    from calfload._order_stats import order_statistics  # (it imports this module)

    last = values.size - 1
    found = order_statistics(values, [int(r) if r >= 0 else last for r in (low[0], high[0])])
    if not found.all():
        return None
    return found[:1], found[1:]


def unique(a: ArrayLike) -> NDArray[Any]:
    """The sorted distinct values of ``a`` (flattened), as ``np.unique(a)`` gives them (NaNs as one)."""
    values = np.sort(np.asarray(a).ravel())
    if values.size == 0:
        return values
    keep = np.empty(values.shape, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    if values.dtype.kind in "fc" and np.isnan(values[-1]):
        first_nan = int(np.argmax(np.isnan(values)))
        keep[first_nan + 1 :] = False
    return values[keep]


def row_squares(x: NDArray[Any]) -> NDArray[Any]:
    """``np.sum(x**2, axis=1)`` of a 2-D array, summed column by column (the same bits, in ``x``'s dtype).

    NumPy sums a short row as ``((x0² + x1²) + x2²) ...``, one reduction per row; added up column
    by column the same sums take whole-array passes, about ten times faster for three columns.
    """
    out: NDArray[Any] = np.square(x[:, 0])
    for c in range(1, x.shape[1]):
        out += np.square(x[:, c])
    return out


def row_norms(x: NDArray[Any]) -> NDArray[Any]:
    """``np.linalg.norm(x, axis=1)`` of a real 2-D array (the same bits; see :func:`row_squares`)."""
    out = row_squares(x)
    np.sqrt(out, out=out)
    return out


__all__ = ["median", "percentile", "percentile_ranks", "row_norms", "row_squares", "unique"]
