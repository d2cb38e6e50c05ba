"""Achilles-tendon load per session, the journal's history, trends and the daily flag."""

from __future__ import annotations

__all__: list[str] = []
