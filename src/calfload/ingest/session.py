"""The recording folder's header, ``session.json``, and claiming a folder for a recording.

``session.json`` records what was asked for (device, activity, placement, side, rate) and the
clock anchors: the host monotonic time and the UTC wall time of the same instant. It is written
once, before any data, and read back field by field with its types checked, so a damaged header
is a one-line error rather than a crash later on. The raw log beside it is
:mod:`calfload.ingest.rawlog`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from calfload._files import create_exclusive, private_dir
from calfload.errors import DataError

SESSION_FILE: Final = "session.json"
SESSION_FORMAT: Final = "calfload-session/1"


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
        return OutputError(
            f"no permission to write here; choose another `out`{kept}", source=str(folder), parameter="out"
        )
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return OutputError(
            "a file is in the way of the recording folder; choose another `out`", source=str(folder), parameter="out"
        )
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
                "or rewrite it from the recording's options (`calfload record` lists them)",
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
                "this folder already holds a recording; choose another `out` "
                "(or run `calfload recover` on it if it was interrupted)",
                source=str(folder),
                parameter="out",
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
                f"this folder already holds {kind}.parquet, which this recording would replace; choose another `out`",
                source=str(folder),
                parameter="out",
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
            "no calfload recording here (no session.json); give the folder a recording was written to",
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


__all__ = [
    "MAX_HEADER_TEXT",
    "SESSION_FILE",
    "SESSION_FORMAT",
    "OutputError",
    "SessionHeader",
    "create_session",
    "output_error",
    "read_session",
]
