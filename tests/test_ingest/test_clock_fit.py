"""Clock mapping: drift correction along the lower envelope, nominal-rate smoothing, gaps."""

from __future__ import annotations

import numpy as np
import pytest

from calfload.ingest.clock_fit import event_host_times, fit_device_clock, merge_intervals, smooth_host_times


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
    times, gaps, _ = smooth_host_times(host, segment, rate)
    steps = np.diff(times)
    assert np.allclose(steps[:749], 1e9 / rate, rtol=0.01)
    assert np.allclose(steps[750:], 1e9 / rate, rtol=0.01)
    assert len(gaps) == 1
    assert abs((gaps[0][1] - gaps[0][0]) / 1e9 - 3.0) < 0.1


def test_merge_intervals() -> None:
    assert merge_intervals([(5.0, 8.0), (1.0, 2.0), (4.9, 8.1)]) == [(1.0, 2.0), (4.9, 8.1)]


def _received(true_ns: np.ndarray, rng: np.random.Generator, jitter_ns: float) -> np.ndarray:
    host = true_ns + rng.exponential(jitter_ns, true_ns.size)
    return np.maximum.accumulate(host).astype(np.int64)


@pytest.mark.parametrize(("true_hz", "nominal_hz"), [(10.0, 50.0), (50.0, 10.0), (104.0, 100.0)])
def test_a_sampled_stream_is_timed_at_the_rate_it_sends_not_the_nominal(true_hz: float, nominal_hz: float) -> None:
    # A WitMotion that ignores its rate command: 30 s at true_hz, while nominal_hz was asked for.
    rng = np.random.default_rng(5)
    true_ns = np.arange(int(30 * true_hz)) * 1e9 / true_hz
    host = _received(true_ns, rng, 4e6)
    times, gaps, measured_hz = smooth_host_times(host, np.ones(host.size, dtype=int), nominal_hz)
    assert measured_hz == pytest.approx(true_hz, rel=0.005)
    assert gaps == []
    assert (times[-1] - times[0]) / 1e9 == pytest.approx(true_ns[-1] / 1e9, abs=0.05)
    assert np.all(times <= host + 1)  # never placed after it was received


def test_lost_samples_leave_holes_not_a_stretched_stream() -> None:
    rng = np.random.default_rng(6)
    rate = 50.0
    k = np.arange(3000)
    kept = k[rng.random(k.size) > 0.02]  # 2 % lost notifications inside one stretch
    kept = kept[(kept < 1000) | (kept >= 1100)]  # and 2 s lost in one piece
    true_ns = kept * 1e9 / rate
    host = _received(true_ns, rng, 5e6)
    times, gaps, measured_hz = smooth_host_times(host, np.ones(host.size, dtype=int), rate)
    assert measured_hz == pytest.approx(rate, rel=0.005)
    # Every sample within about a period of its true time (was up to 0.75 s with a nominal grid).
    offset = np.median(times - true_ns)
    assert np.max(np.abs(times - true_ns - offset)) < 1.5e9 / rate
    # The 2 s hole is a gap; the single lost samples are holes in the grid.
    ((start, end),) = gaps
    assert (end - start) / 1e9 == pytest.approx(2.0 + 1 / rate, abs=0.05)


def test_an_event_driven_stream_keeps_its_receive_times() -> None:
    # A foot pod notifying at 2 Hz although 1 Hz is typical: 299.5 s stay 299.5 s.
    host = (np.arange(600) * 0.5e9 + 1e9).astype(np.int64)
    times, gaps = event_host_times(host, np.ones(host.size, dtype=int))
    np.testing.assert_array_equal(times, host.astype(np.float64))
    assert gaps == []
    segment = np.where(np.arange(600) < 300, 1, 2)
    host[300:] += 5_000_000_000
    _, gaps = event_host_times(host, segment)
    assert len(gaps) == 1
