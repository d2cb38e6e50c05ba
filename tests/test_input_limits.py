"""Hostile input sizes: refused in one line before any array is sized from them, never an internal error.

Each file here broke a command before: a stray sample hours away sized the analysis grid by the
time span (8.2 GB for a 49 KB CSV), one long line sized pandas' buffers (9.7 GB for a 1 GB file),
deep or huge metadata crashed the JSON parser or the float conversion, a million FIT records took
141 s and 1.3 GB.
"""

from __future__ import annotations

import re
import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calfload.cli import MAX_MESSAGE_CHARS, main
from calfload.errors import DataError, SchemaError
from calfload.ingest import fit, fit_messages
from calfload.recording import MAX_CSV_LINE_BYTES, read_csv
from calfload.schema import ACC_MPS2, GYR_DPS, SCHEMA_VERSION, T_S, RecordingMeta
from tools.validate_fit_corrupt import with_checksums

RATE_HZ = 100.0


def _imu_csv(path: Path, t_s: np.ndarray, header: str | None = None) -> Path:
    frame = pd.DataFrame({T_S: t_s})
    for name in (*ACC_MPS2, *GYR_DPS):
        frame[name] = 0.0
    frame[ACC_MPS2[2]] = 9.81
    with path.open("w", encoding="utf-8") as fh:
        if header is not None:
            fh.write(f"# calfload: {header}\n")
        frame.to_csv(fh, index=False)
    return path


def _steady(duration_s: float) -> np.ndarray:
    return np.arange(round(duration_s * RATE_HZ)) / RATE_HZ


