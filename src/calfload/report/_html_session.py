"""One session's page, whatever the activity: calf raises, walks and runs, or a plain summary."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from calfload.errors import AnalysisError
from calfload.recording import Recording
from calfload.report._html import esc, message, num, page, table
from calfload.report._html_calf import render_calf_html
from calfload.report._html_gait import render_gait_html
from calfload.report._html_hops import render_hops_html

logger = logging.getLogger(__name__)


def render_session_html(
    result: Mapping[str, Any],
    *,
    recordings: Sequence[Recording] = (),
    source: str = "",
    recorded: str = "",
) -> str:
    """The HTML report of one session, chosen by its activity.

    Parameters
    ----------
    result
        The ``calfload analyze --json`` object of the session.
    recordings
        The session's recordings, for plots that need the signal (the raise angle of a calf
        session); the page says so when they are missing.
    source, recorded
        The recording's name and date, for the heading.

    Returns
    -------
    str
        A self-contained HTML document.
    """
    activity = result.get("activity")
    if activity == "calf_raise":
        return render_calf_html(result, angle=_raise_angle(result, recordings), source=source, recorded=recorded)
    if activity == "hops":
        return render_hops_html(result, source=source, recorded=recorded)
    if activity in ("run", "walk"):
        return render_gait_html(result, source=source, recorded=recorded, gaps_s=recording_gaps(recordings))
    return _summary_page(result, source=source, recorded=recorded)


def _raise_angle(result: Mapping[str, Any], recordings: Sequence[Recording]) -> tuple[np.ndarray, np.ndarray] | None:
    """The raise-angle track with the analysis' settings, or None when it cannot be computed."""
    from calfload.signal import CalfRaiseParams, raise_angle_series

    imu = [r for r in recordings if r.meta.kind == "imu"]
    if not imu:
        return None
    rec = imu[0]
    placement = str(result.get("placement") or rec.meta.placement)
    try:
        params = CalfRaiseParams.for_placement(placement)
        return raise_angle_series(rec, params)
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
    nominal = float(np.median(dt))
    jumps = np.flatnonzero(dt > max(min_gap_s, 5.0 * nominal))
    return [(float(t[i]), float(t[i + 1])) for i in jumps]


def _summary_page(result: Mapping[str, Any], *, source: str, recorded: str) -> str:
    """A page of the session's top-level figures, for activities without dedicated plots yet."""
    activity = str(result.get("activity") or "session")
    rows = [
        [esc(k.replace("_", " ")), num(v, "{:g}" if isinstance(v, float) else "{}", key=k)]
        for k, v in result.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    body = [
        message(
            f"No plots for {activity.replace('_', ' ')} sessions yet",
            "The measured figures are listed below; `calfload analyze FILE` prints them in full.",
            key="no-plots",
        ),
        table([("figure", False), ("value", True)], rows, caption="Figures"),
    ]
    subtitle = " · ".join(x for x in (source, recorded) if x)
    title = activity.replace("_", " ").capitalize()
    return page(kind=f"{activity}_session", title=title, subtitle=subtitle, body=body, data=result)


__all__ = ["recording_gaps", "render_session_html"]
