"""Plots of a period: load, pain and flags on one time axis, and the heel-rise symmetry.

The timeline answers "why does it say back off?": the daily load bars with their 7- and 28-day
averages on top, the pain entries of the same days below them, and the flag of every day at the
bottom, all on one shared calendar axis with today marked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from calfload._logger import package_logger
from calfload.loadmodel import DEFAULT_PARAMETERS, DaySummary, HeelRisePair
from calfload.loadmodel._period_bins import DAILY_UP_TO_DAYS
from calfload.report._plots import FULL_WIDTH_IN, GREY, INK, OKABE_ITO, figure_to_svg, new_figure, plot_style

logger = package_logger(__name__)

LOAD_BAR_COLOUR: Final = OKABE_ITO["sky_blue"]
ACUTE_COLOUR: Final = OKABE_ITO["vermillion"]
CHRONIC_COLOUR: Final = OKABE_ITO["blue"]
#: Pain series: (colour, marker, label); shapes differ as well as colours.
PAIN_STYLE: Final = {
    "pain_during": (OKABE_ITO["orange"], "^", "during training"),
    "pain_after": (OKABE_ITO["vermillion"], "s", "after training"),
    "pain_morning": (OKABE_ITO["blue"], "o", "next morning"),
}
#: Flags: (colour, hatch, label).
FLAG_STYLE: Final = {
    "back_off": (OKABE_ITO["vermillion"], "////", "back off"),
    "hold": (OKABE_ITO["orange"], None, "hold"),
    "progress": (OKABE_ITO["bluish_green"], None, "progress"),
}
SIDE_COLOUR: Final = {"left": OKABE_ITO["blue"], "right": OKABE_ITO["orange"]}
#: Longer periods are drawn by week or month (:mod:`calfload.report._plots_period_bins`).
LONG_PERIOD_DAYS: Final = DAILY_UP_TO_DAYS


def timeline_svg(days: Sequence[DaySummary], today: dt.date, *, plot_id: str = "period-timeline") -> str:
    """Daily load with its averages, pain entries and the daily flags on one calendar axis.

    Parameters
    ----------
    days
        The period's days (load, averages, pain, flag), oldest first.
    today
        The review date, marked on every panel.
    plot_id
        Unique id of the plot in its page.
    """
    n = len(days)
    x = np.arange(n, dtype=float)
    dates = [d.day for d in days]
    load = np.array([d.load_au for d in days], dtype=float)
    acute = np.array([d.acute_au for d in days], dtype=float)
    chronic = np.array([d.chronic_au for d in days], dtype=float)
    today_x = next((float(i) for i, d in enumerate(days) if d.day == today), None)
    with plot_style():
        fig = new_figure(FULL_WIDTH_IN, 6.2)
        ax_load, ax_pain, ax_flag = fig.subplots(
            3, 1, sharex=True, gridspec_kw={"height_ratios": [3.2, 1.9, 0.55], "hspace": 0.08}
        )
        # A bar a day: periods over LONG_PERIOD_DAYS are drawn by week or month (_plots_period_bins).
        ax_load.bar(x, load, width=0.8, color=LOAD_BAR_COLOUR, label="daily load", zorder=2)
        ax_load.plot(x, acute, color=ACUTE_COLOUR, lw=2.0, label="7-day average", zorder=3)
        ax_load.plot(x, chronic, color=CHRONIC_COLOUR, lw=2.0, ls="--", label="28-day average", zorder=3)
        top = float(np.nanmax([load.max(initial=0.0), np.nanmax(acute, initial=0.0), np.nanmax(chronic, initial=0.0)]))
        ax_load.set_ylim(0.0, max(top * 1.15, 1.0))
        ax_load.set_ylabel("Load (index, AU)")
        ax_load.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, borderaxespad=0.2)
        _pain_panel(ax_pain, x, days)
        # Flags.
        _flag_strip(ax_flag, x, [d.flag or "" for d in days])
        if today_x is not None:
            for ax in (ax_load, ax_pain, ax_flag):
                ax.axvline(today_x, color=INK, lw=1.0, ls=":", zorder=4)
            ax_load.annotate(
                "today",
                (today_x, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8.5,
                color=INK,
            )
        ax_flag.set_xticks(*_date_ticks(dates))
        ax_flag.set_xlim(-0.6, n - 0.4)
        ax_flag.set_xlabel("Date")
        svg = figure_to_svg(fig, plot_id=plot_id, title="Daily load, pain entries and flags over the period")
    return svg


def heel_rise_svg(pairs: Sequence[HeelRisePair], *, plot_id: str = "period-heel-rise") -> str:
    """Heel-rise reps of each side per test day, with the limb symmetry index above each pair.

    Parameters
    ----------
    pairs
        Test days with both legs' reps (either may be None) and the LSI.
    plot_id
        Unique id of the plot in its page.
    """
    x = np.arange(len(pairs), dtype=float)
    width = 0.38
    with plot_style():
        fig = new_figure(min(FULL_WIDTH_IN, 3.2 + 1.2 * len(pairs)), 3.0)
        ax = fig.subplots()
        top = 1.0
        for offset, side in ((-width / 2, "left"), (width / 2, "right")):
            reps = [p.left_reps if side == "left" else p.right_reps for p in pairs]
            values = np.array([np.nan if r is None else r for r in reps], dtype=float)
            ax.bar(x + offset, values, width=width * 0.95, color=SIDE_COLOUR[side], label=f"{side} leg", zorder=2)
            top = max(top, float(np.nanmax(values, initial=0.0)))
        for xi, p in zip(x, pairs, strict=True):
            if p.lsi_pct is not None:
                ax.text(xi, top * 1.04, f"LSI {p.lsi_pct:.0f} %", ha="center", va="bottom", fontsize=9, color=INK)
        ax.set_ylim(0.0, top * 1.2)
        ax.set_xticks(x, [p.day.isoformat() for p in pairs])
        ax.set_xlim(-0.7, len(pairs) - 0.3)
        ax.grid(axis="x", visible=False)
        ax.set_ylabel("Heel-rise reps to fatigue")
        ax.set_xlabel("Test day")
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, borderaxespad=0.2)
        svg = figure_to_svg(fig, plot_id=plot_id, title="Heel-rise test: reps per leg and limb symmetry")
    return svg


def _pain(day: DaySummary, key: str) -> float:
    """The day's pain of one kind (``pain_during``, ``pain_after``, ``pain_morning``), NaN when not logged."""
    pain = day.pain
    value = None if pain is None else getattr(pain, key.removeprefix("pain_"))
    return np.nan if value is None else float(value)


