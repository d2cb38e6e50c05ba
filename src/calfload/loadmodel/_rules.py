"""The daily flag: back off, hold or progress, from a fixed rule table (pain rules first).

The table is ``reference/loadmodel.md`` section 4.1 plus the programme's spacing and progress
rules, evaluated on one date from the history up to that date. Every rule that matches adds
its reason; the flag is the one of the first matching rule in this order:

==== ========================================================================== ==========
id   condition                                                                  flag
==== ========================================================================== ==========
R1   pain during or after > 5 (the review day or the day before)                back off
R2   morning pain >= 2 above the 7-day morning baseline                         back off
R3   weekly mean morning pain up >= 1 on the week before, 2 weeks running       back off
R4   a run > 2.0 x the 30-day maximum (distance or damage load)                 back off
R5   a run > 1.10 x the 30-day maximum                                          hold
R6   strength or plyometric sessions on consecutive days (< 48 h)               hold
R7   pain during or after 3-5, or morning pain >= 1 above baseline              hold
R8   uncoupled ratio > 1.5 or monotony > 2.0                                    note only
R9   calm week: >= 3 sessions, tempo >= 80 %, pain <= 2, morning entries        progress
     present and not rising, no rule above, last step >= 14 days ago
--   otherwise                                                                  hold
==== ========================================================================== ==========

References
----------
.. [1] Silbernagel et al. (2007) Am J Sports Med 35:897 (pain-monitoring model).
.. [2] Garmin-RUNSAFE study (2025) Br J Sports Med, PMID 40623829 (single-session spikes).
.. [3] Beyer et al. (2015) Am J Sports Med 43:1704 (3 sessions a week, 3 s lowering).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from dataclasses import dataclass, field

from calfload.loadmodel._history import WEEK_DAYS, History, PainEntry, mean_or_none
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._prescription import Flag, next_step
from calfload.loadmodel._session import SessionLoad
from calfload.loadmodel._trend import DailyTrend, daily_trend, spike_ratio

logger = logging.getLogger(__name__)

FLAG_ORDER: tuple[Flag, ...] = ("back_off", "hold", "progress")


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One matching rule: its id, the flag it asks for and why."""

    rule: str
    flag: Flag | None
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DailyFlag:
    """The decision for one day.

    Parameters
    ----------
    day
        The review date.
    flag
        ``back_off``, ``hold`` or ``progress``.
    reasons
        Why, deciding rule first; each names its cause (pain, morning pain, tempo, spacing, spike).
    next_step
        The concrete next step from the programme.
    rules
        Ids of the rules that matched (``R1``.. ``R9``, ``default``).
    notes
        Information that does not change the flag (ratios, monotony, assumptions).
    """

    day: dt.date
    flag: Flag
    reasons: tuple[str, ...]
    next_step: str
    rules: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())


def evaluate_day(
    history: History,
    day: dt.date,
    params: LoadModelParameters = DEFAULT_PARAMETERS,
    *,
    trend: DailyTrend | None = None,
) -> DailyFlag:
    """Evaluate the rule table on ``day`` from everything dated up to ``day``.

    Parameters
    ----------
    history
        The athlete's sessions and pain entries (later entries are ignored).
    day
        The review date (the athlete's calendar date).
    params
        Thresholds (a preset of :data:`calfload.loadmodel.PRESETS`).
    trend
        Precomputed daily trend covering ``day`` (computed when omitted).

    Returns
    -------
    DailyFlag
        Flag, reasons, next step and the matching rules.
    """
    fp = params.flag
    hits: list[RuleHit] = []
    hits += _pain_rules(history, day, params)
    hits += _spike_rules(history, day, params)
    spacing_hit, next_heavy = _spacing_rule(history, day, params)
    hits += spacing_hit
    notes = _trend_notes(history, day, params, trend)
    for s in history.sessions_between(day - dt.timedelta(days=fp.progress_window_days - 1), day):
        notes += [f"session {s.session_id} ({s.local_date.isoformat()}): {n}" for n in s.notes]

    deciding = [h for h in hits if h.flag is not None]
    if deciding:
        flag = min((h.flag for h in deciding if h.flag), key=FLAG_ORDER.index)
        first = [h for h in deciding if h.flag == flag]
        others = [h for h in deciding if h.flag != flag]
        ordered = first + others
    else:
        blockers, calm = _progress_check(history, day, params)
        if blockers:
            flag, ordered = "hold", [RuleHit("default", "hold", b) for b in blockers]
        else:
            flag, ordered = "progress", [RuleHit("R9", "progress", calm)]
    rules = tuple(dict.fromkeys(h.rule for h in ordered))
    step = next_step(flag, history, day, params, next_heavy_day=next_heavy if flag != "back_off" else None)
    logger.debug("flag %s on %s from rules %s", flag, day, rules)
    return DailyFlag(
        day=day,
        flag=flag,
        reasons=tuple(h.reason for h in ordered),
        next_step=step,
        rules=rules,
        notes=tuple(notes),
    )


