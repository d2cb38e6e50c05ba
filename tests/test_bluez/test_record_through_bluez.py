"""``calfload scan`` and ``calfload record --device ADDRESS`` through bleak, D-Bus and the BlueZ stand-in.

The stand-in's devices play the same virtual peripherals as ``--device sim:KIND``, so a
recording made through the real Bluetooth stack must hold the same samples as the virtual path:
the IMU rows of one are found, value for value and in order, inside the other's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from calfload.cli import main
from calfload.recording import Recording, read_parquet
from calfload.schema import ACC_MPS2, GYR_DPS

from ._bluez_standin import BlueZStandIn, DeviceSnapshot, DeviceSpec

RunCalfload = Callable[..., subprocess.CompletedProcess[str]]
DEVICE_ERROR = 4


def record_in_process(device: str, out: Path, *extra: str, duration: str) -> None:
    """``calfload record`` run by ``calfload.cli.main`` in this process.

    The same command as in a subprocess, without a second interpreter's start-up (seconds on a
    busy machine); bleak reaches the stand-in through the session's ``DBUS_SYSTEM_BUS_ADDRESS``.
    """
    assert main(["-q", "record", "--device", device, "--out", str(out), "--duration", duration, *extra]) == 0


@contextlib.contextmanager
def stopped_when(
    bluez: BlueZStandIn, address: str, monkeypatch: pytest.MonkeyPatch, condition: Callable[[DeviceSnapshot], bool]
) -> Iterator[None]:
    """Stop the ``record`` run inside the block as Ctrl-C does, once the device's state meets ``condition``.

    On a busy machine the streams start seconds after the connection, so a fixed ``--duration``
    may hold too little: the recording ends on what the device has sent instead. The recorder's
    stop event (the one its SIGINT handler sets) is set from a thread watching the stand-in.
    """
    from calfload.cli import _record

    stops: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
    install = _record._install_stop_handlers
    done = threading.Event()

    def install_and_keep(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> Callable[[], None]:
        stops.append((loop, stop))
        return install(loop, stop)

    def watch() -> None:
        bluez.wait_for(address, lambda s: done.is_set() or condition(s))
        if stops and not done.is_set():
            loop, stop = stops[0]
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: the recording ended
                loop.call_soon_threadsafe(stop.set)

    monkeypatch.setattr(_record, "_install_stop_handlers", install_and_keep)
    watcher = threading.Thread(target=watch, name="stop-when", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The error line of a failed command (after the 'recording ... into' line)."""
    lines = [line for line in done.stderr.splitlines() if not line.startswith("calfload: recording ")]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def _start_inside(inner: np.ndarray, outer: np.ndarray, probe: int = 10) -> int | None:
    """Where ``inner``'s first ``probe`` rows appear in ``outer``, or None."""
    for i in np.flatnonzero((outer == inner[0]).all(axis=1)):
        if np.array_equal(outer[i : i + probe], inner[:probe]):
            return int(i)
    return None


def common_rows(a: Recording, b: Recording) -> int:
    """Assert the two recordings' IMU rows agree wherever they overlap; return how many rows that is.

    Whichever recording started later in the device's motion is found inside the other. The
    accelerometer rows are the decoded integers scaled, so they must be identical. The
    gyroscope is interpolated onto the accelerometer's times, and each run fits each stream's
    device clock to the host clock from its own receive times, so the interpolation points
    differ by a millisecond or so between runs: while the foot turns at a few hundred deg/s²
    that moves a value by a fraction of a deg/s (measured up to 0.27), hence 1 deg/s.
    """
    acc_a, acc_b = a.data[list(ACC_MPS2)].to_numpy(), b.data[list(ACC_MPS2)].to_numpy()
    gyr_a, gyr_b = a.data[list(GYR_DPS)].to_numpy(), b.data[list(GYR_DPS)].to_numpy()
    start = _start_inside(acc_b, acc_a)
    if start is None:  # b started earlier: a's first rows are inside b
        acc_a, acc_b, gyr_a, gyr_b = acc_b, acc_a, gyr_b, gyr_a
        start = _start_inside(acc_b, acc_a)
    assert start is not None, "the first samples of neither recording are in the other"
    n = min(len(acc_a) - start, len(acc_b))
    np.testing.assert_array_equal(acc_a[start : start + n], acc_b[:n])
    np.testing.assert_allclose(gyr_a[start : start + n], gyr_b[:n], atol=1.0)
    return n


