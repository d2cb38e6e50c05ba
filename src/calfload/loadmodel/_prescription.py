"""The next step of the programme for a flag: concrete doses, not advice in general.

The calf ladder (DESIGN.md, the programme), one rung at a time: single-leg raises 2 × 10 →
2 × 12 → 3 × 12 → 3 × 15, then a tempo variation, then a small weight (about every two weeks),
with endurance sets of 60-90 s of continuous raises; plyometrics from ankle hops to pogo jumps,
bounds and single-leg hops; the long run capped against the longest run of the last 30 days
(RUNSAFE), a spike replaced by its pre-spike base. Progress takes one step; hold repeats the dose
(or goes back to the dose before a step taken too soon); back off drops the weight or cuts the
volume by 30 %.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from calfload.loadmodel._force import EXERCISES, Exercise
from calfload.loadmodel._history import WEEK_DAYS, History
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters, ProgrammeParameters
from calfload.loadmodel._programmes import alfredson_step, hsr_step
from calfload.loadmodel._session import StrengthDose
from calfload.loadmodel._spikes import long_run_base
from calfload.units import Distance, Mass, Phrase, join_phrases

Flag = Literal["back_off", "hold", "progress"]

#: How far back the "current" dose and runs are looked up (days).
DOSE_LOOKBACK_DAYS = 28


def next_step(
    flag: Flag,
    history: History,
    day: dt.date,
    params: LoadModelParameters = DEFAULT_PARAMETERS,
    *,
    next_heavy_day: dt.date | None = None,
    dose_before: dt.date | None = None,
) -> Phrase:
    """Return the concrete next step for ``flag`` on ``day``.

    Parameters
    ----------
    flag
        ``back_off``, ``hold`` or ``progress``.
    history
        The athlete's sessions and pain.
    day
        The review date.
    params
        Model parameters (the programme ladder).
    next_heavy_day
        Earliest date for the next strength or plyometric session, when spacing matters.
    dose_before
        A hold goes back to the calf dose of before this date (a step taken too soon, R14).

    Returns
    -------
    Phrase
        One sentence, parts separated by "; ", its weights and distances typed (:func:`calfload.units.in_units`
        shows them in the athlete's units).
    """
    prog = params.programme
    recent = history.sessions_between(day - dt.timedelta(days=DOSE_LOOKBACK_DAYS), day)
    dose = history.latest_dose(day, within_days=DOSE_LOOKBACK_DAYS)
    if dose_before is not None and flag == "hold":
        earlier = history.latest_dose(dose_before - dt.timedelta(days=1), within_days=DOSE_LOOKBACK_DAYS)
        if earlier is not None and dose is not None:
            tempo = f"lowering over {prog.target_eccentric_s:g} s"
            return Phrase("go back to ", dose_text(earlier), " (from ", dose_text(dose), f"), {tempo}")
    hop_sessions = [s for s in recent if s.activity == "hops"]
    week = history.sessions_between(day - dt.timedelta(days=WEEK_DAYS - 1), day)
    plyo_focus = any(s.activity == "hops" for s in week) and not any(s.activity == "calf_raise" for s in week)

    parts: list[str] = []
    if plyo_focus and hop_sessions:
        parts.append(_hops_step(flag, hop_sessions[-1].exercise, hop_sessions[-1].cycles_per_leg, prog))
    else:
        parts.append(_programme_step(flag, dose, history, day, params))
        if hop_sessions and flag == "back_off":
            parts.append("no hops until the pain settles")
    if next_heavy_day is not None and flag != "back_off":
        parts.append(f"next strength or plyometric session on {next_heavy_day.isoformat()} or later")
    run_cap = _run_cap(flag, history, day, params)
    if run_cap:
        parts.append(run_cap)
    return join_phrases("; ", parts)


def load_step_kg(body_mass_kg: float | None, prog: ProgrammeParameters, default_mass_kg: float) -> float:
    """Return a small added weight: 5 % of body mass rounded to 2.5 kg, at least 2.5 kg.

    Examples
    --------
    >>> load_step_kg(70, ProgrammeParameters(), 70), load_step_kg(90, ProgrammeParameters(), 70)
    (2.5, 5.0)
    """
    mass = body_mass_kg or default_mass_kg
    step = round(mass * prog.load_step_fraction / prog.load_step_round_kg) * prog.load_step_round_kg
    return max(step, prog.load_step_round_kg)


def _programme_step(
    flag: Flag, dose: StrengthDose | None, history: History, day: dt.date, params: LoadModelParameters
) -> str:
    """The calf step of the athlete's programme (default ladder, Alfredson or HSR)."""
    prog = params.programme
    if prog.name == "alfredson":
        return alfredson_step(flag, dose, prog)
    if prog.name == "hsr":
        return hsr_step(flag, dose, history, day, prog)
    return _calf_step(flag, dose, history.body_mass_kg, params)


def _calf_step(flag: Flag, dose: StrengthDose | None, body_mass_kg: float | None, params: LoadModelParameters) -> str:
    prog = params.programme
    tempo = f"lowering over {prog.target_eccentric_s:g} s"
    if dose is None:
        start = f"{prog.start_sets} × {prog.start_reps} single-leg raises, {tempo}"
        if flag == "back_off":
            return f"no calf work logged lately; when the pain settles start with {start}"
        return f"start the calf programme: {start}, 2-3 times a week on non-consecutive days"
    current = dose_text(dose)
    if flag == "hold":
        return Phrase("repeat ", current, f", {tempo}")
    if flag == "back_off":
        if dose.added_load_kg > 0:
            return Phrase(
                "drop the ",
                Mass(dose.added_load_kg),
                f": {_sets_text(dose.sets, dose.reps_per_set)} {dose.exercise.label}",
            )
        reps = max(1, math.floor(dose.reps_per_set * (1.0 - prog.back_off_fraction)))
        return (
            f"cut the volume by {prog.back_off_fraction:.0%}: {_sets_text(dose.sets, reps)} {dose.exercise.label} "
            f"(from {_sets_text(dose.sets, dose.reps_per_set)}), {tempo}"
        )
    return _progress_calf(dose, body_mass_kg, params)


def _progress_calf(dose: StrengthDose, body_mass_kg: float | None, params: LoadModelParameters) -> str:
    prog = params.programme
    ex = dose.exercise
    sets, reps, load = dose.sets, dose.reps_per_set, dose.added_load_kg
    at = Phrase(" at ", Mass(load)) if load > 0 else ""
    if ex.stance != "single_leg" or ex.tier < EXERCISES["single_leg_standing"].tier:
        nxt = _next_exercise(ex)
        return f"move up from {ex.label} to {nxt.label}: {_sets_text(prog.start_sets, prog.start_reps)}"
    rung = _next_rung(sets, reps, prog)
    if rung is not None:
        return Phrase(f"{_sets_text(sets, reps)} → {_sets_text(*rung)} {ex.label}", at)
    if not dose.tempo_varied and load == 0:
        return (
            f"tempo variation: {_sets_text(sets, reps)} {ex.label} with a 3 s rise, a 2 s pause at the top and "
            f"a {prog.target_eccentric_s:g} s lowering"
        )
    if load > 0 and dose.endurance_set_s < prog.endurance_start_s:
        return Phrase(
            f"add one endurance set: {prog.endurance_start_s:g} s of continuous {ex.label} after ", dose_text(dose)
        )
    if load > 0 and dose.endurance_set_s < prog.endurance_top_s - 1.0:
        return Phrase(
            f"endurance set {dose.endurance_set_s:.0f} s → {prog.endurance_top_s:g} s of continuous {ex.label}, after ",
            dose_text(dose),
        )
    step = load_step_kg(body_mass_kg, prog, params.force.default_body_mass_kg)
    return Phrase(
        Mass(step, sign=True),
        f": {_sets_text(sets, reps)}",
        at or " without weight",
        f" → {_sets_text(sets, prog.loaded_restart_reps)} at ",
        Mass(load + step),
        f" {ex.label}",
    )


def _hops_step(flag: Flag, exercise: str | None, contacts: float, prog: ProgrammeParameters) -> str:
    ex = EXERCISES.get(exercise or "ankle_hops", EXERCISES["ankle_hops"])
    n = round(contacts)
    if flag == "hold":
        return f"repeat {n} contacts of {ex.label}"
    if flag == "back_off":
        return f"drop back to {max(1, math.floor(n * (1 - prog.back_off_fraction)))} contacts of two-leg ankle hops"
    nxt = [e for e in EXERCISES.values() if e.activity == "hops" and e.tier == ex.tier + 1]
    if nxt:
        return f"next plyometric tier: {ex.label} → {nxt[0].label}, same number of contacts ({n})"
    return f"{ex.label}: {n} → {math.ceil(n * 1.1)} contacts"


def _next_rung(sets: int, reps: int, prog: ProgrammeParameters) -> tuple[int, int] | None:
    """The next rung of the sets x reps ladder above ``sets x reps`` (``None`` at or past the top).

    Examples
    --------
    >>> p = ProgrammeParameters()
    >>> _next_rung(2, 10, p), _next_rung(3, 10, p), _next_rung(2, 15, p), _next_rung(3, 15, p)
    ((2, 12), (3, 12), (3, 12), None)
    """
    ladder = (
        (prog.start_sets, prog.start_reps),
        (prog.start_sets, prog.top_reps_two_sets),
        (prog.start_sets + 1, prog.top_reps_two_sets),
        (prog.start_sets + 1, prog.top_reps_three_sets),
    )
    return next((r for r in ladder if r > (sets, reps)), None)


def _run_cap(flag: Flag, history: History, day: dt.date, params: LoadModelParameters) -> str | None:
    prog, window_days = params.programme, params.trend.spike_window_days
    base = long_run_base(history, day, params)
    if base is None:
        return None
    factor = {"progress": prog.long_run_progress_ratio, "hold": 1.0, "back_off": 1.0 - prog.back_off_fraction}[flag]
    left_out = ", spikes left out" if base.spikes else ""
    cap: str | Distance
    basis: str | Phrase
    if base.distance_km is not None:
        if base.distance_km * factor < 0.05:
            return None  # no long run to cap ("keep the long run under 0.0 km" says nothing)
        cap = Distance(base.distance_km * factor * 1000.0)
        basis = Phrase(f"{window_days}-day longest ", Distance(base.distance_km * 1000.0), left_out)
    elif base.duration_min is not None:
        if base.duration_min * factor < 0.5:
            return None  # no long run to cap ("keep the long run under 0 min" says nothing)
        cap = f"{base.duration_min * factor:.0f} min"
        basis = f"{window_days}-day longest {base.duration_min:.0f} min{left_out}"
    else:
        return None
    verb = {"progress": "the long run may grow to", "hold": "keep the long run under", "back_off": "keep runs under"}
    return Phrase(f"{verb[flag]} ", cap, " (", basis, ")")


def _next_exercise(ex: Exercise) -> Exercise:
    ladder = sorted((e for e in EXERCISES.values() if e.activity == ex.activity), key=lambda e: e.tier)
    return next((e for e in ladder if e.tier > ex.tier), ex)


def _sets_text(sets: int, reps: int) -> str:
    return f"{sets} × {reps}"


def dose_text(dose: StrengthDose) -> Phrase:
    """``3 × 12 single-leg raises at 2.5 kg`` (the weight typed, for the athlete's units)."""
    load = Phrase(" at ", Mass(dose.added_load_kg)) if dose.added_load_kg > 0 else ""
    return Phrase(f"{_sets_text(dose.sets, dose.reps_per_set)} {dose.exercise.label}", load)


__all__ = ["Flag", "dose_text", "load_step_kg", "next_step"]
