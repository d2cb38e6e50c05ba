"""Link losses, BlueZ errors and bad input, through bleak and the BlueZ stand-in.

Every failure either is survived (the recording is complete, with the loss written down as a
gap) or ends ``calfload record`` with one line, the device-error exit code 4, and no folder left
behind.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from calfload.cli import main
from calfload.ingest.clock import MonotonicClock
from calfload.ingest.finalize import decode_session
from calfload.ingest.link import BleakConnector
from calfload.ingest.rawlog import LOG_FILE, SessionHeader
from calfload.ingest.recorder import capture
from calfload.recording import read_parquet
from tests.test_ingest.conftest import recorder_facts

from ._bluez_standin import BlueZStandIn, DeviceSpec

RunCalfload = Callable[..., subprocess.CompletedProcess[str]]
DEVICE_ERROR = 4
POLAR_NAME = "Polar Sense SIM00001"


def record_args(device: str, out: Path, *extra: str, duration: str = "5s") -> list[str]:
    """``calfload record`` arguments against the stand-in."""
    return ["-q", "record", "--device", device, "--out", str(out), "--duration", duration, *extra]


def error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single line a failed ``record`` printed after announcing itself."""
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("calfload: recording ")]
    assert len(lines) == 1, done.stderr
    return lines[0]


def record_here(args: list[str], capsys: pytest.CaptureFixture[str]) -> subprocess.CompletedProcess[str]:
    """Run ``calfload ARGS`` by ``calfload.cli.main`` in this process (no second interpreter's start-up)."""
    code = main(args)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


@pytest.mark.parametrize(
    ("fault", "connects"),
    [
        ("abort", 1),  # le-connection-abort-by-local: bleak retries Connect itself
        ("in-progress", 1),  # org.bluez.Error.InProgress: the recorder tries again
        ("drop-in-discovery", 2),  # the link dies before ServicesResolved
        ("stale-cache", 2),  # an outdated GATT table lacks the write characteristic
    ],
)
async def test_bluez_errors_while_connecting_are_survived(
    fault: str, connects: int, bluez: BlueZStandIn, out_dir: Path
) -> None:
    address = bluez.add(DeviceSpec("witmotion"))
    bluez.script_connect(address, fault)
    clock = MonotonicClock()
    header = SessionHeader(
        device=address,
        activity="calf_raise",
        start_utc=dt.datetime.now(dt.UTC),
        start_monotonic_ns=clock.monotonic_ns(),
    )
    summary = await capture(BleakConnector(address, scan_timeout_s=5.0), out_dir, header, clock=clock, duration_s=1.5)
    assert summary.stopped_by is None
    assert bluez.snapshot(address).connects == connects
    log = (out_dir / LOG_FILE).stat().st_size
    assert log > 1000  # notifications were written
    # What was delivered after the fault decodes as the device's notifications, in order.
    _, decoder, _ = decode_session(out_dir)
    assert decoder.stats.notifications > 0
    assert decoder.stats.bad == 0


def test_a_device_that_keeps_refusing_ends_with_one_line_and_no_folder(
    bluez: BlueZStandIn, capsys: pytest.CaptureFixture[str], out_dir: Path
) -> None:
    address = bluez.add(DeviceSpec("witmotion"))
    bluez.script_connect(address, "in-progress", "in-progress", "in-progress")
    done = record_here(record_args(address, out_dir), capsys)
    assert done.returncode == DEVICE_ERROR
    assert "org.bluez.Error.InProgress" in error_line(done)
    assert not out_dir.exists()


def test_an_unknown_address_ends_with_one_line_and_no_folder(
    bluez: BlueZStandIn, capsys: pytest.CaptureFixture[str], out_dir: Path
) -> None:
    bluez.add(DeviceSpec("polar"))
    done = record_here(record_args("C0:FF:EE:00:00:42", out_dir, "--scan-timeout", "1s"), capsys)
    assert done.returncode == DEVICE_ERROR
    line = error_line(done)
    assert "C0:FF:EE:00:00:42" in line
    assert "calfload scan" in line
    assert not out_dir.exists()


def test_a_device_without_the_expected_service_ends_with_one_line(
    bluez: BlueZStandIn, capsys: pytest.CaptureFixture[str], out_dir: Path
) -> None:
    address = bluez.add(DeviceSpec("heart_rate"))  # "Polar H9 ...": heart rate only, no PMD
    done = record_here(record_args(address, out_dir), capsys)
    assert done.returncode == DEVICE_ERROR
    assert "no Polar PMD service" in error_line(done)
    assert not out_dir.exists()
    assert bluez.snapshot(address).connects == 1  # refused at once, not retried


def test_a_second_record_on_a_device_in_use_is_refused_and_the_first_goes_on(
    bluez: BlueZStandIn, run_calfload: RunCalfload, tmp_path: Path
) -> None:
    address = bluez.add(DeviceSpec("witmotion"))
    first = subprocess.Popen(
        [sys.executable, "-m", "calfload", *record_args(address, tmp_path / "first", duration="10min")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        bluez.wait_for(address, lambda s: s.connected and s.notifications > 10)
        second = run_calfload(record_args(address, tmp_path / "second"))
        bluez.wait_for(address, lambda s: s.notifications > 150)  # about 7 s: enough to save
        first.send_signal(signal.SIGINT)  # Ctrl-C: the first recording ends cleanly
        _, first_err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert second.returncode == DEVICE_ERROR
    assert "already connected" in error_line(second)
    assert not (tmp_path / "second").exists()
    assert first.returncode == 0, first_err
    rec = read_parquet(tmp_path / "first" / "imu.parquet")
    assert recorder_facts(rec).reconnects == 0
    # Host-timed: a late notification on a busy machine may open a short gap, never a loss.
    assert all(end - start < 0.5 for start, end in rec.meta.gaps)
    assert bluez.snapshot(address).connects == 1


def test_a_device_chosen_by_name_is_pinned_and_reconnected_with_one_gap_after_it_disappears(
    bluez: BlueZStandIn, out_dir: Path
) -> None:
    twins = [bluez.add(DeviceSpec("polar")), bluez.add(DeviceSpec("polar", address="A0:9E:1A:00:00:02"))]
    for address in twins:  # whichever is chosen loses its link 2 s into streaming, vanishes for 3 s
        bluez.drop_after_streaming(address, 2.0, 3.0, forget=True)
    # In this process (``calfload.cli.main``): the same command without a second start-up.
    assert main(record_args(POLAR_NAME, out_dir, duration="10s")) == 0
    rec = read_parquet(out_dir / "imu.parquet")
    chosen = rec.meta.sensor.address
    assert chosen is not None
    (other,) = set(twins) - {chosen}
    assert recorder_facts(rec).reconnects == 1
    assert bluez.snapshot(chosen).connects == 2
    assert bluez.snapshot(other).connects == 0  # advertising the same name all along, never joined
    ((start_s, end_s),) = rec.meta.gaps
    # 3 s off the air, plus a scan that hears it (0.1 s adverts), a back-off step and the restart.
    assert 3.0 <= end_s - start_s <= 6.0
    assert start_s == pytest.approx(2.0, abs=1.0)
    steps = np.diff(rec.t_s)
    assert np.sum(steps > 1.5 / 52.0) == 1  # the only hole is the gap
    assert np.sum(rec.t_s > end_s) > 2 * 52
