"""Each session's load stored once (schema v6): the same figures as recomputing them from the analyses.

The truth is :func:`calfload.loadmodel.build_history` over every session's stored analysis, which is
what ``review`` computed before the loads were stored (and still computes for parameters of one's
own). After every kind of change the stored loads must equal it exactly, and none may be stale.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from calfload.journal import Journal
from calfload.journal._loads import _walk, load_from_json, load_to_json, model_key
from calfload.journal._migrations import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version
from calfload.loadmodel import DEFAULT_PARAMETERS, PROGRAMMES, LoadModelParameters, build_history
from calfload.loadmodel._cadence import SessionCadence, check_cadence, learn_cadence_relation
from calfload.loadmodel._params import ForceParameters
from calfload.loadmodel._workout import Workout
from calfload.pipeline import import_files, review_journal
from calfload.pipeline._cadence import recent_cadence_alerts
from calfload.signal import GaitAnalysis, record_json
from tests.test_loadmodel.analyses import typed
from tests.test_pipeline.test_cadence_review import _write

TODAY = dt.date(2024, 6, 1)


def _recomputed(journal: Journal, until: dt.date, params: LoadModelParameters = DEFAULT_PARAMETERS) -> list:
    """The loads as review computed them before v6: every analysis parsed, every load recomputed."""
    history = build_history(
        [r.to_input() for r in journal.sessions(None, until)],
        [(d, m) for d, m in journal.body_mass_entries() if d <= until],
        journal.pain_entries(None, until),
        journal.settings(),
        params,
        journal.session_pains(until),
    )
    return list(history.sessions)


def _stale(journal: Journal) -> list[int]:
    conn = journal._conn
    missing = [
        int(r[0]) for r in conn.execute("SELECT id FROM session WHERE id NOT IN (SELECT session_id FROM session_load)")
    ]
    return missing + [w.session_id for w in _walk(conn, dt.date.max, DEFAULT_PARAMETERS, read_from=None) if w.stale]


def _check(journal: Journal) -> None:
    assert _stale(journal) == []
    assert list(journal.history(dt.date.max).sessions) == _recomputed(journal, dt.date.max)


def _run(speed: float, cadence: float) -> dict:
    return {
        "activity": "run",
        "duration_s": 2400.0,
        "steps": round(cadence * 40),
        "speed_mps": {"median": speed},
        "cadence_spm": {"median": cadence},
        "distance_m": speed * 2400.0,
    }


def _calf(reps: int, sets: int = 3) -> dict:
    rows = [
        {"set": s, "concentric_s": 1.0, "top_hold_s": 0.5, "eccentric_s": 3.0 + 0.1 * s} for s in range(1, sets + 1)
    ]
    reps_list = [dict(r, eccentric_pass=r["set"] != 2) for r in rows for _ in range(reps)]
    calf_sets = [{"index": s, "rep_count": reps, "time_under_tension_s": 4.6 * reps} for s in range(1, sets + 1)]
    return {"activity": "calf_raise", "rep_count": reps * sets, "reps": reps_list, "sets": calf_sets}


def _v5_journal(folder: Path) -> None:
    """A journal as the schema-5 code wrote it: rows inserted as its ``add_session`` did."""
    folder.mkdir()
    conn = sqlite3.connect(folder / "journal.sqlite3", isolation_level=None)
    migrate(conn, MIGRATIONS[:5], {})
    rows: list[tuple[object, ...]] = []
    for i in range(24):
        day = TODAY - dt.timedelta(days=60 - 2 * i)
        activity, analysis = ("run", _run(2.6 + 0.05 * i, 160 + i)) if i % 3 else ("calf_raise", _calf(8 + i % 5))
        start = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC).isoformat()
        exercise = "single_leg_standing" if activity == "calf_raise" and i % 2 else None  # else: assumed, noted
        added = 5.0 * (i % 2) if activity == "calf_raise" else None
        analysis_json = record_json(typed(analysis))
        metadata = json.dumps({"activity": activity})
        rows.append(
            (
                f"{i:064d}",
                f"s{i}",
                start,
                day.isoformat(),
                0,
                "imu",
                activity,
                exercise,
                added,
                "left",
                "foot",
                600.0,
                metadata,
                analysis_json,
                "2024-01-01T00:00:00",
            )
        )
    conn.executemany(
        "INSERT INTO session (content_sha256, source_name, start_utc, local_date, utc_offset_min, kind, activity, "
        "exercise, added_load_kg, side, placement, duration_s, metadata_json, analysis_json, imported_utc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO body_mass (day, mass_kg, entered_utc) VALUES (?, ?, 'x')",
        [((TODAY - dt.timedelta(days=50)).isoformat(), 64.0), ((TODAY - dt.timedelta(days=20)).isoformat(), 66.5)],
    )
    conn.execute("INSERT INTO pain (day, during, morning, entered_utc) VALUES (?, 2, 1, 'x')", (TODAY.isoformat(),))
    conn.close()


def test_a_v5_journal_is_migrated_and_its_loads_equal_the_old_recomputation(tmp_path):
    _v5_journal(tmp_path / "old")
    with Journal(tmp_path / "old", today=TODAY, create=False) as journal:
        assert schema_version(journal._conn) == SCHEMA_VERSION
        assert journal.counts()["session"] == 24
        assert journal._conn.execute("SELECT count(*) FROM session_load").fetchone()[0] == 24
        _check(journal)
        # The review reads the stored loads; the same review from recomputed loads is identical.
        stored = review_journal(journal, TODAY).to_dict()
        journal._conn.execute("DELETE FROM session_load")  # every load must now be recomputed in memory
        assert review_journal(journal, TODAY).to_dict() == stored


def test_stored_loads_round_trip_exactly(tmp_path):
    _v5_journal(tmp_path / "old")
    with Journal(tmp_path / "old", today=TODAY, create=False) as journal:
        loads = _recomputed(journal, TODAY)
    assert any(s.dose is not None for s in loads)
    assert any(s.notes for s in loads)
    for s in loads:
        back = load_from_json(load_to_json(s), s.session_id or 0, s.start_utc, s.local_date, s.activity)
        assert back == s
        assert [type(getattr(back, f.name)) for f in dataclasses.fields(back)] == [
            type(getattr(s, f.name)) for f in dataclasses.fields(s)
        ]


def test_every_change_leaves_the_stored_loads_equal_to_the_recomputed_ones(tmp_path):
    """Random imports, workouts, masses, settings, corrections, deletions and undeletions, each checked."""
    rng = np.random.default_rng(7)
    with Journal(tmp_path / "data", today=TODAY) as journal:
        for step in range(60):
            day = TODAY - dt.timedelta(days=int(rng.integers(0, 90)))
            sessions = journal.sessions()
            kind = int(rng.integers(0, 9))
            if kind <= 2 or not sessions:
                analysis = _run(float(rng.uniform(2.4, 3.6)), float(rng.uniform(155, 180))) if kind else _calf(10)
                start = dt.datetime.combine(day, dt.time(int(rng.integers(5, 20))), tzinfo=dt.UTC)
                with journal.transaction() as c:  # as add_prepared inserts, without writing a recording
                    c.execute(
                        "INSERT INTO session (content_sha256, source_name, start_utc, local_date, utc_offset_min, "
                        "kind, activity, side, placement, metadata_json, analysis_json, imported_utc) "
                        "VALUES (?, 'x', ?, ?, 0, 'imu', ?, 'left', 'foot', '{}', ?, 'x')",
                        (
                            f"{step:064d}",
                            start.isoformat(),
                            day.isoformat(),
                            analysis["activity"],
                            record_json(typed(analysis)),
                        ),
                    )
            elif kind == 3:
                journal.add_workout(Workout(activity="calf_raise", day=day, sets=3, reps=int(rng.integers(6, 15))))
            elif kind == 4:
                journal.log_mass(float(rng.uniform(55, 80)), day)
            elif kind == 5:
                key = "easy_run_speed_mps" if rng.random() < 0.5 else "habitual_cadence_spm"
                journal.set_setting(key, f"{rng.uniform(2.5, 3.5) if 'speed' in key else rng.uniform(160, 175):.3f}")
            elif kind == 6:
                target = sessions[int(rng.integers(0, len(sessions)))]
                if day != target.local_date:
                    journal.correct_session(target.session_id, day=day)
            elif kind == 7:
                journal.delete_session(sessions[int(rng.integers(0, len(sessions)))].session_id)
            else:
                undone = [d for d in journal.deleted_items() if d.undeleted_utc is None]
                if undone:
                    journal.undelete(undone[0].trash_id)
            _check(journal)


def test_other_parameters_are_computed_not_read(tmp_path):
    """A stored load serves every programme; parameters that change the loads give their own figures."""
    _v5_journal(tmp_path / "old")
    heavier = LoadModelParameters(force=ForceParameters(run_force_at_ref_bw=7.0))
    assert model_key(heavier) != model_key(DEFAULT_PARAMETERS)
    assert {model_key(p) for p in PROGRAMMES.values()} == {model_key(DEFAULT_PARAMETERS)}
    with Journal(tmp_path / "old", today=TODAY, create=False) as journal:
        assert list(journal.history(TODAY, heavier).sessions) == _recomputed(journal, TODAY, heavier)
        assert list(journal.history(TODAY, heavier).sessions) != list(journal.history(TODAY).sessions)


def test_an_older_calfloads_loads_are_recomputed_and_replaced_on_the_next_write(tmp_path):
    _v5_journal(tmp_path / "old")
    with Journal(tmp_path / "old", today=TODAY) as journal:
        journal._conn.execute("UPDATE session_load SET model = '0.0.1 x', load_au = -1, load_json = '{}'")
        assert list(journal.history(TODAY).sessions) == _recomputed(journal, TODAY)
        journal.log_pain(TODAY, morning=1)
        assert journal._conn.execute("SELECT count(*) FROM session_load WHERE model = '0.0.1 x'").fetchone()[0] == 0
        _check(journal)


def test_an_unreadable_analysis_does_not_stop_the_migration(tmp_path):
    """The journal opens; the review names the broken session in one line, as before v6."""
    _v5_journal(tmp_path / "old")
    conn = sqlite3.connect(tmp_path / "old" / "journal.sqlite3")
    conn.execute("UPDATE session SET analysis_json = '{\"not\": 1}' WHERE id = 5")
    conn.commit()
    conn.close()
    with Journal(tmp_path / "old", today=TODAY, create=False) as journal:
        assert journal._conn.execute("SELECT max(session_id) FROM session_load").fetchone()[0] == 4
        with pytest.raises(Exception, match="journal session 5"):
            journal.history(TODAY)


def _alerts_from_every_analysis(journal: Journal, day: dt.date) -> tuple[SessionCadence, ...]:
    """The cadence alerts as computed before v7: every earlier run's analysis parsed."""
    sessions = journal.sessions(None, day)
    out = []
    for i, s in enumerate(sessions):
        if s.activity != "run" or not isinstance(s.analysis, GaitAnalysis) or (day - s.local_date).days >= 7:
            continue
        earlier = [e.analysis for e in sessions[:i] if e.activity == "run" and isinstance(e.analysis, GaitAnalysis)]
        check = check_cadence(s.analysis, learn_cadence_relation(earlier))
        if check is not None and (check.alerts or check.asymmetry):
            out.append(SessionCadence(session_id=s.session_id, day=s.local_date, check=check))
    return tuple(out)


