"""The daily flag: back off, hold or progress, from a fixed rule table (symptom rules first).

The table (``docs/load-model.md`` section 3 documents each rule with its source) is evaluated on
one date from the history up to that date. Every rule that matches adds its reason; the flag is
that of the most severe matching rule, and the flag names the ids of the rules that decided it:

======== ======================================================================= ===============
id       condition                                                               flag
======== ======================================================================= ===============
R1       pain during or after > 5/10 (stands until the next session)             back off
R2       the latest morning >= 2 above the mean of the 7 days before it          back off
R3       weekly mean morning pain up >= 1 on the week before, 2 weeks running    back off
R4       a run > 2.0 x the 30-day maximum (distance or damage load), 2 days      back off
R10      pain after the last session not settled next morning (+2 / +1)          back off / hold
R11      a morning (pain or stiffness) >= 6/10, whatever the baseline            back off
R12      swelling, a sharp pain, or tenderness +2 on its baseline or >= 6/10     back off
R5       a run > 1.10 x the 30-day maximum, on its day and the 6 after           hold
R6       strength or plyometric sessions on consecutive days (< 48 h)            hold
R7       pain during or after 3-5/10, or the latest morning >= 1 above baseline  hold
R13      weekly mean morning pain or stiffness up >= 0.5 on the week before      hold
R14      two programme steps less than 14 days apart: back to the earlier dose   hold
R8       uncoupled ratio > 1.5 or monotony > 2.0                                 note only
R9       two calm weeks (R9.sessions, .spacing, .tempo, .pain, .morning, .step)  progress
R9.*     a progress condition not met (the id names which)                       hold
======== ======================================================================= ===============

References
----------
.. [1] Silbernagel et al. (2007) Am J Sports Med 35:897 (pain-monitoring model).
.. [2] Garmin-RUNSAFE study (2025) Br J Sports Med, PMID 40623829 (single-session spikes).
.. [3] Beyer et al. (2015) Am J Sports Med 43:1704 (3 sessions a week, 3 s lowering).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from calfload._logger import package_logger
from calfload.loadmodel._history import WEEK_DAYS, History
from calfload.loadmodel._pain_rules import pain_rules
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._prescription import Flag, next_step
from calfload.loadmodel._progress_check import progress_check, steps_too_close
from calfload.loadmodel._rulebase import RuleHit, when
from calfload.loadmodel._spikes import runs_before, spike_level, spike_ratios
from calfload.loadmodel._trend import DailyTrend, daily_trend
from calfload.units import Distance, Phrase

logger = package_logger(__name__)

FLAG_ORDER: tuple[Flag, ...] = ("back_off", "hold", "progress")


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
        Ids of the rules that decided, deciding rules first (``R1`` .. ``R14``, ``R9.*``).
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
    flag_only: bool = False,
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
    flag_only
        Only the flag, its reasons and rules: no next step and no notes (neither changes the flag;
        a period's days show only their flags, and the next step was half the cost of a day).

    Returns
    -------
    DailyFlag
        Flag, reasons, next step and the matching rules.
    """
    hits: list[RuleHit] = []
    hits += pain_rules(history, day, params)
    hits += _spike_rules(history, day, params)
    spacing_hit, next_heavy = _spacing_rule(history, day, params)
    hits += spacing_hit
    close_steps, back_to_before = steps_too_close(history, day, params)
    hits += close_steps
    notes = [] if flag_only else _notes(history, day, params, trend)

    deciding = [h for h in hits if h.flag is not None]
    if deciding:
        flag = min((h.flag for h in deciding if h.flag), key=FLAG_ORDER.index)
        ordered = [h for h in deciding if h.flag == flag] + [h for h in deciding if h.flag != flag]
    else:
        blockers, calm = progress_check(history, day, params)
        if blockers:
            flag, ordered = "hold", blockers
        else:
            flag, ordered = "progress", [RuleHit("R9", "progress", calm)]
    rules = tuple(dict.fromkeys(h.rule for h in ordered))
    step = (
        ""
        if flag_only
        else next_step(
            flag,
            history,
            day,
            params,
            next_heavy_day=next_heavy if flag != "back_off" else None,
            dose_before=back_to_before if flag == "hold" else None,
        )
    )
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


def _spike_rules(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    """R4 on a back-off spike's day and the day after; R5 on any spike's day and the days after it."""
    fp, window = params.flag, params.trend.spike_window_days
    hits: list[RuleHit] = []
    for run in history.sessions_between(day - dt.timedelta(days=fp.spike_hold_days), day):
        if run.activity != "run":
            continue
        by_distance, by_load = spike_ratios(history, run, params)
        candidates: list[tuple[float, str]] = []
        on = when(run.local_date, day)
        if by_distance is not None and run.distance_m:
            longest_m = run.distance_m / by_distance  # the ratio is distance over the longest
            candidates.append(
                (
                    by_distance,
                    Phrase(
                        "the ",
                        Distance(run.distance_m),
                        f" run {on} is {by_distance:.2f} × the {window}-day longest (",
                        Distance(longest_m),
                        ")",
                    ),
                )
            )
        if by_load is not None:
            candidates.append((by_load, f"the run {on} loaded the tendon {by_load:.2f} × the {window}-day maximum"))
        if not candidates:
            continue
        # The more severe category wins; within one, the distance reason (listed first) is kept.
        ratio, text = max(candidates, key=lambda c: spike_level(c[0], params))
        level = spike_level(ratio, params)
        if level == 2 and run.local_date >= day - dt.timedelta(days=fp.spike_lookback_days):
            hits.append(RuleHit("R4", "back_off", Phrase("spike: ", text, f" (over {fp.spike_back_off_ratio:g} ×)")))
        elif level > 0:
            until = run.local_date + dt.timedelta(days=fp.spike_hold_days)
            hits.append(
                RuleHit(
                    "R5",
                    "hold",
                    Phrase(
                        "spike: ",
                        text,
                        f" (over {fp.spike_hold_ratio:g} ×); hold until {until.isoformat()}, and the "
                        "spike does not raise the long-run base",
                    ),
                )
            )
    return hits


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
    # A programme of daily sessions (Alfredson: gap 1) has no "next session from" date to name.
    next_heavy = (
        days[-1] + dt.timedelta(days=gap) if gap > 1 and days and days[-1] + dt.timedelta(days=gap) > day else None
    )
    return hits, next_heavy


def _notes(history: History, day: dt.date, params: LoadModelParameters, trend: DailyTrend | None) -> list[str]:
    """The trend's notes and those of the last week's sessions (information that does not change the flag)."""
    notes = _trend_notes(history, day, params, trend)
    for s in history.sessions_between(day - dt.timedelta(days=WEEK_DAYS - 1), day):
        notes += [Phrase(f"session {s.session_id} ({s.local_date.isoformat()}): ", n) for n in s.notes]
    return notes


def _trend_notes(history: History, day: dt.date, params: LoadModelParameters, trend: DailyTrend | None) -> list[str]:
    fp = params.flag
    start = history.first_date
    if start is None or start > day:
        return []
    if trend is None or trend.first_date > day or trend.index(day) >= len(trend.load_au):
        trend = history.trend(day, params.trend)
    if trend is None:
        return []
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


__all__ = ["FLAG_ORDER", "DailyFlag", "RuleHit", "evaluate_day", "flag_history", "runs_before", "spike_ratios"]
