"""Cadence alerts on simulated foot-IMU runs: the ZUPT speed sets the reference.

The judged case of issue 18, as ``test_cadence_alerts.py`` checks it on foot pods, here on the
signal of a foot IMU at 100 Hz (:func:`calfload.sim.simulate_gait_session`, a random mounting,
biased and drifting gyroscope, accelerometer bias, scale errors, timestamp jitter, lost packets,
3 % stride-to-stride jitter). The simulated runner's cadence is ``120 + 14 · speed`` steps/min;
the analysis sees only the sensor, so both the cadence and the speed of every 10 s window come
from the detected steps and the zero-velocity stride integration. The warm segments are short
(a few minutes) to keep the test cheap; the drop is the issue's: 6 % over the last 10 minutes
at constant speed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from calfload.journal import Journal
from calfload.loadmodel._cadence import CadenceSpeedRelation, check_cadence, learn_cadence_relation
from calfload.pipeline import import_files
from calfload.pipeline._cadence import recent_cadence_alerts
from calfload.recording import Recording, write_parquet
from calfload.signal import GaitAnalysis, analyze
from calfload.sim import GaitPhase, GaitSessionSpec, SensorModel, simulate_gait_session

SENSOR = SensorModel(
    sample_rate_hz=100.0,
    acc_bias_mps2=(0.15, -0.1, 0.08),
    gyr_bias_dps=(0.8, -0.5, 0.3),
    gyr_drift_dps_per_s=(0.002, 0.001, -0.001),
    scale_error=(0.01, -0.008, 0.005),
    timestamp_jitter_s=0.002,
    drops_per_min=1.0,
)
HISTORY_SPEEDS_MPS = (2.8, 3.2, 3.6, 4.0)
TODAY = dt.date(2026, 11, 20)
#: 2 min at the habitual cadence, then 10 min 6 % below it, all at 3.3 m/s (plus 2 s standing first).
DROP_S = 2.0 + 120.0


def _recording(segments: list[tuple[float, float, float]], seed: int, day: dt.date = TODAY) -> Recording:
    """A foot-IMU run of ``(duration_s, speed_mps, cadence factor)`` segments, 2 s standing at each end."""
    phases = [GaitPhase(activity="stand", duration_s=2.0)]
    phases += [
        GaitPhase(activity="run", duration_s=d, cadence_spm=(120.0 + 14.0 * v) * f, speed_mps=v) for d, v, f in segments
    ]
    phases.append(GaitPhase(activity="stand", duration_s=2.0))
    spec = GaitSessionSpec(phases=tuple(phases), sensor=SENSOR, seed=seed, stride_jitter=0.03)
    (rec,) = simulate_gait_session(spec).recordings
    start = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
    return replace(rec, meta=replace(rec.meta, start_utc=start))


def _run(segments: list[tuple[float, float, float]], seed: int) -> GaitAnalysis:
    result = analyze(_recording(segments, seed))  # no --activity: the run is found from the signal
    assert isinstance(result, GaitAnalysis)
    assert result.activity == "run"
    assert result.speed_source == "imu_zupt"
    return result


@pytest.fixture(scope="module")
def history() -> list[Recording]:
    return [
        _recording([(90.0, v, 1.0)], seed, TODAY - dt.timedelta(days=9 - 2 * seed))
        for seed, v in enumerate(HISTORY_SPEEDS_MPS)
    ]


@pytest.fixture(scope="module")
def drop() -> Recording:
    return _recording([(120.0, 3.3, 1.0), (600.0, 3.3, 0.94)], 11, TODAY - dt.timedelta(days=1))


@pytest.fixture(scope="module")
def relation(history: list[Recording]) -> CadenceSpeedRelation:
    runs = [analyze(rec) for rec in history]
    learnt = learn_cadence_relation([r for r in runs if isinstance(r, GaitAnalysis)])
    assert learnt is not None
    return learnt


def test_the_relation_is_learnt_from_imu_speed(relation: CadenceSpeedRelation) -> None:
    assert relation.slope_spm_per_mps == pytest.approx(14.0, abs=1.5)
    assert relation.intercept_spm == pytest.approx(120.0, abs=5.0)
    assert not relation.slope_assumed


def test_a_fatigue_drop_is_the_only_alert(relation: CadenceSpeedRelation, drop: Recording) -> None:
    result = analyze(drop)
    assert isinstance(result, GaitAnalysis)
    check = check_cadence(result, relation)
    assert check is not None
    assert check.reference == "habitual relation"
    assert len(check.alerts) == 1
    alert = check.alerts[0]
    assert alert.kind == "below_habitual"
    assert alert.start_s == pytest.approx(DROP_S, abs=60)
    assert alert.end_s == pytest.approx(DROP_S + 600.0, abs=60)
    assert alert.deficit_pct == pytest.approx(-6.0, abs=1.0)


def test_steady_runs_and_slowdowns_the_relation_explains_raise_none(relation: CadenceSpeedRelation) -> None:
    steady = check_cadence(_run([(360.0, 3.4, 1.0)], 21), relation)
    assert steady is not None
    assert steady.judged_s >= 300.0
    assert steady.alerts == ()
    # 4 min at 3.6 m/s, then 4 min at 2.6 m/s: cadence 14 spm lower, as the runner's relation says.
    slower = check_cadence(_run([(240.0, 3.6, 1.0), (240.0, 2.6, 1.0)], 24), relation)
    assert slower is not None
    assert slower.judged_s >= 420.0
    assert slower.alerts == ()


def test_the_journal_keeps_the_imu_speed_and_review_finds_the_drop(
    tmp_path: Path, history: list[Recording], drop: Recording
) -> None:
    files = [write_parquet(rec, tmp_path / f"run-{i}.parquet") for i, rec in enumerate([*history, drop])]
    with Journal(tmp_path / "journal", today=TODAY) as journal:
        import_files(journal, files)
        (item,) = recent_cadence_alerts(journal, TODAY)
    assert item.day == TODAY - dt.timedelta(days=1)
    assert item.check.reference == "habitual relation"
    assert item.check.relation is not None
    assert item.check.relation.runs == len(HISTORY_SPEEDS_MPS)
    assert [a.kind for a in item.check.alerts] == ["below_habitual"]
    assert item.check.alerts[0].start_s == pytest.approx(DROP_S, abs=60)
