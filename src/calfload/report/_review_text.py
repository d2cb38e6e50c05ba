"""Terminal rendering of the daily review: flag, reasons, next step and the last four weeks.

Renders the ``calfload review --json`` object, so the terminal and JSON never disagree.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Final

from calfload.report._table import Col, render_table

FLAG_TITLES: Final = {"back_off": "BACK OFF", "hold": "HOLD", "progress": "PROGRESS"}
WRAP_COLUMNS: Final = 100


def render_review_text(review: Mapping[str, Any], *, show_sessions: bool = True) -> str:
    """Render a review as aligned text with units.

    Parameters
    ----------
    review
        The dict of :meth:`calfload.loadmodel.Review.to_dict`.
    show_sessions
        Also list the sessions of the four weeks with their ids.
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
    load_line = (
        f"  Load today {today['load_au']:.1f} AU; 7-day average {today['acute_au']:.1f} AU, "
        f"28-day average {today['chronic_au']:.1f} AU, ratio {ratio}{warm}"
    )
    out += [
        "",
        load_line,
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
        out.append(_sessions_table(sessions) if sessions else "  (none in these four weeks: `calfload import FILE`)")
    cadence = [line for item in review.get("cadence_alerts") or [] for line in item.get("says", [])]
    if cadence:
        out += ["", "  Cadence (runs of the last 7 days; an alert, not a load flag):"]
        out += _bullets(cadence)
    if review.get("visa_a"):
        trail = " → ".join(f"{v['score']} ({v['date']})" for v in review["visa_a"][-4:])
        out += ["", f"  VISA-A (0-100, 100 = no symptoms): {trail}"]
    if review.get("baseline"):
        out += ["", "  Baseline tests", _baseline_table(review["baseline"])]
        out += [f"    {c['text']}" for c in review.get("heel_rise_change") or []]
    out += ["", *textwrap.wrap(review["disclaimer"], WRAP_COLUMNS, initial_indent="  ", subsequent_indent="  ")]
    return "\n".join(out)


def _bullets(items: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for item in items:
        lines += textwrap.wrap(item, WRAP_COLUMNS, initial_indent="    - ", subsequent_indent="      ")
    return lines


def _weeks_table(weeks: Sequence[Mapping[str, Any]]) -> str:
    return render_table(
        [
            Col("week", align="<"),
            Col("sessions"),
            Col("strength/plyo"),
            Col("load (AU)", "{:.1f}"),
            Col("under tension (s)", "{:.0f}"),
            Col("tempo pass", "{:.0%}"),
            Col("pain during max"),
            Col("pain after max"),
            Col("morning pain mean", "{:.1f}"),
            Col("morning entries"),
        ],
        [
            [
                f"{w['first_date']} – {w['last_date']}",
                w["sessions"],
                w["strength_sessions"],
                w["load_au"],
                w["tut_s"],
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
            Col("sets"),
            Col("reps"),
            Col("hardest dose", align="<"),
            Col("added max (kg)", "{:g}"),
            Col("endurance set (s)", "{:.0f}"),
            Col("under tension (s)", "{:.0f}"),
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
                c["tut_s"],
                c["tempo_pass_rate"],
            ]
            for w in weeks
            if (c := w.get("calf")) is not None
        ],
    )


def _sessions_table(sessions: Sequence[Mapping[str, Any]]) -> str:
    return render_table(
        [
            Col("id"),
            Col("date", align="<"),
            Col("activity", align="<"),
            Col("exercise", align="<"),
            Col("added (kg)", "{:g}"),
            Col("sets × reps", align="<"),
            Col("cycles/leg", "{:.0f}"),
            Col("peak force (BW)", "{:.2f}"),
            Col("load (AU)", "{:.1f}"),
            Col("under tension (s)", "{:.0f}"),
            Col("tempo pass", "{:.0%}"),
            Col("distance (km)", "{:.2f}"),
            Col("pain during/after", align="<"),
        ],
        [
            [
                s["id"],
                s["date"],
                s["activity"],
                (s["exercise"] or "") + (" (assumed)" if s["exercise_assumed"] else "") or None,
                s["added_load_kg"],
                f"{s['sets']} × {s['reps_per_set']}" if s["sets"] else None,
                s["cycles_per_leg"],
                s["peak_force_bw"],
                s["load_au"],
                s["tut_s"],
                s["tempo_pass_rate"],
                None if s["distance_m"] is None else s["distance_m"] / 1000.0,
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
