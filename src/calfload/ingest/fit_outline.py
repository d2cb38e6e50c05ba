"""A FIT file's outline: the sports its ``session`` and ``sport`` messages name, and how many records it holds.

Refusing a ride used to decode every message first: fitdecode decodes every field of every data
message (about 0.1 ms each on this machine), so a cyclist's 100,000-record file took 12.6 s of
CPU to be told it is no run. The FIT format lets the sport be read without that: a data message
is as long as its definition message says, so the file can be walked by its record headers,
skipping the bytes of every data message and reading only the one-byte sport field of ``session``
(global message 18, field 5) and ``sport`` (12, field 0) messages. The walk is linear in the number
of messages and costs about as much as reading the file.

The walk is an outline, not a check: it computes no checksum and decodes no other field. Anything
it does not expect (not a FIT header, a data message of an undefined local type, a field of size
0, a sport field that is not one byte of an unsigned or enum type, a file ending inside a message
or with bytes after it that are no FIT file) gives ``None``, and the caller decodes the file in
full, which refuses a damaged file with its reason (:func:`calfload.ingest.fit_messages.decode_fit`).

References
----------
Garmin FIT SDK, "FIT Protocol" (file header, record headers, definition and data messages,
compressed timestamp headers, developer data), and Profile.xlsx (``session.sport``, ``sport.sport``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from fitdecode import profile, types

#: Global message numbers (Profile.xlsx).
_SPORT_MESSAGE: Final = 12
_SESSION_MESSAGE: Final = 18
_RECORD_MESSAGE: Final = 20
#: The field holding the sport, in the messages that name one.
_SPORT_FIELD: Final[dict[int, int]] = {_SESSION_MESSAGE: 5, _SPORT_MESSAGE: 0}
#: One-byte base types a sport field may have (enum, uint8, uint8z): read as fitdecode reads them.
_SPORT_BASE_TYPES: Final = frozenset({0x00, 0x02, 0x0A})
_HEADER: Final = struct.Struct("<BBHI4s")
_CRC_BYTES: Final = 2


@dataclass(frozen=True, slots=True)
class FitOutline:
    """What a FIT file's layout says before any field but the sport is decoded.

    Attributes
    ----------
    session_sports
        The sport of each ``session`` message in file order, named as fitdecode names it
        (``"running"``, ``"cycling"``, the number of a sport the profile does not know; ``""`` where
        the session gives none).
    last_sport
        The sport of the last ``sport`` message (``""`` when there is none or it gives none).
    records
        How many ``record`` messages the file holds.
    """

    session_sports: tuple[str, ...]
    last_sport: str
    records: int


@dataclass(frozen=True, slots=True)
class Layout:
    """What a definition message says of its data messages: global number, size, the sport byte."""

    global_num: int
    size: int
    sport_at: int | None
    sport_base: int


class OddFileError(Exception):
    """The layout is not what a sound FIT file has: the full decoder is to judge the file."""


def fit_outline(path: Path) -> FitOutline | None:
    """Walk ``path``'s messages by their headers; ``None`` when it cannot be read or is not laid out as FIT.

    Parameters
    ----------
    path
        A FIT file (chained FIT files are walked one after the other).

    Returns
    -------
    FitOutline or None
        The sports named and the record count, or ``None`` for a missing, unreadable or oddly laid
        out file (the full decoder then gives the reason).
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    sessions: list[str] = []
    sports: list[str] = []
    records = 0
    start = 0
    try:
        while start < len(data):
            body, end = body_bounds(data, start)
            records += _walk(data, body, end, sessions, sports)
            start = end + _CRC_BYTES
    except OddFileError:
        return None
    if not data:
        return None
    return FitOutline(tuple(sessions), sports[-1] if sports else "", records)


def body_bounds(data: bytes, start: int) -> tuple[int, int]:
    """Where the messages of the FIT file starting at ``start`` begin and end (its header checked)."""
    if start + _HEADER.size > len(data):
        raise OddFileError
    header_size, _, _, body_size, magic = _HEADER.unpack_from(data, start)
    if magic != b".FIT" or header_size < _HEADER.size or header_size == _HEADER.size + 1:
        raise OddFileError
    body = start + header_size
    end = body + body_size
    if end + _CRC_BYTES > len(data):
        raise OddFileError
    return body, end


def _walk(data: bytes, pos: int, end: int, sessions: list[str], sports: list[str]) -> int:
    """Walk one FIT file's messages from ``pos`` to ``end``; append the sports named; return the record count."""
    layouts: dict[int, Layout] = {}
    records = 0
    while pos < end:
        header = data[pos]
        pos += 1
        if header & 0x80:  # compressed timestamp header: a data message of local type 0-3
            local = (header >> 5) & 0x3
        elif header & 0x40:  # definition message
            layouts[header & 0x0F], pos = definition(data, pos, end, developer=bool(header & 0x20))
            continue
        else:
            local = header & 0x0F
        layout = layouts.get(local)
        if layout is None or pos + layout.size > end:
            raise OddFileError
        if layout.global_num == _RECORD_MESSAGE:
            records += 1
        elif layout.sport_at is not None:
            named = _sport_name(layout, data[pos + layout.sport_at])
            (sessions if layout.global_num == _SESSION_MESSAGE else sports).append(named)
        elif layout.global_num in _SPORT_FIELD:
            (sessions if layout.global_num == _SESSION_MESSAGE else sports).append("")
        pos += layout.size
    if pos != end:
        raise OddFileError
    return records


def definition(data: bytes, pos: int, end: int, *, developer: bool) -> tuple[Layout, int]:
    """The layout a definition message at ``pos`` gives, and where the next message starts."""
    if pos + 5 > end:
        raise OddFileError
    big_endian = data[pos + 1] == 1
    if data[pos + 1] > 1:
        raise OddFileError
    global_num = struct.unpack_from(">H" if big_endian else "<H", data, pos + 2)[0]
    count = data[pos + 4]
    pos += 5
    fields_end = pos + 3 * count
    if fields_end + (1 if developer else 0) > end:
        raise OddFileError
    size, sport_at, sport_base = 0, None, 0
    wanted = _SPORT_FIELD.get(global_num)
    for at in range(pos, fields_end, 3):
        number, field_size, base = data[at], data[at + 1], data[at + 2]
        base_type = types.BASE_TYPES.get(base, types.BASE_TYPE_BYTE)
        if field_size == 0 or field_size % base_type.size:
            raise OddFileError  # fitdecode refuses both
        if number == wanted:
            if sport_at is not None or field_size != 1 or base not in _SPORT_BASE_TYPES:
                raise OddFileError
            sport_at, sport_base = size, base
        size += field_size
    pos = fields_end
    if developer:
        dev_end = pos + 1 + 3 * data[pos]
        if dev_end > end:
            raise OddFileError
        for at in range(pos + 1, dev_end, 3):
            if data[at + 1] == 0:
                raise OddFileError
            size += data[at + 1]
        pos = dev_end
    return Layout(global_num, size, sport_at, sport_base), pos


def _sport_name(layout: Layout, raw: int) -> str:
    """The sport byte named as fitdecode names it (``""`` for its invalid value)."""
    value = types.BASE_TYPES[layout.sport_base].parse(raw)
    if value is None:
        return ""
    message = profile.MESSAGE_TYPES[layout.global_num]
    return str(message.fields[_SPORT_FIELD[layout.global_num]].render(value))


__all__ = ["FitOutline", "Layout", "OddFileError", "body_bounds", "definition", "fit_outline"]
