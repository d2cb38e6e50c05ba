"""Per-session Achilles load: a pure function of a typed analysis result, its metadata and the athlete.

The analysis is a :data:`calfload.signal.SessionAnalysis` (calf raises: reps and sets; runs and
walks: steps, cadence, ground contact and, from FIT files and foot pods, speed and distance; hops:
contacts). Each activity has one
model in :data:`ACTIVITY_MODELS`; new activities register theirs with
:func:`register_activity_model`.

Outputs per leg (``reference/loadmodel.md`` section 6.1): loading cycles, peak force (BW), the
damage-weighted load ``D = n (F / F_easy) ** k`` in easy-run-equivalent cycles (``load_au``),
the impulse, and for strength work time under tension, tempo compliance and the stimulus
``S = sum F t_rep`` (BW s).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from calfload._logger import package_logger
from calfload.loadmodel._force import (
    Exercise,
    damage_weight,
    exercise_named,
    heel_raise_force_bw,
    hop_force_bw,
    run_force_bw,
)
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._session_types import HEAVY_ACTIVITIES, Athlete, SessionInput, SessionLoad, StrengthDose
from calfload.units import Mass, Phrase

if TYPE_CHECKING:
    # The result types come with NumPy: review reads stored loads and never computes one.
    from calfload.signal import CalfRaiseAnalysis, CalfSet, GaitAnalysis, SessionAnalysis
    from calfload.signal._bouts_types import Bout

logger = package_logger(__name__)

BOTH_LEGS: Final = ("left", "right")
#: Changes when :func:`session_load` computes differently for the same inputs (part of the stored
#: loads' model key, :func:`calfload.journal._loads.model_key`, so a journal recomputes them).
#: 2: a run's walking bouts load as walking, its running bouts set its speed and cadence.
#: 3: the reps of calf-raise bouts inside a walk or run count.
LOAD_MODEL_REVISION: Final = 3


ActivityModel = Callable[[SessionInput, Athlete, LoadModelParameters], SessionLoad]


def easy_run_force_bw(athlete: Athlete, params: LoadModelParameters = DEFAULT_PARAMETERS) -> float:
    """``F_easy``: the running force at the athlete's easy speed, the unit of the damage load."""
    return run_force_bw(athlete.easy_run_speed_mps, params=params.force)


def session_load(
    session: SessionInput, athlete: Athlete, params: LoadModelParameters = DEFAULT_PARAMETERS
) -> SessionLoad:
    """Compute one session's Achilles load.

    Parameters
    ----------
    session
        Metadata and analysis summary of the session.
    athlete
        Body mass, easy-run speed and habitual cadence.
    params
        Model constants (a preset of :data:`calfload.loadmodel.PRESETS`).

    Returns
    -------
    SessionLoad
        Per-leg cycles, peak force, damage load and strength figures. Activities without a model
        give zero load and say so in ``notes``.
    """
    model = ACTIVITY_MODELS.get(session.activity)
    if model is None:
        logger.info("no load model for activity %s (session %s)", session.activity, session.session_id)
        return _base(
            session,
            legs=BOTH_LEGS,
            cycles=0.0,
            force_bw=0.0,
            load_au=0.0,
            notes=(f"no load model for activity {session.activity!r}; counted as zero load",),
        )
    return model(session, athlete, params)


def register_activity_model(activity: str, model: ActivityModel) -> None:
    """Add or replace the load model of an activity (e.g. a refined hops model)."""
    ACTIVITY_MODELS[activity] = model


# ----------------------------------------------------------------------------------------- models


