"""R9: when the programme may take its next step, judged over two calm weeks; R14: steps too close.

Progress needs, over the 14 days ending on the review day (each blocker has its own rule id):

- ``R9.sessions``: at least 2 strength or plyometric session days in each of the two weeks (the
  programme's 2-3 sessions a week);
- ``R9.spacing``: no two of them on consecutive calendar days;
- ``R9.tempo``: at least 80 % of the calf-raise reps lowered slowly enough;
- ``R9.pain``: pain during and after training at most 2/10 (Silbernagel's safe zone);
- ``R9.morning``: the morning after each session day logged (a missing entry never counts as
  fine), the latest no older than yesterday, all at most 2/10 and none 1 point or more above its
  own 7-day baseline (less is wobble);
- ``R9.step``: no programme step in the last 14 days.
"""

from __future__ import annotations

import datetime as dt
import itertools

from calfload.loadmodel._history import WEEK_DAYS, History
from calfload.loadmodel._params import LoadModelParameters
from calfload.loadmodel._rulebase import RuleHit, baseline
from calfload.units import Phrase, plural


def progress_check(history: History, day: dt.date, params: LoadModelParameters) -> tuple[list[RuleHit], str]:
    """Blockers of progress (empty when the weeks were calm) and the calm-weeks summary."""
    fp = params.flag
    first = day - dt.timedelta(days=fp.progress_window_days - 1)
    heavy_days = history.heavy_days(first, day)
    blockers = _session_blockers(history, first, day, params)
    calf = [s for s in history.sessions_between(first, day) if s.activity == "calf_raise"]
    total = sum(s.reps_total for s in calf)
    passed = sum(s.reps_passed for s in calf)
    rate = passed / total if total else None
    span = f"the last {fp.progress_window_days} days"
    if rate is None:
        blockers.append(
            RuleHit(
                "R9.tempo", "hold", f"tempo: no audited calf-raise reps in {span}; progress needs the lowering checked"
            )
        )
    elif rate < fp.progress_min_tempo_pass_rate:
        blockers.append(
            RuleHit(
                "R9.tempo",
                "hold",
                f"tempo: {rate:.0%} of reps were lowered slowly enough in {span} ({passed} of {total}); progress "
                f"needs {fp.progress_min_tempo_pass_rate:.0%}",
            )
        )
    pain = history.pain_between(first, day)
    worst = max((v for p in pain for v in (p.during, p.after) if v is not None), default=None)
    if worst is not None and worst > fp.pain_safe_max:
        blockers.append(
            RuleHit(
                "R9.pain",
                "hold",
                f"pain: up to {worst}/10 during or after training in {span}; progress needs at most "
                f"{fp.pain_safe_max}/10 for two weeks",
            )
        )
    blockers += _morning_blockers(history, first, day, heavy_days, params)
    blockers += _step_blockers(history, day, params)
    mornings = [p.morning for p in pain if p.morning is not None]
    calm = (
        f"calm weeks: {len(heavy_days)} sessions in {fp.progress_window_days} days, tempo {rate or 0:.0%} of reps "
        f"lowered slowly enough, pain at most {worst if worst is not None else 0}/10, morning pain logged "
        f"{plural(len(mornings), 'time')} and at most {max(mornings, default=0)}/10"
    )
    return blockers, calm


