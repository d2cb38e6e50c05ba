"""Plot of a walk or run: cadence over time against its median, with the stretches without data."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np

from calfload.report._plots import FULL_WIDTH_IN, LIGHT_GREY, OKABE_ITO, figure_to_svg, new_figure, plot_style

logger = logging.getLogger(__name__)

CADENCE_COLOUR: Final = OKABE_ITO["blue"]
MEDIAN_COLOUR: Final = OKABE_ITO["vermillion"]
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
    result: Mapping[str, Any],
    *,
    gaps_s: Sequence[tuple[float, float]] | None = None,
    plot_id: str = "gait-cadence",
) -> str:
    """Cadence over time with its median; stretches without data are hatched and the line breaks.

    Parameters
    ----------
    result
        The ``calfload analyze --json`` object of a walk or run with a non-empty ``cadence_series``.
    gaps_s
        Stretches without data to hatch; by default :func:`all_gaps` of the result.
    plot_id
        Unique id of the plot in its page.
    """
    rows = result["cadence_series"]
    t = np.array([r["t_s"] for r in rows], dtype=float)
    c = np.array([np.nan if r["cadence_spm"] is None else r["cadence_spm"] for r in rows], dtype=float)
    gaps = list(gaps_s) if gaps_s is not None else all_gaps(result, t)
    # Break the line where the series has no values: a NaN between the samples around each jump.
    cut = [int(np.searchsorted(t, b)) for _, b in series_gaps(t)]
    t_plot = np.insert(t, cut, np.nan)
    c_plot = np.insert(c, cut, np.nan)
    duration = float(result.get("duration_s") or (t[-1] if t.size else 1.0))
    minutes = duration > MINUTES_FROM_S
    scale = 60.0 if minutes else 1.0
    median = (result.get("cadence_spm") or {}).get("median")
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


def all_gaps(result: Mapping[str, Any], t_s: np.ndarray | None = None) -> list[tuple[float, float]]:
    """Stretches ``(start_s, end_s)`` without data, merged.

    These are the jumps in the cadence series and the recording's gaps (``gaps_s``) of a second or more.
    """
    if t_s is None:
        t_s = np.array([r["t_s"] for r in result.get("cadence_series") or []], dtype=float)
    recorded: Sequence[Sequence[float]] = result.get("gaps_s") or []
    long = [(float(a), float(b)) for a, b in recorded if b - a >= MIN_SHOWN_GAP_S]
    spans = sorted([*series_gaps(t_s), *long])
    merged: list[tuple[float, float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


__all__ = ["all_gaps", "cadence_svg", "series_gaps"]
