"""Turn the raw notifications of a session into per-stream sample buffers.

:class:`SessionDecoder` is fed raw-log records in order: notifications and the recorder's own
events. The recorder feeds it live (for the status line) and finalising feeds it the raw log
read back from disk, so what is shown live and what is saved come from the same code.

It does the stateful part of decoding: applying each PMD stream's settings and factor, per-sample
device timestamps, re-synchronising the WitMotion byte stream, counting malformed notifications
and dropping duplicates. Mapping times onto the recording clock is :mod:`calfload.ingest.timeline`.

Per-sample PMD times follow the Polar SDK's rule: a frame's timestamp belongs to its last
sample; when the previous frame of the stream is known, the samples are spread evenly since the
previous frame's timestamp; otherwise (first frame, after a reconnect, or when that spacing is
not within 20 % of the nominal period, which means samples were lost) they are spaced at the
nominal period and the hole is recorded as a gap. Samples not later than the last kept sample
are duplicates and are dropped; this is what makes a reconnect or a repeated notification
harmless. The first frame after a reconnect whose timestamp lies more than about a frame before
the last kept sample (the sensor's clock was reset), or far beyond the host time that passed,
starts a new clock segment, mapped to the host clock on its own, with a note.

Streams without timestamps (RSC, heart rate, WitMotion) keep the host receive time of each
sample and a segment number that changes at every reconnect. A notification byte-identical to
the previous one on its characteristic, arriving within half a nominal period of it, is a
duplicate delivery and is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from calfload._logger import package_logger
from calfload.errors import DecodeError
from calfload.ingest.gatt import Channel
from calfload.ingest.heart_rate import decode_heart_rate
from calfload.ingest.pmd import (
    OP_START,
    ControlPointMessage,
    ControlPointResponse,
    MeasurementType,
    decode_control_point,
    decode_pmd_frame,
)
from calfload.ingest.pmdstream import PmdStream
from calfload.ingest.rawlog import RawRecord
from calfload.ingest.rsc import decode_rsc_measurement
from calfload.ingest.witmotion import WitMotionStream
from calfload.units import STANDARD_GRAVITY_MPS2

logger = package_logger(__name__)

MPS2_PER_MG: Final = STANDARD_GRAVITY_MPS2 / 1000.0
#: Typical notification rate of RSC and heart-rate characteristics (about once a second); only
#: used to tell a duplicate delivery from a new notification, never to time the samples.
ONCE_A_SECOND_HZ: Final = 1.0
#: Largest magnitude a PMD sample may have, in mG or deg/s (a damaged float frame reads as NaN or 1e38).
MAX_PMD_VALUE: Final = 1e6


@dataclass(slots=True)
class HostTimedStream:
    """Samples of a stream without device timestamps, with host receive times.

    Parameters
    ----------
    rate_hz
        Nominal sample (or notification) rate.
    """

    rate_hz: float
    host_ns: list[int] = field(default_factory=list)
    segment: list[int] = field(default_factory=list)
    values: list[tuple[float, ...]] = field(default_factory=list)
    last_payload: bytes = b""
    last_payload_ns: int = 0

    @property
    def count(self) -> int:
        """Samples so far."""
        return len(self.host_ns)

    def is_duplicate(self, payload: bytes, host_ns: int) -> bool:
        """Whether ``payload`` repeats the previous notification too soon to be a new one."""
        repeat = payload == self.last_payload and host_ns - self.last_payload_ns < 0.5e9 / self.rate_hz
        if not repeat:
            self.last_payload, self.last_payload_ns = payload, host_ns
        return repeat

    def add(self, host_ns: int, segment: int, row: tuple[float, ...]) -> None:
        """Append one sample."""
        self.host_ns.append(host_ns)
        self.segment.append(segment)
        self.values.append(row)


@dataclass(slots=True)
class DecodeStats:
    """Counts the status line and the metadata report."""

    notifications: int = 0
    bad: int = 0
    duplicates: int = 0
    connects: int = 0
    unknown_channel: int = 0
    last_error: str = ""

    @property
    def reconnects(self) -> int:
        """Connections after the first."""
        return max(0, self.connects - 1)


class SessionDecoder:
    """Decode a session's raw records into stream buffers (see the module docstring).

    Parameters
    ----------
    on_control_point
        Called with every decoded PMD control-point message (the recorder waits on them).
    """

    def __init__(self, on_control_point: Callable[[ControlPointMessage], None] | None = None) -> None:
        self.stats = DecodeStats()
        self.pmd: dict[int, PmdStream] = {}
        self.witmotion: HostTimedStream | None = None
        self.rsc: HostTimedStream | None = None
        self.heart_rate: HostTimedStream | None = None
        self.device: dict[str, str | None] = {}  # name, address, model, kind: what the log says of the device
        self.events: list[tuple[int, dict[str, Any]]] = []
        self._witmotion_bytes = WitMotionStream()
        self._segment = 0
        self._on_control_point = on_control_point

    # ---------------------------------------------------------------------------------- feeding

    def feed_record(self, record: RawRecord) -> None:
        """Feed one raw-log record."""
        self.feed(record.host_ns, record.channel, record.payload)

    def feed(self, host_ns: int, channel: int, payload: bytes) -> None:
        """Feed one notification or event, received at ``host_ns``."""
        if channel == Channel.EVENT:
            try:
                self._event(host_ns, RawRecord(host_ns, channel, payload).event())
            except DecodeError as exc:
                self.stats.bad += 1
                self.stats.last_error = str(exc)
            return
        self.stats.notifications += 1
        try:
            if channel == Channel.PMD_DATA:
                self._pmd_frame(host_ns, payload)
            elif channel == Channel.PMD_CONTROL_POINT:
                self._control_point(decode_control_point(payload))
            elif channel == Channel.WITMOTION_DATA:
                self._witmotion(host_ns, payload)
            elif channel == Channel.RSC_MEASUREMENT:
                self._rsc(host_ns, payload)
            elif channel == Channel.HEART_RATE_MEASUREMENT:
                self._heart_rate(host_ns, payload)
            else:
                self.stats.unknown_channel += 1
        except DecodeError as exc:
            self.stats.bad += 1
            self.stats.last_error = str(exc)

    def _event(self, host_ns: int, event: dict[str, Any]) -> None:
        self.events.append((host_ns, event))
        name = event.get("event")
        if name == "connected":
            self.stats.connects += 1
            self._segment += 1
            self._witmotion_bytes = WitMotionStream()
            for stream in self.pmd.values():
                stream.prev_frame_ns = None
                stream.held.clear()
            self.device.update({k: _text(v) for k, v in event.items() if k in ("name", "address", "model", "kind")})
        elif name == "device":
            self.device["model"] = _text(event.get("model"))
        elif name == "pmd_start":
            self._pmd_start(event)
        elif name == "witmotion_rate":
            self._witmotion_stream().rate_hz = _number(event.get("rate_hz"), 0.1, 10_000.0, "WitMotion rate")

    def _pmd_start(self, event: dict[str, Any]) -> None:
        m = int(_number(event.get("measurement"), 0, 63, "PMD measurement"))
        rate_hz = _number(event.get("rate_hz"), 0.1, 10_000.0, "PMD rate")
        bits = int(_number(event.get("resolution_bits", 16), 1, 32, "PMD resolution"))
        channels = int(_number(event.get("channels", 3), 1, 16, "PMD channels"))
        existing = self.pmd.get(m)
        if existing is None:
            self.pmd[m] = PmdStream(m, rate_hz, bits, channels)
        else:
            existing.rate_hz = rate_hz
            existing.resolution_bits = bits

    def _control_point(self, message: ControlPointMessage) -> None:
        if isinstance(message, ControlPointResponse) and message.opcode == OP_START and message.ok:
            stream = self.pmd.get(message.measurement_type)
            if stream is not None:
                stream.factor = message.factor
                stream.factor_known = True
        if self._on_control_point is not None:
            self._on_control_point(message)

    def _pmd_frame(self, host_ns: int, payload: bytes) -> None:
        if not payload:
            raise DecodeError("empty PMD frame")
        stream = self.pmd.get(payload[0] & 0x3F)
        if stream is None:
            raise DecodeError(f"PMD frame of measurement {payload[0] & 0x3F}, which was not started")
        frame = decode_pmd_frame(
            payload, factor=stream.factor, resolution_bits=stream.resolution_bits, channels=stream.channels
        )
        if frame.samples.shape[1] != 3:
            raise DecodeError(f"PMD frame with {frame.samples.shape[1]} channels; expected 3")
        if not np.all(np.abs(frame.samples) <= MAX_PMD_VALUE):  # also false for NaN
            raise DecodeError("PMD frame with non-finite or impossible values (beyond 1000 g or 10^6 deg/s)")
        samples = frame.samples * MPS2_PER_MG if stream.measurement == MeasurementType.ACC else frame.samples
        if stream.add_frame(frame.timestamp_ns, samples, host_ns) == 0:
            self.stats.duplicates += 1

    def _witmotion_stream(self) -> HostTimedStream:
        if self.witmotion is None:
            # The sensor's power-on rate until a witmotion_rate event says what was asked for; the
            # timeline measures the rate actually sent.
            self.witmotion = HostTimedStream(rate_hz=10.0)
        return self.witmotion

    def _witmotion(self, host_ns: int, payload: bytes) -> None:
        stream = self._witmotion_stream()
        if stream.is_duplicate(payload, host_ns):
            self.stats.duplicates += 1
            return
        packets, discarded = self._witmotion_bytes.feed(payload)
        for p in packets:
            stream.add(host_ns, self._segment, (*p.acc_g, *p.gyr_dps, *p.angle_deg))
        if discarded:
            raise DecodeError(f"{discarded} WitMotion bytes outside any packet")

    def _rsc(self, host_ns: int, payload: bytes) -> None:
        if self.rsc is None:
            self.rsc = HostTimedStream(rate_hz=ONCE_A_SECOND_HZ)
        m = decode_rsc_measurement(payload)
        if self.rsc.is_duplicate(payload, host_ns):
            self.stats.duplicates += 1
            return
        nan = float("nan")
        row = (
            m.speed_mps,
            m.cadence_spm,
            nan if m.stride_length_m is None else m.stride_length_m,
            nan if m.distance_m is None else m.distance_m,
            float(m.running),
        )
        self.rsc.add(host_ns, self._segment, row)

    def _heart_rate(self, host_ns: int, payload: bytes) -> None:
        if self.heart_rate is None:
            self.heart_rate = HostTimedStream(rate_hz=ONCE_A_SECOND_HZ)
        m = decode_heart_rate(payload)
        if self.heart_rate.is_duplicate(payload, host_ns):
            self.stats.duplicates += 1
            return
        rr = m.rr_intervals_ms[0] if m.rr_intervals_ms else float("nan")
        self.heart_rate.add(host_ns, self._segment, (m.heart_rate_bpm, rr))

    # ---------------------------------------------------------------------------------- summaries

    def sample_counts(self) -> dict[str, int]:
        """Return the samples decoded so far, per stream name."""
        counts: dict[str, int] = {}
        for m, stream in self.pmd.items():
            counts[MeasurementType(m).name.lower()] = stream.count
        for name, hs in (("witmotion", self.witmotion), ("footpod", self.rsc), ("heart_rate", self.heart_rate)):
            if hs is not None:
                counts[name] = hs.count
        return counts

    def imu_sample_count(self) -> int:
        """Motion samples so far (accelerometer samples for Polar, packets for WitMotion)."""
        acc = self.pmd.get(MeasurementType.ACC)
        if acc is not None:
            return acc.count
        return self.witmotion.count if self.witmotion is not None else 0


def _number(value: object, low: float, high: float, what: str) -> float:
    """A recorder event's number, checked to lie in ``[low, high]``.

    Raises
    ------
    DecodeError
        If it is missing, not a number, or out of range (a damaged event).
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise DecodeError(f"recorder event with {what} {value!r}; expected a number from {low:g} to {high:g}")
    return float(value)


def _text(value: object) -> str | None:
    """A recorder event's text field (None for anything that is not a string)."""
    return value if isinstance(value, str) else None


__all__ = ["DecodeStats", "HostTimedStream", "PmdStream", "SessionDecoder"]
