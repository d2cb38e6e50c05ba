"""The recorder in-process against every virtual device, through the same code as hardware."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from calfload.errors import DeviceError
from calfload.ingest import gatt
from calfload.ingest.clock import ScaledClock
from calfload.ingest.finalize import finalize_session
from calfload.ingest.live import LiveWindow
from calfload.ingest.rawlog import SessionHeader
from calfload.ingest.recorder import RecorderStatus, capture
from calfload.ingest.virtual import VirtualConnector, standin_calf_raises, virtual_connector
from calfload.ingest.virtual.motion import footpod_run_model
from calfload.schema import CADENCE_SPM, SPEED_MPS
from tests.test_ingest._watched_link import WatchedConnector, WatchedLink, pmd_frame_device_s
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
    # Where the host stalled over 0.5 s a new stretch starts and a gap is noted: the host cannot
    # know how many periods passed, so that step is any length, but never under one period.
    gap_ends_s = np.array([end_s for _, end_s in rec.meta.gaps])  # stored to the millisecond
    at_gap = np.any(np.abs(rec.t_s[1:, None] - gap_ends_s[None, :]) < 0.001, axis=1)
    inside = steps[~at_gap] / period
    np.testing.assert_allclose(inside, np.round(inside), atol=0.01)
    assert np.all(steps / period > 0.99)
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
    arrived_ns: list[int] = []  # the clock when each notification had reached the recorder

    def watch(link: WatchedLink, uuid: str, payload: bytes) -> None:
        if uuid == gatt.RSC_MEASUREMENT:
            arrived_ns.append(clock.monotonic_ns())

    connector = WatchedConnector(virtual_connector("footpod", clock=clock, running=True), watch)
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
    # Foot-pod notifications keep their receive times, scheduling jitter included: each sample's
    # time lies between the arrival of the notification before it and its own (the recorder
    # stamps it just before the watch sees it), however late a busy machine delivered them.
    t0_ns = recorder_facts(rec).monotonic_t0_ns
    assert t0_ns is not None
    received_s = (np.array(arrived_ns, dtype=np.int64) - t0_ns) / 1e9
    assert received_s.size == rec.t_s.size
    assert np.all(rec.t_s <= received_s + 1e-6)
    assert np.all(rec.t_s[1:] >= received_s[:-1] - 1e-6)
    # (How far apart the virtual pod's notifications come is its own scheduling, not the
    # recorder's: its "once a second" stretched to a median 1.18 s beside four CPU burners.)
    assert received_s.size >= 10


class _StopAfterStall:
    """Sets ``stop`` once both PMD streams sent a frame stamped 1 s past ``after_s`` of the fault
    plan (counted from the first attempt to connect, in device time) and the heart rates received
    span ``beats_s`` seconds of the recorder's clock (a heart-rate stream needs 4 s): the
    recording's end is decided by what arrived, not by the clock alone."""

    def __init__(
        self, stop: asyncio.Event, connector: VirtualConnector, clock: ScaledClock, after_s: float, beats_s: float
    ) -> None:
        self.stop, self.connector, self.clock = stop, connector, clock
        self.after_s, self.beats_s = after_s, beats_s
        self.late: set[int] = set()
        self.heart_rate_ns: list[int] = []

    def __call__(self, link: WatchedLink, uuid: str, payload: bytes) -> None:
        if uuid == gatt.HEART_RATE_MEASUREMENT:
            self.heart_rate_ns.append(self.clock.monotonic_ns())
        elif uuid == gatt.PMD_DATA and pmd_frame_device_s(payload) > self._zero_s() + self.after_s + 1.0:
            self.late.add(payload[0])
        beats_ns = self.heart_rate_ns[-1] - self.heart_rate_ns[0] if self.heart_rate_ns else 0
        if len(self.late) == 2 and beats_ns >= self.beats_s * 1e9:
            self.stop.set()

    def _zero_s(self) -> float:
        assert self.connector.first_attempt_s is not None, "frames come only after connecting"
        return self.connector.first_attempt_s


async def test_polar_with_heart_rate_and_a_stall(tmp_path: Path) -> None:
    from calfload.ingest.virtual import parse_faults

    clock = ScaledClock(SCALE)
    stop = asyncio.Event()
    inner = virtual_connector(
        "polar", clock=clock, motion=standin_calf_raises(), faults=parse_faults(["stall@4s:1.5s"])
    )
    connector = WatchedConnector(inner, _StopAfterStall(stop, inner, clock, after_s=5.5, beats_s=5.0))
    header = _header(clock, "sim:polar", rate_hz=104)
    await capture(connector, tmp_path / "rec", header, clock=clock, stop=stop, duration_s=600.0)
    await connector.aclose()
    assert stop.is_set()
    result = finalize_session(tmp_path / "rec")
    kinds = {r.meta.kind: r for r in result.recordings}
    assert set(kinds) == {"imu", "heart_rate"}, result.notes
    imu = kinds["imu"]
    ((start_s, end_s),) = imu.meta.gaps
    # The stall loses the samples the sensor took in its 1.5 s (by the device's clock, however
    # late the host reads): the gap is the stall to a sample period or two.
    assert end_s - start_s == pytest.approx(1.5, abs=2.5 / 104)
    assert not any("jumped" in note for note in result.notes)  # one device clock throughout
    assert imu.meta.sample_rate_hz == 104
    assert imu.meta.sensor.model == "Polar Sense"
    # Both streams share t_s = 0 and start_utc.
    assert kinds["heart_rate"].meta.start_utc == imu.meta.start_utc


