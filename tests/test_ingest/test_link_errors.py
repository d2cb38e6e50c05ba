"""Bleak errors are classified right, and the recorder rides out routine BlueZ errors after connecting."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from bleak.exc import BleakDBusError

from calfload.errors import DeviceError
from calfload.ingest.clock import ScaledClock
from calfload.ingest.finalize import finalize_session
from calfload.ingest.link import (
    BluetoothUnavailableError,
    Connector,
    DeviceRefusedError,
    GattLink,
    LinkLostError,
    _bleak_error,
)
from calfload.ingest.rawlog import SessionHeader
from calfload.ingest.recorder import capture
from calfload.ingest.virtual import standin_calf_raises, virtual_connector
from tests.test_ingest._watched_link import DropAfterFrames, WatchedConnector

SCALE = 10.0


@pytest.mark.parametrize(
    "exc",
    [
        BleakDBusError("org.bluez.Error.Failed", ["le-connection-abort-by-local"]),
        BleakDBusError("org.bluez.Error.InProgress", []),
        BleakDBusError("org.bluez.Error.NotConnected", []),
        TimeoutError(),
        ConnectionRefusedError("D-Bus said no"),
    ],
)
def test_routine_bluez_errors_are_lost_links(exc: BaseException) -> None:
    error = _bleak_error(exc, "connecting")
    assert isinstance(error, LinkLostError)
    assert "not available" not in str(error)


@pytest.mark.parametrize(
    ("exc", "why"),
    [
        (
            BleakDBusError("org.freedesktop.DBus.Error.ServiceUnknown", ["The name org.bluez was not provided"]),
            "bluetoothd is not running",
        ),
        (BleakDBusError("org.bluez.Error.NotReady", ["Resource Not Ready"]), "the adapter is off or not ready"),
        (FileNotFoundError(2, "No such file or directory"), "no system D-Bus to reach it through"),
    ],
)
def test_only_a_missing_or_unready_bluetooth_is_unavailable(exc: BaseException, why: str) -> None:
    """Said in words: was "Bluetooth is not available ([Errno 2] No such file or directory)" (issue 17)."""
    error = _bleak_error(exc, "connecting")
    assert isinstance(error, BluetoothUnavailableError)
    assert not isinstance(error, LinkLostError)
    assert str(error).startswith(f"Bluetooth is not available ({why}); ")
    assert "Errno" not in str(error)
    assert "org." not in str(error)


class _FailingAfterFirst:
    """Connects once through a virtual device, then raises the given errors, then connects again."""

    def __init__(self, inner: Connector, errors: list[DeviceError]) -> None:
        self.inner = inner
        self.errors = errors
        self.connects = 0

    @property
    def label(self) -> str:
        return self.inner.label

    async def connect(self, on_disconnect: Callable[[], None]) -> GattLink:
        if self.connects and self.errors:
            raise self.errors.pop(0)
        self.connects += 1
        return await self.inner.connect(on_disconnect)

    async def aclose(self) -> None:
        await getattr(self.inner, "aclose")()  # noqa: B009 - Connector has no aclose


def _header(clock: ScaledClock) -> SessionHeader:
    return SessionHeader(
        device="sim:polar",
        activity="calf_raise",
        start_utc=dt.datetime.now(dt.UTC),
        start_monotonic_ns=clock.monotonic_ns(),
        time_scale=SCALE,
    )


# The link is dropped after FRAMES frames of each stream, not at a clock time: on a busy machine
# the clock may pass any given time before the streams start. 60 frames hold at least 5.9 device
# seconds of each stream, more than the 4 s a stream needs to be saved (30 frames, 2.9 s, left a
# 3.8 s recording that finalising refused). The durations are only backstops.
FRAMES = 60


async def test_bluez_errors_during_reconnects_are_retried(tmp_path: Path) -> None:
    clock = ScaledClock(SCALE)
    stop = asyncio.Event()
    inner = WatchedConnector(
        virtual_connector("polar", clock=clock, motion=standin_calf_raises()), DropAfterFrames(FRAMES, stop=stop)
    )
    errors: list[DeviceError] = [
        _bleak_error(BleakDBusError("org.bluez.Error.InProgress", []), "connecting"),
        _bleak_error(BleakDBusError("org.bluez.Error.Failed", ["le-connection-abort-by-local"]), "connecting"),
        _bleak_error(BleakDBusError("org.bluez.Error.NotReady", []), "connecting"),
    ]
    connector = _FailingAfterFirst(inner, errors)
    summary = await capture(connector, tmp_path / "rec", _header(clock), clock=clock, stop=stop, duration_s=600.0)
    await inner.aclose()
    assert stop.is_set()  # the second link sent data: the errors were ridden out
    assert summary.stopped_by is None
    assert not errors
    assert summary.reconnects == 1
    (imu,) = [r for r in finalize_session(tmp_path / "rec").recordings if r.meta.kind == "imu"]
    assert len(imu.meta.gaps) == 1


async def test_a_device_error_after_data_still_leaves_a_finishable_recording(tmp_path: Path) -> None:
    clock = ScaledClock(SCALE)
    inner = WatchedConnector(
        virtual_connector("polar", clock=clock, motion=standin_calf_raises()), DropAfterFrames(FRAMES)
    )
    connector = _FailingAfterFirst(inner, [DeviceRefusedError("the sensor refused")])
    summary = await capture(connector, tmp_path / "rec", _header(clock), clock=clock, duration_s=600.0)
    await inner.aclose()
    assert isinstance(summary.stopped_by, DeviceRefusedError)
    (imu,) = [r for r in finalize_session(tmp_path / "rec").recordings if r.meta.kind == "imu"]
    assert imu.duration_s >= 0.1 * (FRAMES - 2)  # the rows before the error are kept


def test_record_finalises_and_says_so_when_the_device_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from calfload.cli import _record, main

    def flaky(args: object, clock: ScaledClock) -> Connector:
        inner = WatchedConnector(
            virtual_connector("polar", clock=clock, motion=standin_calf_raises()), DropAfterFrames(FRAMES)
        )
        return _FailingAfterFirst(inner, [DeviceRefusedError("the sensor refused its settings")])

    monkeypatch.setattr(_record, "_connector", flaky)
    out = tmp_path / "rec"
    code = main(["--data-dir", str(tmp_path / "none"), "record", "--device", "sim:polar", "--out", str(out),
                 "--time-scale", str(SCALE), "--duration", "10min"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == DeviceRefusedError.exit_code
    assert (out / "imu.parquet").is_file()
    assert "wrote" in err
    assert "stopped early" in err
    assert "Traceback" not in err
