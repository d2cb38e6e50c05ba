"""The period page: today's flag and why, the load and pain of the last weeks, the baseline tests.

Its figures are those of ``calfload review --json``: :func:`calfload.pipeline.review_period` reads
the journal into a typed :class:`calfload.loadmodel.Period` (one review per four weeks of the
period, each exactly what ``calfload review --date D --json`` prints), and
:func:`render_period_html` draws it; the period's ``to_dict()`` is the page's data island.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from calfload._logger import package_logger
from calfload.loadmodel import (
    BaselineTest,
    DaySummary,
    HeelRisePair,
    Period,
    PeriodBin,
    PeriodSession,
    Review,
    WeekSummary,
    bin_unit,
    period_bins,
)
from calfload.loadmodel._period_bins import BinUnit
from calfload.loadmodel._visa_a import VisaA
from calfload.report._html import card, cards, esc, figure, message, num, page, table
from calfload.report._html_period_bins import bins_table, recent_sessions, sessions_note
from calfload.report._plots_period import heel_rise_svg, timeline_svg
from calfload.report._plots_period_bins import bins_timeline_svg
from calfload.units import CM_PER_INCH, KG_PER_LB, UnitSystem, distance_unit, in_units

logger = package_logger(__name__)

FLAG_TITLES: Final = {"back_off": "Back off", "hold": "Hold", "progress": "Progress"}


def render_period_html(period: Period, *, units: UnitSystem = "metric") -> str:
    """The HTML report of a period (:func:`calfload.pipeline.review_period`) in km, kg, cm or mi, lb, in.

    A period over 16 weeks is shown by week (up to two years) or by month: its timeline draws a
    step per week or month, a table lists them with their flags and reasons, and the sessions table
    lists the last four weeks only (:mod:`calfload.report._html_period_bins`).
    """
    review = period.review
    span = f"{period.since_days / 7:.0f} weeks" if period.since_days % 7 == 0 else f"{period.since_days} days"
    data = period.to_dict()
    unit = bin_unit(period.since_days)
    bins = period_bins(period, unit) if unit is not None else ()
    shown = recent_sessions(period) if unit is not None else list(range(len(period.sessions)))
    if unit is not None:
        all_sessions = data["sessions"]
        assert isinstance(all_sessions, list)
        data["sessions"] = [all_sessions[i] for i in shown]
        data["bins"] = {"unit": unit, "rows": [b.to_dict() for b in bins]}
    body = [_flag_box(review, units), _today_cards(review), "<h2>Load, pain and flags</h2>"]
    body.append(_timeline(period, bins, unit))
    body += ["<h2>Week by week</h2>" if unit is None else "<h2>The last four weeks</h2>", _weeks_table(review.weeks)]
    if any(w.calf is not None and w.calf.sessions for w in review.weeks):
        body += ["<h2>Calf programme by week</h2>", _calf_table(review.weeks, units)]
    listed = [period.sessions[i] for i in shown]
    if unit is None:
        body.append("<h2>Sessions</h2>")
    else:
        body += ["<h2>Sessions of the last four weeks</h2>", sessions_note(period.sessions, len(listed), unit)]
    body.append(_sessions_table(listed, units) if listed else _NO_SESSIONS)
    body.append(_baseline(review.baseline, period.heel_rise, units))
    if review.visa_a:
        body.append(_visa_a(review.visa_a))
    if unit is not None:
        body.append(bins_table(bins, unit, units))
    elif period.days:
        body.append(_days_table(period.days))
    subtitle = f"{period.first.isoformat()} to {period.day.isoformat()} ({span})"
    title = f"Training review for {period.day.isoformat()}"
    return page(kind="period", title=title, subtitle=subtitle, body=body, data=data)


def _timeline(period: Period, bins: Sequence[PeriodBin], unit: BinUnit | None) -> str:
    """The load, pain and flags plot: day by day, or a step per week or month; a message when empty."""
    has_data = bool(period.sessions) or any(
        d.pain is not None and (d.pain.during, d.pain.after, d.pain.morning) != (None, None, None) for d in period.days
    )
    if has_data and unit is not None:
        return figure(bins_timeline_svg(bins, unit), "period-timeline", _BINS_CAPTION.format(unit=unit))
    if has_data:
        return figure(timeline_svg(period.days, period.day), "period-timeline", _DAYS_CAPTION)
    return message(
        "No sessions or pain entries in this period",
        f"Nothing was logged from {period.first.isoformat()} to {period.day.isoformat()}. Import sessions "
        "with `calfload import FILE` and log pain with `calfload log pain`; the plots appear once there is "
        "data.",
        key="empty-period",
    )


_DAYS_CAPTION: Final = (
    "Top: the load of each day (a relative index in arbitrary units) with its 7-day and 28-day "
    "exponentially weighted averages. Middle: pain on a 0–10 scale during and after training and the "
    "next morning, on the same days. Bottom: the flag of each day, evaluated from the data up to that day."
)
_BINS_CAPTION: Final = (
    "Top: the mean daily load of each {unit} (a relative index in arbitrary units) with the means over its days of "
    "the 7-day and 28-day exponentially weighted averages. Middle: the highest pain during and after training and the "
    "mean morning pain of each {unit} (0–10). Bottom: the share of the {unit}'s days under each flag, each day "
    "evaluated from the data up to that day."
)
_NO_SESSIONS: Final = message("No sessions in this period", key="no-sessions")


# ------------------------------------------------------------------------------------------ sections


def _flag_box(review: Review, units: UnitSystem) -> str:
    d = review.decision
    reasons = "".join(f"<li>{esc(in_units(r, units))}</li>" for r in d.reasons)
    notes = "".join(f"<li>{esc(in_units(n, units))}</li>" for n in d.notes)
    notes_html = f'<div class="label">Notes</div><ul class="notes">{notes}</ul>' if notes else ""
    return (
        f'<section class="flag {esc(d.flag)}" data-flag="{esc(d.flag)}">'
        f'<div class="flag-title">Today: {esc(FLAG_TITLES.get(d.flag, d.flag))}</div>'
        f'<div class="label">Why</div><ul class="reasons">{reasons}</ul>'
        f'<div class="label">Next step</div><p class="next" data-next-step>{esc(in_units(d.next_step, units))}</p>'
        f"{notes_html}</section>"
    )


def _today_cards(review: Review) -> str:
    today = review.trend_today
    settling = "averages still settling (< 28 days of history)" if today.warming_up else ""
    return cards(
        [
            card("Load today", num(today.load_au, "{:.1f}", key="review.today.load_au", unit="AU")),
            card("7-day average", num(today.acute_au, "{:.1f}", key="review.today.acute_au", unit="AU")),
            card("28-day average", num(today.chronic_au, "{:.1f}", key="review.today.chronic_au", unit="AU")),
            card("7 ÷ 28-day ratio", num(today.ewma_ratio, "{:.2f}", key="review.today.ewma_ratio"), settling),
        ]
    )


def _weeks_table(weeks: Sequence[WeekSummary]) -> str:
    headers = [
        ("week", False),
        ("sessions", True),
        ("strength/plyo", True),
        ("load (AU)", True),
        ("under tension (s)", True),
        ("tempo pass", True),
        ("pain during (max)", True),
        ("pain after (max)", True),
        ("morning pain (mean)", True),
    ]
    rows = []
    for i, w in enumerate(weeks):
        k = f"review.weeks.{i}"
        rows.append(
            [
                esc(f"{_short(w.first)} – {_short(w.last)}"),
                num(w.sessions, "{:d}", key=f"{k}.sessions"),
                num(w.strength_sessions, "{:d}", key=f"{k}.strength_sessions"),
                num(w.load_au, "{:.1f}", key=f"{k}.load_au"),
                num(w.tut_s, "{:.0f}", key=f"{k}.tut_s"),
                num(w.tempo_pass_rate, "%", key=f"{k}.tempo_pass_rate"),
                num(w.pain_during_max, "{:d}", key=f"{k}.pain.during_max"),
                num(w.pain_after_max, "{:d}", key=f"{k}.pain.after_max"),
                num(w.pain_morning_mean, "{:.1f}", key=f"{k}.pain.morning_mean"),
            ]
        )
    return table(headers, rows, caption="Weeks")


def _calf_table(weeks: Sequence[WeekSummary], units: UnitSystem) -> str:
    """The calf programme's own dose per week: its progress does not show in the damage load."""
    per_kg, unit, fmt = (1 / KG_PER_LB, "lb", "{:.1f}") if units == "imperial" else (1.0, "kg", "{:g}")
    headers = [
        ("week", False),
        ("calf sessions", True),
        ("sets", True),
        ("reps", True),
        ("hardest dose", False),
        (f"added max ({unit})", True),
        ("under tension (s)", True),
        ("tempo pass", True),
    ]
    rows = []
    for i, w in enumerate(weeks):
        c, k = w.calf, f"review.weeks.{i}.calf"
        if c is None:
            continue
        rows.append(
            [
                esc(f"{_short(w.first)} – {_short(w.last)}"),
                num(c.sessions, "{:d}", key=f"{k}.sessions"),
                num(c.sets, "{:d}", key=f"{k}.sets"),
                num(c.reps, "{:d}", key=f"{k}.reps"),
                esc(in_units(c.top_dose, units) if c.top_dose else "–"),
                num(c.added_load_kg_max, fmt, key=f"{k}.added_load_kg_max", scale=per_kg),
                num(c.tut_s, "{:.0f}", key=f"{k}.tut_s"),
                num(c.tempo_pass_rate, "%", key=f"{k}.tempo_pass_rate"),
            ]
        )
    return table(headers, rows, caption="Calf programme: the dose it progresses, week by week")


