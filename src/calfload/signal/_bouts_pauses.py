"""Step 4 of the bout segmentation (:mod:`calfload.signal._bouts`): what the pauses between gait bouts are.

A pause whose samples are still is ``stand``; any other takes the class most of its windows have
in the activity classifier (:func:`calfload.signal._activity.window_labels`, classified together
for all such pauses, and only as many as the vote needs: :mod:`calfload.signal._bouts_vote`): still
windows are ``stand``, calf-raise and hop windows ``calf_raise`` and ``hops``, anything else
``other``. Foot pods have their own classifier (a pod knows only that the foot stopped:
:mod:`calfload.signal._bouts_pod`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from calfload.recording import Recording
from calfload.schema import ACC_MPS2, GYR_DPS
from calfload.signal._activity_still import STILL_ACC_MPS2, STILL_GYR_DPS
from calfload.signal._bouts_types import Bout, BoutParams

#: Classes of the pauses ``(start_s, end_s)``, all at once.
Classify = Callable[[list[tuple[float, float]]], list[str]]


def with_pauses(gait: list[Bout], start: float, end: float, classify: Classify, params: BoutParams) -> list[Bout]:
    """Step 4: the time before, between and after the gait bouts, each as ``classify`` says."""
    spans = []
    reach = start
    for b in gait:
        if b.start_s > reach:
            spans.append((reach, b.start_s))
        reach = max(reach, b.end_s)
    if end > reach:
        spans.append((reach, end))
    # Before the first step and after the last, a moment shorter than a pause is no bout.
    spans = [(a, b) for a, b in spans if b - a > params.max_pause_s or start < a < b < end]
    if not spans:
        return gait
    pauses = [Bout(activity=c, start_s=a, end_s=b) for (a, b), c in zip(spans, classify(spans), strict=True)]
    merged: list[Bout] = []
    for bout in sorted([*gait, *pauses], key=lambda x: x.start_s):
        if merged and not bout.is_gait and merged[-1].activity == bout.activity:
            merged[-1] = replace(merged[-1], end_s=bout.end_s)
        else:
            merged.append(bout)
    return merged


def pause_classifier(rec: Recording, params: BoutParams) -> Classify:
    """Step 4's classes of an IMU recording's pauses: still, or by the windows overlapping them (classified once)."""

    def classify(spans: list[tuple[float, float]]) -> list[str]:
        inner = [_inner(a, b, params) for a, b in spans]
        still = _stills(rec, inner)
        moving = [span for span, is_still in zip(inner, still, strict=True) if not is_still]
        votes = iter(_moving_votes(rec, moving) if moving else [])
        return ["stand" if is_still else next(votes) for is_still in still]

    return classify


def _moving_votes(rec: Recording, moving: list[tuple[float, float]]) -> list[str]:
    """The vote of the activity classifier's windows over each moving pause, classifying only the windows it needs."""
    # The classifier's windows: only for pauses that move.
    from calfload.signal._activity_grid import SpanWindows
    from calfload.signal._activity_windows import ActivityParams, grid_labels, neither_still_hop_nor_raise
    from calfload.signal._bouts_vote import pause_votes

    activity = ActivityParams()
    windows = SpanWindows(rec, activity, moving)
    placement = rec.meta.placement

    def look(chosen: list[int]) -> list[bool]:
        # A window the acceleration alone shows as gait or unclear counts as "other" in the vote.
        norms, bounds = windows.acc_norms(chosen)
        decided: list[bool] = neither_still_hop_nor_raise(norms, bounds, placement, activity).tolist()
        return decided

    def labels_of(chosen: list[int]) -> list[str]:
        # Only the windows the look left open, and only those the vote cannot settle without.
        return grid_labels(windows.rows(chosen), placement, activity)

    return pause_votes(moving, windows.spans_s, labels_of, look)


def _inner(a: float, b: float, params: BoutParams) -> tuple[float, float]:
    """The part of a pause its class is judged on: ``edge_s`` in from each end, unless that leaves nothing."""
    lo, hi = a + params.edge_s, b - params.edge_s
    return (lo, hi) if hi > lo else (a, b)


def _still(rec: Recording, lo: float, hi: float) -> bool:
    """The activity classifier's still test on the pause itself (a window is longer than a short stop)."""
    return _stills(rec, [(lo, hi)])[0]


