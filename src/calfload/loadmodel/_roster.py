"""The triage list's typed rows and the heel-rise limb symmetry they show (pure: no file is read here).

:func:`calfload.pipeline.roster.build_roster` fills the rows from each athlete's journal;
:mod:`calfload.report.roster` renders them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from calfload.loadmodel._baseline import BaselineTest


@dataclass(frozen=True, slots=True)
class Adherence:
    """Programme sessions in the last 14 days beside the programme's target for 14 days (e.g. ``"4-6"``)."""

    sessions: int
    target: str


@dataclass(frozen=True, slots=True)
class MorningPainTrend:
    """Mean morning pain (0-10) of the last 7 days and the 7 before, and which way it went.

    ``direction`` is ``"rising"``, ``"falling"`` or ``"steady"`` (a change under 1 point), or None
    when either week has no morning entry.
    """

    last_7d_mean: float | None
    previous_7d_mean: float | None
    direction: str | None


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One athlete's line of the triage list."""

    name: str
    flag: str
    reason: str
    rule: str | None
    days_since_last_session: int | None
    days_since_last_entry: int | None
    stopped_logging: bool
    adherence: Adherence
    morning_pain: MorningPainTrend
    heel_rise_lsi_pct: float | None
    heel_rise_date: dt.date | None
    journal_dir: Path


def heel_rise_lsi(baseline: Sequence[BaselineTest], side_affected: str | None) -> tuple[float | None, dt.date | None]:
    """The limb symmetry index (%, reps, affected ÷ other) of the last day both sides were tested.

    The affected side is the one the measured test named, else the athlete's profile, else the
    side with fewer reps.
    """
    by_day: dict[dt.date, dict[str, BaselineTest]] = {}
    for b in baseline:
        if b.heel_rise_reps is not None:
            by_day.setdefault(b.day, {})[b.side] = b
    for day in sorted(by_day, reverse=True):
        sides = by_day[day]
        if set(sides) != {"left", "right"}:
            continue
        details = sides["left"].details or sides["right"].details
        named = details.affected_side if details is not None else None
        affected = named if named in ("left", "right") else side_affected
        reps = {s: b.heel_rise_reps or 0 for s, b in sides.items()}
        if affected not in ("left", "right"):
            affected = min(reps, key=lambda s: reps[s])
        other = "right" if affected == "left" else "left"
        if reps[other] == 0:
            return None, day
        return round(100.0 * reps[affected] / reps[other], 1), day
    return None, None


__all__ = ["Adherence", "MorningPainTrend", "RosterRow", "heel_rise_lsi"]
