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

On the IPOL walk tiled to an hour (120 moving pauses over 517 windows), the first round (239
windows) settles half the pauses; the other half are close calls between a calf-raise-like
window over the pause's middle and gait windows at its edges, which take every window: 359
windows are classified in all, in three rounds.

When the caller can *look* at windows cheaply (``look``: from its acceleration alone, a window can
be shown to be none of still, hops and a calf raise, so ``other`` in the vote), every window over
a pause is looked at first, and only the windows the look leaves open are classified, as the vote
needs them. On the IPOL hour the look leaves open one window a pause (the calf-raise-like middle,
or an unclear one), and the other windows outweigh it in every pause: no window is classified
whole, and 517 windows are looked at, in one pass.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

#: Window classes of the activity classifier -> bout activity of a pause.
PAUSE_ACTIVITY = {"still": "stand", "calf_raise": "calf_raise", "hops": "hops"}
#: A class settles the vote early only when it leads by this share of the pause's whole overlap
#: beyond what the unclassified windows could add to another (sums in another order round
#: differently, by about 1e-16 of the overlap a window).
MARGIN = 1e-9
#: The classes (``still`` or a window class; ``other`` for a window known to be none of ``still``,
#: ``calf_raise`` and ``hops``) of the windows at the given increasing indices.
LabelsOf = Callable[[list[int]], list[str]]
#: For the windows at the given increasing indices: True where the window is cheaply shown to be
#: none of ``still``, ``calf_raise`` and ``hops`` (``other`` in the vote), False where it is not.
Look = Callable[[list[int]], list[bool]]


def pause_votes(
    pauses: Sequence[tuple[float, float]],
    windows_s: Sequence[tuple[float, float]],
    labels_of: LabelsOf,
    look: Look | None = None,
) -> list[str]:
    """The bout activity of each pause ``(lo, hi)``: :func:`full_vote` of the windows ``windows_s`` over it.

    Parameters
    ----------
    pauses
        The parts of the pauses judged, ``(lo_s, hi_s)``.
    windows_s
        Every window that may overlap a pause, ``(start_s, end_s)``, in order of their start.
    labels_of
        Classifies windows (indices into ``windows_s``); asked for each window at most once.
    look
        Looks at windows cheaply: asked once, for every window over a pause, before ``labels_of``,
        which is then asked only of windows it leaves open. None: every window is classified.

    Returns
    -------
    list of str
        ``stand``, ``calf_raise``, ``hops`` or ``other``, one per pause.
    """
    starts = [a for a, _ in windows_s]
    reach = 2.0 * max((b - a for a, b in windows_s), default=0.0)  # twice the longest window: a margin for rounding
    ballots = [_ballot(lo, hi, windows_s, starts, reach) for lo, hi in pauses]
    known: dict[int, str] = {}
    if look is not None:
        every = sorted({i for over, _ in ballots for i in over})
        known.update((i, "other") for i, other in zip(every, look(every) if every else [], strict=True) if other)
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


def _ballot(
    lo: float, hi: float, windows_s: Sequence[tuple[float, float]], starts: list[float], reach: float
) -> tuple[list[int], list[float]]:
    """The windows overlapping ``(lo, hi)`` and their overlaps, largest first (ties in the windows' order).

    The windows are in order of their ``starts``; one that ends after ``lo`` starts after ``lo``
    less the longest window, so only those from ``lo - reach`` on are looked at.
    """
    first, last = bisect.bisect_right(starts, lo - reach), bisect.bisect_left(starts, hi)
    over = [i for i in range(first, last) if windows_s[i][1] > lo]
    shared = [min(windows_s[i][1], hi) - max(windows_s[i][0], lo) for i in over]
    order = sorted(range(len(over)), key=lambda k: -shared[k])  # stable: ties keep the windows' order
    return [over[k] for k in order], [shared[k] for k in order]


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
    leader, lead, second = "", 0.0, 0.0  # every class's overlap is positive
    for key, total in sums.items():
        if total > lead:
            leader, lead, second = key, total, lead
        elif total > second:
            second = total
    if leader and lead > second + rest + margin:
        return leader, []
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


__all__ = ["MARGIN", "PAUSE_ACTIVITY", "LabelsOf", "Look", "full_vote", "pause_votes"]
