"""Next steps of the Alfredson and heavy-slow-resistance programmes (the default ladder is in _prescription).

- **Alfredson** (Alfredson et al. 1998): 3 × 15 heel drops with the knee straight and 3 × 15 with the
  knee bent, twice a day, every day, for 12 weeks; pain during the exercise is accepted; when the
  exercise is pain-free, add weight (+5 kg a step, in a backpack). Back off: drop the weight, else
  cut the volume by 30 %.
- **HSR** (Beyer et al. 2015): three sessions a week on non-consecutive days, 3 s up and 3 s down,
  at the repetition maximum (RM: the heaviest weight lifted that many times): 3 × 15RM for a week,
  3 × 12RM for two, 4 × 10RM for two, 4 × 8RM for three, 4 × 6RM for four. The weight follows the
  RM as the athlete gets stronger; a rung is left once its weeks are done and the weeks were calm.
  Back off: "increased pain after training: revert to a lighter load".

References
----------
.. [1] Alfredson H. et al. (1998) Am J Sports Med 26(3):360-366.
.. [2] Beyer R. et al. (2015) Am J Sports Med 43(7):1704-1711.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from calfload.loadmodel._history import WEEK_DAYS, History
from calfload.loadmodel._params import ProgrammeParameters
from calfload.loadmodel._session import StrengthDose
from calfload.units import Mass, Phrase, plural

Flag = Literal["back_off", "hold", "progress"]

#: How far back the current HSR rung's first session is looked for (days): the longest rung, 4 weeks, and a week.
RUNG_LOOKBACK_DAYS = 35
#: A rung's last sessions: within this many days of its end the next session starts the next rung.
LAST_SESSIONS_DAYS = 3


def alfredson_step(flag: Flag, dose: StrengthDose | None, prog: ProgrammeParameters) -> str:
    """The Alfredson protocol's next step for ``flag`` from the current dose."""
    n = prog.start_reps
    load = dose.added_load_kg if dose is not None else 0.0
    at = Phrase(" at ", Mass(load)) if load > 0 else ""
    protocol = f"{prog.start_sets} × {n} heel drops with the knee straight and {prog.start_sets} × {n} with it bent"
    tempo = f"lowering over {prog.target_eccentric_s:g} s, twice a day"
    if dose is None:
        if flag == "back_off":
            return f"no calf work logged lately; when the pain settles start the Alfredson programme: {protocol}"
        return f"start the Alfredson programme: {protocol}, {tempo}, every day for 12 weeks (pain during is accepted)"
    if flag == "hold":
        return Phrase(f"repeat {protocol}", at, f", {tempo}")
    if flag == "back_off":
        if load > 0:
            return Phrase("drop the ", Mass(load), f": {protocol} with body weight, {tempo}")
        reps = max(1, math.floor(n * (1.0 - prog.back_off_fraction)))
        return f"cut the volume by {prog.back_off_fraction:.0%}: {prog.start_sets} × {reps} of each, {tempo}"
    step = prog.fixed_load_step_kg
    return Phrase(
        Mass(step, sign=True), f" (the heel drops are pain-free): {protocol} at ", Mass(load + step), f", {tempo}"
    )


def hsr_step(flag: Flag, dose: StrengthDose | None, history: History, day: dt.date, prog: ProgrammeParameters) -> str:
    """Heavy slow resistance's next step: the RM rung, held for its weeks, then the next."""
    rungs = list(zip(prog.rm_ladder_sets, prog.rm_ladder_reps, prog.rm_ladder_weeks, strict=True))
    tempo = "3 s up and 3 s down"
    if dose is None or dose.sets == 0:
        sets, reps, _ = rungs[0]
        start = f"{sets} × {reps}RM (the heaviest weight you can lift {reps} times), {tempo}"
        if flag == "back_off":
            return f"no calf work logged lately; when the pain settles start heavy slow resistance: {start}"
        return f"start heavy slow resistance: {start}, 3 times a week on non-consecutive days"
    i = _rung_index(dose, rungs)
    sets, reps, weeks = rungs[i]
    current = f"{sets} × {reps}RM"
    if flag == "hold":
        return f"repeat {current}, {tempo}; do not add weight yet"
    if flag == "back_off":
        return f"revert to a lighter load: {current} with the weight before your last increase, {tempo}"
    since = _rung_start(history, day, dose)
    due = since + dt.timedelta(days=weeks * WEEK_DAYS)
    if day < due - dt.timedelta(days=LAST_SESSIONS_DAYS):
        return (
            f"stay at {current} until {due.isoformat()} ({plural(weeks, 'week')} on this rung); "
            f"add weight as {reps} reps get easier, {tempo}"
        )
    if i + 1 >= len(rungs):
        return (
            f"the 12-week programme's last rung ({current}) is done: keep it up twice a week and review the "
            "next phase with your physiotherapist"
        )
    nsets, nreps, nweeks = rungs[i + 1]
    next_rung_from = max(due, day + dt.timedelta(days=1))
    return (
        f"from {next_rung_from.isoformat()}: {current} → {nsets} × {nreps}RM for {plural(nweeks, 'week')}, "
        f"the heaviest weight you can lift {nreps} times, {tempo}"
    )


def _rung_index(dose: StrengthDose, rungs: list[tuple[int, int, int]]) -> int:
    """The rung of a dose: the last one with at least its reps (a 4 × 9 session is on 4 × 10RM)."""
    fits = [i for i, (_, reps, _) in enumerate(rungs) if reps >= dose.reps_per_set]
    return fits[-1] if fits else len(rungs) - 1


def _rung_start(history: History, day: dt.date, dose: StrengthDose) -> dt.date:
    """The first day of the run of calf sessions, up to ``day``, at the current dose's sets x reps."""
    start = day
    calf = [s for s in history.sessions_between(day - dt.timedelta(days=RUNG_LOOKBACK_DAYS), day) if s.dose]
    for s in reversed(calf):
        d = s.dose
        if d is None or d.sets == 0:
            continue
        if (d.sets, d.reps_per_set) != (dose.sets, dose.reps_per_set):
            break
        start = s.local_date
    return start


__all__ = ["alfredson_step", "hsr_step"]
