"""The period page: today's flag and why, the load and pain of the last weeks, the baseline tests.

Its figures are those of ``calfload review --json``: :func:`period_data` builds the page's source
object from reviews of the journal (one per four weeks of the period, each exactly what
``calfload review --date D --json`` prints), and :func:`render_period_html` draws it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from calfload.journal import Journal
from calfload.loadmodel import build_review
from calfload.report._html import card, cards, esc, figure, message, num, page, table
from calfload.report._plots_period import heel_rise_svg, timeline_svg

logger = logging.getLogger(__name__)

#: Days one review covers (``calfload review`` shows four weeks).
REVIEW_DAYS: Final = 28
FLAG_TITLES: Final = {"back_off": "Back off", "hold": "Hold", "progress": "Progress"}


def period_data(
    journal: Journal,
    *,
    day: dt.date | None = None,
    since_days: int = REVIEW_DAYS,
    on_review: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """The source object of a period page, from the journal.

    Parameters
    ----------
    journal
        The open journal (only read).
    day
        The last day of the period, whose flag the page shows (default: the journal's today).
    since_days
        Length of the period in days, ``day`` included.
    on_review
        Called after each four-week review is built (for a progress bar).

    Returns
    -------
    dict
        ``date``, ``first_date``, ``review`` (the ``calfload review --json`` object of ``day``),
        ``days`` and ``sessions`` of the whole period (rows as in the review), and ``heel_rise``
        (left and right reps per test day with the limb symmetry index).
    """
    day = day or journal.today
    since_days = max(1, since_days)
    first = day - dt.timedelta(days=since_days - 1)
    # One read of the journal; each four-week block is reviewed from the same history (a review
    # ignores what is dated after its day, and session loads do not depend on later runs).
    history = journal.history(day)
    baseline = journal.baseline_tests()
    visa_a = journal.visa_a_entries(day)
    reviews: list[dict[str, Any]] = []
    end = day
    while True:
        reviews.append(build_review(history, end, baseline=baseline, visa_a=visa_a).to_dict())
        if on_review is not None:
            on_review()
        end -= dt.timedelta(days=REVIEW_DAYS)
        if end < first:
            break
    lo = first.isoformat()
    days = sorted((d for r in reviews for d in r["days"] if d["date"] >= lo), key=lambda d: str(d["date"]))
    sessions = sorted(
        (s for r in reviews for s in r["sessions"] if s["date"] >= lo), key=lambda s: (s["start_utc"], s["id"])
    )
    review = reviews[0]
    return {
        "date": day.isoformat(),
        "first_date": first.isoformat(),
        "since_days": since_days,
        "review": review,
        "days": days,
        "sessions": sessions,
        "heel_rise": heel_rise_pairs(review["baseline"]),
    }


def reviews_needed(since_days: int) -> int:
    """How many four-week reviews :func:`period_data` builds for a period (for a progress bar)."""
    return max(1, -(-max(1, since_days) // REVIEW_DAYS))


def heel_rise_pairs(baseline: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Heel-rise results of both legs per test day and their limb symmetry index (LSI, %).

    Reps come from the baseline rows; mean rise height and work from the details that
    ``calfload test heel-rise`` stores. The LSI is the one that test computed (affected ÷ other,
    for reps, height and work) when present; otherwise the affected leg's reps over the other's
    when the details name the affected side, else the weaker leg's over the stronger's.

    Examples
    --------
    >>> rows = heel_rise_pairs([{"date": "2024-05-01", "side": "left", "heel_rise_reps": 20, "details": None},
    ...                         {"date": "2024-05-01", "side": "right", "heel_rise_reps": 25, "details": None}])
    >>> rows[0]["lsi_pct"], rows[0]["lsi_basis"]
    (80.0, 'weaker ÷ stronger')
    """
    by_day: dict[str, dict[str, Any]] = {}
    for b in baseline:
        if b.get("heel_rise_reps") is None:
            continue
        # Each test is its own record: a same-day logged baseline and measured test are two rows.
        key = f"{b['date']} {b.get('source', 'logged')}"
        row = by_day.setdefault(key, {"date": b["date"], "affected": None, "symmetry": None})
        side = b["side"]
        details = b.get("details") or {}
        row[f"{side}_reps"] = b["heel_rise_reps"]
        row[f"{side}_height_cm"] = details.get("mean_height_cm")
        row[f"{side}_work_j"] = details.get("work_j")
        if details.get("affected_side") in ("left", "right"):
            row["affected"] = details["affected_side"]
        if isinstance(details.get("symmetry"), Mapping):
            row["symmetry"] = details["symmetry"]
    out = []
    for _, row in sorted(by_day.items()):
        affected, stored = row.pop("affected"), row.pop("symmetry")
        sides = {side: row.get(f"{side}_reps") for side in ("left", "right")}
        pair: dict[str, Any] = {"date": row["date"]}
        for side in ("left", "right"):
            for field in ("reps", "height_cm", "work_j"):
                pair[f"{side}_{field}"] = row.get(f"{side}_{field}")
        lsi: float | None = None
        basis: str | None = None
        height_lsi = work_lsi = None
        if stored is not None:
            lsi, height_lsi, work_lsi = stored.get("reps_pct"), stored.get("height_pct"), stored.get("work_pct")
            basis = f"{stored.get('affected_side', affected)} (affected) ÷ other"
        elif sides["left"] is not None and sides["right"] is not None and max(sides["left"], sides["right"]) > 0:
            if affected is not None:
                mine, other = sides[affected], sides["right" if affected == "left" else "left"]
                if mine is not None and other:
                    lsi, basis = 100.0 * mine / other, f"{affected} (affected) ÷ other"
            else:
                lsi = 100.0 * min(sides["left"], sides["right"]) / max(sides["left"], sides["right"])
                basis = "weaker ÷ stronger"
        pair["lsi_pct"] = None if lsi is None else round(float(lsi), 1)
        pair["lsi_height_pct"] = height_lsi
        pair["lsi_work_pct"] = work_lsi
        pair["lsi_basis"] = basis
        out.append(pair)
    return out


def render_period_html(data: Mapping[str, Any]) -> str:
    """The HTML report of a period (see :func:`period_data` for ``data``)."""
    review = data["review"]
    days, sessions = list(data["days"]), list(data["sessions"])
    weeks_n = data["since_days"] / 7
    span = f"{weeks_n:.0f} weeks" if data["since_days"] % 7 == 0 else f"{data['since_days']} days"
    body = [_flag_box(review), _today_cards(review)]
    body.append("<h2>Load, pain and flags</h2>")
    has_data = bool(sessions) or any(
        d.get(k) is not None for d in days for k in ("pain_during", "pain_after", "pain_morning")
    )
    if has_data:
        body.append(
            figure(
                timeline_svg(days, data["date"]),
                "period-timeline",
                "Top: the load of each day (a relative index in arbitrary units) with its 7-day and 28-day "
                "exponentially weighted averages. Middle: pain on a 0–10 scale during and after training and the "
                "next morning, on the same days. Bottom: the flag of each day, evaluated from the data up to that day.",
            )
        )
    else:
        body.append(
            message(
                "No sessions or pain entries in this period",
                f"Nothing was logged from {data['first_date']} to {data['date']}. Import sessions with "
                "`calfload import FILE` and log pain with `calfload log pain`; the plots appear once there is data.",
                key="empty-period",
            )
        )
    body += ["<h2>Week by week</h2>", _weeks_table(review["weeks"])]
    body.append("<h2>Sessions</h2>")
    body.append(_sessions_table(sessions) if sessions else message("No sessions in this period", key="no-sessions"))
    body.append(_baseline(review["baseline"], data["heel_rise"]))
    if review.get("visa_a"):
        body.append(_visa_a(review["visa_a"]))
    if days:
        body.append(_days_table(days))
    subtitle = f"{data['first_date']} to {data['date']} ({span})"
    return page(kind="period", title=f"Training review for {data['date']}", subtitle=subtitle, body=body, data=data)


# ------------------------------------------------------------------------------------------ sections


def _flag_box(review: Mapping[str, Any]) -> str:
    flag = str(review["flag"])
    reasons = "".join(f"<li>{esc(r)}</li>" for r in review["reasons"])
    notes = "".join(f"<li>{esc(n)}</li>" for n in review.get("notes") or [])
    notes_html = f'<div class="label">Notes</div><ul class="notes">{notes}</ul>' if notes else ""
    return (
        f'<section class="flag {esc(flag)}" data-flag="{esc(flag)}">'
        f'<div class="flag-title">Today: {esc(FLAG_TITLES.get(flag, flag))}</div>'
        f'<div class="label">Why</div><ul class="reasons">{reasons}</ul>'
        f'<div class="label">Next step</div><p class="next" data-next-step>{esc(review["next_step"])}</p>'
        f"{notes_html}</section>"
    )


def _today_cards(review: Mapping[str, Any]) -> str:
    today = review["today"]
    settling = "averages still settling (< 28 days of history)" if today.get("warming_up") else ""
    return cards(
        [
            card("Load today", num(today["load_au"], "{:.1f}", key="review.today.load_au", unit="AU")),
            card("7-day average", num(today["acute_au"], "{:.1f}", key="review.today.acute_au", unit="AU")),
            card("28-day average", num(today["chronic_au"], "{:.1f}", key="review.today.chronic_au", unit="AU")),
            card("7 ÷ 28-day ratio", num(today["ewma_ratio"], "{:.2f}", key="review.today.ewma_ratio"), settling),
        ]
    )


def _weeks_table(weeks: Sequence[Mapping[str, Any]]) -> str:
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
                esc(f"{_short(w['first_date'])} – {_short(w['last_date'])}"),
                num(w["sessions"], "{:d}", key=f"{k}.sessions"),
                num(w["strength_sessions"], "{:d}", key=f"{k}.strength_sessions"),
                num(w["load_au"], "{:.1f}", key=f"{k}.load_au"),
                num(w["tut_s"], "{:.0f}", key=f"{k}.tut_s"),
                num(w["tempo_pass_rate"], "%", key=f"{k}.tempo_pass_rate"),
                num(w["pain"]["during_max"], "{:d}", key=f"{k}.pain.during_max"),
                num(w["pain"]["after_max"], "{:d}", key=f"{k}.pain.after_max"),
                num(w["pain"]["morning_mean"], "{:.1f}", key=f"{k}.pain.morning_mean"),
            ]
        )
    return table(headers, rows, caption="Weeks")


