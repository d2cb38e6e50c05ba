"""Matplotlib figures rendered to inline SVG: one look for every report plot.

Plots use the object-oriented API only (:class:`matplotlib.figure.Figure`, never ``pyplot``), so
no GUI backend is touched, no global figure list grows and nothing needs closing. Colours are the
Okabe–Ito palette, which stays distinguishable with the common colour-vision deficiencies; where
two categories matter (a rep that passed, one that did not) they also differ in hatching, so a
grey-scale print keeps them apart.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from matplotlib import rc_context
from matplotlib.figure import Figure

from calfload._logger import package_logger

logger = package_logger(__name__)

#: Okabe & Ito (2008), "Color Universal Design": eight colours safe for colour-blind readers.
OKABE_ITO: Final = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: Neutral greys for context (gaps, rest, grid).
GREY: Final = "#8C8C8C"
LIGHT_GREY: Final = "#D9D9D9"
INK: Final = "#222222"

#: Width of a full-width plot, inches (the page's content column is about 960 px).
FULL_WIDTH_IN: Final = 10.0

_STYLE: Final[dict[Any, Any]] = {  # keys: matplotlib rcParams
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 10.0,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10.0,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#E6E6E6",
    "grid.linewidth": 0.7,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.frameon": False,
    "legend.fontsize": 9.0,
    "hatch.linewidth": 1.0,
    "svg.fonttype": "none",  # text stays text: crisp, searchable, small
    "figure.dpi": 100.0,
}

_CSS_PX_PER_IN: Final = 96.0
_SVG_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_SVG_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')
_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


@contextmanager
def plot_style() -> Iterator[None]:
    """The report style, applied only inside the ``with`` block."""
    with rc_context(_STYLE):
        yield


def new_figure(width_in: float, height_in: float) -> Figure:
    """A figure with constrained layout (labels never clipped), not registered with pyplot."""
    return Figure(figsize=(width_in, height_in), layout="constrained")


def figure_to_svg(fig: Figure, *, plot_id: str, title: str) -> str:
    """Render a figure as an ``<svg>`` element to inline in HTML.

    Parameters
    ----------
    fig
        The figure (drawn inside :func:`plot_style`).
    plot_id
        Unique within the page: prefixes the SVG's internal ids (groups, clip paths, markers) so
        several plots in one page never share one.
    title
        Accessible name of the plot (``<title>`` and ``aria-label``).

    Returns
    -------
    str
        The ``<svg>`` element: no XML prologue, no fixed size (it scales with its container,
        keeping its aspect ratio through the ``viewBox``).
    """
    buf = io.StringIO()
    with rc_context({"svg.hashsalt": plot_id}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = _SVG_PROLOGUE.sub("", buf.getvalue(), count=1)
    svg = _SVG_METADATA.sub("", svg, count=1)
    # Matplotlib names its groups figure_1, axes_1, ... in every SVG: prefix every id and every
    # reference to one, so that several plots in one page never share an id.
    prefix = f"{plot_id}-"
    svg = (
        svg.replace(' id="', f' id="{prefix}').replace("url(#", f"url(#{prefix}").replace('href="#', f'href="#{prefix}')
    )
    safe_title = html.escape(title, quote=True)
    # Scale down with a narrow page, never up: fonts stay at the size they were drawn at.
    natural_px = round(float(fig.get_figwidth()) * _CSS_PX_PER_IN)
    svg = _SVG_SIZE.sub(
        lambda m: (
            f'<svg{m.group(1)} role="img" aria-label="{safe_title}" preserveAspectRatio="xMidYMid meet" '
            f'style="max-width: {natural_px}px"'
        ),
        svg,
        count=1,
    )
    # The <title> must be the first child of <svg> to be its accessible name.
    head_end = svg.index(">") + 1
    svg = svg[:head_end] + f"<title>{safe_title}</title>" + svg[head_end:]
    logger.debug("plot %s: %d bytes of SVG", plot_id, len(svg))
    return svg


__all__ = ["FULL_WIDTH_IN", "GREY", "INK", "LIGHT_GREY", "OKABE_ITO", "figure_to_svg", "new_figure", "plot_style"]
