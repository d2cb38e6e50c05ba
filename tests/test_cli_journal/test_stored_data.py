"""Nothing stored is lost or overwritten: output paths, private files, full disks, parallel imports."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from calfload.recording import read_metadata

from .conftest import Cli

DAY = dt.date(2024, 5, 6)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_report_never_replaces_a_recording_or_the_journal(cli: Cli, calf_file: Callable[..., Path]) -> None:
    rec = calf_file(DAY)
    cli.ok("import", rec)
    journal = cli.data_dir / "journal.sqlite3"
    before = {p: _digest(p) for p in (rec, journal)}
    for target in (rec, journal):
        for force in ((), ("--force",)):
            code, out, err = cli("report", rec, "--out", target, *force)
            assert code == 6, err
            assert out == ""
            assert err.count("\n") == 1
            assert "not an .html name" in err
    assert {p: _digest(p) for p in before} == before
    assert sqlite3.connect(journal).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_report_names_never_overwrite_without_force(
    cli: Cli, calf_file: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rec = calf_file(DAY)
    out = tmp_path / "mine.html"
    out.write_text("my notes")
    code, _, err = cli("report", rec, "--out", out)
    assert code == 6
    assert "already exists" in err
    assert "--force" in err
    assert out.read_text() == "my notes"
    cli.ok("report", rec, "--out", out, "--force")
    assert out.read_text().startswith("<!DOCTYPE html>")
    # Default names: a new name next to the old report, never over it.
    monkeypatch.chdir(tmp_path)
    first = Path(cli.ok("report", rec).strip())
    first.write_text("edited")
    second = Path(cli.ok("report", rec).strip())
    assert second != first
    assert second.name == first.name.replace("-report.html", "-report-2.html")
    assert first.read_text() == "edited"
    if os.name == "posix":
        assert stat.S_IMODE(second.stat().st_mode) == 0o600


def test_log_baseline_entry_and_message_agree(cli: Cli) -> None:
    code, out, err = cli("log", "baseline", "--side", "left", "--heel-rise-reps", "20", "--date", "2024-05-06")
    assert (code, err) == (0, "")
    assert out.strip() == "baseline left on 2024-05-06: 20 heel-rise reps"
    code, out, _ = cli("log", "baseline", "--side", "left", "--calf-circumference-cm", "36.5", "--date", "2024-05-06")
    assert code == 0
    assert out.strip() == "baseline left on 2024-05-06: 20 heel-rise reps, calf 36.5 cm"  # the merged entry
    rows = sqlite3.connect(cli.data_dir / "journal.sqlite3").execute(
        "SELECT heel_rise_reps, calf_circumference_cm, knee_to_wall_cm FROM baseline_test"
    )
    assert rows.fetchall() == [(20, 36.5, None)]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_journal_and_stored_recordings_are_private(cli: Cli, calf_file: Callable[..., Path]) -> None:
    cli.ok("import", calf_file(DAY))
    data = cli.data_dir
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "recordings").stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "journal.sqlite3").stat().st_mode) == 0o600
    stored = list((data / "recordings").iterdir())
    assert stored
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in stored)


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "disk is full"), (errno.EFBIG, "ulimit -f")])
def test_full_disk_during_import_is_named_and_changes_nothing(
    cli: Cli, calf_file: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    cli.ok("log", "mass", "70", "--date", "2024-05-01")
    rec = calf_file(DAY)
    real_fsync = os.fsync

    def full(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode) and os.fstat(fd).st_size > 1000:  # a Parquet file, not SQLite's
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    status, out, err = cli("import", rec)
    assert status == 6, err
    assert out == ""
    assert err.startswith("calfload: error: ")
    assert err.count("\n") == 1
    assert words in err
    assert "the journal is unchanged" in err
    monkeypatch.undo()
    assert list((cli.data_dir / "recordings").iterdir()) == []
    assert sqlite3.connect(cli.data_dir / "journal.sqlite3").execute("SELECT count(*) FROM session").fetchone() == (0,)


def test_parallel_imports_of_one_file_agree(tmp_path: Path, calf_file: Callable[..., Path]) -> None:
    """Real processes: ``--side left`` and ``--side right`` of one file at once give one consistent session."""
    env = {**os.environ, "TZ": "UTC"}
    for round_ in range(2):
        data = tmp_path / f"journal{round_}"
        rec = calf_file(DAY, hour=7 + round_)
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "calfload", "--data-dir", str(data), "-q", "import", str(rec), "--side", side],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for side in ("left", "right")
        ]
        results = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], results
        db = sqlite3.connect(data / "journal.sqlite3")
        rows = db.execute("SELECT session.side, stream.path FROM session JOIN stream ON stream.session_id = session.id")
        (side, rel), *more = rows.fetchall()
        assert more == []
        assert read_metadata(data / rel).side == side
        assert json.loads(db.execute("SELECT metadata_json FROM session").fetchone()[0])["side"] == side
        assert [p.name for p in (data / "recordings").iterdir()] == [Path(rel).name]  # no temporary left


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as on Linux (Python ignores SIGXFSZ)")
def test_a_file_size_limit_during_import_is_named(tmp_path: Path, calf_file: Callable[..., Path]) -> None:
    """A real ``ulimit -f`` (EFBIG from the kernel), not a simulated one."""
    import resource

    data = tmp_path / "journal"
    base = [sys.executable, "-m", "calfload", "--data-dir", str(data)]
    subprocess.run([*base, "log", "mass", "70", "--date", "2024-05-01"], check=True, capture_output=True)
    rec = calf_file(DAY)
    limit = 16 * 1024  # below the stored Parquet's size

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [*base, "import", str(rec)], preexec_fn=limited, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 6, done.stderr
    assert done.stderr.count("\n") == 1
    assert "ulimit -f" in done.stderr
    assert list((data / "recordings").iterdir()) == []
    assert sqlite3.connect(data / "journal.sqlite3").execute("SELECT count(*) FROM session").fetchone() == (0,)
