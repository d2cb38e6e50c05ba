"""Terminal and HTML renderings of analyses and reviews."""

from __future__ import annotations

from calfload.report._calf_text import render_calf_text
from calfload.report._table import Col, render_table

__all__ = ["Col", "render_calf_text", "render_table"]