def flag_history(
    history: History, first: dt.date, last: dt.date, params: LoadModelParameters = DEFAULT_PARAMETERS
) -> list[DailyFlag]:
    """Evaluate the flag of every day from ``first`` to ``last`` (each from the data up to that day)."""
    start = history.first_date or first
    start = min(start, first)
    trend = daily_trend(start, history.daily_load_au(start, last), params.trend)
    n = (last - first).days + 1
    return [evaluate_day(history, first + dt.timedelta(days=i), params, trend=trend) for i in range(max(n, 0))]


# ------------------------------------------------------------------------------------------ rules


def _pain_rules(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    fp = params.flag
    hits: list[RuleHit] = []
    # Pain of the last session stands until the next one: entries from the review day and the day
    # before, and back to the latest session day of the past week when there was none since.
    first = day - dt.timedelta(days=fp.pain_lookback_days)
    week = history.sessions_between(day - dt.timedelta(days=fp.progress_window_days - 1), day)
    if week:
        first = min(first, week[-1].local_date)
    for entry in history.pain_between(first, day):
        for label, value in (("during training", entry.during), ("after training", entry.after)):
            if value is None:
                continue
            when = _when(entry.day, day)
            if value > fp.pain_high_above:
                hits.append(
                    RuleHit(
                        "R1",
                        "back_off",
                        f"pain {label} was {value}/10 {when}: above {fp.pain_high_above}/10, the high-risk zone",
                    )
                )
            elif value >= fp.pain_acceptable_from:
                hits.append(
                    RuleHit(
                        "R7",
                        "hold",
                        f"pain {label} was {value}/10 {when}: the acceptable zone "
                        f"({fp.pain_acceptable_from}-{fp.pain_high_above}), so repeat the dose",
                    )
                )
    # The latest morning of the past week is the current state until a newer one is logged.
    morning = _latest_morning(history, day, fp.progress_window_days - 1)
    if morning is not None and morning.morning is not None:
        base = _morning_baseline(history, morning.day, fp.morning_baseline_days)
        when = _when(morning.day, day)
        if base is not None:
            rise = morning.morning - base
            text = f"morning pain {morning.morning}/10 {when} is {rise:+.1f} on the 7-day morning baseline ({base:.1f})"
            if rise >= fp.morning_spike_points:
                hits.append(RuleHit("R2", "back_off", text))
            elif rise >= fp.morning_rise_points:
                hits.append(RuleHit("R7", "hold", text))
        elif morning.morning > fp.pain_high_above:
            hits.append(RuleHit("R2", "back_off", f"morning pain {morning.morning}/10 {when}: the high-risk zone"))
    weekly = [
        mean_or_none(
            p.morning
            for p in history.pain_between(
                day - dt.timedelta(days=WEEK_DAYS * (w + 1) - 1), day - dt.timedelta(days=WEEK_DAYS * w)
            )
        )
        for w in range(fp.weekly_morning_rise_weeks + 1)
    ]
    if all(m is not None for m in weekly):
        means = [m for m in weekly if m is not None][::-1]  # oldest first
        if all(b - a >= fp.weekly_morning_rise_points for a, b in itertools.pairwise(means)):
            trail = " → ".join(f"{m:.1f}" for m in means)
            hits.append(
                RuleHit(
                    "R3",
                    "back_off",
                    f"weekly mean morning pain rose {fp.weekly_morning_rise_weeks} weeks running ({trail})",
                )
            )
    return hits


def _spike_rules(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    fp, window = params.flag, params.trend.spike_window_days
    hits: list[RuleHit] = []
    for run in history.sessions_between(day - dt.timedelta(days=fp.spike_lookback_days), day):
        if run.activity != "run":
            continue
        by_distance, by_load = spike_ratios(history, run, params)
        candidates: list[tuple[float, str]] = []
        if by_distance is not None and run.distance_m:
            longest_km = run.distance_m / by_distance / 1000  # the ratio is distance over the longest
            candidates.append(
                (
                    by_distance,
                    (
                        f"the {run.distance_m / 1000:.1f} km run {_when(run.local_date, day)} is "
                        f"{by_distance:.2f} × the {window}-day longest ({longest_km:.1f} km)"
                    ),
                )
            )
        if by_load is not None:
            candidates.append(
                (
                    by_load,
                    f"the run {_when(run.local_date, day)} loaded the tendon {by_load:.2f} × the {window}-day maximum",
                )
            )
        if not candidates:
            continue
        # The more severe category wins; within one, the distance reason (listed first) is kept.
        ratio, text = max(candidates, key=lambda c: _spike_level(c[0], params))
        if ratio > fp.spike_back_off_ratio:
            hits.append(RuleHit("R4", "back_off", f"spike: {text} (over {fp.spike_back_off_ratio:g} ×)"))
        elif ratio > fp.spike_hold_ratio:
            hits.append(RuleHit("R5", "hold", f"spike: {text} (over {fp.spike_hold_ratio:g} ×)"))
    return hits


def runs_before(history: History, run: SessionLoad, window_days: int) -> list[SessionLoad]:
    """Return the runs of the ``window_days`` calendar days before ``run``'s day (the spike reference)."""
    first = run.local_date - dt.timedelta(days=window_days)
    return [
        s
        for s in history.sessions_between(first, run.local_date)
        if s.activity == "run" and s.local_date < run.local_date
    ]


def spike_ratios(
    history: History, run: SessionLoad, params: LoadModelParameters = DEFAULT_PARAMETERS
) -> tuple[float | None, float | None]:
    """Return a run's distance and damage load over the 30-day maxima (``None`` without history)."""
    before = runs_before(history, run, params.trend.spike_window_days)
    dist = [s.distance_m for s in before if s.distance_m]
    by_distance = spike_ratio(run.distance_m, dist) if run.distance_m and dist else None
    return by_distance, spike_ratio(run.load_au, [s.load_au for s in before])


def _spike_level(ratio: float, params: LoadModelParameters) -> int:
    return 2 if ratio > params.flag.spike_back_off_ratio else 1 if ratio > params.flag.spike_hold_ratio else 0


def _spacing_rule(history: History, day: dt.date, params: LoadModelParameters) -> tuple[list[RuleHit], dt.date | None]:
    gap = params.flag.min_heavy_spacing_days
    days = history.heavy_days(day - dt.timedelta(days=gap + params.flag.pain_lookback_days), day)
    hits = []
    for earlier, later in itertools.pairwise(days):
        if (later - earlier).days < gap and later >= day - dt.timedelta(days=params.flag.pain_lookback_days):
            hits.append(
                RuleHit(
                    "R6",
                    "hold",
                    f"spacing: strength or plyometric sessions on {earlier.isoformat()} and "
                    f"{later.isoformat()} are less than 48 h apart (the tendon needs about 48 h between them)",
                )
            )
    next_heavy = days[-1] + dt.timedelta(days=gap) if days and days[-1] + dt.timedelta(days=gap) > day else None
    return hits, next_heavy


def _progress_check(history: History, day: dt.date, params: LoadModelParameters) -> tuple[list[str], str]:
    """Blockers of progress (empty when the week was calm) and the calm-week summary."""
    fp = params.flag
    first = day - dt.timedelta(days=fp.progress_window_days - 1)
    blockers: list[str] = []
    heavy_days = history.heavy_days(first, day)
    if len(heavy_days) < fp.progress_min_sessions:
        blockers.append(
            f"sessions: {len(heavy_days)} strength or plyometric session day(s) in the last "
            f"{fp.progress_window_days} days; progress needs {fp.progress_min_sessions}"
        )
    for earlier, later in itertools.pairwise(heavy_days):
        if (later - earlier).days < fp.min_heavy_spacing_days:
            blockers.append(
                f"spacing: sessions on consecutive days this week ({earlier.isoformat()}, "
                f"{later.isoformat()}); progress needs 48 h between them"
            )
            break
    calf = [s for s in history.sessions_between(first, day) if s.activity == "calf_raise"]
    total = sum(s.reps_total for s in calf)
    passed = sum(s.reps_passed for s in calf)
    rate = passed / total if total else None
    if rate is None:
        blockers.append("tempo: no audited calf-raise reps this week; progress needs the lowering checked")
    elif rate < fp.progress_min_tempo_pass_rate:
        blockers.append(
            f"tempo: {rate:.0%} of reps were lowered slowly enough this week ({passed} of {total}); progress needs "
            f"{fp.progress_min_tempo_pass_rate:.0%}"
        )
    pain = history.pain_between(first, day)
    worst = max((v for p in pain for v in (p.during, p.after) if v is not None), default=None)
    if worst is not None and worst > fp.pain_safe_max:
        blockers.append(
            f"pain: up to {worst}/10 during or after training this week; progress needs at most {fp.pain_safe_max}/10"
        )
    blockers += _morning_blockers(history, first, day, heavy_days, params)
    since = day - dt.timedelta(days=fp.progress_min_step_interval_days - 1)
    steps = history.step_dates(day, since=since)
    if steps:
        d, what = steps[-1]
        blockers.append(
            f"last step on {d.isoformat()} ({what}); at most one step every {fp.progress_min_step_interval_days} "
            f"days, so the next from {(d + dt.timedelta(days=fp.progress_min_step_interval_days)).isoformat()}"
        )
    mornings = [p.morning for p in pain if p.morning is not None]
    calm = (
        f"calm week: {len(heavy_days)} sessions, tempo {rate or 0:.0%} of reps lowered slowly enough, "
        f"pain at most {worst if worst is not None else 0}/10, morning pain logged {len(mornings)} time(s) "
        f"and at most {max(mornings, default=0)}/10"
    )
    return blockers, calm


def _morning_blockers(
    history: History, first: dt.date, day: dt.date, heavy_days: list[dt.date], params: LoadModelParameters
) -> list[str]:
    """Morning pain must be logged (missing never counts as fine) and stay in the safe zone."""
    fp = params.flag
    logged = {p.day: p.morning for p in history.pain_between(first, day) if p.morning is not None}
    blockers: list[str] = []
    if not logged:
        return [
            (
                f"morning pain: no morning entries in the last {fp.progress_window_days} days; progress needs them "
                "(a missing entry never counts as fine)"
            )
        ]
    # The 24-hour response is the morning *after* a session: a morning logged on the session day
    # itself was before training and says nothing about it. The review day's own session cannot
    # have its next-morning response yet.
    unchecked = [d for d in heavy_days if d < day and d + dt.timedelta(days=1) not in logged]
    if unchecked:
        blockers.append(
            "morning pain: no entry on the morning after the session day(s) "
            f"{', '.join(d.isoformat() for d in unchecked)}; progress needs the 24-hour response logged"
        )
    if max(logged) < day - dt.timedelta(days=fp.pain_lookback_days):
        blockers.append(f"morning pain: the last morning entry is from {max(logged).isoformat()}; log this morning's")
    high = max(logged.values())
    if high > fp.pain_safe_max:
        blockers.append(f"morning pain: up to {high}/10 this week; progress needs at most {fp.pain_safe_max}/10")
    # R9: every morning of the week at or below its own 7-day baseline, not just the latest one.
    above = []
    for d, value in sorted(logged.items()):
        base = _morning_baseline(history, d, fp.morning_baseline_days)
        if base is not None and value > base:
            above.append(f"{value}/10 on {d.isoformat()} (baseline {base:.1f})")
    if above:
        blockers.append(
            f"morning pain: above the 7-day morning baseline this week: {', '.join(above)}; "
            "progress needs every morning at or below it"
        )
    return blockers


def _trend_notes(history: History, day: dt.date, params: LoadModelParameters, trend: DailyTrend | None) -> list[str]:
    fp = params.flag
    start = history.first_date
    if start is None or start > day:
        return []
    if trend is None or trend.first_date > day or trend.index(day) >= trend.load_au.size:
        trend = daily_trend(start, history.daily_load_au(start, day), params.trend)
    i = trend.index(day)
    notes: list[str] = []
    unc = trend.uncoupled(i)
    if unc is not None and unc > fp.acwr_note_above:
        notes.append(
            f"R8: the uncoupled acute:chronic ratio is {unc:.2f} (over {fp.acwr_note_above:g}); information "
            "only, it does not predict running injury on its own"
        )
    mono = trend.monotony(i)
    if mono is not None and mono > fp.monotony_note_above:
        notes.append(f"R8: monotony {mono:.1f} (over {fp.monotony_note_above:g}): vary hard and easy days")
    return notes


def _latest_morning(history: History, day: dt.date, lookback_days: int) -> PainEntry | None:
    entries = [p for p in history.pain_between(day - dt.timedelta(days=lookback_days), day) if p.morning is not None]
    return entries[-1] if entries else None


def _morning_baseline(history: History, day: dt.date, days: int) -> float | None:
    return mean_or_none(
        p.morning for p in history.pain_between(day - dt.timedelta(days=days), day - dt.timedelta(days=1))
    )


def _when(entry_day: dt.date, day: dt.date) -> str:
    return f"on {entry_day.isoformat()}" + (" (the review day)" if entry_day == day else "")


__all__ = ["FLAG_ORDER", "DailyFlag", "RuleHit", "evaluate_day", "flag_history", "runs_before", "spike_ratios"]
