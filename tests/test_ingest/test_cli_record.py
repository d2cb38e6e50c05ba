"""``calfload record`` / ``recover`` as a user runs them: subprocesses against ``sim:polar``.

The virtual device and the recorder share a clock running ``TEST_TIME_SCALE`` times faster than
real time, so "5 s" below are clock seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from calfload.recording import Recording, read_parquet

RunCalfload = Callable[..., subprocess.CompletedProcess[str]]
RecordArgs = Callable[..., list[str]]
RATE_HZ = 52.0


def _imu(folder: Path) -> Recording:
    return read_parquet(folder / "imu.parquet")


def _assert_clean_stream(rec: Recording) -> None:
    """Every step one nominal period: no duplicates, no holes, strictly increasing."""
    steps = np.diff(rec.t_s)
    assert np.all(steps > 0.5 / RATE_HZ)
    assert np.all(steps < 1.5 / RATE_HZ)


def test_garbage_and_duplicates_leave_a_complete_duplicate_free_recording(
    tmp_path: Path, run_calfload: RunCalfload, sim_record_args: RecordArgs
) -> None:
    out = tmp_path / "rec"
    args = sim_record_args(out, "--duration", "12s", "--fault", "garbage:0.1", "--fault", "duplicate:0.05")
    done = run_calfload(args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    rec = _imu(out)
    counts = rec.meta.extra["recorder"]
    assert counts["bad_notifications"] > 0
    assert counts["duplicates_dropped"] > 0
    assert rec.meta.gaps == ()
    _assert_clean_stream(rec)
    assert rec.duration_s == pytest.approx(12.0, abs=0.5)
    # Acceleration in m/s² with gravity: about 9.81 at rest.
    assert np.median(np.linalg.norm(rec.acc_mps2(), axis=1)) == pytest.approx(9.81, abs=0.3)


def test_a_link_drop_gives_one_gap_with_data_on_both_sides(
    tmp_path: Path, run_calfload: RunCalfload, sim_record_args: RecordArgs
) -> None:
    out = tmp_path / "rec"
    done = run_calfload(sim_record_args(out, "--duration", "14s", "--fault", "disconnect@5s:3s"))
    assert done.returncode == 0, done.stderr
    rec = _imu(out)
    ((start_s, end_s),) = rec.meta.gaps
    # 3 s off the air, plus at most about one back-off step and the stream restart.
    assert 3.0 <= end_s - start_s <= 4.5
    t = rec.t_s
    assert np.sum(t < start_s) > 3 * RATE_HZ
    assert np.sum(t > end_s) > 3 * RATE_HZ
    assert rec.meta.extra["recorder"]["reconnects"] == 1
    steps = np.diff(t)
    assert np.sum(steps > 1.5 / RATE_HZ) == 1  # the only hole is the gap
    assert np.all(steps > 0.5 / RATE_HZ)


def test_kill_9_then_recover_loses_at_most_about_a_second(
    tmp_path: Path, run_calfload: RunCalfload, sim_record_args: RecordArgs
) -> None:
    out = tmp_path / "rec"
    proc = subprocess.Popen(
        [sys.executable, "-m", "calfload", *sim_record_args(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    rng = np.random.default_rng()
    try:
        # Wait for streaming (the first status line), then kill at a random moment 1-3 s (wall) later.
        first = proc.stderr.readline()
        assert "recording" in first
        time.sleep(float(rng.uniform(1.0, 3.0)))
        killed_ns = time.monotonic_ns()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stderr.close()
    assert not (out / "imu.parquet").exists()
    done = run_calfload(["recover", str(out)])
    assert done.returncode == 0, done.stderr
    rec = _imu(out)
    header = json.loads((out / "session.json").read_text())
    origin, scale = header["clock_origin_ns"], header["time_scale"]
    killed_clock_ns = origin + (killed_ns - origin) * scale
    last_sample_ns = rec.meta.extra["recorder"]["monotonic_t0_ns"] + rec.t_s[-1] * 1e9
    lost_s = (killed_clock_ns - last_sample_ns) / 1e9
    assert -0.2 < lost_s <= 1.0
    _assert_clean_stream(rec)
    # Recovering twice gives the same recording.
    again = run_calfload(["recover", str(out)])
    assert again.returncode == 0
    assert _imu(out).data.equals(rec.data)


def test_sigterm_finalises_cleanly(tmp_path: Path, sim_record_args: RecordArgs) -> None:
    out = tmp_path / "rec"
    with subprocess.Popen(
        [sys.executable, "-m", "calfload", *sim_record_args(out)[1:]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stderr is not None
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if len(lines) >= 8:  # the start line and status lines, at least one a second
                break
        proc.send_signal(signal.SIGTERM)
        rest = proc.stderr.read()
        assert proc.wait(timeout=30) == 0, rest
    assert any("samples/s" in line for line in lines)
    assert "wrote" in rest
    assert _imu(out).duration_s > 4.0


def test_an_unwritable_out_is_one_line_and_exit_3(
    tmp_path: Path, run_calfload: RunCalfload, sim_record_args: RecordArgs
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = run_calfload(sim_record_args(blocker / "rec", "--duration", "5s"))
    assert done.returncode == 3
    assert done.stderr.strip().splitlines()[-1].startswith("calfload: error:")
    assert "Traceback" not in done.stderr
    assert blocker.read_text() == "not a folder"


def test_a_full_disk_keeps_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    from calfload.cli import main
    from calfload.ingest.finalize import decode_session
    from calfload.ingest.rawlog import RawLogWriter, output_error

    limit = 40_000  # the disk fills up after this many bytes of the raw log, mid-record
    written = 0
    original = RawLogWriter.write_and_sync

    def write_until_full(self: RawLogWriter, data: bytes) -> None:
        nonlocal written
        room = limit - written
        if len(data) <= room:
            written += len(data)
            original(self, data)
            return
        if room > 0:
            written = limit
            original(self, data[:room])
        raise output_error(OSError(errno.ENOSPC, "No space left on device"), self.folder, written=True)

    monkeypatch.setattr(RawLogWriter, "write_and_sync", write_until_full)
    out = tmp_path / "rec"
    args = ["-q", "--data-dir", str(tmp_path / "none"), "record", "--device", "sim:polar", "--out", str(out)]
    code = main([*args, "--time-scale", "20", "--duration", "60s"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 3
    assert "disk is full" in err[-1]
    assert f"calfload recover {out}" in err[-1]
    assert "Traceback" not in "\n".join(err)
    assert (out / "capture.calflog").stat().st_size == limit
    # Once there is room again, recover returns everything up to the point the disk filled.
    monkeypatch.undo()
    assert main(["-q", "--data-dir", str(tmp_path / "none"), "recover", str(out)]) == 0
    _header, decoder, report = decode_session(out)
    assert report.torn_tail_bytes > 0  # the record cut by the full disk
    acc = decoder.pmd[2]
    last_device_ns = acc.device_ns[-1][-1]
    first_device_ns = acc.device_ns[0][0]
    rec = _imu(out)
    assert rec.duration_s == pytest.approx((last_device_ns - first_device_ns) / 1e9, abs=0.2)
    assert rec.duration_s > 2.0


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--fault", "explode@3s"], "not understood"),
        (["--rate", "333"], "cannot send at 333 Hz"),
        (["--device", "sim:toaster"], "no virtual device"),
    ],
)
def test_bad_options_are_one_line_errors(
    tmp_path: Path, run_calfload: RunCalfload, sim_record_args: RecordArgs, extra: list[str], needle: str
) -> None:
    done = run_calfload([*sim_record_args(tmp_path / "rec", "--duration", "3s"), *extra])
    assert done.returncode != 0
    assert needle in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "rec").exists()
