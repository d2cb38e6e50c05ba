"""Step 3 of the columnar FIT reader (:mod:`calfload.ingest.fit_records`): record fields as typed columns.

The ``record`` messages of one definition all have the same layout, so their bytes gather into
one ``(messages, size)`` array and each mapped field is one typed view of it. The rules are
fitdecode's, field by field (its ``FitReader._read_data_message`` and the mapping's
:func:`calfload.ingest.fit_messages.decode_fit`):

- a value equal to its base type's invalid value (0xFF for ``uint8``, 0 for ``uint8z``, NaN for
  ``float32``, ...) is not given; a given value is divided by the profile's scale;
- the fields of a message are read in the order its definition lists them, the ``speed`` field's
  ``enhanced_speed`` component just before ``speed`` itself, and the last value given for a name
  wins; a given value that is not finite then counts as missing;
- ``activity_type`` is named from the profile (a number it does not know stays a number);
- Stryd's developer fields (:data:`~calfload.ingest.fit_dynamics.DEVELOPER_FIELDS`) are read by
  the name and units their field description gives, only finite values;
- the timestamp is the ``timestamp`` field, or the compressed timestamp header's five bits
  rolled over onto the last timestamp any message gave; a record without one is left out; FIT
  seconds from 0x10000000 on are dates (seconds since 1989-12-31 UTC), below it seconds since the
  device powered on.

A layout these rules do not cover raises :class:`UnexpectedError`, and fitdecode reads the file.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from fitdecode import profile

from calfload.ingest.fit_columns import NUMERIC_FIELDS, RECORD_FIELDS, FitRecords
from calfload.ingest.fit_dynamics import DEVELOPER_FIELDS

if TYPE_CHECKING:
    from calfload.ingest.fit_messages import FitMessages

#: NumPy type of each numeric FIT base type (FIT Protocol, "Base Types").
_DTYPES: Final[dict[int, str]] = {
    0x00: "u1",
    0x01: "i1",
    0x02: "u1",
    0x0A: "u1",
    0x83: "i2",
    0x84: "u2",
    0x8B: "u2",
    0x85: "i4",
    0x86: "u4",
    0x8C: "u4",
    0x88: "f4",
    0x89: "f8",
    0x8E: "i8",
    0x8F: "u8",
    0x90: "u8",
}
#: Invalid value of each integer base type (the ``z`` types: 0); floats are invalid when NaN.
_INVALID: Final[dict[int, int]] = {
    0x00: 0xFF,
    0x01: 0x7F,
    0x02: 0xFF,
    0x0A: 0,
    0x83: 0x7FFF,
    0x84: 0xFFFF,
    0x8B: 0,
    0x85: 0x7FFFFFFF,
    0x86: 0xFFFFFFFF,
    0x8C: 0,
    0x8E: 0x7FFFFFFFFFFFFFFF,
    0x8F: 0xFFFFFFFFFFFFFFFF,
    0x90: 0,
}
_RECORD_MESSAGE: Final = 20
_UINT32: Final = 0x86
_TIMESTAMP: Final = 253
_SPEED, _ENHANCED_SPEED = 6, 73
#: FIT's epoch, 1989-12-31 00:00 UTC, in POSIX seconds; FIT times below the limit are relative.
_FIT_EPOCH_S: Final = 631_065_600
_RELATIVE_TIME_LIMIT: Final = 0x10000000
_RECORD_TYPE: Final = profile.MESSAGE_TYPES[_RECORD_MESSAGE]
_KEPT: Final = frozenset(RECORD_FIELDS)


@dataclass(slots=True)
class Walk:
    """A FIT file split by its record headers (:mod:`calfload.ingest.fit_records`, step 1)."""

    #: Per data message in file order: payload start, definition index, compressed time offset (-1: none).
    starts: array[int] = field(default_factory=lambda: array("q"))
    kinds: array[int] = field(default_factory=lambda: array("q"))
    time_offsets: array[int] = field(default_factory=lambda: array("q"))
    #: Per definition message in file order: its global message number, the FIT file it is in, and
    #: which of the definitions fitdecode reads (those copied into ``rest``) says the same.
    globals_: list[int] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)
    aliases: list[int] = field(default_factory=list)
    #: How many definitions were copied into ``rest``.
    decoded: int = 0
    #: The FIT stream of every definition and non-record data message.
    rest: bytearray = field(default_factory=bytearray)

    def rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every data message's payload start, definition index, time offset, and whether it is a record."""
        starts = np.frombuffer(self.starts, dtype=np.int64)
        kinds = np.frombuffer(self.kinds, dtype=np.int64)
        offsets = np.frombuffer(self.time_offsets, dtype=np.int64)
        is_record = np.array(self.globals_, dtype=np.int64)[kinds] == _RECORD_MESSAGE
        return starts, kinds, offsets, is_record


