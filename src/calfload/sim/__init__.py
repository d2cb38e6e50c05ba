"""Simulators of wearable sensors with documented physics, for tests, sample data and virtual devices.

Depends on :mod:`calfload.schema` and :mod:`calfload.recording` only.
"""

from __future__ import annotations

__all__: list[str] = []