def _sessions_table(sessions: Sequence[PeriodSession], units: UnitSystem) -> str:
    imperial = units == "imperial"
    per_m, unit = distance_unit(units)
    per_kg, mass_unit, mass_fmt = (1 / KG_PER_LB, "lb", "{:.1f}") if imperial else (1.0, "kg", "{:g}")
    headers = [
        ("id", True),
        ("date", False),
        ("activity", False),
        ("exercise", False),
        ("sets × reps", False),
        (f"added ({mass_unit})", True),
        ("load (AU)", True),
        ("peak force (BW)", True),
        ("under tension (s)", True),
        ("tempo pass", True),
        (f"distance ({unit})", True),
    ]
    rows = []
    for i, row in enumerate(sessions):
        s, k = row.load, f"sessions.{i}"
        exercise = (s.exercise or "–").replace("_", " ") + (" (assumed)" if s.exercise_assumed else "")
        dose = s.dose
        rows.append(
            [
                num(s.session_id, "{:d}", key=f"{k}.id"),
                esc(s.local_date.isoformat()),
                esc(s.activity.replace("_", " ")),
                esc(exercise),
                esc(f"{dose.sets} × {dose.reps_per_set}" if dose is not None and dose.sets else "–"),
                num(None if dose is None else dose.added_load_kg, mass_fmt, key=f"{k}.added_load_kg", scale=per_kg),
                num(s.load_au, "{:.1f}", key=f"{k}.load_au"),
                num(s.peak_force_bw, "{:.2f}", key=f"{k}.peak_force_bw"),
                num(s.tut_s, "{:.0f}", key=f"{k}.tut_s"),
                num(s.tempo_pass_rate, "%", key=f"{k}.tempo_pass_rate"),
                num(s.distance_m, "{:.2f}", key=f"{k}.distance_m", scale=per_m),
            ]
        )
    return table(headers, rows, caption="Sessions")


