"""Calf-raise reps, phases, sets and the eccentric tempo audit from a foot IMU in any orientation.

The algorithm, numbered as in the code:

1. Front end (:mod:`calfload.signal._preprocess`): uniform grid, gaps, rest, gyro bias, gravity and
   the dominant rotation axis (the foot's mediolateral axis).
2. **Pitch.** ``ω`` is the bias-free angular rate about that axis. The foot pitch ``θ`` fuses the
   integrated ``ω`` (exact over seconds) with the accelerometer's tilt about the axis (exact at
   rest, drift-free): ``θ = ∫ω + LP(θ_acc − ∫ω)``, a complementary filter with a
   ``drift_cutoff_hz`` crossover. ``θ = 0`` is the most common pose at rest (standing, heel
   down); the axis sign is chosen so that raises are positive.
3. **Excursions.** Every stretch with ``θ`` above ``heel_down_deg`` is a movement; one with two
   summits separated by a deep valley (below half the lower summit) is two movements. Movements
   smaller than ``min_movement_deg`` are sway and ignored.
4. **Steps.** A movement with the foot speed of a walking swing, a heel-strike impact, or a
   brief heel lift that ends in a fast swing or in toe-up dorsiflexion is a walking step: never
   a rep, and it ends a set.
5. **Phases** (DESIGN.md): a phase starts or ends where ``|ω|`` crosses
   ``phase_threshold_fraction`` of that phase's peak. The rise is the positive-``ω`` motion before
   the summit, the lowering the negative-``ω`` motion after it; speed bumps that turn less than
   ``min_phase_share`` of the excursion (postural wobble) or lie more than ``max_phase_pause_s``
   from the main motion are not part of the phase.
6. **Sets and partial reps.** Reps more than ``set_break_s`` apart, or with walking between them,
   are in different sets; the rest is measured between rep-sized movements (at least
   ``min_rep_excursion_deg``), and smaller ones join the set they happen in. A movement smaller
   than ``partial_fraction`` of its set's median excursion (or than ``min_rep_excursion_deg``) is
   a partial rep: reported, not counted.
7. **Tempo audit.** A rep passes when ``eccentric_s >= target_eccentric_s - tolerance_s``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from calfload._stats import median, row_norms
from calfload.errors import AnalysisError
from calfload.recording import Recording, true_runs
from calfload.signal._calf_sets import reps_and_sets
from calfload.signal._calf_types import CalfRaiseAnalysis, CalfRaiseParams
from calfload.signal._frame import ImuFrame, estimate_frame, find_rest
from calfload.signal._kernels import find_peaks
from calfload.signal._preprocess import (
    UniformImu,
    lowpass,
    tilt_about_axis_deg,
    undo_tilt,
    uniform_imu,
)
from calfload.units import STANDARD_GRAVITY_MPS2


@dataclass(frozen=True, slots=True, eq=False)
class PitchTrack:
    """Foot pitch and its rate on the uniform grid (step 2)."""

    theta_deg: np.ndarray
    omega_dps: np.ndarray
    up_bottom: np.ndarray
    axis: np.ndarray


@dataclass(slots=True)
class _Movement:
    """A heel excursion found in step 3 (indices on the uniform grid, end exclusive)."""

    start: int
    end: int
    peak: int
    excursion_deg: float
    is_step: bool = False


def analyze_calf_raises(recording: Recording, params: CalfRaiseParams | None = None) -> CalfRaiseAnalysis:
    """Count calf raises, split them into phases and sets, and audit the lowering tempo.

    Parameters
    ----------
    recording
        An IMU recording (foot or shank, any mounting orientation, 25–1000 Hz).
    params
        Algorithm parameters; by default those of the recording's placement.

    Returns
    -------
    CalfRaiseAnalysis
        Counted reps, partial reps and sets.

    Raises
    ------
    AnalysisError
        If the recording holds no usable motion (never still, never moving).
    """
    if recording.meta.kind != "imu":
        raise AnalysisError(f"calf-raise analysis needs an IMU stream, not {recording.meta.kind}")
    placement = recording.meta.placement
    params = params or CalfRaiseParams.for_placement(placement)
    # 1. Front end.
    imu = uniform_imu(
        recording,
        max_rate_hz=params.max_rate_hz,
        max_bridged_gap_s=params.max_bridged_gap_s,
    )
    frame = _frame(imu, params)
    # 2. Pitch.
    track = pitch_track(imu, frame, params)
    # 3.-4. Movements and steps.
    movements = find_movements(imu, track, params)
    for m in movements:
        m.is_step = is_walking_step(imu, track, m, params)
    # 5.-7. Phases, sets, partial reps, tempo.
    reps, partials, sets, incomplete = reps_and_sets(imu, track, movements, params)
    walking = _merge_intervals(
        [(float(imu.t_s[m.start]), float(imu.t_s[m.end - 1])) for m in movements if m.is_step],
        join_s=params.walking_join_s,
    )
    return CalfRaiseAnalysis(
        reps=tuple(reps),
        partial_reps=tuple(partials),
        sets=tuple(sets),
        params=params,
        duration_s=recording.duration_s,
        sample_rate_hz=recording.meta.sample_rate_hz,
        walking_s=tuple(walking),
        gaps_s=imu.gaps_s,
        placement=placement,
        source=recording.source,
        incomplete_reps=tuple(incomplete),
    )


def raise_angle_series(recording: Recording, params: CalfRaiseParams | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The foot's raise angle over time, as :func:`analyze_calf_raises` sees it (steps 1-2).

    For plots of a session: the reps and phases of the analysis lie on this curve.

    Parameters
    ----------
    recording
        An IMU recording (foot or shank).
    params
        Algorithm parameters; by default those of the recording's placement.

    Returns
    -------
    t_s : numpy.ndarray
        Times (s from the recording's start) on the working grid (at most ``max_rate_hz``).
    pitch_deg : numpy.ndarray
        Foot pitch (deg): 0 with the heel down at rest, positive with the heel raised; NaN inside
        gaps too long to bridge.

    Raises
    ------
    AnalysisError
        If the recording is not an IMU stream or holds too few samples.
    """
    if recording.meta.kind != "imu":
        raise AnalysisError(f"the raise angle needs an IMU stream, not {recording.meta.kind}")
    params = params or CalfRaiseParams.for_placement(recording.meta.placement)
    imu = uniform_imu(
        recording,
        max_rate_hz=params.max_rate_hz,
        max_bridged_gap_s=params.max_bridged_gap_s,
    )
    track = pitch_track(imu, _frame(imu, params), params)
    pitch = np.where(imu.valid, track.theta_deg, np.nan)
    return imu.t_s.copy(), pitch


