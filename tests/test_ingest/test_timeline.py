"""Clock mapping: drift correction along the lower envelope, nominal-rate smoothing, gaps."""

from __future__ import annotations

import numpy as np

from calfload.ingest.timeline import fit_device_clock, merge_intervals, smooth_host_times


def test_device_clock_drift_and_offset_are_recovered_despite_latency() -> None:
    rng = np.random.default_rng(1)
    true_s = np.arange(0.0, 600.0, 0.25)  # one frame every 0.25 s for 10 minutes
    drift = 40e-6
    device_ns = (7e17 + true_s * 1e9 * (1 + drift)).astype(np.int64)
    latency_s = 0.008 + rng.exponential(0.03, true_s.size)  # never negative, heavy tail
    host_ns = (1e12 + (true_s + latency_s) * 1e9).astype(np.int64)
    clock = fit_device_clock(device_ns, host_ns)
    mapped_s = (clock.to_host_ns(device_ns) - 1e12) / 1e9
    # Within a few ms over 10 minutes; a fixed first-frame offset would be 24 ms off at the end.
    assert np.max(np.abs(mapped_s - true_s - 0.008)) < 0.004
    assert abs(clock.slope - 1 / (1 + drift)) < 5e-6


def test_short_session_keeps_slope_one() -> None:
    device_ns = np.arange(0, 10_000_000_000, 100_000_000, dtype=np.int64)
    host_ns = device_ns + 5_000_000
    clock = fit_device_clock(device_ns, host_ns)
    assert clock.slope == 1.0
    np.testing.assert_allclose(clock.to_host_ns(device_ns), host_ns)


def test_host_times_are_even_within_stretches_and_gaps_between() -> None:
    rng = np.random.default_rng(2)
    rate = 50.0
    k = np.arange(1500)
    true_ns = k / rate * 1e9
    true_ns[750:] += 3e9  # a 3 s hole (e.g. a reconnect)
    bursts = np.repeat(np.arange(0, k.size, 3), 3)[: k.size]  # notifications carry 3 samples
    host = (true_ns[np.minimum(bursts + 2, k.size - 1)] + rng.exponential(5e6, k.size)).astype(np.int64)
    host = np.maximum.accumulate(host)
    segment = np.where(k < 750, 1, 2)
    times, gaps = smooth_host_times(host, segment, rate)
    steps = np.diff(times)
    assert np.allclose(steps[:749], 1e9 / rate, rtol=0.01)
    assert np.allclose(steps[750:], 1e9 / rate, rtol=0.01)
    assert len(gaps) == 1
    assert abs((gaps[0][1] - gaps[0][0]) / 1e9 - 3.0) < 0.1


def test_merge_intervals() -> None:
    assert merge_intervals([(5.0, 8.0), (1.0, 2.0), (4.9, 8.1)]) == [(1.0, 2.0), (4.9, 8.1)]