def _sessions_table(sessions: Sequence[Mapping[str, Any]]) -> str:
    headers = [
        ("id", True),
        ("date", False),
        ("activity", False),
        ("exercise", False),
        ("sets × reps", False),
        ("added (kg)", True),
        ("load (AU)", True),
        ("peak force (BW)", True),
        ("under tension (s)", True),
        ("tempo pass", True),
        ("distance (km)", True),
    ]
    rows = []
    for i, s in enumerate(sessions):
        k = f"sessions.{i}"
        exercise = (s.get("exercise") or "–").replace("_", " ") + (" (assumed)" if s.get("exercise_assumed") else "")
        distance_km = None if s.get("distance_m") is None else s["distance_m"] / 1000.0
        rows.append(
            [
                num(s["id"], "{:d}", key=f"{k}.id"),
                esc(s["date"]),
                esc(str(s["activity"]).replace("_", " ")),
                esc(exercise),
                esc(f"{s['sets']} × {s['reps_per_set']}" if s.get("sets") else "–"),
                num(s.get("added_load_kg"), "{:g}", key=f"{k}.added_load_kg"),
                num(s["load_au"], "{:.1f}", key=f"{k}.load_au"),
                num(s["peak_force_bw"], "{:.2f}", key=f"{k}.peak_force_bw"),
                num(s.get("tut_s"), "{:.0f}", key=f"{k}.tut_s"),
                num(s.get("tempo_pass_rate"), "%", key=f"{k}.tempo_pass_rate"),
                num(distance_km, "{:.2f}"),
            ]
        )
    return table(headers, rows, caption="Sessions")


