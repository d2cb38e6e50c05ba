"""The symptom rules of the daily flag: Silbernagel et al.'s (2007) pain-monitoring model and the tissue signs.

- R1 / R7: pain during or after training above 5/10 backs off; 3-5/10 is acceptable, so the dose
  is repeated. Pain of the last session stands until the next session.
- R11: a morning (pain or stiffness) of 6/10 or more backs off whatever the usual level.
- R2 / R7: the latest morning against the mean of the 7 days before it: +2 backs off, +1 holds
  (under 1 point is day-to-day wobble, the noise floor).
- R10: pain after training must have settled by the next morning: the morning after the last
  session still 1 (2) points above the pre-session level holds (backs off).
- R3 / R13: pain or stiffness must not rise from week to week: the weekly mean morning up 1 point
  two weeks running backs off; up 0.5 on the week before holds.
- R12: swelling, a sharp pain, or tenderness 2 points up on its baseline (or 6+/10) backs off.

References
----------
.. [1] Silbernagel et al. (2007) Am J Sports Med 35:897.
.. [2] Farrar et al. (2001) Pain 94:149 (about 2 points is a clinically important change).
"""

from __future__ import annotations

import datetime as dt
import itertools

from calfload.loadmodel._history import WEEK_DAYS, History
from calfload.loadmodel._params import LoadModelParameters
from calfload.loadmodel._rulebase import (
    Reading,
    RuleHit,
    baseline,
    latest_reading,
    morning_pain,
    stiffness,
    tenderness,
    when,
)


