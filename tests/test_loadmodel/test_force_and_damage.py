"""Peak force by activity and the damage-weighted load: reproductions of reference section 6.3."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest

from calfload.loadmodel import (
    EXERCISES,
    PRESETS,
    Athlete,
    DamageParameters,
    ForceParameters,
    LoadModelParameters,
    easy_run_force_bw,
    heel_raise_force_bw,
    hop_force_bw,
    run_force_bw,
)

MONDAY = dt.date(2024, 5, 6)  # the calm histories of conftest.py start on this Monday

MOMENT_ARM_DEFAULT_CM = 5.0
MOMENT_ARM_TENSIOMETRY_CM = 3.8


def test_speed_curve_reproduces_reiter_ratio():
    """6.3.1: F_run(4.47) / F_run(2.68) equals Reiter 2024's 10.1 / 8.2 = 1.23."""
    ratio = run_force_bw(4.47) / run_force_bw(2.68)
    assert ratio == pytest.approx(10.1 / 8.2, abs=0.01)


@pytest.mark.parametrize(("speed_mps", "reiter_bw"), [(2.68, 8.2), (4.47, 10.1)])
def test_speed_curve_matches_reiter_after_moment_arm_rescaling(speed_mps, reiter_bw):
    """6.3.1: rescaled from a 5 cm to a 3.8 cm moment arm, the absolute values come within 15 %."""
    rescaled = run_force_bw(speed_mps) * MOMENT_ARM_DEFAULT_CM / MOMENT_ARM_TENSIOMETRY_CM
    assert rescaled == pytest.approx(reiter_bw, rel=0.15)


def test_speed_is_clamped_to_the_supported_range():
    assert run_force_bw(1.0) == run_force_bw(2.0)
    assert run_force_bw(9.0) == run_force_bw(6.0)


def test_higher_cadence_lowers_the_peak():
    """Lyght 2016: +5 % step frequency lowered peak tendon stress (direction only)."""
    assert run_force_bw(3.3, cadence_spm=178.5, habitual_cadence_spm=170) < run_force_bw(3.3)
    assert run_force_bw(3.3, cadence_spm=170, habitual_cadence_spm=170) == pytest.approx(6.0)


def test_exercise_ordering_matches_baxter_revak_sancho():
    """6.3.2: seated (0.5) < bilateral < single-leg <= walking < running < hops <= 7.3 BW."""
    mass = 70.0
    seated = heel_raise_force_bw(EXERCISES["seated"], body_mass_kg=mass)
    bilateral = heel_raise_force_bw(EXERCISES["bilateral_standing"], body_mass_kg=mass)
    single = heel_raise_force_bw(EXERCISES["single_leg_standing"], body_mass_kg=mass)
    walking = ForceParameters().walk_force_bw
    running = run_force_bw(3.0)
    hops = hop_force_bw(EXERCISES["ankle_hops"])
    single_hops = hop_force_bw(EXERCISES["single_leg_hops"])
    assert seated == pytest.approx(0.5)
    assert seated < bilateral < single <= walking < running <= hops < single_hops <= 7.3
    # Heel raises fall in Sancho 2023's 1.10-2.76 BW cluster.
    assert 1.10 <= bilateral < single <= 2.76


def test_added_load_scales_the_lever():
    single = EXERCISES["single_leg_standing"]
    assert heel_raise_force_bw(single, body_mass_kg=70, added_load_kg=7) == pytest.approx(2.5 * 77 / 70)
    # Knee bent and eccentric-only share the standing peak (Weinert-Aplin 2015; Chaudhry 2015).
    for name in ("single_leg_bent_knee", "single_leg_eccentric"):
        assert heel_raise_force_bw(EXERCISES[name], body_mass_kg=70) == heel_raise_force_bw(single, body_mass_kg=70)
    with pytest.raises(ValueError, match="body_mass_kg"):
        heel_raise_force_bw(single, body_mass_kg=0)


def _per_km_damage(speed_mps: float, cadence_spm: float, params: LoadModelParameters) -> float:
    steps_per_km = cadence_spm / (speed_mps * 60.0) * 1000.0
    f_easy = easy_run_force_bw(Athlete(), params)
    force = run_force_bw(speed_mps, cadence_spm=cadence_spm, habitual_cadence_spm=170.0, params=params.force)
    return float(steps_per_km / 2.0 * (force / f_easy) ** params.damage.exponent)


@pytest.mark.parametrize(("k", "expected"), [(1.0, 0.83), (2.0, 1.02), (4.0, 1.54)])
def test_per_km_load_of_faster_running_reproduces_the_reference(k, expected):
    """6.3.3 (Firminger 2020): 160 -> 180 spm at 2.68 -> 4.47 m/s, per-km load 0.83x, 1.02x, 1.54x."""
    params = LoadModelParameters(force=ForceParameters(cadence_exponent=0.0), damage=DamageParameters(exponent=k))
    slow = _per_km_damage(2.68, 160.0, params)
    fast = _per_km_damage(4.47, 180.0, params)
    assert fast / slow == pytest.approx(expected, abs=0.015)


@pytest.mark.parametrize("cadence_exponent", [0.0, 0.5])
def test_per_km_sign_flip_between_k1_and_k3(cadence_exponent):
    """6.3.3: per km, faster running is less load with k = 1 and more damage with k >= 3."""
    force = ForceParameters(cadence_exponent=cadence_exponent)
    ratios = {}
    for k in (1.0, 3.0, 4.0, 6.0):
        params = LoadModelParameters(force=force, damage=DamageParameters(exponent=k))
        ratios[k] = _per_km_damage(4.47, 180.0, params) / _per_km_damage(2.68, 160.0, params)
    assert ratios[1.0] < 1.0
    assert all(ratios[k] > 1.0 for k in (3.0, 4.0, 6.0))


def test_session_damage_reproduces_the_reference_illustration(run_analysis, calf_analysis, load):
    """Section 2: 10 km easy at 170 spm ~ 4,700 cycles; 90 single-leg reps ~ 3; 50 single-leg hops ~ 125."""
    run = load(MONDAY, run_analysis(distance_m=10_000, speed_mps=3.0, cadence_spm=170))
    assert run.cycles_per_leg == pytest.approx(4722, rel=0.01)
    assert run.load_au == pytest.approx(run.cycles_per_leg)  # an easy run is the unit
    alfredson = load(MONDAY, calf_analysis(sets=6, reps=15))
    assert alfredson.load_au == pytest.approx(3.0, abs=0.3)
    hops = load(MONDAY, {"activity": "hops", "hops": 50}, exercise="single_leg_hops")
    assert hops.load_au == pytest.approx(125, rel=0.03)
    assert hops.peak_force_bw == 7.3


def test_default_exponent_lies_in_the_tendon_s_n_range():
    """6.3.8: Schechtman & Bader's S = 101.3 - 14.8 log10 N gives k = S ln10 / 14.8: 3.1 to 6.2 at 20-40 % UTS."""
    k_at = {s: s * math.log(10) / 14.8 for s in (20, 30, 40)}
    assert k_at[20] == pytest.approx(3.1, abs=0.05)
    assert k_at[40] == pytest.approx(6.2, abs=0.05)
    assert k_at[20] < PRESETS["achilles_default"].damage.exponent < k_at[40]


def test_parameters_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        PRESETS["achilles_default"].damage.exponent = 2.0  # type: ignore[misc]
