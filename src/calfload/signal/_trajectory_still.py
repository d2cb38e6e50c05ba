"""Step 1 of :mod:`calfload.signal._trajectory`: where the foot is still (zero-velocity moments), and how still.

Skog et al.'s SHOE statistic [1] over a group of strides' samples, its smallest value in each
stance's search window, and the angular rate's energy at a stride's two ends (the plausibility
test of step 7). Each is written for the same bits as the plain NumPy expression it stands for
(named in its docstring), in whole-column passes.

References
----------
.. [1] Skog I., Händel P., Nilsson J.-O., Rantakokko J. (2010). Zero-velocity detection: an
   algorithm evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.
"""

from __future__ import annotations

import numpy as np

from calfload._stats import row_squares
from calfload.signal._preprocess import rolling_mean
from calfload.units import STANDARD_GRAVITY_MPS2


def shoe_statistic(
    acc_mps2: np.ndarray, gyr_dps: np.ndarray, fs: float, window_s: float, acc_noise_mps2: float, gyr_noise_dps: float
) -> np.ndarray:
    """Skog et al.'s SHOE statistic per sample (step 1): small when the foot is still.

    ``acc_mps2`` and ``gyr_dps`` are ``(3, n)``, component-major. The moving means are
    :func:`~calfload.signal._preprocess.rolling_mean`'s (each column convolved, then divided by
    the samples in its window) and the squares are summed in :func:`~calfload._stats.row_squares`'
    order, one component at a time: the same bits as the statistic on ``(n, 3)`` rows, in
    whole-column passes without the rows' arrays.
    """
    width = max(1, round(window_s * fs))
    kernel = np.ones(width)
    counts = np.convolve(np.ones(acc_mps2.shape[1]), kernel, mode="same")
    means = [_moving_sum(component, kernel) for component in acc_mps2]
    norm = np.empty_like(counts)
    for k in range(3):
        means[k] /= counts
        (np.square if k == 0 else _add_square)(means[k], out=norm)
    np.sqrt(norm, out=norm)
    np.maximum(norm, 1e-9, out=norm)
    specific = np.empty_like(counts)
    for k in range(3):  # the departure from gravity's reaction along the mean's direction
        means[k] /= norm
        means[k] *= STANDARD_GRAVITY_MPS2
        np.subtract(acc_mps2[k], means[k], out=means[k])
        (np.square if k == 0 else _add_square)(means[k], out=specific)
    specific /= acc_noise_mps2**2
    turning = means[0]
    for k, component in enumerate(gyr_dps):
        (np.square if k == 0 else _add_square)(component, out=turning)
    turning /= gyr_noise_dps**2
    specific += turning
    stat = _moving_sum(specific, kernel)
    stat /= counts
    return stat


def _moving_sum(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The sums :func:`~calfload.signal._preprocess.rolling_mean` divides (``x``, copied, for a window of one)."""
    return np.convolve(x, kernel, mode="same") if kernel.size > 1 else np.array(x)


def _add_square(x: np.ndarray, *, out: np.ndarray) -> None:
    """``out += x**2`` (the next term of a sum of squares, added in order)."""
    np.add(out, np.square(x), out=out)


#: Widths up to this are summed in order by NumPy's ``convolve`` (BLAS's vector kernel starts at 16 terms).
_ORDERED_SUM_MAX = 15


def still_rate_dps(gyr_dps: np.ndarray, at: np.ndarray, width: int) -> np.ndarray:
    """``sqrt(rolling_mean(row_squares(gyr_dps), width))`` at rows ``at`` only (the same bits).

    A stride's ends are judged still by the rate's energy over the SHOE window around them; the
    window of row ``i`` is rows ``i - width // 2`` to ``i - width // 2 + width - 1`` (those inside
    the array), summed in order as ``rolling_mean``'s convolution sums them (up to
    :data:`_ORDERED_SUM_MAX` rows; wider windows, and windows wider than the array, whose
    convolution NumPy takes the other way round, take the whole rolling mean). The windows'
    rows are gathered at once, ``(width, at)``, and added up row by row (zero for rows outside
    the array; ``np.add.reduce`` would sum eight or more rows pairwise, not in order).
    """
    if width > _ORDERED_SUM_MAX or width > gyr_dps.shape[0]:
        return np.asarray(np.sqrt(rolling_mean(row_squares(gyr_dps), width))[at])
    n = gyr_dps.shape[0]
    first = at - width // 2
    rows = first + np.arange(width)[:, None]
    energy = row_squares(gyr_dps[np.clip(rows, 0, n - 1).reshape(-1)]).reshape(rows.shape)
    energy[(rows < 0) | (rows >= n)] = 0.0
    total = energy[0]
    for row in energy[1:]:
        total += row
    count = np.minimum(first + width, n) - np.maximum(first, 0)
    return np.asarray(np.sqrt(total / count))


def stance_minima(stat: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Index of the smallest value of ``stat[a:b]`` (clipped; the first of equals) for each row ``[a, b)``.

    An empty span gives -10**9. All spans at once: the spans are laid out as the rows of a matrix
    padded with +inf after their ends, so a padding cell is never chosen before a real one.
    """
    lo = np.maximum(spans[:, 0], 0).astype(np.int64)
    length = np.minimum(spans[:, 1], stat.size) - lo
    out = np.full(spans.shape[0], -(10**9), dtype=np.int64)
    some = length > 0
    if not some.any():
        return out
    lo, length = lo[some], length[some]
    offsets = np.arange(int(length.max()))
    cells = lo[:, None] + offsets
    values = stat[np.minimum(cells, stat.size - 1)]
    values[offsets >= length[:, None]] = np.inf
    out[some] = lo + np.argmin(values, axis=1)
    return out


__all__ = ["shoe_statistic", "stance_minima", "still_rate_dps"]
