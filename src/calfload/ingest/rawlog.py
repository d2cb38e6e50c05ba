"""The crash-safe on-disk form of a recording: a session header and an append-only raw log.

A recording folder holds, while recording:

``session.json``
    What was asked for and the clock anchors (:mod:`calfload.ingest.session`; its names are
    importable from here too).
``capture.calflog``
    Every notification exactly as received, with its host receive time, plus the recorder's
    events (connected, stream started, disconnected) as JSON. Records are appended and the file
    is ``fsync``'d every :data:`SYNC_INTERVAL_S`, so a crash or power cut loses at most that much.

Record layout (little-endian)::

    u32 payload length | u32 CRC-32 of the rest | i64 host receive time (ns) | u8 channel | payload

A record cut short by a crash fails its length or CRC check and is ignored; a damaged record
inside the log is skipped and reading resumes at the next intact record. Finalising
(at the end of ``record``, or later with ``recover``) decodes the log into the contract's Parquet
files; the log stays in the folder as the raw truth.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from calfload._files import PRIVATE_FILE_MODE
from calfload._logger import package_logger
from calfload.errors import DataError
from calfload.ingest.gatt import Channel
from calfload.ingest.session import (
    SESSION_FILE,
    OutputError,
    SessionHeader,
    create_session,
    output_error,
    read_session,
)

logger = package_logger(__name__)

LOG_FILE: Final = "capture.calflog"
LOG_MAGIC: Final = b"CALFLOG1"
#: Longest stretch of received data a crash may lose (clock seconds).
SYNC_INTERVAL_S: Final = 0.25

_RECORD: Final = struct.Struct("<IIqB")
_CRC_PART: Final = struct.Struct("<qB")
_MAX_PAYLOAD: Final = 1 << 16


def encode_event(kind: str, /, **fields: Any) -> bytes:
    """The payload of a recorder event record: JSON with the event's name."""
    return json.dumps({"event": kind, **fields}).encode()


def encode_record(host_ns: int, channel: int, payload: bytes) -> bytes:
    """Frame one raw-log record."""
    head = _CRC_PART.pack(host_ns, channel)
    crc = zlib.crc32(payload, zlib.crc32(head))
    return _RECORD.pack(len(payload), crc, host_ns, channel) + payload


class RawLogWriter:
    """Append records to ``capture.calflog``; the caller decides when to sync.

    :meth:`append` only buffers in memory. :meth:`take` hands the buffered bytes over and
    :meth:`write_and_sync` writes and ``fsync``'s them, so the slow part can run in a thread.

    Raises
    ------
    OutputError
        From the constructor and :meth:`write_and_sync` when the disk refuses the data.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOG_FILE
        self._buffer = bytearray()
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
            if os.fstat(self._fd).st_size == 0:
                self._buffer += LOG_MAGIC
        except OSError as exc:
            raise output_error(exc, folder, written=True) from None

    def append(self, host_ns: int, channel: int, payload: bytes) -> None:
        """Buffer one record."""
        if len(payload) >= _MAX_PAYLOAD:
            payload = payload[: _MAX_PAYLOAD - 1]
        self._buffer += encode_record(host_ns, channel, payload)

    def event(self, host_ns: int, kind: str, /, **fields: Any) -> None:
        """Buffer a recorder event (JSON on the event channel)."""
        self.append(host_ns, Channel.EVENT, encode_event(kind, **fields))

    def take(self) -> bytes:
        """Return and clear the buffered bytes."""
        data = bytes(self._buffer)
        self._buffer.clear()
        return data

    def write_and_sync(self, data: bytes) -> None:
        """Write ``data`` and ``fsync`` the file."""
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fsync(self._fd)
        except OSError as exc:
            raise output_error(exc, self.folder, written=True) from None

    def flush(self) -> None:
        """Write and sync whatever is buffered."""
        data = self.take()
        if data:
            self.write_and_sync(data)

    def close(self) -> None:
        """Flush and close the file."""
        try:
            self.flush()
        finally:
            os.close(self._fd)


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record of the raw log."""

    host_ns: int
    channel: int
    payload: bytes

    def event(self) -> dict[str, Any]:
        """Return the JSON of an event record (an empty dict if damaged)."""
        try:
            doc = json.loads(self.payload)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return {}
        return doc if isinstance(doc, dict) else {}