def _session_blockers(history: History, first: dt.date, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    fp = params.flag
    blockers: list[RuleHit] = []
    weeks = max(1, fp.progress_window_days // WEEK_DAYS)
    counts = []
    for w in range(weeks - 1, -1, -1):
        last = day - dt.timedelta(days=WEEK_DAYS * w)
        counts.append(len(history.heavy_days(last - dt.timedelta(days=WEEK_DAYS - 1), last)))
    if min(counts) < fp.progress_min_sessions:
        blockers.append(
            RuleHit(
                "R9.sessions",
                "hold",
                f"sessions: {' and '.join(map(str, counts))} strength or plyometric session days in the last "
                f"{weeks} weeks; progress needs {fp.progress_min_sessions} or more in each, judged over weeks",
            )
        )
    for earlier, later in itertools.pairwise(history.heavy_days(first, day)):
        if (later - earlier).days < fp.min_heavy_spacing_days:
            blockers.append(
                RuleHit(
                    "R9.spacing",
                    "hold",
                    f"spacing: sessions on consecutive days ({earlier.isoformat()}, {later.isoformat()}); "
                    "progress needs 48 h between them",
                )
            )
            break
    return blockers


def _morning_blockers(
    history: History, first: dt.date, day: dt.date, heavy_days: list[dt.date], params: LoadModelParameters
) -> list[RuleHit]:
    """Morning pain must be logged (missing never counts as fine) and stay in the safe zone, without a rise."""
    fp = params.flag
    logged = {p.day: p.morning for p in history.pain_between(first, day) if p.morning is not None}
    if not logged:
        text = (
            f"morning pain: no morning entries in the last {fp.progress_window_days} days; progress needs them "
            "(a missing entry never counts as fine)"
        )
        return [RuleHit("R9.morning", "hold", text)]
    texts: list[str] = []
    # The 24-hour response is the morning *after* a session: a morning logged on the session day
    # itself was before training and says nothing about it. The review day's own session cannot
    # have its next-morning response yet.
    unchecked = [d for d in heavy_days if d < day and d + dt.timedelta(days=1) not in logged]
    if unchecked:
        texts.append(
            f"morning pain: no entry on the morning after the session {'day' if len(unchecked) == 1 else 'days'} "
            f"{', '.join(d.isoformat() for d in unchecked)}; progress needs the 24-hour response logged"
        )
    if max(logged) < day - dt.timedelta(days=fp.pain_lookback_days):
        texts.append(f"morning pain: the last morning entry is from {max(logged).isoformat()}; log this morning's")
    high = max(logged.values())
    if high > fp.pain_safe_max:
        texts.append(
            f"morning pain: up to {high}/10 in the last two weeks; progress needs at most {fp.pain_safe_max}/10"
        )
    # Every morning of the window against its own baseline; a rise under the noise floor is wobble.
    above = []
    for d, value in sorted(logged.items()):
        base = baseline(history, d, fp)
        if base is not None and value - base >= fp.morning_rise_points:
            above.append(f"{value}/10 on {d.isoformat()} (baseline {base:.1f})")
    if above:
        texts.append(
            f"morning pain: {fp.morning_rise_points:g} point or more above the 7-day morning baseline: "
            f"{', '.join(above)}; progress needs mornings that do not rise"
        )
    return [RuleHit("R9.morning", "hold", t) for t in texts]


def _step_blockers(history: History, day: dt.date, params: LoadModelParameters) -> list[RuleHit]:
    interval = params.flag.progress_min_step_interval_days
    steps = history.step_dates(day, since=day - dt.timedelta(days=interval - 1), programme=params.programme)
    if not steps:
        return []
    d, what = steps[-1]
    return [
        RuleHit(
            "R9.step",
            "hold",
            Phrase(
                f"last step on {d.isoformat()} (",
                what,
                f"); at most one step every {interval} days, so the next from "
                f"{(d + dt.timedelta(days=interval)).isoformat()}",
            ),
        )
    ]


def steps_too_close(
    history: History, day: dt.date, params: LoadModelParameters
) -> tuple[list[RuleHit], dt.date | None]:
    """R14: the latest step of the past week came less than 14 days after the one before it.

    Returns the hit and the date of that latest step (the dose before it is the one to go back to).
    """
    interval = params.flag.progress_min_step_interval_days
    steps = history.step_dates(day, since=day - dt.timedelta(days=WEEK_DAYS + interval), programme=params.programme)
    if len(steps) < 2:
        return [], None
    (prev_day, prev_what), (last_day, last_what) = steps[-2], steps[-1]
    if last_day < day - dt.timedelta(days=WEEK_DAYS - 1) or (last_day - prev_day).days >= interval:
        return [], None
    text = Phrase(
        f"two steps {plural((last_day - prev_day).days, 'day')} apart: ",
        prev_what,
        f" on {prev_day.isoformat()}, then ",
        last_what,
        f" on {last_day.isoformat()}; at most one step every {interval} days, so go back to the dose before the second",
    )
    return [RuleHit("R14", "hold", text)], last_day


__all__ = ["progress_check", "steps_too_close"]
