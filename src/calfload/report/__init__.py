"""Terminal and HTML renderings of analyses and reviews.

Each public name is imported from its module on first use (:mod:`calfload._lazy`): the HTML
reports need matplotlib, the session text renderers cost about 20 ms, and a command that prints
one sentence (``calfload log``) imports only the module it uses
(:mod:`calfload.report._logged_text`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calfload._lazy import lazy_exports

if TYPE_CHECKING:
    from calfload.report._calf_text import render_calf_text
    from calfload.report._gait_text import render_gait_text
    from calfload.report._html_calf import render_calf_html
    from calfload.report._html_gait import render_gait_html
    from calfload.report._html_period import render_period_html
    from calfload.report._html_session import render_session_html
    from calfload.report._progress import Progress, progress_enabled
    from calfload.report._table import Col, render_table

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "calfload.report._calf_text": ("render_calf_text",),
        "calfload.report._gait_text": ("render_gait_text",),
        "calfload.report._html_calf": ("render_calf_html",),
        "calfload.report._html_gait": ("render_gait_html",),
        "calfload.report._html_period": ("render_period_html",),
        "calfload.report._html_session": ("render_session_html",),
        "calfload.report._progress": ("Progress", "progress_enabled"),
        "calfload.report._table": ("Col", "render_table"),
    },
)

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