def _run_or_walk(session: SessionInput, athlete: Athlete, params: LoadModelParameters) -> SessionLoad:
    """Steps at the walking or running force; a run's walking bouts (a walk's running bouts) at their own."""
    from calfload.signal import GaitAnalysis

    a = session.analysis
    if not isinstance(a, GaitAnalysis):
        return _mismatch(session)
    notes: list[str] = []
    cadence = run_cadence_spm(a)
    f_easy = easy_run_force_bw(athlete, params)
    if a.steps is None:
        # A FIT file without cadence: the steps are unknown, not 0; the athlete's habitual cadence stands in.
        steps = (cadence or athlete.habitual_cadence_spm) * a.duration_s / 60.0
        notes.append("no cadence in the recording; steps estimated from the habitual cadence over its duration")
    else:
        steps = float(a.steps)
    # The bouts of the other gait (a walk warm-up in a run) load the tendon as that gait does.
    other = "walk" if session.activity == "run" else "run"
    other_steps = min(steps, float(sum(b.steps or 0 for b in a.segments if b.activity == other)))
    parts: list[tuple[float, float]] = []  # (steps, force per step)
    for gait, n in ((session.activity, steps - other_steps), (other, other_steps)):
        if n <= 0 and gait == other:
            continue
        if gait == "walk":
            parts.append((n, params.force.walk_force_bw))
            continue
        speed = run_speed_mps(a)
        if speed is None:
            speed = athlete.easy_run_speed_mps
            notes.append("no speed in the recording; assumed the athlete's easy pace")
        force = run_force_bw(
            speed, cadence_spm=cadence, habitual_cadence_spm=athlete.habitual_cadence_spm, params=params.force
        )
        parts.append((n, force))
    if other_steps > 0:
        notes.append(f"{other_steps:.0f} steps of {other}ing bouts counted as {other}ing")
    impulse = None
    if a.ground_contact_median_ms is not None:
        impulse = sum(n / 2.0 * f for n, f in parts) * a.ground_contact_median_ms / 1000.0
        impulse *= params.damage.contact_shape_factor
    load_au = sum(n / 2.0 * damage_weight(f, f_easy, params.damage.exponent) for n, f in parts)
    reps, raise_force = _calf_bouts(a, athlete, params, notes)
    return _base(
        session,
        legs=BOTH_LEGS,
        cycles=steps / 2.0 + reps,
        force_bw=max(f for _, f in parts),
        load_au=load_au + reps * damage_weight(raise_force, f_easy, params.damage.exponent),
        impulse_bw_s=impulse,
        duration_s=a.duration_s,
        distance_m=a.distance_m,
        notes=tuple(notes),
    )


def _calf_bouts(a: GaitAnalysis, athlete: Athlete, params: LoadModelParameters, notes: list[str]) -> tuple[int, float]:
    """Reps of the calf-raise bouts in a walk or run and their force (the default exercise, assumed)."""
    reps = sum(b.reps or 0 for b in a.segments if b.activity == "calf_raise")
    if reps <= 0:
        return 0, 0.0
    exercise, _ = exercise_named(None, "calf_raise")
    mass_kg = athlete.body_mass_kg or params.force.default_body_mass_kg
    notes.append(f"{reps} calf raises in the recording counted as {exercise.label} (assumed), without a tempo audit")
    return reps, heel_raise_force_bw(exercise, body_mass_kg=mass_kg, added_load_kg=0.0, params=params.force)


def _calf_raise(session: SessionInput, athlete: Athlete, params: LoadModelParameters) -> SessionLoad:
    from calfload.signal import CalfRaiseAnalysis

    a = session.analysis
    if not isinstance(a, CalfRaiseAnalysis):
        return _mismatch(session)
    notes: list[str] = []
    exercise, assumed = exercise_named(session.exercise, "calf_raise")
    if assumed:
        notes.append(f"exercise not given; assumed {exercise.label}")
    body_mass_kg = athlete.body_mass_kg
    added_kg = session.added_load_kg or 0.0
    if body_mass_kg is None:
        body_mass_kg = params.force.default_body_mass_kg
        if added_kg:
            notes.append(Phrase("no body mass logged; assumed ", Mass(body_mass_kg), " to scale the added load"))
    force_bw = heel_raise_force_bw(exercise, body_mass_kg=body_mass_kg, added_load_kg=added_kg, params=params.force)
    # Endurance sets (60-90 s of continuous raises) are fast by design: their reps do not count
    # toward tempo compliance, or an athlete doing them could never progress.
    endurance_sets = {s.index for s in a.sets if is_endurance_set(s)}
    tempo_reps = [r for r in a.reps if r.set not in endurance_sets]
    rep_seconds = [r.concentric_s + r.top_hold_s + r.eccentric_s for r in a.reps]
    f_easy = easy_run_force_bw(athlete, params)
    legs = BOTH_LEGS if exercise.stance != "single_leg" else _legs_of(session.side)
    return _base(
        session,
        exercise=exercise.name,
        exercise_assumed=assumed,
        legs=legs,
        cycles=float(a.rep_count),
        force_bw=force_bw,
        load_au=a.rep_count * damage_weight(force_bw, f_easy, params.damage.exponent),
        duration_s=a.duration_s,
        tut_s=sum(s.time_under_tension_s for s in a.sets) if a.sets and a.source != "manual" else None,
        # A session logged by hand has counted reps without phase times: no tempo audit.
        reps_total=len(tempo_reps) if a.source != "manual" else 0,
        reps_passed=sum(1 for r in tempo_reps if r.eccentric_pass) if a.source != "manual" else 0,
        stimulus_bw_s=force_bw * sum(rep_seconds) if a.reps and a.source != "manual" else None,
        dose=_strength_dose(exercise=exercise, analysis=a, added_kg=added_kg, params=params),
        notes=tuple(notes),
    )


