"""Terminal rendering of the daily review: flag, reasons, next step and the last four weeks.

Renders the ``calfload review --json`` object, so the terminal and JSON never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from calfload.report._table import Col, render_table, wrap_line
from calfload.units import CM_PER_INCH, KG_PER_LB, KM_PER_MILE, UnitSystem, hms, in_units

if TYPE_CHECKING:
    from calfload.loadmodel import Review
    from calfload.loadmodel._baseline import BaselineTest
    from calfload.loadmodel._history import SessionPain
    from calfload.loadmodel._review import WeekSummary

FLAG_TITLES: Final = {"back_off": "BACK OFF", "hold": "HOLD", "progress": "PROGRESS"}


def render_review_text(review: Review, *, show_sessions: bool = True, units: UnitSystem = "metric") -> str:
    """Render a review as aligned text with units.

    Parameters
    ----------
    review
        The review (:func:`calfload.pipeline.review_journal`); figures are rounded as in
        ``calfload review --json``, so the terminal and the JSON never disagree.
    show_sessions
        Also list the sessions of the four weeks with their ids.
    units
        Distances in km or miles, added load in kg or lb, lengths in cm or inches (the reasons and the
        next step too).
    """
    from calfload.loadmodel._review import DISCLAIMER

    decision = review.decision
    out = [f"Review for {review.day.isoformat()}: {FLAG_TITLES.get(decision.flag, decision.flag)}", ""]
    out.append("  Why:")
    out += _bullets(decision.reasons, units)
    out.append("  Next step:")
    out += _bullets([decision.next_step], units)
    if decision.notes:
        out.append("  Notes:")
        out += _bullets(decision.notes, units)
    today = review.trend_today
    ratio = "-" if today.ewma_ratio is None else f"{today.ewma_ratio:.2f}"
    warm = " (less than 28 days of history: averages still settling)" if today.warming_up else ""
    load_line = wrap_line(
        f"Load today {today.load_au:.1f} AU; 7-day average {today.acute_au:.1f} AU, "
        f"28-day average {today.chronic_au:.1f} AU, ratio {ratio}{warm}"
    )
    out += ["", *load_line, "", "  Last four weeks", _weeks_table(review.weeks)]
    if any(w.calf is not None and w.calf.sessions for w in review.weeks):
        out += ["", f"  Calf programme ({review.params.programme.name}) by week", _calf_table(review.weeks, units)]
    if show_sessions:
        out += ["", "  Sessions"]
        out.append(
            _sessions_table(review, units)
            if review.sessions
            else "  (none in these four weeks: `calfload import FILE`)"
        )
    cadence = [line for item in review.cadence_alerts for line in item.describe()]
    if cadence:
        out += ["", "  Cadence (runs of the last 7 days; an alert, not a load flag):"]
        out += _bullets(cadence, units)
    if review.visa_a:
        trail = " → ".join(f"{v.score} ({v.day.isoformat()})" for v in review.visa_a[-4:])
        out += ["", *wrap_line(f"VISA-A (0-100, 100 = no symptoms): {trail}")]
    if review.baseline:
        out += ["", "  Baseline tests", _baseline_table(review.baseline, units)]
        for c in review.heel_rise_change:
            out += wrap_line(in_units(c.text(), units), indent="    ", hang="      ")
    out += ["", *wrap_line(DISCLAIMER)]
    return "\n".join(out)


def _r(value: float | None, digits: int = 2) -> float | None:
    """``value`` rounded as ``review --json`` prints it (None when unknown)."""
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def _bullets(items: Sequence[str], units: UnitSystem) -> list[str]:
    lines: list[str] = []
    for item in items:
        lines += wrap_line(in_units(item, units), indent="    - ", hang="      ")
    return lines


def _weeks_table(weeks: Sequence[WeekSummary]) -> str:
    return render_table(
        [
            Col("week", align="<"),
            Col("sessions"),
            Col("strength/plyo", drop=2),
            Col("load (AU)", "{:.1f}"),
            Col("under tension", drop=1),
            Col("tempo pass", "{:.0%}"),
            Col("pain during max"),
            Col("pain after max"),
            Col("morning pain mean", "{:.1f}"),
            Col("morning entries", drop=3),
        ],
        [
            [
                f"{w.first.isoformat()} – {w.last.isoformat()}",
                w.sessions,
                w.strength_sessions,
                _r(w.load_au),
                hms(round(w.tut_s, 2)),
                _r(w.tempo_pass_rate, 3),
                w.pain_during_max,
                w.pain_after_max,
                _r(w.pain_morning_mean, 2),
                w.morning_entries,
            ]
            for w in weeks
        ],
    )


def _calf_table(weeks: Sequence[WeekSummary], units: UnitSystem) -> str:
    """The strength programme's own dose per week (the damage load hides calf work)."""
    per_kg = 1 / KG_PER_LB if units == "imperial" else 1.0
    return render_table(
        [
            Col("week", align="<"),
            Col("calf sessions"),
            Col("sets", drop=2),
            Col("reps"),
            Col("hardest dose", align="<"),
            Col("added max (lb)", "{:.1f}", drop=3) if units == "imperial" else Col("added max (kg)", "{:g}", drop=3),
            Col("endurance set (s)", "{:.0f}", drop=4),
            Col("under tension", drop=1),
            Col("tempo pass", "{:.0%}"),
        ],
        [
            [
                f"{w.first.isoformat()} – {w.last.isoformat()}",
                c.sessions,
                c.sets,
                c.reps,
                None if c.top_dose is None else in_units(c.top_dose, units),
                None if c.added_load_kg_max is None else c.added_load_kg_max * per_kg,
                round(c.endurance_set_s, 1) or None,
                hms(round(c.tut_s, 1)),
                None if c.tempo_pass_rate is None else round(c.tempo_pass_rate, 3),
            ]
            for w in weeks
            if (c := w.calf) is not None
        ],
    )


