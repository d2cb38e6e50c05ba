"""The end of a foot recording: a swing cut by the last sample, and a turning step after the last stride.

Truth is the walk simulator's (:func:`calfload.sim.simulate_run`, one foot at 100 Hz), with a
turning step spliced in after the walk has come to a stop. The splice's physics: the foot stays
flat while it turns by ``yaw_deg`` about the vertical and its sensor moves ``shift_m`` sideways
(both along minimum-jerk profiles, with a 3 cm lift), so the sensor reads its resting
acceleration plus the world acceleration turned into the sensor frame, and its resting rate plus
the yaw rate about the sensor's "up" (the direction of the resting acceleration). The turn has no
rate about the foot's mediolateral axis, so the swing detection cannot see it. Readings in the
sensor frame do not depend on the world heading, so after the turn the walk's own samples can
continue (as in IPOL trial 15-1, where the file ends with a swing cut in the air).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calfload.recording import Recording, make_recording
from calfload.schema import ACC_MPS2, GYR_DPS, T_S
from calfload.signal import _gait_steps as gait_steps
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_steps import side_steps
from calfload.signal._trajectory import foot_strides
from calfload.signal._trajectory_types import StrideTable
from calfload.sim import RunSpec, SensorModel, simulate_run
from calfload.sim._running import SimulatedRun

FS_HZ = 100.0
MOVE_S = 0.5


def _walk(seed: int) -> SimulatedRun:
    spec = RunSpec(
        duration_s=14.0,
        gait="walk",
        cadence_spm=108.0,
        speed_mps=1.2,
        stand_s=1.2,
        sensor=SensorModel(sample_rate_hz=FS_HZ),
        seed=seed,
    )
    return simulate_run(spec)


def _instants(rec: Recording) -> np.ndarray:
    return side_steps(rec, 0.0, "foot", GaitParams.for_placement("foot")).instants_s


def _frame(rec: Recording, until_s: float) -> pd.DataFrame:
    data = rec.data
    return data[data[T_S] <= until_s].reset_index(drop=True)


def _turn(rest: pd.DataFrame, t0_s: float, *, yaw_deg: float, shift_m: float) -> pd.DataFrame:
    """A turning step on a flat foot from ``t0_s``: still 0.3 s, moving MOVE_S, still 0.6 s (module docstring)."""
    acc_rest = rest[list(ACC_MPS2)].to_numpy().mean(axis=0)
    gyr_rest = rest[list(GYR_DPS)].to_numpy().mean(axis=0)
    up = acc_rest / np.linalg.norm(acc_rest)  # world z in the sensor frame
    east = np.cross(up, [1.0, 0.0, 0.0] if abs(up[0]) < 0.9 else [0.0, 1.0, 0.0])
    east /= np.linalg.norm(east)
    north = np.cross(up, east)
    t = np.arange(round((0.3 + MOVE_S + 0.6) * FS_HZ)) / FS_HZ
    u = np.clip((t - 0.3) / MOVE_S, 0.0, 1.0)
    s = 10 * u**3 - 15 * u**4 + 6 * u**5  # minimum jerk, 0 -> 1
    s_rate = (30 * u**2 - 60 * u**3 + 30 * u**4) / MOVE_S
    s_acc = (60 * u - 180 * u**2 + 120 * u**3) / MOVE_S**2
    moving = (u > 0) & (u < 1)
    yaw = np.radians(yaw_deg) * s
    lift_acc = np.where(moving, 0.03 * 0.5 * (2 * np.pi / MOVE_S) ** 2 * np.cos(2 * np.pi * u), 0.0)
    # World acceleration (sideways shift and lift), turned into the turning sensor's frame.
    ax, az = shift_m * s_acc * moving, lift_acc
    c, sn = np.cos(yaw), np.sin(yaw)
    acc = acc_rest + np.outer(c * ax, east) - np.outer(sn * ax, north) + np.outer(az, up)
    gyr = gyr_rest + np.outer(yaw_deg * s_rate * moving, up)
    noise = np.random.default_rng(0)
    acc += noise.normal(0.0, 0.03, acc.shape)
    gyr += noise.normal(0.0, 0.3, gyr.shape)
    frame = pd.DataFrame({T_S: t0_s + t})
    for k in range(3):
        frame[ACC_MPS2[k]] = acc[:, k]
        frame[GYR_DPS[k]] = gyr[:, k]
    return frame


@pytest.mark.parametrize(("seed", "before_landing"), [(1, 0.04), (2, 0.08), (3, 0.15)])
def test_a_swing_cut_by_the_end_is_no_step_and_no_event_lies_after_the_last_sample(
    seed: int, before_landing: float
) -> None:
    sim = _walk(seed)
    (rec,) = sim.recordings
    truth = sim.truth.feet[0].initial_contact_s
    cut_s = float(truth[-3] - before_landing)  # the foot is in the air, its landing comes later
    cut = make_recording(_frame(rec, cut_s), rec.meta)
    ours = _instants(cut)
    inside = truth[truth <= cut_s]
    assert ours.max() <= float(cut.data[T_S].iloc[-1])
    assert ours.size == inside.size
    assert np.max(np.abs(ours - inside)) < 0.05


def _walk_turn_and_cut_swing(seed: int, *, yaw_deg: float, shift_m: float) -> tuple[Recording, np.ndarray, float]:
    """The walk, a turn after its stop, then the walk's first swing cut in the air; truth landings and turn end."""
    sim = _walk(seed)
    (rec,) = sim.recordings
    truth = sim.truth.feet[0].initial_contact_s
    # The simulated foot lifts off again before its file ends: the walk stops at the last
    # stance's stillest sample, and the turn starts from the foot's readings there.
    stance = _frame(rec, float(truth[-1]) + 0.45)
    stance = stance[stance[T_S] > float(truth[-1]) + 0.05]
    stillest = int(np.argmin(np.linalg.norm(stance[list(GYR_DPS)].to_numpy(), axis=1)))
    end_s = float(stance[T_S].iloc[stillest])
    walk = _frame(rec, end_s)
    turn = _turn(
        stance.iloc[max(0, stillest - 2) : stillest + 3], end_s + 1.0 / FS_HZ, yaw_deg=yaw_deg, shift_m=shift_m
    )
    landed_s = end_s + 0.3 + MOVE_S
    start = float(turn[T_S].iloc[-1]) + 1.0 / FS_HZ
    again = _frame(rec, float(truth[0]) - 0.1)  # standing, then the first swing, cut before it lands
    again = again.assign(**{T_S: again[T_S] + start})
    joined = pd.concat([walk, turn, again], ignore_index=True)
    return make_recording(joined, rec.meta), truth, landed_s


