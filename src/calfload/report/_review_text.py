"""Terminal rendering of the daily review: flag, reasons, next step and the last four weeks.

Renders the ``calfload review --json`` object, so the terminal and JSON never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from calfload.report._table import Col, render_table, wrap_line
from calfload.units import KG_PER_LB, KM_PER_MILE, UnitSystem, hms

FLAG_TITLES: Final = {"back_off": "BACK OFF", "hold": "HOLD", "progress": "PROGRESS"}


def render_review_text(review: Mapping[str, Any], *, show_sessions: bool = True, units: UnitSystem = "metric") -> str:
    """Render a review as aligned text with units.

    Parameters
    ----------
    review
        The dict of :meth:`calfload.loadmodel.Review.to_dict`.
    show_sessions
        Also list the sessions of the four weeks with their ids.
    units
        Distances in km or miles, added load in kg or lb.
    """
    out = [f"Review for {review['date']}: {FLAG_TITLES.get(review['flag'], review['flag'])}", ""]
    out.append("  Why:")
    out += _bullets(review["reasons"])
    out.append("  Next step:")
    out += _bullets([review["next_step"]])
    if review.get("notes"):
        out.append("  Notes:")
        out += _bullets(review["notes"])
    today = review["today"]
    ratio = "-" if today["ewma_ratio"] is None else f"{today['ewma_ratio']:.2f}"
    warm = " (less than 28 days of history: averages still settling)" if today["warming_up"] else ""
    load_line = wrap_line(
        f"Load today {today['load_au']:.1f} AU; 7-day average {today['acute_au']:.1f} AU, "
        f"28-day average {today['chronic_au']:.1f} AU, ratio {ratio}{warm}"
    )
    out += [
        "",
        *load_line,
        "",
        "  Last four weeks",
        _weeks_table(review["weeks"]),
    ]
    if any((w.get("calf") or {}).get("sessions") for w in review["weeks"]):
        programme = review.get("programme", "default")
        out += ["", f"  Calf programme ({programme}) by week", _calf_table(review["weeks"])]
    sessions = review.get("sessions") or []
    if show_sessions:
        out += ["", "  Sessions"]
        out.append(
            _sessions_table(sessions, units) if sessions else "  (none in these four weeks: `calfload import FILE`)"
        )
    cadence = [line for item in review.get("cadence_alerts") or [] for line in item.get("says", [])]
    if cadence:
        out += ["", "  Cadence (runs of the last 7 days; an alert, not a load flag):"]
        out += _bullets(cadence)
    if review.get("visa_a"):
        trail = " → ".join(f"{v['score']} ({v['date']})" for v in review["visa_a"][-4:])
        out += ["", *wrap_line(f"VISA-A (0-100, 100 = no symptoms): {trail}")]
    if review.get("baseline"):
        out += ["", "  Baseline tests", _baseline_table(review["baseline"])]
        out += [f"    {c['text']}" for c in review.get("heel_rise_change") or []]
    out += ["", *wrap_line(review["disclaimer"])]
    return "\n".join(out)


def _bullets(items: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for item in items:
        lines += wrap_line(item, indent="    - ", hang="      ")
    return lines


def _weeks_table(weeks: Sequence[Mapping[str, Any]]) -> str:
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
                f"{w['first_date']} – {w['last_date']}",
                w["sessions"],
                w["strength_sessions"],
                w["load_au"],
                hms(w["tut_s"]),
                w["tempo_pass_rate"],
                w["pain"]["during_max"],
                w["pain"]["after_max"],
                w["pain"]["morning_mean"],
                w["pain"]["morning_entries"],
            ]
            for w in weeks
        ],
    )


def _calf_table(weeks: Sequence[Mapping[str, Any]]) -> str:
    """The strength programme's own dose per week (the damage load hides calf work)."""
    return render_table(
        [
            Col("week", align="<"),
            Col("calf sessions"),
            Col("sets", drop=2),
            Col("reps"),
            Col("hardest dose", align="<"),
            Col("added max (kg)", "{:g}", drop=3),
            Col("endurance set (s)", "{:.0f}", drop=4),
            Col("under tension", drop=1),
            Col("tempo pass", "{:.0%}"),
        ],
        [
            [
                f"{w['first_date']} – {w['last_date']}",
                c["sessions"],
                c["sets"],
                c["reps"],
                c["top_dose"],
                c["added_load_kg_max"],
                c["endurance_set_s"] or None,
                None if c["tut_s"] is None else hms(c["tut_s"]),
                c["tempo_pass_rate"],
            ]
            for w in weeks
            if (c := w.get("calf")) is not None
        ],
    )


def _sessions_table(sessions: Sequence[Mapping[str, Any]], units: UnitSystem) -> str:
    imperial = units == "imperial"
    per_kg, per_km = (1 / KG_PER_LB, 1 / KM_PER_MILE) if imperial else (1.0, 1.0)
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
        [
            [
                s["id"],
                s["date"],
                s["activity"],
                (s["exercise"] or "") + (" (assumed)" if s["exercise_assumed"] else "") or None,
                None if s["added_load_kg"] is None else s["added_load_kg"] * per_kg,
                f"{s['sets']} × {s['reps_per_set']}" if s["sets"] else None,
                s["cycles_per_leg"],
                s["peak_force_bw"],
                s["load_au"],
                None if s["tut_s"] is None else hms(s["tut_s"]),
                s["tempo_pass_rate"],
                None if s["distance_m"] is None else s["distance_m"] / 1000.0 * per_km,
                _session_pain(s),
            ]
            for s in sessions
        ],
    )


def _session_pain(s: Mapping[str, Any]) -> str | None:
    """``4/2`` for pain logged on the session itself (``log pain --session``), else nothing."""
    during, after = s.get("pain_during"), s.get("pain_after")
    if during is None and after is None:
        return None
    return f"{'-' if during is None else during}/{'-' if after is None else after}"


def _baseline_table(tests: Sequence[Mapping[str, Any]]) -> str:
    return render_table(
        [
            Col("date", align="<"),
            Col("side", align="<"),
            Col("test", align="<"),
            Col("heel-rise reps"),
            Col("calf circumference (cm)", "{:.1f}"),
            Col("knee-to-wall (cm)", "{:.1f}"),
        ],
        [
            [
                b["date"],
                b["side"],
                b.get("source", "logged"),
                b["heel_rise_reps"],
                b["calf_circumference_cm"],
                b["knee_to_wall_cm"],
            ]
            for b in tests
        ],
    )


__all__ = ["render_review_text"]
