"""Loads a new calfload or load-model revision left stale are stored again when the journal opens, once."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from pathlib import Path

import pytest

from calfload.cli import main
from calfload.journal import Journal
from calfload.journal._loads import loads_stale, model_key


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    """Three hand-logged sessions, their loads then marked as another model's (as an upgrade leaves them)."""
    data = ["--data-dir", str(tmp_path)]
    with contextlib.redirect_stdout(io.StringIO()):
        for day in ("2026-03-02", "2026-03-04", "2026-03-06"):
            calf = ["log", "workout", "--activity", "calf_raise", "--sets-reps", "3x15", "--date", day]
            assert main([*data, *calf]) == 0
        run = ["log", "workout", "--activity", "run", "--duration", "30", "--date", "2026-03-05"]
        assert main([*data, *run]) == 0
    with sqlite3.connect(tmp_path / "journal.sqlite3") as conn:
        conn.execute("UPDATE session_load SET model = 'calfload 0.0 / an older load model'")
    return tmp_path


def _models(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "journal.sqlite3") as conn:
        return [m for (m,) in conn.execute("SELECT model FROM session_load ORDER BY session_id")]


def test_opening_stores_the_stale_loads_once(journal_dir: Path) -> None:
    """The first open stores them (a review then reads them back); the loads equal those computed afresh."""
    with sqlite3.connect(journal_dir / "journal.sqlite3") as conn:
        old = conn.execute("SELECT session_id, load_au FROM session_load ORDER BY session_id").fetchall()
    with Journal(journal_dir, create=False) as journal:
        assert _models(journal_dir) == [model_key()] * 4
        assert not loads_stale(journal._conn)
    with sqlite3.connect(journal_dir / "journal.sqlite3") as conn:
        assert conn.execute("SELECT session_id, load_au FROM session_load ORDER BY session_id").fetchall() == old


def test_opening_does_not_wait_for_another_writer(journal_dir: Path) -> None:
    """Another command's write lock: the loads stay stale for that command to store, and the reads go on."""
    other = sqlite3.connect(journal_dir / "journal.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with Journal(journal_dir, create=False) as journal:
            assert len(journal.sessions()) == 4
        assert set(_models(journal_dir)) == {"calfload 0.0 / an older load model"}
    finally:
        other.execute("ROLLBACK")
        other.close()
