"""PMD control point and ACC/GYRO frames: Polar's published vectors, round trips, random bytes."""

from __future__ import annotations

import contextlib
import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from calfload.errors import DecodeError
from calfload.ingest.pmd import (
    ControlPointResponse,
    Features,
    MeasurementType,
    StoppedByDevice,
    StreamSettings,
    decode_control_point,
    decode_pmd_frame,
    encode_control_point_response,
    encode_pmd_frame,
    parse_start_request,
    start_request,
)

# Frames from shared/reference/ingest.md (Polar BLE SDK unit tests, decoded independently there).
RAW_ACC = "02 00 94 35 77 00 00 00 00 01 F7 FF FF FF E7 03 F8 FF FE FF E5 03"
DELTA_ACC = "02 65 00 00 00 00 00 00 00 81 F1 FF 14 00 F0 03 06 01 7B 0F 08"
DELTA_GYRO = "05 FF FF FF FF FF FF FF 7F 80 EA FF 08 00 0D 00 03 01 DF 00"


def test_raw_acc_frame_type_1() -> None:
    f = decode_pmd_frame(bytes.fromhex(RAW_ACC))
    assert (f.measurement_type, f.timestamp_ns, f.compressed) == (MeasurementType.ACC, 2_000_000_000, False)
    assert f.samples.tolist() == [[-9, -1, 999], [-8, -2, 997]]


def test_delta_acc_frame_6_bit_deltas() -> None:
    f = decode_pmd_frame(bytes.fromhex(DELTA_ACC))
    assert f.timestamp_ns == 101
    assert f.compressed
    assert f.samples.tolist() == [[-15, 20, 1008], [-20, 17, 1008]]


def test_delta_gyro_frame_3_bit_deltas_times_factor() -> None:
    f = decode_pmd_frame(bytes.fromhex(DELTA_GYRO), factor=0.5)
    assert f.timestamp_ns == 2**63 - 1
    assert f.samples.tolist() == [[-11.0, 4.0, 6.5], [-11.5, 5.5, 8.0]]


def test_compressed_acc_type_0_is_in_g() -> None:
    frame = encode_pmd_frame(MeasurementType.ACC, 5, np.array([[0, 0, 4096], [1, -1, 4095]]), frame_type=0x80)
    f = decode_pmd_frame(frame, factor=2.44e-4)
    np.testing.assert_allclose(f.samples[0], [0, 0, 4096 * 2.44e-4 * 1000])


def test_compressed_gyro_type_1_carries_float_bit_patterns() -> None:
    values = np.array([[1.5, -2.25, 100.0], [1.75, -2.0, 99.5]], dtype=np.float32)
    ints = values.view(np.int32).astype(np.int64)
    frame = encode_pmd_frame(MeasurementType.GYRO, 5, ints, frame_type=0x81, resolution_bits=32)
    np.testing.assert_allclose(decode_pmd_frame(frame, resolution_bits=32).samples, values)


def test_raw_int24_and_float_layouts() -> None:
    header = struct.pack("<BQB", MeasurementType.ACC, 7, 2)
    f = decode_pmd_frame(header + bytes.fromhex("FF FF FF 01 00 00 00 00 80"))
    assert f.samples.tolist() == [[-1, 1, -(2**23)]]
    header = struct.pack("<BQB", MeasurementType.GYRO, 7, 1)
    f = decode_pmd_frame(header + struct.pack("<3f", 1.5, -2.0, 250.25))
    assert f.samples.tolist() == [[1.5, -2.0, 250.25]]


@pytest.mark.parametrize(
    ("resolution", "ref_hex", "reference"),
    [
        # A reference value in the low ``resolution`` bits, upper bits zero ...
        (12, "FB 0F 64 00 00 08", [-5, 100, -2048]),
        (14, "FB 3F FF 1F 00 20", [-5, 8191, -8192]),
        (9, "FB 01 FF 00 00 01", [-5, 255, -256]),
        # ... or sign-filled to 16 bits (as encode_pmd_frame writes it): the same values.
        (12, "FB FF 64 00 00 F8", [-5, 100, -2048]),
        (14, "FB FF FF 1F 00 E0", [-5, 8191, -8192]),
    ],
)
def test_delta_reference_of_9_to_15_bits_is_sign_extended(resolution: int, ref_hex: str, reference: list[int]) -> None:
    header = struct.pack("<BQB", MeasurementType.ACC, 42, 0x81)
    # One block of 4-bit deltas (+1, -1, +2), packed LSB-first.
    frame = header + bytes.fromhex(ref_hex) + bytes.fromhex("04 01 F1 02")
    f = decode_pmd_frame(frame, resolution_bits=resolution)
    assert f.samples.tolist() == [reference, [reference[0] + 1, reference[1] - 1, reference[2] + 2]]


