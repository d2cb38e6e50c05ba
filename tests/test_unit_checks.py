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

from calfload._unit_checks import accelerometer_scale
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
