"""Journal health: ``check`` finds damage and inconsistency, no command writes into a damaged journal, ``backup``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from calfload.errors import JournalError, StorageError
from calfload.journal import Journal
from calfload.recording import read_parquet, write_parquet

from .conftest import Cli

DAY = dt.date(2024, 5, 6)


def _journal_with_a_session(cli: Cli, calf_file: Callable[..., Path]) -> Path:
    cli.ok("import", calf_file(DAY))
    cli.ok("log", "pain", "--during", "2", "--date", DAY.isoformat())
    return cli.data_dir / "journal.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_passes_a_healthy_journal_and_finds_a_tampered_recording(
    cli: Cli, calf_file: Callable[..., Path]
) -> None:
    _journal_with_a_session(cli, calf_file)
    out = cli.ok("check")
    assert "ok (1 sessions, 1 stored recordings checked)" in out
    (stored,) = (cli.data_dir / "recordings").iterdir()
    rec = read_parquet(stored)
    write_parquet(rec.with_meta(side="right"), stored, overwrite=True)
    code, out, _ = cli("check")
    assert code == 5
    assert f"session 1: the metadata of recordings/{stored.name} differs from the journal's" in out
    stored.unlink()
    code, out, _ = cli("check", "--json")
    assert code == 5
    assert f"the stored recording recordings/{stored.name} is missing" in out


def test_check_passes_workouts_logged_by_hand_and_undeleted_sessions(cli: Cli, calf_file: Callable[..., Path]) -> None:
    """A session logged by hand has no recording to check (it was called a problem); nor does deleting and
    undeleting a recorded session lose its stored recording."""
    _journal_with_a_session(cli, calf_file)
    cli.ok("log", "workout", "--activity", "run", "--distance-km", "5", "--date", "2024-05-05")
    cli.ok("delete", "session", "1")
    cli.ok("undelete", "1")
    out = cli.ok("check")
    assert "ok (2 sessions, 1 stored recordings checked)" in out


def _refused(cli: Cli, db: Path, *argv: str) -> None:
    code, out, err = cli(*argv)
    assert code == 5, (argv, err)
    assert out == ""
    assert err.count("\n") == 1
    assert str(db) in err
    assert "calfload check" in err
    assert "internal error" not in err


def test_no_command_writes_into_a_damaged_journal(cli: Cli, calf_file: Callable[..., Path]) -> None:
    """SQLite's quick_check runs before a command's first write (not on every open: it reads every page)."""
    db = _journal_with_a_session(cli, calf_file)
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) >= 4 * page
    for i in range(2 * page, 2 * page + 2000, 7):  # garbage inside the second page, header intact
        data[i] ^= 0x5A
    db.write_bytes(bytes(data))
    before = _digest(db)
    for argv in (("log", "pain", "--morning", "3"), ("log", "mass", "70")):
        _refused(cli, db, *argv)
    assert _digest(db) == before
    code, out, _ = cli("check")
    assert code == 5
    assert "problem" in out


def test_a_read_that_meets_a_damaged_page_says_so_in_one_line(cli: Cli, calf_file: Callable[..., Path]) -> None:
    """``review`` writes nothing and runs no quick_check; the damaged page it reads is named, not a traceback."""
    db = _journal_with_a_session(cli, calf_file)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'pain'").fetchone()
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    data[(root - 1) * page] = 0xFF  # the pain table's page: no longer a b-tree page
    db.write_bytes(bytes(data))
    before = _digest(db)
    _refused(cli, db, "review", "--date", DAY.isoformat())
    with pytest.raises(JournalError, match="is damaged"), Journal(cli.data_dir, create=False) as journal:
        journal.pain_entries()  # the library's reader gets the same one-line error
    assert _digest(db) == before


def test_an_emptied_journal_is_not_silently_new(cli: Cli, calf_file: Callable[..., Path]) -> None:
    db = _journal_with_a_session(cli, calf_file)
    db.write_bytes(b"")
    code, _, err = cli("log", "pain", "--during", "1")
    assert code == 5
    assert "is empty (0 bytes)" in err
    assert db.stat().st_size == 0
    code, _, _ = cli("check")
    assert code == 5


def test_a_missing_column_is_named_not_an_internal_error(cli: Cli, calf_file: Callable[..., Path]) -> None:
    db = _journal_with_a_session(cli, calf_file)
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE pain DROP COLUMN morning")
    code, _, err = cli("review", "--date", DAY.isoformat())
    assert code == 5
    assert err.count("\n") == 1
    assert str(db) in err
    assert "calfload check" in err
    code, out, _ = cli("check")
    assert code == 5
    assert "schema: column pain.morning is missing" in out


def test_a_full_journal_disk_is_named_and_changes_nothing(cli: Cli) -> None:
    cli.ok("log", "mass", "70", "--date", DAY.isoformat())
    with Journal(cli.data_dir) as journal:
        pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
        journal._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk full" (SQLITE_FULL)

        def grow() -> None:
            for i in range(200):  # until the file would need a page it may not have
                journal.set_setting(f"k{i}", "x" * 1000)

        with pytest.raises(StorageError, match="the disk is full"):
            grow()
        kept = journal.settings()
        with pytest.raises(StorageError, match="the disk is full"):
            journal.set_setting("one more", "x" * 1000)
        assert journal.settings() == kept  # the failed transaction left nothing
    assert "ok" in cli.ok("check")


def test_backup_is_a_whole_private_copy_and_never_over_a_journal(
    cli: Cli, calf_file: Callable[..., Path], tmp_path: Path
) -> None:
    _journal_with_a_session(cli, calf_file)
    dest = tmp_path / "copy"
    out = cli.ok("backup", dest)
    assert "backed up 1 sessions and 1 recordings" in out
    original = sqlite3.connect(cli.data_dir / "journal.sqlite3")
    copy = sqlite3.connect(dest / "journal.sqlite3")
    for table in ("session", "stream", "pain"):
        assert (
            copy.execute(f"SELECT * FROM {table}").fetchall() == original.execute(f"SELECT * FROM {table}").fetchall()
        )
    for stored in (cli.data_dir / "recordings").iterdir():
        assert _digest(dest / "recordings" / stored.name) == _digest(stored)
    assert "ok (1 sessions" in cli.ok("--data-dir", dest, "check")
    if os.name == "posix":
        assert stat.S_IMODE((dest / "journal.sqlite3").stat().st_mode) == 0o600
        assert stat.S_IMODE(dest.stat().st_mode) == 0o700
    # --json says what was copied; -q prints nothing on success (it printed anyway).
    doc = json.loads(cli.ok("backup", tmp_path / "copy2", "--json"))
    assert (doc["sessions"], doc["recordings"], Path(doc["backup"]).parent) == (1, 1, tmp_path / "copy2")
    assert cli.ok("backup", tmp_path / "copy3", "-q") == ""
    assert (tmp_path / "copy3" / "journal.sqlite3").is_file()
    before = _digest(dest / "journal.sqlite3")
    code, _, err = cli("backup", dest)
    assert code == 6
    assert "already holds a journal" in err
    assert _digest(dest / "journal.sqlite3") == before
