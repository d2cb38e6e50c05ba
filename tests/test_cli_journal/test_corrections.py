"""Correcting the journal through the CLI (issue 13 item 7): correct, delete, undelete, with an audit trail.

The review is recomputed from the corrected history: the same athlete's flag changes exactly as the
rule table says when a session moves, is deleted or comes back. Wrong input is one line and changes
nothing (row counts of every table, the deletions included, stay as they were).
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from calfload.journal import Journal
from calfload.signal import CalfRaiseAnalysis, GaitAnalysis, result_from_json
from tests.test_cli_journal.conftest import DAY, MONDAY, Athlete, _d


def _ids(athlete: Athlete, day) -> list[int]:
    return [s["id"] for s in athlete.review(day)["sessions"] if s["date"] == day.isoformat()]


def _edits(cli) -> list[tuple[int, str, str | None, str | None]]:
    with sqlite3.connect(cli.data_dir / "journal.sqlite3") as conn:
        return conn.execute("SELECT session_id, field, old_value, new_value FROM session_edit ORDER BY id").fetchall()


def _friday(athlete: Athlete) -> list:
    """A calf session logged for the first Friday (workouts: no recordings to analyse, so the test is cheap)."""
    friday = _d(0, 4)
    athlete.workout(friday, "--activity", "calf_raise", "--sets-reps", "2x12")
    return [friday]


def test_a_session_on_the_wrong_day_is_moved_and_the_review_follows(athlete):
    """A calf session logged for Saturday after Friday's holds (R6); moved to Sunday, the spacing is fine."""
    days = _friday(athlete)
    saturday = days[-1] + DAY
    out = athlete.workout(saturday, "--activity", "calf_raise", "--sets-reps", "2x12")
    sid = int(out.split()[1])
    athlete.mornings(saturday, saturday + DAY)
    assert athlete.review(saturday)["rules"][0] == "R6"
    athlete.cli.ok("correct", str(sid), "--date", (saturday + DAY).isoformat(), "--added-load-kg", "2.5")
    assert "R6" not in athlete.review(saturday + DAY)["rules"]
    moved = [s for s in athlete.review(saturday + DAY)["sessions"] if s["id"] == sid]
    assert (moved[0]["date"], moved[0]["added_load_kg"]) == ((saturday + DAY).isoformat(), 2.5)
    fields = {(f, old, new) for s, f, old, new in _edits(athlete.cli) if s == sid}
    assert ("local_date", saturday.isoformat(), (saturday + DAY).isoformat()) in fields
    assert ("added_load_kg", None, "2.5") in fields


def test_deleted_sessions_leave_the_review_and_undelete_brings_them_back(athlete):
    days = _friday(athlete)
    saturday = days[-1] + DAY
    athlete.workout(saturday, "--activity", "calf_raise", "--sets-reps", "2x12")
    athlete.mornings(saturday, saturday)
    before = athlete.review(saturday)
    assert (before["flag"], before["rules"][0]) == ("hold", "R6")
    friday_ids = _ids(athlete, days[-1])
    assert len(friday_ids) == 1
    athlete.cli.ok("delete", "session", str(friday_ids[0]))
    assert "R6" not in athlete.review(saturday)["rules"]
    listing = athlete.cli.ok("undelete")
    assert f"session {friday_ids[0]} ({days[-1].isoformat()}, calf_raise" in listing
    assert re.search(r"\(deleted \d{4}-\d\d-\d\d\)$", listing.strip()), listing  # was "(deleted, deleted D)"
    athlete.cli.ok("undelete", listing.split()[0])
    assert athlete.review(saturday) == before
    listing = " ".join(athlete.cli.ok("undelete").split())  # wrapped at 80 columns
    assert re.search(r"\(deleted \d{4}-\d\d-\d\d, undeleted \d{4}-\d\d-\d\d\)$", listing), listing


def test_a_run_logged_by_hand_becomes_a_walk_but_not_a_calf_session(athlete):
    athlete.run(MONDAY, 5.0)
    run_id = _ids(athlete, MONDAY)[0]
    athlete.cli.ok("correct", str(run_id), "--activity", "walk")
    session = athlete.review(MONDAY)["sessions"][0]
    assert session["activity"] == "walk"
    assert session["peak_force_bw"] == pytest.approx(3.0)  # walking's constant, not a run's force
    code, _, err = athlete.cli("correct", str(run_id), "--activity", "calf_raise")
    assert code == 5
    assert "can move between run and walk only" in err


def test_an_entry_is_deleted_and_restored(athlete):
    athlete.pain(MONDAY, morning=7)
    assert athlete.review(MONDAY)["rules"] == ["R11"]
    athlete.cli.ok("delete", "entry", "pain", "--date", MONDAY.isoformat())
    assert "R11" not in athlete.review(MONDAY)["rules"]
    athlete.pain(MONDAY, morning=0)
    code, _, err = athlete.cli("undelete", "1")
    assert code == 5
    assert "holds one in its place now" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("correct", "99", "--side", "left"), "there is no session 99"),
        (("correct", "1", "--date", "2999-01-01"), "is in the future"),
        (("correct", "1", "--added-load-kg", "500"), "--added-load-kg must be from 0 to 200 kg, not 500"),
        (("correct", "1", "--exercise", "pogo_jumps"), "'pogo_jumps' is a hops exercise"),
        (("correct", "1"), "give what to correct"),
        (("delete", "session", "99"), "there is no session 99"),
        (("delete", "entry", "mass", "--date", "2024-05-01"), "there is no mass entry on 2024-05-01"),
        (("delete", "entry", "baseline", "--date", "2024-05-06"), "by its --side"),
        (("undelete", "42"), "there is no deletion 42"),
    ],
)
def test_wrong_corrections_are_one_line_and_change_nothing(athlete, args, message):
    athlete.workout(_d(0, 0), "--activity", "calf_raise", "--sets-reps", "2x12")
    with Journal(athlete.cli.data_dir) as journal:
        before = journal.counts()
    code, _, err = athlete.cli(*args)
    assert code == 5, err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    with Journal(athlete.cli.data_dir) as journal:
        assert journal.counts() == before


def test_a_recording_imported_as_the_wrong_activity_is_reanalysed_as_the_right_one(athlete, calf_file):
    """A simulated 2 x 12 calf session imported as a walk: corrected, its recording is analysed again."""
    path = calf_file(MONDAY)
    athlete.cli.ok("import", path, "--activity", "walk")
    [session] = athlete.review(MONDAY)["sessions"]
    assert session["activity"] == "walk"
    athlete.cli.ok("correct", str(session["id"]), "--activity", "calf_raise")
    [fixed] = athlete.review(MONDAY)["sessions"]
    assert (fixed["activity"], fixed["sets"], fixed["reps_per_set"]) == ("calf_raise", 2, 12)  # the simulated truth
    assert fixed["tempo_pass_rate"] == 1.0  # every simulated lowering took 3.3 s
    assert (fixed["exercise"], fixed["exercise_assumed"]) == ("single_leg_standing", False)  # the file's, kept
    edits = {f: (o, n) for s, f, o, n in _edits(athlete.cli) if s == session["id"]}
    assert {"activity", "analysis_json"} <= set(edits)
    # Nothing is lost: the audit trail holds the walk analysis the correction replaced, whole.
    old_json, new_json = edits["analysis_json"]
    assert old_json is not None
    assert new_json is not None
    replaced, current = result_from_json(old_json), result_from_json(new_json)
    assert isinstance(replaced, GaitAnalysis)
    assert isinstance(current, CalfRaiseAnalysis)
    assert len(current.sets) == 2
