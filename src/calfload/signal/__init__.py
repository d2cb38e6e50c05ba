"""Signal processing: orientation, calf-raise reps and phases, hops, steps, cadence and contacts.

Depends on :mod:`calfload.schema` and :mod:`calfload.recording` only (never on ``ingest``).
The filters and the peak finder are NumPy kernels (:mod:`calfload.signal._kernels`, tested against
SciPy): importing ``scipy.signal`` costs more CPU than analysing an hour of running.

The typed results (one per analysis kind, the closed union :data:`AnalysisResult`) and their
stored form (:func:`to_record`, :func:`from_record`) load eagerly and import neither pandas nor
SciPy, so the load model and the journal can use them cheaply; the analyses themselves load on
first use (PEP 562).

Where things are: calf-raise reps and phases :mod:`calfload.signal._calf_raise`; walks and runs
:mod:`calfload.signal._gait`; hops :mod:`calfload.signal._hops`; the heel-rise test
:mod:`calfload.signal._heel_rise`; orientation and the uniform-grid front end
:mod:`calfload.signal._preprocess`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from calfload.signal._calf_types import CalfRaiseAnalysis, CalfRaiseParams, CalfRep, CalfSet
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_types import (
    DeviceSummary,
    FootpodGaitDetails,
    GaitAnalysis,
    GaitBout,
    ImuGaitDetails,
)
from calfload.signal._heel_rise_types import HeelRiseParams, HeelRiseResult, SymmetryIndex, limb_symmetry_index
from calfload.signal._hops_types import HopAnalysis, HopContact, HopParams, HopSet
from calfload.signal._record import (
    RECORD_VERSION,
    AnalysisResult,
    SessionAnalysis,
    from_record,
    params_from_record,
    params_record,
    record_json,
    result_from_json,
    row_from_record,
    to_record,
)

if TYPE_CHECKING:
    from calfload.signal._analysis import Analysis, analyze
    from calfload.signal._calf_raise import analyze_calf_raises, raise_angle_series
    from calfload.signal._gait import analyze_gait
    from calfload.signal._heel_rise import analyze_heel_rise_test
    from calfload.signal._hops import analyze_hops

_LAZY = {
    "Analysis": "calfload.signal._analysis",
    "analyze": "calfload.signal._analysis",
    "analyze_calf_raises": "calfload.signal._calf_raise",
    "raise_angle_series": "calfload.signal._calf_raise",
    "analyze_gait": "calfload.signal._gait",
    "analyze_heel_rise_test": "calfload.signal._heel_rise",
    "analyze_hops": "calfload.signal._hops",
}


def __getattr__(name: str) -> Any:
    """Load the analyses (NumPy, SciPy, pandas) on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RECORD_VERSION",
    "Analysis",
    "AnalysisResult",
    "CalfRaiseAnalysis",
    "CalfRaiseParams",
    "CalfRep",
    "CalfSet",
    "DeviceSummary",
    "FootpodGaitDetails",
    "GaitAnalysis",
    "GaitBout",
    "GaitParams",
    "HeelRiseParams",
    "HeelRiseResult",
    "HopAnalysis",
    "HopContact",
    "HopParams",
    "HopSet",
    "ImuGaitDetails",
    "SessionAnalysis",
    "SymmetryIndex",
    "analyze",
    "analyze_calf_raises",
    "analyze_gait",
    "analyze_heel_rise_test",
    "analyze_hops",
    "from_record",
    "limb_symmetry_index",
    "params_from_record",
    "params_record",
    "raise_angle_series",
    "record_json",
    "result_from_json",
    "row_from_record",
    "to_record",
]
