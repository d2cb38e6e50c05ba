"""The stride integration kernel against its first, plain implementation (kept here as the reference).

The kernel (:func:`calfload.signal._trajectory_kernel.stride_displacements`) was rewritten for
speed twice: first component-major quaternions and a per-sample parallel scan, then one weighted
sum per stride with the orientation in blocks and the turns as series
(:mod:`calfload.signal._trajectory_kernel`). ``_reference_integrate`` below is the implementation
of 540a16a, verbatim but for its last argument (the levelling window, where it took the
parameters): it integrates each stride's velocity and position sample by sample. Both integrate the
same inputs, captured from real analyses (the gaitmap example walk, a simulated run at 200 Hz and
a walk with turns) and drawn at random, and must agree to 1e-9 m.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload import _quaternion as quat
from calfload.recording import Recording
from calfload.signal import _trajectory, _trajectory_apart, _trajectory_kernel, _trajectory_still
from calfload.signal._gait import analyze_gait
from calfload.signal._gait_foot import FootEvents
from calfload.signal._preprocess import rolling_mean
from calfload.signal._trajectory import StrideParams
from calfload.sim._kinematics import SensorModel
from calfload.sim._running import RunSpec, random_run_spec, simulate_run
from calfload.units import STANDARD_GRAVITY_MPS2

from .quaternion_reference import from_rotvec, rotate

Call = tuple[np.ndarray, np.ndarray, np.ndarray, float, float]


def _reference_integrate(
    acc_mps2: np.ndarray, gyr_rad: np.ndarray, bounds: np.ndarray, fs: float, level_window_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """``_trajectory._integrate`` as of 540a16a (before the speed work), unchanged but for ``level_window_s``."""
    dt = 1.0 / fs
    n = acc_mps2.shape[0]
    i = np.arange(n)
    start, end = bounds[:, 0], bounds[:, 1]
    k = np.maximum(np.searchsorted(start, i, side="right") - 1, 0)
    inside = (i >= start[k]) & (i < end[k])
    first = np.where(inside, start[k], i)
    turns = np.zeros((4, n))
    turns[0] = 1.0
    turns[:, 1:] = from_rotvec(0.5 * (gyr_rad[1:] + gyr_rad[:-1]) * dt).T
    turns[:, first == i] = np.array([[1.0], [0.0], [0.0], [0.0]])
    shift, longest = 1, int((end - start).max())
    joined, scratch = np.empty((4, n)), np.empty(n)
    while shift <= longest:
        part = quat.multiply_rows_into(
            turns[:, :-shift], turns[:, shift:], joined[:, : n - shift], scratch[: n - shift]
        )
        np.copyto(turns[:, shift:], part, where=i[shift:] - shift >= first[shift:])
        shift *= 2
    level = max(1, round(level_window_s * fs))
    still = acc_mps2[np.clip(start[:, None] + np.arange(-(level // 2), level // 2 + 1), 0, n - 1)]
    q = quat.multiply(quat.align_to_up(np.mean(still, axis=1))[k], quat.normalise(turns.T))
    free = rotate(q, acc_mps2)
    free[:, 2] -= STANDARD_GRAVITY_MPS2
    free[~inside] = 0.0
    c = np.concatenate((np.zeros((1, 3)), np.cumsum(0.5 * (free[1:] + free[:-1]) * dt, axis=0)))
    drift = (c[end] - c[start])[k]
    frac = ((i - start[k]) / np.maximum(end - start, 1)[k])[:, None]
    vel = np.where(inside[:, None], c - c[start][k] - frac * drift, 0.0)
    p = np.concatenate((np.zeros((1, 3)), np.cumsum(0.5 * (vel[1:] + vel[:-1]) * dt, axis=0)))
    moved = p[end] - p[start]
    return np.hypot(moved[:, 0], moved[:, 1]), moved[:, 2]


def _captured(monkeypatch: pytest.MonkeyPatch, analyse: object) -> list[Call]:
    """The inputs of every integration while ``analyse()`` runs.

    A group of strides makes its orientations from the rate first and integrates from them
    (``block_orientations`` then ``displacements``); the turning gaps are integrated together
    (``apart_displacements``, each stretch as ``stride_displacements`` would: one call each here).
    """
    calls: list[Call] = []
    rates: list[np.ndarray] = []
    kernel, orientations, rest = (
        _trajectory_kernel.stride_displacements,
        _trajectory_kernel.block_orientations,
        _trajectory_kernel.displacements,
    )

    def spy(*args: object) -> tuple[np.ndarray, np.ndarray]:
        calls.append(tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in args))  # type: ignore[arg-type]
        return kernel(*args)  # type: ignore[arg-type]

    def spy_orientations(gyr_dps: np.ndarray, fs_hz: float) -> np.ndarray:
        rates.append(np.copy(gyr_dps))
        return orientations(gyr_dps, fs_hz)

    def spy_rest(
        acc: np.ndarray, inblock: np.ndarray, bounds: np.ndarray, fs_hz: float, level_window_s: float
    ) -> tuple[np.ndarray, np.ndarray]:
        calls.append((np.copy(acc), rates.pop(), np.copy(bounds), fs_hz, level_window_s))
        return rest(acc, inblock, bounds, fs_hz, level_window_s)

    def spy_apart(
        stretches: list[tuple[np.ndarray, np.ndarray, np.ndarray]], fs_hz: float, level_window_s: float
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        calls.extend(
            (np.copy(acc), np.copy(gyr), np.copy(bounds), fs_hz, level_window_s) for acc, gyr, bounds in stretches
        )
        return apart(stretches, fs_hz, level_window_s)

    apart = _trajectory_apart.apart_displacements
    monkeypatch.setattr(_trajectory, "stride_displacements", spy)
    monkeypatch.setattr(_trajectory, "apart_displacements", spy_apart)
    monkeypatch.setattr(_trajectory, "block_orientations", spy_orientations)
    monkeypatch.setattr(_trajectory, "displacements", spy_rest)
    analyse()  # type: ignore[operator]
    monkeypatch.undo()
    assert calls
    assert not rates
    return calls


def _assert_kernel_matches_reference(calls: list[Call]) -> None:
    """The kernel's calls (component-major samples, the rate in deg/s) against the reference's ``(n, 3)`` in rad/s."""
    for acc, gyr_dps, bounds, fs, level_window_s in calls:
        length, rise = _trajectory_kernel.stride_displacements(acc, gyr_dps, bounds, fs, level_window_s)
        ref_length, ref_rise = _reference_integrate(acc.T, np.radians(gyr_dps.T), bounds, fs, level_window_s)
        np.testing.assert_allclose(length, ref_length, rtol=0, atol=1e-9)
        np.testing.assert_allclose(rise, ref_rise, rtol=0, atol=1e-9)


def test_the_kernel_matches_the_reference_on_the_real_gaitmap_walk(
    validation_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = validation_dir / "gaitmap_example_data"
    if not folder.is_dir():
        pytest.skip("gaitmap data not present")
    from tools.validate_stride import gaitmap_recording

    rec: Recording = gaitmap_recording(folder, "imu_sample.csv", "left")
    calls = _captured(monkeypatch, lambda: analyze_gait(rec, activity="walk"))
    assert sum(c[2].shape[0] for c in calls) >= 25  # the walk's strides, and the turns' pieces
    _assert_kernel_matches_reference(calls)


def test_the_kernel_matches_the_reference_on_a_real_ipol_walk_with_its_u_turn(
    validation_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = validation_dir / "ipol_gait_voisard2023" / "GaitData"
    if not folder.is_dir():
        pytest.skip("IPOL data not present")
    from tools.validate_datasets import ipol_imu

    rec = ipol_imu(folder / "3-1_lf.txt", "foot", "left")
    calls = _captured(monkeypatch, lambda: analyze_gait(rec, activity="walk"))
    assert any(c[2].shape[0] == 1 for c in calls)  # a turn is integrated as one stride
    _assert_kernel_matches_reference(calls)


@pytest.mark.parametrize(("gait", "rate_hz"), [("run", 200.0), ("walk", 100.0)])
def test_the_kernel_matches_the_reference_on_simulated_runs_and_walks(
    gait: str, rate_hz: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(5)
    spec = random_run_spec(5, duration_s=30.0, sensor=SensorModel.random(rng, rate_hz))
    if gait == "walk":
        spec = RunSpec(duration_s=30.0, gait="walk", speed_mps=1.3, cadence_spm=110.0, sensor=spec.sensor, seed=5)
    run = simulate_run(spec)
    calls = _captured(monkeypatch, lambda: analyze_gait(run.recordings[0], activity=gait))
    _assert_kernel_matches_reference(calls)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(2, 90))
def test_the_kernel_matches_the_reference_on_random_strides(seed: int, count: int, longest: int) -> None:
    """Random motion, strides of 1 to ``longest`` samples with gaps between them, one at the very start."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, longest + 1, count)
    gaps = rng.integers(0, 4, count)
    gaps[0] = 0 if seed % 2 else gaps[0]
    start = np.cumsum(gaps + np.concatenate(([0], lengths[:-1])))
    bounds = np.column_stack((start, start + lengths))
    n = int(bounds[-1, 1]) + int(rng.integers(1, 5))
    acc = rng.normal(0.0, 3.0, (n, 3)) + np.array([0.0, 0.0, STANDARD_GRAVITY_MPS2])
    gyr = rng.normal(0.0, 4.0, (n, 3))
    _assert_kernel_matches_reference([(acc.T, np.degrees(gyr).T, bounds, 100.0, StrideParams().level_window_s)])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_stance_minima_are_found_as_one_at_a_time(seed: int) -> None:
    rng = np.random.default_rng(seed)
    stat = rng.integers(0, 5, int(rng.integers(1, 60))).astype(np.float64)
    stat[rng.random(stat.size) < 0.1] = np.inf
    spans = rng.integers(-5, stat.size + 5, (int(rng.integers(0, 12)), 2))
    expected = []
    for a, b in spans.tolist():  # the smallest of stat[a:b] clipped, the first of equals; -1e9 when empty
        lo, hi = max(0, a), min(stat.size, b)
        expected.append(lo + int(np.argmin(stat[lo:hi])) if hi > lo else -(10**9))
    assert _trajectory_still.stance_minima(stat, spans).tolist() == expected


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(50.0, 400.0))
def test_the_kernel_matches_the_reference_when_samples_turn_more_than_a_radian(seed: int, spin_rad_s: float) -> None:
    """Angles above the series' range (1 rad per sample) take the exact cosine and sine."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 60, 4)
    start = np.cumsum(np.concatenate(([int(rng.integers(0, 3))], lengths[:-1])))
    bounds = np.column_stack((start, start + lengths))
    n = int(bounds[-1, 1]) + 1
    acc = rng.normal(0.0, 3.0, (n, 3)) + np.array([0.0, 0.0, STANDARD_GRAVITY_MPS2])
    gyr = rng.normal(0.0, spin_rad_s, (n, 3))
    _assert_kernel_matches_reference([(acc.T, np.degrees(gyr).T, bounds, 100.0, StrideParams().level_window_s)])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(1e-12, 2.0))
def test_turn_quaternions_from_their_series_equal_cosine_and_sine(seed: int, largest_rad: float) -> None:
    """The series of cos(θ/2) and sin(θ/2)/θ against the exact functions, up to and past 1 rad."""
    rng = np.random.default_rng(seed)
    rotvec = rng.normal(size=(3, 7, 5))
    rotvec *= largest_rad / np.linalg.norm(rotvec, axis=0).max()
    rotvec[:, 0, 0] = 0.0
    out = np.empty((4, 7, 5))
    _trajectory_kernel.quaternions_into(rotvec, out)
    np.testing.assert_allclose(out.reshape(4, -1).T, from_rotvec(rotvec.reshape(3, -1).T), rtol=0, atol=4e-16)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 11))
def test_block_means_equal_numpys_mean_to_the_bit(seed: int, block: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, float(rng.uniform(0.1, 1e3)), (int(rng.integers(0, 300)), 3))
    m = x.shape[0] // block
    assert np.array_equal(_trajectory._blocks(x, block), x[: m * block].reshape(m, block, 3).mean(axis=1))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 20))
def test_the_still_rate_at_a_strides_ends_equals_the_whole_rolling_mean_to_the_bit(seed: int, width: int) -> None:
    """Rows near both ends of the array (partial windows) and wider windows than the ordered sum's."""
    rng = np.random.default_rng(seed)
    gyr = rng.normal(0.0, float(rng.uniform(1.0, 500.0)), (int(rng.integers(1, 200)), 3))
    at = rng.integers(0, gyr.shape[0], int(rng.integers(0, 30)))
    whole = np.sqrt(rolling_mean(np.sum(gyr**2, axis=1), width))
    assert np.array_equal(_trajectory_still.still_rate_dps(gyr, at, width), whole[at])