def _baseline(baseline: Sequence[BaselineTest], pairs: Sequence[HeelRisePair], units: UnitSystem) -> str:
    unit, per_cm = ("in", 1 / CM_PER_INCH) if units == "imperial" else ("cm", 1.0)
    out = ["<h2>Baseline tests and heel-rise symmetry</h2>"]
    if not baseline:
        out.append(
            message(
                "No baseline tests logged yet",
                "Log one with `calfload log baseline --side left --heel-rise-reps N` (and the right side) to follow "
                "heel-rise capacity and its symmetry here.",
                key="no-baseline",
            )
        )
        return "".join(out)
    if pairs:
        out.append(
            figure(
                heel_rise_svg(pairs),
                "period-heel-rise",
                "Single-leg heel raises to fatigue on each side per test day, and the limb symmetry index (LSI).",
            )
        )
        out.append(_heel_rise_table(pairs, unit, per_cm))
    other = [
        (i, b) for i, b in enumerate(baseline) if b.calf_circumference_cm is not None or b.knee_to_wall_cm is not None
    ]
    if other:
        headers = [
            ("date", False),
            ("side", False),
            (f"calf circumference ({unit})", True),
            (f"knee-to-wall ({unit})", True),
        ]
        rows = [
            [
                esc(b.day.isoformat()),
                esc(b.side),
                num(b.calf_circumference_cm, "{:.1f}", key=f"review.baseline.{i}.calf_circumference_cm", scale=per_cm),
                num(b.knee_to_wall_cm, "{:.1f}", key=f"review.baseline.{i}.knee_to_wall_cm", scale=per_cm),
            ]
            for i, b in other
        ]
        out += ["<h3>Calf circumference and ankle dorsiflexion</h3>", table(headers, rows, caption="Baseline")]
    return "".join(out)


