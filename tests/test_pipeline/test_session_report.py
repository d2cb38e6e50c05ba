"""pipeline.recording_session / stored_session / period_days: what ``calfload report`` draws, as a library.

Truth: the sample calf session's simulator ground truth (``*.truth.json``: 38 reps), a real Garmin
FIT run (fitdecode's test file, its figures pinned in tests/snapshots), and calendar arithmetic.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.cli._errors import cli_message
from calfload.errors import AnalysisError, JournalError
from calfload.journal import Journal
from calfload.pipeline import import_into_journal, period_days, recording_session, stored_session
from calfload.signal import CalfRaiseAnalysis, GaitAnalysis

SAMPLE = "calf_endurance_52hz.csv"


class _Count:
    """Counts the steps a gathering reports, and keeps the last detail."""

    def __init__(self) -> None:
        self.steps = 0
        self.details: list[str] = []

    def set_detail(self, detail: str) -> None:
        self.details.append(detail)

    def advance(self, steps: int = 1, *, detail: str = "") -> None:
        self.steps += steps
        self.details += [detail] if detail else []


def test_a_recording_file_is_read_and_analysed(sample_dir: Path) -> None:
    truth = json.loads((sample_dir / SAMPLE.replace(".csv", ".truth.json")).read_text())
    counted = _Count()
    page = recording_session([sample_dir / SAMPLE], steps=counted)
    assert isinstance(page.analysis, CalfRaiseAnalysis)
    assert page.analysis.rep_count == truth["rep_count"] == 38
    assert (len(page.recordings), page.heart_rate, page.cadence) == (1, None, None)
    assert (page.source, page.name) == (SAMPLE, "calf_endurance_52hz")
    assert counted.steps == 2  # one file read, one analysis; the caller counts the drawing
    assert counted.details[0].startswith("reading ")
    assert counted.details[0].endswith(SAMPLE)
    assert counted.details[-1] == "finding reps and steps"


def test_a_real_run_gets_its_cadence_checked_without_a_journal(validation_dir: Path, tmp_path: Path) -> None:
    fit = validation_dir / "fit_running_files_fitdecode" / "garmin-fenix-5-run.fit"
    if not fit.is_file():
        pytest.skip("fitdecode's FIT files not present")
    page = recording_session([fit], data_dir=tmp_path / "no-journal")
    assert isinstance(page.analysis, GaitAnalysis)
    assert page.analysis.activity == "run"
    assert page.analysis.steps == 156  # tests/snapshots/analyze_fit_garmin-fenix-5-run.json
    assert page.cadence is not None  # a run is judged on its own without a journal
    assert page.day is not None
    assert page.recorded.startswith(page.day.isoformat())
    assert not (tmp_path / "no-journal").exists()  # looking for a journal never makes one


def test_no_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError, match="only heart-rate data given"):
        recording_session([])


def test_a_stored_session_is_the_one_imported(sample_dir: Path, tmp_path: Path) -> None:
    (outcome,) = import_into_journal(tmp_path / "journal", [sample_dir / SAMPLE])
    with Journal(tmp_path / "journal", create=False) as journal:
        stored = journal.session(outcome.session_id)
    assert stored is not None
    counted = _Count()
    page = stored_session(tmp_path / "journal", outcome.session_id, steps=counted)
    assert page.analysis == stored.analysis
    assert isinstance(page.analysis, CalfRaiseAnalysis)
    assert page.analysis.rep_count == 38
    assert (page.day, page.recorded) == (stored.local_date, stored.local_date.isoformat())
    assert page.source == f"session {outcome.session_id} ({SAMPLE})"
    assert len(page.recordings) == 1
    assert page.recordings[0].n_samples > 0
    assert counted.steps == 1
    with pytest.raises(JournalError, match="no session 99 in the journal") as info:
        stored_session(tmp_path / "journal", 99)
    assert info.value.parameter == "session_id"


@settings(max_examples=40, deadline=None)
@given(day=st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)), back=st.integers(0, 36_000))
def test_a_start_date_gives_the_days_from_it_to_the_last_day(day: dt.date, back: int) -> None:
    start = day - dt.timedelta(days=back)
    days = period_days(day, start, today=day)
    assert day - dt.timedelta(days=days - 1) == start  # both ends included
    assert period_days(day, days, today=day) == days  # a number of days is taken as it is


def test_bad_periods_are_refused_in_the_library_s_words() -> None:
    day = dt.date(2026, 3, 31)
    with pytest.raises(JournalError, match="is in the future"):
        period_days(day, 28, today=day - dt.timedelta(days=1))
    with pytest.raises(JournalError, match="after the period's last day") as info:
        period_days(day, day + dt.timedelta(days=1), today=day)
    assert info.value.parameter == "since"
    assert str(info.value).startswith("`since` 2026-04-01")
    assert cli_message(info.value).startswith("--since 2026-04-01")  # the command line names its flag
    with pytest.raises(JournalError, match="at most 36600 days"):
        period_days(day, dt.date(1900, 1, 1), today=day)
