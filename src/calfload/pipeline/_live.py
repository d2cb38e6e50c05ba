"""Live feedback while recording: the rep count of calf raises, the cadence of a run or walk.

The recorder (:mod:`calfload.ingest.recorder`) calls a live hook about once a second with the
recent samples (:class:`calfload.ingest.live.LiveWindow`); the hook returns the text shown on the
status line. Both hooks run the same analyses as ``calfload analyze`` on that window: one rep
detector, one cadence algorithm.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import TYPE_CHECKING, Final

from calfload.errors import CalfloadError

if TYPE_CHECKING:
    from calfload.ingest.live import LiveWindow
    from calfload.ingest.recorder import LiveHook
    from calfload.recording import Recording

#: The live analyses need this much of the window before they say anything.
MIN_WINDOW_S: Final = 6.0
#: A rep counts once it ended this long before the window's end (it cannot change any more).
SETTLE_S: Final = 0.5
#: Cadence is measured over the last this many seconds.
CADENCE_WINDOW_S: Final = 10.0


def live_hook(activity: str) -> LiveHook | None:
    """Return the live hook of an activity (None where there is nothing to show live)."""
    if activity == "calf_raise":
        return CalfRaiseCounter()
    if activity in ("run", "walk"):
        return LiveCadence(activity)
    return None


def window_recording(window: LiveWindow, activity: str, *, since_s: float | None = None) -> Recording:
    """The window's samples (from ``since_s`` on) as a recording the analyses take."""
    import pandas as pd

    from calfload.recording import make_recording
    from calfload.schema import ACC_MPS2, GYR_DPS, T_S, RecordingMeta

    keep = slice(None) if since_s is None else window.t_s >= since_s
    frame = pd.DataFrame({T_S: window.t_s[keep]})
    for i, name in enumerate(ACC_MPS2):
        frame[name] = window.acc_mps2[keep, i]
    for i, name in enumerate(GYR_DPS):
        frame[name] = window.gyr_dps[keep, i]
    start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    meta = RecordingMeta(sample_rate_hz=window.sample_rate_hz, start_utc=start, activity=activity)
    return make_recording(frame, meta, source="live")


class CalfRaiseCounter:
    """Live rep count and last lowering time, from the calf-raise analysis of the recent window."""

    def __init__(self) -> None:
        from calfload.signal import CalfRaiseParams

        self.count = 0
        self.last_start_s = -1e9
        self.last_eccentric_s: float | None = None
        defaults = CalfRaiseParams()
        self.target_eccentric_s = defaults.target_eccentric_s
        self.tolerance_s = defaults.tolerance_s

    def __call__(self, window: LiveWindow) -> str | None:
        """Count the reps that ended in the window since the last call; return the status text."""
        from calfload.signal import analyze_calf_raises

        if window.t_s.size < 2 or window.t_s[-1] - window.t_s[0] < MIN_WINDOW_S:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                analysis = analyze_calf_raises(window_recording(window, "calf_raise"))
            except CalfloadError:
                return self.text()
        # A rep counts once it has ended, and only if it started after the last counted one.
        settled_s = float(window.t_s[-1]) - SETTLE_S
        for rep in analysis.reps:
            if rep.partial or rep.end_s > settled_s or rep.start_s <= self.last_start_s + 1.0:
                continue
            if rep.start_s < float(window.t_s[0]) + SETTLE_S:
                continue
            self.count += 1
            self.last_start_s = rep.start_s
            self.last_eccentric_s = rep.eccentric_s
        return self.text()

    def text(self) -> str:
        """The status text."""
        lowering = "" if self.last_eccentric_s is None else f", last lowering {self.last_eccentric_s:.1f} s"
        return f"reps {self.count}{lowering}"


class LiveCadence:
    """Live cadence: the gait analysis (:func:`calfload.signal.analyze_gait`) of the last 10 s."""

    def __init__(self, activity: str) -> None:
        self.activity = activity

    def __call__(self, window: LiveWindow) -> str | None:
        """Return the median cadence of the recent window, or None while there is none."""
        from calfload.signal import analyze_gait

        if window.t_s.size < 2 or window.t_s[-1] - window.t_s[0] < MIN_WINDOW_S:
            return None
        since = float(window.t_s[-1]) - CADENCE_WINDOW_S
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                gait = analyze_gait(window_recording(window, self.activity, since_s=since), activity=self.activity)
            except CalfloadError:
                return None
        if gait.cadence_median_spm is None:
            return None
        return f"cadence ~{gait.cadence_median_spm:.0f} spm (live estimate)"


__all__ = ["CADENCE_WINDOW_S", "CalfRaiseCounter", "LiveCadence", "live_hook", "window_recording"]
