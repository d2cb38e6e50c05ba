"""A FIT file's messages, decoded and checked: step 1 of the mapping in :mod:`calfload.ingest.fit`.

Every data message is decoded with :mod:`fitdecode`, checking the CRC; a truncated or damaged
file is refused with one line (:class:`~calfload.errors.DataError`), never a traceback. Only the
messages the mapping needs are kept (``record`` with only the mapped fields, ``session``,
``event`` of the timer, ``device_info``, ``file_id``, ``sport``, ``lap``), and at most
:data:`MAX_FIT_RECORDS` records. fitdecode's default data processor (dates as
:class:`datetime.datetime`, booleans as :class:`bool`) runs on the kept fields only: run on
every field of every message it cost about a quarter of the decoding time. Every value read
from them goes through :func:`number`: a damaged file with a valid checksum can decode a field
as a tuple, a string or an out-of-range number.

References
----------
Garmin FIT SDK, Profile.xlsx, profile 21.x.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeAlias

import fitdecode

from calfload.errors import DataError
from calfload.ingest.fit_columns import RECORD_FIELDS, FitRecords, records_from_messages
from calfload.ingest.fit_dynamics import developer_value, number

#: FIT sports calfload analyses, and the activity each maps to.
SPORTS: Final[dict[str, str]] = {"running": "run", "walking": "walk", "hiking": "walk"}
#: FIT ``date_time`` values below this are seconds since the device powered on, not since 1989-12-31.
_RELATIVE_TIME_LIMIT: Final = 0x10000000
#: Most ``record`` messages read from one file: 55 hours at the usual one record a second. Decoding
#: stops there, so time and memory stay bounded whatever the file claims (a 13 MB file of a million
#: records took 141 s and 1.3 GB).
MAX_FIT_RECORDS: Final = 200_000

_KEPT_RECORD_FIELDS: Final = frozenset({*RECORD_FIELDS, "timestamp"})
#: The kept ``record`` field that fitdecode's default data processor converts (``date_time``; no
#: other kept record field has a type it converts, which tests/test_ingest/test_fit_decoding.py checks).
_RECORD_TIME_FIELD: Final = "timestamp"
#: The messages the mapping reads.
KEPT_MESSAGES: Final = frozenset({"record", "session", "event", "device_info", "file_id", "sport", "lap"})
#: fitdecode's own conversions, applied to the kept fields only (it keeps no state between fields).
_PROCESSOR: Final = fitdecode.DefaultDataProcessor()

#: One FIT message's fields by their profile names, as fitdecode decoded them (plus ``time``, the
#: timestamp in seconds). A damaged file can decode any field as anything, so every value is an
#: ``object`` to be checked where it is read (:func:`number`, ``isinstance``).
FitMessage: TypeAlias = Mapping[str, object]


@dataclass(slots=True)
class FitMessages:
    """The messages of a FIT file that the mapping needs (step 1)."""

    records: FitRecords = field(default_factory=FitRecords)
    sessions: list[FitMessage] = field(default_factory=list)
    timer_events: list[tuple[float, str]] = field(default_factory=list)
    laps: list[FitMessage] = field(default_factory=list)
    devices: list[FitMessage] = field(default_factory=list)
    file_id: FitMessage = field(default_factory=dict)
    sport: FitMessage = field(default_factory=dict)
    absolute_time: bool = True


def decode_fit(path: Path, *, source: str) -> FitMessages:
    """Decode the messages of ``path`` that the mapping needs (raises DataError for an unreadable file)."""
    if not path.is_file():
        raise DataError("no such file; check the path", source=source)
    out = FitMessages()
    records: list[FitMessage] = []
    try:
        _decode(str(path), out, records, check_crc=fitdecode.CrcCheck.RAISE)
    except _TooManyRecordsError:
        raise too_many_records(source=source) from None
    except fitdecode.FitEOFError:
        raise DataError("the FIT file is truncated; copy or export it again from the device", source=source) from None
    except fitdecode.FitCRCError:
        raise DataError("the FIT file is damaged (checksum mismatch); export it again", source=source) from None
    except AssertionError:
        # fitdecode asserts what it expects of a file; the one assertion a valid file reaches is a
        # heart-rate (hr) message with 12-bit beat times before any timestamp, which it cannot place.
        raise DataError(
            "the FIT file has a message that cannot be decoded (such as a heart-rate strap's beat times before "
            "any timestamp); export the activity again from the device or its app",
            source=source,
        ) from None
    except (fitdecode.FitError, ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DataError(f"not a readable FIT activity file ({first})", source=source) from None
    out.records = records_from_messages(records)
    return out


def decode_stream(data: bytes, out: FitMessages, definitions: list[Any]) -> None:
    """Decode a FIT stream of no records into ``out`` (its checksums not checked), keeping its definitions.

    This is the columnar reader's (:mod:`calfload.ingest.fit_records`) stream of everything but
    the records, whose checksums it has checked on the file itself. fitdecode's errors propagate.
    """
    _decode(data, out, [], check_crc=fitdecode.CrcCheck.DISABLED, definitions=definitions)


def _decode(
    fileish: str | bytes,
    out: FitMessages,
    records: list[FitMessage],
    *,
    check_crc: fitdecode.CrcCheck,
    definitions: list[Any] | None = None,
) -> None:
    """Decode every message with fitdecode, keeping what the mapping needs (and the definitions, if asked)."""
    with fitdecode.FitReader(
        fileish,
        processor=None,
        check_crc=check_crc,
        error_handling=fitdecode.ErrorHandling.RAISE,
        keep_raw_chunks=False,
    ) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                if frame.name in KEPT_MESSAGES:
                    _collect(out, records, frame)
            elif definitions is not None and isinstance(frame, fitdecode.FitDefinitionMessage):
                definitions.append(frame)


def too_many_records(*, source: str) -> DataError:
    """The refusal of a file of more than :data:`MAX_FIT_RECORDS` records."""
    return DataError(
        f"the FIT file holds more than {MAX_FIT_RECORDS:,} records (over two days at one a second); "
        "calfload reads one run or walk per file: export the activity alone",
        source=source,
    )


class _TooManyRecordsError(Exception):
    """More than :data:`MAX_FIT_RECORDS` record messages."""


def _collect(out: FitMessages, records: list[FitMessage], message: Any) -> None:
    """Keep the fields of a message the mapping needs, as a plain dict (records: the mapped fields, in ``records``)."""
    name = message.name
    if name == "record":
        if len(records) >= MAX_FIT_RECORDS:
            raise _TooManyRecordsError
        values = _record_values(message.fields)
    else:
        values = {}
        for f in message.fields:
            _PROCESSOR.on_process_type(None, f)
            if f.value is not None:
                values[f.name] = f.value
    _collect_values(out, records, name, values)


def _record_values(fields: Iterable[Any]) -> dict[str, object]:
    """A ``record`` message's mapped fields (a later field of the same name wins), then its developer fields."""
    values: dict[str, object] = {}
    developer: dict[str, object] = {}
    for f in fields:
        name = f.name
        if name in _KEPT_RECORD_FIELDS:
            if name == _RECORD_TIME_FIELD:
                _PROCESSOR.on_process_type(None, f)
            if f.value is not None:
                values[name] = f.value
        elif (kept := developer_value(name, f.value, f.units)) is not None:
            developer[kept[0]] = kept[1]
    values.update(developer)
    return values


