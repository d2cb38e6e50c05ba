"""The activity from the signal: real walks (feet, lower back, arm), simulated calf raises, hops and runs.

Real recordings come from ../shared/validation (skipped when absent); every real walk must come
back as gait whatever its mounting, rate or stated placement. Calf raises and hops have no real
IMU recordings, so the simulators (documented physics) stand in for them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from calfload.errors import AnalysisError, CalfloadWarning
from calfload.recording import Recording
from calfload.signal import GaitAnalysis, analyze
from calfload.signal._activity import ActivityParams, detect_activity, window_labels
from calfload.sim import (
    GaitPhase,
    GaitSessionSpec,
    SensorModel,
    random_calf_session,
    random_hop_session,
    random_run_spec,
    simulate_calf_session,
    simulate_gait_session,
    simulate_hop_session,
    simulate_run,
)
from tools.validate_cases import imu_recording
from tools.validate_datasets import ipol_cases, ipol_lower_back_cases, mobgap_cases, oxford_cases

IPOL_SUBJECTS = ("2-1", "5-1", "13-1", "19-1")


def _as(rec: Recording, placement: str) -> Recording:
    return rec.with_meta(placement=placement, activity=None)


@pytest.fixture(scope="module")
def ipol_feet(validation_dir: Path) -> list[Recording]:
    if not (validation_dir / "ipol_gait_voisard2023").is_dir():
        pytest.skip("IPOL data not present")
    cases = ipol_cases(validation_dir, subjects=IPOL_SUBJECTS, variants=("rotated", "50hz"))
    return [c.recordings[0] for c in cases if len(c.recordings) == 1]


@pytest.mark.parametrize("placement", ["foot", "unknown"])
def test_real_foot_walks_are_gait_in_any_mounting_and_rate(ipol_feet: list[Recording], placement: str) -> None:
    assert len(ipol_feet) == len(IPOL_SUBJECTS) * 2 * 2
    found = [detect_activity(_as(r, placement)) for r in ipol_feet]
    assert [g.activity for g in found] == ["gait"] * len(found)
    assert all(g.confidence >= 0.75 for g in found)
    assert all(dict(g.features)["gyr_p95_dps"] >= 200 for g in found)


def test_real_lower_back_and_arm_walks_are_gait(validation_dir: Path) -> None:
    if not (validation_dir / "ipol_gait_voisard2023").is_dir() or not (validation_dir / "oxford_step_counter").is_dir():
        pytest.skip("IPOL or Oxford data not present")
    backs = [c.recordings[0] for c in ipol_lower_back_cases(validation_dir, subjects=IPOL_SUBJECTS)]
    arms = [c.recordings[0] for c in oxford_cases(validation_dir)]  # accelerometer only
    for rec in (*backs, *arms):
        assert detect_activity(rec).activity == "gait", rec.source


def test_daily_living_on_the_lower_back_is_not_called_one_activity(validation_dir: Path) -> None:
    """mobgap's simulated daily living (walking bouts among sitting and standing): the data cannot tell."""
    if not (validation_dir / "mobgap_example_data").is_dir():
        pytest.skip("mobgap data not present")
    living = [c.recordings[0] for c in mobgap_cases(validation_dir) if "Test11" in c.name]
    assert living
    for rec in living:
        assert detect_activity(rec).activity is None
        with pytest.raises(AnalysisError, match="cannot tell the activity"):
            analyze(rec)


def test_real_walk_without_activity_is_analysed_as_a_walk(ipol_feet: list[Recording]) -> None:
    result = analyze(_as(ipol_feet[0], "unknown"))
    assert isinstance(result, GaitAnalysis)
    assert result.activity == "walk"
    assert result.activity_detected
    assert result.detection is not None
    assert result.detection.activity == "gait"
    assert result.to_dict()["activity_detection"]["features"]["cycle_s"] > 0.8  # a walking stride


def test_the_hint_still_wins(ipol_feet: list[Recording]) -> None:
    given = analyze(_as(ipol_feet[0], "foot"), activity="walk")
    assert isinstance(given, GaitAnalysis)
    assert given.detection is None
    assert not given.activity_detected
    rec = ipol_feet[0]
    hinted = rec.with_meta(activity="calf_raise")
    assert analyze(hinted).to_dict()["activity"] == "calf_raise"