#: Samples whose norms the still test gathers at once (bounded temporaries however long the pauses).
_GATHER = 1 << 18


def _stills(rec: Recording, spans: Sequence[tuple[float, float]]) -> list[bool]:
    """:func:`_still` of each span ``(lo, hi)``: its samples' norms vary less than the still thresholds.

    The norms of many spans' samples are made at once (each sample's norm is its own arithmetic);
    the acceleration's only for the spans whose angular rate is still. Each span's variance is
    first summed for all spans at once (:func:`_clear_of`); only a span whose variance is within
    a relative 1e-6 of the threshold's square takes its own ``std``, the test's reference.
    """
    t = rec.t_s
    first = np.searchsorted(t, [lo for lo, _ in spans]).tolist()
    end = np.searchsorted(t, [hi for _, hi in spans], side="right").tolist()
    rows = {i: (a, b) for i, (a, b) in enumerate(zip(first, end, strict=True)) if b - a >= 3}
    for names, limit in ((GYR_DPS, STILL_GYR_DPS), (ACC_MPS2, STILL_ACC_MPS2)):
        kept: dict[int, tuple[int, int]] = {}
        for batch in _batches(list(rows.items())):
            ranges = [r for _, r in batch]
            norms = _norms(rec, names, ranges)
            at = np.cumsum([0, *(b - a for a, b in ranges)])
            clear = _clear_of(norms, at, limit)
            bounds = at.tolist()
            kept.update(
                (i, r)
                for k, (i, r) in enumerate(batch)
                if clear[k] < 0 or (clear[k] == 0 and norms[bounds[k] : bounds[k + 1]].std() < limit)
            )
        rows = kept
    return [i in rows for i in range(len(spans))]


def _clear_of(norms: np.ndarray, at: np.ndarray, limit: float) -> list[int]:
    """Each segment ``norms[at[k]:at[k + 1]]`` (3 or more): -1 if its std is surely under ``limit``, 1 over, 0 unsure.

    The segments' variances at once, with ``np.add.reduceat`` (sums in order, not NumPy's
    pairwise ones): each sum is within ``n`` roundings of the exact one (norms are not negative),
    so the two variances are within a relative ``2 n`` roundings of each other, plus the square
    of the means' errors. A variance within 1e-6 of ``limit²`` (far more than those for any
    segment under 1e9 samples) plus ``(4 n eps mean)²`` is unsure.
    """
    counts = np.diff(at)
    starts = at[:-1]
    with np.errstate(invalid="ignore", over="ignore"):  # inf and NaN samples: unsure, or surely above
        means = np.add.reduceat(norms, starts) / counts
        deviations = norms - np.repeat(means, counts)
        variances = np.add.reduceat(np.square(deviations, out=deviations), starts) / counts
        slack = 1e-6 * limit * limit + np.square(4.0 * np.finfo(np.float64).eps * counts * means)
        clear = np.where(variances <= limit * limit - slack, -1, np.where(variances >= limit * limit + slack, 1, 0))
    return [int(c) for c in clear.tolist()]


def _batches(items: list[tuple[int, tuple[int, int]]]) -> list[list[tuple[int, tuple[int, int]]]]:
    """``items`` ``(span, (a, b))`` in consecutive batches of about :data:`_GATHER` samples (a longer span alone)."""
    out: list[list[tuple[int, tuple[int, int]]]] = []
    size = _GATHER
    for item in items:
        length = item[1][1] - item[1][0]
        if size + length > _GATHER:
            out.append([])
            size = 0
        out[-1].append(item)
        size += length
    return out


def _norms(rec: Recording, names: Sequence[str], rows: slice | np.ndarray | list[tuple[int, int]]) -> np.ndarray:
    """Row norms of samples ``rows`` of three columns in float64, as :func:`calfload._stats.row_norms` of them.

    ``rows``: a slice, indices, or runs ``[a, b)`` one after another (their slices copied, not
    gathered by index). The same squares summed column by column, without stacking the columns.
    """
    if isinstance(rows, list):
        columns = [np.concatenate([rec.columns[name][a:b] for a, b in rows]) for name in names]
    else:
        columns = [rec.columns[name][rows] for name in names]
    out = np.zeros(columns[0].size)
    for column in columns:
        out += np.square(column, dtype=np.float64)
    return np.sqrt(out, out=out)


__all__ = ["Classify", "pause_classifier", "with_pauses"]
