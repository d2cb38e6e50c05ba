"""The crash-safe raw log and the session header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calfload.errors import DataError
from calfload.ingest.gatt import Channel
from calfload.ingest.rawlog import (
    LOG_FILE,
    LogReadReport,
    OutputError,
    RawLogWriter,
    SessionHeader,
    create_session,
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
    with pytest.raises(OutputError, match="choose another --out") as info:
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


def test_a_damaged_record_ends_the_log(tmp_path: Path) -> None:
    writer = RawLogWriter(tmp_path)
    for i in range(3):
        writer.append(i, Channel.RSC_MEASUREMENT, bytes([4, 0, 3, 180]))
    writer.close()
    path = tmp_path / LOG_FILE
    data = bytearray(path.read_bytes())
    data[-2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert len(list(read_raw_log(path))) == 2


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
