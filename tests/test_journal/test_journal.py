"""The journal: location, schema migrations, WAL, validation, idempotent and atomic imports."""

from __future__ import annotations

import datetime as dt
import sqlite3

import numpy as np
import pandas as pd
import pytest

from calfload.errors import JournalError
from calfload.journal import Journal, resolve_data_dir
from calfload.journal._migrations import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version
from calfload.loadmodel import Athlete, HeelRiseDetails, session_load
from calfload.recording import Recording, make_recording
from calfload.schema import ACC_MPS2, GYR_DPS, T_S, RecordingMeta
from tests.test_loadmodel.analyses import typed

TODAY = dt.date(2024, 6, 1)


def _recording(start: dt.datetime, *, seed: int = 0) -> Recording:
    rng = np.random.default_rng(seed)
    n = 500
    frame = pd.DataFrame({T_S: np.arange(n) / 50.0})
    for name, value in zip(ACC_MPS2, (0.0, 0.0, 9.81), strict=True):
        frame[name] = (value + rng.normal(0, 0.01, n)).astype(np.float32)
    for name in GYR_DPS:
        frame[name] = rng.normal(0, 0.1, n).astype(np.float32)
    meta = RecordingMeta(sample_rate_hz=50.0, start_utc=start, placement="foot", side="left", activity="calf_raise")
    return make_recording(frame, meta)


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "data", today=TODAY) as j:
        yield j


def _add(journal: Journal, day: dt.date, analysis: dict, digest: str) -> int:
    rec = _recording(dt.datetime.combine(day, dt.time(7, 30), tzinfo=dt.UTC))
    return journal.add_session(
        streams=[rec], analysis=typed(analysis), content_sha256=digest, source_name=f"{digest}.csv"
    ).session_id


def test_data_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("CALFLOAD_HOME", str(tmp_path / "home"))
    assert resolve_data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert resolve_data_dir(None) == tmp_path / "home"
    monkeypatch.delenv("CALFLOAD_HOME")
    assert resolve_data_dir(None).name == "calfload"


def test_new_journal_is_migrated_and_in_wal_mode(journal):
    conn = sqlite3.connect(journal.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert schema_version(conn) == SCHEMA_VERSION == len(MIGRATIONS)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"session", "stream", "pain", "body_mass", "baseline_test", "setting", "session_edit"} <= tables
    finally:
        conn.close()


def test_migrations_apply_in_order_and_only_once(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)
    try:
        extra = ("CREATE TABLE heel_rise_rep (test_id INTEGER, height_cm REAL)",)
        n = len(MIGRATIONS)
        assert migrate(conn) == n
        assert migrate(conn, (*MIGRATIONS, extra)) == n + 1
        assert migrate(conn, (*MIGRATIONS, extra)) == n + 1  # idempotent
        with pytest.raises(JournalError, match="newer than this calfload"):
            migrate(conn)
    finally:
        conn.close()


def test_failed_migration_rolls_back(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)
    try:
        migrate(conn)
        broken = ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL")
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, (*MIGRATIONS, broken))
        assert schema_version(conn) == len(MIGRATIONS)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_newer_journal_is_refused_in_one_line(tmp_path):
    with Journal(tmp_path) as j:
        path = j.path
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(JournalError, match="upgrade calfload"):
        Journal(tmp_path)


def test_not_a_journal_is_refused(tmp_path):
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(
        JournalError, match=r"is damaged \(file is not a database\); nothing was written to it: run `calfload check`"
    ):
        Journal(tmp_path)
    assert path.read_bytes() == b"this is not sqlite at all" * 100