def test_cadence_alerts_learn_from_the_stored_windows_as_from_the_analyses(tmp_path):
    """Foot-pod runs (cadence = 120 + 14 speed) and a tired last run: alerts equal, stored or recomputed."""
    day = dt.date(2026, 11, 20)
    speeds = (2.8, 3.3, 3.8, 3.0)
    files = [
        _write(tmp_path, day - dt.timedelta(days=12 - 2 * i), np.full(12 * 60, v), 1.0, i) for i, v in enumerate(speeds)
    ]
    drop = np.where(np.arange(30 * 60) >= 20 * 60, 0.94, 1.0)
    files.append(_write(tmp_path, day - dt.timedelta(days=1), np.full(30 * 60, 3.3), drop, 9))
    with Journal(tmp_path / "data", today=day) as journal:
        import_files(journal, files)
        windows = journal.cadence_windows(day)
        assert [w is not None for _, _, w in windows] == [True] * 5
        expected = _alerts_from_every_analysis(journal, day)
        assert len(expected) == 1
        assert recent_cadence_alerts(journal, day) == expected
        journal._conn.execute("DELETE FROM session_load")  # no stored windows: every run parsed
        assert recent_cadence_alerts(journal, day) == expected


def test_a_v6_journal_gets_its_loads_again_with_the_cadence_windows(tmp_path):
    _v5_journal(tmp_path / "old")
    conn = sqlite3.connect(tmp_path / "old" / "journal.sqlite3", isolation_level=None)
    migrate(conn, MIGRATIONS[:6], {})
    conn.close()
    with Journal(tmp_path / "old", today=TODAY, create=False) as journal:
        assert journal._conn.execute("SELECT count(*) FROM session_load").fetchone()[0] == 24
        _check(journal)


