"""The running simulator: physics and truth are consistent."""

from __future__ import annotations

import numpy as np
import pytest

from calfload.sim import RunSpec, SensorModel, random_run_spec, simulate_run
from calfload.units import STANDARD_GRAVITY_MPS2


def test_run_has_flight_and_walk_has_double_support() -> None:
    run = simulate_run(RunSpec(seed=1, cadence_spm=175.0, duty_factor=0.33))
    walk = simulate_run(RunSpec(seed=1, gait="walk", cadence_spm=110.0, speed_mps=1.3))
    step_ms_run = 60_000.0 / run.truth.cadence_spm
    assert run.truth.contact_ms < step_ms_run  # each foot leaves the ground before the other lands
    assert run.truth.flight_ms > 50.0
    assert walk.truth.contact_ms > 60_000.0 / walk.truth.cadence_spm  # double support
    assert walk.truth.flight_ms == 0.0


def test_truth_counts_both_feet_and_orders_events() -> None:
    sim = simulate_run(RunSpec(seed=4, feet=("left", "right"), duration_s=30.0))
    left, right = sim.truth.feet
    assert sim.truth.steps == left.initial_contact_s.size + right.initial_contact_s.size
    for foot in (left, right):
        ic, tc = foot.initial_contact_s, foot.toe_off_s
        assert tc.size == ic.size - 1  # the last landing ends in standing
        assert np.all(tc > ic[: tc.size])
        assert np.all(tc < ic[1:])
    # The feet alternate.
    merged = np.sort(np.concatenate((left.initial_contact_s, right.initial_contact_s)))
    assert np.all(np.diff(merged) > 0.2)


@pytest.mark.parametrize("rate_hz", [50.0, 1000.0])
def test_recording_rate_units_and_stance(rate_hz: float) -> None:
    spec = RunSpec(seed=2, sensor=SensorModel(sample_rate_hz=rate_hz), duration_s=20.0)
    rec = simulate_run(spec).recordings[0]
    assert rec.meta.sample_rate_hz == rate_hz
    assert np.median(np.diff(rec.t_s)) == pytest.approx(1.0 / rate_hz, rel=1e-6)
    acc = np.linalg.norm(rec.acc_mps2(), axis=1)
    standing = rec.t_s < 1.5
    assert np.median(acc[standing]) == pytest.approx(STANDARD_GRAVITY_MPS2, abs=0.3)
    assert np.max(np.linalg.norm(rec.gyr_dps(), axis=1)) > 400.0  # a running foot's swing


def test_impact_transient_at_contact() -> None:
    spec = RunSpec(seed=3, sensor=SensorModel(sample_rate_hz=1000.0, acc_noise_mps2=0.0), impact_g=8.0)
    sim = simulate_run(spec)
    rec = sim.recordings[0]
    acc = np.linalg.norm(rec.acc_mps2(), axis=1)
    ic = sim.truth.feet[0].initial_contact_s[5]
    near = (rec.t_s > ic - 0.002) & (rec.t_s < ic + 0.03)
    assert acc[near].max() > 6.0 * STANDARD_GRAVITY_MPS2


def test_random_specs_cover_the_requested_ranges() -> None:
    specs = [random_run_spec(s) for s in range(40)]
    cadences = [s.cadence_spm for s in specs]
    assert min(cadences) >= 150.0
    assert max(cadences) <= 200.0
    assert {s.strike for s in specs} == {"rearfoot", "forefoot"}
    assert {s.sensor.sample_rate_hz for s in specs} >= {50.0, 1000.0}