@pytest.mark.parametrize("seed", [1, 2])
def test_a_turning_step_after_the_last_stride_is_counted_at_its_landing(seed: int) -> None:
    rec, truth, landed_s = _walk_turn_and_cut_swing(seed, yaw_deg=60.0, shift_m=0.3)
    ours = _instants(rec)
    assert ours.max() <= float(rec.data[T_S].iloc[-1])
    assert ours.size == truth.size + 1
    assert abs(ours[-1] - landed_s) < 0.1
    assert np.max(np.abs(ours[:-1] - truth)) < 0.05


def test_a_pivot_on_the_spot_after_the_last_stride_is_not_a_step() -> None:
    rec, truth, _ = _walk_turn_and_cut_swing(1, yaw_deg=60.0, shift_m=0.0)
    ours = _instants(rec)
    assert ours.size == truth.size
    assert np.max(np.abs(ours - truth)) < 0.05


def _turn_then_walk(seed: int, *, yaw_deg: float, shift_m: float) -> tuple[Recording, np.ndarray, float]:
    """A turning step, then the walk from shortly before its first swing; truth landings and the turn's landing."""
    sim = _walk(seed)
    (rec,) = sim.recordings
    truth = sim.truth.feet[0].initial_contact_s
    data = rec.data
    t0 = float(data[T_S].iloc[0])
    # The walk starts standing (stand_s): its quietest samples there are the turn's resting readings.
    standing = data[data[T_S] < float(truth[0]) - 0.6]
    stillest = int(np.argmin(np.linalg.norm(standing[list(GYR_DPS)].to_numpy(), axis=1)))
    turn = _turn(standing.iloc[max(0, stillest - 2) : stillest + 3], t0, yaw_deg=yaw_deg, shift_m=shift_m)
    # The walk resumes 0.5 s before its first swing (as the file-end case stops at its last stance).
    walk = data[data[T_S] >= float(truth[0]) - 1.0]
    shift_s = float(turn[T_S].iloc[-1]) + 1.0 / FS_HZ - float(walk[T_S].iloc[0])
    walk = walk.assign(**{T_S: walk[T_S] + shift_s})
    joined = pd.concat([turn, walk], ignore_index=True)
    return make_recording(joined, rec.meta), truth + shift_s, t0 + 0.3 + MOVE_S


@pytest.mark.parametrize("seed", [1, 2])
def test_a_turning_step_before_the_first_stride_is_counted_at_its_landing(seed: int) -> None:
    rec, truth, landed_s = _turn_then_walk(seed, yaw_deg=60.0, shift_m=0.3)
    ours = _instants(rec)
    assert ours.size == truth.size + 1
    assert abs(ours[0] - landed_s) < 0.1
    assert np.max(np.abs(ours[1:] - truth)) < 0.05


def test_a_pivot_on_the_spot_before_the_first_stride_is_not_a_step() -> None:
    rec, truth, _ = _turn_then_walk(1, yaw_deg=60.0, shift_m=0.0)
    ours = _instants(rec)
    assert ours.size == truth.size
    assert np.max(np.abs(ours - truth)) < 0.05


def test_a_gap_between_strides_that_holds_a_landing_gets_no_turning_step(monkeypatch: pytest.MonkeyPatch) -> None:
    # The stride integration can leave a swing without a stride of its own (it drops a stride
    # that would overlap the one before): the gap then spans that swing, which moved the foot a
    # stride's length, and its landing is already counted.
    sim = _walk(1)
    (rec,) = sim.recordings
    truth = sim.truth.feet[0].initial_contact_s
    whole = foot_strides

    def one_dropped(*args: object, **kwargs: object) -> StrideTable:
        strides = whole(*args, **kwargs)  # type: ignore[arg-type]
        return StrideTable.joined([strides[:3], strides[4:]])

    monkeypatch.setattr(gait_steps, "foot_strides", one_dropped)
    ours = _instants(rec)
    assert ours.size == truth.size
    assert np.max(np.abs(ours - truth)) < 0.05