@pytest.mark.parametrize(
    "hex_bytes",
    [
        "",
        RAW_ACC[:20],  # header only
        RAW_ACC[:-3],  # partial sample
        DELTA_ACC[:-3],  # truncated block
        DELTA_ACC.replace("06 01", "00 01"),  # zero bit width
        DELTA_ACC.replace("06 01", "06 00"),  # empty block
        DELTA_ACC.replace("06 01", "21 01"),  # 33-bit width
        "00" + RAW_ACC[2:],  # ECG frame
        RAW_ACC[:27] + "05" + RAW_ACC[29:],  # unknown raw frame type
        RAW_ACC[:27] + "83" + RAW_ACC[29:],  # unknown compressed frame type
    ],
)
def test_malformed_frames_are_refused(hex_bytes: str) -> None:
    with pytest.raises(DecodeError):
        decode_pmd_frame(bytes.fromhex(hex_bytes))


@given(st.binary(max_size=80), st.sampled_from([8, 12, 16, 24]), st.integers(1, 4))
def test_random_frames_raise_only_decode_error(data: bytes, resolution: int, channels: int) -> None:
    with contextlib.suppress(DecodeError):
        decode_pmd_frame(data, resolution_bits=resolution, channels=channels)


@given(st.binary(min_size=1, max_size=80).map(lambda b: bytes([b[0] & 0x3F | 0x02]) + b[1:]))
def test_random_acc_like_frames_raise_only_decode_error(data: bytes) -> None:
    with contextlib.suppress(DecodeError):
        decode_pmd_frame(data)


@given(
    hnp.arrays(np.int64, st.tuples(st.integers(1, 300), st.just(3)), elements=st.integers(-32768, 32767)),
    st.integers(0, 2**64 - 1),
)
def test_delta_round_trip(samples: np.ndarray, timestamp_ns: int) -> None:
    frame = encode_pmd_frame(MeasurementType.ACC, timestamp_ns, samples, frame_type=0x81)
    if timestamp_ns >= 2**63:  # beyond a signed 64-bit time: impossible, rejected on its own
        with pytest.raises(DecodeError, match="impossible"):
            decode_pmd_frame(frame)
        return
    decoded = decode_pmd_frame(frame)
    assert decoded.timestamp_ns == timestamp_ns
    np.testing.assert_array_equal(decoded.samples, samples)


@given(st.binary(max_size=120), st.integers(1, 32), st.integers(1, 4), st.floats(-1e6, 1e6))
def test_any_bytes_with_any_settings_give_samples_or_a_decode_error(
    data: bytes, resolution: int, channels: int, factor: float
) -> None:
    try:
        frame = decode_pmd_frame(data, factor=factor, resolution_bits=resolution, channels=channels)
    except DecodeError:
        return
    assert frame.samples.ndim == 2
    assert frame.samples.shape[0] >= 1
    assert 0 <= frame.timestamp_ns < 2**63


def test_start_request_matches_published_example() -> None:
    # Verity Sense ACC 52 Hz / 16 bit / +-8 g / 3 channels (polar-ble-sdk #443).
    request = start_request(MeasurementType.ACC, StreamSettings(sample_rate_hz=52, range=8))
    assert request == bytes.fromhex("02 02 00 01 34 00 01 01 10 00 02 01 08 00 04 01 03")
    # H10 ACC 200 Hz, no channel setting.
    h10 = start_request(MeasurementType.ACC, StreamSettings(sample_rate_hz=200, range=8, channels=None))
    assert h10 == bytes.fromhex("02 02 00 01 C8 00 01 01 10 00 02 01 08 00")
    assert parse_start_request(request) == (2, {0: 52, 1: 16, 2: 8, 4: 3})


def test_control_point_messages() -> None:
    ok = decode_control_point(bytes.fromhex("F0 02 02 00 00"))
    assert isinstance(ok, ControlPointResponse)
    assert ok.ok
    assert ok.factor == 1.0
    with_factor = decode_control_point(encode_control_point_response(2, 5, factor=0.061))
    assert isinstance(with_factor, ControlPointResponse)
    assert with_factor.factor == pytest.approx(0.061)
    failed = decode_control_point(bytes.fromhex("F0 02 02 08 00"))
    assert isinstance(failed, ControlPointResponse)
    assert not failed.ok
    assert failed.status_text == "invalid sample rate"
    features = decode_control_point(bytes.fromhex("0F 25 00"))
    assert features == Features(frozenset({MeasurementType.ECG, MeasurementType.ACC, MeasurementType.GYRO}))
    assert decode_control_point(bytes.fromhex("01 02 05")) == StoppedByDevice((2, 5))


@pytest.mark.parametrize("hex_bytes", ["", "0F", "F0 02 02", "F0 02 02 00 00 05 01 00", "F0 02 02 00 00 09 01", "AA"])
def test_malformed_control_point(hex_bytes: str) -> None:
    with pytest.raises(DecodeError):
        decode_control_point(bytes.fromhex(hex_bytes))


@given(st.binary(max_size=40))
def test_random_control_point_raises_only_decode_error(data: bytes) -> None:
    with contextlib.suppress(DecodeError):
        decode_control_point(data)
