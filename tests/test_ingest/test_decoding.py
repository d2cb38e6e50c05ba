"""SessionDecoder: per-sample PMD times, duplicates, gaps, malformed notifications."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from calfload.ingest.decoding import MPS2_PER_MG, SessionDecoder
from calfload.ingest.gatt import Channel
from calfload.ingest.pmd import MeasurementType, encode_control_point_response, encode_pmd_frame

RATE = 52.0
PERIOD_NS = round(1e9 / RATE)


def _event(dec: SessionDecoder, kind: str, /, **fields: object) -> None:
    dec.feed(0, Channel.EVENT, json.dumps({"event": kind, **fields}).encode())


def _started() -> SessionDecoder:
    dec = SessionDecoder()
    _event(dec, "connected", name="x", address="y")
    _event(dec, "pmd_start", measurement=2, rate_hz=RATE, resolution_bits=16, channels=3)
    dec.feed(1, Channel.PMD_CONTROL_POINT, encode_control_point_response(2, 2))
    return dec


def _frame(first: int, n: int) -> bytes:
    samples = np.column_stack([np.arange(first, first + n)] * 3)
    return encode_pmd_frame(MeasurementType.ACC, (first + n - 1) * PERIOD_NS, samples, frame_type=0x81)


def test_consecutive_frames_give_even_sample_times() -> None:
    dec = _started()
    for first in range(0, 100, 10):
        dec.feed(first, Channel.PMD_DATA, _frame(first, 10))
    acc = dec.pmd[MeasurementType.ACC]
    times = np.concatenate(acc.device_ns)
    assert times.size == 100
    assert np.all(np.abs(np.diff(times) - PERIOD_NS) <= 1)
    assert acc.gaps_device_ns == []


def test_repeated_and_overlapping_frames_add_nothing_twice() -> None:
    dec = _started()
    dec.feed(1, Channel.PMD_DATA, _frame(0, 10))
    dec.feed(2, Channel.PMD_DATA, _frame(0, 10))  # duplicate delivery
    _event(dec, "connected", name="x", address="y")  # reconnect: the Polar rule forgets the previous frame
    dec.feed(3, Channel.PMD_DATA, _frame(5, 10))  # overlaps the last 5 samples
    acc = dec.pmd[MeasurementType.ACC]
    values_mg = np.concatenate(acc.values)[:, 0] / MPS2_PER_MG
    np.testing.assert_allclose(values_mg, np.arange(15), atol=1e-3)
    assert dec.stats.duplicates == 1
    assert dec.stats.reconnects == 1


def _received(first: int, n: int, latency_ns: int = 30_000_000) -> int:
    """Host receive time of a frame: its last sample's time plus a BLE latency."""
    return (first + n - 1) * PERIOD_NS + latency_ns


def test_lost_frames_leave_a_gap_not_stretched_samples() -> None:
    dec = _started()
    dec.feed(_received(0, 10), Channel.PMD_DATA, _frame(0, 10))
    dec.feed(_received(30, 10), Channel.PMD_DATA, _frame(30, 10))
    acc = dec.pmd[MeasurementType.ACC]
    times = np.concatenate(acc.device_ns)
    assert np.all(np.abs(np.diff(times)[10:] - PERIOD_NS) <= 1)
    ((start, end),) = acc.gaps_device_ns
    assert start == times[9]
    assert end == times[10]
    assert abs(end - 30 * PERIOD_NS) <= 5


def test_malformed_notifications_are_counted_and_skipped() -> None:
    dec = _started()
    dec.feed(1, Channel.PMD_DATA, b"\x02\x00")
    dec.feed(2, Channel.PMD_DATA, _frame(0, 10) + b"\x01")
    dec.feed(3, Channel.PMD_DATA, _frame(0, 10))
    dec.feed(4, Channel.RSC_MEASUREMENT, b"\x03\x00")
    dec.feed(5, Channel.PMD_DATA, encode_pmd_frame(MeasurementType.GYRO, 9, np.zeros((2, 3)), frame_type=0x80))
    assert dec.stats.bad == 4
    assert dec.pmd[MeasurementType.ACC].count == 10


def test_host_timed_duplicates_are_dropped_only_when_immediate() -> None:
    dec = SessionDecoder()
    rsc = bytes.fromhex("04 00 03 B4")
    dec.feed(0, Channel.RSC_MEASUREMENT, rsc)
    dec.feed(1_000_000, Channel.RSC_MEASUREMENT, rsc)  # 1 ms later: a duplicate delivery
    dec.feed(1_000_000_000, Channel.RSC_MEASUREMENT, rsc)  # 1 s later: a new, equal measurement
    assert dec.rsc is not None
    assert dec.rsc.count == 2
    assert dec.stats.duplicates == 1


