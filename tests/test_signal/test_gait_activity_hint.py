"""A given activity that the steps contradict is reported, not silently believed."""

from __future__ import annotations

from pathlib import Path

from calfload.ingest import load_recording
from calfload.signal import analyze, analyze_gait
from calfload.sim import RunSpec, simulate_run


def test_calf_raises_analysed_as_a_run_are_flagged(sample_dir: Path) -> None:
    result = analyze(load_recording(sample_dir / "calf_endurance_52hz.csv"), activity="run").to_dict()
    assert any("given as a run, but the steps look like a walk" in w for w in result["warnings"])


def test_a_real_run_given_as_a_run_is_not_flagged() -> None:
    (recording,) = simulate_run(RunSpec(duration_s=40.0, cadence_spm=172.0, seed=5)).recordings
    result = analyze_gait([recording], activity="run").to_dict()
    assert not any("given as a" in w for w in result["warnings"])
    assert 165 <= result["cadence_spm"]["median"] <= 179
