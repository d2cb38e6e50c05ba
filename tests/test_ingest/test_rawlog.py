"""The crash-safe raw log and the session header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.errors import DataError
from calfload.ingest.gatt import Channel
from calfload.ingest.rawlog import (
    LOG_FILE,
    LOG_MAGIC,
    LogReadReport,
    OutputError,
    RawLogWriter,
    RawRecord,
    SessionHeader,
    create_session,
    encode_record,
    read_raw_log,
    read_session,
)


def _header() -> SessionHeader:
    start = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    return SessionHeader(device="sim:polar", activity="calf_raise", start_utc=start, start_monotonic_ns=5)


def test_session_header_round_trip(tmp_path: Path) -> None:
    create_session(tmp_path / "rec", _header())
    assert read_session(tmp_path / "rec") == _header()


def test_a_folder_holds_one_recording(tmp_path: Path) -> None:
    create_session(tmp_path, _header())
    with pytest.raises(OutputError, match="already holds a recording"):
        create_session(tmp_path, _header())


def test_a_file_in_the_way_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="choose another `out`") as info:
        create_session(blocker / "rec", _header())
    assert "\n" not in str(info.value)


def test_records_round_trip_and_a_torn_tail_is_ignored(tmp_path: Path) -> None:
    writer = RawLogWriter(tmp_path)
    writer.append(10, Channel.PMD_DATA, b"\x02abc")
    writer.event(11, "connected", name="x")
    writer.flush()
    writer.append(12, Channel.PMD_DATA, b"\x02" * 40)
    writer.close()
    path = tmp_path / LOG_FILE
    whole = path.read_bytes()
    path.write_bytes(whole[:-7])  # a crash in the middle of the last record
    report = LogReadReport()
    records = list(read_raw_log(path, report))
    assert [(r.host_ns, r.channel) for r in records] == [(10, Channel.PMD_DATA), (11, Channel.EVENT)]
    assert records[1].event() == {"event": "connected", "name": "x"}
    assert report.torn_tail_bytes > 0


def test_a_damaged_last_record_is_a_torn_tail(tmp_path: Path) -> None:
    writer = RawLogWriter(tmp_path)
    for i in range(3):
        writer.append(i, Channel.RSC_MEASUREMENT, bytes([4, 0, 3, 180]))
    writer.close()
    path = tmp_path / LOG_FILE
    data = bytearray(path.read_bytes())
    data[-2] ^= 0xFF
    path.write_bytes(bytes(data))
    report = LogReadReport()
    assert len(list(read_raw_log(path, report))) == 2
    assert report.damaged == []
    assert report.torn_tail_bytes == len(encode_record(2, Channel.RSC_MEASUREMENT, bytes([4, 0, 3, 180])))


def _log_bytes(n: int) -> tuple[bytes, list[tuple[int, int, RawRecord]]]:
    """A raw log of ``n`` records of varied sizes and channels; with each record's byte span."""
    data = bytearray(LOG_MAGIC)
    spans = []
    for i in range(n):
        record = RawRecord(
            1_000_000 * i,
            [Channel.PMD_DATA, Channel.EVENT, Channel.RSC_MEASUREMENT][i % 3],
            bytes([i % 251]) * (5 + i % 40),
        )
        start = len(data)
        data += encode_record(record.host_ns, record.channel, record.payload)
        spans.append((start, len(data), record))
    return bytes(data), spans


def test_one_flipped_bit_loses_one_record_not_the_rest(tmp_path: Path) -> None:
    data, spans = _log_bytes(400)
    start, end, lost = spans[40]  # 10 % into the file
    damaged = bytearray(data)
    damaged[start + 2] ^= 0x10  # the length field
    path = tmp_path / LOG_FILE
    path.write_bytes(bytes(damaged))
    report = LogReadReport()
    records = list(read_raw_log(path, report))
    assert records == [r for _, _, r in spans if r is not lost]
    assert report.damaged == [(start, end - start)]
    assert report.torn_tail_bytes == 0
    note = report.note()
    assert note is not None
    assert "skipped" in note
    assert "cut short" not in note


@given(
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.sampled_from(["flip", "overwrite", "delete", "insert"]),
            st.binary(min_size=1, max_size=30),
        ),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=150)
def test_any_damage_keeps_every_intact_record(
    tmp_path_factory: pytest.TempPathFactory, damage: list[tuple[float, str, bytes]]
) -> None:
    data, spans = _log_bytes(60)
    buf = bytearray(data)
    touched: list[tuple[int, int]] = []  # byte ranges of the original file the damage touched
    # Apply from the end backwards so that earlier offsets still refer to the original file.
    for where, kind, blob in sorted(damage, reverse=True):
        at = len(LOG_MAGIC) + int(where * (len(data) - len(LOG_MAGIC) - 1))
        if any(at < y and x < at + len(blob) + 1 for x, y in touched):
            continue  # one edit per place, so each range below is in the original file's offsets
        if kind == "flip":
            buf[at] ^= blob[0] | 1
        elif kind == "overwrite":
            buf[at : at + len(blob)] = blob
        elif kind == "delete":
            del buf[at : at + len(blob)]
        else:
            buf[at:at] = blob  # pushed into the record that held byte ``at``
        touched.append((at, at + (1 if kind in ("flip", "insert") else len(blob))))
    path = tmp_path_factory.mktemp("log") / LOG_FILE
    path.write_bytes(bytes(buf))
    report = LogReadReport()
    records = list(read_raw_log(path, report))
    intact = [r for a, b, r in spans if not any(a < y and x < b for x, y in touched)]
    assert [r for r in records if r in intact] == intact
    assert len(records) <= len(spans)


def test_full_disk_is_an_output_error(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    (tmp_path / LOG_FILE).symlink_to("/dev/full")
    writer = RawLogWriter(tmp_path)
    writer.append(1, Channel.PMD_DATA, b"\x02")
    with pytest.raises(OutputError, match="disk is full"):
        writer.flush()


def test_not_a_log(tmp_path: Path) -> None:
    (tmp_path / LOG_FILE).write_bytes(b"hello")
    with pytest.raises(DataError, match="not a calfload raw log"):
        list(read_raw_log(tmp_path / LOG_FILE))
    with pytest.raises(DataError, match="no calfload recording"):
        read_session(tmp_path)
