"""The columnar FIT reader (ingest.fit_records) gives what fitdecode gives, or leaves the file to it.

The reference is :func:`calfload.ingest.fit_messages.decode_fit` (every message by fitdecode).
Files are written here message by message as the FIT protocol lays them out (Garmin FIT SDK,
"FIT Protocol": record headers, definition messages, compressed timestamp headers, developer data;
field numbers and types from Profile.xlsx), with checksums made right, and fuzzed with hypothesis.
The real files of ../shared/validation are compared with the digests the fitdecode path gave for
them (fit_decoded_digests.json; all of them, and the mirrors' files, were compared in full by
``python -m tools.validate_fit_columns``), and the smallest ones live.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfload.cli import main
from calfload.errors import DataError
from calfload.ingest.fit import read_fit
from calfload.ingest.fit_messages import FitMessages, decode_fit
from calfload.ingest.fit_records import read_columns
from tools.validate_fit_columns import digest
from tools.validate_fit_corrupt import with_checksums

_HEADER = struct.pack("<BBHI4sH", 14, 0x20, 2100, 0, b".FIT", 0)
_START = 1_000_000_000  # FIT seconds: 2021
_STRUCT = {
    0x0D: "3s",
    0x00: "B",
    0x01: "b",
    0x02: "B",
    0x0A: "B",
    0x83: "h",
    0x84: "H",
    0x86: "I",
    0x8C: "I",
    0x88: "f",
}
_INVALID = {0x00: 0xFF, 0x01: 0x7F, 0x02: 0xFF, 0x0A: 0, 0x83: 0x7FFF, 0x84: 0xFFFF, 0x86: 0xFFFFFFFF, 0x8C: 0}
#: Record fields (number, base types tried): timestamp, heart rate, cadence, distance, speed, power,
#: vertical oscillation, stance time, activity type, fractional cadence, enhanced speed, vertical
#: ratio, stance time balance, step length, and a field number the profile does not know.
_RECORD_FIELDS: tuple[tuple[int, tuple[int, ...]], ...] = (
    (253, (0x86,)),
    (3, (0x02, 0x0A)),
    (4, (0x02, 0x84, 0x01, 0x88)),
    (5, (0x86, 0x8C)),
    (6, (0x84, 0x86, 0x88)),
    (7, (0x84, 0x83)),
    (39, (0x84,)),
    (41, (0x84, 0x88)),
    (42, (0x00, 0x02)),
    (53, (0x02,)),
    (73, (0x86,)),
    (83, (0x84,)),
    (84, (0x84,)),
    (85, (0x84,)),
    (200, (0x02,)),
)
#: Developer fields: (number, base type, name, units).
_DEV_FIELDS = (
    (0, 0x84, "Power", "Watts"),
    (1, 0x88, "Vertical Oscillation", "Centimeters"),
    (2, 0x02, "Cadence", "RPM"),
)


def _definition(local: int, global_num: int, fields: Sequence[tuple[int, int, int]], *, big: bool = False) -> bytes:
    dev = [f for f in fields if f[0] >= 1000]
    native = [f for f in fields if f[0] < 1000]
    header = 0x40 | local | (0x20 if dev else 0)
    out = bytes([header, 0, int(big)]) + struct.pack(">HB" if big else "<HB", global_num, len(native))
    out += b"".join(bytes([num, size, base]) for num, size, base in native)
    if dev:
        out += bytes([len(dev)]) + b"".join(bytes([num - 1000, size, 0]) for num, size, _ in dev)
    return out


def _size(base: int) -> int:
    return struct.calcsize(_STRUCT[base])


def _developer_messages() -> bytes:
    """A developer data id and the descriptions of :data:`_DEV_FIELDS` (local type 15)."""
    out = _definition(15, 207, [(3, 1, 0x02)]) + bytes([15, 0])
    out += _definition(15, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 24, 0x07), (8, 16, 0x07)])
    for number, base, name, units in _DEV_FIELDS:
        out += bytes([15, 0, number, base]) + name.encode().ljust(24, b"\0") + units.encode().ljust(16, b"\0")
    return out


@dataclass(frozen=True)
class _Layout:
    local: int
    big: bool
    fields: tuple[tuple[int, int], ...]  # (number; 1000 + n for developer field n, last; base type)


def _pack(layout: _Layout, values: Sequence[float | int]) -> bytes:
    order = ">" if layout.big else "<"
    return b"".join(struct.pack(order + _STRUCT[base], v) for (_, base), v in zip(layout.fields, values, strict=True))


def _file(layouts: Sequence[_Layout], messages: Sequence[tuple[int, int | None, Sequence[float | int]]]) -> bytes:
    """file_id, developer fields, then each message (layout index, compressed time offset, values)."""
    body = _definition(14, 0, [(0, 1, 0x00)]) + bytes([14, 4]) + _developer_messages()
    defined: dict[int, int] = {}
    for position, (index, offset, values) in enumerate(messages):
        layout = layouts[index]
        if defined.get(layout.local) != index:
            fields = [(num, _size(base), base) for num, base in layout.fields]
            body += _definition(layout.local, 20, fields, big=layout.big)
            defined[layout.local] = index
        header = layout.local if offset is None else 0x80 | (layout.local << 5) | offset
        body += bytes([header]) + _pack(layout, values)
        if position == 0:  # a timer event with its own timestamp, which compressed timestamps roll onto
            body += _definition(13, 21, [(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00)])
            body += bytes([13]) + struct.pack("<IBB", _START + 3, 0, 0)
    return with_checksums(_HEADER, body)


def _value(base: int) -> st.SearchStrategy[float | int]:
    if base == 0x88:
        return st.one_of(st.floats(width=32), st.just(math.nan), st.just(math.inf))
    code = _STRUCT[base]
    bits = 8 * struct.calcsize(code)
    low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if code.islower() else (0, 2**bits - 1)
    return st.one_of(st.just(_INVALID[base]), st.integers(low, high), st.integers(0, min(high, 300)))


#: Drawing a file takes a while on a loaded machine, and some draws are large: neither is a failure.
_BUSY_MACHINE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]


@st.composite
def _layouts(draw: st.DrawFn) -> _Layout:
    chosen = draw(st.lists(st.sampled_from(_RECORD_FIELDS), min_size=1, max_size=8))
    fields = [(num, draw(st.sampled_from(bases))) for num, bases in chosen]
    fields += [(1000 + num, base) for num, base, _, _ in draw(st.lists(st.sampled_from(_DEV_FIELDS), max_size=2))]
    return _Layout(draw(st.integers(0, 3)), draw(st.booleans()), tuple(fields))


@st.composite
def _activities(draw: st.DrawFn) -> bytes:
    layouts = draw(st.lists(_layouts(), min_size=1, max_size=3))
    messages = []
    for _ in range(draw(st.integers(1, 12))):
        index = draw(st.integers(0, len(layouts) - 1))
        offset = draw(st.one_of(st.none(), st.integers(0, 31)))
        values = [draw(_value(base)) for _, base in layouts[index].fields]
        messages.append((index, offset, values))
    return _file(layouts, messages)


def _same(got: FitMessages, want: FitMessages) -> bool:
    return got.records.same_as(want.records) and _rest(got) == _rest(want)


def _rest(messages: FitMessages) -> tuple[object, ...]:
    m = messages
    return (m.sessions, m.laps, m.devices, m.timer_events, m.file_id, m.sport, m.absolute_time)


def _compare(path: Path) -> FitMessages | None:
    """Assert the columnar reader gives fitdecode's messages, or None (always None for a file fitdecode refuses)."""
    got = read_columns(path)
    try:
        want = decode_fit(path, source=str(path))
    except DataError:
        assert got is None
        return None
    assert got is None or _same(got, want)
    return got


