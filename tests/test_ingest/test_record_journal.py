"""``calfload record`` adds the session to the journal the athlete keeps, and never creates one."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from calfload.cli import main


def in_process(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """A journal command run by ``calfload.cli.main`` here: (exit code, stdout, stderr).

    The recordings run as subprocesses, as a user starts them; the journal commands around them
    need no interpreter of their own (each would add about 0.5 s of start-up).
    """
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_without_a_journal_nothing_is_created(
    tmp_path: Path,
    run_calfload: Callable[..., CompletedProcess[str]],
    sim_record_args: Callable[..., list[str]],
) -> None:
    journal = tmp_path / "none"
    done = run_calfload(["--data-dir", str(journal), *sim_record_args(tmp_path / "rec", "--duration", "6s")[1:]])
    assert done.returncode == 0, done.stderr
    assert "calfload: journal:" not in done.stderr
    # Was silent: it now says why the session is in no journal and how to start one.
    assert f"not added to a journal: there is none in {journal}" in done.stderr
    assert f"calfload import {tmp_path / 'rec' / 'imu.parquet'}" in done.stderr
    assert not journal.exists()
    assert (tmp_path / "rec" / "imu.parquet").is_file()


def test_a_quiet_recording_joins_an_existing_journal_and_prints_nothing(
    tmp_path: Path,
    run_calfload: Callable[..., CompletedProcess[str]],
    sim_record_args: Callable[..., list[str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Was: -q ignored by record (file and notification lines) and log (the confirmation)."""
    journal = tmp_path / "journal"
    assert in_process(capsys, "-q", "--data-dir", str(journal), "log", "mass", "70") == (0, "", "")
    done = run_calfload(["--data-dir", str(journal), *sim_record_args(tmp_path / "rec", "--duration", "20s")])
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert (tmp_path / "rec" / "imu.parquet").is_file()
    code, out, err = in_process(capsys, "--data-dir", str(journal), "review", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["flag"] in {"back_off", "hold", "progress"}
    assert any("session 1" in note for note in doc["notes"])
    with sqlite3.connect(journal / "journal.sqlite3") as db:
        rows = db.execute("SELECT id, activity, source_name FROM session").fetchall()
    assert rows == [(1, "calf_raise", "imu.parquet")]
    _, out, _ = in_process(capsys, "--data-dir", str(journal), "log", "mass", "71")
    assert out.startswith("body mass 71 kg")


def test_recover_of_a_folder_still_recording_is_refused_and_the_session_joins_once(
    tmp_path: Path,
    run_calfload: Callable[..., CompletedProcess[str]],
    sim_record_args: Callable[..., list[str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    journal = tmp_path / "journal"
    out = tmp_path / "rec"
    assert in_process(capsys, "--data-dir", str(journal), "log", "mass", "70")[0] == 0
    args = [
        sys.executable,
        "-m",
        "calfload",
        "--data-dir",
        str(journal),
        *sim_record_args(out, "--duration", "30s")[1:],
    ]
    with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        # Recover while the recorder is writing: once the raw log holds data, until it has ended.
        while proc.poll() is None and not (
            (out / "capture.calflog").is_file() and (out / "capture.calflog").stat().st_size > 2000
        ):
            time.sleep(0.05)
        busy = run_calfload(["--data-dir", str(journal), "recover", str(out)])
        assert proc.poll() is None, "the recording ended before recover ran"
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert busy.returncode == 3
    assert "still recording into this folder" in busy.stderr
    assert len(busy.stderr.strip().splitlines()) == 1
    assert "journal: imported imu.parquet as session 1" in err
    # Recover once the recording has ended: the same session, not a second one.
    code, _, err = in_process(capsys, "--data-dir", str(journal), "recover", str(out))
    assert code == 0, err
    assert "is already session 1" in err
    with sqlite3.connect(journal / "journal.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM session").fetchone() == (1,)


def test_a_foot_pod_without_activity_joins_the_journal_as_a_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: `--activity` defaulted to calf_raise before the device was known, so a foot pod's
    recording was refused by the journal ("calf-raise analysis needs an IMU stream"). The
    activity is now decided from the recorded streams, as `analyze` decides it."""
    from calfload.cli import main
    from calfload.recording import read_parquet

    journal = tmp_path / "journal"
    assert main(["-q", "--data-dir", str(journal), "log", "mass", "70"]) == 0
    out = tmp_path / "rec"
    args = ["--data-dir", str(journal), "record", "--device", "sim:footpod", "--out", str(out)]
    assert main([*args, "--time-scale", "20", "--duration", "30s"]) == 0
    err = capsys.readouterr().err
    assert "not added" not in err
    assert "as session 1: run" in err
    assert read_parquet(out / "footpod.parquet").meta.activity is None  # no guess stored with the data
    with sqlite3.connect(journal / "journal.sqlite3") as db:
        assert db.execute("SELECT activity, source_name FROM session").fetchall() == [("run", "footpod.parquet")]
