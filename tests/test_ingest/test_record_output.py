"""``record --out`` never replaces stored data, and what it writes is private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from calfload.cli import main


def test_record_refuses_a_folder_holding_another_recording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "old_session"
    out.mkdir()
    theirs = out / "imu.parquet"
    theirs.write_bytes(b"another recording")
    args = ["-q", "--data-dir", str(tmp_path / "none"), "record", "--device", "sim:polar", "--out", str(out)]
    code = main([*args, "--time-scale", "20", "--duration", "3s"])
    err = capsys.readouterr().err.splitlines()
    assert code == 3
    assert err[-1].startswith("calfload: error: ")
    assert "already holds imu.parquet" in err[-1]
    assert theirs.read_bytes() == b"another recording"
    assert [p.name for p in out.iterdir()] == ["imu.parquet"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_recording_folder_and_files_are_private(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "new" / "session"
    args = ["-q", "--data-dir", str(tmp_path / "none"), "record", "--device", "sim:polar", "--out", str(out)]
    assert main([*args, "--time-scale", "20", "--duration", "6s"]) == 0, capsys.readouterr().err
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    files = sorted(out.iterdir())
    assert {p.name for p in files} >= {"session.json", "capture.calflog", "imu.parquet"}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o600 for p in files}
