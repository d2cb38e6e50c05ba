"""Simulators of wearable sensors with documented physics, for tests, sample data and virtual devices.

Depends on :mod:`calfload.schema` and :mod:`calfload.recording` only.
"""

from __future__ import annotations

from calfload.sim._calf_raise import (
    CalfSessionSpec,
    RaiseSet,
    RaiseSpec,
    Rest,
    SessionTruth,
    SimulatedSession,
    TruthRep,
    Walk,
    random_calf_session,
    simulate_calf_session,
)
from calfload.sim._kinematics import SensorModel, random_rotation

__all__ = [
    "CalfSessionSpec",
    "RaiseSet",
    "RaiseSpec",
    "Rest",
    "SensorModel",
    "SessionTruth",
    "SimulatedSession",
    "TruthRep",
    "Walk",
    "random_calf_session",
    "random_rotation",
    "simulate_calf_session",
]
