"""RSC measurement and feature: the SIG layout's test vectors, round trips, random bytes."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfload.errors import DecodeError
from calfload.ingest.rsc import RscMeasurement, decode_rsc_feature, decode_rsc_measurement, encode_rsc_measurement

# Vectors from shared/reference/ingest.md, computed from the SIG table.
VECTORS = [
    ("04 00 03 B4", RscMeasurement(3.0, 180.0, None, None, True)),
    ("07 80 02 AA B0 00 10 27 00 00", RscMeasurement(2.5, 170.0, 1.76, 1000.0, True)),
    ("00 00 00 00", RscMeasurement(0.0, 0.0, None, None, False)),
    ("02 00 01 70 E8 03 00 00", RscMeasurement(1.0, 112.0, None, 100.0, False)),
]


@pytest.mark.parametrize(("hex_bytes", "expected"), VECTORS)
def test_published_vectors_decode(hex_bytes: str, expected: RscMeasurement) -> None:
    assert decode_rsc_measurement(bytes.fromhex(hex_bytes)) == expected


@pytest.mark.parametrize(("hex_bytes", "expected"), VECTORS)
def test_encoding_reproduces_the_vectors(hex_bytes: str, expected: RscMeasurement) -> None:
    assert encode_rsc_measurement(expected) == bytes.fromhex(hex_bytes)


def test_reserved_flag_bits_are_ignored() -> None:
    assert decode_rsc_measurement(bytes.fromhex("F4 00 03 B4")).cadence_spm == 180.0


@pytest.mark.parametrize("hex_bytes", ["", "04 00 03", "01 00 03 B4", "00 00 03 B4 00", "03 00 03 B4 01 02 03 04 05"])
def test_length_that_disagrees_with_flags_is_refused(hex_bytes: str) -> None:
    with pytest.raises(DecodeError):
        decode_rsc_measurement(bytes.fromhex(hex_bytes))


def test_feature_bits() -> None:
    feature = decode_rsc_feature(bytes.fromhex("07 00"))
    assert feature.stride_length
    assert feature.total_distance
    assert feature.walking_or_running_status
    assert not feature.calibration
    assert not feature.multiple_sensor_locations
    with pytest.raises(DecodeError):
        decode_rsc_feature(b"\x07")


@given(st.binary(max_size=16))
def test_random_bytes_raise_only_decode_error(data: bytes) -> None:
    for decode in (decode_rsc_measurement, decode_rsc_feature):
        with contextlib.suppress(DecodeError):
            decode(data)


@given(
    st.floats(0, 255, allow_nan=False),
    st.integers(0, 255),
    st.none() | st.floats(0, 655, allow_nan=False),
    st.none() | st.floats(0, 4e8, allow_nan=False),
    st.booleans(),
)
def test_round_trip_within_resolution(
    speed: float, cadence: int, stride: float | None, distance: float | None, running: bool
) -> None:
    m = RscMeasurement(speed, float(cadence), stride, distance, running)
    back = decode_rsc_measurement(encode_rsc_measurement(m))
    assert back.speed_mps == pytest.approx(speed, abs=0.5 / 256)
    assert back.cadence_spm == cadence
    assert (back.stride_length_m is None) == (stride is None)
    assert (back.distance_m is None) == (distance is None)
    assert back.running == running
