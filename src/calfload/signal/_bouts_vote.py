"""Step 4's vote of a moving pause's windows (:mod:`calfload.signal._bouts_pauses`), settled early (issue 15).

A pause that moves takes the class whose activity-classifier windows overlap it most
(:func:`full_vote`). Once the windows classified so far give one class more overlap than any
other class has plus all the overlap still unclassified (with a margin far above rounding), no
window left can change the answer, so those are not classified. Each round classifies, for every
pause still open, its next windows by overlap (largest first) until the leading class could
settle the vote if they all went its way; the windows of all open pauses are classified
together. A pause whose windows are all classified without settling early (a tie, or within the
margin) takes :func:`full_vote`, the reference. A window's class comes from its own rows
(:func:`calfload.signal._activity_windows.grid_labels`), so the answer is the full vote's.

On the IPOL walk tiled to an hour (120 pauses over 517 windows), the first round's windows
settle most pauses; about 360 windows are classified in all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

#: Window classes of the activity classifier -> bout activity of a pause.
PAUSE_ACTIVITY = {"still": "stand", "calf_raise": "calf_raise", "hops": "hops"}
#: A class settles the vote early only when it leads by this share of the pause's whole overlap
#: beyond what the unclassified windows could add to another (sums in another order round
#: differently, by about 1e-16 of the overlap a window).
MARGIN = 1e-9
#: The classes (``still`` or a window class) of the windows at the given increasing indices.
LabelsOf = Callable[[list[int]], list[str]]


def pause_votes(
    pauses: Sequence[tuple[float, float]], windows_s: Sequence[tuple[float, float]], labels_of: LabelsOf
) -> list[str]:
    """The bout activity of each pause ``(lo, hi)``: :func:`full_vote` of the windows ``windows_s`` over it.

    Parameters
    ----------
    pauses
        The parts of the pauses judged, ``(lo_s, hi_s)``.
    windows_s
        Every window that may overlap a pause, ``(start_s, end_s)``.
    labels_of
        Classifies windows (indices into ``windows_s``); asked for each window at most once.

    Returns
    -------
    list of str
        ``stand``, ``calf_raise``, ``hops`` or ``other``, one per pause.
    """
    starts = np.array([w[0] for w in windows_s], dtype=np.float64)
    ends = np.array([w[1] for w in windows_s], dtype=np.float64)
    ballots = []
    for lo, hi in pauses:
        over = np.flatnonzero((ends > lo) & (starts < hi))
        shared = np.minimum(ends[over], hi) - np.maximum(starts[over], lo)
        order = np.argsort(-shared, kind="stable")
        ballots.append((over[order].tolist(), shared[order].tolist()))
    known: dict[int, str] = {}
    answers = [""] * len(ballots)
    pending = list(range(len(ballots)))
    while pending:
        wanted: set[int] = set()
        still_open = []
        for p in pending:
            over, shared = ballots[p]
            answer, more = _settled(over, shared, known)
            if more:
                wanted.update(more)
                still_open.append(p)
            elif answer is not None:
                answers[p] = answer
            else:  # every window classified, none leading by the margin: the reference vote
                lo, hi = pauses[p]
                answers[p] = full_vote(lo, hi, [(*windows_s[i], known[i]) for i in sorted(over)])
        if wanted:
            chosen = sorted(wanted)
            known.update(zip(chosen, labels_of(chosen), strict=True))
        pending = still_open
    return answers


def _settled(over: list[int], shared: list[float], known: dict[int, str]) -> tuple[str | None, list[int]]:
    """``(class, [])`` when the classified windows settle the vote, ``(None, windows to classify next)`` when not.

    ``(None, [])`` when every window is classified and no class leads by the margin.
    """
    sums: dict[str, float] = {}
    rest = 0.0
    unknown: list[tuple[int, float]] = []
    for i, s in zip(over, shared, strict=True):
        label = known.get(i)
        if label is None:
            rest += s
            unknown.append((i, s))
        else:
            key = PAUSE_ACTIVITY.get(label, "other")
            sums[key] = sums.get(key, 0.0) + s
    margin = MARGIN * sum(shared)
    ranked = sorted(sums.items(), key=lambda kv: kv[1], reverse=True)
    lead = ranked[0][1] if ranked else 0.0
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if ranked and lead > second + rest + margin:
        return ranked[0][0], []
    if not unknown:
        return None, []
    more, added = [], 0.0
    for i, s in unknown:  # largest overlap first, until they could settle it for the leader
        more.append(i)
        added += s
        if lead + added > second + (rest - added) + margin:
            break
    return None, more


def full_vote(lo: float, hi: float, windows: Sequence[tuple[float, float, str]]) -> str:
    """The class of the windows (in order of their start) with the most overlap with ``(lo, hi)``: the reference."""
    overlap: dict[str, float] = {}
    for w0, w1, label in windows:
        shared = min(w1, hi) - max(w0, lo)
        if shared > 0:
            key = PAUSE_ACTIVITY.get(label, "other")
            overlap[key] = overlap.get(key, 0.0) + shared
    return max(overlap, key=lambda k: overlap[k]) if overlap else "other"


__all__ = ["MARGIN", "PAUSE_ACTIVITY", "LabelsOf", "full_vote", "pause_votes"]