def _pain_panel(ax_pain: Axes, x: np.ndarray, days: Sequence[DaySummary]) -> None:
    """The pain entries of each day against the acceptable and too-much bands."""
    flag = DEFAULT_PARAMETERS.flag
    ax_pain.axhspan(
        flag.pain_acceptable_from - 0.5, flag.pain_high_above + 0.5, color=OKABE_ITO["yellow"], alpha=0.18, lw=0
    )
    ax_pain.axhspan(flag.pain_high_above + 0.5, 10.5, color=OKABE_ITO["vermillion"], alpha=0.10, lw=0)
    handles: list[Any] = []
    offsets = {"pain_during": -0.22, "pain_after": 0.0, "pain_morning": 0.22}
    for key, (colour, marker, label) in PAIN_STYLE.items():
        values = np.array([_pain(d, key) for d in days], dtype=float)
        ax_pain.plot(
            x + offsets[key], values, ls="none", marker=marker, ms=6.5, color=colour, mec="white", mew=0.6, zorder=3
        )
        handles.append(Line2D([], [], ls="none", marker=marker, ms=6.5, color=colour, label=label))
    handles += [
        Patch(
            facecolor=OKABE_ITO["yellow"],
            alpha=0.35,
            label=f"{flag.pain_acceptable_from}–{flag.pain_high_above}: acceptable",
        ),
        Patch(facecolor=OKABE_ITO["vermillion"], alpha=0.2, label=f"> {flag.pain_high_above}: too much"),
    ]
    ax_pain.set_ylim(-0.5, 10.5)
    ax_pain.set_yticks([0, 2, 4, 6, 8, 10])
    ax_pain.set_ylabel("Pain (0–10)")
    ax_pain.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=5, fontsize=8.5, borderaxespad=0.2
    )


def _date_ticks(dates: Sequence[dt.date]) -> tuple[list[int], list[str]]:
    """The Mondays of the period (at most :data:`LONG_PERIOD_DAYS` days are drawn day by day)."""
    ticks = [i for i, d in enumerate(dates) if d.weekday() == 0] or [0]
    return ticks, [f"Mon {dates[i].day} {dates[i]:%b}" for i in ticks]


def _flag_strip(ax: Axes, x: np.ndarray, flags: Sequence[str]) -> None:
    seen: set[str] = set()
    for key, (colour, hatch, label) in FLAG_STYLE.items():
        mask = np.array([f == key for f in flags])
        if mask.any():
            seen.add(key)
            ax.bar(
                x[mask],
                np.ones(int(mask.sum())),
                width=0.92,
                bottom=0.0,
                color=colour,
                hatch=hatch,
                edgecolor="white",
                lw=0.0,
                label=label,
            )
    ax.set_ylim(0.0, 1.0)
    ax.set_yticks([])
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.set_ylabel("Flag", rotation=0, ha="right", va="center")
    handles = [Patch(facecolor=c, hatch=h, edgecolor="white", label=lab) for k, (c, h, lab) in FLAG_STYLE.items()]
    if not seen:
        ax.text(0.5, 0.5, "no flags in this period", transform=ax.transAxes, ha="center", va="center", color=GREY)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.15), fontsize=8.5, handlelength=1.2)


__all__ = ["heel_rise_svg", "timeline_svg"]
