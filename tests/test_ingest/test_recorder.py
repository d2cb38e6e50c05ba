"""The recorder in-process against every virtual device, through the same code as hardware."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from calfload.errors import DeviceError
from calfload.ingest.clock import ScaledClock
from calfload.ingest.finalize import finalize_session
from calfload.ingest.live import LiveWindow
from calfload.ingest.rawlog import SessionHeader
from calfload.ingest.recorder import RecorderStatus, capture
from calfload.ingest.virtual import standin_calf_raises, virtual_connector
from calfload.ingest.virtual.motion import footpod_run_model
from calfload.schema import CADENCE_SPM, SPEED_MPS
from tests.test_ingest.conftest import recorder_facts

SCALE = 10.0


def _header(
    clock: ScaledClock, device: str, activity: str = "calf_raise", rate_hz: float | None = None
) -> SessionHeader:
    return SessionHeader(
        device=device,
        activity=activity,
        placement="foot",
        side="left",
        rate_hz=rate_hz,
        start_utc=dt.datetime.now(dt.UTC),
        start_monotonic_ns=clock.monotonic_ns(),
        time_scale=SCALE,
    )


async def test_witmotion_stream_is_cut_from_split_notifications_and_evenly_timed(tmp_path: Path) -> None:
    clock = ScaledClock(SCALE)
    motion = standin_calf_raises(30.0, 200.0)
    connector = virtual_connector("witmotion", clock=clock, motion=motion)
    statuses: list[RecorderStatus] = []
    windows: list[LiveWindow] = []

    def hook(window: LiveWindow) -> str:
        windows.append(window)
        return f"{window.t_s.size} samples"

    summary = await capture(
        connector,
        tmp_path / "rec",
        _header(clock, "sim:witmotion", rate_hz=100),
        clock=clock,
        duration_s=8.0,
        on_status=statuses.append,
        live_hook=hook,
    )
    await connector.aclose()
    assert summary.error is None
    result = finalize_session(tmp_path / "rec")
    (rec,) = result.recordings
    assert rec.meta.kind == "imu"
    assert rec.meta.sample_rate_hz == 100.0
    timing = recorder_facts(rec).host_timing  # how the rate was found, said in the metadata
    assert timing is not None
    assert timing.timed_hz == 100.0
    assert 0 < timing.snapped_to_supported_rate <= timing.stretches
    assert rec.meta.sensor.model.startswith("WitMotion")
    assert (rec.meta.placement, rec.meta.side) == ("foot", "left")
    # The period is measured from the data (the virtual device delivers in bursts at 10x): nearly
    # every step is one period; the rest are holes of whole periods, never squeezed samples.
    steps = np.diff(rec.t_s)
    period = float(np.median(steps))
    assert period == pytest.approx(0.01, rel=0.02)
    assert np.mean(np.abs(steps / period - 1) < 0.01) > 0.97
    np.testing.assert_allclose(steps / period, np.round(steps / period), atol=0.01)
    assert result.stats.bad == 0
    # WitMotion quantises to int16 of its full scale: 16 g / 32768 and 2000 deg/s / 32768.
    peak = np.max(np.abs(rec.gyr_dps()[:, 1]))
    assert peak == pytest.approx(np.max(np.abs(motion.gyr_dps[:, 1])), rel=0.05)
    # Status reports went out and count what was recorded (their number and per-second rates
    # depend on scheduling, so they are not asserted); the live hook saw recent motion.
    assert statuses
    counts = [s.samples for s in statuses]
    assert counts == sorted(counts)
    assert 0 < counts[-1] <= len(rec.data)
    assert any(s.samples_per_s > 0 for s in statuses)
    assert windows
    assert windows[-1].acc_mps2.shape[1] == 3
    assert any(s.live for s in statuses)


async def test_footpod_run(tmp_path: Path) -> None:
    clock = ScaledClock(SCALE)
    connector = virtual_connector("footpod", clock=clock, running=True)
    statuses: list[RecorderStatus] = []
    await capture(
        connector,
        tmp_path / "rec",
        _header(clock, "sim:footpod", "run"),
        clock=clock,
        duration_s=15.0,
        on_status=statuses.append,
    )
    await connector.aclose()
    (rec,) = finalize_session(tmp_path / "rec").recordings
    assert rec.meta.kind == "footpod"
    last = rec.data.iloc[-1]
    assert last[SPEED_MPS] == pytest.approx(3.0, abs=0.01)
    assert last[CADENCE_SPM] == pytest.approx(round(footpod_run_model(100.0).cadence_spm))
    assert statuses[-1].cadence_spm == pytest.approx(174, abs=1)
    # Foot-pod notifications keep their receive times (scheduling jitter included): about 1 s apart.
    # On a busy machine the scaled clock runs on while the event loop waits, so receive times
    # stretch by a few per cent: the bound is about "one notification a second", not the load.
    steps = np.diff(rec.t_s)
    assert float(np.median(steps)) == pytest.approx(1.0, rel=0.1)
    assert np.all((steps > 0.5) & (steps < 1.5))


async def test_polar_with_heart_rate_and_a_stall(tmp_path: Path) -> None:
    from calfload.ingest.virtual import parse_faults

    clock = ScaledClock(SCALE)
    connector = virtual_connector(
        "polar", clock=clock, motion=standin_calf_raises(), faults=parse_faults(["stall@4s:1.5s"])
    )
    await capture(connector, tmp_path / "rec", _header(clock, "sim:polar", rate_hz=104), clock=clock, duration_s=10.0)
    await connector.aclose()
    result = finalize_session(tmp_path / "rec")
    kinds = {r.meta.kind: r for r in result.recordings}
    assert set(kinds) == {"imu", "heart_rate"}
    imu = kinds["imu"]
    ((start_s, end_s),) = imu.meta.gaps
    # 1.5 s of stall; on a busy machine the scaled clock runs on while the event loop waits, so
    # the resumed stream may come a little late, never early.
    assert 1.3 <= end_s - start_s <= 2.5
    assert imu.meta.sample_rate_hz == 104
    assert imu.meta.sensor.model == "Polar Sense"
    # Both streams share t_s = 0 and start_utc.
    assert kinds["heart_rate"].meta.start_utc == imu.meta.start_utc


async def test_an_absent_device_is_a_device_error_and_leaves_no_folder(tmp_path: Path) -> None:
    from calfload.ingest.virtual import parse_faults

    clock = ScaledClock(SCALE)
    connector = virtual_connector("polar", clock=clock, faults=parse_faults(["disconnect@0s:60s"]))
    with pytest.raises(DeviceError, match="out of range"):
        await capture(connector, tmp_path / "rec", _header(clock, "sim:polar"), clock=clock, duration_s=5.0)
    await connector.aclose()
    assert not (tmp_path / "rec").exists()


async def test_stop_event_ends_the_capture(tmp_path: Path) -> None:
    clock = ScaledClock(SCALE)
    connector = virtual_connector("polar", clock=clock)
    stop = asyncio.Event()

    async def stop_soon() -> None:
        await clock.sleep(6.0)
        stop.set()

    stopper = asyncio.ensure_future(stop_soon())
    await capture(connector, tmp_path / "rec", _header(clock, "sim:polar"), clock=clock, stop=stop)
    await stopper
    await connector.aclose()
    # The stop came 6 clock seconds after the start, which includes connecting: the recording
    # cannot be longer, and the virtual device streamed (in clock time) until the stop.
    rec = finalize_session(tmp_path / "rec").recordings[0]
    # The last frame's samples are stamped by the device clock mapping, which may put them a
    # sample period or two past the stop instant (6.0002 s was seen on a busy machine).
    assert 0 < rec.duration_s <= 6.0 + 0.05
    # Nor can it hold more samples than the device sends in that time.
    assert rec.n_samples <= rec.meta.sample_rate_hz * (6.0 + 0.05) + 1


async def test_a_failing_live_decoder_does_not_stop_the_raw_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from calfload.ingest import capture_session
    from calfload.ingest.decoding import SessionDecoder
    from calfload.ingest.gatt import Channel

    class Broken(SessionDecoder):
        calls = 0

        def feed(self, host_ns: int, channel: int, payload: bytes) -> None:
            if channel == Channel.PMD_DATA:
                Broken.calls += 1
                if Broken.calls % 7 == 0:
                    raise RuntimeError("a decoder bug")
            super().feed(host_ns, channel, payload)

    monkeypatch.setattr(capture_session, "SessionDecoder", Broken)
    clock = ScaledClock(SCALE)
    connector = virtual_connector("polar", clock=clock, motion=standin_calf_raises())
    summary = await capture(connector, tmp_path / "rec", _header(clock, "sim:polar"), clock=clock, duration_s=6.0)
    await connector.aclose()
    assert summary.decode_failures > 0
    # Finalising decodes the whole log with the real decoder: nothing is missing.
    imu = next(r for r in finalize_session(tmp_path / "rec").recordings if r.meta.kind == "imu")
    assert imu.meta.gaps == ()
    assert imu.duration_s > 4.0
