"""The activity of an IMU recording from its signal: walking or running, calf raises, hops, or standing.

:func:`detect_activity` is used by :func:`calfload.signal.analyze` when neither the command line
nor the metadata names the activity. It works for any mounting (only the norms of acceleration
and angular rate are used) and any rate of 25 Hz and more. The steps, numbered as in the code:

1-3. **Windows**, their features and classes: :mod:`calfload.signal._activity_windows`.
4. **Decision** (:func:`decide`). The class holding most of the moving time wins, with that
   share as the confidence. Windows overlap by half; each stretch of time goes to the classes of
   the windows over it in equal parts, except that an *unclear* window at the start or end of
   a stretch of movement (it straddles a standing start or stop: half standing, half walking)
   yields the half it shares with a classified window. Walking between calf-raise sets is
   expected, so calf raises win over gait when at least ``calf_share`` of the moving time, and
   at least ``calf_set_s`` (about one set), is calf-raise-like, and the walking of a swinging
   foot or shank counts towards their confidence; calf-raise-like movement that does not win
   (the slow shuffle before a walk) is left out of the other classes' confidence, as standing
   is. On a leg, an unclear window of someone standing and shifting their weight
   (``fidget_dps``) counts as still. Fewer than ``min_moving_s`` of movement is *standing*. Below ``min_confidence`` the
   activity is None: the data cannot tell.

Walking and running are told apart afterwards by the gait analysis (duty factor, cadence).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from calfload._stats import median
from calfload.errors import AnalysisError
from calfload.recording import Recording
from calfload.signal._activity_types import ActivityGuess, WindowFeatures
from calfload.signal._activity_windows import (
    LEGS,
    WINDOW_CLASSES,
    ActivityParams,
    classified_windows,
    window_labels,
)


def detect_activity(recording: Recording, params: ActivityParams | None = None) -> ActivityGuess:
    """Tell walking or running, calf raises, hops and standing apart from an IMU recording.

    Parameters
    ----------
    recording
        An IMU recording (any mounting); its placement narrows the choice (calf raises and hops
        only on the foot, shank or an unknown placement).
    params
        Thresholds; the defaults are the reviewed ones.

    Returns
    -------
    ActivityGuess
        The activity (None when the data cannot tell), its confidence and the deciding features.
    """
    params = params or ActivityParams()
    windows = [w for _, _, w in classified_windows(recording, params)]
    return decide(windows, params, placement=recording.meta.placement)


def decide(
    windows: Sequence[WindowFeatures | None], params: ActivityParams, *, placement: str = "unknown"
) -> ActivityGuess:
    """Step 4: the activity from the windows of a recording in time order (None for a still one).

    On a leg (``placement`` foot, shank or thigh) an unclear window of someone standing and
    shifting their weight counts as still; elsewhere the same small movement (sitting down,
    reaching) is daily living and counts against one activity.
    """
    if placement in LEGS:
        windows = [None if w is not None and _fidgets(w, params) else w for w in windows]
    windows = _without_unclear_end_windows(windows)
    moving = [w for w in windows if w is not None]
    moving_s = _covered_s([(w.start_s, w.end_s) for w in moving])
    if moving_s < params.min_moving_s:
        return ActivityGuess("standing", 1.0, moving_s, (), (), "the sensor barely moved: standing or sitting still")
    straddling = {id(w) for w in _at_moving_edges(windows) if w.label == "unclear"}
    shares = _time_shares(moving, lambda w: _STRADDLE if id(w) in straddling else w.label)
    share = dict(shares)
    calf_s = share["calf_raise"] * moving_s
    if share["calf_raise"] >= max(params.calf_share, share["hops"]) and calf_s >= params.calf_set_s:
        best = "calf_raise"
    else:
        best = max(("gait", "hops", "calf_raise"), key=lambda c: share[c])
    features = _median_features([w for w in moving if w.label == best] or moving)
    confidence = share[best]
    if best != "calf_raise" and 0.0 < share["calf_raise"] < 1.0:
        # Calf-raise-like movement that did not win (less than a set: the slow shuffle before a
        # walk) is no rival: it counts as standing does, outside the shares that decide.
        confidence /= 1.0 - share["calf_raise"]
    if best == "calf_raise":
        # Walking between sets (a swinging foot or shank) belongs to a calf-raise session.
        walking = _time_shares(moving, lambda w: "walking" if _swings(w, params) else "other")
        confidence += dict(walking).get("walking", 0.0)
    if confidence < params.min_confidence - 1e-9:  # shares are sums of floats: 0.6 may come out 0.5999...
        told = ", ".join(f"{round(100 * v)} % {k.replace('_', ' ')}" for k, v in shares if v > 0)
        return ActivityGuess(
            None, confidence, moving_s, shares, features, f"the movement does not look like one activity ({told})"
        )
    return ActivityGuess(best, confidence, moving_s, shares, features, _reason(best, features))


def _fidgets(w: WindowFeatures, params: ActivityParams) -> bool:
    """An unclear window of someone standing and shifting their weight: it counts as still (``fidget_dps``)."""
    return (
        w.label == "unclear"
        and w.gyr_p95_dps < params.fidget_dps
        and w.acc_p01_g >= 1.0 - params.fidget_g
        and w.acc_p99_g <= 1.0 + params.fidget_g
    )


def _without_unclear_end_windows(windows: Sequence[WindowFeatures | None]) -> list[WindowFeatures | None]:
    """The windows less an unclear one aligned with the data's end (overlapping the one before by over half).

    Such a window adds only the tail after the grid's last window; unclear, it says nothing about
    it (the standing after a walk's stop), so the tail stays out of the shares, as without it.
    """
    out: list[WindowFeatures | None] = []
    for i, w in enumerate(windows):
        before = windows[i - 1] if i > 0 else None
        overlap_s = before.end_s - w.start_s if before is not None and w is not None else 0.0
        if w is not None and w.label == "unclear" and overlap_s > (w.end_s - w.start_s) / 2 + 1e-9:
            continue
        out.append(w)
    return out


#: The label of an unclear window at the start or end of a stretch of movement (see :func:`_time_shares`).
_STRADDLE = "straddle"


def _at_moving_edges(windows: Sequence[WindowFeatures | None]) -> list[WindowFeatures]:
    """The moving windows that start or end a stretch of movement (next to stillness, a gap or the file's end).

    A stretch is a run of overlapping moving windows. A window is at its edge when it starts or
    ends less than half its length from the stretch's start or end: the first and last window of
    the half-overlapping grid, and the one before the last when the last is aligned with the
    data's end (both hold the stop).
    """
    out: list[WindowFeatures] = []
    stretch: list[WindowFeatures] = []
    for w in [*windows, None]:
        if w is not None and (not stretch or stretch[-1].end_s > w.start_s):
            stretch.append(w)
            continue
        if stretch:
            lo, hi = stretch[0].start_s, max(x.end_s for x in stretch)
            out += [x for x in stretch if min(x.start_s - lo, hi - x.end_s) < (x.end_s - x.start_s) / 2]
        stretch = [] if w is None else [w]
    return out


def _time_shares(
    windows: Sequence[WindowFeatures], label: Callable[[WindowFeatures], str]
) -> tuple[tuple[str, float], ...]:
    """Share of the windows' covered time of every label, each stretch shared by the windows over it.

    Windows overlap by half (the last, aligned with the data's end, by more), so each stretch
    between window edges lies under one to three windows, and goes to the labels of the windows
    over it in equal parts. One exception: a window that straddles the standing start or the
    stop of a movement (label :data:`_STRADDLE`; half standing, half walking, its cycle blurred)
    is ``unclear`` for lack of evidence, and the half it shares with a window that found a class
    goes to that class. Labels outside :data:`WINDOW_CLASSES` (a caller's own) are kept.
    """
    edges = sorted({t for w in windows for t in (w.start_s, w.end_s)})
    ordered = sorted(windows, key=lambda w: w.start_s)
    time: dict[str, float] = dict.fromkeys(WINDOW_CLASSES, 0.0)
    active: list[WindowFeatures] = []  # the windows over the stretch: a sweep, linear in the windows
    following = 0
    for lo, hi in itertools.pairwise(edges):
        while following < len(ordered) and ordered[following].start_s < hi:
            active.append(ordered[following])
            following += 1
        active = [w for w in active if w.end_s > lo]
        over = {label(w) for w in active}
        found = over - {_STRADDLE} or over
        for name in found:
            key = "unclear" if name == _STRADDLE else name
            time[key] = time.get(key, 0.0) + (hi - lo) / len(found)
    total = sum(time.values())
    return tuple((k, v / total if total > 0 else 0.0) for k, v in time.items())


def _swings(w: WindowFeatures, params: ActivityParams) -> bool:
    """A gait window of a swinging foot or shank: the walking between calf-raise sets."""
    return w.label == "gait" and w.gyr_p95_dps >= params.swing_dps


def _covered_s(spans: list[tuple[float, float]]) -> float:
    """Total time covered by possibly overlapping ``(start, end)`` spans."""
    total, reach = 0.0, -math.inf
    for a, b in sorted(spans):
        total += max(0.0, b - max(a, reach))
        reach = max(reach, b)
    return total


def _median_features(windows: list[WindowFeatures]) -> tuple[tuple[str, float], ...]:
    def med(values: list[float]) -> float:
        finite = [v for v in values if math.isfinite(v)]
        return float(median(finite)) if finite else math.nan

    return (
        ("cycle_s", med([w.cycle_s for w in windows])),
        ("periodicity", med([w.periodicity for w in windows])),
        ("gyr_p95_dps", med([w.gyr_p95_dps for w in windows])),
        ("axis_share", med([w.axis_share for w in windows])),
        ("acc_p01_g", med([w.acc_p01_g for w in windows])),
        ("acc_p99_g", med([w.acc_p99_g for w in windows])),
    )


def _reason(activity: str, features: tuple[tuple[str, float], ...]) -> str:
    f = dict(features)
    cycle = f"a {f['cycle_s']:.2f} s cycle" if math.isfinite(f["cycle_s"]) else "no regular cycle"
    turn = f", turning at up to {f['gyr_p95_dps']:.0f} deg/s" if math.isfinite(f["gyr_p95_dps"]) else ""
    what = {
        "gait": "walking or running",
        "calf_raise": "calf raises (slow, smooth movement without impacts)",
        "hops": "hops (flight and landing impacts without a stride's swing)",
    }[activity]
    return f"{what}: {cycle}{turn}"


def activity_to_analyse(recording: Recording, params: ActivityParams | None = None) -> tuple[str, ActivityGuess]:
    """The analysis to run on a recording whose activity nobody named: ``gait``, ``calf_raise`` or ``hops``.

    Raises
    ------
    AnalysisError
        If the recording shows standing still, or the data cannot tell the activity.
    """
    guess = detect_activity(recording, params)
    if guess.activity == "standing":
        raise AnalysisError(
            f"{guess.reason}; nothing to analyse (give `activity` to analyse it anyway)",
            value="standing",
            parameter="activity",
        )
    if guess.activity is None:
        raise AnalysisError(
            f"cannot tell the activity from the data: {guess.reason}; give `activity` calf_raise, hops, walk or run",
            expected="calf_raise, hops, walk or run",
            parameter="activity",
        )
    return guess.activity, guess


__all__ = [
    "WINDOW_CLASSES",
    "ActivityGuess",
    "ActivityParams",
    "WindowFeatures",
    "activity_to_analyse",
    "decide",
    "detect_activity",
    "window_labels",
]
