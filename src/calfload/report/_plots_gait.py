"""Plots of a walk or run: cadence over time against its median, and pace, heart rate, contact and power."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from calfload._logger import package_logger
from calfload.report._plots import FULL_WIDTH_IN, LIGHT_GREY, OKABE_ITO, figure_to_svg, new_figure, plot_style
from calfload.report._run_tracks import Track
from calfload.signal import GaitAnalysis
from calfload.units import KM_PER_MILE, UnitSystem

logger = package_logger(__name__)

CADENCE_COLOUR: Final = OKABE_ITO["blue"]
MEDIAN_COLOUR: Final = OKABE_ITO["vermillion"]
ALERT_COLOUR: Final = OKABE_ITO["orange"]
#: A jump in the series' clock longer than this many typical steps is a stretch without data.
GAP_FACTOR: Final = 1.5
#: Longer recordings are plotted in minutes.
MINUTES_FROM_S: Final = 180.0
#: Smallest cadence range shown on the y axis (steps/min).
MIN_SPAN_SPM: Final = 30.0
#: Recording gaps shorter than this are bridged by the analysis and not drawn.
MIN_SHOWN_GAP_S: Final = 1.0


def series_gaps(t_s: np.ndarray) -> list[tuple[float, float]]:
    """Stretches ``(start_s, end_s)`` without cadence values: jumps longer than ``GAP_FACTOR`` steps.

    Examples
    --------
    >>> series_gaps(np.array([10.0, 20.0, 30.0, 90.0, 100.0]))
    [(30.0, 90.0)]
    """
    if t_s.size < 2:
        return []
    dt = np.diff(t_s)
    step = float(np.median(dt))
    return [(float(t_s[i]), float(t_s[i + 1])) for i in np.flatnonzero(dt > GAP_FACTOR * step)]


def cadence_svg(
    result: GaitAnalysis,
    *,
    gaps_s: Sequence[tuple[float, float]] | None = None,
    alerts_s: Sequence[tuple[float, float]] = (),
    plot_id: str = "gait-cadence",
) -> str:
    """Cadence over time with its median; stretches without data are hatched and the line breaks.

    Parameters
    ----------
    result
        The analysis of a walk or run with a non-empty cadence series.
    gaps_s
        Stretches without data to hatch; by default :func:`all_gaps` of the result.
    alerts_s
        Stretches of a cadence alert, shaded.
    plot_id
        Unique id of the plot in its page.
    """
    t = np.array([t_s for t_s, _ in result.series], dtype=float)
    c = np.array([c_spm for _, c_spm in result.series], dtype=float)
    gaps = list(gaps_s) if gaps_s is not None else all_gaps(result, t)
    # Break the line where the series has no values: a NaN between the samples around each jump.
    cut = [int(np.searchsorted(t, b)) for _, b in series_gaps(t)]
    t_plot = np.insert(t, cut, np.nan)
    c_plot = np.insert(c, cut, np.nan)
    duration = result.duration_s or (float(t[-1]) if t.size else 1.0)
    minutes = duration > MINUTES_FROM_S
    scale = 60.0 if minutes else 1.0
    median = result.cadence_median_spm
    with plot_style():
        fig = new_figure(FULL_WIDTH_IN, 3.4)
        ax = fig.subplots()
        for i, (a, b) in enumerate(gaps):
            ax.axvspan(
                a / scale,
                b / scale,
                facecolor="#F4F4F4",
                edgecolor="none",
                hatch="xx",
                hatchcolor=LIGHT_GREY,
                lw=0,
                label="no data" if i == 0 else None,
            )
        for i, (a, b) in enumerate(alerts_s):
            ax.axvspan(
                a / scale, b / scale, color=ALERT_COLOUR, alpha=0.25, lw=0, label="cadence alert" if i == 0 else None
            )
        ax.plot(t_plot / scale, c_plot, color=CADENCE_COLOUR, lw=1.8, marker="o", ms=2.5, label="cadence")
        if median is not None:
            ax.axhline(median, color=MEDIAN_COLOUR, lw=1.5, ls="--", label=f"median {median:.0f} steps/min")
        finite = c[np.isfinite(c)]
        if finite.size:
            # At least MIN_SPAN_SPM tall, so a few steps/min of drift do not look like a collapse.
            lo, hi = float(finite.min()), float(finite.max())
            mid, half = (lo + hi) / 2, max(MIN_SPAN_SPM, 1.3 * (hi - lo)) / 2
            ax.set_ylim(mid - half, mid + half)
        ax.set_xlim(0.0, duration / scale)
        ax.set_xlabel(f"Time from the start ({'min' if minutes else 's'})")
        ax.set_ylabel("Cadence (steps/min)")
        fig.legend(loc="outside upper center", ncols=3)
        svg = figure_to_svg(fig, plot_id=plot_id, title="Cadence over time with its median")
    return svg


def all_gaps(
    result: GaitAnalysis, t_s: np.ndarray | None = None, recorded: Sequence[tuple[float, float]] = ()
) -> list[tuple[float, float]]:
    """Stretches ``(start_s, end_s)`` without data, merged.

    These are the jumps in the cadence series and the ``recorded`` gaps of a second or more.
    """
    if t_s is None:
        t_s = np.array([t for t, _ in result.series], dtype=float)
    long = [(float(a), float(b)) for a, b in recorded if b - a >= MIN_SHOWN_GAP_S]
    spans = sorted([*series_gaps(t_s), *long])
    merged: list[tuple[float, float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


#: Per track: (panel title, y label, colour). Pace is drawn per km or mile, faster upwards.
TRACK_STYLE: Final = {
    "pace": ("Pace", "min/{unit}", OKABE_ITO["blue"]),
    "heart_rate": ("Heart rate", "beats/min", OKABE_ITO["vermillion"]),
    "ground_contact": ("Ground contact", "ms", OKABE_ITO["bluish_green"]),
    "power": ("Power", "W", OKABE_ITO["orange"]),
    "balance": ("Ground-contact balance", "left %", OKABE_ITO["sky_blue"]),
}
_PANEL_HEIGHT_IN: Final = 1.7


def dynamics_svg(
    tracks: Sequence[Track],
    *,
    duration_s: float,
    gaps_s: Sequence[tuple[float, float]] = (),
    system: UnitSystem = "metric",
    plot_id: str = "gait-dynamics",
) -> str:
    """Pace, heart rate, ground contact, power and balance over the run, one panel each, on one time axis.

    Parameters
    ----------
    tracks
        The tracks to draw (:func:`calfload.report._run_tracks.run_tracks`), at least one.
    duration_s
        The run's duration (the x axis).
    gaps_s
        Stretches without data to hatch.
    system
        ``metric`` (pace per km) or ``imperial`` (per mile).
    plot_id
        Unique id of the plot in its page.
    """
    from matplotlib.ticker import FuncFormatter

    minutes = duration_s > MINUTES_FROM_S
    scale = 60.0 if minutes else 1.0
    unit = "mi" if system == "imperial" else "km"
    with plot_style():
        fig = new_figure(FULL_WIDTH_IN, 0.7 + _PANEL_HEIGHT_IN * len(tracks))
        axes = fig.subplots(len(tracks), 1, squeeze=False, sharex=True)[:, 0]
        for ax, track in zip(axes, tracks, strict=True):
            title, ylabel, colour = TRACK_STYLE[track.name]
            values = track.values * (KM_PER_MILE if track.name == "pace" and system == "imperial" else 1.0)
            for a, b in gaps_s:
                ax.axvspan(a / scale, b / scale, facecolor="#F4F4F4", edgecolor="none", hatch="xx", lw=0)
            ax.plot(track.t_s / scale, values, color=colour, lw=1.6)
            ax.set_title(title, loc="left", fontsize=10)
            ax.set_ylabel(ylabel.format(unit=unit))
            finite = values[np.isfinite(values)]
            if track.name == "balance":
                ax.axhline(50.0, color=LIGHT_GREY, lw=1.0, ls="--")
            if track.name == "pace" and finite.size:
                lo, hi = np.percentile(finite, [2.0, 98.0])
                pad = max(10.0, 0.1 * (hi - lo))
                ax.set_ylim(hi + pad, lo - pad)  # faster (less time per km) upwards
                ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v // 60)}:{int(v % 60):02d}"))
        axes[-1].set_xlim(0.0, duration_s / scale)
        axes[-1].set_xlabel(f"Time from the start ({'min' if minutes else 's'})")
        names = ", ".join(TRACK_STYLE[t.name][0].lower() for t in tracks)
        svg = figure_to_svg(fig, plot_id=plot_id, title=f"{names.capitalize()} over the run")
    return svg


__all__ = ["TRACK_STYLE", "all_gaps", "cadence_svg", "dynamics_svg", "series_gaps"]
