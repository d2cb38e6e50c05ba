"""``calfload analyze`` of a recording folder takes every stream in it: heart rate joins its session."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calfload.cli import main
from calfload.ingest import load_recording
from calfload.recording import make_recording, write_parquet
from calfload.schema import RecordingMeta


@pytest.fixture
def session_folder(sample_dir: Path, tmp_path: Path) -> tuple[Path, float, float]:
    """The sample calf session as imu.parquet beside a heart-rate stream that starts 30 s earlier.

    Before the session the heart rate is 200 beats/min, during it 90 + 30·sin: only the session's
    samples may count. Returns the folder and the true mean and max during the session.
    """
    folder = tmp_path / "calfload-2026-11-02-0730"
    folder.mkdir()
    shutil.copy(sample_dir / "calf_tempo_3x12_104hz.parquet", folder / "imu.parquet")
    imu = load_recording(folder / "imu.parquet")
    t = np.arange(0.0, imu.duration_s + 30.0, 1.0)  # 1 Hz, from 30 s before the IMU's first sample
    during = (t >= 30.0) & (t - 30.0 <= imu.duration_s)
    bpm = np.where(t < 30.0, 200.0, 90.0 + 30.0 * np.sin(t / 17.0))
    meta = RecordingMeta(
        kind="heart_rate",
        sample_rate_hz=1.0,
        start_utc=imu.meta.start_utc - dt.timedelta(seconds=30),
        placement="unknown",
    )
    hr = make_recording(pd.DataFrame({"t_s": t, "heart_rate_bpm": bpm.astype(np.float32)}), meta)
    write_parquet(hr, folder / "heart_rate.parquet")
    inside = bpm[during].astype(np.float32).astype(np.float64)
    return folder, float(inside.mean()), float(inside.max())


def test_folder_analysis_reports_heart_rate_of_the_session(
    session_folder: tuple[Path, float, float], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, mean_bpm, max_bpm = session_folder
    assert main(["analyze", str(folder), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["rep_count"] == 36
    assert doc["heart_rate"]["mean_bpm"] == pytest.approx(mean_bpm, abs=0.1)
    assert doc["heart_rate"]["max_bpm"] == pytest.approx(max_bpm, abs=0.1)


def test_heart_rate_file_beside_the_imu_file_is_joined(
    session_folder: tuple[Path, float, float], capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: "analyse calf-raise recordings one file at a time" for imu.parquet heart_rate.parquet."""
    folder, mean_bpm, _ = session_folder
    assert main(["analyze", str(folder / "imu.parquet"), str(folder / "heart_rate.parquet")]) == 0
    out = capsys.readouterr().out
    assert "36 reps in 3 sets" in out
    assert f"heart rate mean {mean_bpm:.0f}" in out
    assert main(["analyze", str(folder / "heart_rate.parquet")]) == 3
    assert "only heart-rate data" in capsys.readouterr().err


def test_scan_without_bluetooth_mentions_the_virtual_devices(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: "Bluetooth is not available ([Errno 2] ...)" with no way forward without hardware."""
    from calfload.ingest import link

    async def no_bluetooth(timeout_s: float) -> list[object]:
        raise link.BluetoothUnavailableError("Bluetooth is not available (no adapter); turn Bluetooth on")

    monkeypatch.setattr(link, "scan", no_bluetooth)
    assert main(["scan", "--timeout", "0.1"]) == 4
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "calfload record --device sim:polar" in err
