"""Plots of a calf-raise session: the raise angle with every rep shaded by phase, and the lowering audit.

Both plots draw the typed :class:`calfload.signal.CalfRaiseAnalysis` (plus the raise-angle track
for the first), the result the tables and ``calfload analyze --json`` show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch

from calfload._logger import package_logger
from calfload.report._plots import (
    FULL_WIDTH_IN,
    GREY,
    INK,
    LIGHT_GREY,
    OKABE_ITO,
    figure_to_svg,
    new_figure,
    plot_style,
)
from calfload.signal import CalfRaiseAnalysis, CalfRep, CalfSet

logger = package_logger(__name__)

#: Phase shading: (colour, fill opacity, hatch). Hatch lines are drawn in the full colour, so a
#: too-fast lowering stands out even where the pale fills look alike.
PHASE_STYLE: Final = {
    "rise": (OKABE_ITO["orange"], 0.35, None),
    "top_hold": (OKABE_ITO["yellow"], 0.55, None),
    "lowering": (OKABE_ITO["blue"], 0.30, None),
    "lowering_fast": (OKABE_ITO["vermillion"], 0.30, "///"),
    "bottom": (LIGHT_GREY, 0.45, None),
    "partial": (GREY, 0.20, "...."),
}
PASS_COLOUR: Final = OKABE_ITO["blue"]
FAST_COLOUR: Final = OKABE_ITO["vermillion"]
ENDURANCE_COLOUR: Final = GREY
BAND_COLOUR: Final = OKABE_ITO["bluish_green"]

#: Lowering bars by kind of rep: (kind, colour, hatch, legend label), in legend order.
_BAR_STYLES: Final[tuple[tuple[str, str, str | None, str], ...]] = (
    ("pass", PASS_COLOUR, None, "slow enough"),
    ("fast", FAST_COLOUR, "///", "too fast"),
    ("endurance", ENDURANCE_COLOUR, None, "endurance set (tempo not audited)"),
)
_MAX_POINTS_PER_ROW: Final = 4000
_SET_PAD_S: Final = 4.0
_ROW_HEIGHT_IN: Final = 1.9


def rep_phases(rep: CalfRep) -> dict[str, tuple[float, float]]:
    """Phase intervals ``(start_s, end_s)`` of one rep.

    Rise and top hold run from the rep's start; lowering ends at the rep's end (heel down);
    bottom follows it (absent for the last rep of a set).

    Examples
    --------
    >>> rep = CalfRep(set=1, index=1, start_s=10.0, end_s=15.0, concentric_s=1.0, top_hold_s=0.5,
    ...               eccentric_s=3.0, bottom_s=0.8, eccentric_pass=True, excursion_deg=20.0,
    ...               peak_rise_dps=60.0, peak_lowering_dps=30.0)
    >>> rep_phases(rep)
    {'rise': (10.0, 11.0), 'top_hold': (11.0, 11.5), 'lowering': (12.0, 15.0), 'bottom': (15.0, 15.8)}
    """
    start, end = rep.start_s, rep.end_s
    top = start + rep.concentric_s
    out = {
        "rise": (start, top),
        "top_hold": (top, top + rep.top_hold_s),
        "lowering": (end - rep.eccentric_s, end),
    }
    if rep.bottom_s is not None:
        out["bottom"] = (end, end + rep.bottom_s)
    return out


def calf_angle_svg(
    result: CalfRaiseAnalysis, t_s: np.ndarray, angle_deg: np.ndarray, *, plot_id: str = "calf-angle"
) -> str:
    """The raise angle over time, one row per set, each rep shaded by phase.

    Parameters
    ----------
    result
        The analysis of a calf session.
    t_s, angle_deg
        The raise-angle track (:func:`calfload.signal.raise_angle_series`); NaN in gaps.
    plot_id
        Unique id of the plot in its page.
    """
    sets = list(result.sets)
    target = result.params.target_eccentric_s - result.params.tolerance_s
    endurance = {s.index for s in sets if s.endurance}
    reps = list(result.reps)
    partial = list(result.partial_reps)
    windows: list[tuple[float, float, CalfSet | None]]
    if sets:
        windows = [(s.start_s - _SET_PAD_S, s.end_s + _SET_PAD_S, s) for s in sets]
    else:
        windows = [(float(t_s[0]) if t_s.size else 0.0, float(t_s[-1]) if t_s.size else 1.0, None)]
    finite = angle_deg[np.isfinite(angle_deg)]
    top = float(finite.max()) if finite.size else 10.0
    # The lower limit ignores rare deep dips (a step off the platform) so raises keep the height.
    bottom = float(np.percentile(finite, 0.5)) if finite.size else 0.0
    ylim = (min(-3.0, bottom - 2.0), max(10.0, top) * 1.18)
    with plot_style():
        fig = new_figure(FULL_WIDTH_IN, 0.9 + _ROW_HEIGHT_IN * len(windows))
        axes = fig.subplots(len(windows), 1, squeeze=False, sharey=True)[:, 0]
        for ax, (lo, hi, s) in zip(axes, windows, strict=True):
            _shade_gaps(ax, result.gaps_s, lo, hi)
            for rep in reps:
                if rep.end_s >= lo and rep.start_s <= hi:
                    fast = not rep.eccentric_pass and rep.set not in endurance
                    _shade_rep(ax, rep, fast=fast)
            for rep in partial:
                if rep.end_s >= lo and rep.start_s <= hi:
                    ax.axvspan(rep.start_s, rep.end_s, zorder=0, **_span_style("partial"))
            t, y = _window(t_s, angle_deg, lo, hi)
            ax.plot(t, y, color=INK, lw=1.1, solid_joinstyle="round")
            ax.axhline(0.0, color=GREY, lw=0.6, zorder=1)
            ax.grid(axis="x", visible=False)  # the phases already divide time
            ax.set_xlim(lo, hi)
            ax.set_ylim(*ylim)
            ax.set_ylabel("Raise angle (deg)")
            ax.set_title(_row_title(s, reps, target))
            _label_reps(ax, [r for r in reps if s is None or r.set == s.index], ylim[1])
        axes[-1].set_xlabel("Time from the start of the recording (s)")
        if reps or partial:  # without reps there are no phases to explain
            fig.legend(
                handles=_phase_handles(
                    target, any(not r.eccentric_pass and r.set not in endurance for r in reps), bool(partial)
                ),
                loc="outside upper center",
                ncols=6,
            )
        svg = figure_to_svg(fig, plot_id=plot_id, title="Raise angle over time with each rep shaded by phase")
    return svg


def lowering_bars_svg(result: CalfRaiseAnalysis, *, plot_id: str = "calf-lowering") -> str:
    """One bar per rep: its lowering time against the target band.

    Parameters
    ----------
    result
        The analysis of a calf session with at least one rep.
    plot_id
        Unique id of the plot in its page.
    """
    target, tol = result.params.target_eccentric_s, result.params.tolerance_s
    endurance = {s.index for s in result.sets if s.endurance}
    reps = list(result.reps)
    x, groups = _bar_positions(reps)
    ecc = np.array([r.eccentric_s for r in reps], dtype=float)
    kinds = ["endurance" if r.set in endurance else ("pass" if r.eccentric_pass else "fast") for r in reps]
    with plot_style():
        fig = new_figure(FULL_WIDTH_IN, 3.4)
        ax = fig.subplots()
        ax.axhspan(
            target - tol,
            target + tol,
            color=BAND_COLOUR,
            alpha=0.18,
            lw=0,
            label=f"target band {target:.1f} ± {tol:.1f} s (pass from {target - tol:.1f} s)",
        )
        ax.axhline(target, color=BAND_COLOUR, lw=1.4, ls="--", label=f"target {target:.1f} s")
        for kind, colour, hatch, label in _BAR_STYLES:
            mask = np.array([k == kind for k in kinds])
            if mask.any():
                ax.bar(
                    x[mask],
                    ecc[mask],
                    width=0.72,
                    color=colour,
                    hatch=hatch,
                    edgecolor="white" if kind == "fast" else colour,
                    lw=0.0,
                    label=label,
                    zorder=3,
                )
        for xi, value, kind in zip(x, ecc, kinds, strict=True):
            if kind == "fast":  # rounded down: a 2.496 s rep that failed never reads "2.50"
                ax.annotate(
                    f"{np.floor(value * 100) / 100:.2f}",
                    (xi, value),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=7.5,
                    color=FAST_COLOUR,
                )
        ymax = max(float(ecc.max()) if ecc.size else 0.0, target + tol) * 1.22
        ax.set_ylim(0.0, ymax)
        for i, (first, last, set_index) in enumerate(groups):
            if i:
                ax.axvline(first - 1.0, color=LIGHT_GREY, lw=1.0)
            ax.text((first + last) / 2, ymax * 0.985, f"Set {set_index}", ha="center", va="top", fontsize=9, color=INK)
        ax.set_xticks(x, [str(r.index) for r in reps], fontsize=7.5 if len(reps) > 40 else 9)
        ax.set_xlim(float(x.min()) - 0.8, float(x.max()) + 0.8)
        ax.grid(axis="x", visible=False)
        ax.set_xlabel("Rep (numbered within its set)")
        ax.set_ylabel("Lowering time (s)")
        fig.legend(loc="outside upper center", ncols=5)
        svg = figure_to_svg(fig, plot_id=plot_id, title="Lowering time of every rep against the target band")
    return svg


# ------------------------------------------------------------------------------------------ helpers


def _window(t_s: np.ndarray, y: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """The samples in ``[lo, hi]``, thinned to at most ``_MAX_POINTS_PER_ROW`` (min/max kept per bin)."""
    a, b = np.searchsorted(t_s, [lo, hi])
    t, v = t_s[a:b], y[a:b]
    if t.size <= _MAX_POINTS_PER_ROW:
        return t, v
    # Min/max decimation: every bin keeps its extremes, so no peak is flattened.
    bins = _MAX_POINTS_PER_ROW // 2
    n = (t.size // bins) * bins
    tt, vv = t[:n].reshape(bins, -1), v[:n].reshape(bins, -1)
    with np.errstate(invalid="ignore"):
        safe = np.where(np.isfinite(vv), vv, 0.0)
        i_lo, i_hi = np.argmin(safe, axis=1), np.argmax(safe, axis=1)
    first, second = np.minimum(i_lo, i_hi), np.maximum(i_lo, i_hi)
    rows = np.arange(bins)
    t_out = np.column_stack([tt[rows, first], tt[rows, second]]).ravel()
    v_out = np.column_stack([vv[rows, first], vv[rows, second]]).ravel()
    gap = ~np.isfinite(vv).all(axis=1)
    v_out[np.repeat(gap, 2)] = np.nan  # a bin touching a gap keeps the line broken
    return np.concatenate([t_out, t[n:]]), np.concatenate([v_out, v[n:]])


def _span_style(key: str) -> dict[str, Any]:
    """Patch properties of a phase: a pale fill, hatch lines (if any) in the full colour, no border."""
    colour, opacity, hatch = PHASE_STYLE[key]
    # An opaque tint (the colour over white) rather than transparency: SVG would apply a
    # transparency to the hatch lines as well, and they would fade with the fill.
    rgb = np.asarray(to_rgb(colour))
    tint = tuple(float(v) for v in opacity * rgb + (1.0 - opacity))
    return {
        "facecolor": tint,
        "hatch": hatch,
        "hatchcolor": colour,
        "edgecolor": "none",
        "lw": 0.0,
    }


def _shade_rep(ax: Axes, rep: CalfRep, *, fast: bool) -> None:
    for phase, (a, b) in rep_phases(rep).items():
        key = "lowering_fast" if phase == "lowering" and fast else phase
        if b > a:
            ax.axvspan(a, b, zorder=0, **_span_style(key))


def _shade_gaps(ax: Axes, gaps: Sequence[tuple[float, float]], lo: float, hi: float) -> None:
    for a, b in gaps:
        if b >= lo and a <= hi:
            ax.axvspan(a, b, facecolor="white", hatch="xx", edgecolor=GREY, lw=0, alpha=0.6, zorder=0)


def _label_reps(ax: Axes, reps: Sequence[CalfRep], ytop: float) -> None:
    for rep in reps:
        mid = (rep.start_s + rep.end_s) / 2
        ax.text(
            mid,
            ytop * 0.97,
            str(rep.index),
            ha="center",
            va="top",
            fontsize=7.5,
            color="#333333",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )


def _row_title(s: CalfSet | None, reps: Sequence[CalfRep], target_s: float) -> str:
    if s is None:
        return "No calf-raise reps found in this recording"
    if s.endurance:
        return f"Set {s.index}: {s.rep_count} reps, endurance set, {s.time_under_tension_s:.0f} s under tension"
    fast = sum(1 for r in reps if r.set == s.index and not r.eccentric_pass)
    verdict = "all lowered slowly enough" if not fast else f"{fast} lowered in under {target_s:.1f} s"
    return f"Set {s.index}: {s.rep_count} reps, {verdict}"


def _phase_handles(target_s: float, any_fast: bool, any_partial: bool) -> list[Patch]:
    def patch(key: str, label: str) -> Patch:
        return Patch(label=label, **_span_style(key))

    handles = [
        patch("rise", "rise"),
        patch("top_hold", "top hold"),
        patch("lowering", f"lowering (≥ {target_s:.1f} s)" if any_fast else "lowering"),
    ]
    if any_fast:
        handles.append(patch("lowering_fast", f"lowering too fast (< {target_s:.1f} s)"))
    handles.append(patch("bottom", "bottom (rest)"))
    if any_partial:
        handles.append(patch("partial", "partial rep (not counted)"))
    return handles


def _bar_positions(reps: Sequence[CalfRep]) -> tuple[np.ndarray, list[tuple[float, float, int]]]:
    """The x of every rep's bar, a blank slot between sets, and ``(first_x, last_x, set)`` per set."""
    x: list[float] = []
    groups: list[tuple[float, float, int]] = []
    pos = 0.0
    for rep in reps:
        if groups and rep.set != groups[-1][2]:
            pos += 1.0
        if not groups or rep.set != groups[-1][2]:
            groups.append((pos, pos, int(rep.set)))
        groups[-1] = (groups[-1][0], pos, groups[-1][2])
        x.append(pos)
        pos += 1.0
    return np.asarray(x), groups


__all__ = ["PHASE_STYLE", "calf_angle_svg", "lowering_bars_svg", "rep_phases"]
