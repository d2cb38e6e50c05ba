"""Heart rate over a session: the recorded stream summarised over the analysed recording's time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from calfload.recording import Recording
from calfload.schema import HEART_RATE_BPM, UNKNOWN_START_UTC


@dataclass(frozen=True, slots=True)
class HeartRateSummary:
    """Heart rate during a session.

    Parameters
    ----------
    mean_bpm, max_bpm, min_bpm
        Over the samples that fall within the session.
    covered_s
        How long the heart-rate stream covers the session.
    """

    mean_bpm: float
    max_bpm: float
    min_bpm: float
    covered_s: float

    def to_dict(self) -> dict[str, Any]:
        """The ``heart_rate`` object of ``calfload analyze --json``."""
        return {
            "mean_bpm": round(self.mean_bpm, 1),
            "max_bpm": round(self.max_bpm, 1),
            "min_bpm": round(self.min_bpm, 1),
            "covered_s": round(self.covered_s, 1),
        }


def summarise_heart_rate(heart_rate: Recording, session: Recording) -> HeartRateSummary | None:
    """Summarise ``heart_rate`` over the time ``session`` covers (both dated by their ``start_utc``).

    When either start is unknown the two streams are taken to start together (a recording folder's
    streams share one clock). Returns None when no heart-rate sample falls within the session.
    """
    offset_s = 0.0
    if UNKNOWN_START_UTC not in (heart_rate.meta.start_utc, session.meta.start_utc):
        offset_s = (heart_rate.meta.start_utc - session.meta.start_utc).total_seconds()
    t = heart_rate.t_s + offset_s
    inside = (t >= session.t_s[0]) & (t <= session.t_s[-1])
    bpm = heart_rate.column(HEART_RATE_BPM).astype(np.float64)[inside]
    bpm = bpm[np.isfinite(bpm) & (bpm > 0)]
    if bpm.size == 0:
        return None
    covered = float(t[inside][-1] - t[inside][0]) if inside.sum() > 1 else 0.0
    return HeartRateSummary(float(bpm.mean()), float(bpm.max()), float(bpm.min()), covered)


__all__ = ["HeartRateSummary", "summarise_heart_rate"]
