"""Many columns interpolated at the same times: :func:`numpy.interp`'s values, its search made once.

The strides (:mod:`calfload.signal._trajectory_grid`) read six columns, the acceleration's and
the angular rate's three axes, at the same grid times from the same native samples, and
``np.interp`` finds each grid time's place among the native times again for every column: about
11 ns a value, most of it the search. :class:`ColumnInterp` finds each grid time's place ``j``
(the last native time at or before it) once for all the columns:

- **in runs** when the grid keeps in step with the native samples (a 200 Hz sensor on its own
  199.997 Hz grid: ``j`` is the row's own index plus an offset that changes a few times in a group),
  checked with whole-slice comparisons, and each column is then made from slices, with no gather;
- **by counting** otherwise (a 204.8 Hz sensor on a 200 Hz grid, jittered or dropped samples): each
  native time's first grid time at or after it, from its nearest guess on the uniform grid, counted
  into the grid's rows (``np.bincount`` and ``np.cumsum``), and the columns' values gathered.

Each value is then NumPy's own arithmetic in its order (``numpy/_core/src/multiarray/compiled_base.c``,
``arr_interp``): ``slope = (fp[j+1] - fp[j]) / (xp[j+1] - xp[j])``, then ``slope * (x - xp[j]) + fp[j]``,
and ``fp[j]`` itself where ``x`` equals ``xp[j]`` or lies outside the native times (``fp[0]`` before
them, the last value after). The values are equal to ``np.interp``'s to the bit
(``tests/test_signal/test_interp.py``). A column whose values hold a NaN (a non-finite sample,
which a :class:`~calfload.recording.Recording` does not hold) is made by ``np.interp`` itself,
whose NaN rule tries the interval's other end.
"""

from __future__ import annotations

import numpy as np

#: At most this many runs are looked for (each is one whole-slice check of the rows after it).
_MAX_RUNS = 16

#: A run, other than the last, shorter than the rows over this many is no run: the places are counted.
_SHORTEST_RUN_PART = 64

#: Guesses of a native time's first grid time are moved by one row at most this many times before a search.
_MAX_NUDGES = 4


class ColumnInterp:
    """Where each grid time ``x`` lies among the native times ``xp``, for ``np.interp(x, xp, fp)`` of many ``fp``.

    ``xp`` increases strictly and ``x`` does not decrease, as a grid's and a recording's times do.
    """

    __slots__ = ("_exact", "_exact_j", "_from_x", "_gather", "_runs", "_x", "_xp", "_xp_steps")

    def __init__(self, x: np.ndarray, xp: np.ndarray) -> None:
        self._x, self._xp = x, xp
        self._xp_steps = xp[1:] - xp[:-1]
        runs = _runs(x, xp)
        self._runs = runs
        if runs is not None:
            self._from_x = np.empty(x.size)
            for k0, k1, c in runs:
                np.subtract(x[k0:k1], xp[k0 + c : k1 + c], out=self._from_x[k0:k1])
            self._exact = np.flatnonzero(self._from_x == 0.0)
            starts = np.array([k0 for k0, _, _ in runs])
            offsets = np.array([c for _, _, c in runs])
            self._exact_j = self._exact + offsets[np.searchsorted(starts, self._exact, "right") - 1]
            self._gather = None
            return
        j = _places(x, xp)
        at = np.clip(j, 0, xp.size - 1)
        self._from_x = x - xp[at]
        self._exact = np.flatnonzero((self._from_x == 0.0) | (j < 0) | (j == xp.size - 1))
        self._exact_j = at[self._exact]
        self._gather = np.minimum(at, xp.size - 2)

    def values(self, fp: np.ndarray) -> np.ndarray:
        """``np.interp(x, xp, fp)``, to the bit (float64)."""
        x, xp = self._x, self._xp
        if xp.size < 2:
            return np.asarray(np.interp(x, xp, fp), dtype=np.float64)
        fp64 = np.asarray(fp, dtype=np.float64)
        with np.errstate(all="ignore"):  # as quiet as np.interp about infinities and NaN
            slope = np.subtract(fp64[1:], fp64[:-1])
            slope /= self._xp_steps
            if self._runs is None:
                assert self._gather is not None
                out = slope.take(self._gather)
                out *= self._from_x
                out += fp64.take(self._gather)
            else:
                out = np.empty(x.size)
                for k0, k1, c in self._runs:
                    part = out[k0:k1]
                    np.multiply(slope[k0 + c : k1 + c], self._from_x[k0:k1], out=part)
                    part += fp64[k0 + c : k1 + c]
        out[self._exact] = fp64[self._exact_j]
        if np.isnan(out).any():  # a NaN or an infinity among the samples: NumPy's own rule for it
            return np.asarray(np.interp(x, xp, fp), dtype=np.float64)
        return np.asarray(out)


def _runs(x: np.ndarray, xp: np.ndarray) -> list[tuple[int, int, int]] | None:
    """``(k0, k1, c)``: on rows ``[k0, k1)`` of ``x`` each row ``k`` lies in ``[xp[k + c], xp[k + c + 1])``.

    None when the rows are not in a few long runs of that kind, or a row lies outside ``xp``'s
    intervals (before the first native time, or at or after the last).
    """
    count, n = x.size, xp.size
    runs: list[tuple[int, int, int]] = []
    k = 0
    while k < count:
        if len(runs) == _MAX_RUNS or n < 2:
            return None
        c = int(np.searchsorted(xp, x[k], "right")) - 1 - k
        end = min(count, n - 1 - c)
        if k + c < 0 or end <= k:
            return None
        inside = xp[k + c : end + c] <= x[k:end]
        inside &= x[k:end] < xp[k + c + 1 : end + c + 1]
        length = int(np.argmin(inside)) if not inside.all() else end - k
        if length == 0 or (k + length < count and length < count // _SHORTEST_RUN_PART):
            return None
        runs.append((k, k + length, c))
        k += length
    return runs


def _places(x: np.ndarray, xp: np.ndarray) -> np.ndarray:
    """``np.searchsorted(xp, x, "right") - 1`` for a uniform, non-decreasing ``x``, by counting.

    Native time ``i``'s first grid row at or after it (``np.searchsorted(x, xp[i], "left")``) is
    guessed from the grid's rate and moved onto the right row with the grid's own values; the
    number of native times at or before row ``k`` is then the number whose first row is ``k``
    or earlier.
    """
    count = x.size
    edges = np.empty(count + 2)  # the grid's times between -inf and +inf: edges[d] is x[d - 1]
    edges[0], edges[-1] = -np.inf, np.inf
    edges[1:-1] = x
    span = float(x[-1] - x[0]) if count > 1 else 0.0
    first = None
    if span > 0.0:
        guess = xp - x[0]
        guess *= (count - 1) / span
        np.ceil(guess, out=guess)
        np.clip(guess, 0, count, out=guess)
        first = guess.astype(np.intp)
        for _ in range(_MAX_NUDGES):
            high = edges[first] >= xp  # the row before is at or after the native time
            low = edges[first + 1] < xp  # the row itself is before it
            if not (high.any() or low.any()):
                break
            first -= high
            first += low
        else:
            first = None
    if first is None:
        first = np.searchsorted(x, xp, "left")
    return np.cumsum(np.bincount(first, minlength=count + 1)[:count]) - 1


__all__ = ["ColumnInterp"]
