"""Calf raises inside a walk are counted: the reps of a ``calf_raise`` bout, and their load.

Truth: :func:`calfload.sim.simulate_calf_session` with a walk before and after one set of 12
single-leg raises (foot IMU, 100 Hz): the simulator's reps. Analysed as a walk (``--activity
walk``), the bouts must find the raises between the walks and the calf analysis of that stretch
must count the 12 reps; the session's load adds them at the default exercise's force.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import replace

import pytest

from calfload.loadmodel._force import damage_weight, exercise_named, heel_raise_force_bw
from calfload.loadmodel._params import DEFAULT_PARAMETERS
from calfload.loadmodel._session import easy_run_force_bw, session_load
from calfload.loadmodel._session_types import Athlete, SessionInput
from calfload.signal import GaitAnalysis, analyze
from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, SensorModel, Walk, simulate_calf_session

START = dt.datetime(2026, 11, 19, 7, tzinfo=dt.UTC)
ATHLETE = Athlete(body_mass_kg=70.0)


def test_the_raises_between_two_walks_are_counted_and_loaded() -> None:
    one_set = RaiseSet(reps=tuple(RaiseSpec() for _ in range(12)))
    blocks = (Rest(3.0), Walk(strides=40), Rest(5.0), one_set, Rest(5.0), Walk(strides=40), Rest(3.0))
    sim = simulate_calf_session(CalfSessionSpec(blocks=blocks, sensor=SensorModel(sample_rate_hz=100.0), seed=3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        walk = analyze(sim.recording, activity="walk")
    assert isinstance(walk, GaitAnalysis)
    assert [b.activity for b in walk.segments if b.activity != "stand"] == ["walk", "calf_raise", "walk"]
    (raises,) = [b for b in walk.segments if b.activity == "calf_raise"]
    assert raises.reps == len(sim.truth.reps) == 12
    assert raises.to_dict()["reps"] == 12

    def load(analysis: GaitAnalysis) -> float:
        inputs = SessionInput(start_utc=START, local_date=START.date(), activity="walk", analysis=analysis)
        return session_load(inputs, ATHLETE).load_au

    exercise, _ = exercise_named(None, "calf_raise")
    force = heel_raise_force_bw(exercise, body_mass_kg=70.0, added_load_kg=0.0)
    per_rep = damage_weight(force, easy_run_force_bw(ATHLETE), DEFAULT_PARAMETERS.damage.exponent)
    without = replace(walk, segments=tuple(replace(b, reps=None) for b in walk.segments))
    assert load(walk) - load(without) == pytest.approx(12 * per_rep)
