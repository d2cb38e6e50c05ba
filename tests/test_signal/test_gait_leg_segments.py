"""Shank and thigh walks: one stride per swing of the segment, whatever the mounting and rate.

No labelled shank or thigh recording is in ``../shared/validation``, so the truth here is a
small kinematic stand-in, stated in full: the segment turns only in the sagittal plane with an
angle (forward positive, degrees, phase ``φ`` from heel strike) of

- thigh: ``8 + 18·cos 2π(φ − 0.88) + 4·cos 4π(φ − 0.1)`` (hip flexion about 25° at heel strike,
  extension to about −12° near 55 % and the swing's peak flexion near 88 %, the shape of
  Winter's normative thigh angle);
- shank: ``5 + 30·cos 2π(φ − 0.92) + 10·cos 4π(φ − 0.75) + 4·cos 6π(φ − 0.3)`` (a slow backward
  rotation over the planted foot, then the fast forward swing, peaking at 300-450 deg/s),

with 2 % stride-to-stride jitter, a one-stride ramp in and out, 2 s of standing at each end,
gravity seen in the segment frame, a 2 × stride bounce, noise, a random mounting and 50-400 Hz.
The gyroscope reads ``dθ/dt`` about the segment's mediolateral axis. Steps are twice the strides
(one leg), cadence the simulated one; judged as the issue judges real walks: steps within
max(2, 3 %), median cadence within 2 spm. Thigh steps used to come from the periodic bounce,
which missed or added strides on this stand-in (4 of the 10 seeds 0-9 failed).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as sps

from calfload.recording import Recording
from calfload.signal import GaitAnalysis, analyze
from calfload.signal._gait import analyze_gait
from calfload.signal._gait_params import GaitParams
from calfload.sim import random_rotation
from calfload.units import STANDARD_GRAVITY_MPS2
from tools.validate_cases import imu_recording


def _angle_deg(segment: str, phi: np.ndarray) -> np.ndarray:
    if segment == "thigh":
        return np.asarray(8 + 18 * np.cos(2 * np.pi * (phi - 0.88)) + 4 * np.cos(4 * np.pi * (phi - 0.1)))
    return np.asarray(
        5
        + 30 * np.cos(2 * np.pi * (phi - 0.92))
        + 10 * np.cos(4 * np.pi * (phi - 0.75))
        + 4 * np.cos(6 * np.pi * (phi - 0.3))
    )


def walk(segment: str, cadence_spm: float | np.ndarray, fs_hz: float, seed: int, strides: int = 20) -> Recording:
    """A walk of ``strides`` strides with the segment's sensor (see the module docstring).

    ``cadence_spm`` may give every stride its own cadence (an array of ``strides`` values).
    """
    rng = np.random.default_rng(seed)
    stride_s = 120.0 / np.broadcast_to(np.asarray(cadence_spm, dtype=np.float64), (strides,))
    period_s = float(stride_s[0])
    periods = stride_s * (1.0 + 0.02 * rng.standard_normal(strides))
    edges = np.concatenate(([2.0], 2.0 + np.cumsum(periods)))
    t = np.arange(0.0, edges[-1] + 2.0, 1.0 / fs_hz)
    inside = (t >= edges[0]) & (t < edges[-1])
    k = np.searchsorted(edges, t[inside], side="right") - 1
    phase = np.zeros_like(t)
    phase[inside] = k + (t[inside] - edges[k]) / periods[k]
    ramp = np.clip(np.minimum(t - edges[0], edges[-1] - t) / period_s, 0.0, 1.0)
    angle = _angle_deg(segment, phase % 1.0) * ramp
    theta = np.deg2rad(angle)
    g = STANDARD_GRAVITY_MPS2
    acc = np.column_stack([g * np.sin(theta), np.zeros_like(t), g * np.cos(theta)])
    acc[:, 0] += 3.0 * np.sin(4 * np.pi * phase) * inside
    gyr = np.column_stack([np.zeros_like(t), np.gradient(angle, t), np.zeros_like(t)])
    acc += rng.normal(0.0, 0.3, acc.shape)
    gyr += rng.normal(0.0, 2.0, gyr.shape)
    rotation = random_rotation(rng)
    return imu_recording(t, acc @ rotation.T, gyr @ rotation.T, source=f"{segment} {seed}", placement=segment)


@pytest.mark.parametrize("segment", ["thigh", "shank"])
@pytest.mark.parametrize(
    ("seed", "cadence_spm", "fs_hz"), [(0, 90.0, 50.0), (3, 108.0, 400.0), (5, 120.0, 100.0), (8, 138.0, 200.0)]
)
def test_steps_and_cadence_of_a_leg_segment(segment: str, seed: int, cadence_spm: float, fs_hz: float) -> None:
    result = analyze(walk(segment, cadence_spm, fs_hz, seed), activity="walk")
    assert isinstance(result, GaitAnalysis)
    assert result.placement == segment
    assert result.steps is not None
    assert abs(result.steps - 40) <= 2
    assert result.steps_doubled_from_one_foot
    assert result.cadence_median_spm == pytest.approx(cadence_spm, abs=2.0)


@pytest.mark.parametrize(
    ("segment", "seed", "cadence_spm", "fs_hz"),
    [("thigh", 5, 120.0, 100.0), ("thigh", 8, 138.0, 200.0), ("thigh", 3, 108.0, 400.0), ("shank", 3, 108.0, 400.0)],
)
def test_a_walk_of_a_few_strides_is_recognised_without_activity(
    segment: str, seed: int, cadence_spm: float, fs_hz: float
) -> None:
    """Six strides (a 5 m walk) on the stand-in: the detector finds gait, and the analysis counts its steps.

    The thigh swings through about 40 degrees, turning at 100-250 deg/s, below the foot's and
    shank's 200 deg/s; the norm of its angular rate peaks twice a stride. Before the thigh had its
    own swing threshold and the stride could be read from either norm, these were 'cannot tell'.
    """
    result = analyze(walk(segment, cadence_spm, fs_hz, seed, strides=6))
    assert isinstance(result, GaitAnalysis)
    assert result.activity_detected
    assert result.steps is not None
    assert abs(result.steps - 12) <= 2


def _stride_errors_ms(seed: int, cadence_spm: float, wobble_dps: float, instant: str) -> np.ndarray:
    """|detected - simulated| stride time of each stride found, on a thigh with soft-tissue wobble."""
    strides = 12
    fs_hz = 100.0
    # walk() draws the stride times first from its generator: the same draw is the truth.
    periods = 120.0 / cadence_spm * (1.0 + 0.02 * np.random.default_rng(seed).standard_normal(strides))
    edges = np.concatenate(([2.0], 2.0 + np.cumsum(periods)))
    rec = walk("thigh", cadence_spm, fs_hz, seed, strides=strides)
    b, a = sps.butter(2, [5.0, 12.0], btype="band", fs=fs_hz)
    wobble = sps.filtfilt(b, a, np.random.default_rng(seed + 1000).standard_normal((rec.t_s.size, 3)), axis=0)
    wobble *= wobble_dps / wobble.std() * ((rec.t_s > edges[0]) & (rec.t_s < edges[-1]))[:, None]
    wobbly = imu_recording(rec.t_s, rec.acc_mps2(), rec.gyr_dps() + wobble, source="thigh", placement="thigh")
    params = GaitParams.for_placement("thigh", stride_instant=instant)
    found = analyze_gait(wobbly, activity="walk", params=params).events.instants_s[0]
    # Each instant's stride: the nearest simulated contact after removing the median lag.
    lag = float(np.median(found - edges[np.argmin(np.abs(edges[None, :] - found[:, None]), axis=1)]))
    k = np.argmin(np.abs(edges[None, :] - (found - lag)[:, None]), axis=1)
    whole = np.flatnonzero(np.diff(k) == 1)
    return np.asarray(np.abs(np.diff(found)[whole] - periods[k[whole]]) * 1000.0)


def test_thigh_strides_are_timed_by_the_slow_swing_not_its_end_in_soft_tissue_wobble() -> None:
    """A thigh's rate carries soft-tissue wobble (5-12 Hz; here 40 deg/s RMS, the stand-in's walk
    otherwise as above). The end of the swing lobe is where the rate crosses a level near zero, so
    wobble moves it (the 15 Hz rate keeps it); the peak of the 2 Hz lobe does not move. Stride times
    by the lobe's peak: median error 5 ms on seeds 0-2, by its end 20 ms (Marpino's real
    thighs: docs/validation.md)."""
    by_swing = np.concatenate([_stride_errors_ms(seed, 96.0 + 12 * seed, 40.0, "swing") for seed in range(3)])
    by_end = np.concatenate([_stride_errors_ms(seed, 96.0 + 12 * seed, 40.0, "contact") for seed in range(3)])
    assert by_swing.size >= 27
    assert float(np.median(by_swing)) < 12.0
    assert float(np.median(by_end)) > 2 * float(np.median(by_swing))
    assert GaitParams.for_placement("thigh").stride_instant == "swing"