def test_scan_lists_every_device_kind_by_name_and_address_and_notes_shared_names(
    bluez: BlueZStandIn, run_calfload: RunCalfload, monkeypatch: pytest.MonkeyPatch
) -> None:
    addresses = {kind: bluez.add(DeviceSpec(kind)) for kind in ("polar", "witmotion", "footpod")}
    twin = bluez.add(DeviceSpec("polar", address="A0:9E:1A:00:00:02"))
    monkeypatch.setenv("COLUMNS", "80")
    done = run_calfload(["scan", "--timeout", "1.5"])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Only the two Polars share a name: one note (wrapped at 80 columns) under the table.
    (start,) = [i for i, line in enumerate(lines) if "share" in line]
    for kind, name in (("polar", "Polar Sense SIM00001"), ("witmotion", "WT901BLE68"), ("footpod", "SIM Footpod")):
        (line,) = [row for row in lines[:start] if addresses[kind] in row]
        assert line.split()[0] == kind
        assert name in line
    note = " ".join(" ".join(lines[start:]).split())
    assert "Polar Sense SIM00001" in note
    assert addresses["polar"] in note
    assert twin in note
    assert "WT901BLE68" not in note
    done = run_calfload(["scan", "--timeout", "1.5", "--json"])
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert sorted(d["address"] for d in doc["devices"]) == sorted([*addresses.values(), twin])
    assert {d["kind"] for d in doc["devices"]} == {"polar", "witmotion", "footpod"}
    assert sorted(doc["shared_names"]["Polar Sense SIM00001"]) == sorted([addresses["polar"], twin])


@pytest.mark.parametrize(("kind", "rate_hz"), [("polar", 52.0), ("witmotion", 50.0)])
def test_an_imu_recorded_through_bluez_holds_the_virtual_paths_samples(
    kind: str, rate_hz: float, bluez: BlueZStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = bluez.add(DeviceSpec(kind))
    # Until the device has streamed 5 s (6 s for a Polar: its 1 Hz heart rate needs 4 s between
    # its first and last beat), however late the streams start.
    seconds = 6.0 if kind == "polar" else 5.0
    with stopped_when(bluez, address, monkeypatch, lambda s: s.streamed_s >= seconds):
        record_in_process(address, tmp_path / "bluez", duration="60s")
    sent = bluez.snapshot(address)
    # The virtual path on a clock 10 times faster, to past the device time the stand-in reached:
    # its own device starts streaming well inside the first second (this process has imported
    # everything by now), so it holds every sample the stand-in's device sent.
    virtual = tmp_path / "virtual"
    record_in_process(f"sim:{kind}", virtual, "--time-scale", "10", duration=f"{sent.device_s + 2.0:.1f}s")
    real, sim = read_parquet(tmp_path / "bluez" / "imu.parquet"), read_parquet(virtual / "imu.parquet")
    assert list(real.data.columns) == list(sim.data.columns)
    assert real.meta.sample_rate_hz == sim.meta.sample_rate_hz == rate_hz
    assert real.meta.sensor.address == address
    assert real.meta.sensor.model == sim.meta.sensor.model
    if kind == "polar":
        assert real.meta.gaps == ()
    else:  # host-timed: a late notification on a busy machine may open a short gap, never a loss
        assert all(end - start < 0.5 for start, end in real.meta.gaps)
    # What the device sent before it was told to stop, to a frame (a Polar frame holds 0.1 s).
    assert seconds - 0.2 <= real.duration_s <= sent.streamed_s + 0.2
    # Every sample, in order and to the last bit, as the virtual path decoded it. The virtual
    # recording may start a few samples later in the motion (its own connection takes longer on
    # a scaled clock), so up to its first second may be missing from it.
    assert common_rows(real, sim) >= len(real.data) - rate_hz
    steps = np.diff(real.t_s)
    assert np.median(steps) == pytest.approx(1 / rate_hz, rel=0.02)
    if kind == "polar":  # device-timed: the same clock mapping on both paths
        assert steps.max() < 1.5 / rate_hz
        hr = read_parquet(tmp_path / "bluez" / "heart_rate.parquet")
        assert list(hr.data.columns) == list(read_parquet(virtual / "heart_rate.parquet").data.columns)
        assert hr.data["heart_rate_bpm"].between(75, 95).all()


def test_a_foot_pod_recorded_through_bluez_matches_the_virtual_path(
    bluez: BlueZStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    virtual = tmp_path / "virtual"
    args = ["--activity", "run"]
    record_in_process("sim:footpod", virtual, *args, "--time-scale", "10", duration="6s")
    address = bluez.add(DeviceSpec("footpod", activity="run"))
    # Until the pod has sent 6 measurements (one a second: 5 s, and a recording needs 4 s),
    # however late a busy machine delivers the first.
    with stopped_when(bluez, address, monkeypatch, lambda s: s.notifications >= 6):
        record_in_process(address, tmp_path / "bluez", *args, duration="60s")
    sent = bluez.snapshot(address).notifications
    real, sim = read_parquet(tmp_path / "bluez" / "footpod.parquet"), read_parquet(virtual / "footpod.parquet")
    assert list(real.data.columns) == list(sim.data.columns)
    assert real.meta.sensor.address == address
    assert 6 <= len(real.data) == sent  # every measurement the pod sent, each once
    # The pod's model (module calfload.ingest.virtual.motion): cadence 150 + 8 * speed.
    speed = real.data["speed_mps"].to_numpy()
    cadence = real.data["cadence_spm"].to_numpy()
    np.testing.assert_allclose(cadence, 150 + 8 * speed, atol=1.0)