def _collect_values(out: FitMessages, records: list[FitMessage], name: str, values: dict[str, object]) -> None:
    """Keep one message's values (with ``time`` in seconds) in its list."""
    stamp = values.get("timestamp")
    if isinstance(stamp, dt.datetime):
        values["time"] = stamp.timestamp()
    elif isinstance(stamp, int | float):
        values["time"] = float(stamp)
        out.absolute_time = out.absolute_time and stamp >= _RELATIVE_TIME_LIMIT
    if name == "record" and "time" in values:
        records.append(values)
    elif name == "session":
        out.sessions.append(values)
    elif name == "event" and values.get("event") == "timer" and (time := number(values.get("time"))) is not None:
        out.timer_events.append((time, str(values.get("event_type", ""))))
    elif name == "device_info":
        out.devices.append(values)
    elif name == "file_id":
        out.file_id = values
    elif name == "sport":
        out.sport = values
    elif name == "lap":
        out.laps.append(values)


def numbers(values: Iterable[object]) -> list[float]:
    """Return the finite numbers among ``values``."""
    return [v for v in map(number, values) if v is not None]


__all__ = [
    "KEPT_MESSAGES",
    "MAX_FIT_RECORDS",
    "RECORD_FIELDS",
    "SPORTS",
    "FitMessage",
    "FitMessages",
    "decode_fit",
    "decode_stream",
    "number",
    "numbers",
    "too_many_records",
]
