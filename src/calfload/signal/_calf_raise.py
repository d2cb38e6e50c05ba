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

from dataclasses import asdict, dataclass
from itertools import pairwise

import numpy as np

from calfload.errors import AnalysisError
from calfload.recording import Recording, true_runs
from calfload.signal._calf_types import CalfRaiseAnalysis, CalfRaiseParams, CalfRep, CalfSet
from calfload.signal._kernels import find_peaks
from calfload.signal._preprocess import (
    ImuFrame,
    UniformImu,
    estimate_frame,
    find_rest,
    lowpass,
    tilt_about_axis_deg,
    undo_tilt,
    uniform_imu,
)
from calfload.units import STANDARD_GRAVITY_MPS2


@dataclass(frozen=True, slots=True)
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
    frame = estimate_frame(imu, find_rest(imu))
    # 2. Pitch.
    track = pitch_track(imu, frame, params)
    # 3.-4. Movements and steps.
    movements = find_movements(imu, track, params)
    for m in movements:
        m.is_step = is_walking_step(imu, track, m, params)
    # 5.-7. Phases, sets, partial reps, tempo.
    reps, partials, sets = _reps_and_sets(imu, track, movements, params)
    walking = _merge_intervals(
        [(float(imu.t_s[m.start]), float(imu.t_s[m.end - 1])) for m in movements if m.is_step], join_s=3.0
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
    track = pitch_track(imu, estimate_frame(imu, find_rest(imu)), params)
    pitch = np.where(imu.valid, track.theta_deg, np.nan)
    return imu.t_s.copy(), pitch


def pitch_track(imu: UniformImu, frame: ImuFrame, params: CalfRaiseParams) -> PitchTrack:
    """Foot pitch about the dominant axis, zero at the usual resting pose, raises positive (step 2)."""
    fs = imu.fs_hz
    axis = frame.axis
    omega_raw = (imu.gyr_dps - frame.gyr_bias_dps) @ axis
    acc_smooth = lowpass(imu.acc_mps2, min(5.0, 0.4 * fs), fs)
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
    # The resting pose that recurs most (heel down) is zero.
    rest_theta = theta[frame.rest]
    bins = np.arange(rest_theta.min() - 0.5, rest_theta.max() + 1.0, 0.5)
    counts, edges = np.histogram(rest_theta, bins=bins)
    mode = edges[int(np.argmax(counts))] + 0.25
    near = np.abs(rest_theta - mode) < 1.5
    reference = float(np.median(rest_theta[near]))
    theta = theta - reference
    # Raises lift the heel: make the larger excursions positive.
    moving = ~frame.rest & imu.valid
    positive = float(np.clip(theta[moving], 0, None).sum())
    negative = float(np.clip(-theta[moving], 0, None).sum())
    if negative > positive:
        theta, omega, axis = -theta, -omega, -axis
    bottom = frame.rest & (np.abs(theta) < 1.5)
    source = imu.acc_mps2[bottom] if bottom.sum() >= 3 else imu.acc_mps2[frame.rest]
    up_bottom = np.median(source, axis=0)
    return PitchTrack(theta, omega, up_bottom / np.linalg.norm(up_bottom), axis)


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
    peaks, _ = find_peaks(piece, prominence=max(params.min_movement_deg, 0.25 * top))
    if peaks.size <= 1:
        p = int(np.argmax(piece))
        return [_Movement(a, b, a + p, top)]
    cuts = [0]
    for left, right in pairwise(peaks):
        valley = int(left) + int(np.argmin(piece[left:right]))
        if piece[valley] < 0.5 * min(piece[left], piece[right]):
            cuts.append(valley)
    cuts.append(b - a)
    out = []
    for c0, c1 in pairwise(cuts):
        p = c0 + int(np.argmax(piece[c0:c1]))
        out.append(_Movement(a + c0, a + c1, a + p, float(piece[p])))
    return out


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
    pad = round(0.5 * fs)
    a, b = max(0, m.start - pad), min(imu.t_s.size, m.end + pad)
    if (m.end - m.start) / fs < params.max_step_s:
        swing_dps = float(-track.omega_dps[m.start : m.end].min())
        if swing_dps > params.step_swing_dps or float(track.theta_deg[a:b].min()) < -params.dorsiflexion_deg:
            return True
    # Rotate each sample back to the heel-down pose about the raise axis, remove gravity.
    free = undo_tilt(imu.acc_mps2[a:b], track.theta_deg[a:b], track.axis) - STANDARD_GRAVITY_MPS2 * track.up_bottom
    if float(np.linalg.norm(free, axis=1).max()) > params.impact_mps2:
        return True
    velocity = np.cumsum(free, axis=0) / fs
    ramp = np.linspace(0.0, 1.0, velocity.shape[0])[:, None]
    velocity -= velocity[0] + ramp * (velocity[-1] - velocity[0])
    return float(np.linalg.norm(velocity, axis=1).max()) > params.walking_speed_mps


def _phase_bounds(
    t_s: np.ndarray, speed: np.ndarray, lo: int, hi: int, excursion_deg: float, fs: float, params: CalfRaiseParams
) -> tuple[float, float, float] | None:
    """Start, end and peak speed of the phase whose speed (deg/s, positive) lies in ``[lo, hi)``."""
    if hi - lo < 2:
        return None
    window = speed[lo:hi]
    peak = float(window.max())
    if peak <= 0:
        return None
    threshold = params.phase_threshold_fraction * peak
    above = window > threshold
    starts, ends = true_runs(above)
    turned = np.array([window[s:e].sum() / fs for s, e in zip(starts, ends, strict=True)])
    main = int(np.argmax(turned))
    keep = turned >= params.min_phase_share * excursion_deg
    keep[main] = True
    pause = round(params.max_phase_pause_s * fs)
    first = last = main
    while first > 0 and keep[first - 1] and starts[first] - ends[first - 1] <= pause:
        first -= 1
    while last < len(starts) - 1 and keep[last + 1] and starts[last + 1] - ends[last] <= pause:
        last += 1
    i_up, i_down = lo + starts[first], lo + ends[last] - 1
    t_start = _crossing(t_s, speed, i_up - 1, i_up, threshold) if i_up > lo else float(t_s[i_up])
    t_end = _crossing(t_s, speed, i_down, i_down + 1, threshold) if i_down + 1 < hi else float(t_s[i_down])
    return t_start, t_end, peak


def _crossing(t_s: np.ndarray, x: np.ndarray, i: int, j: int, level: float) -> float:
    """Time where ``x`` crosses ``level`` between samples ``i`` and ``j`` (linear interpolation)."""
    dx = x[j] - x[i]
    frac = 0.5 if dx == 0 else float(np.clip((level - x[i]) / dx, 0.0, 1.0))
    return float(t_s[i] + frac * (t_s[j] - t_s[i]))


def _segment_end(imu: UniformImu, index: int) -> tuple[int, int]:
    k = int(np.searchsorted(imu.segment_starts, index, side="right")) - 1
    return int(imu.segment_starts[k]), int(imu.segment_ends[k])


def _reps_and_sets(
    imu: UniformImu, track: PitchTrack, movements: list[_Movement], params: CalfRaiseParams
) -> tuple[list[CalfRep], list[CalfRep], list[CalfSet]]:
    """Phases of every non-step movement, then sets, partial reps and the tempo audit (steps 5-7)."""
    fs, t = imu.fs_hz, imu.t_s
    omega = track.omega_dps
    measured: list[tuple[_Movement, float, float, float, float, float, float]] = []
    for k, m in enumerate(movements):
        if m.is_step:
            continue
        seg_a, seg_b = _segment_end(imu, m.start)
        if m.start == seg_a or m.end == seg_b:
            continue  # already under way when the data starts, or not over when it stops
        lo = max(seg_a, movements[k - 1].end if k > 0 else seg_a, m.start - round(5 * fs))
        hi = min(seg_b, movements[k + 1].start if k + 1 < len(movements) else seg_b, m.end + round(5 * fs))
        rise = _phase_bounds(t, omega, lo, m.peak + 1, m.excursion_deg, fs, params)
        lower = _phase_bounds(t, -omega, m.peak, hi, m.excursion_deg, fs, params)
        if rise is None or lower is None:
            continue  # cut by the start or end of the data: not measurable
        measured.append((m, rise[0], rise[1], lower[0], lower[1], rise[2], lower[2]))

    # Group into sets: rest is measured between rep-sized movements (a weight shift in the
    # middle of a long rest does not join two sets); a break or walking starts a new set.
    steps_t = np.array([t[m.peak] for m in movements if m.is_step])

    def walked(after_s: float, before_s: float) -> bool:
        return bool(np.any((steps_t > after_s) & (steps_t < before_s)))

    rep_sized = [i for i, entry in enumerate(measured) if entry[0].excursion_deg >= params.min_rep_excursion_deg]
    groups: list[list[int]] = []
    for i in rep_sized:
        c0 = measured[i][1]
        if groups:
            prev_end = measured[groups[-1][-1]][4]
            if c0 - prev_end <= params.set_break_s and not walked(prev_end, c0):
                groups[-1].append(i)
                continue
        groups.append([i])
    # Smaller movements belong to the set they happen in, or next to (within a set break).
    for i, (_, c0, _c1, _e0, e1, *_rest) in enumerate(measured):
        if i in rep_sized or not groups:
            continue
        spans = [(measured[g[0]][1], measured[g[-1]][4]) for g in groups]
        gaps = [max(start - e1, c0 - end, 0.0) for start, end in spans]
        k = int(np.argmin(gaps))
        start, end = spans[k]
        between = (end, c0) if c0 >= end else (e1, start)
        if gaps[k] <= params.set_break_s and not walked(*between):
            groups[k] = sorted([*groups[k], i], key=lambda j: measured[j][1])

    reps: list[CalfRep] = []
    partials: list[CalfRep] = []
    sets: list[CalfSet] = []
    for members in groups:
        excursions = np.array([measured[i][0].excursion_deg for i in members])
        big = excursions[excursions >= params.min_rep_excursion_deg]
        if big.size == 0:
            continue  # only small movements: sway, not a set
        floor = max(params.min_rep_excursion_deg, params.partial_fraction * float(np.median(big)))
        set_index = len(sets) + 1
        counted: list[CalfRep] = []
        set_partials: list[CalfRep] = []
        for pos, i in enumerate(members):
            m, c0, c1, e0, e1, pk_rise, pk_low = measured[i]
            nxt = measured[members[pos + 1]][1] if pos + 1 < len(members) else None
            ecc = e1 - e0
            rep = CalfRep(
                set=set_index,
                index=0 if m.excursion_deg < floor else len(counted) + 1,
                start_s=c0,
                end_s=e1,
                concentric_s=c1 - c0,
                top_hold_s=max(0.0, e0 - c1),
                eccentric_s=ecc,
                bottom_s=None if nxt is None else max(0.0, nxt - e1),
                eccentric_pass=ecc >= params.target_eccentric_s - params.tolerance_s,
                excursion_deg=m.excursion_deg,
                peak_rise_dps=pk_rise,
                peak_lowering_dps=pk_low,
                partial=m.excursion_deg < floor,
            )
            (set_partials if rep.partial else counted).append(rep)
        if not counted:
            continue
        if counted[-1].bottom_s is not None:  # the set ends with partial reps: the last rep has no bottom
            counted[-1] = _with_bottom(counted[-1], None)
        reps.extend(counted)
        partials.extend(set_partials)
        sets.append(_summarise_set(set_index, counted, set_partials, params))
    return reps, partials, sets


def _with_bottom(rep: CalfRep, bottom_s: float | None) -> CalfRep:
    values = asdict(rep)
    values["bottom_s"] = bottom_s
    return CalfRep(**values)


def _summarise_set(index: int, reps: list[CalfRep], partials: list[CalfRep], params: CalfRaiseParams) -> CalfSet:
    start, end = reps[0].start_s, reps[-1].end_s
    holds = [r.top_hold_s for r in reps]
    bottoms = [r.bottom_s for r in reps if r.bottom_s is not None]
    endurance = (
        end - start >= params.endurance_min_s
        and float(np.median(holds)) < 0.3
        and (not bottoms or float(np.median(bottoms)) < 0.5)
    )
    return CalfSet(
        index=index,
        rep_count=len(reps),
        start_s=start,
        end_s=end,
        time_under_tension_s=sum(r.concentric_s + r.top_hold_s + r.eccentric_s for r in reps),
        tempo_pass_rate=sum(r.eccentric_pass for r in reps) / len(reps),
        mean_eccentric_s=float(np.mean([r.eccentric_s for r in reps])),
        partial_rep_count=len(partials),
        endurance=endurance,
    )


def _merge_intervals(intervals: list[tuple[float, float]], *, join_s: float) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if merged and a - merged[-1][1] <= join_s:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
