"""Running Speed and Cadence service (0x1814): measurement 0x2A53 and feature 0x2A54.

Byte layout (Bluetooth SIG GATT specification, little-endian):

======  ====  ===================  ==================  ===========================
offset  size  field                present when        unit
======  ====  ===================  ==================  ===========================
0       1     flags                always              bit0 stride, bit1 distance,
                                                       bit2 running
1       2     instantaneous speed  always              1/256 m/s
3       1     instantaneous cadence always             foot falls (steps) per min
4       2     stride length        flags bit0          1/100 m
4 or 6  4     total distance       flags bit1          1/10 m
======  ====  ===================  ==================  ===========================

Bits 3-7 of the flags are reserved and ignored. Stride length is same-foot contact to contact.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Final

from calfload.errors import DecodeError

_STRIDE_PRESENT: Final = 0x01
_DISTANCE_PRESENT: Final = 0x02
_RUNNING: Final = 0x04


@dataclass(frozen=True, slots=True)
class RscMeasurement:
    """One RSC Measurement notification in SI units.

    Parameters
    ----------
    speed_mps
        Instantaneous speed.
    cadence_spm
        Instantaneous cadence, foot falls per minute.
    stride_length_m
        Instantaneous stride length, when the pod sends it.
    distance_m
        Total distance, when the pod sends it.
    running
        True when the pod says running, False for walking (or status not supported).
    """

    speed_mps: float
    cadence_spm: float
    stride_length_m: float | None
    distance_m: float | None
    running: bool


@dataclass(frozen=True, slots=True)
class RscFeature:
    """The RSC Feature characteristic: what the pod can measure."""

    stride_length: bool
    total_distance: bool
    walking_or_running_status: bool
    calibration: bool
    multiple_sensor_locations: bool


def decode_rsc_measurement(data: bytes | bytearray) -> RscMeasurement:
    """Decode an RSC Measurement (0x2A53) notification.

    Raises
    ------
    DecodeError
        If the notification is shorter or longer than its flags say.

    Examples
    --------
    >>> decode_rsc_measurement(bytes.fromhex("07 80 02 AA B0 00 10 27 00 00"))
    RscMeasurement(speed_mps=2.5, cadence_spm=170.0, stride_length_m=1.76, distance_m=1000.0, running=True)
    """
    if len(data) < 4:
        raise DecodeError(f"RSC measurement has {len(data)} bytes; it needs at least 4")
    flags = data[0]
    expected = 4 + (2 if flags & _STRIDE_PRESENT else 0) + (4 if flags & _DISTANCE_PRESENT else 0)
    if len(data) != expected:
        raise DecodeError(f"RSC measurement with flags 0x{flags:02x} must have {expected} bytes, not {len(data)}")
    speed_raw, cadence = struct.unpack_from("<HB", data, 1)
    offset = 4
    stride_m: float | None = None
    distance_m: float | None = None
    if flags & _STRIDE_PRESENT:
        stride_m = struct.unpack_from("<H", data, offset)[0] / 100.0
        offset += 2
    if flags & _DISTANCE_PRESENT:
        distance_m = struct.unpack_from("<I", data, offset)[0] / 10.0
    return RscMeasurement(
        speed_mps=speed_raw / 256.0,
        cadence_spm=float(cadence),
        stride_length_m=stride_m,
        distance_m=distance_m,
        running=bool(flags & _RUNNING),
    )


def encode_rsc_measurement(m: RscMeasurement) -> bytes:
    """Encode an RSC Measurement, rounding to the field resolutions (for virtual devices).

    Raises
    ------
    DecodeError
        If a value does not fit its field.
    """
    flags = (_STRIDE_PRESENT if m.stride_length_m is not None else 0) | (
        _DISTANCE_PRESENT if m.distance_m is not None else 0
    )
    flags |= _RUNNING if m.running else 0
    try:
        out = struct.pack("<BHB", flags, round(m.speed_mps * 256.0), round(m.cadence_spm))
        if m.stride_length_m is not None:
            out += struct.pack("<H", round(m.stride_length_m * 100.0))
        if m.distance_m is not None:
            out += struct.pack("<I", round(m.distance_m * 10.0))
    except struct.error as exc:
        raise DecodeError(f"RSC value out of range ({exc})") from None
    return out


def decode_rsc_feature(data: bytes | bytearray) -> RscFeature:
    """Decode the RSC Feature (0x2A54) value (u16, reserved bits ignored).

    Raises
    ------
    DecodeError
        If the value is not 2 bytes long.
    """
    if len(data) != 2:
        raise DecodeError(f"RSC feature has {len(data)} bytes; it must have 2")
    bits = int.from_bytes(data, "little")
    return RscFeature(
        stride_length=bool(bits & 0x01),
        total_distance=bool(bits & 0x02),
        walking_or_running_status=bool(bits & 0x04),
        calibration=bool(bits & 0x08),
        multiple_sensor_locations=bool(bits & 0x10),
    )


__all__ = ["RscFeature", "RscMeasurement", "decode_rsc_feature", "decode_rsc_measurement", "encode_rsc_measurement"]
