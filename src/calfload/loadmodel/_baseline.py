"""Baseline assessments as the load model and the review read them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class BaselineTest:
    """A baseline assessment of one side on one day (fields ``None`` where not measured).

    ``source`` is ``"logged"`` (``log baseline``) or ``"measured"`` (``test heel-rise``, with its
    ``details``): each is its own record, a same-day test and logged entry are never mixed.
    """

    day: dt.date
    side: str
    heel_rise_reps: int | None
    calf_circumference_cm: float | None
    knee_to_wall_cm: float | None
    session_id: int | None = None
    details: Mapping[str, Any] | None = None
    source: str = "logged"