@pytest.mark.parametrize("seed", range(6))
def test_simulated_calf_sessions_are_calf_raises(seed: int) -> None:
    """Random sessions: 25-1000 Hz, any mounting, sometimes walking between sets."""
    sim = simulate_calf_session(random_calf_session(np.random.default_rng(seed)))
    rec = _as(sim.recording, "unknown")
    assert detect_activity(rec).activity == "calf_raise"
    assert analyze(rec).to_dict()["activity"] == "calf_raise"


@pytest.mark.parametrize("seed", range(5))
def test_simulated_hops_are_hops(seed: int) -> None:
    sim = simulate_hop_session(random_hop_session(np.random.default_rng(seed)))
    guess = detect_activity(sim.recording)
    assert guess.activity == "hops"
    assert dict(guess.features)["acc_p01_g"] < 0.4  # flight


@pytest.mark.parametrize("seed", range(3))
def test_simulated_runs_are_runs(seed: int) -> None:
    sim = simulate_run(random_run_spec(seed))
    result = analyze(_as(sim.recordings[0], "unknown"))
    assert isinstance(result, GaitAnalysis)
    assert result.activity == "run"


def _standing(rate_hz: float, seconds: float, seed: int) -> Recording:
    rng = np.random.default_rng(seed)
    t = np.arange(round(rate_hz * seconds)) / rate_hz
    sway = 0.05 * np.sin(2 * np.pi * 0.3 * t)
    acc = np.column_stack([sway, np.zeros_like(t), np.full_like(t, 9.81)]) + rng.normal(0, 0.03, (t.size, 3))
    gyr = rng.normal(0, 0.5, (t.size, 3)) + 0.8  # noise and bias
    return imu_recording(t, acc, gyr, source="standing", placement="unknown")


def test_standing_still_says_so() -> None:
    rec = _standing(100.0, 30.0, 3)
    assert detect_activity(rec).activity == "standing"
    with pytest.raises(AnalysisError, match="standing or sitting still"):
        analyze(rec)


def test_a_walk_in_the_tail_after_the_last_whole_window_is_classified() -> None:
    # Young/20180621_6 in the Marpino data set: an 11.8 s file holds one 8 s window on the
    # half-overlapping grid, and its 5 m walk is mostly in the 3.8 s after it. Simulated here:
    # 6.5 s standing, a 5 s walk (simulator ground truth), 0.3 s standing.
    phases = (
        GaitPhase(activity="stand", duration_s=6.5),
        GaitPhase(activity="walk", duration_s=5.0, cadence_spm=100.0, speed_mps=1.1),
        GaitPhase(activity="stand", duration_s=0.3),
    )
    (rec,) = simulate_gait_session(
        GaitSessionSpec(phases=phases, sensor=SensorModel(sample_rate_hz=100.0), seed=3)
    ).recordings
    windows = window_labels(rec)
    assert windows[-1][1] == pytest.approx(rec.duration_s, abs=0.02)  # the last window ends with the data
    assert windows[-1][2] == "gait"
    assert detect_activity(rec).activity == "gait"


def test_thresholds_are_parameters() -> None:
    """A stricter confidence turns a calf session with walking between sets into 'cannot tell'."""
    spec = random_calf_session(np.random.default_rng(0), walking=True, n_sets=3)
    rec = _as(simulate_calf_session(spec).recording, "unknown")
    relaxed = detect_activity(rec)
    assert relaxed.activity == "calf_raise"
    shares = dict(relaxed.shares)
    assert shares["gait"] > 0  # the walking between sets
    strict = detect_activity(rec, ActivityParams(min_confidence=1.01))
    assert strict.activity is None


def test_cli_analyze_without_activity(tmp_path: Path, ipol_feet: list[Recording]) -> None:
    """``calfload analyze FILE --json`` of a real walk saved as CSV without metadata: a walk, detected."""
    rec = ipol_feet[0]
    path = tmp_path / "walk.csv"
    frame = rec.data.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalfloadWarning)
        frame.to_csv(path, index=False)
    done = subprocess.run(
        [sys.executable, "-m", "calfload", "analyze", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["activity"] == "walk"
    assert result["activity_detected"]
    assert result["activity_detection"]["activity"] == "gait"
