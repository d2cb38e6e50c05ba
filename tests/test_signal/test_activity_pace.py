"""Walk or run on a shank or thigh, which gives no contact times (:mod:`calfload.signal._activity_pace`).

Truth here is by construction, stated in full:

- the *quiet share*: a leg whose acceleration norm is 1 g for a known share of every stride and
  1.5-2.1 g for the rest (any mounting, 50-400 Hz) has that quiet share (the 10 Hz low-pass blurs
  each of the two edges a stride by about a sample or two);
- whole walks and runs through the gait analysis: the kinematic shank and thigh stand-in of
  ``test_gait_leg_segments`` (the leg turns in the sagittal plane; its acceleration is gravity
  seen in the segment frame, so its norm stays near 1 g, as a walking leg's does over the planted
  foot) walking at 150 and 165 steps/min, above the 140 at which cadence alone called it a run
  (HuGaDB participant 1 walks at 152.5); and the same stand-in running: its acceleration norm is
  that of a running leg as measured on real shanks (docs/validation.md, Bach et al. 2022: near
  1 g for 3-17 % of the stride), here near 1 g only for the last 10 % of each stride (late swing)
  and otherwise 1.5-3 g (landing impact and loading over the 35 % contact, then the swing's
  centripetal acceleration); the bouts of a stand-in that walks at 115 and then 158 steps/min,
  and of one that walks at 115 and then runs at 158.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from calfload.recording import Recording
from calfload.signal import GaitAnalysis, _activity_pace, analyze
from calfload.signal._activity_pace import PaceParams, QuietMeasure, quiet_share, walk_or_run
from calfload.signal._gait import analyze_gait
from calfload.sim import random_rotation
from calfload.units import STANDARD_GRAVITY_MPS2
from tools.validate_cases import imu_recording

from .test_gait_leg_segments import walk


def _norm_profile(t_s: np.ndarray, edges_s: np.ndarray, norm_g: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The acceleration norm (g) at each time from the stride phase (0-1 in each stride), NaN outside the strides."""
    k = np.clip(np.searchsorted(edges_s, t_s, side="right") - 1, 0, edges_s.size - 2)
    phase = (t_s - edges_s[k]) / (edges_s[k + 1] - edges_s[k])
    inside = (t_s >= edges_s[0]) & (t_s < edges_s[-1])
    return np.where(inside, norm_g(phase), np.nan)


def _with_norm(rec: Recording, edges_s: np.ndarray, norm_g: Callable[[np.ndarray], np.ndarray], seed: int) -> Recording:
    """``rec`` with its acceleration's direction kept and its norm ``norm_g(stride phase)`` in the given strides."""
    acc = rec.acc_mps2()
    unit = acc / np.linalg.norm(acc, axis=1, keepdims=True)
    norm = _norm_profile(rec.t_s, edges_s, norm_g) * STANDARD_GRAVITY_MPS2
    running = ~np.isnan(norm)
    # A running leg shakes more than the stand-in's walking noise (0.3 m/s²): soft tissue after each landing.
    shake = np.random.default_rng(seed).normal(0.0, 0.6, acc.shape)
    acc = np.where(running[:, None], unit * np.nan_to_num(norm)[:, None] + shake, acc)
    return imu_recording(rec.t_s, acc, rec.gyr_dps(), source=f"{rec.meta.placement} run", placement=rec.meta.placement)


