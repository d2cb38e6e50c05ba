"""``calfload record`` / ``recover`` as a user runs them: subprocesses against ``sim:polar`` (the
refusals before any recording starts run in process: a subprocess would only add its start-up).

The virtual device and the recorder share a clock running ``TEST_TIME_SCALE`` times faster than
real time, so "5 s" below are clock seconds.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from calfload.cli import main
from calfload.recording import Recording, read_parquet
from tests.test_ingest.conftest import recorder_facts

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
    done = run_calfload([*args, "--json"])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    rec = _imu(out)
    # --json: one object on stdout that says what was written.
    doc = json.loads(done.stdout)
    (imu,) = [s for s in doc["streams"] if s["kind"] == "imu"]
    assert (imu["path"], imu["samples"]) == (str(out / "imu.parquet"), len(rec.data))
    assert imu["duration_s"] == pytest.approx(rec.duration_s)
    assert doc["bad"] == recorder_facts(rec).bad_notifications
    counts = recorder_facts(rec)
    assert counts.bad_notifications > 0
    assert counts.duplicates_dropped > 0
    assert rec.meta.gaps == ()
    _assert_clean_stream(rec)
    # 12 s asked; a busy machine stretches the scaled clock (12.5 s was seen), never the samples.
    assert rec.duration_s == pytest.approx(12.0, abs=1.5)
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
    # 3 s off the air, plus the back-off and the stream restart (on a busy machine the scaled
    # clock runs on while the event loop waits, so the bound is loose: the point is one gap).
    assert 3.0 <= end_s - start_s <= 6.0
    t = rec.t_s
    assert np.sum(t < start_s) > 3 * RATE_HZ
    assert np.sum(t > end_s) > 3 * RATE_HZ
    assert recorder_facts(rec).reconnects == 1
    steps = np.diff(t)
    assert np.sum(steps > 1.5 / RATE_HZ) == 1  # the only hole is the gap
    assert np.all(steps > 0.5 / RATE_HZ)


def test_a_lost_start_reply_after_a_reconnect_costs_no_second_stall(
    tmp_path: Path, run_calfload: RunCalfload, sim_record_args: RecordArgs
) -> None:
    out = tmp_path / "rec"
    faults = ["--fault", "disconnect@5s:1s", "--fault", "lost-reply@5s"]  # the gyroscope's reply on reconnecting
    done = run_calfload(sim_record_args(out, "--duration", "25s", *faults))
    assert done.returncode == 0, done.stderr
    rec = _imu(out)
    # The reconnect is the only hole: no 10 s wait for the reply, no second reconnect after it.
    assert recorder_facts(rec).reconnects == 1
    ((start_s, end_s),) = rec.meta.gaps
    assert 1.0 <= end_s - start_s < 10.0
    # The recorder honoured the 25 s on its own clock (from the first connection to the stop), and
    # the recording spans every sample both streams sent meanwhile, on the device's clock: what a
    # busy machine delays is when the streams start after connecting, never what is kept.
    connected_s, stopped_s = _recorder_events_s(out, "device", "stopped")
    assert stopped_s - connected_s >= 25.0
    assert rec.duration_s == pytest.approx(_device_span_s(out), abs=2.0 / RATE_HZ)
    assert len(rec.data) >= (rec.duration_s - (end_s - start_s)) * RATE_HZ - 2
    _assert_clean_stream_outside(rec, rec.meta.gaps)


def _recorder_events_s(folder: Path, first: str, last: str) -> tuple[float, float]:
    """The recorder's clock (raw-log host time, s) at its first ``first`` event and its last ``last`` event."""
    from calfload.ingest.gatt import Channel
    from calfload.ingest.rawlog import read_raw_log

    events = [
        (r.host_ns / 1e9, json.loads(r.payload)["event"])
        for r in read_raw_log(folder / "capture.calflog")
        if r.channel == Channel.EVENT
    ]
    return min(t for t, kind in events if kind == first), max(t for t, kind in events if kind == last)


def _device_span_s(folder: Path) -> float:
    """Device seconds from the later first sample to the earlier last sample of the two streams."""
    from calfload.ingest.finalize import decode_session
    from calfload.ingest.pmd import MeasurementType

    _header, decoder, _report = decode_session(folder)
    acc, gyr = decoder.pmd[MeasurementType.ACC], decoder.pmd[MeasurementType.GYRO]
    first_ns = max(acc.device_ns[0][0], gyr.device_ns[0][0])
    last_ns = min(acc.device_ns[-1][-1], gyr.device_ns[-1][-1])
    return float(last_ns - first_ns) / 1e9


def _assert_clean_stream_outside(rec: Recording, gaps: tuple[tuple[float, float], ...]) -> None:
    steps = np.diff(rec.t_s)
    assert np.all(steps > 0.5 / RATE_HZ)
    assert np.sum(steps > 1.5 / RATE_HZ) == len(gaps)


def _acc_samples_in_log(folder: Path) -> tuple[int, int]:
    """Accelerometer samples in the raw log's intact frames, and the largest frame's samples."""
    from calfload.ingest.gatt import Channel
    from calfload.ingest.pmd import MeasurementType, decode_pmd_frame
    from calfload.ingest.rawlog import read_raw_log

    sizes = [
        decode_pmd_frame(r.payload).samples.shape[0]
        for r in read_raw_log(folder / "capture.calflog")
        if r.channel == Channel.PMD_DATA and r.payload[0] == MeasurementType.ACC
    ]
    return sum(sizes), max(sizes, default=0)


