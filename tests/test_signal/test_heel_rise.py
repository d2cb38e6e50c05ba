"""Heel-rise endurance test against simulator truth: reps exact, height within 0.5 cm, work and symmetry.

Truth comes from :mod:`calfload.sim._heel_rise` (rigid foot pivoting about the ball; the heel
rises ``L sin θ``; a shank sensor's truth is its own vertical displacement).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from calfload.errors import AnalysisError, DataError, SignalQualityWarning
from calfload.signal import HeelRiseResult, analyze_heel_rise_test, limb_symmetry_index
from calfload.sim import (
    CalfSessionSpec,
    HeelRiseTestSpec,
    RaiseSet,
    RaiseSpec,
    Rest,
    SimulatedHeelRise,
    random_heel_rise_test,
    simulate_calf_session,
    simulate_heel_rise_test,
)
from calfload.units import STANDARD_GRAVITY_MPS2 as G


def simulate(spec: HeelRiseTestSpec) -> SimulatedHeelRise:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignalQualityWarning)
        return simulate_heel_rise_test(spec)


def analyse(sim: SimulatedHeelRise) -> HeelRiseResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignalQualityWarning)
        return analyze_heel_rise_test(
            sim.recording, foot_length_cm=sim.spec.foot_length_cm, body_mass_kg=sim.spec.body_mass_kg
        )


def test_foot_sensor_reps_exact_and_height_within_half_a_centimetre() -> None:
    # 30 tests: 8-35 reps to fatigue, tempo around 30/min, foot 14-20 cm, 50-416 Hz, any mounting.
    exact, errors, work_rel = 0, [], []
    for seed in range(30):
        sim = simulate(random_heel_rise_test(np.random.default_rng(seed), placement="foot"))
        res = analyse(sim)
        exact += res.reps == sim.truth.reps
        errors += [a - b for a, b in zip(res.counted_heights_cm, sim.truth.heights_cm, strict=False)]
        assert res.work_j is not None
        work_rel.append(res.work_j / sim.truth.work_j - 1)
    assert exact == 30
    assert float(np.mean(np.abs(errors))) <= 0.5
    assert float(np.max(np.abs(work_rel))) < 0.05


def test_shank_sensor_counts_reps_and_measures_its_rise() -> None:
    # Double integration between still points: rougher than the foot's geometry (see docs).
    exact, errors = 0, []
    for seed in range(100, 115):
        sim = simulate(random_heel_rise_test(np.random.default_rng(seed), placement="shank"))
        res = analyse(sim)
        exact += res.reps == sim.truth.reps
        errors += [a - b for a, b in zip(res.counted_heights_cm, sim.truth.heights_cm, strict=False)]
    assert exact >= 13
    assert float(np.mean(np.abs(errors))) <= 0.6


def test_work_is_mass_times_g_times_summed_height() -> None:
    sim = simulate(random_heel_rise_test(np.random.default_rng(3), placement="foot", sample_rate_hz=100.0))
    res = analyse(sim)
    assert res.work_j == pytest.approx(sim.spec.body_mass_kg * G * sum(res.counted_heights_cm) / 100)
    assert res.reps < len(res.heights_cm) or res.ended_by == "athlete"


def test_the_test_ends_at_the_first_rise_below_half_the_first_ones() -> None:
    excursions = (30.0, 30.0, 30.0, 28.0, 25.0, 20.0, 14.0, 12.0, 10.0)
    sim = simulate(HeelRiseTestSpec(excursions_deg=excursions, foot_length_cm=18.0))
    res = analyse(sim)
    # sin(14°) / sin(30°) = 0.48: the seventh rise is the first below half.
    assert res.reps == sim.truth.reps == 6
    assert res.ended_by == "height"
    assert res.heights_cm[0] == pytest.approx(18.0 * np.sin(np.radians(30.0)), abs=0.3)


def test_symmetry_index_is_affected_over_unaffected() -> None:
    weak = analyse(simulate(random_heel_rise_test(np.random.default_rng(8), side="left", capacity_reps=12)))
    strong = analyse(simulate(random_heel_rise_test(np.random.default_rng(9), side="right", capacity_reps=25)))
    lsi = limb_symmetry_index(weak, strong)
    assert lsi.affected_side == "left"
    assert lsi.reps_pct == pytest.approx(100 * weak.reps / strong.reps)
    assert lsi.height_pct == pytest.approx(100 * weak.mean_height_cm / strong.mean_height_cm)
    assert weak.work_j is not None
    assert strong.work_j is not None
    assert lsi.work_pct == pytest.approx(100 * weak.work_j / strong.work_j)


def test_bad_input_is_refused_in_one_line() -> None:
    sim = simulate(random_heel_rise_test(np.random.default_rng(4), placement="foot", sample_rate_hz=100.0))
    with pytest.raises(DataError, match="heel-to-ball length") as foot:
        analyze_heel_rise_test(sim.recording, foot_length_cm=0.0)
    with pytest.raises(DataError, match="both sides") as side:
        limb_symmetry_index(analyse(sim), None)
    standing = simulate(HeelRiseTestSpec(excursions_deg=(1.0,), foot_length_cm=17.0))
    with pytest.raises(AnalysisError) as none:
        analyze_heel_rise_test(standing.recording, foot_length_cm=17.0)
    for exc in (foot, side, none):
        assert "\n" not in str(exc.value)


def test_a_small_lift_before_the_first_rise_does_not_end_the_test() -> None:
    """Finding the balance with a small lift must not become the reference height (review finding)."""
    lift = RaiseSpec(excursion_deg=6.0, concentric_s=0.5, top_hold_s=0.0, eccentric_s=0.5, bottom_s=1.0, partial=True)
    full = RaiseSpec(excursion_deg=30.0, concentric_s=0.9, top_hold_s=0.1, eccentric_s=0.9, bottom_s=0.1)
    spec = CalfSessionSpec(blocks=(Rest(5.0), RaiseSet((lift, *[full] * 15)), Rest(5.0)), side="left")
    result = analyze_heel_rise_test(simulate_calf_session(spec).recording, foot_length_cm=17.0)
    assert result.reps == 15
    assert result.mean_height_cm == pytest.approx(17.0 * np.sin(np.radians(30.0)), abs=0.3)
    json.dumps(result.to_dict(), allow_nan=False)