def _sixteen_months(journal: Journal, rng: np.random.Generator) -> None:
    """Sixteen months of runs (some long: spikes), calf sessions of changing doses, pain, masses and gaps."""
    with journal.transaction() as c:
        for back in range(500, -1, -1):
            day = TODAY - dt.timedelta(days=back)
            if 300 < back < 340:
                continue  # a break of five weeks
            start = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC).isoformat()
            if day.weekday() in (1, 5):
                kind = _run(float(rng.uniform(2.5, 3.5)), float(rng.uniform(160, 176)))
                kind["distance_m"] = float(rng.choice([6000.0, 8000.0, 16000.0]))
            elif day.weekday() in (0, 3):
                kind = _calf(int(rng.integers(6, 16)), int(rng.integers(2, 4)))
            else:
                kind = None
            if kind is not None:
                c.execute(
                    "INSERT INTO session (content_sha256, source_name, start_utc, local_date, utc_offset_min, kind, "
                    "activity, added_load_kg, side, placement, metadata_json, analysis_json, imported_utc) "
                    "VALUES (?, 'x', ?, ?, 0, 'imu', ?, ?, 'left', 'foot', '{}', ?, 'x')",
                    (f"{back:064d}", start, day.isoformat(), kind["activity"], None, record_json(typed(kind))),
                )
            if rng.random() < 0.6:
                c.execute(
                    "INSERT INTO pain (day, during, after, morning, entered_utc) VALUES (?, ?, ?, ?, 'x')",
                    (day.isoformat(), *(int(v) for v in rng.integers(0, 8, 3))),
                )
            if back % 90 == 0:
                c.execute(
                    "INSERT INTO body_mass (day, mass_kg, entered_utc) VALUES (?, ?, 'x')", (day.isoformat(), 70.0)
                )