@settings(max_examples=30, deadline=None, suppress_health_check=_BUSY_MACHINE)
@given(_activities())
def test_records_read_by_columns_are_what_fitdecode_decodes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "activity.fit"
    path.write_bytes(data)
    _compare(path)


@settings(max_examples=20, deadline=None, suppress_health_check=_BUSY_MACHINE)
@given(_activities(), st.lists(st.tuples(st.integers(14, 10_000), st.integers(1, 255)), min_size=1, max_size=3))
def test_damaged_files_are_read_as_fitdecode_reads_them_or_left_to_it(
    tmp_path: Path, data: bytes, flips: list[tuple[int, int]]
) -> None:
    """Bytes flipped with the checksums made right; and with the checksum left wrong, always left to fitdecode."""
    body = bytearray(data[14:-2])
    for at, mask in flips:
        body[at % len(body)] ^= mask
    path = tmp_path / "damaged.fit"
    path.write_bytes(with_checksums(_HEADER, bytes(body)))
    _compare(path)
    path.write_bytes(data[:14] + bytes(body) + data[-2:])
    if bytes(body) != data[14:-2]:
        assert read_columns(path) is None


_EVERYTHING = (
    _Layout(0, False, ((253, 0x86), (4, 0x02), (53, 0x02), (6, 0x84), (5, 0x86), (42, 0x00), (1000, 0x84))),
    _Layout(1, True, ((253, 0x86), (73, 0x86), (6, 0x84), (4, 0x02), (4, 0x84), (200, 0x02), (1001, 0x88))),
)


