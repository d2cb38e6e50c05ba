"""Step 2 of the foot-event detector (:mod:`calfload.signal._gait_foot`): the sign of the sagittal rate.

Whatever the mounting, the motion that follows the stillest moments of stance is plantarflexion,
so ``ω`` is signed to make it positive. The stillest moments ("calm" minima) are the local minima
of the smoothed ``|ω|`` where the foot reads about 1 g; each adds the rate of the 0.25 s after it
to the vote.

The "about 1 g" test reads the acceleration, low-passed at 2 Hz, only at the calm minima, and
those are a few hundred to a few thousand an hour. Its answer changes the vote only through the
minima it leaves out, so the vote is settled from bounds (:func:`settled_sign`): the minima whose
test is not yet read could each count or not, and once the count of those read holds the sign
whatever the others do, the others are never read. The acceleration is then put on the grid only
around the minima read (:func:`calm_away`), 5-20 % of an hour, not the whole of it. The sign is the
sign of the vote made with every minimum's test read, by construction: a value within 1e-9 of the
test's line, or a vote within 1e-9 of its summed magnitudes of zero, reads them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np

from calfload._stats import percentile, row_norms
from calfload.signal._chunks import Chunks, chunked_peaks
from calfload.signal._gait_foot_front import (
    CALM_LOWPASS_HZ,
    GridColumns,
    GridRows,
    _away_into,
    _zero_phase_response,
    filtered_at,
)
from calfload.signal._preprocess import lowpass
from calfload.units import STANDARD_GRAVITY_MPS2

#: The "foot flat" line: the low-passed ``| |acc| - 1 g |`` at a calm minimum must be under it.
FLAT_LIMIT_MPS2: Final = 0.3 * STANDARD_GRAVITY_MPS2

#: Relative margin within which a value, or the vote, is too close to its line to be settled by bounds.
_MARGIN: Final = 1e-9

#: Fewest tests asked for at a time: an ask costs about as much as 25 tests (the run hour's 5 asks of 1-37: 5.8 ms).
_FIRST_ASKED: Final = 16

#: Low-passed ``| |acc| - 1 g |`` at grid samples ``index`` (:func:`calm_away` bound to a piece's grid).
AwayAt = Callable[[np.ndarray], np.ndarray]


def plantarflexion_sign(omega: np.ndarray, away_at: AwayAt, fs: float, chunks: Chunks) -> float:
    """+1 when the motion after the stillest moments of stance is positive, else -1 (step 2).

    The stillest moments are the local minima of the smoothed ``|ω|`` (at least 0.25 s apart,
    under 0.35 of its 90th percentile) where the accelerometer reads about 1 g (``away_at``: the
    low-passed ``| |acc| - 1 g |`` at given samples, under :data:`FLAT_LIMIT_MPS2`; the foot is
    flat on the ground, not at the top of its swing, where the rotation also reverses). The rate in
    the 0.25 s after each is summed over the recording; +1 when no moment qualifies.
    """
    envelope = np.empty(omega.size)
    for w in chunks.windows():
        envelope[w.start : w.end] = lowpass(np.abs(omega[w.lo : w.hi, None]), CALM_LOWPASS_HZ, fs)[w.core, 0]
    np.negative(envelope, out=envelope)  # its minima as peaks, without a negated copy
    calm = chunked_peaks(envelope, chunks, distance=max(1, round(0.25 * fs)))
    np.negative(envelope, out=envelope)
    level = envelope[calm]
    high = float(percentile(envelope, 90, overwrite_input=True))
    del envelope
    calm = calm[level < 0.35 * high]
    if calm.size == 0:
        return 1.0
    after = round(0.25 * fs)
    cum = np.empty(omega.size + 1)
    cum[0] = 0.0
    np.cumsum(omega, out=cum[1:])
    votes = cum[np.minimum(calm + after, omega.size)] - cum[calm]
    del cum
    return settled_sign(votes, lambda which: away_at(calm[which]))


def settled_sign(votes: np.ndarray, away_at: AwayAt) -> float:
    """The sign of the sum of the ``votes`` whose calm test passes: +1 at zero or above, else -1.

    ``away_at(which)`` gives the tested values of the votes ``which`` (a vote counts when its value
    is under :data:`FLAT_LIMIT_MPS2`). The values are asked for the largest votes first, only as
    many as the bounds need: a vote not yet tested adds between ``min(v, 0)`` and ``max(v, 0)``.
    The result is the sign of ``np.sum(votes[passing])`` with every value read: the bounds are
    trusted only beyond :data:`_MARGIN` of the votes' summed magnitudes (the sums' rounding is
    some 1e-15 of it), and a value within :data:`_MARGIN` of the line reads every value.
    """
    n = votes.size
    tol = _MARGIN * float(np.sum(np.abs(votes)))
    order = np.argsort(-np.abs(votes), kind="stable")
    known = np.zeros(n, dtype=bool)
    passing = np.zeros(n, dtype=bool)
    batch = 0
    while True:
        todo = order[~known[order]]
        held = float(np.sum(votes[passing]))
        if todo.size == 0:
            return 1.0 if held >= 0 else -1.0
        batch = max(_fewest_to_settle(votes[todo], held, tol), 2 * batch, _FIRST_ASKED)
        which = todo[:batch]
        values = away_at(which)
        if np.any(np.abs(values - FLAT_LIMIT_MPS2) <= _MARGIN * FLAT_LIMIT_MPS2):
            every = np.arange(n)
            passing = away_at(every) < FLAT_LIMIT_MPS2
            return 1.0 if float(np.sum(votes[passing])) >= 0 else -1.0
        known[which] = True
        passing[which] = values < FLAT_LIMIT_MPS2
        held = float(np.sum(votes[passing]))
        rest = votes[~known]
        if held + float(np.sum(np.minimum(rest, 0.0))) > tol:
            return 1.0
        if held + float(np.sum(np.maximum(rest, 0.0))) < -tol:
            return -1.0


def _fewest_to_settle(todo: np.ndarray, held: float, tol: float) -> int:
    """How many of the untested votes ``todo`` (largest first) settle the sign if they all pass (all when none do)."""
    # After the first j pass: held + their sum, and each later vote at its worst for either sign.
    taken = held + np.cumsum(todo)
    below = np.cumsum(np.minimum(todo[::-1], 0.0))[::-1]  # [j] = the negative votes from j on
    above = np.cumsum(np.maximum(todo[::-1], 0.0))[::-1]
    low = taken[:-1] + below[1:]
    high = taken[:-1] + above[1:]
    settled = np.flatnonzero((low > tol) | (high < -tol))
    return int(settled[0]) + 1 if settled.size else todo.size


def calm_away(rows: GridRows, chunks: Chunks, columns: GridColumns | None, index: np.ndarray, fs: float) -> np.ndarray:
    """``| |acc| - 1 g |`` low-passed at :data:`CALM_LOWPASS_HZ` at grid samples ``index``, the sign vote's calm test.

    The values of :func:`filtered_at` over the whole piece's ``| |acc| - 1 g |``
    (:func:`calfload.signal._gait_foot_front.read_away`) to its rounding: only the samples the
    filter's impulse response reaches around each index are put on the grid (the same values),
    with the piece's first and last for the odd extension at its ends; the rest of the array is
    never written or read. A piece too short for the response is read whole.
    """
    n = chunks.n
    half = _zero_phase_response(CALM_LOWPASS_HZ, fs).size // 2
    if n <= 2 * (2 * half + 1) or index.size == 0:
        spans = [(0, n)]
    else:
        at = np.sort(np.asarray(index, dtype=np.intp))
        lo, hi = np.maximum(at - half, 0), np.minimum(at + half + 1, n)
        # Overlapping reaches joined: a span ends where the next one starts after it.
        breaks = np.flatnonzero(lo[1:] > hi[:-1])
        starts = np.concatenate(([lo[0]], lo[breaks + 1])).tolist()
        ends = np.concatenate((hi[breaks], [hi[-1]])).tolist()
        spans = list(zip(starts, ends, strict=True))
        spans += [(0, 1)] if spans[0][0] > 0 else []
        spans += [(n - 1, n)] if spans[-1][1] < n else []
    away = np.empty(n)
    for a, b in spans:
        if columns is None:
            acc = rows(a, b).acc_mps2
            np.abs(row_norms(acc) - STANDARD_GRAVITY_MPS2, out=away[a:b])
        else:
            _away_into(away[a:b], *columns(a, b, "acc"))
    return filtered_at(away, np.asarray(index, dtype=np.intp), CALM_LOWPASS_HZ, fs)


__all__ = ["FLAT_LIMIT_MPS2", "AwayAt", "calm_away", "plantarflexion_sign", "settled_sign"]
