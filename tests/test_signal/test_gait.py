"""Walk/run analysis against simulator truth and hand-made foot-pod streams."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from calfload.errors import AnalysisError
from calfload.recording import Recording, make_recording
from calfload.schema import CADENCE_SPM, SPEED_MPS, STRIDE_LENGTH_M, T_S, RecordingMeta
from calfload.signal._gait import _rows, analyze_gait
from calfload.signal._gait_types import GaitAnalysis
from calfload.sim import RunSpec, SensorModel, random_run_spec, simulate_run


def step_tolerance(truth: int) -> float:
    return max(2.0, 0.03 * truth)


@pytest.mark.parametrize("seed", range(100, 108))
def test_one_foot_run_any_mounting_and_rate(seed: int) -> None:
    sim = simulate_run(random_run_spec(seed))
    result = analyze_gait(sim.recordings[0])
    truth = sim.truth
    assert result.activity == "run"
    assert result.activity_detected
    assert result.steps_doubled_from_one_foot
    assert result.steps is not None
    assert abs(result.steps - truth.steps) <= step_tolerance(truth.steps)
    assert result.cadence_median_spm == pytest.approx(truth.cadence_spm, abs=2.0)
    assert result.ground_contact_median_ms is not None
    # Heel strikes end the swing lobe within a few ms; a forefoot strike only slows it before
    # the forefoot lands, so its contact can come out up to ~70 ms long (docs/validation.md).
    limit = 30.0 if sim.spec.strike == "rearfoot" else 80.0
    assert abs(result.ground_contact_median_ms - truth.contact_ms) <= limit


def test_both_feet_merge_into_true_steps() -> None:
    sim = simulate_run(RunSpec(seed=5, feet=("left", "right"), cadence_spm=182.0, speed_mps=4.0))
    result = analyze_gait(list(sim.recordings))
    assert not result.steps_doubled_from_one_foot
    assert result.strides is not None
    assert len(result.strides) == 2
    assert result.steps is not None
    assert abs(result.steps - sim.truth.steps) <= 1
    assert result.cadence_mean_spm == pytest.approx(sim.truth.cadence_spm, abs=2.0)


def test_walk_is_detected_as_walk() -> None:
    spec = RunSpec(seed=9, gait="walk", cadence_spm=108.0, speed_mps=1.3, sensor=SensorModel(sample_rate_hz=100.0))
    sim = simulate_run(spec)
    result = analyze_gait(sim.recordings[0])
    assert result.activity == "walk"
    assert result.steps is not None
    assert abs(result.steps - sim.truth.steps) <= step_tolerance(sim.truth.steps)
    assert result.cadence_median_spm == pytest.approx(108.0, abs=2.5)


def test_activity_given_is_kept() -> None:
    sim = simulate_run(RunSpec(seed=2))
    result = analyze_gait(sim.recordings, activity="walk")
    assert result.activity == "walk"
    assert not result.activity_detected


def test_json_has_the_design_shape() -> None:
    sim = simulate_run(RunSpec(seed=3, duration_s=30.0))
    doc = analyze_gait(sim.recordings[0]).to_dict()
    for key in ("activity", "duration_s", "steps", "steps_doubled_from_one_foot", "cadence_series"):
        assert key in doc
    assert set(doc["cadence_spm"]) == {"mean", "median"}
    assert set(doc["ground_contact_ms"]) == {"median"}
    assert all(set(row) == {"t_s", "cadence_spm"} for row in doc["cadence_series"])
    assert len(doc["cadence_series"]) >= 2


def test_standing_gives_no_steps_and_says_so() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(0, 20, 0.01)
    acc = np.tile([0.0, 0.0, 9.81], (t.size, 1)) + rng.normal(0, 0.03, (t.size, 3))
    gyr = rng.normal(0, 0.3, (t.size, 3))
    result = analyze_gait(_imu(t, acc, gyr))
    assert result.steps == 0
    assert any("no steps" in w for w in result.warnings)


def test_refuses_what_is_not_a_walk_or_run() -> None:
    sim = simulate_run(RunSpec(seed=1, duration_s=20.0))
    with pytest.raises(AnalysisError):
        analyze_gait(sim.recordings, activity="calf_raise")
    with pytest.raises(AnalysisError):
        analyze_gait([sim.recordings[0], _pod(170.0, 3.3)])


# --------------------------------------------------------------------------------------------- foot pod


def test_foot_pod_steps_cadence_and_speed() -> None:
    result = analyze_gait(_pod(170.0, 3.4, stride_m=2.4))
    assert result.source == "footpod"
    assert result.activity == "run"
    assert result.steps == pytest.approx(170.0 * 119.0 / 60.0, abs=2)
    assert result.cadence_mean_spm == pytest.approx(170.0, abs=0.5)
    assert result.speed_mps == pytest.approx(3.4, abs=0.01)
    assert result.warnings == ()


def test_pod_sending_strides_is_reported() -> None:
    result = analyze_gait(_pod(85.0, 3.4))
    assert any("strides" in w for w in result.warnings)


def test_pod_sending_power_in_the_cadence_field_is_reported() -> None:
    result = analyze_gait(_pod(260.0, 3.4))
    assert any("implausible cadence" in w for w in result.warnings)


def test_pod_stride_length_disagreeing_with_speed_and_cadence_is_reported() -> None:
    # 170 spm at 3.4 m/s implies 2.4 m strides; the pod says 1.2 m.
    result = analyze_gait(_pod(170.0, 3.4, stride_m=1.2))
    assert any("disagree" in w for w in result.warnings)


def _pod(cadence_spm: float, speed_mps: float, *, stride_m: float | None = None) -> Recording:
    rng = np.random.default_rng(1)
    t = np.arange(0.0, 120.0, 1.0)
    frame = pd.DataFrame(
        {
            T_S: t,
            CADENCE_SPM: cadence_spm + rng.normal(0, 0.5, t.size),
            SPEED_MPS: speed_mps + rng.normal(0, 0.02, t.size),
        }
    )
    if stride_m is not None:
        frame[STRIDE_LENGTH_M] = stride_m
    meta = RecordingMeta(kind="footpod", sample_rate_hz=1.0, start_utc=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    return make_recording(frame, meta)


def _imu(t: np.ndarray, acc: np.ndarray, gyr: np.ndarray) -> Recording:
    frame = pd.DataFrame({T_S: t})
    for i, axis in enumerate("xyz"):
        frame[f"acc_{axis}_mps2"] = acc[:, i]
        frame[f"gyr_{axis}_dps"] = gyr[:, i]
    meta = RecordingMeta(sample_rate_hz=100.0, start_utc=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), placement="foot")
    return make_recording(frame, meta)


def test_result_type() -> None:
    assert isinstance(analyze_gait(_pod(170.0, 3.3)), GaitAnalysis)


def test_median_cadence_is_over_the_unfiltered_stride_intervals() -> None:
    """A short walk's slow start, turn and stop strides stay in the median, as in a reference's."""
    from calfload.signal._gait_cadence import cadence_from_instants

    intervals = np.array([1.40, 1.00, 1.02, 0.98, 1.01, 1.60, 1.55, 0.99, 1.00, 1.03, 1.45])
    instants = np.concatenate(([0.0], np.cumsum(intervals)))
    cad = cadence_from_instants([instants], steps_per_instant=2, steps_per_interval=2, max_interval_s=2.5)
    assert cad.median_spm == pytest.approx(120.0 / float(np.median(intervals)))


def test_series_rows_are_python_floats_of_the_values() -> None:
    """The JSON's series rows: each value as ``float`` gives it, from float64 or integer arrays, and none for none."""
    values = np.array([[0.5, 171.25], [1.5, float("nan")], [2.5, 1e300], [3.5, -0.0]])
    rows = _rows(values)
    assert [tuple(map(type, row)) for row in rows] == [(float, float)] * 4
    assert str(rows) == str(tuple((float(t), float(c)) for t, c in values))  # NaN and -0.0 as they are
    assert _rows(np.array([[1, 2]])) == ((1.0, 2.0),)
    assert _rows(np.zeros((0, 2))) == ()


def test_a_cadence_bouts_json_rounds_every_float_field_as_asdict_did() -> None:
    """``GaitBout.to_dict`` is its fields in order, floats (NumPy's too) to 2 decimals, ints and None as they are."""
    from dataclasses import asdict, fields

    from calfload.signal._gait_types import GaitBout

    assert [f.name for f in fields(GaitBout)] == ["start_s", "end_s", "steps", "cadence_spm"]  # a new one: write it
    for bout in (
        GaitBout(1.23456, 20.0049, 31, 171.666),
        GaitBout(np.float64(0.125), np.float64(2.675), 2, None),
        GaitBout(-0.0, 1e300, 0, float("nan")),
    ):
        expected = {k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(bout).items()}
        got = bout.to_dict()
        assert list(got) == list(expected)
        assert str(got) == str(expected)  # NaN and -0.0 as they are
        assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]
