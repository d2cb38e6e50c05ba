"""Many columns interpolated at the same times: :func:`numpy.interp`'s values, its search made once when it pays.

The strides (:mod:`calfload.signal._trajectory_grid`) read six columns, the acceleration's and
the angular rate's three axes, at the same grid times from the same native samples, and
``np.interp`` finds each grid time's place among the native times again for every column: about
11 ns a value, most of it the search. When the grid keeps in step with the native samples (a
200 Hz sensor on its own 199.997 Hz grid), each grid time's place ``j`` (the last native time at
or before it) is the row's own index plus an offset that changes a few times in a group of
strides: :class:`ColumnInterp` finds those runs once, with whole-slice comparisons, and makes each
column from slices, with no search and no gather (about half ``np.interp``'s time a column).

Each value is then NumPy's own arithmetic in its order (``numpy/_core/src/multiarray/compiled_base.c``,
``arr_interp``): ``slope = (fp[j+1] - fp[j]) / (xp[j+1] - xp[j])``, then ``slope * (x - xp[j]) + fp[j]``,
and ``fp[j]`` itself where ``x`` equals ``xp[j]``. The values are equal to ``np.interp``'s to the
bit (``tests/test_signal/test_interp.py``). Grids out of step (a 204.8 Hz sensor on a 200 Hz grid,
dropped samples), grid times outside the native ones, and columns holding a NaN (a non-finite
sample, which a :class:`~calfload.recording.Recording` does not hold) are left to ``np.interp``
itself: finding and gathering the places of an out-of-step grid cost more than its search
(benchmarks/README.md).
"""

from __future__ import annotations

import numpy as np

#: At most this many runs are looked for (each is one whole-slice check of the rows after it).
_MAX_RUNS = 16

#: Runs, other than the last, of fewer rows than the rows over this many mean the grid is out of step.
_SHORTEST_RUN_PART = 64


class ColumnInterp:
    """Where each grid time ``x`` lies among the native times ``xp``, for ``np.interp(x, xp, fp)`` of many ``fp``.

    ``xp`` increases strictly and ``x`` does not decrease, as a grid's and a recording's times do.
    """

    __slots__ = ("_exact", "_exact_j", "_from_x", "_runs", "_x", "_xp", "_xp_steps")

    def __init__(self, x: np.ndarray, xp: np.ndarray) -> None:
        self._x, self._xp = x, xp
        self._runs = _runs(x, xp)
        if self._runs is None:
            return
        self._xp_steps = xp[1:] - xp[:-1]
        self._from_x = np.empty(x.size)
        for k0, k1, c in self._runs:
            np.subtract(x[k0:k1], xp[k0 + c : k1 + c], out=self._from_x[k0:k1])
        self._exact = np.flatnonzero(self._from_x == 0.0)
        starts = np.array([k0 for k0, _, _ in self._runs])
        offsets = np.array([c for _, _, c in self._runs])
        self._exact_j = self._exact + offsets[np.searchsorted(starts, self._exact, "right") - 1]

    @property
    def in_step(self) -> bool:
        """Whether the places were found in runs (else every column is ``np.interp``'s own)."""
        return self._runs is not None

    def values(self, fp: np.ndarray) -> np.ndarray:
        """``np.interp(x, xp, fp)``, to the bit (float64)."""
        x, xp = self._x, self._xp
        if self._runs is None:
            return np.asarray(np.interp(x, xp, fp), dtype=np.float64)
        fp64 = np.asarray(fp, dtype=np.float64)
        out = np.empty(x.size)
        with np.errstate(all="ignore"):  # as quiet as np.interp about infinities and NaN
            slope = np.subtract(fp64[1:], fp64[:-1])
            slope /= self._xp_steps
            for k0, k1, c in self._runs:
                part = out[k0:k1]
                np.multiply(slope[k0 + c : k1 + c], self._from_x[k0:k1], out=part)
                part += fp64[k0 + c : k1 + c]
        out[self._exact] = fp64[self._exact_j]
        if np.isnan(out).any():  # a NaN or an infinity among the samples: NumPy's own rule for it
            return np.asarray(np.interp(x, xp, fp), dtype=np.float64)
        return out


def _runs(x: np.ndarray, xp: np.ndarray) -> list[tuple[int, int, int]] | None:
    """``(k0, k1, c)``: on rows ``[k0, k1)`` of ``x`` each row ``k`` lies in ``[xp[k + c], xp[k + c + 1])``.

    None when the rows are not in a few long runs of that kind (a run other than the last shorter
    than a :data:`_SHORTEST_RUN_PART`-th of the rows: found by checking that many rows first), or a
    row lies outside ``xp``'s intervals (before the first native time, or at or after the last).
    """
    count, n = x.size, xp.size
    shortest = max(1, count // _SHORTEST_RUN_PART)
    runs: list[tuple[int, int, int]] = []
    k = 0
    while k < count:
        if len(runs) == _MAX_RUNS or n < 2:
            return None
        c = int(np.searchsorted(xp, x[k], "right")) - 1 - k
        end = min(count, n - 1 - c)
        if k + c < 0 or end <= k:
            return None
        probe = min(end, k + shortest)
        if not _inside(x, xp, k, probe, c).all():
            return None  # a short run: out of step
        rest = _inside(x, xp, probe, end, c)
        length = probe - k + (end - probe if rest.all() else int(np.argmin(rest)))
        runs.append((k, k + length, c))
        k += length
    return runs


def _inside(x: np.ndarray, xp: np.ndarray, lo: int, hi: int, c: int) -> np.ndarray:
    """Whether each of rows ``[lo, hi)`` of ``x`` lies in ``[xp[k + c], xp[k + c + 1])``."""
    inside = xp[lo + c : hi + c] <= x[lo:hi]
    inside &= x[lo:hi] < xp[lo + c + 1 : hi + c + 1]
    return inside


__all__ = ["ColumnInterp"]