def _stream_then_reconnect(offset_samples: int) -> SessionDecoder:
    """100 samples, a reconnect 3 s later (host), then 100 samples whose device clock is shifted."""
    dec = _started()
    host0 = 10**9
    for first in range(0, 100, 10):
        dec.feed(host0 + (first + 9) * PERIOD_NS, Channel.PMD_DATA, _frame(first, 10))
    _event(dec, "connected", name="x", address="y")
    for first in range(100, 200, 10):
        host = host0 + 3 * 10**9 + (first + 9) * PERIOD_NS
        dec.feed(host, Channel.PMD_DATA, _frame(first + offset_samples, 10))
    return dec


def test_a_device_clock_reset_after_a_reconnect_keeps_the_rest_of_the_session() -> None:
    from calfload.ingest.timeline import _pmd_host

    dec = _stream_then_reconnect(offset_samples=-95)  # the clock restarted near zero
    acc = dec.pmd[MeasurementType.ACC]
    assert acc.count == 200
    assert acc.clock_segments == [10]
    assert any("clock jumped back" in note for note in acc.notes)
    t, _values, gaps = _pmd_host(acc)
    assert t.size == 200
    assert np.all(np.diff(t) > 0)
    ((start, end),) = gaps
    assert 2.9 < (end - start) / 1e9 < 3.2


def test_a_device_clock_jump_forward_after_a_reconnect_is_a_new_clock() -> None:
    from calfload.ingest.timeline import _pmd_host

    dec = _stream_then_reconnect(offset_samples=52 * 3600)  # an hour ahead after 3 s
    acc = dec.pmd[MeasurementType.ACC]
    assert acc.clock_segments == [10]
    t, _values, gaps = _pmd_host(acc)
    assert t.size == 200
    ((start, end),) = gaps
    assert 2.9 < (end - start) / 1e9 < 3.2


def test_a_reconnect_on_the_same_clock_is_one_clock() -> None:
    dec = _stream_then_reconnect(offset_samples=3 * 52)  # the device clock ran on during the 3 s
    acc = dec.pmd[MeasurementType.ACC]
    assert acc.clock_segments == []
    assert acc.count == 200
    assert len(acc.gaps_device_ns) == 1


def _stamped(timestamp_ns: int, n: int = 10) -> bytes:
    return encode_pmd_frame(MeasurementType.ACC, timestamp_ns, np.ones((n, 3), dtype=np.int64), frame_type=0x81)


def _feed_run(dec: SessionDecoder, frames: range, bad_at: int, bad: bytes) -> None:
    for k in frames:
        first = 10 * k
        dec.feed(_received(first, 10), Channel.PMD_DATA, bad if k == bad_at else _frame(first, 10))


def test_an_impossible_timestamp_is_one_bad_frame_not_the_stream() -> None:
    dec = _started()
    _feed_run(dec, range(70), 30, _stamped(2**64 - 1))
    acc = dec.pmd[MeasurementType.ACC]
    assert dec.stats.bad == 1
    assert "impossible" in dec.stats.last_error
    assert acc.count == 690
    assert len(acc.gaps_device_ns) == 1  # the rejected frame's ten samples


def test_a_frame_dated_a_day_ahead_is_rejected_alone() -> None:
    dec = _started()
    _feed_run(dec, range(70), 30, _stamped(31 * 10 * PERIOD_NS + 86_400 * 10**9))
    acc = dec.pmd[MeasurementType.ACC]
    assert dec.stats.bad == 1
    assert dec.stats.duplicates == 0
    assert acc.count == 690
    assert acc.clock_segments == []
    times = np.concatenate(acc.device_ns)
    assert times[-1] == 699 * PERIOD_NS


def test_a_frame_dated_a_day_back_is_rejected_alone() -> None:
    dec = _started()
    _feed_run(dec, range(70), 30, _stamped(PERIOD_NS))
    acc = dec.pmd[MeasurementType.ACC]
    assert acc.count == 690
    assert acc.clock_segments == []