def test_a_review_of_a_window_equals_the_review_of_the_whole_history(tmp_path, monkeypatch):
    """Reviews and a period read a window (a year before the days shown); the whole history gives the same.

    With the window cut to 100 days before the days shown the reviews are still identical: the
    rules' deepest look back (about 80 days) sits well inside the year the journal reads.
    """
    import calfload.pipeline._review as review_module
    from calfload.pipeline import review_period

    rng = np.random.default_rng(3)
    with Journal(tmp_path / "data", today=TODAY) as journal:
        _sixteen_months(journal, rng)
        days = [TODAY - dt.timedelta(days=int(b)) for b in (0, 290, 400)]
        assert review_module.REVIEW_LOOKBACK_DAYS > 100
        windowed: dict[int, list[dict[str, Any]]] = {lookback: [] for lookback in (100, 10_000)}
        for lookback, out in windowed.items():
            monkeypatch.setattr(review_module, "REVIEW_LOOKBACK_DAYS", lookback)
            out.extend(review_journal(journal, d).to_dict() for d in days)
            out.append(review_period(journal, TODAY, since_days=56).to_dict())
    whole = windowed.pop(10_000)
    assert {d["flag"] for r in whole[:-1] for d in r["days"]} >= {"hold", "back_off"}
    ratios = [s["spike_distance_ratio"] for r in whole[:-1] for s in r["sessions"]]
    assert max(v for v in ratios if v is not None) > 1.1  # spikes judged
    for out in windowed.values():
        assert out == whole


