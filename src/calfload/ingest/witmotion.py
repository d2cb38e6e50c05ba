"""WitMotion BLE 5.0 IMUs (WT901BLECL, BWT901BLE5.0, WT9011DCL): the 0x55 0x61 data packet.

Source: WitMotion's BLE 5.0 protocol page and its Python SDK (layout only). A data packet is
20 bytes with no checksum::

    55 61 | ax ay az | wx wy wz | roll pitch yaw      (int16 little-endian each)

acceleration ``/32768 x 16 g``, angular rate ``/32768 x 2000 deg/s``, angles ``/32768 x 180 deg``.
Notifications are a byte stream: one notification may hold part of a packet or several packets,
so :class:`WitMotionStream` re-synchronises on the header. Register replies (``55 71``, also 20
bytes) are recognised and skipped. The sensor sends no timestamp or counter.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from calfload.errors import DecodeError

PACKET_SIZE: Final = 20
_HEADER: Final = 0x55
_DATA_FLAG: Final = 0x61
_REGISTER_FLAG: Final = 0x71
_VALUES: Final = struct.Struct("<9h")

ACC_FULL_SCALE_G: Final = 16.0
GYR_FULL_SCALE_DPS: Final = 2000.0
ANGLE_FULL_SCALE_DEG: Final = 180.0
_SCALES: Final = np.repeat([ACC_FULL_SCALE_G, GYR_FULL_SCALE_DPS, ANGLE_FULL_SCALE_DEG], 3) / 32768.0

#: Output-rate register values (``FF AA 03 <code> 00``) by rate in Hz.
RATE_CODES: Final[dict[float, int]] = {
    0.1: 0x01,
    0.5: 0x02,
    1.0: 0x03,
    2.0: 0x04,
    5.0: 0x05,
    10.0: 0x06,
    20.0: 0x07,
    50.0: 0x08,
    100.0: 0x09,
    200.0: 0x0A,
}


@dataclass(frozen=True, slots=True)
class WitMotionPacket:
    """One 0x61 data packet in physical units.

    Parameters
    ----------
    acc_g
        Specific force along x, y, z in g.
    gyr_dps
        Angular rate about x, y, z in deg/s.
    angle_deg
        Roll, pitch, yaw (Z-Y-X Euler) in degrees.
    """

    acc_g: tuple[float, float, float]
    gyr_dps: tuple[float, float, float]
    angle_deg: tuple[float, float, float]


def decode_witmotion_packet(data: bytes | bytearray) -> WitMotionPacket:
    """Decode one 20-byte 0x55 0x61 packet.

    Raises
    ------
    DecodeError
        If the packet is not 20 bytes or does not start with 55 61.

    Examples
    --------
    >>> p = decode_witmotion_packet(bytes.fromhex("55 61 00 00 00 00 00 08 A3 00 00 00 5D FF 8E 03 DE FD 00 40"))
    >>> p.acc_g, round(p.gyr_dps[0], 2), round(p.angle_deg[2], 1)
    ((0.0, 0.0, 1.0), 9.95, 90.0)
    """
    if len(data) != PACKET_SIZE:
        raise DecodeError(f"WitMotion packet has {len(data)} bytes; it must have {PACKET_SIZE}")
    if data[0] != _HEADER or data[1] != _DATA_FLAG:
        raise DecodeError(f"WitMotion packet starts with {bytes(data[:2]).hex(' ')}, not 55 61")
    v = np.asarray(_VALUES.unpack_from(data, 2), dtype=np.float64) * _SCALES
    return WitMotionPacket(
        (float(v[0]), float(v[1]), float(v[2])),
        (float(v[3]), float(v[4]), float(v[5])),
        (float(v[6]), float(v[7]), float(v[8])),
    )


def encode_witmotion_packet(acc_g: np.ndarray, gyr_dps: np.ndarray, angle_deg: np.ndarray) -> bytes:
    """Encode one data packet, clipping each value to its full scale (for virtual devices)."""
    values = np.concatenate([acc_g, gyr_dps, angle_deg]) / _SCALES
    ints = np.clip(np.round(values), -32768, 32767).astype("<i2")
    return bytes([_HEADER, _DATA_FLAG]) + ints.tobytes()


def rate_command(rate_hz: float) -> bytes:
    """Build the command that sets the output rate (write it to the WitMotion write characteristic).

    Raises
    ------
    DecodeError
        If the sensor has no such rate.
    """
    code = RATE_CODES.get(float(rate_hz))
    if code is None:
        rates = ", ".join(f"{r:g}" for r in RATE_CODES)
        raise DecodeError(f"WitMotion sensors cannot send at {rate_hz:g} Hz; choose one of {rates}")
    return bytes([0xFF, 0xAA, 0x03, code, 0x00])


def parse_rate_command(data: bytes | bytearray) -> float | None:
    """Return the rate a command sets, or None for any other command (for virtual devices)."""
    if len(data) == 5 and data[:3] == b"\xff\xaa\x03":
        for rate, code in RATE_CODES.items():
            if code == data[3]:
                return rate
    return None


@dataclass(slots=True)
class WitMotionStream:
    """Cut a WitMotion notification stream into packets.

    Feed each notification to :meth:`feed`; it returns the complete data packets found so far
    and how many bytes it had to throw away to find them. A candidate packet is accepted when
    the buffer ends with it or the next byte starts another packet, so a stray ``55 61`` inside
    damaged bytes does not swallow the good packet after it.
    """

    _buffer: bytearray = field(default_factory=bytearray)

    def feed(self, data: bytes | bytearray) -> tuple[list[WitMotionPacket], int]:
        """Add a notification; return ``(packets, discarded_bytes)``."""
        buf = self._buffer
        buf += data
        packets: list[WitMotionPacket] = []
        discarded = 0
        while buf:
            start = buf.find(_HEADER)
            if start < 0:
                discarded += len(buf)
                buf.clear()
                break
            if start:
                discarded += start
                del buf[:start]
            if len(buf) < 2:
                break
            if buf[1] not in (_DATA_FLAG, _REGISTER_FLAG):
                discarded += 1
                del buf[:1]
                continue
            if len(buf) < PACKET_SIZE:
                break
            if len(buf) > PACKET_SIZE and buf[PACKET_SIZE] != _HEADER:
                discarded += 1
                del buf[:1]
                continue
            if buf[1] == _DATA_FLAG:
                packets.append(decode_witmotion_packet(buf[:PACKET_SIZE]))
            del buf[:PACKET_SIZE]
        return packets, discarded


__all__ = [
    "PACKET_SIZE",
    "RATE_CODES",
    "WitMotionPacket",
    "WitMotionStream",
    "decode_witmotion_packet",
    "encode_witmotion_packet",
    "parse_rate_command",
    "rate_command",
]
