"""The accelerometer unit check on runs without a stop and on every real IMU recording.

Physics: at rest the accelerometer reads gravity alone (9.81 m/s², 1 g, 1000 mg). A foot that
runs without stopping is at rest only at mid-stance (about 0.07 s of a 0.7 s stride in the
simulator, as in real running); the rest of the stride reads 2-3 g. The check must find the
mid-stances at every sample rate, and still tell the units apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.io
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload._order_stats import percentile as order_percentile
from calfload._stats import percentile_ranks, row_norms
from calfload._unit_checks import (
    FIRST_ROWS,
    GYRO_RANK_PCT,
    MAX_RAD_PER_S,
    MOVING_MAX_G,
    _norms,
    _percentile_above,
    accelerometer_scale,
    rest_reading,
    row_sums,
)
from calfload.errors import DataError
from calfload.sim import GaitPhase, GaitSessionSpec, SensorModel, simulate_gait_session
from calfload.units import STANDARD_GRAVITY_MPS2


def _verdicts(acc_mps2: np.ndarray, t_s: np.ndarray) -> None:
    """m/s² is kept, g is scaled by standard gravity, mg is refused in one line."""
    acc = acc_mps2.astype(np.float32)
    assert accelerometer_scale(acc, t_s=t_s, source="x") == 1.0
    assert accelerometer_scale(acc / STANDARD_GRAVITY_MPS2, t_s=t_s, source="x") == STANDARD_GRAVITY_MPS2
    with pytest.raises(DataError, match=r"^x: acceleration magnitude is typically \S+, neither about 9\.81") as info:
        accelerometer_scale(acc * 1000.0 / STANDARD_GRAVITY_MPS2, t_s=t_s, source="x")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("rate_hz", "cadence_spm", "speed_mps", "strike", "seed"),
    [
        (50.0, 170.0, 3.3, "rearfoot", 1),
        (100.0, 185.0, 5.0, "forefoot", 2),
        (100.0, 160.0, 2.6, "rearfoot", 3),
        (200.0, 175.0, 4.0, "rearfoot", 4),
    ],
)
def test_a_run_without_stops_is_read_in_its_unit(
    rate_hz: float, cadence_spm: float, speed_mps: float, strike: str, seed: int
) -> None:
    # Half a second of standing at each end: under 1 % of the file, as in a long run. With
    # windows of 32 samples, this read 16-28 m/s² and was refused at every rate.
    phases = (
        GaitPhase(activity="stand", duration_s=0.5),
        GaitPhase(activity="run", duration_s=60.0, cadence_spm=cadence_spm, speed_mps=speed_mps),
        GaitPhase(activity="stand", duration_s=0.5),
    )
    spec = GaitSessionSpec(phases=phases, strike=strike, sensor=SensorModel(sample_rate_hz=rate_hz), seed=seed)
    (rec,) = simulate_gait_session(spec).recordings  # a random mounting per seed
    _verdicts(rec.acc_mps2(), rec.t_s)


def _ipol(root: Path) -> Iterator[tuple[str, np.ndarray, np.ndarray, float]]:
    for path in sorted((root / "ipol_gait_voisard2023" / "GaitData").glob("*.txt")):  # feet and L5, m/s²
        frame = pd.read_csv(path, sep="\t", skiprows=1)
        counter = frame["PacketCounter"].to_numpy(dtype=np.float64)
        keep = np.concatenate(([True], np.diff(counter) > 0))
        yield path.name, counter[keep] / 100.0, frame[["Acc_X", "Acc_Y", "Acc_Z"]].to_numpy()[keep], 1.0


def _gaitmap(root: Path) -> Iterator[tuple[str, np.ndarray, np.ndarray, float]]:
    for name in ("imu_sample.csv", "imu_sample_not_rotated.csv"):  # NilsPod feet, 204.8 Hz, m/s²
        data = pd.read_csv(root / "gaitmap_example_data" / name, header=[0, 1], index_col=0)
        for foot in ("left", "right"):
            acc = data[f"{foot}_sensor"][["acc_x", "acc_y", "acc_z"]].to_numpy(dtype=np.float64)
            yield f"{name} {foot}", np.arange(len(acc)) / 204.8, acc, 1.0


def _mobgap(root: Path) -> Iterator[tuple[str, np.ndarray, np.ndarray, float]]:
    for mat in sorted((root / "mobgap_example_data" / "data" / "lab").glob("*/*/data.mat")):  # lower back, g
        tests = scipy.io.loadmat(mat, simplify_cells=True)["data"]["TimeMeasure1"]
        for test, trials in tests.items():
            for trial, content in trials.items():
                lb = content["SU"]["LowerBack"]
                fs = float(lb["Fs"]["Acc"] if isinstance(lb["Fs"], dict) else lb["Fs"])
                acc = np.asarray(lb["Acc"], dtype=np.float64)
                yield f"{mat.parent.name} {test} {trial}", np.arange(len(acc)) / fs, acc, STANDARD_GRAVITY_MPS2


def _oxford(root: Path) -> Iterator[tuple[str, np.ndarray, np.ndarray, float]]:
    for path in sorted((root / "oxford_step_counter").glob("*.csv")):  # phone on the arm / in the hand, m/s²
        frame = pd.read_csv(path, header=None)
        t_s = frame[0].to_numpy(dtype=np.float64) / 1e9
        keep = np.concatenate(([True], np.diff(t_s) > 0))
        yield path.name, t_s[keep], frame[[1, 2, 3]].to_numpy(dtype=np.float64)[keep], 1.0


def test_every_real_imu_recording_keeps_its_verdict(validation_dir: Path) -> None:
    # Every IMU file in ../shared/validation, read in the unit it is stored in: IPOL feet and
    # lower back, gaitmap feet (two axis conventions), mobgap lower back (stored in g, a real
    # g-unit file), Oxford phones on the arm and in the hand. Each is then also given in the
    # other units: g is converted, mg refused.
    files = [f for reader in (_ipol, _gaitmap, _mobgap, _oxford) for f in reader(validation_dir)]
    assert len(files) >= 70
    for name, t_s, acc, stored_scale in files:
        assert accelerometer_scale(acc.astype(np.float32), t_s=t_s, source=name) == stored_scale, name
        _verdicts(acc * stored_scale, t_s)


def test_hop_flights_are_not_taken_for_rest() -> None:
    """A hop's flight reads about 0 in any unit and is as steady as standing; rest is gravity.

    Repeated ankle hops at 100 Hz: 0.35 s of free fall (0 g, noise 0.005 g), 0.2 s of contact
    (2.5 g, noise 0.3 g), and 1 s of standing (1 g, noise 0.01 g) every ten hops. The flights are
    the steadiest windows; judged on them the file would read 0 and be refused.
    """
    rng = np.random.default_rng(7)
    parts: list[np.ndarray] = []
    for k in range(40):
        parts += [rng.normal(0.0, 0.005, 35), rng.normal(2.5, 0.3, 20)]
        if k % 10 == 9:
            parts.append(rng.normal(1.0, 0.01, 100))
    magnitude_g = np.concatenate(parts)
    acc_g = np.zeros((magnitude_g.size, 3))
    acc_g[:, 2] = magnitude_g
    t_s = np.arange(magnitude_g.size) / 100.0
    _verdicts(acc_g * STANDARD_GRAVITY_MPS2, t_s)


# ------------------------------------------------------------------ a sensor that never stands still


def _sprint(rate_hz: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A foot sprinting at 7 m/s and 200 steps/min from the first sample to the last (no standing)."""
    phases = (GaitPhase(activity="run", duration_s=10.0, cadence_spm=200.0, speed_mps=7.0),)
    spec = GaitSessionSpec(phases=phases, strike="forefoot", sensor=SensorModel(sample_rate_hz=rate_hz), seed=seed)
    (rec,) = simulate_gait_session(spec).recordings
    return rec.acc_mps2(), rec.t_s


