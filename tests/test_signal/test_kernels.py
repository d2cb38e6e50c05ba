"""The front end's numeric kernels against their plain (dense or SciPy) definitions."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as sps
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from calfload.signal import _frame, _peaks
from calfload.signal import _kernels as k
from calfload.signal import _preprocess as pre


def _dense_smooth_bias(t_s, centres_s, estimates, durations_s, drift_time_s):
    """The definition: every grid point weighs every stretch (a grid x stretch matrix)."""
    grid = np.arange(t_s[0], t_s[-1] + 0.5, 0.5)
    weights = durations_s**2 * np.exp(-0.5 * ((grid[:, None] - centres_s[None, :]) / drift_time_s) ** 2)
    weights += 1e-12 * durations_s**2
    coarse = weights @ estimates / weights.sum(axis=1, keepdims=True)
    return np.column_stack([np.interp(t_s, grid, coarse[:, i]) for i in range(3)])


@pytest.mark.parametrize("seed", range(4))
def test_smooth_bias_equals_the_dense_definition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # 40 minutes at 50 Hz with rest stretches in clusters and a 15-minute stretch without any
    # rest (where only the 1e-12 fallback weight is left).
    t_s = np.arange(0.0, 2400.0, 0.02)
    centres = np.sort(np.concatenate([rng.uniform(0, 700, 300), rng.uniform(1600, 2400, 200)]))
    durations = rng.uniform(0.25, 8.0, centres.size)
    estimates = rng.normal(0.0, 2.0, (centres.size, 3)) + np.array([1.0, -0.5, 0.2])
    got = _frame._smooth_bias(t_s, centres, estimates, durations, drift_time_s=8.0)
    want = _dense_smooth_bias(t_s, centres, estimates, durations, 8.0)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 200),
    half=st.integers(0, 40),
    offset=st.sampled_from([0.0, 9.81, -250.0, 1e4]),
    seed=st.integers(0, 2**16),
)
def test_window_variance_is_each_windows_variance(rows: int, half: int, offset: float, seed: int) -> None:
    """The rest finder's running-sum variance equals np.var of each row's window (edges: the rows there)."""
    rng = np.random.default_rng(seed)
    x = offset + rng.normal(0.0, rng.choice([1e-3, 1.0, 50.0]), (rows, 4)).cumsum(axis=0) * rng.choice([0.0, 1.0])
    want = np.array([np.var(x[max(i - half, 0) : i + half + 1], axis=0) for i in range(rows)])
    got = _frame.window_variance(x, half)
    scale = 1.0 + np.abs(x - x[0]).max() ** 2
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-11 * scale)


def _window_variance_as_written_before(x: np.ndarray, half: int) -> np.ndarray:
    """The rest finder's variance as one expression per step, each step a new array (before 2026-12-02)."""
    n = x.shape[0]
    dev = x - x[0]
    idx = np.arange(n)
    count = (np.minimum(idx + half + 1, n) - np.maximum(idx - half, 0))[:, None].astype(np.float64)

    def sums(v: np.ndarray) -> np.ndarray:
        running = np.concatenate([np.zeros((half + 1, v.shape[1])), np.cumsum(v, axis=0)])
        running = np.concatenate([running, np.repeat(running[-1:], half, axis=0)])
        return np.asarray(running[2 * half + 1 : 2 * half + 1 + n] - running[:n])

    mean = sums(dev) / count
    return np.asarray(sums(dev**2) / count - mean**2)


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(1, 300), half=st.integers(0, 40), seed=st.integers(0, 2**16))
def test_window_variance_in_place_has_the_same_bits(rows: int, half: int, seed: int) -> None:
    """Written over its own arrays (and over ``x`` with ``overwrite_x``), the variance keeps every bit."""
    rng = np.random.default_rng(seed)
    x = 9.81 + rng.normal(0.0, rng.choice([1e-3, 1.0, 50.0]), (rows, 4)).cumsum(axis=0)
    want = _window_variance_as_written_before(x, half)
    kept = x.copy()
    assert np.array_equal(_frame.window_variance(x, half), want)
    assert np.array_equal(x, kept)  # left as it was
    owned = x.copy()
    got = _frame.window_variance(owned, half, overwrite_x=True)
    assert np.array_equal(got, want)
    assert np.shares_memory(got, owned)  # the result is written over it


