"""Terminal and HTML renderings of analyses and reviews."""

from __future__ import annotations

__all__: list[str] = []