def test_pain_entries_merge_per_day(journal):
    journal.log_pain(TODAY, morning=1)
    entry = journal.log_pain(TODAY, during=3)
    assert (entry.during, entry.after, entry.morning) == (3, None, 1)
    assert journal.pain_entries() == [entry]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda j: j.log_pain(TODAY, during=11), "pain during must be a whole number from 0 to 10"),
        (lambda j: j.log_pain(TODAY, morning=-1), "pain morning must be"),
        (lambda j: j.log_pain(TODAY), "give at least one"),
        (lambda j: j.log_pain(TODAY + dt.timedelta(days=1), morning=1), "is in the future"),
        (lambda j: j.log_mass(0), "body mass must be from 20 to 300 kg"),
        (lambda j: j.log_mass(float("nan")), "body mass must be"),
        (lambda j: j.log_baseline("middle", heel_rise_reps=20), "side must be left or right"),
        (lambda j: j.log_baseline("left", calf_circumference_cm=200.0), "calf circumference must be"),
        (lambda j: j.log_baseline("left"), "give at least one"),
        (lambda j: j.set_session_details(42, exercise="seated"), "there is no session 42"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(journal, call, message):
    journal.log_pain(TODAY, morning=0)
    before = journal.counts()
    with pytest.raises(JournalError, match=message) as info:
        call(journal)
    assert "\n" not in str(info.value)
    assert journal.counts() == before
    assert journal.pain_entries()[0].morning == 0


def test_baseline_per_side_and_day(journal):
    journal.log_baseline("left", TODAY, heel_rise_reps=25, calf_circumference_cm=38.5)
    journal.log_baseline("left", TODAY, knee_to_wall_cm=11.0)
    assert not journal.store_measured_baseline(
        "right", TODAY, heel_rise_reps=18, details=HeelRiseDetails(heights_cm=(9.1, 8.7))
    )
    left, right = journal.baseline_tests()
    assert (left.heel_rise_reps, left.calf_circumference_cm, left.knee_to_wall_cm) == (25, 38.5, 11.0)
    assert right.details == HeelRiseDetails(heights_cm=(9.1, 8.7))


def test_a_same_day_test_and_logged_baseline_are_separate_records(journal):
    """Issue 13 item 4: never one row with the reps of one test and the heights of another."""
    journal.log_baseline("right", TODAY, heel_rise_reps=40)
    journal.store_measured_baseline("right", TODAY, heel_rise_reps=18, details=HeelRiseDetails(mean_height_cm=9.0))
    logged, measured = journal.baseline_tests()
    assert (logged.source, logged.heel_rise_reps, logged.details) == ("logged", 40, None)
    assert (measured.source, measured.heel_rise_reps, measured.details) == (
        "measured",
        18,
        HeelRiseDetails(mean_height_cm=9.0),
    )
    # A second measured test the same day replaces the first, whole, and says so; the first is kept.
    assert journal.store_measured_baseline(
        "right", TODAY, heel_rise_reps=21, details=HeelRiseDetails(mean_height_cm=8.0)
    )
    logged, measured = journal.baseline_tests()
    assert logged.heel_rise_reps == 40
    assert (measured.heel_rise_reps, measured.details) == (21, HeelRiseDetails(mean_height_cm=8.0))
    assert [d.what for d in journal.deleted_items()] == [f"measured right baseline of {TODAY.isoformat()}"]


def test_import_is_idempotent_by_content(journal):
    analysis = {"activity": "calf_raise", "rep_count": 24, "duration_s": 10.0}
    first = _add(journal, TODAY, analysis, "a" * 64)
    counts = journal.counts()
    again = journal.add_session(
        streams=[_recording(dt.datetime(2024, 6, 1, 7, 30, tzinfo=dt.UTC))],
        analysis=typed(analysis),
        content_sha256="a" * 64,
        source_name="copy.csv",
    )
    assert (again.session_id, again.created) == (first, False)
    assert journal.counts() == counts
    record = journal.session(first)
    assert record is not None
    assert record.local_date == TODAY
    assert record.stream_paths["imu"].is_file()
    assert record.stream_paths["imu"].parent == journal.data_dir / "recordings"
    assert record.analysis.rep_count == 24


def test_future_and_undated_recordings_are_refused(journal):
    analysis = {"activity": "calf_raise", "rep_count": 1}
    with pytest.raises(JournalError, match="in the future"):
        _add(journal, TODAY + dt.timedelta(days=2), analysis, "b" * 64)
    with pytest.raises(JournalError, match="no start time"):
        _add(journal, dt.date(1970, 1, 1), analysis, "c" * 64)
    assert journal.counts()["session"] == 0


def test_session_details_are_editable_with_an_audit_trail(journal):
    sid = _add(journal, TODAY, {"activity": "calf_raise", "rep_count": 24}, "d" * 64)
    record = journal.set_session_details(sid, exercise="bilateral_standing", added_load_kg=10.0)
    assert (record.exercise, record.added_load_kg) == ("bilateral_standing", 10.0)
    assert journal.counts()["session_edit"] == 2
    with pytest.raises(JournalError, match="'ankle_hops' is a hops exercise, not one for a calf_raise session"):
        journal.set_session_details(sid, exercise="ankle_hops")
    with pytest.raises(JournalError, match="added load must be from 0 to 200 kg"):
        journal.set_session_details(sid, added_load_kg=500.0)


def test_a_failure_inside_a_command_rolls_everything_back(journal):
    before = journal.counts()

    def command() -> None:
        with journal.transaction():
            journal.log_mass(70.0, TODAY)
            _add(journal, TODAY, {"activity": "calf_raise", "rep_count": 3}, "e" * 64)
            raise RuntimeError("killed half way")

    with pytest.raises(RuntimeError, match="killed"):
        command()
    assert journal.counts() == before


def test_history_uses_body_mass_at_the_session_date(journal):
    journal.log_mass(60.0, TODAY - dt.timedelta(days=10))
    journal.log_mass(80.0, TODAY)
    sid = _add(journal, TODAY - dt.timedelta(days=5), {"activity": "calf_raise", "rep_count": 10}, "f" * 64)
    journal.set_session_details(sid, added_load_kg=6.0)
    history = journal.history(TODAY)
    (session,) = history.sessions
    assert session.peak_force_bw == pytest.approx(2.5 * 66 / 60)
    assert history.body_mass_kg == 80.0


def test_easy_speed_is_learned_from_runs(journal):
    run = {
        "activity": "run",
        "duration_s": 2000.0,
        "steps": 5600,
        "speed_mps": {"median": 2.5},
        "cadence_spm": {"median": 168.0},
    }
    first = TODAY - dt.timedelta(days=3)
    _add(journal, first, run, "1" * 64)
    athlete = journal.athlete(TODAY)
    assert (athlete.easy_run_speed_mps, athlete.habitual_cadence_spm) == (2.5, 168.0)
    (session,) = journal.history(TODAY).sessions
    # The first run is measured against the default easy pace: nothing was learned before it.
    (record,) = journal.sessions()
    assert session.load_au == pytest.approx(session_load(record.to_input(), Athlete()).load_au)
    assert session.load_au < session.cycles_per_leg  # slower than the default pace
    _add(journal, TODAY, run, "2" * 64)
    _, second = journal.history(TODAY).sessions
    assert second.load_au == pytest.approx(second.cycles_per_leg)  # the athlete's own easy run is the unit


def test_a_sessions_load_does_not_change_as_newer_runs_arrive(journal):
    """history(until) learned the easy pace from every run up to ``until``: old loads moved, series broke."""

    def run(speed: float) -> dict:
        return {"activity": "run", "duration_s": 2000.0, "steps": 5600, "speed_mps": {"median": speed}}

    for i, speed in enumerate((2.8, 3.0, 3.4, 3.6)):
        _add(journal, TODAY - dt.timedelta(days=10 - 3 * i), run(speed), f"{i}" * 64)
    early = journal.history(TODAY - dt.timedelta(days=5))
    late = journal.history(TODAY)
    assert len(early.sessions) == 2
    assert len(late.sessions) == 4
    assert [s.load_au for s in early.sessions] == [s.load_au for s in late.sessions[:2]]
    span = (TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=5))
    assert list(early.daily_load_au(*span)) == list(late.daily_load_au(*span))