@pytest.mark.parametrize(("rate_hz", "seed"), [(50.0, 7), (100.0, 5), (400.0, 6)])
def test_a_foot_switched_on_mid_sprint_is_read_in_its_unit(rate_hz: float, seed: int) -> None:
    # Never still: the steadiest windows hold the mid-stance's roll-over and read 2.0-2.4 g with
    # 11-13 % spread. Before the never-still rule this was refused as "typically 23" at every rate.
    acc, t_s = _sprint(rate_hz, seed)
    reading = rest_reading(row_norms(acc.astype(np.float32)) / STANDARD_GRAVITY_MPS2, max(3, round(0.05 * rate_hz)))
    assert 1.6 < reading.typical < MOVING_MAX_G
    assert not reading.still
    _verdicts(acc, t_s)


def test_a_still_sensor_that_reads_far_from_gravity_is_refused() -> None:
    # At rest a sensor reads gravity: a still one reading 1.67 g (HuGaDB participant 1's left
    # shank) is a fault, not motion, whatever the motion between its rests.
    rng = np.random.default_rng(11)
    t_s = np.arange(6000) / 100.0
    magnitude_g = np.where((t_s % 6.0) < 2.0, 1.67, 1.67 + 0.8 * np.sin(2 * np.pi * 1.5 * t_s) ** 2)
    acc = np.zeros((t_s.size, 3))
    acc[:, 2] = (magnitude_g + rng.normal(0.0, 0.005, t_s.size)) * STANDARD_GRAVITY_MPS2
    for scale in (1.0, 1.0 / STANDARD_GRAVITY_MPS2):
        with pytest.raises(DataError, match=r"typically 16\.4|typically 1\.67"):
            accelerometer_scale(acc.astype(np.float32) * scale, t_s=t_s, source="x")