async def test_a_disconnect_counts_from_the_first_attempt_to_connect(tmp_path: Path) -> None:
    """A device switched on long before the recorder connects (``record`` starting slowly on a
    busy machine) still drops the link in its window: the window does not pass unseen."""
    from calfload.ingest.virtual import parse_faults

    clock = ScaledClock(SCALE)
    connector = virtual_connector("polar", clock=clock, faults=parse_faults(["disconnect@3s:1s"]))
    await clock.sleep(5.0)  # counted from the switch-on, the whole window would be over
    summary = await capture(
        connector, tmp_path / "rec", _header(clock, "sim:polar", rate_hz=52), clock=clock, duration_s=6.0
    )
    await connector.aclose()
    assert summary.error is None
    (imu,) = (r for r in finalize_session(tmp_path / "rec").recordings if r.meta.kind == "imu")
    assert recorder_facts(imu).reconnects == 1
    ((start_s, end_s),) = imu.meta.gaps
    assert end_s - start_s >= 1.0  # off the air for 1 s, then the back-off and the restart
    # Data on both sides (how much before the drop depends on how soon the streams start after
    # the attempt to connect: 0.6 s of the scaled clock was seen at load 10).
    assert np.any(imu.t_s < start_s)
    assert np.any(imu.t_s > end_s)


async def test_an_absent_device_is_a_device_error_and_leaves_no_folder(tmp_path: Path) -> None:
    from calfload.ingest.virtual import parse_faults

    clock = ScaledClock(SCALE)
    connector = virtual_connector("polar", clock=clock, faults=parse_faults(["disconnect@0s:60s"]))
    with pytest.raises(DeviceError, match="out of range"):
        await capture(connector, tmp_path / "rec", _header(clock, "sim:polar"), clock=clock, duration_s=5.0)
    await connector.aclose()
    assert not (tmp_path / "rec").exists()


class _StopAtDeviceTime:
    """Sets ``stop`` once both PMD streams sent a frame stamped ``after_s`` device seconds past
    their later first frame (the IMU stream is where both streams have samples); keeps the span
    both streams had sent when it stopped, counts the frames of each stream that arrive after the
    stop, and the accelerometer samples received in all. A capture still going ``give_up`` frames
    after the stop is cancelled."""

    def __init__(self, stop: asyncio.Event, after_s: float, give_up: int) -> None:
        self.stop, self.after_s, self.give_up = stop, after_s, give_up
        self.first_s: dict[int, float] = {}
        self.last_s: dict[int, float] = {}
        self.at_stop_s: float | None = None
        self.after_stop: dict[int, int] = {}
        self.acc_samples = 0
        self.capture: asyncio.Task[object] | None = None

    def __call__(self, link: WatchedLink, uuid: str, payload: bytes) -> None:
        from calfload.ingest.pmd import MeasurementType, decode_pmd_frame

        if uuid != gatt.PMD_DATA or not payload:
            return
        kind = payload[0]
        if kind == MeasurementType.ACC:
            self.acc_samples += decode_pmd_frame(payload).samples.shape[0]
        if self.stop.is_set():
            self.after_stop[kind] = self.after_stop.get(kind, 0) + 1
            if max(self.after_stop.values()) >= self.give_up and self.capture is not None:
                self.capture.cancel()
            return
        self.first_s.setdefault(kind, pmd_frame_device_s(payload))
        self.last_s[kind] = pmd_frame_device_s(payload)
        if len(self.last_s) == 2:
            span_s = min(self.last_s.values()) - max(self.first_s.values())
            if span_s >= self.after_s:
                self.at_stop_s = span_s
                self.stop.set()


async def test_stop_event_ends_the_capture(tmp_path: Path) -> None:
    """Decided on the device's clock and the frames received, not on how long the host waited:
    on a busy machine the scaled clock runs on while the event loop waits, and the frame after a
    wait holds every sample up to its send time (a 6 s stop once gave a 6.9 s recording)."""
    clock = ScaledClock(SCALE)
    stop = asyncio.Event()
    # A virtual Polar sends a frame per stream at most every 0.1 device seconds: 20 frames after
    # the stop are at least 2 s of a capture that did not stop.
    watch = _StopAtDeviceTime(stop, after_s=5.0, give_up=20)
    connector = WatchedConnector(virtual_connector("polar", clock=clock), watch)
    watch.capture = asyncio.ensure_future(
        capture(connector, tmp_path / "rec", _header(clock, "sim:polar"), clock=clock, stop=stop)
    )
    with contextlib.suppress(asyncio.CancelledError):
        await watch.capture
    received = watch.acc_samples  # what arrived before the capture ended
    await connector.aclose()
    assert watch.at_stop_s is not None
    # The capture ended within a few frames of the stop (a capture going on is cancelled above).
    assert max(watch.after_stop.values(), default=0) < watch.give_up
    rec = finalize_session(tmp_path / "rec").recordings[0]
    # Everything the device sent before the stop is kept; nothing is recorded that did not arrive.
    assert rec.duration_s >= watch.at_stop_s
    assert rec.n_samples <= received


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