def _heel_rise_table(pairs: Sequence[HeelRisePair], unit: str, per_cm: float) -> str:
    measured = any(p.left_height_cm is not None or p.right_height_cm is not None for p in pairs)
    headers = [("test day", False), ("left (reps)", True), ("right (reps)", True)]
    if measured:
        headers += [(f"left height ({unit})", True), (f"right height ({unit})", True)]
        headers += [("left work (J)", True), ("right work (J)", True)]
    headers += [("LSI reps", True)]
    if measured:
        headers += [("LSI height", True), ("LSI work", True)]
    headers += [("LSI is", False)]
    rows = []
    for i, p in enumerate(pairs):
        k = f"heel_rise.{i}"
        row = [
            esc(p.day.isoformat()),
            num(p.left_reps, "{:d}", key=f"{k}.left_reps"),
            num(p.right_reps, "{:d}", key=f"{k}.right_reps"),
        ]
        if measured:
            row += [
                num(p.left_height_cm, "{:.1f}", key=f"{k}.left_height_cm", scale=per_cm),
                num(p.right_height_cm, "{:.1f}", key=f"{k}.right_height_cm", scale=per_cm),
                num(p.left_work_j, "{:.0f}", key=f"{k}.left_work_j"),
                num(p.right_work_j, "{:.0f}", key=f"{k}.right_work_j"),
            ]
        row.append(num(p.lsi_pct, "{:.0f}", key=f"{k}.lsi_pct", unit=" %"))
        if measured:
            row += [
                num(p.lsi_height_pct, "{:.0f}", key=f"{k}.lsi_height_pct", unit=" %"),
                num(p.lsi_work_pct, "{:.0f}", key=f"{k}.lsi_work_pct", unit=" %"),
            ]
        row.append(esc(p.lsi_basis or "–"))
        rows.append(row)
    return table(headers, rows, caption="Heel-rise test")


def _visa_a(entries: Sequence[VisaA]) -> str:
    """The VISA-A trend: each questionnaire's score and its change on the one before."""
    headers = [("date", False), ("VISA-A (0-100)", True), ("change", True)]
    rows = [
        [
            esc(v.day.isoformat()),
            num(v.score, "{:.0f}", key=f"review.visa_a.{i}.score"),
            esc(f"{v.score - entries[i - 1].score:+d}" if i else "–"),
        ]
        for i, v in enumerate(entries)
    ]
    return "<h2>VISA-A</h2>" + table(headers, rows, caption="VISA-A questionnaire (100 = no symptoms)")


def _short(d: dt.date) -> str:
    """``2024-05-06`` as ``6 May``."""
    return f"{d.day} {d:%b}"


def _days_table(days: Sequence[DaySummary]) -> str:
    headers = [
        ("date", False),
        ("load (AU)", True),
        ("7-day avg (AU)", True),
        ("28-day avg (AU)", True),
        ("pain during", True),
        ("pain after", True),
        ("pain morning", True),
        ("flag", False),
    ]
    rows = [
        [
            esc(d.day.isoformat()),
            num(d.load_au, "{:.1f}", key=f"days.{i}.load_au"),
            num(d.acute_au, "{:.1f}", key=f"days.{i}.acute_au"),
            num(d.chronic_au, "{:.1f}", key=f"days.{i}.chronic_au"),
            num(d.pain.during if d.pain else None, "{:d}", key=f"days.{i}.pain_during"),
            num(d.pain.after if d.pain else None, "{:d}", key=f"days.{i}.pain_after"),
            num(d.pain.morning if d.pain else None, "{:d}", key=f"days.{i}.pain_morning"),
            esc(FLAG_TITLES.get(d.flag, d.flag or "–")),
        ]
        for i, d in enumerate(days)
    ]
    return f"<details><summary>Every day ({len(days)})</summary>{table(headers, rows, caption='Days')}</details>"


__all__ = ["render_period_html"]
