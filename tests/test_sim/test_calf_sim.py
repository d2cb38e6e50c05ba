"""The calf-raise simulator obeys its documented physics."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from calfload.sim import (
    CalfSessionSpec,
    RaiseSet,
    RaiseSpec,
    Rest,
    SensorModel,
    Walk,
    random_rotation,
    simulate_calf_session,
)
from calfload.sim._kinematics import ideal_imu, min_jerk, plateau_profile
from calfload.units import STANDARD_GRAVITY_MPS2

IDEAL = SensorModel(sample_rate_hz=200.0, acc_noise_mps2=0.0, gyr_noise_dps=0.0, bits=32)


def one_rep_spec(**changes: object) -> CalfSessionSpec:
    spec = CalfSessionSpec(
        blocks=(
            Rest(3.0),
            RaiseSet((RaiseSpec(excursion_deg=30.0, concentric_s=1.0, top_hold_s=1.0, eccentric_s=3.0),)),
            Rest(3.0),
        ),
        sensor=IDEAL,
        top_wobble_deg=0.0,
    )
    return dataclasses.replace(spec, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("plateau", [0.0, 0.3, 0.8])
def test_profiles_go_from_zero_to_one_with_matching_speed(plateau: float) -> None:
    s = np.linspace(0, 1, 20001)
    pos, vel = plateau_profile(s, plateau)
    assert pos[0] == pytest.approx(0.0)
    assert pos[-1] == pytest.approx(1.0)
    np.testing.assert_allclose(np.gradient(pos, s), vel, atol=2e-3)
    mj_pos, mj_vel = min_jerk(s)
    assert mj_vel.max() == pytest.approx(1.875, rel=1e-3)
    np.testing.assert_allclose(np.gradient(mj_pos, s), mj_vel, atol=1e-3)


def test_at_rest_the_accelerometer_reads_gravity_and_the_gyro_zero() -> None:
    rec = simulate_calf_session(
        one_rep_spec(mount=tuple(map(tuple, random_rotation(np.random.default_rng(1)))))
    ).recording
    still = rec.t_s < 2.5
    np.testing.assert_allclose(np.linalg.norm(rec.acc_mps2()[still], axis=1), STANDARD_GRAVITY_MPS2, atol=1e-3)
    np.testing.assert_allclose(rec.gyr_dps()[still], 0.0, atol=1e-6)


def test_the_gyro_integrates_to_the_excursion_about_one_axis() -> None:
    sim = simulate_calf_session(one_rep_spec())
    rec = sim.recording
    gyr = rec.gyr_dps()
    # Foot frame = sensor frame here: the raise is about +y only, heel up positive.
    assert np.abs(gyr[:, [0, 2]]).max() < 1e-6
    pitch = np.cumsum(gyr[:, 1]) / 200.0
    assert pitch.max() == pytest.approx(30.0, abs=0.3)
    assert pitch[-1] == pytest.approx(0.0, abs=0.3)


def test_lever_arm_gives_the_centripetal_and_tangential_acceleration() -> None:
    """At the top-speed instant of the rise, |a| = ω² r exactly (tangential part is zero there)."""
    n = 4001
    t = np.arange(n) / 2000.0
    s = t / 2.0
    pos, vel = min_jerk(s)
    pitch = np.radians(30.0) * pos
    rate = np.radians(30.0) * vel / 2.0
    lever = np.array([-0.15, 0.0, 0.0])
    acc, _ = ideal_imu(t, pitch, rate, np.zeros(n), np.zeros(n), np.zeros((n, 3)), lever, np.eye(3))
    k = n // 2  # s = 0.5: peak speed, zero angular acceleration
    gravity = np.array([np.sin(pitch[k]), 0.0, np.cos(pitch[k])]) * STANDARD_GRAVITY_MPS2 * np.array([-1, 0, 1])
    free = acc[k] - gravity
    assert np.linalg.norm(free) == pytest.approx(rate[k] ** 2 * 0.15, rel=0.02)


def test_truth_uses_the_ten_percent_rule_on_the_true_rate() -> None:
    truth = simulate_calf_session(one_rep_spec()).truth
    (rep,) = truth.reps
    # A raised-cosine ramp of length L reaches 10 % of the peak speed at L·acos(0.8)/π.
    # Eccentric (plateau 0.5 over 3 s): ramps of 0.75 s. Concentric (plateau 0 over 1 s): 0.5 s.
    ecc_edge = 0.75 * np.arccos(0.8) / np.pi
    con_edge = 0.5 * np.arccos(0.8) / np.pi
    assert rep.eccentric_s == pytest.approx(3.0 - 2 * ecc_edge, abs=2e-3)
    assert rep.concentric_s == pytest.approx(1.0 - 2 * con_edge, abs=2e-3)
    assert rep.top_hold_s == pytest.approx(1.0 + con_edge + ecc_edge, abs=2e-3)


def test_truth_sets_follow_the_ten_second_rule_and_walking() -> None:
    rep = RaiseSpec(eccentric_s=2.0, bottom_s=0.5)
    spec = CalfSessionSpec(
        blocks=(
            Rest(3),
            RaiseSet((rep,) * 3),
            Rest(6),
            RaiseSet((rep,) * 3),
            Rest(12),
            RaiseSet((rep,) * 2),
            Rest(2),
            Walk(4),
            Rest(2),
            RaiseSet((rep,) * 2),
            Rest(3),
        ),
        sensor=IDEAL,
    )
    truth = simulate_calf_session(spec).truth
    assert truth.set_counts() == [6, 2, 2]
    assert [r.bottom_s is None for r in truth.reps].count(True) == 3


def test_sensor_model_quantises_clips_and_drops() -> None:
    rng = np.random.default_rng(0)
    model = SensorModel(sample_rate_hz=100.0, gyr_range_dps=250.0, bits=8, drops_per_min=30.0, drop_burst_s=0.2)
    t = model.sample_times(60.0, rng)
    assert np.all(np.diff(t) > 0)
    assert t.size < 6000
    big = np.full((t.size, 3), 1000.0)
    _, gyr = model.measure(t, np.zeros_like(big), big, rng)
    lsb = 250.0 / 128
    assert gyr.max() <= 250.0
    np.testing.assert_allclose(gyr / lsb, np.round(gyr / lsb), atol=1e-9)
