"""Signal processing: orientation, calf-raise reps and phases, hops, steps, cadence and contacts.

Depends on :mod:`calfload.schema` and :mod:`calfload.recording` only (never on ``ingest``).
The filters and the peak finder are NumPy kernels (:mod:`calfload.signal._kernels`, tested against
SciPy): importing ``scipy.signal`` costs more CPU than analysing an hour of running.
"""

from __future__ import annotations

from calfload.signal._analysis import Analysis, analyze
from calfload.signal._calf_raise import analyze_calf_raises, raise_angle_series
from calfload.signal._calf_types import CalfRaiseAnalysis, CalfRaiseParams, CalfRep, CalfSet
from calfload.signal._gait import analyze_gait
from calfload.signal._gait_types import GaitAnalysis, GaitParams
from calfload.signal._heel_rise import (
    HeelRiseParams,
    HeelRiseResult,
    SymmetryIndex,
    analyze_heel_rise_test,
    limb_symmetry_index,
)
from calfload.signal._hops import HopAnalysis, HopContact, HopParams, HopSet, analyze_hops

__all__ = [
    "Analysis",
    "CalfRaiseAnalysis",
    "CalfRaiseParams",
    "CalfRep",
    "CalfSet",
    "GaitAnalysis",
    "GaitParams",
    "HeelRiseParams",
    "HeelRiseResult",
    "HopAnalysis",
    "HopContact",
    "HopParams",
    "HopSet",
    "SymmetryIndex",
    "analyze",
    "analyze_calf_raises",
    "analyze_gait",
    "analyze_heel_rise_test",
    "analyze_hops",
    "limb_symmetry_index",
    "raise_angle_series",
]
