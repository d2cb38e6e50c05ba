"""Gravity estimated for phone exports without it, and the last rep at the end of a file.

Ground truth is the simulator's: its gravity in the sensor frame and its reps (by DESIGN.md's
10 %-of-peak-speed rule). A Sensor Logger export without gravity goes through the documented
import path (``load_recording``), which estimates gravity from the gyroscope.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pytest

from calfload.ingest import load_recording
from calfload.ingest.phone_gravity import estimate_gravity
from calfload.recording import Recording
from calfload.signal import CalfRaiseAnalysis
from calfload.signal._calf_raise import analyze_calf_raises
from calfload.sim import SimulatedSession, random_calf_session, simulate_calf_session, write_sensor_logger
from calfload.sim._calf_session_types import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, Walk
from calfload.sim._kinematics import SensorModel


def _tilt_from_start_deg(g: np.ndarray) -> np.ndarray:
    u = g / np.linalg.norm(g, axis=1, keepdims=True)
    return np.asarray(np.degrees(np.arccos(np.clip(u @ u[0], -1, 1))))


def test_gravity_follows_a_gyroscope_whose_bias_drifts() -> None:
    """Was: the rests were those near the bias of the longest one (the first 30 s here); a bias
    drifting 0.02 deg/s per second (a warming phone) was over 3 deg/s off by the last rests, so
    none reset gravity, which turned with the stale bias: 67 deg off at the end, 15 of 18 reps.
    (Seed 2003 of the held-out phone exports at 208 Hz lost its last rep this way.)"""
    reps = tuple(RaiseSpec(eccentric_s=e) for e in (2.0, 2.5, 3.0, 2.0, 2.5, 3.0))
    spec = CalfSessionSpec(
        blocks=(Rest(30.0), RaiseSet(reps), Rest(4.0), RaiseSet(reps), Rest(4.0), RaiseSet(reps), Rest(5.0)),
        sensor=SensorModel(
            sample_rate_hz=52.0, gyr_bias_dps=(0.5, -0.3, 0.8), gyr_drift_dps_per_s=(0.02, -0.015, 0.02)
        ),
        seed=7,
    )
    sim = simulate_calf_session(spec)
    rec, truth = sim.recording, sim.gravity_mps2
    assert truth is not None
    linear = rec.acc_mps2() - truth
    est, _ = estimate_gravity(rec.t_s, linear, rec.gyr_dps())
    err = np.abs(_tilt_from_start_deg(est) - _tilt_from_start_deg(truth))
    assert float(np.percentile(err, 95)) < 3.0
    assert float(err[-1]) < 0.5  # the final rest resets it
    columns = dict(rec.columns) | {
        name: (linear + est)[:, i].astype(np.float32)
        for i, name in enumerate(("acc_x_mps2", "acc_y_mps2", "acc_z_mps2"))
    }
    analysis = analyze_calf_raises(Recording(columns, rec.meta))
    assert (analysis.rep_count, analysis.incomplete_reps) == (18, ())


def _cut(sim: SimulatedSession, end_s: float) -> tuple[Recording, np.ndarray]:
    assert sim.gravity_mps2 is not None
    n = int(np.searchsorted(sim.recording.t_s, end_s, side="right"))
    return Recording({k: v[:n] for k, v in sim.recording.columns.items()}, sim.recording.meta), sim.gravity_mps2[:n]


def _with_and_without_gravity(sim: SimulatedSession, end_s: float, folder: Path) -> list[CalfRaiseAnalysis]:
    rec, gravity = _cut(sim, end_s)
    export = write_sensor_logger(rec, gravity, folder, files=("Accelerometer", "Gyroscope"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "gravity estimated from the gyroscope": tested in test_phone
        no_gravity = load_recording(export)
    return [analyze_calf_raises(rec), analyze_calf_raises(no_gravity)]


@pytest.mark.parametrize(("seed", "rate_hz"), [(41, 52.0), (42, 104.0), (43, 208.0)])
def test_the_last_rep_at_the_end_of_a_file(seed: int, rate_hz: float, tmp_path: Path) -> None:
    """A session that ends with a rep, not standing still: a last rep that ended 0.06 s before the
    file counts, with the accelerometer's gravity or with gravity estimated (was: the estimate,
    with the gyroscope's bias held flat after the last rest, left the pitch a few degrees up and
    the rep "incomplete"); cut halfway down its lowering, it is incomplete and not counted."""
    spec = random_calf_session(np.random.default_rng(seed), sample_rate_hz=rate_hz, n_sets=1, walking=False)
    sim = simulate_calf_session(dataclasses.replace(spec, blocks=spec.blocks[:-1]))
    last, counted = sim.truth.reps[-1], len(sim.truth.counted())
    assert not last.partial
    for analysis in _with_and_without_gravity(sim, last.end_s + 0.06, tmp_path / "whole"):
        assert (analysis.rep_count, analysis.incomplete_reps) == (counted, ())
    for analysis in _with_and_without_gravity(sim, last.end_s - last.eccentric_s / 2, tmp_path / "cut"):
        assert analysis.rep_count == counted - 1
        (incomplete,) = analysis.incomplete_reps
        assert incomplete.start_s == pytest.approx(last.start_s, abs=0.1)


def _angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def _estimate(sim: SimulatedSession) -> tuple[np.ndarray, np.ndarray, str]:
    assert sim.gravity_mps2 is not None
    rec = sim.recording
    est, note = estimate_gravity(rec.t_s, rec.acc_mps2() - sim.gravity_mps2, rec.gyr_dps())
    return est, sim.gravity_mps2, note


_SETS = (RaiseSet(tuple(RaiseSpec(eccentric_s=e) for e in (2.0, 3.0, 2.5, 2.0))),) * 2


def test_rests_are_found_at_the_accelerometers_own_noise_level() -> None:
    """Was: a rest needed every sample's linear acceleration under 0.5 m/s2; an accelerometer's
    bias and scale error (0.37 and up to 0.2 m/s2 here) with its noise leave most resting
    samples above that, so no 3 s rest was found, the gyroscope's bias (5 deg/s) was never
    removed and gravity turned with it: 27 deg off (held-out seed 2202 at 104 Hz lost its
    first set). Now 0.6 deg.
    The tilt from the start is compared (what 'up' at rest is taken as is the next test's)."""
    sensor = SensorModel(
        sample_rate_hz=52.0,
        acc_noise_mps2=0.08,
        acc_bias_mps2=(0.1, -0.2, 0.3),
        scale_error=(-0.01, -0.015, 0.02),
        gyr_noise_dps=0.4,
        gyr_bias_dps=(2.3, 1.2, -4.5),
    )
    spec = CalfSessionSpec(blocks=(Rest(6.0), _SETS[0], Rest(5.0), _SETS[1], Rest(5.0)), sensor=sensor, seed=3)
    sim = simulate_calf_session(spec)
    est, truth, _ = _estimate(sim)
    assert float(np.median(np.linalg.norm(sim.recording.acc_mps2() - truth, axis=1))) > 0.3  # the offset is there
    err = np.abs(_tilt_from_start_deg(est) - _tilt_from_start_deg(truth))
    assert float(np.percentile(err, 95)) < 2.0


def _tilted_mount() -> tuple[tuple[float, ...], ...]:
    """Sensor axes with 'up' along (1, 1, 1): 55 deg from every sensor axis."""
    up = np.ones(3) / np.sqrt(3.0)
    forward = np.array([1.0, -1.0, 0.0]) / np.sqrt(2.0)
    rows = (forward, np.cross(up, forward), up)
    return tuple(tuple(float(v) for v in row) for row in rows)


def test_up_at_rest_is_the_axis_of_a_turn_between_rests(tmp_path: Path) -> None:
    """A sensor mounted at 55 deg from every axis, and a short walk with a half turn between the
    sets. Was: 'up' was taken along the sensor axis nearest the plane across the raise axis
    (here 35 deg off at best); during the turn that wrong 'up' swung about the true vertical,
    the pitch the calf front end saw went 100 deg off, and it took the raises for the downward
    side (held-out seed 2202 lost its first set this way). The turn's axis is the vertical."""
    spec = CalfSessionSpec(
        blocks=(Rest(6.0), _SETS[0], Rest(4.0), Walk(6), Rest(5.0), _SETS[1], Rest(5.0)),
        sensor=SensorModel(sample_rate_hz=52.0, gyr_bias_dps=(1.0, -0.5, 0.7)),
        mount=_tilted_mount(),
        seed=5,
    )
    sim = simulate_calf_session(spec)
    est, truth, note = _estimate(sim)
    assert "turned about" in note
    assert float(np.percentile(_angle_deg(est, truth), 95)) < 5.0
    export = write_sensor_logger(sim.recording, truth, tmp_path / "sl", files=("Accelerometer", "Gyroscope"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "gravity estimated from the gyroscope": tested in test_phone
        assert analyze_calf_raises(load_recording(export)).rep_count == len(sim.truth.counted())


def test_samples_lost_in_a_movement_are_bridged_from_the_next_rest() -> None:
    """0.25 s of samples lost early in a rise. Was: gravity was turned only forward from the rest
    before, so what the foot turned during the gap (unmeasured) stayed an error until the next
    rest: 6 deg here, 10 deg over a whole set for held-out seed 2202, which lost two reps. After
    a gap gravity is turned back from the next rest instead: 0.2 deg."""
    spec = CalfSessionSpec(blocks=(Rest(5.0), _SETS[0], Rest(5.0)), sensor=SensorModel(sample_rate_hz=52.0), seed=9)
    sim = simulate_calf_session(spec)
    assert sim.gravity_mps2 is not None
    first = sim.truth.reps[0]
    lost_s = first.start_s + first.concentric_s * 0.2
    t = sim.recording.t_s
    keep = (t < lost_s - 0.125) | (t > lost_s + 0.125)
    rec = Recording({k: v[keep] for k, v in sim.recording.columns.items()}, sim.recording.meta)
    truth = sim.gravity_mps2[keep]
    est, _ = estimate_gravity(rec.t_s, rec.acc_mps2() - truth, rec.gyr_dps())
    err = np.abs(_tilt_from_start_deg(est) - _tilt_from_start_deg(truth))
    assert float(np.max(err)) < 1.5