def _baseline(baseline: Sequence[Mapping[str, Any]], pairs: Sequence[Mapping[str, Any]]) -> str:
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
        measured = any(p["left_height_cm"] is not None or p["right_height_cm"] is not None for p in pairs)
        headers = [("test day", False), ("left (reps)", True), ("right (reps)", True)]
        if measured:
            headers += [("left height (cm)", True), ("right height (cm)", True)]
            headers += [("left work (J)", True), ("right work (J)", True)]
        headers += [("LSI reps", True)]
        if measured:
            headers += [("LSI height", True), ("LSI work", True)]
        headers += [("LSI is", False)]
        rows = []
        for i, p in enumerate(pairs):
            k = f"heel_rise.{i}"
            row = [
                esc(p["date"]),
                num(p["left_reps"], "{:d}", key=f"{k}.left_reps"),
                num(p["right_reps"], "{:d}", key=f"{k}.right_reps"),
            ]
            if measured:
                row += [
                    num(p["left_height_cm"], "{:.1f}", key=f"{k}.left_height_cm"),
                    num(p["right_height_cm"], "{:.1f}", key=f"{k}.right_height_cm"),
                    num(p["left_work_j"], "{:.0f}", key=f"{k}.left_work_j"),
                    num(p["right_work_j"], "{:.0f}", key=f"{k}.right_work_j"),
                ]
            row.append(num(p["lsi_pct"], "{:.0f}", key=f"{k}.lsi_pct", unit=" %"))
            if measured:
                row += [
                    num(p["lsi_height_pct"], "{:.0f}", key=f"{k}.lsi_height_pct", unit=" %"),
                    num(p["lsi_work_pct"], "{:.0f}", key=f"{k}.lsi_work_pct", unit=" %"),
                ]
            row.append(esc(p["lsi_basis"] or "–"))
            rows.append(row)
        out.append(table(headers, rows, caption="Heel-rise test"))
    other = [
        (i, b)
        for i, b in enumerate(baseline)
        if b.get("calf_circumference_cm") is not None or b.get("knee_to_wall_cm") is not None
    ]
    if other:
        headers = [("date", False), ("side", False), ("calf circumference (cm)", True), ("knee-to-wall (cm)", True)]
        rows = [
            [
                esc(b["date"]),
                esc(b["side"]),
                num(b["calf_circumference_cm"], "{:.1f}", key=f"review.baseline.{i}.calf_circumference_cm"),
                num(b["knee_to_wall_cm"], "{:.1f}", key=f"review.baseline.{i}.knee_to_wall_cm"),
            ]
            for i, b in other
        ]
        out += ["<h3>Calf circumference and ankle dorsiflexion</h3>", table(headers, rows, caption="Baseline")]
    return "".join(out)


