"""The review of one day: flag, reasons, next step and the last four weeks (sessions, load, pain).

:func:`build_review` is pure (a :class:`History` and a date in, a :class:`Review` out);
:func:`calfload.pipeline.review_journal` reads the journal first. :meth:`Review.to_dict` is the
``calfload review --json`` object; rendering lives in :mod:`calfload.report`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from calfload._plain_sums import np_sum
from calfload.loadmodel._baseline import BaselineTest
from calfload.loadmodel._cadence_alerts import SessionCadence
from calfload.loadmodel._calf_dose import CalfDoseWeek, calf_dose_dict, calf_dose_week
from calfload.loadmodel._heel_rise_change import HeelRiseChange, heel_rise_changes
from calfload.loadmodel._history import WEEK_DAYS, History, PainEntry, SessionPain, mean_or_none
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._rules import DailyFlag, evaluate_day, spike_ratios
from calfload.loadmodel._session import SessionLoad
from calfload.loadmodel._trend import DailyTrend, trend_until
from calfload.loadmodel._visa_a import VisaA

#: Printed with every review: what the numbers are and are not.
DISCLAIMER: Final = (
    "Load figures are a relative index for training decisions (easy-run-equivalent loading cycles), "
    "not a measurement of tendon force; the flag is decision support, not a diagnosis."
)
REVIEW_WEEKS: Final = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class WeekSummary:
    """One of the four review weeks (7 days ending on ``last``)."""

    first: dt.date
    last: dt.date
    sessions: int
    strength_sessions: int
    load_au: float
    tut_s: float
    stimulus_bw_s: float
    tempo_pass_rate: float | None
    pain_during_max: int | None
    pain_after_max: int | None
    pain_morning_mean: float | None
    morning_entries: int
    calf: CalfDoseWeek | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DaySummary:
    """One day of the review period; ``reasons`` are its flag's (the long-period report lists them per week)."""

    day: dt.date
    load_au: float
    acute_au: float
    chronic_au: float
    pain: PainEntry | None
    flag: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendToday:
    """The load trend on the review day, rounded as shown (``review --json``'s ``today``).

    Parameters
    ----------
    load_au
        That day's load (AU); None only if it is not a finite number.
    acute_au, chronic_au
        The acute and chronic exponentially weighted averages (AU).
    ewma_ratio
        Acute over chronic average, or None while the chronic average is zero.
    uncoupled_ratio
        Mean of the last 7 days over the mean of the 21 days before them (Windt & Gabbett 2018), or None.
    monotony
        Foster's monotony of the last days' loads (mean over standard deviation), or None.
    warming_up
        Less than 28 days of history: the averages are still settling.
    """

    load_au: float | None
    acute_au: float | None
    chronic_au: float | None
    ewma_ratio: float | None = None
    uncoupled_ratio: float | None = None
    monotony: float | None = None
    warming_up: bool = False

    def to_dict(self) -> dict[str, float | bool | None]:
        """Return the ``today`` object of ``calfload review --json``."""
        return {
            "load_au": self.load_au,
            "acute_au": self.acute_au,
            "chronic_au": self.chronic_au,
            "ewma_ratio": self.ewma_ratio,
            "uncoupled_ratio": self.uncoupled_ratio,
            "monotony": self.monotony,
            "warming_up": self.warming_up,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Review:
    """Everything ``calfload review`` shows for one day."""

    day: dt.date
    decision: DailyFlag
    weeks: tuple[WeekSummary, ...]
    days: tuple[DaySummary, ...]
    sessions: tuple[SessionLoad, ...]
    baseline: tuple[BaselineTest, ...]
    body_mass_kg: float | None
    trend: DailyTrend | None
    spikes: dict[int, tuple[float | None, float | None]] = field(default_factory=dict)
    params: LoadModelParameters = field(default=DEFAULT_PARAMETERS)
    visa_a: tuple[VisaA, ...] = ()
    heel_rise_change: tuple[HeelRiseChange, ...] = ()
    session_pain: Mapping[int, SessionPain] = field(default_factory=dict)
    cadence_alerts: tuple[SessionCadence, ...] = ()

    @property
    def trend_today(self) -> TrendToday:
        """Daily load, averages, ratios and monotony on the review day."""
        t = self.trend
        if t is None or t.index(self.day) < 0:
            return TrendToday(load_au=0.0, acute_au=0.0, chronic_au=0.0, warming_up=True)
        i = t.index(self.day)
        return TrendToday(
            load_au=_r(float(t.load_au[i])),
            acute_au=_r(float(t.acute_au[i])),
            chronic_au=_r(float(t.chronic_au[i])),
            ewma_ratio=_r(t.ratio(i), 3),
            uncoupled_ratio=_r(t.uncoupled(i), 3),
            monotony=_r(t.monotony(i), 3),
            warming_up=t.warming_up(i),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the ``calfload review --json`` object."""
        d = self.decision
        return {
            "date": self.day.isoformat(),
            "flag": d.flag,
            "reasons": list(d.reasons),
            "next_step": d.next_step,
            "rules": list(d.rules),
            "notes": list(d.notes),
            "today": self.trend_today.to_dict(),
            "programme": self.params.programme.name,
            "trend_convention": {
                "ewma": self.params.trend.convention,
                "acute_days": self.params.trend.acute_days,
                "chronic_days": self.params.trend.chronic_days,
            },
            "body_mass_kg": self.body_mass_kg,
            "weeks": [_week_dict(w) for w in self.weeks],
            "days": [day_dict(x) for x in self.days],
            "sessions": [
                session_dict(s, self.spikes.get(i), self.session_pain.get(s.session_id or 0))
                for i, s in enumerate(self.sessions)
            ],
            "visa_a": [{"date": v.day.isoformat(), "score": v.score, "items": list(v.items)} for v in self.visa_a],
            "baseline": [
                {
                    "date": b.day.isoformat(),
                    "side": b.side,
                    "heel_rise_reps": b.heel_rise_reps,
                    "calf_circumference_cm": b.calf_circumference_cm,
                    "knee_to_wall_cm": b.knee_to_wall_cm,
                    "session_id": b.session_id,
                    "source": b.source,
                    "details": None if b.details is None else b.details.to_json(),
                }
                for b in self.baseline
            ],
            "heel_rise_change": [c.to_dict() for c in self.heel_rise_change],
            "cadence_alerts": [c.to_dict() for c in self.cadence_alerts],
            "disclaimer": DISCLAIMER,
        }


def build_review(
    history: History,
    day: dt.date,
    *,
    baseline: Sequence[BaselineTest] = (),
    params: LoadModelParameters = DEFAULT_PARAMETERS,
    daily_flags: bool = True,
    visa_a: Sequence[VisaA] = (),
    trend: DailyTrend | None = None,
) -> Review:
    """Assemble the review of ``day`` from a history.

    Parameters
    ----------
    history
        Sessions and pain entries (anything after ``day`` is ignored).
    day
        The review date.
    baseline
        Baseline assessments to list (those dated up to ``day``).
    params
        Model parameters.
    daily_flags
        Also evaluate the flag of each of the 28 days (flags over time).
    visa_a
        VISA-A questionnaires to list (those dated up to ``day``).
    trend
        The history's daily trend from its first day, covering ``day`` (computed when omitted; a
        period of many reviews computes it once, :func:`calfload.loadmodel.build_period`).
    """
    period_first = day - dt.timedelta(days=REVIEW_WEEKS * WEEK_DAYS - 1)
    trend = trend_until(trend, day) if trend is not None else history.trend(day, params.trend)
    decision = evaluate_day(history, day, params, trend=trend)
    days = tuple(
        _day_summary(history, period_first + dt.timedelta(days=i), day, decision, params, trend, daily_flags)
        for i in range(REVIEW_WEEKS * WEEK_DAYS)
    )
    weeks = tuple(
        _week(
            history,
            day - dt.timedelta(days=WEEK_DAYS * (REVIEW_WEEKS - w) - 1),
            day - dt.timedelta(days=WEEK_DAYS * (REVIEW_WEEKS - 1 - w)),
            trend,
        )
        for w in range(REVIEW_WEEKS)
    )
    sessions = tuple(history.sessions_between(period_first, day))
    spikes = {i: spike_ratios(history, s, params) for i, s in enumerate(sessions) if s.activity == "run"}
    return Review(
        day=day,
        decision=decision,
        weeks=weeks,
        days=days,
        sessions=sessions,
        spikes=spikes,
        baseline=tuple(b for b in baseline if b.day <= day),
        body_mass_kg=history.body_mass_kg,
        trend=trend,
        params=params,
        visa_a=tuple(v for v in visa_a if v.day <= day),
        heel_rise_change=heel_rise_changes(baseline, until=day),
        session_pain={i: p for i, p in history.session_pain.items() if period_first <= p.day <= day},
    )


def _day_summary(
    history: History,
    d: dt.date,
    day: dt.date,
    today: DailyFlag,
    params: LoadModelParameters,
    trend: DailyTrend | None,
    daily_flags: bool,
) -> DaySummary:
    """Load, acute and chronic load, pain, flag and its reasons of ``d`` (``day`` is judged as ``today``)."""
    j = trend.index(d) if trend is not None else -1
    inside = trend is not None and 0 <= j < len(trend.load_au)
    # An earlier day shows only its flag and reasons: no next step, no notes (half a day's evaluation).
    judged = (
        today if d == day else (evaluate_day(history, d, params, trend=trend, flag_only=True) if daily_flags else None)
    )
    return DaySummary(
        day=d,
        load_au=float(trend.load_au[j]) if inside and trend is not None else 0.0,
        acute_au=float(trend.acute_au[j]) if inside and trend is not None else 0.0,
        chronic_au=float(trend.chronic_au[j]) if inside and trend is not None else 0.0,
        pain=history.pain.get(d),
        flag="" if judged is None else judged.flag,
        reasons=() if judged is None else judged.reasons,
    )


def _week(history: History, first: dt.date, last: dt.date, trend: DailyTrend | None) -> WeekSummary:
    sessions = history.sessions_between(first, last)
    calf = [s for s in sessions if s.activity == "calf_raise"]
    total = sum(s.reps_total for s in calf)
    pain = history.pain_between(first, last)
    load = 0.0
    if trend is not None:
        a, b = max(trend.index(first), 0), trend.index(last) + 1
        load = np_sum(trend.load_au[a:b]) if b > 0 else 0.0
    return WeekSummary(
        first=first,
        last=last,
        sessions=len(sessions),
        strength_sessions=len(history.heavy_days(first, last)),
        load_au=load,
        tut_s=sum(s.tut_s or 0.0 for s in sessions),
        stimulus_bw_s=sum(s.stimulus_bw_s or 0.0 for s in sessions),
        tempo_pass_rate=sum(s.reps_passed for s in calf) / total if total else None,
        pain_during_max=max((p.during for p in pain if p.during is not None), default=None),
        pain_after_max=max((p.after for p in pain if p.after is not None), default=None),
        pain_morning_mean=mean_or_none(p.morning for p in pain),
        morning_entries=sum(1 for p in pain if p.morning is not None),
        calf=calf_dose_week(sessions),
    )


def _week_dict(w: WeekSummary) -> dict[str, Any]:
    return {
        "first_date": w.first.isoformat(),
        "last_date": w.last.isoformat(),
        "sessions": w.sessions,
        "strength_sessions": w.strength_sessions,
        "load_au": _r(w.load_au),
        "tut_s": _r(w.tut_s),
        "stimulus_bw_s": _r(w.stimulus_bw_s, 1),
        "tempo_pass_rate": _r(w.tempo_pass_rate, 3),
        "pain": {
            "during_max": w.pain_during_max,
            "after_max": w.pain_after_max,
            "morning_mean": _r(w.pain_morning_mean, 2),
            "morning_entries": w.morning_entries,
        },
        "calf": None if w.calf is None else calf_dose_dict(w.calf),
    }


def day_dict(x: DaySummary) -> dict[str, Any]:
    """One row of the review's ``days`` (``calfload review --json``)."""
    return {
        "date": x.day.isoformat(),
        "load_au": _r(x.load_au),
        "acute_au": _r(x.acute_au),
        "chronic_au": _r(x.chronic_au),
        "pain_during": x.pain.during if x.pain else None,
        "pain_after": x.pain.after if x.pain else None,
        "pain_morning": x.pain.morning if x.pain else None,
        "flag": x.flag,
    }


def session_dict(
    s: SessionLoad, spike: tuple[float | None, float | None] | None, pain: SessionPain | None = None
) -> dict[str, Any]:
    """One row of the review's ``sessions`` (``calfload review --json``)."""
    by_distance, by_load = spike or (None, None)
    return {
        "id": s.session_id,
        "date": s.local_date.isoformat(),
        "start_utc": s.start_utc.isoformat(),
        "activity": s.activity,
        "exercise": s.exercise,
        "exercise_assumed": s.exercise_assumed,
        "added_load_kg": s.dose.added_load_kg if s.dose else None,
        "legs": list(s.legs),
        "cycles_per_leg": _r(s.cycles_per_leg, 1),
        "peak_force_bw": _r(s.peak_force_bw, 3),
        "load_au": _r(s.load_au),
        "impulse_bw_s": _r(s.impulse_bw_s),
        "duration_s": _r(s.duration_s, 1),
        "distance_m": _r(s.distance_m, 1),
        "tut_s": _r(s.tut_s, 1),
        "tempo_pass_rate": _r(s.tempo_pass_rate, 3),
        "stimulus_bw_s": _r(s.stimulus_bw_s, 1),
        "sets": s.dose.sets if s.dose else None,
        "reps_per_set": s.dose.reps_per_set if s.dose else None,
        "spike_distance_ratio": _r(by_distance, 3),
        "spike_load_ratio": _r(by_load, 3),
        "pain_during": None if pain is None else pain.during,
        "pain_after": None if pain is None else pain.after,
        "notes": list(s.notes),
    }


def _r(value: float | None, digits: int = 2) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


__all__ = [
    "DISCLAIMER",
    "DaySummary",
    "Review",
    "TrendToday",
    "WeekSummary",
    "build_review",
    "day_dict",
    "session_dict",
]
