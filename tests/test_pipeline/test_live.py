"""Live feedback while recording: the same rep detector and cadence algorithm as ``analyze``."""

from __future__ import annotations

import re

import numpy as np
import pytest

from calfload.ingest.live import LiveWindow
from calfload.pipeline import CalfRaiseCounter, LiveCadence, live_hook
from calfload.recording import Recording
from calfload.schema import ACC_MPS2, GYR_DPS, T_S
from calfload.sim import (
    CalfSessionSpec,
    RaiseSet,
    RaiseSpec,
    Rest,
    RunSpec,
    SensorModel,
    simulate_calf_session,
    simulate_run,
)


def _windows(rec: Recording, *, window_s: float, step_s: float = 1.0):
    t = rec.data[T_S].to_numpy()
    acc = rec.data[list(ACC_MPS2)].to_numpy(dtype=float)
    gyr = rec.data[list(GYR_DPS)].to_numpy(dtype=float)
    end = t[0] + step_s
    while end <= t[-1]:
        keep = (t > end - window_s) & (t <= end)
        yield LiveWindow(t[keep], acc[keep], gyr[keep], rec.meta.sample_rate_hz)
        end += step_s


@pytest.mark.parametrize("cadence_spm", [158.0, 182.0])
def test_live_cadence_matches_the_simulated_run(cadence_spm):
    spec = RunSpec(duration_s=30.0, cadence_spm=cadence_spm, speed_mps=3.2, feet=("left",), seed=2)
    run = simulate_run(spec)
    hook = LiveCadence("run")
    shown = [text for w in _windows(run.recordings[0], window_s=12.0) if (text := hook(w)) is not None]
    assert shown, "no live cadence in 30 s of running"
    values = [float(m.group(1)) for s in shown[-5:] if (m := re.search(r"cadence ~(\d+) spm", s))]
    assert values
    assert np.median(values) == pytest.approx(run.truth.cadence_spm, rel=0.03)


def test_live_rep_count_reaches_the_simulated_sets_reps():
    spec = CalfSessionSpec(
        blocks=(Rest(5.0), RaiseSet(reps=(RaiseSpec(),) * 6), Rest(8.0)),
        sensor=SensorModel(sample_rate_hz=104.0),
        seed=4,
    )
    rec = simulate_calf_session(spec).recording
    counter = CalfRaiseCounter()
    for w in _windows(rec, window_s=20.0):
        counter(w)
    assert counter.count == 6
    # A 3.0 s lowering motion measures 2.7 s by DESIGN.md's 10 % threshold, live and in the full
    # analysis alike (tests/test_pipeline/test_live_matches_analysis.py compares the two).
    assert counter.last_eccentric_s == pytest.approx(RaiseSpec().eccentric_s, abs=0.4)


def test_only_calf_raises_runs_and_walks_have_live_feedback():
    assert isinstance(live_hook("calf_raise"), CalfRaiseCounter)
    assert isinstance(live_hook("walk"), LiveCadence)
    assert live_hook("hops") is None
