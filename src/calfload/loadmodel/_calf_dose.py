"""The calf programme's own dose per week, shown beside the running load (issue 13 item 3).

Running dominates the damage load, so a 3 x 10 session is about 1 AU beside 2,000 AU for a run:
the calf work shows as its own trend instead (sets x reps, time under tension, added weight, tempo
pass rate), per week here and per session in the review's session list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from calfload.loadmodel._prescription import dose_text
from calfload.loadmodel._session import SessionLoad


@dataclass(frozen=True, slots=True, kw_only=True)
class CalfDoseWeek:
    """The strength programme's own dose in one week, beside the running load (issue 13 item 3).

    Parameters
    ----------
    sessions
        Calf-raise sessions that week.
    sets, reps
        Regular sets and their reps, summed over the week (endurance sets apart).
    top_dose
        The week's hardest sets x reps, e.g. ``"3 × 12 single-leg raises at 2.5 kg"`` (``None``
        without regular sets).
    added_load_kg_max
        The heaviest added weight of the week (``None`` without calf sessions).
    endurance_set_s
        The longest endurance set (0 without one).
    tut_s
        Time under tension of the calf sessions.
    tempo_pass_rate
        Share of audited reps lowered slowly enough (``None``: none audited).
    """

    sessions: int
    sets: int
    reps: int
    top_dose: str | None
    added_load_kg_max: float | None
    endurance_set_s: float
    tut_s: float
    tempo_pass_rate: float | None


def calf_dose_week(sessions: Sequence[SessionLoad]) -> CalfDoseWeek:
    """Sum the calf-raise sessions of a week into its :class:`CalfDoseWeek`."""
    calf = [s for s in sessions if s.activity == "calf_raise"]
    doses = [s.dose for s in calf if s.dose is not None]
    regular = [d for d in doses if d.sets > 0]
    top = max(regular, key=lambda d: (d.exercise.tier, d.added_load_kg, d.sets, d.reps_per_set), default=None)
    total = sum(s.reps_total for s in calf)
    return CalfDoseWeek(
        sessions=len(calf),
        sets=sum(d.sets for d in regular),
        reps=sum(d.sets * d.reps_per_set for d in regular),
        top_dose=None if top is None else dose_text(top),
        added_load_kg_max=max((d.added_load_kg for d in doses), default=None),
        endurance_set_s=max((d.endurance_set_s for d in doses), default=0.0),
        tut_s=sum(s.tut_s or 0.0 for s in calf),
        tempo_pass_rate=sum(s.reps_passed for s in calf) / total if total else None,
    )


def calf_dose_dict(c: CalfDoseWeek) -> dict[str, Any]:
    """JSON-ready (``review --json``: ``weeks[].calf``)."""
    return {
        "sessions": c.sessions,
        "sets": c.sets,
        "reps": c.reps,
        "top_dose": c.top_dose,
        "added_load_kg_max": c.added_load_kg_max,
        "endurance_set_s": _r(c.endurance_set_s, 1),
        "tut_s": _r(c.tut_s, 1),
        "tempo_pass_rate": _r(c.tempo_pass_rate, 3),
    }


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


__all__ = ["CalfDoseWeek", "calf_dose_dict", "calf_dose_week"]
