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


@pytest.fixture(scope="module")
def two_feet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One simulated run recorded on both feet, written as left.parquet and right.parquet."""
    from calfload.sim import RunSpec, simulate_run

    folder = tmp_path_factory.mktemp("run")
    run = simulate_run(RunSpec(seed=3, duration_s=30.0, feet=("left", "right")))
    paths = {}
    for rec in run.recordings:
        paths[rec.meta.side] = write_parquet(rec, folder / f"{rec.meta.side}.parquet")
    later = next(r for r in run.recordings if r.meta.side == "left")
    moved = later.with_meta(start_utc=later.meta.start_utc + dt.timedelta(hours=2))
    paths["left_later"] = write_parquet(moved, folder / "left_later.parquet")
    other = later
    paths["left_copy"] = write_parquet(other.with_meta(side="right"), folder / "left_as_right.parquet")
    return paths


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        (("left", "left_later"), "both files are of the left foot"),
        (("left", "left_copy"), "hold the same data"),
    ],
)
def test_two_files_must_be_two_feet_of_one_session(
    two_feet: dict[str, Path], pair: tuple[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: any two files were joined as left and right foot, even one file twice."""
    assert main(["analyze", str(two_feet[pair[0]]), str(two_feet[pair[1]])]) == 3
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1


def test_feet_recorded_apart_are_refused_and_a_true_pair_is_joined(
    two_feet: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    right = load_recording(two_feet["right"])
    right_later = two_feet["right"].with_name("right_later.parquet")
    moved = right.meta.replace(start_utc=right.meta.start_utc + dt.timedelta(hours=2))
    write_parquet(type(right)(right.columns, moved), right_later)
    # The right foot's file dated two hours later: no overlap with the left file.
    assert main(["analyze", str(two_feet["left"]), str(right_later)]) == 3
    assert "do not overlap in time" in capsys.readouterr().err
    assert main(["analyze", str(two_feet["left"]), str(two_feet["right"]), "--json", "--activity", "run"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["steps"] > 0
    # Left and right figures of a true pair (their accuracy: tests/test_signal/test_gait_sides.py).
    assert 45.0 < doc["both_feet"]["contact_balance_left_pct"] < 55.0
    assert doc["both_feet"]["strides_left"] > 0
    assert doc["both_feet"]["strides_right"] > 0
