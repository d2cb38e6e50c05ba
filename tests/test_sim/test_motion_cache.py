"""Simulators keep a session's motion for the next session that differs only in its sensor: same bits as anew."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from calfload.sim import (
    CalfSessionSpec,
    HeelRiseTestSpec,
    HopSeries,
    HopSessionSpec,
    HopSpec,
    RaiseSet,
    RaiseSpec,
    Rest,
    SensorModel,
    Walk,
    simulate_calf_session,
    simulate_heel_rise_test,
    simulate_hop_session,
)
from calfload.sim import _motion_cache as cache

NOISY = {"gyr_noise_dps": 0.8, "acc_noise_mps2": 0.1, "timestamp_jitter_s": 0.003, "drops_per_min": 6.0}


def calf(**sensor: object) -> CalfSessionSpec:
    reps = RaiseSet(tuple(RaiseSpec(eccentric_s=2.0) for _ in range(3)))
    blocks = (Rest(3.0, heel_shifts=1), reps, Walk(strides=4), reps, Rest(2.0))
    return CalfSessionSpec(blocks=blocks, sensor=SensorModel(sample_rate_hz=104.0, **sensor), seed=5)  # type: ignore[arg-type]


def hops(**sensor: object) -> HopSessionSpec:
    series = HopSeries(hops=tuple(HopSpec(flight_s=0.3, contact_s=0.18) for _ in range(5)))
    return HopSessionSpec(blocks=(Rest(2.0), series, Rest(2.0)), sensor=SensorModel(sample_rate_hz=200.0, **sensor))  # type: ignore[arg-type]


def heel_rise(**sensor: object) -> HeelRiseTestSpec:
    return HeelRiseTestSpec(excursions_deg=(30.0, 28.0, 20.0), sensor=SensorModel(sample_rate_hz=52.0, **sensor))  # type: ignore[arg-type]


CASES = [(calf, simulate_calf_session), (hops, simulate_hop_session), (heel_rise, simulate_heel_rise_test)]


def columns(sim: object) -> tuple[np.ndarray, ...]:
    rec = sim.recording  # type: ignore[attr-defined]
    return rec.t_s, rec.acc_mps2(), rec.gyr_dps()


@pytest.mark.parametrize(("make_spec", "simulate"), CASES, ids=["calf", "hops", "heel_rise"])
def test_a_kept_motion_gives_the_bits_of_a_new_one(make_spec: Callable[..., Any], simulate: Callable[..., Any]) -> None:
    """Each sensor's session from a kept motion equals the one simulated with nothing kept, truth included."""
    sensors = [{}, NOISY, {"bits": 12, "gyr_range_dps": 2000.0}]
    cache.forget_motions()
    warm = [simulate(make_spec(**s)) for s in sensors]  # the first makes the motion, the others reuse it
    assert len(cache._kept) == 1
    for sensor, kept in zip(sensors, warm, strict=True):
        cache.forget_motions()
        fresh = simulate(make_spec(**sensor))
        for a, b in zip(columns(kept), columns(fresh), strict=True):
            np.testing.assert_array_equal(a, b)
        assert kept.truth == fresh.truth
    assert not np.array_equal(columns(warm[0])[2][:50], columns(warm[1])[2][:50])  # the sensors did differ


def test_kept_arrays_are_read_only_and_other_physics_is_made_anew() -> None:
    cache.forget_motions()
    first = simulate_calf_session(calf())
    simulate_calf_session(dataclasses.replace(calf(), seed=6))
    simulate_calf_session(dataclasses.replace(calf(), lever_arm_m=(-0.12, 0.0, 0.05)))
    assert len(cache._kept) == 3
    (motion, _, _) = next(iter(cache._kept.values()))
    assert all(not part.flags.writeable for part in motion if isinstance(part, np.ndarray))
    assert first.truth.reps


@pytest.fixture
def suite_budget() -> Iterator[None]:
    """The suite's budget (tests/conftest.py) back after a test that changes it."""
    yield
    cache.keep_motions()


def test_the_oldest_motion_goes_when_the_budget_is_spent(suite_budget: None) -> None:
    cache.forget_motions()
    simulate_calf_session(calf())
    size_mb = next(iter(cache._kept.values()))[2]
    cache.keep_motions(1.5 * size_mb)
    simulate_calf_session(dataclasses.replace(calf(), seed=6))
    kept_specs: list[Any] = [key[0][1] for key in cache._kept]  # type: ignore[index]
    assert [spec.seed for spec in kept_specs] == [6]
    cache.keep_motions(0.5 * size_mb)
    assert not cache._kept  # a smaller budget lets go of what no longer fits
    simulate_calf_session(calf())
    assert not cache._kept  # larger than the whole budget: not kept


def test_nothing_is_kept_unless_the_process_asks(suite_budget: None) -> None:
    """A library caller keeps no motion (the suite asks in its conftest); the arrays are read-only either way."""
    cache.keep_motions(0.0)
    first = simulate_calf_session(calf())
    assert not cache._kept
    again = simulate_calf_session(calf())
    np.testing.assert_array_equal(first.recording.acc_mps2(), again.recording.acc_mps2())
    code = "from calfload.sim import _motion_cache as c; import sys; sys.exit(c._budget() != 0)"
    env = {k: v for k, v in os.environ.items() if k != cache.KEEP_MOTIONS_VARIABLE}
    assert subprocess.run([sys.executable, "-c", code], check=False, env=env).returncode == 0
    env[cache.KEEP_MOTIONS_VARIABLE] = "lots"
    refused = subprocess.run([sys.executable, "-c", code], check=False, env=env, capture_output=True, text=True)
    assert "CALFLOAD_SIM_KEEP_MOTIONS_MB must be a number of megabytes, not 'lots'" in refused.stderr
