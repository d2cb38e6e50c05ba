"""Signal processing: orientation, calf-raise reps and phases, hops, steps, cadence and contacts.

Depends on :mod:`calfload.schema` and :mod:`calfload.recording` only (never on ``ingest``).
The filters and the peak finder are NumPy kernels (:mod:`calfload.signal._kernels`, tested against
SciPy): importing ``scipy.signal`` costs more CPU than analysing an hour of running.

The typed results (one per analysis kind, the closed union :data:`AnalysisResult`) and their
stored form (:func:`to_record`, :func:`from_record`) import neither pandas nor SciPy, so the load
model and the journal can use them cheaply. Every public name, results and analyses alike, loads
from its module on first use (:func:`calfload._lazy.lazy_exports`).

Where things are: calf-raise reps and phases :mod:`calfload.signal._calf_raise`; walks and runs
:mod:`calfload.signal._gait`; hops :mod:`calfload.signal._hops`; the heel-rise test
:mod:`calfload.signal._heel_rise`; orientation and the uniform-grid front end
:mod:`calfload.signal._preprocess`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calfload._lazy import lazy_exports

if TYPE_CHECKING:
    from calfload.signal._analysis import Analysis, analyze
    from calfload.signal._calf_raise import analyze_calf_raises, raise_angle_series
    from calfload.signal._calf_types import CalfRaiseAnalysis, CalfRaiseParams, CalfRep, CalfSet
    from calfload.signal._footpod_types import DeviceSummary, FootpodGaitDetails
    from calfload.signal._gait import analyze_gait
    from calfload.signal._gait_params import GaitParams
    from calfload.signal._gait_types import GaitAnalysis, GaitBout, ImuGaitDetails
    from calfload.signal._heel_rise import analyze_heel_rise_test
    from calfload.signal._heel_rise_types import HeelRiseParams, HeelRiseResult, SymmetryIndex, limb_symmetry_index
    from calfload.signal._hops import analyze_hops
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

# Each public name is imported from its module on first use: a calf session's analysis loads the
# calf-raise types only, not the gait, hop and heel-rise results (about 30 frozen dataclasses,
# each generating its methods when its class is created).
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "calfload.signal._analysis": ("Analysis", "analyze"),
        "calfload.signal._calf_raise": ("analyze_calf_raises", "raise_angle_series"),
        "calfload.signal._calf_types": ("CalfRaiseAnalysis", "CalfRaiseParams", "CalfRep", "CalfSet"),
        "calfload.signal._gait": ("analyze_gait",),
        "calfload.signal._gait_params": ("GaitParams",),
        "calfload.signal._footpod_types": ("DeviceSummary", "FootpodGaitDetails"),
        "calfload.signal._gait_types": ("GaitAnalysis", "GaitBout", "ImuGaitDetails"),
        "calfload.signal._heel_rise": ("analyze_heel_rise_test",),
        "calfload.signal._heel_rise_types": (
            "HeelRiseParams",
            "HeelRiseResult",
            "SymmetryIndex",
            "limb_symmetry_index",
        ),
        "calfload.signal._hops": ("analyze_hops",),
        "calfload.signal._hops_types": ("HopAnalysis", "HopContact", "HopParams", "HopSet"),
        "calfload.signal._record": (
            "RECORD_VERSION",
            "AnalysisResult",
            "SessionAnalysis",
            "from_record",
            "params_from_record",
            "params_record",
            "record_json",
            "result_from_json",
            "row_from_record",
            "to_record",
        ),
    },
)

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
