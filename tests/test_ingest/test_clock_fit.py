"""Clock mapping: drift correction along the lower envelope, nominal-rate smoothing, gaps."""

from __future__ import annotations

import numpy as np
import pytest

from calfload.ingest.clock_fit import event_host_times, fit_device_clock, merge_intervals
from calfload.ingest.host_grid import SNAP_TOLERANCE, smooth_host_times, snap_period_ns
from calfload.ingest.witmotion import RATE_CODES


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
    timing = smooth_host_times(host, segment, rate)
    times, gaps = timing.times_ns, timing.gaps_ns
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
    timing = smooth_host_times(host, np.ones(host.size, dtype=int), nominal_hz)
    times, gaps, measured_hz = timing.times_ns, timing.gaps_ns, timing.rate_hz
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
    timing = smooth_host_times(host, np.ones(host.size, dtype=int), rate)
    times, gaps, measured_hz = timing.times_ns, timing.gaps_ns, timing.rate_hz
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


def _busy_host(true_ns: np.ndarray, rng: np.random.Generator, stalls_per_s: float, stall_s: float) -> np.ndarray:
    """Receive times on a busy host: BLE latency, and stalls after which the waiting notifications arrive at once.

    The stalls start at random (Poisson, ``stalls_per_s``) and last an exponential ``stall_s`` on
    average; at the recorder's compressed time scale a 20 ms scheduling delay is 0.2 s of clock time.
    """
    end_ns = float(true_ns[-1]) + 5e9
    starts = np.sort(rng.uniform(0.0, end_ns, rng.poisson(stalls_per_s * end_ns / 1e9)))
    lengths = rng.exponential(stall_s * 1e9, starts.size)
    host = true_ns + rng.exponential(2e6, true_ns.size)
    for start, length in zip(starts, lengths, strict=True):
        host[(host >= start) & (host < start + length)] = start + length
    return np.maximum.accumulate(host).astype(np.int64)


@pytest.mark.parametrize("rate_hz", [50.0, 100.0])
def test_a_bunched_host_timeline_is_timed_at_the_supported_rate(rate_hz: float) -> None:
    # 8 s of a WitMotion on a host stalled about half the time: delayed notifications arrive in
    # bunches, which made the measured rate 54-60 Hz (or far more) for a 50 Hz stream.
    true_ns = np.arange(int(8 * rate_hz)) * 1e9 / rate_hz
    segment = np.ones(true_ns.size, dtype=int)
    unsnapped = []
    for seed in range(4):
        host = _busy_host(true_ns, np.random.default_rng(seed), stalls_per_s=5.0, stall_s=0.2)
        timing = smooth_host_times(host, segment, rate_hz, supported_hz=tuple(RATE_CODES))
        assert timing.rate_hz == rate_hz
        assert timing.snapped == timing.stretches
        # Across stretches too no step is shorter than a period: a stretch placed under its own
        # receive times could start less than a period after the last one (0.34 periods seen).
        assert np.all(np.diff(timing.times_ns) * rate_hz / 1e9 >= 1.0 - 1e-6)
        # Within each stretch (split at stalls over 0.5 s, where a gap opens) every step is a whole
        # number of periods, never a squeezed sample, and nearly all are one period (none was lost).
        steps = np.diff(timing.times_ns) * rate_hz / 1e9
        inside = steps[~np.isin(timing.times_ns[1:], [end for _, end in timing.gaps_ns])]
        assert inside.size == steps.size - (timing.stretches - 1)
        np.testing.assert_allclose(inside, np.round(inside), atol=1e-6)
        assert np.all(inside >= 1.0 - 1e-6)
        assert np.mean(np.abs(inside - 1.0) < 1e-6) > 0.97
        assert np.all(timing.times_ns <= host + 1)  # never placed after it was received
        unsnapped.append(smooth_host_times(host, segment, rate_hz).rate_hz)
    # Without the sensor's rates the same data are timed from the bunches (so this test can fail).
    assert max(abs(r / rate_hz - 1.0) for r in unsnapped) > 0.02


def test_a_rate_off_every_supported_one_is_not_snapped() -> None:
    assert snap_period_ns(1e9 / 54.1, [10.0, 20.0, 50.0, 100.0]) == 1e9 / 50.0
    assert snap_period_ns(1e9 / (50.0 * (1 + SNAP_TOLERANCE) + 0.5), [50.0, 100.0, 200.0]) is None
    assert snap_period_ns(1e9 / 50.0, []) is None
    # A sensor that ignores its rate command in a short recording is still timed at the rate it sends.
    rng = np.random.default_rng(3)
    true_ns = np.arange(60) * 1e9 / 10.0
    timing = smooth_host_times(_received(true_ns, rng, 4e6), np.ones(60, dtype=int), 50.0, supported_hz=(10.0, 50.0))
    assert timing.rate_hz == 10.0
