"""The timeline of a long period by week or month: a few hundred steps instead of thousands of daily marks.

Years of daily bars, pain markers and flag stripes are neither legible at a page's width nor cheap
to draw (seconds of matplotlib, megabytes of SVG). Over a long period each panel shows one value
per week or month: the mean daily load with the 7- and 28-day averages at the bin's end, the
highest pain of the bin, and the share of its days under each flag, stacked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from calfload.loadmodel import PeriodBin
from calfload.report._plots import FULL_WIDTH_IN, INK, figure_to_svg, new_figure, plot_style
from calfload.report._plots_period import ACUTE_COLOUR, CHRONIC_COLOUR, FLAG_STYLE, LOAD_BAR_COLOUR, PAIN_STYLE


def bins_timeline_svg(bins: Sequence[PeriodBin], unit: str, *, plot_id: str = "period-timeline") -> str:
    """Load, pain and flags of a long period, one step per week or month.

    Parameters
    ----------
    bins
        The period's weeks or months, oldest first (:func:`calfload.loadmodel.period_bins`).
    unit
        ``"week"`` or ``"month"`` (labels only).
    plot_id
        Unique id of the plot in its page.
    """
    n = len(bins)
    edges = np.arange(n + 1, dtype=float)
    mid = edges[:-1] + 0.5
    mean_load = np.array([b.load_au / b.days for b in bins], dtype=float)
    acute = np.array([b.acute_au for b in bins], dtype=float)
    chronic = np.array([b.chronic_au for b in bins], dtype=float)
    with plot_style():
        fig = new_figure(FULL_WIDTH_IN, 6.2)
        ax_load, ax_pain, ax_flag = fig.subplots(
            3, 1, sharex=True, gridspec_kw={"height_ratios": [3.2, 1.9, 1.0], "hspace": 0.08}
        )
        ax_load.stairs(mean_load, edges, fill=True, color=LOAD_BAR_COLOUR, label=f"daily load, {unit}ly mean", zorder=2)
        ax_load.plot(mid, acute, color=ACUTE_COLOUR, lw=1.6, label="7-day average", zorder=3)
        ax_load.plot(
            mid, chronic, color=CHRONIC_COLOUR, lw=1.6, ls="--", label=f"28-day average ({unit}ly means)", zorder=3
        )
        top = float(max(mean_load.max(initial=0.0), acute.max(initial=0.0), chronic.max(initial=0.0)))
        ax_load.set_ylim(0.0, max(top * 1.15, 1.0))
        ax_load.set_ylabel("Load (index, AU/day)")
        ax_load.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, borderaxespad=0.2, fontsize=8.5)
        _pain_panel(ax_pain, edges, bins, unit)
        _flag_panel(ax_flag, edges, bins)
        for ax in (ax_load, ax_pain, ax_flag):
            ax.axvline(float(n), color=INK, lw=1.0, ls=":", zorder=4)
        ax_flag.set_xticks(*_ticks(bins))
        ax_flag.set_xlim(0.0, float(n))
        ax_flag.set_xlabel("Date")
        svg = figure_to_svg(fig, plot_id=plot_id, title=f"Load, pain and flags by {unit} over the period")
    return svg


def _pain_panel(ax: Axes, edges: np.ndarray, bins: Sequence[PeriodBin], unit: str) -> None:
    """The highest pain during and after training and the mean morning pain of each bin, as steps."""
    series: dict[str, Sequence[float | None]] = {
        "pain_during": [b.pain_during_max for b in bins],
        "pain_after": [b.pain_after_max for b in bins],
        "pain_morning": [b.pain_morning_mean for b in bins],
    }
    for key, values in series.items():
        colour, _, label = PAIN_STYLE[key]
        shown = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        what = "mean" if key == "pain_morning" else "highest"
        ax.stairs(shown, edges, color=colour, lw=1.3, label=f"{label} ({what})", zorder=3)
    ax.set_ylim(-0.3, 10.3)
    ax.set_yticks([0, 2, 4, 6, 8, 10])
    ax.set_ylabel(f"Pain per {unit} (0–10)")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, fontsize=8.5, borderaxespad=0.2)


def _flag_panel(ax: Axes, edges: np.ndarray, bins: Sequence[PeriodBin]) -> None:
    """The share of each bin's days under each flag, stacked (back off at the bottom)."""
    days = np.array([b.days for b in bins], dtype=float)
    bottom = np.zeros(len(bins))
    for key, count in (
        ("back_off", [b.back_off_days for b in bins]),
        ("hold", [b.hold_days for b in bins]),
        ("progress", [b.progress_days for b in bins]),
    ):
        colour, hatch, _ = FLAG_STYLE[key]
        share = np.array(count, dtype=float) / days
        ax.stairs(bottom + share, edges, baseline=bottom, fill=True, color=colour, hatch=hatch, lw=0.0)
        bottom = bottom + share
    ax.set_ylim(0.0, 1.0)
    ax.set_yticks([0.0, 1.0], ["0", "all"])
    ax.grid(False)
    ax.set_ylabel("Days\nflagged", rotation=0, ha="right", va="center")
    handles = [Patch(facecolor=c, hatch=h, edgecolor="white", label=lab) for c, h, lab in FLAG_STYLE.values()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.15), fontsize=8.5, handlelength=1.2)


def _ticks(bins: Sequence[PeriodBin]) -> tuple[list[float], list[str]]:
    """Year starts over more than two years, else month starts (the year under January; at the bin holding the day)."""
    years = (bins[-1].last - bins[0].first).days > 2 * 366
    ticks: list[float] = []
    labels: list[str] = []
    for i, b in enumerate(bins):
        day = _first_mark(b.first, b.last, years)
        if day is not None:
            ticks.append(float(i))
            labels.append(f"{day.year}" if years else (f"{day:%b}\n{day.year}" if day.month == 1 else f"{day:%b}"))
    return ticks or [0.0], labels or [bins[0].first.isoformat()]


def _first_mark(first: dt.date, last: dt.date, years: bool) -> dt.date | None:
    """The first 1 January (or first of a month) from ``first`` to ``last``, if any."""
    mark = dt.date(first.year, 1, 1) if years else first.replace(day=1)
    while mark < first:
        mark = dt.date(mark.year + 1, 1, 1) if years else (mark + dt.timedelta(days=32)).replace(day=1)
    return mark if mark <= last else None


__all__ = ["bins_timeline_svg"]
