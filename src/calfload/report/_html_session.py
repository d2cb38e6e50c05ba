"""One session's page, whatever the activity: calf raises, hops, or a walk or run."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calfload._logger import package_logger
from calfload._stats import median
from calfload.errors import AnalysisError
from calfload.loadmodel._cadence_types import CadenceCheck
from calfload.recording import Recording
from calfload.report._html_calf import render_calf_html
from calfload.report._html_gait import render_gait_html
from calfload.report._html_hops import render_hops_html
from calfload.report._run_tracks import run_tracks
from calfload.signal import CalfRaiseAnalysis, GaitAnalysis, SessionAnalysis
from calfload.signal._heart_rate import HeartRateSummary
from calfload.units import UnitSystem

logger = package_logger(__name__)


def render_session_html(
    result: SessionAnalysis,
    *,
    recordings: Sequence[Recording] = (),
    heart_rate: HeartRateSummary | None = None,
    source: str = "",
    recorded: str = "",
    units: UnitSystem = "metric",
    cadence: CadenceCheck | None = None,
) -> str:
    """The HTML report of one session, chosen by its kind.

    Parameters
    ----------
    result
        The session's analysis.
    recordings
        The session's streams (the analysed one first, heart rate among them where recorded), for
        plots that need the signal: the raise angle of a calf session, pace, heart rate, ground
        contact and power of a run. The page says so when they are missing.
    heart_rate
        The heart-rate summary ``calfload analyze`` joins to the session, if any; it is part of
        the page's data, as in ``calfload analyze --json``.
    source, recorded
        The recording's name and date, for the heading.
    units
        ``metric`` or ``imperial`` distances and pace (walks and runs).
    cadence
        A run's cadence alerts (:func:`calfload.pipeline.check_run`), as ``calfload analyze``
        adds them; part of the page's data (``cadence_check``).

    Returns
    -------
    str
        A self-contained HTML document.
    """
    data = result.to_dict()
    if heart_rate is not None:
        data["heart_rate"] = heart_rate.to_dict()
    if cadence is not None:
        data["cadence_check"] = cadence.to_dict()
    if isinstance(result, CalfRaiseAnalysis):
        angle = _raise_angle(result, recordings)
        return render_calf_html(result, data=data, angle=angle, source=source, recorded=recorded)
    if isinstance(result, GaitAnalysis):
        streams = [r for r in recordings if r.meta.kind != "heart_rate"]
        heart = [r for r in recordings if r.meta.kind == "heart_rate"]
        tracks = run_tracks(result, streams[0] if streams else None, heart)
        return render_gait_html(
            result,
            data=data,
            source=source,
            recorded=recorded,
            gaps_s=recording_gaps(recordings),
            tracks=tracks,
            heart_rate=heart_rate,
            units=units,
            cadence=cadence,
        )
    return render_hops_html(result, data=data, source=source, recorded=recorded)


def _raise_angle(result: CalfRaiseAnalysis, recordings: Sequence[Recording]) -> tuple[np.ndarray, np.ndarray] | None:
    """The raise-angle track with the analysis' settings, or None when it cannot be computed."""
    from calfload.signal import raise_angle_series

    imu = [r for r in recordings if r.meta.kind == "imu"]
    if not imu:
        return None
    try:
        return raise_angle_series(imu[0], result.params)  # the parameters that found the reps
    except AnalysisError as exc:
        logger.warning("no raise-angle plot: %s", exc)
        return None


def recording_gaps(recordings: Sequence[Recording], *, min_gap_s: float = 1.0) -> list[tuple[float, float]] | None:
    """Stretches ``(start_s, end_s)`` of at least ``min_gap_s`` without samples in the motion stream.

    None without recordings (the page then falls back on the analysis' own series).
    """
    motion = [r for r in recordings if r.meta.kind in ("imu", "footpod")] or list(recordings)
    if not motion:
        return None
    t = np.asarray(motion[0].t_s, dtype=float)
    if t.size < 2:
        return []
    dt = np.diff(t)
    nominal = float(median(dt))
    jumps = np.flatnonzero(dt > max(min_gap_s, 5.0 * nominal))
    return [(float(t[i]), float(t[i + 1])) for i in jumps]


__all__ = ["recording_gaps", "render_session_html"]
