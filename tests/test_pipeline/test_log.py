"""pipeline.log_workout / log_session_pain and report._logged_text: ``calfload log`` as library calls.

Truth: what the journal stores (read back through its own API) and the unit conversions of
:mod:`calfload.units` (1 mi = 1.609344 km, 1 in = 2.54 cm).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calfload.errors import JournalError
from calfload.journal import Journal
from calfload.loadmodel._baseline import BaselineTest
from calfload.loadmodel._history import PainEntry
from calfload.pipeline import log_session_pain, log_workout
from calfload.report._logged_text import (
    baseline_logged,
    pain_logged,
    session_details_logged,
    session_pain_logged,
    workout_logged,
)

DAY = dt.date(2024, 5, 6)


def test_a_workout_is_stored_as_typed(tmp_path: Path) -> None:
    with Journal(tmp_path) as journal:
        logged = log_workout(journal, activity="calf_raise", day=DAY, sets_reps="3 × 12", added_load_kg=10.0)
        stored = journal.session(logged.session_id)
        assert stored is not None
        assert (stored.activity, stored.local_date, stored.added_load_kg) == ("calf_raise", DAY, 10.0)
        assert (logged.workout.sets, logged.workout.reps) == (3, 12)
        assert workout_logged(logged.session_id, logged.workout, "metric") == (
            f"session {logged.session_id} (2024-05-06): logged calf_raise 3 × 12 single_leg_standing at 10 kg"
        )
        run = log_workout(journal, activity="run", day=DAY, distance_km=16.09344, duration_min=80.0).workout
        assert workout_logged(9, run, "imperial").endswith("logged run 10.00 mi, 1:20:00")
        with pytest.raises(JournalError, match="looks like 3x12") as info:
            log_workout(journal, activity="calf_raise", day=DAY, sets_reps="3 by 12")
        assert info.value.parameter == "sets_reps"
        assert len(journal.sessions()) == 2  # the refused one stored nothing


def test_a_session_s_pain_goes_to_the_one_session_of_that_activity(tmp_path: Path) -> None:
    with Journal(tmp_path) as journal:
        run = log_workout(journal, activity="run", day=DAY, distance_km=8.0).session_id
        first = log_workout(journal, activity="calf_raise", day=DAY, sets_reps="3x12").session_id
        pain = log_session_pain(journal, day=DAY, activity="run", during=4, sharp=True)
        assert (pain.session_id, pain.day, pain.during, pain.after) == (run, DAY, 4, None)
        assert session_pain_logged(pain) == f"pain of session {run} (2024-05-06): during 4/10, sharp pain"
        second = log_workout(journal, activity="calf_raise", day=DAY, sets_reps="2x10").session_id
        with pytest.raises(JournalError, match="has 2 calf_raise sessions") as info:
            log_session_pain(journal, day=DAY, activity="calf_raise", after=3)
        assert info.value.parameter == "session_id"
        assert log_session_pain(journal, session_id=second, after=3).session_id == second
        with pytest.raises(JournalError, match="name the session"):
            log_session_pain(journal, day=DAY, during=1)
        assert {p.session_id for p in journal.session_pains()} == {run, second}  # never the first calf session
        assert first not in (run, second)


def test_what_was_logged_says_only_what_was_given() -> None:
    assert pain_logged(PainEntry(day=DAY, after=2, tenderness=5, swelling=True, sharp=True)) == (
        "pain on 2024-05-06: after 2/10, tenderness 5/10, swelling, sharp pain"
    )
    test = BaselineTest(side="left", day=DAY, heel_rise_reps=20, calf_circumference_cm=None, knee_to_wall_cm=12.7)
    assert baseline_logged(test, "metric") == "baseline left on 2024-05-06: 20 heel-rise reps, knee-to-wall 12.7 cm"
    assert baseline_logged(test, "imperial").endswith("knee-to-wall 5.0 in")


def test_a_session_s_details_are_said_back(tmp_path: Path) -> None:
    with Journal(tmp_path) as journal:
        sid = log_workout(journal, activity="calf_raise", day=DAY, sets_reps="3x12").session_id
        record = journal.set_session_details(sid, exercise="seated", added_load_kg=20.0)
    assert session_details_logged(record, "metric") == f"session {sid} (2024-05-06): seated, 20 kg added"