@pytest.mark.parametrize(("share", "fs_hz", "seed"), [(0.1, 50.0, 0), (0.35, 100.0, 1), (0.6, 400.0, 2)])
def test_quiet_share_is_the_share_of_stride_time_near_one_g(share: float, fs_hz: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    edges = np.cumsum(np.r_[1.0, 0.8 * (1.0 + 0.03 * rng.standard_normal(30))])
    t = np.arange(0.0, edges[-1] + 1.0, 1.0 / fs_hz)
    # Outside the quiet part the norm moves (1.5-2.1 g), as a moving leg's does; rest stays the steadiest.
    norm = _norm_profile(t, edges, lambda phase: np.where(phase < share, 1.0, 1.8 + 0.3 * np.sin(10 * np.pi * phase)))
    norm = np.nan_to_num(norm, nan=1.0)  # standing before and after
    direction = random_rotation(rng) @ np.array([0.0, 0.0, 1.0])
    acc = norm[:, None] * direction[None, :] * STANDARD_GRAVITY_MPS2
    rec = imu_recording(t, acc, rng.normal(0.0, 1.0, acc.shape) @ random_rotation(rng).T, source="x", placement="shank")
    found = quiet_share(QuietMeasure([rec]), [edges], [0.0], max_stride_s=2.5)
    assert found == pytest.approx(share, abs=0.05)


def test_strides_across_a_stop_are_left_out_and_no_strides_give_nan() -> None:
    t = np.arange(0.0, 20.0, 0.01)
    acc = np.column_stack([np.zeros_like(t), np.zeros_like(t), np.full_like(t, STANDARD_GRAVITY_MPS2)])
    acc[(t >= 5.0) & (t < 15.0), 2] *= 2.0  # 10 s of 2 g between two strides 10 s apart
    rec = imu_recording(t, acc, np.ones_like(acc), source="x", placement="thigh")
    instants = np.array([4.0, 5.0, 15.0, 16.0])
    # The 10 Hz low-pass spreads the step to 2 g over a few hundredths of a second into the stride before it.
    measure = QuietMeasure([rec])
    assert quiet_share(measure, [instants], [0.0], max_stride_s=2.5) == pytest.approx(1.0, abs=0.05)
    assert math.isnan(quiet_share(measure, [np.array([3.0])], [0.0], max_stride_s=2.5))


@pytest.mark.parametrize(
    ("quiet", "spm", "expected"),
    [
        (0.05, 120.0, "walk"),
        (0.05, 150.0, "run"),
        (0.25, 150.0, "walk"),
        (math.nan, 150.0, "run"),
        (0.5, math.nan, "walk"),
    ],
)
def test_walk_or_run(quiet: float, spm: float, expected: str) -> None:
    assert walk_or_run(quiet, spm, 140.0, PaceParams()) == expected


@pytest.mark.parametrize("segment", ["shank", "thigh"])
@pytest.mark.parametrize(("seed", "cadence_spm", "fs_hz"), [(0, 150.0, 50.0), (1, 165.0, 200.0)])
def test_a_leg_walking_at_a_running_cadence_is_walking(
    segment: str, seed: int, cadence_spm: float, fs_hz: float
) -> None:
    result = analyze_gait(walk(segment, cadence_spm, fs_hz, seed))
    assert result.cadence_median_spm == pytest.approx(cadence_spm, abs=2.0)
    assert result.activity == "walk"  # cadence alone called it a run


def _running_norm_g(phase: np.ndarray) -> np.ndarray:
    """A running leg's acceleration norm over the stride (module docstring)."""
    contact = np.where(phase < 0.05, 3.0, 1.5 + np.sin(np.pi * (phase - 0.05) / 0.3))  # impact, then loading
    swing = 1.5 + 0.5 * np.sin(np.pi * (phase - 0.35) / 0.55)  # centripetal, peaking mid-swing
    return np.where(phase < 0.35, contact, np.where(phase < 0.9, swing, 1.0))


@pytest.mark.parametrize("segment", ["shank", "thigh"])
@pytest.mark.parametrize(("seed", "cadence_spm", "fs_hz"), [(2, 150.0, 100.0), (3, 172.0, 400.0)])
def test_a_running_leg_is_running(segment: str, seed: int, cadence_spm: float, fs_hz: float) -> None:
    rec = walk(segment, cadence_spm, fs_hz, seed)
    result = analyze_gait(_with_norm(rec, _edges(np.full(20, cadence_spm), seed), _running_norm_g, seed))
    assert result.cadence_median_spm == pytest.approx(cadence_spm, abs=2.0)
    assert result.activity == "run"


def _edges(cadence_spm: np.ndarray, seed: int) -> np.ndarray:
    """The stand-in's stride edges: 2 s of standing, then one stride of 120 / cadence (+-2 %, seeded) each."""
    rng = np.random.default_rng(seed)
    return np.concatenate(
        ([2.0], 2.0 + np.cumsum(120.0 / cadence_spm * (1.0 + 0.02 * rng.standard_normal(cadence_spm.size))))
    )


@pytest.mark.parametrize("segment", ["shank", "thigh"])
def test_a_leg_walking_faster_is_one_walking_bout_and_running_is_a_run(segment: str) -> None:
    # 30 strides at 115 spm (31 s), then 45 at 158 spm (34 s): the bouts cut walk from run by
    # cadence above 145 spm, so the fast walk was a run bout of its own.
    cadence = np.r_[np.full(30, 115.0), np.full(45, 158.0)]
    rec = walk(segment, cadence, 100.0, 4, strides=cadence.size)
    walked = analyze(rec)
    assert isinstance(walked, GaitAnalysis)
    assert [b.activity for b in walked.segments if b.is_gait] == ["walk"]
    edges = _edges(cadence, 4)
    ran = analyze(_with_norm(rec, edges[30:], _running_norm_g, 4))
    assert isinstance(ran, GaitAnalysis)
    gait = [b for b in ran.segments if b.is_gait]
    assert [b.activity for b in gait] == ["walk", "run"]
    assert gait[1].start_s == pytest.approx(edges[30], abs=3.0)


@pytest.mark.parametrize("segment", ["shank", "thigh"])
def test_the_activity_given_is_kept_and_a_leg_that_disagrees_is_warned_of(segment: str) -> None:
    walking = walk(segment, 150.0, 100.0, 5)
    assert not [w for w in analyze_gait(walking, activity="walk").warnings if "look like" in w]
    given_run = analyze_gait(walking, activity="run")
    assert given_run.activity == "run"
    assert [w for w in given_run.warnings if "look like a walk" in w]
    running = _with_norm(walking, _edges(np.full(20, 150.0), 5), _running_norm_g, 5)
    given_walk = analyze_gait(running, activity="walk")
    assert given_walk.activity == "walk"
    assert [w for w in given_walk.warnings if "look like a run" in w]
    assert not [w for w in analyze_gait(running, activity="run").warnings if "look like" in w]


@pytest.mark.parametrize(("cadence_spm", "measured"), [(150.0, 1), (110.0, 0)])
def test_a_legs_quiet_strides_are_measured_once_for_the_activity_and_the_bouts(
    monkeypatch: pytest.MonkeyPatch, cadence_spm: float, measured: int
) -> None:
    # At 150 steps/min the gait analysis asks how quiet the strides are (walk or run), and the
    # bouts, which cut a run from 145 steps/min by cadence, ask again for that run bout: one
    # measurement serves both (it was made twice). A slow walk asks nothing.
    calls: list[Recording] = []
    measure = _activity_pace.quiet_pieces

    def counted(rec: Recording, params: PaceParams) -> tuple[_activity_pace.QuietPiece, ...]:
        calls.append(rec)
        return measure(rec, params)

    monkeypatch.setattr(_activity_pace, "quiet_pieces", counted)
    result = analyze(walk("shank", cadence_spm, 100.0, 6))
    assert isinstance(result, GaitAnalysis)
    assert result.activity == "walk"
    assert [b.activity for b in result.segments if b.is_gait] == ["walk"]
    assert len(calls) == measured
    assert (result.quiet_pieces is not None) == bool(measured)
