"""The activity of an IMU recording from its signal: walking or running, calf raises, hops, or standing.

:func:`detect_activity` is used by :func:`calfload.signal.analyze` when neither the command line
nor the metadata names the activity. It works for any mounting (only the norms of acceleration
and angular rate are used) and any rate of 25 Hz and more. The steps, numbered as in the code:

1-3. **Windows**, their features and classes: :mod:`calfload.signal._activity_windows`.
4. **Decision.** The class holding most of the moving time wins, with that share as the
   confidence. Walking between calf-raise sets is expected, so calf raises win over gait when at
   least ``calf_share`` of the moving time is calf-raise-like, and the walking of a swinging
   foot or shank counts towards their confidence. Fewer than ``min_moving_s`` of movement
   is *standing*. Below ``min_confidence`` the activity is None: the data cannot tell.

Walking and running are told apart afterwards by the gait analysis (duty factor, cadence).
"""

from __future__ import annotations

import math

from calfload._stats import median
from calfload.errors import AnalysisError
from calfload.recording import Recording
from calfload.signal._activity_types import ActivityGuess
from calfload.signal._activity_windows import (
    WINDOW_CLASSES,
    ActivityParams,
    WindowFeatures,
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
    # 1. Windows.
    moving = [w for _, _, w in classified_windows(recording, params) if w is not None]
    moving_s = _covered_s([(w.start_s, w.end_s) for w in moving])
    if moving_s < params.min_moving_s:
        return ActivityGuess("standing", 1.0, moving_s, (), (), "the sensor barely moved: standing or sitting still")
    # 4. Decision.
    shares = tuple((c, sum(w.label == c for w in moving) / len(moving)) for c in WINDOW_CLASSES)
    share = dict(shares)
    if share["calf_raise"] >= params.calf_share and share["calf_raise"] >= share["hops"]:
        best = "calf_raise"
    else:
        best = max(("gait", "hops", "calf_raise"), key=lambda c: share[c])
    chosen = [w for w in moving if w.label == best] or moving
    features = _median_features(chosen)
    confidence = share[best]
    if best == "calf_raise":
        # Walking between sets (a swinging foot or shank) belongs to a calf-raise session.
        walking = sum(w.label == "gait" and w.gyr_p95_dps >= params.swing_dps for w in moving) / len(moving)
        confidence += walking
    if confidence < params.min_confidence:
        told = ", ".join(f"{round(100 * v)} % {k.replace('_', ' ')}" for k, v in shares if v > 0)
        return ActivityGuess(
            None, confidence, moving_s, shares, features, f"the movement does not look like one activity ({told})"
        )
    return ActivityGuess(best, confidence, moving_s, shares, features, _reason(best, features))


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
    "detect_activity",
    "window_labels",
]
