"""A failed ``calfload import`` leaves no trace: no empty journal in a mistyped ``--data-dir``."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from calfload.cli import main


def test_failed_first_import_leaves_no_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Was: the journal (and its folders) were created before the file was found unreadable."""
    bad = tmp_path / "bad.csv"
    bad.write_text("ax,ay,az\n1,2,3\n4,5,6\n")
    mistyped = tmp_path / "jornal" / "athlete"
    assert main(["--data-dir", str(mistyped), "import", str(bad)]) == 3
    assert "no time column" in capsys.readouterr().err
    assert not (tmp_path / "jornal").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_failed_import_keeps_an_existing_journal(
    tmp_path: Path, sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "journal"
    assert main(["--data-dir", str(home), "import", str(sample_dir / "calf_endurance_52hz.csv")]) == 0
    before = sorted(p.relative_to(home) for p in home.rglob("*") if p.is_file() and "sqlite3-" not in p.name)
    assert main(["--data-dir", str(home), "import", str(tmp_path / "absent.csv")]) == 3
    after = sorted(p.relative_to(home) for p in home.rglob("*") if p.is_file() and "sqlite3-" not in p.name)
    assert before == after
    assert main(["--data-dir", str(home), "import", str(sample_dir / "calf_endurance_52hz.csv")]) == 0
    assert "already in the journal" in capsys.readouterr().out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_import_summary_fits_an_80_column_terminal(
    tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was: "imported SensorLogger-2026-11-30 as session 1: calf raises, 30 reps in 3 sets, 2026-11-02" (89
    characters) wrapped mid-word at 80 columns; piped, it stays one line."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("CALFLOAD_NO_PROGRESS", "1")
    long_name = tmp_path / "SensorLogger-calf-raises-2026-11-30-morning.csv"
    shutil.copy(sample_dir / "calf_endurance_52hz.csv", long_name)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["--data-dir", str(tmp_path / "journal"), "import", str(long_name)]) == 0
    lines = terminal.getvalue().splitlines()
    assert lines[0].startswith(f"imported {long_name.name} as session 1:")
    assert len(lines) == 2
    assert max(len(line) for line in lines) <= 80
