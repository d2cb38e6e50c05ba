"""The crash-safe on-disk form of a recording: a session header and an append-only raw log.

A recording folder holds, while recording:

``session.json``
    What was asked for (device, activity, placement, side, rate) and the clock anchors: the
    host monotonic time and the UTC wall time of the same instant. Written once, before any data.
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

import dataclasses
import datetime as dt
import errno
import json
import logging
import math
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from calfload._files import PRIVATE_FILE_MODE, create_exclusive, private_dir
from calfload.errors import DataError
from calfload.ingest.gatt import Channel

logger = logging.getLogger(__name__)

SESSION_FILE: Final = "session.json"
LOG_FILE: Final = "capture.calflog"
LOG_MAGIC: Final = b"CALFLOG1"
SESSION_FORMAT: Final = "calfload-session/1"
#: Longest stretch of received data a crash may lose (clock seconds).
SYNC_INTERVAL_S: Final = 0.25

_RECORD: Final = struct.Struct("<IIqB")
_CRC_PART: Final = struct.Struct("<qB")
_MAX_PAYLOAD: Final = 1 << 16


class OutputError(DataError):
    """The recording folder cannot be created or written (exit code 3)."""


def output_error(exc: OSError, folder: Path, *, written: bool) -> OutputError:
    """Turn an ``OSError`` while writing a recording into a one-line :class:`OutputError`."""
    kept = (
        f"; what was recorded so far is kept, finish it with `calfload recover {folder}` once there is room"
        if written
        else ""
    )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"the disk is full{kept}", source=str(folder))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"no permission to write here; choose another --out{kept}", source=str(folder))
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return OutputError("a file is in the way of the recording folder; choose another --out", source=str(folder))
    return OutputError(f"cannot write ({exc.strerror or exc}){kept}", source=str(folder))


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionHeader:
    """What ``session.json`` holds.

    Parameters
    ----------
    device
        The ``--device`` the user gave (address, name or ``sim:KIND``).
    activity, placement, side, exercise, added_load_kg
        The recording's metadata as asked for.
    rate_hz
        Requested sample rate (None: the device's default).
    start_utc
        Wall-clock UTC time of ``start_monotonic_ns``.
    start_monotonic_ns
        Host clock reading at the same instant.
    time_scale
        Clock seconds per wall second (1 unless a virtual device ran faster than real time).
    clock_origin_ns
        For a scaled clock, the host monotonic time at which it read the same as the host's;
        host monotonic time ``h`` then maps to clock time ``origin + (h - origin) * time_scale``.
    faults
        Faults injected into a virtual device, as given on the command line.
    """

    device: str
    activity: str | None = None
    placement: str = "unknown"
    side: str = "unknown"
    exercise: str | None = None
    added_load_kg: float | None = None
    rate_hz: float | None = None
    start_utc: dt.datetime
    start_monotonic_ns: int
    time_scale: float = 1.0
    clock_origin_ns: int | None = None
    faults: tuple[str, ...] = ()
    software: str = field(default="")

    def to_json(self) -> str:
        """Serialise (ISO 8601 time, a format tag)."""
        doc = dataclasses.asdict(self)
        doc["start_utc"] = self.start_utc.astimezone(dt.UTC).isoformat()
        doc["faults"] = list(self.faults)
        doc["format"] = SESSION_FORMAT
        return json.dumps(doc, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, *, source: str) -> SessionHeader:
        """Parse ``session.json``.

        Raises
        ------
        DataError
            If the file is not a calfload session header.
        """
        try:
            doc = json.loads(text)
            if not isinstance(doc, dict) or doc.pop("format", None) != SESSION_FORMAT:
                raise DataError("not a calfload session header", source=source)
            for name, kinds in _HEADER_TYPES.items():
                value = doc.get(name)
                if name in doc and not _is_a(value, kinds):
                    raise ValueError(f"{name} is {_short(value)}")
            doc["start_utc"] = dt.datetime.fromisoformat(doc["start_utc"])
            if doc["start_utc"].tzinfo is None:
                raise ValueError("start_utc has no time zone")
            doc["faults"] = tuple(doc.get("faults", ()))
            header = cls(**doc)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, RecursionError) as exc:
            if isinstance(exc, DataError):
                raise
            raise DataError(
                f"the session header is damaged ({_short(exc)}); restore session.json from a backup, "
                "or rewrite it from `calfload record --help`'s options",
                source=source,
            ) from None
        if header.time_scale <= 0 or (header.rate_hz is not None and header.rate_hz <= 0):
            raise DataError("the session header is damaged (time_scale or rate_hz is not positive)", source=source)
        return header


#: Longest text (and list) a ``session.json`` field may hold.
MAX_HEADER_TEXT: Final = 1000
#: Types each ``session.json`` field may have (None where it may be null).
_HEADER_TYPES: Final[dict[str, tuple[type, ...]]] = {
    "device": (str,),
    "activity": (str, type(None)),
    "placement": (str,),
    "side": (str,),
    "exercise": (str, type(None)),
    "added_load_kg": (float, int, type(None)),
    "rate_hz": (float, int, type(None)),
    "start_utc": (str,),
    "start_monotonic_ns": (int,),
    "time_scale": (float, int),
    "clock_origin_ns": (int, type(None)),
    "faults": (list,),
    "software": (str,),
}


def _is_a(value: object, kinds: tuple[type, ...]) -> bool:
    """Whether a JSON value has one of ``kinds`` (no booleans for numbers, finite floats, string lists)."""
    if isinstance(value, bool) or not isinstance(value, kinds):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int) and float in kinds:
        return abs(value) < 1e15
    if isinstance(value, int):
        return abs(value) < 2**63
    if isinstance(value, list):
        return len(value) <= MAX_HEADER_TEXT and all(isinstance(v, str) and len(v) <= MAX_HEADER_TEXT for v in value)
    return not isinstance(value, str) or len(value) <= MAX_HEADER_TEXT


def _short(value: object) -> str:
    """A value or message cut to 80 characters (a damaged file can hold anything)."""
    text = repr(value) if not isinstance(value, BaseException) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def create_session(folder: Path, header: SessionHeader) -> None:
    """Create the recording folder and claim it by writing ``session.json``.

    Raises
    ------
    OutputError
        If the folder cannot be created or written, or already holds a recording.
    """
    try:
        private_dir(folder)
        _refuse_stored_streams(folder)
        fd = create_exclusive(folder / SESSION_FILE)
    except FileExistsError:
        if (folder / SESSION_FILE).is_file():
            raise OutputError(
                "this folder already holds a recording; choose another --out "
                "(or run `calfload recover` on it if it was interrupted)",
                source=str(folder),
            ) from None
        raise output_error(FileExistsError(errno.EEXIST, "exists"), folder, written=False) from None
    except OSError as exc:
        raise output_error(exc, folder, written=False) from None
    try:
        os.write(fd, header.to_json().encode())
        os.fsync(fd)
    except OSError as exc:
        raise output_error(exc, folder, written=False) from None
    finally:
        os.close(fd)
    _fsync_dir(folder)


def _refuse_stored_streams(folder: Path) -> None:
    """Refuse a folder holding a stream file (``imu.parquet``, ...) that this recording's would replace."""
    from calfload.schema import TABLES

    for kind in TABLES:
        if (folder / f"{kind}.parquet").exists() and not (folder / SESSION_FILE).exists():
            raise OutputError(
                f"this folder already holds {kind}.parquet, which this recording would replace; choose another --out",
                source=str(folder),
            )


def read_session(folder: Path) -> SessionHeader:
    """Read a folder's ``session.json``.

    Raises
    ------
    DataError
        If there is none, or it is damaged.
    """
    path = folder / SESSION_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(
            "no calfload recording here (no session.json); give the folder `calfload record --out` wrote",
            source=str(folder),
        ) from None
    except OSError as exc:
        raise DataError(f"cannot read the session header ({exc.strerror})", source=str(folder)) from None
    return SessionHeader.from_json(text, source=str(path))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


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


__all__ = [
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
    "read_raw_log",
    "read_session",
]
