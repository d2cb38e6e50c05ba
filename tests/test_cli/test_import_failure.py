"""A failed ``calfload import`` leaves no trace: no empty journal in a mistyped ``--data-dir``."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from calfload.cli import main
from calfload.sim import random_calf_session, simulate_calf_session, write_generic_csv


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


def test_one_bad_file_leaves_out_that_file_only(
    tmp_path: Path, sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: `import A B C` with one unreadable file stored none of them. Now the good files are stored,
    each bad one gets one line naming it, and the exit code is the data error's."""
    bad = tmp_path / "bad.csv"
    bad.write_text("ax,ay,az\n1,2,3\n4,5,6\n")
    spec = random_calf_session(np.random.default_rng(5), sample_rate_hz=52.0, n_sets=1, walking=False)
    phone = write_generic_csv(simulate_calf_session(spec).recording, tmp_path / "phone.csv", epoch=True)
    good = [sample_dir / "calf_endurance_52hz.csv", phone]
    home = tmp_path / "journal"
    args = ["--data-dir", str(home), "import", str(good[0]), str(bad), str(good[1]), str(tmp_path / "absent.csv")]
    assert main(args) == 3
    out, err = capsys.readouterr()
    assert [line.split(" as session")[0] for line in out.splitlines()] == [f"imported {p.name}" for p in good]
    errors = [line for line in err.splitlines() if not line.startswith("calfload: warning: ")]
    assert len(errors) == 2
    assert all(line.startswith("calfload: error: ") for line in errors)
    assert "bad.csv" in errors[0]
    assert "no time column" in errors[0]
    assert "absent.csv" in errors[1]
    assert "no such file" in errors[1]
    # Only whole sessions were stored: each good file once, nothing of the bad ones.
    assert main(["--data-dir", str(home), "import", *map(str, good), "--json"]) == 0
    assert [r["created"] for r in json.loads(capsys.readouterr().out)["imported"]] == [False, False]
    assert main(["--data-dir", str(home), "import", str(bad), str(good[0]), "--json"]) == 3
    out, err = capsys.readouterr()
    assert json.loads(out)["failed"] == [err.removeprefix("calfload: error: ").strip()]
    assert [r["file"] for r in json.loads(out)["imported"]] == [str(good[0])]


def test_several_bad_files_leave_no_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ax,ay,az\n1,2,3\n4,5,6\n")
    home = tmp_path / "new" / "journal"
    assert main(["--data-dir", str(home), "import", str(bad), str(tmp_path / "absent.csv")]) == 3
    assert len(capsys.readouterr().err.splitlines()) == 2
    assert not (tmp_path / "new").exists()