def test_a_clock_jump_within_a_connection_is_confirmed_by_the_frames_after_it() -> None:
    dec = _started()
    for k in range(20):
        dec.feed(_received(10 * k, 10), Channel.PMD_DATA, _frame(10 * k, 10))
    jump_ns = 3600 * 10**9  # the sensor's clock is set an hour forward; its frames keep coming
    for k in range(20, 40):
        host = _received(10 * k, 10)
        samples = np.column_stack([np.arange(10 * k, 10 * k + 10)] * 3)
        stamp = jump_ns + (10 * k + 9) * PERIOD_NS
        dec.feed(host, Channel.PMD_DATA, encode_pmd_frame(MeasurementType.ACC, stamp, samples, frame_type=0x81))
    acc = dec.pmd[MeasurementType.ACC]
    assert acc.count == 400  # the frames held back until confirmed are kept too
    assert acc.clock_segments == [20]
    assert any("during the recording" in note for note in acc.notes)
    values_mg = np.concatenate(acc.values)[:, 0] / MPS2_PER_MG
    np.testing.assert_allclose(values_mg, np.arange(400), atol=1e-3)


def test_a_late_frame_before_a_loss_does_not_make_the_next_frame_a_new_clock() -> None:
    """A busy host reads the last frame before a 1.5 s loss 0.7 s late and the first after it
    promptly: against that late frame alone the next one looks 0.8 s early (a jump forward);
    against the recent frames' earliest arrivals it is on time, and the loss is a gap."""
    dec = _started()
    for k in range(10):
        late = 700_000_000 if k == 9 else 30_000_000
        dec.feed(_received(10 * k, 10, late), Channel.PMD_DATA, _frame(10 * k, 10))
    lost = round(1.5 * RATE)
    for k in range(10, 20):
        dec.feed(_received(10 * k + lost, 10), Channel.PMD_DATA, _frame(10 * k + lost, 10))
    acc = dec.pmd[MeasurementType.ACC]
    assert acc.clock_segments == []
    assert acc.notes == []
    assert acc.count == 200
    ((start_ns, end_ns),) = acc.gaps_device_ns
    assert abs((end_ns - start_ns) - (lost + 1) * PERIOD_NS) <= 10  # ns of rounding


def test_a_damaged_recorder_event_is_counted_not_raised() -> None:
    dec = SessionDecoder()
    for fields in ({"measurement": 2, "rate_hz": 0}, {"measurement": "x", "rate_hz": 52}, {"rate_hz": 1e300}):
        _event(dec, "pmd_start", **fields)
    _event(dec, "witmotion_rate", rate_hz=[1])
    _event(dec, "connected", name={"a": 1}, address=7)
    assert dec.stats.bad == 4
    assert dec.pmd == {}
    assert dec.device == {"name": None, "address": None}


_RECORD = st.tuples(
    st.integers(0, 7),  # every channel, and two the log does not know
    st.one_of(
        st.binary(max_size=60),
        st.sampled_from([_frame(0, 10), encode_control_point_response(2, 5, factor=0.06)]).map(
            lambda b: b[:-1] + b"\x00"
        ),
        st.dictionaries(
            st.sampled_from(["event", "measurement", "rate_hz", "channels", "model"]),
            st.integers(-5, 500) | st.text(max_size=5),
        ).map(lambda d: json.dumps(d).encode()),
    ),
    st.integers(0, 10**10),
)


@given(st.lists(_RECORD, max_size=40))
def test_any_records_decode_without_raising_and_build_or_refuse(records: list[tuple[int, bytes, int]]) -> None:
    """The decoder swallows malformed input record by record; building a recording from whatever
    it holds gives recordings or the project's DataError, never another exception."""
    from calfload.errors import DataError
    from calfload.ingest.rawlog import SessionHeader
    from calfload.ingest.timeline import build_recordings

    dec = _started()
    _event(dec, "pmd_start", measurement=5, rate_hz=RATE, resolution_bits=16, channels=3)
    for channel, payload, host in sorted(records, key=lambda r: r[2]):
        dec.feed(host, channel, payload)
    header = SessionHeader(device="sim:polar", start_utc=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), start_monotonic_ns=0)
    with contextlib.suppress(DataError):
        build_recordings(dec, header)


def test_a_float_frame_with_nan_values_is_rejected_alone() -> None:
    dec = _started()
    _event(dec, "pmd_start", measurement=5, rate_hz=RATE, resolution_bits=32, channels=3)
    nan_bits = np.full((10, 3), 0x7FC00000, dtype=np.int64)  # float32 NaN
    bad = encode_pmd_frame(MeasurementType.GYRO, 9 * PERIOD_NS, nan_bits, frame_type=0x81, resolution_bits=32)
    dec.feed(_received(0, 10), Channel.PMD_DATA, bad)
    assert dec.stats.bad == 1
    assert "non-finite" in dec.stats.last_error
    assert dec.pmd[MeasurementType.GYRO].count == 0
