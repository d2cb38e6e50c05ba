"""Steps 4 and 5 of the foot-event detector (:mod:`calfload.signal._gait_foot`): toe-off and initial contact.

Both are timed on the sagittal rate ``ω`` at the grid rate, around each swing peak: toe-off is
the fastest plantarflexion before it, initial contact the end of its lobe after it. The searches
run over blocks of swings at once (a swings x samples array), never a Python loop per swing.
"""

from __future__ import annotations

from typing import Final

import numpy as np

#: Swings per block of the toe-off and initial-contact searches: their temporaries are swings x samples searched.
_SWINGS: Final = 4096


def toe_offs(omega: np.ndarray, swing: np.ndarray, search: int) -> np.ndarray:
    """Largest plantarflexion rate in the ``search`` samples before each swing peak (step 4)."""
    if swing.size == 0:
        return swing.copy()
    # Never reach back into the previous swing.
    previous = np.concatenate(([-1], swing[:-1]))
    offsets = np.arange(-search, 1)
    out = np.empty(swing.size, dtype=swing.dtype)
    for a in range(0, swing.size, _SWINGS):
        here = swing[a : a + _SWINGS]
        idx = np.clip(here[:, None] + offsets[None, :], 0, omega.size - 1)
        window = omega[idx]
        window[idx <= previous[a : a + _SWINGS, None]] = -np.inf
        best = idx[np.arange(here.size), np.argmax(window, axis=1)]
        out[a : a + _SWINGS] = np.where(omega[best] > 0, best, -1)
    return out


def initial_contacts(omega: np.ndarray, swing: np.ndarray, end_fraction: float, search: int) -> np.ndarray:
    """End of each swing lobe: the first sample after the swing peak where ``ω ≥ -end_fraction · depth`` (step 5).

    A heel strike stops the dorsiflexion abruptly, so ``ω`` crosses zero there; a forefoot
    strike only slows it to about zero before the heel comes down. Both end the lobe. The lobe
    is searched for at most ``search`` samples (the swing's end comes well within a second of
    its peak): a window as long as the gap to the next swing would grow with every pause.
    The first :data:`_FIRST` samples are searched for every swing, the rest only for the swings
    whose lobe had not ended there (the first end is the same either way): an hour's lobes end
    21-49 samples after their peaks at 97-200 Hz, where the whole search is 97-200.
    """
    if swing.size == 0:
        return swing.copy()
    nxt = np.concatenate((swing[1:], [omega.size]))
    level = -end_fraction * np.abs(omega[swing])
    out = _lobe_ends(omega, swing, nxt, level, 0, min(search, _FIRST))
    later = np.flatnonzero((out < 0) & (np.minimum(search, nxt - swing) > _FIRST))
    if later.size:
        out[later] = _lobe_ends(omega, swing[later], nxt[later], level[later], _FIRST, search)
    return out


#: Samples after a swing's peak searched for its lobe's end first (:func:`initial_contacts`).
_FIRST: Final = 64


def _lobe_ends(
    omega: np.ndarray, swing: np.ndarray, nxt: np.ndarray, level: np.ndarray, first: int, search: int
) -> np.ndarray:
    """The first sample ``swing + k`` with ``first <= k < search``, before ``nxt``, where ``ω >= level``; -1 if none."""
    out = np.empty(swing.size, dtype=swing.dtype)
    for a in range(0, swing.size, _SWINGS):
        here, until = swing[a : a + _SWINGS], nxt[a : a + _SWINGS]
        # Each swing's search ends at min(search, next swing), whatever the block's widest reach.
        offsets = np.arange(first, max(first + 1, min(search, int(np.max(until - here)))))
        idx = np.minimum(here[:, None] + offsets[None, :], omega.size - 1)
        ended = (omega[idx] >= level[a : a + _SWINGS, None]) & (idx < until[:, None])
        out[a : a + _SWINGS] = np.where(ended.any(axis=1), here + first + np.argmax(ended, axis=1), -1)
    return out


__all__ = ["initial_contacts", "toe_offs"]
