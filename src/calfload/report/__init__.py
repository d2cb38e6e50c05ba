"""Terminal and HTML renderings of analyses and reviews.

The terminal renderings and the progress bar load eagerly; the HTML reports (which need
matplotlib) load on first use, so commands that only print tables stay quick to start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from calfload.report._calf_text import render_calf_text
from calfload.report._gait_text import render_gait_text
from calfload.report._progress import Progress, progress_enabled
from calfload.report._table import Col, render_table

if TYPE_CHECKING:
    from calfload.report._html_calf import render_calf_html
    from calfload.report._html_gait import render_gait_html
    from calfload.report._html_period import render_period_html
    from calfload.report._html_session import render_session_html

_LAZY = {
    "render_calf_html": "calfload.report._html_calf",
    "render_gait_html": "calfload.report._html_gait",
    "render_period_html": "calfload.report._html_period",
    "render_session_html": "calfload.report._html_session",
}


def __getattr__(name: str) -> Any:
    """Load the HTML renderers on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Col",
    "Progress",
    "progress_enabled",
    "render_calf_html",
    "render_calf_text",
    "render_gait_html",
    "render_gait_text",
    "render_period_html",
    "render_session_html",
    "render_table",
]
