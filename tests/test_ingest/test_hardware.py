"""Real-hardware tests: skipped unless ``--hardware`` is given (see docs/recording.md).

Switch the sensor on (and move it, to wake it), then::

    .venv/bin/python -m pytest tests/test_ingest/test_hardware.py --hardware [--device NAME_OR_ADDRESS]
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from calfload.ingest.clock import MonotonicClock
from calfload.ingest.finalize import finalize_session
from calfload.ingest.link import BleakConnector, scan
from calfload.ingest.rawlog import SessionHeader
from calfload.ingest.recorder import capture

pytestmark = pytest.mark.hardware


@pytest.fixture
def device(request: pytest.FixtureRequest) -> str:
    given = request.config.getoption("--device")
    if given:
        return str(given)
    found = [r for r in asyncio.run(scan(8.0)) if r.kind is not None]
    if not found:
        pytest.fail("no supported device found; switch it on, move it, or give --device")
    return found[0].address


def test_scan_recognises_a_supported_device() -> None:
    found = asyncio.run(scan(8.0))
    assert any(r.kind is not None for r in found), [(r.name, r.address) for r in found]


def test_record_twenty_seconds(tmp_path: Path, device: str) -> None:
    clock = MonotonicClock()
    header = SessionHeader(
        device=device, start_utc=dt.datetime.now(dt.UTC), start_monotonic_ns=clock.monotonic_ns(), activity="walk"
    )
    summary = asyncio.run(capture(BleakConnector(device), tmp_path / "rec", header, clock=clock, duration_s=20.0))
    assert summary.error is None
    result = finalize_session(tmp_path / "rec")
    assert result.recordings, result.notes
    for rec in result.recordings:
        assert rec.duration_s > 15.0
        if rec.meta.kind == "imu":
            # At rest or walking the accelerometer's median magnitude is gravity.
            assert np.median(np.linalg.norm(rec.acc_mps2(), axis=1)) == pytest.approx(9.81, abs=1.0)
            achieved_hz = (len(rec.data) - 1) / rec.duration_s
            assert achieved_hz == pytest.approx(rec.meta.sample_rate_hz, rel=0.1)
    assert result.stats.bad <= 0.01 * max(1, result.stats.notifications)