def test_kill_9_then_recover_keeps_everything_the_log_holds(
    tmp_path: Path, sim_record_args: RecordArgs, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a kill costs is what was not yet synced, which depends on the machine's load: this
    asserts on what was written (a clean log, every sample of it recovered), never on time."""
    from calfload.ingest.rawlog import LogReadReport, read_raw_log

    out = tmp_path / "rec"
    log = out / "capture.calflog"
    proc = subprocess.Popen(
        [sys.executable, "-m", "calfload", *sim_record_args(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Kill once about 12 clock seconds of data are synced to disk (sim:polar writes ~420 bytes/s):
        # the condition is what was written, however long the machine takes to get there.
        for _ in range(1200):
            if proc.poll() is not None or (log.is_file() and log.stat().st_size >= 5000):
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the recorder ended before it was killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
    assert not (out / "imu.parquet").exists()
    report = LogReadReport()
    assert len(list(read_raw_log(out / "capture.calflog", report))) > 0
    assert report.damaged == []  # appends only: a kill can cut the last record, nothing else
    # recover in process: what is tested is what it makes of the killed recorder's folder.
    assert main(["-q", "recover", str(out)]) == 0
    rec = _imu(out)
    written, frame = _acc_samples_in_log(out)
    # Every sample written is recovered (the gyroscope's range may trim a frame at either end).
    assert written - 2 * frame <= len(rec.data) <= written
    _assert_clean_stream(rec)
    # Recovering twice gives the same recording.
    capsys.readouterr()
    assert main(["recover", str(out), "--json"]) == 0
    assert _imu(out).data.equals(rec.data)
    streams = json.loads(capsys.readouterr().out)["streams"]
    assert {s["kind"]: s["samples"] for s in streams}["imu"] == len(rec.data)


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
    tmp_path: Path, sim_record_args: RecordArgs, capsys: pytest.CaptureFixture[str]
) -> None:
    """In process, as the other refusals before recording: a subprocess would add only its start-up."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(sim_record_args(blocker / "rec", "--duration", "5s")) == 3
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("calfload: error:")
    assert "Traceback" not in err
    assert blocker.read_text() == "not a folder"


def _inside_a_record(batch: bytes, room: int) -> int:
    """``room``, or one byte less when it falls between two of the batch's records.

    A batch is whole records (u32 payload length, u32 CRC, i64 time, u8 channel, payload).
    """
    pos = 0
    while pos < room:
        (payload_length,) = struct.unpack_from("<I", batch, pos)
        pos += 17 + payload_length
    return room - 1 if pos == room else room


def test_a_full_disk_keeps_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    from calfload.cli import main
    from calfload.ingest.finalize import decode_session
    from calfload.ingest.pmd import MeasurementType
    from calfload.ingest.rawlog import RawLogWriter, output_error

    # The disk fills up after this many bytes of the raw log, mid-record (about 35 clock seconds of
    # sim:polar). The recording runs until then: how much data a given time holds plays no part.
    limit = 15_000
    written = 0
    original = RawLogWriter.write_and_sync

    def write_until_full(self: RawLogWriter, data: bytes) -> None:
        nonlocal written
        room = limit - written
        if len(data) < room:
            written += len(data)
            original(self, data)
            return
        # The cut falls inside a record whatever the batching (room > 0: every earlier batch
        # ended before the limit); when the batch's records end exactly at it, one byte earlier.
        cut = _inside_a_record(data, room)
        written += cut
        original(self, data[:cut])
        raise output_error(OSError(errno.ENOSPC, "No space left on device"), self.folder, written=True)

    monkeypatch.setattr(RawLogWriter, "write_and_sync", write_until_full)
    out = tmp_path / "rec"
    args = ["-q", "--data-dir", str(tmp_path / "none"), "record", "--device", "sim:polar", "--out", str(out)]
    code = main([*args, "--time-scale", "20", "--duration", "1h"])  # the duration is only a backstop
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 3
    assert "disk is full" in err[-1]
    assert f"calfload recover {out}" in err[-1]
    assert "Traceback" not in "\n".join(err)
    assert (out / "capture.calflog").stat().st_size == written
    # Once there is room again, recover returns everything up to the point the disk filled.
    monkeypatch.undo()
    assert main(["-q", "--data-dir", str(tmp_path / "none"), "recover", str(out)]) == 0
    _header, decoder, report = decode_session(out)
    assert report.torn_tail_bytes > 0  # the record cut by the full disk
    # An IMU sample needs both streams: the recording spans the accelerometer's samples inside
    # the gyroscope's span (the gyroscope starts later, by a load-dependent start-up), in the
    # device's clock, which runs 30 ppm fast (a few ms here). So to a sample period at each end.
    acc, gyr = decoder.pmd[MeasurementType.ACC], decoder.pmd[MeasurementType.GYRO]
    first_ns = max(acc.device_ns[0][0], gyr.device_ns[0][0])
    last_ns = min(acc.device_ns[-1][-1], gyr.device_ns[-1][-1])
    rec = _imu(out)
    assert rec.duration_s == pytest.approx((last_ns - first_ns) / 1e9, abs=2.0 / rec.meta.sample_rate_hz)
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
    tmp_path: Path, sim_record_args: RecordArgs, extra: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    device = extra[1] if extra[0] == "--device" else "sim:polar"  # a second --device would be the other foot
    options = [] if extra[0] == "--device" else extra
    assert main([*sim_record_args(tmp_path / "rec", "--duration", "3s", device=device), *options]) != 0
    err = capsys.readouterr().err
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "rec").exists()