def test_window_variance_matches_the_boxcar_it_replaced() -> None:
    """The boxcar definition it replaced (``rolling_mean(x**2) - rolling_mean(x)**2``) to rounding."""
    rng = np.random.default_rng(7)
    x = rng.normal(0.0, 2.0, (5000, 4)) + np.array([0.5, -1.0, 2.0, 9.81])
    width = 61
    want = pre.rolling_mean(x**2, width) - pre.rolling_mean(x, width) ** 2
    np.testing.assert_allclose(_frame.window_variance(x, width // 2), want, rtol=0, atol=1e-10)


# --------------------------------------------------------------------------------- against SciPy


def _test_signals(fs_hz: float) -> np.ndarray:
    """A minute of a foot-like swing with noise, a random walk (drift) and white noise."""
    rng = np.random.default_rng(round(fs_hz))
    t = np.arange(0.0, 60.0, 1.0 / fs_hz)
    swing = 200.0 * np.clip(np.sin(2 * np.pi * 1.4 * t), 0, None) ** 3 + rng.normal(0, 3, t.size) + 5.0
    return np.column_stack([swing, np.cumsum(rng.normal(0, 1, t.size)), rng.normal(0, 1, t.size)])


@pytest.mark.parametrize("fs_hz", [25.0, 52.0, 100.0, 1000.0])
@pytest.mark.parametrize(
    ("order", "cutoff_hz", "btype"),
    [
        (2, 3.0, "low"),
        (2, 0.5, "low"),
        (3, 5.0, "low"),
        (4, 10.0, "low"),
        (2, (0.5, 3.0), "band"),
        (2, (1.0, 8.0), "band"),
        (1, 0.05, "low"),
    ],
)
def test_filtfilt_equals_scipy_sosfiltfilt(fs_hz: float, order: int, cutoff_hz, btype) -> None:
    x = _test_signals(fs_hz)
    sos = sps.butter(order, cutoff_hz, btype=btype, fs=fs_hz, output="sos")
    design = k.butter(order, cutoff_hz, fs_hz, btype)
    scale = np.max(np.abs(x))
    for padlen in (None, 3 * round(fs_hz)):
        want = sps.sosfiltfilt(sos, x, axis=0) if padlen is None else sps.sosfiltfilt(sos, x, axis=0, padlen=padlen)
        got = k.filtfilt(design, x, padlen=padlen)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(k.filtfilt(design, x[:, 0]), sps.sosfiltfilt(sos, x[:, 0]), rtol=0, atol=1e-9 * scale)


_ROWS = k._BLOCK * k._PIECE_ROWS


@settings(max_examples=40, deadline=None)
@given(
    design=st.sampled_from(
        [
            (2, 20.0, "low"),
            (2, 2.0, "low"),
            (2, 0.1, "low"),
            (1, 0.02, "low"),
            (4, 10.0, "low"),
            (2, (0.5, 3.0), "band"),
        ]
    ),
    size=st.sampled_from([1, 2, 15, 16, 17, 1000, _ROWS - 1, _ROWS, _ROWS + 1, 2 * _ROWS + 37]),
    seed=st.integers(0, 2**16),
)
def test_block_filter_equals_sosfilt_from_rest(design, size: int, seed: int) -> None:
    """The blocked filter (in-block products, states carried over blocks and pieces) against SciPy's recursion."""
    order, cutoff_hz, btype = design
    rng = np.random.default_rng(seed)
    v = rng.normal(0.0, 3.0, size) + rng.uniform(-50, 50)
    got = k._block_filter(v, k._block_plan(k.butter(order, cutoff_hz, 100.0, btype)))
    want = sps.sosfilt(sps.butter(order, cutoff_hz, btype=btype, fs=100.0, output="sos"), v)
    # SciPy's own recursion rounds to about 1e-12 of the signal with poles this near 1 (0.1 Hz at 100 Hz).
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-11 * np.max(np.abs(want)))


@settings(max_examples=40, deadline=None)
@given(
    radius=st.sampled_from([0.0, 1e-9, 0.05, 0.4, 0.9, 0.99, 0.9995]) | st.floats(0.0, 0.9995),
    angle=st.floats(-3.1, 3.1),
    size=st.sampled_from([1, 2, 7, 1000, 5003]),
    seed=st.integers(0, 2**16),
)
def test_block_states_equal_lfilter(radius: float, angle: float, size: int, seed: int) -> None:
    """The recursion carrying the states from block to block (summed terms or cumsum blocks) against SciPy's."""
    rng = np.random.default_rng(seed)
    e = rng.normal(0.0, 3.0, size) + 1j * rng.normal(0.0, 3.0, size) + rng.uniform(-50, 50)
    q = complex(radius * np.exp(1j * angle))
    want = sps.lfilter([1.0], [1.0, -q], e)
    np.testing.assert_allclose(k._states(q, e), want, rtol=0, atol=1e-11 * np.max(np.abs(want)))


def test_lowpass_of_a_constant_is_the_constant() -> None:
    x = np.full((500, 3), [9.81, -3.0, 0.0])
    np.testing.assert_allclose(pre.lowpass(x, 2.0, 100.0), x, atol=1e-12)


_signal = arrays(
    np.float64,
    st.integers(0, 400),
    elements=st.sampled_from([-2.0, -1.0, 0.0, 0.5, 1.0, 1.5, 3.0]) | st.floats(-5, 5, allow_nan=False),
)


@settings(max_examples=300, deadline=None)
@given(
    x=_signal,
    height=st.none() | st.floats(-3, 3),
    distance=st.none() | st.integers(1, 40),
    prominence=st.none() | st.floats(0, 4),
)
def test_find_peaks_equals_scipy(x: np.ndarray, height, distance, prominence) -> None:
    """Plateaus, ties and equal heights included (few distinct values make many of them)."""
    want, want_props = sps.find_peaks(x, height=height, distance=distance, prominence=prominence)
    got, got_props = k.find_peaks(x, height=height, distance=distance, prominence=prominence)
    np.testing.assert_array_equal(got, want)
    for name, values in got_props.items():
        np.testing.assert_allclose(values, want_props[name], rtol=0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    size=st.integers(3, 600),
    smooth=st.integers(1, 30),
    distance=st.none() | st.integers(2, 60),
    prominence=st.none() | st.floats(0, 2),
)
def test_find_peaks_without_plateaus_equals_scipy(seed: int, size: int, smooth: int, distance, prominence) -> None:
    """Continuous signals (no two neighbours equal: the plateau-free shortcut), smooth and rough, as SciPy."""
    rng = np.random.default_rng(seed)
    x = np.convolve(rng.standard_normal(size + smooth - 1), np.ones(smooth) / smooth, mode="valid")
    if not np.all(np.diff(x) != 0):  # pragma: no cover - a tie is vanishingly rare
        return
    want, want_props = sps.find_peaks(x, distance=distance, prominence=prominence)
    got, got_props = k.find_peaks(x, distance=distance, prominence=prominence)
    np.testing.assert_array_equal(got, want)
    for name, values in got_props.items():
        np.testing.assert_allclose(values, want_props[name], rtol=0, atol=1e-12)


def test_the_plateau_free_shortcut_is_the_general_rule() -> None:
    """With and without the shortcut: the same maxima, also at NaN, where the general rule runs."""
    rng = np.random.default_rng(3)
    x = np.cumsum(rng.standard_normal(5000))
    general = x.copy()
    general[::97] = general[1::97]  # plateaus of two samples force the general rule
    for signal in (x, general, np.where(rng.random(5000) < 0.01, np.nan, x)):
        got = _peaks._local_maxima(signal)
        starts = np.concatenate(([0], np.flatnonzero(np.diff(signal) != 0) + 1))
        ends = np.concatenate((starts[1:] - 1, [signal.size - 1]))
        values = signal[starts]
        top = np.flatnonzero((values[1:-1] > values[:-2]) & (values[1:-1] > values[2:])) + 1
        np.testing.assert_array_equal(got, (starts[top] + ends[top]) // 2)


def _every_peak_visited(peaks: np.ndarray, priority: np.ndarray, distance: int) -> np.ndarray:
    """SciPy's greedy rule visiting every peak (the loop before isolated peaks were skipped)."""
    keep = np.ones(peaks.size, dtype=bool)
    for j in np.argsort(priority)[::-1]:
        if keep[j]:
            near = np.abs(peaks - peaks[j]) < distance
            near[j] = False
            keep[near] = False
    return keep


@settings(max_examples=100, deadline=None)
@given(
    gaps=st.lists(st.integers(1, 30), min_size=0, max_size=60),
    levels=st.integers(1, 6),
    distance=st.integers(2, 25),
    seed=st.integers(0, 2**16),
)
def test_distance_selection_skipping_isolated_peaks_is_the_greedy_rule(
    gaps: list[int], levels: int, distance: int, seed: int
) -> None:
    """Crowded and isolated peaks, ties in height (few levels): the same peaks kept as visiting all."""
    peaks = np.cumsum([5, *gaps])
    priority = np.random.default_rng(seed).integers(0, levels, peaks.size).astype(float)
    got = _peaks._select_by_distance(peaks, priority, distance)
    np.testing.assert_array_equal(got, _every_peak_visited(peaks, priority, distance))


@settings(max_examples=300, deadline=None)
@given(x=_signal, seed=st.integers(0, 2**16))
def test_peak_prominences_are_scipys_bits(x: np.ndarray, seed: int) -> None:
    """Both sides searched in one pass (behind a wall of +inf) give SciPy's values exactly, plateaus included."""
    peaks = _peaks._local_maxima(x)
    # Any subset of the maxima (the distance and height rules drop some before the prominence).
    peaks = peaks[np.random.default_rng(seed).random(peaks.size) < 0.7]
    want = sps.peak_prominences(x, peaks)[0] if peaks.size else np.zeros(0)
    np.testing.assert_array_equal(_peaks.peak_prominences(x, peaks), want)


@pytest.mark.parametrize("size", [3, 4, 40, 5000])
def test_peak_prominences_of_long_and_tiny_signals_are_scipys(size: int) -> None:
    """A random walk (bases far away, the tallest peak's at the ends) and the shortest signals."""
    x = np.cumsum(np.random.default_rng(size).standard_normal(size))
    x[size // 2] = x.max() + 1.0  # at least one peak
    peaks = _peaks._local_maxima(x)
    np.testing.assert_array_equal(_peaks.peak_prominences(x, peaks), sps.peak_prominences(x, peaks)[0])


def test_an_infinite_peak_is_measured_side_by_side() -> None:
    """A peak of +inf is as high as the wall between the sides: it is measured on each side alone, as SciPy does."""
    x = np.array([0.0, 2.0, -1.0, np.inf, 1.0, 3.0, 0.5, 1.5, -2.0])
    peaks = _peaks._local_maxima(x)
    np.testing.assert_array_equal(_peaks.peak_prominences(x, peaks), sps.peak_prominences(x, peaks)[0])


def test_a_channel_is_filtered_the_same_alone_or_with_others() -> None:
    """The same bits for a channel of three as for the channel alone (the chunked low-pass relies on it)."""
    x = _test_signals(100.0)[:3000]
    design = k.butter(2, 3.0, 100.0, "low")
    together = k.filtfilt(design, x, padlen=300)
    for c in range(3):
        np.testing.assert_array_equal(together[:, c], k.filtfilt(design, x[:, c], padlen=300))