def pitch_track(imu: UniformImu, frame: ImuFrame, params: CalfRaiseParams) -> PitchTrack:
    """Foot pitch about the dominant axis, zero at the usual resting pose, raises positive (step 2)."""
    fs = imu.fs_hz
    axis = frame.axis
    omega_raw = (imu.gyr_dps - frame.gyr_bias_dps) @ axis
    acc_smooth = lowpass(imu.acc_mps2, min(params.tilt_lowpass_hz, 0.4 * fs), fs)
    theta_acc = tilt_about_axis_deg(acc_smooth, frame.up, axis)
    _bridge_rate_with_tilt(omega_raw, theta_acc, imu.bridged, fs)
    theta = np.zeros_like(omega_raw)
    omega = np.zeros_like(omega_raw)
    for a, b in zip(imu.segment_starts, imu.segment_ends, strict=True):
        if b - a < 8:
            theta[a:b] = theta_acc[a:b]
            continue
        integral = np.cumsum(omega_raw[a:b]) / fs
        theta[a:b] = integral + lowpass(theta_acc[a:b] - integral, params.drift_cutoff_hz, fs, order=1)
        omega[a:b] = lowpass(omega_raw[a:b], min(params.omega_lowpass_hz, 0.4 * fs), fs)
    theta = theta - _resting_pose_deg(theta[frame.rest], params)
    # Raises lift the heel: make the larger excursions positive.
    moving = ~frame.rest & imu.valid
    positive = float(np.clip(theta[moving], 0, None).sum())
    negative = float(np.clip(-theta[moving], 0, None).sum())
    if negative > positive:
        theta, omega, axis = -theta, -omega, -axis
    bottom = frame.rest & (np.abs(theta) < params.rest_pose_band_deg)
    source = imu.acc_mps2[bottom] if bottom.sum() >= 3 else imu.acc_mps2[frame.rest]
    up_bottom = median(source, axis=0)
    return PitchTrack(theta, omega, up_bottom / np.linalg.norm(up_bottom), axis)


def _frame(imu: UniformImu, params: CalfRaiseParams) -> ImuFrame:
    """Rest, gyro bias, gravity and the raise axis with these parameters' thresholds (step 1)."""
    return estimate_frame(
        imu,
        find_rest(imu, params.rest_criteria),
        min_rest_run_s=params.min_rest_run_s,
        bias_drift_time_s=params.bias_drift_time_s,
    )


def _resting_pose_deg(rest_theta_deg: np.ndarray, params: CalfRaiseParams) -> float:
    """The resting pitch that recurs most (heel down): the median of the pitches near the modal bin."""
    width = params.rest_pose_bin_deg
    bins = np.arange(rest_theta_deg.min() - width, rest_theta_deg.max() + 2 * width, width)
    counts, edges = np.histogram(rest_theta_deg, bins=bins)
    mode = edges[int(np.argmax(counts))] + width / 2
    near = np.abs(rest_theta_deg - mode) < params.rest_pose_band_deg
    return float(median(rest_theta_deg[near]))