class UnexpectedError(Exception):
    """A layout the columnar reader does not read: fitdecode is to decode the file."""


class _Table:
    """The columns being filled, one row per ``record`` message in file order (a column made when first given)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.values: dict[str, np.ndarray] = {}
        self.activity: np.ndarray = np.full(n, None, dtype=object)
        self.stamp = np.full(n, -1, dtype=np.int64)

    def column(self, name: str) -> np.ndarray:
        """The column of ``name``, NaN until given."""
        if name not in self.values:
            self.values[name] = np.full(self.n, np.nan)
        return self.values[name]


def record_table(data: bytes, walk: Walk, definitions: list[Any], out: FitMessages) -> FitRecords:
    """The timed records of the walked file as a table; ``out.absolute_time`` updated with their times."""
    starts, kinds, offsets, is_record = walk.rows()
    buf = np.frombuffer(data, dtype=np.uint8)
    records = np.flatnonzero(is_record)
    table = _Table(records.size)
    record_kinds = np.array(walk.aliases, dtype=np.int64)[kinds[records]]
    # Distinct values by set, not np.unique: NumPy 2's unique imports numpy.ma (tests/test_analysis_imports.py).
    for kind in sorted(set(record_kinds.tolist())):
        rows = np.flatnonzero(record_kinds == kind)
        _read_layout(buf, starts[records[rows]], definitions[kind], rows, table)
    stamp = table.stamp
    if (offsets >= 0).any():
        segments = np.array(walk.segments, dtype=np.int64)[kinds]
        stamps = _message_stamps(buf, starts, np.array(walk.aliases, dtype=np.int64)[kinds], definitions, is_record)
        stamps[records] = stamp
        stamp = _compressed_times(stamps, offsets, segments)[records]
    timed = stamp >= 0
    every = bool(timed.all())
    raw = stamp if every else stamp[timed]
    relative = raw < _RELATIVE_TIME_LIMIT
    out.absolute_time = out.absolute_time and not bool(relative.any())
    never = np.full(raw.size, np.nan)  # one column for every field no record gives
    never.flags.writeable = False
    return FitRecords(
        time_s=np.where(relative, raw, raw + _FIT_EPOCH_S).astype(np.float64),
        values={
            name: _finite(table.values[name] if every else table.values[name][timed]) if name in table.values else never
            for name in NUMERIC_FIELDS
        },
        activity_type=table.activity if every else table.activity[timed],
    )


def _finite(values: np.ndarray) -> np.ndarray:
    """``values`` with every value that is not finite made NaN (in place)."""
    values[~np.isfinite(values)] = np.nan
    return values


def _field_positions(definition: Any) -> list[tuple[Any, int]]:
    """Each field definition (native, then developer) with its byte position in the message."""
    positions, at = [], 0
    for field_def in definition.all_field_defs:
        positions.append((field_def, at))
        at += field_def.size
    return positions


def _read_layout(buf: np.ndarray, starts: np.ndarray, definition: Any, rows: np.ndarray, table: _Table) -> None:
    """Fill ``table``'s ``rows`` from the messages of one record definition, its fields in their order."""
    endian = definition.endian
    stamped = False
    for field_def, at in _field_positions(definition):
        if field_def.is_dev:
            if field_def.def_num == _TIMESTAMP:
                raise UnexpectedError  # fitdecode would take it for the timestamp
            _developer(buf, starts, endian, field_def, at, rows, table)
            continue
        field = field_def.field
        if field_def.def_num == _TIMESTAMP:
            if stamped or field_def.base_type.identifier != _UINT32 or field_def.size != 4:
                raise UnexpectedError
            stamped = True
            raw, given = _column(buf, starts, endian, field_def, at)
            table.stamp[rows[given]] = raw[given]
        elif field is not None:
            _native(buf, starts, endian, (field_def, at), rows, table)