def test_the_still_rate_of_a_few_ends_adds_each_window_in_order() -> None:
    """Windows of 8 to 15 rows at one to three ends: summed over the window's axis at once (``np.add.reduce``),
    NumPy adds eight or more rows pairwise for so few ends, and about one case in twenty differs in the last bit."""
    for seed in range(400):
        rng = np.random.default_rng(seed)
        gyr = rng.normal(0.0, float(rng.uniform(1.0, 500.0)), (int(rng.integers(20, 300)), 3))
        width = int(rng.integers(8, 16))
        at = rng.integers(0, gyr.shape[0], int(rng.integers(1, 4)))
        whole = np.sqrt(rolling_mean(np.sum(gyr**2, axis=1), width))
        assert np.array_equal(_trajectory_still.still_rate_dps(gyr, at, width), whole[at]), seed


def _stance_windows_one_at_a_time(ic: np.ndarray, tc: np.ndarray, n: int, longest: int) -> np.ndarray:
    """The search windows as the loop before the vectorised rule wrote them (one swing at a time)."""
    starts, ends = np.concatenate(([-1], ic)), np.concatenate((tc, [-1]))
    out = []
    for k in range(ic.size):
        a, b = int(starts[k]), int(ends[k])
        if b < 0:
            continue
        before = (a, b) if a >= 0 and b - a <= longest else (max(0, b - longest), b)
        a, b = int(starts[k + 1]), int(ends[k + 1])
        if a < 0:
            continue
        after = (a, b) if b > a and b - a <= longest else (a, min(n, a + longest))
        out.append((*before, *after, k))
    return np.asarray(out, dtype=np.int64).reshape(-1, 5)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_stance_windows_are_those_of_one_swing_at_a_time(seed: int) -> None:
    """Unknown contacts and toe-offs (-1), stances at and just past the longest searched, the piece's end."""
    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 30))
    stance = np.where(rng.random(count) < 0.3, rng.choice([29, 30, 31, 80], count), 20)  # typical 20: longest 30
    tc = np.cumsum(stance + 20)  # a stance, then 10 samples to the swing's peak and 10 to its contact
    swing, ic = tc + 10, tc + 20
    tc = np.where(rng.random(count) < 0.15, -1, tc)
    ic = np.where(rng.random(count) < 0.15, -1, ic)
    n = int(swing[-1]) + int(rng.integers(1, 60))
    none = np.zeros(count)
    events = FootEvents(swing, tc, ic, none, none, np.zeros(n), np.array([0.0, 1.0, 0.0]))
    got = _trajectory._stance_windows(events, n, 100.0, StrideParams())
    starts, ends = np.concatenate(([-1], ic)), np.concatenate((tc, [-1]))
    known = (starts >= 0) & (ends > starts)
    typical = float(np.median(ends[known] - starts[known])) if known.any() else 60.0
    expected = _stance_windows_one_at_a_time(ic, tc, n, max(2, round(1.5 * typical)))
    assert got.dtype == np.int64
    assert np.array_equal(got, expected)
