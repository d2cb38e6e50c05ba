"""Achilles-tendon load per session, trends and the daily flag: pure functions of a typed history.

The load model never touches a file: :mod:`calfload.journal` stores sessions and builds the
:class:`History` this package reads.

- :func:`session_load`: per-session, per-leg load, a pure function of a typed analysis result, its
  metadata and the athlete (:class:`SessionInput`, :class:`Athlete`).
- :func:`daily_trend`, :func:`ewma`: daily load and its 7- and 28-day averages.
- :func:`evaluate_day`: the back off / hold / progress flag with reasons and the next step.
- :func:`build_review`: the ``calfload review`` object (:func:`calfload.pipeline.review_journal`
  reads the journal and calls it).

Figures are a relative index for decisions, not a measurement of tendon force. Constants and
their sources: :data:`PRESETS` and ``docs/load-model.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calfload._lazy import lazy_exports

if TYPE_CHECKING:
    from calfload.loadmodel._athlete import build_history, learn_athlete
    from calfload.loadmodel._baseline import BaselineTest, HeelRiseDetails, SymmetryRecord
    from calfload.loadmodel._calf_dose import CalfDoseWeek, calf_dose_week
    from calfload.loadmodel._force import EXERCISES, Exercise, heel_raise_force_bw, hop_force_bw, run_force_bw
    from calfload.loadmodel._history import History, PainEntry
    from calfload.loadmodel._params import (
        DEFAULT_PARAMETERS,
        PRESETS,
        PROGRAMMES,
        DamageParameters,
        FlagParameters,
        ForceParameters,
        LoadModelParameters,
        ProgrammeParameters,
        TrendParameters,
    )
    from calfload.loadmodel._period import HeelRisePair, Period, PeriodSession, build_period, heel_rise_pairs
    from calfload.loadmodel._period_bins import PeriodBin, bin_unit, period_bins
    from calfload.loadmodel._review import DISCLAIMER, DaySummary, Review, TrendToday, WeekSummary, build_review
    from calfload.loadmodel._rules import DailyFlag, evaluate_day, flag_history
    from calfload.loadmodel._session import (
        ACTIVITY_MODELS,
        Athlete,
        SessionInput,
        SessionLoad,
        StrengthDose,
        easy_run_force_bw,
        register_activity_model,
        session_load,
    )
    from calfload.loadmodel._trend import (
        DailyTrend,
        daily_trend,
        ewma,
        ewma_lambda,
        monotony,
        rolling_ratio,
        uncoupled_ratio,
    )

# Each public name is imported from its module on first use, so importing one submodule stays cheap.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "calfload.loadmodel._athlete": ("build_history", "learn_athlete"),
        "calfload.loadmodel._baseline": ("BaselineTest", "HeelRiseDetails", "SymmetryRecord"),
        "calfload.loadmodel._calf_dose": ("CalfDoseWeek", "calf_dose_week"),
        "calfload.loadmodel._force": ("EXERCISES", "Exercise", "heel_raise_force_bw", "hop_force_bw", "run_force_bw"),
        "calfload.loadmodel._history": ("History", "PainEntry"),
        "calfload.loadmodel._params": (
            "DEFAULT_PARAMETERS",
            "PRESETS",
            "PROGRAMMES",
            "DamageParameters",
            "FlagParameters",
            "ForceParameters",
            "LoadModelParameters",
            "ProgrammeParameters",
            "TrendParameters",
        ),
        "calfload.loadmodel._period": ("HeelRisePair", "Period", "PeriodSession", "build_period", "heel_rise_pairs"),
        "calfload.loadmodel._period_bins": ("PeriodBin", "bin_unit", "period_bins"),
        "calfload.loadmodel._review": (
            "DISCLAIMER",
            "DaySummary",
            "Review",
            "TrendToday",
            "WeekSummary",
            "build_review",
        ),
        "calfload.loadmodel._rules": ("DailyFlag", "evaluate_day", "flag_history"),
        "calfload.loadmodel._session": (
            "ACTIVITY_MODELS",
            "Athlete",
            "SessionInput",
            "SessionLoad",
            "StrengthDose",
            "easy_run_force_bw",
            "register_activity_model",
            "session_load",
        ),
        "calfload.loadmodel._trend": (
            "DailyTrend",
            "daily_trend",
            "ewma",
            "ewma_lambda",
            "monotony",
            "rolling_ratio",
            "uncoupled_ratio",
        ),
    },
)

__all__ = [
    "ACTIVITY_MODELS",
    "DEFAULT_PARAMETERS",
    "DISCLAIMER",
    "EXERCISES",
    "PRESETS",
    "PROGRAMMES",
    "Athlete",
    "BaselineTest",
    "CalfDoseWeek",
    "DailyFlag",
    "DailyTrend",
    "DamageParameters",
    "DaySummary",
    "Exercise",
    "FlagParameters",
    "ForceParameters",
    "HeelRiseDetails",
    "HeelRisePair",
    "History",
    "LoadModelParameters",
    "PainEntry",
    "Period",
    "PeriodBin",
    "PeriodSession",
    "ProgrammeParameters",
    "Review",
    "SessionInput",
    "SessionLoad",
    "StrengthDose",
    "SymmetryRecord",
    "TrendParameters",
    "TrendToday",
    "WeekSummary",
    "bin_unit",
    "build_history",
    "build_period",
    "build_review",
    "calf_dose_week",
    "daily_trend",
    "easy_run_force_bw",
    "evaluate_day",
    "ewma",
    "ewma_lambda",
    "flag_history",
    "heel_raise_force_bw",
    "heel_rise_pairs",
    "hop_force_bw",
    "learn_athlete",
    "monotony",
    "period_bins",
    "register_activity_model",
    "rolling_ratio",
    "run_force_bw",
    "session_load",
    "uncoupled_ratio",
]
