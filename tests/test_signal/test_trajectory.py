"""Stride length and speed from a foot IMU (zero-velocity updates) against the running simulator's truth.

The simulator moves the forefoot one stride length (``speed × stride time``) per stride and holds
it still from foot flat to toe-off (:mod:`calfload.sim._running`), so every stride's length and
the speed are known exactly; the sensor is mounted in a random orientation with noise, bias,
scale errors and timestamp jitter. The real-data figures are in ``test_trajectory_real.py``.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from calfload.loadmodel._cadence import CadenceAlertParams, run_windows
from calfload.loadmodel._session import run_speed_mps
from calfload.signal import GaitAnalysis, analyze_gait
from calfload.signal._record import record_json, result_from_json
from calfload.signal._stride_summary import stride_speed_distance, summarise_strides
from calfload.signal._trajectory import StrideParams, _block_rows
from calfload.signal._trajectory_types import Stride
from calfload.sim._kinematics import SensorModel
from calfload.sim._running import RunSpec, random_run_spec, simulate_run


def _truth(run_spec: RunSpec, ics: np.ndarray) -> tuple[float, float]:
    """True median stride length and distance of one foot."""
    period = float(np.median(np.diff(ics)))
    return run_spec.speed_mps * period, run_spec.speed_mps * (float(ics[-1] - ics[0]) + period)


@pytest.mark.parametrize(("seed", "rate_hz"), [(11, 50.0), (3, 100.0), (1, 200.0), (4, 400.0)])
def test_running_speed_and_stride_length_in_any_mounting_at_50_to_400_hz(seed: int, rate_hz: float) -> None:
    rng = np.random.default_rng(seed)
    spec = random_run_spec(seed, duration_s=20.0, sensor=SensorModel.random(rng, rate_hz))
    run = simulate_run(spec)
    result = analyze_gait(run.recordings[0], activity="run")
    length, distance = _truth(spec, run.truth.feet[0].initial_contact_s)
    assert result.speed_source == "imu_zupt"
    assert result.speed_mps == pytest.approx(spec.speed_mps, abs=0.1)
    assert result.stride_length_m == pytest.approx(length, rel=0.05)
    assert result.distance_m == pytest.approx(distance, rel=0.05)
    # The load model takes the measured speed instead of the athlete's easy speed.
    assert run_speed_mps(result) == result.speed_mps


@pytest.mark.parametrize(
    ("fs_hz", "rows"), [(50.0, 1), (100.0, 1), (140.0, 1), (199.997, 2), (200.003, 2), (204.8, 2), (399.99, 4)]
)
def test_strides_are_integrated_near_100_hz_whatever_the_clock_drift(fs_hz: float, rows: int) -> None:
    # A 200 Hz sensor whose clock runs 15 ppm slow was integrated at 200 Hz (the whole part of
    # 1.99997), one 15 ppm fast at 100 Hz: twice the work and a different still moment per stride.
    assert _block_rows(fs_hz, StrideParams()) == rows


def test_walking_both_feet_give_one_distance() -> None:
    spec = RunSpec(
        duration_s=20.0,
        gait="walk",
        cadence_spm=110.0,
        speed_mps=1.3,
        feet=("left", "right"),
        sensor=SensorModel(sample_rate_hz=100.0, acc_noise_mps2=0.05, gyr_noise_dps=0.3),
        seed=5,
    )
    run = simulate_run(spec)
    result = analyze_gait(run.recordings, activity="walk")
    length, distance = _truth(spec, run.truth.feet[0].initial_contact_s)
    assert result.speed_mps == pytest.approx(1.3, abs=0.1)
    assert result.stride_length_m == pytest.approx(length, rel=0.05)
    # Each foot covers the whole distance: both feet together must not double it.
    assert result.distance_m == pytest.approx(distance, rel=0.05)
    sides = {s.side for s in result.stride_rows}
    assert sides == {"left", "right"}
    doc = result.to_dict()
    assert doc["speed_source"] == "imu_zupt"
    assert doc["stride_lengths"]["strides"] + doc["stride_lengths"]["left_out"] == len(result.stride_rows)


def test_a_sensor_that_is_never_still_gives_no_speed() -> None:
    """Mid-stance must be still: a constant spin (a sensor on a spinning wheel) gives no stride figures."""
    spec = RunSpec(duration_s=12.0, sensor=SensorModel(sample_rate_hz=100.0, gyr_bias_dps=(90.0, 0.0, 0.0)), seed=2)
    run = simulate_run(spec)
    result = analyze_gait(run.recordings[0], activity="run")
    assert result.speed_mps is None
    assert result.stride_lengths is None
    assert all(not s.valid for s in result.stride_rows)


def test_left_out_strides_count_at_the_median_of_their_neighbours() -> None:
    strides = [Stride("left", float(i), float(i + 1), 1.0, 1.5, 1.5, 0.0, True) for i in range(6)]
    strides[2] = dataclasses.replace(strides[2], length_m=9.0, valid=False)
    summary = summarise_strides(strides)
    assert summary is not None
    assert summary.distance_m == pytest.approx(6 * 1.5)
    assert summary.speed_mps == pytest.approx(1.5)
    assert (summary.strides, summary.left_out) == (5, 1)
    assert summarise_strides(strides[:1]) is None


def test_one_valid_stride_on_each_foot_gives_no_stride_figures() -> None:
    """Two valid strides, but no foot with two: no distance can be summed, so no figures (was NaN and a warning)."""
    left = [Stride("left", 0.0, 1.0, 1.0, 1.4, 1.4, 0.0, True), Stride("left", 1.0, 2.0, 1.0, 9.0, 9.0, 0.0, False)]
    right = [Stride("right", 0.5, 1.5, 1.0, 1.4, 1.4, 0.0, True), Stride("right", 1.5, 2.5, 1.0, 9.0, 9.0, 0.0, False)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert summarise_strides([*left, *right]) is None
        assert stride_speed_distance([*left, *right]) is None
    # With a second valid stride on one foot, that foot's figures stand.
    both = summarise_strides([*left, *right, Stride("right", 2.5, 3.5, 1.0, 1.4, 1.4, 0.0, True)])
    assert both is not None
    assert both.distance_m == pytest.approx(3 * 1.4)


def test_cadence_alerts_read_the_foot_imus_speed_per_window() -> None:
    """Each 10 s cadence window gets the speed of its strides, also after the journal's JSON round trip."""
    spec = random_run_spec(3, duration_s=40.0, sensor=SensorModel(sample_rate_hz=100.0))
    result = analyze_gait(simulate_run(spec).recordings[0], activity="run")
    stored = result_from_json(record_json(result))
    assert isinstance(stored, GaitAnalysis)
    assert stored.stride_lengths is not None
    assert result.stride_lengths is not None
    assert len(stored.stride_lengths.speed_series) == len(result.stride_lengths.speed_series) >= 3
    for run in (result, stored):
        t, cadence, speed = run_windows(run, CadenceAlertParams())
        assert t.size == cadence.size >= 3
        assert np.all(np.abs(speed - spec.speed_mps) <= 0.15)
    # Without the foot IMU's strides the windows carry no speed, as before.
    bare = dataclasses.replace(result, stride_lengths=None)
    assert np.isnan(run_windows(bare, CadenceAlertParams())[2]).all()