def test_a_never_still_reading_between_the_units_is_refused() -> None:
    # Steadiest windows at 4 g (40 m/s²) with 10 % spread: over 3 g, under 6 m/s²-as-g: no unit.
    rng = np.random.default_rng(12)
    t_s = np.arange(3000) / 100.0
    acc = np.zeros((t_s.size, 3))
    acc[:, 0] = rng.normal(4.0, 0.4, t_s.size)
    with pytest.raises(DataError, match=r"^x: acceleration magnitude is typically (3\.9|4)"):
        accelerometer_scale(acc.astype(np.float32), t_s=t_s, source="x")


def _bach_trials() -> list[tuple[int, str, np.ndarray, float]]:
    """The 18 shank trials of Bach, Dominici & Daffertshofer (2022) from the local mirror (never copied here)."""
    from tools.validate_activity_pace import DEFAULT_DATA, trials

    if not DEFAULT_DATA.exists():
        pytest.skip("the mirror of marlow17/PredictingGroundReactionForces is not on this machine")
    return [(t.number, t.condition, t.acc_g, t.fs_hz) for t in trials(DEFAULT_DATA)]


def test_real_running_shanks_without_a_standing_moment_are_read_in_their_unit() -> None:
    # 18 treadmill trials, a shank accelerometer stored in g (±8 g, 142.9 Hz), walking and running
    # from the first sample: the runs' steadiest windows read 1.15-1.57 g (1.7 g resampled to 50 Hz).
    # Trials 1, 2 and 15 (and 13 at 50 and 400 Hz) were refused as wrong units before.
    trials = _bach_trials()
    assert len(trials) == 18
    for number, condition, acc_g, fs_hz in trials:
        t_s = np.arange(acc_g.shape[0]) / fs_hz
        for rate_hz in (fs_hz, 50.0, 400.0):
            grid = np.arange(t_s[0], t_s[-1], 1.0 / rate_hz)
            acc = np.column_stack([np.interp(grid, t_s, acc_g[:, i]) for i in range(3)]).astype(np.float32)
            assert accelerometer_scale(acc, t_s=grid, source="x") == STANDARD_GRAVITY_MPS2, (number, condition)
            _verdicts(acc.astype(np.float64) * STANDARD_GRAVITY_MPS2, grid)


# ------------------------------------------------------- the rest reading is that of the code it replaced