def test_a_file_of_every_supported_layout_is_read_by_columns(tmp_path: Path) -> None:
    """Compressed timestamps rolling over, both byte orders, repeated fields, developer fields, invalid values."""
    messages: list[tuple[int, int | None, Sequence[float | int]]] = [
        (0, None, [_START, 85, 64, 3100, 1000, 1, 250]),
        (1, 31, [0xFFFFFFFF, 3200, 0xFFFF, 86, 87, 7, 8.5]),
        (0, 2, [0xFFFFFFFF, 0xFF, 0xFF, 0xFFFF, 1300, 0, 0xFFFF]),
        (1, None, [_START + 40, 0xFFFFFFFF, 2900, 0xFF, 170, 3, math.nan]),
        (0, 9, [_START + 45, 88, 0, 3000, 1500, 7, 255]),
    ]
    path = tmp_path / "everything.fit"
    path.write_bytes(_file(_EVERYTHING, messages))
    got = _compare(path)
    assert got is not None
    records = got.records
    # The event at +3 s, then offsets 31 (+31 s), 2 (rolled over: +34 s); +45 s then offset 9 rolls over to +73 s.
    assert records.time_s.tolist() == [_START + d + 631_065_600.0 for d in (0, 31, 34, 40, 73)]
    assert records.values["cadence"][1] == 87.0  # the second cadence field wins
    assert math.isnan(records.values["cadence"][2])
    assert records.values["enhanced_speed"].tolist()[:2] == [3.1, 3.2]  # speed's component, then enhanced_speed
    assert records.values["speed"][3] == records.values["enhanced_speed"][3] == 2.9
    assert math.isnan(records.values["dev_power_w"][1])
    assert records.values["dev_vertical_oscillation_mm"][1] == 85.0
    assert records.activity_type.tolist() == ["running", None, "generic", None, "7"]


def test_what_the_columnar_reader_does_not_read_is_left_to_fitdecode(tmp_path: Path) -> None:
    """compressed_speed_distance (an accumulated component), a wrong checksum, a missing file."""
    compressed = _Layout(0, False, ((253, 0x86), (8, 0x0D)))
    data = _file((compressed,), [(0, None, [_START, b"\x10\x20\x30"])])  # type: ignore[list-item]
    path = tmp_path / "compressed.fit"
    path.write_bytes(data)
    assert read_columns(path) is None
    assert len(decode_fit(path, source="compressed.fit").records) == 1
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert read_columns(path) is None
    assert read_columns(tmp_path / "absent.fit") is None


