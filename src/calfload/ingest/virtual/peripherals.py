"""Virtual wearables that answer GATT reads and writes and notify spec-correct bytes.

Each peripheral plays a :class:`~calfload.ingest.virtual.motion.MotionSource` (or the foot-pod
model) in clock time, from the moment it is switched on. Between connections it keeps running,
so the samples of a link drop are lost, as with a real sensor.

``sim:polar`` (Polar Verity Sense)
    PMD service with accelerometer and gyroscope, plus heart rate. Start requests are checked
    (rates 26/52/104/208/416 Hz, otherwise status 8 "invalid sample rate") and answered; the
    accelerometer streams delta-compressed frames of type 0x81 in mG (no factor) and the
    gyroscope type 0x80 with factor 2000/32768 deg/s, about every 0.1 s (a ``stall`` loses the
    samples taken in it, by the device's clock, however late the host runs). The device clock counts
    from 2019-01-01 (a Polar's reset value) and runs 30 ppm fast, so the recorder's drift
    correction is exercised; ``clock_offset_s`` and ``drift`` set another offset and rate, so two
    sensors can disagree by a known amount (``frame_interval_s`` sets how often frames go out).
``sim:witmotion`` (WT901BLECL)
    Streams 0x55 0x61 packets at the rate set by ``FF AA 03 <code> 00`` (10 Hz until then);
    each batch of packets is cut into notifications of :data:`WITMOTION_CHUNK` bytes, so packets
    straddle notifications.
``sim:footpod``
    RSC measurement once a second (stride, distance, running status) and RSC feature 0x0007.
"""

from __future__ import annotations

import abc
import asyncio
import math
from collections.abc import Callable
from typing import Final

import numpy as np

from calfload.errors import DecodeError
from calfload.ingest import gatt
from calfload.ingest.clock import Clock
from calfload.ingest.heart_rate import HeartRateMeasurement, encode_heart_rate
from calfload.ingest.pmd import (
    HEADER_SIZE,
    OP_START,
    OP_STOP,
    MeasurementType,
    encode_control_point_response,
    encode_features,
    encode_pmd_frame,
    parse_start_request,
)
from calfload.ingest.rsc import RscMeasurement, encode_rsc_measurement
from calfload.ingest.virtual.motion import MotionSource, footpod_run_model
from calfload.ingest.witmotion import encode_witmotion_packet, parse_rate_command
from calfload.units import STANDARD_GRAVITY_MPS2

Send = Callable[[str, bytes], None]

PMD_RATES_HZ: Final = (26, 52, 104, 208, 416)
GYRO_FACTOR_DPS: Final = 2000.0 / 32768.0
FRAME_INTERVAL_S: Final = 0.1
MAX_SAMPLES_PER_FRAME: Final = 60
#: Device clock at switch-on: 2019-01-01 in ns since 2000-01-01 (Polar's reset value).
DEVICE_CLOCK_START_NS: Final = 599_616_000 * 1_000_000_000
DEVICE_DRIFT: Final = 30e-6
WITMOTION_CHUNK: Final = 48
_STATUS_INVALID_RATE: Final = 8
_STATUS_ALREADY: Final = 6


def _never(t_s: float) -> bool:  # noqa: ARG001 - the default of VirtualPeripheral.sample_lost
    return False


