"""Achilles-tendon load per session, the journal's history, trends and the daily flag.

- :class:`Journal`: the SQLite journal (sessions with their analysis summaries, pain, body mass,
  baseline tests), transactional and migrated on open.
- :func:`session_load`: per-session, per-leg load, a pure function of an analysis summary, its
  metadata and the athlete (:class:`SessionInput`, :class:`Athlete`).
- :func:`daily_trend`, :func:`ewma`: daily load and its 7- and 28-day averages.
- :func:`evaluate_day`: the back off / hold / progress flag with reasons and the next step.
- :func:`review_journal`, :func:`build_review`: the ``calfload review`` object.

Figures are a relative index for decisions, not a measurement of tendon force. Constants and
their sources: :data:`PRESETS` and ``docs/load-model.md``.
"""

from __future__ import annotations

from calfload.loadmodel._force import EXERCISES, Exercise, heel_raise_force_bw, hop_force_bw, run_force_bw
from calfload.loadmodel._history import History, PainEntry
from calfload.loadmodel._journal import (
    DB_NAME,
    AddOutcome,
    BaselineTest,
    Journal,
    PreparedSession,
    SessionRecord,
    resolve_data_dir,
    sha256_of_file,
    today_local,
)
from calfload.loadmodel._params import (
    DEFAULT_PARAMETERS,
    PRESETS,
    DamageParameters,
    FlagParameters,
    ForceParameters,
    LoadModelParameters,
    ProgrammeParameters,
    TrendParameters,
)
from calfload.loadmodel._review import DISCLAIMER, Review, build_review, review_journal
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

__all__ = [
    "ACTIVITY_MODELS",
    "DB_NAME",
    "DEFAULT_PARAMETERS",
    "DISCLAIMER",
    "EXERCISES",
    "PRESETS",
    "AddOutcome",
    "Athlete",
    "BaselineTest",
    "DailyFlag",
    "DailyTrend",
    "DamageParameters",
    "Exercise",
    "FlagParameters",
    "ForceParameters",
    "History",
    "Journal",
    "LoadModelParameters",
    "PainEntry",
    "PreparedSession",
    "ProgrammeParameters",
    "Review",
    "SessionInput",
    "SessionLoad",
    "SessionRecord",
    "StrengthDose",
    "TrendParameters",
    "build_review",
    "daily_trend",
    "easy_run_force_bw",
    "evaluate_day",
    "ewma",
    "ewma_lambda",
    "flag_history",
    "heel_raise_force_bw",
    "hop_force_bw",
    "monotony",
    "register_activity_model",
    "resolve_data_dir",
    "review_journal",
    "rolling_ratio",
    "run_force_bw",
    "session_load",
    "sha256_of_file",
    "today_local",
    "uncoupled_ratio",
]
