"""Each run's cadence check stored with its load (schema v9): what ``review`` reads instead of the runs.

The truth is the check computed from the analyses, as ``review`` did before v9: every earlier run's
analysis parsed and its relation learnt (:func:`calfload.loadmodel._cadence.learn_cadence_relation`).
The runs are simulated foot-pod runs (cadence = 120 + 14 · speed, 2 spm noise, 1 Hz records;
``tests/test_pipeline/test_cadence_review.py``) with a tired last run (6 % lower cadence for its
last 10 minutes), stored through the import path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.cli import main
from calfload.journal import Journal
from calfload.journal._cadence_read import CADENCE_TARGET_SETTING, stored_relation
from calfload.journal._cadence_store import RelationWindows
from calfload.journal._migrations import MIGRATIONS, migrate, schema_version
from calfload.loadmodel._cadence import SessionCadence, check_cadence, learn_cadence_relation
from calfload.loadmodel._cadence_types import target_met_share
from calfload.pipeline import apply_reanalysis, import_files, reanalyze, review_journal, review_period
from calfload.pipeline._cadence import recent_cadence_alerts
from calfload.signal import GaitAnalysis
from tests.test_pipeline.test_cadence_review import _write

DAY = dt.date(2026, 11, 20)
NEW_COLUMNS = ("cadence_check", "cadence_judged", "cadence_relation")


def _journal(folder: Path) -> Path:
    """Five habitual runs at different speeds over two weeks, and the tired run the day before ``DAY``."""
    files = [
        _write(folder, DAY - dt.timedelta(days=14 - 2 * i), np.full(12 * 60, v), 1.0, i)
        for i, v in enumerate((2.8, 3.3, 3.8, 3.0, 3.5))
    ]
    drop = np.where(np.arange(30 * 60) >= 20 * 60, 0.94, 1.0)
    files.append(_write(folder, DAY - dt.timedelta(days=1), np.full(30 * 60, 3.3), drop, 9))
    data = folder / "data"
    with Journal(data, today=DAY) as journal:
        import_files(journal, files)
    return data


@pytest.fixture(scope="module")
def runs_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _journal(tmp_path_factory.mktemp("cadence_store"))


def _from_every_analysis(journal: Journal, day: dt.date, target: float | None) -> tuple[SessionCadence, ...]:
    """The review's cadence items computed from the analyses: the runs of the week, each against those before."""
    sessions = [s for s in journal.sessions(None, day) if s.activity == "run" and isinstance(s.analysis, GaitAnalysis)]
    out = []
    for i, s in enumerate(sessions):
        assert isinstance(s.analysis, GaitAnalysis)
        if (day - s.local_date).days >= 7:
            continue
        relation = learn_cadence_relation([e.analysis for e in sessions[:i] if isinstance(e.analysis, GaitAnalysis)])
        check = check_cadence(s.analysis, relation, target_increase_pct=target)
        if check is not None and (check.alerts or check.asymmetry or check.target_increase_pct is not None):
            out.append(SessionCadence(session_id=s.session_id, day=s.local_date, check=check))
    return tuple(out)


def test_stored_checks_equal_the_checks_from_every_analysis(runs_journal: Path) -> None:
    """With and without a retraining target, on several review days; no analysis parsed for it."""
    with Journal(runs_journal, today=DAY) as journal:
        for target in (None, 5.0, 2.5):
            journal.set_setting(CADENCE_TARGET_SETTING, "" if target is None else f"{target:g}")
            for day in (DAY, DAY - dt.timedelta(days=4), DAY - dt.timedelta(days=9)):
                assert journal.judged_runs(day - dt.timedelta(days=6), day) is not None  # read, not computed
                expected = _from_every_analysis(journal, day, target)
                assert recent_cadence_alerts(journal, day) == expected
                if target is not None:
                    assert expected  # every run of the week reports the target
        journal.set_setting(CADENCE_TARGET_SETTING, "")
        (tired,) = recent_cadence_alerts(journal, DAY)
    assert [a.kind for a in tired.check.alerts] == ["below_habitual"]
    assert tired.check.alerts[0].start_s == pytest.approx(20 * 60, abs=60)


