"""A failed ``calfload import`` leaves no trace: no empty journal in a mistyped ``--data-dir``."""

from __future__ import annotations

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