def _hops(session: SessionInput, athlete: Athlete, params: LoadModelParameters) -> SessionLoad:
    from calfload.signal import HopAnalysis

    a = session.analysis
    if not isinstance(a, HopAnalysis):
        return _mismatch(session)
    notes: list[str] = []
    exercise, assumed = exercise_named(session.exercise, "hops")
    if assumed:
        notes.append(f"exercise not given; assumed {exercise.label}")
    cycles = float(a.hops)
    force_bw = hop_force_bw(exercise, params=params.force)
    contact_s = [c.contact_ms / 1000.0 for c in a.contacts if c.contact_ms is not None]
    impulse = force_bw * sum(contact_s) * params.damage.contact_shape_factor if contact_s else None
    f_easy = easy_run_force_bw(athlete, params)
    legs = _legs_of(session.side) if exercise.stance == "single_leg" else BOTH_LEGS
    return _base(
        session,
        exercise=exercise.name,
        exercise_assumed=assumed,
        legs=legs,
        cycles=cycles,
        force_bw=force_bw,
        load_au=cycles * damage_weight(force_bw, f_easy, params.damage.exponent),
        impulse_bw_s=impulse,
        duration_s=a.duration_s,
        notes=tuple(notes),
    )


def _mismatch(session: SessionInput) -> SessionLoad:
    """A session whose analysis is of another kind than its activity: zero load, said in the notes."""
    kind = type(session.analysis).__name__
    logger.warning("session %s: a %s analysis for activity %s", session.session_id, kind, session.activity)
    return _base(
        session,
        legs=BOTH_LEGS,
        cycles=0.0,
        force_bw=0.0,
        load_au=0.0,
        notes=(f"the {session.activity} session holds a {kind}; counted as zero load",),
    )


#: Activity -> load model. Extend with :func:`register_activity_model`.
ACTIVITY_MODELS: Final[dict[str, ActivityModel]] = {
    "run": _run_or_walk,
    "walk": _run_or_walk,
    "calf_raise": _calf_raise,
    "hops": _hops,
}


# ---------------------------------------------------------------------------------------- helpers


def _base(
    session: SessionInput,
    *,
    legs: tuple[str, ...],
    cycles: float,
    force_bw: float,
    load_au: float,
    exercise: str | None = None,
    exercise_assumed: bool = False,
    **extra: Any,
) -> SessionLoad:
    return SessionLoad(
        session_id=session.session_id,
        local_date=session.local_date,
        start_utc=session.start_utc,
        activity=session.activity,
        exercise=exercise,
        exercise_assumed=exercise_assumed,
        legs=legs,
        cycles_per_leg=cycles,
        peak_force_bw=force_bw,
        load_au=load_au,
        **extra,
    )


def _legs_of(side: str) -> tuple[str, ...]:
    """Single-leg work loads the sensor's leg; an unknown side counts for both (conservative)."""
    return (side,) if side in BOTH_LEGS else BOTH_LEGS


