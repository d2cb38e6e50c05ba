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


def test_a_full_journal_disk_keeps_the_recording_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    import calfload.recording

    data = tmp_path / "journal"
    assert main(["--data-dir", str(data), "log", "mass", "70"]) == 0

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # Only the journal's copy fails: the recording folder's Parquet is written by finalize's own import.
    monkeypatch.setattr(calfload.recording, "write_parquet", full)
    out = tmp_path / "session"
    args = ["--data-dir", str(data), "record", "--device", "sim:polar", "--out", str(out)]
    code = main([*args, "--time-scale", "20", "--duration", "8s", "--activity", "calf_raise"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "internal error" not in err
    assert "not added to the journal" in err
    assert "the disk is full" in err
    assert f"calfload import {out / 'imu.parquet'}" in err
    assert (out / "imu.parquet").stat().st_size > 0
    assert not list((data / "recordings").iterdir())
