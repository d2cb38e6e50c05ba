"""Peak Achilles-tendon force per loading cycle, by activity and exercise (body weights).

All values share one moment-arm convention (5 cm), so they are a relative index: comparing two
sessions is meaningful, an absolute newton value is not (``reference/loadmodel.md`` section 1.1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from calfload._logger import package_logger
from calfload.loadmodel._params import DEFAULT_PARAMETERS, ForceParameters

logger = package_logger(__name__)

_DEFAULT_FORCE: Final = DEFAULT_PARAMETERS.force

Stance = Literal["seated", "bilateral", "single_leg"]


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise of the programme.

    Parameters
    ----------
    name
        The name stored in a recording's ``exercise`` metadata.
    activity
        The analysis activity it belongs to (``calf_raise`` or ``hops``).
    stance
        Seated, bilateral (both legs share the load) or single-leg.
    tier
        Position on the programme's ladder within its activity (0 = easiest).
    label
        How the next steps name it.
    """

    name: str
    activity: str
    stance: Stance
    tier: int
    label: str


#: The exercises calfload knows, in programme order within each activity. Knee-bent and eccentric-only
#: variants share the peak force of their standing version (Weinert-Aplin 2015; Chaudhry 2015).
EXERCISES: Final = MappingProxyType(
    {
        e.name: e
        for e in (
            Exercise("seated", "calf_raise", "seated", 0, "seated calf raises"),
            Exercise("bilateral_standing", "calf_raise", "bilateral", 1, "two-leg calf raises"),
            Exercise("bilateral_up_single_down", "calf_raise", "single_leg", 2, "two-up one-down raises"),
            Exercise("single_leg_standing", "calf_raise", "single_leg", 3, "single-leg raises"),
            Exercise("single_leg_bent_knee", "calf_raise", "single_leg", 3, "bent-knee single-leg raises"),
            Exercise("single_leg_eccentric", "calf_raise", "single_leg", 3, "single-leg heel drops"),
            Exercise("ankle_hops", "hops", "bilateral", 0, "ankle hops"),
            Exercise("pogo_jumps", "hops", "bilateral", 1, "pogo jumps"),
            Exercise("bounds", "hops", "bilateral", 2, "bounds"),
            Exercise("single_leg_hops", "hops", "single_leg", 3, "single-leg hops"),
        )
    }
)

#: The exercise assumed when a recording does not say (the programme's main exercise).
DEFAULT_EXERCISE: Final = MappingProxyType({"calf_raise": "single_leg_standing", "hops": "ankle_hops"})


def exercise_named(name: str | None, activity: str) -> tuple[Exercise, bool]:
    """Look up an exercise, falling back to the activity's default.

    Returns
    -------
    tuple of (Exercise, bool)
        The exercise and whether it was assumed (``name`` missing or unknown for ``activity``).
    """
    if name is not None and name in EXERCISES and EXERCISES[name].activity == activity:
        return EXERCISES[name], False
    return EXERCISES[DEFAULT_EXERCISE[activity]], True


def run_force_bw(
    speed_mps: float,
    *,
    cadence_spm: float | None = None,
    habitual_cadence_spm: float | None = None,
    params: ForceParameters = _DEFAULT_FORCE,
) -> float:
    """Peak Achilles force of one running step.

    ``F = F_ref [1 + s (v - v_ref)] (c / c0) ** -a``, with ``v`` clamped to the supported range.

    Parameters
    ----------
    speed_mps
        Running speed (grade-adjusted when known).
    cadence_spm
        The run's cadence; with ``habitual_cadence_spm`` it scales the peak.
    habitual_cadence_spm
        The athlete's usual cadence.
    params
        Force constants.

    Returns
    -------
    float
        Peak force in body weights.

    References
    ----------
    .. [1] Reiter et al. (2024) Med Sci Sports Exerc 56:1077 (speed slope).
    .. [2] Lyght et al. (2016) J Appl Biomech 32:365 (cadence direction).

    Examples
    --------
    >>> round(run_force_bw(3.3), 2)
    6.0
    >>> round(run_force_bw(4.47) / run_force_bw(2.68), 2)
    1.23
    """
    v = min(max(speed_mps, params.run_speed_min_mps), params.run_speed_max_mps)
    force_bw = params.run_force_at_ref_bw * (1.0 + params.run_speed_slope_per_mps * (v - params.run_ref_speed_mps))
    if cadence_spm and habitual_cadence_spm and cadence_spm > 0 and habitual_cadence_spm > 0:
        force_bw *= (cadence_spm / habitual_cadence_spm) ** (-params.cadence_exponent)
    return force_bw


def heel_raise_force_bw(
    exercise: Exercise,
    *,
    body_mass_kg: float,
    added_load_kg: float = 0.0,
    params: ForceParameters = _DEFAULT_FORCE,
) -> float:
    """Peak Achilles force of one calf raise on the working leg.

    Quasi-static lever: ``F = r (m + m_add) / m`` body weights for a single-leg raise, half of it per
    leg for a bilateral one; seated raises start from 0.5 BW and add the lever on the added load.

    Parameters
    ----------
    exercise
        A ``calf_raise`` exercise.
    body_mass_kg
        The athlete's body mass.
    added_load_kg
        Weight carried (for seated raises: on the knees, shared by both legs).
    params
        Force constants.

    Returns
    -------
    float
        Peak force in body weights.

    Examples
    --------
    >>> ex = EXERCISES
    >>> heel_raise_force_bw(ex["single_leg_standing"], body_mass_kg=70)
    2.5
    >>> heel_raise_force_bw(ex["bilateral_standing"], body_mass_kg=70)
    1.25
    >>> heel_raise_force_bw(ex["seated"], body_mass_kg=70)
    0.5
    """
    if not body_mass_kg > 0:
        raise ValueError(f"body_mass_kg must be positive, got {body_mass_kg}")
    lever = params.heel_raise_lever_ratio
    if exercise.stance == "seated":
        return params.seated_raise_force_bw + lever * (added_load_kg / 2.0) / body_mass_kg
    share = 1.0 if exercise.stance == "single_leg" else 0.5
    return share * lever * (body_mass_kg + added_load_kg) / body_mass_kg


def hop_force_bw(exercise: Exercise, *, params: ForceParameters = _DEFAULT_FORCE) -> float:
    """Peak Achilles force of one hop contact (6.0 BW on two legs, 7.3 BW on one).

    Examples
    --------
    >>> hop_force_bw(EXERCISES["single_leg_hops"])
    7.3
    """
    return params.hop_single_leg_force_bw if exercise.stance == "single_leg" else params.hop_bilateral_force_bw


def damage_weight(force_bw: float, easy_run_force_bw: float, exponent: float) -> float:
    """Weight of one loading cycle in easy-run-equivalent cycles, ``(F / F_easy) ** k``.

    Examples
    --------
    >>> damage_weight(5.8, 5.8, 4.0)
    1.0
    >>> round(damage_weight(2.5, 5.0, 4.0), 4)
    0.0625
    """
    if not easy_run_force_bw > 0 or not math.isfinite(force_bw):
        raise ValueError("forces must be finite and the easy-run force positive")
    return float((force_bw / easy_run_force_bw) ** exponent)


__all__ = [
    "DEFAULT_EXERCISE",
    "EXERCISES",
    "Exercise",
    "damage_weight",
    "exercise_named",
    "heel_raise_force_bw",
    "hop_force_bw",
    "run_force_bw",
]
