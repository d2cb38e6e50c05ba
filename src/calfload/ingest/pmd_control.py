"""Polar Measurement Data (PMD) control point (``...5C81``): start, stop, settings, features.

Source: Polar BLE SDK, ``technical_documentation/online_measurement.pdf`` (read, not copied). All
values little-endian.

Requests are ``[opcode][measurement type][settings TLV...]``; a setting is
``[type][count][value x count]`` with value sizes given by :data:`SETTING_SIZES`. Responses
arrive as indications ``F0 [opcode] [type] [status] [more] [settings TLV...]``; a start response
may carry the FACTOR (type 5, f32) that scales every sample. Reading the characteristic returns
the feature bitmask ``0F [b1] [b2]``; ``01 [types...]`` tells that the sensor stopped a
measurement on its own.

The data frames (``...5C82``) are decoded in :mod:`calfload.ingest.pmd`.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass, field
from typing import Final

from calfload.errors import DecodeError


class MeasurementType(enum.IntEnum):
    """PMD measurement type ids (byte 0 of commands and frames, masked with 0x3F)."""

    ECG = 0
    PPG = 1
    ACC = 2
    PPI = 3
    GYRO = 5
    MAG = 6
    SKIN_TEMP = 7
    SDK_MODE = 9


class Setting(enum.IntEnum):
    """PMD setting types used in the settings TLV."""

    SAMPLE_RATE = 0
    RESOLUTION = 1
    RANGE = 2
    RANGE_MILLIUNIT = 3
    CHANNELS = 4
    FACTOR = 5
    SECURITY = 6


#: Size in bytes of one value of each setting type.
SETTING_SIZES: Final[dict[int, int]] = {0: 2, 1: 2, 2: 2, 3: 4, 4: 1, 5: 4, 6: 16}

#: Feature-read bitmask (byte 1) -> measurement type.
_FEATURE_BITS: Final[dict[int, MeasurementType]] = {
    0x01: MeasurementType.ECG,
    0x02: MeasurementType.PPG,
    0x04: MeasurementType.ACC,
    0x08: MeasurementType.PPI,
    0x20: MeasurementType.GYRO,
    0x40: MeasurementType.MAG,
    0x80: MeasurementType.SKIN_TEMP,
}

OP_GET_SETTINGS: Final = 0x01
OP_START: Final = 0x02
OP_STOP: Final = 0x03
_RESPONSE: Final = 0xF0
_FEATURES: Final = 0x0F
_STOPPED_BY_DEVICE: Final = 0x01

#: Status codes of control-point responses.
STATUS_TEXT: Final[dict[int, str]] = {
    0: "success",
    1: "invalid opcode",
    2: "invalid measurement type",
    3: "not supported",
    4: "invalid length",
    5: "invalid parameter",
    6: "already in state",
    7: "invalid resolution",
    8: "invalid sample rate",
    9: "invalid range",
    10: "invalid MTU",
    11: "invalid number of channels",
    12: "invalid state",
    13: "device in charger",
    14: "disk full",
}


# ------------------------------------------------------------------------------------ control point


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamSettings:
    """Settings of one PMD stream, as sent in a start request.

    Parameters
    ----------
    sample_rate_hz
        Sample rate.
    resolution_bits
        Bits per sample value (needed to read the reference sample of compressed frames).
    range
        Full-scale range, in g for the accelerometer and deg/s for the gyroscope.
    channels
        Number of channels, or None to leave it out of the request (the H10 takes none).
    """

    sample_rate_hz: int
    resolution_bits: int = 16
    range: int
    channels: int | None = 3


def start_request(measurement: MeasurementType, settings: StreamSettings) -> bytes:
    """Build the control-point request that starts a stream.

    Examples
    --------
    >>> start_request(MeasurementType.ACC, StreamSettings(sample_rate_hz=52, range=8)).hex(" ")
    '02 02 00 01 34 00 01 01 10 00 02 01 08 00 04 01 03'
    """
    out = bytearray([OP_START, measurement])
    out += struct.pack("<BBH", Setting.SAMPLE_RATE, 1, settings.sample_rate_hz)
    out += struct.pack("<BBH", Setting.RESOLUTION, 1, settings.resolution_bits)
    out += struct.pack("<BBH", Setting.RANGE, 1, settings.range)
    if settings.channels is not None:
        out += struct.pack("<BBB", Setting.CHANNELS, 1, settings.channels)
    return bytes(out)


def stop_request(measurement: MeasurementType) -> bytes:
    """Build the control-point request that stops a stream."""
    return bytes([OP_STOP, measurement])


@dataclass(frozen=True, slots=True)
class ControlPointResponse:
    """A control-point indication answering a request.

    Parameters
    ----------
    opcode
        The request's opcode.
    measurement_type
        The measurement the request was about.
    status
        0 for success; see :data:`STATUS_TEXT`.
    more
        Whether more response frames follow.
    settings
        Setting type -> values found in the parameters.
    """

    opcode: int
    measurement_type: int
    status: int
    more: bool
    settings: dict[int, tuple[float, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the request succeeded."""
        return self.status == 0

    @property
    def status_text(self) -> str:
        """The status in words."""
        return STATUS_TEXT.get(self.status, f"unknown status {self.status}")

    @property
    def factor(self) -> float:
        """The sample scale factor (1.0 when the response carries none)."""
        values = self.settings.get(Setting.FACTOR)
        return float(values[0]) if values else 1.0


