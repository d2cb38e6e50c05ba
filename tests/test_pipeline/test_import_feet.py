"""Both feet in the journal: a left and a right recording of one run are one session.

Truth: :func:`calfload.sim.simulate_run` with a sensor on each foot, the left foot's contact 12 %
longer (a true GCT balance of 53 %, beyond the 52.2 % alert limit of
:mod:`calfload.loadmodel._asymmetry`). Imported as two files or as a two-sensor session folder,
the run must be one session (one run's load, not two) holding both feet's figures, and
``review`` must show the left/right alert from the IMUs; importing either file again finds the
session. Files that are not the two feet of one run (the same side, or not overlapping in time)
stay separate sessions.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from calfload.journal import Journal
from calfload.journal._loads import model_key
from calfload.journal._migrations import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version
from calfload.pipeline import import_files, reanalyze, review_journal
from calfload.recording import Recording, write_parquet
from calfload.signal import GaitAnalysis
from calfload.sim import simulate_run
from calfload.sim._running import RunSpec

TODAY = dt.date(2026, 11, 20)
START = dt.datetime(2026, 11, 19, 7, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def feet() -> tuple[Recording, Recording]:
    spec = RunSpec(duration_s=30.0, feet=("left", "right"), contact_asymmetry=0.12, seed=12)
    left, right = sorted(simulate_run(spec).recordings, key=lambda r: r.meta.side)
    return tuple(replace(r, meta=replace(r.meta, start_utc=START)) for r in (left, right))  # type: ignore[return-value]


def _files(folder: Path, feet: tuple[Recording, Recording]) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    left, right = (write_parquet(r, folder / f"{r.meta.side}.parquet") for r in feet)
    return left, right


def _check_both_feet(journal: Journal) -> None:
    (session,) = journal.sessions()
    assert session.side == "both"
    assert session.activity == "run"
    assert len(session.feet) == 2
    assert all(p.is_file() for p in session.feet)
    analysis = session.analysis
    assert isinstance(analysis, GaitAnalysis)
    assert analysis.both_feet is not None
    assert analysis.both_feet.contact_balance_left_pct == pytest.approx(53.0, abs=1.0)
    (item,) = review_journal(journal, TODAY).cadence_alerts
    assert [(a.measure, a.source, a.longer_side) for a in item.check.asymmetry] == [
        ("contact time", "both feet", "left")
    ]


def test_two_files_of_one_run_are_one_session_with_both_feet(tmp_path: Path, feet: tuple[Recording, Recording]) -> None:
    left, right = _files(tmp_path / "run", feet)
    with Journal(tmp_path / "journal", today=TODAY) as journal:
        results = import_files(journal, [left, right])
        assert [r.created for r in results] == [True, True]
        assert results[0].session_id == results[1].session_id
        assert "both feet" in results[0].summary
        assert (
            results[1].summary
            == f"right.parquet is the other foot of session {results[0].session_id}, imported with left.parquet"
        )
        _check_both_feet(journal)
        # Either file again, or both: the session is found, nothing is added.
        for again in ([left], [right], [right, left]):
            assert {(r.created, r.session_id) for r in import_files(journal, again)} == {(False, results[0].session_id)}
        assert len(journal.sessions()) == 1
        # Re-analysing the stored feet gives the same result.
        (change,) = reanalyze(journal)
        assert change.error is None
        assert not change.changed
        # Deleted and restored, the session keeps both files: importing one still finds it.
        trash = journal.delete_session(results[0].session_id)
        assert import_files(journal, [left])[0].created
        journal.delete_session(journal.sessions()[0].session_id)
        journal.undelete(trash)
        assert not import_files(journal, [right])[0].created
        _check_both_feet(journal)


def test_a_two_sensor_session_folder_is_one_session(tmp_path: Path, feet: tuple[Recording, Recording]) -> None:
    folder = tmp_path / "session"
    for rec in feet:  # the layout `calfload record --device L --device R` writes
        (folder / rec.meta.side).mkdir(parents=True)
        write_parquet(rec, folder / rec.meta.side / "imu.parquet")
    with Journal(tmp_path / "journal", today=TODAY) as journal:
        (result,) = import_files(journal, [folder])
        assert result.created
        _check_both_feet(journal)


def test_files_that_are_not_two_feet_of_one_run_stay_apart(tmp_path: Path, feet: tuple[Recording, Recording]) -> None:
    left, right = feet
    later = replace(right, meta=replace(right.meta, start_utc=START + dt.timedelta(hours=3)))
    also_left = replace(right, meta=replace(right.meta, side="left"))
    cases = {"not overlapping": (left, later), "same side": (left, also_left)}
    for name, pair in cases.items():
        paths = [write_parquet(r, tmp_path / f"{name} {i}.parquet") for i, r in enumerate(pair)]
        with Journal(tmp_path / name, today=TODAY) as journal:
            results = import_files(journal, paths)
            assert results[0].session_id != results[1].session_id, name
            assert [s.side for s in journal.sessions()] == [r.meta.side for r in pair], name
            assert all(s.feet == () for s in journal.sessions()), name


def test_a_journal_of_the_previous_schema_keeps_its_streams(tmp_path: Path, feet: tuple[Recording, Recording]) -> None:
    left, right = _files(tmp_path / "run", feet)
    old = tmp_path / "old"
    with Journal(old, today=TODAY) as journal:  # write a session, then take the journal back to version 7
        import_files(journal, [left])
    conn = sqlite3.connect(old / "journal.sqlite3")
    with conn:
        conn.execute("DROP TABLE session_file")
        conn.execute("CREATE TABLE stream_v7 (session_id INTEGER NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL)")
        conn.execute("INSERT INTO stream_v7 SELECT session_id, kind, path FROM stream")
        conn.execute("DROP TABLE stream")
        conn.execute("ALTER TABLE stream_v7 RENAME TO stream")
        for column in ("cadence_check", "cadence_judged", "cadence_relation"):  # version 9's
            conn.execute(f"ALTER TABLE session_load DROP COLUMN {column}")
        for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'load_day_%'").fetchall():
            conn.execute(f"DROP TRIGGER {trigger}")  # version 10's
        conn.execute("DROP TABLE load_day")
        conn.execute("DROP TABLE load_state")
        conn.execute("PRAGMA user_version = 7")
        conn.execute("UPDATE session_load SET model = 'the previous release'")
    conn.close()
    with Journal(old, today=TODAY) as journal:
        assert schema_version(journal._conn) == SCHEMA_VERSION == len(MIGRATIONS)
        # the migration stores the loads again under the current model (a review need not)
        stored = journal._conn.execute("SELECT model FROM session_load").fetchall()
        assert stored == [(model_key(),)]
        (session,) = journal.sessions()
        assert session.side == "left"
        assert session.feet == ()
        assert session.stream_paths["imu"].is_file()
        assert not import_files(journal, [left])[0].created
        (change,) = reanalyze(journal)
        assert change.error is None
        assert not change.changed
        # The right foot's file on its own is a new session: the stored one is the left foot's alone.
        assert import_files(journal, [right])[0].created


def test_the_migration_keeps_every_stream_row(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "j.sqlite3")
    migrate(conn, MIGRATIONS[:7], {})
    conn.execute(
        "INSERT INTO session (content_sha256, source_name, start_utc, local_date, utc_offset_min, kind, activity, "
        "side, placement, metadata_json, analysis_json, imported_utc) "
        "VALUES ('x', 'a.parquet', '2026-11-01T07:00:00+00:00', '2026-11-01', 0, 'imu', 'run', 'left', 'foot', "
        "'{}', '{}', 'x')"
    )
    rows = [(1, "imu", "recordings/x.imu.parquet"), (1, "heart_rate", "recordings/x.heart_rate.parquet")]
    conn.executemany("INSERT INTO stream (session_id, kind, path) VALUES (?, ?, ?)", rows)
    conn.commit()
    assert migrate(conn, MIGRATIONS[:8], {}) == 8
    stored = conn.execute("SELECT session_id, kind, side, path FROM stream ORDER BY kind").fetchall()
    assert stored == [(s, k, "unknown", p) for s, k, p in sorted(rows, key=lambda r: r[1])]
    conn.close()


def test_the_session_report_of_two_feet_is_the_files_report(
    tmp_path: Path, feet: tuple[Recording, Recording], capsys: pytest.CaptureFixture[str]
) -> None:
    """``report --session`` of a two-file run reads both feet and shows what ``report LEFT RIGHT`` shows."""
    import json
    import re

    from calfload.cli import main
    from calfload.pipeline._streams import stored_stream_paths

    left, right = _files(tmp_path / "run", feet)
    with Journal(tmp_path / "journal", today=TODAY) as journal:
        (result, _) = import_files(journal, [left, right])
        (session,) = journal.sessions()
    paths = stored_stream_paths(session)
    assert paths == list(session.feet)  # left, then right; the left foot once, though stream_paths names it too

    def page(*args: str | Path) -> dict[str, object]:
        out = tmp_path / f"{len(list(tmp_path.glob('*.html')))}.html"
        assert main(["--data-dir", str(tmp_path / "journal"), "report", *map(str, args), "--out", str(out)]) == 0
        found = re.search(r'id="calfload-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.DOTALL)
        assert found is not None
        data: dict[str, object] = json.loads(found.group(1))
        return data

    stored, files = page("--session", str(result.session_id)), page(left, right)
    capsys.readouterr()
    both = stored["both_feet"]
    assert isinstance(both, dict)
    assert both["contact_balance_left_pct"] == pytest.approx(53.0, abs=1.0)  # the simulated truth
    assert both["contact_left_ms"] > both["contact_right_ms"]
    assert stored["steps"] == files["steps"]  # both feet's steps, not doubled
    # The stored record keeps no activity detection, and its duration is rounded: every other figure is the same.
    shared = (stored.keys() & files.keys()) - {"duration_s"}
    assert {"both_feet", "sides", "steps", "ground_contact_ms", "bouts"} <= shared
    assert {k: stored[k] for k in shared} == {k: files[k] for k in shared}