def test_the_relation_before_a_run_is_learnt_from_every_earlier_run(runs_journal: Path) -> None:
    """The one stored row ``analyze`` reads equals learning from every earlier run; an older row is recomputed."""
    with Journal(runs_journal, today=DAY) as journal:
        runs = journal.sessions(None, DAY, activity="run")
        starts = [r.start_utc for r in runs] + [r.start_utc + dt.timedelta(hours=1) for r in runs] + [None]
        expected = [
            learn_cadence_relation([r.analysis for r in runs if t is None or r.start_utc < t])  # type: ignore[misc]
            for t in starts
        ]
        assert sum(e is not None for e in expected) >= 5  # the relation is learnt from the second run on
        assert [journal.cadence_relation_before(t) for t in starts] == expected
        with journal.transaction() as conn:
            conn.execute("UPDATE session_load SET model = 'an older calfload'")
            assert [journal.cadence_relation_before(t) for t in starts] == expected
            assert journal.judged_runs(DAY - dt.timedelta(days=6), DAY) is None  # the review computes them
            assert recent_cadence_alerts(journal, DAY) == _from_every_analysis(journal, DAY, None)
            conn.execute("DELETE FROM session_load")  # stored again when the transaction ends


def _as_release(data: Path, version: int) -> None:
    """The journal as an earlier release left it: schema 9 kept no trends' state, schema 8 no cadence checks."""
    conn = sqlite3.connect(data / "journal.sqlite3", isolation_level=None)
    for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'load_day_%'"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DROP TABLE load_day")
    conn.execute("DROP TABLE load_state")
    if version == 8:
        for column in NEW_COLUMNS:
            conn.execute(f"ALTER TABLE session_load DROP COLUMN {column}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def _copy(data: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(data, tmp_path / "copy"))


@pytest.mark.parametrize("version", [9, 8])
def test_a_journal_of_an_earlier_release_is_migrated_one_transaction_a_version(
    runs_journal: Path, tmp_path: Path, version: int
) -> None:
    """Schema 9 (the previous release) and 8 open, migrate and review as before, their data unchanged."""
    data = _copy(runs_journal, tmp_path)
    with Journal(data, today=DAY) as journal:
        journal.set_setting(CADENCE_TARGET_SETTING, "5")
        before = _from_every_analysis(journal, DAY, 5.0)
        reviews = [review_journal(journal, DAY - dt.timedelta(days=d)).to_dict() for d in (0, 3)]
        period = review_period(journal, DAY, since_days=14).to_dict()
    assert len(before) == 2
    assert any(c.check.alerts for c in before)
    _as_release(data, version)
    conn = sqlite3.connect(data / "journal.sqlite3", isolation_level=None)
    rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("session", "pain", "setting")}
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    assert migrate(conn) == len(MIGRATIONS) == schema_version(conn) == 10
    assert {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in rows} == rows
    conn.close()
    transactions = [s for s in statements if s.startswith(("BEGIN", "COMMIT"))]
    assert transactions == ["BEGIN IMMEDIATE", "COMMIT"] * (10 - version)
    with Journal(data, today=DAY, create=False) as journal:
        stored = journal._conn.execute(
            "SELECT count(*), count(cadence_check), count(cadence_relation) FROM session_load"
        ).fetchone()
        assert stored == (6, 6, 5)  # every run checked; the relation learnt from the second run on
        assert journal._conn.execute("SELECT stale_from FROM load_state").fetchone() == ("9999-12-31",)
        assert journal.judged_runs(DAY - dt.timedelta(days=6), DAY) is not None
        assert recent_cadence_alerts(journal, DAY) == before
        assert [review_journal(journal, DAY - dt.timedelta(days=d)).to_dict() for d in (0, 3)] == reviews
        assert review_period(journal, DAY, since_days=14).to_dict() == period
    assert stat.S_IMODE((data / "journal.sqlite3").stat().st_mode) == 0o600


def test_reanalyze_refreshes_the_stored_checks(runs_journal: Path, tmp_path: Path) -> None:
    """A stored analysis that lost the tired stretch is analysed again from its file: the alert is back."""
    data = _copy(runs_journal, tmp_path)
    with Journal(data, today=DAY) as journal:
        (tired,) = recent_cadence_alerts(journal, DAY)
        with journal.transaction() as conn:  # an analysis of another (steady) run stored for the tired run
            conn.execute(
                "UPDATE session SET analysis_json = (SELECT analysis_json FROM session WHERE id = ?) WHERE id = ?",
                (tired.session_id - 1, tired.session_id),
            )
        assert recent_cadence_alerts(journal, DAY) == ()
        assert apply_reanalysis(journal, reanalyze(journal)) >= 1
        assert recent_cadence_alerts(journal, DAY) == (tired,)


