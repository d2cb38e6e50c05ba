"""Walk or run, fast or easy, along a series with a band of hysteresis (:mod:`calfload.signal._bouts`, steps 2-3).

:func:`hysteresis` gives the state of every value at once: a value above the band's top (below its
bottom) sets the state; where the state changes, it changes at the last crossing of the band's
middle before the value that decided it. :func:`hysteresis_loop` is the rule value by value, the
reference (and the path for a band whose bottom lies above its top, where one value can do both).
"""

from __future__ import annotations

import numpy as np


def hysteresis(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """True where ``x`` last crossed above ``high``, False where it last crossed below ``low``.

    The band decides *whether* the state changes; *where* is the last crossing of the band's
    middle before it, so a wide band does not delay the change. The same flags as
    :func:`hysteresis_loop`, made with whole-array passes: each value's state is that of the last
    value outside the band at or before it (the first value's side of the middle before any); each
    change reaches back over the values just before it on its new side of the middle, which stop
    at the previous change (the value that made it lies on the other side). NaN is never outside
    the band and lies below the middle.
    """
    n = x.size
    if not n:
        return np.zeros(0, dtype=bool)
    if low > high:
        return hysteresis_loop(x, low, high)
    middle = 0.5 * (low + high)
    up, down, side = x > high, x < low, x >= middle
    start = bool(side[0])
    index = np.arange(n)
    last = np.maximum.accumulate(np.where(up | down, index, -1))
    state = np.where(last >= 0, up[np.maximum(last, 0)], start)
    changes = np.flatnonzero(state != np.concatenate(([start], state[:-1])))
    if not changes.size:
        return state
    # Each value's run of one side of the middle starts here; a change reaches back to the run
    # before it if that run is on its new side.
    cuts = np.flatnonzero(side[1:] != side[:-1]) + 1
    run_start = np.zeros(n, dtype=np.intp)
    run_start[cuts] = cuts
    np.maximum.accumulate(run_start, out=run_start)
    before = np.maximum(changes - 1, 0)
    reach = np.where((changes > 0) & (side[before] == state[changes]), run_start[before], changes)
    edges = np.zeros(n + 1, dtype=np.intp)
    np.add.at(edges, reach, 1)
    np.add.at(edges, changes, -1)
    back = np.cumsum(edges[:-1]) > 0  # the values a change reached back over, still in the old state
    state[back] = ~state[back]
    return state


def hysteresis_loop(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """:func:`hysteresis` value by value: the reference."""
    middle = 0.5 * (low + high)
    state = bool(x[0] >= middle) if x.size else False
    out = np.empty(x.size, dtype=bool)
    for i, v in enumerate(x.tolist()):
        if (v > high and not state) or (v < low and state):
            state = not state
            j = i
            while j > 0 and out[j - 1] != state and (x[j - 1] >= middle) == state:
                j -= 1
            out[j:i] = state
        out[i] = state
    return out


__all__ = ["hysteresis", "hysteresis_loop"]