def _strength_dose(
    *, exercise: Exercise, analysis: CalfRaiseAnalysis, added_kg: float, params: LoadModelParameters
) -> StrengthDose | None:
    if analysis.rep_count <= 0:
        return None
    prog = params.programme
    sets = analysis.sets
    regular = [s for s in sets if not is_endurance_set(s)]
    endurance = [s for s in sets if is_endurance_set(s)]
    # Regular sets give the sets x reps dose; endurance sets (many continuous reps, fast by design)
    # are counted apart. A session of endurance sets only has no sets x reps dose (sets = 0).
    per_set: list[int] = []
    if regular or not sets:
        per_set = [s.rep_count for s in regular if s.rep_count > 0] or [analysis.rep_count]
    endurance_s = max((s.time_under_tension_s for s in endurance), default=0.0)
    endurance_index = {s.index for s in endurance}
    strength_reps = [r for r in analysis.reps if r.set not in endurance_index]
    conc = [r.concentric_s for r in strength_reps]
    hold = [r.top_hold_s for r in strength_reps]
    varied = bool(conc) and statistics.median(conc) >= prog.tempo_variation_concentric_s
    varied = varied or (bool(hold) and statistics.median(hold) >= prog.tempo_variation_hold_s)
    return StrengthDose(
        exercise=exercise,
        sets=len(per_set),
        reps_per_set=round(statistics.median(per_set)) if per_set else 0,
        added_load_kg=added_kg,
        endurance_set_s=endurance_s,
        tempo_varied=varied,
    )


def is_endurance_set(calf_set: CalfSet) -> bool:
    """Whether a set of the analysis is an endurance set (continuous raises, fast by design).

    The calf-raise analysis decides (``CalfRaiseParams.endurance_min_s``); the load model follows it.
    """
    return calf_set.endurance


def run_speed_mps(analysis: SessionAnalysis) -> float | None:
    """Return a run's speed from its analysis: the measured speed, else distance / duration (None for others).

    A recording with walking and running bouts gives the speed of its running bouts (their
    distance over their time), so a walk warm-up does not slow the run down.
    """
    from calfload.signal import GaitAnalysis

    if not isinstance(analysis, GaitAnalysis):
        return None
    running = _running_bouts(analysis)
    if running:
        with_distance = [b for b in running if b.distance_m is not None and b.duration_s > 0]
        time_s = sum(b.duration_s for b in with_distance)
        if time_s > 0:
            return sum(b.distance_m or 0.0 for b in with_distance) / time_s
    if analysis.speed_mps is not None and math.isfinite(analysis.speed_mps) and analysis.speed_mps > 0:
        return analysis.speed_mps
    if analysis.distance_m and analysis.duration_s > 0:
        return analysis.distance_m / analysis.duration_s
    return None


def run_cadence_spm(analysis: SessionAnalysis) -> float | None:
    """Return a run's cadence from its analysis (median, else mean; None for others).

    A recording with walking and running bouts gives the step-weighted cadence of its running bouts.
    """
    from calfload.signal import GaitAnalysis

    if not isinstance(analysis, GaitAnalysis):
        return None
    running = [b for b in _running_bouts(analysis) if b.steps and b.cadence_median_spm is not None]
    if running:
        return sum((b.steps or 0) * (b.cadence_median_spm or 0.0) for b in running) / sum(b.steps or 0 for b in running)
    return analysis.cadence_median_spm or analysis.cadence_mean_spm


def _running_bouts(analysis: GaitAnalysis) -> list[Bout]:
    """The running bouts of a recording that also has walking bouts (else none: the whole file is one gait)."""
    if not any(b.activity == "walk" and b.steps for b in analysis.segments):
        return []
    return [b for b in analysis.segments if b.activity == "run" and b.steps]


__all__ = [
    "ACTIVITY_MODELS",
    "HEAVY_ACTIVITIES",
    "LOAD_MODEL_REVISION",
    "ActivityModel",
    "Athlete",
    "SessionInput",
    "SessionLoad",
    "StrengthDose",
    "easy_run_force_bw",
    "is_endurance_set",
    "register_activity_model",
    "run_cadence_spm",
    "run_speed_mps",
    "session_load",
]