def test_review_json_of_a_week_with_runs_imports_no_numpy(runs_journal: Path) -> None:
    """A fresh interpreter prints the same review, with the tired run's alert and the target, without NumPy."""
    args = ["--data-dir", str(runs_journal), "review", "--json", "--date", DAY.isoformat()]
    with Journal(runs_journal, today=DAY) as journal:
        journal.set_setting(CADENCE_TARGET_SETTING, "5")
    try:
        code = (
            "import contextlib, io, json, sys\nfrom calfload.cli import main\nout = io.StringIO()\n"
            f"with contextlib.redirect_stdout(out):\n    assert main({args!r}) == 0\n"
            "print(out.getvalue())\nprint(json.dumps(sorted(sys.modules)))"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        *review_lines, modules = proc.stdout.strip().splitlines()
        expected = io.StringIO()
        with contextlib.redirect_stdout(expected):
            assert main(args) == 0
    finally:
        with Journal(runs_journal, today=DAY) as journal:
            journal.set_setting(CADENCE_TARGET_SETTING, "")
    loaded = set(json.loads(modules))
    assert "numpy" not in loaded
    assert not {"calfload.signal._gait_types", "calfload.loadmodel._cadence"} & loaded
    review = json.loads("\n".join(review_lines))
    assert review == json.loads(expected.getvalue())
    alerts = review["cadence_alerts"]
    assert [len(a["alerts"]) for a in alerts] == [0, 1]  # the week's two runs: the target for both
    assert all(a["target_increase_pct"] == 5.0 for a in alerts)


@settings(max_examples=60, deadline=None)
@given(
    cadence=st.lists(st.floats(100.0, 220.0), min_size=1, max_size=40),
    noise=st.floats(0.9, 1.1),
    target=st.floats(0.5, 20.0),
)
def test_the_target_share_is_numpys_mean_of_the_comparison(cadence: list[float], noise: float, target: float) -> None:
    """Review adds the target in plain Python: the same bits as the NumPy expression the check used before v9."""
    expected = [c * noise for c in cadence[::-1]]
    old = round(float(np.mean(np.array(cadence) >= (1.0 + target / 100.0) * np.array(expected))), 3)
    assert target_met_share(cadence, expected, target) == old
    assert target_met_share([200.0, 199.0], [100.0, 100.0], 100.0) == 0.5  # reached: equal counts


def test_analyze_reads_the_stored_relation_without_opening_the_journal(runs_journal: Path) -> None:
    """A fresh ``analyze`` of the tired run: the habitual relation's alert, none of the journal's modules."""
    tired = runs_journal.parent / f"run-{(DAY - dt.timedelta(days=1)).isoformat()}.parquet"
    args = ["--data-dir", str(runs_journal), "analyze", str(tired), "--json"]
    code = (
        "import contextlib, io, json, sys\nfrom calfload.cli import main\nout = io.StringIO()\n"
        f"with contextlib.redirect_stdout(out):\n    assert main({args!r}) == 0\n"
        "print(json.dumps(json.loads(out.getvalue())['cadence_check']))\nprint(json.dumps(sorted(sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    check_line, modules = proc.stdout.strip().splitlines()
    assert not {"calfload.journal._journal", "calfload.journal._loads", "calfload.loadmodel._history"} & set(
        json.loads(modules)
    )
    check = json.loads(check_line)
    assert check["reference"] == "habitual relation"
    assert [a["kind"] for a in check["alerts"]] == ["below_habitual"]
    with Journal(runs_journal, today=DAY) as journal:
        (stored,) = recent_cadence_alerts(journal, DAY)
    assert check == json.loads(json.dumps(stored.check.to_dict()))  # what review says of the stored run


def test_the_stored_relation_is_read_only_where_it_answers(runs_journal: Path, tmp_path: Path) -> None:
    """The read-only row equals the journal's answer; another release's row or schema opens the journal."""
    db = runs_journal / "journal.sqlite3"
    with Journal(runs_journal, today=DAY) as journal:
        starts = [r.start_utc for r in journal.sessions(None, DAY, activity="run")] + [None]
        relations = [journal.cadence_relation_before(t) for t in starts]
    read = [stored_relation(db, t) for t in starts]
    assert [None if r is None else r.relation for r in read] == relations
    assert stored_relation(tmp_path / "journal.sqlite3", None) is None  # no journal
    data = _copy(runs_journal, tmp_path)
    conn = sqlite3.connect(data / "journal.sqlite3", isolation_level=None)
    conn.execute("UPDATE session_load SET model = '0.0.1 0123456789abcdef'")
    assert stored_relation(data / "journal.sqlite3", None) is None
    conn.execute("PRAGMA user_version = 10")
    assert stored_relation(data / "journal.sqlite3", None) is None
    conn.close()


def _move(conn: sqlite3.Connection, session_id: int, start: dt.datetime, local_date: dt.date) -> None:
    conn.execute(
        "UPDATE session SET start_utc = ?, local_date = ? WHERE id = ?",
        (start.isoformat(), local_date.isoformat(), session_id),
    )


def test_runs_with_out_of_order_local_dates_learn_by_start_time(runs_journal: Path, tmp_path: Path) -> None:
    """Travel: run X started before run Y but its local date is a day later (UTC+14 against UTC-5).

    A run learns from the runs that started before it, whatever their local dates, so its check
    does not change with the review day. The stored checks and the checks computed from the
    analyses (a row of an older calfload) agree, and both learn from X.
    """
    data = _copy(runs_journal, tmp_path)
    with Journal(data, today=DAY) as journal:
        journal.set_setting(CADENCE_TARGET_SETTING, "5")
        runs = journal.sessions(None, DAY, activity="run")
        x, y = runs[-2], runs[-1]  # the fifth habitual run and the tired one
        with journal.transaction() as conn:
            eve = DAY - dt.timedelta(days=1)
            _move(conn, y.session_id, dt.datetime.combine(eve, dt.time(12), dt.UTC), y.local_date)  # 07:00 at UTC-5
            _move(conn, x.session_id, dt.datetime.combine(eve, dt.time(11), dt.UTC), DAY)  # 01:00 at UTC+14
        review_day = DAY - dt.timedelta(days=1)  # Y is in its week, X (local date DAY) is not
        earlier = [r.analysis for r in runs[:-1] if isinstance(r.analysis, GaitAnalysis)]
        assert isinstance(y.analysis, GaitAnalysis)
        expected = check_cadence(y.analysis, learn_cadence_relation(earlier), target_increase_pct=5.0)
        without_x = check_cadence(y.analysis, learn_cadence_relation(earlier[:-1]), target_increase_pct=5.0)
        assert expected is not None
        assert without_x is not None
        assert expected.relation != without_x.relation  # the test can tell the two rules apart
        stored = recent_cadence_alerts(journal, review_day)
        assert [(c.session_id, c.day, c.check) for c in stored] == [(y.session_id, y.local_date, expected)]
        with journal.transaction() as conn:
            conn.execute("UPDATE session_load SET model = 'an older calfload'")
            assert journal.judged_runs(review_day - dt.timedelta(days=6), review_day) is None
            assert recent_cadence_alerts(journal, review_day) == stored
            conn.execute("DELETE FROM session_load")


@pytest.fixture
def three_runs_learnt(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The relation learnt from the last 3 teaching runs (30 by default); the runs given to each learning."""
    from calfload.journal import _loads
    from calfload.loadmodel import _cadence
    from calfload.loadmodel._cadence_types import CadenceAlertParams

    defaults = CadenceAlertParams.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "relation_runs", 3)
    _loads.model_key.cache_clear()  # the key holds the parameters: computed again with the bound, and after
    learnt: list[int] = []
    learn = _cadence.learn_relation_from_windows

    def counted(pairs: list[RelationWindows], params: CadenceAlertParams | None = None) -> object:
        learnt.append(len(pairs))
        return learn(pairs, params)

    monkeypatch.setattr(_cadence, "learn_relation_from_windows", counted)
    yield learnt
    monkeypatch.undo()
    _loads.model_key.cache_clear()


def test_storing_every_run_learns_each_from_a_bounded_number_of_runs(
    runs_journal: Path, tmp_path: Path, three_runs_learnt: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The migration learns once per teaching run, each from at most ``relation_runs`` runs; adding
    a run at the end reads the rows of that many runs, not the whole history (linear, not quadratic)."""
    from calfload.journal import _cadence_store

    read: list[int] = []
    rows_from = _cadence_store._rows_from

    def counted(
        conn: sqlite3.Connection, ids: list[int], keep: int
    ) -> list[tuple[int, str, str | None, bytes | None, str | None]]:
        rows = rows_from(conn, ids, keep)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(_cadence_store, "_rows_from", counted)
    data = _copy(runs_journal, tmp_path)
    _as_release(data, 8)
    with Journal(data, today=DAY) as journal:  # migrated: every run's row stored again
        assert three_runs_learnt == [1, 2, 3, 3, 3, 3]
        assert read == [6]
        runs = journal.sessions(None, DAY, activity="run")
        for i, run in enumerate(runs):  # stored with each run: learnt from its last three runs, itself included
            expected = learn_cadence_relation([r.analysis for r in runs[: i + 1]])  # type: ignore[misc]
            assert journal.cadence_relation_before(run.start_utc + dt.timedelta(seconds=1)) == expected
        assert journal.cadence_relation_before(None).runs == 3  # type: ignore[union-attr]
        three_runs_learnt.clear()
        with journal.transaction() as conn:  # the last run stored again, as after its import
            conn.execute("DELETE FROM session_load WHERE session_id = ?", (runs[-1].session_id,))
        assert three_runs_learnt == [3]
        assert read[-1] == 4  # three teaching runs before it and itself
