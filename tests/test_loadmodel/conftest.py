"""Hand-built analysis summaries in the DESIGN.md shapes, and histories made from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from calfload.loadmodel import Athlete, History, PainEntry, SessionInput, SessionLoad, session_load

from .analyses import typed

MONDAY = dt.date(2024, 5, 6)

CalfFactory = Callable[..., dict[str, Any]]
RunFactory = Callable[..., dict[str, Any]]


def _calf_analysis(
    *,
    sets: int = 2,
    reps: int = 12,
    eccentric_s: float = 3.2,
    concentric_s: float = 1.0,
    top_hold_s: float = 0.3,
    target_s: float = 3.0,
    tolerance_s: float = 0.5,
    extra_sets: Iterable[int] = (),
) -> dict[str, Any]:
    """A calf-raise analysis: ``sets`` x ``reps`` at one tempo (plus optional extra sets of other sizes)."""
    rep_rows: list[dict[str, Any]] = []
    set_rows: list[dict[str, Any]] = []
    t = 3.0
    passes = eccentric_s >= target_s - tolerance_s
    for set_index, n in enumerate([reps] * sets + list(extra_sets), start=1):
        start = t
        for i in range(1, n + 1):
            dur = concentric_s + top_hold_s + eccentric_s
            rep_rows.append(
                {
                    "set": set_index,
                    "index": i,
                    "start_s": t,
                    "end_s": t + dur,
                    "concentric_s": concentric_s,
                    "top_hold_s": top_hold_s,
                    "eccentric_s": eccentric_s,
                    "bottom_s": 0.6 if i < n else None,
                    "eccentric_pass": passes,
                }
            )
            t += dur + 0.6
        set_rows.append(
            {
                "index": set_index,
                "rep_count": n,
                "start_s": start,
                "end_s": t,
                "time_under_tension_s": n * (concentric_s + top_hold_s + eccentric_s),
                "tempo_pass_rate": 1.0 if passes else 0.0,
            }
        )
        t += 60.0
    return {
        "activity": "calf_raise",
        "rep_count": len(rep_rows),
        "sets": set_rows,
        "reps": rep_rows,
        "tempo": {"target_eccentric_s": target_s, "tolerance_s": tolerance_s, "pass_rate": 1.0 if passes else 0.0},
    }


def _run_analysis(
    *,
    distance_m: float | None = 10_000.0,
    speed_mps: float | None = 3.0,
    cadence_spm: float = 170.0,
    contact_ms: float = 230.0,
    duration_s: float | None = None,
    activity: str = "run",
) -> dict[str, Any]:
    """A run or walk analysis; duration from distance and speed unless given."""
    if duration_s is None:
        if distance_m is None or speed_mps is None:
            raise ValueError("give duration_s, or distance_m and speed_mps")
        duration_s = distance_m / speed_mps
    doc: dict[str, Any] = {
        "activity": activity,
        "duration_s": duration_s,
        "steps": round(cadence_spm * duration_s / 60.0),
        "steps_doubled_from_one_foot": True,
        "cadence_spm": {"mean": cadence_spm, "median": cadence_spm},
        "ground_contact_ms": {"median": contact_ms},
    }
    if speed_mps is not None:
        doc["speed_mps"] = {"mean": speed_mps, "median": speed_mps}
    if distance_m is not None:
        doc["distance_m"] = distance_m
    return doc


@pytest.fixture
def calf_analysis() -> CalfFactory:
    return _calf_analysis


@pytest.fixture
def run_analysis() -> RunFactory:
    return _run_analysis


def _load(
    day: dt.date,
    analysis: dict[str, Any],
    *,
    exercise: str | None = "single_leg_standing",
    added_load_kg: float | None = None,
    side: str = "left",
    hour: int = 8,
    session_id: int | None = None,
    athlete: Athlete | None = None,
    activity: str | None = None,
) -> SessionLoad:
    activity = activity or analysis["activity"]
    return session_load(
        SessionInput(
            session_id=session_id,
            start_utc=dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC),
            local_date=day,
            activity=activity,
            analysis=typed(analysis),
            exercise=exercise if activity in ("calf_raise", "hops") else None,
            added_load_kg=added_load_kg,
            side=side,
        ),
        athlete or Athlete(body_mass_kg=70.0),
    )


@pytest.fixture
def load() -> Callable[..., SessionLoad]:
    """``load(day, analysis, exercise=..., added_load_kg=..., side=..., hour=...)`` -> SessionLoad."""
    return _load


def _calm_history(
    weeks: int = 2,
    *,
    session_days: Iterable[int] = (0, 2, 4),
    eccentric_s: float = 3.2,
    morning: int | None = 0,
    during: int | None = 1,
    sets: int = 2,
    reps: int = 12,
) -> History:
    """Calf sessions on Mon/Wed/Fri for ``weeks`` weeks, daily morning entries, pain during on session days."""
    days = sorted(MONDAY + dt.timedelta(days=7 * w + d) for w in range(weeks) for d in session_days)
    sessions = [
        _load(d, _calf_analysis(sets=sets, reps=reps, eccentric_s=eccentric_s), session_id=i)
        for i, d in enumerate(days, start=1)
    ]
    last = days[-1]
    pain = [
        PainEntry(
            day=MONDAY + dt.timedelta(days=i),
            morning=morning,
            during=during if MONDAY + dt.timedelta(days=i) in days else None,
        )
        for i in range((last - MONDAY).days + 1)
    ]
    return History.build(sessions, pain, 70.0)


@pytest.fixture
def calm_history() -> Callable[..., History]:
    """``calm_history(weeks=2, session_days=(0, 2, 4), eccentric_s=3.2, morning=0, during=1)``."""
    return _calm_history