def _visa_a(entries: Sequence[Mapping[str, Any]]) -> str:
    """The VISA-A trend: each questionnaire's score and its change on the one before."""
    headers = [("date", False), ("VISA-A (0-100)", True), ("change", True)]
    rows = [
        [
            esc(v["date"]),
            num(v["score"], "{:.0f}", key=f"review.visa_a.{i}.score"),
            esc(f"{v['score'] - entries[i - 1]['score']:+d}" if i else "–"),
        ]
        for i, v in enumerate(entries)
    ]
    return "<h2>VISA-A</h2>" + table(headers, rows, caption="VISA-A questionnaire (100 = no symptoms)")


def _short(iso: str) -> str:
    """``2024-05-06`` as ``6 May``."""
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%b}"


def _days_table(days: Sequence[Mapping[str, Any]]) -> str:
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
            esc(d["date"]),
            num(d["load_au"], "{:.1f}", key=f"days.{i}.load_au"),
            num(d["acute_au"], "{:.1f}", key=f"days.{i}.acute_au"),
            num(d["chronic_au"], "{:.1f}", key=f"days.{i}.chronic_au"),
            num(d["pain_during"], "{:d}", key=f"days.{i}.pain_during"),
            num(d["pain_after"], "{:d}", key=f"days.{i}.pain_after"),
            num(d["pain_morning"], "{:d}", key=f"days.{i}.pain_morning"),
            esc(FLAG_TITLES.get(d["flag"], d["flag"] or "–")),
        ]
        for i, d in enumerate(days)
    ]
    return f"<details><summary>Every day ({len(days)})</summary>{table(headers, rows, caption='Days')}</details>"


__all__ = ["heel_rise_pairs", "period_data", "render_period_html", "reviews_needed"]