def pain_rules(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    """Every symptom rule that matches on ``day``, pain during/after first."""
    return [
        *_training_pain(history, day, params),
        *_morning_state(history, day, params),
        *_unsettled(history, day, params),
        *_weekly_trend(history, day, params),
        *_tissue_signs(history, day, params),
    ]


def _last_session_day(history: History, day: dt.date) -> dt.date | None:
    week = history.sessions_between(day - dt.timedelta(days=WEEK_DAYS - 1), day)
    return week[-1].local_date if week else None


def _training_pain(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    fp = params.flag
    # Pain of the last session stands until the next one: entries from the review day and the day
    # before, and back to the latest session day of the past week when there was none since.
    first = day - dt.timedelta(days=fp.pain_lookback_days)
    last_session = _last_session_day(history, day)
    if last_session is not None:
        first = min(first, last_session)
    hits: list[RuleHit] = []
    for entry in history.pain_between(first, day):
        for label, value in (("during training", entry.during), ("after training", entry.after)):
            if value is None:
                continue
            text = f"pain {label} was {value}/10 {when(entry.day, day)}"
            if value > fp.pain_high_above:
                hits.append(RuleHit("R1", "back_off", f"{text}: above {fp.pain_high_above}/10, the high-risk zone"))
            elif value >= fp.pain_acceptable_from and (fp.pain_during_holds or label != "during training"):
                zone = f"{fp.pain_acceptable_from}-{fp.pain_high_above}"
                hits.append(RuleHit("R7", "hold", f"{text}: the acceptable zone ({zone}), so repeat the dose"))
    return hits


def _morning_state(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    fp = params.flag
    hits: list[RuleHit] = []
    for name, read in (("morning pain", morning_pain), ("morning stiffness", stiffness)):
        latest = latest_reading(history, day, read)
        if latest is None:
            continue
        on, value = latest
        if value >= fp.morning_ceiling:
            hits.append(
                RuleHit(
                    "R11",
                    "back_off",
                    f"{name} {value}/10 {when(on, day)}: at or above {fp.morning_ceiling}/10, the high-risk "
                    "zone whatever the usual level",
                )
            )
            continue
        base = baseline(history, on, fp, read)
        if read is not morning_pain or base is None:
            continue
        rise = value - base
        text = f"{name} {value}/10 {when(on, day)} is {rise:+.1f} on the 7-day morning baseline ({base:.1f})"
        if rise >= fp.morning_spike_points:
            hits.append(RuleHit("R2", "back_off", text))
        elif rise >= fp.morning_rise_points:
            hits.append(RuleHit("R7", "hold", text))
    return hits


def _unsettled(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    """R10: the pain after the last session (before today) still above the pre-session level next morning."""
    fp = params.flag
    session_day = _last_session_day(history, day - dt.timedelta(days=1))
    if session_day is None:
        return []
    entry = history.pain.get(session_day)
    next_morning = history.pain.get(session_day + dt.timedelta(days=1))
    if entry is None or entry.after is None or next_morning is None or next_morning.morning is None:
        return []
    usual = baseline(history, session_day + dt.timedelta(days=1), fp)
    before = max(v for v in (entry.morning, usual, 0.0) if v is not None)
    rise = next_morning.morning - before
    if entry.after <= before or rise < fp.morning_rise_points:
        return []
    text = (
        f"pain after the session on {session_day.isoformat()} ({entry.after}/10) had not settled by the next "
        f"morning: {next_morning.morning}/10 against {before:.1f} before the session"
    )
    if rise >= fp.morning_spike_points:
        return [RuleHit("R10", "back_off", text)]
    return [RuleHit("R10", "hold", f"{text}; repeat the dose, do not progress")]


def _weekly_means(history: History, day: dt.date, weeks: int, read: Reading, min_entries: int) -> list[float] | None:
    """Weekly means of ``read``, oldest first, or ``None`` when a week has too few entries.

    Each week's sum and count are kept per history: a day's earlier weeks are the weeks of the
    days 7 and 14 before it, and R3 and R13 ask for the same weeks (a period asked 25,000 times).
    """
    known: dict[dt.date, tuple[float, int]] = history.memo(("weekly", read), dict)
    means: list[float] = []
    for w in range(weeks, -1, -1):
        last = day - dt.timedelta(days=WEEK_DAYS * w)
        week = known.get(last)
        if week is None:
            known[last] = week = history.pain_sum(last - dt.timedelta(days=WEEK_DAYS - 1), last, read)
        total, count = week
        if count == 0 or count < min_entries:
            return None
        means.append(total / count)
    return means


def _weekly_trend(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    fp = params.flag
    rising = _weekly_means(history, day, fp.weekly_morning_rise_weeks, morning_pain, 1)
    if rising is not None and all(b - a >= fp.weekly_morning_rise_points for a, b in itertools.pairwise(rising)):
        trail = " → ".join(f"{m:.1f}" for m in rising)
        return [
            RuleHit(
                "R3",
                "back_off",
                f"weekly mean morning pain rose {fp.weekly_morning_rise_weeks} weeks running ({trail})",
            )
        ]
    hits: list[RuleHit] = []
    for name, read in (("morning pain", morning_pain), ("morning stiffness", stiffness)):
        pair = _weekly_means(history, day, 1, read, fp.weekly_trend_min_entries)
        if pair is not None and pair[1] - pair[0] >= fp.weekly_trend_hold_points:
            hits.append(
                RuleHit(
                    "R13",
                    "hold",
                    f"weekly mean {name} rose from {pair[0]:.1f} to {pair[1]:.1f} on the week before: it must not "
                    "rise from week to week",
                )
            )
    return hits


def _tissue_signs(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    fp = params.flag
    hits: list[RuleHit] = []
    recent = history.pain_between(day - dt.timedelta(days=fp.pain_lookback_days), day)
    swollen = [p for p in history.pain_between(day - dt.timedelta(days=WEEK_DAYS - 1), day) if p.swelling is not None]
    if swollen and swollen[-1].swelling:
        hits.append(RuleHit("R12", "back_off", f"swelling of the tendon {when(swollen[-1].day, day)}"))
    hits += [RuleHit("R12", "back_off", f"a sharp pain in training {when(p.day, day)}") for p in recent if p.sharp]
    latest = latest_reading(history, day, tenderness)
    if latest is not None:
        on, value = latest
        base = baseline(history, on, fp, tenderness)
        text = f"tenderness {value}/10 {when(on, day)}"
        if value >= fp.morning_ceiling:
            hits.append(RuleHit("R12", "back_off", f"{text}: at or above {fp.morning_ceiling}/10"))
        elif base is not None and value - base >= fp.tenderness_spike_points:
            hits.append(RuleHit("R12", "back_off", f"{text} is {value - base:+.1f} on its 7-day baseline ({base:.1f})"))
    return hits


__all__ = ["pain_rules"]