def _replaced_typical(norm: np.ndarray, window: int) -> float:
    """The rest reading as ``accelerometer_scale`` computed it before (argsort, blocks.std, np.percentile)."""
    if norm.size < 4 * window:
        return float(np.median(norm))
    blocks = norm[: norm.size // window * window].reshape(-1, window)
    weighed = blocks.mean(axis=1) >= 0.1 * float(np.percentile(norm, 75.0))
    candidates = blocks[weighed] if weighed.any() else blocks
    steady = np.argsort(candidates.std(axis=1))[: max(1, candidates.shape[0] // 10)]
    return float(np.median(candidates[steady]))


@settings(max_examples=25)
@given(
    n=st.integers(10, 120_000),
    window=st.integers(3, 20),
    seed=st.integers(0, 2**32 - 1),
    hop=st.booleans(),
)
def test_the_rest_reading_is_the_replaced_codes(n: int, window: int, seed: int, hop: bool) -> None:
    # Continuous noise (no two windows equally steady, where the old argsort's order among ties was
    # its own): the same windows, the same median, bit for bit; with hops' free fall left out.
    rng = np.random.default_rng(seed)
    norm = np.abs(rng.normal(1.0, rng.uniform(0.001, 0.5), n) * np.exp(rng.normal(0.0, 1.0, n) * 0.3))
    if hop:
        norm[rng.random(n) < 0.3] = rng.uniform(0.0, 0.01)
    for dtype in (np.float32, np.float64):
        values = norm.astype(dtype)
        assert rest_reading(values, window).typical == _replaced_typical(values, window)


_SUMMANDS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, -0.0, 1e-300, -1e300, 1.0, 3.0e38]),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.integers(1, 40),
    width=st.integers(1, 140),
    dtype=st.sampled_from([np.float32, np.float64]),
    values=st.lists(_SUMMANDS, min_size=1, max_size=64),
    scale=st.floats(1e-6, 1e6),
)
def test_row_sums_are_numpys_row_sums_bit_for_bit(
    rows: int, width: int, dtype: type, values: list[float], scale: float
) -> None:
    """``row_sums`` adds as ``np.add.reduce(axis=1)`` does: in order under eight, in eight running sums up to 128."""
    rng = np.random.default_rng(len(values) * 1000 + width)
    with np.errstate(over="ignore", invalid="ignore"):
        picked = np.resize(np.asarray(values), rows * width) * rng.uniform(-scale, scale, rows * width)
        blocks: np.ndarray = picked.astype(dtype).reshape(rows, width)
        got, want = row_sums(blocks), np.add.reduce(blocks, axis=1)
    assert got.dtype == want.dtype
    nan = np.isnan(want)
    assert np.array_equal(np.isnan(got), nan)
    assert np.array_equal(got[~nan].view(np.uint8), want[~nan].view(np.uint8))  # the bits: +0.0 is not -0.0


@pytest.mark.parametrize(("rows", "width"), [(69_912, 5), (72_000, 10), (8_000, 128), (5_000, 129), (3, 0)])
def test_row_sums_of_a_files_windows_are_numpys(rows: int, width: int) -> None:
    blocks = np.random.default_rng(7).gamma(2.0, 5.0, (rows, width)).astype(np.float32)
    assert np.array_equal(row_sums(blocks).view(np.uint8), np.add.reduce(blocks, axis=1).view(np.uint8))
    wide = blocks.astype(np.float64)
    assert np.array_equal(row_sums(wide).view(np.uint8), np.add.reduce(wide, axis=1).view(np.uint8))
    strided = np.asfortranarray(wide)  # not C-contiguous: NumPy's own reduction
    assert np.array_equal(row_sums(strided), np.add.reduce(strided, axis=1))


