"""WitMotion 0x55 0x61 packets, and cutting them out of a split and joined byte stream."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfload.errors import DecodeError
from calfload.ingest.witmotion import (
    WitMotionStream,
    decode_witmotion_packet,
    encode_witmotion_packet,
    parse_rate_command,
    rate_command,
)

# Vector from shared/reference/ingest.md (layout of WitMotion's BLE 5.0 protocol page).
FIXTURE = bytes.fromhex("55 61 00 00 00 00 00 08 A3 00 00 00 5D FF 8E 03 DE FD 00 40")


def test_published_fixture() -> None:
    p = decode_witmotion_packet(FIXTURE)
    assert p.acc_g == (0.0, 0.0, 1.0)
    np.testing.assert_allclose(p.gyr_dps, (9.95, 0.0, -9.95), atol=0.01)
    np.testing.assert_allclose(p.angle_deg, (5.0, -3.0, 90.0), atol=0.01)


@pytest.mark.parametrize("data", [FIXTURE[:19], FIXTURE + b"\x00", b"\x55\x71" + FIXTURE[2:], b""])
def test_malformed_packet(data: bytes) -> None:
    with pytest.raises(DecodeError):
        decode_witmotion_packet(data)


def _packets(n: int, seed: int = 0) -> list[bytes]:
    rng = np.random.default_rng(seed)
    return [
        encode_witmotion_packet(rng.normal(0, 2, 3), rng.normal(0, 200, 3), rng.uniform(-90, 90, 3)) for _ in range(n)
    ]


@given(st.lists(st.integers(1, 60), min_size=1, max_size=40))
def test_stream_cut_anywhere_yields_every_packet(cuts: list[int]) -> None:
    packets = _packets(12)
    stream_bytes = b"".join(packets)
    stream = WitMotionStream()
    found = []
    pos = 0
    for cut in [*cuts, len(stream_bytes)]:
        got, discarded = stream.feed(stream_bytes[pos : pos + cut])
        assert discarded == 0
        found += got
        pos += cut
        if pos >= len(stream_bytes):
            break
    assert found == [decode_witmotion_packet(p) for p in packets]


def test_stream_resyncs_after_damaged_bytes() -> None:
    good = _packets(3, seed=1)
    stream = WitMotionStream()
    # A truncated packet (its own 55 61 header included), a register reply, then good packets.
    got1, bad1 = stream.feed(good[0][:7])
    got2, bad2 = stream.feed(b"\x55\x71" + bytes(18) + good[1] + good[2])
    assert got1 == []
    assert got2 == [decode_witmotion_packet(good[1]), decode_witmotion_packet(good[2])]
    assert bad1 + bad2 > 0


@given(st.lists(st.binary(max_size=45), max_size=20))
def test_random_notifications_never_raise(chunks: list[bytes]) -> None:
    stream = WitMotionStream()
    for chunk in chunks:
        stream.feed(chunk)


@given(st.binary(max_size=40))
def test_random_packet_raises_only_decode_error(data: bytes) -> None:
    with contextlib.suppress(DecodeError):
        decode_witmotion_packet(data)


def test_rate_command() -> None:
    assert rate_command(100) == bytes.fromhex("FF AA 03 09 00")
    assert parse_rate_command(rate_command(50)) == 50.0
    assert parse_rate_command(b"\xff\xaa\x00\x00\x00") is None
    with pytest.raises(DecodeError, match="choose one of"):
        rate_command(333)
