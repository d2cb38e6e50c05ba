"""Heart Rate Measurement (0x2A37), recorded as an extra stream when a device offers it.

Layout (Bluetooth SIG, little-endian): flags u8 (bit0 heart rate is u16 else u8; bits1-2
sensor contact, 2 = supported but not detected, 3 = detected; bit3 energy expended u16 kJ
present; bit4 RR intervals present), heart rate, [energy], then RR intervals u16 in 1/1024 s
filling the rest of the notification.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from calfload.errors import DecodeError


@dataclass(frozen=True, slots=True)
class HeartRateMeasurement:
    """One Heart Rate Measurement notification.

    Parameters
    ----------
    heart_rate_bpm
        Heart rate.
    contact
        Skin contact: True detected, False not detected, None when the sensor cannot tell.
    energy_kj
        Energy expended since reset, when sent.
    rr_intervals_ms
        The RR intervals in the notification, oldest first.
    """

    heart_rate_bpm: float
    contact: bool | None
    energy_kj: int | None
    rr_intervals_ms: tuple[float, ...]


def decode_heart_rate(data: bytes | bytearray) -> HeartRateMeasurement:
    """Decode a Heart Rate Measurement notification.

    Raises
    ------
    DecodeError
        If the notification is too short for its flags or its RR part has an odd length.

    Examples
    --------
    >>> decode_heart_rate(bytes.fromhex("16 3C 00 04"))
    HeartRateMeasurement(heart_rate_bpm=60.0, contact=True, energy_kj=None, rr_intervals_ms=(1000.0,))
    """
    if len(data) < 2:
        raise DecodeError(f"heart-rate measurement has {len(data)} bytes; it needs at least 2")
    flags = data[0]
    wide = bool(flags & 0x01)
    offset = 1
    need = offset + (2 if wide else 1) + (2 if flags & 0x08 else 0)
    if len(data) < need:
        raise DecodeError(f"heart-rate measurement with flags 0x{flags:02x} needs {need} bytes, has {len(data)}")
    if wide:
        bpm = struct.unpack_from("<H", data, offset)[0]
        offset += 2
    else:
        bpm = data[offset]
        offset += 1
    energy: int | None = None
    if flags & 0x08:
        energy = struct.unpack_from("<H", data, offset)[0]
        offset += 2
    rest = len(data) - offset
    rr: tuple[float, ...] = ()
    if flags & 0x10:
        if rest % 2:
            raise DecodeError(f"heart-rate RR part has {rest} bytes; RR intervals are 2 bytes each")
        rr = tuple(v * 1000.0 / 1024.0 for v in struct.unpack_from(f"<{rest // 2}H", data, offset))
    elif rest:
        raise DecodeError(f"heart-rate measurement has {rest} unexpected trailing bytes")
    contact_bits = (flags >> 1) & 0x03
    contact = None if contact_bits < 2 else contact_bits == 3
    return HeartRateMeasurement(float(bpm), contact, energy, rr)


def encode_heart_rate(m: HeartRateMeasurement) -> bytes:
    """Encode a Heart Rate Measurement (8-bit rate when it fits), for virtual devices."""
    wide = m.heart_rate_bpm > 255
    flags = (0x01 if wide else 0) | (0x08 if m.energy_kj is not None else 0) | (0x10 if m.rr_intervals_ms else 0)
    if m.contact is not None:
        flags |= 0x06 if m.contact else 0x04
    out = bytearray([flags])
    out += struct.pack("<H" if wide else "<B", round(m.heart_rate_bpm))
    if m.energy_kj is not None:
        out += struct.pack("<H", m.energy_kj)
    for rr in m.rr_intervals_ms:
        out += struct.pack("<H", round(rr * 1024.0 / 1000.0))
    return bytes(out)


__all__ = ["HeartRateMeasurement", "decode_heart_rate", "encode_heart_rate"]
