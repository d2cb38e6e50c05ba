"""The use cases as a Python API: import, analyse, add to the journal, review, live counting, demo.

The command line only parses arguments, calls these functions and prints what they return; a
notebook calls them the same way (docs/api.md).

- :func:`import_files`: analyse recording files and add them to a journal in one transaction.
- :func:`import_into_journal`: the same by the journal's folder; a failed first import leaves no journal.
- :func:`add_recording_to_journal`: what ``calfload record`` does with a finished recording
  (:func:`main_stream_file` chooses the file that stands for it).
- :func:`reanalyze`, :func:`apply_reanalysis`: run today's algorithms over the stored recordings.
- :func:`correct_session`: correct a stored session (a new activity re-analyses its recording).
- :func:`review_journal`: today's flag, reasons and next step from a journal.
- :func:`review_period`: the days, sessions and heel-rise tests of a period (the period report).
- :func:`run_heel_rise_test`: the heel-rise endurance test, read and stored (its steps:
  :func:`heel_rise_test`, :func:`store_heel_rise_test`).
- :func:`log_session_pain`, :func:`log_workout`: journal entries that need a decision first (which
  session a pain belongs to; sets x reps read from text).
- :func:`live_hook`: the live rep count or cadence shown while recording.
- :func:`session_streams`, :func:`feet_pair`, :func:`check_pair`: which streams of the given
  files make one session; :func:`cadence_check`: a run's cadence alerts against the journal.
- :func:`recording_session`, :func:`stored_session`: what a session's report page shows, from
  recording files or from the journal (:class:`SessionPage`); :func:`period_days`: a period's span.
- :func:`write_report`: a report page written where it never replaces stored data (:func:`check_report_path`,
  :func:`free_name`, :func:`report_name`; :func:`athlete_pages` names a roster's pages);
  :func:`write_share_page`, :func:`write_share_pdf`: the one-page summary to hand over.
- :func:`build_demo_journal`: four weeks of the sample sessions in a new journal.
- :func:`calfload.pipeline.batch.run_batch`: every recording under a folder tree on a local process
  pool or a Dask cluster, into a Parquet results dataset (a submodule: import it by name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calfload._lazy import lazy_exports

if TYPE_CHECKING:
    from calfload.pipeline._cadence import cadence_check
    from calfload.pipeline._correct import correct_session
    from calfload.pipeline._demo import build_demo_journal
    from calfload.pipeline._heel_rise import (
        FOOT_LENGTH_SETTING,
        HeelRiseOutcome,
        HeelRiseTest,
        heel_rise_test,
        run_heel_rise_test,
        store_heel_rise_test,
    )
    from calfload.pipeline._import import Analyzer, ImportFailure, ImportOverrides, ImportResult, import_files
    from calfload.pipeline._journal_import import import_into_journal
    from calfload.pipeline._live import CalfRaiseCounter, LiveCadence, live_hook
    from calfload.pipeline._log import LoggedWorkout, log_session_pain, log_workout
    from calfload.pipeline._reanalyze import (
        Reanalyzer,
        SessionChange,
        SessionFigures,
        analyze_stored,
        apply_reanalysis,
        reanalyze,
    )
    from calfload.pipeline._record import add_recording_to_journal, main_stream_file
    from calfload.pipeline._report_files import (
        REPORT_SUFFIXES,
        athlete_pages,
        check_report_path,
        free_name,
        report_name,
        write_report,
    )
    from calfload.pipeline._review import PROGRAMME_SETTING, athlete_programme, review_journal, review_period
    from calfload.pipeline._session_report import SessionPage, period_days, recording_session, stored_session
    from calfload.pipeline._share import share_name, write_share_page, write_share_pdf
    from calfload.pipeline._streams import check_pair, feet_pair, session_streams

# Each public name is imported from its module on first use, so importing one submodule stays cheap.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "calfload.pipeline._cadence": ("cadence_check",),
        "calfload.pipeline._correct": ("correct_session",),
        "calfload.pipeline._demo": ("build_demo_journal",),
        "calfload.pipeline._heel_rise": (
            "FOOT_LENGTH_SETTING",
            "HeelRiseOutcome",
            "HeelRiseTest",
            "heel_rise_test",
            "run_heel_rise_test",
            "store_heel_rise_test",
        ),
        "calfload.pipeline._import": ("Analyzer", "ImportFailure", "ImportOverrides", "ImportResult", "import_files"),
        "calfload.pipeline._journal_import": ("import_into_journal",),
        "calfload.pipeline._log": ("LoggedWorkout", "log_session_pain", "log_workout"),
        "calfload.pipeline._live": ("CalfRaiseCounter", "LiveCadence", "live_hook"),
        "calfload.pipeline._reanalyze": (
            "Reanalyzer",
            "SessionChange",
            "SessionFigures",
            "analyze_stored",
            "apply_reanalysis",
            "reanalyze",
        ),
        "calfload.pipeline._record": ("add_recording_to_journal", "main_stream_file"),
        "calfload.pipeline._review": ("PROGRAMME_SETTING", "athlete_programme", "review_journal", "review_period"),
        "calfload.pipeline._report_files": (
            "REPORT_SUFFIXES",
            "athlete_pages",
            "check_report_path",
            "free_name",
            "report_name",
            "write_report",
        ),
        "calfload.pipeline._session_report": ("SessionPage", "period_days", "recording_session", "stored_session"),
        "calfload.pipeline._share": ("share_name", "write_share_page", "write_share_pdf"),
        "calfload.pipeline._streams": ("check_pair", "feet_pair", "session_streams"),
    },
)

__all__ = [
    "FOOT_LENGTH_SETTING",
    "PROGRAMME_SETTING",
    "REPORT_SUFFIXES",
    "Analyzer",
    "CalfRaiseCounter",
    "HeelRiseOutcome",
    "HeelRiseTest",
    "ImportFailure",
    "ImportOverrides",
    "ImportResult",
    "LiveCadence",
    "LoggedWorkout",
    "Reanalyzer",
    "SessionChange",
    "SessionFigures",
    "SessionPage",
    "add_recording_to_journal",
    "analyze_stored",
    "apply_reanalysis",
    "athlete_pages",
    "athlete_programme",
    "build_demo_journal",
    "cadence_check",
    "check_pair",
    "check_report_path",
    "correct_session",
    "feet_pair",
    "free_name",
    "heel_rise_test",
    "import_files",
    "import_into_journal",
    "live_hook",
    "log_session_pain",
    "log_workout",
    "main_stream_file",
    "period_days",
    "reanalyze",
    "recording_session",
    "report_name",
    "review_journal",
    "review_period",
    "run_heel_rise_test",
    "session_streams",
    "share_name",
    "store_heel_rise_test",
    "stored_session",
    "write_report",
    "write_share_page",
    "write_share_pdf",
]
