"""Heart Rate Measurement 0x2A37 decoding."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfload.errors import DecodeError
from calfload.ingest.heart_rate import HeartRateMeasurement, decode_heart_rate, encode_heart_rate


@pytest.mark.parametrize(
    ("hex_bytes", "expected"),
    [
        # 8-bit rate, contact detected, one RR of 1024/1024 s.
        ("16 3C 00 04", HeartRateMeasurement(60.0, True, None, (1000.0,))),
        # 16-bit rate, contact supported but not detected, energy 300 kJ, no RR.
        ("0D 2C 01 2C 01", HeartRateMeasurement(300.0, False, 300, ())),
        # Contact not supported, two RR intervals.
        ("10 50 00 03 00 02", HeartRateMeasurement(80.0, None, None, (750.0, 500.0))),
    ],
)
def test_vectors(hex_bytes: str, expected: HeartRateMeasurement) -> None:
    assert decode_heart_rate(bytes.fromhex(hex_bytes)) == expected
    assert encode_heart_rate(expected) == bytes.fromhex(hex_bytes)


@pytest.mark.parametrize("hex_bytes", ["", "00", "01 3C", "08 3C 01", "10 3C 00", "00 3C 00"])
def test_malformed(hex_bytes: str) -> None:
    with pytest.raises(DecodeError):
        decode_heart_rate(bytes.fromhex(hex_bytes))


@given(st.binary(max_size=24))
def test_random_bytes_raise_only_decode_error(data: bytes) -> None:
    with contextlib.suppress(DecodeError):
        decode_heart_rate(data)
