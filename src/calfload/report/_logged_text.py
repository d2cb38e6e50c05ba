"""What was logged or corrected, said back in one line: ``pain on 2026-03-02: during 3/10, morning 1/10``.

``calfload log`` and ``calfload correct`` print these after each entry is stored; each takes the
entry the journal returned (what was stored, not what was typed). This module imports no
renderer: :mod:`calfload.report` loads its names on first use, so ``log`` does not pay for the
session text renderers (about 20 ms).

Examples
--------
>>> import datetime as dt
>>> from calfload.loadmodel._history import PainEntry
>>> pain_logged(PainEntry(day=dt.date(2026, 3, 2), during=3, morning=1, swelling=False))
'pain on 2026-03-02: during 3/10, morning 1/10, no swelling'
>>> mass_logged(72.5, dt.date(2026, 3, 2), "metric")
'body mass 72.5 kg on 2026-03-02'
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from calfload.units import Length, UnitSystem, distance, hms, mass

if TYPE_CHECKING:
    from calfload.journal import SessionRecord
    from calfload.loadmodel._baseline import BaselineTest
    from calfload.loadmodel._history import PainEntry, SessionPain
    from calfload.loadmodel._visa_a import VisaA
    from calfload.loadmodel._workout import Workout


def mass_logged(mass_kg: float, day: dt.date, units: UnitSystem) -> str:
    """``body mass 72.5 kg on 2026-03-02``."""
    return f"body mass {mass(mass_kg, units)} on {day.isoformat()}"


def pain_logged(entry: PainEntry) -> str:
    """A day's pain scores and tissue signs, those given only."""
    parts = [
        f"{name} {value}/10"
        for name, value in (
            ("during", entry.during),
            ("after", entry.after),
            ("morning", entry.morning),
            ("stiffness", entry.stiffness),
            ("tenderness", entry.tenderness),
        )
        if value is not None
    ]
    if entry.swelling is not None:
        parts.append("swelling" if entry.swelling else "no swelling")
    if entry.sharp:
        parts.append("sharp pain")
    return f"pain on {entry.day.isoformat()}: {', '.join(parts)}"


def session_pain_logged(entry: SessionPain) -> str:
    """One session's pain during and after it."""
    parts = [f"{n} {v}/10" for n, v in (("during", entry.during), ("after", entry.after)) if v is not None]
    parts += ["sharp pain"] if entry.sharp else []
    return f"pain of session {entry.session_id} ({entry.day.isoformat()}): {', '.join(parts)}"


def workout_logged(session_id: int, workout: Workout, units: UnitSystem) -> str:
    """A session logged without a recording: calf raises as sets x reps, runs and walks by distance and time."""
    if workout.activity == "calf_raise":
        load = f" at {mass(workout.added_load_kg, units)}" if workout.added_load_kg else ""
        what = f"{workout.sets} × {workout.reps} {workout.exercise or 'single_leg_standing'}{load}"
    else:
        km = [distance(workout.distance_km, units)] if workout.distance_km is not None else []
        minutes = [hms(workout.duration_min * 60)] if workout.duration_min is not None else []
        what = ", ".join(km + minutes)
    return f"session {session_id} ({workout.day.isoformat()}): logged {workout.activity} {what}"


def visa_a_logged(entry: VisaA) -> str:
    """``VISA-A on 2026-03-02: 74/100``."""
    return f"VISA-A on {entry.day.isoformat()}: {entry.score}/100"


def baseline_logged(test: BaselineTest, units: UnitSystem) -> str:
    """One side's baseline tests, those given only."""
    parts = []
    if test.heel_rise_reps is not None:
        parts.append(f"{test.heel_rise_reps} heel-rise reps")
    if test.calf_circumference_cm is not None:
        parts.append(f"calf {Length(test.calf_circumference_cm).render(units)}")
    if test.knee_to_wall_cm is not None:
        parts.append(f"knee-to-wall {Length(test.knee_to_wall_cm).render(units)}")
    return f"baseline {test.side} on {test.day.isoformat()}: {', '.join(parts)}"


def session_details_logged(record: SessionRecord, units: UnitSystem) -> str:
    """A stored session's exercise and added load."""
    load = f", {mass(record.added_load_kg, units)} added" if record.added_load_kg is not None else ""
    exercise = record.exercise or "exercise not set"
    return f"session {record.session_id} ({record.local_date.isoformat()}): {exercise}{load}"


def session_corrected(record: SessionRecord, units: UnitSystem) -> str:
    """A corrected session as it is now stored: date, activity, exercise, side and added load."""
    exercise = f", {record.exercise}" if record.exercise else ""
    load = f", {mass(record.added_load_kg, units)} added" if record.added_load_kg else ""
    return (
        f"session {record.session_id}: {record.local_date.isoformat()}, {record.activity}{exercise}, "
        f"side {record.side}{load} (the old values are in the audit trail)"
    )


__all__ = [
    "baseline_logged",
    "mass_logged",
    "pain_logged",
    "session_corrected",
    "session_details_logged",
    "session_pain_logged",
    "visa_a_logged",
    "workout_logged",
]
