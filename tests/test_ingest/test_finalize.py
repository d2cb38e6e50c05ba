"""Finalising damaged raw logs: every intact record is kept, nothing but a DataError escapes.

The logs are built the way the recorder writes them (events, control-point replies, PMD frames
from the project's own encoder, heart-rate notifications), with BLE-like receive latency, so the
expected content of the recording is known exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.cli import main
from calfload.errors import CalfloadWarning, DataError
from calfload.ingest.finalize import finalize_session, host_times_in_order
from calfload.ingest.gatt import Channel
from calfload.ingest.pmd import encode_control_point_response, encode_pmd_frame
from calfload.ingest.rawlog import (
    LOG_FILE,
    LOG_MAGIC,
    SESSION_FILE,
    RawRecord,
    SessionHeader,
    encode_event,
    encode_record,
)
from calfload.recording import read_parquet
from tests.test_ingest.conftest import recorder_facts

RATE_HZ = 52.0
PERIOD_NS = round(1e9 / RATE_HZ)
FRAME = 10  # samples per PMD frame
FRAMES = 60  # per stream: 600 samples, 11.5 s
HOST0_NS = 10**12


def _records() -> list[RawRecord]:
    """A clean session: connect, start both PMD streams, alternate frames, heart rate each second."""
    ev = Channel.EVENT
    out = [
        RawRecord(HOST0_NS, ev, encode_event("connected", name="Polar Sense X", address="A0:9E:1A:00:00:09")),
        RawRecord(HOST0_NS + 1, ev, encode_event("pmd_start", measurement=2, rate_hz=52, resolution_bits=16)),
        RawRecord(HOST0_NS + 2, Channel.PMD_CONTROL_POINT, encode_control_point_response(2, 2)),
        RawRecord(HOST0_NS + 3, ev, encode_event("pmd_start", measurement=5, rate_hz=52, resolution_bits=16)),
        RawRecord(HOST0_NS + 4, Channel.PMD_CONTROL_POINT, encode_control_point_response(2, 5, factor=0.06103516)),
        RawRecord(HOST0_NS + 5, ev, encode_event("device", model="Polar Sense")),
    ]
    rng = np.random.default_rng(7)
    for k in range(FRAMES):
        first = k * FRAME
        stamp = (first + FRAME - 1) * PERIOD_NS
        host = HOST0_NS + 10**8 + stamp + int(rng.uniform(5e6, 60e6))
        i = np.arange(first, first + FRAME)
        acc = np.column_stack([np.round(50 * np.sin(i / 9)), i % 7, np.full(FRAME, 1000)])
        gyr = np.column_stack([np.round(200 * np.cos(i / 11)), -(i % 5), i % 3])
        out.append(RawRecord(host, Channel.PMD_DATA, encode_pmd_frame(2, stamp, acc, frame_type=0x81)))
        out.append(RawRecord(host + 10**5, Channel.PMD_DATA, encode_pmd_frame(5, stamp, gyr, frame_type=0x80)))
        if k % 5 == 0:
            out.append(RawRecord(host + 2 * 10**5, Channel.HEART_RATE_MEASUREMENT, bytes([0, 60 + k % 9])))
    out.append(RawRecord(out[-1].host_ns + 10**6, ev, encode_event("stopped")))
    return out


def _write(folder: Path, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    header = SessionHeader(
        device="sim:polar",
        activity="calf_raise",
        start_utc=dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC),
        start_monotonic_ns=HOST0_NS,
    )
    (folder / SESSION_FILE).write_text(header.to_json())
    (folder / LOG_FILE).write_bytes(data)
    return folder


def _encode(records: list[RawRecord]) -> tuple[bytes, list[tuple[int, int]]]:
    data = bytearray(LOG_MAGIC)
    spans = []
    for r in records:
        start = len(data)
        data += encode_record(r.host_ns, r.channel, r.payload)
        spans.append((start, len(data)))
    return bytes(data), spans


RECORDS = _records()
CLEAN, SPANS = _encode(RECORDS)


def test_the_clean_log_finalises_into_every_sample(tmp_path: Path) -> None:
    result = finalize_session(_write(tmp_path, CLEAN))
    imu = next(r for r in result.recordings if r.meta.kind == "imu")
    # Every accelerometer sample, but the last: the gyroscope's two clocks lines differ by a hair
    # and acceleration is kept only where the gyroscope can be interpolated.
    assert len(imu.data) == FRAMES * FRAME - 1
    assert imu.meta.gaps == ()
    assert result.notes == ()


@pytest.mark.parametrize("stamp", [2**63, 2**64 - 1, (300 + 9) * PERIOD_NS + 86_400 * 10**9])
def test_one_misdated_frame_is_rejected_and_recover_saves_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stamp: int
) -> None:
    records = list(RECORDS)
    k = next(i for i, r in enumerate(records) if r.channel == Channel.PMD_DATA and r.payload[0] == 2) + 60
    bad = records[k].payload[:1] + stamp.to_bytes(8, "little") + records[k].payload[9:]
    records.insert(k, RawRecord(records[k].host_ns - 1, Channel.PMD_DATA, bad))  # an extra, malformed frame
    folder = _write(tmp_path / "rec", _encode(records)[0])
    assert main(["--data-dir", str(tmp_path / "none"), "recover", str(folder)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    imu = read_parquet(folder / "imu.parquet")
    assert len(imu.data) == FRAMES * FRAME - 1  # as from the clean log
    assert imu.meta.gaps == ()
    assert recorder_facts(imu).bad_notifications == 1
    assert recorder_facts(imu).duplicates_dropped == 0


def _imu_rows(folder: Path) -> np.ndarray:
    with warnings.catch_warnings():  # a damaged frame may make finalising warn: printed, not raised
        warnings.simplefilter("ignore", CalfloadWarning)
        result = finalize_session(folder)
    imu = next(r for r in result.recordings if r.meta.kind == "imu")
    return imu.data.to_numpy()


@given(st.lists(st.tuples(st.integers(len(LOG_MAGIC), len(CLEAN) - 1), st.integers(0, 255)), min_size=1, max_size=5))
@settings(max_examples=25)
def test_byte_damage_keeps_every_intact_record(
    tmp_path_factory: pytest.TempPathFactory, damage: list[tuple[int, int]]
) -> None:
    data = bytearray(CLEAN)
    for at, value in damage:
        data[at] = value
    hit = {i for i, (a, b) in enumerate(SPANS) for at, _ in damage if a <= at < b and CLEAN[at] != data[at]}
    intact = [r for i, r in enumerate(RECORDS) if i not in hit]
    damaged = _write(tmp_path_factory.mktemp("damaged"), bytes(data))
    reference = _write(tmp_path_factory.mktemp("intact"), _encode(intact)[0])
    try:
        expected = _imu_rows(reference)
    except (DataError, StopIteration):  # a start event or reply was hit: no IMU either way
        with pytest.raises((DataError, StopIteration)):
            _imu_rows(damaged)
        return
    np.testing.assert_array_equal(_imu_rows(damaged), expected)
    note = " ".join(finalize_session(damaged).notes)
    if max(hit, default=-1) < len(RECORDS) - 1 and hit:
        assert "skipped" in note
        assert "cut short" not in note


_MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(0, 7)),
    st.tuples(st.just("cut"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("byte"), st.integers(0, 10**6), st.integers(0, 255)),
    st.tuples(st.just("host"), st.integers(-(2**62), 2**62), st.just(0)),
)


@given(st.lists(st.tuples(st.integers(0, len(RECORDS) - 1), _MUTATION), min_size=1, max_size=3))
@settings(max_examples=60)
def test_any_record_content_finalises_or_is_a_data_error(
    tmp_path_factory: pytest.TempPathFactory, mutations: list[tuple[int, tuple[str, int, int]]]
) -> None:
    """Mutated contents under valid checksums: samples or a DataError, and data frames lost one by one."""
    records = list(RECORDS)
    for k, (kind, where, value) in mutations:
        r = records[k]
        payload = bytearray(r.payload)
        host = r.host_ns
        if kind == "host":
            host = max(-(2**63), min(2**63 - 1, host + where))
        elif payload and kind == "flip":
            payload[where % len(payload)] ^= 1 << value
        elif kind == "cut":
            payload = payload[: where % (len(payload) + 1)]
        elif payload:
            payload[where % len(payload)] = value
        records[k] = RawRecord(host, r.channel, bytes(payload))
    folder = _write(tmp_path_factory.mktemp("mutated"), _encode(records)[0])
    try:
        with warnings.catch_warnings():  # a damaged frame may make finalising warn: printed, not raised
            warnings.simplefilter("ignore", CalfloadWarning)
            result = finalize_session(folder)
    except DataError:
        return
    touched = {k for k, _ in mutations}
    if all(RECORDS[k].channel == Channel.PMD_DATA for k in touched):
        imu = next(r for r in result.recordings if r.meta.kind == "imu")
        # Each damaged frame costs at most its own samples plus half a second beside it.
        assert len(imu.data) >= FRAMES * FRAME - len(touched) * (FRAME + RATE_HZ / 2)


def test_receive_times_out_of_order_are_single_records() -> None:
    host = np.arange(30, dtype=np.int64) * 10**8
    host[[0, 7, 29]] = [2**62, -(2**62), 10**15]
    host[15:] += 600 * 10**9  # a ten-minute silence: genuine
    ok = host_times_in_order(host)
    assert np.flatnonzero(~ok).tolist() == [0, 7, 29]


_GOOD_HEADER = {"format": "calfload-session/1", "device": "x", "start_utc": "2026-01-01T00:00:00+00:00"}


@pytest.mark.parametrize(
    "text",
    [
        "[" * 200_000 + "]" * 200_000,
        "[1, 2]",
        "{not json",
        json.dumps({**_GOOD_HEADER, "start_monotonic_ns": "soon"}),
        json.dumps({**_GOOD_HEADER, "start_monotonic_ns": 1, "start_utc": "2026-01-01T00:00:00"}),
        json.dumps({**_GOOD_HEADER, "start_monotonic_ns": 1, "time_scale": -1}),
        json.dumps({**_GOOD_HEADER, "start_monotonic_ns": 1, "rate_hz": 10**400}),
        json.dumps({**_GOOD_HEADER, "start_monotonic_ns": 1, "faults": [{"a": 1}]}),
        json.dumps({**_GOOD_HEADER, "start_monotonic_ns": 1, "side": "left" * 10_000_000}),
    ],
)
def test_a_damaged_session_header_is_one_line_in_recover(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    folder = _write(tmp_path / "rec", CLEAN)
    (folder / SESSION_FILE).write_text(text)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(["--data-dir", str(tmp_path / "none"), "recover", str(folder)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "session header is damaged" in err[0] or "not a calfload session header" in err[0]
    assert len(err[0]) < 400
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_header_round_trips_through_the_checks() -> None:
    header = SessionHeader(
        device="sim:polar",
        added_load_kg=10,
        rate_hz=52.0,
        start_utc=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        start_monotonic_ns=5,
        faults=("stall@1s:1s",),
    )
    assert SessionHeader.from_json(header.to_json(), source="x") == header
    assert json.loads(header.to_json())["format"] == "calfload-session/1"