def test_an_exercise_in_a_run_files_metadata_is_kept_but_a_given_one_is_refused(journal):
    """A calf-labelled file analysed as a run imports (the label is meaningless there); ``--exercise`` on it not."""
    base = _recording(dt.datetime(2024, 5, 6, 7, tzinfo=dt.UTC))
    rec = base.with_meta(activity="run", exercise="single_leg_standing")
    kw = {"streams": [rec], "analysis": typed({"activity": "run", "steps": 0}), "source_name": "run.csv"}
    with pytest.raises(JournalError, match=r"run\.csv: 'single_leg_standing' is a calf_raise exercise"):
        journal.prepare_session(content_sha256="a" * 64, exercise_given=True, **kw)
    assert journal.add_session(content_sha256="b" * 64, **kw).created
    # On a calf session the file's own exercise is checked: the load model would assume another.
    rec = base.with_meta(exercise="bounds")
    with pytest.raises(JournalError, match="'bounds' is a hops exercise, not one for a calf_raise session"):
        journal.add_session(
            streams=[rec], analysis=typed({"activity": "calf_raise"}), content_sha256="c" * 64, source_name="c"
        )
    assert journal.counts()["session"] == 1


def test_review_does_not_import_pandas(tmp_path):
    """pandas/pyarrow (0.3 s of start-up) are for writing recordings, not for ``calfload review``."""
    import subprocess
    import sys

    code = (
        "import sys, io, contextlib\n"
        "from calfload.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['--data-dir', {str(tmp_path)!r}, 'log', 'mass', '70']) == 0\n"
        f"    assert main(['--data-dir', {str(tmp_path)!r}, 'review', '--json']) == 0\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'calfload.recording') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_sessions_are_dated_by_the_athletes_local_calendar(journal, monkeypatch):
    """In Auckland (UTC+12 in May) a start at 20:00 UTC is the next morning: the next local day."""
    import time

    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        sid = _add(journal, dt.date(2024, 5, 6), {"activity": "calf_raise"}, "tz" * 32)  # 07:30 UTC: 19:30 local
        rec = _recording(dt.datetime(2024, 5, 6, 20, 0, tzinfo=dt.UTC), seed=1)
        late = journal.add_session(
            streams=[rec], analysis=typed({"activity": "calf_raise"}), content_sha256="nz" * 32, source_name="late.csv"
        ).session_id
        dates = {s.session_id: s.local_date for s in journal.sessions()}
        assert dates == {sid: dt.date(2024, 5, 6), late: dt.date(2024, 5, 7)}
        conn = sqlite3.connect(journal.path)
        try:
            offset = conn.execute("SELECT utc_offset_min FROM session WHERE id = ?", (late,)).fetchone()[0]
        finally:
            conn.close()
        assert offset == 12 * 60
        assert [s.local_date for s in journal.history(dt.date(2024, 5, 6)).sessions] == [dt.date(2024, 5, 6)]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_baseline_rows_of_earlier_journals_become_logged_or_measured_records(tmp_path):
    """The migration that made each heel-rise test its own record keeps every row, with its source."""
    mine = next(i for i, m in enumerate(MIGRATIONS) if any("baseline_test_v4" in s for s in m))
    conn = sqlite3.connect(tmp_path / "journal.sqlite3", isolation_level=None)
    migrate(conn, MIGRATIONS[:mine])
    conn.executemany(
        "INSERT INTO baseline_test (day, side, heel_rise_reps, knee_to_wall_cm, details_json, entered_utc) "
        "VALUES (?, ?, ?, ?, ?, 'x')",
        [("2024-05-01", "left", 20, 9.5, None), ("2024-05-01", "right", 25, None, '{"work_j": 1500.0}')],
    )
    conn.close()
    with Journal(tmp_path, today=TODAY) as journal:
        left, right = journal.baseline_tests()
        assert (left.source, left.heel_rise_reps, left.knee_to_wall_cm) == ("logged", 20, 9.5)
        assert (right.source, right.heel_rise_reps, right.details) == ("measured", 25, HeelRiseDetails(work_j=1500.0))
        # Now a logged entry of the measured side's day is a row of its own.
        journal.log_baseline("right", dt.date(2024, 5, 1), heel_rise_reps=30)
        assert [(b.side, b.source) for b in journal.baseline_tests()] == [
            ("left", "logged"),
            ("right", "logged"),
            ("right", "measured"),
        ]


def test_a_workout_like_one_deleted_that_day_is_logged_again(journal):
    """The fingerprint counted that day's workouts: after a deletion it named one still stored (a traceback)."""
    from calfload.loadmodel._workout import Workout

    same = Workout(activity="calf_raise", day=TODAY, sets=3, reps=12)
    first, second = (journal.add_workout(same).session_id for _ in range(2))
    journal.delete_session(first)
    third = journal.add_workout(same)
    assert third.created
    assert [s.session_id for s in journal.sessions()] == [second, third.session_id]