def _kept_runs(lost: np.ndarray) -> list[slice]:
    """The runs of consecutive ``False`` in ``lost``, as slices."""
    edges = np.flatnonzero(np.diff(np.concatenate(([True], lost, [True])).astype(np.int8)))
    return [slice(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


class VirtualPeripheral(abc.ABC):
    """A virtual BLE peripheral; :class:`~calfload.ingest.virtual.link.VirtualLink` drives it."""

    name: str = "virtual"
    address: str = "00:00:00:00:00:00"
    services: frozenset[str] = frozenset()

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.power_on_ns = clock.monotonic_ns()
        self._send: Send | None = None
        self._tasks: dict[str, asyncio.Task[None]] = {}
        #: Whether a sample taken at this many seconds after switch-on is lost (set by the
        #: connector from its ``stall`` faults; device-timed streams drop such samples).
        self.sample_lost: Callable[[float], bool] = _never

    def now_s(self) -> float:
        """Seconds since the device was switched on."""
        return (self.clock.monotonic_ns() - self.power_on_ns) / 1e9

    def attach(self, send: Send) -> None:
        """Attach a connected central; notifications go to ``send``."""
        self._send = send

    def detach(self) -> None:
        """Detach the central and stop every stream."""
        self._send = None
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()

    def notify(self, uuid: str, data: bytes) -> None:
        """Send a notification if a central is attached."""
        if self._send is not None:
            self._send(uuid, data)

    def start_task(self, key: str, loop: Callable[[], object]) -> None:
        """(Re)start a streaming loop under ``key``."""
        old = self._tasks.pop(key, None)
        if old is not None:
            old.cancel()
        coro = loop()
        assert asyncio.iscoroutine(coro)
        self._tasks[key] = asyncio.ensure_future(coro)

    def stop_task(self, key: str) -> None:
        """Stop a streaming loop."""
        task = self._tasks.pop(key, None)
        if task is not None:
            task.cancel()

    async def on_subscribe(self, uuid: str) -> None:  # noqa: B027 - optional hook
        """React to a central enabling notifications on ``uuid``."""

    @abc.abstractmethod
    async def on_read(self, uuid: str) -> bytes:
        """Answer a read."""

    @abc.abstractmethod
    async def on_write(self, uuid: str, data: bytes) -> None:
        """Handle a write."""

    @abc.abstractmethod
    def garbage(self, real: bytes, rng: np.random.Generator) -> bytes:
        """Make a malformed notification resembling ``real`` (for the garbage fault)."""

    async def heart_rate_loop(self) -> None:
        """Send a heart rate once a second: 75 bpm rising by up to 20 bpm with a 2-minute period."""
        while True:
            await self.clock.sleep(1.0)
            bpm = 75.0 + 10.0 * (1 - math.cos(2 * math.pi * self.now_s() / 120.0))
            beat = HeartRateMeasurement(round(bpm), True, None, (60000.0 / bpm,))
            self.notify(gatt.HEART_RATE_MEASUREMENT, encode_heart_rate(beat))


class VirtualPolar(VirtualPeripheral):
    """A Polar Verity Sense (see the module docstring)."""

    name = "Polar Sense SIM00001"
    address = "A0:9E:1A:00:00:01"
    services = frozenset({gatt.PMD_SERVICE, gatt.HEART_RATE_SERVICE})

    def __init__(
        self,
        clock: Clock,
        motion: MotionSource,
        *,
        clock_offset_s: float = 0.0,
        drift: float = DEVICE_DRIFT,
        frame_interval_s: float = FRAME_INTERVAL_S,
    ) -> None:
        super().__init__(clock)
        self.motion = motion
        self.clock_offset_ns = round(clock_offset_s * 1e9)
        self.drift = drift
        self.frame_interval_s = frame_interval_s

    async def on_subscribe(self, uuid: str) -> None:
        """Start the heart rate when subscribed."""
        if uuid == gatt.HEART_RATE_MEASUREMENT:
            self.start_task("hr", self.heart_rate_loop)

    async def on_read(self, uuid: str) -> bytes:
        """Answer a read: the control point reads as the feature bitmask."""
        if uuid == gatt.PMD_CONTROL_POINT:
            return encode_features({MeasurementType.ACC, MeasurementType.GYRO})
        return b""

    async def on_write(self, uuid: str, data: bytes) -> None:
        """Answer start and stop requests on the control point."""
        if uuid != gatt.PMD_CONTROL_POINT or len(data) < 2:
            return
        opcode, measurement = data[0], data[1]
        key = f"pmd{measurement}"
        if opcode == OP_STOP:
            self.stop_task(key)
            self.notify(uuid, encode_control_point_response(OP_STOP, measurement))
            return
        if opcode != OP_START:
            self.notify(uuid, encode_control_point_response(opcode, measurement, status=1))
            return
        try:
            _, settings = parse_start_request(data)
        except DecodeError:
            self.notify(uuid, encode_control_point_response(OP_START, measurement, status=4))
            return
        rate = settings.get(0, 0)
        if measurement not in (MeasurementType.ACC, MeasurementType.GYRO):
            self.notify(uuid, encode_control_point_response(OP_START, measurement, status=3))
        elif rate not in PMD_RATES_HZ:
            self.notify(uuid, encode_control_point_response(OP_START, measurement, status=_STATUS_INVALID_RATE))
        elif key in self._tasks:
            self.notify(uuid, encode_control_point_response(OP_START, measurement, status=_STATUS_ALREADY))
        else:
            gyro = measurement == MeasurementType.GYRO
            factor = GYRO_FACTOR_DPS if gyro else None
            self.notify(uuid, encode_control_point_response(OP_START, measurement, factor=factor))
            self.start_task(key, lambda: self._stream(MeasurementType(measurement), float(rate)))

    def device_ns(self, t_s: np.ndarray) -> np.ndarray:
        """Return the sensor's own clock at switch-on-relative times ``t_s``."""
        return DEVICE_CLOCK_START_NS + self.clock_offset_ns + np.round(t_s * 1e9 * (1 + self.drift)).astype(np.int64)

    async def _stream(self, measurement: MeasurementType, rate_hz: float) -> None:
        next_k = math.ceil(self.now_s() * rate_hz)
        while True:
            await self.clock.sleep(self.frame_interval_s)
            last_k = math.floor(self.now_s() * rate_hz)
            for start in range(next_k, last_k + 1, MAX_SAMPLES_PER_FRAME):
                t_s = np.arange(start, min(start + MAX_SAMPLES_PER_FRAME, last_k + 1)) / rate_hz
                # A stall loses the samples taken in it, however late this loop runs.
                lost = np.fromiter((self.sample_lost(float(t)) for t in t_s), dtype=bool, count=t_s.size)
                for run in _kept_runs(lost):
                    self.notify(gatt.PMD_DATA, self._frame(measurement, t_s[run]))
            next_k = max(next_k, last_k + 1)

    def _frame(self, measurement: MeasurementType, t_s: np.ndarray) -> bytes:
        acc, gyr = self.motion.at(t_s)
        timestamp = int(self.device_ns(t_s[-1:])[0])
        if measurement == MeasurementType.ACC:
            ints = np.round(acc / STANDARD_GRAVITY_MPS2 * 1000.0)
            return encode_pmd_frame(measurement, timestamp, ints, frame_type=0x81)
        ints = np.clip(np.round(gyr / GYRO_FACTOR_DPS), -32768, 32767)
        return encode_pmd_frame(measurement, timestamp, ints, frame_type=0x80)

    def garbage(self, real: bytes, rng: np.random.Generator) -> bytes:
        """Malformed PMD notifications: too short, one byte too long, unknown type, cut, or misdated.

        A misdated frame is a copy of the real one stamped beyond a signed 64-bit time or a day
        ahead of the sensor's clock.
        """
        mode = int(rng.integers(6))
        if mode == 0 or len(real) <= HEADER_SIZE + 1:
            return rng.bytes(int(rng.integers(1, HEADER_SIZE)))
        if mode == 1:
            return real + rng.bytes(1)
        if mode == 2:
            return bytes([0x3F]) + real[1:]
        if mode in (4, 5):
            stamp = int.from_bytes(real[1:9], "little")
            stamp = 2**64 - 1 - int(rng.integers(1000)) if mode == 4 else stamp + 86_400 * 10**9
            return real[:1] + stamp.to_bytes(8, "little") + real[9:]
        return real[: len(real) - 1]


class VirtualWitMotion(VirtualPeripheral):
    """A WitMotion WT901BLECL (see the module docstring)."""

    name = "WT901BLE68"
    address = "D4:0A:00:00:00:02"
    services = frozenset({gatt.WITMOTION_SERVICE})

    def __init__(self, clock: Clock, motion: MotionSource) -> None:
        super().__init__(clock)
        self.motion = motion
        self.rate_hz = 10.0

    async def on_subscribe(self, uuid: str) -> None:
        """Start streaming at the current rate."""
        if uuid == gatt.WITMOTION_NOTIFY:
            self.start_task("imu", self._stream)

    async def on_read(self, uuid: str) -> bytes:  # noqa: ARG002 - protocol
        """Answer a read: nothing to read."""
        return b""

    async def on_write(self, uuid: str, data: bytes) -> None:
        """Apply a rate command."""
        rate = parse_rate_command(data) if uuid == gatt.WITMOTION_WRITE else None
        if rate is not None:
            self.rate_hz = rate
            if "imu" in self._tasks:
                self.start_task("imu", self._stream)

    async def _stream(self) -> None:
        rate = self.rate_hz
        next_k = math.ceil(self.now_s() * rate)
        while True:
            await self.clock.sleep(max(FRAME_INTERVAL_S / 2, 1.0 / rate))
            last_k = math.floor(self.now_s() * rate)
            if last_k < next_k:
                continue
            t = np.arange(next_k, last_k + 1) / rate
            acc, gyr = self.motion.at(t)
            acc_g = acc / STANDARD_GRAVITY_MPS2
            roll = np.degrees(np.arctan2(acc_g[:, 1], acc_g[:, 2]))
            pitch = np.degrees(np.arctan2(-acc_g[:, 0], np.hypot(acc_g[:, 1], acc_g[:, 2])))
            stream = b"".join(
                encode_witmotion_packet(acc_g[i], gyr[i], np.array([roll[i], pitch[i], 0.0])) for i in range(t.size)
            )
            for start in range(0, len(stream), WITMOTION_CHUNK):
                self.notify(gatt.WITMOTION_NOTIFY, stream[start : start + WITMOTION_CHUNK])
            next_k = last_k + 1

    def garbage(self, real: bytes, rng: np.random.Generator) -> bytes:  # noqa: ARG002 - protocol
        """Make bytes that belong to no packet."""
        return bytes(b if b != 0x55 else 0x54 for b in rng.bytes(int(rng.integers(1, 20))))


class VirtualFootpod(VirtualPeripheral):
    """A running foot pod with the RSC service (see the module docstring)."""

    name = "SIM Footpod"
    address = "F0:0D:00:00:00:03"
    services = frozenset({gatt.RSC_SERVICE})

    def __init__(self, clock: Clock, *, running: bool) -> None:
        super().__init__(clock)
        self.running = running

    async def on_subscribe(self, uuid: str) -> None:
        """Start the once-a-second measurements."""
        if uuid == gatt.RSC_MEASUREMENT:
            self.start_task("rsc", self._stream)

    async def on_read(self, uuid: str) -> bytes:
        """Answer a read: the RSC feature says stride, distance and running status are supported."""
        return b"\x07\x00" if uuid == gatt.RSC_FEATURE else b""

    async def on_write(self, uuid: str, data: bytes) -> None:
        """Ignore writes: the pod takes no commands."""

    async def _stream(self) -> None:
        while True:
            await self.clock.sleep(1.0)
            s = footpod_run_model(self.now_s(), running=self.running)
            m = RscMeasurement(s.speed_mps, s.cadence_spm, s.stride_length_m, s.distance_m, s.running)
            self.notify(gatt.RSC_MEASUREMENT, encode_rsc_measurement(m))

    def garbage(self, real: bytes, rng: np.random.Generator) -> bytes:  # noqa: ARG002 - protocol
        """Make a measurement whose flags promise fields it does not carry."""
        return bytes([real[0] | 0x03]) + real[1:4]


__all__ = ["VirtualFootpod", "VirtualPeripheral", "VirtualPolar", "VirtualWitMotion"]
