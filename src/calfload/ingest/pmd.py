"""Polar Measurement Data (PMD): accelerometer and gyroscope data frames, byte by byte.

Source: Polar BLE SDK, ``technical_documentation/online_measurement.pdf`` and the SDK's frame
parsers (read, not copied). All values little-endian. The control point (start, stop, settings,
features) is in :mod:`calfload.ingest.pmd_control`; its names are importable from here too.

Data (``...5C82``)
    ``[measurement type][u64 device timestamp, ns since 2000-01-01, of the LAST sample]
    [frame type: bit7 delta-compressed][payload]``. A delta-compressed payload is a reference
    sample (``channels x ceil(resolution / 8)`` bytes, signed) then blocks
    ``[bit width][sample count][bits...]`` whose bits form one little-endian bit stream (bit 0 of
    byte 0 first), channel-interleaved two's-complement deltas added cumulatively.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Final

import numpy as np

from calfload.errors import DecodeError
from calfload.ingest.pmd_control import (
    OP_GET_SETTINGS,
    OP_START,
    OP_STOP,
    SETTING_SIZES,
    STATUS_TEXT,
    ControlPointMessage,
    ControlPointResponse,
    Features,
    MeasurementType,
    Setting,
    StoppedByDevice,
    StreamSettings,
    decode_control_point,
    encode_control_point_response,
    encode_features,
    parse_start_request,
    start_request,
    stop_request,
)

#: Nanoseconds from the Unix epoch to the PMD epoch (2000-01-01T00:00:00Z).
PMD_EPOCH_UNIX_NS: Final = 946_684_800 * 1_000_000_000
#: Latest frame timestamp accepted: times are int64 nanoseconds from here on (year 2292).
MAX_TIMESTAMP_NS: Final = 2**63 - 1


# ------------------------------------------------------------------------------------------ frames

_HEADER: Final = struct.Struct("<BQB")
HEADER_SIZE: Final = _HEADER.size  # 10 bytes
_COMPRESSED: Final = 0x80
_MG_PER_G: Final = 1000.0

#: (measurement, uncompressed frame type) -> (numpy dtype of one value, channels).
_RAW_LAYOUTS: Final[dict[tuple[int, int], tuple[str, int]]] = {
    (MeasurementType.ACC, 0): ("<i1", 3),
    (MeasurementType.ACC, 1): ("<i2", 3),
    (MeasurementType.ACC, 2): ("int24", 3),
    (MeasurementType.GYRO, 0): ("<i2", 3),
    (MeasurementType.GYRO, 1): ("<f4", 3),
}


@dataclass(frozen=True, slots=True)
class PmdFrame:
    """One decoded PMD data frame.

    Parameters
    ----------
    measurement_type
        :class:`MeasurementType` value.
    timestamp_ns
        Device time of the last sample, ns since 2000-01-01 on the sensor's own clock.
    frame_type
        The frame-type byte (bit 7 set for delta-compressed frames).
    samples
        Shape ``(n, channels)``, float64, in mG for the accelerometer and deg/s for the gyroscope.
    """

    measurement_type: int
    timestamp_ns: int
    frame_type: int
    samples: np.ndarray

    @property
    def compressed(self) -> bool:
        """Whether the frame was delta-compressed."""
        return bool(self.frame_type & _COMPRESSED)


def decode_pmd_frame(
    data: bytes | bytearray, *, factor: float = 1.0, resolution_bits: int = 16, channels: int = 3
) -> PmdFrame:
    """Decode an accelerometer or gyroscope PMD data frame.

    Parameters
    ----------
    data
        The notification.
    factor
        The FACTOR from the stream's start response (1.0 when there was none).
    resolution_bits
        The stream's resolution (sets the reference-sample width of compressed frames).
    channels
        Channels per sample.

    Returns
    -------
    PmdFrame
        Samples scaled to mG (accelerometer) or deg/s (gyroscope).

    Raises
    ------
    DecodeError
        If the frame is truncated, of an unsupported measurement or frame type, its timestamp
        does not fit a signed 64-bit time, or its payload does not hold a whole number of samples.

    Examples
    --------
    >>> f = decode_pmd_frame(bytes.fromhex("02 65 00 00 00 00 00 00 00 81 F1 FF 14 00 F0 03 06 01 7B 0F 08"))
    >>> f.samples.tolist()
    [[-15.0, 20.0, 1008.0], [-20.0, 17.0, 1008.0]]
    """
    if len(data) < HEADER_SIZE:
        raise DecodeError(f"PMD frame has {len(data)} bytes; the header alone is {HEADER_SIZE}")
    mtype, timestamp_ns, frame_type = _HEADER.unpack_from(data)
    mtype &= 0x3F
    if timestamp_ns > MAX_TIMESTAMP_NS:
        raise DecodeError(f"PMD frame timestamp {timestamp_ns} ns is impossible (beyond a signed 64-bit time)")
    if mtype not in (MeasurementType.ACC, MeasurementType.GYRO):
        raise DecodeError(f"PMD measurement type {mtype} is not accelerometer or gyroscope")
    base_type = frame_type & 0x7F
    if frame_type & _COMPRESSED:
        if base_type > 1:
            raise DecodeError(f"unsupported compressed PMD frame type {base_type}")
        if not 1 <= resolution_bits <= 32:
            raise DecodeError(f"PMD resolution {resolution_bits} bits is outside 1-32")
        ints = decode_delta_payload(memoryview(data)[HEADER_SIZE:], resolution_bits, channels)
        if mtype == MeasurementType.GYRO and base_type == 1:
            # Values are the bit patterns of float32 numbers.
            values = (ints & 0xFFFFFFFF).astype(np.uint32).view(np.float32).astype(np.float64) * factor
        else:
            if mtype == MeasurementType.ACC and base_type == 0:
                factor *= _MG_PER_G  # compressed type 0 is in g
            values = ints.astype(np.float64)
            if factor != 1.0:
                values *= factor
    else:
        layout = _RAW_LAYOUTS.get((mtype, base_type))
        if layout is None:
            raise DecodeError(f"unsupported PMD frame type {base_type} for measurement {mtype}")
        values = _decode_raw_payload(memoryview(data)[HEADER_SIZE:], *layout)
        if factor != 1.0:
            values *= factor
    return PmdFrame(mtype, timestamp_ns, frame_type, values)


def _decode_raw_payload(payload: memoryview, dtype: str, channels: int) -> np.ndarray:
    width = 3 if dtype == "int24" else np.dtype(dtype).itemsize
    sample_size = width * channels
    if not payload or len(payload) % sample_size:
        raise DecodeError(f"PMD payload of {len(payload)} bytes is not a whole number of {sample_size}-byte samples")
    if dtype != "int24":
        return np.frombuffer(payload, dtype=dtype).reshape(-1, channels).astype(np.float64)
    raw = np.frombuffer(payload, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
    ints = _sign_extend((raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)).astype(np.int64), 24)
    return ints.reshape(-1, channels).astype(np.float64)


def decode_delta_payload(payload: memoryview | bytes, resolution_bits: int, channels: int) -> np.ndarray:
    """Reconstruct the samples of a delta-compressed PMD payload.

    Parameters
    ----------
    payload
        Frame bytes after the 10-byte header.
    resolution_bits
        Bits of the reference sample's values.
    channels
        Channels per sample.

    Returns
    -------
    numpy.ndarray
        int64, shape ``(1 + number of deltas, channels)``: the reference sample, then each
        sample reconstructed by cumulative sums of the deltas.

    Raises
    ------
    DecodeError
        If a block is truncated, has a zero or over-wide bit width, or holds no samples.
    """
    if channels < 1:
        raise DecodeError("PMD stream with no channels")
    value_bytes = math.ceil(resolution_bits / 8)
    ref_size = value_bytes * channels
    if len(payload) < ref_size:
        raise DecodeError(f"compressed PMD payload of {len(payload)} bytes is shorter than its reference sample")
    buf = np.frombuffer(payload, dtype=np.uint8)
    # 1. Reference sample: little-endian values sign-extended from the resolution.
    # Only the low ``resolution_bits`` bits of each value count (a 12-bit -5 is 0x0FFB, not 0xFFFB).
    mask = (1 << resolution_bits) - 1
    if value_bytes == 2:
        ref = buf[:ref_size].view("<u2").astype(np.int64)
    else:
        ref_bytes = buf[:ref_size].reshape(channels, value_bytes).astype(np.int64)
        ref = (ref_bytes << (8 * np.arange(value_bytes, dtype=np.int64))).sum(axis=1)
    ref = _sign_extend(ref & mask, resolution_bits)
    # 2. Blocks of packed deltas.
    blocks: list[np.ndarray] = []
    pos = ref_size
    size = len(buf)
    while pos < size:
        if pos + 2 > size:
            raise DecodeError("compressed PMD payload ends inside a block header")
        width, count = int(buf[pos]), int(buf[pos + 1])
        pos += 2
        if not 1 <= width <= 32 or count == 0:
            raise DecodeError(f"compressed PMD block with bit width {width} and {count} samples")
        n_values = count * channels
        n_bytes = (width * n_values + 7) // 8
        if pos + n_bytes > size:
            raise DecodeError("compressed PMD block is truncated")
        chunk = buf[pos : pos + n_bytes]
        pos += n_bytes
        blocks.append(_unpack_signed(chunk, width, n_values).reshape(count, channels))
    # 3. Cumulative sums on top of the reference sample.
    blocks.insert(0, ref.reshape(1, channels))
    return np.cumsum(np.concatenate(blocks), axis=0)


def _unpack_signed(chunk: np.ndarray, width: int, n_values: int) -> np.ndarray:
    """Read ``n_values`` two's-complement ``width``-bit integers from an LSB-first bit stream.

    Each value's bits are copied into a 16- or 32-bit slot whose upper bits repeat the sign
    bit, so packing the slots back into bytes yields sign-extended little-endian integers.
    """
    if width == 8:
        return chunk[:n_values].view(np.int8).astype(np.int64)
    if width == 16:
        return chunk[: 2 * n_values].view("<i2").astype(np.int64)
    bits = np.unpackbits(chunk, bitorder="little")[: width * n_values].reshape(n_values, width)
    slot = 16 if width <= 16 else 32
    padded = np.empty((n_values, slot), dtype=np.uint8)
    padded[:, :width] = bits
    padded[:, width:] = bits[:, width - 1 : width]
    return np.packbits(padded, bitorder="little").view("<i2" if slot == 16 else "<i4").astype(np.int64)


def _sign_extend(values: np.ndarray, bits: int) -> np.ndarray:
    sign = np.int64(1) << (bits - 1)
    return (values ^ sign) - sign


def encode_pmd_frame(
    measurement: int,
    timestamp_ns: int,
    samples: np.ndarray,
    *,
    frame_type: int,
    resolution_bits: int = 16,
) -> bytes:
    """Encode integer samples as a PMD frame (for virtual devices and tests).

    Parameters
    ----------
    measurement
        :class:`MeasurementType` value.
    timestamp_ns
        Device time of the last sample (ns since 2000-01-01).
    samples
        Integer sample values, shape ``(n, channels)``, already divided by the stream's factor.
    frame_type
        Frame-type byte; with bit 7 set the samples are delta-compressed (one block per 255
        samples, each block with the smallest bit width that holds its deltas).
    resolution_bits
        Reference-sample resolution of compressed frames.

    Raises
    ------
    DecodeError
        If the frame type has no encoder or a value does not fit.
    """
    ints = np.asarray(samples, dtype=np.int64)
    if ints.ndim != 2 or ints.shape[0] == 0:
        raise DecodeError("PMD samples must be a non-empty (n, channels) array")
    header = _HEADER.pack(measurement, timestamp_ns, frame_type)
    if not frame_type & _COMPRESSED:
        layout = _RAW_LAYOUTS.get((measurement, frame_type))
        if layout is None or layout[0] in ("int24", "<f4"):
            raise DecodeError(f"no encoder for uncompressed PMD frame type {frame_type}")
        return header + ints.astype(layout[0]).tobytes()
    value_bytes = math.ceil(resolution_bits / 8)
    ref = ints[0] & ((1 << (8 * value_bytes)) - 1)
    out = bytearray(header)
    for v in ref:
        out += int(v).to_bytes(value_bytes, "little")
    deltas = np.diff(ints, axis=0)
    for start in range(0, deltas.shape[0], 255):
        block = deltas[start : start + 255]
        largest = int(max(np.max(block), -np.min(block) - 1, 0))
        width = max(1, largest.bit_length() + 1)
        if width > 32:
            raise DecodeError("PMD delta does not fit 32 bits")
        flat = (block.reshape(-1) & ((1 << width) - 1)).astype(np.uint64)
        bits = ((flat[:, None] >> np.arange(width, dtype=np.uint64)) & np.uint64(1)).astype(np.uint8)
        out += bytes([width, block.shape[0]])
        out += np.packbits(bits.reshape(-1), bitorder="little").tobytes()
    return bytes(out)


__all__ = [
    "HEADER_SIZE",
    "MAX_TIMESTAMP_NS",
    "OP_GET_SETTINGS",
    "OP_START",
    "OP_STOP",
    "PMD_EPOCH_UNIX_NS",
    "SETTING_SIZES",
    "STATUS_TEXT",
    "ControlPointMessage",
    "ControlPointResponse",
    "Features",
    "MeasurementType",
    "PmdFrame",
    "Setting",
    "StoppedByDevice",
    "StreamSettings",
    "decode_control_point",
    "decode_delta_payload",
    "decode_pmd_frame",
    "encode_control_point_response",
    "encode_features",
    "encode_pmd_frame",
    "parse_start_request",
    "start_request",
    "stop_request",
]
