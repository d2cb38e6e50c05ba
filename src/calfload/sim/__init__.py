"""Simulators of wearable sensors with documented physics, for tests, sample data and virtual devices.

Depends on :mod:`calfload.schema` and :mod:`calfload.recording` only.
"""

from __future__ import annotations

from calfload.sim._calf_raise import simulate_calf_session
from calfload.sim._calf_random import random_calf_session
from calfload.sim._calf_session_types import (
    CalfSessionSpec,
    RaiseSet,
    RaiseSpec,
    Rest,
    SessionTruth,
    SimulatedSession,
    TruthRep,
    Walk,
)
from calfload.sim._gait_session import (
    GaitPhase,
    GaitSessionSpec,
    PhaseTruth,
    SimulatedGaitSession,
    interval_session,
    simulate_gait_session,
)
from calfload.sim._heel_rise import (
    HeelRiseTestSpec,
    HeelRiseTruth,
    SimulatedHeelRise,
    random_heel_rise_test,
    simulate_heel_rise_test,
)
from calfload.sim._hop_session_types import HopSeries, HopSessionSpec, HopSpec, HopTruth, SimulatedHops, TruthContact
from calfload.sim._hops import random_hop_session, simulate_hop_session
from calfload.sim._kinematics import SensorModel, random_rotation
from calfload.sim._phone_exports import write_generic_csv, write_phyphox, write_sensor_logger
from calfload.sim._running import FootTruth, RunSpec, RunTruth, SimulatedRun, random_run_spec, simulate_run

__all__ = [
    "CalfSessionSpec",
    "FootTruth",
    "GaitPhase",
    "GaitSessionSpec",
    "HeelRiseTestSpec",
    "HeelRiseTruth",
    "HopSeries",
    "HopSessionSpec",
    "HopSpec",
    "HopTruth",
    "PhaseTruth",
    "RaiseSet",
    "RaiseSpec",
    "Rest",
    "RunSpec",
    "RunTruth",
    "SensorModel",
    "SessionTruth",
    "SimulatedGaitSession",
    "SimulatedHeelRise",
    "SimulatedHops",
    "SimulatedRun",
    "SimulatedSession",
    "TruthContact",
    "TruthRep",
    "Walk",
    "interval_session",
    "random_calf_session",
    "random_heel_rise_test",
    "random_hop_session",
    "random_rotation",
    "random_run_spec",
    "simulate_calf_session",
    "simulate_gait_session",
    "simulate_heel_rise_test",
    "simulate_hop_session",
    "simulate_run",
    "write_generic_csv",
    "write_phyphox",
    "write_sensor_logger",
]