@dataclass(slots=True)
class LogReadReport:
    """What reading a raw log found besides its records.

    Parameters
    ----------
    records
        Intact records read.
    torn_tail_bytes
        Bytes after the last intact record that hold no whole record: the record a crash, kill
        or full disk cut short.
    damaged
        ``(offset, length)`` of each damaged stretch *before* the last intact record, skipped
        by resynchronising on the next intact record.
    """

    records: int = 0
    torn_tail_bytes: int = 0
    damaged: list[tuple[int, int]] = field(default_factory=list)

    @property
    def damaged_bytes(self) -> int:
        """Bytes skipped inside the log (not counting a torn tail)."""
        return sum(n for _, n in self.damaged)

    def note(self) -> str | None:
        """One line on what was skipped, or None when the whole log was read."""
        parts: list[str] = []
        if self.damaged:
            places = len(self.damaged)
            parts.append(
                f"skipped {self.damaged_bytes} damaged bytes of the raw log in {places} "
                f"place{'s' if places != 1 else ''} (first at byte {self.damaged[0][0]}); "
                "every intact record after the damage was kept"
            )
        if self.torn_tail_bytes:
            parts.append(f"ignored {self.torn_tail_bytes} bytes of a last record cut short by the interruption")
        return "; ".join(parts) if parts else None


_CHANNELS: Final = frozenset(int(c) for c in Channel)


def _record_at(data: bytes, pos: int) -> RawRecord | None:
    """The intact record starting at ``pos``, or None (too short, wrong length or CRC)."""
    if pos + _RECORD.size > len(data):
        return None
    length, crc, host_ns, channel = _RECORD.unpack_from(data, pos)
    end = pos + _RECORD.size + length
    if length >= _MAX_PAYLOAD or end > len(data) or channel not in _CHANNELS:
        return None
    payload = data[pos + _RECORD.size : end]
    if zlib.crc32(payload, zlib.crc32(_CRC_PART.pack(host_ns, channel))) != crc:
        return None
    return RawRecord(host_ns, channel, payload)


def _next_intact(data: bytes, pos: int) -> tuple[int, RawRecord | None]:
    """Resynchronise: the first offset after ``pos`` where an intact record starts."""
    for start in range(pos + 1, len(data) - _RECORD.size + 1):
        record = _record_at(data, start)
        if record is not None:
            return start, record
    return len(data), None


def read_raw_log(path: Path, report: LogReadReport | None = None) -> Iterator[RawRecord]:
    """Yield every intact record of a raw log, skipping damaged stretches.

    After a record that fails its length or CRC check, reading resumes at the next offset where
    an intact record starts (a CRC-32 match on random bytes has odds of 1 in 4 billion), so one
    flipped bit loses one record, not the rest of the log. Bytes after the last intact record
    are a torn tail; damaged stretches before it are listed in ``report.damaged``.

    Raises
    ------
    DataError
        If the file is missing or is not a calfload raw log.
    """
    if path.exists() and not path.is_file():
        raise DataError("the raw log is not a regular file", source=str(path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError("no raw log (capture.calflog) here; nothing was recorded", source=str(path.parent)) from None
    except OSError as exc:
        raise DataError(f"cannot read the raw log ({exc.strerror})", source=str(path)) from None
    if not data.startswith(LOG_MAGIC):
        if not data:
            return
        raise DataError("not a calfload raw log", source=str(path))
    report = report if report is not None else LogReadReport()
    pos = len(LOG_MAGIC)
    while pos < len(data):
        record = _record_at(data, pos)
        if record is None:
            start, record = _next_intact(data, pos)
            if record is None:
                break
            report.damaged.append((pos, start - pos))
            logger.info("raw log %s: skipped %d damaged bytes at byte %d", path, start - pos, pos)
            pos = start
        report.records += 1
        yield record
        pos += _RECORD.size + len(record.payload)
    report.torn_tail_bytes = len(data) - pos
    if report.torn_tail_bytes:
        logger.info("raw log %s: ignored %d bytes of a torn last record", path, report.torn_tail_bytes)


__all__ = [  # the session names stay importable from here
    "LOG_FILE",
    "SESSION_FILE",
    "SYNC_INTERVAL_S",
    "LogReadReport",
    "OutputError",
    "RawLogWriter",
    "RawRecord",
    "SessionHeader",
    "create_session",
    "encode_event",
    "encode_record",
    "output_error",
    "read_raw_log",
    "read_session",
]