@dataclass(frozen=True, slots=True)
class Features:
    """The measurements a PMD sensor offers (from reading the control point)."""

    measurements: frozenset[int]


@dataclass(frozen=True, slots=True)
class StoppedByDevice:
    """The sensor stopped these measurements on its own."""

    measurements: tuple[int, ...]


ControlPointMessage = ControlPointResponse | Features | StoppedByDevice


def decode_control_point(data: bytes | bytearray) -> ControlPointMessage:
    """Decode any message read or indicated on the PMD control point.

    Raises
    ------
    DecodeError
        If the message is empty, of an unknown kind, or its settings are truncated.

    Examples
    --------
    >>> decode_control_point(bytes.fromhex("F0 02 02 00 00")).ok
    True
    """
    if not data:
        raise DecodeError("empty PMD control-point message")
    head = data[0]
    if head == _FEATURES:
        if len(data) < 2:
            raise DecodeError("PMD feature message has no feature byte")
        found = frozenset(m for bit, m in _FEATURE_BITS.items() if data[1] & bit)
        return Features(found)
    if head == _STOPPED_BY_DEVICE:
        return StoppedByDevice(tuple(data[1:]))
    if head != _RESPONSE:
        raise DecodeError(f"unknown PMD control-point message 0x{head:02x}")
    if len(data) < 5:
        raise DecodeError(f"PMD control-point response has {len(data)} bytes; it needs at least 5")
    opcode, mtype, status, more = data[1], data[2], data[3], data[4]
    settings = _decode_settings(data, 5) if status == 0 else {}
    return ControlPointResponse(opcode, mtype, status, bool(more), settings)


def _decode_settings(data: bytes | bytearray, offset: int) -> dict[int, tuple[float, ...]]:
    settings: dict[int, tuple[float, ...]] = {}
    while offset < len(data):
        if offset + 2 > len(data):
            raise DecodeError("PMD settings end inside a setting header")
        kind, count = data[offset], data[offset + 1]
        offset += 2
        size = SETTING_SIZES.get(kind)
        if size is None:
            raise DecodeError(f"unknown PMD setting type {kind}")
        end = offset + size * count
        if end > len(data):
            raise DecodeError(f"PMD setting {kind} has {count} values but the message ends early")
        if kind == Setting.FACTOR:
            values: tuple[float, ...] = struct.unpack_from(f"<{count}f", data, offset)
        elif kind == Setting.SECURITY:
            values = ()
        else:
            code = {1: "B", 2: "H", 4: "I"}[size]
            values = tuple(float(v) for v in struct.unpack_from(f"<{count}{code}", data, offset))
        settings[kind] = values
        offset = end
    return settings


def encode_control_point_response(
    opcode: int, measurement: int, status: int = 0, *, factor: float | None = None
) -> bytes:
    """Build a control-point response (for virtual devices)."""
    out = bytearray([_RESPONSE, opcode, measurement, status, 0])
    if factor is not None:
        out += struct.pack("<BBf", Setting.FACTOR, 1, factor)
    return bytes(out)


def encode_features(measurements: set[int]) -> bytes:
    """Build the feature-read value (for virtual devices)."""
    bits = sum(bit for bit, m in _FEATURE_BITS.items() if m in measurements)
    return bytes([_FEATURES, bits, 0])


def parse_start_request(data: bytes | bytearray) -> tuple[int, dict[int, int]]:
    """Read a start request back into (measurement type, setting -> value) (for virtual devices).

    Raises
    ------
    DecodeError
        If the request is not a well-formed start request.
    """
    if len(data) < 2 or data[0] != OP_START:
        raise DecodeError("not a PMD start request")
    values: dict[int, int] = {}
    for kind, vals in _decode_settings(data, 2).items():
        if vals:
            values[kind] = int(vals[0])
    return data[1], values


__all__ = [
    "OP_GET_SETTINGS",
    "OP_START",
    "OP_STOP",
    "SETTING_SIZES",
    "STATUS_TEXT",
    "ControlPointMessage",
    "ControlPointResponse",
    "Features",
    "MeasurementType",
    "Setting",
    "StoppedByDevice",
    "StreamSettings",
    "decode_control_point",
    "encode_control_point_response",
    "encode_features",
    "parse_start_request",
    "start_request",
    "stop_request",
]
