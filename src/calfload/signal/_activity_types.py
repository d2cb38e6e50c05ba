"""The typed results of the activity detection (:mod:`calfload.signal._activity`): the guess, each window's features.

Kept apart from the detection itself so the result types import without pandas or pyarrow
(``calfload review`` reads stored results and must start quickly).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ActivityGuess:
    """What :func:`detect_activity` found.

    Attributes
    ----------
    activity
        ``gait`` (walk or run), ``calf_raise``, ``hops``, ``standing``, or None when the data
        cannot tell.
    confidence
        Share of the moving time of the winning class (1.0 for standing).
    moving_s
        Time in moving windows.
    shares
        Share of the moving time of every window class, as ``(class, share)`` pairs.
    features
        Median features of the winning class's windows (or of all moving windows):
        ``(name, value)`` pairs, the figures that decided.
    reason
        One sentence for the user.
    """

    activity: str | None
    confidence: float
    moving_s: float
    shares: tuple[tuple[str, float], ...]
    features: tuple[tuple[str, float], ...]
    reason: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, rounded."""
        return {
            "activity": self.activity,
            "confidence": round(self.confidence, 2),
            "moving_s": round(self.moving_s, 1),
            "shares": {k: round(v, 2) for k, v in self.shares},
            "features": {k: round(v, 2) for k, v in self.features},
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class WindowFeatures:
    """The features of one moving window (step 2)."""

    start_s: float
    end_s: float
    cycle_s: float
    periodicity: float
    acc_cycle_s: float
    acc_periodicity: float
    gyr_p95_dps: float
    axis_share: float
    acc_p01_g: float
    acc_p99_g: float
    label: str


__all__ = ["ActivityGuess", "WindowFeatures"]