def _native(
    buf: np.ndarray, starts: np.ndarray, endian: str, placed: tuple[Any, int], rows: np.ndarray, table: _Table
) -> None:
    """One native field (and the components it expands into) of a record definition."""
    field_def, at = placed
    field = field_def.field
    if field.subfields:
        raise UnexpectedError
    for component in field.components or ():
        target = _RECORD_TYPE.fields[component.def_num].name
        if target not in _KEPT:
            continue
        if (field_def.def_num, component.def_num) != (_SPEED, _ENHANCED_SPEED) or component.offset:
            raise UnexpectedError  # compressed_speed_distance: its distance accumulates
        raw, given = _column(buf, starts, endian, field_def, at)
        values = raw[given]
        if values.dtype.kind in "iu":
            values = (values.astype(np.int64 if values.dtype.kind == "i" else np.uint64) >> component.bit_offset) & (
                (1 << component.bits) - 1
            )
        _put(table.column(target), rows[given], values.astype(np.float64), component.scale)
    if field.name not in _KEPT:
        return
    if field.offset or (field.type.enum and field.name != "activity_type"):
        raise UnexpectedError
    raw, given = _column(buf, starts, endian, field_def, at)
    if field.name == "activity_type":
        if raw.dtype.kind not in "iu" or field.scale:
            raise UnexpectedError
        names = {value: str(field.render(value)) for value in set(raw[given].tolist())}
        named = np.empty(int(given.sum()), dtype=object)
        named[:] = [names[v] for v in raw[given].tolist()]
        table.activity[rows[given]] = named
        return
    _put(table.column(field.name), rows[given], raw[given].astype(np.float64), field.scale)


def _put(column: np.ndarray, rows: np.ndarray, values: np.ndarray, scale: float | None) -> None:
    """Write ``values`` (divided by ``scale`` as fitdecode does, when it has one) into ``column`` at ``rows``."""
    column[rows] = values / scale if scale else values


def _developer(
    buf: np.ndarray, starts: np.ndarray, endian: str, field_def: Any, at: int, rows: np.ndarray, table: _Table
) -> None:
    """A Stryd developer field, in calfload's unit where its unit is known (finite values only)."""
    name = field_def.field.name
    if name in _KEPT or name == "timestamp":
        raise UnexpectedError  # fitdecode's path would take it for the native field
    spec = DEVELOPER_FIELDS.get(name)
    base = field_def.base_type.identifier
    if spec is None or base not in _DTYPES or field_def.size != np.dtype(_DTYPES[base]).itemsize:
        return  # not a Stryd field, or an array, a string or bytes: not a number
    key, factors = spec
    factor = factors.get(str(field_def.field.units).strip().lower())
    if factor is None:
        return
    raw, given = _column(buf, starts, endian, field_def, at)
    values = raw.astype(np.float64)
    given &= np.isfinite(values)
    table.column(key)[rows[given]] = values[given] * factor


def _column(buf: np.ndarray, starts: np.ndarray, endian: str, field_def: Any, at: int) -> tuple[np.ndarray, np.ndarray]:
    """One field of every message at ``starts`` as its base type, and where it is given (not invalid)."""
    base = field_def.base_type.identifier
    if base not in _DTYPES:
        raise UnexpectedError  # a string or byte array
    dtype = np.dtype((">" if endian == ">" else "<") + _DTYPES[base])
    if field_def.size != dtype.itemsize:
        raise UnexpectedError  # an array of values
    index = starts[:, None] + (at + np.arange(dtype.itemsize))
    raw = buf[index].view(dtype).ravel()
    given = ~np.isnan(raw) if dtype.kind == "f" else raw != raw.dtype.type(_INVALID[base])
    return raw, given


def _message_stamps(
    buf: np.ndarray, starts: np.ndarray, kinds: np.ndarray, definitions: list[Any], is_record: np.ndarray
) -> np.ndarray:
    """Every non-record message's ``timestamp`` (FIT seconds; -1 where it has none)."""
    stamps = np.full(starts.size, -1, dtype=np.int64)
    for kind in sorted(set(kinds[~is_record].tolist())):
        placed = [(f, at) for f, at in _field_positions(definitions[kind]) if f.def_num == _TIMESTAMP]
        if not placed:
            continue
        ((field_def, at),) = placed  # two timestamps, or a developer field 253: unpacking fails, fitdecode decides
        if field_def.is_dev or field_def.base_type.identifier != _UINT32 or field_def.size != 4:
            raise UnexpectedError
        rows = np.flatnonzero(kinds == kind)
        raw, given = _column(buf, starts[rows], definitions[kind].endian, field_def, at)
        stamps[rows[given]] = raw[given]
    return stamps


def _compressed_times(stamps: np.ndarray, offsets: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Each message's timestamp with compressed headers applied, as fitdecode keeps it (per FIT file)."""
    out = stamps.copy()
    last, segment = 0, -1
    for i, (stamp, offset, seg) in enumerate(zip(stamps.tolist(), offsets.tolist(), segments.tolist(), strict=True)):
        if seg != segment:
            last, segment = 0, seg
        if stamp >= 0:
            last = stamp
        if offset >= 0:
            rolled = offset + (last & ~0x1F) + (0x20 if offset < (last & 0x1F) else 0)
            out[i] = last = rolled
    return out


__all__ = ["UnexpectedError", "Walk", "record_table"]