def _bridge_rate_with_tilt(omega: np.ndarray, theta_acc: np.ndarray, bridged: np.ndarray, fs: float) -> None:
    """Inside bridged gaps, replace the interpolated rate by the one that joins the tilts at both ends.

    Integrating linearly interpolated gyro samples across a lost second would leave the pitch
    off by whatever the foot turned meanwhile; the accelerometer tilt on both sides of the gap
    says how far it turned.
    """
    for a, b in zip(*(runs.tolist() for runs in true_runs(bridged)), strict=True):
        before, after = max(a - 1, 0), min(b, omega.size - 1)
        if after > before:
            omega[a:b] = (theta_acc[after] - theta_acc[before]) * fs / (after - before)


def find_movements(imu: UniformImu, track: PitchTrack, params: CalfRaiseParams) -> list[_Movement]:
    """Heel excursions above ``heel_down_deg``, split at deep valleys (step 3)."""
    theta = track.theta_deg
    out: list[_Movement] = []
    for seg_a, seg_b in zip(imu.segment_starts, imu.segment_ends, strict=True):
        above = theta[seg_a:seg_b] > params.heel_down_deg
        starts, ends = true_runs(above)
        for a, b in zip(starts + seg_a, ends + seg_a, strict=True):
            out.extend(_split_at_valleys(theta, int(a), int(b), params))
    return [m for m in out if m.excursion_deg >= params.min_movement_deg]


def _split_at_valleys(theta: np.ndarray, a: int, b: int, params: CalfRaiseParams) -> list[_Movement]:
    piece = theta[a:b]
    top = float(piece.max())
    if not _may_cut(piece, params.valley_depth_fraction):  # one movement, as the peaks would have found
        p = int(np.argmax(piece))
        return [_Movement(a, b, a + p, top)]
    peaks, _ = find_peaks(piece, prominence=max(params.min_movement_deg, params.summit_prominence_fraction * top))
    if peaks.size <= 1:
        p = int(np.argmax(piece))
        return [_Movement(a, b, a + p, top)]
    cuts = [0]
    for left, right in pairwise(peaks):
        valley = int(left) + int(np.argmin(piece[left:right]))
        if piece[valley] < params.valley_depth_fraction * min(piece[left], piece[right]):
            cuts.append(valley)
    cuts.append(b - a)
    out = []
    for c0, c1 in pairwise(cuts):
        p = c0 + int(np.argmax(piece[c0:c1]))
        out.append(_Movement(a + c0, a + c1, a + p, float(piece[p])))
    return out


def _may_cut(piece: np.ndarray, fraction: float) -> bool:
    """Whether some sample lies below ``fraction`` of the lower of the highest samples before and after it.

    :func:`_split_at_valleys` cuts only at a valley below ``fraction`` of both neighbouring peaks,
    so where no sample is, no cut can be made whatever the peaks are, and the peak search (most
    of a calf session's movement finding) is not needed: the result is one movement either way.
    """
    if piece.size < 3 or not np.isfinite(piece).all():
        return True
    before = np.maximum.accumulate(piece)[:-2]
    after = np.maximum.accumulate(piece[::-1])[::-1][2:]
    return bool(np.any(piece[1:-1] < fraction * np.minimum(before, after)))


def is_walking_step(imu: UniformImu, track: PitchTrack, m: _Movement, params: CalfRaiseParams) -> bool:
    """Whether a movement is a walking step rather than a raise (step 4).

    Physical signs, any one suffices: the sensor moves as fast as a swinging foot
    (gravity-free acceleration integrated between the resting ends, with the drift removed
    linearly); a heel-strike impact; or a brief heel lift (push-off to heel strike takes well
    under ``max_step_s``, a raise never does: even quick real raises stay off the floor for over
    a second) that ends in a swing (the foot turns down faster than ``step_swing_dps``) or with
    the toe lifting. Toe-up alone is no sign: raises from a step drop the heel below level by
    design, and people dip before rising.
    """
    fs = imu.fs_hz
    pad = round(params.step_pad_s * fs)
    a, b = max(0, m.start - pad), min(imu.t_s.size, m.end + pad)
    if (m.end - m.start) / fs < params.max_step_s:
        swing_dps = float(-track.omega_dps[m.start : m.end].min())
        if swing_dps > params.step_swing_dps or float(track.theta_deg[a:b].min()) < -params.dorsiflexion_deg:
            return True
    # Rotate each sample back to the heel-down pose about the raise axis, remove gravity.
    free = undo_tilt(imu.acc_mps2[a:b], track.theta_deg[a:b], track.axis) - STANDARD_GRAVITY_MPS2 * track.up_bottom
    if float(row_norms(free).max()) > params.impact_mps2:
        return True
    velocity = np.cumsum(free, axis=0) / fs
    ramp = np.linspace(0.0, 1.0, velocity.shape[0])[:, None]
    velocity -= velocity[0] + ramp * (velocity[-1] - velocity[0])
    return float(row_norms(velocity).max()) > params.walking_speed_mps


def _merge_intervals(intervals: list[tuple[float, float]], *, join_s: float) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if merged and a - merged[-1][1] <= join_s:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
