"""Plot of a hop session: ground contact and flight time of every hop, set by set."""

from __future__ import annotations

from typing import Final

import numpy as np

from calfload._logger import package_logger
from calfload.report._plots import FULL_WIDTH_IN, INK, LIGHT_GREY, OKABE_ITO, figure_to_svg, new_figure, plot_style
from calfload.signal import HopAnalysis

logger = package_logger(__name__)

CONTACT_COLOUR: Final = OKABE_ITO["blue"]
FLIGHT_COLOUR: Final = OKABE_ITO["orange"]


def hop_times_svg(result: HopAnalysis, *, plot_id: str = "hops-times") -> str:
    """Contact time (bars) and flight time (markers) of every hop, grouped by set.

    Parameters
    ----------
    result
        The analysis of a hop session with at least one contact.
    plot_id
        Unique id of the plot in its page.
    """
    contacts = result.contacts
    x = np.zeros(len(contacts))
    groups: list[tuple[float, float, int]] = []
    pos = 0.0
    for i, c in enumerate(contacts):
        if groups and c.set != groups[-1][2]:
            pos += 1.5
        if not groups or c.set != groups[-1][2]:
            groups.append((pos, pos, int(c.set)))
        groups[-1] = (groups[-1][0], pos, groups[-1][2])
        x[i] = pos
        pos += 1.0
    contact = np.array([np.nan if c.contact_ms is None else c.contact_ms for c in contacts], dtype=float)
    flight = np.array([np.nan if c.flight_ms is None else c.flight_ms for c in contacts], dtype=float)
    with plot_style():
        fig = new_figure(FULL_WIDTH_IN, 3.4)
        ax = fig.subplots()
        ax.bar(x, contact, width=0.7, color=CONTACT_COLOUR, label="ground contact", zorder=2)
        ax.plot(x, flight, ls="none", marker="D", ms=5.0, color=FLIGHT_COLOUR, mec="white", label="flight", zorder=3)
        top = float(np.nanmax(np.concatenate([contact, flight, [100.0]])))
        ax.set_ylim(0.0, top * 1.2)
        for i, (first, last, set_index) in enumerate(groups):
            if i:
                ax.axvline(first - 1.25, color=LIGHT_GREY, lw=1.0)
            ax.text((first + last) / 2, top * 1.17, f"Set {set_index}", ha="center", va="top", fontsize=9, color=INK)
        step = max(1, len(contacts) // 40)
        ticks = [i for i, c in enumerate(contacts) if (c.index - 1) % step == 0]
        ax.set_xticks(x[ticks], [str(contacts[i].index) for i in ticks], fontsize=8.5)
        ax.set_xlim(float(x.min()) - 0.8, float(x.max()) + 0.8)
        ax.grid(axis="x", visible=False)
        ax.set_xlabel("Hop (numbered within its set)")
        ax.set_ylabel("Time (ms)")
        fig.legend(loc="outside upper center", ncols=2)
        svg = figure_to_svg(fig, plot_id=plot_id, title="Ground contact and flight time of every hop")
    return svg


__all__ = ["hop_times_svg"]
