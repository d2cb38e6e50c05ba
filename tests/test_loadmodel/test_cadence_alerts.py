"""Cadence alerts against simulated foot-pod runs with a known cadence-speed relation.

The simulated runner (a stream-level simulation: no public recording has a labelled fatigue
drop) has ``cadence = 120 + 14 · speed`` steps/min with 2 spm of record-to-record noise, and
records once a second as a foot pod or watch does. Judged as issue 18 asks: a drop of 6 % over
the last 10 minutes at constant speed gives one alert that covers the drop (within a minute at
each end) and nothing else; a steady run, and a slower stretch whose cadence falls as the
runner's own relation predicts, give none.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from calfload.loadmodel._cadence import CadenceSpeedRelation, check_cadence, learn_cadence_relation
from calfload.recording import make_recording
from calfload.schema import CADENCE_SPM, SPEED_MPS, T_S, RecordingMeta
from calfload.signal import GaitAnalysis, analyze

MINUTES = 40


def _run(speed: np.ndarray, factor: np.ndarray | None = None, *, seed: int) -> GaitAnalysis:
    """A 1 Hz foot-pod run of the simulated runner at ``speed`` (m/s per second), cadence times ``factor``."""
    rng = np.random.default_rng(seed)
    cadence = (120.0 + 14.0 * speed) * (1.0 if factor is None else factor) + rng.normal(0.0, 2.0, speed.size)
    data = pd.DataFrame({T_S: np.arange(speed.size, dtype=float), SPEED_MPS: speed, CADENCE_SPM: cadence})
    meta = RecordingMeta(
        kind="footpod",
        sample_rate_hz=1.0,
        start_utc=dt.datetime(2026, 11, 1, 7, tzinfo=dt.UTC),
        placement="foot",
        activity="run",
    )
    result = analyze(make_recording(data, meta, source=f"simulated run {seed}"))
    assert isinstance(result, GaitAnalysis)
    return result


def _constant(speed_mps: float, minutes: int = MINUTES) -> np.ndarray:
    return np.full(minutes * 60, speed_mps)


@pytest.fixture(scope="module")
def relation() -> CadenceSpeedRelation:
    history = [_run(_constant(v, 20), seed=i) for i, v in enumerate((2.8, 3.2, 3.6, 4.0))]
    learnt = learn_cadence_relation(history)
    assert learnt is not None
    return learnt


def test_the_runners_relation_is_learnt(relation: CadenceSpeedRelation) -> None:
    assert relation.slope_spm_per_mps == pytest.approx(14.0, abs=1.0)
    assert relation.intercept_spm == pytest.approx(120.0, abs=4.0)
    assert not relation.slope_assumed
    assert relation.runs == 4


def test_a_fatigue_drop_is_the_only_alert(relation: CadenceSpeedRelation) -> None:
    factor = np.where(np.arange(MINUTES * 60) >= (MINUTES - 10) * 60, 0.94, 1.0)
    check = check_cadence(_run(_constant(3.3), factor, seed=11), relation)
    assert check is not None
    assert len(check.alerts) == 1
    alert = check.alerts[0]
    assert alert.kind == "below_habitual"
    assert alert.start_s == pytest.approx((MINUTES - 10) * 60, abs=60)
    assert alert.end_s == pytest.approx(MINUTES * 60, abs=60)
    assert alert.deficit_pct == pytest.approx(-6.0, abs=1.0)


def test_the_drop_is_found_without_history_as_a_drift() -> None:
    factor = np.where(np.arange(MINUTES * 60) >= (MINUTES - 10) * 60, 0.94, 1.0)
    check = check_cadence(_run(_constant(3.3), factor, seed=12), None)
    assert check is not None
    assert [a.kind for a in check.alerts] == ["drift"]
    assert check.alerts[0].start_s == pytest.approx((MINUTES - 10) * 60, abs=60)


def test_steady_runs_and_slowdowns_the_relation_explains_raise_none(relation: CadenceSpeedRelation) -> None:
    for seed in (21, 22, 23):
        steady = check_cadence(_run(_constant(3.4), seed=seed), relation)
        assert steady is not None
        assert steady.alerts == ()
    # 25 min at 3.6 m/s, then 15 min at 2.6 m/s: cadence 14 spm lower, as the runner's relation says.
    speed = np.where(np.arange(MINUTES * 60) < 25 * 60, 3.6, 2.6)
    slower = check_cadence(_run(speed, seed=24), relation)
    assert slower is not None
    assert slower.alerts == ()
    # Intervals: 4 min fast, 2 min easy, repeated.
    intervals = np.where((np.arange(MINUTES * 60) // 60) % 6 < 4, 4.2, 2.9)
    mixed = check_cadence(_run(intervals, seed=25), relation)
    assert mixed is not None
    assert mixed.alerts == ()


def test_the_retraining_target_share(relation: CadenceSpeedRelation) -> None:
    # The first half at the habitual cadence, the second half 7 % above it: half the run meets +5 %.
    factor = np.where(np.arange(MINUTES * 60) >= MINUTES * 30, 1.07, 1.0)
    check = check_cadence(_run(_constant(3.3), factor, seed=31), relation, target_increase_pct=5.0)
    assert check is not None
    assert check.target_met_share == pytest.approx(0.5, abs=0.05)
    assert check.alerts == ()


def test_walks_are_not_judged() -> None:
    walk = _run(_constant(1.4, 10), seed=41)
    assert check_cadence(walk, None) is None
