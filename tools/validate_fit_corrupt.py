"""Damaged copies of a real FIT file, for ``python -m tools.validate_fit_cli --corrupt``.

Each copy is written next to the others in a temporary folder and named by its kind:

- ``truncated@N``: the first N bytes (three offsets drawn from the file's own hash);
- ``flipped``: three bytes of the data inverted, checksums left as they were (a checksum mismatch);
- ``recrc-flipped``: the same three bytes inverted with the header and file checksums made right, so
  the decoder meets the damage itself;
- ``empty``: zero bytes;
- ``wrong-crc``: the file checksum changed;
- ``no-records``: the file cut before its first ``record`` message, header size and checksums made
  right (a file with definitions, ``file_id`` and perhaps events, but nothing recorded).

The checksum is the FIT protocol's CRC-16 (Garmin FIT SDK, "FIT File Structure", the nibble table).
"""

from __future__ import annotations

import hashlib
import random
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import fitdecode

_CRC_TABLE: Final = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def fit_crc(data: bytes) -> int:
    """CRC-16 of the FIT protocol."""
    crc = 0
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
    return crc


def with_checksums(header: bytes, body: bytes) -> bytes:
    """A FIT file of ``header`` (its data size set to ``body``'s) and ``body``, both checksums right."""
    size = header[0]
    head = bytearray(header[:size])
    head[4:8] = struct.pack("<I", len(body))
    if size >= 14:
        head[12:14] = struct.pack("<H", fit_crc(bytes(head[:12])))
    data = bytes(head) + body
    return data + struct.pack("<H", fit_crc(data))


def corrupt_copies(path: Path, into: Path) -> Iterator[tuple[str, Path]]:
    """Write the damaged copies of ``path`` into ``into``; yield each kind and path."""
    data = path.read_bytes()
    rng = random.Random(hashlib.sha256(data).digest())
    into.mkdir(parents=True, exist_ok=True)
    size = data[0] if data else 0
    copies: dict[str, bytes] = {"empty": b"", "wrong-crc": data[:-2] + bytes([data[-2] ^ 0x5A, data[-1] ^ 0xA5])}
    for offset in sorted(rng.sample(range(1, len(data) - 2), 3)):
        copies[f"truncated@{offset}"] = data[:offset]
    flips = rng.sample(range(size, len(data) - 2), 3)
    flipped = bytearray(data)
    for i in flips:
        flipped[i] ^= 0xFF
    copies["flipped"] = bytes(flipped)
    copies["recrc-flipped"] = with_checksums(data[:size], bytes(flipped[size:-2]))
    first = _first_record_offset(path)
    if first is not None:
        copies["no-records"] = with_checksums(data[:size], data[size:first])
    for kind, content in copies.items():
        out = into / f"{kind}.fit"
        out.write_bytes(content)
        yield kind, out


def _first_record_offset(path: Path) -> int | None:
    """Where the first ``record`` message of the first FIT file in ``path`` starts (None without one)."""
    with fitdecode.FitReader(str(path), keep_raw_chunks=True, check_crc=fitdecode.CrcCheck.DISABLED) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitCRC):
                return None
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                return int(frame.chunk.offset)
    return None


__all__ = ["corrupt_copies", "fit_crc", "with_checksums"]