# ------------------------------------------- the gyroscope's fast rows counted from the first blocks


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(50, 3 * FIRST_ROWS + 17),
    fast_share=st.sampled_from([0.0, 0.0005, 0.001, 0.0011, 0.01, 0.5]),
    at_end=st.booleans(),
    stacked=st.booleans(),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_gyroscope_limit_is_decided_as_by_the_whole_percentile(
    n: int, fast_share: float, at_end: bool, stacked: bool, dtype: type, seed: int
) -> None:
    # Slow rows (under 35) with a share of fast ones about the 0.1 % the 99.9th percentile needs,
    # first or last in the file, and rows whose norm is 35 itself: the answer is the whole array's.
    rng = np.random.default_rng(seed)
    gyr = rng.normal(0.0, 8.0, (n, 3))
    fast = rng.random(n) < fast_share
    if at_end:
        fast = np.sort(fast)
    gyr[fast] *= 40.0 / np.maximum(np.linalg.norm(gyr[fast], axis=1, keepdims=True), 1e-9)
    gyr[rng.random(n) < 0.002] = (35.0, 0.0, 0.0)
    gyr = gyr.astype(dtype)
    columns = gyr if stacked else [np.ascontiguousarray(gyr[:, i]) for i in range(3)]
    want = float(order_percentile(_norms(gyr), GYRO_RANK_PCT)) > MAX_RAD_PER_S
    assert _percentile_above(columns, GYRO_RANK_PCT, MAX_RAD_PER_S) is want


def test_a_moving_gyroscope_is_told_from_its_first_block() -> None:
    # An hour at 200 Hz of a foot that turns faster than 35 deg/s a third of the time: its first
    # 16,384 rows say deg/s, and the rest is never read (NaN there would not change the answer).
    rng = np.random.default_rng(5)
    gyr = [rng.normal(0.0, 40.0, 720_000).astype(np.float32) for _ in range(3)]
    for column in gyr:
        column[FIRST_ROWS:] = np.nan
    assert _percentile_above(gyr, GYRO_RANK_PCT, MAX_RAD_PER_S)
    assert not _percentile_above([c[:FIRST_ROWS] / 100 for c in gyr], GYRO_RANK_PCT, MAX_RAD_PER_S)


@pytest.mark.parametrize("n", [50, 1_000, FIRST_ROWS + 1, 3 * FIRST_ROWS + 5, 720_000])
@pytest.mark.parametrize("short", [2, 1, 0])
@pytest.mark.parametrize("first", [True, False])
def test_the_gyroscope_limit_at_the_rank_that_decides_it(n: int, short: int, first: bool) -> None:
    # Rows at 0.5 deg/s and a few at 40 deg/s: one fast row too few puts the 99.9th percentile
    # between a slow and a fast value, where the share between them decides.
    _, low, _ = percentile_ranks(n, GYRO_RANK_PCT)
    fast_rows = n - int(low[0]) - short
    gyr = np.zeros((n, 3), np.float32)
    gyr[:, 0] = 0.5
    fast = slice(0, fast_rows) if first else slice(n - fast_rows, n)
    gyr[fast, 0] = 40.0
    want = float(order_percentile(_norms(gyr), GYRO_RANK_PCT)) > MAX_RAD_PER_S
    assert want is (short == 0 or (short == 1 and (n - 1) * GYRO_RANK_PCT / 100 % 1 > 34.5 / 39.5))
    assert _percentile_above(gyr, GYRO_RANK_PCT, MAX_RAD_PER_S) is want


@pytest.mark.parametrize("window", [3, 5, 10])
@pytest.mark.parametrize("beyond", [-1, 0, 1])
def test_free_fall_windows_are_told_at_the_quartile_that_decides_it(window: int, beyond: int) -> None:
    # One window of steady free fall (1.0), norms of 9 and 10.5 about it with the 10.5 ones from
    # the quartile's upper rank on (beyond 0): the quartile is 10.125, over ten times the free
    # fall, which is then left out; a norm of 9 more or less moves the quartile to either side.
    n = 4002  # 0.75 * (n - 1) is 3000.75: the quartile is 9 + 0.75 * 1.5 when it straddles
    _, _, high = percentile_ranks(n, 75.0)
    rng = np.random.default_rng(window)
    norm = np.full(n, 10.5) + rng.uniform(-0.01, 0.01, n)
    below = int(high[0]) + beyond
    norm[window:below] = 9.0 + rng.uniform(-0.01, 0.01, below - window)
    norm[:window] = 1.0
    values = norm.astype(np.float32)
    assert rest_reading(values, window).typical == _replaced_typical(values, window)