def _hr_before_any_timestamp(*, compressed_speed_distance: bool = False) -> bytes:
    """A run whose first message after file_id is an ``hr`` with 12-bit beat times, before any timestamp.

    fitdecode adds those beat times to the last timestamp it saw and asserts there was one. Two
    minutes of records follow (timestamp, cadence 85 strides/min, activity type running, speed
    3 m/s; with ``compressed_speed_distance``, a field the columnar reader leaves to fitdecode).
    """
    body = _definition(14, 0, [(0, 1, 0x00)]) + bytes([14, 4])
    body += _definition(12, 132, [(10, 15, 0x0D)]) + bytes([12]) + bytes(range(15))  # hr.event_timestamp_12
    fields = [(253, 4, 0x86), (4, 1, 0x02), (42, 1, 0x00), (6, 2, 0x84)]
    extra = b""
    if compressed_speed_distance:
        fields.append((8, 3, 0x0D))
        extra = bytes(3)
    body += _definition(0, 20, fields)
    for k in range(120):
        body += bytes([0]) + struct.pack("<IBBH", _START + k, 85, 1, 3000) + extra
    return with_checksums(_HEADER, body)


def test_an_hr_message_before_any_timestamp_is_read_without_it(tmp_path: Path) -> None:
    """fitdecode stops there with a bare AssertionError; nothing is read from ``hr``, so the run is read."""
    path = tmp_path / "hr_first.fit"
    path.write_bytes(_hr_before_any_timestamp())
    with pytest.raises(DataError, match="heart-rate strap's beat times before any timestamp") as info:
        decode_fit(path, source="hr_first.fit")
    assert "\n" not in str(info.value)
    got = read_columns(path)
    assert got is not None
    assert len(got.records) == 120
    assert set(got.records.values["cadence"].tolist()) == {85.0}
    pod = read_fit(path)[0]
    assert pod.meta.activity == "run"
    assert pod.n_samples == 120


def test_an_hr_message_before_any_timestamp_left_to_fitdecode_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same file with compressed_speed_distance goes to fitdecode whole: one line, no internal error."""
    path = tmp_path / "hr_first_csd.fit"
    path.write_bytes(_hr_before_any_timestamp(compressed_speed_distance=True))
    assert read_columns(path) is None
    assert main(["analyze", str(path)]) == 3
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert err.count("\n") == 1
    assert "export the activity again" in err


VALIDATION = Path(__file__).resolve().parents[2] / ".." / "shared" / "validation"
DIGESTS: dict[str, str] = json.loads((Path(__file__).with_name("fit_decoded_digests.json")).read_text())


@pytest.mark.parametrize("name", sorted(DIGESTS))
def test_real_files_read_by_columns_give_what_fitdecode_gave(name: str) -> None:
    path = VALIDATION / name
    if not path.is_file():
        pytest.skip(f"../shared/validation/{name} is not present")
    got = read_columns(path)
    if got is None:  # left to fitdecode: a record field the columnar reader does not read
        assert name in {"fit_public_repos/goldencheetah/FR55-CoreTemp-Walk.fit", _COMPRESSED}
        got = decode_fit(path, source=name)
    assert digest(got) == DIGESTS[name]


_COMPRESSED = "fit_running_files_fitdecode/compressed-speed-distance.fit"


@pytest.mark.parametrize(
    "name", ["fit_running_files_fitdecode/garmin-fenix-5-run.fit", "fit_public_repos/workoutizer/with_nones.fit"]
)
def test_small_real_files_read_by_columns_are_what_fitdecode_decodes_now(name: str) -> None:
    path = VALIDATION / name
    if not path.is_file():
        pytest.skip(f"../shared/validation/{name} is not present")
    assert _compare(path) is not None
