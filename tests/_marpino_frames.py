"""A constructed recording in the Marpino data set's format, for the tools' tests (no file of the data set).

The six IMU columns (``Time_k`` in ms, ``Acc_read_*_k`` in 1/10000 g, ``Gyro_read_*_k`` in 1/100
deg/s) carry a simulated walk of both feet (:func:`calfload.sim.simulate_run`, 100 Hz, its
landings and toe-offs known): each foot's signals on its foot, shank and thigh sensors. The toe and
heel pressures (``Ext1``/``Ext2`` with their clock ``Ext_time``, under sensors 1, right foot, and
6, left foot) load in every simulated stance, heel first and toe last, and stay at their baseline
in every swing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calfload.sim import simulate_run
from calfload.sim._kinematics import SensorModel
from calfload.sim._running import FootTruth, RunSpec, SimulatedRun
from calfload.units import STANDARD_GRAVITY_MPS2
from tools.validate_legs import SENSORS

FS_HZ = 100.0


def walk(seed: int = 4) -> SimulatedRun:
    spec = RunSpec(
        duration_s=10.0,
        gait="walk",
        cadence_spm=105.0,
        speed_mps=1.2,
        feet=("left", "right"),
        sensor=SensorModel(sample_rate_hz=FS_HZ),
        seed=seed,
    )
    return simulate_run(spec)


def _pressures(t_s: np.ndarray, foot: FootTruth, last_rise_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Toe and heel pressure: loaded while standing and in stance (heel first half, toe second), baseline in swing."""
    toe, heel = np.full(t_s.size, 400.0), np.full(t_s.size, 900.0)
    ic, off = foot.initial_contact_s, foot.toe_off_s  # off[i] ends the stance ic[i] begins
    # The first swing leaves standing (its lift is not in the truth): as long as the second swing.
    lifts = np.concatenate(([ic[0] - (ic[1] - off[0])], off))
    for lift, land in zip(lifts, ic, strict=True):
        swing = (t_s >= lift) & (t_s < land)
        toe[swing], heel[swing] = 90.0, 10.0
    for c, end in zip(ic, off, strict=False):
        stance = (t_s >= c) & (t_s < end)
        phase = (t_s[stance] - c) / (end - c)
        heel[stance] = 1800.0 * np.clip(1.0 - 2.0 * phase, 0.0, 1.0) + 10.0
        toe[stance] = 2000.0 * np.clip(2.5 * (phase - 0.4), 0.0, 1.0) + 90.0
    if last_rise_s > 0.0:  # the last landing: the heel loads linearly, as a walker shifts weight onto it
        last = ic[-1]
        ramp = (t_s >= last) & (t_s < last + last_rise_s)
        heel[ramp] = 10.0 + 1800.0 * (t_s[ramp] - last) / last_rise_s
        toe[ramp] = 90.0  # the toe stays unloaded meanwhile
        heel[t_s >= last + last_rise_s] = 1810.0
    return toe, heel


def marpino_frame(run: SimulatedRun, last_rise_s: float = 0.0) -> pd.DataFrame:
    """The walk in the data set's columns; ``last_rise_s``: each foot's last landing loads its heel over that time."""
    recs = {r.meta.side: r for r in run.recordings}
    truth = {f.side: f for f in run.truth.feet}
    columns: dict[str, np.ndarray] = {}
    for (placement, side), k in SENSORS.items():
        del placement
        rec = recs[side]
        columns[f"Time_{k}"] = np.round(1000.0 * rec.t_s)
        for i, axis in enumerate("xyz"):
            columns[f"Acc_read_{axis}_{k}"] = np.round(rec.acc_mps2()[:, i] / STANDARD_GRAVITY_MPS2 * 10000.0)
            columns[f"Gyro_read_{axis}_{k}"] = np.round(rec.gyr_dps()[:, i] * 100.0)
    for side, k in (("right", 1), ("left", 6)):
        t_s = recs[side].t_s
        columns[f"Ext_time_{k}"] = np.round(1000.0 * t_s)
        columns[f"Ext1_{k}"], columns[f"Ext2_{k}"] = _pressures(t_s, truth[side], last_rise_s)
    return pd.DataFrame(columns)
