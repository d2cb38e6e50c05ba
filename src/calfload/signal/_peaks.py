"""Peak finding in NumPy with ``scipy.signal.find_peaks``' rules (``scipy.signal`` costs a second to import).

- :func:`find_peaks` selects local maxima by height, distance and prominence with SciPy's
  rules (plateau midpoints, the highest peak wins a distance conflict, prominence from the lowest
  point before a higher sample on each side).
- :func:`peak_prominences` searches both sides of every peak in one pass: the signal, a wall
  higher than any sample, then the signal reversed, so each right-hand search is a left-hand one
  that stops at the wall as SciPy's stops at the signal's end. The analysis calls it on windows
  of 15,000 samples with about 180 peaks, where the cost is the count of NumPy calls, not the
  samples: one pass makes half the calls of two.

Prominences are minima and maxima of the samples, so they are SciPy's to the bit;
``tests/test_signal/test_kernels.py`` checks both functions against SciPy.
"""

from __future__ import annotations

import math

import numpy as np


def find_peaks(
    x: np.ndarray, *, height: float | None = None, distance: int | None = None, prominence: float | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Local maxima of a 1-D signal, as ``scipy.signal.find_peaks`` with these three conditions.

    Returns
    -------
    peaks, properties
        Peak indices; ``peak_heights`` when ``height`` is given and ``prominences`` when
        ``prominence`` is given, for the peaks kept.
    """
    x = np.asarray(x, dtype=np.float64)
    peaks = _local_maxima(x)
    props: dict[str, np.ndarray] = {}
    if height is not None:
        heights = x[peaks]
        keep = heights >= height
        peaks, props["peak_heights"] = peaks[keep], heights[keep]
    if distance is not None:
        keep = _select_by_distance(peaks, x[peaks], math.ceil(distance))
        peaks, props = peaks[keep], {name: v[keep] for name, v in props.items()}
    if prominence is not None:
        prom = peak_prominences(x, peaks)
        keep = prom >= prominence
        peaks, props = peaks[keep], {name: v[keep] for name, v in props.items()}
        props["prominences"] = prom[keep]
    return peaks, props


def _local_maxima(x: np.ndarray) -> np.ndarray:
    """Indices of strict local maxima; a flat top gives its middle (rounded down)."""
    if x.size < 3:
        return np.zeros(0, dtype=np.intp)
    step = np.diff(x)
    rising = step > 0
    if np.all(rising | (step < 0)):  # no flat tops and no NaN: a top rises, then falls
        return np.flatnonzero(rising[:-1] > rising[1:]) + 1
    starts = np.concatenate(([0], np.flatnonzero(np.diff(x) != 0) + 1))
    ends = np.concatenate((starts[1:] - 1, [x.size - 1]))
    values = x[starts]
    top = np.flatnonzero((values[1:-1] > values[:-2]) & (values[1:-1] > values[2:])) + 1
    return np.asarray((starts[top] + ends[top]) // 2, dtype=np.intp)


def _select_by_distance(peaks: np.ndarray, priority: np.ndarray, distance: int) -> np.ndarray:
    """Keep the highest peaks at least ``distance`` samples apart (SciPy's order of decisions)."""
    keep = np.ones(peaks.size, dtype=bool)
    if distance <= 1 or peaks.size < 2:
        return keep
    order = np.argsort(priority)
    # A peak at least ``distance`` from both neighbours neither removes nor is removed: only
    # the others are visited, in the same order.
    close = np.diff(peaks) < distance
    crowded = np.concatenate((close, [False])) | np.concatenate(([False], close))
    pos = peaks.tolist()
    for j in order[::-1][crowded[order[::-1]]].tolist():
        if not keep[j]:
            continue
        k = j - 1
        while k >= 0 and pos[j] - pos[k] < distance:
            keep[k] = False
            k -= 1
        k = j + 1
        while k < peaks.size and pos[k] - pos[j] < distance:
            keep[k] = False
            k += 1
    return keep


def peak_prominences(x: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """Prominence of each peak (local maxima of ``x``): its height above the higher of its two bases.

    A base is the lowest point between the peak and the nearest strictly higher sample on that
    side (or the signal's end), as in SciPy without ``wlen``.
    """
    if peaks.size == 0:
        return np.zeros(0)
    value = x[peaks]
    n = x.size
    if not np.isfinite(value).all():  # an infinite peak is as high as the wall: each side alone
        left = _base_minimum(x, peaks)
        right = _base_minimum(x[::-1], (n - 1 - peaks)[::-1])[::-1]
        return np.asarray(value - np.maximum(left, right))
    joined = np.empty(2 * n + 1)
    joined[:n] = x
    joined[n] = np.inf
    joined[n + 1 :] = x[::-1]
    bases = _base_minimum(joined, np.concatenate((peaks, 2 * n - peaks)))
    return np.asarray(value - np.maximum(bases[: peaks.size], bases[peaks.size :]))


def _base_minimum(x: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """Lowest value between each peak and the nearest strictly higher sample to its left.

    Only the tops of the signal's bumps (samples at least as high as both neighbours, and the
    two ends) can be the first higher point's bump, so the search runs over tops: a binary
    descent over maxima of spans of tops (behind a wall of +inf, so no step leaves the signal),
    then the minimum of the samples between (:func:`_span_minima`).
    """
    is_top = np.empty(x.size, dtype=bool)
    is_top[0] = is_top[-1] = True
    np.greater_equal(x[1:-1], x[:-2], out=is_top[1:-1])
    is_top[1:-1] &= x[1:-1] >= x[2:]
    tops = np.flatnonzero(is_top)
    value = x[peaks]
    # A top lower than every peak is never where a search stops, only a sample between: the
    # searches run over the others (the signal's ends stay: the minima start and end there).
    top_values = x[tops]
    higher = top_values >= value.min()
    higher[0] = higher[-1] = True
    if not higher.all():
        tops, top_values = tops[higher], top_values[higher]
    levels = tops.size.bit_length()  # steps of 1, 2, ..., 2**(levels - 1) reach every top
    wall = 1 << (levels - 1)
    high = np.empty(wall + tops.size)
    high[:wall] = np.inf
    high[wall:] = top_values
    spans = [high]  # spans[level][i]: the maximum of high[i : i + 2**level]
    for level in range(1, levels):
        half = 1 << (level - 1)
        spans.append(np.maximum(spans[-1][:-half], spans[-1][half:]))
    where = np.searchsorted(tops, peaks)  # every peak is a top
    pos = where + wall
    for level in range(levels - 1, -1, -1):
        step = pos - (1 << level)
        np.copyto(pos, step, where=spans[level][step] <= value)
    found = pos - wall - 1  # index into tops of the nearest higher top, -1 when none
    gaps = np.minimum.reduceat(x, tops[:-1] + 1)  # the minimum over (tops[t], tops[t + 1]]
    result = np.minimum(value, _span_minima(gaps, np.maximum(found, 0), where))
    none = found < 0
    result[none] = np.minimum(result[none], x[0])
    return np.asarray(result)


def _span_minima(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``min(values[lo:hi])`` for each pair (``+inf`` when empty), from a table of minima over spans of ``2**level``."""
    size = values.size
    levels = max(1, size.bit_length())
    table = np.full((levels, size), np.inf)
    table[0] = values
    for level in range(1, levels):
        half, width = 1 << (level - 1), size - (1 << level) + 1
        np.minimum(table[level - 1, :width], table[level - 1, half : half + width], out=table[level, :width])
    length = hi - lo
    level = np.log2(np.maximum(length, 1)).astype(np.intp)  # floor(log2(length)): exact for integers
    low = np.minimum(table[level, lo], table[level, np.maximum(hi - (1 << level), lo)])
    return np.asarray(np.where(length > 0, low, np.inf))


__all__ = ["find_peaks", "peak_prominences"]