def test_a_window_resumes_after_the_stored_prefix_as_the_whole_walk_gives(tmp_path):
    """The sessions before a window's first are read as stored, not walked: the same loads as the whole walk.

    A prefix row with an older model key (or none) sends the read back to the whole walk, which
    recomputes it.
    """
    from calfload.journal._loads import _current_prefix, window_loads

    def walked(conn: sqlite3.Connection, until: dt.date, since: dt.date) -> tuple[list, list]:
        whole = _walk(conn, until, DEFAULT_PARAMETERS, read_from=since)
        return (
            [w.load for w in whole if w.local_date >= since and w.load is not None],
            [(w.local_date, w.legs, w.load_au) for w in whole if w.local_date < since],
        )

    with Journal(tmp_path / "data", today=TODAY) as journal:
        _sixteen_months(journal, np.random.default_rng(5))
        conn = journal._conn
        for since in (TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=4)):
            prefix = _current_prefix(conn, TODAY, since, DEFAULT_PARAMETERS)
            assert prefix is not None  # the read that skips the walk is taken
            assert len(prefix.loads) > 0
            assert window_loads(conn, TODAY, since) == walked(conn, TODAY, since)
        since = TODAY - dt.timedelta(days=30)
        first_id = conn.execute("SELECT min(session_id) FROM session_load").fetchone()[0]
        conn.execute("UPDATE session_load SET model = 'old', load_au = -1 WHERE session_id = ?", (first_id,))
        assert _current_prefix(conn, TODAY, since, DEFAULT_PARAMETERS) is None
        window, before = window_loads(conn, TODAY, since)
        assert (window, before) == walked(conn, TODAY, since)
        assert min(au for _, _, au in before) >= 0.0  # the old row was recomputed, not read


def _insert(c: sqlite3.Connection, n: int, day: dt.date, analysis: dict) -> None:
    """A session as add_prepared inserts it, without writing a recording."""
    c.execute(
        "INSERT INTO session (content_sha256, source_name, start_utc, local_date, utc_offset_min, kind, activity, "
        "side, placement, metadata_json, analysis_json, imported_utc) "
        "VALUES (?, 'x', ?, ?, 0, 'imu', ?, 'left', 'foot', '{}', ?, 'x')",
        (
            f"{n:064d}",
            dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC).isoformat(),
            day.isoformat(),
            analysis["activity"],
            record_json(typed(analysis)),
        ),
    )


def test_adding_a_session_walks_from_it_not_the_whole_history(tmp_path, monkeypatch):
    """Storing the loads of a new last session resumes after the stored rows (the earlier runs' figures), as
    the whole walk gives: a day's ``log`` or ``import`` costs the same on a journal of any length."""
    from calfload.journal import _loads

    walked: list[int] = []
    walk = _loads._walk

    def counted(*args: Any, **kwargs: Any) -> list:
        out = walk(*args, **kwargs)
        walked.append(len(out))
        return out

    monkeypatch.setattr(_loads, "_walk", counted)
    with Journal(tmp_path / "data", today=TODAY) as journal:
        with journal.transaction() as c:
            for i in range(30):
                analysis = _run(2.5 + 0.03 * i, 160.0 + i / 2) if i % 3 else _calf(8 + i % 5)
                _insert(c, i, TODAY - dt.timedelta(days=40 - i), analysis)
        assert walked[-1] == 30
        with journal.transaction() as c:
            _insert(c, 30, TODAY - dt.timedelta(days=5), _run(3.4, 175.0))  # a run: later loads learn from it
        assert walked[-1] == 1
        for n, analysis in ((31, _calf(12)), (32, _run(2.2, 150.0))):  # in the middle: from it to the end
            with journal.transaction() as c:
                _insert(c, n, TODAY - dt.timedelta(days=20), analysis)
            later = sum(d > TODAY - dt.timedelta(days=20) for d in _days(journal))
            # A calf session stales itself; a run every session from its start time on (the one
            # inserted first at the same time too): the walk starts at the first stale one.
            assert walked[-1] == later + (1 if n == 31 else 3)
        _check(journal)


def _days(journal: Journal) -> list[dt.date]:
    return [s.local_date for s in journal.sessions()]