def _sessions_table(review: Review, units: UnitSystem) -> str:
    imperial = units == "imperial"
    per_kg, per_km = (1 / KG_PER_LB, 1 / KM_PER_MILE) if imperial else (1.0, 1.0)
    rows = []
    for s in review.sessions:
        dose = s.dose
        distance_m = _r(s.distance_m, 1)
        tut_s = _r(s.tut_s, 1)
        rows.append(
            [
                s.session_id,
                s.local_date.isoformat(),
                s.activity,
                (s.exercise or "") + (" (assumed)" if s.exercise_assumed else "") or None,
                None if dose is None or dose.added_load_kg is None else dose.added_load_kg * per_kg,
                f"{dose.sets} × {dose.reps_per_set}" if dose is not None and dose.sets else None,
                _r(s.cycles_per_leg, 1),
                _r(s.peak_force_bw, 3),
                _r(s.load_au),
                None if tut_s is None else hms(tut_s),
                _r(s.tempo_pass_rate, 3),
                None if distance_m is None else distance_m / 1000.0 * per_km,
                _session_pain(review.session_pain.get(s.session_id or 0)),
            ]
        )
    return render_table(
        [
            Col("id"),
            Col("date", align="<"),
            Col("activity", align="<"),
            Col("exercise", align="<", drop=3),
            Col("added (lb)" if imperial else "added (kg)", "{:.3g}", drop=4),
            Col("sets × reps", align="<"),
            Col("cycles/leg", "{:.0f}", drop=6),
            Col("peak force (BW)", "{:.2f}", drop=5),
            Col("load (AU)", "{:.1f}"),
            Col("under tension", drop=2),
            Col("tempo pass", "{:.0%}"),
            Col("distance (mi)" if imperial else "distance (km)", "{:.2f}", drop=1),
            Col("pain during/after", align="<"),
        ],
        rows,
    )


def _session_pain(pain: SessionPain | None) -> str | None:
    """``4/2`` for pain logged on the session itself (``log pain --session``), else nothing."""
    during, after = (None, None) if pain is None else (pain.during, pain.after)
    if during is None and after is None:
        return None
    return f"{'-' if during is None else during}/{'-' if after is None else after}"


def _baseline_table(tests: Sequence[BaselineTest], units: UnitSystem) -> str:
    unit, per_cm = ("in", 1 / CM_PER_INCH) if units == "imperial" else ("cm", 1.0)
    return render_table(
        [
            Col("date", align="<"),
            Col("side", align="<"),
            Col("test", align="<"),
            Col("heel-rise reps"),
            Col(f"calf circumference ({unit})", "{:.1f}"),
            Col(f"knee-to-wall ({unit})", "{:.1f}"),
        ],
        [
            [
                b.day.isoformat(),
                b.side,
                b.source,
                b.heel_rise_reps,
                None if b.calf_circumference_cm is None else b.calf_circumference_cm * per_cm,
                None if b.knee_to_wall_cm is None else b.knee_to_wall_cm * per_cm,
            ]
            for b in tests
        ],
    )


__all__ = ["render_review_text"]
