"""A FIT file read column by column: the ``record`` messages straight from the bytes, the rest by fitdecode.

fitdecode decodes every field of every message into Python objects, about 0.1 ms a message on
this machine: a 5.4-hour walk (19,518 records) took 3.5 s of CPU and 12 MB over the import floor,
a 3 MB multisport file 15 s. Nearly all of it is ``record`` messages, of which the mapping reads
a dozen numeric fields. So this reader splits the file by its record headers
(:mod:`calfload.ingest.fit_outline`'s walk):

1. **Checks.** Each FIT file in the stream (chained files too) has a 12- or 14-byte header, and
   its header and file checksums (CRC-16/ARC, with :mod:`fastcrc`) are right; every data message
   has a defined local type and ends inside the file.
2. **Everything but the records, by fitdecode.** The definition messages and every data message
   that is not a ``record`` are written, in their order, into a FIT stream of their own, which
   fitdecode decodes as before (:func:`calfload.ingest.fit_messages.decode_stream`): sessions,
   laps, events, devices, and the definitions as fitdecode reads them (base types, profile
   fields, developer fields with their names and units).
3. **The records, by NumPy** (:mod:`calfload.ingest.fit_record_fields`): the messages of each
   record definition are gathered into one byte array and each mapped field read as a typed
   column, with fitdecode's rules (invalid values, scale, the ``speed`` -> ``enhanced_speed``
   component, the last value given winning, compressed timestamp headers, Stryd's developer
   fields).

Anything this reader does not expect gives ``None`` and the caller decodes the whole file with
fitdecode, which stays the reference: a wrong checksum, a file it cannot walk, a non-record
message with a compressed timestamp header, a record field of another shape than the profile's
(a byte array, a string, an offset), ``compressed_speed_distance`` (its distance accumulates), a
developer field named like a native one. Every real FIT file available gives the same
:class:`~calfload.ingest.fit_messages.FitMessages` either way (tests/test_ingest/test_fit_records.py).

References
----------
Garmin FIT SDK, "FIT Protocol" (file header, CRC, record headers, definition and data messages,
compressed timestamp headers, developer data) and Profile.xlsx (message ``record``).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, Final

import fastcrc
import fitdecode
from fitdecode import profile

from calfload.ingest import fit_record_fields
from calfload.ingest.fit_messages import KEPT_MESSAGES, MAX_FIT_RECORDS, FitMessages, decode_stream
from calfload.ingest.fit_outline import OddFileError, body_bounds, definition
from calfload.ingest.fit_record_fields import Walk

_RECORD_MESSAGE: Final = 20
#: Messages fitdecode must still decode: those the mapping keeps, the developer data ids and field
#: descriptions, and every message with components (decoding them can fail: an accumulated
#: component of a float field), but ``hr``. Any other message is left out of the stream fitdecode
#: reads; decoding it could not fail, and nothing is read from it. ``hr`` (a chest strap's stored
#: heartbeat times) is left out although its decoding can fail: fitdecode places its 12-bit beat
#: times after the last timestamp and stops with a bare ``AssertionError`` on one that comes before
#: any timestamp. Nothing is read from it, so such a file is read without it;
#: :func:`~calfload.ingest.fit_messages.decode_fit` (the whole file by fitdecode) refuses it in one line.
_DECODED: Final = frozenset(
    {
        *(m.mesg_num for m in profile.MESSAGE_TYPES.values() if m.name in KEPT_MESSAGES),
        profile.MESG_NUM_DEVELOPER_DATA_ID,
        profile.MESG_NUM_FIELD_DESCRIPTION,
        *(
            m.mesg_num
            for m in profile.MESSAGE_TYPES.values()
            for f in m.fields.values()
            if f.components or any(s.components for s in f.subfields or ())
        ),
    }
    - {profile.MESG_NUM_HR}
)
_DEVELOPER_MESSAGES: Final = frozenset({profile.MESG_NUM_DEVELOPER_DATA_ID, profile.MESG_NUM_FIELD_DESCRIPTION})
_CRC: Final = struct.Struct("<H")
_HEADER_CRC_AT: Final = 12


def read_columns(path: Path) -> FitMessages | None:
    """The messages the mapping needs, the records read column by column; None when fitdecode must decide.

    Parameters
    ----------
    path
        A FIT file.

    Returns
    -------
    FitMessages or None
        The same messages :func:`~calfload.ingest.fit_messages.decode_fit` gives, or ``None`` for
        a file this reader does not read (missing, damaged, or laid out as it does not expect).
    """
    try:
        data = path.read_bytes()
        walk = _walk_file(data)
        out = FitMessages()
        definitions: list[Any] = []
        decode_stream(bytes(walk.rest), out, definitions)
        if len(definitions) != walk.decoded:
            return None
        out.records = fit_record_fields.record_table(data, walk, definitions, out)
    except (OSError, OddFileError, fit_record_fields.UnexpectedError, fitdecode.FitError):
        return None
    except (ValueError, KeyError, IndexError, TypeError, OverflowError, AssertionError):
        return None
    if len(out.records) > MAX_FIT_RECORDS:
        return None
    return out


def _walk_file(data: bytes) -> Walk:
    """Check and split every FIT file in ``data`` (step 1)."""
    walk = Walk()
    start = 0
    while start < len(data):
        body, end = body_bounds(data, start)
        header_size = body - start
        if header_size not in (12, 14) or not _crc_right(data, start, body, end):
            raise OddFileError
        rest_start = len(walk.rest)
        walk.rest += data[start:body]
        _walk_messages(data, body, end, walk, segment=start)
        size = len(walk.rest) - rest_start - header_size
        walk.rest[rest_start + 4 : rest_start + 8] = struct.pack("<I", size)
        if header_size == 14:
            walk.rest[rest_start + _HEADER_CRC_AT : rest_start + 14] = bytes(2)
        walk.rest += bytes(2)  # no checksum: the file's own were checked, fitdecode checks none here
        start = end + _CRC.size
    if not data:
        raise OddFileError
    return walk


def _crc_right(data: bytes, start: int, body: int, end: int) -> bool:
    """Whether the header's checksum (when it has one that is not 0) and the file's are right."""
    if body - start == 14:
        (stored,) = _CRC.unpack_from(data, start + _HEADER_CRC_AT)
        if stored and stored != fastcrc.crc16.arc(data[start : start + _HEADER_CRC_AT]):
            return False
    return bool(_CRC.unpack_from(data, end)[0] == fastcrc.crc16.arc(data[start:end]))


def _walk_messages(data: bytes, pos: int, end: int, walk: Walk, *, segment: int) -> None:
    """Walk one FIT file's messages: note each record's place, copy the rest into ``walk.rest``."""
    local_kinds: dict[int, int] = {}
    sizes = [0] * 16
    seen: dict[bytes, int] = {}
    starts, kinds, offsets, rest = walk.starts, walk.kinds, walk.time_offsets, walk.rest
    while pos < end:
        header = data[pos]
        if header & 0x80:  # compressed timestamp header: a data message of local type 0-3
            local, offset = (header >> 5) & 0x3, header & 0x1F
        elif header & 0x40:  # definition message
            layout, after = definition(data, pos + 1, end, developer=bool(header & 0x20))
            local_kinds[header & 0x0F] = len(walk.globals_)
            sizes[header & 0x0F] = layout.size
            _add_definition(walk, data[pos:after], layout.global_num, seen)
            walk.segments.append(segment)
            pos = after
            continue
        else:
            local, offset = header & 0x0F, -1
        kind = local_kinds.get(local)
        after = pos + 1 + sizes[local]
        if kind is None or after > end:
            raise OddFileError
        global_num = walk.globals_[kind]
        if global_num != _RECORD_MESSAGE:
            if offset >= 0:
                raise OddFileError  # its time would need the records' timestamps: fitdecode decides
            if global_num in _DECODED:
                rest += data[pos:after]
            if global_num in _DEVELOPER_MESSAGES:
                seen.clear()  # a developer field may mean something else from here on
        starts.append(pos + 1)
        kinds.append(kind)
        offsets.append(offset)
        pos = after
    if pos != end:
        raise OddFileError


def _add_definition(walk: Walk, message: bytes, global_num: int, seen: dict[bytes, int]) -> None:
    """Note a definition message; copy it into ``walk.rest`` unless it repeats one already there.

    A definition of a message fitdecode decodes is always copied (its data messages need it in
    their local slot). A record's or another message's definition that repeats an earlier one,
    byte for byte but the local number, since the last developer field description, means the
    same, so fitdecode reads it once: files that define the record before every record would
    otherwise cost as much as decoding them.
    """
    walk.globals_.append(global_num)
    key = bytes([message[0] & 0xF0]) + message[1:]
    if global_num == _RECORD_MESSAGE or global_num not in _DECODED:
        if (known := seen.get(key)) is not None:
            walk.aliases.append(known)
            return
        seen[key] = walk.decoded
    walk.aliases.append(walk.decoded)
    walk.decoded += 1
    walk.rest += message


__all__ = ["read_columns"]