@pytest.mark.parametrize("stray_s", [3e5, 3e6, 1e12])
def test_a_stray_sample_hours_away_is_refused_before_any_grid(tmp_path: Path, stray_s: float) -> None:
    path = _imu_csv(tmp_path / "stray.csv", np.append(_steady(20.0), stray_s))
    tracemalloc.start()
    with pytest.raises(DataError, match=r"t_s jumps by .* between rows 1999 and 2000") as info:
        read_csv(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "split the file at the gap" in str(info.value)
    assert peak < 50e6  # the old grid over the span asked for gigabytes


def test_a_file_that_is_mostly_gaps_is_refused(tmp_path: Path) -> None:
    # 20 s of data, then 20 s more two hours later: a grid over the span is 360 times the samples.
    t = np.concatenate([_steady(20.0), 7200.0 + _steady(20.0)])
    with pytest.raises(DataError, match="mostly gaps"):
        read_csv(_imu_csv(tmp_path / "gappy.csv", t))


def test_spans_longer_than_two_days_are_refused(tmp_path: Path) -> None:
    t = np.arange(0.0, 50 * 3600.0, 30.0)  # a sample every 30 s for 50 h: no gap, but three sessions' worth
    with pytest.raises(DataError, match="spans 50 h"):
        read_csv(_imu_csv(tmp_path / "long.csv", t))


def test_real_pauses_are_kept(tmp_path: Path) -> None:
    # Ten minutes, a five-minute pause, ten more minutes: a session with a break, as recorded.
    t = np.concatenate([_steady(600.0), 900.0 + _steady(600.0)])
    assert len(read_csv(_imu_csv(tmp_path / "pause.csv", t)).data) == t.size


def test_a_gigabyte_one_line_csv_is_refused_reading_one_chunk(tmp_path: Path) -> None:
    path = tmp_path / "one_line.csv"
    with path.open("wb") as fh:
        fh.write(b"t_s,acc_x_mps2,")
        fh.truncate(1 << 30)  # 1 GiB without a line break (sparse: no disk needed)
    tracemalloc.start()
    with pytest.raises(DataError, match=r"line 1 is longer than 64 KB") as info:
        read_csv(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20e6
    assert len(str(info.value)) < 300


def test_a_gigabyte_one_line_csv_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one_line.csv"
    with path.open("wb") as fh:
        fh.write(b"time,ax,ay,az,")
        fh.truncate(1 << 30)
    tracemalloc.start()
    code = main(["analyze", str(path)])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    err = capsys.readouterr().err
    assert code == 3
    assert "line 1 is longer than 64 KB" in err
    assert peak < 20e6  # the whole file was read into memory before


@pytest.mark.parametrize("row", [5, 2000])
def test_the_long_line_is_named_wherever_it_is(tmp_path: Path, row: int) -> None:
    path = _imu_csv(tmp_path / "field.csv", _steady(30.0))
    lines = path.read_text().splitlines()
    lines[row - 1] = lines[row - 1] + "," + "9" * (MAX_CSV_LINE_BYTES + 10)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=f"line {row} is longer than"):
        read_csv(path)


def test_error_messages_are_capped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _imu_csv(tmp_path / "word.csv", _steady(30.0))
    lines = path.read_text().splitlines()
    lines[3] = "x" * 60_000 + lines[3][1:]  # a long non-numeric field under the line limit
    path.write_text("\n".join(lines) + "\n")
    assert main(["analyze", str(path)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert len(err) <= MAX_MESSAGE_CHARS + len("calfload: error: \n")


DEEP = "[" * 200_000 + "]" * 200_000


def _doc(rate: str = "100", kind: str = '"imu"', more: str = "") -> str:
    """Hand-written metadata JSON (the hostile parts are text, as in a file)."""
    head = f'{{"schema_version": "{SCHEMA_VERSION}", "kind": {kind}, "sample_rate_hz": {rate}'
    return head + f', "start_utc": "2024-05-06T07:00:00+00:00"{more}}}'


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        (_doc(more=f', "x": {DEEP}'), "KB long"),
        (_doc(more=', "x": [[[[[[[[[[1]]]]]]]]]]'), "nested more than 8 levels"),
        (_doc(more=', "x": ' + "[" * 5000 + "]" * 5000), "nested too deeply"),
        (_doc(rate="1" + "0" * 400), "malformed value"),
        (_doc(rate="1" + "0" * 5000), "not valid JSON"),
        (_doc(more=', "exercise": {"a": 1}'), "exercise is {'a': 1}"),
        (_doc(kind='{"a": 1}'), "kind is {'a': 1}"),
        (_doc(more=', "note": "' + "n" * 5000 + '"'), "5000-character text"),
    ],
)
def test_hostile_metadata_is_a_schema_error(doc: str, words: str) -> None:
    with pytest.raises(SchemaError, match=re.escape(words)):
        RecordingMeta.from_json(doc, source="f.parquet")


def test_metadata_within_the_limits_is_read() -> None:
    meta = RecordingMeta.from_json(_doc(more=', "x": [[[[[[1]]]]]], "note": "' + "n" * 900 + '"'), source="f")
    assert dict(meta.unrecognised)["x"] == "[[[[[[1]]]]]]"  # kept as its JSON text, read by no analysis


def test_hostile_metadata_through_import_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = '{"kind": "imu", "sample_rate_hz": 100, "start_utc": "2024-05-06T07:00:00+00:00", "exercise": {"a": 1}}'
    path = _imu_csv(tmp_path / "obj.csv", _steady(30.0), header=header)
    code = main(["--data-dir", str(tmp_path / "j"), "import", str(path)])
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith("calfload: error: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["log", "session", "99999999999999999999", "--added-load-kg", "5"], "there is no session"),
        (["review", "--date", "0001-01-01"], "dates must be from 2000-01-01"),
        (["report", "--session", "99999999999999999999"], "session id"),
        (["log", "pain", "--during", "3", "--date", "9999-12-31"], "dates must be from 2000-01-01"),
    ],
)
def test_ids_and_dates_out_of_range_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    code = main(["--data-dir", str(tmp_path / "j"), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert words in err
    assert "internal error" not in err


# ---------------------------------------------------------------------------------------------- FIT


def _fit_run(records: int) -> bytes:
    """A minimal valid FIT activity: file_id, a running session, ``records`` record messages (time, cadence)."""
    body = bytearray()
    # Local 0: file_id (global 0) with type (field 0, enum) = 4 (activity).
    body += bytes([0x40, 0, 0]) + struct.pack("<HB", 0, 1) + bytes([0, 1, 0x00]) + bytes([0x00, 4])
    # Local 1: session (global 18) with sport (field 5, enum) = 1 (running).
    body += bytes([0x41, 0, 0]) + struct.pack("<HB", 18, 1) + bytes([5, 1, 0x00]) + bytes([0x01, 1])
    # Local 2: record (global 20) with timestamp (253, uint32) and cadence (4, uint8).
    body += bytes([0x42, 0, 0]) + struct.pack("<HB", 20, 2) + bytes([253, 4, 0x86, 4, 1, 0x02])
    start = 1_000_000_000  # seconds since 1989-12-31: 2021
    row = struct.Struct("<BIB")
    body += b"".join(row.pack(0x02, start + i, 85) for i in range(records))
    # A 14-byte header (its size and both checksums are filled in; the CRC is checked against a
    # device's own file in test_validate_fit_cli).
    return with_checksums(struct.pack("<BBHI4sH", 14, 0x20, 2100, 0, b".FIT", 0), bytes(body))


def test_fit_files_are_bounded_by_their_record_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = tmp_path / "run.fit"
    small.write_bytes(_fit_run(600))
    (rec,) = fit.read_fit(small)
    assert len(rec.data) == 600  # the writer above makes files the reader takes
    monkeypatch.setattr(fit_messages, "MAX_FIT_RECORDS", 500)  # the real limit is 200,000: too slow to decode in a test
    with pytest.raises(DataError, match="more than 500 records"):
        fit.read_fit(small)
